"""Quick-add: one typed line becomes an interaction.

Staff log a meeting the way they would jot it down, and the markers say what each word is::

    Meeting with @Moskalkova on POW exchanges #pow #missing 2025-07-01 10:00 Europe/Moscow
    !confidential

==================  =====================================================================
``@name``           a stakeholder (``@"Pavel Savchuk"`` or ``@“…”`` for names with spaces);
                    the name stays in the title as written, without the ``@``
``#tag``            a tag (removed from the title)
``!level``          confidentiality: ``!public``, ``!internal``, ``!confidential``,
                    ``!strictly_confidential`` — any unambiguous prefix (``!conf``, ``!strict``)
``+kind``           the kind (``+call``, ``+visit``, …) or the status (``+planned``, ``+held``,
                    ``+cancelled``), any unambiguous prefix; without one, a first word that is a
                    kind ("Meeting …", "Call …") sets it, else it is a meeting
``~format``         the meeting format: ``~bilateral``, ``~multilateral``, ``~sidelines``,
                    ``~visit``, ``~phone``, ``~video`` — any unambiguous prefix (``~bi``)
``at "place"``      the location (quoted, so that "at 10:00" stays a time)
a date              the longest run of words that reads as a date, time or range
                    ("2025-07-01 10:00 Europe/Moscow", "June 30 to July 8 2025", "tomorrow 15:00");
                    it must contain a digit or today/tomorrow/yesterday, or follow "on", "in",
                    "from", "since" or "during" ("on Thursday", "in May"), so that a word like
                    "May" in a title is never taken for a month. No date at all means today.
the rest            the title ("Meeting with …" if only names are left)
==================  =====================================================================

The parse is pure (no database): front ends show what was understood before anything is saved,
then resolve the names with :meth:`engagement.tracker.Tracker.resolve_stakeholder`.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> now = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
>>> line = 'Call with @"Pavel Savchuk" about RFL #rfl tomorrow 15:00 Europe/Moscow !conf'
>>> parsed = parse_quick_add(line, now=now)
>>> parsed.title, parsed.stakeholders, parsed.tags, parsed.kind.value
('Call with Pavel Savchuk about RFL', ('Pavel Savchuk',), ('rfl',), 'call')
>>> parsed.period.explain(), parsed.confidentiality.value
('Tue 2 Sep 2025 15:00 Europe/Moscow (datetime)', 'confidential')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from engagement.dates import Period, parse_period
from engagement.errors import ValidationFailed
from engagement.vocab import (
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    MeetingFormat,
    Precision,
)

E = TypeVar("E", bound=StrEnum)

_TOKEN = re.compile(
    r"""
      @(?:"(?P<mention_q>[^"]+)"|“(?P<mention_c>[^”]+)”|(?P<mention>[^\s"“#!@]+))
      (?P<tail>[,.;:!?)]*)
    | \#(?P<tag>[^\s#!@"]+)
    | !(?P<level>[A-Za-z][A-Za-z_-]*)(?=[\s,.;]|$)
    | \+(?P<kind>[A-Za-z][A-Za-z_-]*)(?=[\s,.;]|$)
    | ~(?P<format>[A-Za-z][A-Za-z_-]*)(?=[\s,.;]|$)
    | (?i:at)\s+(?:"(?P<place_q>[^"]+)"|“(?P<place_c>[^”]+)”)
    | (?P<word>\S+)
    """,
    re.VERBOSE,
)
_TRAILING = ",.;:!?)"
_DIGIT = re.compile(r"\d")
_RELATIVE = {"today", "tomorrow", "yesterday"}
# "on Thursday", "in May": a leading preposition marks a date even without digits.
_DATE_PREPOSITIONS = {"on", "in", "during", "since", "from"}
# Words that dateutil skips over, so a date run must not start or end with them ("Report of
# 1 July" keeps "of"); "on"/"from"/"since" may lead a date, they read naturally there.
_SKIPPED_AT_START = {"and", "of", "the", "a", "ad", "m", "t", "st", "nd", "rd", "th"}
_SKIPPED_AT_END = _SKIPPED_AT_START | {"at", "on", "from", "in", "since", "to", "until"}
_MAX_DATE_WORDS = 9
_MAX_INPUT = 2000


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add line says; ``log_arguments()`` feeds ``Tracker.log_interaction``."""

    title: str
    stakeholders: tuple[str, ...]
    tags: tuple[str, ...]
    kind: InteractionKind
    status: InteractionStatus | None
    confidentiality: Confidentiality
    period: Period
    date_text: str
    location: str = ""
    meeting_format: MeetingFormat | None = None

    @property
    def date_assumed(self) -> bool:
        """No date was written: the interaction is logged for today."""
        return not self.date_text

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) pairs to show what was understood before saving."""
        when = self.period.explain() + (" — no date given, so today" if self.date_assumed else "")
        rows = [
            ("Title", self.title),
            ("With", ", ".join(self.stakeholders)),
            ("When", when),
            ("Kind", self.kind.value),
        ]
        if self.status is not None:
            rows.append(("Status", self.status.value))
        rows.append(("Tags", " ".join(f"#{tag}" for tag in self.tags) or "—"))
        rows.append(("Confidentiality", self.confidentiality.value))
        if self.location:
            rows.append(("Location", self.location))
        if self.meeting_format is not None:
            rows.append(("Format", self.meeting_format.value))
        return rows

    def log_arguments(self, names: list[str] | None = None) -> dict[str, Any]:
        """Keyword arguments for ``Tracker.log_interaction``; ``names`` replaces the mentions
        once the front end has resolved them (e.g. to ``#<id>``)."""
        when, until, zone = period_inputs(self.period)
        arguments: dict[str, Any] = {
            "title": self.title,
            "with_": list(names if names is not None else self.stakeholders),
            "when": when,
            "until": until,
            "timezone": zone,
            "kind": self.kind.value,
            "tags": list(self.tags),
            "confidentiality": self.confidentiality.value,
            "location": self.location,
        }
        if self.status is not None:
            arguments["status"] = self.status.value
        if self.meeting_format is not None:
            arguments["meeting_format"] = self.meeting_format.value
        return arguments


def period_inputs(period: Period) -> tuple[str, str | None, str | None]:
    """``when``, ``until`` and ``timezone`` text that parses back to exactly ``period``.

    A period parsed against one clock ("tomorrow") must not be re-read later against another,
    and an ISO offset would lose the zone's name, so timed ends are written as local wall time
    plus the zone.
    """

    def text(value: Any) -> str:
        if period.precision is Precision.MONTH:
            return f"{value:%Y-%m}"
        if period.precision is Precision.DAY:
            return f"{value:%Y-%m-%d}"
        return f"{value:%Y-%m-%d %H:%M:%S}" if value.second else f"{value:%Y-%m-%d %H:%M}"

    until = None if period.end is None else text(period.end)
    zone = period.timezone if period.precision is Precision.DATETIME else None
    return text(period.start), until, zone


def parse_quick_add(text: str, *, now: datetime) -> QuickAdd:
    """Read one quick-add line; ``now`` anchors "today", "tomorrow" and dates without a year.

    Raises :class:`ValidationFailed` naming what is wrong (no stakeholder, an unknown
    ``!level`` or ``+kind``, a date that cannot be read). A line of names and markers only gets
    a title of its own ("Meeting with RRC").
    """
    line = " ".join(text.split())
    if not line:
        raise ValidationFailed("quick-add", text, "is empty; type e.g. 'Call with @RRC #rfl'")
    if len(line) > _MAX_INPUT:
        raise ValidationFailed("quick-add", line[:40] + "…", "is too long for one line")
    tokens = [_Token.of(match) for match in _TOKEN.finditer(line)]
    names: list[str] = []
    tags: list[str] = []
    levels: list[Confidentiality] = []
    kinds: list[InteractionKind] = []
    statuses: list[InteractionStatus] = []
    places: list[str] = []
    formats: list[MeetingFormat] = []
    for token in tokens:
        if token.role == "mention":
            names.append(token.value)
        elif token.role == "tag":
            tags.append(token.value.casefold())
        elif token.role == "level":
            levels.append(_pick(Confidentiality, token.value, "!", "confidentiality"))
        elif token.role == "kind":
            kinds_or_status = _kind_or_status(token.value)
            if isinstance(kinds_or_status, InteractionKind):
                kinds.append(kinds_or_status)
            else:
                statuses.append(kinds_or_status)
        elif token.role == "place":
            places.append(token.value)
        elif token.role == "format":
            formats.append(_pick(MeetingFormat, token.value, "~", "format"))
    for label, values in (
        ("+kind", kinds),
        ("+status", statuses),
        ("!level", levels),
        ("~format", formats),
    ):
        if len(set(values)) > 1:
            shown = ", ".join(str(value) for value in dict.fromkeys(values))
            raise ValidationFailed(label, shown, "is given more than once; keep one")
    if not names:
        raise ValidationFailed(
            "with", line, 'names no stakeholder; mention one with @Name or @"Full Name"'
        )
    period, span = _find_period(tokens, now)
    kept = [token for index, token in enumerate(tokens) if index not in span]
    title = _title(kept)
    kind = kinds[0] if kinds else _kind_from_title(title)
    if not any(token.role == "word" for token in kept):
        # Only names were written: "@RRC #pow" is a meeting with the RRC.
        title = f"{kind.value.capitalize()} with {', '.join(dict.fromkeys(names))}"
    return QuickAdd(
        title=title,
        stakeholders=tuple(dict.fromkeys(names)),
        tags=tuple(dict.fromkeys(tag for tag in tags if tag)),
        kind=kind,
        status=statuses[0] if statuses else None,
        confidentiality=levels[0] if levels else Confidentiality.INTERNAL,
        period=period,
        date_text=" ".join(tokens[index].raw for index in sorted(span)),
        location=" ".join(places),
        meeting_format=formats[0] if formats else None,
    )


@dataclass(frozen=True)
class _Token:
    role: str
    value: str
    raw: str
    tail: str = ""

    @classmethod
    def of(cls, match: re.Match[str]) -> _Token:
        groups = match.groupdict()
        raw = match.group(0)
        tail = groups["tail"] or ""
        for role, keys in (
            ("mention", ("mention_q", "mention_c")),
            ("place", ("place_q", "place_c")),
        ):
            for key in keys:
                if groups[key] is not None:
                    return cls(role, " ".join(groups[key].split()), raw, tail)
        if groups["mention"] is not None:
            value = groups["mention"].rstrip(_TRAILING)
            cut = groups["mention"][len(value) :]
            return cls("mention", value, raw, cut + tail) if value else cls("word", raw, raw)
        if groups["tag"] is not None:
            value = groups["tag"].rstrip(_TRAILING)
            return cls("tag", value, raw) if value else cls("word", raw, raw)
        for role in ("level", "kind", "format"):
            if groups[role] is not None:
                return cls(role, groups[role], raw)
        return cls("word", raw, raw)

    @property
    def title_text(self) -> str | None:
        """How the token reads in the title: names stay (without '@'), markers go."""
        if self.role == "word":
            return self.raw
        if self.role == "mention":
            return self.value + self.tail
        return None


def _find_period(tokens: list[_Token], now: datetime) -> tuple[Period, set[int]]:
    """The longest run of plain words that reads as a date (rightmost on ties)."""
    words = [index for index, token in enumerate(tokens) if token.role == "word"]
    runs: list[list[int]] = []
    for index in words:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    first_error: ValidationFailed | None = None
    for length in range(min(_MAX_DATE_WORDS, max((len(run) for run in runs), default=0)), 0, -1):
        for run in reversed(runs):
            for start in range(len(run) - length, -1, -1):
                span = run[start : start + length]
                words_in_span = [tokens[index].raw for index in span]
                if not _could_be_date(words_in_span):
                    continue
                try:
                    return _parse_date_words(words_in_span, now), set(span)
                except ValidationFailed as error:
                    if length == 1 and first_error is None and _looks_like_date(words_in_span[0]):
                        first_error = error
    if first_error is not None:
        raise first_error
    return parse_period(now.date().isoformat(), now=now), set()


def _parse_date_words(words: list[str], now: datetime) -> Period:
    """A zone written last applies to both ends of a range ("15:00 to 16:30 Europe/Moscow")."""
    last = words[-1]
    zone_like = "/" in last or last.upper() in {"UTC", "GMT"}
    if len(words) > 1 and zone_like and not re.fullmatch(r"[\d/.\-]+", last):
        return parse_period(" ".join(words[:-1]), timezone=last, now=now)
    return parse_period(" ".join(words), now=now)


def _could_be_date(words: list[str]) -> bool:
    first, last = words[0].casefold(), words[-1].casefold()
    if first in _SKIPPED_AT_START or last in _SKIPPED_AT_END:
        return False
    if first in _DATE_PREPOSITIONS and len(words) > 1:
        return True
    return any(_DIGIT.search(word) or word.casefold() in _RELATIVE for word in words)


def _looks_like_date(word: str) -> bool:
    """A lone word that was surely meant as a date, so its parse error is worth showing."""
    return bool(re.fullmatch(r"\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?", word))


def _title(tokens: list[_Token]) -> str:
    parts = [text for token in tokens if (text := token.title_text) is not None]
    title = " ".join(parts)
    return title.strip(" -–—,;:").strip()


def _kind_from_title(title: str) -> InteractionKind:
    first = title.split(None, 1)[0].casefold().rstrip(_TRAILING)
    for kind in InteractionKind:
        if first == kind.value:
            return kind
    return InteractionKind.MEETING


def _kind_or_status(word: str) -> InteractionKind | InteractionStatus:
    key = _key(word)
    options: dict[str, InteractionKind | InteractionStatus] = {
        **{kind.value: kind for kind in InteractionKind},
        **{status.value: status for status in InteractionStatus},
    }
    if key in options:
        return options[key]
    matches = [value for name, value in options.items() if name.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(f"+{name}" for name in options)
    if matches:
        which = " or ".join(f"+{value.value}" for value in matches)
        raise ValidationFailed("+kind", f"+{word}", f"could be {which}; type more letters")
    raise ValidationFailed("+kind", f"+{word}", f"is not a kind or status; use one of {listed}")


def _pick(enum: type[E], word: str, marker: str, field: str) -> E:
    key = _key(word)
    members = list(enum)
    exact = [member for member in members if member.value == key]
    matches = exact or [member for member in members if member.value.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(f"{marker}{member.value}" for member in members)
    if matches:
        which = " or ".join(f"{marker}{member.value}" for member in matches)
        raise ValidationFailed(field, f"{marker}{word}", f"could be {which}; type more letters")
    raise ValidationFailed(field, f"{marker}{word}", f"is not one of {listed}")


def _key(word: str) -> str:
    return word.strip().casefold().replace("-", "_")
