"""The fields of the interaction form (:mod:`tui.screens.interaction_form`): laying them out,
reading them into :class:`tui.forms.InteractionFields`, and filling them from one.

Kept apart from the screen, which owns the behaviour (drafts, checks, saving, conflicts): the
three functions here are the only code that knows which widget holds which field.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea

from engagement.vocab import Confidentiality, InteractionKind, InteractionStatus
from tui.forms import InteractionFields
from tui.lookups import TrackerSource, stakeholder_suggestions, tag_suggestions
from tui.widgets.follow_up_editor import FollowUpEditor
from tui.widgets.form_row import error_box, row, select_options
from tui.widgets.meeting_fields import MeetingFields
from tui.widgets.period_field import PeriodField
from tui.widgets.stakeholder_picker import StakeholderPicker
from tui.widgets.suggest import SuggestField

# Every field with a problem box (``#error-<name>``), in the order they stand on the form.
ERROR_FIELDS = (
    "title",
    "kind",
    "period",
    "location",
    "stakeholders",
    "tags",
    "confidentiality",
    "meeting",
    "summary",
    "follow-ups",
)


def compose_fields(start: InteractionFields, tracker: TrackerSource) -> ComposeResult:
    """The fields, each followed by its problem box, filled with ``start``."""
    yield from row(
        "Title", Input(start.title, placeholder="what happened", id="title", compact=True)
    )
    yield error_box("title")
    with Horizontal(classes="row"):
        yield Label("Kind", classes="label")
        yield Select(
            select_options(InteractionKind),
            value=start.kind,
            allow_blank=False,
            id="kind",
            compact=True,
        )
        yield Label("Status", classes="label short")
        yield Select(
            select_options(InteractionStatus),
            prompt="from the date",
            value=start.status or Select.NULL,
            id="status",
            compact=True,
        )
    yield error_box("kind")
    yield PeriodField(start.when, start.until, start.timezone, id="period")
    yield error_box("period")
    yield from row(
        "Location", Input(start.location, placeholder="where", id="location", compact=True)
    )
    yield error_box("location")
    pairs = [(ref, name) for ref, name in start.stakeholders]
    yield from row("With", StakeholderPicker(stakeholder_suggestions(tracker), pairs, id="with"))
    yield error_box("stakeholders")
    yield from row(
        "Tags",
        SuggestField(
            tag_suggestions(tracker),
            value=start.tags,
            placeholder="pow missing",
            tokens=True,
            id="tags",
        ),
    )
    yield error_box("tags")
    yield from row(
        "Confidentiality",
        Select(
            select_options(Confidentiality),
            value=start.confidentiality,
            allow_blank=False,
            id="confidentiality",
            compact=True,
        ),
    )
    yield error_box("confidentiality")
    yield MeetingFields(
        start.meeting_format,
        start.sidelines_of,
        start.languages,
        start.interpreter,
        start.attribution,
        id="meeting",
    )
    yield error_box("meeting")
    yield from row("Notes", TextArea(start.summary, id="summary", compact=True), tall=True)
    yield from row("Outcome", TextArea(start.outcome, id="outcome", compact=True), tall=True)
    yield error_box("summary")
    yield from row("Follow-ups", FollowUpEditor(start.follow_ups, id="follow-ups"))
    yield error_box("follow-ups")


def read_fields(form: Widget) -> InteractionFields:
    """What the fields hold now, as the form's own text."""
    when, until, zone = form.query_one(PeriodField).values
    status = form.query_one("#status", Select).value
    meeting_format, sidelines_of, languages, interpreter, attribution = form.query_one(
        MeetingFields
    ).values
    return InteractionFields(
        title=form.query_one("#title", Input).value,
        kind=str(form.query_one("#kind", Select).value),
        status="" if status is Select.NULL else str(status),
        when=when,
        until=until,
        timezone=zone,
        location=form.query_one("#location", Input).value,
        stakeholders=[[ref, name] for ref, name in form.query_one(StakeholderPicker).chosen],
        tags=form.query_one("#tags", SuggestField).value,
        confidentiality=str(form.query_one("#confidentiality", Select).value),
        summary=form.query_one("#summary", TextArea).text,
        outcome=form.query_one("#outcome", TextArea).text,
        follow_ups=form.query_one(FollowUpEditor).values,
        meeting_format=meeting_format,
        sidelines_of=sidelines_of,
        languages=languages,
        interpreter=interpreter,
        attribution=attribution,
    )


def fill_fields(form: Widget, fields: InteractionFields) -> None:
    """Put ``fields`` into the widgets (a draft offered back, or a reloaded version)."""
    form.query_one("#title", Input).value = fields.title
    form.query_one("#kind", Select).value = fields.kind
    form.query_one("#status", Select).value = fields.status or Select.NULL
    form.query_one(PeriodField).set_values(fields.when, fields.until, fields.timezone)
    form.query_one("#location", Input).value = fields.location
    form.query_one(StakeholderPicker).replace([(r, n) for r, n in fields.stakeholders])
    form.query_one("#tags", SuggestField).value = fields.tags
    form.query_one("#confidentiality", Select).value = fields.confidentiality
    form.query_one("#summary", TextArea).text = fields.summary
    form.query_one("#outcome", TextArea).text = fields.outcome
    form.query_one(FollowUpEditor).replace(fields.follow_ups)
    form.query_one(MeetingFields).set_values(
        fields.meeting_format,
        fields.sidelines_of,
        fields.languages,
        fields.interpreter,
        fields.attribution,
    )


__all__ = ["ERROR_FIELDS", "compose_fields", "fill_fields", "read_fields"]
