"""One definition of independent sourcing: ``factdb check`` and ``report sourcing`` give the
same flags, on the seed dataset and on generated data with republishing chains and copies."""

from __future__ import annotations

import random

from report_data import add_claim, add_entity, add_source, add_statement
from sqlalchemy import text
from sqlalchemy.orm import Session

from factdb.checks import run_checks
from factdb.claim_flags import flags_drift, store_flags
from factdb.db import create_engine
from factdb.reports import claim_report, sourcing_report
from factdb.sourcing import FLAG_BITS, FLAGS

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


def _limited_equals_full(session: Session) -> int:
    """``report sourcing --limit N`` (the stored ranking, factdb.claim_flags) gives the first N
    claims of the full report (every statement read), with the same flags and total."""
    compared = 0
    for flag in (None, "one-outlet", "dates-unknown", "no-quote", "anonymous-only"):
        for tag in (None, "iran"):
            full = sourcing_report(session, flag=flag, tag=tag)
            for limit in (1, 3, 20, 1000):
                limited = sourcing_report(session, flag=flag, tag=tag, limit=limit)
                assert limited["total"] == full["total"], (flag, tag, limit)
                assert limited["claims"] == full["claims"][:limit], (flag, tag, limit)
                compared += len(limited["claims"])
    return compared


def test_stored_flags_rank_report_sourcing_limit_as_the_full_report_on_the_seeds(seeded_db: str) -> None:
    engine = create_engine(seeded_db)
    try:
        with Session(engine) as session:
            assert flags_drift(session) == []  # factdb seed stored every claim's flags
            assert _limited_equals_full(session) > 20
    finally:
        engine.dispose()


def test_stored_flags_follow_every_write_of_the_cli(seeded_db: str, invoke) -> None:
    engine = create_engine(seeded_db)
    try:
        with Session(engine) as session:
            assert flags_drift(session) == []
        # a source becoming a copy changes one-outlet / one-wire-story flags of its claims
        for args in (
            ("source", "edit", "reuters-2011-07-03-iraq-crackdown", "--republishes", "afp-2011-07-10-us-forces-pursue"),
            ("source", "edit", "newsoniran-afp-2008-03-basra", "--republishes", ""),
            ("entity", "edit", "Sadrist movement", "--part-of", "Promised Day Brigade"),
            ("statement", "retract", "000-panetta-pursuit", "--reason", "test"),
            ("statement", "edit", "000-panetta-unilateral-right", "--said-on", ""),
            ("undo",),
        ):
            result = invoke(*args)
            with Session(engine) as session:
                assert result.exit_code == 0, (args, result.output)
                assert flags_drift(session) == [], args
                _limited_equals_full(session)
    finally:
        engine.dispose()


def test_stored_flags_after_a_repair_on_generated_data(db_url: str, dataset) -> None:
    dataset(build_generated)  # written with a plain ORM session: nothing derived stored yet
    engine = create_engine(db_url)
    try:
        with Session(engine) as session, session.begin():
            assert flags_drift(session) != []
            store_flags(session, None)
            assert flags_drift(session) == []
            assert _limited_equals_full(session) > 20
    finally:
        engine.dispose()


def build_varied(url: str) -> None:
    """120 claims drawn so that every flag's test goes both ways without copies: outlets
    shared by several stories, wire chains carrying other speakers, party chains (part_of and
    a person's role), anonymous speakers, direct quotes, paraphrases and blank quotes, stored
    texts with found and changed anchors, undated and retracted statements, sources without
    an outlet (seeded: the same data every run)."""
    import datetime as dt

    from report_data import add_role

    from factdb.models import Claim, QuoteAnchor, Source, SourceText, Verdict

    rng = random.Random(7)
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            outlets = [add_entity(session, f"Outlet {i}", "media") for i in range(4)]
            state = add_entity(session, "State", "government")
            ministry = add_entity(session, "Ministry", "government", part_of=state)
            rebels = add_entity(session, "Rebels", "armed-group")
            people = [add_entity(session, f"Person {i}", "person") for i in range(6)]
            add_role(session, people[0], "spokesman", ministry)
            add_role(session, people[1], "minister", state)
            add_role(session, people[2], "commander", rebels)
            speakers = [*people, state, ministry, rebels]
            sources = []
            for i in range(40):
                parent = rng.choice(sources) if sources and rng.random() < 0.3 else None
                source = add_source(session, f"var-src-{i}", rng.choice(outlets), republishes=parent,
                                    published=rng.choice([None, "2020-01-02"]))
                if rng.random() < 0.15:
                    source.outlet_id = None
                if rng.random() < 0.3:
                    session.add(SourceText(source_id=source.id, text="words", sha256="0" * 64))
                sources.append(source)
            session.flush()
            for c in range(120):
                claim = add_claim(session, f"var-claim-{c}", f"Varied claim {c}")
                for k in range(rng.randint(1, 5)):
                    named = rng.random() < 0.6
                    quote = rng.choice([None, "it happened", "\u00a0 ", "", "we deny it"])
                    statement = add_statement(
                        session, f"var-{c}-{k}", claim, rng.choice(sources), rng.choice(["asserts", "acknowledges", "denies"]),
                        speaker=rng.choice(speakers) if named else None,
                        description=None if named else rng.choice(["an official", "a source"]),
                        affiliation=None if named or rng.random() < 0.5 else rng.choice([state, rebels]),
                        said=rng.choice([None, "2020-01-01", "2020-02"]),
                        retracted=(dt.datetime(2020, 3, 1, tzinfo=dt.UTC), "test") if rng.random() < 0.1 else None,
                        quote=quote, quote_kind=rng.choice(["direct", "paraphrase", None]) if quote is not None else None,
                    )  # fmt: skip
                    if quote and rng.random() < 0.5:
                        session.add(QuoteAnchor(statement_id=statement.id, status=rng.choice(["found", "changed"])))
            # wire stories: a story and its copy, carrying different speakers (no copies)
            for c in range(8):
                story = add_source(session, f"var-wire-{c}", outlets[c % 4])
                copy = add_source(session, f"var-wire-{c}-copy", outlets[(c + 1) % 4], republishes=story)
                claim = add_claim(session, f"var-wire-claim-{c}", f"Wire claim {c}")
                for k, source in enumerate((story, copy, copy)[: 2 + c % 2]):
                    add_statement(session, f"var-wire-{c}-{k}", claim, source, "asserts", speaker=people[k],
                                  said="2020-01-01", quote="it happened", quote_kind="direct")
            # reviews: false or not, dated to the day, month or year, or undated
            reviewer = add_entity(session, "Checker", "organization")
            for c, claim_id in enumerate(session.query(Claim.id).order_by(Claim.id).all()[::3]):
                rating, normalized = rng.choice([("False", None), ("pants-fire", None), ("True", None),
                                                 ("Mixed", "FALSE"), ("mostly true", None)])
                reviewed = rng.choice([None, ("2019-12-31", "day"), ("2020-01-01", "month"), ("2020-01-01", "year"),
                                       ("2020-02-01", "day"), ("2021-01-01", "day")])
                session.add(Verdict(
                    key=f"var-verdict-{c}", claim_id=claim_id[0], reviewer_id=reviewer.id, rating=rating,
                    normalized_rating=normalized, reviewed_on=dt.date.fromisoformat(reviewed[0]) if reviewed else None,
                    reviewed_on_precision=reviewed[1] if reviewed else None,
                ))  # fmt: skip
            session.flush()
            assert session.query(Source).count() == 56
    finally:
        engine.dispose()


def test_set_based_flags_equal_the_per_claim_path(db_url: str, dataset) -> None:
    """store_flags' grouped query (claim_flags._set_based) answers most claims, each exactly
    as factdb.sourcing.sourcing_flags does."""
    from factdb.claim_flags import _computed, _set_based

    dataset(build_varied)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session, session.begin():
            answered = _set_based(session.connection(), None)
            assert len(answered) >= 100  # of 128 claims, a few with no counted statement
            computed = _computed(session, sorted(answered))
            assert {c: computed.get(c, 0) for c in answered} == answered
            seen = {flag for bits in answered.values() for flag, bit in FLAG_BITS.items() if bits & bit}
            assert seen == set(FLAGS)  # every flag occurs
            assert len(set(answered.values())) >= 10
            # some claims by id (an IN list per chunk, the chains' tables made once): the same answers
            some = sorted(answered)[::3]
            assert _set_based(session.connection(), some) == {c: answered[c] for c in some}
            store_flags(session, None, set_based=True)
            assert flags_drift(session) == []
            assert _limited_equals_full(session) > 20
    finally:
        engine.dispose()


def test_set_based_flags_on_generated_copies(db_url: str, dataset) -> None:
    """With copies (build_generated), the claims that may fold go the per-claim way: the
    stored flags are the same either way."""
    dataset(build_generated)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session, session.begin():
            from factdb.claim_flags import _set_based
            from factdb.copies import mark_copies

            mark_copies(session.connection(), None)
            answered = _set_based(session.connection(), None)
            assert 0 < len(answered) < 80
            # the one-pass fold test (distinct counts, shared stories only) names exactly the
            # claims a plain GROUP BY story, stance, speaker with two sources names
            from factdb.claim_flags import _PER_CLAIM, _WHITESPACE, chain_tables, counted_sql

            with chain_tables(session.connection()):
                counted = counted_sql(session.connection())
                plain = {row[0] for row in session.execute(text(
                    counted + "SELECT DISTINCT claim_id FROM counted GROUP BY claim_id, story_id, stance, speaker_id "
                    "HAVING count(DISTINCT source_id) > 1"), {"blank": _WHITESPACE})}
                grouped = _PER_CLAIM.format(grouped="claim_id")
                one_pass = {row[1] for row in session.execute(text(counted + grouped), {"blank": _WHITESPACE})
                            if row[0]}
            assert len(plain) > 5
            assert one_pass == plain
            assert not plain & set(answered)
            store_flags(session, None, set_based=True)
            assert flags_drift(session) == []
    finally:
        engine.dispose()
