"""Peak memory of ``factdb import`` per bundle format, against the file's size.

    PYTHONPATH=. python bench/memory.py --statements 450000 --workdir /tmp/factdb-memory

Generates the bundle (bench/generate.py) as JSON Lines, imports it, exports the database as
YAML and as JSON Lines (``factdb export``), and imports each export into an empty database in a
subprocess that reports its own peak resident memory (VmHWM). Prints each file's size, the
import's peak and the ratio; the target is a peak under 400 MB for a 200 MB file of any format
(YAML used to peak at 33 times its size: it was composed whole). JSON documents are refused
above 64 MB (factdb.transfer.reading.MAX_DOCUMENT_BYTES: orjson parses them whole).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
from interchange import factdb  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=450_000)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="factdb-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data.jsonl"
    generate.write_jsonl(data, args.statements)
    source = work / "source.sqlite3"
    source.unlink(missing_ok=True)
    factdb("init", db=str(source))
    factdb("import", str(data), db=str(source))
    print(f"{args.statements:,} statements")
    for fmt, name in (("yaml", "export.yaml"), ("jsonl", "export.jsonl")):
        exported = work / name
        seconds, export_mb = factdb("export", "--format", fmt, "-o", str(exported), db=str(source))
        target = work / f"into-{fmt}.sqlite3"
        target.unlink(missing_ok=True)
        factdb("init", db=str(target))
        import_s, peak = factdb("import", str(exported), db=str(target))
        size = exported.stat().st_size / 2**20
        print(f"  {fmt:6} {size:7.0f} MB file: export {seconds:6.1f} s (peak {export_mb:.0f} MB); "
              f"import {import_s:6.1f} s, peak {peak:5.0f} MB = {peak / size:.2f} x the file "
              f"(at 200 MB: about {200 * peak / size:.0f} MB if it grew with the file; target < 400 MB)")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
