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
        if name.strip().startswith("#") and name.strip()[1:].isdigit():
            message = f"{where}no stakeholder has id {name.strip()[1:]}"
        elif self.suggestions:
            quoted = ", ".join(repr(s) for s in self.suggestions)
            message += f"; did you mean {quoted}?"
        elif not name.strip().startswith("#"):
            message += "; add it first with 'engagement stakeholder add'"
        super().__init__(message)


class AmbiguousName(EngagementError):
    """Several stakeholders answer to this name; the user must pick one."""

    def __init__(self, name: str, candidates: Sequence[str], field: str = "") -> None:
        self.name = name
        self.candidates = list(candidates)
        where = f"{field}: " if field else ""
        listed = "; ".join(self.candidates)
        super().__init__(
            f"{where}{name!r} is ambiguous: it could be {listed}. Use the full name, add a "
            "country as in 'MFA (BY)', or give the id as '#12'."
        )


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


class CommitmentNotFound(EngagementError):
    def __init__(self, commitment_id: int) -> None:
        self.commitment_id = commitment_id
        super().__init__(f"no commitment has id {commitment_id}")


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


class WrongKey(StorageError):
    """An encrypted database could not be opened with the key given (or the file is not an
    encrypted database at all). The key itself is never part of the message."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"cannot open {path}: wrong key or not an encrypted database; nothing was changed"
        )


class CalendarFileRejected(EngagementError):
    """An .ics file cannot be imported at all (too large, not iCalendar, ...); nothing was
    written. Problems with single events are reported item by item instead."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class UnsafeExportPath(EngagementError):
    """A file name made from data (a calendar's name, say) would land outside the folder the
    user chose."""

    def __init__(self, name: str, folder: str) -> None:
        self.name = name
        self.folder = folder
        super().__init__(
            f"the file name {name!r} would be written outside {folder}; "
            "choose a plain name (letters, digits, '-' and '_') or give a file path"
        )


class TransferFileRejected(EngagementError):
    """A backup, dump or CSV file cannot be used as it is; nothing was written. ``problems``
    name each bad item by its place in the file (``stakeholders[3].name``, ``row 7: kind``)."""

    def __init__(self, source: str, problems: Sequence[str], hint: str = "") -> None:
        self.source = source
        self.problems = list(problems)
        shown = "; ".join(self.problems[:10])
        if len(self.problems) > 10:
            shown += f"; and {len(self.problems) - 10} more"
        message = f"{source}: {shown}; nothing was imported"
        super().__init__(f"{message} — {hint}" if hint else message)


class TargetNotEmpty(EngagementError):
    """A restore or a full import would land on a database that already holds data."""

    def __init__(self, what: str, count: int, how: str) -> None:
        self.what = what
        self.count = count
        super().__init__(f"the database already holds {count} {what}; nothing was changed — {how}")


class MergeRefused(EngagementError):
    """Two stakeholders cannot be merged (or a merge cannot be undone) as asked."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


class ImportRowsRejected(TransferFileRejected):
    """Some rows of a CSV import are wrong; nothing was imported. ``report`` says what every
    row would have done, so all the problems can be fixed in one go."""

    def __init__(self, source: str, problems: Sequence[str], report: object) -> None:
        self.report = report
        super().__init__(source, problems, "fix these rows (try again with --dry-run)")


class ReportConfigInvalid(EngagementError):
    """The report's sections file cannot be used; nothing was queried."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"report sections file {source}: {problem}")


class ReportRendererMissing(EngagementError):
    """A report format needs an optional package that is not installed."""

    def __init__(self, fmt: str, package: str, install: str, detail: str = "") -> None:
        self.fmt = fmt
        self.package = package
        self.install = install
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{fmt.upper()} reports need {package}, which is not available{extra}; "
            f"install it with: {install} — or write --format html and print it to PDF "
            "from a browser"
        )


class ReportRenderFailed(EngagementError):
    """The PDF renderer is installed but failed on this document (a bug of the renderer or of
    our print styles): one clear message instead of the renderer's traceback."""

    def __init__(self, package: str, reason: str) -> None:
        self.package = package
        self.reason = reason
        super().__init__(
            f"{package} failed to lay out the PDF ({reason}); nothing was written — write "
            "--format html and print it to PDF from a browser, and please report this"
        )


class AccessDenied(StorageError):
    """The database refused the connected role: a privilege it lacks, or a row above its
    clearance (PostgreSQL row-level security)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        if "row-level security" in reason:
            message = (
                "your database role's clearance does not allow this (the database refused it: "
                f"{reason}); nothing was saved"
            )
        else:
            message = f"your database role is not allowed to do this: {reason}"
        super().__init__(message)


class TenureOverlap(EngagementError):
    """A post has one holder at a time: the new tenure overlaps another holder's."""

    def __init__(self, post: str, person: str, holder: str, held: str, since: str) -> None:
        self.post = post
        self.holder = holder
        self.held = held
        super().__init__(
            f"{post!r} already has a holder in that period: {holder} ({held}); a post has one "
            f"holder at a time, so end that tenure first (engagement post assign {post!r} "
            f"{holder!r} --from {since} --to DATE) before assigning {person!r}"
            + ("; its start is not recorded, so give it too" if since == "DATE" else "")
        )
