"""A small hand-made dataset for the report tests, built with the models directly.

It mirrors the seed story: the United States (Panetta, Gates, an anonymous "US source")
accuse Iran of arming Shiite militias in Iraq; Tehran denies it, and the foreign ministry's
spokesman Ramin Mehmanparast answers through state television; an AFP story is republished by
a second site (one piece of evidence, not two), which carries Panetta's words too, and a
third site carries Tehran's denial (each one statement, "carried by" the copies' outlets).
Stored texts: the AFP story has Panetta's quote word for word (verified), the Reuters story
has the Maysan quote with a word changed and not Gates' (not found); the later AFP story has
no stored text. Verdicts: PolitiFact rates the arms claim "Mostly True" (4 on 0..5), Snopes
rates Kataib Hezbollah's claim "False" before it was carried.
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
    Verdict,
)
from factdb.normalize import normalize_name
from factdb.quotes import attach_text

SCRIPT_QUOTE = 'they ship <script>alert("x")</script> rockets & mortars'
AFP_TEXT = (
    "BAGHDAD (AFP) - US forces will pursue Shiite insurgents in Iraq, the new Defence Secretary said. "
    "\u201cWe\u2019re very concerned about Iran and the weapons they\u2019re providing to extremists in Iraq,\u201d "
    "Leon Panetta told reporters on Monday. Tehran denied the charge."
)
REUTERS_TEXT = (
    "WASHINGTON (Reuters) - Defense Secretary Robert Gates said Iran was deeply involved. "
    "Maysan province is believed to be a key importing point for Iranian weapons, a US source said."
)


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
    # copies: the Star's copy carries Panetta's words (typographic apostrophes, a final period),
    # a third site's copy carries Tehran's denial
    webjosh = add_entity(session, "webjosh", "media")
    josh_copy = add_source(
        session, "webjosh-copy", webjosh, title="US forces pursue Iraq Shiite insurgents",
        url="javascript:alert(1)", published="2011-07-11", republishes=afp_story,
    )  # fmt: skip
    add_statement(
        session, "s-panetta-star", arms, copy, "asserts", speaker=panetta, said="2011-07-11",
        speaker_title="Defence Secretary", certainty="certain", verb="told",
        quote="We\u2019re very concerned about Iran and the weapons they\u2019re providing to extremists in Iraq.",
        quote_kind="direct", via=(nbc,),
    )  # fmt: skip
    add_statement(
        session, "s-tehran-josh", arms, josh_copy, "denies", speaker=iran, said="2011-07-11", verb="denied",
    )  # fmt: skip
    session.flush()
    attach_text(session, afp_story, AFP_TEXT)
    attach_text(session, reuters_story, REUTERS_TEXT)
    politifact = add_entity(session, "PolitiFact", "media")
    snopes = add_entity(session, "Snopes", "media")
    session.add(Verdict(
        key="https://example.org/politifact/iran-arms", claim_id=arms.id, reviewer_id=politifact.id,
        rating="Mostly True", rating_value=4, best_rating=5, worst_rating=0,
        reviewed_on=dt.date(2011, 8, 1), reviewed_on_precision="day", url="https://example.org/politifact/iran-arms",
    ))  # fmt: skip
    session.add(Verdict(
        key="snopes-kh-rockets", claim_id=rockets.id, reviewer_id=snopes.id, rating="False",
        reviewed_on=dt.date(2011, 7, 1), reviewed_on_precision="day", url="https://example.org/snopes/kh",
    ))  # fmt: skip
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
            derive(session)
    finally:
        engine.dispose()


def derive(session: Session) -> None:
    """What factdb's write paths derive and a plain session does not: the copy markers
    (factdb.copies) and each claim's stored sourcing flags (factdb.claim_flags)."""
    from factdb.claim_flags import store_flags
    from factdb.copies import mark_copies

    session.flush()
    mark_copies(session.connection(), None)
    store_flags(session, None)
