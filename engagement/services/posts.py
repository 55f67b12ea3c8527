"""Posts: positions at an organisation that outlive the people holding them.

A post is a stakeholder of kind ``post`` whose parent is its organisation, so it is found,
aliased, searched and resolved like any other stakeholder. Its holders are
:class:`~engagement.models.PostTenure` rows, one holder at a time.

An interaction logged with a post also gets a link to the person who held the post on the
interaction's first day, marked ``via_post_id``. Both are stored: the post's history keeps the
whole relationship across holders, the person's history shows their own tenure only, and after
a rotation nothing needs recomputing. When tenures change (a holder assigned late, an end date
corrected), :func:`reresolve` brings those marked links into line; links to a person named
directly are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from engagement.errors import TenureOverlap, ValidationFailed
from engagement.models import (
    Interaction,
    InteractionStakeholder,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
)
from engagement.schemas import StakeholderCreate
from engagement.schemas.posts import (
    Bound,
    PostCreate,
    PostRead,
    PostShow,
    PostTerm,
    TenureCreate,
    TenureRead,
)
from engagement.services import search_index
from engagement.services.contacts import refresh_contacts
from engagement.services.resolve import resolve
from engagement.vocab import Precision, Role, StakeholderKind

_POST = StakeholderKind.POST.value
_PERSON = StakeholderKind.PERSON.value


def add(session: Session, data: PostCreate, *, today: date) -> PostRead:
    from engagement.services import stakeholders

    organisation = resolve(session, data.organisation, field="org")
    if organisation.kind in (_PERSON, _POST):
        raise ValidationFailed(
            "org", data.organisation, f"is a {organisation.kind}; a post belongs to an organisation"
        )
    created = stakeholders.add(
        session,
        StakeholderCreate(
            name=data.title,
            kind=StakeholderKind.POST,
            country=organisation.country,
            parent=f"#{organisation.id}",
            aliases=data.aliases,
            notes=data.notes,
        ),
    )
    for holder in data.holders:
        assign(
            session,
            TenureCreate(
                post=f"#{created.id}", person=holder.person, start=holder.start, end=holder.end
            ),
            today=today,
        )
    return read(session, created.id, today=today)


def upsert(session: Session, data: PostCreate, *, today: date) -> bool | None:
    """For data sets: create the post (True), add missing holders (False), or nothing (None)."""
    from engagement.names import fold_name

    existing = session.scalar(
        select(Stakeholder).where(Stakeholder.name_key == fold_name(data.title))
    )
    if existing is None:
        add(session, data, today=today)
        return True
    if existing.kind != _POST:
        raise ValidationFailed("title", data.title, f"is already a {existing.kind}, not a post")
    changed = False
    for holder in data.holders:
        person = resolve(session, holder.person, field="person")
        start = None if holder.start is None else holder.start.day
        known = session.scalar(
            select(PostTenure).where(
                PostTenure.post_id == existing.id,
                PostTenure.person_id == person.id,
                PostTenure.start_on.is_(None) if start is None else PostTenure.start_on == start,
            )
        )
        if known is not None and _bound(known.end_on, known.end_precision) == holder.end:
            continue
        assign(
            session,
            TenureCreate(
                post=f"#{existing.id}", person=f"#{person.id}", start=holder.start, end=holder.end
            ),
            today=today,
        )
        changed = True
    return False if changed else None


def assign(session: Session, data: TenureCreate, *, today: date) -> TenureRead:
    """Record that ``person`` held ``post`` over the period.

    The same person with the same start updates that tenure (typically to set its end);
    otherwise the new tenure must not overlap another one of the post.
    """
    post = _post(session, data.post)
    person = resolve(session, data.person, field="person")
    if person.kind != _PERSON:
        raise ValidationFailed("person", data.person, f"is a {person.kind}, not a person")
    start = None if data.start is None else data.start.day
    # The same person's tenure: the same start, or a start that was not known (now given).
    tenure = session.scalar(
        select(PostTenure)
        .where(
            PostTenure.post_id == post.id,
            PostTenure.person_id == person.id,
            or_(PostTenure.start_on.is_(None), PostTenure.start_on == start)
            if start is not None
            else PostTenure.start_on.is_(None),
        )
        .order_by(PostTenure.start_on.is_(None))
    )
    others = session.scalars(
        select(PostTenure).where(
            PostTenure.post_id == post.id,
            PostTenure.id != (tenure.id if tenure is not None else -1),
        )
    )
    for other in others:
        if _overlap(data.start, data.end, other):
            holder = session.get(Stakeholder, other.person_id)
            assert holder is not None
            since = _bound(other.start_on, other.start_precision)
            raise TenureOverlap(
                post.name,
                person.name,
                holder.name,
                _describe(other),
                since.iso() if since else "DATE",
            )
    if tenure is None:
        tenure = PostTenure(post_id=post.id, person_id=person.id)
        session.add(tenure)
    tenure.start_on = start
    tenure.start_precision = (data.start.precision if data.start else Precision.DAY).value
    tenure.end_on = None if data.end is None else data.end.day
    tenure.end_precision = (data.end.precision if data.end else Precision.DAY).value
    session.flush()
    reresolve(session, post.id, today=today)
    return _tenure_read(session, tenure, today=today)


def holder_on(session: Session, post_id: int, day: date) -> int | None:
    """The person who held the post on ``day``."""
    tenure = _tenure_on(
        list(session.scalars(select(PostTenure).where(PostTenure.post_id == post_id))), day
    )
    return None if tenure is None else tenure.person_id


def _tenure_on(candidates: list[PostTenure], day: date) -> PostTenure | None:
    """The tenure covering ``day``; in a month of handover known only to the month, the one
    that surely covers the day, else the newcomer."""
    covering = [
        tenure
        for tenure in candidates
        if (tenure.start_on is None or tenure.start_on <= day)
        and (tenure.end_on is None or day <= tenure.end_on)
    ]
    if not covering:
        return None
    certain = [t for t in covering if _certain_start(t) <= day <= _certain_end(t)]
    chosen = certain or covering
    chosen.sort(key=lambda t: t.start_on or date.min, reverse=True)
    return chosen[0]


def attach_holders(session: Session, interaction: Interaction) -> set[int]:
    """Give every post among the interaction's participants a link to its holder on the
    interaction's first day, and drop marked links that no longer apply; returns the
    stakeholders whose links changed (their contact statistics need refreshing)."""
    kinds = dict(
        session.execute(
            select(Stakeholder.id, Stakeholder.kind).where(
                Stakeholder.id.in_([link.stakeholder_id for link in interaction.links])
            )
        ).all()
    )
    posts = [link for link in interaction.links if kinds.get(link.stakeholder_id) == _POST]
    wanted: dict[int, int] = {}
    for link in posts:
        holder = holder_on(session, link.stakeholder_id, interaction.start_on)
        if holder is not None:
            wanted.setdefault(holder, link.stakeholder_id)
    touched: set[int] = set()
    kept = []
    for link in interaction.links:
        if link.via_post_id is not None and wanted.get(link.stakeholder_id) != link.via_post_id:
            touched.add(link.stakeholder_id)
            continue
        kept.append(link)
    present = {link.stakeholder_id for link in kept}
    position = max((link.position for link in kept), default=-1) + 1
    for person_id, post_id in wanted.items():
        if person_id in present:
            continue
        role = next(link.role for link in posts if link.stakeholder_id == post_id)
        kept.append(
            InteractionStakeholder(
                stakeholder_id=person_id,
                role=role or Role.COUNTERPART.value,
                position=position,
                start_on=interaction.start_on,
                via_post_id=post_id,
            )
        )
        position += 1
        touched.add(person_id)
    if touched:
        interaction.links = kept
    return touched


def reresolve(session: Session, post_id: int, *, today: date) -> None:
    """Bring the holder links of every interaction with the post in line with its tenures."""
    ids = list(
        session.scalars(
            select(InteractionStakeholder.interaction_id).where(
                InteractionStakeholder.stakeholder_id == post_id
            )
        )
    )
    touched: set[int] = set()
    changed: list[int] = []
    for interaction in session.scalars(select(Interaction).where(Interaction.id.in_(ids))):
        moved = attach_holders(session, interaction)
        if moved:
            touched |= moved
            changed.append(interaction.id)
    session.flush()
    refresh_contacts(session, touched, today=today)
    search_index.index_interactions(session.connection(), changed)


# --- reading ------------------------------------------------------------------------------


def read(session: Session, post_id: int, *, today: date) -> PostRead:
    post = session.get(Stakeholder, post_id)
    assert post is not None
    organisation = session.get(Stakeholder, post.parent_id) if post.parent_id else None
    holders = tenures(session, post_id=post_id, today=today)
    aliases = list(
        session.scalars(
            select(StakeholderAlias.alias)
            .where(StakeholderAlias.stakeholder_id == post_id)
            .order_by(StakeholderAlias.id)
        )
    )
    return PostRead(
        id=post.id,
        name=post.name,
        organisation=None if organisation is None else organisation.name,
        organisation_id=post.parent_id,
        country=post.country,
        aliases=aliases,
        current_holder=next((t.person for t in holders if t.current), None),
        holders=holders,
    )


def show(session: Session, name: str, *, today: date) -> PostShow:
    """The post, its holders over time, and the interactions with the post under each."""
    from engagement.services import interactions

    post = _post(session, name, field="post")
    base = read(session, post.id, today=today)
    rows = session.execute(
        select(InteractionStakeholder.interaction_id, Interaction.start_on)
        .join(Interaction, Interaction.id == InteractionStakeholder.interaction_id)
        .where(InteractionStakeholder.stakeholder_id == post.id)
        .order_by(Interaction.start_on.desc(), Interaction.start_at.desc(), Interaction.id.desc())
    ).all()
    read_models = {
        item.id: item
        for item in interactions.read_many(
            session, [row.interaction_id for row in rows], today=today
        )
    }
    # Grouped by the tenure covering the day, whether the holder was named directly or
    # resolved from the post.
    all_tenures = list(session.scalars(select(PostTenure).where(PostTenure.post_id == post.id)))
    grouped: dict[int | None, list[int]] = defaultdict(list)
    for interaction_id, start_on in rows:
        tenure = _tenure_on(all_tenures, start_on)
        grouped[None if tenure is None else tenure.id].append(interaction_id)
    terms = [
        PostTerm(tenure=tenure, interactions=[read_models[i] for i in grouped.get(tenure.id, [])])
        for tenure in base.holders
    ]
    if grouped.get(None):
        terms.append(PostTerm(tenure=None, interactions=[read_models[i] for i in grouped[None]]))
    return PostShow(**base.model_dump(), terms=terms)


def tenures(
    session: Session,
    *,
    today: date,
    post_id: int | None = None,
    person_id: int | None = None,
    organisation_id: int | None = None,
) -> list[TenureRead]:
    """Tenures of a post, of a person, or of the posts of an organisation; newest first."""
    post = aliased(Stakeholder)
    query = (
        select(PostTenure)
        .join(post, post.id == PostTenure.post_id)
        .order_by(PostTenure.start_on.desc(), PostTenure.id.desc())
    )
    if post_id is not None:
        query = query.where(PostTenure.post_id == post_id)
    if person_id is not None:
        query = query.where(PostTenure.person_id == person_id)
    if organisation_id is not None:
        query = query.where(post.parent_id == organisation_id)
    return [_tenure_read(session, tenure, today=today) for tenure in session.scalars(query)]


def posts_of(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Stakeholder.id)
            .where(Stakeholder.parent_id == organisation_id, Stakeholder.kind == _POST)
            .order_by(Stakeholder.name)
        )
    )


def _tenure_read(session: Session, tenure: PostTenure, *, today: date) -> TenureRead:
    post = session.get(Stakeholder, tenure.post_id)
    person = session.get(Stakeholder, tenure.person_id)
    assert post is not None and person is not None
    organisation = session.get(Stakeholder, post.parent_id) if post.parent_id else None
    start = _bound(tenure.start_on, tenure.start_precision)
    end = _bound(tenure.end_on, tenure.end_precision)
    return TenureRead(
        id=tenure.id,
        post=post.name,
        post_id=post.id,
        organisation=None if organisation is None else organisation.name,
        person=person.name,
        person_id=person.id,
        start=None if start is None else start.iso(),
        end=None if end is None else end.iso(),
        period=_describe(tenure),
        current=(tenure.start_on is None or tenure.start_on <= today)
        and (tenure.end_on is None or tenure.end_on >= today),
    )


def _post(session: Session, name: str, field: str = "post") -> Stakeholder:
    post = resolve(session, name, field=field)
    if post.kind != _POST:
        raise ValidationFailed(
            field,
            name,
            f"is a {post.kind.replace('_', ' ')}, not a post; add the post with "
            "'engagement post add TITLE --org ORG'",
        )
    return post


def _bound(day: date | None, precision: str) -> Bound | None:
    return None if day is None else Bound(day=day, precision=Precision(precision))


def _describe(tenure: PostTenure) -> str:
    start = _bound(tenure.start_on, tenure.start_precision)
    end = _bound(tenure.end_on, tenure.end_precision)
    since = "start unknown" if start is None else start.describe()
    until = "present" if end is None else end.describe()
    return f"{since} – {until}"


def _certain_start(tenure: PostTenure) -> date:
    """The last day the tenure may have begun: a start known to the month is certain only
    from the month's end."""
    if tenure.start_on is None:
        return date.min
    if tenure.start_precision == Precision.MONTH.value:
        import calendar

        last = calendar.monthrange(tenure.start_on.year, tenure.start_on.month)[1]
        return tenure.start_on.replace(day=last)
    return tenure.start_on


def _certain_end(tenure: PostTenure) -> date:
    """The first day the tenure may have ended (an end known to the month: its first day)."""
    if tenure.end_on is None:
        return date.max
    if tenure.end_precision == Precision.MONTH.value:
        return tenure.end_on.replace(day=1)
    return tenure.end_on


def _overlap(start: Bound | None, end: Bound | None, other: PostTenure) -> bool:
    """Whether two tenures surely share a day. Ends known only to the month may meet in
    that month (a handover "in April"), so they are compared at their certain days."""
    probe = PostTenure(
        start_on=None if start is None else start.day,
        start_precision=(start.precision if start else Precision.DAY).value,
        end_on=None if end is None else end.day,
        end_precision=(end.precision if end else Precision.DAY).value,
    )
    latest_start = max(_certain_start(probe), _certain_start(other))
    earliest_end = min(_certain_end(probe), _certain_end(other))
    return latest_start <= earliest_end
