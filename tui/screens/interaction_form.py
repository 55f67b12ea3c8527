"""Logging a new interaction or editing one.

Nothing is saved until the form is valid: problems are shown at their field, first by the form
itself (dates are parsed as you type), then by the library on save. While there are unsaved
changes a draft is kept on disk (see :mod:`tui.drafts`), so an accidental quit loses nothing.
An edit sends only the fields that changed, with the version it started from: if a colleague
saved in between, the user chooses to reload their version or to overwrite it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    Select,
    Static,
    TextArea,
)

from tui.forms import InteractionFields, Payload, changes_for_update, route_problems
from tui.screens.base import BaseScreen
from tui.screens.interaction_fields import ERROR_FIELDS, compose_fields, fill_fields, read_fields
from tui.support import app_of, in_thread, split_tags
from tui.widgets.follow_up_editor import FollowUpEditor
from tui.widgets.footer import KeysFooter
from tui.widgets.period_field import PeriodField
from tui.widgets.stakeholder_picker import StakeholderPicker

if TYPE_CHECKING:
    from engagement.schemas import InteractionRead

AUTOSAVE_DELAY = 0.4


class InteractionFormScreen(BaseScreen):
    """``interaction_id`` None logs a new one; otherwise that interaction is edited."""

    FAILURE_TITLE = "Not saved"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
        Binding("ctrl+o", "add_follow_up", "Follow-up", show=False),
    ]

    def __init__(
        self,
        *,
        interaction_id: int | None = None,
        fields: InteractionFields | None = None,
        original: InteractionFields | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__()
        self.interaction_id = interaction_id
        self.version = version
        self.original = original or InteractionFields()
        self._start = fields or (original if original else InteractionFields())
        self._baseline = self._start if interaction_id is None else self.original
        self._timer: Timer | None = None
        self._loaded = interaction_id is None or original is not None
        self.saving = False
        self._shown_problems = False

    @property
    def draft_key(self) -> str:
        return "new" if self.interaction_id is None else f"edit-{self.interaction_id}"

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form", classes="loadable"):
            yield from compose_fields(self._start, self.tracker)
            with Horizontal(id="form-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary", compact=True)
                yield Button("Back  esc", id="leave", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "new interaction" if self.interaction_id is None else "edit interaction"
        app_of(self).forms.add(self)
        if not self._loaded:
            self.query_one("#form").loading = True
            self._load_existing()
        self.query_one("#title", Input).focus()
        if self._start.stakeholders and not self._start.title:
            self.query_one("#title", Input).focus()

    def on_unmount(self) -> None:
        app_of(self).forms.discard(self)

    # --- reading the form ---------------------------------------------------------------

    def current(self) -> InteractionFields:
        return read_fields(self)

    def fill(self, fields: InteractionFields) -> None:
        fill_fields(self, fields)

    @property
    def dirty(self) -> bool:
        """Unsaved changes: the form differs from what it was opened with."""
        if not self._loaded or not self.is_mounted:
            return False
        return self.current() != self._baseline

    # --- loading an interaction to edit ---------------------------------------------------

    @work(thread=True, exclusive=True, group="form-load", exit_on_error=False)
    def _load_existing(self) -> None:
        assert self.interaction_id is not None
        item = self.tracker().get_interaction(self.interaction_id)
        self.app.call_from_thread(self._take, item)

    def _take(self, item: InteractionRead) -> None:
        self.original = InteractionFields.from_interaction(item)
        self._baseline = self.original
        self.version = item.version
        self.fill(self.original)
        self._loaded = True
        self.query_one("#form").loading = False
        self.app.call_after_refresh(self._forget_draft_if_clean)

    def _forget_draft_if_clean(self) -> None:
        if not self.dirty:
            app_of(self).drafts.discard(self.draft_key)

    # --- drafts -------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    @on(StakeholderPicker.Changed)
    @on(FollowUpEditor.Changed)
    def _edited(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_DELAY, self.keep_draft)
        if self._shown_problems:
            # Once problems are on screen, they follow the typing: fixed ones go away.
            self.call_after_refresh(self._check, False)

    def keep_draft(self) -> None:
        """Write the draft now (or forget it if nothing changed)."""
        if not self._loaded or not self.is_mounted or self.saving:
            return
        drafts = app_of(self).drafts
        if self.dirty:
            drafts.save(
                self.draft_key,
                {
                    **self.current().to_dict(),
                    "_interaction_id": self.interaction_id,
                    "_version": self.version,
                    "_original": self.original.to_dict(),
                },
            )
        else:
            drafts.discard(self.draft_key)

    # --- suggestions --------------------------------------------------------------------

    @on(StakeholderPicker.CreateWanted)
    def _create_stakeholder(self, event: StakeholderPicker.CreateWanted) -> None:
        from tui.screens.stakeholder_form import StakeholderFormScreen

        def created(saved: Any) -> None:
            if saved is not None:
                event.picker.add(f"#{saved.id}", saved.name)

        self.app.push_screen(StakeholderFormScreen(name=event.name), created)

    # --- saving -------------------------------------------------------------------------

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving or not self._loaded:
            return
        problems = self._check()
        if problems:
            self.notify("Fix the fields marked in red; nothing was saved", severity="warning")
            return
        from engagement.quickadd import period_inputs

        fields = self.current()
        payload = Payload(
            fields=fields,
            period=period_inputs(self.query_one(PeriodField).parse()),
            tags=split_tags(fields.tags),
            follow_ups=self.query_one(FollowUpEditor).to_save(),
        )
        self.saving = True
        self._save(payload)

    def _check(self, scroll: bool = True) -> dict[str, list[str]]:
        """The form's own checks; shows each problem at its field."""
        fields = self.current()
        problems: dict[str, list[str]] = {}
        if not fields.title.strip():
            problems["title"] = ["title: say what it was about"]
        period_problem = self.query_one(PeriodField).refresh_reading()
        if period_problem:
            problems["period"] = [period_problem]
        if not fields.stakeholders:
            problems["stakeholders"] = ["with: add at least one stakeholder"]
        follow_up_problems = self.query_one(FollowUpEditor).problems()
        if follow_up_problems:
            problems["follow-ups"] = follow_up_problems
        self._show_problems(problems, scroll=scroll)
        return problems

    def _show_problems(self, problems: dict[str, list[str]], *, scroll: bool = True) -> None:
        self._shown_problems = bool(problems)
        first: str | None = None
        for name in ERROR_FIELDS:
            box = self.query_one(f"#error-{name}", Static)
            messages = problems.get(name, [])
            box.update(Text("\n".join(messages)))
            box.display = bool(messages)
            if messages and first is None:
                first = name
        if first is not None and scroll:
            target = self.query_one(f"#error-{first}", Static)
            self.query_one("#form", VerticalScroll).scroll_to_widget(target, animate=False)

    @work(exclusive=True, group="form-save", exit_on_error=False)
    async def _save(self, payload: Payload) -> None:
        from engagement.errors import ConcurrentEdit, EngagementError, InvalidInput

        saved: InteractionRead | None = None
        try:
            saved = await in_thread(self._write, payload, self.version)
        except ConcurrentEdit:
            saved = await self._resolve_conflict(payload)
        except InvalidInput as error:
            self._library_problems(error.problems)
        except EngagementError as error:
            self._library_problems([str(error)])
        finally:
            self.saving = False
        if saved is not None:
            self._done(saved)

    def _write(self, payload: Payload, version: int | None) -> InteractionRead:
        """Runs in a thread (so it touches no widget): log the interaction, or apply the
        changes to it."""
        tracker = self.tracker()
        fields, tags, follow_ups = payload.fields, payload.tags, payload.follow_ups
        when, until, zone = payload.period
        if self.interaction_id is None:
            extra = {"status": fields.status} if fields.status else {}
            return tracker.log_interaction(
                fields.title,
                with_=[ref for ref, _ in fields.stakeholders],
                when=when,
                until=until,
                timezone=zone,
                kind=fields.kind,
                location=fields.location,
                tags=tags,
                confidentiality=fields.confidentiality,
                summary=fields.summary,
                outcome=fields.outcome,
                follow_ups=follow_ups,
                **fields.meeting(),
                **extra,
            )
        changes = changes_for_update(fields, self.original, payload.period, tags)
        if changes or version != self.version:
            tracker.update_interaction(self.interaction_id, expected_version=version, **changes)
        for follow_up in follow_ups:
            tracker.add_follow_up(self.interaction_id, str(follow_up["text"]), due=follow_up["due"])
        return tracker.get_interaction(self.interaction_id)

    async def _resolve_conflict(self, payload: Payload) -> InteractionRead | None:
        from tui.screens.dialogs import conflict_dialog

        assert self.interaction_id is not None
        fresh = await in_thread(self.tracker().get_interaction, self.interaction_id)
        choice = await self.app.push_screen_wait(conflict_dialog(self.version, fresh.version))
        if choice == "overwrite":
            return await in_thread(self._write, payload, fresh.version)
        if choice == "reload":
            self._take(fresh)
            self.notify("Reloaded: this is the version saved by your colleague")
        return None

    def _library_problems(self, problems: list[str]) -> None:
        routed, loose = route_problems(problems)
        self._show_problems(routed)
        if loose:
            self.notify("\n".join(loose), title="Not saved", severity="error", markup=False)
        elif routed:
            self.notify("Fix the fields marked in red; nothing was saved", severity="warning")

    def _done(self, saved: InteractionRead) -> None:
        app = app_of(self)
        app.drafts.discard(self.draft_key)
        self._baseline = self.current()
        verb = "Logged" if self.interaction_id is None else "Saved"
        self.notify(f"{verb} “{saved.title}”", markup=False)
        self.dismiss_form()
        if self.interaction_id is None:
            app.open_interaction(saved.id)

    # --- leaving ------------------------------------------------------------------------

    def dismiss_form(self) -> None:
        if self.is_current:
            self.app.pop_screen()

    @on(Button.Pressed, "#leave")
    def action_back(self) -> None:
        if not self.dirty:
            app_of(self).drafts.discard(self.draft_key)
            self.dismiss_form()
            return
        from tui.screens.dialogs import leave_dialog

        def answered(choice: str | None) -> None:
            if choice == "keep":
                self.keep_draft()
                self.notify("Draft kept; it will be offered back next time")
                self.dismiss_form()
            elif choice == "discard":
                app_of(self).drafts.discard(self.draft_key)
                self.dismiss_form()

        self.app.push_screen(leave_dialog(), answered)

    def action_add_follow_up(self) -> None:
        self.query_one(FollowUpEditor).add_row()
