"""factdb check: every finding code, severities, --fail-on, output formats."""

from __future__ import annotations

import json

import pytest
import trust_data as td
from test_trust_quotes import REUTERS_TEXT
from trust_data import TESTER, populate

from factdb.checks import CODES, fails, run_checks
from factdb.models import ClaimLink, Entity, Source, Statement
from factdb.sessions import read_session, transaction

# The small dataset's findings as they stand (Panetta said 2011-07-11, AFP published 2011-07-10,
# as in seed 000). The Gates claim rests on one statement: trivially one outlet, not reported.
BASELINE = [
    ("warning", "statement-after-publication", "afp-2011-07-10-us-forces-pursue/panetta",
     "said on 2011-07-11, after its source afp-2011-07-10-us-forces-pursue was published (2011-07-10)"),
]


def _findings(engine) -> list[tuple]:
    with read_session(engine) as session:
        return [(f["severity"], f["code"], f["subject"], f["message"]) for f in run_checks(session)]


@pytest.fixture
def data(db_url: str, dataset) -> dict:
    return dataset(populate)


def test_small_dataset_has_only_the_date_conflict(engine, data) -> None:
    assert _findings(engine) == BASELINE


def test_month_precision_in_the_publication_month_is_not_after(engine, data) -> None:
    with transaction(engine, TESTER) as session:
        panetta = session.get(Statement, data["statements"]["panetta"])
        panetta.said_on_precision = "month"
        panetta.said_on = panetta.said_on.replace(day=1)
    assert _findings(engine) == []


def test_quote_not_found_and_unanchored(engine, data) -> None:
    from factdb.models import SourceText

    with transaction(engine, TESTER) as session:  # text stored without anchoring (an old import)
        session.add(SourceText(source_id=data["sources"]["reuters"], text=REUTERS_TEXT, sha256="x"))
    found = _findings(engine)
    assert found[0] == ("error", "quote-not-found", "reuters-2011-07-03-crackdown/official",
                        'direct quote "The goal of this operation basically is to prevent the infi…" '
                        "is not in the stored text of reuters-2011-07-03-crackdown")
    unanchored = [f[2] for f in found if f[1] == "quote-unanchored"]
    assert unanchored == ["reuters-2011-07-03-crackdown/gates", "reuters-2011-07-03-crackdown/jeffrey"]


def test_sourcing_findings(engine, data) -> None:
    with transaction(engine, TESTER) as session:
        claim = td.claim(session, "iran-trains-militias", "Iran trains fighters of Shiite militias in camps.")
        reuters = session.get(Source, data["sources"]["reuters"])
        td.statement(session, "reuters/anon", claim, reuters, speaker_description="a US official",
                     quote="trained in Iran", quote_kind="paraphrase")
        td.claim(session, "nobody-said-this", "A claim nobody has made yet.")
        # a republication by AFP of the Reuters story is not a second outlet
        afp_copy = td.source(session, "afp-copy", session.get(Entity, session.get(Source, data["sources"]["afp"]).outlet_id),
                             "2011-07-04", republishes_id=reuters.id)
        td.statement(session, "afp-copy/anon", claim, afp_copy, speaker_description="a US official",
                     stance="acknowledges")
    codes = [(f[1], f[2], f[3]) for f in _findings(engine) if f[2] in ("iran-trains-militias", "nobody-said-this")]
    assert codes == [
        ("anonymous-only", "iran-trains-militias", "supported only by anonymous speakers (2 statements: a US official)"),
        ("claim-without-statements", "nobody-said-this", "no statement makes, disputes or reports this claim"),
        ("single-outlet", "iran-trains-militias",
         "all 2 supporting statements come from one outlet (Reuters; republications count as their original's outlet)"),
    ]


def test_duplicate_entities_but_not_distinct_ones(engine, data) -> None:
    # Iran/Iraq, United States/United Kingdom, Kataib Hezbollah/Hezbollah are distinct
    with transaction(engine, TESTER) as session:
        td.entity(session, "Iraq", "government")
        td.entity(session, "Hezbollah", "armed-group")
        td.entity(session, "Ketaeb Hezbollah", "armed-group")
        td.entity(session, "Robert Fisk", "person")
        # whole names 95% alike, but differing in a short word: distinct (as in the seed data)
        td.entity(session, "Islamic Republic of Iran", "government", "the government of Iran")
        td.entity(session, "Republic of Iraq", "government", "the government of Iraq")
    duplicates = [(f[2], f[3]) for f in _findings(engine) if f[1] == "duplicate-entity"]
    assert duplicates == [(
        "Kataib Hezbollah | Ketaeb Hezbollah",
        '"Kataib Hezbollah" and "Ketaeb Hezbollah" are close (87%) but not aliases of one entity; '
        "merge them or keep them apart knowingly",
    )]


def test_duplicate_claims_unless_linked(engine, data) -> None:
    with transaction(engine, TESTER) as session:
        td.claim(session, "iran-arms-militias-2", "Iran supplies weapons to Shi'ite militias in Iraq")
        td.claim(session, "iran-trains", "Iran trains Shiite militias in Iraq.")
    duplicates = [f[2] for f in _findings(engine) if f[1] == "duplicate-claim"]
    assert duplicates == ["iran-arms-militias | iran-arms-militias-2"]
    with transaction(engine, TESTER) as session:
        session.add(ClaimLink(from_claim_id=data["claims"]["arms"], to_claim_id=3, kind="same-as"))
    assert [f for f in _findings(engine) if f[1] == "duplicate-claim"] == []


def test_republish_cycle(engine, data) -> None:
    with transaction(engine, TESTER) as session:
        afp = session.get(Source, data["sources"]["afp"])
        reuters = session.get(Source, data["sources"]["reuters"])
        afp.republishes_id = reuters.id
        session.flush()
        reuters.republishes_id = afp.id
    found = _findings(engine)
    assert found[0] == ("error", "republish-cycle", "afp-2011-07-10-us-forces-pursue",
                        "republishes itself through afp-2011-07-10-us-forces-pursue -> reuters-2011-07-03-crackdown "
                        "-> afp-2011-07-10-us-forces-pursue")


def test_fail_on_levels() -> None:
    warning = [{"severity": "warning"}]
    assert not fails(warning, "error")
    assert fails(warning, "warning")
    assert fails(warning, "info")
    assert not fails([], "info")
    assert set(CODES.values()) <= {"error", "warning", "info"}


def test_cli_check_formats_and_exit_codes(invoke, data) -> None:
    result = invoke("check", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "severity,code,subject,message\n"
        'warning,statement-after-publication,afp-2011-07-10-us-forces-pursue/panetta,"said on 2011-07-11, '
        'after its source afp-2011-07-10-us-forces-pursue was published (2011-07-10)"\n'
    )
    failing = invoke("check", "--fail-on", "warning", "--format", "csv")
    assert (failing.exit_code, failing.stdout) == (1, result.stdout)  # the findings, then why it failed
    assert failing.stderr == "Error: 1 finding(s) at warning or above.\n"
    assert invoke("check", "--fail-on", "nonsense").exit_code == 2
    table = invoke("check").stdout.splitlines()
    assert table[0].split() == ["severity", "code", "subject", "message"]


def test_cli_check_json(invoke, data) -> None:
    result = invoke("check", "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.output)
    assert findings[0] == {
        "severity": "warning",
        "code": "statement-after-publication",
        "subject": "afp-2011-07-10-us-forces-pursue/panetta",
        "message": "said on 2011-07-11, after its source afp-2011-07-10-us-forces-pursue was published (2011-07-10)",
        "statement_id": data["statements"]["panetta"],
        "claim_id": data["claims"]["arms"],
        "source_id": data["sources"]["afp"],
    }


def test_cli_check_on_an_empty_database(invoke) -> None:
    result = invoke("check")
    assert (result.exit_code, result.stdout) == (0, "(none)\n")
    assert invoke("check", "--format", "json").stdout == "[]\n"


# --- near-duplicates without comparing every pair ---------------------------------------------

_SYLLABLES = ["ka", "ta", "ib", "hez", "bol", "lah", "as", "aib", "ahl", "haq", "bad", "rak", "mir", "sul", "ei", "man", "qas", "sim", "mus", "awi", "jaf", "far", "zan", "dor", "vel", "nor"]


def _misspelled(rng, text: str, edits: int) -> str:
    """``text`` with ``edits`` random insertions, deletions or substitutions, half of them in
    the first or last three characters (where sorted neighbours lose each other)."""
    chars = list(text)
    for _ in range(edits):
        position = rng.choice([rng.randrange(3), len(chars) - 1 - rng.randrange(3), rng.randrange(len(chars))])
        roll = rng.random()
        if roll < 0.33:
            chars.insert(position, rng.choice("abcdefgh"))
        elif roll < 0.66 and len(chars) > 5:
            del chars[position]
        else:
            chars[position] = rng.choice("abcdefgh")
    return "".join(chars)


def _all_pairs(texts, prepare, cutoff) -> set[tuple[int, int]]:
    from rapidfuzz import fuzz, process

    prepared = [prepare(t) for t in texts]
    pairs = set()
    for i in range(len(prepared) - 1):
        for _match, _score, offset in process.extract(prepared[i], prepared[i + 1:], scorer=fuzz.ratio,
                                                      score_cutoff=cutoff, limit=None):
            pairs.add((i, i + 1 + offset))
    return pairs


@pytest.mark.parametrize("seed", [0, 1])
def test_near_duplicates_found_as_comparing_every_pair_finds_them(seed) -> None:
    """2,000 names and 2,500 claims with 150 misspelled copies each (1 to 3 edits): the sorted
    neighbourhoods find at least 98% of the pairs that comparing all 2 and 3.3 million pairs
    finds, and nothing else."""
    import random

    from factdb.checks import CLAIM_SIMILARITY, ENTITY_SIMILARITY, _claim_wording, close_claim_pairs, close_name_pairs
    from factdb.normalize import normalize_name

    rng = random.Random(seed)
    vocabulary = ["the", "of", "and", "to", "in", "iran", "iraq", "says", "weapons", "militias"] + [
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(3000)]
    claims = [" ".join(rng.choice(vocabulary) if rng.random() < 0.6 else rng.choice(vocabulary[:10])
                       for _ in range(rng.randint(6, 16))) for _ in range(2500)]
    claims += [_misspelled(rng, rng.choice(claims), rng.randint(1, 3)) for _ in range(150)]
    parts = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(600)]
    names = list(dict.fromkeys(f"{rng.choice(parts)} {rng.choice(parts)}" for _ in range(2000)))
    names += [_misspelled(rng, rng.choice(names), rng.randint(1, 2)) for _ in range(150)]

    for texts, found, prepare, cutoff in (
        (claims, close_claim_pairs(claims), _claim_wording, CLAIM_SIMILARITY),
        (names, close_name_pairs(names), normalize_name, ENTITY_SIMILARITY),
    ):
        expected = _all_pairs(texts, prepare, cutoff)
        got = {(i, j) for i, j, _score in found}
        assert len(expected) > 120
        assert got <= expected
        assert len(got) >= 0.98 * len(expected), sorted(expected - got)[:5]


def test_near_duplicate_claims_of_liar_as_comparing_every_pair() -> None:
    """The 1,284 LIAR claims (real PolitiFact wording): the same pairs as all 823,000 comparisons."""
    import csv

    from conftest import SHARED

    from factdb.checks import CLAIM_SIMILARITY, _claim_wording, close_claim_pairs

    path = SHARED / "data" / "liar" / "valid.tsv"
    if not path.exists():
        pytest.skip(f"LIAR data not found at {path}")
    with path.open(encoding="utf-8", newline="") as stream:
        claims = [row[2] for row in csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)]
    assert len(claims) == 1284
    expected = _all_pairs(claims, _claim_wording, CLAIM_SIMILARITY)
    assert {(i, j) for i, j, _score in close_claim_pairs(claims)} == expected


# --- narrowing: --code, --summary, --limit ------------------------------------------------------


def test_cli_check_code_summary_and_limit_on_the_seed(seeded_db, invoke) -> None:
    everything = json.loads(invoke("check", "--format", "json").stdout)
    codes = [f["code"] for f in everything]
    assert {"anonymous-only", "statement-after-publication", "single-outlet"} <= set(codes)

    only = invoke("check", "--code", "single-outlet", "--code", "anonymous-only", "--format", "json")
    assert only.exit_code == 0
    assert json.loads(only.stdout) == [f for f in everything if f["code"] in ("single-outlet", "anonymous-only")]

    summary = invoke("check", "--summary", "--format", "json")
    assert summary.exit_code == 0
    assert json.loads(summary.stdout) == [
        {"severity": CODES[code], "code": code, "findings": codes.count(code)}
        for code in sorted(set(codes), key=lambda c: (["error", "warning", "info"].index(CODES[c]), c))
    ]
    table = invoke("check", "--summary").stdout.splitlines()
    assert table[0].split() == ["severity", "code", "findings"]

    cut = invoke("check", "--limit", "2", "--fail-on", "warning", "--format", "json")
    assert json.loads(cut.stdout) == everything[:2]  # the most severe first
    warnings = sum(1 for f in everything if f["severity"] in ("error", "warning"))
    assert cut.stderr == (
        "The first 2 findings; more match (raise --limit to see them).\n"
        f"Error: {warnings} finding(s) at warning or above.\n"  # --fail-on counts every finding
    )
    assert cut.exit_code == 1
    wrong = invoke("check", "--code", "no-such-code")
    assert wrong.exit_code == 2 and "Invalid value for '--code'" in wrong.stderr


def test_run_checks_refuses_an_unknown_code(engine, data) -> None:
    from factdb.errors import InvalidInput

    with read_session(engine) as session, pytest.raises(InvalidInput, match='"nope" is not a finding code'):
        run_checks(session, ["nope"])
