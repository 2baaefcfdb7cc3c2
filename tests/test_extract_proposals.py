"""factdb.extract.proposals on a hand-written article: speakers resolved through the resolver
and within the article, dates against the publication date, claim candidates, the bundle,
and acceptance in one transaction with history (both backends)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from factdb import vocab
from factdb.cli import cli
from factdb.db import create_engine
from factdb.extract.proposals import Article, accept_proposals, proposals_bundle, propose
from factdb.models import HistoryEntry, QuoteAnchor, SourceText, Statement
from factdb.resolver import entity_name_index, find_entity_near
from factdb.search import claim_candidates
from factdb.sessions import Actor, read_session, transaction

SOURCE = "afp-2011-07-12-militias"
BUNDLE = """\
entities:
  - name: United States
    kind: government
    aliases: ["US", "Washington"]
  - name: Iran
    kind: government
    aliases: ["Tehran"]
  - name: Leon Panetta
    kind: person
  - name: Moqtada al-Sadr
    kind: person
  - name: AFP
    kind: media
  - name: NBC News
    kind: media
sources:
  - key: afp-2011-07-12-militias
    outlet: AFP
    title: "Panetta warns Iran over militias"
    published_on: 2011-07-12
claims:
  - key: iran-arms-militias
    text: "Iran supplies weapons to Shiite militias in Iraq"
  - key: us-may-act-alone
    text: "The United States may act alone against militias in Iraq"
"""
ARTICLE = """\
Defence Secretary Leon Panetta said on Monday that Iran was supplying weapons to Shiite militias in Iraq.

"We are very concerned about Iran and the weapons it is providing to militias here," Panetta told reporters in Baghdad.

He later told NBC News that the United States could act alone against the militias.

A US official who asked not to be named said the rockets had been made in Iran.

Tehran denied supplying weapons to militias in Iraq.

Militia commander Abu Mahdi Karimi said last week that his fighters would never disarm.
"""

# (speaker or [description], match, stance, certainty, hedge, via, said_on, claim, claim is new, quote kind, quote)
EXPECTED = [
    ("Leon Panetta", "name", "asserts", "unspecified", None, [], "2011-07-11", "iran-arms-militias", False,
     "paraphrase", "Iran was supplying weapons to Shiite militias in Iraq"),
    ("Leon Panetta", "name", "asserts", "unspecified", None, [], None, "iran-arms-militias", False,
     "direct", "We are very concerned about Iran and the weapons it is providing to militias here"),
    ("Leon Panetta", "name", "asserts", "possible", "could", ["NBC News"], None, "us-may-act-alone", False,
     "paraphrase", "the United States could act alone against the militias"),
    ("[A US official who asked not to be named]", None, "asserts", "unspecified", None, [], None,
     "the-rockets-had-been-made-in-iran-78f6ce71", True, "paraphrase", "the rockets had been made in Iran"),
    ("Iran", "alias", "denies", "unspecified", None, [], None, "iran-arms-militias", False,
     "paraphrase", "supplying weapons to militias in Iraq"),
    ("Abu Mahdi Karimi", "new", "asserts", "unspecified", None, [], "2011-07", "his-fighters-would-never-disarm-2ea79966",
     True, "paraphrase", "his fighters would never disarm"),
]


def invoker(url: str) -> Any:
    runner = CliRunner()

    def run(*args: str, **kwargs: Any) -> Any:
        return runner.invoke(cli, ["--db", url, *args], catch_exceptions=False, **kwargs)

    return run


def build_story(url: str) -> None:
    """The entities, source and claims the article is read against (imported as a bundle)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.yaml"
        path.write_text(BUNDLE, encoding="utf-8")
        result = invoker(url)("import", str(path))
        assert result.exit_code == 0, result.output


@pytest.fixture
def story(db_url: str, dataset: Any) -> str:
    dataset(build_story)
    return db_url


def _article(url: str, text: str = ARTICLE, source: str | None = SOURCE) -> Article:
    engine = create_engine(url)
    try:
        with read_session(engine) as session:
            return propose(session, text, source)
    finally:
        engine.dispose()


def _shown(article: Article) -> list[tuple[Any, ...]]:
    return [
        (p.who, p.speaker.how if p.speaker else None, p.stance, p.certainty, p.hedge, [v.name for v in p.via],
         p.said_on, p.claim, p.claim_new, p.quote_kind, p.quote)
        for p in article.proposals
    ]


def test_proposals_of_a_hand_written_article(story: str) -> None:
    article = _article(story)
    assert _shown(article) == EXPECTED
    first, _, third, anonymous, denial, new = article.proposals
    assert first.speaker_title == "Defence Secretary"
    assert first.date_note == "inferred from 'on Monday' and the publication date 2011-07-12"
    assert first.said_on_precision == "day"
    assert new.said_on_precision == "month"
    assert new.date_note == ("inferred from 'last week' (the week of 2011-07-04 to 2011-07-10) and the "
                             "publication date 2011-07-12")
    assert new.speaker is not None and (new.speaker.kind, new.speaker_title) == ("person", "commander")
    assert anonymous.affiliation is not None
    assert (anonymous.affiliation.name, anonymous.affiliation.how, anonymous.affiliation_printed) == (
        "United States", "alias", "US")
    assert denial.speaker is not None and denial.speaker.printed == "Tehran"
    # the pronoun and the surname resolve to the person named first
    assert [p.fields.speaker_resolved_by for p in article.proposals[:3]] == ["named", "surname", "pronoun"]
    assert third.candidates == [
        {"key": "us-may-act-alone", "text": "The United States may act alone against militias in Iraq", "score": 0.97},
        {"key": "iran-arms-militias", "text": "Iran supplies weapons to Shiite militias in Iraq", "score": 0.51},
    ]
    # the direct quote is anchored in the article text
    quote = article.proposals[1]
    assert quote.quote_offsets is not None
    start, end = quote.quote_offsets
    assert ARTICLE[start:end] == quote.quote


def test_without_a_source_no_date_is_inferred(story: str) -> None:
    article = _article(story, source=None)
    assert [p.said_on for p in article.proposals] == [None] * 6
    assert article.as_dict()["proposals"][0]["key"] is None


def test_the_bundle_holds_new_entities_drafted_claims_and_statements(story: str) -> None:
    bundle = proposals_bundle(_article(story).proposals, SOURCE)
    assert bundle["entities"] == [{"name": "Abu Mahdi Karimi", "kind": "person", "note": "proposed by factdb extract"}]
    assert [c["key"] for c in bundle["claims"]] == [
        "the-rockets-had-been-made-in-iran-78f6ce71", "his-fighters-would-never-disarm-2ea79966"]
    anonymous = bundle["statements"][3]
    assert {k: v for k, v in anonymous.items() if k != "key"} == {
        "claim": "the-rockets-had-been-made-in-iran-78f6ce71",
        "speaker_description": "A US official who asked not to be named",
        "speaker_affiliation": "United States",
        "stance": "asserts",
        "certainty": "unspecified",
        "verb": "said",
        "quote": "the rockets had been made in Iran",
        "quote_kind": "paraphrase",
        "source": SOURCE,
        "note": "proposed by factdb extract",
    }
    assert bundle["statements"][0]["note"] == (
        "proposed by factdb extract; date inferred from 'on Monday' and the publication date 2011-07-12")


def _count(session: Any, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_accepting_writes_one_transaction_with_history_and_anchors(story: str) -> None:
    article = _article(story)
    engine = create_engine(story)
    try:
        with read_session(engine) as session:
            before = (_count(session, Statement), _count(session, HistoryEntry), _count(session, SourceText))
        with transaction(engine, Actor("reviewer", "factdb extract")) as session:
            done = accept_proposals(session, article, article.proposals)
        assert (done["statements"], done["entities"], done["claims"], done["unchanged"]) == (6, 1, 2, 0)
        assert done["text"] == (f"Stored the text of {SOURCE} ({len(ARTICLE):,} characters); 1 direct quote: 1 found.")
        with read_session(engine) as session:
            assert _count(session, Statement) == before[0] + 6
            assert _count(session, SourceText) == before[2] + 1
            actors = set(session.scalars(select(HistoryEntry.actor).where(HistoryEntry.table_name == "statements")))
            assert actors == {"reviewer"}
            anchors = session.scalars(select(QuoteAnchor.status)).all()
            assert anchors == ["found"]  # the one direct quote, anchored as attribute anchors it
        # accepting again changes nothing: the same keys are already recorded
        again = _article(story)
        assert [p.recorded is not None for p in again.proposals] == [True] * 6
        with transaction(engine) as session:
            repeat = accept_proposals(session, again, again.proposals)
        assert (repeat["statements"], repeat["unchanged"]) == (0, 6)
    finally:
        engine.dispose()


def test_declined_to_comment_only_with_the_no_comment_stance(story: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ARTICLE + "\nThe Iranian embassy in Baghdad declined to comment on the report.\n"
    if "no-comment" not in vocab.STANCES:
        article = _article(story, text)
        assert (len(article.proposals), article.omitted) == (6, 1)
        monkeypatch.setattr(vocab, "STANCES", (*vocab.STANCES, "no-comment"))
    article = _article(story, text)
    assert (len(article.proposals), article.omitted) == (7, 0)
    assert article.proposals[-1].stance == "no-comment"


@pytest.mark.parametrize("read", ["the article's names", "every name"])
def test_names_near_a_known_entity(story: str, read: str) -> None:
    printed = ["Panetta", "the US", "Muqtada al-Sadr", "Abu Mahdi Karimi"]
    engine = create_engine(story)
    try:
        with read_session(engine) as session:
            index = entity_name_index(session, printed if read == "the article's names" else None)
    finally:
        engine.dispose()
    if read == "the article's names":  # only the rows these names can match
        assert sorted(index.spellings) == ["Leon Panetta", "Moqtada al-Sadr", "US"]

    def near(name: str, **kwargs: Any) -> tuple[str, str] | None:
        found = find_entity_near(index, name, **kwargs)
        return (found.entity, found.how) if found else None

    assert near("Panetta") == ("Leon Panetta", "surname")
    assert near("Panetta", person=False) is None
    assert near("the US") == ("United States", "alias")
    assert near("Muqtada al-Sadr") == ("Moqtada al-Sadr", "fuzzy")
    assert near("Abu Mahdi Karimi") is None


def test_claim_candidates_rank_by_similarity(story: str) -> None:
    engine = create_engine(story)
    try:
        with read_session(engine) as session:
            found = claim_candidates(session, "Tehran keeps supplying weapons to the Shiite militias of Iraq")
            assert [(c["key"], c["score"]) for c in found] == [("iran-arms-militias", 0.79),
                                                                ("us-may-act-alone", 0.49)]
            assert claim_candidates(session, "the of and") == []
            assert claim_candidates(session, "Bananas are yellow") == []
    finally:
        engine.dispose()
