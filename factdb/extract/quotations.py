"""Quotations in news text: where each quoted passage starts and ends.

News prints quotations with curly double marks (“ ”), straight double marks ("), the New
York Times' doubled apostrophes ('' ... ''), TeX-style ``, guillemets, and in British copy
single marks (‘ ’) as the outer level. A quotation that runs over several paragraphs leaves
the first paragraph open and reopens the next one with a fresh opening mark; that is one
quotation. An opening mark that is never closed ends at its paragraph's end.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["Quotation", "QuoteIndex", "find_quotations"]

# One alternation for every mark we pair; '' and `` before the single characters.
_MARK = re.compile(r"''|``|[\"“”„«»‘’]")
_OPEN_ONLY = frozenset({"“", "``", "„", "«"})
_CLOSE_ONLY = frozenset({"”", "»"})
_TOGGLE = frozenset({'"', "''"})
# Before an opening mark: start of text, whitespace, an opening bracket or a dash.
_OPENER_CONTEXT = frozenset(" \t\n\r\u00a0([{—–-/:;")


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quoted passage ``text[start:end]``, marks included; ``closed`` is False when the
    closing mark is missing (the quotation then ends at its paragraph's end)."""

    start: int
    end: int
    closed: bool
    single: bool = False


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _strip_right(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _next_paragraph_start(text: str, pos: int) -> int:
    """Index of the first non-space character after the newline(s) at ``pos``."""
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _opens_at(text: str, pos: int) -> str | None:
    """The opening mark at ``pos``, if one is there."""
    for mark in ("''", "``", "“", '"', "„", "«", "‘"):
        if text.startswith(mark, pos):
            return mark
    return None


def _can_open(text: str, pos: int, mark: str) -> bool:
    if mark in _OPEN_ONLY:
        return True
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + len(mark)] if pos + len(mark) < len(text) else " "
    return (before in _OPENER_CONTEXT or before in "“‘") and not after.isspace()


def _single_closes(text: str, pos: int) -> bool:
    """Whether ’ at ``pos`` can close a single-quoted passage (not an apostrophe)."""
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if after.isalnum():
        return False  # don’t, Iran’s
    before = text[pos - 1] if pos > 0 else " "
    if before.isspace():
        return False
    # "the players’ union": a plural possessive, not a closing mark
    return not (before in "sS" and after == " " and pos + 2 < len(text) and text[pos + 2].islower())


def find_quotations(text: str, start: int = 0, end: int | None = None) -> list[Quotation]:
    """All quotations of ``text[start:end]`` in order, outer level only (a quotation inside
    a quotation is part of it). ``start`` and ``end`` should be paragraph boundaries.

    >>> text = 'He said “no,” twice.'
    >>> [text[q.start:q.end] for q in find_quotations(text)]
    ['“no,”']
    """
    out: list[Quotation] = []
    pos = start
    n = len(text)
    for m in _MARK.finditer(text, start, n if end is None else end):
        if m.start() < pos:
            continue
        mark = m.group()
        if mark in _CLOSE_ONLY or mark == "’":
            continue  # stray closing mark or an apostrophe
        if mark == "‘":
            q = _single_quotation(text, m.start())
            if q is not None:
                out.append(q)
                pos = q.end
            continue
        if not _can_open(text, m.start(), mark):
            continue
        q = _double_quotation(text, m.start(), mark)
        out.append(q)
        pos = q.end
    return [q for q in out if q.end - q.start > 1 or n == 0]


def _double_quotation(text: str, start: int, mark: str) -> Quotation:
    pos = start + len(mark)
    while True:
        para_end = _paragraph_end(text, pos)
        m = _MARK.search(text, pos, para_end)
        while m is not None:
            found = m.group()
            if found in _CLOSE_ONLY or found in _TOGGLE:
                if (
                    found in _TOGGLE
                    and _can_open(text, m.start(), found)
                    and m.start() > pos
                    and text[m.start() - 1] not in "“‘"
                ):
                    # Looks like an opener: the quotation before it was never closed, unless
                    # it really closes (followed by space/punctuation).
                    after_i = m.end()
                    after = text[after_i] if after_i < len(text) else " "
                    if after.isalnum():
                        end = _strip_right(text, start, m.start())
                        return Quotation(start, end, False)
                return Quotation(start, m.end(), True)
            if found == "“" and mark == "“" and m.start() > 0 and not text[m.start() - 1].isspace() and (
                m.end() >= len(text) or not text[m.end()].isalnum()
            ):
                return Quotation(start, m.end(), True)  # a wrong-way “ used as the closing mark
            if found in _OPEN_ONLY and found == mark:
                # a second opener of the same kind before any closer: the first never closed
                end = _strip_right(text, start, m.start())
                return Quotation(start, end, False)
            m = _MARK.search(text, m.end(), para_end)
        # Paragraph ended inside the quotation: it continues when the next paragraph opens
        # with a quotation mark, the convention for a quotation over several paragraphs.
        nxt = _next_paragraph_start(text, para_end)
        opener = _opens_at(text, nxt) if nxt < len(text) else None
        if para_end >= len(text) or opener is None or opener == "‘":
            return Quotation(start, _strip_right(text, start, para_end), False)
        pos = nxt + len(opener)


def _single_quotation(text: str, start: int) -> Quotation | None:
    """A British-style ‘...’ quotation starting at ``start``, or None for a lone mark."""
    if not _can_open(text, start, "‘"):
        return None
    pos = start + 1
    while True:
        para_end = _paragraph_end(text, pos)
        i = text.find("’", pos, para_end)
        while i >= 0:
            if _single_closes(text, i):
                return Quotation(start, i + 1, True, single=True)
            i = text.find("’", i + 1, para_end)
        nxt = _next_paragraph_start(text, para_end)
        if nxt < len(text) and text.startswith("‘", nxt):
            pos = nxt + 1
            continue
        return None


class QuoteIndex:
    """Fast "is this offset inside a quotation?" over a sorted list of quotations."""

    __slots__ = ("_starts", "quotes")

    def __init__(self, quotes: list[Quotation]) -> None:
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def containing(self, pos: int) -> Quotation | None:
        """The quotation with ``start <= pos < end``, if any."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def within(self, start: int, end: int) -> list[Quotation]:
        """Quotations overlapping ``[start, end)``."""
        i = max(0, bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            q = self.quotes[i]
            if q.end > start:
                out.append(q)
            i += 1
        return out
