"""Per-claim counts kept by the database's triggers (factdb.counts, revisions 0003, 0013, 0020)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from report_data import add_claim, add_entity, add_source, add_statement
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from factdb.counts import (
    counts_drift,
    drop_claim_count_triggers,
    rebuild_claim_counts,
    restore_claim_count_triggers,
    speaker_ref,
    suspended_claim_count_triggers,
)
from factdb.db import create_engine
from factdb.migrate import migrate
from factdb.models import Claim, Statement

RETRACTED = (dt.datetime(2012, 1, 1, tzinfo=dt.UTC), "withdrawn")


def world(session: Session) -> dict[str, Any]:
    """Three named speakers, an outlet, a source and two claims."""
    names = {
        "panetta": add_entity(session, "Leon Panetta", "person"),
        "gates": add_entity(session, "Robert Gates", "person"),
        "tehran": add_entity(session, "Iran", "government"),
        "usa": add_entity(session, "United States", "government"),
    }
    afp = add_entity(session, "AFP", "media")
    names["source"] = add_source(session, "afp-1", afp)
    names["arms"] = add_claim(session, "arms", "Iran arms militias")
    names["trains"] = add_claim(session, "trains", "Iran trains militias")
    return names


def counts_of(session: Session) -> dict[str, tuple[int, int, int, int]]:
    """(support statements, oppose statements, support speakers, oppose speakers) per claim key."""
    rows = session.execute(
        select(Claim.key, Claim.support_statements, Claim.oppose_statements, Claim.support_speakers, Claim.oppose_speakers)
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def speakers_of(session: Session) -> list[tuple]:
    rows = session.execute(
        text("SELECT c.key, s.side, s.speaker_ref, s.statements FROM claim_speakers s JOIN claims c ON c.id = s.claim_id")
    )
    return sorted(tuple(row) for row in rows)


@pytest.fixture
def session(engine):
    with Session(engine) as session, session.begin():
        yield session


def test_orm_inserts_count_statements_and_distinct_speakers(session: Session) -> None:
    w = world(session)
    add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    add_statement(session, "s2", w["arms"], w["source"], "acknowledges", speaker=w["panetta"])
    add_statement(session, "s3", w["arms"], w["source"], "asserts", speaker=w["gates"])
    add_statement(session, "s4", w["arms"], w["source"], "denies", speaker=w["tehran"])
    # anonymous: one description, told twice, is one speaker; another description is another
    add_statement(session, "s5", w["arms"], w["source"], "disputes", description="an Iranian official")
    add_statement(session, "s6", w["arms"], w["source"], "denies", description="An Iranian official ")
    add_statement(session, "s7", w["arms"], w["source"], "denies", description="a cleric")
    add_statement(session, "s8", w["arms"], w["source"], "asserts", description="a US source", affiliation=w["usa"])
    add_statement(session, "s9", w["arms"], w["source"], "asserts", speaker=w["gates"], retracted=RETRACTED)
    session.flush()
    assert counts_of(session) == {"arms": (4, 4, 3, 3), "trains": (0, 0, 0, 0)}
    usa = w["usa"].id
    assert speakers_of(session) == sorted([
        ("arms", "oppose", "a:a cleric|", 1),
        ("arms", "oppose", "a:an iranian official|", 2),
        ("arms", "oppose", f"e:{w['tehran'].id}", 1),
        ("arms", "support", f"a:a us source|{usa}", 1),
        ("arms", "support", f"e:{w['gates'].id}", 1),
        ("arms", "support", f"e:{w['panetta'].id}", 2),
    ])
    assert counts_drift(session.connection()) == []


def test_updates_move_counts(session: Session) -> None:
    w = world(session)
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    s2 = add_statement(session, "s2", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    s3 = add_statement(session, "s3", w["arms"], w["source"], "denies", speaker=w["tehran"])
    session.flush()
    assert counts_of(session)["arms"] == (2, 1, 1, 1)

    s1.stance = "disputes"  # stance flip: Panetta now on both sides
    session.flush()
    assert counts_of(session)["arms"] == (1, 2, 1, 2)

    s2.claim_id = w["trains"].id  # claim change
    session.flush()
    assert counts_of(session) == {"arms": (0, 2, 0, 2), "trains": (1, 0, 1, 0)}

    s3.speaker_id = w["panetta"].id  # speaker change: Panetta twice on the opposing side
    session.flush()
    assert counts_of(session)["arms"] == (0, 2, 0, 1)

    s3.speaker_id, s3.speaker_description = None, "an official"  # named -> anonymous
    session.flush()
    assert counts_of(session)["arms"] == (0, 2, 0, 2)

    s1.retracted_at, s1.retraction_reason = RETRACTED  # retraction leaves the counts
    session.flush()
    assert counts_of(session)["arms"] == (0, 1, 0, 1)

    s1.retracted_at, s1.retraction_reason = None, None  # and un-retraction comes back
    session.flush()
    assert counts_of(session)["arms"] == (0, 2, 0, 2)

    s1.note = "unrelated column"
    session.flush()
    assert counts_of(session)["arms"] == (0, 2, 0, 2)
    assert counts_drift(session.connection()) == []


def test_deletes_remove_counts_and_speaker_rows(session: Session) -> None:
    w = world(session)
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    s2 = add_statement(session, "s2", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    s3 = add_statement(session, "s3", w["arms"], w["source"], "denies", speaker=w["tehran"], retracted=RETRACTED)
    session.delete(s1)
    session.flush()
    assert counts_of(session)["arms"] == (1, 0, 1, 0)
    session.delete(s3)  # retracted: was never counted
    session.delete(s2)
    session.flush()
    assert counts_of(session)["arms"] == (0, 0, 0, 0)
    assert speakers_of(session) == []


def test_raw_sql_inserts_and_updates_are_counted(session: Session) -> None:
    w = world(session)
    session.flush()
    insert = text(
        "INSERT INTO statements (key, claim_id, speaker_id, speaker_description, stance, certainty, source_id,"
        " created_at, updated_at) VALUES (:key, :claim, :speaker, :description, :stance, 'unspecified', :source,"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    rows = [
        {"key": "r1", "speaker": w["gates"].id, "description": None, "stance": "asserts"},
        {"key": "r2", "speaker": w["gates"].id, "description": None, "stance": "asserts"},
        {"key": "r3", "speaker": None, "description": "a militia commander", "stance": "denies"},
    ]
    session.execute(insert, [{**row, "claim": w["trains"].id, "source": w["source"].id} for row in rows])
    assert counts_of(session)["trains"] == (2, 1, 1, 1)
    session.execute(text("UPDATE statements SET stance = 'denies' WHERE key = 'r1'"))
    assert counts_of(session)["trains"] == (1, 2, 1, 2)
    session.execute(text("DELETE FROM statements WHERE key IN ('r2', 'r3')"))
    assert counts_of(session)["trains"] == (0, 1, 0, 1)
    assert counts_drift(session.connection()) == []


def test_drift_is_found_and_rebuild_repairs_it(session: Session) -> None:
    w = world(session)
    add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    add_statement(session, "s2", w["trains"], w["source"], "denies", speaker=w["tehran"])
    session.flush()
    live = (counts_of(session), speakers_of(session))
    session.execute(text("UPDATE claims SET support_speakers = 5 WHERE key = 'arms'"))
    session.execute(text("DELETE FROM claim_speakers WHERE side = 'oppose'"))
    assert counts_drift(session.connection()) == [w["arms"].id, w["trains"].id]
    rebuild_claim_counts(session.connection(), [w["arms"].id])
    assert counts_drift(session.connection()) == [w["trains"].id]
    rebuild_claim_counts(session.connection())
    assert counts_drift(session.connection()) == []
    assert (counts_of(session), speakers_of(session)) == live


def _load(session: Session, w: dict[str, Any], prefix: str) -> None:
    for i, (stance, speaker) in enumerate([("asserts", "panetta"), ("asserts", "panetta"), ("denies", "tehran")]):
        add_statement(session, f"{prefix}{i}", w["arms"], w["source"], stance, speaker=w[speaker])
    add_statement(session, f"{prefix}a", w["trains"], w["source"], "disputes", description="a cleric")


def test_suspended_triggers_then_rebuild_equal_live_triggers(session: Session) -> None:
    w = world(session)
    _load(session, w, "live-")
    session.flush()
    live = counts_of(session)
    assert live == {"arms": (2, 1, 1, 1), "trains": (0, 1, 0, 1)}
    connection = session.connection()
    with suspended_claim_count_triggers(connection):
        _load(session, w, "bulk-")
        session.flush()
        # nothing counted while the triggers are off
        assert counts_of(session) == live
    assert counts_of(session) == {"arms": (4, 2, 1, 1), "trains": (0, 2, 0, 1)}
    assert counts_drift(connection) == []
    # the triggers are back
    add_statement(session, "after", w["trains"], w["source"], "asserts", speaker=w["gates"])
    assert counts_of(session)["trains"] == (1, 2, 1, 1)

    marker = drop_claim_count_triggers(connection)
    _load(session, w, "marked-")
    session.flush()
    restore_claim_count_triggers(connection, marker)
    assert counts_of(session) == {"arms": (6, 3, 1, 1), "trains": (1, 3, 1, 1)}
    assert counts_drift(connection) == []


def test_upgrade_counts_existing_statements(db_url: str) -> None:
    engine = create_engine(db_url)
    migrate(engine, "0002")
    with Session(engine) as session, session.begin():
        # the models know the new columns; at revision 0002 write statements by hand
        w = {
            "panetta": add_entity(session, "Leon Panetta", "person"),
            "tehran": add_entity(session, "Iran", "government"),
        }
        ids = {name: entity.id for name, entity in w.items()}
        afp = add_entity(session, "AFP", "media")
        source_id = session.execute(
            text("INSERT INTO sources (key, outlet_id, authors, created_at, updated_at) VALUES ('afp-1', :outlet, '[]',"
                 " '2026-01-01 00:00:00', '2026-01-01 00:00:00') RETURNING id"), {"outlet": afp.id},
        ).scalar_one()  # fmt: skip
        claim_id = session.execute(
            text("INSERT INTO claims (key, text, created_at, updated_at) VALUES ('arms', 'Iran arms militias',"
                 " '2026-01-01 00:00:00', '2026-01-01 00:00:00') RETURNING id")
        ).scalar_one()  # fmt: skip
        for key, speaker, stance, retracted in [
            ("s1", w["panetta"].id, "asserts", None),
            ("s2", w["panetta"].id, "asserts", None),
            ("s3", w["tehran"].id, "denies", None),
            ("s4", w["tehran"].id, "denies", "2026-01-02 00:00:00"),
        ]:
            session.execute(
                text("INSERT INTO statements (key, claim_id, speaker_id, stance, certainty, source_id, retracted_at,"
                     " retraction_reason, created_at, updated_at) VALUES (:key, :claim, :speaker, :stance,"
                     " 'unspecified', :source, :retracted, :reason, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"),
                {"key": key, "claim": claim_id, "speaker": speaker, "stance": stance, "source": source_id,
                 "retracted": retracted, "reason": "withdrawn" if retracted else None},
            )  # fmt: skip
    migrate(engine, "head")
    with Session(engine) as session:
        assert counts_of(session) == {"arms": (2, 1, 1, 1)}
        assert [row[1:] for row in speakers_of(session)] == sorted([
            ("oppose", f"e:{ids['tehran']}", 1),
            ("support", f"e:{ids['panetta']}", 2),
        ])
        assert counts_drift(session.connection()) == []
    # and back down and up again with the data in place
    migrate(engine, "0002")
    migrate(engine, "head")
    with Session(engine) as session:
        assert counts_of(session) == {"arms": (2, 1, 1, 1)}
    engine.dispose()


def _count_triggers(conn: Any) -> list[tuple[str, str]]:
    """The count triggers' definitions as the database holds them (white space folded)."""
    if conn.dialect.name == "postgresql":
        # this test's schema only (each PostgreSQL test has its own)
        sql = (
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'statements'::regclass "
            "AND substr(tgname, 1, 13) = 'claim_counts_' UNION ALL SELECT proname, prosrc FROM pg_proc "
            "WHERE pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
            "AND substr(proname, 1, 13) = 'claim_counts_'"
        )
    else:
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 13) = 'claim_counts_'"
    return sorted((name, " ".join(definition.split())) for name, definition in conn.exec_driver_sql(sql))


def test_a_bulk_load_restores_the_triggers_revision_0003_created(engine: Any) -> None:
    # The revision is a frozen copy of the SQL factdb.counts writes: they must stay the same
    # (a change to the triggers needs a new revision).
    with engine.begin() as conn:
        created = _count_triggers(conn)
        drop_claim_count_triggers(conn)
        # PostgreSQL keeps them (no DDL, no lock on statements: revision 0013), SQLite drops them
        assert _count_triggers(conn) == (created if conn.dialect.name == "postgresql" else [])
        restore_claim_count_triggers(conn)
        assert _count_triggers(conn) == created
        if conn.dialect.name == "postgresql":  # factdb.counts writes what revisions 0003 and 0013 made
            from factdb.counts import create_claim_count_triggers

            for name in ("after_insert_delete", "after_update"):
                conn.exec_driver_sql(f"DROP TRIGGER claim_counts_{name} ON statements")
            create_claim_count_triggers(conn)
            assert _count_triggers(conn) == created
    # with the joint speakers' (revision 0025): on PostgreSQL 2 on statements and 3 functions
    assert len(created) == (8 if engine.dialect.name == "postgresql" else 9)


def test_speaker_ref_matches_the_database(session: Session) -> None:
    w = world(session)
    add_statement(session, "s1", w["arms"], w["source"], "asserts", description="  Un Témoin ", affiliation=w["usa"])
    add_statement(session, "s2", w["arms"], w["source"], "asserts", speaker=w["gates"])
    session.flush()
    refs = [row[2] for row in speakers_of(session)]
    expected = sorted([speaker_ref(None, "  Un Témoin ", w["usa"].id), speaker_ref(w["gates"].id, None, None)])
    assert refs == expected
    assert expected[0] == f"a:un témoin|{w['usa'].id}"
    statements = session.scalars(select(Statement.key).order_by(Statement.key)).all()
    assert statements == ["s1", "s2"]


# --- report contested reads the counts -------------------------------------------------------


def test_contested_ranks_by_distinct_speakers_then_statements_then_key(session: Session) -> None:
    from factdb.reports import contested_report

    w = world(session)
    source = w["source"]

    def claim(key: str, stances: list[tuple[str, str]]) -> None:
        target = add_claim(session, key, f"Claim {key}", ("extra",))
        for i, (who, stance) in enumerate(stances):
            named = w.get(who)
            add_statement(session, f"{key}-{i}", target, source, stance, speaker=named,
                          description=None if named else who, said=f"2012-01-{i + 1:02d}")  # fmt: skip

    # one voice on each side, however often it repeats itself
    claim("echo", [("panetta", "asserts")] * 3 + [("tehran", "denies")] * 3)
    # two voices on each side: more contested than "echo" although it has fewer statements
    claim("voices", [("panetta", "asserts"), ("gates", "asserts"), ("tehran", "denies"), ("a cleric", "disputes")])
    # two anonymous descriptions differing only in case and spaces are one voice
    claim("same-voice", [("gates", "asserts"), ("an official", "denies"), ("An official ", "disputes")])
    claim("b-tie", [("gates", "asserts"), ("tehran", "denies")])
    claim("a-tie", [("panetta", "asserts"), ("tehran", "denies")])
    session.flush()

    def ranked(**filters: Any) -> list[tuple]:
        rows = contested_report(session, **filters)["claims"]
        return [(r["claim"], r["supporting_speakers"], r["opposing_speakers"], r["statements"]) for r in rows]

    expected = [("voices", 2, 2, 4), ("echo", 1, 1, 6), ("same-voice", 1, 1, 3), ("a-tie", 1, 1, 2), ("b-tie", 1, 1, 2)]
    assert ranked() == expected
    assert ranked(tag="extra") == expected
    # the period path aggregates the statements themselves: same rule, same speakers
    assert ranked(since="2012") == expected
    # each claim's first statement left out: "voices" keeps one supporting voice, "echo" five
    # statements; "same-voice" and the ties lose their only supporting statement
    assert ranked(since="2012-01-02") == [("echo", 1, 1, 5), ("voices", 1, 2, 3)]
    assert ranked(speaker="Robert Gates") == [expected[0], expected[2], expected[4]]


def test_a_no_comment_is_counted_on_no_side(session: Session) -> None:
    # revision 0020: "declined to comment" is recorded, but is neither support nor opposition
    w = world(session)
    add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    asked = add_statement(session, "s2", w["arms"], w["source"], "no-comment", speaker=w["tehran"])
    session.flush()
    assert counts_of(session)["arms"] == (1, 0, 1, 0)
    assert [row[2] for row in speakers_of(session)] == [f"e:{w['panetta'].id}"]
    asked.stance = "denies"  # the same speaker later denies: now on a side
    session.flush()
    assert counts_of(session)["arms"] == (1, 1, 1, 1)
    asked.stance = "no-comment"
    session.flush()
    assert counts_of(session)["arms"] == (1, 0, 1, 0)
    session.delete(asked)
    session.flush()
    assert counts_of(session)["arms"] == (1, 0, 1, 0)
    add_statement(session, "s3", w["trains"], w["source"], "no-comment", speaker=w["tehran"])
    session.flush()
    rebuild_claim_counts(session.connection())
    assert counts_of(session) == {"arms": (1, 0, 1, 0), "trains": (0, 0, 0, 0)}
    assert counts_drift(session.connection()) == []


def test_revision_0063_is_a_frozen_copy_of_every_count_trigger() -> None:
    # The newest revision that wrote the count triggers (the statements' and the joint
    # speakers'): a change to factdb.counts' SQL needs a new revision with its own copy.
    import importlib.util
    from pathlib import Path

    from factdb import counts

    path = Path(__file__).parents[1] / "migrations" / "versions" / "0063_joint_anonymous_speakers.py"
    spec = importlib.util.spec_from_file_location("revision_0063", path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    assert counts.sqlite_trigger_sql() + counts.sqlite_co_speaker_trigger_sql() == revision.SQLITE_TRIGGERS
    assert counts.postgres_trigger_sql() + counts.postgres_co_speaker_trigger_sql() == revision.POSTGRES_TRIGGERS
