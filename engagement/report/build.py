"""Assembling the activity report from the log, in one read-only unit of work.

The period is read once as light rows (ids, kinds, dates, links: no text), which is enough to
file every interaction under its stakeholders' sections, count the facts and draw the charts.
Full interactions are read only for the lines that get printed. What lies above the
confidentiality cap is either never selected (left out) or selected without its text
(summarised), so no renderer can leak it.

Each stakeholder is filed under its *organisation*: its top-level parent (a Russian Red Cross
branch under the Russian Red Cross, MGIMO under the MFA), or for a person the organisation of
their position during the period (Tatiana Moskalkova under the High Commissioner's Office). The
organisation's section comes from the configuration (:mod:`engagement.report.categories`).
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.report import commitments as commitments_part
from engagement.report import phrasing
from engagement.report.categories import ReportConfig, SectionConfig
from engagement.report.model import (
    ActivityReport,
    CountRow,
    Facts,
    Level,
    MapQuadrant,
    MapStakeholder,
    MonthlyCounts,
    QuadrantKey,
    ReportSection,
    SectionCount,
    StakeholderMap,
)
from engagement.services import report_stakeholders as people
from engagement.services import reports as source
from engagement.vocab import MONTH_ABBREVIATIONS, Confidentiality, StakeholderKind

MAX_DAYS = 3660
MAP_THRESHOLD = 3
ROLE_RANK = {"host": 0, "counterpart": 1, "participant": 2, "observer": 3}


def lead_order(link: source.LinkRow) -> tuple[int, int]:
    """Who leads an interaction within a section: a host, then a counterpart, then a
    participant, then the order they were logged in."""
    return ROLE_RANK.get(link.role, 9), link.position


SectionBuilder = Callable[["ReportContext", SectionConfig], ReportSection]
# Filled by engagement.report.sections; a new section type registers its builder here.
SECTION_BUILDERS: dict[str, SectionBuilder] = {}


@dataclass
class ReportContext:
    """Everything the section builders share: the period's light rows and how each
    stakeholder is filed."""

    session: Session
    config: ReportConfig
    start: date
    end: date
    cap: Confidentiality
    today: date
    summaries: bool
    year: int | None
    rows: dict[int, source.PeriodRow] = field(default_factory=dict)
    links: dict[int, list[source.LinkRow]] = field(default_factory=dict)
    stakeholders: dict[int, people.StakeholderRow] = field(default_factory=dict)
    group_of: dict[int, int] = field(default_factory=dict)
    section_of_group: dict[int, str] = field(default_factory=dict)
    by_section: dict[int, dict[str, list[source.LinkRow]]] = field(default_factory=dict)
    first_time: dict[int, list[int]] = field(default_factory=dict)
    follow_ups: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Each section's interactions, in the period's order: computed once, not per section.
    members: dict[str, list[int]] = field(default_factory=dict)
    # The period's interactions above the cap (told as summaries), looked up per link.
    over_cap: set[int] = field(default_factory=set)
    _labelled: set[int] = field(default_factory=set)
    _details: dict[int, source.LineText] = field(default_factory=dict)

    # --- what the cap let through ---------------------------------------------------------

    def summarised(self, interaction_id: int) -> bool:
        return interaction_id in self.over_cap

    def section_key(self, stakeholder_id: int) -> str | None:
        return self.section_of_group.get(self.group_of.get(stakeholder_id, -1))

    def visible_links(self, interaction_id: int) -> list[source.LinkRow]:
        """The stakeholders the report may name for an interaction: all of them when it is
        told in full, the leading one alone when it is summarised."""
        if not self.summarised(interaction_id):
            return self.links.get(interaction_id, [])
        return [link for ls in self.by_section.get(interaction_id, {}).values() for link in ls]

    def in_section(self, interaction_id: int, key: str) -> list[source.LinkRow]:
        return self.by_section.get(interaction_id, {}).get(key, [])

    # --- names ----------------------------------------------------------------------------

    def name(self, stakeholder_id: int) -> str:
        row = self.stakeholders[stakeholder_id]
        return phrasing.with_article(row.name, row.kind)

    def short(self, stakeholder_id: int) -> str:
        self.label([stakeholder_id])
        row = self.stakeholders[stakeholder_id]
        return phrasing.with_article(phrasing.short_name(row.name, row.aliases), row.kind)

    def label(self, ids: Iterable[int]) -> None:
        """Read the tags and aliases of these stakeholders, once: only organisations and
        the names printed need them, not every stakeholder of the period."""
        missing = [i for i in dict.fromkeys(ids) if i not in self._labelled]
        if missing:
            people.add_labels(self.session, self.stakeholders, missing)
            self._labelled.update(missing)

    # --- the text of interactions, read only for the lines printed ------------------------

    def read(self, ids: Sequence[int]) -> dict[int, source.LineText]:
        missing = [i for i in ids if i not in self._details and not self.summarised(i)]
        if missing:
            self._details.update(source.line_texts(self.session, missing))
        return {i: self._details[i] for i in ids if i in self._details}


def levels_in_report(cap: Confidentiality) -> tuple[list[Confidentiality], list[Confidentiality]]:
    """The levels shown in full, and those summarised without detail.

    Confidential interactions are summarised when the cap is internal (the default): saying
    that a confidential dialogue with the MFA took place is internal information, as the seed
    report does. A public cap shows public interactions only; strictly confidential ones are
    shown only when the cap is strictly confidential, never summarised.
    """
    full = cap.levels_up_to()
    summarised = [Confidentiality.CONFIDENTIAL] if cap is Confidentiality.INTERNAL else []
    return full, summarised


def activity_report(
    session: Session,
    *,
    start: date,
    end: date,
    cap: Confidentiality,
    title: str | None,
    config: ReportConfig,
    today: date,
    summaries: bool = False,
) -> ActivityReport:
    if end < start:
        raise ValidationFailed("to", end.isoformat(), f"is before from ({start.isoformat()})")
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed("to", end.isoformat(), "is more than ten years after from")
    from engagement.report import sections as _registered  # noqa: F401  (fills the registry)

    ctx = ReportContext(
        session=session,
        config=config,
        start=start,
        end=end,
        cap=cap,
        today=today,
        summaries=summaries,
        year=phrasing.report_year(start, end),
    )
    _collect(ctx)
    built = []
    for section in config.sections:
        builder = SECTION_BUILDERS.get(section.type)
        if builder is None:  # pragma: no cover - the configuration is checked on load
            raise ValidationFailed("type", section.type, "has no section builder")
        built.append(builder(ctx, section))
    engaged = {link.stakeholder_id for i in ctx.rows for link in ctx.visible_links(i)}
    promises = commitments_part.build(session, start=start, end=end, cap=cap, today=today)
    facts = _facts(ctx, built)
    facts.commitments_opened = len(promises.opened)
    facts.commitments_kept = len(promises.kept)
    facts.commitments_overdue = len(promises.overdue)
    return ActivityReport(
        title=title or "Activity report",
        start=start,
        end=end,
        period=phrasing.period_heading(start, end),
        prepared_on=today,
        confidentiality_max=cap,
        confidentiality_note=phrasing.confidentiality_note(cap.rank),
        facts=facts,
        sections=built,
        monthly=_monthly(ctx),
        stakeholder_map=stakeholder_map(session, engaged=engaged),
        commitments=promises,
    )


def _collect(ctx: ReportContext) -> None:
    full, summarised = levels_in_report(ctx.cap)
    window = source.Window.of(ctx.session, ctx.start, ctx.end, full + summarised)
    recurring = window.recurring_ids(ctx.session)
    rows = source.period_rows(ctx.session, window, recurring)
    ctx.rows = {row.id: row for row in rows if source.occurs_between(row, ctx.start, ctx.end)}
    ctx.over_cap = {i for i, row in ctx.rows.items() if row.confidentiality.rank > ctx.cap.rank}
    links = source.period_links(ctx.session, window, recurring)
    ctx.links = {key: value for key, value in source.group_links(links).items() if key in ctx.rows}
    involved = {link.stakeholder_id for group in ctx.links.values() for link in group}
    ctx.stakeholders = people.stakeholder_rows(ctx.session, involved, labels=False)
    ctx.links = _without_posts(ctx)
    persons = [i for i, row in ctx.stakeholders.items() if row.kind is StakeholderKind.PERSON]
    employer = people.current_organisations(ctx.session, persons, ctx.start, ctx.end)
    parents = people.parents(ctx.session, involved | set(employer.values()))

    def top(stakeholder_id: int) -> int:
        seen = {stakeholder_id}
        while (parent := parents.get(stakeholder_id)) is not None and parent not in seen:
            seen.add(parent)
            stakeholder_id = parent
        return stakeholder_id

    ctx.group_of = {i: top(employer.get(i, i)) for i in involved}
    missing = set(ctx.group_of.values()) - ctx.stakeholders.keys()
    ctx.stakeholders.update(people.stakeholder_rows(ctx.session, missing, labels=False))
    ctx.label(set(ctx.group_of.values()))
    for group_id in set(ctx.group_of.values()):
        row = ctx.stakeholders[group_id]
        section = ctx.config.section_for(row.kind, row.tags)
        if section is not None:
            ctx.section_of_group[group_id] = section.key
    section_of = {i: ctx.section_key(i) for i in involved}
    for interaction_id, group in ctx.links.items():
        filed: dict[str, list[source.LinkRow]] = defaultdict(list)
        for link in group:
            key = section_of[link.stakeholder_id]
            if key is not None:
                filed[key].append(link)
        if ctx.summarised(interaction_id):
            # A summary names the interaction's leading stakeholder and no one else: the other
            # counterparts are not counted, listed or charted either, in any section.
            lead = min(group, key=lead_order)
            key = ctx.section_key(lead.stakeholder_id)
            filed = defaultdict(list, {} if key is None else {key: [lead]})
        ctx.by_section[interaction_id] = dict(filed)
    for interaction_id in ctx.rows:
        for key in ctx.by_section.get(interaction_id, {}):
            ctx.members.setdefault(key, []).append(interaction_id)
    _mark_first_time(ctx, window)
    shown = [i for i in ctx.rows if not ctx.summarised(i)]
    ctx.follow_ups = source.follow_up_counts(ctx.session, window, shown)


def _without_posts(ctx: ReportContext) -> dict[int, list[source.LinkRow]]:
    """A post named in an interaction is reported through the people met (its holder is
    linked too, see docs/posts.md); it is kept only when nobody else is linked, so that an
    interaction with a vacant post is still filed under the post's organisation."""
    posts = {i for i, row in ctx.stakeholders.items() if row.kind is StakeholderKind.POST}
    if not posts:
        return ctx.links
    result: dict[int, list[source.LinkRow]] = {}
    for interaction_id, group in ctx.links.items():
        kept = [link for link in group if link.stakeholder_id not in posts]
        result[interaction_id] = kept or group
    return result


def _mark_first_time(ctx: ReportContext, window: source.Window) -> None:
    """Which stakeholders each interaction engaged for the first time.

    Tagged interactions (``first_time_tags``) say so outright. Otherwise a stakeholder is new
    when its first held interaction falls in the period — but only if the log reaches back
    before the period: a log that starts inside it cannot tell a first contact from the first
    one recorded, and would call everyone new.
    """
    shown = [i for i in ctx.rows if not ctx.summarised(i)]
    marks: dict[int, set[int]] = defaultdict(set)
    marked: set[int] = set()
    tags = ctx.config.first_time_tags
    for interaction_id in source.tagged(ctx.session, window, shown, tags):
        ids = {link.stakeholder_id for link in ctx.links[interaction_id]}
        marks[interaction_id] |= ids
        marked |= ids
    beginning = source.log_start(ctx.session)
    if beginning is not None and beginning < ctx.start:
        # Only stakeholders first met by the end of the period can be new (an interaction
        # overlapping it may have started before it); each is marked on its first interaction
        # of that day (the lowest id: all candidates share the day).
        first_met = {
            i: row.first_contact_on
            for i, row in ctx.stakeholders.items()
            if row.first_contact_on is not None
            and row.first_contact_on <= ctx.end
            and i not in marked
        }
        earliest: dict[int, int] = {}
        for interaction_id in shown:
            day = ctx.rows[interaction_id].start_on
            for link in ctx.links[interaction_id]:
                who = link.stakeholder_id
                if first_met.get(who) == day and interaction_id < earliest.get(
                    who, interaction_id + 1
                ):
                    earliest[who] = interaction_id
        for who, interaction_id in earliest.items():
            marks[interaction_id].add(who)
    ctx.first_time = {
        interaction_id: [
            link.stakeholder_id for link in ctx.links[interaction_id] if link.stakeholder_id in ids
        ]
        for interaction_id, ids in marks.items()
    }


# --- facts and figures --------------------------------------------------------------------


def _facts(ctx: ReportContext, built: list[ReportSection]) -> Facts:
    shown = [i for i in ctx.rows if not ctx.summarised(i)]
    kinds = Counter(row.kind for row in ctx.rows.values())
    interactions: Counter[str] = Counter()
    members: dict[str, set[int]] = defaultdict(set)
    for interaction_id in ctx.rows:
        for key, links in ctx.by_section.get(interaction_id, {}).items():
            interactions[key] += 1
            members[key].update(link.stakeholder_id for link in links)
    by_section = [
        SectionCount(
            key=section.key,
            heading=section.heading,
            interactions=interactions[section.key],
            stakeholders=len(members[section.key]),
        )
        for section in ctx.config.sections
        if interactions[section.key]
    ]
    for done in built:
        count = next((row for row in by_section if row.key == done.key), None)
        if count is not None:
            done.interactions, done.stakeholders = count.interactions, count.stakeholders
    new: list[str] = []
    for interaction_id in sorted(ctx.first_time, key=lambda i: (ctx.rows[i].start_on, i)):
        new.extend(ctx.stakeholders[s].name for s in ctx.first_time[interaction_id])
    events = set(ctx.config.event_kinds)
    return Facts(
        interactions=len(ctx.rows),
        shown_in_full=len(shown),
        summarised=len(ctx.rows) - len(shown),
        by_kind=[
            CountRow(label=ctx.config.kinds[kind].plural, count=count)
            for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0].value))
        ],
        by_section=by_section,
        stakeholders=len({link.stakeholder_id for i in ctx.rows for link in ctx.visible_links(i)}),
        first_time=list(dict.fromkeys(new)),
        events_attended=sum(1 for i in shown if ctx.rows[i].kind in events),
        follow_ups_opened=sum(ctx.follow_ups.get(i, (0, 0))[0] for i in shown),
        follow_ups_closed=sum(ctx.follow_ups.get(i, (0, 0))[1] for i in shown),
    )


def _months(start: date, end: date) -> list[tuple[date, date]]:
    months = []
    first = start.replace(day=1)
    while first <= end:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        months.append((max(first, start), min(last, end)))
        first = last + timedelta(days=1)
    return months


def _monthly(ctx: ReportContext) -> MonthlyCounts:
    months = _months(ctx.start, ctx.end)
    series = {section.key: [0] * len(months) for section in ctx.config.sections}
    for interaction_id, row in ctx.rows.items():
        if row.recurrence:
            covered = source.recurring_months(row, months)
        else:
            covered = [
                n
                for n, (first, last) in enumerate(months)
                if row.start_on <= last and row.last_on >= first
            ]
        for key in ctx.by_section.get(interaction_id, {}):
            for n in covered:
                series[key][n] += 1
    headings = {section.key: section.heading for section in ctx.config.sections}
    return MonthlyCounts(
        months=[f"{first.year:04d}-{first.month:02d}" for first, _ in months],
        labels=[f"{MONTH_ABBREVIATIONS[first.month]} {first.year}" for first, _ in months],
        series={headings[key]: values for key, values in series.items() if any(values)},
    )


# --- the stakeholder map ------------------------------------------------------------------

QUADRANTS: tuple[tuple[QuadrantKey, str, Level, Level], ...] = (
    ("manage-closely", "Manage closely", "high", "high"),
    ("keep-satisfied", "Keep satisfied", "high", "low"),
    ("keep-informed", "Keep informed", "low", "high"),
    ("monitor", "Monitor", "low", "low"),
)


def stakeholder_map(session: Session, *, engaged: set[int] | None = None) -> StakeholderMap:
    """The power–interest grid of the active stakeholders that have both scores; with
    ``engaged``, each says whether the period shows an interaction with it."""
    rows, unscored = people.scored_stakeholders(session)
    quadrants = {
        key: MapQuadrant(key=key, name=name, influence=influence, interest=interest)
        for key, name, influence, interest in QUADRANTS
    }
    for row in sorted(rows, key=lambda r: (-r.influence, -r.interest, r.name.casefold())):
        high_influence = row.influence >= MAP_THRESHOLD
        high_interest = row.interest >= MAP_THRESHOLD
        key = next(
            k
            for k, _, influence, interest in QUADRANTS
            if (influence == "high") == high_influence and (interest == "high") == high_interest
        )
        quadrants[key].stakeholders.append(
            MapStakeholder(
                id=row.id,
                name=row.name,
                influence=row.influence,
                interest=row.interest,
                engaged=None if engaged is None else row.id in engaged,
            )
        )
    return StakeholderMap(
        threshold=MAP_THRESHOLD, quadrants=list(quadrants.values()), unscored=unscored
    )
