"""A large, valid JSON Lines bundle for the kill test (and for timing the importer by hand).

    python tests/faults_bundles.py big.jsonl 60000
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STANCES = ("asserts", "acknowledges", "denies", "disputes")


def write_big_bundle(
    path: Path, statements: int, *, prefix: str = "", speakers: int = 200, sources: int = 500, claims: int = 300
) -> int:
    """Write a bundle of ``statements`` statements (with entities, sources, claims they need);
    return the number of records. ``prefix`` starts every name and key (a second bundle with
    another prefix shares nothing with the first)."""
    p = prefix
    lines = []
    for i in range(speakers):
        lines.append({"type": "entity", "name": f"{p}Speaker {i}", "kind": "person", "aliases": [f"{p}Spk {i}"]})
    for i in range(20):
        lines.append({"type": "entity", "name": f"{p}Outlet {i}", "kind": "media"})
    for i in range(sources):
        lines.append({"type": "source", "key": f"{p}src-{i}", "outlet": f"{p}Outlet {i % 20}", "title": f"Report {i}",
                      "published_on": f"20{10 + i % 10}-0{1 + i % 9}"})
    for i in range(claims):
        lines.append({"type": "claim", "key": f"{p}claim-{i}", "text": f"Claim number {i} about militias",
                      "tags": [f"tag{i % 7}"]})
    for i in range(statements):
        lines.append({
            "type": "statement", "key": f"{p}st-{i}", "claim": f"{p}claim-{i % claims}", "speaker": f"{p}Speaker {i % speakers}",
            "stance": STANCES[i % 4], "source": f"{p}src-{i % sources}", "quote": f"Quote number {i}, said plainly.",
            "via": [f"{p}Outlet {i % 20}"], "said_on": f"2011-07-{1 + i % 28:02d}",
        })
    with open(path, "w", encoding="utf-8") as stream:
        for line in lines:
            stream.write(json.dumps(line) + "\n")
    return len(lines)


if __name__ == "__main__":
    print(write_big_bundle(Path(sys.argv[1]), int(sys.argv[2])))
