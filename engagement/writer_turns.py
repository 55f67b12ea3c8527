"""Fair turns for PostgreSQL writers, so that no writer starves.

Writes run SERIALIZABLE and a loser of a serialization race is retried. That is optimistic and
usually cheap, but not fair: on a busy two-core machine, eight processes incrementing one row
were seen to make one of them lose thirty races in a row, and its user would have been told the
database "stayed busy". So a writer that has lost a few races takes the *sole turn*: an
exclusive advisory lock, held in a transaction on a connection of its own, while every ordinary
write transaction first takes the same lock shared. PostgreSQL queues lock requests in order,
so once the starving writer asks, new writers wait behind it, the ones already running finish,
and its next attempt runs alone and wins.

The lock key is fixed; advisory locks are per database, so it never collides with another
database on the same server. Programs that write without this protocol are not held back, and
the retry loop in :meth:`engagement.storage.Database.write` still covers them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

#: "engt" in ASCII: the advisory lock every engagement writer shares (the migrations lock "enga").
TURN_KEY = 0x656E6774
#: Lost races before a writer asks for the sole turn.
ESCALATE_AFTER = 8


def share_turn(connection: Connection) -> None:
    """Called first in an ordinary write transaction: waits only while a starving writer holds
    or awaits the sole turn (the lock ends with the transaction)."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({TURN_KEY})")


@contextmanager
def sole_turn(engine: Engine) -> Iterator[None]:
    """Hold the exclusive turn while the body runs its transaction on another connection.

    The lock belongs to a transaction of its own on a connection of its own, so waiting for it
    never ages the writer's snapshot, and it ends with that transaction whatever happens: a
    lost connection or a killed session releases it too. (A session-level lock would outlive a
    failed unlock, and behind a pooler in transaction mode it could stay with a server
    connection that nobody unlocks.) If ending the transaction fails, the connection is
    discarded rather than pooled; the write has committed by then, so that is not the user's
    concern.
    """
    with engine.connect() as connection:
        try:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({TURN_KEY})")
        except BaseException:
            connection.invalidate()
            raise
        try:
            yield
        finally:
            try:
                connection.rollback()
            except Exception:
                connection.invalidate()
