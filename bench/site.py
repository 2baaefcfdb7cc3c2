"""Benchmark of ``factdb report site`` at scale (SQLite): time and size of the site.

Builds the database of ``bench/reports.py`` (N statements, N/10 claims, N/100 entities, 20%
of sources copies carrying their original's statements), then writes the site of it and
prints the time, the pages and their size, and the time of one typical dossier (the claim
reports are the bulk of the site) for comparison.

    PYTHONPATH=. python bench/site.py --statements 1000000    # 100,000 claims
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from reports import build

from factdb.db import create_engine
from factdb.reports.site import build_site
from factdb.sessions import read_session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary file)")
    parser.add_argument("--reuse", action="store_true", help="reuse --db as built by an earlier run")
    parser.add_argument("--out", type=Path, help="site directory (default: a temporary one, removed)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    path = args.db or work / "bench.sqlite3"
    if not (args.reuse and path.exists()):
        start = time.perf_counter()
        built = build(path, args.statements, fts=False)
        print(f"built {path} in {time.perf_counter() - start:.1f} s: {built['sizes']}")
    out = args.out or work / "site"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with read_session(engine) as session:
            cpu, wall = time.process_time(), time.perf_counter()
            done = build_site(session, out, database=f"sqlite:///{path}")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        engine.dispose()
    print(
        f"site: {done['pages']:,} pages ({done['claims']:,} claims, {done['entities']:,} entities), "
        f"{done['bytes'] / 1e6:,.1f} MB, in {wall:,.1f} s wall ({cpu:,.1f} s cpu): "
        f"{wall / max(done['pages'], 1) * 1000:.2f} ms a page"
    )
    if args.out is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
