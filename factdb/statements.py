"""Statements: who took which stance on a claim, in which source, when, in which words.

``attribute`` records one; ``retract_statement`` marks one retracted (never deleting it);
``statement_records`` gives the plain dicts that ``claim show`` and ``statement list`` emit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from factdb import history, records, vocab
from factdb.counts import speaker_ref
from factdb.dates import format_partial_date, parse_partial_date, period_end
from factdb.entities import Choose, entity_or_create
from factdb.errors import InUse, InvalidInput
from factdb.keys import statement_key
from factdb.models import Entity, QuoteAnchor, Source, Statement, StatementSpeaker, StatementVia, Verdict, utcnow
from factdb.normalize import CONTROL, check_text
from factdb.quotes import anchor_statement
from factdb.reports.common import load_statements
from factdb.resolver import (
    resolve_claim,
    resolve_entity,
    resolve_source,
    resolve_statement,
)
from factdb.sources import check_key

__all__ = [
    "attribute",
    "attribute_claims",
    "edit_statement",
    "delete_statement",
    "retract_statement",
    "statement_warnings",
    "statement_speaker",
    "statement_records",
    "statement_record",
    "STATEMENT_COLUMNS",
]

STATEMENT_COLUMNS = ("id", "claim", "speaker", "stance", "certainty", "said_on", "source", "quote", "retracted")
# Quotes are kept exactly as given (no stripping, any length); only control characters other
# than tab and newlines are refused (normalize.CONTROL), since they never occur in printed text.
# One-line and length-limited as the importer has them (transfer/schema.py), so that whatever
# is stored exports and imports again.
_VERB_LIMIT: int = Statement.__table__.c.verb.type.length  # type: ignore[attr-defined]
_MULTILINE = ("hedge", "note")


def _choice(value: str, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidInput(f'{field}: "{value[:40]}" is not one of {", ".join(choices)}')
    return value


def check_quote(quote: str) -> str:
    """A quote is stored exactly: refuse only empty text and control characters."""
    if not isinstance(quote, str) or not quote.strip():
        raise InvalidInput("quote: must not be empty")
    bad = CONTROL.search(quote)
    if bad:
        raise InvalidInput(f"quote: contains a control character ({bad.group()!r}); remove it")
    return quote


def _optional(value: str | None, field: str, **kwargs: Any) -> str | None:
    return None if value is None else check_text(value, field, **kwargs)


def attribute(
    session: Session,
    claim: str,
    *,
    source: str,
    stance: str,
    speaker: str | None = None,
    speaker_description: str | None = None,
    affiliation: str | None = None,
    title: str | None = None,
    certainty: str = "unspecified",
    hedge: str | None = None,
    verb: str | None = None,
    quote: str | None = None,
    quote_kind: str | None = None,
    via: list[str] | tuple[str, ...] = (),
    joint: Sequence[JointSpeaker] = (),
    anonymous_kind: str | None = None,
    anonymous_id: str | None = None,
    said_on: str | None = None,
    responds_to: str | None = None,
    note: str | None = None,
    position: str | None = None,
    key: str | None = None,
    create: bool = False,
    create_kind: str | None = None,
    choose: Choose | None = None,
) -> Statement:
    """Record that ``speaker`` (or an anonymous ``speaker_description``) takes ``stance`` on
    ``claim`` in ``source``. Unknown names are refused unless ``create`` (or ``choose``, a prompt) says
    to add them: speakers as persons, affiliations as organizations, via links as media.
    ``joint`` are the joint speakers after the first, in order: a name, or an anonymous
    speaker's (description, affiliation name or None). An anonymous speaker may be a plural
    group or unspecified reports (``anonymous_kind``, :data:`factdb.vocab.ANONYMOUS_KINDS`),
    and an ``anonymous_id`` makes it one speaker with the source's other statements of that id.

    >>> attribute(session, "iran-arms-militias", speaker="Tehran", stance="denies",
    ...           source="afp-2011-07-10")  # doctest: +SKIP
    """
    _choice(stance, "stance", vocab.STANCES)
    _choice(certainty, "certainty", vocab.CERTAINTIES)
    if position is not None:
        _choice(position, "position", vocab.POSITIONS)
    if quote_kind is not None:
        _choice(quote_kind, "quote kind", vocab.QUOTE_KINDS)
    if (speaker is None) == (speaker_description is None):
        raise InvalidInput("Give either a speaker (an entity) or an anonymous speaker's description, not both.")
    description = _optional(speaker_description, "anonymous speaker", max_length=2000)
    anonymous_kind, anonymous_id = _anonymous_fields(description is not None, anonymous_kind, anonymous_id)
    if quote is not None:
        check_quote(quote)
        quote_kind = quote_kind or "direct"
    elif quote_kind is not None:
        raise InvalidInput("quote kind given without a quote")
    said = parse_partial_date(said_on, "said on")
    claim_row = resolve_claim(session, claim)
    source_row = resolve_source(session, source)

    # a role title names whoever held the role when the words were said (or published)
    entity = _entity_resolver(session, said.value if said else source_row.published_on,
                              create=create, create_kind=create_kind, choose=choose)

    speaker_row = entity(speaker, "person") if speaker is not None else None
    affiliation_row = entity(affiliation, "organization") if affiliation else None  # "" as none, as the CLI pairs them
    via_rows = _chain([entity(name, "media") for name in via])
    if key is not None:
        key = check_key(key, "statement")
    else:
        key = statement_key(
            source_key=source_row.key,
            claim_key=claim_row.key,
            speaker=speaker_row.name if speaker_row is not None else None,
            speaker_description=description,
            stance=stance,
            quote=quote,
            said_on=said.iso() if said else None,
        )
    existing = session.scalars(select(Statement.id).where(Statement.key == key)).first()
    if existing is not None:
        raise InvalidInput(
            f'This statement is already recorded as statement {existing} (key "{key}"); '
            "use `statement edit` to change it."
        )
    statement = Statement(
        key=key,
        claim_id=claim_row.id,
        speaker_id=speaker_row.id if speaker_row is not None else None,
        speaker_description=description,
        speaker_affiliation_id=affiliation_row.id if affiliation_row is not None else None,
        speaker_title=_optional(title, "title", max_length=2000),
        stance=stance,
        certainty=certainty,
        hedge=_optional(hedge, "hedge", allow_newlines=True),
        verb=_optional(verb, "verb", max_length=_VERB_LIMIT),
        quote=quote,
        quote_kind=quote_kind,
        said_on=said.value if said else None,
        said_on_precision=said.precision if said else None,
        source_id=source_row.id,
        responds_to_id=resolve_statement(session, responds_to).id if responds_to else None,
        note=_optional(note, "note", allow_newlines=True),
        position=position,
        anonymous_kind=anonymous_kind,
        anonymous_id=anonymous_id,
    )
    statement.via = [StatementVia(position=i, entity_id=e.id) for i, e in enumerate(via_rows)]
    statement.co_speakers = _joint_rows(entity, statement, joint)
    session.add(statement)
    session.flush()
    _anchor(session, statement)
    return statement


def attribute_claims(session: Session, claims: Sequence[str], *, key: str | None = None,
                     **options: Any) -> list[Statement]:
    """One utterance answering several claims (Moscow's "malicious slander" answered two
    accusations): one statement per claim, as :func:`attribute` records it with ``options``,
    sharing ``utterance`` (the first statement's key) when there are several. A given ``key``
    is the first statement's; the others get ``KEY-2``, ``KEY-3`` ... A claim given twice is
    refused."""
    if not claims:
        raise InvalidInput("Give a claim.")
    rows = [resolve_claim(session, claim) for claim in claims]
    seen: set[int] = set()
    for claim, row in zip(claims, rows, strict=True):
        if row.id in seen:
            raise InvalidInput(f'claim "{claim}" is given twice; give each claim once')
        seen.add(row.id)
    statements = [
        attribute(session, claim, key=None if key is None else key if i == 0 else f"{key}-{i + 1}", **options)
        for i, claim in enumerate(claims)
    ]
    if len(statements) > 1:
        for statement in statements:
            statement.utterance = statements[0].key
        session.flush()
    return statements


def _anonymous_fields(anonymous: bool, kind: str | None, anonymous_id: str | None) -> tuple[str | None, str | None]:
    """The anonymous kind and id checked: only for an anonymous speaker. Empty text clears
    them. (Unspecified reports may stand beside other speakers, first or joint: "media
    reports and officials said", revision 0063.)"""
    kind = kind or None
    anonymous_id = check_text(anonymous_id, "anonymous id", max_length=40) if anonymous_id else None
    if kind is not None:
        _choice(kind, "anonymous kind", vocab.ANONYMOUS_KINDS)
    if (kind is not None or anonymous_id is not None) and not anonymous:
        raise InvalidInput("--anonymous-kind and --anon-id describe an anonymous speaker: give --anonymous TEXT")
    return kind, anonymous_id


class AnonymousSpeaker(NamedTuple):
    """An anonymous joint speaker as the caller gives it: the description, the affiliation's
    name, and, as for the first speaker, its kind (group, reports) and id within the source
    (revision 0063); empty text is none."""

    description: str
    affiliation: str | None = None
    kind: str | None = None
    anonymous_id: str | None = None


# A joint speaker as the caller gives it: an entity's name, or an anonymous speaker (an
# AnonymousSpeaker, or the pair (description, affiliation name or None))
JointSpeaker = str | AnonymousSpeaker | tuple[str, str | None]


def _joint_rows(entity: Any, statement: Statement, joint: Sequence[JointSpeaker]) -> list[StatementSpeaker]:
    """The statement_speakers rows of ``joint`` (positions 1, 2, ...); a speaker given twice,
    or again after the first, is refused (one speaker counts once per statement: an anonymous
    id names one speaker within the source, whatever its description)."""
    rows: list[StatementSpeaker] = []
    seen = {speaker_ref(statement.speaker_id, statement.speaker_description, statement.speaker_affiliation_id,
                        statement.anonymous_id, statement.source_id)}
    for position, who in enumerate(joint, start=1):
        if isinstance(who, tuple):
            anonymous = AnonymousSpeaker(*who)
            description = check_text(anonymous.description, "anonymous speaker", max_length=2000)
            kind, anonymous_id = _anonymous_fields(True, anonymous.kind, anonymous.anonymous_id)
            affiliation = entity(anonymous.affiliation, "organization").id if anonymous.affiliation else None
            row = StatementSpeaker(position=position, speaker_description=description,
                                   speaker_affiliation_id=affiliation, anonymous_kind=kind, anonymous_id=anonymous_id)
            label = description if anonymous_id is None else f"{description} ({anonymous_id})"
        else:
            if not who.strip():
                raise InvalidInput("speaker: must not be empty")
            found = entity(who, "person")
            row = StatementSpeaker(position=position, speaker_id=found.id)
            label = found.name
        ref = speaker_ref(row.speaker_id, row.speaker_description, row.speaker_affiliation_id, row.anonymous_id,
                          statement.source_id)
        if ref in seen:
            raise InvalidInput(f'speaker "{label}" is given twice; give each joint speaker once')
        seen.add(ref)
        rows.append(row)
    return rows


def _entity_resolver(
    session: Session, on: dt.date | None, *, create: bool, create_kind: str | None, choose: Choose | None
) -> Any:
    """How ``attribute`` and ``statement edit`` turn a typed speaker, affiliation or via name
    into an entity: any name or alias, a surname, a role held ``on`` the statement's date;
    unknown names created only with ``create`` or at the prompt."""

    def entity(name: str, kind: str) -> Entity:
        return entity_or_create(session, name, kind, create=create, create_kind=create_kind, choose=choose, on=on)

    return entity


def _anchor(session: Session, statement: Statement) -> None:
    """Check a direct quote against its source's stored text, when there is one."""
    anchor_statement(session, statement)


def statement_warnings(session: Session, statement: Statement) -> list[str]:
    """Accepted but worth a look: a statement dated after its source was published; a direct
    quote that its source's stored text does not contain."""
    warnings = []
    source = session.get_one(Source, statement.source_id)
    anchor = session.get(QuoteAnchor, statement.id)
    if anchor is not None and anchor.status == "missing":
        warnings.append(
            f'statement {statement.id}: the quote is not in the stored text of source "{source.key}"; '
            "kept as given (factdb check lists it)."
        )
    if statement.said_on is None or source is None or source.published_on is None:
        return warnings
    if statement.said_on > period_end(source.published_on, source.published_on_precision or "day"):
        said = format_partial_date(statement.said_on, statement.said_on_precision)
        published = format_partial_date(source.published_on, source.published_on_precision)
        warnings.append(
            f'statement {statement.id} is dated {said}, after its source "{source.key}" '
            f"was published ({published}); kept as given."
        )
    return warnings


def statement_speaker(session: Session, statement: Statement) -> str:
    """The speakers' primary names, or anonymous descriptions in brackets, joined as
    :func:`factdb.records.joined_names` ("CNN and Clemson Media Forensics Hub")."""
    def one(speaker: Statement | StatementSpeaker) -> str:
        if speaker.speaker_id is not None:
            return session.get_one(Entity, speaker.speaker_id).name
        # a group, unspecified reports (revisions 0027, 0063)
        return records.speaker_text(records.speaker_record(None, None, speaker.speaker_description,
                                                           speaker.anonymous_kind))

    joint = session.scalars(
        select(StatementSpeaker)
        .where(StatementSpeaker.statement_id == statement.id)
        .order_by(StatementSpeaker.position)
    ).all()
    names = [one(statement)] + [one(row) for row in joint]
    return records.joined_names(names)


def edit_statement(
    session: Session,
    id_or_key: str,
    *,
    speaker: str | None = None,
    anonymous: str | None = None,
    affiliation: str | None = None,
    source: str | None = None,
    claim: str | None = None,
    via: list[str] | tuple[str, ...] | None = None,
    joint: Sequence[JointSpeaker] | None = None,
    anonymous_kind: str | None = None,
    anonymous_id: str | None = None,
    create: bool = False,
    create_kind: str | None = None,
    choose: Choose | None = None,
    **changes: str | None,
) -> Statement:
    """Change fields of a statement: who spoke (``speaker``, or an ``anonymous`` description,
    and the ``affiliation``), ``source``, ``claim``, the ``via`` chain (a list; empty clears
    it), the ``joint`` speakers after the first (a list, as :func:`attribute` takes them;
    empty removes them), ``anonymous_kind`` and ``anonymous_id`` (an empty string clears
    them; a named speaker clears them), stance, certainty, hedge, verb, quote, quote_kind, said_on, title,
    note, responds_to.
    Names resolve as in :func:`attribute` (on the statement's date, after the edit). An empty
    string clears an optional field. The key stays; history records before and after."""
    statement = resolve_statement(session, id_or_key)
    if speaker is not None and anonymous is not None:
        raise InvalidInput("Give --speaker or --anonymous, not both.")
    if speaker is not None and not speaker.strip():
        raise InvalidInput("speaker: must not be empty (give --anonymous TEXT for an unnamed speaker)")
    if anonymous is not None and not anonymous.strip():
        raise InvalidInput("anonymous speaker: must not be empty (give --speaker NAME for a named one)")
    _edit_fields(session, statement, changes)
    if claim is not None:
        statement.claim_id = resolve_claim(session, claim).id
    if source is not None:
        statement.source_id = resolve_source(session, source).id
    source_row = session.get_one(Source, statement.source_id)
    entity = _entity_resolver(session, statement.said_on or source_row.published_on,
                              create=create, create_kind=create_kind, choose=choose)
    if speaker is not None:
        statement.speaker_id = entity(speaker, "person").id
        statement.speaker_description = None
        statement.anonymous_kind = statement.anonymous_id = None
    if anonymous is not None:
        statement.speaker_description = _optional(anonymous, "anonymous speaker", max_length=2000)
        statement.speaker_id = None
    if anonymous_kind is not None or anonymous_id is not None or speaker is not None or anonymous is not None:
        kind = statement.anonymous_kind if anonymous_kind is None else anonymous_kind
        given_id = statement.anonymous_id if anonymous_id is None else anonymous_id
        anonymous_fields = _anonymous_fields(statement.speaker_id is None, kind, given_id)
        statement.anonymous_kind, statement.anonymous_id = anonymous_fields
    if affiliation is not None:
        statement.speaker_affiliation_id = entity(affiliation, "organization").id if affiliation.strip() else None
    if via is not None:
        rows = _chain([entity(name, "media") for name in via])
        loaded = session.scalars(
            select(Statement).where(Statement.id == statement.id).options(selectinload(Statement.via))
        ).one()
        for link in list(loaded.via):
            loaded.via.remove(link)
            session.delete(link)  # recorded in history, as any delete
        session.flush()
        loaded.via.extend(StatementVia(position=i, entity_id=e.id) for i, e in enumerate(rows))
    if joint is not None:
        session.flush()
        loaded = session.scalars(
            select(Statement).where(Statement.id == statement.id).options(selectinload(Statement.co_speakers))
        ).one()
        new_rows = _joint_rows(entity, loaded, joint)
        for old in list(loaded.co_speakers):
            loaded.co_speakers.remove(old)
            session.delete(old)  # recorded in history, as any delete
        session.flush()
        loaded.co_speakers.extend(new_rows)
    session.flush()
    if changes.get("quote") is not None or changes.get("quote_kind") is not None or source is not None:
        _anchor(session, statement)
    return statement


def _edit_fields(session: Session, statement: Statement, changes: dict[str, str | None]) -> None:
    for field, value in changes.items():
        if value is None:
            continue
        clear = isinstance(value, str) and not value.strip()
        if field == "stance":
            statement.stance = _choice(value, "stance", vocab.STANCES)
        elif field == "certainty":
            statement.certainty = _choice(value, "certainty", vocab.CERTAINTIES)
        elif field == "quote_kind":
            statement.quote_kind = None if clear else _choice(value, "quote kind", vocab.QUOTE_KINDS)
        elif field == "quote":
            statement.quote = None if clear else check_quote(value)
            if statement.quote is None:
                statement.quote_kind = None
            elif statement.quote_kind is None:
                statement.quote_kind = "direct"
        elif field == "said_on":
            said = parse_partial_date(value.strip(), "said on")
            statement.said_on = said.value if said else None
            statement.said_on_precision = said.precision if said else None
        elif field == "responds_to":
            target = None if clear else resolve_statement(session, value)
            if target is not None and target.id == statement.id:
                raise InvalidInput("a statement cannot respond to itself")
            statement.responds_to_id = target.id if target is not None else None
        elif field in ("hedge", "verb", "note", "title"):
            column = "speaker_title" if field == "title" else field
            limit = {"verb": _VERB_LIMIT, "title": 2000}.get(field)
            checked = None if clear else check_text(value, field, allow_newlines=field in _MULTILINE, max_length=limit)
            setattr(statement, column, checked)
        else:
            raise InvalidInput(f"statement: cannot edit {field}")


def delete_statement(session: Session, id_or_key: str) -> str:
    """Delete a statement entered by mistake; one that others respond to is refused.
    (A statement its speaker took back is retracted, not deleted.)"""
    statement = resolve_statement(session, id_or_key)
    replies = session.scalars(
        select(Statement.key).where(Statement.responds_to_id == statement.id).order_by(Statement.id)
    ).all()
    if replies:
        raise InUse(
            f'Statement {statement.id} ("{statement.key}") is answered by {len(replies)} statement(s) '
            f"({', '.join(replies[:3])}); change their responds-to first, or retract it instead."
        )
    verdicts = session.scalars(
        select(Verdict.key).where(Verdict.statement_id == statement.id).order_by(Verdict.id)
    ).all()
    if verdicts:
        raise InUse(
            f'Statement {statement.id} ("{statement.key}") is rated by {len(verdicts)} verdict(s) '
            f"({', '.join(verdicts[:3])}); retract it instead."
        )
    anchor = session.get(QuoteAnchor, statement.id)
    if anchor is not None:
        session.delete(anchor)
    # the via links are deleted with it (cascade): load them, relationships never lazy-load
    session.scalars(
        select(Statement).where(Statement.id == statement.id)
        .options(selectinload(Statement.via), selectinload(Statement.co_speakers))
    ).one()
    session.delete(statement)
    session.flush()
    return statement.key


def retract_statement(session: Session, id_or_key: str, reason: str, *, on: str | None = None) -> Statement:
    """Mark a statement retracted, with a reason and, ``on``, the date the correction or
    retraction was published (a partial date); it stays in the database and in ``claim show``."""
    reason = check_text(reason, "reason", allow_newlines=True)
    published = parse_partial_date(on, "retracted on")
    statement = resolve_statement(session, id_or_key)
    if statement.retracted_at is not None:
        raise InvalidInput(f"Statement {statement.id} is already retracted ({statement.retraction_reason}).")
    with history.labelled(session, "retract"):
        statement.retracted_at = utcnow()
        statement.retraction_reason = reason
        statement.retracted_on = published.value if published else None
        statement.retracted_on_precision = published.precision if published else None
    return statement


# --- records ----------------------------------------------------------------------------------


def statement_records(
    session: Session,
    *,
    claim_id: int | None = None,
    claim: str | None = None,
    speaker: str | None = None,
    source: str | None = None,
    statement_id: int | None = None,
    include_retracted: bool = False,
    with_claim: bool = False,
) -> list[dict[str, Any]]:
    """Statements in the one record shape (:func:`factdb.records.statement_record`), in date
    order (the statement's date, else its source's; undated last), filtered by claim, speaker
    (any alias; as speaker, affiliation or via) or source. Retracted statements are left out
    unless ``include_retracted``."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if claim is not None:
        claim_id = resolve_claim(session, claim).id
    if claim_id is not None:
        conditions.append("s.claim_id = :claim_id")
        params["claim_id"] = claim_id
    if speaker is not None:
        conditions.append(
            "(s.speaker_id = :entity_id OR s.speaker_affiliation_id = :entity_id"
            " OR s.id IN (SELECT v.statement_id FROM statement_via v WHERE v.entity_id = :entity_id)"
            # a joint speaker, or a joint anonymous speaker's affiliation (revision 0025)
            " OR s.id IN (SELECT j.statement_id FROM statement_speakers j"
            " WHERE j.speaker_id = :entity_id OR j.speaker_affiliation_id = :entity_id))"
        )
        params["entity_id"] = resolve_entity(session, speaker).id
    if source is not None:
        conditions.append("s.source_id = :source_id")
        params["source_id"] = resolve_source(session, source).id
    if statement_id is not None:
        conditions.append("s.id = :statement_id")
        params["statement_id"] = statement_id
    rows = load_statements(session, conditions, params, include_retracted=include_retracted)
    return [records.statement_record(row, with_claim=with_claim) for row in rows]


def statement_record(session: Session, id_or_key: str) -> dict[str, Any]:
    """One statement as a plain dict, with its claim's key."""
    statement = resolve_statement(session, id_or_key)
    return statement_records(session, statement_id=statement.id, include_retracted=True, with_claim=True)[0]


def _chain(entities: list[Entity]) -> list[Entity]:
    """A via chain with each entity once, where it first appears (the bundle's rule too: a
    chain that names one relay twice says nothing more, and exports then imports the same)."""
    first: dict[int, Entity] = {}
    for entity in entities:
        first.setdefault(entity.id, entity)
    return list(first.values())
