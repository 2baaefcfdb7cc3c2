"""SQLAlchemy 2.0 typed models: the whole schema of DESIGN.md.

The schema changes only through Alembic revisions in ``migrations/``; a test runs
``alembic check`` so these models and the revisions never drift apart.

Conventions:
- every enumeration is a named CHECK constraint built from :mod:`factdb.vocab`;
- a partial date is a ``DATE`` (first day of its period) plus a ``*_precision`` column, and a
  CHECK keeps the two NULL together;
- foreign keys that statements rely on are ``ON DELETE RESTRICT``: the database itself refuses
  to delete an entity, claim or source still in use;
- relationships are ``lazy="raise"``: a report must say what it loads (no silent N+1).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

if TYPE_CHECKING:
    from sqlalchemy import Table

from factdb import vocab

__all__ = [
    "Base",
    "Entity",
    "EntityName",
    "EntityRole",
    "Source",
    "SourceText",
    "Claim",
    "ClaimTag",
    "ClaimLink",
    "ClaimSpeaker",
    "Statement",
    "StatementVia",
    "StatementSpeaker",
    "QuoteAnchor",
    "Verdict",
    "HistoryEntry",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _date_pair(column: str) -> str:
    """CHECK text: a partial date and its precision are both set or both NULL."""
    return (
        f"({column} IS NULL AND {column}_precision IS NULL) OR "
        f"({column} IS NOT NULL AND {column}_precision IS NOT NULL AND "
        f"{_in(column + '_precision', vocab.DATE_PRECISIONS)})"
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}
    if TYPE_CHECKING:
        # every model here is mapped to a Table (DeclarativeBase types it as any FromClause)
        __table__: ClassVar[Table]


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


# --- entities -------------------------------------------------------------------------------


class Entity(Timestamped, Base):
    """Anyone who speaks, is spoken of, or publishes: person, government, armed group, outlet."""

    __tablename__ = "entities"
    __table_args__ = (CheckConstraint(_in("kind", vocab.ENTITY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The entity this one belongs to (a ministry to its government, a unit to its army):
    # reports group a speaker with the top of this chain.
    part_of_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[EntityName]] = relationship(
        back_populates="entity", lazy="raise", cascade="all, delete-orphan", order_by="EntityName.id"
    )
    roles: Mapped[list[EntityRole]] = relationship(
        back_populates="entity",
        lazy="raise",
        cascade="all, delete-orphan",
        foreign_keys="EntityRole.entity_id",
        order_by="EntityRole.id",
    )
    part_of: Mapped[Entity | None] = relationship(remote_side="Entity.id", lazy="raise")


class EntityName(Base):
    """Every name of an entity, its primary name included, in a normalized unique form.

    Holding the primary name here too lets the database keep names unique across entities:
    no alias of one entity can equal the name or alias of another.
    """

    __tablename__ = "entity_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    # the resolver's lookup path: normalize_name(typed name) = normalized
    normalized: Mapped[str] = mapped_column(String(500), unique=True)
    is_primary: Mapped[bool] = mapped_column(default=False)

    entity: Mapped[Entity] = relationship(back_populates="names", lazy="raise")


class EntityRole(Base):
    """A role held over time: "US Secretary of Defense" of United States from 2011-07-01."""

    __tablename__ = "entity_roles"
    __table_args__ = (
        CheckConstraint(_date_pair("started_on"), name="started_on_precision"),
        CheckConstraint(_date_pair("ended_on"), name="ended_on_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    started_on_precision: Mapped[str | None] = mapped_column(String(5))
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on_precision: Mapped[str | None] = mapped_column(String(5))
    note: Mapped[str | None] = mapped_column(Text)

    entity: Mapped[Entity] = relationship(back_populates="roles", lazy="raise", foreign_keys=[entity_id])
    organization: Mapped[Entity | None] = relationship(lazy="raise", foreign_keys=[organization_id])


# --- sources --------------------------------------------------------------------------------


class Source(Timestamped, Base):
    """One document that reports statements: an article, a press release, a transcript."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(_date_pair("published_on"), name="published_on_precision"),
        CheckConstraint(_in("kind", vocab.SOURCE_KINDS), name="kind"),
        CheckConstraint(f"text_state IS NULL OR {_in('text_state', vocab.TEXT_STATES)}", name="text_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # what the document is: article, statement, press-release, transcript, ... (revision 0022)
    kind: Mapped[str] = mapped_column(String(20), default="article", server_default="article")
    # the publisher: any entity (a media outlet, the FBI, a ministry, a person's account); NULL
    # for an original nobody has seen, rather than an invented outlet (revision 0050)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on_precision: Mapped[str | None] = mapped_column(String(5))
    # the time of day the page prints ("Published 11:06, Modified 11:08"): HH:MM[:SS], as printed
    published_time: Mapped[str | None] = mapped_column(String(8))
    modified_time: Mapped[str | None] = mapped_column(String(8))
    # truncated or garbled: the copy in hand is not the whole clean text (NULL: nothing known amiss)
    text_state: Mapped[str | None] = mapped_column(String(20))
    # Syndication: a republished copy is not independent evidence (reports collapse the chain).
    republishes_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    # Versions: a later version of the same document (an updated article); reports count the
    # newest version of a chain (revision 0051).
    updates_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True, unique=True
    )
    note: Mapped[str | None] = mapped_column(Text)

    outlet: Mapped[Entity | None] = relationship(lazy="raise")
    republishes: Mapped[Source | None] = relationship(
        remote_side="Source.id", lazy="raise", foreign_keys=[republishes_id]
    )
    updates: Mapped[Source | None] = relationship(remote_side="Source.id", lazy="raise", foreign_keys=[updates_id])


class SourceText(Base):
    """The stored text of a source, for quote checks (exported only with ``export --with-texts``)."""

    __tablename__ = "source_texts"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    attached_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- claims ---------------------------------------------------------------------------------


class Claim(Timestamped, Base):
    """One proposition, worded neutrally, that people assert or dispute."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Maintained by the database (triggers of revision 0003, factdb.counts), never written by
    # the library: counted (unretracted) statements and distinct speakers on each side.
    # report contested ranks claims by these instead of aggregating every statement.
    support_statements: Mapped[int] = mapped_column(Integer, server_default="0")
    oppose_statements: Mapped[int] = mapped_column(Integer, server_default="0")
    support_speakers: Mapped[int] = mapped_column(Integer, server_default="0")
    oppose_speakers: Mapped[int] = mapped_column(Integer, server_default="0")
    # Kept by the write paths (factdb.claim_flags, revision 0061): which sourcing flags the
    # claim has (bit i for factdb.sourcing.FLAGS[i]) and how many; report sourcing ranks by these.
    sourcing_flags: Mapped[int] = mapped_column(Integer, server_default="0")
    sourcing_flag_count: Mapped[int] = mapped_column(Integer, server_default="0")

    tags: Mapped[list[ClaimTag]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ClaimTag.tag"
    )


class ClaimTag(Base):
    __tablename__ = "claim_tags"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    # report contested/timeline --tag: tag -> claims
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class ClaimLink(Base):
    """A typed link between claims: same-as, part-of, narrower-than, contradicts, supports
    (evidence for), counters (a counter-accusation)."""

    __tablename__ = "claim_links"
    __table_args__ = (
        CheckConstraint(_in("kind", vocab.CLAIM_LINK_KINDS), name="kind"),
        CheckConstraint("from_claim_id <> to_claim_id", name="not_self"),
        UniqueConstraint("from_claim_id", "to_claim_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    # the dossier's "linked claims" looks links up from both ends
    to_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))


class ClaimSpeaker(Base):
    """How many counted statements one speaker made on one side of a claim (maintained by the
    database's triggers, like the claims' counts): a row exists only while that number is
    above zero, so the rows of a claim's side are its distinct speakers.

    ``speaker_ref`` is ``e:<entity id>`` for a named speaker and ``a:<description>|<affiliation
    id or empty>`` for an anonymous one (the description trimmed, ASCII letters lower-cased:
    see :func:`factdb.counts.speaker_ref`).
    """

    __tablename__ = "claim_speakers"
    __table_args__ = (CheckConstraint(_in("side", ("support", "oppose")), name="side"),)

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    side: Mapped[str] = mapped_column(String(10), primary_key=True)
    speaker_ref: Mapped[str] = mapped_column(Text, primary_key=True)
    statements: Mapped[int] = mapped_column(Integer)


# --- statements -----------------------------------------------------------------------------


class Statement(Timestamped, Base):
    """One act of attribution: a speaker takes a stance on a claim, in a source, on a date."""

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(_in("stance", vocab.STANCES), name="stance"),
        CheckConstraint(_in("certainty", vocab.CERTAINTIES), name="certainty"),
        CheckConstraint(f"quote_kind IS NULL OR {_in('quote_kind', vocab.QUOTE_KINDS)}", name="quote_kind"),
        CheckConstraint(_date_pair("said_on"), name="said_on_precision"),
        CheckConstraint(f"position IS NULL OR {_in('position', vocab.POSITIONS)}", name="position"),
        CheckConstraint("speaker_id IS NOT NULL OR speaker_description IS NOT NULL", name="has_speaker"),
        CheckConstraint(
            "(retracted_at IS NULL AND retraction_reason IS NULL) OR "
            "(retracted_at IS NOT NULL AND retraction_reason IS NOT NULL)",
            name="retraction_reason",
        ),
        CheckConstraint(_date_pair("retracted_on"), name="retracted_on_precision"),
        CheckConstraint("retracted_on IS NULL OR retracted_at IS NOT NULL", name="retracted_on_retracted"),
        CheckConstraint(
            f"anonymous_kind IS NULL OR ({_in('anonymous_kind', vocab.ANONYMOUS_KINDS)} AND speaker_id IS NULL)",
            name="anonymous_kind",
        ),
        CheckConstraint("anonymous_id IS NULL OR speaker_id IS NULL", name="anonymous_id"),
        # report contested / claim dossier: every per-claim aggregate (side, distinct speakers)
        # is answered from this index alone, without touching the table.
        Index("ix_statements_claim_cover", "claim_id", "stance", "speaker_id", "retracted_at"),
        # report entity / timeline --speaker: a speaker's statements in date order
        Index("ix_statements_speaker_said", "speaker_id", "said_on"),
        # report timeline: statements over time
        Index("ix_statements_said_on", "said_on"),
        # the copies of a statement (factdb.copies), and ON DELETE SET NULL without a scan
        Index("ix_statements_copy_of_id", "copy_of_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The natural key used in bundles (responds_to points at it); derived from the content
    # when a bundle does not give one.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"))
    speaker_description: Mapped[str | None] = mapped_column(Text)
    # For an anonymous speaker, who they speak for ("Maysan security forces").
    speaker_affiliation_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="RESTRICT"), index=True
    )
    speaker_title: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(20))
    certainty: Mapped[str] = mapped_column(String(20), default="unspecified")
    hedge: Mapped[str | None] = mapped_column(Text)
    verb: Mapped[str | None] = mapped_column(String(200))
    quote: Mapped[str | None] = mapped_column(Text)
    quote_kind: Mapped[str | None] = mapped_column(String(20))
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    said_on_precision: Mapped[str | None] = mapped_column(String(5))
    # report sourcing / dossier: statements of a source
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    responds_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="RESTRICT"), index=True
    )
    # where in the article: headline, standfirst or body (NULL: not said)
    position: Mapped[str | None] = mapped_column(String(20))
    # one utterance answering several claims (revision 0026): one row per claim, sharing the key
    # of the group's first statement; NULL for a statement of one claim
    utterance: Mapped[str | None] = mapped_column(String(200), index=True)
    # an anonymous speaker (revision 0027): NULL one unnamed person, "group" a plural group
    # ("officials", "U.S. authorities"), "reports" unspecified reports ("media reports said":
    # nobody's statement, counted as a statement but not as a speaker); anonymous_id tells one
    # anonymous speaker within its source across descriptions ("a senior official", "the official")
    anonymous_kind: Mapped[str | None] = mapped_column(String(10))
    anonymous_id: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    # A retracted statement is never deleted: it stays, marked, and is left out of counts.
    retracted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    # the date the correction or retraction was published (retracted_at: when it was entered)
    retracted_on: Mapped[dt.date | None] = mapped_column(Date)
    retracted_on_precision: Mapped[str | None] = mapped_column(String(5))
    # The statement this one is a copy of (same identity, same story: factdb.copies keeps it);
    # NULL for a statement that counts. Not a field of bundles: derived, set by every write path.
    copy_of_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id", ondelete="SET NULL"))

    claim: Mapped[Claim] = relationship(lazy="raise")
    speaker: Mapped[Entity | None] = relationship(lazy="raise", foreign_keys=[speaker_id])
    speaker_affiliation: Mapped[Entity | None] = relationship(lazy="raise", foreign_keys=[speaker_affiliation_id])
    source: Mapped[Source] = relationship(lazy="raise")
    responds_to: Mapped[Statement | None] = relationship(
        remote_side="Statement.id", lazy="raise", foreign_keys=[responds_to_id]
    )
    via: Mapped[list[StatementVia]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="StatementVia.position"
    )
    co_speakers: Mapped[list[StatementSpeaker]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="StatementSpeaker.position"
    )


class StatementSpeaker(Base):
    """A joint speaker of a statement after the first ("CNN and researchers at the Clemson
    Media Forensics Hub found"): the first speaker stays on the statement
    (``statements.speaker_id`` or its anonymous description), the others are here in order
    (position 1, 2, ...), named or anonymous like the first (an anonymous one with its own
    kind and id, revision 0063). Each is counted as a speaker of the claim, unspecified reports
    excepted (:mod:`factdb.counts`); the statement is still one statement (revision 0025)."""

    __tablename__ = "statement_speakers"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position"),
        CheckConstraint(
            "(speaker_id IS NOT NULL AND speaker_description IS NULL) OR "
            "(speaker_id IS NULL AND speaker_description IS NOT NULL)",
            name="has_speaker",
        ),
        # revision 0063: as the first speaker's (Statement.anonymous_kind / anonymous_id)
        CheckConstraint(
            f"anonymous_kind IS NULL OR ({_in('anonymous_kind', vocab.ANONYMOUS_KINDS)} AND speaker_id IS NULL)",
            name="anonymous_kind",
        ),
        CheckConstraint("anonymous_id IS NULL OR speaker_id IS NULL", name="anonymous_id"),
    )

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)
    speaker_description: Mapped[str | None] = mapped_column(Text)
    speaker_affiliation_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="RESTRICT"), index=True
    )
    # an anonymous joint speaker's kind (group, reports) and id within the source (revision 0063)
    anonymous_kind: Mapped[str | None] = mapped_column(String(10))
    anonymous_id: Mapped[str | None] = mapped_column(String(40))


class StatementVia(Base):
    """One link of the chain between speaker and source, in order (0 is nearest the speaker)."""

    __tablename__ = "statement_via"

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "is this entity used anywhere" checks and entity reports
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)

    entity: Mapped[Entity] = relationship(lazy="raise")


class QuoteAnchor(Base):
    """Where a direct quote sits in its source's stored text (W3C TextQuoteSelector)."""

    __tablename__ = "quote_anchors"
    __table_args__ = (CheckConstraint(_in("status", ("found", "ambiguous", "changed", "missing")), name="status"),)

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    exact: Mapped[str | None] = mapped_column(Text)
    prefix: Mapped[str | None] = mapped_column(Text)
    suffix: Mapped[str | None] = mapped_column(Text)
    start_offset: Mapped[int | None] = mapped_column(Integer)
    end_offset: Mapped[int | None] = mapped_column(Integer)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- verdicts -------------------------------------------------------------------------------


class Verdict(Timestamped, Base):
    """A reviewer's conclusion about a claim (ClaimReview), apart from speakers' certainty.

    A verdict rates a claim, or (``statement_id`` set) the claim as one speaker made it in
    one source on one date: LIAR rates Romney's and Obama's words on gay marriage apart, and
    a ClaimReview rates the claim as made by its ``itemReviewed.author``. ``claim_id`` is then
    the statement's claim (the importer and the library keep the two in step).
    """

    __tablename__ = "verdicts"
    __table_args__ = (
        CheckConstraint(_date_pair("reviewed_on"), name="reviewed_on_precision"),
        UniqueConstraint("key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # natural key for idempotent imports: the review URL, or claim+reviewer when there is none
    key: Mapped[str] = mapped_column(String(500))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"), index=True)
    # the statement rated, when the review rates the claim as one speaker made it
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id", ondelete="RESTRICT"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)
    rating: Mapped[str] = mapped_column(String(200))
    rating_value: Mapped[float | None] = mapped_column(Float)
    best_rating: Mapped[float | None] = mapped_column(Float)
    worst_rating: Mapped[float | None] = mapped_column(Float)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_on_precision: Mapped[str | None] = mapped_column(String(5))
    url: Mapped[str | None] = mapped_column(Text)
    # What a ClaimReview says besides the rating (revision 0006), kept so that it goes back out:
    # the reviewer as the review names it (its url and sameAs), the publisher when it is not
    # the reviewer, the people who wrote it, its headline, description, body and language,
    # the rating's explanation, where the claim was made (itemReviewed.name), how the review
    # identifies the claimant (sameAs) and where else the claim appeared.
    reviewer_url: Mapped[str | None] = mapped_column(Text)
    reviewer_same_as: Mapped[list[str] | None] = mapped_column(JSON)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"), index=True)
    authors: Mapped[list[str] | None] = mapped_column(JSON)
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    review_body: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    rating_explanation: Mapped[str | None] = mapped_column(Text)
    # a rating on a scale shared across fact-checkers (ClaimsKG's TRUE / FALSE / MIXTURE / OTHER)
    normalized_rating: Mapped[str | None] = mapped_column(String(50))
    claim_venue: Mapped[str | None] = mapped_column(Text)
    claimant_same_as: Mapped[list[str] | None] = mapped_column(JSON)
    # appearances of the claim other than the statement's own source (URLs, in the review's order)
    appearances: Mapped[list[str] | None] = mapped_column(JSON)
    # factdb's own note: never exported as the review's text
    note: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(lazy="raise")
    statement: Mapped[Statement | None] = relationship(lazy="raise")
    reviewer: Mapped[Entity] = relationship(lazy="raise", foreign_keys=[reviewer_id])
    publisher: Mapped[Entity | None] = relationship(lazy="raise", foreign_keys=[publisher_id])


# --- history --------------------------------------------------------------------------------


class HistoryEntry(Base):
    """One recorded change, written in the same transaction as the change itself."""

    __tablename__ = "history"
    __table_args__ = (
        CheckConstraint(_in("action", vocab.HISTORY_ACTIONS), name="action"),
        # factdb history --source KEY (and an entity's own row): table and row
        Index("ix_history_table_name_row_id", "table_name", "row_id"),
        # only the entries that have one (revision 0066): most have neither
        *(Index(f"ix_history_{column}", column, sqlite_where=text(f"{column} IS NOT NULL"),
                postgresql_where=text(f"{column} IS NOT NULL")) for column in ("entity_id", "linked_claim_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # when the command's transaction began: with actor and command, one change (revision 0080)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    command: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int | None] = mapped_column(Integer)
    row_key: Mapped[str | None] = mapped_column(Text)
    # factdb history CLAIM: every change to a claim and its statements
    claim_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # factdb history --entity NAME: the entity an entities/entity_names/entity_roles entry is about
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # a claim_links entry is filed under the claim it starts from (claim_id); the claim it points
    # to finds it here
    linked_claim_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # PostgreSQL: the authenticated role, by a server default of session_user (revision 0012;
    # SQLite has no roles and no default); factdb never writes it, the editor role may not
    db_user: Mapped[str | None] = mapped_column(String(200))
