"""Where one ``factdb import`` spends its time: the command run in this process with a timer
(and the resident memory after it) around each phase of the importer's end and the commit.

    PYTHONPATH=. python bench/import_phases.py --db /tmp/x.sqlite3 import data.jsonl

Arguments are those of ``factdb``. Each phase prints one ``PHASE`` line on stderr when it ends
(seconds, seconds since the start, RSS and peak RSS in MB); the reading, validating and writing
of the records is the time before the first end phase (``forward references``). The timers wrap the
importer's functions by name, so a phase renamed or moved is simply not printed.
"""

from __future__ import annotations

import functools
import resource
import sys
import time
from typing import Any

START = time.perf_counter()


def _memory() -> str:
    with open("/proc/self/status") as status:
        found = {line.split(":")[0]: int(line.split()[1]) // 1024 for line in status if line.startswith("Vm")}
    return f"rss {found.get('VmRSS', 0)} MB, peak {found.get('VmHWM', 0)} MB"


def _timed(owner: Any, name: str, label: str | None = None) -> None:
    function = getattr(owner, name, None)
    if function is None:
        return

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            ended = time.perf_counter()
            sys.stderr.write(f"PHASE {label or name:30} {ended - began:7.2f}s  at {ended - START:7.1f}s  {_memory()}\n")

    setattr(owner, name, timed)


def main() -> None:
    import sqlalchemy.engine.base as engine_base

    from factdb import claim_flags, sessions
    from factdb.cli import main as factdb_main
    from factdb.transfer.importer import bulk, loader, suspend

    for owner, name, label in (
        (loader.linking, "finish", "forward references"), (bulk.BulkWriter, "build_indexes", "index builds"),
        (loader.touched, "loaded_claims", None), (loader.copies, "mark_copies", "copy marking"),
        (suspend, "resume_queue", "search index"), (suspend, "restore_claim_count_triggers", "counts"),
        (suspend, "rebuild_claim_counts", "recount of updated claims"), (claim_flags, "_set_based", "flags query"),
        (loader.claim_flags, "store_flags", "sourcing flags"), (loader.texts, "anchor_quotes", "quote anchors"),
        (loader.references, "check_references", "reference check"), (loader.Loader, "finish", "end (all above)"),
        (loader.Loader, "record_history", "insert history"), (sessions, "refresh", "search queue"),
        (engine_base.RootTransaction, "_do_commit", "commit"),
    ):  # fmt: skip
        _timed(owner, name, label)
    sys.argv[0] = "factdb"
    try:
        factdb_main()
    finally:
        used = resource.getrusage(resource.RUSAGE_SELF)
        sys.stderr.write(f"TOTAL {time.perf_counter() - START:.1f}s, CPU {used.ru_utime + used.ru_stime:.1f}s, "
                         f"{_memory()}\n")


if __name__ == "__main__":
    main()
