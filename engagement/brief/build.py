"""Gathering the brief from the database, in one read transaction, under a cap."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.brief.model import (
    Brief,
    BriefLine,
    Counterpart,
    RelatedEngagement,
    TimelineGroup,
    TopicCount,
)
from engagement.brief.sections import BriefContext, extra_sections
from engagement.errors import ValidationFailed
from engagement.models import Affiliation, Interaction, InteractionStakeholder, Stakeholder
from engagement.schemas import InteractionRead, TenureRead
from engagement.services import history, interactions, stakeholders
from engagement.services.resolve import resolve
from engagement.vocab import (
    MONTH_NAMES,
    Attribution,
    Confidentiality,
    InteractionStatus,
    MeetingFormat,
    Precision,
    StakeholderKind,
)

WINDOW_MONTHS = 24
RELATED_DAYS = 180
MONTHS_BEFORE_QUARTERS = 12
TOPICS = 8
RELATED_LIMIT = 10


def build(
    session: Session,
    name: str,
    *,
    today: date,
    cap: Confidentiality,
    for_meeting: int | None = None,
) -> Brief:
    target = resolve(session, name)
    profile = stakeholders.profile(session, f"#{target.id}", today=today)
    everything = history.history(session, f"#{target.id}", today=today, include_related=True)
    allowed = set(cap.levels_up_to())
    live = [item for item in everything if item.status is not InteractionStatus.CANCELLED]
    shown = [item for item in live if item.confidentiality in allowed]
    withheld = len(live) - len(shown)
    meeting = _meeting(session, for_meeting, allowed, today) if for_meeting else None
    since = _months_before(today, WINDOW_MONTHS)
    past = [item for item in shown if item.period.first_day() <= today]
    recent = [item for item in past if item.period.last_day() >= since]
    coming = [
        item
        for item in reversed(shown)
        if item.period.first_day() > today and (meeting is None or item.id != meeting.id)
    ]
    held = [item for item in past if item.status is InteractionStatus.HELD]
    first = min(held, key=lambda item: item.period.first_day()) if held else None
    tenures = _posts(session, target, profile.post_tenures)
    ids = _circle(session, target, tenures)
    context = BriefContext(
        stakeholder_id=target.id,
        stakeholder_ids=frozenset(ids),
        interaction_ids=frozenset(item.id for item in shown),
        cap=cap,
        today=today,
    )
    grouping = "quarter" if len({_month(i) for i in recent}) > MONTHS_BEFORE_QUARTERS else "month"
    return Brief(
        title=f"Brief: {target.name}",
        stakeholder=target.name,
        stakeholder_id=target.id,
        kind=target.kind,
        country=target.country,
        parent=profile.parent,
        aliases=profile.aliases,
        tags=profile.tags,
        branches=profile.children,
        posts=tenures,
        counterparts=_counterparts(session, target, tenures, shown, today),
        prepared_on=today,
        confidentiality_max=cap,
        withheld=withheld,
        for_meeting=None if meeting is None else _line(meeting, target.name),
        since=since,
        first_contact=None if first is None else first.when,
        recent_count=len(recent),
        frequency=_frequency(recent),
        grouping=grouping,
        timeline=_timeline(recent, grouping, target.name),
        topics=[
            TopicCount(tag=tag, count=count)
            for tag, count in Counter(tag for item in recent for tag in item.tags).most_common(
                TOPICS
            )
        ],
        follow_ups=sorted(
            (follow_up for item in shown for follow_up in item.follow_ups if not follow_up.done),
            key=lambda f: (f.due is None, f.due or date.max, f.id),
        ),
        upcoming=[_line(item, target.name) for item in coming],
        related=_related(session, target, ids, allowed, today),
        sections=extra_sections(session, context),
    )


def _meeting(
    session: Session, interaction_id: int, allowed: set[Confidentiality], today: date
) -> InteractionRead:
    meeting = interactions.get(session, interaction_id, today=today)
    if meeting.confidentiality not in allowed:
        raise ValidationFailed(
            "for-meeting",
            interaction_id,
            f"is {meeting.confidentiality.value.replace('_', ' ')}, above the cap; raise "
            "--confidentiality-max to prepare a brief for it",
        )
    return meeting


def _posts(session: Session, target: Stakeholder, tenures: list[TenureRead]) -> list[TenureRead]:
    """Who holds its posts now (an organisation), or every tenure (a person, a post)."""
    if target.kind in (StakeholderKind.PERSON.value, StakeholderKind.POST.value):
        return tenures
    return [tenure for tenure in tenures if tenure.current]


def _circle(session: Session, target: Stakeholder, tenures: list[TenureRead]) -> set[int]:
    ids = {target.id, *stakeholders.descendants(session, target.id)}
    ids |= {tenure.person_id for tenure in tenures}
    ids |= set(
        session.scalars(
            select(Affiliation.person_id).where(Affiliation.organisation_id == target.id)
        )
    )
    return ids


def _counterparts(
    session: Session,
    target: Stakeholder,
    tenures: list[TenureRead],
    shown: list[InteractionRead],
    today: date,
) -> list[Counterpart]:
    """The people we deal with there now: current post holders, then current affiliations."""
    if target.kind == StakeholderKind.PERSON.value:
        return []
    found: dict[int, Counterpart] = {}
    for tenure in tenures:
        if tenure.current and tenure.person_id not in found:
            found[tenure.person_id] = _counterpart(
                tenure.person_id, tenure.person, tenure.post, tenure.period, shown
            )
    for affiliation in stakeholders.affiliations(session, organisation_id=target.id, today=today):
        if affiliation.current and affiliation.person_id not in found:
            since = "" if affiliation.start is None else f"since {affiliation.start:%b %Y}"
            found[affiliation.person_id] = _counterpart(
                affiliation.person_id, affiliation.person, affiliation.title, since, shown
            )
    return list(found.values())


def _counterpart(
    person_id: int, name: str, position: str, since: str, shown: list[InteractionRead]
) -> Counterpart:
    met = [
        item
        for item in shown
        if item.status is InteractionStatus.HELD
        and any(participant.id == person_id for participant in item.participants)
    ]
    return Counterpart(
        name=name,
        position=position,
        since=since,
        last_met=met[0].when if met else None,
        meetings=len(met),
    )


def _related(
    session: Session,
    target: Stakeholder,
    circle: set[int],
    allowed: set[Confidentiality],
    today: date,
) -> list[RelatedEngagement]:
    """Organisations around it (parent, sister organisations, branches) engaged in the last
    months, with what we did with them (within the cap)."""
    relation: dict[int, str] = {}
    if target.parent_id is not None:
        relation[target.parent_id] = "parent"
        for sibling in session.scalars(
            select(Stakeholder.id).where(
                Stakeholder.parent_id == target.parent_id, Stakeholder.id != target.id
            )
        ):
            relation[sibling] = "sister organisation"
    for child in stakeholders.descendants(session, target.id):
        relation.setdefault(child, "branch")
    if not relation:
        return []
    since = today - timedelta(days=RELATED_DAYS)
    rows = session.execute(
        select(
            Stakeholder.id,
            Stakeholder.name,
            Stakeholder.kind,
            Interaction.id.label("interaction_id"),
            Interaction.start_on,
            Interaction.precision,
        )
        .join(InteractionStakeholder, InteractionStakeholder.stakeholder_id == Stakeholder.id)
        .join(Interaction, Interaction.id == InteractionStakeholder.interaction_id)
        .where(
            Stakeholder.id.in_(list(relation)),
            Stakeholder.kind != StakeholderKind.POST.value,
            Interaction.confidentiality.in_([level.value for level in allowed]),
            Interaction.status != InteractionStatus.CANCELLED.value,
            Interaction.start_on >= since,
            Interaction.start_on <= today,
        )
        .order_by(Interaction.start_on.desc(), Interaction.id.desc())
    )
    found: dict[int, RelatedEngagement] = {}
    for row in rows:
        entry = found.get(row.id)
        if entry is None:
            found[row.id] = RelatedEngagement(
                name=row.name,
                relation=relation[row.id],
                kind=row.kind.replace("_", " "),
                last_contact=_day_text(row.start_on, row.precision),
                interactions=1,
            )
        else:
            entry.interactions += 1
    return list(found.values())[:RELATED_LIMIT]


def _day_text(day: date, precision: str) -> str:
    """A day at the precision it is known: 'May 2025' is not shown as '1 May 2025'."""
    month = MONTH_NAMES[day.month]
    if precision == Precision.MONTH.value:
        return f"{month} {day.year}"
    return f"{day.day} {month[:3]} {day.year}"


def _line(item: InteractionRead, own: str) -> BriefLine:
    # As in the report, a post is told through the people met (its holder is linked too, see
    # docs/posts.md); it is named only when nobody else is.
    named = [p for p in item.participants if p.name != own]
    people = [p.name for p in named if p.kind is not StakeholderKind.POST]
    others = people if people or not named else [p.name for p in named]
    return BriefLine(
        id=item.id,
        when=item.when,
        title=item.title,
        kind=item.kind.value,
        status=item.status.value,
        location=item.location,
        others=others if item.participants else [n for n in item.stakeholders if n != own],
        tags=item.tags,
        confidentiality=item.confidentiality,
        how=_how(item),
        their_delegation=item.their_delegation,
        our_delegation=item.staff,
    )


def _how(item: InteractionRead) -> str:
    """The meeting metadata in a few words; the notes themselves are never in a brief, but
    their attribution rule is said so that what is remembered of them is used rightly."""
    parts: list[str] = []
    if item.meeting_format is MeetingFormat.SIDELINES:
        parts.append(
            f"on the sidelines of {item.sidelines_of}" if item.sidelines_of else "sidelines"
        )
    elif item.meeting_format is not None and item.meeting_format.value != item.kind.value:
        parts.append(item.meeting_format.value)
    if item.languages:
        *rest, last = item.languages
        spoken = f"{', '.join(rest)} and {last}" if rest else last
        parts.append(f"in {spoken}" + (", with an interpreter" if item.interpreter else ""))
    elif item.interpreter:
        parts.append("with an interpreter")
    if item.attribution is not Attribution.ON_RECORD:
        parts.append(
            "notes under the Chatham House rule"
            if item.attribution is Attribution.CHATHAM_HOUSE
            else "notes off the record"
        )
    return "; ".join(parts)


def _month(item: InteractionRead) -> tuple[int, int]:
    day = item.period.first_day()
    return day.year, day.month


def _timeline(items: list[InteractionRead], grouping: str, own: str) -> list[TimelineGroup]:
    groups: list[TimelineGroup] = []
    for item in items:
        year, month = _month(item)
        label = (
            f"Q{(month - 1) // 3 + 1} {year}"
            if grouping == "quarter"
            else f"{MONTH_NAMES[month]} {year}"
        )
        if not groups or groups[-1].label != label:
            groups.append(TimelineGroup(label=label, lines=[]))
        groups[-1].lines.append(_line(item, own))
    return groups


def _frequency(items: list[InteractionRead]) -> str:
    if not items:
        return f"no contact in the last {WINDOW_MONTHS} months"
    months = Counter(_month(item) for item in items)
    (year, month), busiest = months.most_common(1)[0]
    text = (
        f"{len(items)} interaction{'s' if len(items) != 1 else ''} in the last "
        f"{WINDOW_MONTHS} months, in {len(months)} month{'s' if len(months) != 1 else ''}"
    )
    if len(months) > 1:
        text += f"; busiest {MONTH_NAMES[month]} {year} ({busiest})"
    return text


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))
