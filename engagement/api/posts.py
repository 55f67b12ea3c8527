"""Use cases on posts: positions that outlive their holders (see docs/posts.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from engagement.api.base import UseCases
from engagement.schemas import PostCreate, PostRead, PostShow, TenureCreate, TenureRead, validated


class PostUseCases(UseCases):
    def add_post(
        self, title: str, *, org: str, aliases: Iterable[str] = (), notes: str = ""
    ) -> PostRead:
        """A new post at organisation ``org`` (found like any stakeholder name)."""
        data = validated(
            PostCreate,
            {"title": title, "organisation": org, "aliases": list(aliases), "notes": notes},
        )
        from engagement.services import posts

        today = self.today()
        return self.db.write(lambda s: posts.add(s, data, today=today))

    def assign_post(
        self,
        post: str,
        person: str,
        *,
        start: date | str | None,
        end: date | str | None = None,
    ) -> TenureRead:
        """``person`` held ``post`` from ``start`` (to ``end``, or still). Dates take a day or
        only a month ("April 2016"). The same person and start again sets the end."""
        data = validated(TenureCreate, {"post": post, "person": person, "from": start, "to": end})
        from engagement.services import posts

        today = self.today()
        return self.db.write(lambda s: posts.assign(s, data, today=today))

    def show_post(self, post: str) -> PostShow:
        """The post, its holders over time and the interactions with it under each."""
        from engagement.services import posts

        today = self.today()
        return self.db.read(lambda s: posts.show(s, post, today=today))

    def tenures(
        self, *, person: str | None = None, organisation: str | None = None
    ) -> list[TenureRead]:
        """A person's posts, or the post holders of an organisation (its posts' tenures)."""
        from engagement.services import posts
        from engagement.services.resolve import resolve

        today = self.today()

        def run(session: Session) -> list[TenureRead]:
            person_id = None if person is None else resolve(session, person).id
            organisation_id = None if organisation is None else resolve(session, organisation).id
            return posts.tenures(
                session, today=today, person_id=person_id, organisation_id=organisation_id
            )

        return self.db.read(run)
