"""The section builders: how each type of section turns the period into entries and lines.

A section type is a function of the shared :class:`~engagement.report.build.ReportContext` and
the section's configuration, registered in ``SECTION_BUILDERS``; renderers only lay out the
:class:`~engagement.report.model.ReportSection` it returns, so a new type (issue 9's commitments)
needs no change to them.

Within a section an interaction is told once, under the organisation of its leading stakeholder
there (a host before a counterpart before a participant, then the order they were logged in);
an interaction with stakeholders in several sections appears in each, as the seed report tells
the Martens Readings both among its highlights and under the Belarusian authorities.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter

from engagement import attribution
from engagement.countries import country_name
from engagement.dates import Period
from engagement.names import fold_name
from engagement.report import phrasing
from engagement.report.build import SECTION_BUILDERS, ReportContext
from engagement.report.categories import SectionConfig
from engagement.report.model import ReportGroup, ReportLine, ReportSection, StakeholderEntry
from engagement.services.report_links import HOST_RANK
from engagement.services.reports import LineText
from engagement.vocab import InteractionKind

_FREQUENCY = re.compile(r"FREQ=([A-Z]+)")


def stakeholders_section(ctx: ReportContext, section: SectionConfig) -> ReportSection:
    by_group = ctx.entries.get(section.key, {})
    limit = ctx.config.limits.entries_per_section
    shown, hidden = _busiest(ctx, by_group, limit)
    printed = _printed(ctx, {group: by_group[group] for group in shown})
    details = ctx.read([i for ids in printed.values() for i in ids])
    # The periods the lines tell, and those a lone confidential entry is described by.
    lone = [secret[0] for g in shown if len(secret := _secret(ctx, by_group[g])) == 1]
    ctx.load_periods([*(i for ids in printed.values() for i in ids), *lone])
    entries = [_entry(ctx, group, by_group[group], printed[group], details) for group in shown]
    groups = (
        _by_country(ctx, entries, by_group)
        if section.by_country
        else [ReportGroup(entries=entries)]
    )
    result = ReportSection(
        key=section.key, heading=section.heading, type=section.type, groups=groups
    )
    if hidden:
        # An interaction is under one entry of a section (its leading stakeholder's): the
        # entries' interactions do not overlap, so the hidden ones are the rest.
        count = sum(map(len, by_group.values())) - sum(len(by_group[g]) for g in shown)
        result.paragraphs.append(phrasing.more_entries_sentence(len(hidden), count))
    return result


def _busiest(
    ctx: ReportContext, by_group: dict[int, list[int]], limit: int
) -> tuple[list[int], list[int]]:
    """The ``limit`` entries shown, busiest first (then the earliest, then by name), and the
    others. Names are folded only for the entries that can make the cut: a year of a large log
    engages tens of thousands of organisations."""
    candidates = list(by_group)
    if len(candidates) > limit:  # the configuration keeps the limit at one or more
        # Fewer interactions than the limit-th busiest entry cannot make the cut, whatever
        # their dates and names.
        least = heapq.nlargest(limit, map(len, by_group.values()))[-1]
        candidates = [g for g, ids in by_group.items() if len(ids) >= least]
    rough = {g: (-len(by_group[g]), ctx.rows[by_group[g][0]].start_on) for g in candidates}
    if len(candidates) > limit:
        cutoff = sorted(rough.values())[limit - 1]
        candidates = [g for g in candidates if rough[g] <= cutoff]
    order = sorted(candidates, key=lambda g: (*rough[g], fold_name(ctx.stakeholders[g].name)))
    shown = order[:limit]
    chosen = set(shown)
    return shown, [g for g in by_group if g not in chosen]


def _printed(ctx: ReportContext, by_group: dict[int, list[int]]) -> dict[int, list[int]]:
    """The interactions told in full in each entry: recurring ones, then the first dated ones
    up to the limit (the rest are counted in a closing line)."""
    limit = ctx.config.limits.lines_per_entry
    printed = {}
    for group, ids in by_group.items():
        full = [i for i in ids if not ctx.summarised(i)]
        recurring = [i for i in full if ctx.rows[i].recurrence]
        dated = [i for i in full if not ctx.rows[i].recurrence]
        printed[group] = recurring + dated[:limit]
    return printed


def _entry(
    ctx: ReportContext,
    group: int,
    ids: list[int],
    printed: list[int],
    details: dict[int, LineText],
) -> StakeholderEntry:
    lines: list[ReportLine] = []
    recurring_seen: set[str] = set()
    for interaction_id in printed:
        if interaction_id not in details:
            continue
        if ctx.rows[interaction_id].recurrence:
            line = _recurring_line(ctx, interaction_id)
            if line.text not in recurring_seen:
                recurring_seen.add(line.text)
                lines.append(line)
        else:
            lines.append(_interaction_line(ctx, interaction_id))
    told = set(printed)
    rest = [i for i in ids if not ctx.summarised(i) and i not in told]
    if rest:
        counts = Counter(ctx.rows[i].kind for i in rest)
        lines.append(ReportLine(kind="more", text=phrasing.more_sentence(ctx.config, counts)))
    secret = _secret(ctx, ids)
    if secret:
        regular = len(secret) > 1 or any(
            ctx.rows[i].recurrence or ctx.rows[i].period.end is not None for i in secret
        )
        bilateral = all(len(ctx.links[i]) == 1 for i in secret)
        text = phrasing.confidential_sentence(
            ctx.short(group), regular=regular, bilateral=bilateral
        )
        lines.append(ReportLine(kind="confidential", text=text))
    row = ctx.stakeholders[group]
    newcomers = {s for i in printed for s in ctx.first_time.get(i, [])}
    return StakeholderEntry(
        stakeholder_id=group,
        name=row.name,
        country=row.country,
        first_time=bool(newcomers),
        interactions=len(ids),
        lines=lines,
    )


def _secret(ctx: ReportContext, ids: list[int]) -> list[int]:
    """The interactions of an entry that are only summarised."""
    return [i for i in ids if i in ctx.over_cap]


def _interaction_line(ctx: ReportContext, interaction_id: int) -> ReportLine:
    item = ctx.read([interaction_id])[interaction_id]
    links = ctx.links[interaction_id]
    row = ctx.rows[interaction_id]
    when = phrasing.date_phrase(row.period, year=ctx.year)
    first_time = [ctx.name(s) for s in ctx.first_time.get(interaction_id, [])]
    text = phrasing.interaction_sentence(
        ctx.config,
        when=when,
        kind=row.kind,
        title=item.title,
        hosts=[ctx.name(link.stakeholder_id) for link in links if link.rank == HOST_RANK],
        others=[ctx.name(link.stakeholder_id) for link in links if link.rank != HOST_RANK],
        location=item.location,
        first_time=first_time,
    )
    return ReportLine(
        kind="interaction",
        text=text,
        date=when,
        interaction_id=interaction_id,
        title=item.title,
        detail=_detail(item) if ctx.summaries else "",
        first_time=first_time,
    )


def _detail(item: LineText) -> str:
    """The notes under a line, with the attribution rule when it is not "on the record"
    (off-record notes were already removed on reading)."""
    text = " ".join(item.summary.split())
    rule = attribution.notice(item.attribution)
    return f"[{rule}] {text}" if text and rule else text


def _recurring_line(ctx: ReportContext, interaction_id: int) -> ReportLine:
    row = ctx.rows[interaction_id]
    match = _FREQUENCY.search(row.recurrence or "")
    began = None
    if row.start_on > ctx.start:
        opening = Period(
            start=row.period.start, precision=row.period.precision, timezone=row.period.timezone
        )
        began = phrasing.date_phrase(opening, year=ctx.year)
    text = phrasing.recurring_sentence(
        ctx.config,
        kind=InteractionKind(row.kind),
        frequency=match.group(1) if match else "",
        names=[ctx.short(link.stakeholder_id) for link in ctx.links[interaction_id]],
        began=began,
    )
    return ReportLine(kind="recurring", text=text, interaction_id=interaction_id)


def _by_country(
    ctx: ReportContext, entries: list[StakeholderEntry], by_group: dict[int, list[int]]
) -> list[ReportGroup]:
    """The main country's entries first and without a heading, then "In Belarus" and the
    other countries, the busiest first."""
    weight: Counter[str | None] = Counter()
    for entry in entries:
        weight[entry.country] += len(by_group[entry.stakeholder_id])
    countries = sorted(weight, key=lambda c: (-weight[c], c is None, country_name(c)))
    groups = []
    for index, country in enumerate(countries):
        members = [entry for entry in entries if entry.country == country]
        if index == 0:
            heading = None
        elif country is None:
            heading = "Elsewhere"
        else:
            heading = f"In {country_name(country)}"
        groups.append(ReportGroup(heading=heading, entries=members))
    return groups


def countries_section(ctx: ReportContext, section: SectionConfig) -> ReportSection:
    """One sentence naming the countries engaged, sorted (the seed's diplomatic corps)."""
    names: set[str] = set()
    for interaction_id in ctx.members.get(section.key, []):
        for link in ctx.in_section(interaction_id, section.key):
            row = ctx.stakeholders[link.stakeholder_id]
            group = ctx.stakeholders[ctx.group_of[link.stakeholder_id]]
            names.add(country_name(row.country or group.country) or row.name)
    result = ReportSection(key=section.key, heading=section.heading, type=section.type)
    if names:
        ordered = sorted(names, key=lambda name: (fold_name(name), name))
        result.paragraphs.append(phrasing.countries_sentence(ctx.config, section.summary, ordered))
    return result


SECTION_BUILDERS["stakeholders"] = stakeholders_section
SECTION_BUILDERS["countries"] = countries_section
