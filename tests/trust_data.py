"""A small dataset built through the ORM for the trust tests (history, quotes, check, search).

It follows seeds 000 (AFP, 2011-07-10: Panetta in Baghdad on Monday 2011-07-11) and 002
(Reuters, 2011-07-03: Gates, Jeffrey, an anonymous Maysan official), with their real quotes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from factdb import models as m
from factdb.dates import parse_partial_date
from factdb.db import create_engine
from factdb.normalize import normalize_name
from factdb.sessions import Actor, transaction

TESTER = Actor("tester", "pytest")

PANETTA_QUOTE = "We are very concerned about Iran and weapons they’re providing to extremists here in Iraq."
GATES_QUOTE = "absolutely complicit"
JEFFREY_QUOTE = "significantly more lethal weapons systems"
OFFICIAL_QUOTE = (
    "The goal of this operation basically is to prevent the infiltration of weapons which are used "
    "to attack U.S. troops and Iraqi security forces"
)


def entity(session: Session, name: str, kind: str, *aliases: str) -> m.Entity:
    row = m.Entity(name=name, kind=kind)
    row.names = [m.EntityName(name=name, normalized=normalize_name(name), is_primary=True)]
    row.names += [m.EntityName(name=a, normalized=normalize_name(a)) for a in aliases]
    session.add(row)
    session.flush()
    return row


def source(session: Session, key: str, outlet: m.Entity, published_on: str | None, **fields: Any) -> m.Source:
    date = parse_partial_date(published_on)
    row = m.Source(
        key=key,
        outlet_id=outlet.id,
        published_on=date.value if date else None,
        published_on_precision=date.precision if date else None,
        authors=[],
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def claim(session: Session, key: str, text: str, **fields: Any) -> m.Claim:
    row = m.Claim(key=key, text=text, **fields)
    session.add(row)
    session.flush()
    return row


def statement(
    session: Session,
    key: str,
    claim_row: m.Claim,
    source_row: m.Source,
    *,
    speaker: m.Entity | None = None,
    said_on: str | None = None,
    stance: str = "asserts",
    **fields: Any,
) -> m.Statement:
    date = parse_partial_date(said_on)
    row = m.Statement(
        key=key,
        claim_id=claim_row.id,
        source_id=source_row.id,
        speaker_id=speaker.id if speaker else None,
        stance=stance,
        said_on=date.value if date else None,
        said_on_precision=date.precision if date else None,
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def build_small(session: Session) -> dict[str, Any]:
    """The seed-like dataset: two outlets, one claim, four statements with direct quotes."""
    afp = entity(session, "Agence France-Presse", "media", "AFP")
    reuters = entity(session, "Reuters", "media")
    panetta = entity(session, "Leon Panetta", "person", "Panetta")
    gates = entity(session, "Robert Gates", "person", "Gates")
    jeffrey = entity(session, "James Jeffrey", "person", "Jeffrey")
    entity(session, "Iran", "government", "Tehran")
    entity(session, "Kataib Hezbollah", "armed-group", "Kata'ib Hizballah")
    entity(session, "Asaib Ahl al-Haq", "armed-group", "AAH", "Asaib al-Haq")
    entity(session, "United States", "government", "US")
    entity(session, "United Kingdom", "government", "UK")
    afp_source = source(session, "afp-2011-07-10-us-forces-pursue", afp, "2011-07-10",
                        title="US forces pursue Iraq Shiite insurgents")
    reuters_source = source(session, "reuters-2011-07-03-crackdown", reuters, "2011-07-03",
                            title="Iraq military cracks down on militias, arms smuggling")
    arms = claim(session, "iran-arms-militias", "Iran supplies weapons to Shiite militias in Iraq.")
    complicit = claim(session, "iran-complicit-us-casualties", "Iran is complicit in US casualties in Iraq.",
                      note="Gates in a Reuters interview")
    statements = {
        "panetta": statement(session, "afp-2011-07-10-us-forces-pursue/panetta", arms, afp_source,
                             speaker=panetta, said_on="2011-07-11", quote=PANETTA_QUOTE, quote_kind="direct"),
        "jeffrey": statement(session, "reuters-2011-07-03-crackdown/jeffrey", arms, reuters_source,
                             speaker=jeffrey, said_on="2011-07-02", quote=JEFFREY_QUOTE, quote_kind="direct"),
        "official": statement(session, "reuters-2011-07-03-crackdown/official", arms, reuters_source,
                              speaker_description="a Maysan security official", said_on="2011-07-03",
                              quote=OFFICIAL_QUOTE, quote_kind="direct", hedge="asked not to be named"),
        "gates": statement(session, "reuters-2011-07-03-crackdown/gates", complicit, reuters_source,
                           speaker=gates, said_on="2011-06", quote=GATES_QUOTE, quote_kind="direct",
                           certainty="certain"),
    }
    return {"afp": afp_source, "reuters": reuters_source, "arms": arms, "complicit": complicit,
            "statements": statements}


def populate(db_url: str, builder=build_small) -> dict[str, Any]:
    """Build the dataset in its own committed transaction; returns ids and keys."""
    engine = create_engine(db_url)
    try:
        with transaction(engine, TESTER) as session:
            built = builder(session)
            ids = {
                "claims": {"arms": built["arms"].id, "complicit": built["complicit"].id},
                "sources": {"afp": built["afp"].id, "reuters": built["reuters"].id},
                "statements": {name: row.id for name, row in built["statements"].items()},
            }
    finally:
        engine.dispose()
    return ids
