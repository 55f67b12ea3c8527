"""Hot read statements compiled once and converted by hand.

For a page of 50 interactions, SQLAlchemy's ``Connection.execute`` costs several times what the
database spends answering: it expands ``IN`` lists into a new statement on every call and runs
every column of every row through its type. The read paths that must stay close to the raw
driver therefore build their statements with Core as everywhere else, compile each once per
dialect (and per number of ids), send it with ``exec_driver_sql`` — engine events still see
every statement — and convert the few typed columns themselves with the helpers below, which
give what the column types give on both engines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

_MAX_SHAPES = 600
_Plan = tuple[tuple[str | None, bool, Any], ...]
_Shape = tuple[str, tuple[str, ...] | None, dict[str, Any], _Plan | None, frozenset[str]]


class Prepared:
    """A Core select with a fixed set of parameters, compiled per dialect and list lengths.

    List values are expanding ``IN`` parameters; ``run`` takes the same names and values as
    ``Connection.execute`` would. Parameter values are passed as the driver takes them (dates as
    ISO text on SQLite: see :func:`day_param`).
    """

    def __init__(
        self, statement: ClauseElement, *, postgresql: ClauseElement | None = None
    ) -> None:
        self.statement = statement
        #: The same select written for PostgreSQL, where it differs (a list parameter sent as
        #: one array, say: a list the compiled statement does not expand is passed whole).
        self.postgresql = postgresql
        self._shapes: dict[tuple[object, ...], _Shape] = {}

    def run(self, connection: Connection, params: Mapping[str, Any]) -> Sequence[Any]:
        """The rows, as tuples in the order of the select's columns."""
        dialect = connection.dialect
        lengths = tuple(
            (name, len(value)) for name, value in params.items() if isinstance(value, list)
        )
        key = (dialect.name, dialect.paramstyle, lengths)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._compile(connection, params)
            if len(self._shapes) >= _MAX_SHAPES:
                self._shapes.clear()
            self._shapes[key] = shape
        sql, order, constants, plan, arrays = shape
        if plan is not None and not _watched(connection):
            arguments: list[Any] = []
            for name, whole, constant in plan:
                if name is None:
                    arguments.append(constant)
                elif whole:
                    arguments += params[name]
                else:
                    arguments.append(params[name])
            return _fetch(connection, sql, tuple(arguments))
        values: dict[str, Any] = dict(constants)
        for name, value in params.items():
            if isinstance(value, list) and name not in arrays:
                for index, item in enumerate(value, 1):
                    values[f"{name}_{index}"] = item
            else:
                values[name] = value
        given: Any = values if order is None else tuple(values[name] for name in order)
        if _watched(connection):
            return connection.exec_driver_sql(sql, given).fetchall()
        return _fetch(connection, sql, given)

    def _compile(self, connection: Connection, params: Mapping[str, Any]) -> _Shape:
        statement = self.statement
        if self.postgresql is not None and connection.dialect.name == "postgresql":
            statement = self.postgresql
        bound = statement.params(dict(params))
        compiled = bound.compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        assert isinstance(compiled, SQLCompiler)
        # Parameters the statement holds itself (an OFFSET 0 the dialect adds, say).
        unexpanded = bound.compile(dialect=connection.dialect).construct_params() or {}
        constants = {name: value for name, value in unexpanded.items() if name not in params}
        # Lists bound as one value (an array), not expanded into one parameter per item.
        arrays = frozenset(
            name
            for name, value in params.items()
            if isinstance(value, list)
            and name in compiled.binds
            and not compiled.binds[name].expanding
        )
        if not compiled.positional:
            return compiled.string, None, constants, None, arrays
        order = tuple(compiled.positiontup or ())
        plan = None if arrays else _plan(order, params, constants)
        return compiled.string, order, constants, plan, arrays


def _plan(
    order: tuple[str, ...], params: Mapping[str, Any], constants: Mapping[str, Any]
) -> _Plan | None:
    """How to lay out a positional statement's values without naming each: runs of a list's
    expanded names (``ids_1`` … ``ids_50``) become the list itself. None when the order is not
    made of such runs, scalars and constants (then every value is looked up by name)."""
    plan: list[tuple[str | None, bool, Any]] = []
    position = 0
    while position < len(order):
        name = order[position]
        whole = next(
            (
                key
                for key, value in params.items()
                if isinstance(value, list)
                and value
                and order[position : position + len(value)]
                == tuple(f"{key}_{index}" for index in range(1, len(value) + 1))
            ),
            None,
        )
        if whole is not None:
            plan.append((whole, True, None))
            position += len(params[whole])
            continue
        if name in params and not isinstance(params[name], list):
            plan.append((name, False, None))
        elif name in constants:
            plan.append((None, False, constants[name]))
        else:
            return None
        position += 1
    return tuple(plan)


def _watched(connection: Connection) -> bool:
    """Whether the statements must go through SQLAlchemy: when something looks at them
    (statement listeners, echo), or when no transaction has begun (SQLAlchemy begins one);
    otherwise they go straight to the driver's cursor, on the transaction already open."""
    dispatch = connection.dispatch
    return bool(
        connection._echo
        or dispatch.before_cursor_execute
        or dispatch.after_cursor_execute
        or not connection.in_transaction()
    )


def _fetch(connection: Connection, sql: str, arguments: Any) -> list[Any]:
    """The rows of ``sql`` read with the driver's own cursor, on the connection's transaction.

    ``exec_driver_sql`` sends the same text but costs ~50 µs a statement in Python (execution
    context, result metadata, row objects): more than the database takes to answer a page's
    tag or language list. Driver errors are wrapped as SQLAlchemy would wrap them (a lost
    connection invalidated as it would invalidate it), so callers and
    :mod:`engagement.storage`'s translation see the same exceptions.
    """
    dialect = connection.dialect
    driver = connection.connection.dbapi_connection
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, arguments)
        return cast("list[Any]", cursor.fetchall())
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, driver, cursor)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql,
            arguments,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
        ) from error
    finally:
        with suppress(dialect.loaded_dbapi.Error):  # a lost connection's cursor may not close
            cursor.close()


def day(value: Any) -> date:
    """A DATE column's value (ISO text on SQLite, a date on PostgreSQL)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def day_or_none(value: Any) -> date | None:
    if value is None:
        return None
    return date.fromisoformat(value) if isinstance(value, str) else value


def utc(value: Any) -> datetime:
    """A ``UTCDateTime`` column's value: stored naive UTC, handed back aware (as the type does).

    SQLite gives the stored text, which is parsed as UTC in one step (``replace(tzinfo=…)``
    alone costs five times the parse); PostgreSQL's naive value is recombined with the zone
    (``combine`` takes a quarter of ``replace``'s time: no keyword arguments to parse).
    """
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return _combine(value, value.time(), UTC)
    return value.astimezone(UTC)  # type: ignore[no-any-return]


_combine = datetime.combine


def utc_or_none(value: Any) -> datetime | None:
    return None if value is None else utc(value)


def day_param(connection: Connection, value: date) -> Any:
    """A date as the driver takes it: ISO text for SQLite (the Date type's storage format)."""
    return value.isoformat() if connection.dialect.name == "sqlite" else value


__all__ = ["Prepared", "day", "day_or_none", "day_param", "utc", "utc_or_none"]
