"""``factdb seed``: every seeds/*.yaml as one bundle, idempotent."""

from __future__ import annotations

import json

from factdb.db import create_engine
from factdb.resolver import resolve_claim, resolve_entity
from factdb.sessions import read_session


def test_seed_twice_changes_nothing(invoke, counts, db_url):
    first = invoke("seed")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Imported the seed dataset (")
    seeded = counts()
    assert seeded["statements"] > 0 and seeded["claims"] > 0
    export = invoke("export").stdout
    second = invoke("seed", "--summary-format", "json")
    assert second.exit_code == 0
    done = json.loads(second.stdout)["counts"]
    assert all(c["created"] == 0 and c["updated"] == 0 for c in done.values())
    assert done["statement"]["unchanged"] == seeded["statements"]
    after = counts()
    assert after.pop("history") == seeded.pop("history") + 1
    assert after == seeded
    assert invoke("export").stdout == export
    engine = create_engine(db_url)
    with read_session(engine) as session:
        assert resolve_claim(session, "iran-arms-militias").key == "iran-arms-militias"
        assert resolve_entity(session, "Tehran").name == "Iran"
    engine.dispose()


def test_seed_dry_run_writes_nothing(invoke, counts):
    before = counts()
    result = invoke("seed", "--dry-run")
    assert result.exit_code == 0
    assert "nothing was written" in result.stdout
    assert counts() == before
