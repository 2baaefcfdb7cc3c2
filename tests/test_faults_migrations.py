"""A populated database survives its migrations.

For every revision step (R's ``down_revision`` -> R): seed, downgrade one step, upgrade to head
again -- every data table, the counts and the export are identical. Downgrading to base drops
the data by design; the round trip base -> head followed by ``factdb seed`` gives the same
export and counts as before.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from faults_support import assert_same, snapshot
from sqlalchemy import text

from factdb.cli import cli
from factdb.db import create_engine, current_revision, schema_head
from factdb.migrate import migrate
from factdb.resources import resource_dir


def revision_steps() -> list[tuple[str, str]]:
    """``(down_revision, revision)`` for every revision that has a parent, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(resource_dir("migrations")))
    steps = []
    for revision in script.walk_revisions("base", "heads"):
        down = revision.down_revision
        if down is not None:
            assert isinstance(down, str), f"merge revisions are not expected: {revision.revision}"
            steps.append((down, revision.revision))
    return list(reversed(steps))


def _seed(url: str) -> None:
    result = CliRunner().invoke(cli, ["--db", url, "seed"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def seeded(seeded_db: str):
    engine = create_engine(seeded_db)
    yield seeded_db, engine
    engine.dispose()


# What the seed holds that an older schema cannot, per revision: a downgrade below it refuses
# (tested with the revision), so the step tests clear it first and compare what is left.
NEWER_THAN_OLD_SCHEMAS = {
    "0027": "UPDATE statements SET anonymous_kind = NULL, anonymous_id = NULL",
}


@pytest.mark.parametrize(("down", "revision"), revision_steps(), ids=lambda v: str(v))
def test_one_step_down_and_up_keeps_every_row(seeded, down: str, revision: str) -> None:
    url, engine = seeded
    chain = [step[1] for step in revision_steps()]
    below = chain[chain.index(revision):]
    with engine.begin() as conn:
        for newer, sql in NEWER_THAN_OLD_SCHEMAS.items():
            if newer in below:
                conn.execute(text(sql))
    before = snapshot(url)
    assert before.counts["statements"] > 100
    assert migrate(engine, down) == (schema_head(), down)
    assert migrate(engine, "head") == (down, schema_head())
    assert_same(before, snapshot(url), (down, revision), data_only=True)


def test_down_to_base_and_up_then_seed_gives_the_same_database(seeded) -> None:
    url, engine = seeded
    before = snapshot(url)
    with engine.begin() as conn:  # the seed comes back whole below: only the downgrade needs this
        for sql in NEWER_THAN_OLD_SCHEMAS.values():
            conn.execute(text(sql))
    assert migrate(engine, "base") == (schema_head(), "base")
    assert current_revision(engine) is None
    refused = CliRunner().invoke(cli, ["--db", url, "info"])
    assert refused.exit_code == 1 and refused.stderr.endswith("Run `factdb init` to create it.\n")
    assert migrate(engine, "head") == (None, schema_head())
    _seed(url)
    after = snapshot(url)
    assert after.export == before.export
    assert after.counts == before.counts
    info = CliRunner().invoke(cli, ["--db", url, "info", "--format", "json"])
    assert info.exit_code == 0 and f'"schema_revision": "{schema_head()}"' in info.stdout


def test_seeding_twice_changes_no_data(seeded) -> None:
    """The seed is idempotent: a second run adds only its own history entry."""
    url, _engine = seeded
    before = snapshot(url)
    _seed(url)
    after = snapshot(url)
    assert after.export == before.export
    assert {**after.counts, "history": 0} == {**before.counts, "history": 0}
    assert after.counts["history"] == before.counts["history"] + 1
