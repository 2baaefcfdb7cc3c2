"""Sessions: one write transaction per command (with history), and read-only sessions.

Kept apart from :mod:`factdb.db` (the light path ``factdb info`` takes): this module loads
the ORM and the models.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from factdb import claim_flags, copies, history, touched
from factdb.search_index import refresh

__all__ = ["Actor", "transaction", "read_session"]


@dataclass(frozen=True)
class Actor:
    """Who makes a change and with which command; recorded in history."""

    name: str
    command: str | None = None

    @classmethod
    def default(cls, command: str | None = None) -> Actor:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no user name in a container: still record something honest
            name = "unknown"
        return cls(name, command)


@contextlib.contextmanager
def transaction(engine: Engine, actor: Actor | None = None, *, bulk: bool = False) -> Iterator[Session]:
    """One write transaction: everything inside commits together or not at all.

    ``bulk`` (an import): on SQLite the transaction runs without the row-by-row foreign key
    checks (see :func:`factdb.db.create_engine`); the importer resolves every reference itself
    and checks the rows it wrote set-based at the end (:mod:`factdb.transfer.importer.references`).

    The session records history for every ORM change (see :mod:`factdb.history`); the rows
    it changed are indexed for search, and the copies among the statements of the claims it
    touched marked and those claims' sourcing flags stored (:mod:`factdb.search_index`,
    :mod:`factdb.touched`, :mod:`factdb.copies`, :mod:`factdb.claim_flags`) before it commits.
    """
    bind = engine.execution_options(factdb_write=True, factdb_bulk=bulk)
    session = Session(bind=bind, autoflush=True, expire_on_commit=False)
    session.info["actor"] = actor or Actor.default()
    history.track(session)
    touched.track(session)
    try:
        with session.begin():
            yield session
            session.flush()
            claims = touched.claims(session)
            if claims:  # what is derived per claim: copy markers, then sourcing flags
                copies.mark_copies(session.connection(), claims)
                claim_flags.store_flags(session, claims)
            refresh(session.connection())
    finally:
        session.close()


@contextlib.contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only session (rolled back at the end)."""
    session = Session(bind=engine, autoflush=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
