"""Domain exceptions.

Every failure a user can cause is one of these, carrying a message that names what was wrong and
how to fix it. Front ends print ``str(error)``; they never need to inspect SQL or tracebacks.
"""

from __future__ import annotations

from collections.abc import Sequence


class EngagementError(Exception):
    """Base class: the message is written for the person at the keyboard."""


class ValidationFailed(EngagementError, ValueError):
    """A field holds a value that cannot be accepted.

    It is also a ``ValueError`` so that pydantic validators can raise it and keep the field's
    position in a nested document.
    """

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        shown = repr(value) if isinstance(value, str) else str(value)
        super().__init__(f"{field}: {shown} {problem}")


class InvalidInput(EngagementError):
    """Input failed validation; ``problems`` lists each field that was wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) if self.problems else "invalid input")

    @classmethod
    def from_problems(cls, problems: Sequence[str]) -> InvalidInput:
        return cls(problems)


class StakeholderNotFound(EngagementError):
    """No stakeholder has this name or alias."""

    def __init__(self, name: str, suggestions: Sequence[str] = (), field: str = "") -> None:
        self.name = name
        self.suggestions = list(suggestions)
        where = f"{field}: " if field else ""
        message = f"{where}no stakeholder is called {name!r}"
        if self.suggestions:
            quoted = ", ".join(repr(s) for s in self.suggestions)
            message += f"; did you mean {quoted}?"
        else:
            message += "; add it first with 'engagement stakeholder add'"
        super().__init__(message)


class AmbiguousName(EngagementError):
    """Several stakeholders answer to this name; the user must pick one."""

    def __init__(self, name: str, candidates: Sequence[str], field: str = "") -> None:
        self.name = name
        self.candidates = list(candidates)
        where = f"{field}: " if field else ""
        listed = "; ".join(self.candidates)
        super().__init__(f"{where}{name!r} is ambiguous: it could be {listed}. Use the full name.")


class DuplicateName(EngagementError):
    """A stakeholder with the same canonical name already exists."""

    def __init__(self, name: str, existing: str) -> None:
        self.name = name
        self.existing = existing
        super().__init__(
            f"name: {name!r} is already taken by the stakeholder {existing!r}; "
            "choose a distinguishing name or add it as an alias"
        )


class InteractionNotFound(EngagementError):
    def __init__(self, interaction_id: int) -> None:
        self.interaction_id = interaction_id
        super().__init__(f"no interaction has id {interaction_id}")


class FollowUpNotFound(EngagementError):
    def __init__(self, follow_up_id: int) -> None:
        self.follow_up_id = follow_up_id
        super().__init__(f"no follow-up has id {follow_up_id}")


class ConcurrentEdit(EngagementError):
    """The record changed after the editor read it (optimistic locking)."""

    def __init__(self, what: str, expected: int | None = None, found: int | None = None) -> None:
        self.what = what
        self.expected = expected
        self.found = found
        super().__init__(
            f"{what} changed since you opened it (someone else saved a newer version); "
            "reload it and apply your change again"
        )


class StorageError(EngagementError):
    """The database cannot be opened or used (wrong URL, newer schema, locked, ...)."""
