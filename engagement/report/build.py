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

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import itemgetter

from sqlalchemy.orm import Session

from engagement import collector
from engagement.errors import ValidationFailed
from engagement.report import commitments as commitments_part
from engagement.report import filing, phrasing
from engagement.report.categories import ReportConfig, SectionConfig
from engagement.report.model import (
    ActivityReport,
    CountRow,
    Facts,
    ReportSection,
    SectionCount,
)
from engagement.report.monthly import monthly_counts
from engagement.report.power_grid import stakeholder_map
from engagement.services import report_links
from engagement.services import report_stakeholders as people
from engagement.services import reports as source
from engagement.services.report_links import LinkRow
from engagement.vocab import Confidentiality, StakeholderKind

MAX_DAYS = 3660


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
    links: dict[int, list[LinkRow]] = field(default_factory=dict)
    stakeholders: dict[int, people.StakeholderRow] = field(default_factory=dict)
    group_of: dict[int, int] = field(default_factory=dict)
    section_of_group: dict[int, str] = field(default_factory=dict)
    # Per interaction, the sections it is filed under and its leading link in each.
    by_section: dict[int, dict[str, LinkRow]] = field(default_factory=dict)
    first_time: dict[int, list[int]] = field(default_factory=dict)
    follow_ups: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Each section's interactions, in the period's order: computed once, not per section.
    members: dict[str, list[int]] = field(default_factory=dict)
    # The period's interactions above the cap (told as summaries), looked up per link.
    over_cap: set[int] = field(default_factory=set)
    # The stakeholders the report may name (see visible_links), all and per section.
    engaged: set[int] = field(default_factory=set)
    section_people: dict[str, set[int]] = field(default_factory=dict)
    # Each section's interactions by the group of their leading stakeholder there.
    entries: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    _labelled: set[int] = field(default_factory=set)
    _shown: list[int] | None = None
    _details: dict[int, source.LineText] = field(default_factory=dict)

    # --- what the cap let through ---------------------------------------------------------

    def summarised(self, interaction_id: int) -> bool:
        return interaction_id in self.over_cap

    def shown(self) -> list[int]:
        """The period's interactions told in full, in the period's order (computed once)."""
        if self._shown is None:
            over_cap = self.over_cap
            self._shown = [i for i in self.rows if i not in over_cap]
        return self._shown

    def section_key(self, stakeholder_id: int) -> str | None:
        return self.section_of_group.get(self.group_of.get(stakeholder_id, -1))

    def visible_links(self, interaction_id: int) -> list[LinkRow]:
        """The stakeholders the report may name for an interaction: all of them when it is
        told in full, the leading one alone when it is summarised."""
        if not self.summarised(interaction_id):
            return self.links.get(interaction_id, [])
        return list(self.by_section.get(interaction_id, {}).values())

    def in_section(self, interaction_id: int, key: str) -> list[LinkRow]:
        """The links of an interaction filed under a section, in the order they were logged."""
        return [
            link
            for link in self.visible_links(interaction_id)
            if self.section_key(link.stakeholder_id) == key
        ]

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

    def load_periods(self, ids: Iterable[int]) -> None:
        """Read how these rows' periods are stored, before their lines are written."""
        source.stored_periods(self.session, (self.rows[i] for i in ids))


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
    with collector.paused():
        report = _assemble(ctx, title)
        # Freed while the collector is still paused: re-enabled, its first collection would
        # otherwise walk the period's hundreds of thousands of rows before they go.
        del ctx
    return report


def _assemble(ctx: ReportContext, title: str | None) -> ActivityReport:
    session, start, end, cap, today = ctx.session, ctx.start, ctx.end, ctx.cap, ctx.today
    _collect(ctx)
    built = []
    for section in ctx.config.sections:
        builder = SECTION_BUILDERS.get(section.type)
        if builder is None:  # pragma: no cover - the configuration is checked on load
            raise ValidationFailed("type", section.type, "has no section builder")
        built.append(builder(ctx, section))
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
        monthly=monthly_counts(ctx),
        stakeholder_map=stakeholder_map(session, engaged=ctx.engaged),
        commitments=promises,
    )


def _collect(ctx: ReportContext) -> None:
    full, summarised = levels_in_report(ctx.cap)
    window = source.Window.of(ctx.session, ctx.start, ctx.end, full + summarised)
    recurring = window.recurring_ids(ctx.session)
    excluded = window.recurring_started(ctx.session)
    rows = source.period_rows(ctx.session, window, recurring, excluded)
    # The one-off rows were selected by the same overlap occurs_between() tests: only the
    # recurring ones need their rule checked.
    ctx.rows = {
        row.id: row
        for row in rows
        if row.recurrence is None or source.occurs_between(row, ctx.start, ctx.end)
    }
    above = {level for level in Confidentiality if level.rank > ctx.cap.rank}
    ctx.over_cap = {i for i, row in ctx.rows.items() if row.confidentiality in above}
    links = report_links.period_links(ctx.session, window, recurring, excluded)
    ctx.links = {key: value for key, value in links.items() if key in ctx.rows}
    involved = set(map(itemgetter(1), chain.from_iterable(ctx.links.values())))
    ctx.stakeholders = people.stakeholder_rows(ctx.session, involved, labels=False)
    persons = [i for i, row in ctx.stakeholders.items() if row.kind is StakeholderKind.PERSON]
    employer = people.current_organisations(ctx.session, persons, ctx.start, ctx.end)
    parents = {i: row.parent_id for i, row in ctx.stakeholders.items()}
    parents.update(people.parents(ctx.session, set(employer.values()) - parents.keys()))
    while pending := {p for p in parents.values() if p is not None} - parents.keys():
        parents.update(people.parents(ctx.session, pending))

    def top(stakeholder_id: int) -> int:
        seen = {stakeholder_id}
        while (parent := parents.get(stakeholder_id)) is not None and parent not in seen:
            seen.add(parent)
            stakeholder_id = parent
        return stakeholder_id

    # Persons share employers and branches share parents: each walk is made once.
    tops: dict[int, int] = {}
    for i in involved:
        origin = employer.get(i, i)
        found = tops.get(origin)
        if found is None:
            found = tops[origin] = top(origin)
        ctx.group_of[i] = found
    groups = set(ctx.group_of.values())
    missing = groups - ctx.stakeholders.keys()
    ctx.stakeholders.update(people.stakeholder_rows(ctx.session, missing, labels=False))
    # Only the tags some section files by can change where a group goes.
    wanted = {tag for section in ctx.config.sections for tag in section.tags}
    tags = people.tags_among(ctx.session, groups, wanted) if wanted else {}
    chosen: dict[tuple[StakeholderKind, tuple[str, ...]], str | None] = {}
    for group_id in groups:
        kind = ctx.stakeholders[group_id].kind
        labels = tuple(tags.get(group_id, ()))
        if (kind, labels) not in chosen:
            section = ctx.config.section_for(kind, list(labels))
            chosen[kind, labels] = None if section is None else section.key
        if (key := chosen[kind, labels]) is not None:
            ctx.section_of_group[group_id] = key
    filing.file_interactions(ctx, {i: ctx.section_of_group.get(g) for i, g in ctx.group_of.items()})
    _mark_first_time(ctx, window)
    shown = ctx.shown()
    ctx.follow_ups = source.follow_up_counts(ctx.session, window, shown)


def _mark_first_time(ctx: ReportContext, window: source.Window) -> None:
    """Which stakeholders each interaction engaged for the first time.

    Tagged interactions (``first_time_tags``) say so outright. Otherwise a stakeholder is new
    when its first held interaction falls in the period — but only if the log reaches back
    before the period: a log that starts inside it cannot tell a first contact from the first
    one recorded, and would call everyone new.
    """
    shown = ctx.shown()
    marks: dict[int, set[int]] = defaultdict(set)
    marked: set[int] = set()
    tags = ctx.config.first_time_tags
    for interaction_id in source.tagged(ctx.session, window, shown, tags):
        ids = {link.stakeholder_id for link in ctx.links[interaction_id]}
        marks[interaction_id] |= ids
        marked |= ids
    beginning = source.log_start(ctx.session)
    if beginning is not None and beginning < ctx.start and shown:
        # Only stakeholders first met by the end of the period can be new (an interaction
        # overlapping it may have started before it), and only on the first day of one of
        # the period's interactions; each is marked on its first interaction of that day
        # (the lowest id: all candidates share the day).
        earliest_day = min(ctx.rows[i].start_on for i in shown)
        first_met = {
            i: row.first_contact_on
            for i, row in ctx.stakeholders.items()
            if row.first_contact_on is not None
            and earliest_day <= row.first_contact_on <= ctx.end
            and i not in marked
        }
        earliest: dict[int, int] = {}
        if first_met:
            for interaction_id in shown:
                day = ctx.rows[interaction_id].start_on
                for link in ctx.links.get(interaction_id, ()):
                    who = link[1]
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
    shown = ctx.shown()
    kinds = Counter(row.kind for row in ctx.rows.values())
    by_section = [
        SectionCount(
            key=section.key,
            heading=section.heading,
            interactions=len(ctx.members[section.key]),
            stakeholders=len(ctx.section_people[section.key]),
        )
        for section in ctx.config.sections
        if ctx.members.get(section.key)
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
        stakeholders=len(ctx.engaged),
        first_time=list(dict.fromkeys(new)),
        events_attended=sum(1 for i in shown if ctx.rows[i].kind in events),
        follow_ups_opened=sum(ctx.follow_ups.get(i, (0, 0))[0] for i in shown),
        follow_ups_closed=sum(ctx.follow_ups.get(i, (0, 0))[1] for i in shown),
    )
