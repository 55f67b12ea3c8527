"""The ``engagement`` command line.

Command modules import only click at load time; the library (SQLAlchemy, pydantic) is imported
when a command runs, so ``engagement --help`` starts instantly. The command modules themselves
are loaded when one of their commands is asked for (:class:`_LazyGroup`): ``engagement tui``
pays for none of them, ``--help`` and anything that reads the whole tree load them all. Every
domain error becomes one line on stderr and a non-zero exit; a traceback means a bug.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from engagement.tracker import Tracker

EXIT_USER_ERROR = 1
# Commands that may start a new database file; every other command needs an existing one.
CREATING_COMMANDS = frozenset(
    {
        "init",
        "sample",
        "log",
        "stakeholder add",
        "import",
        "restore",
        "bench",
        "tui",
    }
)


class AppContext:
    """What every command gets: the database URL and a lazily opened tracker."""

    def __init__(self, db: str | None, key_file: Path | None = None) -> None:
        self.db = db
        self.key_file = key_file
        self._key: str | None = None
        self._tracker: Tracker | None = None

    def tracker(self) -> Tracker:
        if self._tracker is None:
            from engagement.tracker import Tracker

            self._refuse_missing_file()
            key = self.key()
            self._tracker = Tracker(self.db, key=key)
            path = self._tracker.db.sqlite_path()
            if key is not None and path is not None:
                from engagement import encryption

                # The key opened the file: the TUI may open it again without asking.
                encryption.remember(path, key)
        return self._tracker

    def key(self) -> str | None:
        """The key of an encrypted database (``sqlcipher:///PATH``), else None."""
        from engagement.database_url import resolve_url

        url = resolve_url(self.db)
        if not url.startswith("sqlite+pysqlcipher://") or "@" in url.split("/", 3)[2]:
            return None  # not encrypted, or a key written in the URL itself
        if self._key is None:
            from engagement.cli.encryption import key_for

            path = Path(url.removeprefix("sqlite+pysqlcipher:///"))
            self._key = key_for(path, self.key_file)
        return self._key

    def _refuse_missing_file(self) -> None:
        """A mistyped --db must not quietly create an empty database for a command that only
        reads: the user would be told their stakeholders do not exist."""
        from engagement.database_url import resolve_url
        from engagement.errors import StorageError

        context = click.get_current_context(silent=True)
        path = context.command_path.split(" ", 1)[-1] if context else ""
        if path.split(" ")[0] in CREATING_COMMANDS or path in CREATING_COMMANDS:
            return
        url = resolve_url(self.db).replace("sqlite+pysqlcipher:///", "sqlite:///", 1)
        if url.startswith("sqlite:///") and not url.endswith(":memory:"):
            file = Path(url.removeprefix("sqlite:///"))
            if not file.exists():
                raise StorageError(
                    f"there is no database at {file}; check --db (or $ENGAGEMENT_DB), or "
                    "create one with 'engagement init'"
                )

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None


# Which command modules (engagement/cli/<module>.py) put commands into which group, by command
# name. A module's register() adds all of its commands at once, into whatever groups it uses;
# a test checks this table against what the modules actually register.
LAZY_COMMANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "": {
        "stakeholder": ("stakeholders", "transfer"),
        "affiliation": ("stakeholders",),
        "log": ("interactions",),
        "interaction": ("interactions",),
        "follow-up": ("interactions",),
        "commitment": ("commitments",),
        "commitments": ("commitments",),
        "post": ("posts",),
        "brief": ("brief",),
        "bench": ("bench",),
        "history": ("views",),
        "upcoming": ("views",),
        "search": ("search",),
        "dormant": ("search",),
        "stats": ("search",),
        "feed": ("calendars",),
        "report": ("report",),
        "backup": ("transfer",),
        "restore": ("transfer",),
        "audit": ("audit",),
        "clearance": ("audit",),
        "encrypt": ("encryption",),
        "rekey": ("encryption",),
    },
    "export": {"ics": ("calendars",), "json": ("transfer",), "csv": ("transfer",)},
    "import": {"ics": ("calendars",), "json": ("transfer",), "csv": ("transfer",)},
}
# transfer adds merge/unmerge to the stakeholder group, so that group must exist first.
_MODULE_NEEDS = {"transfer": ("stakeholders",)}
_loaded_modules: set[str] = set()


class _LazyGroup(click.Group):
    """A group whose commands from other modules are imported when first asked for.

    Reading :attr:`commands` (a walk over the whole tree, as the docs test does) loads every
    module, so the tree always looks complete from outside; click's own lookups go through
    :meth:`get_command` and load only what the command line names.
    """

    def __init__(self, *args: Any, lazy_key: str = "", **kwargs: Any) -> None:
        self._lazy_key = lazy_key
        self._commands: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        _load_all()
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._commands[name] = cmd

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self._commands:
            for module in LAZY_COMMANDS[self._lazy_key].get(cmd_name, ()):
                _load(module)
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self._commands) | set(LAZY_COMMANDS[self._lazy_key]))


def _load(module: str) -> None:
    """Import ``engagement.cli.<module>`` and let it register its commands (once)."""
    if module in _loaded_modules:
        return
    for needed in _MODULE_NEEDS.get(module, ()):
        _load(needed)
    _loaded_modules.add(module)
    loaded = importlib.import_module(f"engagement.cli.{module}")
    if module in ("calendars", "transfer"):
        loaded.register(main, export_group, import_group)
    else:
        loaded.register(main)


def _load_all() -> None:
    for commands in LAZY_COMMANDS.values():
        for modules in commands.values():
            for module in modules:
                _load(module)


class _Group(_LazyGroup):
    """Turns domain errors into one clear line, wherever in the command they happen."""

    def invoke(self, ctx: click.Context) -> Any:
        from engagement.errors import EngagementError

        try:
            return super().invoke(ctx)
        except EngagementError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_USER_ERROR)
        except click.UsageError as error:
            if error.ctx is not None and error.ctx is not ctx:
                hint = f" (see '{error.ctx.command_path} --help')"
            else:
                hint = ""
            click.echo(f"error: {error.format_message()}{hint}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing more was written", err=True)
            ctx.exit(130)


pass_app = click.make_pass_decorator(AppContext)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    help="Database: a file path or SQLAlchemy URL (sqlite:///…, sqlcipher:///… for an "
    "encrypted file, postgresql+psycopg://…). Default: $ENGAGEMENT_DB, else a file in your "
    "data directory.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File whose first line is the key of an encrypted (sqlcipher:///) database. "
    "Else $ENGAGEMENT_KEY, $ENGAGEMENT_KEY_FILE, or a prompt at a terminal.",
)
@click.version_option(package_name="engagement")
@click.pass_context
def main(ctx: click.Context, db: str | None, key_file: Path | None) -> None:
    """Track engagement with stakeholders: log meetings, search history, export calendars."""
    app = AppContext(db, key_file)
    ctx.obj = app
    ctx.call_on_close(app.close)


@main.command()
@pass_app
def init(app: AppContext) -> None:
    """Create the database, or upgrade it to the current schema."""
    from engagement.storage import display_url

    tracker = app.tracker()
    messages = {
        "created": "Created the engagement schema in",
        "upgraded": "Upgraded the database",
        "current": "The database is up to date",
    }
    click.echo(
        f"{messages.get(tracker.schema_status, tracker.schema_status)}: {display_url(tracker.url)}"
    )


@main.command()
@pass_app
def check(app: AppContext) -> None:
    """Check the database file for damage and report on the storage."""
    for label, value in app.tracker().check_storage():
        click.echo(f"{label:>16}: {value}")


@main.group()
def sample() -> None:
    """The sample data set built from the seed activity report."""


@sample.command("load")
@click.option("--with-examples", is_flag=True, help="Also add a few planned example events.")
@pass_app
def sample_load(app: AppContext, with_examples: bool) -> None:
    """Load the sample data set (loading it again duplicates nothing)."""
    summary = app.tracker().load_sample(with_examples=with_examples)
    click.echo(
        f"Sample data loaded: {summary.stakeholders_added} stakeholders added, "
        f"{summary.stakeholders_updated} updated; {summary.affiliations_added} affiliations added; "
        f"{summary.posts_added} posts added; "
        f"{summary.interactions_added} interactions added, {summary.interactions_updated} updated; "
        f"{summary.commitments_added} commitments added."
    )


@main.group("export", cls=_LazyGroup, lazy_key="export")
def export_group() -> None:
    """Write data out: calendars (ics) and more."""


@main.group("import", cls=_LazyGroup, lazy_key="import")
def import_group() -> None:
    """Read data in: calendar invitations (ics) and more."""


@main.command()
@pass_app
def tui(app: AppContext) -> None:
    """Open the terminal user interface."""
    from tui.app import run

    if app.key() is not None:
        # Check the key here, where a wrong one is one clear line, before the screen opens;
        # the TUI then opens the file with the key remembered for it.
        app.tracker()
        app.close()
    run(app.db)


def run() -> None:  # pragma: no cover - console entry point wrapper
    main(prog_name="engagement")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
