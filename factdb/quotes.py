"""Quote integrity: a direct quote must be found, word for word, in its source's stored text.

Before comparing, both sides are normalized: typographic quotes and apostrophes become
plain ones, every run of white space becomes one space. Surrounding quotation marks of the
quote are ignored, and so is a final ``.``/``,`` (a sentence end in the quote is often a
comma in the article, before "he said"). An ellipsis (``...`` or ``…``) in a quote stands for
left-out words: the parts must appear in order.

A found quote is anchored as a W3C TextQuoteSelector (exact, prefix, suffix) plus character
offsets into the stored text, in the ``quote_anchors`` table.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.models import QuoteAnchor, Source, SourceText, Statement, utcnow

__all__ = [
    "normalize_quote_text", "locate", "Location", "QuoteFinder", "attach_text", "anchor_statement", "is_direct",
]

CONTEXT = 32  # characters of prefix and suffix kept in an anchor
_TRANSLATE = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "ʼ": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_ELLIPSIS = re.compile(r"\s*(?:\.\s*\.\s*\.|…)\s*")


@dataclass(frozen=True)
class Location:
    """Where a quote was found: offsets into the original (not normalized) text."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    previous_space = True  # drops leading white space
    for offset, ch in enumerate(text.translate(_TRANSLATE)):
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        where.append(offset)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def normalize_quote_text(text: str) -> str:
    """``normalize_quote_text("We’re  doing\\nthat")`` == ``"We're doing that"``."""
    return _normalized_with_map(text)[0]


def _parts(quote: str) -> list[str]:
    """The pieces of a quote that must appear in order (split at ellipses)."""
    text = normalize_quote_text(quote)
    # quotation marks around the whole quote are the reporter's, not the speaker's
    while len(text) >= 2 and text[0] in "\"'" and text[-1] in "\"'":
        text = text[1:-1].strip()
    parts = [p.strip() for p in _ELLIPSIS.split(text)]
    parts = [p for p in parts if p]
    if parts:
        parts[-1] = parts[-1].rstrip(".,").rstrip() or parts[-1]
    return parts


class QuoteFinder:
    """One text, normalized once, in which many quotes are looked for (an article's
    proposals): :func:`locate` for each quote without normalizing the text again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalized, self._where = _normalized_with_map(text)

    def find(self, quote: str) -> Location | None:
        """Where ``quote`` is in the text (see :func:`locate`), or None."""
        parts = _parts(quote)
        if not parts:
            return None
        normalized, where, text = self._normalized, self._where, self.text
        position = 0
        first_start = last_end = None
        for part in parts:
            found = normalized.find(part, position)
            if found < 0:
                return None
            if first_start is None:
                first_start = found
            last_end = found + len(part)
            position = last_end
        assert first_start is not None and last_end is not None  # parts is not empty
        start, end = where[first_start], where[last_end - 1] + 1
        return Location(
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT):start],
            suffix=text[end:end + CONTEXT],
        )


def locate(quote: str, text: str) -> Location | None:
    """Find ``quote`` in ``text``; None when it is not there.

    >>> locate("We’re doing that.", "“We have to go. We're doing that,” Panetta said.").exact
    "We're doing that"
    """
    if not _parts(quote):
        return None
    return QuoteFinder(text).find(quote)


def is_direct(statement: Statement | Row[*tuple[Any, ...]]) -> bool:
    """A quote counts as direct (verbatim) unless it is marked a paraphrase."""
    return bool(statement.quote and statement.quote.strip()) and statement.quote_kind != "paraphrase"


def _store_anchor(session: Session, statement: Statement, location: Location | None,
                  anchor: QuoteAnchor | None) -> QuoteAnchor:
    if anchor is None:
        anchor = QuoteAnchor(statement_id=statement.id)
        session.add(anchor)
    anchor.status = "found" if location else "missing"
    anchor.exact = location.exact if location else None
    anchor.prefix = location.prefix if location else None
    anchor.suffix = location.suffix if location else None
    anchor.start_offset = location.start if location else None
    anchor.end_offset = location.end if location else None
    anchor.checked_at = utcnow()
    return anchor


def anchor_statement(session: Session, statement: Statement) -> QuoteAnchor | None:
    """Anchor a statement's direct quote in its source's stored text, if the source has text.

    Called when a statement is added or its quote changed. Returns the anchor (status
    ``found`` or ``missing``), or None when there is nothing to check (no text, no direct
    quote; a stale anchor is then removed).
    """
    session.flush()
    anchor = session.get(QuoteAnchor, statement.id)
    stored = session.get(SourceText, statement.source_id)
    if stored is None or not is_direct(statement):
        if anchor is not None:
            session.delete(anchor)
        return None
    return _store_anchor(session, statement, locate(statement.quote or "", stored.text), anchor)


def attach_text(session: Session, source: Source, text: str) -> dict[str, Any]:
    """Store ``text`` as the source's text and (re)check every direct quote of the source.

    Returns ``{"source", "sha256", "characters", "replaced", "counts", "quotes", "summary"}``;
    each quote is ``{"status", "statement", "statement_id", "offset", "previous_offset",
    "quote"}`` with status ``found`` (first anchoring), ``unchanged``, ``moved`` (found at
    another place than before), ``vanished`` (found before, not now) or ``missing``.
    """
    if "\x00" in text:
        raise InvalidInput(f"text of {source.key}: contains a NUL character; is it a text file?")
    if not text.strip():
        raise InvalidInput(f"text of {source.key}: the file is empty")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    stored = session.get(SourceText, source.id)
    replaced = stored is not None and stored.sha256 != digest
    if stored is None:
        stored = SourceText(source_id=source.id, text=text, sha256=digest)
        session.add(stored)
    elif replaced:
        stored.text, stored.sha256, stored.attached_at = text, digest, utcnow()
    session.flush()

    statements = session.scalars(
        select(Statement).where(Statement.source_id == source.id).order_by(Statement.id)
    ).all()
    ids = [s.id for s in statements]
    anchors = {a.statement_id: a for a in session.scalars(select(QuoteAnchor).where(QuoteAnchor.statement_id.in_(ids)))}
    quotes = []
    for statement in statements:
        if not is_direct(statement):
            continue
        before = anchors.get(statement.id)
        location = locate(statement.quote or "", text)
        was_found = before is not None and before.status == "found"
        previous_offset = before.start_offset if before is not None and was_found else None
        if location is None:
            status = "vanished" if was_found else "missing"
        elif before is None or not was_found:
            status = "found"
        elif (before.start_offset, before.exact) == (location.start, location.exact):
            status = "unchanged"
        else:
            status = "moved"
        _store_anchor(session, statement, location, before)
        quotes.append({
            "status": status,
            "statement": statement.key,
            "statement_id": statement.id,
            "offset": location.start if location else None,
            "previous_offset": previous_offset,
            "quote": statement.quote,
        })
    session.flush()
    counts = {
        s: sum(1 for q in quotes if q["status"] == s) for s in ("found", "unchanged", "moved", "vanished", "missing")
    }
    shown = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    verb = "Replaced the text of" if replaced else "Stored the text of"
    summary = (
        f"{verb} {source.key} ({len(text):,} characters); {len(quotes)} direct quote{'s' if len(quotes) != 1 else ''}"
    )
    summary += f": {shown}." if quotes else "."
    return {
        "source": source.key,
        "sha256": digest,
        "characters": len(text),
        "replaced": replaced,
        "counts": counts,
        "quotes": quotes,
        "summary": summary,
    }
