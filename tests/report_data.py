"""A small hand-made dataset for the report tests, built with the models directly.

It mirrors the seed story: the United States (Panetta, Gates, an anonymous "US source")
accuse Iran of arming Shiite militias in Iraq; Tehran denies it, and the foreign ministry's
spokesman Ramin Mehmanparast answers through state television; an AFP story is republished by
a second site (one piece of evidence, not two).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from factdb.dates import parse_partial_date
from factdb.models import (
    Claim,
    ClaimLink,
    ClaimTag,
    Entity,
    EntityName,
    EntityRole,
    Source,
    Statement,
    StatementVia,
)
from factdb.normalize import normalize_name

SCRIPT_QUOTE = 'they ship <script>alert("x")</script> rockets & mortars'


def add_entity(session: Session, name: str, kind: str, *, aliases: tuple[str, ...] = (), part_of: Entity | None = None) -> Entity:
    entity = Entity(name=name, kind=kind, part_of_id=part_of.id if part_of else None)
    session.add(entity)
    session.flush()
    session.add(EntityName(entity_id=entity.id, name=name, normalized=normalize_name(name), is_primary=True))
    for alias in aliases:
        session.add(EntityName(entity_id=entity.id, name=alias, normalized=normalize_name(alias), is_primary=False))
    session.flush()
    return entity


def add_role(session: Session, person: Entity, title: str, organization: Entity, started: str | None = None) -> None:
    start = parse_partial_date(started)
    session.add(
        EntityRole(
            entity_id=person.id,
            title=title,
            organization_id=organization.id,
            started_on=start.value if start else None,
            started_on_precision=start.precision if start else None,
        )
    )
    session.flush()


def add_source(
    session: Session,
    key: str,
    outlet: Entity,
    *,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    republishes: Source | None = None,
) -> Source:
    date = parse_partial_date(published)
    source = Source(
        key=key,
        outlet_id=outlet.id,
        title=title,
        url=url,
        authors=[],
        published_on=date.value if date else None,
        published_on_precision=date.precision if date else None,
        republishes_id=republishes.id if republishes else None,
    )
    session.add(source)
    session.flush()
    return source


def add_claim(session: Session, key: str, text: str, tags: tuple[str, ...] = ()) -> Claim:
    claim = Claim(key=key, text=text)
    session.add(claim)
    session.flush()
    for tag in tags:
        session.add(ClaimTag(claim_id=claim.id, tag=tag))
    session.flush()
    return claim


def add_statement(
    session: Session,
    key: str,
    claim: Claim,
    source: Source,
    stance: str,
    *,
    speaker: Entity | None = None,
    description: str | None = None,
    affiliation: Entity | None = None,
    said: str | None = None,
    via: tuple[Entity, ...] = (),
    responds_to: Statement | None = None,
    retracted: tuple[dt.datetime, str] | None = None,
    **fields: Any,
) -> Statement:
    date = parse_partial_date(said)
    statement = Statement(
        key=key,
        claim_id=claim.id,
        source_id=source.id,
        stance=stance,
        speaker_id=speaker.id if speaker else None,
        speaker_description=description,
        speaker_affiliation_id=affiliation.id if affiliation else None,
        said_on=date.value if date else None,
        said_on_precision=date.precision if date else None,
        responds_to_id=responds_to.id if responds_to else None,
        retracted_at=retracted[0] if retracted else None,
        retraction_reason=retracted[1] if retracted else None,
        **fields,
    )
    session.add(statement)
    session.flush()
    for position, entity in enumerate(via):
        session.add(StatementVia(statement_id=statement.id, position=position, entity_id=entity.id))
    session.flush()
    return statement


def build_story(session: Session) -> dict[str, Any]:
    """The dataset every report test reads; returns the objects by short name."""
    iran = add_entity(session, "Iran", "government", aliases=("Tehran",))
    ministry = add_entity(session, "Iran's foreign ministry", "government", part_of=iran)
    mehmanparast = add_entity(session, "Ramin Mehmanparast", "person")
    add_role(session, mehmanparast, "spokesman", ministry)
    usa = add_entity(session, "United States", "government", aliases=("US",))
    panetta = add_entity(session, "Leon Panetta", "person")
    add_role(session, panetta, "US Secretary of Defense", usa, "2011-07-01")
    gates = add_entity(session, "Robert Gates", "person")
    add_role(session, gates, "US Secretary of Defense", usa, "2006-12-18")
    kh = add_entity(session, "Kataib Hezbollah", "armed-group", aliases=("Kata'ib Hizballah",))
    afp = add_entity(session, "AFP", "media")
    reuters = add_entity(session, "Reuters", "media")
    star = add_entity(session, "The Daily Star", "media")
    nbc = add_entity(session, "NBC News", "media")
    irib = add_entity(session, "Iranian state television", "media", part_of=iran)

    afp_story = add_source(
        session,
        "afp-2011-07-10",
        afp,
        title="US forces pursue Iraq Shiite insurgents",
        url="https://example.org/afp/2011-07-10",
        published="2011-07-10",
    )
    copy = add_source(
        session,
        "star-copy",
        star,
        title="US forces pursue Iraq Shiite insurgents",
        url="https://example.org/star/afp-copy",
        republishes=afp_story,
    )
    reuters_story = add_source(
        session,
        "reuters-2011-07-05",
        reuters,
        title="Gates says Iran absolutely complicit",
        url="https://example.org/reuters/2011-07-05",
        published="2011-07-05",
    )
    afp_later = add_source(
        session, "afp-2011-07-12", afp, title="Iran rejects US charges", published="2011-07-12"
    )

    arms = add_claim(
        session, "iran-arms-militias", "Iran supplies weapons to Shiite militias in Iraq", ("iran", "iraq", "weapons")
    )
    maysan = add_claim(session, "maysan-route", "Maysan is a key route for Iranian weapons", ("iraq", "weapons"))
    rockets = add_claim(session, "kh-rockets", "Kataib Hezbollah fired the rockets at Camp Victory", ("iraq",))
    session.add(ClaimLink(from_claim_id=maysan.id, to_claim_id=arms.id, kind="part-of"))

    panetta_says = add_statement(
        session, "s-panetta", arms, afp_story, "asserts", speaker=panetta, said="2011-07-11",
        speaker_title="Defence Secretary", certainty="certain", verb="told",
        quote="We're very concerned about Iran and the weapons they're providing to extremists in Iraq",
        quote_kind="direct", via=(nbc,),
    )  # fmt: skip
    add_statement(
        session, "s-gates", arms, reuters_story, "asserts", speaker=gates, said="2011-06",
        speaker_title="Defense Secretary", certainty="certain", verb="said",
        quote="absolutely complicit", quote_kind="direct",
    )  # fmt: skip
    add_statement(
        session, "s-us-source", arms, copy, "asserts", description="a US source", affiliation=usa,
        certainty="probable", hedge="is believed", verb="said", quote=SCRIPT_QUOTE, quote_kind="paraphrase",
    )  # fmt: skip
    add_statement(
        session, "s-tehran", arms, afp_story, "denies", speaker=iran, said="2011-07-11", verb="denied",
        responds_to=panetta_says,
    )  # fmt: skip
    add_statement(
        session, "s-mehmanparast", arms, afp_later, "disputes", speaker=mehmanparast, said="2011-07-12",
        speaker_title="foreign ministry spokesman", verb="said",
        quote="The Americans want to blame others for their failures", quote_kind="direct",
        via=(irib,), responds_to=panetta_says,
    )  # fmt: skip
    add_statement(
        session, "s-commanders", arms, reuters_story, "asserts", description="US commanders", affiliation=usa,
        said="2011-07-04", verb="said",
        retracted=(dt.datetime(2011, 7, 20, 10, 0, tzinfo=dt.UTC), "the source corrected the attribution"),
    )  # fmt: skip
    add_statement(
        session, "s-maysan", maysan, reuters_story, "asserts", description="a US source", affiliation=usa,
        said="2011-07-05", certainty="probable", hedge="is believed to be",
        quote="a key importation point for Iranian weapons", quote_kind="direct",
    )  # fmt: skip
    add_statement(
        session, "s-ministry-no-comment", arms, afp_later, "no-comment", speaker=ministry, said="2011-07-12",
        verb="declined to comment",
    )  # fmt: skip
    add_statement(
        session, "s-kh", rockets, afp_later, "acknowledges", speaker=kh, said="2011-07-12",
        verb="claimed responsibility",
    )  # fmt: skip
    session.flush()
    return {"iran": iran, "usa": usa, "arms": arms, "afp": afp_story, "panetta": panetta}


def load_story(db_url: str) -> None:
    """Build the story in the database at ``db_url`` (one transaction)."""
    from factdb.db import create_engine

    # A plain session: the test data needs no history rows.
    engine = create_engine(db_url)
    try:
        with Session(engine) as session, session.begin():
            build_story(session)
    finally:
        engine.dispose()
