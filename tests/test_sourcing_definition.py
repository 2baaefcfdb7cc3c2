"""One definition of independent sourcing: ``factdb check`` and ``report sourcing`` give the
same flags, on the seed dataset and on generated data with republishing chains and copies."""

from __future__ import annotations

import random

from report_data import add_claim, add_entity, add_source, add_statement
from sqlalchemy.orm import Session

from factdb.checks import run_checks
from factdb.db import create_engine
from factdb.reports import claim_report, sourcing_report

# check's codes for the sourcing flags it reports
SHARED = {"one-outlet": "single-outlet", "anonymous-only": "anonymous-only"}


def _flags(session: Session) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    report = {
        (c["claim"], SHARED[f["flag"]])
        for c in sourcing_report(session)["claims"]
        for f in c["flags"]
        if f["flag"] in SHARED
    }
    check = {(f["subject"], f["code"]) for f in run_checks(session) if f["code"] in SHARED.values()}
    return report, check


def test_check_and_report_agree_on_the_seeds(seeded_db: str) -> None:
    engine = create_engine(seeded_db)
    try:
        with Session(engine) as session:
            report, check = _flags(session)
    finally:
        engine.dispose()
    assert report == check
    assert {code for _, code in report} == {"single-outlet", "anonymous-only"}  # both kinds occur


def build_generated(url: str) -> None:
    """80 claims, 30 outlets, stories republished in chains up to 3 deep, copies carrying the
    same statements, anonymous and named speakers (seeded: the same data every run)."""
    rng = random.Random(13)
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            outlets = [add_entity(session, f"Outlet {i}", "media") for i in range(30)]
            people = [add_entity(session, f"Person {i}", "person") for i in range(25)]
            sources = []
            for i in range(120):
                parent = rng.choice(sources) if sources and rng.random() < 0.4 else None
                sources.append(add_source(session, f"gen-src-{i}", rng.choice(outlets), republishes=parent))
            for c in range(80):
                claim = add_claim(session, f"gen-claim-{c}", f"Generated claim {c}")
                for k in range(rng.randint(1, 6)):
                    source = rng.choice(sources)
                    named = rng.random() < 0.6
                    words = {
                        "speaker": rng.choice(people) if named else None,
                        "description": None if named else rng.choice(["an official", "a source"]),
                        "quote": rng.choice([None, "we deny it", "it happened"]),
                        "quote_kind": "direct",
                    }
                    stance = rng.choice(["asserts", "asserts", "denies"])
                    add_statement(session, f"gen-{c}-{k}", claim, source, stance, **words)
                    # a copy carrying the same statement, in a source republishing this one
                    if rng.random() < 0.3:
                        copy = add_source(session, f"gen-copy-{c}-{k}", rng.choice(outlets), republishes=source)
                        add_statement(session, f"gen-{c}-{k}-copy", claim, copy, stance, **words)
    finally:
        engine.dispose()


def test_check_and_report_agree_on_generated_data(db_url: str, dataset) -> None:
    dataset(build_generated)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            report, check = _flags(session)
            assert report == check
            assert {code for _, code in report} == {"single-outlet", "anonymous-only"}
            # and the dossier counts every copy once: no claim has more statements than rows
            # outside copies
            copies = sum(claim_report(session, f"gen-claim-{c}")["summary"]["copies"] for c in range(80))
            assert copies > 0
    finally:
        engine.dispose()
