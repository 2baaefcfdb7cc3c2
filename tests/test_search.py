"""Full-text search: ranking, filters, marking, safe query text, index kept in sync."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from trust_data import TESTER, populate

from factdb.db import create_engine
from factdb.errors import InvalidInput, NotFound
from factdb.search import SearchFilters, count_matches, fts5_query, search
from factdb.sessions import read_session, transaction


@pytest.fixture
def data(db_url: str, dataset) -> dict:
    return dataset(populate)


def _search(engine, query: str, **filters):
    with read_session(engine) as session:
        return search(session, query, SearchFilters(**filters))


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query("absolutely complicit") == '"absolutely" AND "complicit"'
    assert fts5_query('"absolutely complicit" iran*') == '"absolutely complicit" AND "iran"*'
    assert fts5_query('Robert"); DROP TABLE statements; --') == '"Robert" AND "DROP" AND "TABLE" AND "statements"'
    with pytest.raises(InvalidInput, match="has no words"):
        fts5_query('"); --')


def test_quote_phrase_is_found_and_marked(engine, data) -> None:
    results = _search(engine, "absolutely complicit")
    assert [(r["kind"], r["claim"], r["speaker"], r["said_on"]) for r in results] == [
        ("statement", "iran-complicit-us-casualties", "Robert Gates", "2011-06")
    ]
    assert results[0]["snippet"] == "**absolutely** **complicit**"
    assert results[0]["statement_id"] == data["statements"]["gates"]


def test_claims_and_quotes_ranked_together(engine, data) -> None:
    results = _search(engine, "weapons")
    kinds = sorted((r["kind"], r["claim"], r["speaker"]) for r in results)
    assert kinds == [
        ("claim", "iran-arms-militias", None),
        ("statement", "iran-arms-militias", "James Jeffrey"),
        ("statement", "iran-arms-militias", "Leon Panetta"),
        ("statement", "iran-arms-militias", "a Maysan security official"),
    ]
    ranks = [r["rank"] for r in results]
    assert ranks == sorted(ranks, reverse=True)
    assert all("**weapons**" in r["snippet"] for r in results)


def test_hedge_and_claim_note_are_searched(engine, data) -> None:
    assert [r["speaker"] for r in _search(engine, "named")] == ["a Maysan security official"]
    assert [(r["kind"], r["claim"]) for r in _search(engine, "interview")] == [
        ("claim", "iran-complicit-us-casualties")
    ]


@pytest.mark.parametrize(
    ("filters", "speakers"),
    [
        ({"speaker": "Panetta"}, ["Leon Panetta"]),
        ({"since": "2011-07-03"}, ["Leon Panetta", "a Maysan security official"]),
        ({"until": "2011-07-02"}, ["James Jeffrey"]),
        ({"stance": "denies"}, []),
        ({"limit": 1}, None),
    ],
)
def test_filters(engine, data, filters: dict, speakers: list | None) -> None:
    results = _search(engine, "weapons", **filters)
    if speakers is None:
        assert len(results) == 1
    else:
        assert sorted(r["speaker"] for r in results) == speakers
        assert all(r["kind"] == "statement" for r in results)


def test_claim_filter_keeps_the_claim_and_its_statements(engine, data) -> None:
    results = _search(engine, "Iran", claim="iran-complicit-us-casualties")
    assert [(r["kind"], r["claim"]) for r in results] == [("claim", "iran-complicit-us-casualties")]


def test_unknown_speaker_is_named(engine, data) -> None:
    with pytest.raises(NotFound, match='No entity named "Panneta". Did you mean "Panetta"'):
        _search(engine, "weapons", speaker="Panneta")


def test_index_follows_updates_and_deletes(engine, data) -> None:
    from factdb.models import Statement

    with transaction(engine, TESTER) as session:
        gates = session.get(Statement, data["statements"]["gates"])
        gates.quote = "thuggish clones"
    with read_session(engine) as session:
        assert count_matches(session, "complicit") == 0
        assert count_matches(session, "thuggish") == 1
    with transaction(engine, TESTER) as session:
        session.delete(session.get(Statement, data["statements"]["gates"]))
    with read_session(engine) as session:
        assert count_matches(session, "thuggish") == 0


def test_cli_search_json_and_injection_is_harmless(invoke, data, counts) -> None:
    result = invoke("search", "absolutely complicit", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["statement"] for r in json.loads(result.output)] == ["reuters-2011-07-03-crackdown/gates"]
    before = counts()
    hostile = invoke("search", 'Robert"); DROP TABLE statements; --')
    assert hostile.exit_code == 0, hostile.output
    assert hostile.output == "(none)\n"
    assert counts() == before


def test_cli_search_table(invoke, data) -> None:
    result = invoke("search", "complicit", "--speaker", "Gates")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == ["kind", "claim", "speaker", "stance", "said_on", "snippet"]
    assert "**complicit**" in result.output


def test_cli_search_bad_date_is_one_line(invoke, data) -> None:
    result = invoke("search", "weapons", "--since", "July 2011")
    assert result.exit_code == 1
    assert result.output == 'Error: since: "July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY\n'


def test_fts_objects_survive_downgrade_and_upgrade(db_url: str) -> None:
    from factdb.migrate import migrate

    engine = create_engine(db_url)
    populate(db_url)
    migrate(engine, "0001")
    migrate(engine, "head")
    with read_session(engine) as session:
        # the upgrade indexes rows that were already there
        assert count_matches(session, "complicit") == 1
        assert session.execute(text("SELECT count(*) FROM statements")).scalar() == 4
    engine.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # FTS5 sync triggers: SQLite only
@pytest.mark.parametrize("incremental", [True, False])
def test_bulk_load_without_triggers_is_indexed_after(db_url: str, data, incremental: bool) -> None:
    from factdb.search import drop_sync_triggers, restore_sync_triggers

    engine = create_engine(db_url)
    with engine.begin() as conn:
        marker = drop_sync_triggers(conn)
        conn.exec_driver_sql(
            "INSERT INTO statements (key, claim_id, speaker_description, stance, certainty, quote, source_id, "
            "created_at, updated_at) SELECT 'bulk/' || id, claim_id, 'someone', stance, certainty, "
            "'thuggish clones ' || id, source_id, created_at, updated_at FROM statements"
        )
        restore_sync_triggers(conn, marker if incremental else None)
    with read_session(engine) as session:
        assert count_matches(session, "thuggish") == 4
        assert count_matches(session, "complicit") == 1
    with transaction(engine, TESTER) as session:  # the triggers are back
        session.execute(text("UPDATE statements SET quote = 'gone' WHERE key LIKE 'bulk/%'"))
    with read_session(engine) as session:
        assert count_matches(session, "thuggish") == 0
    engine.dispose()
