"""Token-level phrase heuristics for attribution: the speaker's noun phrase before or after
a cue, the addressee of "told", and adjuncts ("on Monday", "in a statement") between a cue
and its content. No part-of-speech tagger: closed word classes written out here, and
capitalisation.
"""

from __future__ import annotations

import re

from factdb.extract.sentences import Token

__all__ = [
    "AUXILIARIES",
    "CUE_ADVERBS",
    "addressee_end",
    "medium_phrase_end",
    "skip_time",
    "speaker_after",
    "subject_before",
]

AUXILIARIES = frozenset(
    [
        "has", "have", "had", "having", "will", "would", "could", "can", "may", "might", "must", "should", "shall",
        "did", "does", "do", "is", "was", "were", "are", "be", "been", "being", "'s", "’s",
    ]
    + [
        neg + apo + "t"
        for neg in ("didn", "doesn", "don", "won", "wouldn", "couldn", "can", "hasn", "haven", "hadn", "isn",
                    "wasn", "weren", "aren", "shouldn")
        for apo in ("'", "’")
    ]
)
# Adverbs that sit between a speaker and the cue, or right before a cue, and belong to the cue.
CUE_ADVERBS = frozenset(
    [
        "also", "later", "previously", "repeatedly", "recently", "again", "once", "then", "now", "often",
        "frequently", "reportedly", "publicly", "privately", "flatly", "quickly", "immediately", "just", "even",
        "still", "never", "already", "long", "first", "initially", "subsequently", "separately", "similarly",
        "likewise", "further", "additionally", "openly", "loudly", "bluntly", "angrily", "simply", "finally",
        "ultimately", "earlier", "since", "not", "n't", "famously", "notably", "memorably", "correctly", "rightly",
        "wrongly", "falsely", "clearly", "explicitly", "specifically", "directly", "indirectly", "personally",
        "formally", "officially", "essentially", "basically", "apparently", "reportedly", "allegedly", "herself",
        "himself", "themselves", "itself", "too", "already", "always", "both", "each",
    ]
)
_DAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_MONTHS = frozenset(
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
)
_DAY_PARTS = frozenset(["morning", "afternoon", "evening", "night"])
_TIME_WORDS = frozenset([
    "yesterday", "today", "tonight", "earlier", "later", "recently", "again", "afterward", "afterwards", "then",
])
_TIME_UNITS = frozenset([
    "week", "month", "year", "weekend", "day", "days", "weeks", "months", "years", "night", "summer", "fall",
    "spring", "winter",
])
PRONOUNS_SUBJ = frozenset(["he", "she", "they", "it", "we", "i", "you", "who", "one"])
PRONOUNS_OBJ = frozenset(["me", "him", "her", "us", "them", "you", "it"])
DETERMINERS = frozenset(
    [
        "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your", "some",
        "many", "most", "several", "few", "all", "both", "each", "every", "another", "other", "any", "no", "one",
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "thousands",
    ]
)
_CONJUNCTIONS = frozenset(["and", "but", "so", "yet", "or", "nor"])
_LEAD_ADVERBS = frozenset(
    [
        "however", "meanwhile", "still", "instead", "now", "then", "also", "indeed", "moreover", "thus", "finally",
        "later", "earlier", "today", "yesterday", "separately", "nevertheless", "nonetheless", "further",
        "furthermore", "additionally", "but", "and", "so", "yet", "or",
    ]
)
_SUBORDINATORS = frozenset(
    [
        "when", "while", "as", "if", "because", "although", "though", "after", "before", "since", "until", "unless",
        "whereas", "once", "where", "whether",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "in", "on", "at", "after", "before", "during", "since", "for", "with", "from", "by", "about", "into", "onto",
        "over", "under", "through", "throughout", "against", "among", "between", "without", "within", "upon",
        "toward", "towards", "near", "amid", "despite", "via", "per", "like",
    ]
)
# Nouns for the way something is said, in "in a statement", "in an interview with ...".
MEDIUM_NOUNS = frozenset(
    [
        "statement", "interview", "tweet", "tweets", "post", "posts", "speech", "email", "e-mail", "letter", "op-ed",
        "column", "editorial", "memo", "video", "appearance", "address", "remarks", "testimony", "hearing", "press",
        "conference", "news", "release", "message", "briefing", "podcast", "broadcast", "essay", "blog", "note",
        "call", "rally", "radio", "debate", "town", "hall", "show", "book", "filing", "court", "affidavit",
        "documentary", "article", "report", "emails",
    ]
)
_MEDIUM_PARTICIPLES = frozenset(
    [
        "issued", "released", "posted", "published", "sent", "aired", "broadcast", "given", "made", "delivered",
        "carried", "reported", "quoted",
    ]
)
_MEDIUM_HEADS = frozenset([
    "message", "piece", "conference", "call", "release", "session", "event", "clip", "segment", "hall",
])
_WORDLIKE = re.compile(r"\w")
_YEAR = re.compile(r"(?:19|20)\d\d$")


def is_word(tok: Token) -> bool:
    return bool(_WORDLIKE.match(tok.text))


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


def skip_time(toks: list[Token], j: int, hi: int) -> int:
    """Index after any time expressions and cue adverbs starting at ``j``: "on Monday",
    "Tuesday night", "last week", "earlier this month", "in March", "also"."""
    while j < hi:
        w = toks[j].lower
        k = j
        if w in ("on", "late", "early", "last", "this", "next", "earlier", "later", "that") and k + 1 < hi:
            k += 1
            w2 = toks[k].lower
            if w2 in ("this", "last", "that") and k + 1 < hi:
                k += 1
                w2 = toks[k].lower
            if w2 in _DAYS or w2 in _TIME_UNITS or w2 in _MONTHS:
                j = k + 1
                if j < hi and toks[j].lower in _DAY_PARTS:
                    j += 1
                continue
            if w in ("earlier", "later", "last", "late", "early"):
                j += 1  # "earlier," "later on"
                continue
            break
        if w == "that" and j + 1 < hi and toks[j + 1].lower in _DAY_PARTS | {"day", "week"}:
            j += 2  # "that night"
            continue
        dated = j + 1 < hi and (toks[j + 1].lower in _MONTHS or _YEAR.match(toks[j + 1].text))
        if w in ("in", "on", "since") and dated:
            j += 2
            while j < hi and (toks[j].text == "." or toks[j].text.isdigit() or _YEAR.match(toks[j].text)):
                j += 1
            continue
        if w in _MONTHS and j + 1 < hi and (toks[j + 1].text.isdigit() or toks[j + 1].text == "."):
            j += 1
            while j < hi and (toks[j].text == "." or toks[j].text.isdigit() or toks[j].text == ","):
                if toks[j].text == "," and not (j + 1 < hi and toks[j + 1].text.isdigit()):
                    break
                j += 1
            continue
        if w in _DAYS:
            j += 1
            if j < hi and toks[j].lower in _DAY_PARTS:
                j += 1
            continue
        if w in _TIME_WORDS or w in CUE_ADVERBS:
            j += 1
            continue
        break
    return j


def medium_phrase_end(toks: list[Token], j: int, hi: int) -> int:
    """End of "in a statement", "in an interview with CNN", "on Twitter", "at a rally" at
    ``j``, or ``j`` when none is there. The phrase stops before "that", a comma, a colon
    or a quotation."""
    if j >= hi or toks[j].lower not in ("in", "on", "at", "during", "via", "through"):
        return j
    k = j + 1
    if k < hi and toks[k].lower in ("twitter", "facebook", "instagram", "cnn", "fox", "msnbc", "air",
                                     "television", "tv", "radio", "camera", "stage"):
        k += 1
        if k < hi and toks[k].lower in ("news",):
            k += 1
        return k
    if k < hi and toks[k].lower in DETERMINERS or (k < hi and toks[k].lower.endswith(("'s", "’s"))):
        k += 1
    # up to four modifiers then a medium noun
    limit = min(hi, k + 5)
    m = k
    while m < limit and is_word(toks[m]) and not toks[m].quoted and toks[m].lower not in ("that", "said", "says"):
        if toks[m].lower in MEDIUM_NOUNS:
            end = m + 1
            while end < hi and (toks[end].lower in MEDIUM_NOUNS or toks[end].lower in _MEDIUM_HEADS):
                end += 1
            if end < hi and toks[end].lower in _MEDIUM_PARTICIPLES:
                # "in a statement issued on Saturday", "in an interview published by ..."
                end = skip_time(toks, end + 1, hi)
                if end + 1 < hi and toks[end].lower in ("by", "to", "on", "in"):
                    k = end + 1
                    while (
                        k < hi and k - end <= 5 and is_word(toks[k]) and not toks[k].quoted and toks[k].lower != "that"
                    ):
                        k += 1
                    if k >= hi or toks[k].lower == "that" or toks[k].text in (",", ".", ":") or toks[k].quoted:
                        end = k  # "carried by state media", "published in the Times"
                return end
            # "with CNN", "on Fox News", "to supporters": a short complement
            if end < hi and toks[end].lower in ("with", "on", "to", "at", "before", "for", "from"):
                e2 = end + 1
                limit2 = min(hi, e2 + 6)
                while e2 < limit2 and is_word(toks[e2]) and not toks[e2].quoted and toks[e2].lower not in (
                    "that", "said", "says", "he", "she", "they"
                ):
                    e2 += 1
                if e2 < hi and (toks[e2].text in (",", ":", ".") or toks[e2].lower == "that"):
                    end = e2
            return end
        m += 1
    return j


# Words that end an addressee phrase ("told MSNBC Monday when asked ...").
_ADDRESSEE_STOPS = frozenset([
    "when", "about", "after", "before", "during", "while", "if", "whether", "to", "why", "how", "what", "who", "he",
    "she", "they", "we", "i",
])


def addressee_end(toks: list[Token], j: int, hi: int) -> int:
    """End of the addressee after "told": "reporters", "CNN", "The New York Times", "him",
    "a crowd in Ohio"; the content starts there."""
    if j >= hi or not is_word(toks[j]) or toks[j].quoted:
        return j
    # content marked by "that", ":" or a quotation not far ahead: the addressee is all before
    for k in range(j, min(hi, j + 12)):
        t = toks[k]
        if t.quoted or t.text in (":", ";") or t.lower == "that":
            if k > j:
                return k
            break
        if t.text == "," and k > j:
            return k
        if k > j and (t.lower in ("said", "says", "told", "and") or t.lower in _ADDRESSEE_STOPS):
            break
    w = toks[j].lower
    if w in PRONOUNS_OBJ:
        return j + 1
    k = j
    if w in DETERMINERS:
        k += 1
        while k < hi and k < j + 4 and is_word(toks[k]) and toks[k].lower not in PRONOUNS_SUBJ:
            if toks[k].lower in _PREPOSITIONS or toks[k].lower in ("that", "and"):
                break
            k += 1
            if toks[k - 1].lower.endswith("s") and not (k < hi and _capitalised(toks[k]) and _capitalised(toks[k - 1])):
                break
        return k
    if _capitalised(toks[j]):
        while k < hi and (_capitalised(toks[k]) or toks[k].lower in ("of", "the", "&")) and not toks[k].quoted:
            k += 1
        return k
    if w.endswith("s") and w not in PRONOUNS_SUBJ:
        return j + 1  # reporters, supporters
    return j


def _chunks(toks: list[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """Comma-separated chunks of ``toks[lo:hi]``; commas inside a parenthesis that closes
    within the stretch do not separate."""
    closes = [k for k in range(lo, hi) if toks[k].text in ")]"]
    last_close = closes[-1] if closes else -1
    out = []
    depth = 0
    s = lo
    for k in range(lo, hi):
        t = toks[k].text
        if t in "([" and k < last_close:
            depth += 1
        elif t in ")]":
            depth = max(0, depth - 1)
        elif t in (",", "—", "–", "--") and depth == 0:
            out.append((s, k))
            s = k + 1
    out.append((s, hi))
    return out


_APPOSITIVE_OPENERS = frozenset([
    "who", "whose", "which", "a", "an", "the", "his", "her", "its", "their", "our", "former",
])
_NEGATIVE_HEAD = frozenset(
    ["there", "this", "that", "these", "those", "what", "which", "here"]
)


_ANONYMITY = frozenset([
    "named", "identified", "anonymity", "anonymously", "authorized", "authorised", "publicly", "record",
])
_QUANTIFIER_LEADS = (("at", "least"), ("at", "most"), ("more", "than"), ("less", "than"), ("fewer", "than"),
                     ("as", "many"), ("about",), ("nearly",), ("almost",), ("roughly",), ("some",), ("over",))


def _strip_trailing_time(toks: list[Token], s: int, e: int) -> int:
    """"Trump on Friday", "Clinton last week": the time is not part of the speaker."""
    for k in range(e - 1, s, -1):
        if toks[k].lower in _DAYS or toks[k].lower in _TIME_UNITS:
            j = k
            while j > s and toks[j - 1].lower in ("on", "last", "this", "late", "early", "earlier", "that", "next"):
                j -= 1
            if j > s and skip_time(toks, j, e) >= e:
                return j
            break
        if e - k > 4:
            break
    return e


def _trim_head(toks: list[Token], s: int, e: int) -> int:
    """Drop leading conjunctions, discourse adverbs and an introductory phrase; inside a
    clause ("after he", "by the time Trump") keep the part after the last subordinator."""
    while s < e and (toks[s].lower in _LEAD_ADVERBS or toks[s].lower in _CONJUNCTIONS):
        s += 1
    for lead in _QUANTIFIER_LEADS:
        if tuple(t.lower for t in toks[s:s + len(lead)]) == lead:
            return s  # "at least a dozen members of Congress"
    # a subordinate clause ending in the subject: "Trump was jeered after he refused"
    for k in range(e - 2, s, -1):
        w = toks[k].lower
        opens_clause = w in _SUBORDINATORS or w in ("that", "which", "who", "whom", "what")
        if opens_clause and w not in ("as", "once", "where") and not toks[k].quoted:
            if w in ("who", "that") and any(t.lower in _ANONYMITY for t in toks[k + 1:e]):
                break  # "an official who asked not to be named": part of the speaker
            if e - (k + 1) <= 6:
                return k + 1
            break
    if e - s > 1 and toks[e - 1].lower in ("who", "which") and not toks[e - 1].quoted:
        return e - 1  # "teachers unions who said": the relative pronoun stands for them
    if e - s > 6 and toks[e - 1].lower in ("he", "she", "they", "i", "we"):
        return e - 1  # "Marco Rubio spoke over boos as he": the pronoun
    if s < e and (toks[s].lower in _SUBORDINATORS or toks[s].lower in _PREPOSITIONS):
        # "After the debate Trump said": the subject is the capitalised run or pronoun at the end
        k = e - 1
        while k > s and (_capitalised(toks[k]) or toks[k].lower in ("'s", "’s")):
            k -= 1
        if toks[k].lower in PRONOUNS_SUBJ:
            return k
        if k + 1 < e:
            return k + 1
        if toks[s].lower in _SUBORDINATORS and e - s <= 5:
            return s + 1  # "As one employee told ...": the subordinator goes
        return e
    return s


_INTRO_APPOSITIVE = frozenset([
    "in", "at", "on", "during", "speaking", "writing", "asked", "appearing", "talking", "responding",
])


def _participle_chunk(toks: list[Token], c: tuple[int, int]) -> bool:
    """"speaking on a plane", "where he had attended": a chunk that modifies a speaker."""
    w = toks[c[0]].lower
    return (w.endswith("ing") and len(w) > 4 and w.isalpha()) or w in ("where", "when", "whom")


def _time_chunk(toks: list[Token], c: tuple[int, int]) -> bool:
    """"A few weeks later", "On Monday", "Last year": a time phrase, not a speaker."""
    words = {t.lower for t in toks[c[0]:c[1]]}
    return skip_time(toks, c[0], c[1]) >= c[1] or bool(words & {"later", "ago", "earlier", "meanwhile"}) or bool(
        words & _DAYS and c[1] - c[0] <= 4
    )


def subject_before(toks: list[Token], lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker's noun phrase in ``toks[lo:hi]``, the stretch right before a cue (its
    auxiliaries and adverbs already removed): ``(start, end)`` token indices, or None.

    "Samantha Phillips, the city's director," -> the whole appositive phrase;
    "In a statement, the company" -> "the company"; "But he" -> "he".
    """
    if hi <= lo:
        return None
    chunks = _chunks(toks, lo, hi)
    if len(chunks) >= 2 and chunks[-1][0] == chunks[-1][1]:
        # The stretch ends with a comma: "Name, appositive," or "Name, who ...,". A single
        # chunk ending with a comma is a content before an inverted cue ("..., said X").
        chunks = chunks[:-1]
        if len(chunks) < 2:
            return None
        end = chunks[-1][1]
        i = len(chunks) - 2
        while i > 0 and (toks[chunks[i][0]].lower in _APPOSITIVE_OPENERS or _participle_chunk(toks, chunks[i])) and (
            chunks[i - 1][1] - chunks[i - 1][0] <= 8 and not _time_chunk(toks, chunks[i - 1])
        ):
            i -= 1
        # a relative clause may hold commas of its own ("the committee, which includes A, B
        # and C, said"): the head is the chunk before the first "which"/"who" chunk
        rel = next((k for k in range(1, len(chunks)) if toks[chunks[k][0]].lower in ("which", "who", "whose")), None)
        if rel is not None and rel - 1 < i and chunks[rel - 1][1] - chunks[rel - 1][0] <= 8:
            i = rel - 1
        head_is_name = chunks[i][1] - chunks[i][0] <= 5 and _capitalised(toks[chunks[i][0]])
        if any(c[1] - c[0] > (25 if head_is_name else 15) for c in chunks[i + 1:]):
            return None
        s = _trim_head(toks, chunks[i][0], chunks[i][1])
        if s >= chunks[i][1] or chunks[i][1] - s > 12:
            if chunks[-1][1] - chunks[-1][0] <= 4 and _capitalised(toks[chunks[-1][0]]):
                return chunks[-1]  # "The head of the group backing Bush, Mike Murphy,"
            return None
        if i + 1 < len(chunks) and toks[chunks[i + 1][0]].lower in _INTRO_APPOSITIVE:
            return (s, chunks[i][1])  # "Corey Lewandowski, in a statement, said"
        return (s, end)
    s, e = chunks[-1]
    while s < e and toks[s].text in ("(", "[", "-", "—", "–", "..."):
        s += 1
    e = _strip_trailing_time(toks, s, e)
    s = _trim_head(toks, s, e)
    if s >= e:
        return None
    if e - s == 1 and toks[s].lower in _NEGATIVE_HEAD:
        return None
    return (s, e)


def speaker_after(toks: list[Token], j: int, hi: int) -> tuple[int, int] | None:
    """The speaker after an inverted cue ("..., said Geoff Garin, a pollster.") up to the
    sentence end, a colon or a reopened quotation."""
    k = j
    while k < hi:
        t = toks[k]
        if t.quoted or t.text in (":", ";", "?", "!") or (t.text == "." and (k + 1 >= hi or toks[k + 1].quoted)):
            break
        if t.text == "," and k + 1 < hi:
            w = toks[k + 1].lower
            participle = w.endswith("ing") and w.islower() and len(w) > 4
            if toks[k + 1].quoted or w in ("whose", "which", "but") or participle:
                break
            if w == "who" and k + 2 < hi and toks[k + 2].lower in ("said", "says", "noted", "added", "told", "wrote"):
                break
        k += 1
    e = k
    if e < hi and toks[e].quoted:
        # a quotation inside the speaker's relative clause ("who waited in an "endless" line"):
        # the speaker ends before the clause
        for m in range(j + 1, e):
            if toks[m].lower in ("who", "which", "whose") or (
                toks[m].text == ","
                and m + 1 < e
                and toks[m + 1].lower in ("before", "after", "during", "at", "in", "on", "a", "an")
            ):
                e = m
                break
    while e > j and toks[e - 1].text in (",", "—", "–", "-"):
        e -= 1
    if e <= j:
        return None
    return (j, e)
