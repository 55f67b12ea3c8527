"""One stakeholder: the profile, the people and organisations around it, open follow-ups, and
the history as a timeline grouped by month (``r`` adds branches and affiliated people).

The history starts loading at the same time as the profile, in its own worker, so a
stakeholder with thousands of interactions paints its first page without waiting for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.base import BaseScreen
from tui.support import app_of
from tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from engagement.schemas import (
        CommitmentRead,
        InteractionRead,
        PostShow,
        StakeholderProfile,
    )


class StakeholderScreen(BaseScreen):
    FAILURE_TITLE = "Could not show this stakeholder"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "toggle_related", "Related"),
        Binding("e", "edit", "Edit"),
        Binding("b", "brief", "Brief", tooltip="the briefing pack, shown and saved"),
    ]

    @dataclass
    class Loaded(Message):
        profile: StakeholderProfile
        commitments: list[CommitmentRead] = field(default_factory=list)
        post: PostShow | None = None

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.profile: StakeholderProfile | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stakeholder-body"):
            with VerticalScroll(id="profile-pane", classes="loadable"):
                yield Static("", id="profile")
                yield Static("", id="post-terms")
                yield Label("Around", classes="panel-title")
                yield OptionList(id="related")
            with Vertical(id="history-pane"):
                with Horizontal(id="history-bar"):
                    yield Label("History", classes="panel-title")
                    yield Checkbox("include related (r)", id="include-related", compact=True)
                yield Timeline(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#profile-pane").loading = True
        self.load()
        self._show_history()
        self.query_one(Timeline).focus()

    def on_screen_resume(self) -> None:
        if self.profile is not None:
            self.load()
            self.query_one(Timeline).reload()

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def load(self) -> None:
        tracker = self.tracker()
        profile = tracker.stakeholder_profile(self.reference)
        post = tracker.show_post(f"#{profile.id}") if profile.kind.value == "post" else None
        self.post_message(
            self.Loaded(profile, tracker.commitments(stakeholder=f"#{profile.id}"), post)
        )

    def _show_history(self) -> None:
        related = self.query_one("#include-related", Checkbox).value
        reference = self.reference

        def page(offset: int, limit: int) -> list[InteractionRead]:
            return self.tracker().history(
                reference, include_related=related, limit=limit, offset=offset
            )

        self.query_one(Timeline).show(page)

    def on_stakeholder_screen_loaded(self, message: Loaded) -> None:
        from engagement.countries import country_name

        profile = message.profile
        self.profile = profile
        self.reference = f"#{profile.id}"
        self.sub_title = profile.name
        self.query_one("#profile-pane").loading = False
        text = Text()
        text.append(profile.name, style="bold")
        if profile.archived:
            text.append("  (archived)", style="dim")
        facts = [profile.kind.value.replace("_", " ")]
        if profile.country:
            facts.append(f"{country_name(profile.country)} ({profile.country})")
        count = profile.interaction_count
        facts.append(f"{count} interaction{'s' if count != 1 else ''}")
        text.append("\n" + " · ".join(facts) + "\n", style="dim")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        first = profile.first_contact.isoformat() if profile.first_contact else "never"
        last = profile.last_contact.isoformat() if profile.last_contact else "never"
        kinds = ", ".join(f"{kind} {n}" for kind, n in profile.interactions_by_kind.items())
        for label, value in (
            ("Also", ", ".join(profile.aliases)),
            ("Part of", profile.parent or ""),
            ("Contact", f"first {first} · last {last}" + (" · ongoing" * profile.ongoing)),
            ("By kind", kinds),
            ("Tags", " ".join(f"#{tag}" for tag in profile.tags)),
            ("Notes", profile.notes),
        ):
            if value:
                grid.add_row(Text(label), Text(value))
        self.query_one("#profile", Static).update(Group(text, grid))
        self.query_one("#post-terms", Static).update(_post_terms(message.post))
        self._fill_related(profile, message.commitments)

    def _fill_related(self, profile: StakeholderProfile, commitments: list[CommitmentRead]) -> None:
        related = self.query_one("#related", OptionList)
        related.clear_options()
        rows: list[tuple[str, str, str]] = []
        if profile.parent_id is not None and profile.parent:
            rows.append((f"s#{profile.parent_id}", "part of", profile.parent))
        rows.extend((f"n{child}", "branch", child) for child in profile.children)
        held = {tenure.post for tenure in profile.post_tenures if tenure.current}
        rows.extend(
            (f"n{post}", "post" if post in held else "post, vacant", post) for post in profile.posts
        )
        for person in profile.people:
            role = person.title + ("" if person.current else " (former)")
            rows.append((f"s#{person.person_id}", role, person.person))
        for position in profile.positions:
            role = position.title + ("" if position.current else " (former)")
            rows.append((f"s#{position.organisation_id}", role, position.organisation))
        for tenure in profile.post_tenures:
            when = tenure.period + ("" if tenure.current else " (former)")
            if profile.kind.value == "person":
                rows.append((f"s#{tenure.post_id}", f"post, {when}", tenure.post))
            elif profile.kind.value == "post":
                rows.append((f"s#{tenure.person_id}", f"holder, {when}", tenure.person))
            elif tenure.current:
                rows.append((f"s#{tenure.person_id}", f"{tenure.post}, {when}", tenure.person))
        for commitment in commitments:  # overdue first
            when = (
                "overdue"
                if commitment.overdue
                else (f"due {commitment.due.isoformat()}" if commitment.due else "no date")
            )
            key = f"i{commitment.interaction_id}" if commitment.interaction_id else "c"
            rows.append((key, f"{commitment.direction}, {when}", commitment.text))
        for follow_up in profile.open_follow_ups:
            due = follow_up.due.isoformat() if follow_up.due else "no date"
            label = "follow-up, overdue" if follow_up.overdue else f"follow-up, due {due}"
            rows.append((f"i{follow_up.interaction_id}", label, follow_up.text))
        if not rows:
            related.add_option(Option(Text("nobody and nothing linked yet", style="dim")))
            return
        related.add_options(
            _option(f"{index}|{key}", role, name) for index, (key, role, name) in enumerate(rows)
        )
        related.highlighted = 0

    @on(OptionList.OptionSelected, "#related")
    def _open_related(self, event: OptionList.OptionSelected) -> None:
        key = (event.option.id or "").partition("|")[2]
        if key.startswith(("s", "n")):
            app_of(self).open_stakeholder(key[1:])
        elif key.startswith("i"):
            app_of(self).open_interaction(int(key[1:]))

    @on(Timeline.Chosen)
    def _open_interaction(self, event: Timeline.Chosen) -> None:
        app_of(self).open_interaction(event.interaction_id)

    @on(Checkbox.Changed, "#include-related")
    def _related_changed(self) -> None:
        self._show_history()

    def action_toggle_related(self) -> None:
        checkbox = self.query_one("#include-related", Checkbox)
        checkbox.value = not checkbox.value

    def action_edit(self) -> None:
        focused = self.focused
        timeline = self.query_one(Timeline)
        if focused is timeline and timeline.highlighted is not None:
            app_of(self).edit_interaction(timeline.highlighted.id)
            return
        if self.profile is None:
            return
        from tui.screens.stakeholder_form import StakeholderFormScreen

        self.app.push_screen(StakeholderFormScreen(existing=self.profile), self._edited)

    def _edited(self, saved: object) -> None:
        if saved is not None:
            self.load()

    def action_brief(self) -> None:
        app_of(self).open_brief(stakeholder=self.reference)

    def context_stakeholders(self) -> list[tuple[str, str]]:
        if self.profile is None:
            return []
        return [(f"#{self.profile.id}", self.profile.name)]


def _post_terms(post: PostShow | None) -> Text:
    """A post's holders over time, newest first, with the interactions under each."""
    text = Text()
    if post is None:
        return text
    text.append("Holders over time\n", style="bold")
    if not post.terms:
        text.append("no holder recorded yet\n", style="dim")
    for term in post.terms:
        if term.tenure is None:
            text.append("no holder recorded on these dates", style="italic")
        else:
            text.append(term.tenure.person, style="bold")
            text.append(f"  {term.tenure.period}", style="dim")
        text.append("\n")
        for item in term.interactions:
            text.append(f"  {item.when}  ", style="dim")
            text.append(f"{item.title}\n")
        if not term.interactions:
            text.append("  no interactions\n", style="dim")
    return text


def _option(key: str, role: str, name: str) -> Option:
    prompt = Text(f"{role} · ", style="dim")
    prompt.append(name, style="")
    return Option(prompt, id=key)
