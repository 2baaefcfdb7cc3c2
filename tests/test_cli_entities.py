"""`factdb entity`: add, list, show, edit, alias, role, delete, merge (both backends)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text


def test_add_with_aliases_and_show_json(invoke) -> None:
    result = invoke(
        "entity", "add", "Kataib Hezbollah", "--kind", "armed-group",
        "--alias", "Ketaeb Hezbollah", "--alias", "Kata'ib Hizballah", "--alias", "Ketaeb Hezbollah",
    )  # an alias given twice is one alias
    assert (result.exit_code, result.stdout) == (0, 'Added entity 1 "Kataib Hezbollah" (armed-group).\n')
    shown = invoke("entity", "show", "KATA’IB HIZBALLAH", "--format", "json")
    assert json.loads(shown.stdout) == {
        "id": 1,
        "name": "Kataib Hezbollah",
        "kind": "armed-group",
        "aliases": ["Ketaeb Hezbollah", "Kata'ib Hizballah"],
        "part_of": None,
        "roles": [],
        "note": None,
        "statements": 0,
    }


def test_role_with_dates_and_precision(invoke) -> None:
    invoke("entity", "add", "United States", "--kind", "government")
    result = invoke(
        "entity", "add", "Leon Panetta", "--kind", "person",
        "--role", "US Secretary of Defense", "--of", "United States", "--from", "2011-07",
    )
    assert result.exit_code == 0
    assert invoke("entity", "role", "add", "Leon Panetta", "CIA Director", "--from", "2009", "--until", "2011-06-30").exit_code == 0
    roles = json.loads(invoke("entity", "show", "Leon Panetta", "--format", "json").stdout)["roles"]
    assert roles == [
        {"title": "US Secretary of Defense", "of": "United States", "from": "2011-07", "from_precision": "month",
         "until": None, "until_precision": None},
        {"title": "CIA Director", "of": None, "from": "2009", "from_precision": "year",
         "until": "2011-06-30", "until_precision": "day"},
    ]
    assert invoke("entity", "role", "remove", "Leon Panetta", "cia director").stdout == (
        'Removed role "cia director" of "Leon Panetta".\n'
    )


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "id,name,kind,aliases,part_of,statements\n2,Leon Panetta,person,,,1\n"),
        (
            "markdown",
            "| id | name | kind | aliases | part_of | statements |\n|---|---|---|---|---|---|\n"
            "| 2 | Leon Panetta | person |  |  | 1 |\n",
        ),
        (
            "table",
            "id  name          kind    aliases  part_of  statements\n"
            "--  ------------  ------  -------  -------  ----------\n"
            "2   Leon Panetta  person                    1\n",
        ),
    ],
)
def test_list_by_kind_in_every_format(replayed_session, invoke, fmt: str, expected: str) -> None:
    result = invoke("entity", "list", "--kind", "person", "--format", fmt)
    assert (result.exit_code, result.stdout) == (0, expected)


def test_list_json_gives_full_records(replayed_session, invoke) -> None:
    rows = json.loads(invoke("entity", "list", "--format", "json").stdout)
    assert [(r["name"], r["kind"], r["aliases"], r["statements"]) for r in rows] == [
        ("AFP", "media", [], 0),
        ("Iran", "government", ["Tehran", "the government of Iran"], 1),
        ("Iran state television", "media", [], 0),
        ("Kataib Hezbollah", "armed-group", ["Kata'ib Hizballah"], 0),
        ("Leon Panetta", "person", [], 1),
    ]


def test_alias_add_remove_and_primary_name_is_protected(invoke, counts) -> None:
    invoke("entity", "add", "Iran", "--kind", "government")
    assert invoke("entity", "alias", "add", "Iran", "Tehran", "Islamic Republic of Iran").stdout == (
        '"Iran" is also known as: Tehran; Islamic Republic of Iran.\n'
    )
    assert invoke("entity", "alias", "remove", "tehran", "islamic republic of iran").exit_code == 0
    before = counts()
    refused = invoke("entity", "alias", "remove", "Iran", "Iran")
    assert refused.exit_code == 1
    assert refused.stderr == 'Error: "Iran" is the primary name of "Iran"; give the entity another primary name first.\n'
    assert counts() == before
    assert json.loads(invoke("entity", "show", "Iran", "--format", "json").stdout)["aliases"] == ["Tehran"]


def test_rename_keeps_the_old_name_as_alias(invoke) -> None:
    invoke("entity", "add", "Kataib Hezbollah", "--kind", "armed-group")
    result = invoke("entity", "edit", "Kataib Hezbollah", "--name", "Hezbollah Brigades", "--kind", "organization", "--note", "Iraqi militia")
    assert result.stdout == 'Updated entity 1 "Hezbollah Brigades".\n'
    record = json.loads(invoke("entity", "show", "Kataib Hezbollah", "--format", "json").stdout)
    assert (record["name"], record["kind"], record["aliases"], record["note"]) == (
        "Hezbollah Brigades", "organization", ["Kataib Hezbollah"], "Iraqi militia",
    )


def test_respelling_that_normalizes_the_same_replaces_the_spelling(invoke) -> None:
    invoke("entity", "add", "Kataib Hezbollah", "--kind", "armed-group")
    assert invoke("entity", "edit", "kataib hezbollah", "--name", "Kata'ib Hezbollah").exit_code == 0
    record = json.loads(invoke("entity", "show", "Kataib Hezbollah", "--format", "json").stdout)
    assert (record["name"], record["aliases"]) == ("Kata'ib Hezbollah", [])


def test_part_of_and_delete_refused_while_a_part_exists(invoke, counts) -> None:
    invoke("entity", "add", "Iran", "--kind", "government")
    invoke("entity", "add", "Iran foreign ministry", "--kind", "government", "--part-of", "Iran")
    before = counts()
    refused = invoke("entity", "delete", "Iran")
    assert refused.stderr == (
        'Error: Entity "Iran" is still used by 1 entity as part of it (Iran foreign ministry). '
        "Merge it into another entity (`entity merge`) or change those first.\n"
    )
    assert counts() == before
    assert invoke("entity", "edit", "Iran foreign ministry", "--no-part-of").exit_code == 0
    assert invoke("entity", "delete", "Iran").stdout == 'Deleted entity "Iran".\n'
    assert counts()["entities"] == before["entities"] - 1


def test_merge_moves_statements_aliases_roles_and_keeps_history(replayed_session, invoke, counts, engine) -> None:
    invoke("entity", "add", "Ketaeb Hezbollah", "--kind", "armed-group", "--alias", "KH", "--role", "militia", "--from", "2007")
    invoke("claim", "add", "Kataib Hezbollah attacked US bases", "--key", "kh-attacks")
    invoke("attribute", "kh-attacks", "--speaker", "KH", "--stance", "acknowledges", "--source", "afp-2011-07-10")
    invoke("attribute", "kh-attacks", "--anonymous", "a fighter", "--affiliation", "Ketaeb Hezbollah", "--stance", "asserts", "--source", "afp-2011-07-10", "--via", "Ketaeb Hezbollah")
    before = counts()
    result = invoke("--as", "desk editor", "entity", "merge", "Ketaeb Hezbollah", "Kataib Hezbollah")
    assert result.stdout == (
        'Merged "Ketaeb Hezbollah" into entity 3 "Kataib Hezbollah" '
        "(aliases: Kata'ib Hizballah; Ketaeb Hezbollah; KH).\n"
    )
    after = counts()
    assert after["entities"] == before["entities"] - 1
    assert after["entity_names"] == before["entity_names"]  # every name kept, as an alias
    assert after["statements"] == before["statements"]
    record = json.loads(invoke("entity", "show", "KH", "--format", "json").stdout)
    assert (record["name"], record["statements"], [r["title"] for r in record["roles"]]) == ("Kataib Hezbollah", 1, ["militia"])
    rows = json.loads(invoke("statement", "list", "--claim", "kh-attacks", "--format", "json").stdout)
    assert [(r["speaker"], r["speaker_affiliation"], r["via"]) for r in rows] == [
        ({"name": "Kataib Hezbollah", "kind": "armed-group", "anonymous": False}, None, []),
        ({"name": "a fighter", "kind": None, "anonymous": True}, "Kataib Hezbollah", ["Kataib Hezbollah"]),
    ]
    with engine.connect() as conn:
        merged = conn.execute(
            text("SELECT actor, table_name, row_key FROM history WHERE action = 'merge' ORDER BY id")
        ).all()
    assert ("desk editor", "entities", "Kataib Hezbollah") in merged
    assert {row[1] for row in merged} >= {"statements", "statement_via", "entity_names", "entities"}
    assert {row[0] for row in merged} == {"desk editor"}


def test_history_records_the_actor_of_as(replayed_session, invoke, engine) -> None:
    result = invoke("--as", "desk editor", "attribute", "iran-arms-militias", "--speaker", "Iran", "--stance", "acknowledges", "--source", "afp-2011-07-10")
    assert result.exit_code == 0
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor, action, table_name FROM history WHERE actor = 'desk editor' ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [("desk editor", "insert", "statements")]
