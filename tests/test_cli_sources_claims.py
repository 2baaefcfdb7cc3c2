"""`factdb source` and `factdb claim`: add, list, show, edit, delete, link, merge (both backends)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text


def _json(invoke, *args: str):
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_source_show_json(replayed_session, invoke) -> None:
    assert _json(invoke, "source", "show", "afp-2011-07-10") == {
        "id": 1,
        "key": "afp-2011-07-10",
        "kind": "article",
        "outlet": "AFP",
        "title": "US forces pursue Iraq Shiite insurgents",
        "url": "https://www.afp.com/en/news/us-forces-pursue-iraq-shiite-insurgents",
        "authors": ["Mathieu Rabechault"],
        "published_on": "2011-07-10",
        "published_on_precision": "day",
        "published_time": None,
        "modified_time": None,
        "text_state": None,
        "republishes": None,
        "updates": None,
        "note": None,
        "statements": 2,
        "versions": [],
    }
    by_url = _json(invoke, "source", "show", "https://www.afp.com/en/news/us-forces-pursue-iraq-shiite-insurgents")
    assert by_url["key"] == "afp-2011-07-10"


def test_source_outlet_is_resolved_like_any_name(replayed_session, invoke, counts) -> None:
    invoke("entity", "alias", "add", "AFP", "Agence France-Presse")
    added = invoke("source", "add", "--key", "afp-copy", "--outlet", "agence france presse", "--published", "2011-07", "--republishes", "afp-2011-07-10")
    assert added.stdout == 'Added source 2 "afp-copy" (AFP).\n'
    before = counts()
    refused = invoke("source", "add", "--key", "nyt-1", "--outlet", "New York Times")
    assert refused.stderr == 'Error: No entity named "New York Times". Pass --create to add it as a new media entity.\n'
    assert counts() == before
    rows = _json(invoke, "source", "list", "--outlet", "AFP")
    assert [(r["key"], r["published_on"], r["republishes"]) for r in rows] == [
        ("afp-2011-07-10", "2011-07-10", None),
        ("afp-copy", "2011-07", "afp-2011-07-10"),
    ]
    in_use = invoke("source", "delete", "afp-2011-07-10")
    assert in_use.exit_code == 1 and "afp-copy" in in_use.stderr and "2 statement(s)" in in_use.stderr
    assert invoke("source", "delete", "afp-copy").stdout == 'Deleted source "afp-copy".\n'


def test_source_edit(replayed_session, invoke) -> None:
    result = invoke("source", "edit", "afp-2011-07-10", "--published", "2011", "--author", "A", "--author", "B", "--author", "A", "--url", "")
    assert result.stdout == 'Updated source 1 "afp-2011-07-10".\n'
    record = _json(invoke, "source", "show", "afp-2011-07-10")
    assert (record["published_on"], record["published_on_precision"], record["authors"], record["url"]) == ("2011", "year", ["A", "B"], None)  # a repeated author is one author, as in a bundle


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "key,text,tags,statements,supporting,opposing\n"
                "iran-arms-militias,Iran supplies weapons to Shiite militias in Iraq,iran; weapons,2,1,1\n"),
        ("markdown", "| key | text | tags | statements | supporting | opposing |\n|---|---|---|---|---|---|\n"
                     "| iran-arms-militias | Iran supplies weapons to Shiite militias in Iraq | iran; weapons | 2 | 1 | 1 |\n"),
    ],
)
def test_claim_list_formats(replayed_session, invoke, fmt: str, expected: str) -> None:
    assert invoke("claim", "list", "--tag", "IRAN", "--format", fmt).stdout == expected


def test_claim_show_table_marks_speakers_and_statements(replayed_session, invoke) -> None:
    out = invoke("claim", "show", "iran-arms-militias", "--format", "markdown").stdout
    assert out.startswith("## iran-arms-militias\n| field | value |\n|---|---|\n| id | 1 |\n")
    assert "| 2 | Iran | denies | unspecified |  | afp-2011-07-10 | Iran state television |  |  |" in out


def test_claim_add_derives_a_key_and_edit_changes_tags(invoke) -> None:
    assert invoke("claim", "add", "Iran trains Shiite militias").stdout == 'Added claim 1 "iran-trains-shiite-militias".\n'
    assert invoke("claim", "edit", "iran-trains-shiite-militias", "--tag", "Iran", "--tag", "training", "--key", "iran-training").exit_code == 0
    assert invoke("claim", "edit", "iran-training", "--untag", "training", "--note", "seed 000").exit_code == 0
    record = _json(invoke, "claim", "show", "1")
    assert (record["key"], record["tags"], record["note"]) == ("iran-training", ["iran"], "seed 000")


def test_link_unlink_and_delete_claims(replayed_session, invoke, counts) -> None:
    invoke("claim", "add", "Iran does not arm insurgents", "--key", "iran-no-arms")
    assert invoke("claim", "link", "iran-no-arms", "contradicts", "iran-arms-militias").stdout == (
        "Linked: iran-no-arms contradicts iran-arms-militias.\n"
    )
    assert _json(invoke, "claim", "show", "iran-arms-militias")["links"] == [
        {"kind": "contradicts", "direction": "incoming", "claim": "iran-no-arms"}
    ]
    before = counts()
    twice = invoke("claim", "link", "iran-no-arms", "contradicts", "iran-arms-militias")
    assert twice.stderr == 'Error: "iran-no-arms" already contradicts "iran-arms-militias"\n'
    self_link = invoke("claim", "link", "iran-no-arms", "same-as", "iran-no-arms")
    assert self_link.stderr == 'Error: A claim cannot be linked to itself ("iran-no-arms")\n'
    assert counts() == before
    assert invoke("claim", "unlink", "iran-no-arms", "contradicts", "iran-arms-militias").exit_code == 0
    assert invoke("claim", "link", "iran-no-arms", "narrower-than", "iran-arms-militias").exit_code == 0
    assert invoke("claim", "delete", "iran-no-arms").stdout == 'Deleted claim "iran-no-arms".\n'
    after = counts()
    assert (after["claims"], after["claim_links"]) == (before["claims"] - 1, 0)


def test_claim_merge_loses_nothing(replayed_session, invoke, counts, engine) -> None:
    invoke("claim", "add", "Iran arms Iraqi insurgents", "--key", "iran-arms-iraq", "--tag", "insurgents", "--tag", "iran", "--note", "duplicate")
    invoke("claim", "add", "Iran does not arm insurgents", "--key", "iran-no-arms")
    invoke("claim", "link", "iran-no-arms", "contradicts", "iran-arms-iraq")
    invoke("claim", "link", "iran-arms-iraq", "same-as", "iran-arms-militias")
    invoke("attribute", "iran-arms-iraq", "--speaker", "Leon Panetta", "--stance", "asserts", "--source", "afp-2011-07-10", "--said-on", "2011-07-09")
    before = counts()
    result = invoke("claim", "merge", "iran-arms-iraq", "iran-arms-militias")
    assert result.stdout == 'Merged claim "iran-arms-iraq" into 1 "iran-arms-militias".\n'
    after = counts()
    assert after["statements"] == before["statements"]
    assert after["claims"] == before["claims"] - 1
    record = _json(invoke, "claim", "show", "iran-arms-militias")
    assert record["tags"] == ["insurgents", "iran", "weapons"]
    assert record["note"] == "duplicate"
    assert record["links"] == [{"kind": "contradicts", "direction": "incoming", "claim": "iran-no-arms"}]
    assert [s["id"] for s in record["statements"]] == [3, 2, 1]  # 2 is undated: at its source's date
    gone = invoke("claim", "show", "iran-arms-iraq")
    assert gone.exit_code == 1 and gone.stderr.startswith('Error: No claim named "iran-arms-iraq".')
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT row_key, before FROM history WHERE action = 'merge' AND table_name = 'claims' ORDER BY id")
        ).all()
    befores = [(key, b if isinstance(b, dict) or b is None else json.loads(b)) for key, b in rows]
    recorded = [(key, b["merged"]["key"], b["merged"]["text"]) for key, b in befores if b and "merged" in b]
    assert recorded == [("iran-arms-militias", "iran-arms-iraq", "Iran arms Iraqi insurgents")]


def test_claims_linked_contradicts_merge_only_when_confirmed(replayed_session, invoke, counts) -> None:
    invoke("claim", "add", "Iran does not arm insurgents", "--key", "iran-no-arms")
    invoke("claim", "add", "The US arms militias in Iraq", "--key", "us-arms-militias")
    assert invoke("claim", "link", "iran-no-arms", "contradicts", "iran-arms-militias").exit_code == 0
    countered = invoke("claim", "link", "us-arms-militias", "counters", "iran-arms-militias")
    assert countered.stdout == "Linked: us-arms-militias counters iran-arms-militias.\n"
    assert invoke("claim", "link", "iran-no-arms", "supports", "us-arms-militias").exit_code == 0
    before = counts()
    refused = invoke("claim", "merge", "iran-no-arms", "iran-arms-militias")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        'Error: Not merged: "iran-no-arms" and "iran-arms-militias" are linked as contradicting each other; '
        "confirm the merge (--yes in a script) if they really are one claim.\n"
    )
    assert counts() == before
    merged = invoke("claim", "merge", "iran-no-arms", "iran-arms-militias", "--yes")
    assert merged.stdout == 'Merged claim "iran-no-arms" into 1 "iran-arms-militias".\n'
    links = _json(invoke, "claim", "show", "iran-arms-militias")["links"]
    assert sorted((link["kind"], link["direction"], link["claim"]) for link in links) == [
        ("counters", "incoming", "us-arms-militias"),
        ("supports", "outgoing", "us-arms-militias"),
    ]


def test_a_source_has_a_kind_and_any_entity_publishes_it(replayed_session, invoke, counts) -> None:
    before = counts()
    bad = invoke("source", "add", "--key", "fbi-1", "--kind", "memo", "--outlet", "FBI")
    assert bad.exit_code == 2 and "Invalid value for '--kind': 'memo' is not one of 'article', 'statement'" in bad.stderr
    assert counts() == before
    added = invoke("source", "add", "--key", "fbi-2020-11-05", "--kind", "statement", "--outlet", "FBI", "--create",
                   "--published", "2020-11-05")  # fmt: skip
    assert added.stdout == 'Created entity 6 "FBI" (organization).\nAdded source 2 "fbi-2020-11-05" (FBI).\n'
    assert _json(invoke, "entity", "show", "FBI")["kind"] == "organization"  # not a media outlet
    record = _json(invoke, "source", "show", "fbi-2020-11-05")
    assert (record["kind"], record["outlet"]) == ("statement", "FBI")
    assert _json(invoke, "source", "show", "afp-2011-07-10")["kind"] == "article"
    assert invoke("source", "edit", "fbi-2020-11-05", "--kind", "press-release").exit_code == 0
    assert _json(invoke, "source", "show", "fbi-2020-11-05")["kind"] == "press-release"
    invoke("attribute", "iran-arms-militias", "--speaker", "FBI", "--stance", "asserts", "--source", "fbi-2020-11-05")
    table = invoke("report", "claim", "iran-arms-militias").stdout
    assert "    source: FBI (press-release), 2020-11-05\n" in table


def test_a_source_keeps_its_printed_times_and_text_state(replayed_session, invoke, counts) -> None:
    before = counts()
    bad = invoke("source", "edit", "afp-2011-07-10", "--published-time", "25:06")
    assert (bad.exit_code, bad.stderr) == (
        1, 'Error: published time: "25:06" is not a time of day (HH:MM or HH:MM:SS, 24-hour)\n'
    )
    assert counts() == before
    edited = invoke("source", "edit", "afp-2011-07-10", "--published-time", "9:06", "--modified-time", "11:08:30",
                    "--text-state", "truncated")  # fmt: skip
    assert edited.exit_code == 0, edited.output
    record = _json(invoke, "source", "show", "afp-2011-07-10")
    assert (record["published_time"], record["modified_time"], record["text_state"]) == ("09:06", "11:08:30", "truncated")
    invoke("attribute", "iran-arms-militias", "--speaker", "Tehran", "--stance", "denies", "--source", "afp-2011-07-10",
           "--position", "headline", "--key", "tehran-headline")  # fmt: skip
    statement = _json(invoke, "statement", "show", "tehran-headline")
    assert statement["position"] == "headline"
    table = invoke("report", "claim", "iran-arms-militias", env={"COLUMNS": "80"}).stdout
    assert "    position: headline\n" in table
    assert ("source: AFP, \"US forces pursue Iraq Shiite insurgents\", 2011-07-10 09:06,\n"
            "      modified 11:08:30, text truncated\n") in table
    assert invoke("source", "edit", "afp-2011-07-10", "--text-state", "", "--published-time", "").exit_code == 0
    record = _json(invoke, "source", "show", "afp-2011-07-10")
    assert (record["published_time"], record["text_state"]) == (None, None)
