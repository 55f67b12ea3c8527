"""Cleaning text on the way in, and turning validation failures into one readable error."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from engagement.dates import parse_date
from engagement.errors import InvalidInput, ValidationFailed

M = TypeVar("M", bound=BaseModel)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\u2028\u2029]+")


_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PLAIN_TAG = re.compile(r"[a-z0-9][a-z0-9-]*")
_is_normalized = unicodedata.is_normalized


def clean_line(value: Any) -> Any:
    """One line of text: no control characters, no line breaks, single spaces at the ends."""
    if not isinstance(value, str):
        return value
    # Most text is already clean; saying so costs two C calls instead of four passes (bulk
    # imports clean millions of values). A printable string holds no control character, no
    # line break and no bidirectional mark, and no whitespace other than the plain space.
    if (
        value.isprintable()
        and _is_normalized("NFC", value)
        and not value.startswith(" ")
        and not value.endswith(" ")
    ):
        return value
    text = unicodedata.normalize("NFC", value)
    text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub("", text).strip()


def clean_text(value: Any) -> Any:
    """Free text: keeps line breaks and tabs, drops every other control character."""
    if not isinstance(value, str):
        return value
    text = value if _is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _TEXT_CONTROL.search(text) is not None:
        text = _TEXT_CONTROL.sub("", text)
    return text.strip()


def clean_tag(value: Any) -> Any:
    """Tags are compared loosely: '#POW', 'pow' and ' Pow ' are one tag."""
    if not isinstance(value, str):
        return value
    if _PLAIN_TAG.fullmatch(value) is not None:
        return value  # already in its folded form (the common case)
    text = clean_line(value).lstrip("#").strip().casefold()
    return re.sub(r"\s+", "-", text)


def _date_input(field: str, *, end_of_month: bool = False) -> BeforeValidator:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            return parse_date(value, field=field, end_of_month=end_of_month)
        return value

    return BeforeValidator(convert)


Line = Annotated[str, BeforeValidator(clean_line)]
Text = Annotated[str, BeforeValidator(clean_text)]
Name = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=300)]
Tag = Annotated[str, BeforeValidator(clean_tag), Field(min_length=1, max_length=64)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


def clean_name(value: str, *, field: str) -> str:
    """A single name (an alias, say) cleaned and checked like a stakeholder's name."""
    cleaned = clean_line(value)
    if not isinstance(cleaned, str) or not cleaned:
        raise ValidationFailed(field, value, "is empty")
    if len(cleaned) > 300:
        raise ValidationFailed(field, cleaned[:40] + "…", "is longer than 300 characters")
    return cleaned


def validated(model: type[M], data: Any) -> M:
    """Validate ``data`` as ``model``; failures become one readable :class:`InvalidInput`."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput.from_problems(_problems(error)) from None


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        parts = [part for part in item["loc"] if part != "__root__"]
        context = item.get("ctx") or {}
        cause = context.get("error")
        if isinstance(cause, ValidationFailed):
            # The validator knows the name the user typed (--repeat, --due); keep the
            # position inside a list, drop the internal field name it replaces.
            if parts and not isinstance(parts[-1], int):
                parts = parts[:-1]
            label = _location([*parts, cause.field])
            shown = repr(cause.value) if isinstance(cause.value, str) else str(cause.value)
            problems.append(f"{label}: {shown} {cause.problem}")
            continue
        value = item.get("input")
        label = _location(parts) or "input"
        kind = item["type"]
        short = kind in {"string_too_short", "too_short"} and context.get("min_length") == 1
        if short and isinstance(value, str):
            problems.append(f"{label}: is empty; write something")
        elif short:
            problems.append(f"{label}: needs at least one entry")
        elif kind == "missing":
            problems.append(f"{label}: is required")
        else:
            shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{label}: {message}{shown}")
    return problems


def _location(parts: list[int | str]) -> str:
    """'interactions[3].when' for a position in a document; plain 'when' at the top."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
