"""A large, valid JSON Lines bundle for the kill test (and for timing the importer by hand).

    python tests/faults_bundles.py big.jsonl 60000
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STANCES = ("asserts", "acknowledges", "denies", "disputes")


def write_big_bundle(path: Path, statements: int, *, speakers: int = 200, sources: int = 500, claims: int = 300) -> int:
    """Write a bundle of ``statements`` statements (with entities, sources, claims they need);
    return the number of records."""
    lines = []
    for i in range(speakers):
        lines.append({"type": "entity", "name": f"Speaker {i}", "kind": "person", "aliases": [f"Spk {i}"]})
    for i in range(20):
        lines.append({"type": "entity", "name": f"Outlet {i}", "kind": "media"})
    for i in range(sources):
        lines.append({"type": "source", "key": f"src-{i}", "outlet": f"Outlet {i % 20}", "title": f"Report {i}",
                      "published_on": f"20{10 + i % 10}-0{1 + i % 9}"})
    for i in range(claims):
        lines.append({"type": "claim", "key": f"claim-{i}", "text": f"Claim number {i} about militias",
                      "tags": [f"tag{i % 7}"]})
    for i in range(statements):
        lines.append({
            "type": "statement", "key": f"st-{i}", "claim": f"claim-{i % claims}", "speaker": f"Speaker {i % speakers}",
            "stance": STANCES[i % 4], "source": f"src-{i % sources}", "quote": f"Quote number {i}, said plainly.",
            "via": [f"Outlet {i % 20}"], "said_on": f"2011-07-{1 + i % 28:02d}",
        })
    with open(path, "w", encoding="utf-8") as stream:
        for line in lines:
            stream.write(json.dumps(line) + "\n")
    return len(lines)


if __name__ == "__main__":
    print(write_big_bundle(Path(sys.argv[1]), int(sys.argv[2])))
