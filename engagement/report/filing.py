"""Filing the period's interactions under the report's sections, in one pass.

Which sections an interaction counts in, and under which entry of each, depends on its
stakeholders' organisations (:mod:`engagement.report.build` resolves them); this pass turns
that into the sections' members and entries, the stakeholders they name and the engaged ones,
for the section builders, the facts and the chart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, cast

from engagement.services.report_links import LinkRow
from engagement.vocab import StakeholderKind

if TYPE_CHECKING:
    from engagement.report.build import ReportContext


def lead_of(links: Sequence[LinkRow]) -> LinkRow:
    """Who leads an interaction (or its part in a section): a host, then a counterpart, then
    a participant (:data:`~engagement.services.report_links.ROLE_RANK`), then the order they were
    logged in — ``links`` are in that order, and ``min`` keeps the first of equals."""
    return links[0] if len(links) == 1 else min(links, key=_RANK)


_WHO = itemgetter(1)
_RANK = itemgetter(2)


def file_interactions(ctx: ReportContext, section_of: dict[int, str | None]) -> None:
    """File every interaction under its sections, in one pass over the period.

    A post named in an interaction is reported through the people met (its holder is linked
    too, see docs/posts.md); it is kept only when nobody else is linked, so that an interaction
    with a vacant post is still filed under the post's organisation. A summarised interaction
    names its leading stakeholder and no one else: the other counterparts are not counted,
    listed or charted either, in any section.

    An interaction goes under the entry of its leading stakeholder in each section
    (``ctx.entries``), so the section builders need not walk the period's links again. The work
    per link is left to C (``sorted`` on the role's rank, which is stable, then a ``dict``
    keeping each section's first link, ``map``, ``set.update``): a year of a large log has
    300,000 links."""
    posts = {i for i, row in ctx.stakeholders.items() if row.kind is StakeholderKind.POST}
    group_of = ctx.group_of
    members: dict[str, list[int]] = defaultdict(list)
    entries: dict[str, dict[int, list[int]]] = defaultdict(dict)
    engaged: set[int] = set()
    engage, absorb = engaged.add, engaged.update
    section = section_of.__getitem__
    by_section = ctx.by_section
    over_cap = ctx.over_cap
    links = ctx.links
    nowhere: dict[str, LinkRow] = {}
    for interaction_id in ctx.rows:
        group = links.get(interaction_id)
        if group is None:
            continue
        if posts and not posts.isdisjoint(map(_WHO, group)):
            kept = [link for link in group if link[1] not in posts]
            if kept:
                group = links[interaction_id] = kept
        filed: dict[str, LinkRow]
        if interaction_id in over_cap:
            lead = lead_of(group)
            key = section_of[lead[1]]
            if key is None:
                by_section[interaction_id] = nowhere
                continue
            engage(lead[1])
            filed = {key: lead}
        elif len(group) == 1:
            lead = group[0]
            engage(lead[1])
            key = section_of[lead[1]]
            if key is None:
                by_section[interaction_id] = nowhere
                continue
            filed = {key: lead}
        else:
            absorb(map(_WHO, group))
            ordered = sorted(group, key=_RANK)
            ordered.reverse()
            # Assigned last, each section's first link of the best role is the one kept.
            sections = dict(zip(map(section, map(_WHO, ordered)), ordered, strict=True))
            sections.pop(None, None)
            filed = cast("dict[str, LinkRow]", sections)
        by_section[interaction_id] = filed
        for key, lead in filed.items():
            members[key].append(interaction_id)
            by_group = entries[key]
            entry = group_of[lead[1]]
            if entry in by_group:
                by_group[entry].append(interaction_id)
            else:
                by_group[entry] = [interaction_id]
    # A stakeholder is named in a section exactly when it is engaged and filed there.
    people_in: dict[str, set[int]] = defaultdict(set)
    for who in engaged:
        if (key := section_of[who]) is not None:
            people_in[key].add(who)
    ctx.members = dict(members)
    ctx.section_people = dict(people_in)
    ctx.entries = dict(entries)
    ctx.engaged = engaged
