"""What the activity report reads of the period's links: who took part in each interaction, in
the order they were logged, with their role's rank for leading it.

A year of a large log has hundreds of thousands of links, so each is a plain tuple and the
rank of its role is computed by the database (no string per link, and the leading link is a
``min()`` without a Python key function). The period's bounds come from
:class:`engagement.services.reports.Window`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from engagement.models import Interaction, InteractionStakeholder
from engagement.services.reports import Window, chunks


class LinkRow(NamedTuple):
    """A link of the period: a tuple, as a year of a large log has hundreds of thousands.
    The role is read as its ``rank`` for leading an interaction (:data:`ROLE_RANK`; a host is
    0), computed by the database: the leading link is then a ``min()`` without a Python key
    function, and no string is made per link."""

    interaction_id: int
    stakeholder_id: int
    rank: int
    position: int


#: Who leads an interaction: a host, then a counterpart, a participant, an observer; any other
#: role last. Ties go to the stakeholder logged first.
ROLE_RANK = {"host": 0, "counterpart": 1, "participant": 2, "observer": 3}
HOST_RANK = ROLE_RANK["host"]
OTHER_RANK = 9


_LINK_COLUMNS = (
    InteractionStakeholder.interaction_id,
    InteractionStakeholder.stakeholder_id,
    case(ROLE_RANK, value=InteractionStakeholder.role, else_=OTHER_RANK),
    InteractionStakeholder.position,
)


def period_links(
    session: Session, window: Window, recurring: Sequence[int], excluded: Sequence[int]
) -> dict[int, list[LinkRow]]:
    """The links of the period's interactions, by interaction, in the order they were logged.

    A recent period's one-off links are one range of the links' covering period index (they
    carry their interaction's days, status and level: migration 0009); an early period's are
    reached from the interactions' start day index."""
    if not window.levels:
        return {}
    connection = session.connection()
    link = InteractionStakeholder
    if window.by_last_on:
        query = window.one_off(select(*_LINK_COLUMNS), columns=link, excluded=excluded)
    else:
        query = window.one_off(
            select(*_LINK_COLUMNS).join(Interaction, Interaction.id == link.interaction_id),
            excluded=excluded,
        )
    grouped: dict[int, list[LinkRow]] = defaultdict(list)
    # LinkRow._make without its Python frame: a year of a large log has 300,000 links.
    make = partial(tuple.__new__, LinkRow)
    for row in connection.execute(query).all():
        grouped[row[0]].append(make(row))
    for chunk in chunks(recurring):
        for row in connection.execute(select(*_LINK_COLUMNS).where(link.interaction_id.in_(chunk))):
            grouped[row[0]].append(make(row))
    by_position = itemgetter(3)
    for group in grouped.values():
        if len(group) > 1:
            group.sort(key=by_position)
    return grouped
