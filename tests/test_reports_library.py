"""Report functions called directly: parties, independent sources, contested ranking and
filters, sourcing flags, entity and timeline views."""

from __future__ import annotations

import pytest
from report_data import add_claim, add_entity, add_source, add_statement, load_story
from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput, NotFound
from factdb.models import Claim
from factdb.reports import (
    claim_report,
    contested_report,
    entity_report,
    sourcing_report,
    timeline_report,
)


@pytest.fixture
def session(engine, dataset):
    dataset(load_story)  # build_story in a plain session, as in the report CLI tests
    with Session(engine) as session:
        yield session


def add_claim_with(session: Session, key: str, stances: list[tuple[str, str]], tags=("extra",)) -> None:
    """A claim whose statements are (speaker name, stance), all in one new source."""
    outlet = add_entity(session, f"Outlet of {key}", "media")
    source = add_source(session, f"src-{key}", outlet, published="2012-01-01")
    claim = add_claim(session, key, f"Claim {key}", tags)
    speakers = {name: add_entity(session, f"{key} {name}", "person") for name in dict.fromkeys(n for n, _ in stances if n)}
    for i, (name, stance) in enumerate(stances):
        speaker = speakers.get(name)
        add_statement(
            session, f"{key}-{i}", claim, source, stance, speaker=speaker,
            description=None if name else "a witness", said=f"2012-01-{i + 1:02d}",
        )  # fmt: skip
    session.commit()


# --- the dossier ------------------------------------------------------------------------------


def test_dossier_meets_the_done_criteria(session: Session) -> None:
    report = claim_report(session, "iran-arms-militias")
    support_outlets = {s["source"]["outlet"] for s in report["statements"] if s["side"] == "support"}
    support_groups = {s["source"]["independent_group"] for s in report["statements"] if s["side"] == "support"}
    assert {"AFP", "Reuters"} <= support_outlets and len(support_groups) >= 2
    assert report["summary"]["supporting_independent_sources"] == 2
    tehran = [s for s in report["statements"] if s["speaker"]["name"] == "Iran"]
    assert tehran[0]["side"] == "oppose" and tehran[0]["stance"] == "denies"


def test_parties_group_a_government_with_its_officials(session: Session) -> None:
    sides = claim_report(session, "iran-arms-militias")["sides"]
    assert [(g["party"], [s["speaker"] for s in g["speakers"]]) for g in sides["oppose"]] == [
        ("Iran", ["Iran", "Ramin Mehmanparast"])  # spokesman of the ministry, part of Iran
    ]
    assert [(g["party"], g["statements"]) for g in sides["support"]] == [("United States", 3)]


def test_syndicated_copy_is_not_independent(session: Session) -> None:
    summary = claim_report(session, "iran-arms-militias")["summary"]
    # afp-2011-07-10, star-copy and webjosh-copy (republish it), reuters, afp-2011-07-12; the
    # copying sites are no outlets of their own
    assert (summary["sources"], summary["independent_sources"], summary["outlets"]) == (5, 3, 2)


def test_a_statement_carried_by_copies_counts_once(session: Session) -> None:
    report = claim_report(session, "iran-arms-militias")
    summary = report["summary"]
    # Panetta's words in AFP and in the Star's copy, Tehran's denial in AFP and webjosh's copy
    assert (summary["statements"], summary["supporting"], summary["opposing"]) == (5, 3, 2)
    carried = {s["key"]: (s["carried_by"], [c["statement"] for c in s["copies"]]) for s in report["statements"]}
    assert carried["s-panetta"] == (["The Daily Star"], ["s-panetta-star"])
    assert carried["s-tehran"] == (["webjosh"], ["s-tehran-josh"])
    assert carried["s-us-source"] == ([], [])  # other words than any AFP statement: its own statement
    assert [(g["party"], g["statements"]) for g in report["sides"]["oppose"]] == [("Iran", 2)]
    ranked = contested_report(session)["claims"][0]
    # contested reads the maintained counts, which skip the copies (statements.copy_of_id):
    # the dossier's counts
    assert (ranked["supporting_speakers"], ranked["opposing_speakers"]) == (3, 2)
    assert (ranked["supporting"], ranked["opposing"]) == (3, 2)
    periods = timeline_report(session, claim="iran-arms-militias")["periods"]
    assert [(p["period"], p["supporting"], p["opposing"]) for p in periods] == [("2011", 2, 2)]
    tehran = entity_report(session, "Iran")["summary"]
    assert (tehran["own"], tehran["by_members"], tehran["statements"]) == (1, 2, 3)  # the copy is not another
    # (by members: Mehmanparast, and the foreign ministry's no-comment)


def test_same_words_twice_in_one_source_are_two_statements(session: Session) -> None:
    outlet = add_entity(session, "Paper", "media")
    source = add_source(session, "paper-1", outlet)
    claim = add_claim(session, "twice", "Said twice")
    for i in range(2):
        add_statement(session, f"tw-{i}", claim, source, "asserts", description="officials")
    session.commit()
    assert claim_report(session, "twice")["summary"]["statements"] == 2


def test_unspecified_reports_are_nobody_an_entity_disputes(session: Session) -> None:
    # "media reports said" counts as a statement, never as a speaker: not in the opponents
    outlet = add_entity(session, "Paper", "media")
    minister = add_entity(session, "A Minister", "person")
    source = add_source(session, "paper-1", outlet)
    claim = add_claim(session, "reported", "Reported, then denied")
    add_statement(session, "rep-1", claim, source, "asserts", description="media reports", anonymous_kind="reports")
    add_statement(session, "rep-2", claim, source, "asserts", description="an aide")
    add_statement(session, "rep-3", claim, source, "denies", speaker=minister)
    session.commit()
    report = entity_report(session, "A Minister")
    assert [(s["speaker"], s["anonymous"]) for s in report["disputes"]] == [("an aide", True)]
    assert report["summary"]["disputes"] == 1


def test_quote_status_on_every_statement(session: Session) -> None:
    statuses = {s["key"]: s["quote_status"] for s in claim_report(session, "iran-arms-militias")["statements"]}
    assert statuses == {
        "s-gates": "not found",  # the Reuters text does not have it
        "s-panetta": "verified",  # word for word in the AFP text
        "s-tehran": None,  # no quote
        "s-mehmanparast": "no stored text",
        "s-ministry-no-comment": None,  # declined to comment: no quote
        "s-us-source": None,  # a paraphrase is not a quote
    }
    maysan = claim_report(session, "maysan-route")["statements"][0]
    assert maysan["quote_status"] == "changed"  # "importation" in the quote, "importing" in the text


def test_claim_by_id_and_unknown_claim(session: Session) -> None:
    assert claim_report(session, "1")["claim"]["key"] == "iran-arms-militias"
    with pytest.raises(NotFound, match='Did you mean "iran-arms-militias"'):
        claim_report(session, "iran-arms")


def test_republishing_chain_collapses_transitively(session: Session) -> None:
    outlet = add_entity(session, "Wire", "media")
    site = add_entity(session, "Site", "media")
    original = add_source(session, "wire-1", outlet)
    copy = add_source(session, "copy-1", site, republishes=original)
    copy_of_copy = add_source(session, "copy-2", site, republishes=copy)
    claim = add_claim(session, "wired", "A wire story")
    for i, source in enumerate((original, copy, copy_of_copy)):
        add_statement(session, f"w-{i}", claim, source, "asserts", description="officials")
    session.commit()
    summary = claim_report(session, "wired")["summary"]
    assert (summary["sources"], summary["independent_sources"], summary["status"]) == (3, 1, "one-sided")
    flags = {c["claim"]: [f["flag"] for f in c["flags"]] for c in sourcing_report(session)["claims"]}
    assert flags["wired"] == ["one-wire-story", "anonymous-only", "no-quote", "dates-unknown"]


# --- contested --------------------------------------------------------------------------------


def test_contested_ranks_by_the_smaller_side(session: Session) -> None:
    add_claim_with(session, "lopsided", [("a", "asserts")] * 6 + [("b", "denies")])
    add_claim_with(session, "balanced", [("a", "asserts"), ("b", "asserts"), ("c", "denies"), ("d", "disputes")])
    add_claim_with(session, "quiet", [("a", "asserts"), ("b", "retracts")])
    ranked = [(c["claim"], c["supporting"], c["opposing"]) for c in contested_report(session)["claims"]]
    # smaller side 2: the arms claim (5 statements: its 2 copies count once) before "balanced" (4);
    # then smaller side 1
    assert ranked == [("iran-arms-militias", 3, 2), ("balanced", 2, 2), ("lopsided", 6, 1), ("quiet", 1, 1)]


def test_contested_counts_distinct_speakers(session: Session) -> None:
    add_claim_with(session, "repeat", [("a", "asserts"), ("a", "asserts"), ("", "asserts"), ("", "denies")])
    row = contested_report(session, tag="extra")["claims"][0]
    # one named speaker twice, one anonymous statement: two voices
    assert (row["supporting"], row["supporting_speakers"], row["opposing_speakers"]) == (3, 2, 1)


def test_contested_filters(session: Session) -> None:
    add_claim_with(session, "later", [("a", "asserts"), ("b", "denies")])
    keys = lambda **kw: [c["claim"] for c in contested_report(session, **kw)["claims"]]  # noqa: E731
    assert keys() == ["iran-arms-militias", "later"]
    assert keys(tag="iran") == ["iran-arms-militias"]
    assert keys(tag="nothing") == []
    assert keys(since="2012") == ["later"]
    assert keys(until="2011-12") == ["iran-arms-militias"]
    assert keys(since="2011-07-12", until="2011-07") == []  # only Mehmanparast's denial is left
    assert keys(speaker="Tehran") == ["iran-arms-militias"]
    assert keys(limit=1) == ["iran-arms-militias"]
    with pytest.raises(InvalidInput):
        contested_report(session, limit=0)


def test_retracted_statements_do_not_make_a_claim_contested(session: Session) -> None:
    import datetime as dt

    outlet = add_entity(session, "Paper", "media")
    source = add_source(session, "paper-1", outlet)
    claim = add_claim(session, "withdrawn", "A withdrawn dispute")
    add_statement(session, "wd-1", claim, source, "asserts", description="officials")
    add_statement(
        session, "wd-2", claim, source, "denies", description="others",
        retracted=(dt.datetime(2012, 1, 1, tzinfo=dt.UTC), "misquoted"),
    )  # fmt: skip
    session.commit()
    assert "withdrawn" not in [c["claim"] for c in contested_report(session)["claims"]]
    assert claim_report(session, "withdrawn")["summary"]["status"] == "one-sided"


# --- sourcing, entity, timeline -----------------------------------------------------------------


def test_sourcing_flags_anonymous_only(session: Session) -> None:
    flags = {c["claim"]: [f["flag"] for f in c["flags"]] for c in sourcing_report(session)["claims"]}
    assert flags == {
        "kh-rockets": ["one-party", "no-quote", "rated-false"],
        "maysan-route": ["anonymous-only", "one-party", "unverified-quotes"],
        "iran-arms-militias": ["one-party", "dates-unknown"],
    }
    details = {(c["claim"], f["flag"]): f["detail"] for c in sourcing_report(session)["claims"] for f in c["flags"]}
    assert details[("kh-rockets", "rated-false")] == (
        'rated "False" by Snopes on 2011-07-01; still carried by 1 source (AFP)'
    )
    assert details[("maysan-route", "unverified-quotes")] == (
        "none of 1 quoted supporting statement is verified against a stored text (1 changed)"
    )
    assert [c["claim"] for c in sourcing_report(session, flag="rated-false")["claims"]] == ["kh-rockets"]
    limited = sourcing_report(session, limit=1)
    assert (len(limited["claims"]), limited["total"]) == (1, 3)
    assert [c["claim"] for c in sourcing_report(session, tag="iran")["claims"]] == ["iran-arms-militias"]


def test_entity_report_by_alias(session: Session) -> None:
    report = entity_report(session, "Kata'ib Hizballah")
    assert report["entity"]["name"] == "Kataib Hezbollah"
    assert [(c["claim"], c["side"]) for c in report["claims"]] == [("kh-rockets", "support")]
    panetta = entity_report(session, "Leon Panetta")
    assert [(s["speaker"], s["party"]) for s in panetta["disputed_by"]] == [
        ("Iran", "Iran"),
        ("Ramin Mehmanparast", "Iran"),
    ]
    assert panetta["roles"][0]["organization"] == "United States"


def test_timeline_by_year_tag_and_speaker(session: Session) -> None:
    by_year = timeline_report(session, tag="weapons")
    assert [(p["period"], p["supporting"], p["opposing"]) for p in by_year["periods"]] == [("2011", 3, 2)]
    assert by_year["undated"]["statements"] == 1
    by_speaker = timeline_report(session, speaker="Tehran", by="month")
    assert [(p["period"], p["opposing"]) for p in by_speaker["periods"]] == [("2011-07", 1)]
    with pytest.raises(InvalidInput):
        timeline_report(session, by="week")


def test_context_past_the_subset_limit_gives_the_same_report(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past SUBSET_LIMIT ids the context query finds the statements again by their
    conditions (subqueries: a claim, an entity's voices as a list, a batch of claims)."""
    from factdb.reports import common
    from factdb.reports.claim import claim_reports

    expected = claim_report(session, "iran-arms-militias", include_retracted=True)
    entity = entity_report(session, "Iran")
    ids = sorted(session.scalars(select(Claim.id)))
    batch = list(claim_reports(session, ids))
    monkeypatch.setattr(common, "SUBSET_LIMIT", 1)
    assert claim_report(session, "iran-arms-militias", include_retracted=True) == expected
    assert entity_report(session, "Iran") == entity
    assert list(claim_reports(session, ids)) == batch


def test_entity_report_covers_members_affiliated_and_relayed(session: Session) -> None:
    usa = entity_report(session, "US")
    assert usa["members"] == ["Leon Panetta", "Robert Gates"]  # by their roles
    speaking = {(s["key"], s["speaking"]) for c in usa["claims"] for s in c["statements"]}
    assert speaking == {
        ("s-panetta", "member"), ("s-gates", "member"), ("s-us-source", "affiliated"), ("s-maysan", "affiliated"),
    }  # fmt: skip
    summary = usa["summary"]
    assert (summary["statements"], summary["own"], summary["by_members"], summary["affiliated"]) == (4, 0, 2, 2)
    assert [s["speaker"] for s in usa["disputed_by"]] == ["Iran", "Ramin Mehmanparast"]
    # the scorecard: PolitiFact's rating of the claim the US asserted
    assert usa["scorecard"] == [{"rating": "Mostly True", "verdicts": 1, "claims": 1}]
    assert [(v["claim"], v["reviewer"]) for v in usa["verdicts"]] == [("iran-arms-militias", "PolitiFact")]
    nbc = entity_report(session, "NBC News")
    assert [(c["claim"], c["side"], [s["speaking"] for s in c["statements"]]) for c in nbc["claims"]] == [
        ("iran-arms-militias", "relayed", ["relayed"])
    ]
    assert (nbc["summary"]["statements"], nbc["summary"]["relayed"], nbc["scorecard"]) == (0, 1, [])


def test_contested_by_rating(session: Session) -> None:
    add_claim_with(session, "later", [("a", "asserts"), ("b", "denies")])
    keys = lambda **kw: [c["claim"] for c in contested_report(session, **kw)["claims"]]  # noqa: E731
    assert keys(rated="mostly-true") == ["iran-arms-militias"]
    assert keys(rated="Mostly True") == ["iran-arms-militias"]
    assert keys(rated="false") == []  # the False rating is kh-rockets', which nobody disputes
    ratings = contested_report(session)["claims"][0]["ratings"]
    assert [(r["reviewer"], r["rating"], r["best_rating"]) for r in ratings] == [("PolitiFact", "Mostly True", 5.0)]


def test_timeline_by_day_and_chronology(session: Session) -> None:
    report = timeline_report(session, claim="iran-arms-militias", by="day")
    assert [(p["period"], p["supporting"], p["opposing"]) for p in report["periods"]] == [
        ("2011-06", 1, 0), ("2011-07-11", 1, 1), ("2011-07-12", 0, 1),
    ]  # fmt: skip
    first = [(e["said_on"], e["said_on_precision"], e["speaker"], e["side"]) for e in report["chronology"]]
    assert first[:3] == [
        ("2011-06", "month", "Robert Gates", "support"),
        ("2011-07-11", "day", "Leon Panetta", "support"),
        ("2011-07-11", "day", "Iran", "oppose"),
    ]
    assert len(timeline_report(session, claim="iran-arms-militias", limit=2)["chronology"]) == 2
    summary = claim_report(session, "iran-arms-militias")["summary"]
    assert (summary["first_supporting"]["speaker"], summary["first_opposing"]["speaker"]) == ("Robert Gates", "Iran")
