"""Read models built from rows the database already holds, without validating them again.

A page of history is 50 interactions and a few hundred participants; validating each of those
small models costs more than the database spends answering, and pydantic's
``model_construct`` is slower still for them (it walks every field in Python to apply
defaults). What was validated on the way in is trusted on the way out: :func:`trusted` sets the
same state ``model_construct`` sets when every field is given, in one step. Callers pass every
field, already converted to its type (tests compare the result with a validated model).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__


def trusted(model: type[M], values: dict[str, Any]) -> M:
    """An instance of ``model`` holding ``values`` (every field, converted) as they are."""
    instance = model.__new__(model)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", every_field(model))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def every_field(model: type[BaseModel]) -> set[str]:
    """The names of all of ``model``'s fields, as one set shared by every trusted instance.

    Sharing is safe because the set already holds every field: the only change pydantic makes
    to it (adding the name of an assigned field) leaves it as it is.
    """
    names = _EVERY_FIELD.get(model)
    if names is None:
        names = _EVERY_FIELD[model] = set(model.model_fields)
    return names


_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


__all__ = ["every_field", "trusted"]
