"""Human and JSON output.

Every value that came from the database is wrapped in ``rich.text.Text`` before it reaches a
table, so text such as ``[bold]`` or ``[/]`` in a name is printed as typed, never interpreted as
markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from engagement.schemas import (
        DormantEntry,
        FollowUpRead,
        InteractionRead,
        SearchHit,
        StakeholderProfile,
        StakeholderRead,
        StatRow,
        Upcoming,
    )


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text("" if value is None else str(value), style=style)


def print_json(value: BaseModel | Sequence[BaseModel]) -> None:
    if isinstance(value, Sequence):
        data: Any = [item.model_dump(mode="json") for item in value]
    else:
        data = value.model_dump(mode="json")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def table(title: str | None, columns: Iterable[str]) -> Table:
    from rich import box
    from rich.table import Table

    result = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    for column in columns:
        result.add_column(column, overflow="fold")
    return result


def kind_label(value: str) -> str:
    return value.replace("_", " ")


def stakeholders_table(items: Sequence[StakeholderRead]) -> None:
    grid = table(None, ["Name", "Kind", "Country", "Parent", "Aliases", "Last contact", "#"])
    for item in items:
        grid.add_row(
            text(item.name, "bold"),
            text(kind_label(item.kind.value)),
            text(item.country or ""),
            text(item.parent or ""),
            text(", ".join(item.aliases)),
            text("ongoing" if item.ongoing else (item.last_contact or "—")),
            text(item.interaction_count),
        )
    out = console()
    out.print(grid)
    out.print(text(f"{len(items)} stakeholder(s)", "dim"))


def profile(item: StakeholderProfile) -> None:
    from rich.text import Text

    out = console()
    out.print(text(item.name, "bold underline"))
    facts: list[tuple[str, str]] = [
        ("Kind", kind_label(item.kind.value)),
        ("Country", item.country or "—"),
        ("Parent", item.parent or "—"),
        ("Aliases", ", ".join(item.aliases) or "—"),
        ("Tags", ", ".join(item.tags) or "—"),
        ("Branches", ", ".join(item.children) or "—"),
        ("Posts", ", ".join(item.posts) or "—"),
        ("First contact", str(item.first_contact or "never")),
        ("Last contact", "ongoing" if item.ongoing else str(item.last_contact or "never")),
        ("Interactions", str(item.interaction_count)),
    ]
    if item.interactions_by_kind:
        facts.append(
            (
                "Last 12 months",
                ", ".join(f"{count} {kind}" for kind, count in item.interactions_by_kind.items()),
            )
        )
    if item.first_time_in_period is not None:
        facts.append(
            (
                "First engaged",
                "in this period" if item.first_time_in_period else "before this period",
            )
        )
    if item.archived:
        facts.append(("Archived", "yes"))
    for label, value in facts:
        line = Text()
        line.append(f"{label:>15}  ", style="dim")
        line.append(value)
        out.print(line)
    if item.notes:
        out.print(Text("\n" + item.notes))
    if item.people:
        grid = table("People", ["Person", "Position", "From", "To"])
        for person in item.people:
            grid.add_row(
                text(person.person),
                text(person.title),
                text(person.start or ""),
                text(person.end or ""),
            )
        out.print(grid)
    if item.positions:
        grid = table("Positions", ["Organisation", "Position", "From", "To"])
        for position in item.positions:
            grid.add_row(
                text(position.organisation),
                text(position.title),
                text(position.start or ""),
                text(position.end or ""),
            )
        out.print(grid)
    if item.post_tenures:
        grid = table("Posts", ["Post", "Holder", "Tenure", "Current"])
        for tenure in item.post_tenures:
            grid.add_row(
                text(tenure.post),
                text(tenure.person),
                text(tenure.period),
                text("yes" if tenure.current else ""),
            )
        out.print(grid)
    if item.open_follow_ups:
        follow_ups_table(item.open_follow_ups, title="Open follow-ups", out=out)


def interaction(item: InteractionRead) -> None:
    from rich.text import Text

    out = console()
    out.print(text(item.title, "bold underline"))
    rows: list[tuple[str, str]] = [
        ("Id", str(item.id)),
        ("When", item.when + (f"  (repeats: {item.recurrence})" if item.recurrence else "")),
        ("Kind", item.kind.value),
        ("Status", item.status.value),
        ("Confidentiality", item.confidentiality.value.replace("_", " ")),
        ("Location", item.location or "—"),
        (
            "Stakeholders",
            "; ".join(
                f"{person.name} ({person.role.value})"
                if person.role.value != "counterpart"
                else person.name
                for person in item.participants
            ),
        ),
        ("Our delegation", ", ".join(item.staff) or "—"),
        ("Their delegation", ", ".join(item.their_delegation) or "—"),
        ("Format", meeting_format_label(item)),
        ("Languages", languages_label(item)),
        ("Attribution", attribution_label(item)),
        ("Tags", ", ".join(item.tags) or "—"),
        ("Logged by", item.logged_by or "—"),
        ("Version", str(item.version)),
    ]
    for label, value in rows:
        line = Text()
        line.append(f"{label:>16}  ", style="dim")
        line.append(value)
        out.print(line)
    notice = attribution_notice(item)
    for label, body in (("Summary", item.summary), ("Outcome", item.outcome)):
        if body:
            out.print(Text(f"\n{label}" + (f" ({notice})" if notice else ""), style="bold"))
            out.print(Text(body))
    if item.follow_ups:
        follow_ups_table(item.follow_ups, title="Follow-ups", out=out, with_interaction=False)


def meeting_format_label(item: InteractionRead) -> str:
    """'sidelines of SPIEF 2025', 'bilateral', or '—' when not recorded."""
    if item.meeting_format is None:
        return "—"
    if item.sidelines_of:
        return f"{item.meeting_format.value} of {item.sidelines_of}"
    return item.meeting_format.value


def languages_label(item: InteractionRead) -> str:
    if not item.languages:
        return "with an interpreter" if item.interpreter else "—"
    return ", ".join(item.languages) + (" (with an interpreter)" if item.interpreter else "")


def attribution_label(item: InteractionRead) -> str:
    return item.attribution.value.replace("_", " ")


def attribution_notice(item: InteractionRead) -> str:
    """What to print next to the notes: nothing when they are on the record."""
    from engagement.vocab import Attribution

    return {
        Attribution.ON_RECORD: "",
        Attribution.CHATHAM_HOUSE: "Chatham House rule: use, do not attribute",
        Attribution.OFF_RECORD: "off the record: not for use outside the database",
    }[item.attribution]


def follow_ups_table(
    items: Sequence[FollowUpRead],
    *,
    title: str,
    out: Console | None = None,
    with_interaction: bool = True,
) -> None:
    columns = ["Id", "Due", "Follow-up", "Owner", "Interaction", "Done"]
    if not with_interaction:
        columns.remove("Interaction")
    grid = table(title, columns)
    for item in items:
        due_style = "bold red" if item.overdue else ""
        cells = [
            text(item.id),
            text(item.due or "—", due_style),
            text(item.text),
            text(item.owner),
            text(item.interaction_title),
            text("yes" if item.done else ("OVERDUE" if item.overdue else ""), due_style),
        ]
        if not with_interaction:
            del cells[4]
        grid.add_row(*cells)
    (out or console()).print(grid)


def history(name: str, items: Sequence[InteractionRead]) -> None:
    out = console()
    if not items:
        out.print(text(f"No interactions with {name} in this period.", "dim"))
        return
    current = None
    grid: Table | None = None
    for item in items:
        month = item.period.first_day().strftime("%B %Y")
        if month != current:
            if grid is not None:
                out.print(grid)
            current = month
            grid = table(
                month,
                ["When", "Kind", "Title", "With", "Location", "Confidentiality", "Id"],
            )
        assert grid is not None
        title_style = "strike dim" if item.status.value == "cancelled" else ""
        grid.add_row(
            text(item.when),
            text(
                item.kind.value
                + ("" if item.meeting_format is None else f", {meeting_format_label(item)}")
            ),
            text(
                item.title + (" (cancelled)" if item.status.value == "cancelled" else ""),
                title_style,
            ),
            text(", ".join(item.stakeholders)),
            text(item.location),
            text(
                item.confidentiality.value.replace("_", " ")
                + ("" if item.attribution.value == "on_record" else f", {attribution_label(item)}")
            ),
            text(item.id, "dim"),
        )
    if grid is not None:
        out.print(grid)
    out.print(text(f"{len(items)} interaction(s)", "dim"))


def upcoming(data: Upcoming, days: int) -> None:
    from engagement.services.history import describe_occurrence

    out = console()
    if data.interactions:
        grid = table(
            f"Next {days} days", ["When", "Kind", "Title", "With", "Location", "Status", "Id"]
        )
        for entry in data.interactions:
            item = entry.interaction
            grid.add_row(
                text(describe_occurrence(item, entry.occurrence)),
                text(item.kind.value),
                text(item.title),
                text(", ".join(item.stakeholders)),
                text(item.location),
                text("recurring" if item.recurrence else item.status.value),
                text(item.id, "dim"),
            )
        out.print(grid)
    else:
        out.print(text(f"Nothing planned in the next {days} days.", "dim"))
    if data.follow_ups:
        follow_ups_table(data.follow_ups, title="Follow-ups due", out=out)


def print_hits_json(hits: Sequence[SearchHit]) -> None:
    data = []
    for hit in hits:
        record = hit.interaction.model_dump(mode="json")
        record["snippet"] = hit.snippet
        record["highlights"] = [list(span) for span in hit.highlights]
        record["score"] = hit.score
        data.append(record)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def hits(query: str, items: Sequence[SearchHit]) -> None:
    from rich.text import Text

    out = console()
    if not items:
        out.print(text(f"Nothing found for {query!r}.", "dim"))
        return
    for hit in items:
        item = hit.interaction
        heading = Text()
        heading.append(item.when, style="cyan")
        heading.append("  ")
        title = Text(item.title, style="bold")
        in_title = hit.snippet == item.title
        if in_title:
            for start, end in hit.highlights:
                title.stylize("reverse", start, end)
        heading.append_text(title)
        marker = "" if item.attribution.value == "on_record" else f", {attribution_label(item)}"
        heading.append(f"  [{item.kind.value}, #{item.id}{marker}]", style="dim")
        out.print(heading)
        if not in_title:
            snippet = Text("    " + hit.snippet)
            for start, end in hit.highlights:
                snippet.stylize("bold reverse", start + 4, end + 4)
            out.print(snippet)
        if item.stakeholders:
            out.print(text("    with " + ", ".join(item.stakeholders), "dim"))
    out.print(text(f"{len(items)} result(s)", "dim"))


def dormant(entries: Sequence[DormantEntry], days: int) -> None:
    out = console()
    if not entries:
        out.print(text(f"Everyone was contacted in the last {days} days.", "dim"))
        return
    grid = table(
        f"No held interaction for {days}+ days",
        ["Stakeholder", "Kind", "Country", "Last contact", "Days"],
    )
    for entry in entries:
        grid.add_row(
            text(entry.stakeholder.name),
            text(kind_label(entry.stakeholder.kind.value)),
            text(entry.stakeholder.country or ""),
            text(entry.last_contact or "never", "" if entry.last_contact else "bold"),
            text("" if entry.days_since is None else entry.days_since),
        )
    out.print(grid)
    out.print(text(f"{len(entries)} stakeholder(s)", "dim"))


def stats(rows: Sequence[StatRow], by: str) -> None:
    grid = table(None, [by.capitalize(), "Interactions", "Stakeholders"])
    for row in rows:
        grid.add_row(text(row.group or "—"), text(row.interactions), text(row.stakeholders))
    console().print(grid)
