"""When, until and time zone, parsed as you type, with what was understood shown beside.

People write dates freely ("June 30 to July 8", "tomorrow 15:00"); seeing
"Mon 30 Jun 2025 → Tue 8 Jul 2025 (days)" next to the field while typing is what makes free
text safe. Parsing is the library's own (:func:`engagement.dates.parse_period`), against the
app's clock, so the form and the database agree on what "tomorrow" was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui.support import now_of

if TYPE_CHECKING:
    from engagement.dates import Period


class PeriodField(Vertical):
    """Three inputs (``#when``, ``#until``, ``#timezone``) and the live reading of them."""

    def __init__(
        self, when: str = "", until: str = "", timezone: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._values = (when, until, timezone)

    def compose(self) -> ComposeResult:
        when, until, zone = self._values
        with Horizontal(classes="row"):
            yield Label("When", classes="label")
            yield Input(
                when, placeholder="30 June to 8 July 2025 · tomorrow 15:00", id="when", compact=True
            )
            yield Static("", id="when-parsed", classes="parsed")
        with Horizontal(classes="row"):
            yield Label("Until", classes="label")
            yield Input(until, placeholder="optional: 11:30 · 8 July", id="until", compact=True)
            yield Static("", id="until-note", classes="parsed")
        with Horizontal(classes="row"):
            yield Label("Time zone", classes="label")
            yield Input(zone, placeholder="for times: Europe/Moscow", id="timezone", compact=True)
            yield Static("", id="zone-note", classes="parsed")

    def on_mount(self) -> None:
        self.refresh_reading()

    @property
    def values(self) -> tuple[str, str, str]:
        return (
            self.query_one("#when", Input).value,
            self.query_one("#until", Input).value,
            self.query_one("#timezone", Input).value,
        )

    def set_values(self, when: str, until: str, timezone: str) -> None:
        self.query_one("#when", Input).value = when
        self.query_one("#until", Input).value = until
        self.query_one("#timezone", Input).value = timezone

    def parse(self) -> Period:
        """The period typed, or :class:`~engagement.errors.ValidationFailed` saying why not."""
        from engagement.dates import parse_period

        when, until, zone = self.values
        return parse_period(when, until or None, timezone=zone.strip() or None, now=now_of(self))

    @on(Input.Changed)
    def _typed(self, _event: Input.Changed) -> None:
        self.refresh_reading()

    def refresh_reading(self) -> str | None:
        """Show the reading beside the field; returns the problem, if any."""
        from engagement.errors import EngagementError

        parsed = self.query_one("#when-parsed", Static)
        when = self.values[0]
        if not when.strip():
            parsed.update(Text("a date is needed", style="dim"))
            parsed.set_class(False, "-error")
            return "when: a date is needed"
        try:
            period = self.parse()
        except EngagementError as error:
            parsed.update(Text(f"✗ {error}"))
            parsed.set_class(True, "-error")
            return str(error)
        parsed.update(Text(f"✓ {period.explain()}"))
        parsed.set_class(False, "-error")
        return None
