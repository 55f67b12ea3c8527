"""What the stakeholder screen says about a stakeholder: the profile's summary, who and what
is around it, and a post's holders over time (kept apart from the screen, which arranges and
loads them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from engagement.schemas import CommitmentRead, MergeRead, PostShow, StakeholderProfile


def profile_summary(profile: StakeholderProfile) -> Group:
    """The name, what the stakeholder is, and a grid of what is known (empty rows left out)."""
    from engagement.countries import country_name

    text = Text()
    text.append(profile.name, style="bold")
    if profile.archived:
        text.append("  (archived)", style="dim")
    facts = [profile.kind.value.replace("_", " ")]
    if profile.country:
        facts.append(f"{country_name(profile.country)} ({profile.country})")
    count = profile.interaction_count
    facts.append(f"{count} interaction{'s' if count != 1 else ''}")
    text.append("\n" + " · ".join(facts) + "\n", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    first = profile.first_contact.isoformat() if profile.first_contact else "never"
    last = profile.last_contact.isoformat() if profile.last_contact else "never"
    kinds = ", ".join(f"{kind} {n}" for kind, n in profile.interactions_by_kind.items())
    for label, value in (
        ("Also", ", ".join(profile.aliases)),
        ("Part of", profile.parent or ""),
        ("Contact", f"first {first} · last {last}" + (" · ongoing" * profile.ongoing)),
        ("By kind", kinds),
        ("Tags", " ".join(f"#{tag}" for tag in profile.tags)),
        ("Notes", profile.notes),
    ):
        if value:
            grid.add_row(Text(label), Text(value))
    return Group(text, grid)


def related_rows(
    profile: StakeholderProfile, commitments: list[CommitmentRead]
) -> list[tuple[str, str, str]]:
    """The people and things around a stakeholder, most useful first: whom we deal with
    (current post holders, then affiliated people), what is owed both ways and to do, then
    its posts and branches, which can be many. Rows are (key, role, name); the key says what
    a row opens (``s#<id>`` or ``n<name>`` a stakeholder, ``i<id>`` an interaction)."""
    rows: list[tuple[str, str, str]] = []
    if profile.parent_id is not None and profile.parent:
        rows.append((f"s#{profile.parent_id}", "part of", profile.parent))
    kind = profile.kind.value
    holders: set[int] = set()
    for tenure in profile.post_tenures:
        when = tenure.period + ("" if tenure.current else " (former)")
        if kind == "person":
            rows.append((f"s#{tenure.post_id}", f"post, {when}", tenure.post))
        elif kind == "post":
            rows.append((f"s#{tenure.person_id}", f"holder, {when}", tenure.person))
        elif tenure.current:
            since = "" if tenure.start is None else f", {tenure.period}"
            rows.append((f"s#{tenure.person_id}", f"{tenure.post}{since}", tenure.person))
            holders.add(tenure.person_id)
    for person in profile.people:
        if person.current and person.person_id in holders:
            continue  # already listed with the post they hold
        role = person.title + ("" if person.current else " (former)")
        rows.append((f"s#{person.person_id}", role, person.person))
    for position in profile.positions:
        role = position.title + ("" if position.current else " (former)")
        rows.append((f"s#{position.organisation_id}", role, position.organisation))
    for commitment in commitments:  # overdue first
        when = (
            "overdue"
            if commitment.overdue
            else (f"due {commitment.due.isoformat()}" if commitment.due else "no date")
        )
        key = f"i{commitment.interaction_id}" if commitment.interaction_id else "c"
        rows.append((key, f"{commitment.direction}, {when}", commitment.text))
    for follow_up in profile.open_follow_ups:
        due = follow_up.due.isoformat() if follow_up.due else "no date"
        label = "follow-up, overdue" if follow_up.overdue else f"follow-up, due {due}"
        rows.append((f"i{follow_up.interaction_id}", label, follow_up.text))
    held = {tenure.post for tenure in profile.post_tenures if tenure.current}
    rows.extend(
        (f"n{post}", "post" if post in held else "post, vacant", post) for post in profile.posts
    )
    rows.extend((f"n{child}", "branch", child) for child in profile.children)
    return rows


def post_terms(post: PostShow | None) -> Text:
    """A post's holders over time, newest first, with the interactions under each."""
    text = Text()
    if post is None:
        return text
    text.append("Holders over time\n", style="bold")
    if not post.terms:
        text.append("no holder recorded yet\n", style="dim")
    for term in post.terms:
        if term.tenure is None:
            text.append("no holder recorded on these dates", style="italic")
        else:
            text.append(term.tenure.person, style="bold")
            text.append(f"  {term.tenure.period}", style="dim")
        text.append("\n")
        for item in term.interactions:
            text.append(f"  {item.when}  ", style="dim")
            text.append(f"{item.title}\n")
        if not term.interactions:
            text.append("  no interactions\n", style="dim")
    return text


def month_label(key: str) -> str:
    """'2025-06' → 'Jun 2025'."""
    from engagement.vocab import MONTH_ABBREVIATIONS

    year, month = key.split("-")
    return f"{MONTH_ABBREVIATIONS[int(month)]} {year}"


def related_option(key: str, role: str, name: str) -> Option:
    """A row of the list of people and things around a stakeholder: "role · name"."""
    prompt = Text(f"{role} · ", style="dim")
    prompt.append(name, style="")
    return Option(prompt, id=key)


def merge_notice(duplicate_names: list[str], merges: list[MergeRead]) -> Text:
    """What the page says about likely duplicates (M merges) and the latest merge (U undoes
    it); empty when there is neither."""
    notice = Text()
    if duplicate_names:
        notice.append("Possible duplicate: ", style="bold")
        notice.append(", ".join(duplicate_names))
        notice.append(" — press M to merge", style="dim")
    if merges:
        latest = merges[0]
        notice.append("\n" if notice else "")
        notice.append("Merged from ", style="dim")
        notice.append(latest.dropped_name)
        notice.append(f" on {latest.merged_at.date().isoformat()} — press U to undo", style="dim")
    return notice
