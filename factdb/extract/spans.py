"""Find the attributions of a news article: who (source), the reporting expression (cue)
and what (content), as character spans.

    >>> [(a.source.text, a.cue.text, a.content.text, a.kind)
    ...  for a in find_attributions('“We will win,” the senator said.')]
    [('the senator', 'said', '“We will win,”', 'direct')]

Rules, not a model: the article is cut into sentences that never end inside a quotation;
in each sentence every reporting expression of the hand-written lexicon (``cues``) outside
quotation marks is read with the frame of its word (``said``: content after or before,
speaker before or, inverted, after; ``according to``: speaker after; ``told``: addressee
first; ...), and the speaker phrase is found by ``phrases``. Then quotations continued
after their attribution (``"A," he said. "B."``) are joined as parts, and a colon cue takes
the paragraph or quotation after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from factdb.extract.cues import (
    ADDRESSEE_TELL,
    BASE_FORMS,
    NOUN_CUES,
    PARTICIPLES,
    PAST_PARTICIPLES,
    PHRASAL,
    PHRASAL_FORMS,
    VERB_FORMS,
    cue_strength,
)
from factdb.extract.model import Attribution, Span
from factdb.extract.phrases import (
    AUXILIARIES,
    CUE_ADVERBS,
    PRONOUNS_SUBJ,
    addressee_end,
    medium_phrase_end,
    skip_time,
    speaker_after,
    subject_before,
)
from factdb.extract.quotations import QuoteIndex, find_quotations
from factdb.extract.sentences import Token, sentences, tokenize

__all__ = ["find_attributions"]

_TERMINAL = frozenset({".", "?", "!", "...", ";"})
_PARTICIPLE_CUES = frozenset(
    """saying adding noting arguing telling calling insisting claiming explaining warning
    writing suggesting citing asking describing stressing declaring acknowledging
    admitting conceding predicting recalling complaining charging contending maintaining
    urging accusing blaming denying vowing promising pledging threatening tweeting
    stating announcing revealing observing""".split()
)
_NO_SOURCE_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "ostensibly"})
# Passive cues with no speaker: "is expected to", "was reported that", "is believed to".
_PASSIVE_NO_SOURCE = frozenset(
    """expected believed reported said thought rumored rumoured alleged understood feared
    considered estimated projected predicted known""".split()
)
_BE = frozenset({"is", "was", "are", "were", "be", "been", "being", "'s", "’s"})
_ANONYMITY = ("named", "identified", "anonymity", "anonymously", "authorized", "authorised")
_COLON_STOP = frozenset(
    """update updated note editor photo image video source sources watch read related see
    warning caption credit correction disclosure advertisement ad q a here what why how
    when where who this that it the and but so step""".split()
)
_NAME_PREFIXES = frozenset("mr mrs ms dr sen rep gov gen lt col".split())


@dataclass(slots=True)
class _Found:
    """An attribution being built, in token indices of one sentence."""

    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: list[tuple[int, int]]  # token ranges
    rule: str
    confidence: float
    position: str  # "before" (content after cue), "after" (content before cue), "around"
    colon_open: bool = False  # the cue ends with a colon and nothing follows in the sentence


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution found in ``text``, in text order of content."""
    quotes = QuoteIndex(find_quotations(text))
    sents = sentences(text, 0, len(text), quotes)
    out: list[Attribution] = []
    sent_toks: list[list[Token]] = []
    for s, e in sents:
        sent_toks.append(tokenize(text, s, e, quotes))
    for si, toks in enumerate(sent_toks):
        if not toks:
            continue
        for f in _read_sentence(toks):
            att = _to_attribution(text, toks, f, quotes)
            if att is None:
                continue
            if f.colon_open:
                att = _extend_colon(text, att, sents, si, quotes)
            elif f.position in ("after", "around") and att.kind != "indirect":
                att = _extend_quote_run(text, att, sents, sent_toks, si, quotes)
            out.append(att)
    out.sort(key=lambda a: (a.content.start, a.cue.start))
    return out


# --- reading one sentence ---------------------------------------------------------------


@dataclass(slots=True)
class _Cue:
    start: int
    end: int
    head: int  # token index of the cue word
    base: str
    frame: str
    form: str  # "finite", "participle", "according", "passive", "adverb", "colon", "noun"


def _find_cues(toks: list[Token]) -> list[_Cue]:
    cues: list[_Cue] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.quoted:
            i += 1
            continue
        w = t.lower
        cue = None
        if w == "according" and i + 1 < n and toks[i + 1].lower == "to":
            cue = _Cue(i, i + 2, i, "according", "say", "according")
        elif w in _NO_SOURCE_ADVERBS:
            cue = _Cue(i, i + 1, i, w, "say", "adverb")
        elif w in PARTICIPLES and w in _PARTICIPLE_CUES:
            base, frame = PARTICIPLES[w]
            s = i
            if i >= 2 and toks[i - 1].lower == "as" and toks[i - 2].lower == "quoted":
                s = i - 2
                if s >= 1 and toks[s - 1].lower in _BE:
                    s -= 1
                cue = _Cue(s, i + 1, i, base, frame, "finite")
            else:
                cue = _Cue(i, i + 1, i, base, frame, "participle")
        elif w in _PASSIVE_NO_SOURCE and i >= 1 and toks[i - 1].lower in _BE and _passive_ok(toks, i):
            s = i - 1
            cue = _Cue(s, i + 1, i, w, "say", "passive")
        elif w in PHRASAL_FORMS and i + 1 < n and (PHRASAL_FORMS[w], toks[i + 1].lower) in PHRASAL:
            base = PHRASAL_FORMS[w]
            cue = _verb_cue(toks, i, (base, PHRASAL[(base, toks[i + 1].lower)]))
        elif w in VERB_FORMS or w in PAST_PARTICIPLES:
            cue = _verb_cue(toks, i)
        elif w in NOUN_CUES and i + 1 < n and toks[i + 1].lower == "that" and not toks[i + 1].quoted:
            cue = _Cue(i, i + 1, i, w, "say", "noun")
        if cue is not None:
            # "pointed out", "fired back": the particle belongs to the cue
            if cue.end < n and (cue.base, toks[cue.end].lower) in PHRASAL:
                cue.frame = PHRASAL[(cue.base, toks[cue.end].lower)]
                cue.end += 1
            cues.append(cue)
            i = cue.end
            continue
        i += 1
    return cues


def _passive_ok(toks: list[Token], i: int) -> bool:
    """"is expected to", "was reported that", "is believed to": the speaker is unstated."""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    return nxt in ("to", "that") and not (i + 2 < len(toks) and toks[i + 2].lower == "by")


def _verb_cue(toks: list[Token], i: int, entry: tuple[str, str] | None = None) -> _Cue | None:
    w = toks[i].lower
    entry = entry or VERB_FORMS.get(w) or PAST_PARTICIPLES.get(w)
    if entry is None:
        return None
    base, frame = entry
    prev = toks[i - 1].lower if i > 0 else ""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if prev in ("the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my", "-", "so"):
        return None  # a noun or adjective: "the report", "so-called"
    if w == base and w not in ("say", "tell", "ask", "argue", "think", "believe", "know", "want", "hope", "expect",
                               "warn", "insist", "claim", "fear", "agree", "predict", "suggest", "write", "add"):
        # Bare forms of words that are also nouns need a finite context.
        if not (prev in AUXILIARIES or prev in ("i", "we", "they", "you", "to") or prev in CUE_ADVERBS):
            return None
    if w == base and prev == "to" and not (i >= 3 and toks[i - 2].lower == "on" and toks[i - 3].lower == "went"):
        return None  # "expected to announce": not itself an attribution
    if w.endswith("s") and w != base and w in NOUN_CUES and prev not in PRONOUNS_SUBJ and not toks[i - 1].text[:1].isupper():
        return None  # "reports", "claims" as nouns
    if frame == "think" and nxt != "that":
        # cognition verbs report only with a content clause; after a comma ("..., he believes.")
        if not (nxt in (".", ",") and i >= 2 and toks[i - 1].lower in PRONOUNS_SUBJ):
            return None
    if frame == "to" and nxt != "to" and not (base in ("promise", "vow", "pledge", "agree", "hope") and nxt == "that"):
        return None
    if frame == "object" and (nxt in (".", ",", "to", "by", "that") or i + 1 >= len(toks)):
        if not (nxt == "that" and base in ("deny", "propose", "recommend")):
            return None
    if base == "ask" and i >= 1 and toks[i - 1].lower == "who" and any(
        t.lower in _ANONYMITY for t in toks[i + 1:i + 6]
    ):
        return None  # "an official who asked not to be named"
    if prev in ("who",) and any(t.lower in _ANONYMITY for t in toks[i + 1:i + 6]):
        return None
    # auxiliaries and adverbs before the verb belong to the cue: "has also said"
    s = i
    while s > 0 and not toks[s - 1].quoted and (toks[s - 1].lower in AUXILIARIES or toks[s - 1].lower in CUE_ADVERBS):
        if toks[s - 1].lower in ("'s", "’s") and s - 1 > 0:
            break
        s -= 1
    if w in PAST_PARTICIPLES and w not in VERB_FORMS and not any(t.lower in ("has", "have", "had") for t in toks[s:i]):
        if not any(t.lower in _BE for t in toks[s:i]):
            return None  # a bare participle: "the written law"
    return _Cue(s, i + 1, i, base, frame, "finite")


def _read_sentence(toks: list[Token]) -> list[_Found]:
    cues = _find_cues(toks)
    if not cues:
        colon = _colon_cue(toks)
        return [colon] if colon else []
    found: list[_Found] = []
    prev_end = 0
    main_source: tuple[int, int] | None = None
    for cue in cues:
        f = _read_cue(toks, cue, prev_end, main_source)
        if f is not None:
            found.append(f)
            if f.source is not None and main_source is None and cue.form in ("finite",):
                main_source = f.source
        prev_end = cue.end
    return _settle(toks, found)


def _content_start_barrier(toks: list[Token], lo: int, hi: int) -> int:
    """Index after the last quotation token or hard punctuation in ``toks[lo:hi]``."""
    for k in range(hi - 1, lo - 1, -1):
        t = toks[k]
        if t.quoted or t.text in (";", ":", "(", ")", "[", "]"):
            return k + 1
    return lo


def _at_end(toks: list[Token], j: int) -> bool:
    n = len(toks)
    while j < n and (toks[j].text in _TERMINAL or (toks[j].text in ('"', "”", "''", "’") and not toks[j].quoted)):
        j += 1
    return j >= n


def _has_words(toks: list[Token], s: int, e: int) -> bool:
    return any(toks[k].text[:1].isalnum() for k in range(s, e))


def _trim(toks: list[Token], s: int, e: int) -> tuple[int, int]:
    """Drop punctuation (not quotation marks) and joining words at both ends."""
    while s < e and (toks[s].text in (",", ";", ":", "—", "–", "-", "--", ".") and not toks[s].quoted):
        s += 1
    while e > s and ((toks[e - 1].text in (",", ";", ":", "—", "–", "-", "--", ".", "?", "!") and not toks[e - 1].quoted)
                     or toks[e - 1].lower in ("and", "but", "or")):
        e -= 1
    return s, e


def _read_cue(
    toks: list[Token], cue: _Cue, prev_end: int, main_source: tuple[int, int] | None
) -> _Found | None:
    n = len(toks)
    strength = cue_strength(cue.frame)
    if cue.form == "according":
        return _read_according(toks, cue)
    if cue.form == "adverb":
        return _read_no_source(toks, cue, "reportedly")
    if cue.form == "passive":
        nxt = toks[cue.end].lower if cue.end < n else ""
        if nxt == "that" and cue.start >= 1 and toks[cue.start - 1].lower == "it":
            s, e = _trim(toks, cue.end, n)
            if e <= s:
                return None
            return _Found((cue.start - 1, cue.end), None, [(s, e)], "it-was-reported", 0.7, "before")
        return _read_no_source(toks, cue, "passive-no-source")
    if cue.form == "noun":
        return _read_noun(toks, cue)

    # what follows the cue: time, the addressee, "in a statement"
    j = skip_time(toks, cue.end, n)
    cue_end = cue.end
    if cue.base in ADDRESSEE_TELL or cue.frame == "tell":
        a_end = addressee_end(toks, j, n)
        j = skip_time(toks, a_end, n)
    m = medium_phrase_end(toks, j, n)
    if m > j:
        if j == cue.end:
            cue_end = m  # "said in a statement": the medium belongs to the cue
        j = skip_time(toks, m, n)

    lo = _content_start_barrier(toks, prev_end, cue.start)
    if cue.form == "participle":
        src = main_source
        if src is None:
            src = _sentence_subject(toks, cue.start)
        s, e = _content_after(toks, j, cue)
        if e <= s:
            return None
        return _Found((cue.start, cue_end), src, [(s, e)], "participle", strength - 0.1, "before")

    src = subject_before(toks, lo, cue.start)
    before_words = _has_words(toks, 0, src[0] if src else cue.start)

    # inversion: '"...," said Smith.' -- nothing between the content and the verb
    if src is None and before_words and cue.start > 0 and (toks[cue.start - 1].text == "," or toks[cue.start - 1].quoted):
        sp = speaker_after(toks, j, n)
        if sp is None:
            return None
        content = [_trim(toks, 0, cue.start)]
        rest = _second_part(toks, sp[1])
        if rest is not None:
            content.append(rest)
        content = [c for c in content if c[1] > c[0]]
        if not content:
            return None
        return _Found((cue.start, cue_end), sp, content, "inverted", strength + 0.05, "after" if rest is None else "around")

    if src is not None and before_words and (_at_end(toks, j) or (j < n and toks[j].text == ",")):
        # content before: "The plan will fail, Smith said." / '"A," he said, "B."'
        ce = src[0]
        content = [_trim(toks, _first_content(toks), ce)]
        rest = _second_part(toks, j) if not _at_end(toks, j) else None
        if rest is not None:
            content.append(rest)
        content = [c for c in content if c[1] > c[0] and _has_words(toks, c[0], c[1])]
        if not content:
            return None
        conf = strength + (0.1 if toks[content[0][0]].quoted else 0.0)
        return _Found((cue.start, cue_end), src, content, "content-before", min(conf, 0.95),
                      "after" if rest is None else "around")

    # content after: "Smith said (that) ...", "Smith said: ..."
    if j < n and toks[j].text == ":":
        if _at_end(toks, j + 1):
            if src is None:
                return None
            return _Found((cue.start, cue_end), src, [(j, j)], "colon-after-verb", strength, "before", colon_open=True)
        j += 1
    elif j < n and toks[j].text == ",":
        j += 1
    if cue.frame == "think" and not (j < n and toks[j].lower == "that"):
        return None
    s, e = _content_after(toks, j, cue)
    if e <= s or not _has_words(toks, s, e):
        return None
    if src is None:
        return None
    conf = strength + (0.05 if toks[s].quoted else 0.0)
    return _Found((cue.start, cue_end), src, [(s, e)], "content-after", min(conf, 0.95), "before")


def _first_content(toks: list[Token]) -> int:
    k = 0
    while k < len(toks) and toks[k].lower in ("and", "but", "so", "or") and not toks[k].quoted:
        k += 1
    return k


def _content_after(toks: list[Token], j: int, cue: _Cue) -> tuple[int, int]:
    """The content after a cue: to the sentence end, or before a trailing attribution."""
    n = len(toks)
    e = n
    for k in range(j, n):
        t = toks[k]
        if t.quoted:
            continue
        if t.text == "," and k + 1 < n and not toks[k + 1].quoted:
            w = toks[k + 1].lower
            if w in _PARTICIPLE_CUES or (w == "according" and k + 2 < n and toks[k + 2].lower == "to"):
                e = k
                break
        if t.text in (";",):
            e = k
            break
    return _trim(toks, j, e)


def _second_part(toks: list[Token], j: int) -> tuple[int, int] | None:
    """The content resumed after an interrupting attribution: '..., he said, "B."'."""
    n = len(toks)
    k = skip_time(toks, j, n)
    if k < n and toks[k].text == ",":
        k += 1
    elif k < n and toks[k].text == ":" :
        k += 1
    else:
        return None
    if k >= n:
        return None
    w = toks[k].lower
    if w in _PARTICIPLE_CUES or w == "according" or w in ("who", "which", "whose"):
        return None
    s, e = _trim(toks, k, n)
    # cut at a trailing attribution
    for m in range(s, e):
        if toks[m].text == "," and m + 1 < e and toks[m + 1].lower in _PARTICIPLE_CUES:
            e = m
            break
    if e <= s or not _has_words(toks, s, e):
        return None
    return (s, e)


def _sentence_subject(toks: list[Token], hi: int) -> tuple[int, int] | None:
    """The speaker a participle cue shares with its sentence: the leading noun phrase."""
    k = 0
    while k < hi and toks[k].lower in ("and", "but", "so") :
        k += 1
    if k < hi and toks[k].lower in PRONOUNS_SUBJ:
        return (k, k + 1)
    s = k
    while k < hi and (toks[k].text[:1].isupper() or toks[k].lower in ("of", "the", "'s", "’s", ".")) and not toks[k].quoted:
        k += 1
    if k > s:
        return (s, k)
    return None


def _read_according(toks: list[Token], cue: _Cue) -> _Found | None:
    n = len(toks)
    k = cue.end
    e = k
    while e < n and not toks[e].quoted and toks[e].text not in (",", ".", ";", ":", "?", "!") and toks[e].lower != "that":
        e += 1
    if e <= k:
        return None
    src = (k, e)
    before = _trim(toks, _first_content(toks), cue.start)
    if _has_words(toks, before[0], before[1]):
        content = [before]
        rest = _second_part(toks, e)
        if rest is not None:
            content.append(rest)
        return _Found((cue.start, cue.end), src, content, "according-to-after", 0.85,
                      "after" if rest is None else "around")
    s, ce = _trim(toks, e, n)
    if ce <= s:
        return None
    return _Found((cue.start, cue.end), src, [(s, ce)], "according-to-before", 0.85, "before")


def _read_no_source(toks: list[Token], cue: _Cue, rule: str) -> _Found | None:
    n = len(toks)
    s0 = _content_start_barrier(toks, 0, cue.start)
    parts = [_trim(toks, s0, cue.start), _trim(toks, cue.end, n)]
    for k in range(parts[1][0], parts[1][1]):
        if toks[k].text == "," and k + 1 < n and toks[k + 1].lower in _PARTICIPLE_CUES:
            parts[1] = (parts[1][0], k)
            break
    parts = [p for p in parts if p[1] > p[0] and _has_words(toks, p[0], p[1])]
    if not parts:
        return None
    return _Found((cue.start, cue.end), None, parts, rule, 0.5, "before")


def _read_noun(toks: list[Token], cue: _Cue) -> _Found | None:
    """"the claim that ...", "Trump's assertion that ...": the content is the that-clause,
    the speaker a possessive right before the noun when there is one."""
    n = len(toks)
    s, e = _content_after(toks, cue.end, cue)
    # a noun's that-clause ends at the first comma outside quotation marks
    for k in range(s, e):
        if toks[k].text == "," and not toks[k].quoted:
            e = k
            break
    if e <= s:
        return None
    src = None
    k = cue.start - 1
    while k >= 0 and toks[k].lower not in ("'s", "’s") and not toks[k].lower.endswith(("'s", "’s")) and k >= cue.start - 2:
        k -= 1
    if k >= 0 and k >= cue.start - 2 and (toks[k].lower.endswith(("'s", "’s"))):
        st = k
        while st > 0 and toks[st - 1].text[:1].isupper() and not toks[st - 1].quoted:
            st -= 1
        src = (st, k + 1)
    if src is None:
        return None
    return _Found((cue.start, cue.end), src, [(s, e)], "noun-cue", 0.45, "before")


def _colon_cue(toks: list[Token]) -> _Found | None:
    """"Trump: We will win" / "CLINTON: ...": a short name, a colon, what the person said."""
    n = len(toks)
    for k in range(min(n, 7)):
        if toks[k].text == ":" and not toks[k].quoted:
            break
    else:
        return None
    if k == 0 or k + 1 >= n:
        return None
    name = toks[:k]
    if not all(t.text[:1].isupper() or t.text in (".", "'s", "’s", "-") or t.lower in ("of", "the") for t in name):
        return None
    if name[0].lower in _COLON_STOP or any(t.quoted for t in name):
        return None
    if len(name) == 1 and name[0].lower in _NAME_PREFIXES:
        return None
    s, e = _trim(toks, k + 1, n)
    if e <= s:
        return None
    return _Found((k, k + 1), (0, k), [(s, e)], "colon", 0.6, "before")


def _settle(toks: list[Token], found: list[_Found]) -> list[_Found]:
    """Make the attributions of one sentence disjoint: a content that runs into a later
    attribution stops before it; an attribution nested inside another's content goes."""
    found.sort(key=lambda f: f.cue[0])
    keep: list[_Found] = []
    for f in found:
        nested = False
        for g in keep:
            if g.position != "before" or not g.content:
                continue
            cs, ce = g.content[0]
            src_start = f.source[0] if f.source else f.cue[0]
            first = min(src_start, f.cue[0])
            if cs <= first < ce:
                lead = cs + (1 if toks[cs].lower == "that" else 0)
                if first <= lead or f.position == "after":
                    nested = True  # "X said Y told Z ...": Y's attribution is X's content
                else:
                    g.content[0] = _trim(toks, cs, first)
        if not nested:
            keep.append(f)
    return [f for f in keep if f.content and all(e > s for s, e in f.content) or f.colon_open]


# --- spans and kinds ----------------------------------------------------------------------


def _span(text: str, s: int, e: int) -> Span:
    return Span(s, e, text[s:e])


def _tok_span(text: str, toks: list[Token], r: tuple[int, int]) -> Span:
    return _span(text, toks[r[0]].start, toks[r[1] - 1].end)


def _kind(parts: list[Span], quotes: QuoteIndex) -> str:
    wholly = 0
    some = False
    for p in parts:
        qs = quotes.within(p.start, p.end)
        if not qs:
            continue
        some = True
        inner = p.text.strip(" ,.;:—–-")
        if len(qs) == 1 and qs[0].start <= p.start + (len(p.text) - len(p.text.lstrip(" ,.;:—–-"))) and qs[0].end >= p.start + len(p.text.rstrip(" ,.;:—–-")) and inner:
            wholly += 1
    if some and wholly == len(parts):
        return "direct"
    return "mixed" if some else "indirect"


def _to_attribution(text: str, toks: list[Token], f: _Found, quotes: QuoteIndex) -> Attribution | None:
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


def _extend_colon(text: str, att: Attribution, sents: list[tuple[int, int]], si: int, quotes: QuoteIndex) -> Attribution:
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


def _extend_quote_run(
    text: str, att: Attribution, sents: list[tuple[int, int]], sent_toks: list[list[Token]], si: int, quotes: QuoteIndex
) -> Attribution:
    """'"A," he said. "B." "C."': the quotations that follow their attribution in the same
    paragraph, with no cue of their own, are further parts of its content."""
    _, pe = _paragraph_of(text, sents[si][0])
    parts = list(att.content_parts or [att.content])
    k = si + 1
    while k < len(sents) and sents[k][0] < pe:
        toks = sent_toks[k]
        if not toks or not all(t.quoted for t in toks if t.text[:1].isalnum()) or not toks[0].quoted:
            break
        parts.append(_span(text, sents[k][0], sents[k][1]))
        k += 1
    if len(parts) == len(att.content_parts or [att.content]):
        return att
    content = _span(text, parts[0].start, parts[-1].end)
    return Attribution(att.source, att.cue, content, _kind(parts, quotes), parts, att.confidence, att.rule)
