"""Full-text search: ranking, filters, match offsets and terminal styles, safe query text,
speakers and source titles, NFKC and CJK, index kept in sync."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from trust_data import TESTER, populate

from factdb.db import create_engine
from factdb.errors import InvalidInput, NotFound
from factdb.search import SearchFilters, count_matches, fts5_query, search
from factdb.sessions import read_session, transaction


def _who(result: dict) -> str | None:
    """The speaker's name of a search hit (its speaker record; None for a claim)."""
    return result["speaker"]["name"] if result["speaker"] else None


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
    assert [(r["kind"], r["claim"], _who(r), r["said_on"]) for r in results] == [
        ("statement", "iran-complicit-us-casualties", "Robert Gates", "2011-06")
    ]
    assert results[0]["snippet"] == "absolutely complicit"
    assert results[0]["matches"] == [[0, 10], [11, 20]]
    assert results[0]["statement_id"] == data["statements"]["gates"]


def test_claims_and_quotes_ranked_together(engine, data) -> None:
    results = _search(engine, "weapons")
    kinds = sorted((r["kind"], r["claim"], _who(r)) for r in results)
    assert kinds == [
        ("claim", "iran-arms-militias", None),
        ("statement", "iran-arms-militias", "James Jeffrey"),
        ("statement", "iran-arms-militias", "Leon Panetta"),
        ("statement", "iran-arms-militias", "a Maysan security official"),
    ]
    ranks = [r["rank"] for r in results]
    assert ranks == sorted(ranks, reverse=True)
    for r in results:
        assert [r["snippet"][start:end].lower() for start, end in r["matches"]] == ["weapons"], r


def test_hedge_and_claim_note_are_searched(engine, data) -> None:
    assert [_who(r) for r in _search(engine, "named")] == ["a Maysan security official"]
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
        assert sorted(_who(r) for r in results) == speakers
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
    assert "complicit" in result.output
    assert "**" not in result.output and "\x1b" not in result.output  # piped: plain text


def test_cli_search_styles_matches_only_at_a_terminal(invoke, data) -> None:
    bold = "\x1b[1m\x1b[4mcomplicit\x1b[0m"
    assert bold in invoke("search", "complicit", env={"FORCE_COLOR": "1"}).output
    assert "\x1b" not in invoke("search", "complicit", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).output
    assert "\x1b" not in invoke("search", "complicit", "--format", "csv", env={"FORCE_COLOR": "1"}).output
    record = json.loads(invoke("search", "complicit", "--format", "json", env={"FORCE_COLOR": "1"}).output)[0]
    assert record["snippet"][record["matches"][0][0]:record["matches"][0][1]] == "complicit"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one real terminal is enough
def test_search_at_a_real_terminal_is_styled(db_url: str, data) -> None:
    import os
    import pty
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "factdb", "--db", db_url, "search", "complicit"],
                               stdout=follower, stderr=follower, env=env)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait()
    os.close(leader)
    assert process.returncode == 0, output
    assert b"\x1b[1m\x1b[4mcomplicit\x1b[0m" in output


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


def test_bulk_load_with_the_queue_suspended_is_indexed_after(db_url: str, data) -> None:
    from factdb.search_index import resume_queue, suspend_queue

    engine = create_engine(db_url)
    with engine.begin() as conn:
        markers = suspend_queue(conn)
        conn.exec_driver_sql(
            "INSERT INTO statements (key, claim_id, speaker_description, stance, certainty, quote, source_id, "
            "created_at, updated_at) SELECT 'bulk/' || CAST(id AS TEXT), claim_id, 'someone', stance, certainty, "
            "'thuggish clones ' || CAST(id AS TEXT), source_id, created_at, updated_at FROM statements"
        )
        assert conn.exec_driver_sql("SELECT count(*) FROM search_fts_queue").scalar() == 0
        resume_queue(conn, markers)
    with read_session(engine) as session:
        assert count_matches(session, "thuggish") == 4
        assert count_matches(session, "complicit") == 1
    with transaction(engine, TESTER) as session:  # queued row by row again
        session.execute(text("UPDATE statements SET quote = 'gone' WHERE key LIKE 'bulk/%'"))
    with read_session(engine) as session:
        assert count_matches(session, "thuggish") == 0
    engine.dispose()


def test_index_rows_written_in_bulk_replace_stored_ones(db_url: str, data, monkeypatch) -> None:
    """PostgreSQL writes large batches of index rows through COPY into a temporary table (here
    every batch): a second pass in the same transaction reuses it and replaces the rows."""
    from factdb import search_index
    from factdb.search_index import refresh, resume_queue, suspend_queue

    monkeypatch.setattr(search_index, "COPY_FROM", 1)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        markers = suspend_queue(conn)
        conn.exec_driver_sql(
            "INSERT INTO statements (key, claim_id, speaker_description, stance, certainty, quote, source_id, "
            "created_at, updated_at) SELECT 'bulk/' || CAST(id AS TEXT), claim_id, 'someone', stance, certainty, "
            "'thuggish clones ' || CAST(id AS TEXT), source_id, created_at, updated_at FROM statements"
        )
        resume_queue(conn, markers)
        conn.execute(text("UPDATE statements SET quote = 'bulky replacement' WHERE key LIKE 'bulk/%'"))
        assert refresh(conn) == 4
        indexed = conn.exec_driver_sql("SELECT count(*) FROM search_fts_statements").scalar()
        assert indexed == conn.exec_driver_sql("SELECT count(*) FROM statements").scalar() == 8
    with read_session(engine) as session:
        assert count_matches(session, "thuggish") == 0
        assert count_matches(session, "bulky") == 4
        assert count_matches(session, "complicit") == 1
    engine.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL never drops them
def test_queue_triggers_restored_after_a_bulk_load_are_the_revisions(db_url: str) -> None:
    from factdb.search_index import queue_trigger_sql, resume_queue, suspend_queue

    engine = create_engine(db_url)

    def triggers() -> list[tuple]:
        with engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts_%' ORDER BY name"
            ).all()

    made = triggers()
    assert len(made) == 14  # revisions 0011, 0064 (names) and 0065 (joint speakers, outlets)
    assert sorted(sql for _name, sql in made) == sorted(queue_trigger_sql())  # the revisions', written out again
    with engine.begin() as conn:
        resume_queue(conn, suspend_queue(conn))
    assert triggers() == made
    engine.dispose()


def test_speaker_names_and_source_titles_are_searched(engine, data, invoke) -> None:
    assert {_who(r) for r in _search(engine, "Panetta")} == {"Leon Panetta"}
    # every word must occur: one in the speaker's name, one in the quote
    assert [_who(r) for r in _search(engine, "Jeffrey weapons")] == ["James Jeffrey"]
    # the Reuters title "Iraq military cracks down on militias, arms smuggling"; and its outlet
    assert {r["source"] for r in _search(engine, "smuggling")} == {"reuters-2011-07-03-crackdown"}
    assert {r["source"] for r in _search(engine, "Reuters", stance="asserts")} == {"reuters-2011-07-03-crackdown"}
    # a new alias makes the speaker's statements findable by it at once
    assert invoke("entity", "alias", "add", "Leon Panetta", "Pentagon chief").exit_code == 0
    assert [_who(r) for r in _search(engine, "pentagon chief")] == ["Leon Panetta"]


def test_composed_and_decomposed_forms_find_each_other(engine, data) -> None:
    from factdb.models import Statement

    composed = "\u0958\u093e\u0928\u0942\u0928"  # qanun with QA (U+0958), as some pages write it
    decomposed = "\u0915\u093c\u093e\u0928\u0942\u0928"  # KA + NUKTA, as others do
    with transaction(engine, TESTER) as session:
        session.get(Statement, data["statements"]["gates"]).quote = f"the {composed} is clear"
        session.get(Statement, data["statements"]["jeffrey"]).quote = f"the {decomposed} holds"
    with read_session(engine) as session:
        # the stored quote is kept exactly as typed
        assert session.get(Statement, data["statements"]["gates"]).quote == f"the {composed} is clear"
    for typed in (composed, decomposed):
        assert sorted(_who(r) for r in _search(engine, typed)) == ["James Jeffrey", "Robert Gates"]


def test_cjk_words_inside_sentences_are_found(engine, data) -> None:
    from factdb.models import Statement

    with transaction(engine, TESTER) as session:
        session.get(Statement, data["statements"]["gates"]).quote = "伊朗向伊拉克民兵提供武器"
    results = _search(engine, "民兵")
    assert [_who(r) for r in results] == ["Robert Gates"]
    snippet, matches = results[0]["snippet"], results[0]["matches"]
    assert snippet in "伊朗向伊拉克民兵提供武器"  # an excerpt, without the index's separators
    assert [snippet[start:end] for start, end in matches] == ["民兵"]
    assert _search(engine, "兵民") == []  # the characters in that order only


def test_a_name_is_matched_once_per_entity_and_marked_in_the_snippet(invoke, data) -> None:
    done = invoke("search", '"Leon Panetta"', "--format", "json")
    assert done.exit_code == 0, done.output
    [hit] = json.loads(done.output)
    assert hit["statement"] == "afp-2011-07-10-us-forces-pursue/panetta"
    # the quote does not hold the name: the snippet is of the speaker's names, the name marked
    assert hit["snippet"] == "Leon Panetta Panetta"
    assert " ".join(hit["snippet"][start:end] for start, end in hit["matches"]).startswith("Leon Panetta")


def test_a_renamed_speaker_queues_the_entity_not_its_statements(engine, data) -> None:
    # plain SQL, as from the sqlite3 shell or psql: the triggers queue the entity
    with transaction(engine, TESTER) as session:
        session.execute(text("UPDATE entity_names SET name = 'Secretary Leon' WHERE name = 'Panetta'"))
        queued = session.execute(text("SELECT kind, count(*) FROM search_fts_queue GROUP BY kind")).all()
        assert queued == [("e", 1)]
    assert [_who(r) for r in _search(engine, "secretary")] == ["Leon Panetta"]
    assert [_who(r) for r in _search(engine, '"Leon Panetta"')] == ["Leon Panetta"]  # the primary name stays
    with read_session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM search_fts_queue")).scalar() == 0


@pytest.mark.parametrize("query", ["Jeffrey weapons", "Panetta Iran", "Gates complicit", "Leon Panetta",
                                   "weapons Reuters", "security official", "Panetta", "Reuters"])
def test_words_many_names_hold_filter_the_same_statements(engine, data, monkeypatch, query) -> None:
    """A word more names hold than search.WIDE filters the matches of the others instead of
    joining the index's query, and when every word is such a word their entities' statements
    are looked up beside it: the same statements either way."""
    from factdb import search as search_module

    def found() -> tuple[list[str], int]:
        with read_session(engine) as session:
            return sorted(r["statement"] or r["claim"] for r in _search(engine, query)), count_matches(session, query)

    expected = found()
    assert expected[0]  # every query here finds something
    monkeypatch.setattr(search_module, "WIDE", 0)  # every word any name holds is "wide"
    assert found() == expected


def test_upgrade_from_0063_builds_the_name_index_from_existing_data(db_url: str) -> None:
    from factdb.migrate import migrate

    engine = create_engine(db_url)
    populate(db_url)
    migrate(engine, "0063")
    with engine.begin() as conn:  # revision 0011's index, as factdb before 0064 built it
        conn.exec_driver_sql("DELETE FROM search_fts_queue")
        id_column = "rowid" if engine.dialect.name == "sqlite" else "statement_id"
        conn.exec_driver_sql(
            f"INSERT INTO search_fts_statements ({id_column}, body, speaker, source) SELECT s.id, s.quote, "
            "'', src.title FROM statements s JOIN sources src ON src.id = s.source_id")
    migrate(engine, "head")
    with read_session(engine) as session:
        assert count_matches(session, "complicit") == 1  # the body, copied
        assert count_matches(session, "smuggling") == 3  # the source's title, copied
        assert count_matches(session, "Panetta") == 1  # the names, indexed from entity_names
        assert count_matches(session, "Maysan") == 1  # the anonymous description, indexed again
        assert session.execute(text("SELECT count(*) FROM search_fts_queue")).scalar() == 0
    engine.dispose()


def test_a_bulk_load_indexes_its_new_speakers_and_the_aliases_it_adds(db_url: str, data) -> None:
    from factdb.search_index import resume_queue, suspend_queue

    engine = create_engine(db_url)
    with engine.begin() as conn:
        markers = suspend_queue(conn)
        conn.exec_driver_sql("INSERT INTO entities (name, kind, created_at, updated_at) "
                             "SELECT 'Nouri Zebari', 'person', created_at, updated_at FROM entities WHERE name = 'Iran'")
        conn.exec_driver_sql("INSERT INTO entity_names (entity_id, name, normalized, is_primary) "
                             "SELECT id, name, 'nouri zebari', true FROM entities WHERE name = 'Nouri Zebari'")
        conn.exec_driver_sql(  # an alias of a speaker from before the load
            "INSERT INTO entity_names (entity_id, name, normalized, is_primary) "
            "SELECT id, 'SecDef Gates', 'secdef gates', false FROM entities WHERE name = 'Robert Gates'")
        conn.exec_driver_sql(
            "INSERT INTO statements (key, claim_id, speaker_id, stance, certainty, quote, source_id, created_at, "
            "updated_at) SELECT 'bulk/zebari', s.claim_id, e.id, s.stance, s.certainty, 'no comment today', "
            "s.source_id, s.created_at, s.updated_at FROM statements s, entities e "
            "WHERE e.name = 'Nouri Zebari' AND s.key = 'reuters-2011-07-03-crackdown/gates'")
        resume_queue(conn, markers)
        assert conn.exec_driver_sql("SELECT count(*) FROM search_fts_queue").scalar() == 0
    assert [r["statement"] for r in _search(engine, '"Nouri Zebari"')] == ["bulk/zebari"]
    assert [_who(r) for r in _search(engine, '"SecDef Gates"')] == ["Robert Gates"]
    engine.dispose()
