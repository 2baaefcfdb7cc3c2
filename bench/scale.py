"""How the cost of each command grows with the database: 100k, 1M and 3M statements.

    PYTHONPATH=. python bench/scale.py --sizes 100000,1000000            # SQLite
    PYTHONPATH=. python bench/scale.py --sizes 100000,1000000,3000000 --workdir /tmp/factdb-scale

For each size: the generated JSON Lines (bench/generate.py) imported into an empty database by
``factdb import`` (a subprocess: wall time and peak memory), exported by ``factdb export
--format jsonl``, checked by ``factdb check`` (subprocesses too, output discarded); then, in
this process, the best of 5 (after a warm-up) of the read paths a reporter uses:

- ``report claim`` (the dossier) and ``claim show`` of the median claim;
- ``search`` of a speaker's name (about 85 statements per speaker at every size, as a person's
  statements do not multiply with the size of the newsroom's database): the median person's
  name, and the median organisation's ("Office of Refugees of Sulvel": words thousands of
  other entities' names hold; a name is indexed once per entity, revision 0064, so the
  phrase's cost follows the entities' posting lists, not their statements');
- ``history --entity`` of that speaker, against a full scan of the history table;
- ``report contested`` (top 20) and ``report sourcing --limit 20`` (the whole report where
  :func:`factdb.reports.sourcing_report` takes no limit).

Ratios printed in the same run: check / export (target <= 3), history --entity / scan of the
history table (target <= 1/100), and per command the cost at each size against the smallest:
per statement for import (wall and CPU) and export (target within 1.25x), absolute for the
rest (the dossier, claim show, search and history --entity within 2x; contested and sourcing
sub-linear).

``--skip-slow-above N`` leaves out the whole-database commands (``check``, and ``report
sourcing`` where it takes no limit) at sizes above N (at 3M they take most of an hour on a
loaded 2-core machine); their cells then read "skipped" and their growth is taken to the largest size that ran them.
``--results FILE`` keeps each size's figures in a JSON file as the size finishes (a long run
cut short still leaves them), and ``--table FILE`` prints the growth table of such a file
without running anything; ``--reuse`` times only the read paths on the SQLite databases a run
with the same ``--workdir`` left.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
from interchange import factdb, factdb_timed  # noqa: E402


def best(fn: Callable[[], Any], repeat: int = 5) -> float:
    began = time.perf_counter()
    fn()  # warm the page cache
    warm = time.perf_counter() - began
    if warm > 30:  # a very slow one: the cache is a small part of it, once is enough
        return warm
    if warm > 3:  # a slow one: once more is enough
        repeat = 1
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def read_paths(url: str, slow: bool = True) -> dict[str, float]:
    """Seconds per read path on the database at ``url`` (best of 5); ``report sourcing``
    only when ``slow``."""
    from sqlalchemy import text

    from factdb.claims import claim_record
    from factdb.db import create_engine
    from factdb.history import history_listing
    from factdb.reports import claim_report, contested_report, sourcing_report
    from factdb.search import SearchFilters, search
    from factdb.sessions import read_session

    engine = create_engine(url)
    out: dict[str, float] = {}
    with read_session(engine) as session:
        conn = session.connection()
        counts = conn.execute(text(
            "SELECT claim_id, count(*) AS n FROM statements GROUP BY claim_id ORDER BY n, claim_id")).all()
        median_claim = counts[len(counts) // 2][0]
        claim_key = conn.execute(text("SELECT key FROM claims WHERE id = :id"), {"id": median_claim}).scalar_one()
        # the median speaker by statements among named people, and among the other named
        # speakers (organisations, ministries: "Office of Refugees of Sulvel"), whose names hold
        # words a third of all statements have; the same kind at every size, so the growth
        # compares like with like
        chosen = {}
        for label, condition in (("person", "e.kind = 'person'"), ("organization", "e.kind <> 'person'")):
            speakers = conn.execute(text(
                "SELECT s.speaker_id, count(*) AS n, min(e.name) FROM statements s JOIN entities e "
                f"ON e.id = s.speaker_id WHERE {condition} GROUP BY s.speaker_id ORDER BY n, s.speaker_id")).all()
            chosen[label] = speakers[len(speakers) // 2]
        speaker_id, speaker_statements, speaker = chosen["person"]
        _, organization_statements, organization = chosen["organization"]
        out["dossier"] = best(lambda: claim_report(session, claim_key))
        out["claim show"] = best(lambda: claim_record(session, claim_key))
        out["search"] = best(lambda: search(session, f'"{speaker}"', SearchFilters(limit=20)))
        out["search, organization"] = best(lambda: search(session, f'"{organization}"', SearchFilters(limit=20)))
        out["history --entity"] = best(lambda: history_listing(session, entity=speaker))
        out["history scan"] = best(lambda: conn.execute(text(
            'SELECT count(*), max(length(CAST("after" AS TEXT))) FROM history')).all(), repeat=3)
        out["report contested"] = best(lambda: contested_report(session, limit=20))
        # ``report sourcing --limit 20`` where the report takes a limit (the reports branch adds it)
        limited = "limit" in inspect.signature(sourcing_report).parameters
        options: dict[str, Any] = {"limit": 20} if limited else {}
        if limited or slow:  # with a limit it reads the stored flags: fast at every size
            out["report sourcing"] = best(lambda: sourcing_report(session, **options), repeat=3)
    engine.dispose()
    if not limited:
        print("    report sourcing: no limit in this version, the whole report timed")
    print(f"    median claim {claim_key} ({counts[len(counts) // 2][1]} statements); "
          f"speaker {speaker!r} ({speaker_statements} statements), organization {organization!r} "
          f"({organization_statements} statements)")
    return out


def run_size(work: Path, n: int, postgres: str | None, slow: bool = True, reuse: bool = False) -> dict[str, float]:
    """Every figure at ``n`` statements; ``check`` and ``report sourcing`` only when ``slow``.
    With ``reuse``, an SQLite database this bench built before in ``work`` is kept and only the
    read paths are timed."""
    path = work / f"factdb-{n}.sqlite3"
    if reuse and not postgres and path.exists():
        print(f"    reusing {path}: import, export and check not timed", flush=True)
        return read_paths(f"sqlite:///{path}", slow)
    data = work / f"data-{n}.jsonl"
    if not data.exists():
        generate.write_jsonl(data, n)
    if postgres:
        import uuid

        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:8]
        plain = postgres.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        joiner = "&" if "?" in postgres else "?"
        url = f"{postgres}{joiner}options=-csearch_path%3D{schema}"
        db = url
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        db = str(path)
    try:
        factdb("init", db=db)
        result: dict[str, float] = {}
        result["import"], result["import peak MB"], result["import CPU"] = factdb_timed("import", str(data), db=db)
        (work / f"export-{n}.jsonl").unlink(missing_ok=True)  # a --workdir used before
        result["export"], _ = factdb("export", "--format", "jsonl", "-o", str(work / f"export-{n}.jsonl"), db=db)
        if slow:
            result["check"], _ = factdb("check", "--fail-on", "error", db=db, ok_codes=(0, 1))
        result.update(read_paths(url, slow))
    finally:
        if postgres:
            with psycopg.connect(plain, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")
    return result


PER_STATEMENT = ("import", "import CPU", "export")
FLAT = ("dossier", "claim show", "search", "search, organization", "history --entity")
SUBLINEAR = ("report contested", "report sourcing")


def table(results: dict[int, dict[str, float]], load: str) -> None:
    """The growth table of ``results`` (figures per size), against the smallest size."""
    sizes = sorted(results)
    base = sizes[0]
    print(f"\n{load}")
    header = f"{'command':<22}" + "".join(f"{n:>14,}" for n in sizes) + "   growth   target"
    print(header)
    print("-" * len(header))
    for command in (*PER_STATEMENT, "check", *FLAT, *SUBLINEAR):
        cells = []
        for n in sizes:
            seconds = results[n].get(command)
            if seconds is None:
                cells.append("skipped")
            elif command in PER_STATEMENT:
                cells.append(f"{seconds / n * 1e6:10.1f} us/st")
            else:
                cells.append(f"{seconds * 1000:11.1f} ms")
        ran = [n for n in sizes if command in results[n]]
        if len(ran) < 2 or ran[0] != base:
            print(f"{command:<22}" + "".join(f"{c:>14}" for c in cells) + "   no growth measured")
            continue
        top = ran[-1]
        first, last = results[base][command], results[top][command]
        if command in PER_STATEMENT:
            growth = (last / top) / (first / base)
            target = "<= 1.25x per statement"
        elif command in FLAT:
            growth = last / first
            target = "<= 2x"
        elif command == "check":
            growth = (last / top) / (first / base)
            target = "per statement; <= 3x export at each size"
        else:
            growth = last / first
            target = f"< {top / base:.0f}x (sub-linear)"
        upto = "" if top == sizes[-1] else f" (to {top:,})"
        print(f"{command:<22}" + "".join(f"{c:>14}" for c in cells) + f"   {growth:5.2f}x   {target}{upto}")
    peaks = [f"{results[n]['import peak MB']:.0f} MB at {n:,}" for n in sizes if "import peak MB" in results[n]]
    if peaks:
        print("import peak memory: " + ", ".join(peaks))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="statement counts, comma-separated")
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database instead of SQLite")
    parser.add_argument("--workdir", default=None, help="where the data and databases go (default: a temp dir)")
    parser.add_argument("--skip-slow-above", type=int, default=None, metavar="N",
                        help="leave out check and report sourcing at sizes above N statements")
    parser.add_argument("--results", metavar="FILE", help="keep each size's figures in this JSON file")
    parser.add_argument("--table", metavar="FILE", help="print the growth table of a --results file, run nothing")
    parser.add_argument("--reuse", action="store_true",
                        help="time only the read paths on databases a run with this --workdir built")
    args = parser.parse_args(argv)
    if args.table:
        saved = json.loads(Path(args.table).read_text())
        table({int(n): r for n, r in saved["sizes"].items()}, saved["load"])
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="factdb-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, float]] = {}
    load = os.getloadavg()[0]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    for n in sizes:
        print(f"{n:,} statements ...", flush=True)
        slow = args.skip_slow_above is None or n <= args.skip_slow_above
        results[n] = run_size(work, n, args.postgres, slow, args.reuse)
        r = results[n]
        if "import" in r:
            checked = (f"check {r['check']:.1f}s = {r['check'] / r['export']:.2f} x export (target <= 3)"
                       if "check" in r else "check skipped")
            cpu = f", {r['import CPU']:.1f}s CPU" if "import CPU" in r else ""
            print(f"    import {r['import']:.1f}s{cpu} (peak {r['import peak MB']:.0f} MB), export {r['export']:.1f}s, "
                  + checked)
        print(f"    history --entity {r['history --entity'] * 1000:.2f} ms, scan of the history table "
              f"{r['history scan'] * 1000:.1f} ms: 1/{r['history scan'] / r['history --entity']:.0f} (target <= 1/100)",
              flush=True)
        print("    " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in r.items()
                                 if k not in ("import", "import CPU", "import peak MB", "export", "check")), flush=True)
        if args.results:
            Path(args.results).write_text(json.dumps(
                {"load": f"backend {backend}; load average {load:.1f} at the start, "
                         f"{os.getloadavg()[0]:.1f} after {n:,}",
                 "sizes": {str(k): v for k, v in results.items()}}, indent=1))
    table(results, f"backend {backend}; load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
