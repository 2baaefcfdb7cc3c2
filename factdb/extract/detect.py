"""Finding the reporting expressions of one sentence: the cue words of the lexicon
(``cues``) in the forms and contexts where they report ("said", "has also told", "according
to", "reportedly", "his criticism of"), never inside a quotation.
"""

from __future__ import annotations

from dataclasses import dataclass

from factdb.extract.cues import (
    ADJECTIVE_CUES,
    DOCUMENT_SUBJECTS,
    NOUN_CUES,
    NOUN_HOMOGRAPHS,
    NOUN_PREP_CUES,
    PARTICIPLES,
    PAST_PARTICIPLES,
    PHRASAL,
    PHRASAL_FORMS,
    VERB_FORMS,
)
from factdb.extract.phrases import (
    AUXILIARIES,
    CUE_ADVERBS,
    PRONOUNS_SUBJ,
)
from factdb.extract.sentences import Token

__all__ = [
    "BARE_CLAUSE_VERBS",
    "BE_FORMS",
    "PARTICIPLE_CUES",
    "PREPOSITIONS_BEFORE_NOUN",
    "RESTATING_NOUNS",
    "Cue",
    "clause_start",
    "find_cues",
    "relative",
    "verb_like",
]

PARTICIPLE_CUES = frozenset(
    [
        "saying", "adding", "noting", "arguing", "telling", "calling", "insisting", "claiming", "explaining",
        "warning", "writing", "suggesting", "citing", "asking", "describing", "stressing", "declaring",
        "acknowledging", "admitting", "conceding", "predicting", "recalling", "complaining", "charging", "contending",
        "maintaining", "urging", "accusing", "blaming", "denying", "vowing", "promising", "pledging", "threatening",
        "tweeting", "stating", "announcing", "revealing", "observing", "calling", "describing", "citing", "referring",
        "praising", "criticizing", "criticising", "questioning",
    ]
)


# What may stand before a participle cue: ", saying", "and adding", "while noting".
_PARTICIPLE_LEADS = frozenset({"and", "while", "when", "before", "after", "by", "also", "even", "then", "again"})


_NO_SOURCE_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "ostensibly"})


# Passive cues with no speaker: "is expected to", "was reported that", "is believed to".
_PASSIVE_NO_SOURCE = frozenset(
    [
        "expected", "believed", "reported", "said", "thought", "rumored", "rumoured", "alleged", "understood",
        "feared", "considered", "estimated", "projected", "predicted", "known",
    ]
)


BE_FORMS = frozenset({"is", "was", "are", "were", "be", "been", "being", "'s", "’s"})


_ANONYMITY = ("named", "identified", "anonymity", "anonymously", "authorized", "authorised")


PREPOSITIONS_BEFORE_NOUN = frozenset(["from", "of", "with", "for", "among", "by", "into", "onto", "upon"])


@dataclass(slots=True)
class Cue:
    start: int
    end: int
    head: int  # token index of the cue word
    base: str
    frame: str
    form: str  # "finite", "participle", "according", "passive", "adverb", "colon", "noun"


def find_cues(toks: list[Token]) -> list[Cue]:
    cues: list[Cue] = []
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
            cue = Cue(i, i + 2, i, "according", "say", "according")
        elif w in _NO_SOURCE_ADVERBS or w in _SEEM and i > 0 and _seem_ok(toks, i):
            cue = Cue(i, i + 1, i, w, "say", "adverb")
        elif w == "asked" and (i == 0 or toks[i - 1].lower in ("when", "if", "once", "after", "while")
                               or toks[i - 1].lower in BE_FORMS) and i + 1 < n:
            cue = Cue(i - 1 if i > 0 and toks[i - 1].lower in BE_FORMS else i, i + 1, i, "ask", "ask", "asked")
        elif w in PARTICIPLES and w in PARTICIPLE_CUES:
            base, frame = PARTICIPLES[w]
            s = i
            if i >= 2 and toks[i - 1].lower == "as" and toks[i - 2].lower == "quoted":
                s = i - 2
                if s >= 1 and toks[s - 1].lower in BE_FORMS:
                    s -= 1
                cue = Cue(s, i + 1, i, base, frame, "finite")
            elif i >= 3 and toks[i - 1].lower == "as" and any(t.lower == "quoted" for t in toks[max(0, i - 12):i - 2]):
                cue = Cue(i - 1, i + 1, i, base, frame, "quoted-as")  # "TV quoted Mehmanparast as saying"
            elif i > 0 and (toks[i - 1].text in (",", "—", "–") or toks[i - 1].lower in _PARTICIPLE_LEADS
                            or (i > 1 and toks[i - 1].quoted and toks[i - 2].text == ",")):  # '"Morning Joe," adding'
                cue = Cue(i, i + 1, i, base, frame, "participle")
            elif i > 0 and toks[i - 1].lower in BE_FORMS:
                cue = _verb_cue(toks, i, (base, frame))  # "Trump is saying that ...": progressive
        elif w in _PASSIVE_NO_SOURCE and _be_before(toks, i) is not None and _passive_ok(toks, i):
            cue = Cue(_be_before(toks, i) or 0, i + 1, i, w, "say", "passive")  # "is widely expected to"
        elif w in ADJECTIVE_CUES and _be_before(toks, i) is not None and i + 1 < n and (
            toks[i + 1].lower in ADJECTIVE_CUES[w] or toks[i + 1].lower == "that"
        ):
            # "Clinton is skeptical of the deal", "he remains confident that ..."
            prep = toks[i + 1].lower != "that"
            cue = Cue(_be_before(toks, i) or 0, i + 1 + prep, i, w, "object", "finite")
        elif w in NOUN_PREP_CUES and i + 2 < n and toks[i + 1].lower in NOUN_PREP_CUES[w] and _noun_context(toks, i):
            cue = Cue(i, i + 2, i, w, "say", "noun")
        elif w in PHRASAL_FORMS and i + 1 < n and (PHRASAL_FORMS[w], toks[i + 1].lower) in PHRASAL:
            base = PHRASAL_FORMS[w]
            frame = PHRASAL[(base, toks[i + 1].lower)]
            if w.endswith("ing") and i > 0 and toks[i - 1].text == ",":
                cue = Cue(i, i + 1, i, base, frame, "participle")  # ", talking about ..."
            else:
                cue = _verb_cue(toks, i, (base, frame))
        elif w in VERB_FORMS or w in PAST_PARTICIPLES:
            cue = _verb_cue(toks, i)
        elif _noun_cue_at(toks, i):
            cue = Cue(i, i + 2, i, w, "say", "noun")
        capitalised = i > 0 and t.text[:1].isupper()
        if cue is not None and capitalised and cue.form not in ("according",) and not _title_case(toks):
            cue = None  # "the United States", "Fox News Says": a name, not a cue
        if cue is not None:
            # "pointed out", "fired back": the particle belongs to the cue
            if cue.end < n and (cue.base, toks[cue.end].lower) in PHRASAL:
                cue.frame = PHRASAL[(cue.base, toks[cue.end].lower)]
                cue.end += 1
            elif cue.end + 1 < n and toks[cue.end].lower in ("responsibility", "credit", "blame") and toks[
                cue.end + 1
            ].lower == "for":
                cue.frame = "object"  # "claimed responsibility for the attack"
                cue.end += 2
            cues.append(cue)
            i = cue.end
            continue
        i += 1
    return cues


# Cognition verbs that report a bare clause: "Republicans think the Fed ...".
BARE_CLAUSE_VERBS = frozenset([
    "think", "believe", "hope", "fear", "expect", "suspect", "worry", "doubt", "assume", "predict",
])


_CLAUSE_SUBJECTS = frozenset([
    "he", "she", "they", "we", "i", "it", "the", "his", "her", "their", "its", "this", "these", "there", "a", "an",
])


def _noun_cue_at(toks: list[Token], i: int) -> bool:
    """"the claim that ...", "criticism of ...": a cue noun and its "that" or preposition,
    but not the medium of a verb cue ("said in a statement that ...")."""
    n = len(toks)
    w = toks[i].lower
    if i + 1 >= n or toks[i + 1].quoted:
        return False
    nxt = toks[i + 1].lower
    if w in NOUN_CUES and nxt == "that":
        return not (i >= 2 and toks[i - 2].lower == "in")
    return w in NOUN_PREP_CUES and i + 2 < n and nxt in NOUN_PREP_CUES[w]


def clause_start(toks: list[Token], j: int) -> bool:
    """Whether a clause seems to start at ``j``: a subject pronoun, a determiner, a name."""
    if j >= len(toks) or toks[j].quoted:
        return False
    t = toks[j]
    if t.lower in _CLAUSE_SUBJECTS:
        personal = t.lower in ("he", "she", "they", "we", "i")
        return j + 1 < len(toks) and toks[j + 1].lower not in ("is", "was") or personal
    return t.text[:1].isupper() and t.lower not in ("i",)


# Bare verb forms read after a plural subject: "Polls show ...", "Voters support ...".
_PLURAL_SUBJECT_VERBS = frozenset(
    [
        "show", "support", "see", "oppose", "back", "endorse", "find", "suggest", "indicate", "deny", "reject",
        "dispute", "dismiss", "question", "acknowledge", "admit", "concede", "confirm",
    ]
)


def _plural_noun(tok: Token) -> bool:
    w = tok.lower
    return (w.endswith("s") and not w.endswith(("ss", "'s", "’s", "us", "is")) and w.isalpha() and len(w) > 3
            and w not in ("this", "was", "has", "does", "his", "its", "hers", "yours", "ours", "theirs", "always",
                          "perhaps", "sometimes", "less", "unless", "across", "towards", "besides", "afterwards"))


def _noun_context(toks: list[Token], i: int) -> bool:
    """Whether ``toks[i]`` is a noun ("his calls for", "growing support for") rather than a
    verb ("Trump calls for"): not after a subject pronoun, a name or an auxiliary."""
    if i == 0:
        return True
    p = toks[i - 1]
    if p.lower in PRONOUNS_SUBJ or p.lower in AUXILIARIES or p.lower in CUE_ADVERBS or p.lower in _RELATIVES:
        return False
    return not (p.text[:1].isupper() and not p.lower.endswith(("'s", "’s")) and i > 1)


def _title_case(toks: list[Token]) -> bool:
    words = [t for t in toks if t.text[:1].isalpha() and not t.quoted]
    if len(words) < 3:
        return True
    return sum(1 for t in words if t.text[:1].isupper()) >= 0.6 * len(words)


_SEEM = frozenset(["seems", "seemed", "appears", "appeared"])
_RELATIVES = ("who", "that", "which")
# bare forms that report without a finite context ("we say", "to ask" aside)
_BARE_VERBS = frozenset([
    "say", "tell", "ask", "argue", "think", "believe", "know", "want", "hope", "expect", "warn", "insist", "claim",
    "fear", "agree", "predict", "suggest", "write", "add",
])


def _seem_ok(toks: list[Token], i: int) -> bool:
    """"Sanders appears to have a lead", "the story seemed wasted on ...": an unattributed
    impression (the writer's)."""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if toks[i].lower.startswith("appear"):
        return nxt == "to" or (i + 2 < len(toks) and toks[i + 2].lower == "to" and nxt.isalpha())
    return nxt not in ("", ".", ",", "like") and not toks[i + 1].quoted


_COPULAS = BE_FORMS | frozenset({"seems", "seemed", "appears", "appeared", "remains", "remained", "became", "grew",
                            "become", "remain", "seem", "appear", "feel", "feels", "felt", "sounded"})


def _be_before(toks: list[Token], i: int) -> int | None:
    """Index of the copula before ``toks[i]`` over at most two adverbs ("is widely",
    "was not", "remains deeply"), or None."""
    k = i - 1
    while k >= 0 and i - k <= 3 and (toks[k].lower in CUE_ADVERBS or toks[k].lower in ("widely", "deeply", "very",
                                                                                      "increasingly", "highly")):
        k -= 1
    if k >= 0 and toks[k].lower in _COPULAS and not toks[k].quoted:
        return k
    return None


# Nouns that restate a claim in an appositive: "..., a charge Tehran denies."
RESTATING_NOUNS = frozenset([
    "charge", "claim", "accusation", "allegation", "assertion", "contention", "suggestion", "view",
])


def _passive_ok(toks: list[Token], i: int) -> bool:
    """"is expected to", "was reported that", "is believed to": the speaker is unstated."""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if nxt in ("to", "that"):
        return not (i + 2 < len(toks) and toks[i + 2].lower == "by")
    # "It is believed the convoy was ambushed": a clause straight after "it is believed"
    k = _be_before(toks, i)
    return k is not None and k > 0 and toks[k - 1].lower == "it" and clause_start(toks, i + 1)


def _verb_cue(toks: list[Token], i: int, entry: tuple[str, str] | None = None) -> Cue | None:
    w = toks[i].lower
    entry = entry or VERB_FORMS.get(w) or PAST_PARTICIPLES.get(w)
    if entry is None:
        return None
    base, frame = entry
    prev = toks[i - 1].lower if i > 0 else ""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if prev in ("the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my", "-", "so") or (
        prev in PREPOSITIONS_BEFORE_NOUN
    ):
        return None  # a noun or adjective: "the report", "so-called", "from noted scholars"
    if base == "call" and w == "called" and prev not in AUXILIARIES and prev not in CUE_ADVERBS and i > 0 and (
        not toks[i - 1].text[:1].isupper() and prev not in PRONOUNS_SUBJ
    ) and i + 1 < len(toks) and (toks[i + 1].quoted or toks[i + 1].text[:1].isupper()):
        return None  # "a website called “Cape Breton”": a name, not a call
    phrasal = i + 1 < len(toks) and (base, nxt) in PHRASAL
    # Bare forms of words that are also nouns need a finite context.
    if (
        w == base
        and not phrasal
        and w not in _BARE_VERBS
        and not (
            prev in AUXILIARIES
            or prev in ("i", "we", "they", "you", "to")
            or prev in CUE_ADVERBS
            or (base in _PLURAL_SUBJECT_VERBS and _plural_noun(toks[i - 1]) if i > 0 else False)
        )
    ):
        return None
    if w == base and prev == "to" and not (i >= 3 and toks[i - 2].lower == "on" and toks[i - 3].lower == "went"):
        return None  # "expected to announce": not itself an attribution
    if w in NOUN_HOMOGRAPHS:
        # "reports", "claims", "states" are mostly nouns: a verb after a name or a pronoun
        p_tok = toks[i - 1] if i > 0 else None
        if p_tok is None or not (prev in PRONOUNS_SUBJ or prev in CUE_ADVERBS or prev in ("that", "which")
                                 or prev in DOCUMENT_SUBJECTS
                                 or (p_tok.text[:1].isupper() and i > 1 and not p_tok.quoted)):
            return None
        if nxt in ("of", "for", "on", "against", "about", "from", "by", "in", "were", "are", "and", ",", ".", ")",
                   "have", "had"):
            return None
    seen_as = any(t.lower == "as" for t in toks[i + 2:i + 9]) and not any(t.quoted for t in toks[i + 1:i + 3])
    if base == "see" and seen_as:
        frame = "object"  # "many supporters see him as the stronger candidate"
    elif nxt == ":" and frame in ("think", "to", "object"):
        frame = "say"  # "Mahaney agreed: '...'"
    elif base in ("show", "find", "reveal") and nxt not in (",", ".", "up", "off", "that"):
        frame = "object"  # "a poll showed Clinton ahead"
    elif (
        # cognition verbs report only with a content clause; after a comma ("..., he believes.")
        frame == "think"
        and nxt != "that"
        and not (nxt in (".", ",") and i >= 2 and toks[i - 1].lower in PRONOUNS_SUBJ)
        and not (base in BARE_CLAUSE_VERBS and clause_start(toks, i + 1))
    ):
        return None
    if frame == "to" and nxt != "to" and not (base in ("promise", "vow", "pledge", "agree", "hope") and nxt == "that"):
        return None
    if frame == "object" and (nxt in (".", ",", "to", "by", "that") or i + 1 >= len(toks)):
        restating = nxt in (".", "") and any(t.lower in RESTATING_NOUNS for t in toks[max(0, i - 5):i])
        if not (nxt == "that" and base in ("deny", "propose", "recommend")) and not restating:
            return None  # an evaluation with no object; but "..., a charge Tehran denies."
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
    if base == "quote" and any(toks[k].lower == "as" and toks[k + 1].lower == "saying"
                               for k in range(i + 1, min(len(toks) - 1, i + 12))):
        return None  # "quoted X as saying": read at "as saying", with X the speaker
    if nxt == "by" and w.endswith("ed") and not any(t.lower in AUXILIARIES for t in toks[max(0, i - 2):i]):
        return None  # "mentioned by Newsmax as ...": a reduced passive
    perfect = any(t.lower in ("has", "have", "had") for t in toks[s:i])
    passive = not perfect and any(t.lower in BE_FORMS for t in toks[s:i]) and not w.endswith("ing")
    if w in PAST_PARTICIPLES and w not in VERB_FORMS and not perfect and not passive:
        return None  # a bare participle: "the written law"
    if passive and nxt not in ("that", ":"):
        return None  # "is quoted in", "was told": the speaker is not the subject
    return Cue(s, i + 1, i, base, frame, "finite")


def verb_like(tok: Token) -> bool:
    """A lower-case past or present verb form: "beamed", "retaliates", "shot"."""
    w = tok.text
    if not w.isalpha() or not w.islower() or len(w) < 3:
        return False
    return w.endswith(("ed", "es")) or w in _IRREGULAR_PAST or (w.endswith("s") and not w.endswith("ss"))


_IRREGULAR_PAST = frozenset(
    [
        "spoke", "shot", "cut", "broke", "began", "wrote", "told", "said", "swore", "sang", "rang", "hit", "put",
        "quit", "threw", "drew", "read", "thought", "taught", "fought", "bit", "flew", "froze", "struck", "stood",
        "went", "came", "gave",
    ]
)


def relative(toks: list[Token], cue: Cue) -> bool:
    """A cue in a relative clause: "Kasich, who has refused to endorse him, said ..."."""
    return cue.start > 0 and toks[cue.start - 1].lower in ("who", "which")
