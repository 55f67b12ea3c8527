"""The report as Markdown, for pasting into a document or an e-mail.

Text from the log is escaped, so a title such as ``*urgent* [draft]`` or ``<b>`` shows as typed
instead of turning into emphasis, a link, HTML, a table cell, maths or an entity: the characters
that change formatting anywhere in a line are backslash-escaped (CommonMark allows it for any
ASCII punctuation), and so is a first character that could start a list, a quote or a heading.
Ordinary punctuation (full stops, apostrophes, colons) is left alone, so the Markdown stays
readable as plain text.
"""

from __future__ import annotations

import re

from engagement.report import phrasing
from engagement.report.model import ActivityReport, ReportLine, ReportSection

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
_LINE_START = re.compile(r"^(?:([+\-=>])|(\d+)([.)]))")


def escape(text: str) -> str:
    """Literal text in Markdown, on one line.

    >>> escape("*urgent* [draft] <b>")
    '\\\\*urgent\\\\* \\\\[draft\\\\] \\\\<b\\\\>'
    """
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LINE_START.sub(_escape_start, escaped)


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def render(report: ActivityReport) -> str:
    out: list[str] = [f"# {escape(report.title)}", ""]
    out += [
        f"**{escape(report.period)}** · prepared on {phrasing.long_date(report.prepared_on)}",
        "",
    ]
    out += [
        f"> **Confidentiality:** up to *{report.confidentiality_max.value.replace('_', ' ')}*. "
        f"{escape(report.confidentiality_note)}",
        "",
    ]
    out += _facts(report)
    for section in report.sections:
        if not section.empty:
            out += _section(section)
    out += _commitments(report)
    out += _map(report)
    return "\n".join(out).rstrip() + "\n"


def _commitments(report: ActivityReport) -> list[str]:
    part = report.commitments
    if part.empty:
        return []
    out = ["## Commitments", ""]
    for heading, lines in (
        ("Made in the period", part.opened),
        ("Kept", part.kept),
        ("Overdue", part.overdue),
    ):
        if lines:
            out += [f"### {heading}", ""]
            out += [f"- {escape(line.sentence)}" for line in lines]
            out.append("")
    return out


def _facts(report: ActivityReport) -> list[str]:
    facts = report.facts
    out = ["## Facts and figures", ""]
    summarised = f" ({facts.summarised} summarised without detail)" if facts.summarised else ""
    out.append(f"- **{facts.interactions}** interactions{summarised}")
    out.append(f"- **{facts.stakeholders}** distinct stakeholders")
    new = f": {', '.join(escape(name) for name in facts.first_time)}" if facts.first_time else ""
    out.append(f"- **{len(facts.first_time)}** engaged for the first time{new}")
    out.append(f"- **{facts.events_attended}** events attended")
    out.append(
        f"- **{facts.follow_ups_opened}** follow-ups opened, **{facts.follow_ups_closed}** closed"
    )
    out.append(
        f"- **{facts.commitments_opened}** commitments made, **{facts.commitments_kept}** kept, "
        f"**{facts.commitments_overdue}** overdue"
    )
    out.append("")
    if facts.by_kind:
        out += ["| Kind | Interactions |", "| --- | ---: |"]
        out += [f"| {escape(row.label)} | {row.count} |" for row in facts.by_kind]
        out.append("")
    if facts.by_section:
        out += ["| Section | Interactions | Stakeholders |", "| --- | ---: | ---: |"]
        out += [
            f"| {escape(row.heading)} | {row.interactions} | {row.stakeholders} |"
            for row in facts.by_section
        ]
        out.append("")
    return out


def _section(section: ReportSection) -> list[str]:
    out = [f"## {escape(section.heading)}", ""]
    for group in section.groups:
        level = "###"
        if group.heading:
            out += [f"### {escape(group.heading)}", ""]
            level = "####"
        for entry in group.entries:
            out += [f"{level} {escape(entry.name)}", ""]
            out += [_line(line) for line in entry.lines]
            out.append("")
    for paragraph in section.paragraphs:
        out += [escape(paragraph), ""]
    return out


def _line(line: ReportLine) -> str:
    text = f"- {escape(line.text)}"
    if line.detail:
        text += f"  \n  {escape(line.detail)}"
    return text


def _map(report: ActivityReport) -> list[str]:
    grid = report.stakeholder_map
    scored = [item for quadrant in grid.quadrants for item in quadrant.stakeholders]
    if not scored:
        return []
    out = ["## Stakeholder map", ""]
    out.append(
        f"Influence and interest from 1 to 5, shown as influence/interest; "
        f"{grid.threshold} and above count as high."
    )
    out.append("")
    for quadrant in grid.quadrants:
        names = [
            f"{escape(item.name)} ({item.influence}/{item.interest})"
            + ("" if item.engaged is not False else " — not engaged in this period")
            for item in quadrant.stakeholders
        ]
        out.append(
            f"- **{quadrant.name}** ({quadrant.influence} influence, {quadrant.interest} "
            f"interest): {'; '.join(names) if names else 'none'}"
        )
    out.append("")
    return out
