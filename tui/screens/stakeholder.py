"""One stakeholder: the profile, the people and organisations around it, open follow-ups, and
the history as a timeline grouped by month (``r`` adds branches and affiliated people).

Under the profile, a sparkline of the last 24 months, and — when the library finds likely
duplicates — a notice with ``M`` to merge them (:mod:`tui.screens.merge`); after a merge into
this stakeholder, ``U`` undoes it.

Opening reads the profile and the history's first page (however long the history) while the
screen is built, and waits briefly for them so that its first frame already shows them.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from tui.screens.base import BaseScreen
from tui.screens.stakeholder_related import (
    merge_notice,
    month_label,
    post_terms,
    profile_summary,
    related_option,
    related_rows,
)
from tui.support import app_of, in_thread
from tui.widgets.footer import KeysFooter
from tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from engagement.schemas import (
        CommitmentRead,
        DuplicatePair,
        InteractionRead,
        MergeRead,
        MonthlyActivity,
        PostShow,
        StakeholderProfile,
    )
    from engagement.tracker import Tracker

ACTIVITY_MONTHS = 24
# Refreshes the extras wait at most for the history's first page.
EXTRAS_WAIT_ROUNDS = 50
# How long the new screen waits, before its first frame, for what it first shows (seconds);
# past that it paints "Loading…" and fills in when the reads are done.
OPENING_WAIT = 0.06


class StakeholderScreen(BaseScreen):
    FAILURE_TITLE = "Could not show this stakeholder"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "toggle_related", "Related"),
        Binding("e", "edit", "Edit"),
        Binding("b", "brief", "Brief", tooltip="the briefing pack, shown and saved"),
        Binding("M", "merge", "Merge", tooltip="merge with a likely duplicate (when one is shown)"),
        Binding("U", "unmerge", "Undo merge", tooltip="undo the last merge into this stakeholder"),
    ]

    @dataclass
    class Loaded(Message):
        profile: StakeholderProfile
        commitments: list[CommitmentRead] = field(default_factory=list)
        post: PostShow | None = None
        #: The history's first page, read with the profile when the screen opens: one
        #: message, so the screen lays out and paints once with both.
        history: list[InteractionRead] | None = None

    @dataclass
    class Extras(Message):
        """What the library says around the profile: the months, duplicates, merges."""

        stakeholder_id: int
        activity: MonthlyActivity
        duplicates: list[DuplicatePair]
        merges: list[MergeRead]

    def __init__(self, reference: str | None = None) -> None:
        super().__init__()
        self.reference = reference or ""
        self.profile: StakeholderProfile | None = None
        self.duplicates: list[DuplicatePair] = []
        self.merges: list[MergeRead] = []
        self._shown = False
        self._first_size = True
        self._collector_paused = False
        self._opening: Future[StakeholderScreen.Loaded] | None = None
        if reference is not None:
            self.open(reference)

    def open(self, reference: str) -> None:
        """Show ``reference``: once, before the screen is pushed (a screen built ahead of need
        by :mod:`tui.screens.stakeholder_spare` is given its stakeholder this way)."""
        self.reference = reference
        # No cyclic collection until the first frame is out: a full pass walks every object
        # the app holds (tens of milliseconds) and would otherwise land, now and then, in the
        # middle of building the screen. It runs as usual once the frame is painted.
        self._collector_paused = gc.isenabled()
        gc.disable()
        self._opening = self._read_ahead()

    def _read_ahead(self) -> Future[StakeholderScreen.Loaded] | None:
        """Start reading what the screen first shows while it is being built: the reads and
        composing the screen overlap."""
        try:
            app = self.app
        except NoActiveAppError:
            return None
        opener: Callable[[], Tracker] = app.tracker  # type: ignore[attr-defined]
        return _READER.submit(_opening, opener, self.reference)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stakeholder-body"):
            with VerticalScroll(id="profile-pane", classes="loadable"):
                yield Static("", id="duplicate-notice")
                yield Static("", id="profile")
                yield Static("", id="post-terms")
                yield Label("Around", classes="panel-title")
                yield OptionList(id="related")
            with Vertical(id="history-pane"):
                with Horizontal(id="history-bar"):
                    yield Label("History", classes="panel-title")
                    yield Checkbox("include related (r)", id="include-related", compact=True)
                with Horizontal(id="activity-bar"):
                    yield Label("", id="activity-label")
                    yield Sparkline([], id="activity")
                yield Timeline(id="timeline")
        yield KeysFooter()

    def on_mount(self) -> None:
        for timeline in self.query(Timeline):  # none when the app closes as a spare is built
            timeline.focus()

    async def _first_frame(self) -> None:
        """Show the profile and the history's first page in the screen's first frame when
        they are read in time: a frame of loading placeholders, painted only to be replaced
        moments later, would cost the opening a whole layout and paint of the screen."""
        self.call_after_refresh(self._resume_collector)
        opening = self._opening
        if opening is not None:
            await asyncio.wait([asyncio.wrap_future(opening)], timeout=OPENING_WAIT)
            if opening.done() and opening.exception() is None:
                self._opening = None
                self.on_stakeholder_screen_loaded(opening.result())
                return
        self.query_one("#profile-pane").loading = True
        self.load()

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    def on_unmount(self) -> None:
        self._resume_collector()
        if self._shown:
            from tui.screens.stakeholder_spare import prepare_spare

            self.app.call_after_refresh(prepare_spare, self.app)

    def _screen_resized(self, size: Size) -> None:
        """Textual lays a new screen out, then lays it out again at the same size when the
        screen hears of its own first size: that second pass re-arranges and repaints the
        whole screen before anything changed (what did change is laid out as usual)."""
        first, self._first_size = self._first_size, False
        if first and size == self._compositor.size:
            return
        super()._screen_resized(size)

    def get_loading_widget(self) -> Widget:
        """A still "Loading…": Textual's animated indicator keeps repainting while the
        profile and the history's first page are being painted."""
        return Label("Loading…", classes="panel-loading")

    async def on_screen_resume(self) -> None:
        """The first time, the opening frame; back from a screen on top (an edit, a merge …),
        read everything again. (Runs before Textual lays the screen out.)"""
        if not self._shown:
            self._shown = True
            await self._first_frame()
        elif self.profile is not None:
            self.load()
            self.query_one(Timeline).reload()

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def load(self) -> None:
        opening, self._opening = self._opening, None
        if opening is None and self.profile is None:
            opening = _READER.submit(_opening, self.tracker, self.reference)
        if opening is not None:
            self.post_message(opening.result())
            return
        tracker = self.tracker()
        profile = tracker.stakeholder_profile(self.reference)
        post = tracker.show_post(f"#{profile.id}") if profile.kind.value == "post" else None
        self.post_message(
            self.Loaded(profile, tracker.commitments(stakeholder=f"#{profile.id}"), post)
        )

    @work(thread=True, exclusive=True, group="extras", exit_on_error=False)
    def load_extras(self, stakeholder_id: int) -> None:
        tracker = self.tracker()
        reference = f"#{stakeholder_id}"
        activity = tracker.stakeholder_activity(reference, months=ACTIVITY_MONTHS)
        duplicates = tracker.duplicates_of(reference)
        merges = [
            merge
            for merge in tracker.stakeholder_merges(include_undone=False)
            if merge.keep_id == stakeholder_id
        ]
        self.post_message(self.Extras(stakeholder_id, activity, duplicates, merges))

    def _show_history(self, first_page: list[InteractionRead] | None = None) -> None:
        related = self.query_one("#include-related", Checkbox).value
        reference = self.reference

        def page(offset: int, limit: int) -> list[InteractionRead]:
            return self.tracker().history(
                reference, include_related=related, limit=limit, offset=offset
            )

        self.query_one(Timeline).show(page, first_page)

    def on_stakeholder_screen_loaded(self, message: Loaded) -> None:
        profile = message.profile
        self.profile = profile
        self.reference = f"#{profile.id}"
        self.sub_title = profile.name
        self.query_one("#profile-pane").loading = False
        self.query_one("#profile", Static).update(profile_summary(profile))
        self.query_one("#post-terms", Static).update(post_terms(message.post))
        self._fill_related(profile, message.commitments)
        if message.history is not None:
            self._show_history(message.history)
        # The months, duplicates and merges cost more than the profile (duplicates compare
        # names): they load once the profile and the history's first page are painted.
        self._extras_after_paint(profile.id)

    def _extras_after_paint(self, stakeholder_id: int, rounds: int = 0) -> None:
        if not self.query_one(Timeline).loaded and rounds < EXTRAS_WAIT_ROUNDS:
            self.call_after_refresh(self._extras_after_paint, stakeholder_id, rounds + 1)
            return
        self.call_after_refresh(self.load_extras, stakeholder_id)

    def on_stakeholder_screen_extras(self, message: Extras) -> None:
        if self.profile is None or message.stakeholder_id != self.profile.id:
            return
        activity = message.activity
        first, last = activity.months[0], activity.months[-1]
        total = activity.total()
        self.query_one("#activity-label", Label).update(
            f"Activity {month_label(first)} – {month_label(last)}: "
            f"{total} interaction{'' if total == 1 else 's'}"
        )
        self.query_one("#activity", Sparkline).data = activity.totals()
        self.duplicates = message.duplicates
        self.merges = message.merges
        notice = merge_notice([self._other(pair)[1] for pair in self.duplicates], self.merges)
        widget = self.query_one("#duplicate-notice", Static)
        widget.update(notice)
        widget.set_class(bool(self.duplicates), "-duplicates")
        widget.display = bool(notice)
        self.refresh_bindings()

    def _other(self, pair: DuplicatePair) -> tuple[int, str]:
        """The other stakeholder of a pair found for this one."""
        assert self.profile is not None
        if pair.keep_id == self.profile.id:
            return pair.drop_id, pair.drop_name
        return pair.keep_id, pair.keep_name

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Merge and undo show in the footer only when there is something to do."""
        if action == "merge":
            return bool(self.duplicates)
        if action == "unmerge":
            return bool(self.merges)
        return True

    @work(exclusive=True, group="merge", exit_on_error=False)
    async def action_merge(self) -> None:
        from tui.screens.dialogs import PickDialog
        from tui.screens.merge import MergeDialog

        if self.profile is None or not self.duplicates:
            return
        pair = self.duplicates[0]
        if len(self.duplicates) > 1:
            options = [(str(n), self._other(p)[1]) for n, p in enumerate(self.duplicates)]
            picked = await self.app.push_screen_wait(
                PickDialog(
                    "Merge with which one?",
                    "Likely duplicates of this stakeholder:",
                    options,
                    id="pick-duplicate",
                )
            )
            if picked is None:
                return
            pair = self.duplicates[int(picked)]
        tracker = self.tracker()
        keep, drop = await in_thread(
            lambda: (
                tracker.stakeholder_profile(f"#{pair.keep_id}"),
                tracker.stakeholder_profile(f"#{pair.drop_id}"),
            )
        )
        answer = await self.app.push_screen_wait(MergeDialog(keep, drop))
        if answer is None:
            return
        kept, dropped = answer
        await in_thread(
            tracker.merge_stakeholders,
            f"#{kept.id}",
            f"#{dropped.id}",
            keep_version=kept.version,
            drop_version=dropped.version,
        )
        self.app.notify(
            f"Merged “{dropped.name}” into “{kept.name}”. U on this page undoes it.",
            title="Merged",
            markup=False,
        )
        self.reference = f"#{kept.id}"
        self.load()
        self._show_history()

    @work(exclusive=True, group="merge", exit_on_error=False)
    async def action_unmerge(self) -> None:
        from tui.screens.dialogs import ChoiceDialog

        if self.profile is None or not self.merges:
            return
        latest = self.merges[0]
        question = Text("“")
        question.append(latest.dropped_name)
        question.append("” comes back as a stakeholder of its own, with what the merge moved from")
        question.append(f" it on {latest.merged_at.date().isoformat()}.")
        choice = await self.app.push_screen_wait(
            ChoiceDialog(
                "Undo the merge?",
                question,
                [("undo", "Undo merge", "warning"), ("keep", "Cancel", "primary")],
                cancel_key="keep",
                id="confirm-unmerge",
            )
        )
        if choice != "undo":
            return
        tracker = self.tracker()
        result = await in_thread(lambda: tracker.unmerge_stakeholder(merge_id=latest.id))
        self.app.notify(
            f"“{result.dropped_name}” is back on its own.", title="Merge undone", markup=False
        )
        self.load()
        self._show_history()

    def _fill_related(self, profile: StakeholderProfile, commitments: list[CommitmentRead]) -> None:
        related = self.query_one("#related", OptionList)
        related.clear_options()
        rows = related_rows(profile, commitments)
        if not rows:
            related.add_option(Option(Text("nobody and nothing linked yet", style="dim")))
            return
        related.add_options(
            related_option(f"{n}|{key}", role, name) for n, (key, role, name) in enumerate(rows)
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


# Reads the opening screen's data off the event loop, started before the screen mounts.
_READER = ThreadPoolExecutor(2, thread_name_prefix="stakeholder-opening")


def _opening(opener: Callable[[], Tracker], reference: str) -> StakeholderScreen.Loaded:
    """The profile, commitments, post terms and the history's first page of a stakeholder."""
    tracker = opener()
    profile = tracker.stakeholder_profile(reference)
    own = f"#{profile.id}"
    post = tracker.show_post(own) if profile.kind.value == "post" else None
    history = tracker.history(own, limit=Timeline.PAGE_SIZE, offset=0)
    return StakeholderScreen.Loaded(profile, tracker.commitments(stakeholder=own), post, history)
