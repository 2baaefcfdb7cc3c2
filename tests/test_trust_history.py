"""factdb history: every change to a claim and its statements, who made it, before/after."""

from __future__ import annotations

import json

import pytest
from trust_data import TESTER, populate

from factdb import history
from factdb.models import Claim, ClaimTag, HistoryEntry, Statement
from factdb.resolver import resolve_claim
from factdb.sessions import Actor, read_session, transaction


@pytest.fixture
def data(db_url: str, dataset) -> dict:
    return dataset(populate)


def _claim_rows(engine, key: str = "iran-arms-militias") -> list[tuple]:
    with read_session(engine) as session:
        entries = history.history_of_claim(session, resolve_claim(session, key))
        return [(e.actor, e.action, e.table_name, e.row_key) for e in entries]


def test_inserts_are_the_claims_history(engine, data) -> None:
    assert _claim_rows(engine) == [
        ("tester", "insert", "claims", "iran-arms-militias"),
        ("tester", "insert", "statements", "afp-2011-07-10-us-forces-pursue/panetta"),
        ("tester", "insert", "statements", "reuters-2011-07-03-crackdown/jeffrey"),
        ("tester", "insert", "statements", "reuters-2011-07-03-crackdown/official"),
    ]


def test_update_tag_and_delete_are_recorded_with_actor_and_values(engine, data) -> None:
    editor = Actor("desk editor", "factdb --as 'desk editor' ...")
    with transaction(engine, editor) as session:
        statement = session.get(Statement, data["statements"]["jeffrey"])
        statement.stance = "acknowledges"
        session.add(ClaimTag(claim_id=data["claims"]["arms"], tag="iraq"))
    with transaction(engine, editor) as session:
        session.delete(session.get(Statement, data["statements"]["official"]))
    rows = _claim_rows(engine)[4:]
    assert rows == [
        # one flush records its inserts first
        ("desk editor", "insert", "claim_tags", "iraq"),
        ("desk editor", "update", "statements", "reuters-2011-07-03-crackdown/jeffrey"),
        ("desk editor", "delete", "statements", "reuters-2011-07-03-crackdown/official"),
    ]
    with read_session(engine) as session:
        update = session.scalars(
            HistoryEntry.__table__.select().where(HistoryEntry.action == "update")
        ).all()
        entry = session.get(HistoryEntry, update[0])
        assert (entry.before, entry.after) == ({"stance": "asserts"}, {"stance": "acknowledges"})
        assert entry.command == "factdb --as 'desk editor' ..."


def test_history_is_rolled_back_with_a_failed_change(engine, data) -> None:
    with read_session(engine) as session:
        before = session.query(HistoryEntry).count()
    with pytest.raises(RuntimeError), transaction(engine, TESTER) as session:
        session.get(Claim, data["claims"]["arms"]).text = "changed"
        session.flush()
        raise RuntimeError("the command failed")
    with read_session(engine) as session:
        assert session.query(HistoryEntry).count() == before


def test_labelled_changes_keep_their_label(engine, data) -> None:
    with transaction(engine, TESTER) as session, history.labelled(session, "retract"):
        statement = session.get(Statement, data["statements"]["gates"])
        statement.retraction_reason = "misattributed"
        statement.retracted_at = statement.created_at
    assert _claim_rows(engine, "iran-complicit-us-casualties")[-1] == (
        "tester", "retract", "statements", "reuters-2011-07-03-crackdown/gates")


def test_cli_history_table(invoke, data, engine) -> None:
    assert invoke("--as", "desk editor", "history", "iran-complicit-us-casualties").exit_code == 0
    invoke_result = invoke("history", "iran-complicit-us-casualties", "--format", "csv")
    lines = invoke_result.output.splitlines()
    assert lines[0] == "when,who,command,action,table,key,changes"
    # PostgreSQL records the database user too, shown when it is not the --as name
    who = "tester" if engine.dialect.name == "sqlite" else f"tester (database user {engine.url.username})"
    assert [line.split(",")[1:6] for line in lines[1:]] == [
        [who, "pytest", "insert", "claims", "iran-complicit-us-casualties"],
        [who, "pytest", "insert", "statements", "reuters-2011-07-03-crackdown/gates"],
    ]
    assert "note=Gates in a Reuters interview" in lines[1]


def test_cli_history_json_limit_and_entity(invoke, data) -> None:
    result = invoke("history", "iran-arms-militias", "--limit", "1", "--format", "json")
    assert result.exit_code == 0
    (row,) = json.loads(result.output)
    assert (row["action"], row["key"], row["before"]) == ("insert", "reuters-2011-07-03-crackdown/official", None)
    assert row["after"]["speaker_description"] == "a Maysan security official"
    assert row["when"].endswith("Z") and len(row["when"]) == len("2026-12-02T03:04:05Z")
    entity = invoke("history", "--entity", "Tehran", "--format", "json")
    assert [(r["table"], r["key"]) for r in json.loads(entity.output)] == [
        ("entities", "Iran"), ("entity_names", "Iran"), ("entity_names", "Tehran")]
    source = invoke("history", "--source", "reuters-2011-07-03-crackdown", "--format", "json")
    assert [(r["table"], r["key"]) for r in json.loads(source.output)] == [
        ("sources", "reuters-2011-07-03-crackdown")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("history", "iran-arms-militias", "--entity", "Iran"), 2,
         "Give one of CLAIM, --entity NAME or --source KEY (or none, for recent changes)."),
        (("history", "iran-arms-militias", "--actor", "Ann"), 2, "--since and --actor list recent changes"),
        (("history", "--since", "yesterday"), 1, 'Error: --since: "yesterday" is not a date'),
        (("history", "iran-arms-milita"), 1, 'No claim named "iran-arms-milita". Did you mean "iran-arms-militias"'),
    ],
)
def test_cli_history_refusals(invoke, data, args: tuple, code: int, message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == code
    assert message in result.output


def test_a_link_shows_in_the_history_of_both_claims(engine, data) -> None:
    from factdb.models import ClaimLink

    with transaction(engine, TESTER) as session:
        session.add(ClaimLink(from_claim_id=data["claims"]["complicit"], to_claim_id=data["claims"]["arms"],
                              kind="narrower-than"))
    assert _claim_rows(engine, "iran-complicit-us-casualties")[-1] == ("tester", "insert", "claim_links", None)
    assert _claim_rows(engine, "iran-arms-militias")[-1] == ("tester", "insert", "claim_links", None)


def test_history_from_before_revision_0010_is_found_by_its_indexed_columns(engine, invoke) -> None:
    """Revision 0010 fills ``entity_id`` and ``linked_claim_id`` for entries recorded before
    it existed: an entity's names and roles and a claim's incoming links are found as before."""
    from factdb.migrate import migrate

    assert invoke("seed").exit_code == 0
    assert invoke("entity", "alias", "add", "Iran", "the Iranian government").exit_code == 0
    assert invoke("entity", "role", "add", "Leon Panetta", "US Secretary of Defense", "--from", "2011-07").exit_code == 0
    claims = json.loads(invoke("claim", "list", "--format", "json").stdout)
    first, second = claims[0]["key"], claims[1]["key"]
    assert invoke("claim", "link", first, "contradicts", second).exit_code == 0

    def views() -> list[list[dict]]:
        shown = [invoke("history", "--entity", name, "--format", "json") for name in ("Iran", "Leon Panetta")]
        shown.append(invoke("history", second, "--format", "json"))
        return [json.loads(result.stdout) for result in shown]

    current = views()
    assert any(row["table"] == "entity_names" and row["action"] == "insert" and row["after"]["name"] ==
               "the Iranian government" for row in current[0])
    assert any(row["table"] == "entity_roles" for row in current[1])
    assert any(row["table"] == "claim_links" for row in current[2])
    migrate(engine, "0003")
    migrate(engine, "head")
    assert views() == current
