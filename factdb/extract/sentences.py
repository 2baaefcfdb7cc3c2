"""Sentences and word tokens of a news article, as character offsets.

A sentence never ends inside a quotation: ``“We will win. They will lose,” he said.`` is one
sentence, the unit in which an attribution is read. Abbreviations common in news (titles,
months, initials, "U.S.") do not end a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from factdb.extract.quotations import QuoteIndex

__all__ = ["Token", "paragraphs", "sentences", "tokenize"]

# A sentence end: terminal punctuation, optional closing marks/brackets, then space.
_END = re.compile(r"[.!?]+(?:''|[\"”’')\]])*(?=\s)|\n")

# Words that end with a period without ending the sentence (lower-cased, without the period).
_ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "reps", "gov", "govs", "gen", "lt", "col", "maj", "sgt",
        "capt", "cmdr", "adm", "cpl", "pvt", "pres", "sec", "supt", "insp", "det", "st", "ste", "mt", "ft", "jr",
        "sr", "prof", "rev", "hon", "atty", "amb", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "no", "nos", "vs", "v", "inc", "corp", "co", "ltd", "bros", "dept", "univ", "est",
        "approx", "fig", "vol", "pp", "ca", "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill",
        "ind", "kan", "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
        "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
    ]
)
# After a dotted abbreviation such as "U.S." a sentence ends only when one of these starts
# the next one (the usual case is "the U.S. Senate").
_SENTENCE_OPENERS = frozenset(
    [
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "but", "and", "this", "that", "these", "those",
        "there", "his", "her", "its", "their", "our", "in", "on", "at", "after", "before", "when", "while", "as",
        "if", "some", "many", "most", "mr", "mrs", "ms",
    ]
)

TOKEN = re.compile(
    r"\d+(?:[.,]\d+)+"  # 14,000 and 4.5: one number, not a comma
    r"|(?:[A-Za-z]\.){2,}"  # U.S., D.C., a.m.
    r"|\w+(?:['’\-]\w+)*(?:['’](?=\s|$|[,.;:!?]))?"  # words, don't, Iran's, officials'
    r"|''|``|\.\.\.|--|[^\w\s]",
    re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    quoted: bool  # inside a quotation (a cue is never read there)


_PARAGRAPH = re.compile(r"[^\n]+")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every non-empty line of ``text``."""
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


# After a quotation that ends in . ! or ?, its attribution may follow as if it were a new
# sentence: '"Get out!" Trump said.' / '"Why?" asked Smith.' It belongs to the quotation.
_ATTRIBUTION_AFTER_QUOTE = re.compile(
    r"\s+(?:(?:[A-Z][\w.’'-]*|the|a|an|of|[a-z]+’s|[a-z]+'s)\s+){0,6}?"
    r"(?:also\s+|then\s+|later\s+)?"
    r"(?:said|says|say|asked|asks|told|tells|added|adds|wrote|writes|replied|replies|responded|"
    r"continued|explained|noted|recalled|exclaimed|shouted|yelled|declared|insisted|argued|"
    r"tweeted|quipped|joked|laughed|cried|screamed|chanted|wondered|concluded|warned)"
    # ... and then the sentence ends or only an adjunct follows (not "He added that ...")
    r"(?=\s*[,.;:!?]|\s+(?:on|in|at|to|during|after|before|while|as|of|about|from|with|last|this|"
    r"yesterday|today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"|\s+(?:said|says|asked|asks|added|adds|wrote|writes|replied|continued|recalled)\s+[A-Z]"
)


def _ends_sentence(text: str, stop: int, punct_at: int, seg_end: int) -> bool:
    """Whether the terminal punctuation at ``punct_at`` (match ending at ``stop``) ends a
    sentence."""
    after_quote = stop > punct_at + 1 and text[stop - 1] in "\"”’'"
    if after_quote and _ATTRIBUTION_AFTER_QUOTE.match(text, stop, min(seg_end, stop + 90)):
        return False
    nxt = stop
    while nxt < seg_end and text[nxt].isspace():
        nxt += 1
    if nxt >= seg_end:
        return True
    follower = text[nxt]
    if not (follower.isupper() or follower.isdigit() or follower in "\"“‘'`([—–-"):
        return False
    if text[punct_at] != ".":
        return True
    # the word the period closes
    j = punct_at
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(\"“‘":
        j -= 1
    word = text[j:punct_at]
    if not word:
        return True
    bare = word.rstrip(".").lower()
    if bare in _ABBREVIATIONS and not (bare == "no" and not follower.isdigit()):
        return False  # "No. 5", but "said no. But"
    if len(bare) == 1 and bare.isalpha():
        return False  # an initial: John F. Kennedy
    if "." in bare and all(len(p) <= 2 for p in bare.split(".")):
        # U.S. / D.C. at a sentence end only when a typical opener follows
        m = re.match(r"\w+", text[nxt:nxt + 20])
        return m is not None and m.group().lower() in _SENTENCE_OPENERS
    return True


def sentences(text: str, start: int, end: int, quotes: QuoteIndex) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph, or a paragraph run joined by a
    quotation), trimmed of surrounding space."""
    out: list[tuple[int, int]] = []
    s = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if m.group() != "\n":
            if quotes.containing(m.start()) is not None and quotes.containing(stop) is not None:
                continue  # inside a quotation
            q = quotes.containing(m.start())
            if q is not None and q.end > stop:
                continue
            if not _ends_sentence(text, stop, m.start(), end):
                continue
        else:
            if quotes.containing(m.start()) is not None:
                continue  # a quotation running over paragraphs
            stop = m.start()
        _push(text, s, stop, out)
        s = m.end()
    _push(text, s, end, out)
    return out


def _push(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def tokenize(text: str, start: int, end: int, quotes: QuoteIndex) -> list[Token]:
    """Word and punctuation tokens of ``text[start:end]``, each marked quoted or not."""
    toks = []
    for m in TOKEN.finditer(text, start, end):
        s = m.start()
        q = quotes.containing(s)
        # a quotation's own opening and closing marks count as inside it
        toks.append(Token(s, m.end(), m.group(), m.group().lower(), q is not None))
    return toks
