"""One sentence, several claims (revision 0026): one statement row per claim, sharing
``utterance``; each counted on its own claim; reports show "also answers"."""

from __future__ import annotations

import json

from speaker_support import imported_elsewhere


def _story(invoke) -> None:
    for args in (
        ["entity", "add", "Kremlin", "--kind", "government"],
        ["source", "add", "--key", "afp-2024-10-02", "--outlet", "AFP", "--create"],
        ["claim", "add", "Russia hacked the emails", "--key", "russia-hacked-emails"],
        ["claim", "add", "Russia paid trolls", "--key", "russia-paid-trolls"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output


SLANDER = ["--claim", "russia-hacked-emails", "--claim", "russia-paid-trolls", "--speaker", "Kremlin",
           "--stance", "denies", "--quote", "malicious slander", "--source", "afp-2024-10-02"]


def test_one_utterance_answers_two_claims_recorded_once(db_url, invoke) -> None:
    _story(invoke)
    result = invoke("attribute", *SLANDER, "--key", "slander")
    assert (result.exit_code, result.stdout) == (0, (
        "Recorded statement 1 (slander): Kremlin denies russia-hacked-emails.\n"
        "Recorded statement 2 (slander-2): Kremlin denies russia-paid-trolls.\n"
        "One utterance, 2 claims: the statements share utterance slander.\n"
    ))
    claims = json.loads(invoke("claim", "list", "--format", "json").stdout)
    assert [(c["key"], c["statements"], c["opposing"]) for c in claims] == [
        ("russia-hacked-emails", 1, 1), ("russia-paid-trolls", 1, 1)]
    shown = json.loads(invoke("statement", "show", "slander-2", "--format", "json").stdout)
    assert (shown["utterance"], shown["also_answers"]) == ("slander", ["russia-hacked-emails"])
    report = json.loads(invoke("report", "claim", "russia-hacked-emails", "--format", "json").stdout)
    assert [(s["key"], s["also_answers"]) for s in report["statements"]] == [("slander", ["russia-paid-trolls"])]
    text = invoke("report", "claim", "russia-paid-trolls").stdout
    assert "    also answers: russia-hacked-emails\n" in text
    alone = invoke("attribute", "russia-paid-trolls", "--speaker", "Kremlin", "--stance", "denies",
                   "--source", "afp-2024-10-02", "--key", "alone")
    assert alone.exit_code == 0, alone.output
    shown = json.loads(invoke("statement", "show", "alone", "--format", "json").stdout)
    assert (shown["utterance"], shown["also_answers"]) == (None, [])


def test_a_claim_given_twice_is_refused_and_undo_takes_back_both(db_url, invoke, counts) -> None:
    _story(invoke)
    before = counts()
    twice = invoke("attribute", "russia-paid-trolls", "--claim", "russia-paid-trolls", "--speaker", "Kremlin",
                   "--stance", "denies", "--source", "afp-2024-10-02")
    assert (twice.exit_code, twice.stderr) == (1, 'Error: claim "russia-paid-trolls" is given twice; give each claim once\n')
    assert counts() == before
    assert invoke("attribute", *SLANDER).exit_code == 0
    undone = invoke("undo")
    assert undone.exit_code == 0, undone.output
    assert dict(counts(), history=0) == dict(before, history=0)  # history keeps the attribute and its undo


def test_the_utterance_travels_in_a_bundle(db_url, invoke, tmp_path) -> None:
    _story(invoke)
    invoke("attribute", *SLANDER, "--key", "slander")
    exported = invoke("export").stdout
    assert exported.count("  utterance: slander\n") == 2
    shown = imported_elsewhere(exported, tmp_path)("statement", "show", "slander", "--format", "json").stdout
    assert json.loads(shown)["also_answers"] == ["russia-paid-trolls"]
