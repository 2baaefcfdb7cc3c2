"""One writer of the concurrency test: ``python faults_worker.py URL WORKER COUNT READY GO RESULT``.

Imports the CLI, signals READY, waits for the GO file (the barrier), then runs ``factdb
attribute`` COUNT times in-process -- each call its own command invocation, engine and
transaction -- and writes the failures it saw to RESULT as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(url: str, worker: int, count: int, ready: Path, go: Path, result: Path) -> None:
    import click

    from factdb.cli import cli

    ready.touch()
    while not go.exists():
        time.sleep(0.001)
    failures = []
    for i in range(count):
        args = [
            "--db", url, "--as", f"worker-{worker}", "attribute", "iran-arms-militias", "--speaker", "Leon Panetta",
            "--stance", "asserts", "--source", "afp-2011-07-10", "--quote", f"Worker {worker} says it, time {i}.",
            "--via", "Iran state television",
        ]
        try:
            cli.main(args, prog_name="factdb", standalone_mode=False)
        except click.ClickException as error:
            failures.append(error.format_message())
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            failures.append(f"{type(error).__name__}: {error}")
    result.write_text(json.dumps(failures))


if __name__ == "__main__":
    url, worker, count, ready, go, result = sys.argv[1:]
    main(url, int(worker), int(count), Path(ready), Path(go), Path(result))
