"""engagement: a stakeholder engagement tracker for diplomacy and humanitarian staff.

The public API is :class:`Tracker` (one method per use case), the read and input schemas in
:mod:`engagement.schemas`, the vocabularies in :mod:`engagement.vocab` and the errors in
:mod:`engagement.errors`. Names are imported lazily so that ``import engagement`` (and the CLI's
``--help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from engagement.errors import (
        AmbiguousName,
        ConcurrentEdit,
        DuplicateName,
        EngagementError,
        InteractionNotFound,
        InvalidInput,
        StakeholderNotFound,
        ValidationFailed,
    )
    from engagement.tracker import Tracker

__all__ = [
    "AmbiguousName",
    "ConcurrentEdit",
    "DuplicateName",
    "EngagementError",
    "InteractionNotFound",
    "InvalidInput",
    "StakeholderNotFound",
    "Tracker",
    "ValidationFailed",
    "__version__",
]

_LAZY = {
    "Tracker": "engagement.tracker",
    **{
        name: "engagement.errors"
        for name in (
            "AmbiguousName",
            "ConcurrentEdit",
            "DuplicateName",
            "EngagementError",
            "InteractionNotFound",
            "InvalidInput",
            "StakeholderNotFound",
            "ValidationFailed",
        )
    },
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engagement' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
