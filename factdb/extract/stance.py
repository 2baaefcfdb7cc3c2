"""Stance and certainty from the words of an attribution.

Stance (factdb.vocab.STANCES), from the reporting expression first, then from what the
content says of a claim:

- denied / rejected / dismissed / refuted -> ``denies``; a content that calls something
  false or says the speaker "had nothing to do with" it -> ``denies`` too;
- questioned / cast doubt / disputed / challenged, "no evidence" -> ``disputes``;
- acknowledged / admitted / conceded / claimed responsibility -> ``acknowledges``;
- withdrew / retracted / walked back -> ``retracts``;
- declined to comment / did not respond -> no stance (``None``): recorded on no side;
- else ``asserts``.

Certainty (factdb.vocab.CERTAINTIES): hedges ("my suspicion would be", "is believed",
"allegedly", "hard to pin down") make it ``probable``, modal doubt ("may", "could",
"perhaps") ``possible``, with the hedge words kept as printed; "no question", "absolutely",
"without a doubt" make it ``certain``; else ``unspecified``. When both kinds are printed the
weakest wins: a hedge qualifies a confident word, not the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["StanceReading", "CertaintyReading", "read_stance", "read_certainty", "reporting_verb"]


@dataclass(frozen=True, slots=True)
class StanceReading:
    stance: str | None   # None: declined to comment, no side
    because: str         # the words that decided it, for the reviewer


@dataclass(frozen=True, slots=True)
class CertaintyReading:
    certainty: str
    hedges: tuple[str, ...]  # as printed, in text order


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_NO_COMMENT = _rx(
    r"\b(?:declin\w*|refus\w*|(?:did|does|would|could) not|didn[’']t|won[’']t|wouldn[’']t) "
    r"(?:immediately )?(?:to )?(?:comment|respond|reply|return|answer|elaborate|confirm or deny|say)\b"
    r"|\bno comment\b|\bnot (?:immediately )?(?:available|reachable) for comment\b"
)
_NEGATED = _rx(r"\b(?:not|never|n[’']t|no longer|refus\w* to|declin\w* to)\s+(?:\w+\s+)?$")
_CUE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("retracts", _rx(
        r"\b(?:withdr[ae]w\w*|retract\w*|recant\w*|took back|take[sn]? back|taking back|walk(?:ed|s|ing)? back|"
        r"backtrack\w*|back(?:ed|s|ing)? (?:down|away)|revers\w* (?:himself|herself|itself|themselves|course))\b")),
    ("acknowledges", _rx(
        r"\b(?:acknowledg\w*|admit\w*|conced\w*|confess\w*|"
        r"(?:claim|took|take|taken|taking|accept|assum|bore|bear)\w* (?:full |the )?(?:responsibility|credit|blame)|"
        r"own(?:ed|s)? up|apologi[sz]\w*)")),
    ("denies", _rx(
        r"\b(?:den(?:y|ies|ied|ying|ial)|reject\w*|dismiss\w*|refut\w*|rebut\w*|repudiat\w*|rubbish\w*|"
        r"brush\w* (?:aside|off)|shot down|shoots? down|rebuff\w*|scoff\w*|deriding|derided|"
        r"pour\w* cold water)")),
    ("disputes", _rx(
        r"\b(?:question(?:s|ed|ing)?|cast\w* doubt|rais\w* doubts?|express\w* doubts?|doubt(?:s|ed|ing)?|"
        r"disput\w*|challeng\w*|contest\w*|push\w* back|skeptic\w*|sceptic\w*|contradict\w*)\b")),
)
# what a content says when it calls a claim false
_CONTENT_DENIES = _rx(
    r"\bnothing to do with\b"
    r"|\b(?:is|was|are|were|be|been|being)\s+"
    r"(?:completely |totally |entirely |absolutely |categorically |simply |utterly )?"
    r"(?:false|untrue|baseless|groundless|unfounded|fabricated|a fabrication|a lie|lies|nonsense|fake|fiction|"
    r"without foundation|not true|wrong|incorrect|inaccurate|ridiculous|absurd|a hoax)\b"
    r"|\bnot true\b|\bno truth\b|\bnever happened\b"
    r"|\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|refut(?:es|ed))\s+"
    r"(?:the |any |all |these |those |such |us |u\.s\. )?"
    r"(?:\w+ )?(?:accusations?|allegations?|claims?|charges?|reports?|suggestions?|involvement|assertions?)\b"
    r"|\b(?:is|was|are|were|has|have|had)\s+(?:not|never)\s+(?:been\s+)?(?:involved|responsible|behind)\b"
    r"|\bhad no (?:role|part|involvement|hand|links?|connection|knowledge)\b|\bno (?:involvement|role) in\b"
)
_CONTENT_DISPUTES = _rx(
    r"\bno (?:evidence|proof)\b|\b(?:little|scant|insufficient) evidence\b"
    r"|\b(?:unproven|unsubstantiated|unverified|questionable|dubious)\b"
)


def read_stance(cue: str, content: str = "") -> StanceReading:
    """The stance an attribution takes, from its cue and its content.

    >>> read_stance("has denied").stance
    'denies'
    >>> read_stance("said", "it had nothing to do with the attack").stance
    'denies'
    >>> read_stance("said", "the group would fight on").stance
    'asserts'
    """
    if _NO_COMMENT.search(cue) or _NO_COMMENT.match(f"{cue.strip()} {content.lstrip()[:40]}"):
        # "declined" + "to comment": the cue and the start of its content read together
        return StanceReading(None, f"'{cue}': no comment, no side")
    # a cue cut before its object: "claimed" + "responsibility for the attack"
    if re.search(r"\b(?:claim|took|take|accept|assum)\w*$", cue.strip(), re.I):
        cue = cue + " " + " ".join(content.split()[:2])
    for stance, rule in _CUE_RULES:
        match = rule.search(cue)
        if match is None:
            continue
        if _NEGATED.search(cue[:match.start()]):
            # "did not deny": a weak concession; "never questioned": the speaker went along
            turned = "acknowledges" if stance == "denies" else "asserts"
            return StanceReading(turned, f"negated '{match.group()}' in the cue")
        return StanceReading(stance, f"cue '{match.group()}'")
    head = content[:400]
    match = _CONTENT_DENIES.search(head)
    if match is not None:
        return StanceReading("denies", f"content '{match.group()}'")
    match = _CONTENT_DISPUTES.search(head)
    if match is not None:
        return StanceReading("disputes", f"content '{match.group()}'")
    if _NO_COMMENT.search(head[:80]):
        return StanceReading(None, "content: no comment, no side")
    return StanceReading("asserts", "no denial, doubt, concession or retraction in the words")


# (pattern, certainty); longer phrases first so the longest printed hedge is kept
_HEDGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, flags), level) for p, level, flags in (
    (r"\b(?:there is|there's|there was) no (?:question|doubt)\b", "certain", re.I),
    (r"\bno (?:question|doubt)(?: about it)?\b", "certain", re.I),
    (r"\bwithout (?:a |any )?(?:doubt|question)\b", "certain", re.I),
    (r"\bbeyond (?:any |a |all )?(?:reasonable )?doubt\b", "certain", re.I),
    (r"\bmake no mistake\b", "certain", re.I),
    (r"\b(?:absolutely|certainly|definitely|undoubtedly|unquestionably|indisputably|categorically|undeniably)\b",
     "certain", re.I),
    (r"\b(?:I am|I'm|I’m|we are|we're|we’re) (?:absolutely |completely |quite )?(?:certain|sure|confident|convinced)\b",
     "certain", re.I),
    (r"\b(?:my|our) (?:suspicion|guess|assumption|sense|hunch|belief|impression) (?:would be|is|was)\b",
     "probable", re.I),
    (r"\b(?:I|we) (?:strongly )?(?:suspect|believe|think|reckon|guess|presume|assume|expect)\b", "probable", re.I),
    (r"\b(?:I|we) (?:do not|don't|don’t) (?:see|think|believe|expect)\b", "probable", re.I),
    (r"\b(?:is|are|was|were|been) (?:widely |generally |strongly |still )?"
     r"(?:believed|thought|understood|presumed|suspected|assumed|reported)(?= to\b)", "probable", re.I),
    (r"\bit is (?:widely |generally )?(?:believed|thought|understood|presumed|suspected)\b", "probable", re.I),
    (r"\b(?:is|are|was|were) believed\b", "probable", re.I),
    (r"\b(?:hard|difficult|impossible|too early) to (?:pin down|prove|confirm|verify|say|know|tell)\b",
     "probable", re.I),
    (r"\b(?:in all likelihood|most likely|more than likely|very likely|highly likely)\b", "probable", re.I),
    (r"\b(?:probably|presumably|apparently|allegedly|reportedly|supposedly|purportedly|seemingly|likely)\b",
     "probable", re.I),
    (r"\balleged\b", "probable", re.I),
        (r"\b(?:appear|appears|appeared|seem|seems|seemed)\b", "probable", re.I),
    (r"\bsuspect(?:s|ed)?\b", "probable", re.I),
    (r"\b(?:can ?not|can't|can’t|could not|couldn't|would not|wouldn't|did not|didn't) rule out\b", "possible", re.I),
    (r"\b(?:not|un)(?: entirely)? clear\b|\bunclear\b", "possible", re.I),
    (r"\b(?:not sure|uncertain|unlikely|unconfirmed)\b", "possible", re.I),
    (r"\b(?:possibly|perhaps|maybe|potentially|conceivably)\b", "possible", re.I),
    (r"\bpossible that\b", "possible", re.I),
    (r"\bspeculat\w+\b", "possible", re.I),
    (r"\bsuggest(?:s|ed|ing)?\b", "possible", re.I),
    (r"\bmay\b", "possible", 0),  # lower case only: "May" is the month
    (r"\b(?:might|could)\b", "possible", re.I),
))
_RANK = {"certain": 0, "probable": 1, "possible": 2}
# a word every hedge above contains: texts without any are not searched
_WORDS = re.compile(r"[a-z]+")
_TRIGGERS = frozenset([
    "question", "doubt", "mistake", "absolutely", "certainly", "definitely", "undoubtedly", "unquestionably",
    "indisputably", "categorically", "undeniably", "certain", "sure", "confident", "convinced", "suspicion", "guess",
    "assumption", "sense", "hunch", "belief", "impression", "suspect", "suspects", "suspected", "believe", "think",
    "reckon", "presume", "assume", "expect", "see", "believed", "thought", "understood", "presumed", "assumed",
    "reported", "hard", "difficult", "impossible", "early", "likelihood", "likely", "probably", "presumably",
    "apparently", "allegedly", "alleged", "reportedly", "supposedly", "purportedly", "seemingly", "appear", "appears",
    "appeared", "seem", "seems", "seemed", "rule", "clear", "unclear", "uncertain", "unlikely", "unconfirmed",
    "possibly", "possible", "perhaps", "maybe", "potentially", "conceivably", "suggest", "suggests", "suggested",
    "suggesting", "may", "might", "could", "speculate", "speculated", "speculates", "speculating", "speculation",
    "speculative",
])
# one pass over a text: the alternatives in the order above, so the longest hedge wins
_LEVELS = [level for _, level in _HEDGES]
_ALL_HEDGES = re.compile("|".join(
    f"(?P<h{n}>{pattern.pattern if pattern.flags & re.I else '(?-i:' + pattern.pattern + ')'})"
    for n, (pattern, _) in enumerate(_HEDGES)
), re.I)


def read_certainty(*texts: str) -> CertaintyReading:
    """How sure the speaker sounds, from the texts given (the cue, the content, the words
    between speaker and cue), with the hedge words as printed.

    >>> read_certainty("My suspicion would be that Iran is behind these attacks. But it's hard to pin down.")
    CertaintyReading(certainty='probable', hedges=('My suspicion would be', 'hard to pin down'))
    >>> read_certainty("Iran was absolutely complicit").certainty
    'certain'
    """
    found: list[tuple[int, int, str, str]] = []  # (text index, start, words, level)
    for n, text in enumerate(texts):
        if not text or _TRIGGERS.isdisjoint(_WORDS.findall(text.lower())):
            continue
        for match in _ALL_HEDGES.finditer(text):
            level = _LEVELS[int(match.lastgroup[1:])] if match.lastgroup else "possible"
            found.append((n, match.start(), match.group(), level))
    if not found:
        return CertaintyReading("unspecified", ())
    found.sort()
    doubtful = [level for *_, level in found if level != "certain"]
    certainty = max(doubtful, key=_RANK.__getitem__) if doubtful else "certain"
    # the words that set the certainty: the hedges when there are any, else the confident words
    kept = [words for _, _, words, level in found if (level != "certain") == (certainty != "certain")]
    return CertaintyReading(certainty, tuple(dict.fromkeys(kept)))


def reporting_verb(cue: str) -> str | None:
    """The reporting expression as printed, on one line: ``"told reporters"``, ``"has denied"``."""
    verb = " ".join(cue.split()).strip(" ,:;")
    return verb or None
