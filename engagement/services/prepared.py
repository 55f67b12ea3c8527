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
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

_MAX_SHAPES = 600
_Shape = tuple[str, tuple[str, ...] | None, dict[str, Any]]


class Prepared:
    """A Core select with a fixed set of parameters, compiled per dialect and list lengths.

    List values are expanding ``IN`` parameters; ``run`` takes the same names and values as
    ``Connection.execute`` would. Parameter values are passed as the driver takes them (dates as
    ISO text on SQLite: see :func:`day_param`).
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
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
        sql, order, constants = shape
        values: dict[str, Any] = dict(constants)
        for name, value in params.items():
            if isinstance(value, list):
                for index, item in enumerate(value, 1):
                    values[f"{name}_{index}"] = item
            else:
                values[name] = value
        if order is None:
            return connection.exec_driver_sql(sql, values).fetchall()
        return connection.exec_driver_sql(sql, tuple(values[name] for name in order)).fetchall()

    def _compile(self, connection: Connection, params: Mapping[str, Any]) -> _Shape:
        bound = self.statement.params(dict(params))
        compiled = bound.compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        assert isinstance(compiled, SQLCompiler)
        # Parameters the statement holds itself (an OFFSET 0 the dialect adds, say).
        unexpanded = bound.compile(dialect=connection.dialect).construct_params() or {}
        constants = {name: value for name, value in unexpanded.items() if name not in params}
        if not compiled.positional:
            return compiled.string, None, constants
        return compiled.string, tuple(compiled.positiontup or ()), constants


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
    alone costs five times the parse).
    """
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)  # type: ignore[no-any-return]


def utc_or_none(value: Any) -> datetime | None:
    return None if value is None else utc(value)


def day_param(connection: Connection, value: date) -> Any:
    """A date as the driver takes it: ISO text for SQLite (the Date type's storage format)."""
    return value.isoformat() if connection.dialect.name == "sqlite" else value


__all__ = ["Prepared", "day", "day_or_none", "day_param", "utc", "utc_or_none"]
