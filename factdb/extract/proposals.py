"""Statement proposals: an article's attributions resolved against the database.

:func:`propose` reads an article (``find_attributions`` then ``propose_all``) and turns each
attribution into a :class:`Proposal`: the speaker, affiliation and via names resolved through
the one resolver (:func:`factdb.resolver.find_entity_near`, over an
:func:`~factdb.resolver.entity_name_index` of the article's names, read in one query), an unknown named speaker
proposed as a new entity of a guessed kind; the date resolved against the source's
publication date (by :mod:`factdb.extract.dates`, with its note); up to three existing
claims with a score (:func:`factdb.search.claim_candidates`), else a drafted claim from the
content; the quote located in the article (:class:`factdb.quotes.QuoteFinder`).

Nothing here writes, except :func:`accept_proposals`, which records accepted proposals in
the caller's transaction through the library's own paths (``add_entity``, ``add_claim``,
``attach_text``, ``attribute``), so history and quote anchors are as for ``factdb attribute``.
:func:`proposals_bundle` and :func:`write_proposals_yaml` give the same proposals as an
ordinary bundle for ``factdb import``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb import vocab
from factdb.claims import add_claim
from factdb.dates import format_partial_date, parse_partial_date
from factdb.entities import add_entity
from factdb.extract.fields import ProposedFields, propose_all
from factdb.extract.mentions import guess_kind
from factdb.extract.model import Span
from factdb.extract.spans import find_attributions
from factdb.keys import claim_key_for, statement_key
from factdb.models import Claim, Source, Statement
from factdb.models import Entity as EntityRow
from factdb.quotes import QuoteFinder, attach_text
from factdb.resolver import (
    EntityNameIndex,
    NameMatch,
    entity_name_index,
    find_entity,
    find_entity_near,
    resolve_source,
    role_holders,
)
from factdb.search import claim_candidates
from factdb.statements import attribute

__all__ = [
    "Proposal",
    "Article",
    "propose",
    "proposals_bundle",
    "write_proposals_yaml",
    "accept_proposals",
    "draft_claim_text",
    "parse_said_on",
    "sentence_of",
    "Named",
    "CHOSEN_SCORE",
    "NO_COMMENT",
]

CHOSEN_SCORE = 0.6  # a candidate claim at least this similar is proposed; below, a drafted claim
NO_COMMENT = "no-comment"  # the stance of "declined to comment", once the vocabulary has it
DRAFT_LENGTH = 200  # characters of content kept in a drafted claim's text
_NOTE = "proposed by factdb extract"


@dataclass
class Named:
    """A name as proposed: the entity it resolved to (``how``: name, alias, surname, fuzzy), or
    a new entity (``how`` new) of a guessed kind."""

    name: str
    kind: str
    how: str
    printed: str

    @property
    def new(self) -> bool:
        return self.how == "new"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "match": self.how, "as_printed": self.printed}


# Cheap marks for an anonymous speaker as printed (revision 0027): unspecified reports ("media
# reports", "reports said") and plural groups ("officials", "U.S. authorities")
_REPORTS = re.compile(r"^(?:(?:the|some|several|local|media|press|news|unconfirmed|other)\s+)*reports?$", re.I)
_PLURAL_NOUNS = frozenset({
    "officials", "authorities", "sources", "diplomats", "witnesses", "residents", "researchers", "analysts",
    "experts", "investigators", "lawmakers", "officers", "commanders", "people", "activists", "militants",
    "security officials", "intelligence officials", "members", "leaders", "ministers", "spokesmen", "aides",
})  # fmt: skip


def anonymous_kind_of(description: str | None) -> str | None:
    """``reports`` for unspecified reports, ``group`` for a plural group, else None.

    >>> anonymous_kind_of("media reports"), anonymous_kind_of("U.S. officials"), anonymous_kind_of("an official")
    ('reports', 'group', None)
    """
    if not description:
        return None
    text = description.strip()
    if _REPORTS.match(text):
        return "reports"
    words = re.findall(r"[A-Za-z]+", text.lower())
    if words and (words[-1] in _PLURAL_NOUNS or " ".join(words[-2:]) in _PLURAL_NOUNS):
        return "group"
    # "officials who asked not to be named", "U.S. officials familiar with ..."
    if words and words[0] not in ("a", "an", "one") and any(word in _PLURAL_NOUNS for word in words[:3]):
        return "group"
    return None


@dataclass
class Proposal:
    """One proposed statement, editable before it is accepted (the review changes the
    fields in place). ``fields`` keeps what the extractor read, spans included."""

    number: int
    fields: ProposedFields
    speaker: Named | None
    speaker_title: str | None
    speaker_description: str | None
    affiliation: Named | None
    affiliation_printed: str | None
    stance: str
    certainty: str
    hedge: str | None
    verb: str | None
    quote: str | None
    quote_kind: str | None
    quote_offsets: tuple[int, int] | None
    via: list[Named]
    said_on: str | None
    said_on_precision: str | None
    date_note: str | None
    candidates: list[dict[str, Any]]
    claim: str
    claim_text: str
    claim_new: bool
    confidence: float
    notes: list[str] = field(default_factory=list)
    recorded: str | None = None  # the key of the same statement already in the database

    def key(self, source_key: str) -> str:
        """The statement's key, as ``factdb attribute`` and the importer derive it."""
        return statement_key(
            source_key=source_key,
            claim_key=self.claim,
            speaker=self.speaker.name if self.speaker else None,
            speaker_description=self.speaker_description if self.speaker is None else None,
            stance=self.stance,
            quote=self.quote,
            said_on=self.said_on,
        )

    @property
    def anonymous_kind(self) -> str | None:
        """``group`` or ``reports`` for an anonymous speaker as printed (:func:`anonymous_kind_of`)."""
        return anonymous_kind_of(self.speaker_description) if self.speaker is None else None

    @property
    def who(self) -> str:
        if self.speaker is not None:
            return self.speaker.name
        if self.speaker_description:
            return f"[{self.speaker_description}]"
        return "(no speaker)"

    @property
    def complete(self) -> bool:
        """A statement needs a speaker or an anonymous description."""
        return self.speaker is not None or bool(self.speaker_description)

    def as_dict(self, source_key: str | None = None) -> dict[str, Any]:
        """The proposal JSON shape (README "Extraction")."""
        a = self.fields.attribution
        return {
            "n": self.number,
            "key": self.key(source_key) if source_key and self.complete else None,
            "recorded": self.recorded,
            "spans": {
                "source": a.source.as_list() if a.source else None,
                "cue": a.cue.as_list(),
                "content": a.content.as_list(),
                "content_parts": [p.as_list() for p in a.content_parts],
            },
            "kind": a.kind,
            "speaker": self.speaker.as_dict() if self.speaker else None,
            "speaker_mention": self.fields.speaker_mention,
            "speaker_resolved_by": self.fields.speaker_resolved_by,
            "speaker_title": self.speaker_title,
            "speaker_description": self.speaker_description,
            "anonymous_kind": self.anonymous_kind,
            "speaker_affiliation": self.affiliation.as_dict() if self.affiliation else None,
            "affiliation_as_printed": self.affiliation_printed,
            "stance": self.stance,
            "stance_because": self.fields.stance_because,
            "certainty": self.certainty,
            "hedge": self.hedge,
            "verb": self.verb,
            "quote": self.quote,
            "quote_kind": self.quote_kind,
            "quote_partial": self.fields.quote_partial,
            "quote_offsets": list(self.quote_offsets) if self.quote_offsets else None,
            "via": [v.as_dict() for v in self.via],
            "said_on": self.said_on,
            "said_on_precision": self.said_on_precision,
            "date_note": self.date_note,
            "claim": {"key": self.claim, "text": self.claim_text, "new": self.claim_new},
            "claim_candidates": list(self.candidates),
            "confidence": self.confidence,
            "notes": list(self.notes),
        }


@dataclass
class Article:
    """An article's proposals, with what they were read against."""

    text: str
    source: str | None
    outlet: str | None
    published_on: str | None
    proposals: list[Proposal]
    omitted: int = 0  # "declined to comment" proposals left out (no such stance in the vocabulary)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "outlet": self.outlet,
            "published_on": self.published_on,
            "characters": len(self.text),
            "proposals": [p.as_dict(self.source) for p in self.proposals],
        }


# --- proposing --------------------------------------------------------------------------------


class _Names:
    """The article's names resolved once each (the index is read once, not per proposal)."""

    def __init__(self, session: Session, printed: Iterable[str]) -> None:
        self.index: EntityNameIndex = entity_name_index(session, printed)
        self._seen: dict[tuple[str, str], Named | None] = {}

    def role_holder(self, session: Session, description: str, on: dt.date | None) -> Named | None:
        """The one entity holding the role a definite description names ("Iran's foreign
        ministry spokesman", "the defence secretary") on the date, or None. An indefinite one
        ("a spokesman") may be anyone with that title: never resolved."""
        text = " ".join(description.split())
        if re.match(r"(?:a|an|one|some|two|three|several|many)\b", text, re.I) or " who " in f" {text} ":
            return None
        key = ("role", f"{text}|{on}")
        if key not in self._seen:
            holders = role_holders(session, text, on=on)
            self._seen[key] = Named(holders[0].name, holders[0].kind, "role", text) if len(holders) == 1 else None
        return self._seen[key]

    def entity(self, printed: str, role: str, kind_hint: str | None = None) -> Named | None:
        """``role``: speaker (a new entity when unknown), via (new too) or affiliation (only if known)."""
        key = (role, printed)
        if key in self._seen:
            return self._seen[key]
        match: NameMatch | None = find_entity_near(self.index, printed, person=None if role == "speaker" else False)
        found: Named | None
        if match is not None:
            found = Named(match.entity, match.kind, match.how, printed)
        elif role == "affiliation":
            found = None
        else:
            kind = kind_hint or guess_kind(printed)
            if role == "via" and kind in ("person", "other"):
                kind = "media"
            found = Named(" ".join(printed.split()), kind, "new", printed)
        self._seen[key] = found
        return found


_NOT_A_NAME = frozenset({"a", "an", "the", "his", "her", "its", "their", "our", "my", "this", "that", "one", "some"})


def _is_name(printed: str) -> bool:
    """A via link must be an entity's name ("NBC News"), not a description ("his spokesman")."""
    words = printed.split()
    return bool(words) and printed[:1].isupper() and (words[0].lower() not in _NOT_A_NAME or
                                                      any(w[:1].isupper() for w in words[1:]))


def _words(content: str) -> str:
    """A content's words on one line, without a leading "that" and the marks around them."""
    words = " ".join(content.split()).strip(" ,;:")
    words = re.sub(r"^(?:that|whether)\s+", "", words, flags=re.I)
    return words.strip("“”\"‘’'«» ,").rstrip(".,;:") or content.strip()


def draft_claim_text(content: str) -> str:
    """A claim's text drafted from a content: its words, the first letter capitalised, cut
    at a word near ``DRAFT_LENGTH``."""
    words = _words(content)
    if len(words) > DRAFT_LENGTH:
        words = words[:DRAFT_LENGTH].rsplit(" ", 1)[0] + " …"
    return words[:1].upper() + words[1:] if words else content.strip()


def _quote_fields(f: ProposedFields, finder: QuoteFinder) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """(quote, quote kind, offsets of the quote in the article)."""
    if f.quote:
        quote, kind = f.quote, f.quote_kind
    else:  # a paraphrase: the reported words, as the seed statements keep them
        quote, kind = _words(f.attribution.content.text), "paraphrase"
    if kind != "direct":  # a paraphrase stands for its whole content
        content = f.attribution.content
        return quote, kind, (content.start, content.end)
    location = finder.find(quote)
    return quote, kind, (location.start, location.end) if location else None


def propose(
    session: Session,
    text: str,
    source: str | Source | None = None,
    *,
    candidates: int = 3,
) -> Article:
    """The statement proposals of one article, in text order.

    ``source`` (a key or a Source row) gives the publication date for relative dates and
    the outlet, which speaks when the text names nobody; without it no date is inferred.
    """
    source_row = source if isinstance(source, Source) or source is None else None
    if isinstance(source, str):
        source_row = resolve_source(session, source)
    outlet = published = precision = None
    if source_row is not None:
        outlet_entity = session.get(EntityRow, source_row.outlet_id) if source_row.outlet_id is not None else None
        outlet = outlet_entity.name if outlet_entity is not None else None
        published, precision = source_row.published_on, source_row.published_on_precision
    fields = propose_all(text, find_attributions(text), published_on=published,
                         published_precision=precision, outlet=outlet)
    printed = {n for f in fields for n in (f.speaker, f.speaker_affiliation, *f.via) if n}
    names = _Names(session, printed)
    finder = QuoteFinder(text)
    claims_seen: dict[str, list[dict[str, Any]]] = {}
    proposals: list[Proposal] = []
    omitted = 0
    for f in sorted(fields, key=lambda f: (f.attribution.cue.start, f.attribution.content.start)):
        stance = f.stance
        if stance is None:
            if NO_COMMENT not in vocab.STANCES:
                omitted += 1
                continue
            stance = NO_COMMENT
        proposals.append(
            _proposal(session, len(proposals) + 1, f, stance, names, finder, claims_seen, candidates, published)
        )
    if source_row is not None:
        _mark_recorded(session, proposals, source_row.key)
    published_text = None
    if source_row is not None and source_row.published_on is not None:
        published_text = format_partial_date(source_row.published_on, source_row.published_on_precision)
    return Article(text, source_row.key if source_row else None, outlet, published_text, proposals, omitted)


def _proposal(
    session: Session,
    number: int,
    f: ProposedFields,
    stance: str,
    names: _Names,
    finder: QuoteFinder,
    claims_seen: dict[str, list[dict[str, Any]]],
    limit: int,
    published_on: dt.date | None,
) -> Proposal:
    notes = list(f.notes)
    speaker = names.entity(f.speaker, "speaker", f.speaker_kind) if f.speaker else None
    title = f.speaker_title
    if speaker is None and f.speaker_description:
        speaker = names.role_holder(session, f.speaker_description, f.said_on or published_on)
        if speaker is not None:
            title = title or f.speaker_description
            notes.append(f"'{f.speaker_description}' read as {speaker.name}, who held that role then")
    affiliation = None
    if f.speaker_affiliation and speaker is None:
        affiliation = names.entity(f.speaker_affiliation, "affiliation")
        if affiliation is None:
            notes.append(f"affiliation '{f.speaker_affiliation}' is not a known entity: left out")
    via = []
    for name in f.via:
        if not _is_name(name):
            notes.append(f"relayed by '{name}': not a name, left out of via")
            continue
        link = names.entity(name, "via")
        if link is not None:
            via.append(link)
    via = [v for i, v in enumerate(via) if all(v.name != w.name for w in via[:i])
           and (speaker is None or v.name != speaker.name)]
    quote, quote_kind, offsets = _quote_fields(f, finder)
    if quote_kind == "direct" and offsets is None:
        notes.append("the quote was not found word for word in the article")
    content = f.attribution.content.text
    found = claims_seen.get(content)
    if found is None:
        found = claim_candidates(session, content, limit=limit) if limit else []
        claims_seen[content] = found
    if found and found[0]["score"] >= CHOSEN_SCORE:
        claim, claim_text, claim_new = found[0]["key"], found[0]["text"], False
    else:
        claim_text = draft_claim_text(content)
        claim, claim_new = claim_key_for(claim_text), True
    confidence = f.confidence
    if speaker is not None and speaker.how in ("new", "fuzzy", "role"):
        confidence *= 0.9
    return Proposal(
        number=number,
        fields=f,
        speaker=speaker,
        speaker_title=title,
        speaker_description=f.speaker_description if speaker is None else None,
        affiliation=affiliation,
        affiliation_printed=f.speaker_affiliation,
        stance=stance,
        certainty=f.certainty,
        hedge=f.hedge,
        verb=f.verb,
        quote=quote,
        quote_kind=quote_kind,
        quote_offsets=offsets,
        via=via,
        said_on=f.said_on_text,
        said_on_precision=f.said_on_precision,
        date_note=f.date_note,
        candidates=found,
        claim=claim,
        claim_text=claim_text,
        claim_new=claim_new,
        confidence=round(confidence, 3),
        notes=notes,
    )


def _mark_recorded(session: Session, proposals: list[Proposal], source_key: str) -> None:
    keys = {p.key(source_key): p for p in proposals if p.complete}
    if not keys:
        return
    for key in session.scalars(select(Statement.key).where(Statement.key.in_(list(keys)))):
        keys[key].recorded = key


# --- the bundle -------------------------------------------------------------------------------


def _statement_record(p: Proposal, source_key: str) -> dict[str, Any]:
    note = [_NOTE]
    if p.date_note:
        note.append(f"date {p.date_note}")
    record: dict[str, Any] = {
        "key": p.key(source_key),
        "claim": p.claim,
        "speaker": p.speaker.name if p.speaker else None,
        "speaker_description": p.speaker_description if p.speaker is None else None,
        "speaker_affiliation": p.affiliation.name if p.affiliation and p.speaker is None else None,
        "speaker_title": p.speaker_title,
        "anonymous_kind": p.anonymous_kind,
        "stance": p.stance,
        "certainty": p.certainty,
        "hedge": p.hedge,
        "verb": p.verb,
        "quote": p.quote,
        "quote_kind": p.quote_kind if p.quote else None,
        "via": [v.name for v in p.via] or None,
        "said_on": p.said_on,
        "source": source_key,
        "note": "; ".join(note),
    }
    return {k: v for k, v in record.items() if v is not None}


def _new_entities(proposals: Iterable[Proposal]) -> list[Named]:
    out: dict[str, Named] = {}
    for p in proposals:
        for e in [p.speaker, *p.via]:
            if e is not None and e.new and e.name not in out:
                out[e.name] = e
    return list(out.values())


def proposals_bundle(proposals: Iterable[Proposal], source_key: str) -> dict[str, list[dict[str, Any]]]:
    """An ordinary bundle (``factdb.transfer.schema``): the new entities, the drafted claims
    and a statement per complete proposal (one with a speaker or a description)."""
    chosen = [p for p in proposals if p.complete]
    claims: dict[str, dict[str, Any]] = {}
    for p in chosen:
        if p.claim_new and p.claim not in claims:
            claims[p.claim] = {"key": p.claim, "text": p.claim_text, "note": _NOTE}
    return {
        "entities": [{"name": e.name, "kind": e.kind, "note": _NOTE} for e in _new_entities(chosen)],
        "claims": list(claims.values()),
        "statements": [_statement_record(p, source_key) for p in chosen],
    }


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100_000)


def _comment(text: str, indent: str = "    ") -> str:
    return "".join(f"{indent}# {line}\n" for line in text.splitlines())


def write_proposals_yaml(article: Article, stream: IO[str], *, header: list[str] | None = None) -> dict[str, int]:
    """The bundle of :func:`proposals_bundle` as YAML, with a comment wherever a choice is
    open: the other claim candidates, a guessed entity kind, a near-spelling match, an
    affiliation left out, what each statement was read from. Returns the counts written."""
    assert article.source is not None
    bundle = proposals_bundle(article.proposals, article.source)
    for line in header or []:
        stream.write(f"# {line}\n" if line else "#\n")
    stream.write("\n")
    stream.write("entities:\n" if bundle["entities"] else "entities: []\n")
    for e, record in zip(_new_entities(p for p in article.proposals if p.complete), bundle["entities"], strict=True):
        stream.write(_comment(f"new entity: '{e.printed}' is not in the database; kind guessed ({e.kind})", "  "))
        stream.write(_indent(_dump([record])))
    stream.write("\nclaims:\n" if bundle["claims"] else "\nclaims: []\n")
    for record in bundle["claims"]:
        users = [p.number for p in article.proposals if p.complete and p.claim == record["key"]]
        stream.write(_comment(f"drafted from the content of proposal {', '.join(map(str, users))}: reword it "
                              "neutrally, or point its statements at an existing claim and delete it", "  "))
        stream.write(_indent(_dump([record])))
    stream.write("\nstatements:\n" if bundle["statements"] else "\nstatements: []\n")
    complete = [p for p in article.proposals if p.complete]
    for p, record in zip(complete, bundle["statements"], strict=True):
        stream.write(_comment(_why(p), "  "))
        stream.write(_indent(_dump([record])))
    skipped = [p for p in article.proposals if not p.complete]
    for p in skipped:
        a = p.fields.attribution
        stream.write(_comment(f"proposal {p.number} left out: no speaker for '{a.cue.text}' at {a.cue.start}", "  "))
    return {"entities": len(bundle["entities"]), "claims": len(bundle["claims"]),
            "statements": len(bundle["statements"])}


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def _why(p: Proposal) -> str:
    a = p.fields.attribution
    lines = [f"proposal {p.number} (confidence {p.confidence:.2f}): {a.kind} content at {a.content.start}-"
             f"{a.content.end}, cue '{a.cue.text}'" + (f", source '{a.source.text}'" if a.source else "")]
    if p.recorded:
        lines.append(f"already in the database as {p.recorded}: importing it again changes nothing")
    if p.speaker is not None and p.speaker.how != "name":
        how = {"alias": "an alias of", "surname": "the surname of", "fuzzy": "spelled nearly like",
               "role": "the role then held by", "new": "a new entity:"}[p.speaker.how]
        lines.append(f"speaker '{p.speaker.printed}' is {how} {p.speaker.name}")
    if p.fields.speaker_resolved_by in ("pronoun", "surname", "title", "relative", "quoted"):
        lines.append(f"'{p.fields.speaker_mention}' read as {p.who} ({p.fields.speaker_resolved_by})")
    if p.affiliation is None and p.affiliation_printed and p.speaker is None:
        lines.append(f"affiliation '{p.affiliation_printed}' is not a known entity: left out")
    lines.append(f"stance {p.stance}: {p.fields.stance_because}")
    others = [c for c in p.candidates if c["key"] != p.claim]
    if p.claim_new and p.candidates:
        lines.append("no candidate scored " + f"{CHOSEN_SCORE:.2f} or more; candidates:")
    elif others:
        lines.append(f"claim {p.claim} scored {p.candidates[0]['score']:.2f}; other candidates:")
    for c in (p.candidates if p.claim_new else others):
        lines.append(f"  {c['key']} ({c['score']:.2f}): {c['text'][:100]}")
    lines.extend(p.notes)
    return "\n".join(lines)


# --- accepting --------------------------------------------------------------------------------


def accept_proposals(session: Session, article: Article, proposals: Iterable[Proposal]) -> dict[str, Any]:
    """Record accepted proposals in the caller's transaction (one transaction, with history):
    new entities and drafted claims added, each statement through
    :func:`factdb.statements.attribute`, then the article text attached to the source (every
    direct quote of the source anchored in it, :func:`factdb.quotes.attach_text`).
    A proposal already recorded is left as it is. Returns what was done."""
    if article.source is None:
        raise ValueError("accept_proposals needs the article's source")
    source = resolve_source(session, article.source)
    accepted = [p for p in proposals if p.complete]
    entities = claims = 0
    for e in _new_entities(accepted):
        if find_entity(session, e.name) is None:
            add_entity(session, e.name, e.kind, note=_NOTE)
            entities += 1
    done: list[Statement] = []
    unchanged = 0
    for p in accepted:
        if p.claim_new and session.scalars(select(Claim.id).where(Claim.key == p.claim)).first() is None:
            add_claim(session, p.claim_text, key=p.claim, note=_NOTE)
            claims += 1
        key = p.key(source.key)
        if session.scalars(select(Statement.id).where(Statement.key == key)).first() is not None:
            unchanged += 1
            continue
        record = _statement_record(p, source.key)
        done.append(attribute(
            session,
            p.claim,
            source=source.key,
            stance=p.stance,
            speaker=record.get("speaker"),
            speaker_description=record.get("speaker_description"),
            anonymous_kind=record.get("anonymous_kind"),
            affiliation=record.get("speaker_affiliation"),
            title=p.speaker_title,
            certainty=p.certainty,
            hedge=p.hedge,
            verb=p.verb,
            quote=p.quote,
            quote_kind=record.get("quote_kind"),
            via=[v.name for v in p.via],
            said_on=p.said_on,
            note=record["note"],
            key=key,
        ))
    # last, so that its summary counts the new direct quotes (it anchors every one of the source)
    attached = attach_text(session, source, article.text)
    return {
        "statements": len(done),
        "unchanged": unchanged,
        "entities": entities,
        "claims": claims,
        "text": attached["summary"],
        "ids": [s.id for s in done],
    }


def parse_said_on(text: str) -> tuple[str | None, str | None]:
    """A date typed in the review (YYYY-MM-DD, YYYY-MM, YYYY or empty) as (ISO text, precision)."""
    parsed = parse_partial_date(text.strip() or None, "date")
    return (parsed.iso(), parsed.precision) if parsed else (None, None)


def sentence_of(text: str, span: Span) -> tuple[int, int]:
    """The sentence(s) around a span: from the last sentence end before it to the next after."""
    start = max(text.rfind(". ", 0, span.start), text.rfind("\n", 0, span.start))
    start = 0 if start < 0 else start + 1
    ends = [i for i in (text.find(". ", span.end), text.find("\n", span.end)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while start < span.start and text[start].isspace():
        start += 1
    return start, end

