"""The meeting metadata rows of the interaction form: format (and the event of a sidelines
meeting), languages with the interpreter box, and the attribution rule of the notes.

Three compact rows so that the form stays usable at 80×24; the values are the form's own text
(see :class:`tui.forms.InteractionFields`), turned into library input on save.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from engagement.vocab import Attribution, MeetingFormat
from tui.widgets.form_row import row, select_options


class MeetingFields(Vertical):
    """``values`` is (format, sidelines_of, languages, interpreter, attribution) as typed."""

    DEFAULT_CSS = "MeetingFields { height: auto; }"

    def __init__(
        self,
        meeting_format: str = "",
        sidelines_of: str = "",
        languages: str = "",
        interpreter: bool = False,
        attribution: str = "on_record",
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._start = (meeting_format, sidelines_of, languages, interpreter, attribution)

    def compose(self) -> ComposeResult:
        meeting_format, sidelines_of, languages, interpreter, attribution = self._start
        with Horizontal(classes="row"):
            yield Label("Format", classes="label")
            yield Select(
                select_options(MeetingFormat),
                prompt="not recorded",
                value=meeting_format or Select.NULL,
                id="meeting-format",
                compact=True,
            )
            yield Label("of", classes="label short")
            yield Input(
                sidelines_of, placeholder="event (sidelines)", id="sidelines-of", compact=True
            )
        with Horizontal(classes="row"):
            yield Label("Languages", classes="label")
            yield Input(languages, placeholder="Russian, English", id="languages", compact=True)
            yield Checkbox("interpreter", interpreter, id="interpreter", compact=True)
        yield from row(
            "Attribution",
            Select(
                select_options(Attribution),
                value=attribution or Attribution.ON_RECORD.value,
                allow_blank=False,
                id="attribution",
                compact=True,
            ),
        )

    @property
    def values(self) -> tuple[str, str, str, bool, str]:
        chosen = self.query_one("#meeting-format", Select).value
        return (
            "" if chosen is Select.NULL else str(chosen),
            self.query_one("#sidelines-of", Input).value,
            self.query_one("#languages", Input).value,
            self.query_one("#interpreter", Checkbox).value,
            str(self.query_one("#attribution", Select).value),
        )

    def set_values(
        self,
        meeting_format: str,
        sidelines_of: str,
        languages: str,
        interpreter: bool,
        attribution: str,
    ) -> None:
        self.query_one("#meeting-format", Select).value = meeting_format or Select.NULL
        self.query_one("#sidelines-of", Input).value = sidelines_of
        self.query_one("#languages", Input).value = languages
        self.query_one("#interpreter", Checkbox).value = interpreter
        self.query_one("#attribution", Select).value = attribution or "on_record"
