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
        ("anonymous-only", "iran-trains-militias", "supported only by anonymous speakers (2 statements)"),
        ("claim-without-statements", "nobody-said-this", "no statement makes, disputes or reports this claim"),
        ("single-outlet", "iran-trains-militias",
         "all 2 statements come from one outlet (Reuters; republications count as their original's outlet)"),
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


def test_cli_check_text_and_exit_codes(invoke, data) -> None:
    result = invoke("check")
    assert result.exit_code == 0
    assert result.output == (
        "WARNING  statement-after-publication  afp-2011-07-10-us-forces-pursue/panetta  said on 2011-07-11, "
        "after its source afp-2011-07-10-us-forces-pursue was published (2011-07-10)\n"
    )
    assert invoke("check", "--fail-on", "warning").exit_code == 1
    assert invoke("check", "--fail-on", "nonsense").exit_code == 2


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
    assert result.exit_code == 0
    assert result.stdout == ""
