"""Find the attributions of a news article: who (source), the reporting expression (cue)
and what (content), as character spans.

    >>> [(a.source.text, a.cue.text, a.content.text, a.kind)
    ...  for a in find_attributions('“We will win,” the senator said.')]
    [('the senator', 'said', '“We will win,”', 'direct')]

Rules, not a model. The article is cut into sentences that never end inside a quotation
(``quotations``, ``sentences``); in each sentence the reporting expressions of the
hand-written lexicon (``cues``) outside quotation marks are found (``detect``) and read
with the frame of their word (``frames``: "said" has its content after or before it and
its speaker before or, inverted, after; "according to" its speaker after; "told" an
addressee first), speakers by ``phrases``; sentences with no lexicon cue are read from
their shape (``fallbacks``: "Name: ...", a quotation then "the crowd cried"). Here, across
sentences: quotations that continue after their attribution (``"A," he said. "B."``) join
it as parts, a colon cue takes the paragraph or quotation after it, and a dash byline
names the speaker of the quotation before it.

Each rule's name is kept in ``Attribution.rule`` and its confidence in
``Attribution.confidence``; for ``quoted-as-saying`` ("TV quoted X as saying") the source
is the quoted person and the outlet stands before the word "quoted".
"""

from __future__ import annotations

from collections.abc import Iterator

from factdb.extract.contents import Found
from factdb.extract.fallbacks import DASHES
from factdb.extract.frames import read_sentence
from factdb.extract.model import Attribution, Span
from factdb.extract.quotations import QuoteIndex, find_quotations
from factdb.extract.sentences import Token, sentences, tokenize

__all__ = ["find_attributions", "iter_attributions"]


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution found in ``text``, in text order of content."""
    return list(iter_attributions(text))


def iter_attributions(text: str) -> Iterator[Attribution]:
    """The attributions of ``text`` one sentence at a time, in text order of content.

    The text is read in windows of whole paragraphs that no quotation or colon cue spans,
    so working memory stays the same for a 10 MB input as for a 1 MB one.
    """
    for start, end in _windows(text):
        yield from _window_attributions(text, start, end)


_WINDOW = 32_768


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` stretches of about ``_WINDOW`` characters that end at a paragraph
    break nothing reads across: the next paragraph does not open with a quotation mark
    (which would continue a quotation) and this one does not end with a colon (whose
    content is the next paragraph)."""
    n = len(text)
    start = 0
    while start < n:
        cut = start + _WINDOW
        end = n
        while cut < n:
            nl = text.find("\n", cut)
            if nl < 0:
                break
            k = nl
            while k < n and text[k].isspace():
                k += 1
            b = nl
            while b > start and text[b - 1].isspace():
                b -= 1
            if k < n and text[k] not in "\"“‘'`«„" and text[b - 1 : b] != ":":
                end = nl
                break
            cut = k + 1
        yield start, end
        start = end


def _window_attributions(text: str, start: int, end: int) -> Iterator[Attribution]:
    quotes = QuoteIndex(find_quotations(text, start, end))
    sents = sentences(text, start, end, quotes)
    toks_of = _TokenWindow(text, sents, quotes)
    bare_quote: int | None = None  # the last sentence that was a quotation nobody claimed
    for si in range(len(sents)):
        toks = toks_of(si)
        if not toks:
            continue
        batch = []
        found = read_sentence(toks)
        if not found and bare_quote == si - 1:
            byline = _dash_byline(text, toks, sents[si - 1], quotes)
            if byline is not None:
                yield byline
                continue
        bare_quote = si if not found and all(t.quoted for t in toks if t.text[:1].isalnum()) else None
        for f in found:
            att = _to_attribution(text, toks, f, quotes)
            if att is None:
                continue
            if f.colon_open:
                att = _extend_colon(text, att, sents, si, quotes)
            elif (att.kind != "indirect" and (
                f.position in ("after", "around") or _ends_sentence_with_quote(att, sents[si], quotes)
            )) or (_last_in_paragraph(text, sents, si) and f is found[-1]):
                att = _extend_quote_run(text, att, sents, toks_of, si, quotes)
            batch.append(att)
        batch.sort(key=lambda a: (a.content.start, a.cue.start))
        yield from batch


def _dash_byline(text: str, toks: list[Token], quote_sent: tuple[int, int], quotes: QuoteIndex) -> Attribution | None:
    """'"We will win." / — Sen. Ruth Adams': a dash and a name after a quotation that stands
    alone name its speaker."""
    if len(toks) < 2 or toks[0].text not in DASHES or not toks[1].text[:1].isupper() or len(toks) > 14:
        return None
    e = len(toks)
    while e > 1 and toks[e - 1].text in (".", ","):
        e -= 1
    source = _tok_span(text, toks, (1, e))
    content = _span(text, quote_sent[0], quote_sent[1])
    return Attribution(source, _tok_span(text, toks, (0, 1)), content, _kind([content], quotes), [], 0.5, "dash-byline")


def _last_in_paragraph(text: str, sents: list[tuple[int, int]], si: int) -> bool:
    """Whether sentence ``si`` ends its paragraph (a quotation paragraph may follow)."""
    if si + 1 >= len(sents):
        return False
    return "\n" in text[sents[si][1]:sents[si + 1][0]]


class _TokenWindow:
    """Tokens of sentence ``i``, tokenized on demand; only the last few are kept (a
    quotation run looks a few sentences ahead)."""

    __slots__ = ("cache", "quotes", "sents", "text")

    def __init__(self, text: str, sents: list[tuple[int, int]], quotes: QuoteIndex) -> None:
        self.text = text
        self.sents = sents
        self.quotes = quotes
        self.cache: dict[int, list[Token]] = {}

    def __call__(self, i: int) -> list[Token]:
        toks = self.cache.get(i)
        if toks is None:
            s, e = self.sents[i]
            toks = tokenize(self.text, s, e, self.quotes)
            if len(self.cache) > 16:
                for k in [k for k in self.cache if k < i - 2]:
                    del self.cache[k]
            self.cache[i] = toks
        return toks


def _span(text: str, s: int, e: int) -> Span:
    return Span(s, e, text[s:e])


def _tok_span(text: str, toks: list[Token], r: tuple[int, int]) -> Span:
    return _span(text, toks[r[0]].start, toks[r[1] - 1].end)


_KIND_STRIP = " ,.;:—–-()[]!?\u00a0\n"


def _kind(parts: list[Span], quotes: QuoteIndex) -> str:
    wholly = 0
    some = False
    for p in parts:
        qs = quotes.within(p.start, p.end)
        if not qs:
            continue
        some = True
        inner = p.text.strip(_KIND_STRIP)
        lead = len(p.text) - len(p.text.lstrip(_KIND_STRIP))
        tail = len(p.text.rstrip(_KIND_STRIP))
        if len(qs) == 1 and qs[0].start <= p.start + lead and qs[0].end >= p.start + tail and inner:
            wholly += 1
    if some and wholly == len(parts):
        return "direct"
    return "mixed" if some else "indirect"


def _to_attribution(text: str, toks: list[Token], f: Found, quotes: QuoteIndex) -> Attribution | None:
    if f.source is not None and f.source[1] <= f.source[0]:
        return None
    cue = _tok_span(text, toks, f.cue)
    source = _tok_span(text, toks, f.source) if f.source else None
    if f.colon_open:
        # content filled in by _extend_colon; an empty placeholder at the colon
        pos = toks[f.content[0][0]].end if f.content[0][0] < len(toks) else toks[-1].end
        return Attribution(source, cue, Span(pos, pos, ""), "indirect", [], f.confidence, f.rule)
    parts = [_tok_span(text, toks, r) for r in f.content if r[1] > r[0]]
    if not parts:
        return None
    parts = [_widen_to_quote(text, p, quotes) for p in parts]
    content = _span(text, parts[0].start, parts[-1].end)
    kind = _kind(parts, quotes)
    return Attribution(source, cue, content, kind, parts if len(parts) > 1 else [], round(f.confidence, 2), f.rule)


def _widen_to_quote(text: str, p: Span, quotes: QuoteIndex) -> Span:
    """A part that starts or ends inside a quotation takes the whole quotation's marks."""
    s, e = p.start, p.end
    q = quotes.containing(s)
    if q is not None and q.start < s and s - q.start <= 2:
        s = q.start
    q = quotes.containing(e - 1)
    if q is not None and q.end > e and q.end - e <= 2:
        e = q.end
    return _span(text, s, e)


def _paragraph_of(text: str, pos: int) -> tuple[int, int]:
    ps = text.rfind("\n", 0, pos) + 1
    pe = text.find("\n", pos)
    return ps, len(text) if pe < 0 else pe


def _extend_colon(
    text: str, att: Attribution, sents: list[tuple[int, int]], si: int, quotes: QuoteIndex
) -> Attribution:
    """'He said:' at a paragraph's end: the content is the next paragraph, or the whole
    quotation that opens it (which may run over several paragraphs)."""
    pos = sents[si][1]
    n = len(text)
    k = pos
    while k < n and text[k].isspace():
        k += 1
    if k >= n:
        return att
    q = quotes.containing(k)
    if q is not None and q.start == k:
        content = _span(text, q.start, q.end)
        # the sentence the quotation opens may go on after it
        for s, e in sents[si + 1:si + 3]:
            if s <= q.end <= e:
                content = _span(text, q.start, e)
                break
    else:
        _, pe = _paragraph_of(text, k)
        content = _span(text, k, pe)
    kind = _kind([content], quotes)
    return Attribution(att.source, att.cue, content, kind, [], att.confidence, att.rule)


def _ends_sentence_with_quote(att: Attribution, sent: tuple[int, int], quotes: QuoteIndex) -> bool:
    q = quotes.containing(att.content.end - 1)
    return q is not None and q.end >= sent[1] - 2


def _extend_quote_run(
    text: str, att: Attribution, sents: list[tuple[int, int]], toks_of: _TokenWindow, si: int, quotes: QuoteIndex
) -> Attribution:
    """'"A," he said. "B." "C."': the sentences that follow an attribution and are wholly
    quotations with no cue of their own, in its paragraph and the paragraphs after it, are
    further parts of its content."""
    parts = list(att.content_parts or [att.content])
    k = si + 1
    while k < len(sents):
        toks = toks_of(k)
        if not toks or not all(t.quoted for t in toks if t.text[:1].isalnum()) or not toks[0].quoted:
            break
        parts.append(_span(text, sents[k][0], sents[k][1]))
        k += 1
    if len(parts) == len(att.content_parts or [att.content]):
        return att
    content = _span(text, parts[0].start, parts[-1].end)
    return Attribution(att.source, att.cue, content, _kind(parts, quotes), parts, att.confidence, att.rule)
