"""Speakers counted alike everywhere (issue 12's joint speakers and anonymous ids): the ranking
of a period counts them as the stored counts do, a party group counts each statement once, an
entity merge never leaves a statement with the same speaker twice, and the entity report's
opponents include joint speakers (both backends)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import text

from factdb.counts import counts_drift

CLAIM = "russia-interfered"


def _ok(invoke: Callable[..., Result], *args: str) -> Result:
    result = invoke(*args)
    assert result.exit_code == 0, (args, result.output)
    return result


def _json(invoke: Callable[..., Result], *args: str) -> Any:
    return json.loads(_ok(invoke, *args, "--format", "json").stdout)


@pytest.fixture
def story(invoke: Callable[..., Result]) -> Callable[..., Result]:
    """FBI and CNN (joint) assert; Russia and Peskov (joint) deny; one anonymous Kremlin
    official (id K1) under two descriptions denies twice in Reuters."""
    for args in (
        ["entity", "add", "Russia", "--kind", "government"],
        ["entity", "add", "Dmitry Peskov", "--kind", "person", "--part-of", "Russia"],
        ["entity", "add", "FBI", "--kind", "government"],
        ["entity", "add", "CNN", "--kind", "media"],
        ["source", "add", "--key", "afp-1", "--outlet", "AFP", "--published", "2024-11-06", "--create"],
        ["source", "add", "--key", "reuters-1", "--outlet", "Reuters", "--published", "2024-11-06", "--create"],
        ["claim", "add", "Russia interfered in the election", "--key", CLAIM],
    ):
        _ok(invoke, *args)
    on = ["--said-on", "2024-11-06"]
    _ok(invoke, "attribute", CLAIM, "--speaker", "FBI", "--speaker", "CNN", "--stance", "asserts",
        "--source", "afp-1", "--key", "s1", *on)  # fmt: skip
    _ok(invoke, "attribute", CLAIM, "--speaker", "Russia", "--speaker", "Dmitry Peskov", "--stance", "denies",
        "--source", "afp-1", "--key", "s2", *on)  # fmt: skip
    for key, description in (("s3", "a Kremlin official"), ("s4", "the official")):
        _ok(invoke, "attribute", CLAIM, "--anonymous", description, "--anon-id", "K1", "--affiliation", "Russia",
            "--stance", "denies", "--source", "reuters-1", "--key", key, *on)  # fmt: skip
    return invoke


def _ranked(invoke: Callable[..., Result], *args: str) -> list[tuple]:
    return [
        (r["claim"], r["statements"], r["supporting"], r["opposing"], r["supporting_speakers"], r["opposing_speakers"])
        for r in _json(invoke, "report", "contested", *args)["claims"]
    ]


def test_a_period_counts_joint_speakers_and_anonymous_ids_as_the_stored_counts(story) -> None:
    # FBI and CNN support; Russia, Peskov and the one official K1 oppose
    assert _ranked(story) == [(CLAIM, 4, 1, 3, 2, 3)]
    assert _ranked(story, "--since", "2024-11") == [(CLAIM, 4, 1, 3, 2, 3)]
    assert _ranked(story, "--since", "2024-11-06", "--until", "2024-11-06") == [(CLAIM, 4, 1, 3, 2, 3)]
    assert _ranked(story, "--until", "2024-10") == []
    # the joint speaker CNN speaks on the claim: --speaker finds it too
    assert _ranked(story, "--speaker", "CNN") == [(CLAIM, 4, 1, 3, 2, 3)]


def test_a_party_group_counts_each_statement_once(story) -> None:
    report = _json(story, "report", "claim", CLAIM)
    assert report["sides"]["oppose"] == [{
        "party": "Russia", "statements": 3, "speakers": [
            {"speaker": "a Kremlin official", "anonymous": True, "statements": 2},
            {"speaker": "Dmitry Peskov", "anonymous": False, "statements": 1},
            {"speaker": "Russia", "anonymous": False, "statements": 1},
        ],
    }]  # fmt: skip
    assert [(g["party"], g["statements"]) for g in report["sides"]["support"]] == [("CNN", 1), ("FBI", 1)]


def test_the_entity_report_names_joint_speakers_among_its_opponents(story) -> None:
    fbi = _json(story, "report", "entity", "FBI")
    assert fbi["disputed_by"] == [
        {"speaker": "Dmitry Peskov", "anonymous": False, "party": "Russia", "claims": [CLAIM]},
        {"speaker": "Russia", "anonymous": False, "party": "Russia", "claims": [CLAIM]},
        {"speaker": "a Kremlin official", "anonymous": True, "party": "Russia", "claims": [CLAIM]},
    ]  # the one official K1 under its first description
    russia = _json(story, "report", "entity", "Russia")
    assert russia["disputes"] == [
        {"speaker": "CNN", "anonymous": False, "party": "CNN", "claims": [CLAIM]},
        {"speaker": "FBI", "anonymous": False, "party": "FBI", "claims": [CLAIM]},
    ]
    text_report = " ".join(story("report", "entity", "Russia").stdout.split())
    assert "CNN" in text_report


def _speakers(engine, key: str) -> tuple[list[str], list[tuple]]:
    with engine.connect() as conn:
        claim_speakers = conn.execute(text(
            "SELECT cs.side, coalesce(e.name, cs.speaker_ref), cs.statements FROM claim_speakers cs "
            "LEFT JOIN entities e ON cs.speaker_ref = 'e:' || CAST(e.id AS TEXT) ORDER BY 1, 2"
        )).all()  # fmt: skip
        assert counts_drift(conn) == []
    return [tuple(r) for r in claim_speakers], key


def test_a_merge_collapses_a_joint_speaker_equal_to_another(story, engine) -> None:
    _ok(story, "entity", "add", "D. Peskov", "--kind", "person")
    _ok(story, "entity", "add", "Cable News Network", "--kind", "media")
    _ok(story, "attribute", CLAIM, "--speaker", "Dmitry Peskov", "--speaker", "D. Peskov", "--stance", "denies",
        "--source", "reuters-1", "--key", "s5")  # fmt: skip
    _ok(story, "attribute", CLAIM, "--speaker", "FBI", "--speaker", "CNN", "--speaker", "Cable News Network",
        "--stance", "asserts", "--source", "reuters-1", "--key", "s6")  # fmt: skip
    before = _speakers(engine, "before")[0]
    assert ("oppose", "Dmitry Peskov", 2) in before and ("oppose", "D. Peskov", 1) in before
    _ok(story, "entity", "merge", "D. Peskov", "Dmitry Peskov")
    _ok(story, "entity", "merge", "Cable News Network", "CNN")
    shown = {key: [s["name"] for s in _json(story, "statement", "show", key)["speakers"]] for key in ("s5", "s6")}
    assert shown == {"s5": ["Dmitry Peskov"], "s6": ["FBI", "CNN"]}
    merged = _speakers(engine, "merged")[0]
    assert merged == [
        ("oppose", "Dmitry Peskov", 2), ("oppose", "Russia", 1), ("oppose", merged[2][1], 2),
        ("support", "CNN", 2), ("support", "FBI", 2),
    ]  # fmt: skip
    assert _ranked(story) == [(CLAIM, 6, 2, 4, 2, 3)]
    history = " ".join(story("history", "--limit", "2").stdout.split())
    assert "merge" in history
    # undone, the two entities and the joint speakers are back
    _ok(story, "undo")
    _ok(story, "undo")
    shown = {key: [s["name"] for s in _json(story, "statement", "show", key)["speakers"]] for key in ("s5", "s6")}
    assert shown == {"s5": ["Dmitry Peskov", "D. Peskov"], "s6": ["FBI", "CNN", "Cable News Network"]}
    assert _speakers(engine, "undone")[0] == before
