"""What every command shares: the application context, ``--format``, output and errors.

Only click and light factdb modules are imported here; SQLAlchemy is imported by the library
functions a command calls, so ``factdb --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from factdb.db import mask_secrets
from factdb.errors import FactdbError
from factdb.normalize import check_name, printable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from factdb.sessions import Actor

LIST_FORMATS = ("table", "json", "csv", "markdown")
REPORT_FORMATS = ("table", "json", "csv", "markdown", "html")


class WrongCall(click.ClickException):
    """A wrong call (exit 2) reported on one line, without Click's usage block."""

    exit_code = 2


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """`` Did you mean "x"?`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


class Choice(click.Choice):
    """``click.Choice`` whose refusal suggests the closest choice (``--stance assert``)."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        return message + did_you_mean(str(value), (str(choice) for choice in self.choices))


# Click suggests a command of a group it has loaded, in its own words: ours replaces it
class FilePath(click.Path):
    """``click.Path`` that refuses a NUL character (no file name holds one; the OS would
    raise ValueError, not OSError)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if "\x00" in str(value):
            self.fail(f'"{printable(str(value))}": a file name cannot hold a NUL character.', param, ctx)
        return super().convert(value, param, ctx)


_NO_SUCH_COMMAND = re.compile(r"(No such command '(.*?)'\.)(?: Did you mean .*)?")


def one_line_usage(error: click.UsageError) -> WrongCall:
    """A Click usage error as one line: ``factdb report claim: Missing argument 'CLAIM'.``,
    with the closest command for an unknown one."""
    ctx = error.ctx
    # the root's name is "factdb" for users, whatever name the program was invoked under
    path = ctx.command_path.split(" ")[1:] if ctx is not None else []
    command = " ".join(["factdb", *path])
    hint = misplaced_root_option(error, command)
    if hint is not None:
        return WrongCall(printable(f"{command}: {hint}"))
    message = " ".join(error.format_message().split())  # Click lists some choices on lines of their own
    bare = isinstance(error, click.exceptions.NoArgsIsHelpError)
    if bare and ctx is not None and isinstance(ctx.command, click.Group):
        # a bare group: which commands it has, on one line (its help is one --help away)
        message = f"give a command: {', '.join(ctx.command.list_commands(ctx))} (or --help)."
    unknown = _NO_SUCH_COMMAND.fullmatch(message)
    if unknown and ctx is not None and isinstance(ctx.command, click.Group):
        message = unknown.group(1) + did_you_mean(unknown.group(2), ctx.command.list_commands(ctx))
    return WrongCall(printable(f"{command}: {message}"))


class OneLineUsage:
    """Usage errors while parsing become one line (:func:`one_line_usage`); mixed into the
    root group, which also turns those raised below it (every group and command) into one
    line; a bare group (``factdb``, ``factdb report``) lists its commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as error:
            raise one_line_usage(error) from None


def require_a_change(**changes: Any) -> None:
    """An edit with nothing to change is a wrong call, not a success: one line naming the
    options that change something."""
    if any(value is not None and value != () and value is not False for value in changes.values()):
        return
    ctx = click.get_current_context()
    flags = [p.opts[0] for p in ctx.command.params if isinstance(p, click.Option) and p.name in changes]
    path = " ".join(["factdb", *ctx.command_path.split(" ")[1:]])
    raise WrongCall(f"{path}: nothing to change; give {', '.join(flags)}.")


def default_database_path() -> Path:
    return Path(click.get_app_dir("factdb")) / "factdb.sqlite3"


@dataclass
class App:
    """Per-invocation state: which database, who is acting, with which command line."""

    db_option: str | None = None
    actor_name: str | None = None
    command_line: str = ""
    _engine: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        # factdb.db on first use: `factdb --help` needs no database code at all
        from factdb.db import resolve_url

        return resolve_url(self.db_option, os.environ, default_database_path())

    def engine(self, *, must_exist: bool = True, check_schema: bool = True) -> Engine:
        """The engine for the selected database; refuses a missing or outdated one."""
        if self._engine is None:
            from factdb.db import connect, require_current_schema

            engine = _reused_engine(self.url, must_exist)
            if engine is None:
                engine = connect(self.url, must_exist=must_exist)
            if check_schema:
                require_current_schema(engine)
            self._engine = engine
        return self._engine

    def actor(self) -> Actor:
        from factdb.sessions import Actor  # the ORM: not on the path of --help and info

        default = Actor.default(self.command_line)
        name = check_name(self.actor_name, "--as", max_length=200) if self.actor_name is not None else default.name
        return Actor(name, self.command_line)

    @contextlib.contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Session]:
        """One write transaction for the whole command (``bulk``: an import, see
        :func:`factdb.sessions.transaction`)."""
        # the ORM: not on the path of --help and info
        from factdb.sessions import transaction

        with transaction(self.engine(), self.actor(), bulk=bulk) as session:
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        # the ORM: not on the path of --help and info
        from factdb.sessions import read_session

        with read_session(self.engine()) as session:
            yield session

    def dispose(self, *, keep: bool = True) -> None:
        """Done with the engine: kept for the next command in this process, or (``keep=False``)
        closed."""
        if self._engine is not None:
            if keep:
                _keep_engine(self.url, self._engine)
            else:
                self._engine.dispose()
            self._engine = None


# The last command's engine, kept for the next command in the same process on the same
# database (a script driving the CLI in-process, a test worker): an engine caches its
# compiled statements, which otherwise cost each command about half its time. One at a time:
# another database's engine is disposed, so no pool of connections piles up.
# An SQLite file is known by its inode, size and modification time (commits go to the -wal
# file): a file replaced or rewritten by anyone else gets a new engine.
_last_engine: tuple[tuple[Any, ...], Engine] | None = None


def _engine_key(url: str) -> tuple[Any, ...]:
    from factdb.db import read_only_mode, sqlite_path

    path = sqlite_path(url)
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        stat = None
    identity = (
        (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, read_only_mode(path))
        if stat is not None and path is not None
        else None
    )
    return url, os.environ.get("FACTDB_SQLITE_BUSY_TIMEOUT_MS"), identity


def _reused_engine(url: str, must_exist: bool) -> Engine | None:
    global _last_engine
    if _last_engine is None:
        return None
    if _last_engine[0] != _engine_key(url):
        _last_engine[1].dispose()
        _last_engine = None
        return None
    return _last_engine[1]


def _keep_engine(url: str, engine: Engine) -> None:
    global _last_engine
    if _last_engine is not None and _last_engine[1] is not engine:
        _last_engine[1].dispose()
    _last_engine = (_engine_key(url), engine)


pass_app = click.make_pass_decorator(App, ensure=True)


def format_option(choices: tuple[str, ...] = LIST_FORMATS, default: str = "table") -> Callable:
    """The shared ``--format`` option of every listing, show and report."""
    return click.option(
        "--format",
        "fmt",
        type=Choice(choices),
        default=default,
        show_default=True,
        help="Output format; json is stable and documented in the README.",
    )


def limit_option(what: str) -> Callable:
    """The shared ``--limit N`` of the listings and reports that can run to thousands of rows."""
    return click.option(
        "--limit", type=click.IntRange(min=1), default=None, metavar="N", help=f"List only the first N {what}."
    )


def limited(rows: list[Any], limit: int | None, what: str) -> list[Any]:
    """The first ``limit`` of ``rows`` (read with one more than ``limit``, to tell), saying on
    stderr, so that a piped CSV or JSON stays clean, that more were left out."""
    if limit is None or len(rows) <= limit:
        return rows
    click.echo(f"The first {limit} {what}; more match (raise --limit to see them).", err=True)
    return rows[:limit]


def include_retracted_option() -> Callable:
    """The shared ``--include-retracted`` flag: retracted statements are hidden by default
    everywhere a statement is shown (``claim show``, ``statement list``, reports)."""
    return click.option(
        "--include-retracted",
        is_flag=True,
        help="Show retracted statements too (marked); they never count as support or opposition.",
    )


def echo(text: str, *, color: bool | None = None) -> None:
    click.echo(text, nl=not text.endswith("\n"), color=color)


def warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def terminal_style() -> Callable[[str], str] | None:
    """How to mark matched words on standard output: bold and underlined at a terminal
    (or with ``FORCE_COLOR`` set), never when ``NO_COLOR`` is set (no-color.org) or the
    output is piped or redirected."""
    if os.environ.get("NO_COLOR"):
        return None
    if not (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):
        return None
    return lambda text: click.style(text, bold=True, underline=True)


# --- errors ---------------------------------------------------------------------------------

# The root's own options: given after a subcommand they are unknown to it.
ROOT_OPTIONS = {"--db": "URL|PATH", "--as": "NAME"}


def misplaced_root_option(error: click.UsageError, command: str) -> str | None:
    """The hint for ``factdb history --db d.sqlite3``: the root's options go first."""
    if isinstance(error, click.NoSuchOption) and error.option_name in ROOT_OPTIONS:
        option = error.option_name
        rest = command.split(" ", 1)[1] if " " in command else ""
        return f"{option} goes before the command: factdb {option} {ROOT_OPTIONS[option]} {rest} ..."
    return None


def translate_error(error: BaseException) -> click.ClickException | None:
    """One line for a failure the user can act on; None for an unexpected error."""
    if isinstance(error, FactdbError):
        # one line by rule: user input quoted in it is escaped, never cut
        message = mask_secrets(str(error).strip())
        kind = getattr(error, "creatable_kind", None)
        if kind is not None:
            message += f" Pass --create to add it as a new {kind} entity."
        exc = click.ClickException(printable(message) or "error")
        exc.exit_code = error.exit_code  # type: ignore[misc]  # a ClassVar in Click's types, read per instance
        return exc
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(error, sa_exc.SQLAlchemyError):
        return click.ClickException(mask_secrets(_database_message(error, sa_exc)))
    if isinstance(error, OSError):
        text = _one_line(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return click.ClickException(mask_secrets(text))
    return None


NO_WRITE = "your database role cannot write; ask for the editor role"
_READS = ("select", "with", "show")


def _database_message(error: BaseException, sa_exc: Any) -> str:
    original = getattr(error, "orig", None) or error
    detail = _one_line(str(original))
    lowered = detail.lower()
    if getattr(original, "sqlstate", None) == "42501":  # PostgreSQL: insufficient_privilege
        statement = (getattr(error, "statement", None) or "").lstrip().lower()
        if statement.startswith(_READS) and "nextval" not in statement:
            return f"Your database role cannot read this ({detail}); ask for the reader role (factdb roles setup)."
        return NO_WRITE
    if "database is locked" in lowered or "database table is locked" in lowered:
        return _locked_message()
    if "readonly database" in lowered or "read-only" in lowered and "database" in lowered:
        return (
            "The database cannot be written here (read-only file or directory, or opened read-only): "
            "read commands work, this one writes; nothing was written. Ask for write access, or copy the file."
        )
    if "file is not a database" in lowered or "file is encrypted" in lowered:
        return "The database file is not an SQLite database (file is not a database); nothing was written."
    if isinstance(error, sa_exc.IntegrityError):
        return f"Refused by the database, nothing was written: {detail}"
    if isinstance(error, sa_exc.OperationalError) and ("connection" in lowered or "connect" in lowered):
        return f"Cannot connect to the database: {detail}"
    return f"Database error, nothing was written: {detail}"


def _locked_message() -> str:
    """SQLite: why a writer gave up, and what to do about it."""
    from factdb.db import SQLITE_BUSY_TIMEOUT_MS

    waited = int(os.environ.get("FACTDB_SQLITE_BUSY_TIMEOUT_MS") or SQLITE_BUSY_TIMEOUT_MS) / 1000
    return (
        f"The database is locked: another process kept its write lock (SQLite lets one writer in at a time) "
        f"for longer than the {waited:g} s this command waits, as a large import does; nothing was written. "
        "Try again when it is done, or wait longer with FACTDB_SQLITE_BUSY_TIMEOUT_MS."
    )


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "error"
