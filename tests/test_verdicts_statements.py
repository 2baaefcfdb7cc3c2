"""Verdicts that rate a statement (the claim as one speaker made it), on both backends:
the bundle field, LIAR rows and ClaimReview authors, the library readers, the migration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from factdb.db import create_engine
from factdb.errors import InUse
from factdb.keys import claim_key_for
from factdb.migrate import migrate
from factdb.sessions import read_session, transaction
from factdb.statements import delete_statement
from factdb.verdicts import claim_verdicts, statement_verdicts

BUNDLE = """\
entities:
- {name: Mitt Romney, kind: person}
- {name: Barack Obama, kind: person}
- {name: PolitiFact, kind: media}
sources:
- {key: s-romney, outlet: PolitiFact, title: a debate}
- {key: s-obama, outlet: PolitiFact, title: an interview}
claims:
- {key: gay-marriage, text: On support for gay marriage}
statements:
- {key: romney-gm, claim: gay-marriage, speaker: Mitt Romney, stance: asserts, source: s-romney, said_on: 2012-05}
- {key: obama-gm, claim: gay-marriage, speaker: Barack Obama, stance: asserts, source: s-obama}
verdicts:
- {statement: romney-gm, reviewer: PolitiFact, rating: 'true'}
- {claim: gay-marriage, statement: obama-gm, reviewer: PolitiFact, rating: 'false'}
- {claim: gay-marriage, reviewer: PolitiFact, rating: half-true, key: claim-level}
"""


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_a_verdict_rates_a_statement_and_the_export_keeps_the_link(invoke, engine, tmp_path):
    path = write(tmp_path, "gm.yaml", BUNDLE)
    first = invoke("import", path)
    assert first.exit_code == 0, first.output
    with read_session(engine) as session:
        verdicts = claim_verdicts(session, "gay-marriage")
        assert [(v["rating"], v["rates"], v["statement"] and v["statement"]["speaker"]) for v in verdicts] == [
            ("half-true", "claim", None),
            ("false", "statement", "Barack Obama"),
            ("true", "statement", "Mitt Romney"),
        ]
        assert verdicts[2]["statement"] == {"key": "romney-gm", "speaker": "Mitt Romney", "speaker_description": None,
                                            "said_on": "2012-05", "source": "s-romney"}  # fmt: skip
        assert [v["rating"] for v in statement_verdicts(session, "obama-gm")] == ["false"]
    exported = invoke("export", "--format", "yaml").stdout
    verdicts_part = exported[exported.index("verdicts:") :]
    assert verdicts_part.startswith(
        "verdicts:\n- key: claim-level\n  claim: gay-marriage\n  reviewer: PolitiFact\n  rating: half-true\n"
    )
    assert "  claim: gay-marriage\n  statement: obama-gm\n  reviewer: PolitiFact\n  rating: 'false'\n" in verdicts_part
    assert "  claim: gay-marriage\n  statement: romney-gm\n  reviewer: PolitiFact\n  rating: 'true'\n" in verdicts_part
    # the exported bundle imports into the same rows: nothing changes
    again = invoke("import", write(tmp_path, "again.yaml", exported), "--summary-format", "json")
    assert json.loads(again.stdout)["counts"]["verdict"] == {"created": 0, "updated": 0, "unchanged": 3}
    shown = json.loads(invoke("claim", "show", "gay-marriage", "--format", "json").stdout)
    assert [(v["rating"], v["rates"]) for v in shown["verdicts"]] == [("half-true", "claim"), ("false", "statement"),
                                                                      ("true", "statement")]  # fmt: skip


def test_a_statement_that_a_verdict_rates_is_not_deleted(invoke, engine, tmp_path):
    assert invoke("import", write(tmp_path, "gm.yaml", BUNDLE)).exit_code == 0
    refused = r'^Statement \d+ \("romney-gm"\) is rated by 1 verdict\(s\) \(romney-gm/politifact/'
    with pytest.raises(InUse, match=refused), transaction(engine) as session:
        delete_statement(session, "romney-gm")


@pytest.mark.parametrize(
    ("verdict", "problem"),
    [
        ("{statement: nobody-said, reviewer: PolitiFact, rating: 'true'}",
         'verdicts[0].statement: no statement "nobody-said" in the bundle or the database'),
        ("{claim: other, statement: romney-gm, reviewer: PolitiFact, rating: 'true'}",
         'verdicts[0].statement: statement "romney-gm" is about claim "gay-marriage", not "other"'),
        ("{reviewer: PolitiFact, rating: 'true'}",
         "verdicts[0].claim: give the claim rated, or the statement rated (a statement key)"),
    ],
)  # fmt: skip
def test_a_verdict_on_an_unknown_or_mismatched_statement_is_refused(invoke, counts, tmp_path, verdict, problem):
    base = BUNDLE[: BUNDLE.index("verdicts:")].replace("claims:\n", "claims:\n- {key: other, text: Another claim}\n")
    path = write(tmp_path, "bad.yaml", base + "verdicts:\n- " + verdict + "\n")
    before = counts()
    result = invoke("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].split(": ", 1)[1] == problem
    assert counts() == before


LIAR_ROWS = (
    "1.json\ttrue\tOn support for gay marriage\tgays-and-lesbians\tmitt-romney\tFormer governor\tMassachusetts\t"
    "republican\t0\t0\t0\t0\t0\ta debate\n"
    "2.json\tfalse\tOn support for gay marriage.\tgays-and-lesbians\tbarack-obama\tPresident\tIllinois\tdemocrat\t"
    "0\t0\t0\t0\t0\tan interview\n"
    "3.json\ttrue\tOn support for gay marriage\tgays-and-lesbians\tjoe-biden\tVice President\tDelaware\tdemocrat\t"
    "0\t0\t0\t0\t0\ta TV show\n"
)


def test_liar_rows_rate_each_speakers_words_apart(invoke, engine, tmp_path):
    path = write(tmp_path, "liar.tsv", LIAR_ROWS)
    result = invoke("import", path, "--preset", "liar")
    assert result.exit_code == 0, result.output
    key = claim_key_for("On support for gay marriage")
    with read_session(engine) as session:
        rated = [(v["statement"]["speaker"], v["rating"]) for v in claim_verdicts(session, key)]
    # two "true" verdicts by the same reviewer on one claim stay two: they rate different statements
    assert sorted(rated) == [("Barack Obama", "false"), ("Joe Biden", "true"), ("Mitt Romney", "true")]


def test_a_claimreview_with_one_author_rates_that_statement(invoke, engine, tmp_path):
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview", "url": "https://checker.example/r/1",
        "author": {"@type": "Organization", "name": "Checker", "url": "https://checker.example/"},
        "claimReviewed": "Iran supplies weapons", "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Leon Panetta"},
                         "datePublished": "2011-07-11",
                         "firstAppearance": {"@type": "CreativeWork", "url": "https://afp.example/1"}},
    }  # fmt: skip
    assert invoke("import", write(tmp_path, "r.jsonld", json.dumps(review))).exit_code == 0
    with read_session(engine) as session:
        (verdict,) = claim_verdicts(session, claim_key_for("Iran supplies weapons"))
    assert (verdict["rates"], verdict["statement"]["speaker"], verdict["statement"]["said_on"]) == (
        "statement", "Leon Panetta", "2011-07-11",
    )  # fmt: skip
    # two authors: the review rates the claim, no one statement
    review["itemReviewed"]["author"] = [{"@type": "Person", "name": "A"}, {"@type": "Person", "name": "B"}]
    review["url"], review["claimReviewed"] = "https://checker.example/r/2", "Another claim"
    assert invoke("import", write(tmp_path, "r2.jsonld", json.dumps(review))).exit_code == 0
    with read_session(engine) as session:
        assert [v["rates"] for v in claim_verdicts(session, claim_key_for("Another claim"))] == ["claim"]


def test_a_reimport_takes_over_the_verdict_an_older_import_keyed_by_url(invoke, engine, tmp_path):
    """Before verdicts could rate statements a ClaimReview verdict was keyed by its URL alone;
    importing the page again attaches that row to its statement instead of adding one."""
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview", "url": "https://checker.example/r/1",
        "author": {"@type": "Organization", "name": "Checker"}, "claimReviewed": "Iran supplies weapons",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Leon Panetta"}},
    }  # fmt: skip
    path = write(tmp_path, "r.jsonld", json.dumps(review))
    assert invoke("import", path).exit_code == 0
    with engine.begin() as conn:  # the row as the older importer wrote it
        conn.execute(text("UPDATE verdicts SET key = 'https://checker.example/r/1', statement_id = NULL"))
    again = invoke("import", path, "--summary-format", "json")
    assert json.loads(again.stdout)["counts"]["verdict"] == {"created": 0, "updated": 1, "unchanged": 0}
    with read_session(engine) as session:
        (verdict,) = claim_verdicts(session, claim_key_for("Iran supplies weapons"))
    assert verdict["rates"] == "statement" and verdict["key"].startswith(verdict["statement"]["key"] + "/checker/")
    third = invoke("import", path, "--summary-format", "json")
    assert json.loads(third.stdout)["counts"]["verdict"] == {"created": 0, "updated": 0, "unchanged": 1}


def test_migration_0005_keeps_every_verdict_both_ways(db_url, invoke, tmp_path):
    assert invoke("import", write(tmp_path, "gm.yaml", BUNDLE)).exit_code == 0
    engine = create_engine(db_url)
    try:
        migrate(engine, "0003")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT key, claim_id FROM verdicts ORDER BY key")).all()
            assert len(rows) == 3 and len({claim for _, claim in rows}) == 1
            columns = list(conn.execute(text("SELECT * FROM verdicts")).keys())
            assert "statement_id" not in columns
        migrate(engine, "head")
        with engine.connect() as conn:
            again = conn.execute(text("SELECT key, claim_id, statement_id FROM verdicts ORDER BY key")).all()
        # upgrade: every verdict keeps its claim and rates no statement
        assert [(k, c) for k, c, _ in again] == rows and {s for _, _, s in again} == {None}
    finally:
        engine.dispose()
