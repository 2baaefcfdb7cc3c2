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

from collections.abc import Iterator
from dataclasses import dataclass

from factdb.extract.cues import (
    ADDRESSEE_TELL,
    BASE_FORMS,
    NOUN_CUES,
    NOUN_HOMOGRAPHS,
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
    DETERMINERS,
    PRONOUNS_SUBJ,
    addressee_end,
    medium_phrase_end,
    skip_time,
    speaker_after,
    subject_before,
)
from factdb.extract.quotations import QuoteIndex, find_quotations
from factdb.extract.sentences import Token, sentences, tokenize

__all__ = ["find_attributions", "iter_attributions"]

_TERMINAL = frozenset({".", "?", "!", "...", ";"})
_PARTICIPLE_CUES = frozenset(
    """saying adding noting arguing telling calling insisting claiming explaining warning
    writing suggesting citing asking describing stressing declaring acknowledging
    admitting conceding predicting recalling complaining charging contending maintaining
    urging accusing blaming denying vowing promising pledging threatening tweeting
    stating announcing revealing observing calling describing citing referring
    praising criticizing criticising questioning""".split()
)
# What may stand before a participle cue: ", saying", "and adding", "while noting".
_PARTICIPLE_LEADS = frozenset({"and", "while", "when", "before", "after", "by", "also", "even", "then", "again"})
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
_PREPOSITIONS_BEFORE_NOUN = frozenset("from of with for among by into onto upon".split())
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
    for si in range(len(sents)):
        toks = toks_of(si)
        if not toks:
            continue
        batch = []
        for f in _read_sentence(toks):
            att = _to_attribution(text, toks, f, quotes)
            if att is None:
                continue
            if f.colon_open:
                att = _extend_colon(text, att, sents, si, quotes)
            elif att.kind != "indirect" and (
                f.position in ("after", "around") or _ends_sentence_with_quote(att, sents[si], quotes)
            ):
                att = _extend_quote_run(text, att, sents, toks_of, si, quotes)
            batch.append(att)
        batch.sort(key=lambda a: (a.content.start, a.cue.start))
        yield from batch


class _TokenWindow:
    """Tokens of sentence ``i``, tokenized on demand; only the last few are kept (a
    quotation run looks a few sentences ahead)."""

    __slots__ = ("text", "sents", "quotes", "cache")

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
        elif w in _SEEM and i > 0 and _seem_ok(toks, i):
            cue = _Cue(i, i + 1, i, w, "say", "adverb")
        elif w == "asked" and (i == 0 or toks[i - 1].lower in ("when", "if", "once", "after", "while")
                               or toks[i - 1].lower in _BE) and i + 1 < n:
            cue = _Cue(i - 1 if i > 0 and toks[i - 1].lower in _BE else i, i + 1, i, "ask", "ask", "asked")
        elif w in PARTICIPLES and w in _PARTICIPLE_CUES:
            base, frame = PARTICIPLES[w]
            s = i
            if i >= 2 and toks[i - 1].lower == "as" and toks[i - 2].lower == "quoted":
                s = i - 2
                if s >= 1 and toks[s - 1].lower in _BE:
                    s -= 1
                cue = _Cue(s, i + 1, i, base, frame, "finite")
            elif i > 0 and (toks[i - 1].text in (",", "—", "–") or toks[i - 1].lower in _PARTICIPLE_LEADS):
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
        if cue is not None and i > 0 and t.text[:1].isupper() and cue.form not in ("according",) and not _title_case(toks):
            cue = None  # "the United States", "Fox News Says": a name, not a cue
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


# Cognition verbs that report a bare clause: "Republicans think the Fed ...".
_BARE_CLAUSE_VERBS = frozenset("think believe hope fear expect suspect worry doubt assume predict".split())
_CLAUSE_SUBJECTS = frozenset("he she they we i it the his her their its this these there a an".split())


def _clause_start(toks: list[Token], j: int) -> bool:
    """Whether a clause seems to start at ``j``: a subject pronoun, a determiner, a name."""
    if j >= len(toks) or toks[j].quoted:
        return False
    t = toks[j]
    if t.lower in _CLAUSE_SUBJECTS:
        return j + 1 < len(toks) and toks[j + 1].lower not in ("is", "was") or t.lower in ("he", "she", "they", "we", "i")
    return t.text[:1].isupper() and t.lower not in ("i",)


def _title_case(toks: list[Token]) -> bool:
    words = [t for t in toks if t.text[:1].isalpha() and not t.quoted]
    if len(words) < 3:
        return True
    return sum(1 for t in words if t.text[:1].isupper()) >= 0.6 * len(words)


_SEEM = frozenset("seems seemed appears appeared".split())


def _seem_ok(toks: list[Token], i: int) -> bool:
    """"Sanders appears to have a lead", "the story seemed wasted on ...": an unattributed
    impression (the writer's)."""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if toks[i].lower.startswith("appear"):
        return nxt == "to" or (i + 2 < len(toks) and toks[i + 2].lower == "to" and nxt.isalpha())
    return nxt not in ("", ".", ",", "like") and not toks[i + 1].quoted


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
    if prev in ("the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my", "-", "so") or (
        prev in _PREPOSITIONS_BEFORE_NOUN
    ):
        return None  # a noun or adjective: "the report", "so-called", "from noted scholars"
    if base == "call" and w == "called" and prev not in AUXILIARIES and prev not in CUE_ADVERBS and i > 0 and (
        not toks[i - 1].text[:1].isupper() and prev not in PRONOUNS_SUBJ
    ):
        return None  # "a website called ...": a name, not a call
    if w == base and w not in ("say", "tell", "ask", "argue", "think", "believe", "know", "want", "hope", "expect",
                               "warn", "insist", "claim", "fear", "agree", "predict", "suggest", "write", "add"):
        # Bare forms of words that are also nouns need a finite context.
        if not (prev in AUXILIARIES or prev in ("i", "we", "they", "you", "to") or prev in CUE_ADVERBS):
            return None
    if w == base and prev == "to" and not (i >= 3 and toks[i - 2].lower == "on" and toks[i - 3].lower == "went"):
        return None  # "expected to announce": not itself an attribution
    if w in NOUN_HOMOGRAPHS:
        # "reports", "claims", "states" are mostly nouns: a verb after a name or a pronoun
        p_tok = toks[i - 1] if i > 0 else None
        if p_tok is None or not (prev in PRONOUNS_SUBJ or prev in CUE_ADVERBS or prev in ("that", "which")
                                 or (p_tok.text[:1].isupper() and i > 1 and not p_tok.quoted)):
            return None
        if nxt in ("of", "for", "on", "against", "about", "from", "by", "in", "were", "are", "and", ",", ".", ")", "have", "had"):
            return None
    if nxt == ":" and frame in ("think", "to", "object"):
        frame = "say"  # "Mahaney agreed: '...'"
    elif base in ("show", "find", "reveal") and nxt not in (",", ".", "up", "off", "that"):
        frame = "object"  # "a poll showed Clinton ahead"
    elif frame == "think" and nxt != "that":
        # cognition verbs report only with a content clause; after a comma ("..., he believes.")
        if not (nxt in (".", ",") and i >= 2 and toks[i - 1].lower in PRONOUNS_SUBJ) and not (
            base in _BARE_CLAUSE_VERBS and _clause_start(toks, i + 1)
        ):
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
        if toks[s - 1].text[:1].isupper() and s - 1 > 0:
            break  # "Will wrote": a name
        s -= 1
    if w in PAST_PARTICIPLES and w not in VERB_FORMS and not any(t.lower in ("has", "have", "had") for t in toks[s:i]):
        if not any(t.lower in _BE for t in toks[s:i]):
            return None  # a bare participle: "the written law"
    return _Cue(s, i + 1, i, base, frame, "finite")


def _read_sentence(toks: list[Token]) -> list[_Found]:
    cues = _find_cues(toks)
    if not cues:
        colon = _colon_cue(toks)
        if colon is None:
            colon = _quote_tail(toks)
        return [colon] if colon else []
    found: list[_Found] = []
    prev_end = 0
    main_source: tuple[int, int] | None = None
    for cue in cues:
        f = _read_cue(toks, cue, prev_end, main_source)
        if f is not None:
            found.append(f)
            if f.source is not None and cue.form in ("finite",) and not _relative(toks, cue):
                main_source = f.source
        if not _relative(toks, cue):
            prev_end = cue.end
    return _settle(toks, found)


_TAIL_PARTICLES = frozenset("in back out on up".split())


def _quote_tail(toks: list[Token]) -> _Found | None:
    """'"Nooo!" the crowd cried.' / '"It is fantastic," beamed Hartley.': a quotation that
    opens the sentence and closes on a comma, question or exclamation mark, then a speaker
    and a verb not in the lexicon. The position makes it an attribution."""
    n = len(toks)
    k = _first_content(toks)
    if k >= n or not toks[k].quoted:
        return None
    while k < n and toks[k].quoted:
        k += 1
    if k >= n:
        return None
    closing = toks[k - 2].text if k >= 2 else ""
    comma_after = toks[k].text == ","
    if not (closing in (",", "?", "!", "—", "–") or comma_after):
        return None
    t0 = k + 1 if comma_after else k
    e = t0
    while e < n and not toks[e].quoted and toks[e].text not in (",", ".", ";", ":", "!", "?"):
        e += 1
    tail = toks[t0:e]
    if not 2 <= len(tail) <= 10:
        return None
    content = [(_first_content(toks), k)]
    if e + 1 < n and toks[e].text == "," and toks[e + 1].quoted:
        rest = _trim(toks, e + 1, n)
        if rest[1] > rest[0]:
            content.append(rest)
    first = tail[0]
    if first.lower in PRONOUNS_SUBJ and len(tail) >= 2 and _verb_like(tail[1]):
        v = t0 + 1
        ve = v + 1 + (1 if v + 1 < e and toks[v + 1].lower in _TAIL_PARTICLES else 0)
        return _Found((v, ve), (t0, t0 + 1), content, "quote-tail", 0.6, "after" if len(content) == 1 else "around")
    if _verb_like(first) and toks[t0 + 1].text[:1].isupper():
        return _Found((t0, t0 + 1), (t0 + 1, e), content, "quote-tail-inverted", 0.6,
                      "after" if len(content) == 1 else "around")
    # "the crowd cried", "an angry Hollande retaliated": a short noun phrase, then the verb
    for v in range(t0 + 1, min(e, t0 + 6)):
        if _verb_like(toks[v]) and (v + 1 >= e or toks[v + 1].lower in _TAIL_PARTICLES or toks[v + 1].lower in _ADJUNCT_STARTERS):
            if toks[t0].lower in DETERMINERS or toks[t0].text[:1].isupper():
                ve = v + 1 + (1 if v + 1 < e and toks[v + 1].lower in _TAIL_PARTICLES else 0)
                return _Found((v, ve), (t0, v), content, "quote-tail", 0.55, "after" if len(content) == 1 else "around")
            break
    return None


def _verb_like(tok: Token) -> bool:
    """A lower-case past or present verb form: "beamed", "retaliates", "shot"."""
    w = tok.text
    if not w.isalpha() or not w.islower() or len(w) < 3:
        return False
    return w.endswith(("ed", "es")) or w in _IRREGULAR_PAST or (w.endswith("s") and not w.endswith("ss"))


_IRREGULAR_PAST = frozenset(
    """spoke shot cut broke began wrote told said swore sang rang hit put quit threw drew
    read thought taught fought bit flew froze struck stood went came gave""".split()
)


def _relative(toks: list[Token], cue: _Cue) -> bool:
    """A cue in a relative clause: "Kasich, who has refused to endorse him, said ..."."""
    return cue.start > 0 and toks[cue.start - 1].lower in ("who", "which")


def _content_start_barrier(toks: list[Token], lo: int, hi: int) -> int:
    """Index after the last quotation token or hard punctuation in ``toks[lo:hi]``."""
    for k in range(hi - 1, lo - 1, -1):
        t = toks[k]
        if t.quoted or t.text in (";", ":"):
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
    if cue.form == "asked":
        return _read_passive_ask(toks, cue)

    # what follows the cue: time, the addressee, "in a statement"
    j = skip_time(toks, cue.end, n)
    cue_end = cue.end
    if cue.base in ADDRESSEE_TELL or cue.frame == "tell":
        a_end = addressee_end(toks, j, n)
        j = skip_time(toks, a_end, n)
    m = medium_phrase_end(toks, j, n)
    medium = m > j
    if m > j:
        if j == cue.end and toks[j].lower == "in":
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

    if cue.start > 0 and toks[cue.start - 1].lower == "and" and main_source is not None:
        src = main_source  # "He pledged ... and said that ...": one speaker, two cues
        s, e = _content_after(toks, j + (1 if j < n and toks[j].text in (",", ":") else 0), cue)
        if e <= s or (cue.frame == "think" and toks[s].lower != "that"):
            return None
        return _Found((cue.start, cue_end), src, [(s, e)], "shared-subject", strength - 0.05, "before")
    src = subject_before(toks, lo, cue.start)
    if src is not None and toks[src[0]].lower in ("which", "whom", "what") and src[1] - src[0] > 1:
        return None  # "the day which Obama declared ...": an object relative, not a report
    before_words = _has_words(toks, 0, src[0] if src else cue.start)
    after = _after_kind(toks, j)
    # a quotation right before the speaker: '"...," he said.'
    b = (src[0] if src else cue.start) - 1
    if b >= 0 and toks[b].text == "," and not toks[b].quoted:
        b -= 1
    quote_before = b >= 0 and toks[b].quoted
    # "Asked about X, Trump said ...", "When pressed, she said ...": an introduction, not a content
    k0 = _content_begin(toks, src[0] if src else cue.start)
    intro_before = before_words and not quote_before and (
        toks[k0].lower in _INTRODUCERS
        or (toks[k0].lower in _INTRO_PREPOSITIONS and (src[0] if src else cue.start) - k0 <= 10)
    )

    if cue.start == 0 and cue.form == "finite" and toks[0].text[:1].isupper() and cue.frame in ("say", "tell"):
        # 'Said Dorothy Poynter, who grew up with him, "We were so proud."' / 'Added Smith: ...'
        k = j
        while k < n and not toks[k].quoted and toks[k].text != ":":
            k += 1
        if k < n and k > j:
            s0, e0 = _trim(toks, k, n)
            sp = _trim(toks, j, k)
            if e0 > s0 and sp[1] > sp[0]:
                return _Found((cue.start, cue_end), sp, [(s0, e0)], "inverted-initial", strength, "before")
        return None

    # inversion: '"...," said Smith.' -- nothing between the content and the verb
    if src is None and before_words and not intro_before and cue.start > 0 and (
        toks[cue.start - 1].text == "," or toks[cue.start - 1].quoted
    ):
        return _read_inverted(toks, cue, cue_end, j, quote_before, strength)

    if src is not None and before_words and not intro_before and cue.frame in ("say", "tell", "ask", "think") and (
        after in ("end", "comma", "adjunct")
        or (quote_before and after in ("comma-quote", "clause"))
        or (quote_before and after == "quote" and medium)  # '"...," he said on the show "Meet the Press."'
        or (quote_before and after == "that" and _at_end(toks, j + 2))
    ):
        # content before: "The plan will fail, Smith said." / '"A," he said, "B."'
        content = [_trim(toks, _content_begin(toks, src[0]), src[0])]
        rest = None
        if after == "comma-quote" or (after == "comma" and not quote_before):
            rest = _second_part(toks, j)
        elif after == "adjunct":
            k = _skip_adjunct(toks, j)
            if k + 1 < n and toks[k].text == "," and toks[k + 1].quoted:
                rest = _second_part(toks, k)
        if rest is not None:
            content.append(rest)
        content = [c for c in content if c[1] > c[0] and _has_words(toks, c[0], c[1])]
        if not content:
            return None
        conf = strength + (0.1 if quote_before else 0.0)
        position = "after" if rest is None else "around"
        return _Found((cue.start, cue_end), src, content, "content-before", min(conf, 0.95), position)

    # content after: "Smith said (that) ...", "Smith said: ..."
    if after == "colon":
        if _at_end(toks, j + 1):
            if src is None:
                return None
            return _Found((cue.start, cue_end), src, [(j, j)], "colon-after-verb", strength, "before", colon_open=True)
        j += 1
    elif after in ("comma", "comma-quote"):
        j += 1
    if cue.frame == "think" and not (j < n and (toks[j].lower == "that" or (cue.base in _BARE_CLAUSE_VERBS and _clause_start(toks, j)))):
        return None
    s, e = _content_after(toks, j, cue)
    if _relative(toks, cue):
        e = _first_comma(toks, s, e)
    s, e = _trim(toks, s, e)
    s = _quote_after_lead_in(toks, s, e)
    if s < e and toks[s].lower in ("but", "and", "or", "so", "yet") and not toks[s].quoted:
        return None
    if e <= s or not _has_words(toks, s, e):
        return None
    if src is None:
        return None
    conf = strength + (0.05 if toks[s].quoted else 0.0)
    return _Found((cue.start, cue_end), src, [(s, e)], "content-after", min(conf, 0.95), "before")


def _quote_after_lead_in(toks: list[Token], s: int, e: int) -> int:
    """'said in an interview on Monday, "..."' / 'explained it this way: "..."': when a
    quotation closes the content and only a short lead-in ending in a comma or colon comes
    before it, the content is the quotation."""
    if s >= e or toks[s].quoted or toks[s].lower == "that":
        return s
    limit = min(e, s + 16)
    for k in range(s, limit):
        t = toks[k]
        if t.quoted:
            return s
        if t.lower in ("that", "whether", "if") or t.lower in PRONOUNS_SUBJ and k > s:
            return s
        if t.text in (",", ":") and k + 1 < e and toks[k + 1].quoted:
            if all(toks[m].quoted or toks[m].text in (".", ",", ")", "!", "?") for m in range(k + 1, e)):
                return k + 1
            return s
    return s


_INTRO_PREPOSITIONS = frozenset(
    """in on at during after before like with for since despite among following as upon
    under while when unlike amid""".split()
)
_INTRODUCERS = frozenset("asked when while pressed speaking responding writing addressing".split())


def _first_comma(toks: list[Token], s: int, e: int) -> int:
    for k in range(s, e):
        if toks[k].text == "," and not toks[k].quoted:
            return k
    return e


def _read_inverted(
    toks: list[Token], cue: _Cue, cue_end: int, j: int, quote_before: bool, strength: float
) -> _Found | None:
    """'"...," said Smith, a spokesman.' and 'The contrast, said Doyle, would be clear.'"""
    n = len(toks)
    first = _trim(toks, _first_content(toks), cue.start)
    if not quote_before and first[1] - first[0] <= 6:
        # a short unquoted lead: the speaker is interrupting the content
        e = _first_comma(toks, j, n)
        if e < n and e + 1 < n and toks[e + 1].lower in ("who", "whose", "a", "an", "the"):
            e2 = _first_comma(toks, e + 1, n)
            if e2 < n:
                e = e2
        if e >= n - 1:
            return None
        rest = _trim(toks, e + 1, n)
        if rest[1] <= rest[0]:
            return None
        return _Found((cue.start, cue_end), (j, e), [first, rest], "inverted-interrupting", strength, "around")
    sp = speaker_after(toks, j, n)
    if sp is None:
        return None
    content = [first]
    rest = _second_part(toks, sp[1])
    if rest is None and sp[1] < n and toks[sp[1]].quoted and quote_before:
        rest = _trim(toks, sp[1], n)  # the period of "Fla." hid the sentence end
    if rest is not None:
        content.append(rest)
    content = [c for c in content if c[1] > c[0] and _has_words(toks, c[0], c[1])]
    if not content:
        return None
    return _Found((cue.start, cue_end), sp, content, "inverted", strength + 0.05, "after" if rest is None else "around")


# What may follow a cue whose content came before it: "said at a rally", "said after the
# vote", "said in 2008", "said and hung up".
_ADJUNCT_STARTERS = frozenset(
    """at in on to after before during when while as since from with about of via
    and without outside inside near amid following later earlier over across behind
    beside upon under through throughout like alongside among ahead onstage backstage
    off into toward towards then afterward afterwards jan feb mar apr jun jul
    aug sep sept oct nov dec january february march april june july august september
    october november december""".split()
)


def _after_kind(toks: list[Token], j: int) -> str:
    """What follows a cue (after its time words, addressee and medium)."""
    n = len(toks)
    if _at_end(toks, j):
        return "end"
    t = toks[j]
    if t.text == ",":
        return "comma-quote" if j + 1 < n and toks[j + 1].quoted else "comma"
    if t.text == ":":
        return "colon"
    if t.quoted:
        return "quote"
    if t.lower == "that":
        return "that"
    if t.lower in _ADJUNCT_STARTERS or t.text[:1].isdigit() or (t.lower.endswith("ly") and t.lower.isalpha() and len(t.lower) > 4
                                                                 and t.lower not in ("only", "family", "early")):
        return "adjunct"
    return "clause"


def _skip_adjunct(toks: list[Token], j: int) -> int:
    """Index of the comma that ends an adjunct after a cue ("said at a rally, ..."), or of
    the sentence end."""
    n = len(toks)
    k = j
    while k < n and not toks[k].quoted and toks[k].text not in (",", ".", ";", "?", "!"):
        k += 1
    return k


def _after_dateline(toks: list[Token]) -> int:
    """Index after a dateline: "WASHINGTON -", "DECATUR, Ill. —", "BAGHDAD (Reuters) -"."""
    for k in range(min(len(toks), 9)):
        t = toks[k]
        if t.quoted:
            return 0
        if t.text in ("-", "—", "–", "--") and k > 0:
            if toks[0].text.isupper() and len(toks[0].text) > 1:
                return k + 1
            return 0
        if t.text[:1].islower():
            return 0
    return 0


def _content_begin(toks: list[Token], hi: int) -> int:
    """Where a content before its cue begins: the sentence start, or after the last colon
    or semicolon before it ('Trump asserted X: "France is no longer France," he claimed.')."""
    for k in range(hi - 1, -1, -1):
        if toks[k].text in (":", ";") and not toks[k].quoted:
            return k + 1
    return _first_content(toks)


def _first_content(toks: list[Token]) -> int:
    k = _after_dateline(toks)
    while k < len(toks) and toks[k].lower in ("and", "but", "so", "or") and not toks[k].quoted:
        k += 1
    return k


def _content_after(toks: list[Token], j: int, cue: _Cue) -> tuple[int, int]:
    """The content after a cue: to the sentence end, or before a trailing attribution or a
    new clause of the speaker (", adding ...", ", but he urged ...", ", despite ...")."""
    n = len(toks)
    e = n
    for k in range(j, n):
        t = toks[k]
        if t.quoted or t.text != "," or k + 1 >= n or toks[k + 1].quoted:
            continue
        w = toks[k + 1].lower
        w2 = toks[k + 2].lower if k + 2 < n else ""
        if (
            w in _PARTICIPLE_CUES
            or (w == "according" and w2 == "to")
            or (w.endswith("ing") and w.islower() and w not in _NP_ING and len(w) > 5)
            or w in _CLAUSE_BREAKS
            or (w in ("but", "and", "yet") and (w2 in PRONOUNS_SUBJ or w2 in _CLAUSE_BREAKS))
        ):
            e = k
            break
    return _trim(toks, j, e)


# ", despite ...", ", even as ...": where a reported clause usually ends
_CLAUSE_BREAKS = frozenset("despite while whereas although though which where".split())
# -ing words that go on a noun phrase rather than start a new clause
_NP_ING = frozenset("including during regarding concerning following involving according nothing something anything everything".split())


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
    if not toks[k].quoted and (
        w in _PARTICIPLE_CUES or w == "according" or w in _SECOND_PART_STOP or (w.endswith("ing") and w.islower())
    ):
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


_SECOND_PART_STOP = frozenset(
    """who which whose where when while as after before during because since though although
    in at on with for from by to of or referring according""".split()
)


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


def _read_passive_ask(toks: list[Token], cue: _Cue) -> _Found | None:
    """"Asked by Starnes if he believed ..., Carson said" / "When asked whom she supported":
    the asker (after "by") is the speaker, else none is stated; the question is the content,
    up to the comma."""
    n = len(toks)
    j = skip_time(toks, cue.end, n)
    src = None
    if j < n and toks[j].lower == "by":
        k = j + 1
        while k < n and not toks[k].quoted and toks[k].text not in (",", ".") and toks[k].lower not in (
            "whether", "if", "about", "to", "what", "why", "how", "when", "who", "on"
        ):
            k += 1
        if k > j + 1:
            src = (j + 1, k)
        j = skip_time(toks, k, n)
    if j >= n or toks[j].lower not in ("whether", "if", "about", "to", "what", "why", "how", "when", "who",
                                        "whom", "which", "for"):
        return None
    e = _first_comma(toks, j, n)
    s, e = _trim(toks, j, e)
    if e <= s:
        return None
    return _Found((cue.start, cue.end), src, [(s, e)], "asked", 0.55, "before")


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
    """Make the attributions of one sentence disjoint. An attribution inside another's
    content is nested speech, part of that content, and goes ("X said Y told him ..."),
    unless it begins a coordinated clause (", and Jones said ..."), where the earlier
    content stops."""
    found.sort(key=lambda f: f.cue[0])
    keep: list[_Found] = []
    for f in found:
        nested = False
        first = min(f.source[0] if f.source else f.cue[0], f.cue[0])
        if f.rule in ("shared-subject", "participle"):
            first = f.cue[0]
        elif f.position != "before" and f.content and f.content[0][0] > 0 and toks[f.content[0][0] - 1].text in (":", ";"):
            first = f.content[0][0] - 1
        for g in keep:
            if g.position != "before" or not g.content or g.colon_open:
                continue
            cs, ce = g.content[0]
            if not (cs <= first < ce):
                continue
            if toks[first].text in (":", ";"):
                g.content[0] = _trim(toks, cs, first)
                continue
            k = first - 1
            while k > cs and toks[k].lower in CUE_ADVERBS:
                k -= 1
            if f.rule == "shared-subject" and k >= cs and toks[k].lower == "and":
                g.content[0] = _trim(toks, cs, k)
            elif f.rule == "participle" and k >= cs and toks[k].text in (",", "—", "–", "and"):
                g.content[0] = _trim(toks, cs, k)
            elif k >= cs and (toks[k].text == ";" or (
                toks[k].lower in ("and", "but", "while", "whereas", "yet", "although") and k - 1 >= cs
                and toks[k - 1].text == "," and not toks[k - 1].quoted
            )):
                g.content[0] = _trim(toks, cs, k)
            else:
                nested = True
        if not nested and f.position in ("after", "around") and f.content and f.rule in (
            "content-before", "according-to-after", "inverted"
        ):
            cs0 = f.content[0][0]
            ce0 = f.content[0][1]
            # "X told Y Z, the Times reported": X's attribution is the Times' content
            keep = [g for g in keep if not (cs0 <= g.cue[0] < ce0 and g.rule != "colon")]
        if not nested:
            keep.append(f)
    return [f for f in keep if f.colon_open or (f.content and all(e > s for s, e in f.content))]


# --- spans and kinds ----------------------------------------------------------------------


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


def _to_attribution(text: str, toks: list[Token], f: _Found, quotes: QuoteIndex) -> Attribution | None:
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




def _ends_sentence_with_quote(att: Attribution, sent: tuple[int, int], quotes: QuoteIndex) -> bool:
    q = quotes.containing(att.content.end - 1)
    return q is not None and q.end >= sent[1] - 2


def _extend_quote_run(
    text: str, att: Attribution, sents: list[tuple[int, int]], toks_of: _TokenWindow, si: int, quotes: QuoteIndex
) -> Attribution:
    """'"A," he said. "B." "C."': the quotations that follow their attribution in the same
    paragraph, with no cue of their own, are further parts of its content."""
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
