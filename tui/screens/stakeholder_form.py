"""Adding a stakeholder (also inline, from the interaction form) or editing one.

A new stakeholder whose name looks like one already recorded (the library's duplicate test) is
saved, then the form offers to merge it into that one (:mod:`tui.screens.merge`, the user
chooses which is kept), to open the existing one instead (both stay; its page offers the merge),
or to keep both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.worker import Worker

from engagement.vocab import StakeholderKind
from tui.support import report_failure, split_names, split_tags, tracker_of
from tui.widgets.form_row import row, select_options
from tui.widgets.suggest import SuggestField, Suggestion

if TYPE_CHECKING:
    from engagement.schemas import StakeholderProfile, StakeholderRead


class StakeholderFormScreen(ModalScreen["StakeholderRead | None"]):
    """Returns the stakeholder as saved, or ``None`` if the user backed out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self,
        *,
        name: str = "",
        existing: StakeholderRead | None = None,
        standalone: bool = False,
        id: str | None = None,
    ) -> None:
        """``standalone``: opened for its own sake (not to fill in another form), so choosing
        the existing one of a likely duplicate opens its page."""
        super().__init__(id=id)
        self._name = existing.name if existing else name
        self._existing = existing
        self._standalone = standalone

    def compose(self) -> ComposeResult:
        existing = self._existing
        kinds = select_options(StakeholderKind)
        with Vertical(classes="dialog wide-dialog"):
            title = f"Edit {existing.name}" if existing else "New stakeholder"
            yield Label(Text(title), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield from row("Name", Input(self._name, id="sh-name", compact=True))
                kind = existing.kind.value if existing else Select.NULL
                yield from row(
                    "Kind",
                    Select(kinds, prompt="choose a kind", value=kind, id="sh-kind", compact=True),
                )
                country = (existing.country or "") if existing else ""
                yield from row(
                    "Country",
                    Input(country, placeholder="RU, Belarus…", id="sh-country", compact=True),
                )
                yield from row(
                    "Part of",
                    SuggestField(
                        self._parents,
                        value=(existing.parent or "") if existing else "",
                        placeholder="parent organisation (optional)",
                        keep_text=True,
                        id="sh-parent",
                    ),
                )
                aliases = ", ".join(existing.aliases) if existing else ""
                yield from row(
                    "Aliases",
                    Input(
                        aliases,
                        placeholder="comma-separated: RRC, РКК",
                        id="sh-aliases",
                        compact=True,
                    ),
                )
                for field, label in (("influence", "Influence"), ("interest", "Interest")):
                    score = getattr(existing, field) if existing else None
                    yield from row(
                        label,
                        Input(
                            "" if score is None else str(score),
                            placeholder="1 (low) to 5 (high), for the stakeholder map",
                            id=f"sh-{field}",
                            compact=True,
                        ),
                    )
                tags = " ".join(existing.tags) if existing else ""
                yield from row("Tags", Input(tags, placeholder="tags", id="sh-tags", compact=True))
                notes = existing.notes if existing else ""
                yield from row("Notes", TextArea(notes, id="sh-notes", compact=True), tall=True)
                yield Static("", id="sh-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", id="sh-save", variant="primary", compact=True)
                yield Button("Cancel  esc", id="sh-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#sh-kind" if self._name else "#sh-name").focus()

    def _parents(self, text: str) -> list[Suggestion]:
        page = tracker_of(self).find_stakeholders(text, limit=6)
        return [Suggestion(item.name, item.name, item.kind.value) for item in page.items]

    def _fields(self) -> dict[str, Any]:
        kind = self.query_one("#sh-kind", Select).value
        return {
            "name": self.query_one("#sh-name", Input).value.strip(),
            "kind": None if kind is Select.NULL else str(kind),
            "country": self.query_one("#sh-country", Input).value.strip() or None,
            "parent": self.query_one("#sh-parent", SuggestField).value.strip() or None,
            "aliases": split_names(self.query_one("#sh-aliases", Input).value),
            "tags": split_tags(self.query_one("#sh-tags", Input).value),
            "notes": self.query_one("#sh-notes", TextArea).text,
            "influence": _score(self.query_one("#sh-influence", Input).value),
            "interest": _score(self.query_one("#sh-interest", Input).value),
        }

    @on(Button.Pressed, "#sh-save")
    def action_save(self) -> None:
        fields = self._fields()
        error = self.query_one("#sh-error", Static)
        if not fields["name"]:
            error.update("name: a name is needed")
            self.query_one("#sh-name").focus()
            return
        if fields["kind"] is None:
            error.update("kind: choose what kind of stakeholder this is")
            self.query_one("#sh-kind").focus()
            return
        error.update("")
        self._save(fields)

    @work(thread=True, exclusive=True, group="stakeholder-save", exit_on_error=False)
    def _save(self, fields: dict[str, Any]) -> None:
        tracker = tracker_of(self)
        existing = self._existing
        if existing is None:
            saved = tracker.add_stakeholder(**fields)
            duplicates = tracker.duplicates_of(f"#{saved.id}", limit=1)
            if duplicates:
                pair = duplicates[0]
                other = pair.keep_id if pair.drop_id == saved.id else pair.drop_id
                mine = tracker.stakeholder_profile(f"#{saved.id}")
                theirs = tracker.stakeholder_profile(f"#{other}")
                self.app.call_from_thread(self._offer_existing, mine, theirs)
                return
        else:
            from engagement.errors import ConcurrentEdit

            aliases = [alias for alias in fields["aliases"] if alias not in existing.aliases]
            changes = {
                key: value
                for key, value in fields.items()
                if key != "aliases" and value != _current(existing, key)
            }
            if changes:
                try:
                    tracker.update_stakeholder(
                        f"#{existing.id}", expected_version=existing.version, **changes
                    )
                except ConcurrentEdit:
                    fresh = tracker.get_stakeholder(f"#{existing.id}")
                    self.app.call_from_thread(self._on_conflict, fields, fresh)
                    return
            for alias in aliases:
                tracker.add_alias(f"#{existing.id}", alias)
            saved = tracker.get_stakeholder(f"#{existing.id}")
        self.app.call_from_thread(self.dismiss, saved)

    def _on_conflict(self, fields: dict[str, Any], fresh: StakeholderRead) -> None:
        """Someone saved this stakeholder meanwhile: reload theirs into the form, overwrite it
        with the fields changed here (theirs stay for the others), or keep editing."""
        from tui.screens.dialogs import conflict_dialog

        existing = self._existing
        assert existing is not None

        def answered(choice: str | None) -> None:
            if choice == "reload":
                self._existing = fresh
                self._fill(fresh)
            elif choice == "overwrite":
                self._existing = existing.model_copy(update={"version": fresh.version})
                self._save(fields)

        self.app.push_screen(
            conflict_dialog(existing.version, fresh.version, "stakeholder"), answered
        )

    def _fill(self, stakeholder: StakeholderRead) -> None:
        self.query_one("#sh-name", Input).value = stakeholder.name
        self.query_one("#sh-kind", Select).value = stakeholder.kind.value
        self.query_one("#sh-country", Input).value = stakeholder.country or ""
        self.query_one("#sh-parent", SuggestField).value = stakeholder.parent or ""
        self.query_one("#sh-aliases", Input).value = ", ".join(stakeholder.aliases)
        for field in ("influence", "interest"):
            score = getattr(stakeholder, field)
            self.query_one(f"#sh-{field}", Input).value = "" if score is None else str(score)
        self.query_one("#sh-tags", Input).value = " ".join(stakeholder.tags)
        self.query_one("#sh-notes", TextArea).text = stakeholder.notes
        self.query_one("#sh-error", Static).update("")

    def _offer_existing(self, mine: StakeholderProfile, theirs: StakeholderProfile) -> None:
        """The new stakeholder looks like ``theirs``: merge, use theirs, or keep both."""
        from tui.screens.dialogs import ChoiceDialog

        message = Text("“")
        message.append(mine.name)
        message.append("” was saved, and it looks like “")
        message.append(theirs.name)
        message.append(f"” ({theirs.kind.value.replace('_', ' ')}")
        message.append(f", {theirs.country}" if theirs.country else "")
        message.append(f", {theirs.interaction_count} interactions), recorded already.")

        def answered(choice: str | None) -> None:
            if choice == "merge":
                self._ask_merge(theirs, mine)
            elif choice == "open":
                self.dismiss(theirs)
                self.app.notify(
                    f"“{mine.name}” was kept too: M on “{theirs.name}”'s page merges them.",
                    markup=False,
                )
                if self._standalone:
                    self.app.open_stakeholder(f"#{theirs.id}")  # type: ignore[attr-defined]
            else:
                self.dismiss(mine)

        self.app.push_screen(
            ChoiceDialog(
                "Possible duplicate",
                message,
                [
                    ("merge", "Merge…", "warning"),
                    ("open", "Open existing", "primary"),
                    ("both", "Keep both", "default"),
                ],
                cancel_key="both",
                id="duplicate-offer",
            ),
            answered,
        )

    def _ask_merge(self, keep: StakeholderProfile, drop: StakeholderProfile) -> None:
        from tui.screens.merge import MergeDialog

        def answered(answer: tuple[StakeholderProfile, StakeholderProfile] | None) -> None:
            if answer is None:
                self.dismiss(drop)  # nothing merged: the new one was saved, as asked
            else:
                self._merge(*answer)

        self.app.push_screen(MergeDialog(keep, drop), answered)

    @work(thread=True, exclusive=True, group="stakeholder-save", exit_on_error=False)
    def _merge(self, keep: StakeholderProfile, drop: StakeholderProfile) -> None:
        tracker = tracker_of(self)
        tracker.merge_stakeholders(
            f"#{keep.id}", f"#{drop.id}", keep_version=keep.version, drop_version=drop.version
        )
        kept = tracker.get_stakeholder(f"#{keep.id}")
        self.app.call_from_thread(
            self.app.notify,
            f"Merged “{drop.name}” into “{keep.name}” (U on its page undoes it)",
            title="Merged",
            markup=False,
        )
        self.app.call_from_thread(self.dismiss, kept)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.error is not None:
            self.query_one("#sh-error", Static).update(Text(str(event.worker.error)))
        report_failure(self, event, "Not saved")

    @on(Button.Pressed, "#sh-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _score(text: str) -> int | str | None:
    """An empty box clears the score; anything but a number goes to the library as typed, which
    refuses it with its own message."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


def _current(existing: StakeholderRead, key: str) -> Any:
    value = getattr(existing, key, None)
    if key == "kind" and value is not None:
        return value.value
    return value
