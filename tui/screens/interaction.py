"""One interaction: every field, its counterparts (each opens its stakeholder), follow-ups
(enter toggles done), and the actions on it: edit, cancel, export to .ics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from engagement.vocab import CommitmentStatus
from tui.screens.base import BaseScreen
from tui.support import app_of
from tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from engagement.schemas import CommitmentRead, InteractionRead


class InteractionScreen(BaseScreen):
    FAILURE_TITLE = "Could not do that"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("c", "cancel_interaction", "Cancel it"),
        Binding("x", "export_one", "Export .ics"),
        Binding("b", "brief", "Brief", tooltip="the brief for this meeting"),
        Binding("r", "reload", "Reload", show=False),
    ]

    @dataclass
    class Loaded(Message):
        interaction: InteractionRead
        commitments: list[CommitmentRead]

    def __init__(self, interaction_id: int) -> None:
        super().__init__()
        self.interaction_id = interaction_id
        self.interaction: InteractionRead | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="interaction-body", classes="loadable"):
            yield Static("", id="interaction-title")
            yield Static("", id="interaction-fields")
            yield Label("Counterparts", classes="panel-title")
            yield OptionList(id="participants")
            yield Label("Follow-ups · enter toggles done", classes="panel-title")
            yield OptionList(id="follow-up-list")
            yield Label("Commitments made here", classes="panel-title", id="commitments-title")
            yield Static("", id="interaction-commitments")
            yield Label("Summary", classes="panel-title")
            yield Static("", id="summary", classes="prose")
            yield Label("Outcome", classes="panel-title")
            yield Static("", id="outcome", classes="prose")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#interaction-body").loading = True
        self.action_reload()
        # The page opens at its top, wherever the list lands once the data is in.
        self.query_one("#participants").focus(scroll_visible=False)

    def on_screen_resume(self) -> None:
        if self.interaction is not None:
            self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="interaction", exit_on_error=False)
    def load(self) -> None:
        self._post_loaded(self.tracker().get_interaction(self.interaction_id))

    def _post_loaded(self, item: InteractionRead) -> None:
        """Send ``item`` with the commitments made at it (from a worker thread)."""
        made = self.tracker().commitments(interaction_id=item.id, statuses=list(CommitmentStatus))
        self.post_message(self.Loaded(item, made))

    def on_interaction_screen_loaded(self, message: Loaded) -> None:
        item = message.interaction
        self.interaction = item
        self.sub_title = f"interaction {item.id}"
        self.query_one("#interaction-body").loading = False
        title = Text(item.title, style="bold")
        if item.status.value == "cancelled":
            title.append("  (cancelled)", style="bold red")
        self.query_one("#interaction-title", Static).update(title)
        fields = Text()
        for label, value in (
            ("When", item.when),
            ("Kind", item.kind.value),
            ("Status", item.status.value),
            ("Location", item.location),
            ("Confidentiality", item.confidentiality.value.replace("_", " ")),
            ("Tags", " ".join(f"#{tag}" for tag in item.tags)),
            ("Format", _format_text(item)),
            ("Languages", _languages_text(item)),
            ("Our delegation", ", ".join(item.staff)),
            ("Their delegation", ", ".join(item.their_delegation)),
            ("Attribution", item.attribution.value.replace("_", " ")),
            ("Repeats", item.recurrence or ""),
            ("Logged by", item.logged_by),
            # The version, not the time of the last save: that stamp comes from the system
            # clock, not the injectable one, and the version is what conflicts are about.
            ("Version", str(item.version)),
        ):
            if value:
                fields.append(f"{label:<17}", style="bold")
                fields.append(f"{value}\n")
        fields.rstrip()
        self.query_one("#interaction-fields", Static).update(fields)
        participants = self.query_one("#participants", OptionList)
        participants.clear_options()
        for index, person in enumerate(item.participants):
            prompt = Text(person.name)
            prompt.append(f"  {person.role.value} · {person.kind.value.replace('_', ' ')}", "dim")
            if person.via_post:
                prompt.append(f" · as {person.via_post}", "dim")
            participants.add_option(Option(prompt, id=f"{index}|#{person.id}"))
        if item.participants:
            participants.highlighted = 0
        follow_ups = self.query_one("#follow-up-list", OptionList)
        highlighted = follow_ups.highlighted
        follow_ups.clear_options()
        for follow_up in item.follow_ups:
            prompt = Text("☑ " if follow_up.done else "☐ ", style="bold")
            prompt.append(follow_up.text, style="dim strike" if follow_up.done else "")
            if follow_up.due:
                late = follow_up.overdue and not follow_up.done
                prompt.append(f"  due {follow_up.due:%d %b %Y}", "bold red" if late else "dim")
            follow_ups.add_option(Option(prompt, id=str(follow_up.id)))
        if not item.follow_ups:
            follow_ups.add_option(Option(Text("none", style="dim"), disabled=True))
        else:
            follow_ups.highlighted = min(highlighted or 0, len(item.follow_ups) - 1)
        notice = _notice(item)
        for key, body in (("summary", item.summary), ("outcome", item.outcome)):
            text = Text()
            if notice and body:
                text.append(notice + "\n", style="bold yellow")
            text.append(body or "—")
            self.query_one(f"#{key}", Static).update(text)
        self._show_commitments(message.commitments)

    @on(OptionList.OptionSelected, "#participants")
    def _open_participant(self, event: OptionList.OptionSelected) -> None:
        app_of(self).open_stakeholder((event.option.id or "").partition("|")[2])

    @on(OptionList.OptionSelected, "#follow-up-list")
    def _toggle_follow_up(self, event: OptionList.OptionSelected) -> None:
        if self.interaction is None or event.option.id is None:
            return
        follow_up_id = int(event.option.id)
        done = next(f.done for f in self.interaction.follow_ups if f.id == follow_up_id)
        self._complete(follow_up_id, not done)

    @work(thread=True, exclusive=True, group="follow-up", exit_on_error=False)
    def _complete(self, follow_up_id: int, done: bool) -> None:
        tracker = self.tracker()
        tracker.complete_follow_up(follow_up_id, done=done)
        self._post_loaded(tracker.get_interaction(self.interaction_id))

    def _show_commitments(self, made: list[CommitmentRead]) -> None:
        """The promises made at this interaction, both ways and whatever their state (the
        dashboard and the stakeholder detail open this screen from a commitment); the part is
        hidden when there are none."""
        text = Text()
        for commitment in made:
            state = "overdue" if commitment.overdue else commitment.status.value.replace("_", " ")
            text.append(f"{commitment.direction} ", style="bold")
            text.append(", ".join(commitment.stakeholders))
            text.append(": ")
            text.append(commitment.text)
            details = [f"due {commitment.due.isoformat()}" if commitment.due else "no date"]
            details += [commitment.owner] if commitment.owner else []
            text.append(f"  {' · '.join(details)} · ", style="dim")
            text.append(state, style="bold red" if commitment.overdue else "dim")
            text.append("\n")
        text.rstrip()
        self.query_one("#interaction-commitments", Static).update(text)
        for widget in ("#commitments-title", "#interaction-commitments"):
            self.query_one(widget).set_class(not made, "-none")

    def action_edit(self) -> None:
        app_of(self).edit_interaction(self.interaction_id)

    def action_cancel_interaction(self) -> None:
        item = self.interaction
        if item is None:
            return
        if item.status.value == "cancelled":
            self.notify("This interaction is already cancelled")
            return
        from tui.screens.dialogs import ChoiceDialog

        def answered(choice: str | None) -> None:
            if choice == "cancel-it":
                self._cancel()

        message = Text("Mark “")
        message.append(item.title)
        message.append("” as cancelled? It stays in the history, struck through.")
        self.app.push_screen(
            ChoiceDialog(
                "Cancel this interaction?",
                message,
                [("cancel-it", "Cancel it", "error"), ("keep", "Keep it", "default")],
                cancel_key="keep",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="interaction-cancel", exit_on_error=False)
    def _cancel(self) -> None:
        cancelled = self.tracker().cancel_interaction(self.interaction_id)
        self._post_loaded(cancelled)
        self.app.call_from_thread(self.notify, "Marked as cancelled")

    def action_export_one(self) -> None:
        from tui.screens.export import ExportScreen

        title = self.interaction.title if self.interaction else f"interaction {self.interaction_id}"
        self.app.push_screen(ExportScreen(interaction_ids=[self.interaction_id], title=title))

    def action_brief(self) -> None:
        app_of(self).open_brief(meeting=self.interaction_id)

    def context_stakeholders(self) -> list[tuple[str, str]]:
        if self.interaction is None:
            return []
        return [(f"#{person.id}", person.name) for person in self.interaction.participants]


def _format_text(item: InteractionRead) -> str:
    if item.meeting_format is None:
        return ""
    if item.sidelines_of:
        return f"{item.meeting_format.value} of {item.sidelines_of}"
    return item.meeting_format.value


def _languages_text(item: InteractionRead) -> str:
    interpreter = "with an interpreter" if item.interpreter else ""
    if not item.languages:
        return interpreter
    return ", ".join(item.languages) + (f" ({interpreter})" if interpreter else "")


def _notice(item: InteractionRead) -> str:
    """The attribution rule above the notes, when they are not on the record."""
    from engagement.attribution import notice

    return notice(item.attribution)
