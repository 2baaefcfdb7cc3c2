"""Claims: propositions people assert or dispute, with tags and typed links; merge of duplicates.

A merged claim's key stops resolving: claims have no alias table (the schema is shared and
fixed). The merge is recorded in history with the old key, so `history` still finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from factdb import history, vocab
from factdb.errors import InUse, InvalidInput, NotFound
from factdb.keys import slugify
from factdb.models import Claim, ClaimLink, ClaimTag, Statement, Verdict
from factdb.normalize import check_text, normalize_tag
from factdb.resolver import resolve_claim
from factdb.sources import check_key
from factdb.statements import statement_records
from factdb.verdicts import verdict_records

__all__ = [
    "add_claim",
    "edit_claim",
    "delete_claim",
    "link_claims",
    "unlink_claims",
    "merge_claims",
    "claim_record",
    "claim_rows",
    "CLAIM_COLUMNS",
]

CLAIM_COLUMNS = ("key", "text", "tags", "statements", "supporting", "opposing")


def _loaded(session: Session, key_or_id: str | int) -> Claim:
    claim = resolve_claim(session, key_or_id)
    query = select(Claim).where(Claim.id == claim.id).options(selectinload(Claim.tags))
    return session.scalars(query.execution_options(populate_existing=True)).one()


def add_claim(
    session: Session,
    text: str,
    *,
    key: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    note: str | None = None,
) -> Claim:
    """Record a claim; without ``key`` one is made from the text (``iran-supplies-weapons-...``)."""
    text = check_text(text, "claim text", allow_newlines=True)
    key = check_key(key, "claim") if key is not None else slugify(text)
    existing = session.scalars(select(Claim).where(Claim.key == key)).first()
    if existing is not None:
        raise InvalidInput(f'A claim with key "{key}" already exists (claim {existing.id}): "{existing.text[:80]}"')
    claim = Claim(key=key, text=text, note=check_text(note, "note", allow_newlines=True) if note else None)
    claim.tags = [ClaimTag(tag=t) for t in dict.fromkeys(normalize_tag(t) for t in tags)]
    session.add(claim)
    session.flush()
    return claim


def edit_claim(
    session: Session,
    key_or_id: str,
    *,
    text: str | None = None,
    new_key: str | None = None,
    add_tags: list[str] | tuple[str, ...] = (),
    remove_tags: list[str] | tuple[str, ...] = (),
    note: str | None = None,
) -> Claim:
    """Change a claim's text, key, tags or note."""
    claim = _loaded(session, key_or_id)
    if text is not None:
        claim.text = check_text(text, "claim text", allow_newlines=True)
    if new_key is not None and new_key != claim.key:
        new_key = check_key(new_key, "claim")
        other = session.scalars(select(Claim).where(Claim.key == new_key)).first()
        if other is not None:
            raise InvalidInput(f'A claim with key "{new_key}" already exists (claim {other.id})')
        claim.key = new_key
    have = {t.tag: t for t in claim.tags}
    for tag in remove_tags:
        tag = normalize_tag(tag)
        if tag not in have:
            raise NotFound(f'tag of claim "{claim.key}"', tag, sorted(have))
        claim.tags.remove(have.pop(tag))
    for tag in add_tags:
        tag = normalize_tag(tag)
        if tag not in have:
            have[tag] = ClaimTag(tag=tag)
            claim.tags.append(have[tag])
    if note is not None:
        claim.note = check_text(note, "note", allow_newlines=True) if note.strip() else None
    session.flush()
    return claim


def _links_of(session: Session, claim_id: int) -> list[ClaimLink]:
    query = select(ClaimLink).where(or_(ClaimLink.from_claim_id == claim_id, ClaimLink.to_claim_id == claim_id))
    return list(session.scalars(query.order_by(ClaimLink.id)))


def delete_claim(session: Session, key_or_id: str) -> str:
    """Delete a claim without statements or verdicts (its tags and links go with it)."""
    claim = _loaded(session, key_or_id)
    users = []
    for noun, model in (("statement", Statement), ("verdict", Verdict)):
        keys = session.scalars(select(model.key).where(model.claim_id == claim.id).order_by(model.id)).all()
        if keys:
            users.append(f"{len(keys)} {noun}(s) ({', '.join(keys[:3])}{', ...' if len(keys) > 3 else ''})")
    if users:
        raise InUse(
            f'Claim "{claim.key}" is still used by {"; ".join(users)}. '
            "Merge it into another claim (`claim merge`) or delete those first."
        )
    for link in _links_of(session, claim.id):
        session.delete(link)
    session.flush()  # links first: the ORM does not know they depend on the claim
    session.delete(claim)
    session.flush()
    return claim.key


def _check_link_kind(kind: str) -> str:
    if kind not in vocab.CLAIM_LINK_KINDS:
        raise InvalidInput(f'link kind: "{kind}" is not one of {", ".join(vocab.CLAIM_LINK_KINDS)}')
    return kind


def link_claims(session: Session, from_key: str, kind: str, to_key: str) -> None:
    """``link_claims(session, "a", "contradicts", "b")``: a typed link from one claim to another."""
    _check_link_kind(kind)
    source, target = resolve_claim(session, from_key), resolve_claim(session, to_key)
    if source.id == target.id:
        raise InvalidInput(f'A claim cannot be linked to itself ("{source.key}")')
    query = select(ClaimLink).where(
        ClaimLink.from_claim_id == source.id, ClaimLink.to_claim_id == target.id, ClaimLink.kind == kind
    )
    if session.scalars(query).first() is not None:
        raise InvalidInput(f'"{source.key}" already {kind} "{target.key}"')
    session.add(ClaimLink(from_claim_id=source.id, to_claim_id=target.id, kind=kind))
    session.flush()


def unlink_claims(session: Session, from_key: str, kind: str, to_key: str) -> None:
    _check_link_kind(kind)
    source, target = resolve_claim(session, from_key), resolve_claim(session, to_key)
    query = select(ClaimLink).where(
        ClaimLink.from_claim_id == source.id, ClaimLink.to_claim_id == target.id, ClaimLink.kind == kind
    )
    link = session.scalars(query).first()
    if link is None:
        raise NotFound("link", f"{source.key} {kind} {target.key}")
    session.delete(link)
    session.flush()


def _referring(session: Session, claim_id: int) -> Iterator[tuple[str, Sequence[Statement] | Sequence[Verdict]]]:
    """The statements, then the verdicts, on a claim (each loaded when the caller asks for it)."""
    yield "statements", session.scalars(select(Statement).where(Statement.claim_id == claim_id)).all()
    yield "verdicts", session.scalars(select(Verdict).where(Verdict.claim_id == claim_id)).all()


def merge_claims(
    session: Session, loser_key: str, winner_key: str, *, confirm: Callable[[str], bool] | None = None
) -> Claim:
    """Merge a duplicate claim into another: statements, tags, links and verdicts move to the
    winner, the loser is deleted, and history records its key and text (label "merge").

    Two claims linked ``contradicts`` are opposites, seldom duplicates: the merge goes ahead
    only when ``confirm(question)`` says yes (without ``confirm`` it is refused)."""
    loser, winner = _loaded(session, loser_key), _loaded(session, winner_key)
    if loser.id == winner.id:
        raise InvalidInput(f'"{loser_key}" and "{winner_key}" are the same claim')
    opposed = [
        link for link in _links_of(session, loser.id)
        if link.kind == "contradicts" and winner.id in (link.from_claim_id, link.to_claim_id)
    ]  # fmt: skip
    if opposed:
        question = (
            f'Claim "{loser.key}" is linked as contradicting "{winner.key}": merging makes one claim of '
            "both sides. Merge anyway?"
        )
        if confirm is None or not confirm(question):
            raise InvalidInput(
                f'Not merged: "{loser.key}" and "{winner.key}" are linked as contradicting each other; '
                "confirm the merge (--yes in a script) if they really are one claim."
            )
    before = history.snapshot(loser)
    moved: dict[str, int] = {}
    with history.labelled(session, "merge"):
        for name, rows in _referring(session, loser.id):
            for row in rows:
                row.claim_id = winner.id
            moved[name] = len(rows)
        have = {t.tag for t in winner.tags}
        for tag in list(loser.tags):
            if tag.tag not in have:
                winner.tags.append(ClaimTag(tag=tag.tag))
                have.add(tag.tag)
        existing = {(link.from_claim_id, link.to_claim_id, link.kind) for link in _links_of(session, winner.id)}
        links = 0
        for link in _links_of(session, loser.id):
            start, end = (winner.id if e == loser.id else e for e in (link.from_claim_id, link.to_claim_id))
            if start == end or (start, end, link.kind) in existing:
                session.delete(link)  # a link between the two duplicates, or one the winner has
                continue
            link.from_claim_id, link.to_claim_id = start, end
            existing.add((start, end, link.kind))
            links += 1
        moved["links"] = links
        if loser.note and loser.note != winner.note:
            winner.note = f"{winner.note}\n{loser.note}" if winner.note else loser.note
        session.flush()
        session.delete(loser)
        session.flush()
    history.record(
        session,
        "merge",
        "claims",
        row_id=winner.id,
        row_key=winner.key,
        claim_id=winner.id,
        before={"merged": before},
        after={"into": winner.key, "moved": moved},
    )
    return winner


# --- records ----------------------------------------------------------------------------------


def _link_records(session: Session, claim_id: int) -> list[dict[str, Any]]:
    links = _links_of(session, claim_id)
    ids = {link.from_claim_id for link in links} | {link.to_claim_id for link in links}
    keys = dict(session.execute(select(Claim.id, Claim.key).where(Claim.id.in_(ids))).all()) if ids else {}
    records = []
    for link in links:
        outgoing = link.from_claim_id == claim_id
        other = link.to_claim_id if outgoing else link.from_claim_id
        records.append({"kind": link.kind, "direction": "outgoing" if outgoing else "incoming", "claim": keys[other]})
    return records


def claim_record(session: Session, key_or_id: str, *, include_retracted: bool = False) -> dict[str, Any]:
    """The claim with its statements (see README "daily use" for the shape)."""
    claim = _loaded(session, key_or_id)
    return {
        "id": claim.id,
        "key": claim.key,
        "text": claim.text,
        "tags": [t.tag for t in claim.tags],
        "note": claim.note,
        "links": _link_records(session, claim.id),
        "statements": statement_records(session, claim_id=claim.id, include_retracted=include_retracted),
        "verdicts": verdict_records(session, claim_id=claim.id),
    }


def claim_rows(session: Session, *, tag: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Every claim (the first ``limit`` by key) with its tags and counts of current
    (unretracted) statements per side: the counts the reports show (maintained on every
    write, :mod:`factdb.counts`)."""
    query = select(Claim).options(selectinload(Claim.tags)).order_by(Claim.key).limit(limit)
    if tag is not None:
        query = query.where(Claim.id.in_(select(ClaimTag.claim_id).where(ClaimTag.tag == normalize_tag(tag))))
    rows = []
    for claim in session.scalars(query):
        rows.append(
            {
                "id": claim.id,
                "key": claim.key,
                "text": claim.text,
                "tags": [t.tag for t in claim.tags],
                "note": claim.note,
                "statements": claim.support_statements + claim.oppose_statements,
                "supporting": claim.support_statements,
                "opposing": claim.oppose_statements,
            }
        )
    return rows
