"""Looking back and ahead: a stakeholder's history and what is coming up."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from engagement.dates import Period, period_from_storage
from engagement.errors import StakeholderNotFound
from engagement.models import Affiliation, Interaction, InteractionStakeholder, Stakeholder
from engagement.schemas import InteractionRead, Upcoming, UpcomingItem
from engagement.services import followups, interactions, meetings, stakeholders
from engagement.services.prepared import Prepared
from engagement.services.resolve import resolve
from engagement.vocab import InteractionStatus, MeetingFormat, Precision

MAX_RECURRING_LOOKAHEAD = 1000
_ID_REFERENCE = re.compile(r"^#(\d+)$")
_EXISTS = Prepared(select(Stakeholder.id).where(Stakeholder.id == bindparam("id")))
# The page most callers ask for (the newest N, no filter), compiled once: building and compiling
# the statement cost more than the index walk.
_PAGE = Prepared(
    select(InteractionStakeholder.interaction_id)
    .join(Interaction, Interaction.id == InteractionStakeholder.interaction_id)
    .where(InteractionStakeholder.stakeholder_id == bindparam("stakeholder"))
    .order_by(
        InteractionStakeholder.start_on.desc(), Interaction.start_at.desc(), Interaction.id.desc()
    )
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def history(
    session: Session,
    name: str,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    include_related: bool = False,
    limit: int | None = None,
    offset: int = 0,
    meeting_format: MeetingFormat | None = None,
    sidelines_of: str | None = None,
) -> list[InteractionRead]:
    """Interactions with the stakeholder, newest first.

    With ``include_related``, also those of its branches (recursively) and of the people
    affiliated with it or its branches — each person only while they held the position, so a
    former ambassador's later meetings do not appear under the embassy.
    """
    metadata = meetings.filters(meeting_format, sidelines_of)
    if not include_related:
        own = _own_history(
            session,
            _stakeholder_id(session, name),
            start=start,
            end=end,
            limit=limit,
            offset=offset,
            where=metadata,
        )
        return interactions.read_many(session, own, today=today)
    target = resolve(session, name)
    organisations = [target.id]
    if include_related:
        organisations += stakeholders.descendants(session, target.id)
    conditions: list[ColumnElement[bool]] = [
        InteractionStakeholder.stakeholder_id.in_(organisations)
    ]
    if include_related:
        for person_id, since, until in session.execute(
            select(Affiliation.person_id, Affiliation.start_on, Affiliation.end_on).where(
                Affiliation.organisation_id.in_(organisations)
            )
        ):
            window: list[ColumnElement[bool]] = [InteractionStakeholder.stakeholder_id == person_id]
            if since is not None:
                window.append(Interaction.last_on >= since)
            if until is not None:
                window.append(Interaction.start_on <= until)
            conditions.append(and_(*window))
    matching = (
        select(InteractionStakeholder.interaction_id)
        .join(Interaction, Interaction.id == InteractionStakeholder.interaction_id)
        .where(or_(*conditions))
    )
    query = select(Interaction.id).where(Interaction.id.in_(matching))
    if start is not None:
        query = query.where(Interaction.last_on >= start)
    if end is not None:
        query = query.where(Interaction.start_on <= end)
    for condition in metadata:
        query = query.where(condition)
    query = query.order_by(
        Interaction.start_on.desc(), Interaction.start_at.desc(), Interaction.id.desc()
    )
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return interactions.read_many(session, list(session.scalars(query)), today=today)


def _own_history(
    session: Session,
    stakeholder_id: int,
    *,
    start: date | None,
    end: date | None,
    limit: int | None,
    offset: int,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[int]:
    """One stakeholder's interaction ids, newest first, read along the history index
    (stakeholder, start day, interaction) so that the newest page of a stakeholder with
    thousands of interactions costs what a page of a newcomer does: the index gives the days
    in order and only ties within a day are sorted."""
    link = InteractionStakeholder
    connection = session.connection()
    if start is None and end is None and not where and limit is not None:
        page = {"stakeholder": stakeholder_id, "limit": limit, "offset": offset}
        return [row[0] for row in _PAGE.run(connection, page)]
    query = (
        select(link.interaction_id)
        .join(Interaction, Interaction.id == link.interaction_id)
        .where(link.stakeholder_id == stakeholder_id)
    )
    if start is not None:
        query = query.where(Interaction.last_on >= start)
    if end is not None:
        query = query.where(link.start_on <= end)
    for condition in where:  # meeting metadata (--format, --sidelines-of)
        query = query.where(condition)
    query = query.order_by(link.start_on.desc(), Interaction.start_at.desc(), Interaction.id.desc())
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    # Core on the session's connection: the ORM's loading machinery costs more than the index
    # walk does.
    return [row[0] for row in connection.execute(query)]


def _stakeholder_id(session: Session, name: str) -> int:
    """The id ``name`` refers to; ``#12`` is checked with one indexed lookup rather than by
    loading the ORM object :func:`resolve` returns."""
    by_id = _ID_REFERENCE.match(name.strip())
    if by_id is None:
        return resolve(session, name).id
    wanted = int(by_id.group(1))
    if not _EXISTS.run(session.connection(), {"id": wanted}):
        raise StakeholderNotFound(name.strip())
    return wanted


def upcoming(session: Session, *, now: datetime, days: int) -> Upcoming:
    """Interactions in the next ``days`` days (a recurring one by its next occurrence) and the
    follow-ups due by then, overdue ones included."""
    today = now.date()
    until = today + timedelta(days=days)
    live = Interaction.status != InteractionStatus.CANCELLED.value
    one_off = list(
        session.scalars(
            select(Interaction.id)
            .where(
                live,
                Interaction.recurrence.is_(None),
                Interaction.last_on >= today,
                # Through coalesce so that the scan follows last_on (the future: a few rows)
                # rather than start_on (the whole past).
                func.coalesce(Interaction.start_on, Interaction.start_on) <= until,
            )
            .order_by(Interaction.start_on, Interaction.start_at, Interaction.id)
        )
    )
    recurring = list(
        session.scalars(
            select(Interaction.id).where(
                live, Interaction.recurrence.is_not(None), Interaction.start_on <= until
            )
        )
    )
    items: list[tuple[date, str, InteractionRead]] = []
    for interaction in interactions.read_many(session, one_off, today=today):
        items.append((interaction.period.first_day(), interaction.start, interaction))
    for interaction in interactions.read_many(session, recurring, today=today):
        occurrence = next_occurrence(interaction.period, interaction.recurrence or "", today, until)
        if occurrence is not None:
            items.append((*occurrence, interaction))
    items.sort(key=lambda item: (item[0], item[1]))
    return Upcoming(
        interactions=[UpcomingItem(occurrence=text, interaction=item) for _, text, item in items],
        follow_ups=followups.due(session, until=until, today=today),
    )


def next_occurrence(period: Period, rule: str, first: date, last: date) -> tuple[date, str] | None:
    """The first occurrence of a recurring period between ``first`` and ``last``."""
    from dateutil.rrule import rrulestr

    start = period.start
    anchor = start if isinstance(start, datetime) else datetime(start.year, start.month, start.day)
    try:
        recurrence = rrulestr(rule, dtstart=anchor)
    except (ValueError, TypeError):
        # An UNTIL written in local time cannot go with an aware start: expand in wall time.
        anchor = anchor.replace(tzinfo=None)
        try:
            recurrence = rrulestr(rule, dtstart=anchor)
        except (ValueError, TypeError):
            return None
    floor = datetime(first.year, first.month, first.day, tzinfo=anchor.tzinfo)
    found = recurrence.after(floor - timedelta(microseconds=1), inc=True)
    if found is None or found.date() > last:
        return None
    if period.precision is Precision.DATETIME:
        return found.date(), found.isoformat()
    if period.precision is Precision.MONTH:
        return found.date(), f"{found.year:04d}-{found.month:02d}"
    return found.date(), found.date().isoformat()


def describe_occurrence(interaction: InteractionRead, occurrence: str) -> str:
    """How an occurrence is shown: the interaction's own wording unless it recurs."""
    if not interaction.recurrence:
        return interaction.when
    level = interaction.period.precision
    if level is Precision.DAY:
        return period_from_storage(
            level.value, None, date.fromisoformat(occurrence), None, None, None
        ).describe()
    if level is Precision.DATETIME:
        moment = datetime.fromisoformat(occurrence)
        return Period(
            start=moment, precision=level, timezone=interaction.period.timezone
        ).describe()
    return occurrence


def recent(session: Session, *, today: date, limit: int = 10) -> list[InteractionRead]:
    """The latest interactions that have started, newest first."""
    ids = list(
        session.scalars(
            select(Interaction.id)
            .where(Interaction.start_on <= today)
            .order_by(
                Interaction.start_on.desc(), Interaction.start_at.desc(), Interaction.id.desc()
            )
            .limit(limit)
        )
    )
    return interactions.read_many(session, ids, today=today)
