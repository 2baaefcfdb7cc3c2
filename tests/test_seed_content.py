"""The seed dataset says what the five articles say (issue 4): specific statements by speaker,
stance, certainty, hedge and quote; alias groups; via chains; syndication; dates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text

from factdb.db import create_engine
from factdb.resolver import resolve_entity
from factdb.resources import resource_dir
from factdb.sessions import read_session

SEED_FILES = sorted(resource_dir("seeds").glob("*.yaml"))

STATEMENT_SQL = text(
    """
    SELECT s.key, sp.name AS speaker, s.speaker_description, af.name AS affiliation, s.speaker_title,
           s.stance, s.certainty, s.hedge, s.verb, s.quote, s.quote_kind, s.said_on, s.said_on_precision,
           c.key AS claim, src.key AS source, r.key AS responds_to
    FROM statements s
    JOIN claims c ON c.id = s.claim_id
    JOIN sources src ON src.id = s.source_id
    LEFT JOIN entities sp ON sp.id = s.speaker_id
    LEFT JOIN entities af ON af.id = s.speaker_affiliation_id
    LEFT JOIN statements r ON r.id = s.responds_to_id
    WHERE s.key = :key
    """
)
VIA_SQL = text(
    """
    SELECT e.name FROM statement_via v JOIN entities e ON e.id = v.entity_id
    JOIN statements s ON s.id = v.statement_id WHERE s.key = :key ORDER BY v.position
    """
)


@pytest.fixture
def seeded(seeded_db: str) -> str:
    return seeded_db


def statement(db_url: str, key: str) -> dict[str, Any]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(STATEMENT_SQL, {"key": key}).mappings().one()
            via = list(conn.execute(VIA_SQL, {"key": key}).scalars())
    finally:
        engine.dispose()
    record = dict(row)
    record["said_on"] = str(record["said_on"]) if record["said_on"] is not None else None
    record["via"] = via
    return record


# key: the fields the article fixes (everything not listed is not asserted here)
EXPECTED: dict[str, dict[str, Any]] = {
    # Gates, "in a Reuters interview last week": certain, said about a week before 3 July 2011
    "002-gates-complicit": {
        "speaker": "Robert Gates", "stance": "asserts", "certainty": "certain", "hedge": "absolutely",
        "quote": "absolutely complicit", "said_on": "2011-06-01", "said_on_precision": "month",
    },
    # Esper: asserts, probable, both hedges kept
    "003-esper-suspicion": {
        "speaker": "Mark Esper", "speaker_title": "US Defense Secretary", "stance": "asserts",
        "certainty": "probable", "hedge": "My suspicion would be; hard to pin down",
        "quote": "My suspicion would be that Iran is behind these attacks", "quote_kind": "direct",
    },
    # a claim of responsibility is an acknowledgement
    "002-kh-claims-rocket-attack": {"speaker": "Kataib Hezbollah", "stance": "acknowledges"},
    # "Tehran has denied US accusations": Iran, denies, answering Panetta; never quoted directly,
    # so the only words are AFP's paraphrase
    "000-tehran-denies": {
        "speaker": "Iran", "stance": "denies", "quote_kind": "paraphrase", "claim": "iran-arms-militias",
        "responds_to": "000-panetta-weapons",
    },
    # typographic apostrophe kept as printed
    "000-panetta-weapons": {
        "speaker": "Leon Panetta", "speaker_title": "Defence Secretary", "stance": "asserts",
        "quote": "We are very concerned about Iran and weapons they’re providing to extremists here in Iraq.",
        "claim": "iran-arms-militias", "source": "afp-2011-07-10-us-forces-pursue",
    },
    # Panetta "told NBC News", reported by AFP
    "000-panetta-nbc": {"speaker": "Leon Panetta", "via": ["NBC News"]},
    # Mehmanparast, quoted by Iran's state television website, reported by AFP
    "000-mehmanparast-us-position": {"speaker": "Ramin Mehmanparast", "via": ["Iranian state television"]},
    # Bergner relaying "the prime minister's assessment": speaker Maliki, via Bergner
    "001-maliki-assessment": {"speaker": "Nouri al-Maliki", "via": ["Kevin Bergner"]},
    # unattributed: the outlet itself is the speaker
    "002-reuters-maysan-entry-point": {
        "speaker": "Reuters", "stance": "asserts", "certainty": "probable", "hedge": "is believed",
    },
    # anonymous speakers keep their description and affiliation
    "002-maysan-official-goal": {
        "speaker": None, "speaker_description": "A Maysan security official who asked not to be named",
        "affiliation": "Maysan security forces",
    },
    "003-ussource-top-threat": {"speaker": None, "speaker_description": "A US source", "affiliation": "United States"},
    "001-uscommanders-quds-training": {
        "speaker": None, "speaker_description": "US commanders", "affiliation": "United States Armed Forces",
        "certainty": "probable", "hedge": "allegedly",
    },
    "000-austin-training": {"speaker": "Lloyd Austin", "certainty": "probable", "hedge": "presumably"},
    # witnesses vs Bergner: a dispute that does not involve Iran
    "001-bergner-basra-not-mahdi": {
        "speaker": "Kevin Bergner", "stance": "denies", "responds_to": "001-witnesses-mahdi-areas",
    },
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_statement_as_the_article_says(seeded: str, key: str) -> None:
    record = statement(seeded, key)
    assert {field: record[field] for field in EXPECTED[key]} == EXPECTED[key]


def test_the_standing_accusation_is_one_claim_across_the_years(seeded: str) -> None:
    engine = create_engine(seeded)
    with engine.connect() as conn:
        years = conn.execute(
            text(
                """
                SELECT DISTINCT substr(CAST(coalesce(s.said_on, src.published_on) AS TEXT), 1, 4)
                FROM statements s JOIN claims c ON c.id = s.claim_id JOIN sources src ON src.id = s.source_id
                WHERE c.key = 'iran-backs-militias' AND coalesce(s.said_on, src.published_on) IS NOT NULL
                """
            )
        ).scalars()
        found = sorted(years)
    engine.dispose()
    assert found == ["2008", "2011", "2019", "2021"]


def test_claim_show_of_the_arms_claim(seeded: str, invoke) -> None:
    result = invoke("claim", "show", "iran-arms-militias", "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    support_outlets = {s["source"]["outlet"] for s in shown["statements"] if s["side"] == "support"}
    assert {"AFP", "Reuters"} <= support_outlets
    denials = [s for s in shown["statements"] if s["stance"] == "denies"]
    assert [(d["speaker"]["name"], d["source"]["outlet"]) for d in denials] == [("Iran", "AFP")]


ALIAS_GROUPS = [
    ["Kataib Hezbollah", "Ketaeb Hezbollah", "Kata'ib Hizballah", "Kata’ib Hizballah"],
    ["Asaib Ahl al-Haq", "Asaib Ahel al-Haq", "Asaib al-Haq", "AAH"],
    ["Quds Force", "Qods force"],
    ["Qassem Soleimani", "Soleimani", "Suleimani"],
    ["Iran", "Tehran", "the government of Iran"],
]


@pytest.mark.parametrize("names", ALIAS_GROUPS, ids=[g[0] for g in ALIAS_GROUPS])
def test_alias_group_resolves_to_one_entity(seeded: str, names: list[str]) -> None:
    engine = create_engine(seeded)
    with read_session(engine) as session:
        ids = {resolve_entity(session, name).id for name in names}
    engine.dispose()
    assert len(ids) == 1


def test_every_seed_name_resolves_to_its_entity(seeded: str) -> None:
    engine = create_engine(seeded)
    wrong = []
    with read_session(engine) as session:
        for path in SEED_FILES:
            for entity in yaml.safe_load(path.read_text(encoding="utf-8")).get("entities") or []:
                for name in [entity["name"], *(entity.get("aliases") or [])]:
                    if resolve_entity(session, name).name != entity["name"]:
                        wrong.append(name)
    engine.dispose()
    assert wrong == []


def test_syndicated_copies_point_at_the_wire_story(seeded: str) -> None:
    engine = create_engine(seeded)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.key, o.key, oe.name FROM sources s JOIN sources o ON o.id = s.republishes_id "
                "JOIN entities oe ON oe.id = o.outlet_id ORDER BY s.key"
            )
        ).all()
    engine.dispose()
    assert [(copy[:4], outlet) for copy, _original, outlet in rows] == [("news", "AFP"), ("site", "AFP")]


def test_seed_keeps_no_article_text(shared_dir: Path) -> None:
    """Quotes are short excerpts: no quote over 300 characters, and all the quotes taken from an
    article together stay well under half of its text."""
    articles = {p.name[:3]: p.read_text(encoding="utf-8") for p in (shared_dir / "seeds").glob("00*.txt")}
    for path in SEED_FILES:
        if path.name[:3] not in articles:
            continue
        quotes = [s.get("quote") or "" for s in yaml.safe_load(path.read_text(encoding="utf-8"))["statements"]]
        assert max(len(q) for q in quotes) <= 300, path.name
        assert sum(len(q) for q in quotes) < 0.5 * len(articles[path.name[:3]]), path.name


def test_every_quote_is_verbatim_in_its_article(shared_dir: Path) -> None:
    articles = {p.name[:3]: " ".join(p.read_text(encoding="utf-8").split()) for p in (shared_dir / "seeds").glob("00*.txt")}
    missing = []
    for path in SEED_FILES:
        if path.name[:3] not in articles:
            continue
        for record in yaml.safe_load(path.read_text(encoding="utf-8"))["statements"]:
            quote = record.get("quote")
            if quote and " ".join(quote.split()) not in articles[path.name[:3]]:
                missing.append(record["key"])
    assert missing == []


def test_plural_officials_and_an_unnamed_report_are_marked(seeded: str) -> None:
    # the articles' "security officials said", "U.S. officials blame", "US commanders say",
    # "Witnesses have said" are plural groups; "a report that a 14,000-strong deployment" is an
    # unspecified report, nobody's words (revision 0027)
    engine = create_engine(seeded)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT key, anonymous_kind FROM statements WHERE anonymous_kind IS NOT NULL ORDER BY key"
            )).all()
            report_claim = conn.execute(text(
                "SELECT support_statements, support_speakers FROM claims WHERE key = 'us-discussing-14000-deployment'"
            )).one()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("001-uscommanders-quds-training", "group"),
        ("001-uscommanders-special-groups", "group"),
        ("001-witnesses-mahdi-areas", "group"),
        ("002-secofficials-crackdown", "group"),
        ("002-usofficials-blame-militias", "group"),
        ("003-report-14000", "reports"),
        ("003-usofficials-troops", "group"),
    ]
    assert tuple(report_claim) == (1, 0)
