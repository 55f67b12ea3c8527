"""How the report words things, the way the seed report does.

Dates are written at the precision they were logged with and never more: a month is "In June",
a day "On May 16", two consecutive days "On June 10 and 11" (as the seed writes the Martens
Readings), a longer span "From June 11 to 16" or "From June 30 to July 8", a run of months
"From May to August". The year is left out when it is the report's own year, as in the seed.

>>> from datetime import date
>>> from engagement.dates import parse_period
>>> date_phrase(parse_period("2025-06-10", "2025-06-11"), year=2025)
'On June 10 and 11'
>>> date_phrase(parse_period("2025-06-30", "2025-07-08"), year=2025)
'From June 30 to July 8'
>>> date_phrase(parse_period("2025-05", "2025-08"), year=2025)
'From May to August'
>>> date_phrase(parse_period("2025-12-30", "2026-01-02"), year=2025)
'From December 30, 2025 to January 2, 2026'
>>> join_names(["the MFA", "the MoD", "the Duma"], limit=2)
'the MFA, the MoD and 1 other'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from engagement.dates import Period
from engagement.report.categories import ReportConfig
from engagement.vocab import MONTH_NAMES as MONTHS
from engagement.vocab import InteractionKind, Precision, StakeholderKind

# Last words of names that read with "the": "the Federation Council", "the Trialogue Club".
_GENERIC_ENDINGS = frozenset(
    """academy administration agency assembly association authority bank board branch bureau
    center centre chamber church club commission commissioner committee community council court
    cross department directorate duma embassy federation forum foundation fund government
    group hospital inspectorate institute league mission ministry movement office organisation
    organization parliament party presidency programme prosecutor republic secretariat senate
    service sangha society team tribunal union""".split()
)


# --- dates --------------------------------------------------------------------------------


def report_year(start: date, end: date) -> int | None:
    """The year dates can go without: the report's, when it lies within one year."""
    return start.year if start.year == end.year else None


def date_phrase(period: Period, *, year: int | None) -> str:
    """The period as the seed writes it, starting a sentence ("On May 16", "In June")."""
    first, last = period.first_day(), period.last_day()
    show_year = year is None or first.year != year or last.year != year
    if period.precision is Precision.MONTH:
        if period.end is None or (first.year, first.month) == (last.year, last.month):
            return f"In {_month(first, show_year)}"
        if first.year == last.year:
            suffix = f" {last.year}" if show_year else ""
            return f"From {MONTHS[first.month]} to {MONTHS[last.month]}{suffix}"
        return f"From {_month(first, True)} to {_month(last, True)}"
    if first == last:
        return f"On {_day(first, show_year)}"
    if first.year != last.year:
        return f"From {_day(first, True)} to {_day(last, True)}"
    suffix = f", {first.year}" if show_year else ""
    if first.month == last.month:
        if last - first == timedelta(days=1):
            return f"On {MONTHS[first.month]} {first.day} and {last.day}{suffix}"
        return f"From {MONTHS[first.month]} {first.day} to {last.day}{suffix}"
    return f"From {MONTHS[first.month]} {first.day} to {MONTHS[last.month]} {last.day}{suffix}"


def period_heading(start: date, end: date) -> str:
    """The report's own period with its year: "From May to August 2025"."""
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months:
        period = Period(
            start=start,
            end=None if (start.year, start.month) == (end.year, end.month) else end,
            precision=Precision.MONTH,
        )
    else:
        period = Period(start=start, end=None if end == start else end, precision=Precision.DAY)
    return date_phrase(period, year=None)


def _month(day: date, show_year: bool) -> str:
    return f"{MONTHS[day.month]} {day.year}" if show_year else MONTHS[day.month]


def _day(day: date, show_year: bool) -> str:
    text = f"{MONTHS[day.month]} {day.day}"
    return f"{text}, {day.year}" if show_year else text


def long_date(day: date) -> str:
    """ "1 September 2025" """
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- names --------------------------------------------------------------------------------


def with_article(name: str, kind: StakeholderKind) -> str:
    """ "the Ministry of Defence…", "the Federation Council", but "Tatiana Moskalkova",
    "MGIMO University", "BI.ZONE": names are kept as written, only an article is added."""
    if kind is StakeholderKind.PERSON or name[:4].casefold() == "the ":
        return name
    words = name.split()
    if " of " in name.casefold() or words[-1].casefold().strip(".,") in _GENERIC_ENDINGS:
        return f"the {name}"
    return name


def short_name(name: str, aliases: Sequence[str]) -> str:
    """The longest alias that is a shorter form of the name ("Ministry of Defence" for
    "Ministry of Defence of the Russian Federation"), for sentences that repeat it."""
    words = name.casefold().split()
    best = name
    for alias in aliases:
        alias_words = alias.casefold().split()
        shorter = 2 <= len(alias_words) < len(words) and words[: len(alias_words)] == alias_words
        if shorter and (best == name or len(alias) > len(best)):
            best = alias
    return best


def join_names(names: Sequence[str], *, limit: int | None = None) -> str:
    items = list(dict.fromkeys(names))
    if limit is not None and len(items) > limit:
        rest = len(items) - limit
        return ", ".join(items[:limit]) + f" and {rest} other{'s' if rest != 1 else ''}"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def quoted(title: str) -> str:
    return f"“{title}”"


# --- sentences ----------------------------------------------------------------------------


def interaction_sentence(
    config: ReportConfig,
    *,
    when: str,
    kind: InteractionKind,
    title: str,
    hosts: Sequence[str],
    others: Sequence[str],
    location: str,
    first_time: Sequence[str],
) -> str:
    """ "On May 13, the delegation took part in the meeting “CSTO Working Group on
    Afghanistan”, organised by the Collective Security Treaty Organisation." """
    limit = config.limits.names_per_line
    wording = config.kinds[kind]
    if hosts:
        core = config.hosted.format(
            noun=wording.noun, title=quoted(title), hosts=join_names(hosts, limit=limit)
        )
        if others:
            core += f" with {join_names(others, limit=limit)}"
    else:
        core = wording.phrase.format(
            title=quoted(title), **{"with": join_names(others, limit=limit)}
        )
    text = f"{when}, {config.subject} {core}"
    if location:
        text += f", in {location}"
    everyone = set(hosts) | set(others)
    if first_time and set(first_time) >= everyone:
        return text + ", for the first time."
    text += "."
    if first_time:
        verb = "was" if len(first_time) == 1 else "were"
        who = upper_first(join_names(first_time, limit=limit))
        text += f" {who} {verb} engaged for the first time."
    return text


def recurring_sentence(
    config: ReportConfig,
    *,
    kind: InteractionKind,
    frequency: str,
    names: Sequence[str],
    began: str | None,
) -> str:
    """ "Daily open channels with the Ministry of Defence continued." — or "began on May 20"
    when the channel was opened during the period."""
    adjective = config.recurring.frequencies.get(frequency, "regular")
    noun = config.recurring.noun(kind.value, frequency)
    who = join_names(names, limit=config.limits.names_per_line)
    ending = "continued" if began is None else f"began {lower_first(began)}"
    return f"{upper_first(adjective)} {noun} with {who} {ending}."


def confidential_sentence(name: str, *, regular: bool, bilateral: bool) -> str:
    """Says that a confidential dialogue took place, and nothing of what it was about."""
    kind = "bilateral " if bilateral else ""
    if regular:
        return f"Regular confidential {kind}dialogue with {name} continued in this period."
    return f"A confidential {kind}dialogue with {name} took place in this period."


def more_sentence(config: ReportConfig, counts: dict[InteractionKind, int]) -> str:
    total = sum(counts.values())
    parts = [
        f"{count} {config.kinds[kind].noun if count == 1 else config.kinds[kind].plural}"
        for kind, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].value))
    ]
    noun = "interaction" if total == 1 else "interactions"
    return f"…and {total} more {noun} in this period ({join_names(parts)})."


def more_entries_sentence(stakeholders: int, interactions: int) -> str:
    noun = "stakeholder" if stakeholders == 1 else "stakeholders"
    return f"…and {stakeholders} more {noun}, with {interactions} interactions in all."


def countries_sentence(config: ReportConfig, template: str, countries: Sequence[str]) -> str:
    text = template or "{Subject} engaged with {count} countries: {countries}."
    return text.format(
        Subject=upper_first(config.subject),
        subject=config.subject,
        count=len(countries),
        countries=join_names(countries),
    )


def confidentiality_note(cap_rank: int) -> str:
    """What the cap (by rank: 0 public … 3 strictly confidential) let into the report."""
    notes = [
        "Only public interactions are shown; internal, confidential and strictly "
        "confidential ones are left out.",
        "Public and internal interactions are shown in full; confidential ones are "
        "summarised without detail; strictly confidential ones are left out.",
        "Public, internal and confidential interactions are shown in full; strictly "
        "confidential ones are left out.",
        "Every interaction is shown in full, strictly confidential ones included.",
    ]
    return notes[cap_rank]
