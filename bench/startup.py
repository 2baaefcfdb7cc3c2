"""Start-up cost of the CLI, as ratios against baselines measured in the same run.

    python bench/startup.py [--runs 15]

- ``factdb --help`` against ``python -c "import click"`` (target: at most 1.5x): the CLI module
  must not import SQLAlchemy or other heavy modules at import time;
- ``factdb info`` on an SQLite database against ``python -c "import sqlalchemy.orm"`` (target:
  at most 1.25x): our own start-up work on top of SQLAlchemy's import stays small.

Each command runs ``--runs`` times in a fresh interpreter; the median wall time is compared
(machines here are noisy; absolute times mean little).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET = 1.5
INFO_TARGET = 1.25


def median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        subprocess.run([py, "-m", "factdb", "--db", db, "init"], check=True, stdout=subprocess.DEVNULL, env=env)
        factdb = [py, "-m", "factdb"]
        # interleave warm-up so the OS file cache is equally warm for every command
        for argv in ([py, "-c", "import click"], factdb + ["--help"], [py, "-c", "import sqlalchemy.orm"]):
            median_seconds(argv, 2, env)
        click_s = median_seconds([py, "-c", "import click"], args.runs, env)
        help_s = median_seconds(factdb + ["--help"], args.runs, env)
        orm_s = median_seconds([py, "-c", "import sqlalchemy.orm"], args.runs, env)
        info_s = median_seconds(factdb + ["--db", db, "info"], args.runs, env)
    rows = [
        ("factdb --help", help_s, "import click", click_s, HELP_TARGET),
        ("factdb info", info_s, "import sqlalchemy.orm", orm_s, INFO_TARGET),
    ]
    failed = False
    print(f"{'command':<16}{'median':>10}  {'baseline':<24}{'median':>10}{'ratio':>8}{'target':>8}")
    for name, seconds, base_name, base, target in rows:
        ratio = seconds / base
        ok = ratio <= target
        failed |= not ok
        print(
            f"{name:<16}{seconds * 1000:>8.0f}ms  {base_name:<24}{base * 1000:>8.0f}ms"
            f"{ratio:>8.2f}{'<=' + str(target):>8}  {'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
