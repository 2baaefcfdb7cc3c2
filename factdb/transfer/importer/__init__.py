"""The importer: validate, resolve and write a bundle in one transaction, idempotently.

One code path serves a 40-record seed and a million-statement JSON Lines file. Records are
taken in batches of one kind; each batch is validated record by record, its references
resolved through in-memory maps (entity names and aliases, source and claim keys; statements
are looked up per batch with ``WHERE key IN (...)``), compared with what is stored, and written
with Core ``executemany`` (row ids drawn in advance, so no ``RETURNING`` round trips).
References that may point forward within a kind (``part_of``, ``roles[].of``, ``republishes``,
``links``, ``responds_to``) are resolved at the end.

Every problem of the whole bundle is collected; if there is any (and ``skip_invalid`` is not
set) :class:`factdb.errors.BundleInvalid` lists them all and the transaction rolls back, so
nothing is written. Idempotency: a record that would export identically to the stored row is
"unchanged"; an import adds and replaces, it never removes (fields a record leaves out are
kept, aliases, tags, links and roles are added to).
"""

from __future__ import annotations

import gc
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from factdb.errors import BundleInvalid
from factdb.transfer.importer.kinds import Valid
from factdb.transfer.importer.ledger import ImportSummary, Ledger
from factdb.transfer.importer.loader import Loader
from factdb.transfer.schema import KINDS, Record, check_record

__all__ = ["ImportSummary", "load_bundle", "BATCH"]

BATCH = 5000
# records read between two progress calls: often enough to move a bar, rarely enough to cost nothing
PROGRESS_STEP = 500


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off for the import: the records, keys and rows it keeps grow to
    millions of objects, each full collection walks all of them (13% of a 100k import's time),
    and an import makes next to no reference cycles to collect (a few hundred objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_bundle(
    session: Session,
    records: Iterable[Record],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    reject_sink: Callable[[dict[str, Any]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    label: str | None = None,
) -> ImportSummary:
    """Import ``(kind, fields, location)`` records into the session's transaction.

    ``records`` come from :func:`factdb.transfer.read_bundle` or from a converter (CSV,
    ClaimReview) building the same dicts. Raises :class:`BundleInvalid` with every problem
    unless ``skip_invalid``, in which case invalid records go to ``reject_sink`` (one dict per
    record: ``{"location", "problems", "record"}``) and the rest is written. ``dry_run``
    does everything inside a savepoint and rolls it back. ``progress(n)`` is called as records
    are read (``n`` more each time); ``label`` (the file name) is kept in the history entry of the import.
    """
    with _cyclic_gc_paused():
        return _load(session, records, dry_run=dry_run, skip_invalid=skip_invalid, reject_sink=reject_sink,
                     progress=progress, label=label)


def _load(
    session: Session,
    records: Iterable[Record],
    *,
    dry_run: bool,
    skip_invalid: bool,
    reject_sink: Callable[[dict[str, Any]], None] | None,
    progress: Callable[[int], None] | None,
    label: str | None,
) -> ImportSummary:
    savepoint = session.begin_nested() if dry_run else None
    summary = ImportSummary(dry_run=dry_run)
    try:
        loader = Loader(session, Ledger(session, summary, skip_invalid=skip_invalid, reject_sink=reject_sink))
        # batches of up to BATCH records of one kind, in file order (cut in C: no step per record here)
        for kind, run in itertools.groupby(_counted(records, progress), key=operator.itemgetter(0)):
            while batch := list(itertools.islice(run, BATCH)):
                _flush(loader, kind, batch, progress)
        loader.finish()
        if summary.problems and not skip_invalid:
            raise BundleInvalid(_listed(summary), count=summary.problem_count)
        loader.record_history(label)
    except BaseException:
        if savepoint is not None and savepoint.is_active:
            savepoint.rollback()
        raise
    if savepoint is not None:
        savepoint.rollback()
    return summary


def _flush(loader: Loader, kind: str | None, batch: list[Record], progress: Callable[[int], None] | None) -> None:
    valid: list[Valid] = []
    append = valid.append
    for record_kind, fields, location in batch:
        clean, problems = check_record(record_kind, fields, location)
        if problems:
            if clean:
                problems += loader.reference_problems(record_kind, clean, location)
            loader.refuse(record_kind, fields, location, problems)
        elif clean is not None:  # always, when there is no problem
            append((clean, fields, location))
    if kind in KINDS and valid:
        loader.load(kind, valid)


def _counted(records: Iterable[Record], progress: Callable[[int], None] | None) -> Iterable[Record]:
    """``records``, calling ``progress(n)`` every :data:`PROGRESS_STEP` records read and at the end."""
    if progress is None:
        return records  # as they are: a generator around them would cost every record
    return _counting(records, progress)


def _counting(records: Iterable[Record], progress: Callable[[int], None]) -> Iterator[Record]:
    pending = 0
    for record in records:
        yield record
        pending += 1
        if pending == PROGRESS_STEP:
            progress(pending)
            pending = 0
    if pending:
        progress(pending)


def _listed(summary: ImportSummary) -> list[str]:
    problems = list(summary.problems)
    hidden = summary.problem_count - len(problems)
    if hidden > 0:
        problems.append(f"... and {hidden} more problems")
    return problems
