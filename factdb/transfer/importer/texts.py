"""The last step of an import that carries or touches source texts: quotes are anchored.

A bundle exported with ``--with-texts`` gives a source its stored ``text`` and the quote
``anchors`` of its statements. Once every statement is in, each such text is stored (as
``factdb source attach-text`` stores it) and every direct quote of the source is checked
against it; the bundle's anchors give the context (prefix, suffix) that picks among several
occurrences of a quote, so the receiving database reaches the statuses of the sending one.
A text already stored with the same SHA-256 whose direct quotes are all anchored is left as
it is. Statements this import adds or changes in a source whose text is already stored are
anchored too (an import used to leave them unchecked).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.models import QuoteAnchor, Source, SourceText, Statement
from factdb.quotes import anchor_statement, attach_text, is_direct
from factdb.transfer.importer.context import ImportContext

__all__ = ["anchor_quotes"]

CHUNK = 2000


def anchor_quotes(session: Session, ctx: ImportContext, highest_statement_id: int) -> None:
    """Store the bundle's source texts and anchor the quotes of the statements concerned:
    every statement of a source given a text, and the statements above
    ``highest_statement_id`` (created by this import) or changed by it in a source with a
    stored text. Counts go to the summary's ``texts`` and ``quotes``."""
    summary = ctx.ledger.summary
    done: set[int] = set()
    for key, (text, anchors, location) in ctx.texts.items():
        source_id = ctx.keys.source_ids.get(key)
        if source_id is None:  # the source record was refused
            continue
        source = session.get(Source, source_id)
        assert source is not None
        by_statement = _anchors_by_statement(session, source_id, anchors, location, ctx)
        if text is None:
            continue  # anchors without a text: used below if the text is already stored
        done.add(source_id)
        stored = session.get(SourceText, source_id)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if stored is not None and stored.sha256 == digest and _all_anchored(session, source_id):
            summary.texts["unchanged"] += 1
            continue
        _seed_contexts(session, by_statement)
        report = attach_text(session, source, text)
        summary.texts["replaced" if report["replaced"] else "stored" if stored is None else "unchanged"] += 1
        for quote in report["quotes"]:
            anchor = session.get(QuoteAnchor, quote["statement_id"])
            summary.quotes[anchor.status if anchor is not None else "missing"] += 1
    for statement in _touched_statements(session, ctx, highest_statement_id, done):
        anchor = anchor_statement(session, statement)
        if anchor is not None:
            summary.quotes[anchor.status] += 1
    session.flush()


def _anchors_by_statement(
    session: Session, source_id: int, anchors: list[dict[str, Any]], location: Any, ctx: ImportContext
) -> dict[int, dict[str, Any]]:
    """The bundle's anchors of one source by statement id; an anchor naming a statement that
    is not a statement of the source is a problem of the import."""
    keys = [anchor["statement"] for anchor in anchors]
    query = select(Statement.key, Statement.id).where(Statement.source_id == source_id, Statement.key.in_(keys))
    ids: dict[str, int] = {row[0]: row[1] for row in session.execute(query)} if keys else {}
    found: dict[int, dict[str, Any]] = {}
    for index, anchor in enumerate(anchors):
        sid = ids.get(anchor["statement"])
        if sid is None:
            ctx.ledger.problem(location.problem(
                f"anchors[{index}].statement",
                f'no statement "{anchor["statement"]}" of this source in the bundle or the database',
            ))  # fmt: skip
            continue
        found[sid] = anchor
    return found


def _all_anchored(session: Session, source_id: int) -> bool:
    """Whether every direct quote of the source has an anchor."""
    statements = session.scalars(select(Statement).where(Statement.source_id == source_id)).all()
    direct = {s.id for s in statements if is_direct(s)}
    anchored = set(session.scalars(select(QuoteAnchor.statement_id).where(QuoteAnchor.statement_id.in_(direct))))
    return direct <= anchored


def _seed_contexts(session: Session, by_statement: dict[int, dict[str, Any]]) -> None:
    """Record the bundle's anchor context of statements that have no anchor yet, so
    re-checking the text picks the occurrence the sending database had fixed."""
    if not by_statement:
        return
    have = set(session.scalars(select(QuoteAnchor.statement_id).where(QuoteAnchor.statement_id.in_(by_statement))))
    for sid, anchor in by_statement.items():
        if sid in have or anchor["status"] != "found":
            continue
        session.add(QuoteAnchor(
            statement_id=sid, status="found", exact=anchor.get("exact"), prefix=anchor.get("prefix"),
            suffix=anchor.get("suffix"), start_offset=anchor.get("start"), end_offset=anchor.get("end"),
        ))  # fmt: skip
    session.flush()


def _touched_statements(
    session: Session, ctx: ImportContext, highest_statement_id: int, done: set[int]
) -> list[Statement]:
    """Statements created or changed by the import, in sources with a stored text (other
    than those just re-checked whole)."""
    if session.execute(select(SourceText.source_id).limit(1)).first() is None:
        return []  # no stored text at all: nothing to anchor (the common case, at once)
    updated = ctx.updated_statements
    rows = session.execute(
        select(Statement.id, Statement.source_id).join(SourceText, SourceText.source_id == Statement.source_id)
    )
    ids = [sid for sid, source_id in rows if source_id not in done and (sid > highest_statement_id or sid in updated)]
    statements: list[Statement] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        statements.extend(session.scalars(select(Statement).where(Statement.id.in_(chunk)).order_by(Statement.id)))
    return statements
