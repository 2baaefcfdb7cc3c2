"""Import/export benchmark: factdb against plain-Python baselines on the same rows.

    python bench/interchange.py --statements 1000000            # SQLite
    python bench/interchange.py --statements 200000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

One run:
  (c) ``factdb import`` of the generated JSON Lines into an empty database (a subprocess;
      wall time and peak RSS), then ``factdb export --format jsonl`` of that database;
  (a) naive baseline: the very rows (c) wrote, read back into memory per table, inserted into
      an empty database of the same schema with the stdlib sqlite3 ``executemany`` in one
      transaction, indexes and triggers (search queue, claim counts) in place, default
      settings (so the search index is left to build: the queue holds every row);
  (b) tuned baseline: the same, with a 1 GB page cache, the secondary indexes and the
      triggers dropped before the load, and after it the indexes built, the search index
      built (factdb.search_index.index_new: the same documents the import indexes) and the
      claim counts rebuilt once, the triggers recreated (the fastest plain approach we know);
  PostgreSQL: one baseline, psycopg's own COPY of the same rows.
Rates are statements per second, each run inserting every table's rows, not only statements.

Converted formats (``--converted-rows N``, default 10,000, LIAR train's size; 0 skips it): a
LIAR-layout TSV and a ClaimReview JSON-LD document of N synthetic rows/reviews, each imported
into an empty database, against importing the very records their converter yields, written
as a JSON Lines bundle, in the same run. The target: each >= 0.5 x the bundle's speed.

    python bench/interchange.py --statements 0 --converted-rows 10000

``--tuned-only`` leaves out the naive SQLite baselines (a) and (a0) (the slowest part of a 1M
run), ``--no-sqlite`` (with ``--postgres``) every SQLite run:

    python bench/interchange.py --statements 1000000 --converted-rows 0 --tuned-only
    python bench/interchange.py --statements 1000000 --converted-rows 0 --no-sqlite --postgres URL
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

TABLES = ("entities", "entity_names", "entity_roles", "sources", "claims", "claim_tags", "claim_links",
          "statements", "statement_via", "verdicts")


# The child reports its own peak: VmHWM of its address space. (``ru_maxrss`` from wait4 would
# also count the benchmark's own memory, inherited through fork before exec.)
_PEAK_REPORTER = """
import atexit, resource, sys
def _peak():
    try:
        with open("/proc/self/status") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(f"PEAK-KIB {kib}\\n")
    used = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write(f"CPU-S {used.ru_utime + used.ru_stime}\\n")
atexit.register(_peak)
from factdb.cli import main
sys.argv[0] = "factdb"
main()
"""


def factdb(*args: str, db: str, ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Run ``factdb --db DB ARGS`` in a subprocess: (seconds, peak RSS in MB)."""
    elapsed, peak, _cpu = factdb_timed(*args, db=db, ok_codes=ok_codes)
    return elapsed, peak


def factdb_timed(*args: str, db: str, ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Run ``factdb --db DB ARGS`` in a subprocess: (seconds, peak RSS in MB, CPU seconds of
    the process, user and system: what the load of the machine moves least)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_REPORTER, "--db", db, *args], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK-KIB ")]
    cpu = [line for line in done.stderr.splitlines() if line.startswith("CPU-S ")]
    if done.returncode not in ok_codes or not peak or not cpu:
        raise SystemExit(f"factdb {' '.join(args)} failed: {done.stderr}")
    return elapsed, int(peak[-1].split()[1]) / 1024, float(cpu[-1].split()[1])


def read_rows(url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row (c) wrote, per table, as plain tuples."""
    from psycopg.types.json import Json
    from sqlalchemy import text

    from factdb.db import create_engine

    engine = create_engine(url)
    rows = {}
    with engine.connect() as conn:
        for table in TABLES:
            result = conn.execute(text(f"SELECT * FROM {table}"))
            rows[table] = (
                list(result.keys()),
                [tuple(Json(v) if isinstance(v, (list, dict)) else v for v in r) for r in result.fetchall()],
            )
    engine.dispose()
    return rows


def sqlite_rows(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    import sqlite3

    conn = sqlite3.connect(path)
    rows = {}
    for table in TABLES:
        cursor = conn.execute(f"SELECT * FROM {table}")
        rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    conn.close()
    return rows


def sqlite_baseline(template: Path, target: Path, rows: dict, tuned: bool, triggers_off: bool = False) -> float:
    """Seconds of one baseline run (see the module docstring); the COMMIT's own (with its WAL
    checkpoint: the template, made by ``factdb init``, is in WAL mode) in :data:`COMMITS`."""
    import sqlite3

    shutil.copyfile(template, target)
    conn = sqlite3.connect(target, isolation_level=None)
    indexes, triggers = [], []
    if triggers_off:  # the schema as it was before revisions 0002/0003 (no rebuild afterwards)
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
    if tuned:
        conn.execute("PRAGMA cache_size=-1000000")
    start = time.perf_counter()
    conn.execute("BEGIN")
    if tuned:
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in indexes:
            conn.execute(f"DROP INDEX {name}")
        # the full-text sync and claim-count triggers too: the index and the counts are
        # rebuilt once after the load, as the importer does
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'").fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
    for table in TABLES:
        columns, values = rows[table]
        if values:
            marks = ",".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", values)
    for _name, sql in indexes:
        conn.execute(sql)
    if triggers:
        from factdb.counts import rebuild_claim_counts
        from factdb.search_index import index_new

        # the search documents (speakers' names, sources' titles, NFKC), as the import builds them
        index_new(conn, {"statements": 0, "claims": 0})
        rebuild_claim_counts(conn)
        for _name, sql in triggers:
            conn.execute(sql)
    committing = time.perf_counter()
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    COMMITS[target.name] = time.perf_counter() - committing
    conn.close()
    return elapsed


COMMITS: dict[str, float] = {}  # database file name -> seconds of its baseline's COMMIT


def postgres_copy_baseline(url: str, rows: dict) -> float:
    """psycopg COPY of the same rows into a fresh schema."""
    import uuid

    import psycopg

    from factdb.db import create_engine
    from factdb.migrate import migrate

    schema = "bench_" + uuid.uuid4().hex[:8]
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        joiner = "&" if "?" in url else "?"
        engine = create_engine(f"{url}{joiner}options=-csearch_path%3D{schema}")
        migrate(engine)
        engine.dispose()
        with psycopg.connect(plain, options=f"-csearch_path={schema}") as conn:
            start = time.perf_counter()
            with conn.cursor() as cursor:
                for table in TABLES:
                    columns, values = rows[table]
                    with cursor.copy(f"COPY {table} ({','.join(columns)}) FROM STDIN") as copy:
                        for row in values:
                            copy.write_row(row)
            conn.commit()
            return time.perf_counter() - start
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


SLUG_FIRST = ("jane", "john", "maria", "omar", "beto", "tip", "sara", "ali", "nancy", "mitch")
SLUG_LAST = ("doe", "smith", "orourke", "oneill", "garcia", "haddad", "pelosi", "mcconnell", "rao", "kim")
RATINGS = ("pants-fire", "false", "barely-true", "half-true", "mostly-true", "true")
PARTIES = ("democrat", "republican", "none", "talk-show-host", "libertarian")


def liar_rows(n: int) -> str:
    """N synthetic rows in LIAR's layout (14 tab-separated columns, no header)."""
    import random

    rng = random.Random(11)
    lines = []
    for i in range(n):
        speaker = f"{rng.choice(SLUG_FIRST)}-{rng.choice(SLUG_LAST)}-{i % 700}"
        words = " ".join(rng.choice(generate.WORDS) for _ in range(rng.randint(8, 20)))
        lines.append("\t".join((
            f"{i}.json", rng.choice(RATINGS), f"Says {words} in case {i}.", "economy,taxes", speaker,
            "State senator", "Texas", rng.choice(PARTIES), "1", "2", "3", "4", "5", f"a speech number {i % 50}",
        )))  # fmt: skip
    return "\n".join(lines) + "\n"


def claimreview_document(n: int) -> str:
    """One JSON-LD @graph of N synthetic ClaimReviews, each with a claimant and an appearance."""
    import json
    import random

    rng = random.Random(12)
    graph = []
    for i in range(n):
        words = " ".join(rng.choice(generate.WORDS) for _ in range(rng.randint(8, 20)))
        graph.append({
            "@type": "ClaimReview", "url": f"https://checks.example/{i}", "datePublished": "2023-03-04",
            "claimReviewed": f"{words} in case {i}", "headline": f"Check {i}", "inLanguage": "en",
            "author": {"@type": "Organization", "name": f"Checker {i % 20}", "url": f"https://c{i % 20}.example/"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1 + i % 5, "bestRating": 5, "worstRating": 1,
                             "alternateName": rng.choice(RATINGS)},
            "itemReviewed": {"@type": "Claim", "datePublished": "2023-03-01",
                             "author": {"@type": "Person", "name": f"Speaker {i % 900}"},
                             "firstAppearance": {"@type": "CreativeWork", "url": f"https://social.example/{i}"}},
        })  # fmt: skip
    return json.dumps({"@context": "https://schema.org", "@graph": graph})


def converted_ratios(work: Path, template: Path, n: int) -> None:
    """Each converted format against the same records as a JSON Lines bundle, in this run."""
    from factdb.transfer import records_from, write_bundle

    cases = {
        "spreadsheet (LIAR TSV)": ("rows.tsv", liar_rows(n), ("--preset", "liar"), "tsv", {"preset": "liar"}),
        "ClaimReview JSON-LD": ("reviews.jsonld", claimreview_document(n), (), "claimreview", {}),
    }
    print(f"\nConverted formats, {n} rows/reviews each, into an empty SQLite database:")
    for label, (name, text, options, fmt, converter_options) in cases.items():
        source = work / name
        source.write_text(text, encoding="utf-8")
        bundle = work / (name + ".jsonl")
        order = {"entity": 0, "source": 1, "claim": 2, "statement": 3, "verdict": 4}
        pairs = ((k, r) for k, r, _ in records_from(source, fmt, converter_options))
        converted = sorted(pairs, key=lambda pair: order[pair[0]])
        with bundle.open("wb") as stream:  # in dependency order, as an export writes a bundle
            write_bundle(converted, stream, "jsonl")
        times = {}
        for what, path, extra in (("converted", source, options), ("bundle", bundle, ())):
            target = work / f"convert-{what}.sqlite3"
            shutil.copyfile(template, target)
            times[what], _ = factdb("import", str(path), *extra, db=str(target))
        ratio = times["bundle"] / times["converted"]
        print(f"  {label:24} {times['converted']:6.2f}s   same records as JSONL {times['bundle']:6.2f}s   "
              f"= {ratio:.2f} x the bundle's speed (target >= 0.5)")


def sqlite_ratios(work: Path, n: int, data: Path, converted_rows: int, tuned_only: bool = False) -> None:
    """(a), (a0), (b) and (c) on SQLite (only (b) and (c) when ``tuned_only``), and the converted formats."""
    template = work / "template.sqlite3"
    template.unlink(missing_ok=True)
    factdb("init", db=str(template))
    target = work / "factdb.sqlite3"
    shutil.copyfile(template, target)
    import_s, import_mb, import_cpu = factdb_timed("import", str(data), db=str(target))
    print(f"factdb import: {import_s:.1f}s ({import_cpu:.1f}s CPU), peak {import_mb:.0f} MB", flush=True)
    (work / "export.jsonl").unlink(missing_ok=True)  # a --workdir used before
    export_s, export_mb = factdb("export", "--format", "jsonl", "-o", str(work / "export.jsonl"), db=str(target))
    rows = sqlite_rows(target)
    total = sum(len(v) for _c, v in rows.values())
    tuned = sqlite_baseline(template, work / "tuned.sqlite3", rows, tuned=True)
    rate = n / import_s
    print(f"\nSQLite, {n} statements ({total} rows in all tables):")
    against = ""
    if not tuned_only:
        naive = sqlite_baseline(template, work / "naive.sqlite3", rows, tuned=False)
        bare = sqlite_baseline(template, work / "bare.sqlite3", rows, tuned=False, triggers_off=True)
        print(f"  (a) naive executemany   {naive:7.1f}s  {n / naive:9.0f} statements/s")
        print(f"  (a0) naive, no triggers {bare:7.1f}s  {n / bare:9.0f} statements/s   "
              f"(import = {rate / (n / bare):.2f} x)")
        against = f"{rate / (n / naive):.2f} x (a), "
    print(f"  (b) tuned executemany   {tuned:7.1f}s  {n / tuned:9.0f} statements/s   "
          f"(its COMMIT {COMMITS['tuned.sqlite3']:.1f}s)")
    print(f"  (c) factdb import       {import_s:7.1f}s  {rate:9.0f} statements/s  peak {import_mb:.0f} MB"
          f"   = {against}{rate / (n / tuned):.2f} x (b) (target >= 0.5)")
    print(f"      factdb export jsonl {export_s:7.1f}s  {n / export_s:9.0f} statements/s  peak {export_mb:.0f} MB"
          f"   = {(n / export_s) / rate:.2f} x import")
    del rows
    if converted_rows:
        converted_ratios(work, template, converted_rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="factdb import/export benchmark")
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--postgres", metavar="URL", help="also (or only) run on this PostgreSQL database")
    parser.add_argument("--workdir", default=None, help="where the data and databases go (default: a temp dir)")
    parser.add_argument("--converted-rows", type=int, default=10_000, help="rows of the converted runs (0: none)")
    parser.add_argument("--no-sqlite", action="store_true", help="with --postgres: leave out the SQLite runs")
    parser.add_argument("--tuned-only", action="store_true",
                        help="SQLite: only the tuned baseline (b), not the naive ones (a) and (a0)")
    args = parser.parse_args(argv)
    if args.no_sqlite and not args.postgres:
        parser.error("--no-sqlite needs --postgres")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="factdb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.statements <= 0:
        template = work / "template.sqlite3"
        template.unlink(missing_ok=True)
        factdb("init", db=str(template))
        if args.converted_rows:
            converted_ratios(work, template, args.converted_rows)
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
        return
    data = work / "data.jsonl"
    n = args.statements
    start = time.perf_counter()
    counts = generate.write_jsonl(data, n)
    print(f"generated {data} ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f}s: "
          + ", ".join(f"{c} {k}" for k, c in counts.items()))

    if not args.no_sqlite:
        sqlite_ratios(work, n, data, args.converted_rows, args.tuned_only)

    if args.postgres:
        import uuid

        schema = "bench_" + uuid.uuid4().hex[:8]
        import psycopg

        plain = args.postgres.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        joiner = "&" if "?" in args.postgres else "?"
        url = f"{args.postgres}{joiner}options=-csearch_path%3D{schema}"
        try:
            factdb("init", db=url)
            pg_import_s, pg_mb = factdb("import", str(data), db=url)
            print(f"factdb import (PostgreSQL): {pg_import_s:.1f}s, peak {pg_mb:.0f} MB", flush=True)
            (work / "export-pg.jsonl").unlink(missing_ok=True)
            pg_export_s, _ = factdb("export", "--format", "jsonl", "-o", str(work / "export-pg.jsonl"), db=url)
            rows = read_rows(url)
        finally:
            with psycopg.connect(plain, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")
        copy_s = postgres_copy_baseline(args.postgres, rows)
        pg_rate = n / pg_import_s
        print(f"\nPostgreSQL, {n} statements:")
        print(f"  psycopg COPY            {copy_s:7.1f}s  {n / copy_s:9.0f} statements/s")
        print(f"  factdb import           {pg_import_s:7.1f}s  {pg_rate:9.0f} statements/s  peak {pg_mb:.0f} MB"
              f"   = {pg_rate / (n / copy_s):.2f} x COPY")
        print(f"  factdb export jsonl     {pg_export_s:7.1f}s  {n / pg_export_s:9.0f} statements/s"
              f"   = {(n / pg_export_s) / pg_rate:.2f} x import")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
