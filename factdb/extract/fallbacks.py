"""Attributions read from the shape of a sentence when no lexicon cue is there:
"Trump: We will win", '"Nooo!" the crowd cried', 'Kasich resisted: "..."', a quotation and
a dash and a name, "In a new poll, ...".
"""

from __future__ import annotations

from factdb.extract.contents import (
    ADJUNCT_STARTERS,
    Found,
    content_start_barrier,
    first_content,
    sentence_subject,
    trim,
)
from factdb.extract.detect import verb_like
from factdb.extract.phrases import (
    DETERMINERS,
    PRONOUNS_SUBJ,
    subject_before,
)
from factdb.extract.sentences import Token

__all__ = [
    "DASHES",
    "colon_cue",
    "colon_quote",
    "document_intro",
    "quote_dash_name",
    "quote_tail",
]

_COLON_STOP = frozenset(
    [
        "update", "updated", "note", "editor", "photo", "image", "video", "source", "sources", "watch", "read",
        "related", "see", "warning", "caption", "credit", "correction", "disclosure", "advertisement", "ad", "q", "a",
        "here", "what", "why", "how", "when", "where", "who", "this", "that", "it", "the", "and", "but", "so", "step",
    ]
)


_NAME_PREFIXES = frozenset(["mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col"])


DASHES = frozenset({"-", "—", "–", "―", "--"})


# Documents that "say" things: "In a new poll, ..." / "In the report, ...".
_DOCUMENT_NOUNS = frozenset(
    [
        "poll", "polls", "survey", "surveys", "study", "studies", "report", "reports", "analysis", "memo", "letter",
        "filing", "statement", "op-ed", "column", "editorial", "essay", "book", "interview", "ranking", "rankings",
        "rankings", "data", "document", "documents", "email", "emails", "tweet", "post", "transcript", "ruling",
        "complaint", "lawsuit",
    ]
)


def quote_dash_name(toks: list[Token]) -> Found | None:
    """'“Maybe we can build a wall around him.” ― Steve Quinlan': a quotation, a dash, a name."""
    n = len(toks)
    k = first_content(toks)
    if k >= n or not toks[k].quoted:
        return None
    q0 = k
    while k < n and toks[k].quoted:
        k += 1
    if k + 1 >= n or toks[k].text not in DASHES or not toks[k + 1].text[:1].isupper() or n - k > 14:
        return None
    e = n
    while e > k + 1 and toks[e - 1].text in (".", ","):
        e -= 1
    return Found((k, k + 1), (k + 1, e), [(q0, k)], "dash-byline", 0.5, "after")


def document_intro(toks: list[Token]) -> Found | None:
    """"In a new Quinnipiac poll, Clinton leads by six points": the document is the speaker,
    "In" the cue, the rest of the sentence the content (only when no cue is there)."""
    n = len(toks)
    if n < 6 or toks[0].lower not in ("in", "by") or toks[0].quoted:
        return None
    c = next((k for k in range(2, min(n, 14)) if toks[k].text == "," and not toks[k].quoted), None)
    if c is None or not any(t.lower in _DOCUMENT_NOUNS for t in toks[1:c]):
        return None
    s, e = trim(toks, c + 1, n)
    if e - s < 3:
        return None
    return Found((0, 1), (1, c), [(s, e)], "document-intro", 0.45, "before")


_TAIL_PARTICLES = frozenset(["in", "back", "out", "on", "up"])


def colon_quote(toks: list[Token], found: list[Found]) -> Found | None:
    """'Kasich resisted: "..."' / 'The timing does not surprise pollster Daron Shaw: "..."':
    a quotation after a colon that closes the sentence, when no cue claimed it. The
    speaker is the name right before the colon, or else the sentence's subject, and the
    words between are the cue."""
    n = len(toks)
    c = next((k for k in range(1, n - 1) if toks[k].text in (":", ",") and not toks[k].quoted and toks[k + 1].quoted
              and (toks[k].text == ":" or verb_like(toks[k - 1]) or toks[k - 1].lower.endswith("ing"))), None)
    if c is None or not all(t.quoted or t.text in (".", ")") for t in toks[c + 1:]):
        return None
    q0 = c + 1
    for f in found:
        if any(s <= q0 < e for s, e in f.content) or f.colon_open or f.cue[0] <= c < f.cue[1]:
            return None
    content = [trim(toks, q0, n)]
    if toks[c].text == ",":
        # 'Silverman interjected, "..."' / '..., shouting "she wins, we lose!"'
        v = c - 1
        if toks[v].lower.endswith("ing") and v > 0 and toks[v - 1].text == ",":
            subj = sentence_subject(toks, v)
            return Found((v, v + 1), subj, content, "verb-quote", 0.45, "before") if subj else None
        subj = subject_before(toks, content_start_barrier(toks, 0, v), v)
        if subj is None or subj[1] != v or subj[1] - subj[0] > 8:
            return None
        return Found((v, v + 1), subj, content, "verb-quote", 0.45, "before")
    # a name right before the colon: "... pollster Daron Shaw:"
    k = c
    while k > 0 and toks[k - 1].text[:1].isupper() and not toks[k - 1].quoted:
        k -= 1
    if c - k >= 2 and k > 0:
        j = k
        while j > 0 and toks[j - 1].lower in ("pollster", "spokesman", "spokeswoman", "analyst", "strategist",
                                              "adviser", "advisor", "professor", "economist", "director"):
            j -= 1
        return Found((c, c + 1), (j, c), content, "colon-quote", 0.5, "before")
    subj = sentence_subject(toks, c)
    if subj is None or subj[1] >= c or c - subj[1] > 10:
        return None
    return Found((subj[1], c + 1), subj, content, "colon-quote", 0.5, "before")


def quote_tail(toks: list[Token]) -> Found | None:
    """'"Nooo!" the crowd cried.' / '"It is fantastic," beamed Hartley.': a quotation that
    opens the sentence and closes on a comma, question or exclamation mark, then a speaker
    and a verb not in the lexicon. The position makes it an attribution."""
    n = len(toks)
    k = first_content(toks)
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
    content = [(first_content(toks), k)]
    if e + 1 < n and toks[e].text == "," and toks[e + 1].quoted:
        rest = trim(toks, e + 1, n)
        if rest[1] > rest[0]:
            content.append(rest)
    first = tail[0]
    if first.lower in PRONOUNS_SUBJ and len(tail) >= 2 and verb_like(tail[1]):
        v = t0 + 1
        ve = v + 1 + (1 if v + 1 < e and toks[v + 1].lower in _TAIL_PARTICLES else 0)
        return Found((v, ve), (t0, t0 + 1), content, "quote-tail", 0.6, "after" if len(content) == 1 else "around")
    if verb_like(first) and toks[t0 + 1].text[:1].isupper():
        return Found((t0, t0 + 1), (t0 + 1, e), content, "quote-tail-inverted", 0.6,
                      "after" if len(content) == 1 else "around")
    # "the crowd cried", "an angry Hollande retaliated": a short noun phrase, then the verb
    for v in range(t0 + 1, min(e, t0 + 6)):
        ends = v + 1 >= e or toks[v + 1].lower in _TAIL_PARTICLES or toks[v + 1].lower in ADJUNCT_STARTERS
        if verb_like(toks[v]) and ends:
            if toks[t0].lower in DETERMINERS or toks[t0].text[:1].isupper():
                ve = v + 1 + (1 if v + 1 < e and toks[v + 1].lower in _TAIL_PARTICLES else 0)
                return Found((v, ve), (t0, v), content, "quote-tail", 0.55, "after" if len(content) == 1 else "around")
            break
    return None


def colon_cue(toks: list[Token]) -> Found | None:
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
    s, e = trim(toks, k + 1, n)
    if e <= s:
        return None
    return Found((k, k + 1), (0, k), [(s, e)], "colon", 0.6, "before")
