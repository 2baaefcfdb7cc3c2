"""Quote integrity: a direct quote must be found, word for word, in its source's stored text.

Before comparing, both sides are normalized: typographic quotes and apostrophes become
plain ones, every run of white space becomes one space. Surrounding quotation marks of the
quote are ignored, and so is a final ``.``/``,`` (a sentence end in the quote is often a
comma in the article, before "he said"). An ellipsis (``...`` or ``…``) in a quote stands for
left-out words: the parts must appear in order.

A found quote is anchored as a W3C TextQuoteSelector (exact, prefix, suffix) plus character
offsets into the stored text, in the ``quote_anchors`` table, with a status:

- ``found``: the quote is in the text word for word, once, or more than once with one
  occurrence fitting the context (prefix and suffix) recorded when it was last anchored;
- ``ambiguous``: it occurs more than once and no occurrence fits a recorded context better
  than the others (the first is kept, and reports say so);
- ``changed``: it is not there word for word, but a passage at least
  :data:`CHANGED_SIMILARITY` % alike is (the anchor then holds the text's own words);
- ``missing``: neither.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.models import QuoteAnchor, Source, SourceText, Statement, utcnow

__all__ = [
    "normalize_quote_text",
    "quote_identity",
    "locate",
    "locate_all",
    "find_anchor",
    "Location",
    "QuoteFinder",
    "attach_text",
    "anchor_statement",
    "is_direct",
]

CONTEXT = 32  # characters of prefix and suffix kept in an anchor
# A passage this alike (rapidfuzz ratio of the normalized words, 0-100) to a quote that is
# not in the text verbatim is the quote with words changed.
CHANGED_SIMILARITY = 85
# Quotes shorter than this (normalized characters) are never matched approximately: two
# short phrases are alike by chance.
CHANGED_MIN_LENGTH = 12
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
    """``normalize_quote_text("We’re  doing\\nthat")`` == ``"We're doing that"``.

    The text of :func:`_normalized_with_map` without the map: ``str.split()`` splits at the
    same white space as ``str.isspace`` (a hundred times faster than the loop, and reports
    normalize every quote they show)."""
    return " ".join(text.translate(_TRANSLATE).split())


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


def quote_identity(quote: str | None) -> str | None:
    """A quote's words for telling two statements apart: normalized, case-folded, without
    surrounding quotation marks or a final period (None for no quote)."""
    if quote is None:
        return None
    parts = _parts(quote)
    return " ... ".join(parts).casefold() if parts else None


def _location(text: str, where: list[int], first: int, last_end: int) -> Location:
    start, end = where[first], where[last_end - 1] + 1
    return Location(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT):start],
        suffix=text[end:end + CONTEXT],
    )


def _occurrences(parts: list[str], normalized: str) -> list[tuple[int, int]]:
    """(start, end) in ``normalized`` of every place the parts occur in order, one per
    occurrence of the first part, the rest taken as near as possible after it."""
    found: list[tuple[int, int]] = []
    start = normalized.find(parts[0])
    while start >= 0:
        end, complete = start + len(parts[0]), True
        for part in parts[1:]:
            at = normalized.find(part, end)
            if at < 0:
                complete = False
                break
            end = at + len(part)
        if not complete:
            break
        found.append((start, end))
        start = normalized.find(parts[0], start + 1)
    return found


class QuoteFinder:
    """One text, normalized once, in which many quotes are looked for (an article's
    proposals): :func:`locate` for each quote without normalizing the text again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalized, self._where = _normalized_with_map(text)

    def find(self, quote: str) -> Location | None:
        """Where ``quote`` first is in the text (see :func:`locate`), or None."""
        parts = _parts(quote)
        if not parts:
            return None
        found = _occurrences(parts, self._normalized)
        if not found:
            return None
        start, end = found[0]
        return _location(self.text, self._where, start, end)


def locate_all(quote: str, text: str) -> list[Location]:
    """Every occurrence of ``quote`` in ``text``, in text order (empty when it is not there)."""
    parts = _parts(quote)
    if not parts:
        return []
    normalized, where = _normalized_with_map(text)
    return [_location(text, where, start, end) for start, end in _occurrences(parts, normalized)]


def locate(quote: str, text: str) -> Location | None:
    """Find ``quote`` in ``text`` (its first occurrence); None when it is not there.

    >>> locate("We’re doing that.", "“We have to go. We're doing that,” Panetta said.").exact
    "We're doing that"
    """
    found = locate_all(quote, text)
    return found[0] if found else None


def _context_fit(location: Location, prefix: str, suffix: str) -> int:
    """How many characters of a recorded prefix (its end) and suffix (its start) the context
    of ``location`` shares."""
    before = normalize_quote_text(location.prefix)[::-1]
    after = normalize_quote_text(location.suffix)
    fit = 0
    for mine, recorded in ((before, normalize_quote_text(prefix)[::-1]), (after, normalize_quote_text(suffix))):
        for a, b in zip(mine, recorded, strict=False):
            if a != b:
                break
            fit += 1
    return fit


def _changed(quote: str, text: str) -> Location | None:
    """The passage of ``text`` most like ``quote`` when it is at least
    :data:`CHANGED_SIMILARITY` alike (the quote with some words changed), else None."""
    parts = _parts(quote)
    wanted = " ".join(parts)
    if len(wanted) < CHANGED_MIN_LENGTH:
        return None
    normalized, where = _normalized_with_map(text)
    folded = normalized.casefold()
    if len(folded) != len(normalized):  # case folding changed offsets: compare unfolded
        folded = normalized
    match = fuzz.partial_ratio_alignment(wanted.casefold(), folded, score_cutoff=CHANGED_SIMILARITY)
    if match is None:
        return None
    start, end = match.dest_start, match.dest_end
    # the alignment may take in the punctuation and spaces around the passage
    while start < end and not normalized[start].isalnum():
        start += 1
    while end > start and not normalized[end - 1].isalnum():
        end -= 1
    if end <= start:
        return None
    return _location(text, where, start, end)


def find_anchor(
    quote: str, text: str, recorded: tuple[str | None, str | None] | None = None
) -> tuple[str, Location | None]:
    """(status, location) of ``quote`` in ``text`` (see the module docstring for the
    statuses); ``recorded`` is the (prefix, suffix) of the quote's previous anchor, which
    picks among several occurrences."""
    found = locate_all(quote, text)
    if len(found) == 1:
        return "found", found[0]
    if found:
        prefix, suffix = recorded or (None, None)
        if prefix or suffix:
            fits = sorted(((_context_fit(loc, prefix or "", suffix or ""), i) for i, loc in enumerate(found)),
                          reverse=True)  # fmt: skip
            if fits[0][0] > 0 and (len(fits) == 1 or fits[0][0] > fits[1][0]):
                return "found", found[fits[0][1]]
        return "ambiguous", found[0]
    changed = _changed(quote, text)
    if changed is not None:
        return "changed", changed
    return "missing", None


def is_direct(statement: Statement | Row[*tuple[Any, ...]]) -> bool:
    """A quote counts as direct (verbatim) unless it is marked a paraphrase."""
    return bool(statement.quote and statement.quote.strip()) and statement.quote_kind != "paraphrase"


def _store_anchor(session: Session, statement: Statement, status: str, location: Location | None,
                  anchor: QuoteAnchor | None) -> QuoteAnchor:
    if anchor is None:
        anchor = QuoteAnchor(statement_id=statement.id)
        session.add(anchor)
    anchor.status = status
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
    status, location = find_anchor(statement.quote or "", stored.text, _recorded(anchor))
    return _store_anchor(session, statement, status, location, anchor)


def _recorded(anchor: QuoteAnchor | None) -> tuple[str | None, str | None] | None:
    """The context a previous anchor recorded (an occurrence it fixed), if any."""
    if anchor is None or anchor.status != "found":
        return None
    return anchor.prefix, anchor.suffix


def attach_text(session: Session, source: Source, text: str) -> dict[str, Any]:
    """Store ``text`` as the source's text and (re)check every direct quote of the source.

    Returns ``{"source", "sha256", "characters", "replaced", "counts", "quotes", "summary"}``;
    each quote is ``{"status", "statement", "statement_id", "offset", "previous_offset",
    "quote"}`` with status ``found`` (first anchoring), ``unchanged``, ``moved`` (found at
    another place than before), ``ambiguous`` (found more than once, see :func:`find_anchor`),
    ``changed`` (there with other words), ``vanished`` (found before, not now) or ``missing``.
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
        anchor_status, location = find_anchor(statement.quote or "", text, _recorded(before))
        was_found = before is not None and before.status == "found"
        previous_offset = before.start_offset if before is not None and was_found else None
        if anchor_status in ("ambiguous", "changed"):
            status = anchor_status
        elif location is None:
            status = "vanished" if was_found else "missing"
        elif before is None or not was_found:
            status = "found"
        elif (before.start_offset, before.exact) == (location.start, location.exact):
            status = "unchanged"
        else:
            status = "moved"
        _store_anchor(session, statement, anchor_status, location, before)
        quotes.append({
            "status": status,
            "statement": statement.key,
            "statement_id": statement.id,
            "offset": location.start if location else None,
            "previous_offset": previous_offset,
            "quote": statement.quote,
        })
    session.flush()
    statuses = ("found", "unchanged", "moved", "ambiguous", "changed", "vanished", "missing")
    counts = {s: sum(1 for q in quotes if q["status"] == s) for s in statuses}
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
