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
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


__all__ = ["trusted"]
