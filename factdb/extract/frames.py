"""Reading each cue of a sentence with the frame of its word: where its speaker and its
content sit ("X said (that) ...", "..., X said.", '"...," said X', "according to X, ...",
"X told Y that ..."), then making the sentence's attributions disjoint (``settle``).
"""

from __future__ import annotations

from factdb.extract.contents import (
    INTRO_PREPOSITIONS,
    Found,
    after_kind,
    at_end,
    content_after,
    content_begin,
    content_start_barrier,
    first_comma,
    first_content,
    has_words,
    object_end,
    quote_after_lead_in,
    quote_then_tail,
    second_part,
    sentence_subject,
    skip_adjunct,
    trim,
)
from factdb.extract.cues import (
    ADDRESSEE_TELL,
    PARTICIPLES,
    VERB_FORMS,
    cue_strength,
)
from factdb.extract.detect import (
    BARE_CLAUSE_VERBS,
    BE_FORMS,
    PARTICIPLE_CUES,
    PREPOSITIONS_BEFORE_NOUN,
    RESTATING_NOUNS,
    Cue,
    clause_start,
    find_cues,
    relative,
    verb_like,
)
from factdb.extract.fallbacks import (
    colon_cue,
    colon_quote,
    document_intro,
    quote_dash_name,
    quote_tail,
)
from factdb.extract.phrases import (
    AUXILIARIES,
    CUE_ADVERBS,
    DETERMINERS,
    addressee_end,
    medium_phrase_end,
    skip_time,
    speaker_after,
    subject_before,
)
from factdb.extract.sentences import Token

__all__ = [
    "OUTER_RULES",
    "read_sentence",
]


def read_sentence(toks: list[Token]) -> list[Found]:
    cues = find_cues(toks)
    if not cues:
        colon = (colon_cue(toks) or quote_tail(toks) or colon_quote(toks, []) or document_intro(toks)
                 or quote_dash_name(toks))
        return [colon] if colon else []
    found: list[Found] = []
    prev_end = 0
    main_source: tuple[int, int] | None = None
    for cue in cues:
        f = _read_cue(toks, cue, prev_end, main_source)
        if f is not None:
            found.append(f)
            if f.source is not None and cue.form in ("finite",) and not relative(toks, cue):
                main_source = f.source
        if not relative(toks, cue):
            prev_end = cue.end
    settled = _settle(toks, found)
    extra = colon_quote(toks, settled)
    return settled + [extra] if extra else settled


def _read_cue(
    toks: list[Token], cue: Cue, prev_end: int, main_source: tuple[int, int] | None
) -> Found | None:
    n = len(toks)
    strength = cue_strength(cue.frame)
    if cue.form == "according":
        return _read_according(toks, cue)
    if cue.form == "adverb":
        return _read_no_source(toks, cue, "reportedly")
    if cue.form == "passive":
        nxt = toks[cue.end].lower if cue.end < n else ""
        if (nxt == "that" or clause_start(toks, cue.end)) and cue.start >= 1 and toks[cue.start - 1].lower == "it":
            s, e = trim(toks, cue.end, n)
            if e <= s:
                return None
            return Found((cue.start - 1, cue.end), None, [(s, e)], "it-was-reported", 0.7, "before")
        return _read_no_source(toks, cue, "passive-no-source")
    if cue.form == "noun":
        return _read_noun(toks, cue)
    if cue.form == "asked":
        return _read_passive_ask(toks, cue)
    if cue.form == "quoted-as":
        return _read_quoted_as(toks, cue)

    # what follows the cue: time, the addressee, "in a statement"
    j = skip_time(toks, cue.end, n)
    j_speaker = j  # where an inverted speaker starts: '"...," asked Senator Adams.'
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

    lo = content_start_barrier(toks, prev_end, cue.start)
    if cue.form == "participle":
        src = main_source
        if src is None:
            src = sentence_subject(toks, cue.start)
        s, e = content_after(toks, j, cue)
        if e <= s:
            return None
        return Found((cue.start, cue_end), src, [(s, e)], "participle", strength - 0.1, "before")

    if cue.start > 0 and toks[cue.start - 1].lower == "and" and (main_source or sentence_subject(toks, cue.start)):
        src = main_source or sentence_subject(toks, cue.start)  # "He pledged ... and said that ...": one speaker
        s, e = content_after(toks, j + (1 if j < n and toks[j].text in (",", ":") else 0), cue)
        if e <= s or (cue.frame == "think" and toks[s].lower != "that"):
            return None
        return Found((cue.start, cue_end), src, [(s, e)], "shared-subject", strength - 0.05, "before")
    src = subject_before(toks, lo, cue.start)
    if src is not None and toks[src[0]].lower in ("which", "whom", "what") and src[1] - src[0] > 1:
        return None  # "the day which Obama declared ...": an object relative, not a report
    restated = _restated_claim(toks, src, cue)
    if restated is not None:
        return restated
    before_words = has_words(toks, 0, src[0] if src else cue.start)
    after = after_kind(toks, j)
    # a quotation right before the speaker: '"...," he said.'
    b = (src[0] if src else cue.start) - 1
    if b >= 0 and toks[b].text == "," and not toks[b].quoted:
        b -= 1
    quote_before = b >= 0 and toks[b].quoted
    # "Asked about X, Trump said ...", "When pressed, she said ...": an introduction, not a content
    k0 = content_begin(toks, src[0] if src else cue.start)
    intro_before = before_words and not quote_before and (
        toks[k0].lower in _INTRODUCERS
        or (toks[k0].text[:1].isupper() and toks[k0].lower.endswith("ing") and len(toks[k0].lower) > 5)
        or (toks[k0].lower in INTRO_PREPOSITIONS and (src[0] if src else cue.start) - k0 <= 10)
    )

    if cue.start == 0 and cue.form == "finite" and toks[0].text[:1].isupper() and cue.frame in ("say", "tell"):
        # 'Said Dorothy Poynter, who grew up with him, "We were so proud."' / 'Added Smith: ...'
        k = j
        while k < n and not toks[k].quoted and toks[k].text != ":":
            k += 1
        if k < n and k > j:
            s0, e0 = trim(toks, k, n)
            sp = trim(toks, j, k)
            if e0 > s0 and sp[1] > sp[0]:
                return Found((cue.start, cue_end), sp, [(s0, e0)], "inverted-initial", strength, "before")
        return None

    # inversion: '"...," said Smith.' -- nothing between the content and the verb
    if src is None and before_words and not intro_before and cue.start > 0 and (
        toks[cue.start - 1].text == "," or toks[cue.start - 1].quoted
    ):
        return _read_inverted(toks, cue, cue_end, j_speaker, quote_before, strength)

    relative_src = src is not None and src[0] > 0 and toks[src[0] - 1].lower in ("which", "whom", "that", "who")
    # "after the department asked Mills to search ..., Hackett said": a subordinate clause;
    # its content is after the cue and ends with the clause
    subordinate_src = src is not None and src[0] > 0 and toks[src[0] - 1].lower in _SUBORDINATE_LEADS
    relative_src = relative_src or subordinate_src
    reads_before = cue.frame in ("say", "tell", "ask", "think")  # evaluations and intentions never do
    if src is not None and before_words and not intro_before and not relative_src and reads_before and (
        after in ("end", "comma", "adjunct")
        or (quote_before and after in ("comma-quote", "clause"))
        or (quote_before and after == "quote" and medium)  # '"...," he said on the show "Meet the Press."'
        or (quote_before and after == "that" and at_end(toks, j + 2))
    ):
        # content before: "The plan will fail, Smith said." / '"A," he said, "B."'
        content = [trim(toks, content_begin(toks, src[0]), src[0])]
        rest = None
        if after == "comma-quote" or (after == "comma" and not quote_before):
            rest = second_part(toks, j)
        elif after == "adjunct":
            k = skip_adjunct(toks, j)
            if k + 1 < n and toks[k].text == "," and toks[k + 1].quoted:
                rest = second_part(toks, k)
        if rest is not None:
            content.append(rest)
        content = [c for c in content if c[1] > c[0] and has_words(toks, c[0], c[1])]
        if not content:
            return None
        conf = strength + (0.1 if quote_before else 0.0)
        position = "after" if rest is None else "around"
        return Found((cue.start, cue_end), src, content, "content-before", min(conf, 0.95), position)

    # content after: "Smith said (that) ...", "Smith said: ..."
    if after == "colon":
        if at_end(toks, j + 1):
            if src is None:
                return None
            return Found((cue.start, cue_end), src, [(j, j)], "colon-after-verb", strength, "before", colon_open=True)
        j += 1
    elif after in ("comma", "comma-quote"):
        j += 1
    bare_clause = cue.base in BARE_CLAUSE_VERBS and clause_start(toks, j)
    if cue.frame == "think" and not (j < n and (toks[j].lower == "that" or bare_clause)):
        return None
    s, e = content_after(toks, j, cue)
    if relative(toks, cue) or subordinate_src:
        e = first_comma(toks, s, e)
    if cue.frame == "object":
        e = object_end(toks, s, e)
    s, e = trim(toks, s, e)
    s = quote_after_lead_in(toks, s, e)
    e = quote_then_tail(toks, s, e)
    if s < e and toks[s].lower in ("but", "and", "or", "so", "yet") and not toks[s].quoted:
        return None
    if e <= s or not has_words(toks, s, e):
        return None
    if src is None:
        return None
    conf = strength + (0.05 if toks[s].quoted else 0.0)
    return Found((cue.start, cue_end), src, [(s, e)], "content-after", min(conf, 0.95), "before")


_INTRODUCERS = frozenset(["asked", "when", "while", "pressed", "speaking", "responding", "writing", "addressing"])


def _ends_with_clause_end(toks: list[Token], r: tuple[int, int]) -> bool:
    """Whether the lead ``toks[r]`` looks complete: a finite clause ("The plan failed")
    rather than a subject waiting for its verb ("The contrast with Trump")."""
    return any(t.lower in _FINITE_HINTS for t in toks[r[0]:r[1]])


# Words that show a lead already holds its verb.
_FINITE_HINTS = frozenset(
    [
        "is", "was", "are", "were", "has", "have", "had", "will", "would", "could", "can", "may", "might", "must",
        "should", "does", "did", "do", "isn't", "wasn't", "aren't", "weren't", "hasn't", "haven't", "won't",
        "wouldn't", "can't", "couldn't", "doesn't", "didn't", "don't", "isn’t", "wasn’t", "aren’t", "weren’t",
        "hasn’t", "haven’t", "won’t", "wouldn’t", "can’t", "couldn’t", "doesn’t", "didn’t", "don’t",
    ]
)


def _read_inverted(
    toks: list[Token], cue: Cue, cue_end: int, j: int, quote_before: bool, strength: float
) -> Found | None:
    """'"...," said Smith, a spokesman.' and 'The contrast, said Doyle, would be clear.'"""
    n = len(toks)
    first = trim(toks, first_content(toks), cue.start)
    if not quote_before and first[1] - first[0] <= 12 and not _ends_with_clause_end(toks, first):
        # an unquoted lead that cannot stand alone: the speaker interrupts the content
        # ("Any interpretation, said Michael Kofman, an expert on Russia, would read ...").
        # The speaker runs over appositive chunks; the first chunk that opens with a verb
        # or an adverb resumes the content.
        e = first_comma(toks, j, n)
        while e + 1 < n and toks[e + 1].lower in ("who", "whose", "a", "an", "the", "then", "former", "of") or (
            e + 1 < n and toks[e + 1].text[:1].isupper() and not toks[e + 1].quoted
        ):
            e2 = first_comma(toks, e + 1, n)
            if e2 >= n:
                break
            e = e2
        if e >= n - 1:
            return None
        rest = trim(toks, e + 1, n)
        if rest[1] <= rest[0]:
            return None
        return Found((cue.start, cue_end), (j, e), [first, rest], "inverted-interrupting", strength, "around")
    sp = speaker_after(toks, j, n)
    if sp is None:
        return None
    content = [first]
    resumed = second_part(toks, sp[1])
    if resumed is None and sp[1] < n and toks[sp[1]].quoted and quote_before:
        resumed = trim(toks, sp[1], n)  # the period of "Fla." hid the sentence end
    if resumed is not None:
        content.append(resumed)
    content = [c for c in content if c[1] > c[0] and has_words(toks, c[0], c[1])]
    if not content:
        return None
    position = "after" if resumed is None else "around"
    return Found((cue.start, cue_end), sp, content, "inverted", strength + 0.05, position)


def _read_according(toks: list[Token], cue: Cue) -> Found | None:
    n = len(toks)
    k = cue.end
    e = k
    while (
        e < n
        and not toks[e].quoted
        and toks[e].text not in (",", ".", ";", ":", "?", "!")
        and toks[e].lower != "that"
    ):
        e += 1
    if e <= k:
        return None
    src = (k, e)
    before = trim(toks, first_content(toks), cue.start)
    if has_words(toks, before[0], before[1]):
        content = [before]
        rest = second_part(toks, e)
        if rest is not None:
            content.append(rest)
        return Found((cue.start, cue.end), src, content, "according-to-after", 0.85,
                      "after" if rest is None else "around")
    s, ce = content_after(toks, e, cue)
    if ce <= s:
        return None
    return Found((cue.start, cue.end), src, [(s, ce)], "according-to-before", 0.85, "before")


def _read_no_source(toks: list[Token], cue: Cue, rule: str) -> Found | None:
    n = len(toks)
    s0 = content_start_barrier(toks, 0, cue.start)
    parts = [trim(toks, s0, cue.start), trim(toks, cue.end, n)]
    for k in range(parts[1][0], parts[1][1]):
        if toks[k].text == "," and k + 1 < n and toks[k + 1].lower in PARTICIPLE_CUES:
            parts[1] = (parts[1][0], k)
            break
    parts = [p for p in parts if p[1] > p[0] and has_words(toks, p[0], p[1])]
    if not parts:
        return None
    return Found((cue.start, cue.end), None, parts, rule, 0.5, "before")


def _restated_claim(toks: list[Token], src: tuple[int, int] | None, cue: Cue) -> Found | None:
    """"US officials say Iran arms the militias, a charge Tehran denies.": the appositive
    names a second speaker of the same content. The content is what comes before the
    comma (settle gives it the words of the first attribution's content)."""
    if src is None or src[1] - src[0] < 3 or src[0] < 2 or toks[src[0] - 1].text != ",":
        return None
    if toks[src[0]].lower not in ("a", "an", "the") or toks[src[0] + 1].lower not in RESTATING_NOUNS:
        return None
    if not at_end(toks, cue.end):
        return None
    content = trim(toks, content_begin(toks, src[0] - 1), src[0] - 1)
    if content[1] <= content[0]:
        return None
    return Found((cue.start, cue.end), (src[0] + 2, src[1]), [content], "restated-claim", 0.55, "after")


def _read_quoted_as(toks: list[Token], cue: Cue) -> Found | None:
    """'"...," state television quoted spokesman Ramin Mehmanparast as saying.': the quoted
    person is the speaker (between "quoted" and "as"); the outlet before "quoted" is the
    channel it came through, left in the text for the via chain."""
    n = len(toks)
    q = max(k for k in range(max(0, cue.start - 12), cue.start) if toks[k].lower == "quoted")
    if q > 0 and toks[q - 1].lower in BE_FORMS:
        # "The ministry was quoted by state television as saying ...": the subject speaks;
        # the cue runs from "was" to "saying" and holds the channel ("by state television")
        src0 = subject_before(toks, content_start_barrier(toks, 0, q - 1), q - 1)
        if src0 is None:
            return None
        j = skip_time(toks, cue.end, n)
        j += 1 if j < n and toks[j].text in (",", ":") else 0
        s, e = content_after(toks, j, cue)
        if e > s and has_words(toks, s, e):
            return Found((q - 1, cue.end), src0, [(s, e)], "quoted-as-saying", 0.8, "before")
        return None
    src = trim(toks, q + 1, cue.start - 0)
    if src[1] <= src[0]:
        return None
    cue_span = (cue.start, cue.end)
    j = skip_time(toks, cue.end, n)
    if j < n and toks[j].text in (",", ":") and j + 1 < n:
        s, e = content_after(toks, j + 1, cue)
        if e > s:
            return Found(cue_span, src, [(s, e)], "quoted-as-saying", 0.8, "before")
    before = trim(toks, content_begin(toks, q), q)
    if before[1] <= before[0] or not has_words(toks, before[0], before[1]):
        return None
    # the outlet is the subject right before "quoted": the content ends before it
    k = before[1]
    m = k
    while m > before[0] and toks[m - 1].text != "," and not toks[m - 1].quoted:
        m -= 1
    content = trim(toks, before[0], m)
    if content[1] <= content[0]:
        return None
    return Found(cue_span, src, [content], "quoted-as-saying", 0.8, "after")


def _read_passive_ask(toks: list[Token], cue: Cue) -> Found | None:
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
    e = first_comma(toks, j, n)
    s, e = trim(toks, j, e)
    if e <= s:
        return None
    return Found((cue.start, cue.end), src, [(s, e)], "asked", 0.55, "before")


def _read_noun(toks: list[Token], cue: Cue) -> Found | None:
    """"the claim that ...", "Trump's criticism of the deal", "opposition to the pact":
    the content is the that-clause or the noun phrase after the preposition; the speaker a
    possessive before the noun ("Trump's", "his"), or "from X" after it, else none."""
    n = len(toks)
    if toks[cue.end - 1].lower == "that":
        s, e = content_after(toks, cue.end, cue)
        e = first_comma(toks, s, e)  # a noun's that-clause ends at its first comma
    else:
        s, e = cue.end, cue.end
        while e < n and e - s < 14 and not _ends_noun_phrase(toks[e]):
            e += 1
        s, e = trim(toks, s, e)
    if e <= s:
        return None
    src = _possessor(toks, cue.start)
    cue_span = (cue.start, cue.end - (1 if toks[cue.end - 1].lower == "that" else 0))
    if src is None or src[1] - src[0] == 1 and toks[src[0]].lower in ("his", "her", "their", "its", "our", "my"):
        # "Trump ratcheted up his attacks on Rubio": the clause's subject speaks, and the
        # verb belongs to the cue
        lo = content_start_barrier(toks, 0, cue.start)
        for k in range(cue.start - 1, lo - 1, -1):
            if toks[k].text == "," and not toks[k].quoted:
                lo = k + 1
                break
        subj = sentence_subject(toks[: cue.start], cue.start) if lo == 0 else None
        if subj is not None and subj[1] < cue.start and cue.start - subj[1] <= 8 and any(
            t.lower in AUXILIARIES or t.lower in VERB_FORMS or verb_like(t) and not t.lower.endswith("s")
            for t in toks[subj[1]:cue.start]
        ) and toks[subj[1] - 1].lower not in DETERMINERS:
            return Found((subj[1], cue_span[1]), subj, [(s, e)], "noun-cue-subject", 0.4, "before")
    return Found(cue_span, src, [(s, e)], "noun-cue", 0.4 if src else 0.35, "before")


def _ends_noun_phrase(tok: Token) -> bool:
    """Where a noun phrase after a nominal cue stops: punctuation, a verb, a clause."""
    w = tok.lower
    if tok.quoted:
        return False
    return (tok.text in (",", ";", ":", ".", "?", "!", "—", "–", "--", "(", ")") or w in AUXILIARIES
            or w in ("that", "which", "who", "because", "but", "while", "as", "when", "after", "before", "since")
            or w in VERB_FORMS or w in PARTICIPLES)


def _possessor(toks: list[Token], k: int) -> tuple[int, int] | None:
    """The possessive before the noun at ``k`` ("Trump's", "his", "the senator's"), over
    at most two adjectives ("his sharpest criticism")."""
    for j in range(k - 1, max(-1, k - 4), -1):
        t = toks[j]
        if t.quoted or t.text in (",", ".", ";", ":"):
            return None
        if t.lower in ("his", "her", "their", "its", "our", "my", "your"):
            return (j, j + 1)
        if t.lower.endswith(("'s", "’s")) or (j + 1 < k and toks[j + 1].lower in ("'s", "’s")):
            st = j
            while st > 0 and toks[st - 1].text[:1].isupper() and not toks[st - 1].quoted:
                st -= 1
            return (st, j + 1 if t.lower.endswith(("'s", "’s")) else j + 2)
        if t.lower in ("the", "a", "an", "this", "that") or t.lower in PREPOSITIONS_BEFORE_NOUN:
            return None
    return None


_SUBORDINATE_LEADS = frozenset([
    "while", "when", "although", "though", "after", "before", "as", "if", "because", "since", "once", "whereas",
])


def _subordinate_lead(toks: list[Token], cue_start: int) -> bool:
    """Whether the clause holding the cue at ``cue_start`` opens with a subordinator
    ("While Trump affirmed that ...")."""
    k = 0
    while k < cue_start and toks[k].lower in ("and", "but", "so"):
        k += 1
    return k < cue_start and toks[k].lower in _SUBORDINATE_LEADS


OUTER_RULES = ("content-before", "according-to-after", "inverted")


# "; more so, he said": adverbs that open a new clause after a semicolon or a comma
_LINKING_ADVERBS = frozenset([
    "more", "so", "also", "still", "instead", "meanwhile", "however", "moreover", "indeed", "though",
])


def _coordinated(toks: list[Token], f: Found, g: Found, cs: int, k: int) -> bool:
    """Whether the later attribution ``f``, whose words start after token ``k`` inside the
    content of ``g`` (which starts at ``cs``), begins a clause of its own: "...; Jones said",
    ", and Jones said", "He pledged ... and said", ", adding ..."."""
    if k < cs:
        return False
    w = toks[k].lower
    if f.rule == "shared-subject" and w == "and":
        return True
    if f.rule == "participle" and toks[k].text in (",", "—", "–", "and"):
        return True
    if toks[k].text == ";":
        return True
    if w in ("but", "whereas", "while") and f.source is not None and f.source[0] == k + 1:
        return True  # "Witnesses said the troops moved in but Bergner said ..."
    return (w in ("and", "but", "while", "whereas", "yet", "although") and k - 1 >= cs
            and toks[k - 1].text == "," and not toks[k - 1].quoted)


def _settle(toks: list[Token], found: list[Found]) -> list[Found]:
    """Make the attributions of one sentence disjoint. An attribution inside another's
    content is nested speech, part of that content, and goes ("X said Y told him ..."),
    unless it begins a coordinated clause (", and Jones said ..."), where the earlier
    content stops. A cue whose content comes before it and covers an earlier cue is the
    outer one ("X told Y Z, the Times reported")."""
    found.sort(key=lambda f: f.cue[0])
    keep: list[Found] = []
    for f in found:
        nested = False
        first = min(f.source[0] if f.source else f.cue[0], f.cue[0])
        if f.rule in ("shared-subject", "participle"):
            first = f.cue[0]
        elif (
            f.position != "before"
            and f.content
            and f.content[0][0] > 0
            and toks[f.content[0][0] - 1].text in (":", ";")
        ):
            first = f.content[0][0] - 1
        if any(g.cue[0] < f.cue[1] and f.cue[0] < g.cue[1] for g in keep):
            continue  # "Tehran has denied US accusations of ...": one cue, read once
        for g in keep:
            if g.position != "before" or not g.content or g.colon_open:
                continue
            cs, ce = g.content[0]
            if not (cs <= first < ce or cs <= f.cue[0] < ce):
                continue
            first = max(first, cs)
            if toks[first].text in (":", ";"):
                g.content[0] = trim(toks, cs, first)
                continue
            k = first - 1
            while k > cs and (toks[k].lower in CUE_ADVERBS or toks[k].lower in _LINKING_ADVERBS
                              or (toks[k].text == "," and toks[k - 1].lower in _LINKING_ADVERBS)):
                k -= 1
            if _coordinated(toks, f, g, cs, k):
                g.content[0] = trim(toks, cs, k)
            elif k >= cs and toks[k].text == "," and _subordinate_lead(toks, g.cue[0]) and f.source is not None:
                # "While Trump affirmed that ..., he also stated ...": the main clause follows
                g.content[0] = trim(toks, cs, k)
            else:
                nested = True
        if f.rule == "restated-claim":
            covered = [g for g in keep if g.content and f.content[0][0] <= g.cue[0] < f.content[0][1]]
            if covered and covered[-1].content:
                g = covered[-1]
                g.content[0] = trim(toks, g.content[0][0], min(g.content[0][1], f.content[0][1]))
                f.content = [g.content[0]]  # both speakers, one content
            keep.append(f)
            continue
        if not nested and f.position in ("after", "around") and f.content and f.rule in OUTER_RULES:
            cs0, ce0 = f.content[0]
            keep = [g for g in keep if not (cs0 <= g.cue[0] < ce0 and g.rule != "colon")]
        if not nested:
            keep.append(f)
    return [f for f in keep if f.colon_open or (f.content and all(e > s for s, e in f.content))]
