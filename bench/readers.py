"""Readers and writers beside a large import: do they wait for it?

    PYTHONPATH=. python bench/readers.py --statements 200000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    PYTHONPATH=. python bench/readers.py --statements 200000            # SQLite (WAL), same measures

A base database (N/10 statements, keys of their own) gets a reader and a writer, each in its
own process, in a loop: the reader runs ``report claim`` of the base's median claim
(:func:`factdb.reports.claim_report`, what the command runs) and the writer runs ``factdb
attribute`` on another base claim (the CLI in-process, its own transaction per call). Three
phases, the same loops in each:

1. idle: nothing else runs;
2. control: ``factdb import`` of N statements runs into ANOTHER database (same CPU and disk
   load, no shared rows or tables), so slowdowns from a busy machine are measured apart;
3. same: the same import into the readers' own database.

Printed: the reader's median time per report in each phase, and ``same / control`` (target
1.0: the import's transaction never blocks a reader); the writer's median and slowest call, and
the slowest ``same`` call against the slowest ``control`` call (target: a writer waits at most
for the import's final commit, never for the whole import). On a shared 2-core machine the
absolute times mean little: compare the phases of one run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

ENTITY_FIELDS = ("name", "part_of", "outlet", "speaker", "speaker_affiliation", "reviewer", "publisher")


def write_base(path: Path, statements: int) -> None:
    """The base bundle: keys and entity names of its own (``b``-prefixed), so the big import
    only adds rows, never updates or merges one."""
    import orjson

    def own(value: str) -> str:
        return "B " + value

    with open(path, "wb") as stream:
        for kind, record in generate.records(statements, seed=1):
            for name in ENTITY_FIELDS:
                if name in record:
                    record[name] = own(record[name])
            for name in ("aliases", "via"):
                if name in record:
                    record[name] = [own(v) for v in record[name]]
            for role in record.get("roles", ()):
                if "of" in role:
                    role["of"] = own(role["of"])
            line = orjson.dumps({"type": kind, **record})
            for prefix in (b'"src-', b'"claim-', b'"st-'):
                line = line.replace(prefix, b'"b' + prefix[1:])
            stream.write(line + b"\n")


def reader(url: str, claim_key: str, stop: Any, out: Any) -> None:
    from factdb.db import create_engine
    from factdb.reports import claim_report
    from factdb.sessions import read_session

    engine = create_engine(url)
    times = []
    while not stop.is_set():
        began = time.perf_counter()
        with read_session(engine) as session:
            claim_report(session, claim_key)
        times.append(time.perf_counter() - began)
    engine.dispose()
    out.put(("reader", times, []))


def writer(url: str, claim_key: str, speaker: str, source: str, stop: Any, out: Any) -> None:
    import click

    from factdb.cli import cli

    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - each call prints what it recorded
    times, failures = [], []
    i = 0
    while not stop.is_set():
        i += 1
        args = ["--db", url, "--as", "bench-writer", "attribute", claim_key, "--speaker", speaker, "--stance",
                "asserts", "--source", source, "--quote", f"Bench writer, call {uuid.uuid4().hex[:8]} {i}."]
        began = time.perf_counter()
        try:
            cli.main(args, prog_name="factdb", standalone_mode=False)
        except click.ClickException as error:
            failures.append(error.format_message())
        times.append(time.perf_counter() - began)
        time.sleep(0.2)
    out.put(("writer", times[1:], failures))  # the first call loads the commands: not counted


def phase(url: str, claim: str, write: tuple[str, str, str], run: list[str] | None, seconds: float) -> dict:
    """Run the reader and the writer while ``run`` (a command) runs, or for ``seconds``."""
    stop, out = mp.Event(), mp.Queue()
    workers = [mp.Process(target=reader, args=(url, claim, stop, out)),
               mp.Process(target=writer, args=(url, *write, stop, out))]
    for worker in workers:
        worker.start()
    time.sleep(1.0)  # both started (imports done) before the phase counts
    began = time.perf_counter()
    if run is None:
        time.sleep(seconds)
    else:
        done = subprocess.run(run, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            stop.set()
            raise SystemExit(f"{' '.join(run[3:])} failed: {done.stderr}")
    elapsed = time.perf_counter() - began
    stop.set()
    results = {name: (times, failures) for name, times, failures in (out.get(timeout=120) for _ in workers)}
    for worker in workers:
        worker.join()
    return {"seconds": elapsed, **results}


def schema_url(base: str, schema: str) -> str:
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=200_000, help="statements of the big import")
    parser.add_argument("--postgres", metavar="URL", help="run on PostgreSQL (two fresh schemas) instead of SQLite")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="factdb-readers-"))
    work.mkdir(parents=True, exist_ok=True)
    base_data, big_data = work / "base.jsonl", work / "big.jsonl"
    write_base(base_data, max(1000, args.statements // 10))
    generate.write_jsonl(big_data, args.statements)
    schemas: list[str] = []
    if args.postgres:
        import psycopg

        plain = args.postgres.replace("postgresql+psycopg://", "postgresql://")
        schemas = ["bench_" + uuid.uuid4().hex[:8] for _ in range(2)]
        with psycopg.connect(plain, autocommit=True) as admin:
            for schema in schemas:
                admin.execute(f"CREATE SCHEMA {schema}")
        own, other = (schema_url(args.postgres, s) for s in schemas)
    else:
        own, other = (f"sqlite:///{work / name}" for name in ("own.sqlite3", "other.sqlite3"))
    python = [sys.executable, "-m", "factdb"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        for url, data in ((own, base_data), (other, base_data)):
            subprocess.run([*python, "--db", url, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
            subprocess.run([*python, "--db", url, "import", str(data)], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        from sqlalchemy import text

        from factdb.db import create_engine

        engine = create_engine(own)
        with engine.connect() as conn:
            counts = conn.execute(text(
                "SELECT c.key, count(*) AS n FROM statements s JOIN claims c ON c.id = s.claim_id "
                "GROUP BY c.key ORDER BY n, c.key")).all()
            claim = counts[len(counts) // 2][0]
            written = counts[len(counts) // 3][0]
            speaker = conn.execute(text(
                "SELECT e.name FROM entities e WHERE e.kind = 'person' ORDER BY e.id LIMIT 1")).scalar_one()
            source = conn.execute(text("SELECT key FROM sources ORDER BY id LIMIT 1")).scalar_one()
        engine.dispose()
        write = (written, speaker, source)
        print(f"base: {max(1000, args.statements // 10):,} statements; reader: report claim {claim} "
              f"({counts[len(counts) // 2][1]} statements); writer: attribute {written}; "
              f"import: {args.statements:,} statements; backend {'PostgreSQL' if args.postgres else 'SQLite'}",
              flush=True)
        phases = {
            "idle": phase(own, claim, write, None, args.idle_seconds),
            "control": phase(own, claim, write, [*python, "--db", other, "import", str(big_data)], 0),
            "same": phase(own, claim, write, [*python, "--db", own, "import", str(big_data)], 0),
        }
    finally:
        if schemas:
            with psycopg.connect(plain, autocommit=True) as admin:
                for schema in schemas:
                    admin.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"\n{'phase':<9}{'seconds':>9}{'reports':>9}{'report median':>15}{'writes':>8}{'write median':>14}"
          f"{'slowest':>10}  failures")
    for name, result in phases.items():
        reads, _ = result["reader"]
        writes, failures = result["writer"]
        print(f"{name:<9}{result['seconds']:9.1f}{len(reads):9d}{statistics.median(reads) * 1000:12.1f} ms"
              f"{len(writes):8d}{statistics.median(writes) * 1000:11.1f} ms{max(writes):9.2f}s  {len(failures)}")
        for failure in failures[:3]:
            print(f"    {failure}")
    same, control = phases["same"], phases["control"]
    read_ratio = statistics.median(same["reader"][0]) / statistics.median(control["reader"][0])
    print(f"\nreport claim during the import into its own database = {read_ratio:.2f} x during the import into "
          f"another (target 1.0: readers never wait for the import); "
          f"{statistics.median(same['reader'][0]) / statistics.median(phases['idle']['reader'][0]):.2f} x idle")
    slowest_same, slowest_control = max(same["writer"][0]), max(control["writer"][0])
    print(f"slowest writer call: {slowest_same:.2f}s during the import into its database, {slowest_control:.2f}s "
          f"during the other import (the import took {same['seconds']:.0f}s: a writer waiting for it would take "
          f"about that long)")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
