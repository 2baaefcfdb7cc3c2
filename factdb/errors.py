"""Domain errors. The library raises these; the CLI maps them to one line on stderr.

Nothing here imports click or SQLAlchemy, so every layer may raise them cheaply.
"""

from __future__ import annotations

__all__ = [
    "FactdbError",
    "NotFound",
    "InvalidInput",
    "InUse",
    "DatabaseNotReady",
    "BundleInvalid",
]


class FactdbError(Exception):
    """Base class: a failure the user can understand and act on (exit code 1)."""

    exit_code = 1


class NotFound(FactdbError):
    """A name, key or id that matches nothing; carries the closest known names."""

    def __init__(self, what: str, name: str, suggestions: list[str] | None = None):
        self.what = what
        self.name = name
        self.suggestions = list(suggestions or [])
        # the kind an entity of that name would be created as, when the caller may create it
        self.creatable_kind: str | None = None
        message = f'No {what} named "{name}".'
        if self.suggestions:
            message += " Did you mean " + " or ".join(f'"{s}"' for s in self.suggestions) + "?"
        super().__init__(message)


class InvalidInput(FactdbError):
    """A value that cannot be stored: bad date, empty text, control characters ..."""


class InUse(FactdbError):
    """A delete refused because other rows still use the object."""


class DatabaseNotReady(FactdbError):
    """The database is missing, not a factdb database, or on an older schema."""


class BundleInvalid(FactdbError):
    """A bundle with problems; ``problems`` lists every one (file, line, field, message)."""

    def __init__(self, problems: list[str], count: int | None = None):
        self.problems = problems
        # every problem, also those only counted beyond the ones listed
        self.count = count if count is not None else len(problems)
        count = len(problems)
        head = problems[0] if problems else "invalid bundle"
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(head + more)
