"""Token-range helpers shared by the rules that read a sentence's attributions: where a
content begins and ends, what follows a cue, and the record a rule builds (``Found``).
"""

from __future__ import annotations

from dataclasses import dataclass

from factdb.extract.cues import (
    PARTICIPLES,
    VERB_FORMS,
)
from factdb.extract.detect import PARTICIPLE_CUES, Cue, verb_like
from factdb.extract.phrases import (
    PRONOUNS_SUBJ,
    skip_time,
)
from factdb.extract.sentences import Token

__all__ = [
    "ADJUNCT_STARTERS",
    "INTRO_PREPOSITIONS",
    "Found",
    "after_kind",
    "at_end",
    "content_after",
    "content_begin",
    "content_start_barrier",
    "first_comma",
    "first_content",
    "has_words",
    "object_end",
    "quote_after_lead_in",
    "quote_then_tail",
    "second_part",
    "sentence_subject",
    "skip_adjunct",
    "trim",
]

_TERMINAL = frozenset({".", "?", "!", "...", ";"})


@dataclass(slots=True)
class Found:
    """An attribution being built, in token indices of one sentence."""

    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: list[tuple[int, int]]  # token ranges
    rule: str
    confidence: float
    position: str  # "before" (content after cue), "after" (content before cue), "around"
    colon_open: bool = False  # the cue ends with a colon and nothing follows in the sentence


def content_start_barrier(toks: list[Token], lo: int, hi: int) -> int:
    """Index after the last quotation token or hard punctuation in ``toks[lo:hi]``."""
    for k in range(hi - 1, lo - 1, -1):
        t = toks[k]
        if t.quoted or t.text in (";", ":"):
            return k + 1
    return lo


def at_end(toks: list[Token], j: int) -> bool:
    n = len(toks)
    while j < n and (toks[j].text in _TERMINAL or (toks[j].text in ('"', "”", "''", "’") and not toks[j].quoted)):
        j += 1
    return j >= n


def has_words(toks: list[Token], s: int, e: int) -> bool:
    return any(toks[k].text[:1].isalnum() for k in range(s, e))


def trim(toks: list[Token], s: int, e: int) -> tuple[int, int]:
    """Drop punctuation (not quotation marks) and joining words at both ends."""
    while s < e and (toks[s].text in (",", ";", ":", "—", "–", "-", "--", ".") and not toks[s].quoted):
        s += 1
    while e > s and (
        (toks[e - 1].text in (",", ";", ":", "—", "–", "-", "--", ".", "?", "!") and not toks[e - 1].quoted)
        or toks[e - 1].lower in ("and", "but", "or")
    ):
        e -= 1
    return s, e


_QUOTE_TAIL_STARTS = frozenset(
    [
        "before", "after", "as", "while", "when", "because", "since", "in", "on", "at", "during", "with", "to", "for",
        "and", "as",
    ]
)


_OBJECT_ADJUNCTS = frozenset([
    "during", "at", "after", "before", "while", "when", "since", "following", "amid", "despite", "through", "via",
])


def object_end(toks: list[Token], s: int, e: int) -> int:
    """Where the object of an evaluation verb ends ("endorsed Clinton during a call",
    "called him divisive and accused him of ..."): before a comma, a time or place adjunct,
    or a second verb joined by "and"."""
    for k in range(s + 1, e):
        t = toks[k]
        if t.quoted:
            continue
        w = t.lower
        if t.text in (",", ";", "—", "–", "--", "-") or w in _OBJECT_ADJUNCTS or w == "but":
            return k
        if w in ("on", "last", "this", "earlier", "yesterday", "today") and skip_time(toks, k, e) > k and (
            skip_time(toks, k, e) >= e or toks[skip_time(toks, k, e)].text in (",", ".", ";")
        ):
            return k  # "denied the accusations on Tuesday": the time is not the object
        if w == "and" and k + 1 < e and not toks[k + 1].quoted and (
            toks[k + 1].lower in VERB_FORMS or toks[k + 1].lower in PARTICIPLES or verb_like(toks[k + 1])
            and not toks[k + 1].lower.endswith("s")
        ):
            return k
    return e


def quote_then_tail(toks: list[Token], s: int, e: int) -> int:
    """'cautioned “let's not get ahead of ourselves,” before predicting ...': a content that
    opens with a quotation ends with it when an adjunct or a new clause follows."""
    if s >= e or not toks[s].quoted:
        return e
    k = s
    while k < e and toks[k].quoted:
        k += 1
    if k >= e:
        return e
    w = toks[k].lower
    comma_inside = k >= 2 and toks[k - 2].text == ","  # "''the prior economy model,'' the club ..."
    participle = w.endswith("ing") and w.islower() and len(w) > 4
    if toks[k].text == "," or comma_inside or w in _QUOTE_TAIL_STARTS or participle:
        return k
    return e


def quote_after_lead_in(toks: list[Token], s: int, e: int) -> int:
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


INTRO_PREPOSITIONS = frozenset(
    [
        "in", "on", "at", "during", "after", "before", "like", "with", "for", "since", "despite", "among",
        "following", "as", "upon", "under", "while", "when", "unlike", "amid",
    ]
)


def first_comma(toks: list[Token], s: int, e: int) -> int:
    for k in range(s, e):
        if toks[k].text == "," and not toks[k].quoted:
            return k
    return e


# What may follow a cue whose content came before it: "said at a rally", "said after the
# vote", "said in 2008", "said and hung up".
ADJUNCT_STARTERS = frozenset(
    [
        "at", "in", "on", "to", "after", "before", "during", "when", "while", "as", "since", "from", "with", "about",
        "of", "via", "and", "without", "outside", "inside", "near", "amid", "following", "later", "earlier", "over",
        "across", "behind", "beside", "upon", "under", "through", "throughout", "like", "alongside", "among", "ahead",
        "onstage", "backstage", "off", "into", "toward", "towards", "then", "afterward", "afterwards", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february", "march",
        "april", "june", "july", "august", "september", "october", "november", "december",
    ]
)


def after_kind(toks: list[Token], j: int) -> str:
    """What follows a cue (after its time words, addressee and medium)."""
    n = len(toks)
    if at_end(toks, j):
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
    adverb = t.lower.endswith("ly") and t.lower.isalpha() and len(t.lower) > 4
    if t.lower in ADJUNCT_STARTERS or t.text[:1].isdigit() or (adverb and t.lower not in ("only", "family", "early")):
        return "adjunct"
    return "clause"


def skip_adjunct(toks: list[Token], j: int) -> int:
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


def content_begin(toks: list[Token], hi: int) -> int:
    """Where a content before its cue begins: the sentence start, or after the last colon
    or semicolon before it ('Trump asserted X: "France is no longer France," he claimed.')."""
    for k in range(hi - 1, -1, -1):
        if toks[k].text in (":", ";") and not toks[k].quoted:
            return k + 1
    return first_content(toks)


def first_content(toks: list[Token]) -> int:
    k = _after_dateline(toks)
    while k < len(toks) and toks[k].lower in ("and", "but", "so", "or") and not toks[k].quoted:
        k += 1
    return k


def content_after(toks: list[Token], j: int, cue: Cue) -> tuple[int, int]:
    """The content after a cue: to the sentence end, or before a trailing attribution or a
    new clause of the speaker (", adding ...", ", but he urged ...", ", despite ...")."""
    n = len(toks)
    e = n
    for k in range(j, n):
        t = toks[k]
        # a comma outside the marks, or inside a closing one ('“... party,” claiming that')
        inner_comma = t.quoted and t.text in _CLOSING and k > j and toks[k - 1].text == ","
        if not (t.text == "," and not t.quoted or inner_comma) or k + 1 >= n or toks[k + 1].quoted:
            continue
        w = toks[k + 1].lower
        w2 = toks[k + 2].lower if k + 2 < n else ""
        if (
            w in PARTICIPLE_CUES
            or (w == "according" and w2 == "to")
            or (w.endswith("ing") and w.islower() and w not in _NP_ING and len(w) > 5)
            or w in _CLAUSE_BREAKS
            or (w in ("but", "and", "yet") and (w2 in PRONOUNS_SUBJ or w2 in _CLAUSE_BREAKS))
        ):
            e = k
            break
    return trim(toks, j, e + 1 if e < n and toks[e].quoted else e)


_CLOSING = frozenset({"”", '"', "''", "’", "»"})
# ", despite ...", ", even as ...": where a reported clause usually ends
_CLAUSE_BREAKS = frozenset(["despite", "while", "whereas", "although", "though", "which", "where", "compared"])


# -ing words that go on a noun phrase rather than start a new clause
_NP_ING = frozenset(
    [
        "including", "during", "regarding", "concerning", "following", "involving", "according", "nothing",
        "something", "anything", "everything",
    ]
)


def second_part(toks: list[Token], j: int) -> tuple[int, int] | None:
    """The content resumed after an interrupting attribution: '..., he said, "B."'."""
    n = len(toks)
    k = skip_time(toks, j, n)
    if k < n and toks[k].text == "," or k < n and toks[k].text == ":":
        k += 1
    else:
        return None
    if k >= n:
        return None
    w = toks[k].lower
    if not toks[k].quoted and (
        w in PARTICIPLE_CUES or w == "according" or w in _SECOND_PART_STOP or (w.endswith("ing") and w.islower())
    ):
        return None
    s, e = trim(toks, k, n)
    # cut at a trailing attribution
    for m in range(s, e):
        if toks[m].text == "," and m + 1 < e and toks[m + 1].lower in PARTICIPLE_CUES:
            e = m
            break
    if e <= s or not has_words(toks, s, e):
        return None
    return (s, e)


_SECOND_PART_STOP = frozenset(
    [
        "who", "which", "whose", "where", "when", "while", "as", "after", "before", "during", "because", "since",
        "though", "although", "in", "at", "on", "with", "for", "from", "by", "to", "of", "or", "referring",
        "according",
    ]
)


def sentence_subject(toks: list[Token], hi: int) -> tuple[int, int] | None:
    """The speaker a participle cue shares with its sentence: the leading noun phrase."""
    k = 0
    while k < hi and toks[k].lower in ("and", "but", "so"):
        k += 1
    if k < hi and toks[k].lower in INTRO_PREPOSITIONS:
        # "In June, Axelrod emailed ...": the subject follows the introductory phrase
        c = next((m for m in range(k, min(hi, k + 10)) if toks[m].text == "," and not toks[m].quoted), None)
        if c is None:
            return None
        k = c + 1
    if k < hi and toks[k].lower in PRONOUNS_SUBJ:
        return (k, k + 1)
    s = k
    while (
        k < hi
        and (toks[k].text[:1].isupper() or toks[k].lower in ("of", "the", "'s", "’s", "."))
        and not toks[k].quoted
    ):
        k += 1
    if k > s:
        return (s, k)
    return None
