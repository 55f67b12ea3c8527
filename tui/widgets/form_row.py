"""The pieces every form is built from: a labelled row, the box under a field where its
problems are shown (hidden while there are none), and the options of a vocabulary select."""

from __future__ import annotations

from enum import Enum

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static


def row(label: str, widget: Widget, *, tall: bool = False) -> ComposeResult:
    """``label`` in the label column, ``widget`` beside it (use inside ``compose``)."""
    with Horizontal(classes="row tall" if tall else "row"):
        yield Label(label, classes="label")
        yield widget


def error_box(name: str) -> Static:
    """``#error-<name>``: the form writes the field's problems here."""
    box = Static("", id=f"error-{name}", classes="field-error")
    box.display = False
    return box


def select_options(vocabulary: type[Enum]) -> list[tuple[str, str]]:
    """(label, value) options for a ``Select`` of a vocabulary: ``on_record`` shows "on record"."""
    return [(str(member.value).replace("_", " "), str(member.value)) for member in vocabulary]
