"""Who speaks: the speaker of an attribution as a proposal, read from its source span and
the text before it.

- a named person or body, with the fullest form of the name printed in the article
  ("Panetta said" -> "Leon Panetta") and the title as printed ("Defence Secretary"), kept
  apart from the name; an unknown name gets a guessed entity kind;
- a pronoun ("he told troops"), a relative pronoun ("a source, who said"), a title used as a
  name ("the general said", "the committee said") or a first person inside a quotation,
  resolved to the speaker or named person it stands for;
- an anonymous speaker ("a US official who asked not to be named", "Iraqi security
  sources", "witnesses"): the description as printed and the affiliation it names, as a name
  to resolve later ("US", "Iraqi security forces", "Maysan security forces");
- no source at all: the outlet itself speaks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from factdb.extract import names as N
from factdb.extract.mentions import ArticleIndex, Mention, guess_kind, tokenize
from factdb.extract.model import Attribution, Span

__all__ = ["Speaker", "SpeakerResolver", "PRONOUNS"]

PRONOUNS: dict[str, tuple[str, str | None, bool]] = {
    # word: (person, gender, plural); person is "3" (third), "1" (first), "2", "rel" (relative)
    "he": ("3", "m", False), "him": ("3", "m", False), "his": ("3", "m", False), "himself": ("3", "m", False),
    "she": ("3", "f", False), "her": ("3", "f", False), "hers": ("3", "f", False), "herself": ("3", "f", False),
    "it": ("3", "n", False), "its": ("3", "n", False), "itself": ("3", "n", False),
    "they": ("3", None, True), "them": ("3", None, True), "their": ("3", None, True), "themselves": ("3", None, True),
    "i": ("1", None, False), "me": ("1", None, False), "my": ("1", None, False), "myself": ("1", None, False),
    "we": ("1", None, True), "us": ("1", None, True), "our": ("1", None, True), "ourselves": ("1", None, True),
    "you": ("2", None, False), "your": ("2", None, False),
    "who": ("rel", None, False), "which": ("rel", "n", False), "that": ("rel", None, False),
    "whom": ("rel", None, False), "whose": ("rel", None, False),
}
# segments of a source phrase that are not a title: relative clauses, time and place phrases
_NOT_APPOSITION = re.compile(
    r"^(?:who|which|that|whose|whom|when|where|while|after|before|during|on|in|at|speaking|asked|"
    r"later|earlier|meanwhile|however|also|then|now|still|too|"
    r"(?:a|one|two|three|four|five|several|a few|\d+) (?:days?|weeks?|months?|years?|hours?) "
    r"(?:later|earlier|ago|after|before)"
    r"|(?:\w+ )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|[A-Z]\w+ \d)\b", re.I)
# what may follow a name before its comma: "Ted Cruz of Texas", "John Cornyn (R-Texas)"
_QUANTIFIED = re.compile(r"\b(?:of|many|some|most|several|few|thousands|hundreds|dozens|fellow)\s+$", re.I)
_NAME_TAIL = re.compile(r"^\s*(?:(?:of|from) [A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*){0,3}|\([^()]{1,30}\))?\s*$")
_QUANTIFIERS = frozenset({"none", "some", "many", "most", "others", "other", "both", "all", "each", "few", "several",
                          "neither", "either", "one", "another", "someone", "somebody", "everyone", "everybody",
                          "nobody", "anyone", "anybody", "those", "these", "this", "that", "critics", "supporters"})
_ORG_KINDS = frozenset({"organization", "government", "military-unit", "armed-group", "media"})
_TITLE_NOUN = re.compile(
    r"\b[Tt]he (admiral|general|senator|secretary|ambassador|governor|mayor|president|minister|"
    r"spokesman|spokeswoman|commander|candidate|nominee|congressman|congresswoman|judge|prosecutor|"
    r"chairman|chairwoman|director|actress|actor|billionaire|businessman|businesswoman|official|"
    r"envoy|diplomat|lawmaker|leader|cleric|colonel|captain|sheriff|chief)\b")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "another", "some", "one", "two",
                          "three", "several", "many", "most", "other", "others", "few", "both", "all", "any"})
# where the head noun phrase of a description ends ("a source familiar with the talks")
_NP_END = frozenset({
    "who", "whom", "whose", "which", "that", "familiar", "close", "with", "in", "at", "from", "on",
    "speaking", "briefed", "involved", "knowledgeable", "present", "traveling", "travelling",
    "accompanying", "based", "working", "quoted", "cited", "according", "told", "said", "during",
    "after", "before", "when", "while", "as", "of", "for", "to", "by", "under", "over", "since",
})
# modifiers that make the affiliation a body: "Iraqi security sources" -> "Iraqi security forces"
_AFFILIATION_BODIES = {
    "security": "security forces", "military": "military", "army": "army", "police": "police",
    "intelligence": "intelligence", "government": "government", "administration": "administration",
    "foreign ministry": "foreign ministry", "ministry": "ministry", "defence": "defence ministry",
    "defense": "defense ministry", "interior": "interior ministry", "campaign": "campaign",
    "embassy": "embassy", "party": "party", "navy": "navy",
}
_MILITARY_PEOPLE = frozenset({"commander", "commanders", "soldier", "soldiers", "troops", "officer", "officers",
                              "general", "generals", "trooper", "marines", "pilots", "pilot"})
_RANK_MATCH = {
    "general": ("general", "gen", "major general", "major-general", "lieutenant general", "brigadier general"),
    "senator": ("sen", "senator"), "governor": ("gov", "governor"), "representative": ("rep",),
    "congressman": ("rep",), "congresswoman": ("rep",), "admiral": ("adm", "admiral"),
    "colonel": ("col", "colonel"), "captain": ("capt", "captain"), "president": ("president", "pres"),
}


@dataclass(frozen=True, slots=True)
class Speaker:
    """The speaker of one attribution, as proposed.

    ``how`` says how it was found: ``named`` (a name in the source span), ``surname`` (a
    short form of a name printed in full elsewhere), ``pronoun``, ``relative`` ("who"),
    ``title`` ("the general"), ``quoted`` (a first person inside a quotation: the quotation's
    speaker), ``anonymous``, ``outlet`` (no source: the outlet speaks), ``author`` (a first
    person outside quotations) or ``unresolved``.
    """

    mention: str | None = None        # the source span as printed
    name: str | None = None           # canonical full name as used in the article
    title: str | None = None          # as printed, apart from the name
    description: str | None = None    # anonymous speaker, as printed
    affiliation: str | None = None    # a name to resolve later ("US", "Maysan security forces")
    kind: str | None = None           # guessed entity kind for a named speaker
    how: str = "unresolved"
    gender: str | None = None
    plural: bool = False
    antecedent: Span | None = None    # the mention a reference was resolved to
    confidence: float = 0.5

    @property
    def label(self) -> str:
        return self.name or self.description or self.mention or "(outlet)"


def _clean(text: str) -> str:
    return text.strip().strip(",;:—–-").strip()


def _strip_determiner(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _drop_ranks(title: str | None) -> str | None:
    """Honorifics go; a rank after another title goes ("military spokesman Major General"
    -> "military spokesman"); a rank alone stays ("General")."""
    if not title:
        return None
    words = [w for w in title.split() if N.key(w) not in N.HONORIFICS]
    kept = list(words)
    while kept and N.key(kept[-1]) in N.RANKS:
        kept.pop()
    # a rank at the front of a longer title: "Gen Kenneth" never reaches here; "Major General spokesman" rare
    result = " ".join(kept) if kept else " ".join(words)
    return result or None


def _only_ranks(title: str | None) -> bool:
    return not title or all(N.key(w) in N.RANKS or N.key(w) in N.HONORIFICS for w in title.split())


def _head_and_modifiers(words: list[str]) -> tuple[str | None, list[str]]:
    """The head noun of a description and the words before it: "A Maysan security official
    who asked" -> ("official", ["Maysan", "security"])."""
    core: list[str] = []
    for word in words:
        if word.lower() in _NP_END and core:
            break
        core.append(word)
    while core and core[0].lower() in _DETERMINERS:
        core = core[1:]
    core = [w.strip(",;:") for w in core if w.strip(",;:")]
    if not core:
        return None, []
    return core[-1], core[:-1]


class SpeakerResolver:
    """Speakers of the attributions of one article, in text order: each resolved speaker is
    remembered, so a later pronoun, surname or title refers back to it."""

    def __init__(self, index: ArticleIndex) -> None:
        self.index = index
        self.text = index.text
        self.speakers: list[tuple[int, Speaker]] = []  # (offset of the source, speaker)
        self._genders: dict[str, str] = {}
        self._exclude: str | None = None
        self._titles: dict[str, str] = {}  # the title a speaker was first given in a source phrase
        self._speaker_surnames: dict[str, Speaker] = {}  # last name word -> latest person speaker
        self._full_spans: dict[str, Span | None] = {}
        self._title_sets: dict[str, list[str]] = {}  # name -> the titles the article prints with it

    # -- public ------------------------------------------------------------------

    def resolve(self, attribution: Attribution, enclosing: Speaker | None = None) -> Speaker:
        """The speaker of ``attribution``. ``enclosing`` is the speaker of the quotation the
        source sits in, for a first person ("“I ...,” he said" has no such case; "“We know,
        as I said, ...”" does)."""
        source = attribution.source
        if source is None:
            return Speaker(how="outlet", confidence=0.6)
        speaker = self._read(source, attribution, enclosing)
        if speaker.name and speaker.name in self._titles and (
            (speaker.kind == "person" and speaker.how != "named") or (speaker.how == "named" and not speaker.title)
        ):
            speaker = replace(speaker, title=self._titles[speaker.name])
        self.remember(source.start, speaker)
        return speaker

    def resolve_excluding(self, attribution: Attribution, exclude: str | None) -> Speaker:
        """Like :meth:`resolve`, for speech reported inside another speaker's words: a
        pronoun there does not stand for the reporting speaker ("“He made clear ...,” his
        spokesman said")."""
        self._exclude = exclude
        try:
            return self.resolve(attribution)
        finally:
            self._exclude = None

    def forget(self, speaker: Speaker) -> None:
        """Drop a remembered speaker that only relays another's words ("X did Y, his
        spokesman said"): the topic that pronouns refer back to is X."""
        for i in range(len(self.speakers) - 1, max(-1, len(self.speakers) - 50), -1):
            if self.speakers[i][1] is speaker:  # remembered moments ago: look at the end only
                del self.speakers[i]
                return

    def remember(self, offset: int, speaker: Speaker) -> None:
        bisect.insort(self.speakers, (offset, speaker), key=lambda item: item[0])
        if speaker.name and speaker.title and speaker.how in ("named", "surname"):
            self._titles.setdefault(speaker.name, speaker.title)
        if speaker.name:
            if speaker.kind == "person":
                self._speaker_surnames[speaker.name.split()[-1]] = speaker
            if speaker.gender and speaker.kind == "person":
                self._genders.setdefault(speaker.name, speaker.gender)

    # -- reading a source span ---------------------------------------------------

    def _read(self, source: Span, attribution: Attribution, enclosing: Speaker | None) -> Speaker:
        raw = source.text
        printed = _clean(raw)
        if not printed:
            return Speaker(mention=raw, how="unresolved", confidence=0.2)
        offset = source.start + raw.find(printed)
        if printed.endswith(("’s", "'s")):
            # a source phrase cut after its owner: "Abdel Mahdi's [office] released a statement"
            after = offset + len(printed)
            following = re.match(r"(?:\s+[a-z][a-z\-]*){1,3}", self.text[after:after + 40])
            if following is not None:
                words = following.group().split()
                for n in range(len(words), 0, -1):
                    if N.key(words[n - 1]) in N.PERSON_NOUNS | N.INSTITUTION_NOUNS | N.DOCUMENT_NOUNS:
                        printed = self.text[offset:offset + len(printed) + len(" ".join(words[:n])) + 1]
                        printed = " ".join(printed.split())
                        break
        lowered = printed.lower().replace("’", "'")
        pronoun = PRONOUNS.get(lowered)
        if pronoun is not None:
            return self._pronoun(printed, offset, pronoun, attribution, enclosing)
        if lowered in _QUANTIFIERS:
            # "None has offered plans", "Some said": nobody a later pronoun refers to
            return Speaker(mention=printed, description=printed, how="anonymous",
                           plural=lowered not in ("none", "neither", "either", "one", "another"), confidence=0.4)
        words = printed.split()
        possessive = len(words) >= 2 and words[0].lower() in ("his", "her", "its", "their")
        if possessive and N.key(words[1]) in N.PERSON_NOUNS | N.INSTITUTION_NOUNS:
            return self._possessed(printed, offset, words, attribution)
        return self._noun_phrase(printed, offset, attribution)

    def _noun_phrase(self, printed: str, offset: int, attribution: Attribution) -> Speaker:
        end = offset + len(printed)
        segments = _segments(printed, offset)
        mentions = [m for m in self.index.mentions_between(offset, end) if m.end <= end]
        # the name that heads the phrase: a person first, else a body
        person = next((m for m in mentions if m.kind == "person" and _is_head(printed, offset, m)), None)
        if person is not None:
            owned = self._owned(printed, person, segments)
            if owned is not None:
                return owned
            return self._named_person(printed, person, segments)
        head_segment = segments[0] if segments else (offset, printed)
        seg_words = head_segment[1].split()
        head, modifiers = _head_and_modifiers(seg_words)
        head_key = N.key(head) if head else ""
        body = next(
            (m for m in reversed(mentions) if m.kind in _ORG_KINDS | {"other"} and _is_head(printed, offset, m)), None
        )
        if body is not None and (head is None or _mention_is_head(body, head, head_segment)):
            return self._named_body(printed, body, segments)
        # a person named with an apposition before: "the commander of US forces, Gen Kenneth McKenzie"
        for seg_offset, seg_text in segments[1:]:
            seg_mentions = [m for m in mentions if seg_offset <= m.start < seg_offset + len(seg_text)]
            named = next((m for m in seg_mentions if m.kind == "person"), None)
            if named is not None:
                return self._named_person(printed, named, segments)
        if head is None:
            return Speaker(mention=printed, how="unresolved", confidence=0.2)
        if head_key in N.MEDIA_NAMES or " ".join(N.key(w) for w in [*modifiers, head]) in N.MEDIA_NAMES:
            name = _strip_determiner(_segment_core(head_segment[1]))
            return Speaker(mention=printed, name=name, kind="media", how="named", confidence=0.8)
        lead = seg_words[0].lower() if seg_words else ""
        definite = lead in ("the", "this", "that")
        if head_key in N.INSTITUTION_NOUNS:
            owner = _proper_modifier(modifiers)
            if owner:
                name = _strip_determiner(_segment_core(head_segment[1]))
                guessed = guess_kind(name)
                return Speaker(mention=printed, name=name, kind=guessed if guessed != "person" else "organization",
                               how="named", confidence=0.75)
            if definite:
                found = self._title_reference(head_key, offset, attribution, body_only=True)
                if found is not None:
                    return replace(found, mention=printed)
            militia = any(N.key(w) in N.KIND_WORDS["armed-group"] for w in printed.split())
            return Speaker(mention=printed, description=printed, how="anonymous", confidence=0.5,
                           plural=head_key in N.GROUP_NOUNS, kind="armed-group" if militia else "organization")
        if (
            head_key in N.PERSON_NOUNS
            or head_key in N.GROUP_NOUNS
            or head_key in N.PARTY_AFFILIATIONS
            or head_key in N.DEMONYMS
        ):
            lowercase_title = all(w[:1].islower() and not N.country_of(w) for w in modifiers)
            if definite and head_key not in N.GROUP_NOUNS:
                # "the prime minister": the whole title; "the Florida senator": its head
                words = [*modifiers, head] if lowercase_title else [head]
                proper = tuple(w for w in modifiers if w[:1].isupper())
                found = self._title_reference(" ".join(N.key(w) for w in words), offset, attribution, qualifiers=proper)
                if found is not None:
                    return replace(found, mention=printed)
            affiliation = self._affiliation(head_key, modifiers, mentions, head_segment)
            gender = "f" if head_key in N.FEMALE_WORDS else "m" if head_key in N.MALE_WORDS else None
            plural = head_key in N.GROUP_NOUNS or (
                head_key.endswith("s") and head_key not in N.PERSON_NOUNS - N.GROUP_NOUNS
            )
            return Speaker(mention=printed, description=printed, affiliation=affiliation, how="anonymous",
                           gender=gender, plural=plural, kind="person", confidence=0.8)
        if head_key in N.DOCUMENT_NOUNS:
            affiliation = self._affiliation(head_key, modifiers, mentions, head_segment)
            return Speaker(mention=printed, description=printed, affiliation=affiliation, how="anonymous",
                           confidence=0.6)
        if head[:1].isupper():
            # a capitalised name the mention scan did not keep (a headline word, a name at a sentence start)
            name = _strip_determiner(_segment_core(head_segment[1]))
            kind = guess_kind(name)
            canonical = self._surname(name, offset) if kind in ("person", "other") else None
            if canonical is not None:
                return replace(canonical, mention=printed)
            return Speaker(mention=printed, name=name, kind="person" if kind == "other" else kind, how="named",
                           confidence=0.6)
        return Speaker(mention=printed, description=printed, how="anonymous", confidence=0.4)

    def _owned(self, printed: str, mention: Mention, segments: list[tuple[int, str]]) -> Speaker | None:
        """"Abdel Mahdi's office", "Trump's spokeswoman": the person owns the head noun."""
        owner_text = self.text[mention.start:mention.end]
        if not owner_text.endswith(("’s", "'s")):
            return None
        segment = next(((o, t) for o, t in segments if o <= mention.start < o + len(t)), None)
        if segment is None:
            return None
        seg_offset, seg_text = segment
        after = _segment_core(seg_text[mention.end - seg_offset:]).split()
        if not after:
            return None
        head_key = N.key(after[-1])
        owner = mention.canonical or mention.name
        if head_key in N.INSTITUTION_NOUNS:
            governing = head_key in ("office", "government", "administration", "ministry", "cabinet")
            return Speaker(mention=printed, name=f"{owner}'s {' '.join(after)}",
                           kind="government" if governing else "organization", how="named", confidence=0.75)
        if head_key in N.PERSON_NOUNS or head_key in N.DOCUMENT_NOUNS:
            return Speaker(mention=printed, description=printed, affiliation=owner, how="anonymous",
                           kind="person" if head_key in N.PERSON_NOUNS else None, confidence=0.75)
        return None

    def _named_person(self, printed: str, mention: Mention, segments: list[tuple[int, str]]) -> Speaker:
        appositive = None
        at = next((n for n, (o, t) in enumerate(segments) if o <= mention.start < o + len(t)), None)
        if at is not None:
            # the apposition next to the name: after it ("Austin, commander of ..."), else before
            # it ("the commander of US forces, Gen Kenneth McKenzie")
            for n in (at + 1, at - 1):
                if not 0 <= n < len(segments):
                    continue
                seg_offset, seg_text = segments[n]
                if _NOT_APPOSITION.match(seg_text):
                    continue
                if any(m.kind == "person" for m in self.index.mentions_between(seg_offset, seg_offset + len(seg_text))):
                    continue
                appositive = _strip_determiner(seg_text.rstrip(",;:—–-) ").lstrip("(")) or None
                if appositive:
                    break
        title = mention.title
        if appositive and _only_ranks(title):
            title = appositive
        title = _drop_ranks(title)
        name = mention.canonical or mention.name
        gender = mention.gender or self._genders.get(name)
        how = "named" if name == mention.name else "surname"
        return Speaker(mention=printed, name=name, title=title, kind="person", how=how, gender=gender,
                       antecedent=None if how == "named" else self._full_mention(name),
                       confidence=0.95 if how == "named" else 0.9)

    def _named_body(self, printed: str, mention: Mention, segments: list[tuple[int, str]]) -> Speaker:
        name = _strip_determiner(mention.name)
        if name.endswith(("’s", "'s")):
            name = name[:-2]
        kind = mention.kind if mention.kind != "other" else guess_kind(name)
        if kind in ("other", "person") and " " not in name and name.endswith("s") and _QUANTIFIED.search(
            self.text[max(0, mention.start - 20):mention.start]
        ):
            return Speaker(mention=printed, description=printed, how="anonymous", plural=True, kind="person",
                           affiliation=N.DEMONYMS.get(N.key(name)), confidence=0.6)  # "Thousands of Oromos"
        if kind == "other":
            kind = "person"  # a single unknown capitalised word doing the saying is most often a person
        canonical = self._surname(name, mention.start) if kind == "person" else None
        if canonical is not None:
            return replace(canonical, mention=printed)
        title = None
        for seg_offset, seg_text in segments:
            if seg_offset <= mention.start < seg_offset + len(seg_text):
                continue
            if seg_text.split() and seg_text.split()[0].lower() not in ("who", "which", "that"):
                title = _strip_determiner(seg_text.rstrip(",;:—–- ")) or None
                break
        return Speaker(mention=printed, name=name, title=title if kind == "person" else None, kind=kind,
                       how="named", gender=mention.gender, confidence=0.9 if kind != "person" else 0.8)

    def _possessed(self, printed: str, offset: int, words: list[str], attribution: Attribution) -> Speaker:
        """"his spokesman", "its ministry": a description with the owner as affiliation."""
        # the owner is often the subject of the very words reported ("X did Y, his spokesman said")
        owner_attribution = Attribution(attribution.source, attribution.cue, Span(0, 0, ""), attribution.kind)
        owner = self._pronoun(words[0], offset, PRONOUNS[words[0].lower()], owner_attribution, None)
        owner_name = owner.name or owner.description
        head_key = N.key(words[1])
        if head_key in N.INSTITUTION_NOUNS and owner.name:
            surname = owner.name.split()[-1] if owner.kind == "person" else owner.name
            return Speaker(mention=printed, name=f"{surname} {words[1]}", kind="organization", how="pronoun",
                           antecedent=owner.antecedent, confidence=0.6)
        return Speaker(mention=printed, description=printed, affiliation=owner_name, how="anonymous",
                       kind="person", antecedent=owner.antecedent, confidence=0.7)

    # -- references ------------------------------------------------------------------

    def _pronoun(self, printed: str, offset: int, pronoun: tuple[str, str | None, bool],
                 attribution: Attribution, enclosing: Speaker | None) -> Speaker:
        person, gender, plural = pronoun
        if person == "1":
            quote = self.index.in_quote(offset, offset + len(printed))
            if enclosing is not None and quote is not None:
                return replace(enclosing, mention=printed, how="quoted", confidence=min(enclosing.confidence, 0.85))
            if quote is None:
                return Speaker(mention=printed, description="the author", how="author", confidence=0.4)
            return Speaker(mention=printed, how="unresolved", confidence=0.2)
        if person == "2":
            return Speaker(mention=printed, how="unresolved", confidence=0.2)
        if person == "rel":
            return self._relative(printed, offset, attribution)
        found = self._antecedent(offset, gender, plural, attribution)
        if found is None:
            return Speaker(mention=printed, how="unresolved", gender=gender if gender != "n" else None, plural=plural,
                           confidence=0.2)
        if gender in ("m", "f") and found.name and found.kind == "person":
            self._genders.setdefault(found.name, gender)
            found = replace(found, gender=found.gender or gender)
        return replace(found, mention=printed, how="pronoun", confidence=min(found.confidence, 0.8))

    def _antecedent(self, offset: int, gender: str | None, plural: bool, attribution: Attribution) -> Speaker | None:
        """The compatible speaker or named mention a pronoun at ``offset`` refers back to.

        Preference, as in centering: the nearer sentence first (the pronoun's own sentence
        counts before the one before it only for its subject); within a sentence, its
        subject or its speaker before anyone else; a mention inside a quotation, or of
        unknown gender for "he"/"she", only after the others; ties go to the nearer mention.
        """
        content = attribution.content
        here = self.index.sentence_index(offset)
        window_start = max(0, offset - 3000)
        # a person named after the speaker in the attribution's own words, outside its
        # content, is someone else: the one spoken to ("he told Abdel Mahdi")
        _, s1 = self.index.sentence_bounds(attribution.cue.start)
        after = attribution.source.end if attribution.source is not None else attribution.cue.start
        others = {
            m.canonical for m in self.index.mentions_between(after, s1)
            if not (content is not None and content.start <= m.start < content.end)
        }
        best: tuple[tuple[float, int], Speaker] | None = None

        def consider(position: int, speaker: Speaker, prominent: bool, quoted: bool) -> None:
            nonlocal best
            if position >= offset or position < window_start:
                return
            if content is not None and content.start <= position < content.end:
                return  # one does not speak of oneself by name inside one's own words
            if self._exclude and (speaker.name or speaker.description) == self._exclude:
                return
            if speaker.name in others or not _compatible(speaker, gender, plural):
                return
            distance = here - self.index.sentence_index(position)
            score = 2.0 * distance + (0.0 if prominent else 1.5 if distance == 0 else 1.0)
            if quoted:
                score += 2.0
            if gender in ("m", "f") and not speaker.gender:
                score += 0.75
            key = (score, offset - position)
            if best is None or key < best[0]:
                best = (key, speaker)

        lo = bisect.bisect_left(self.speakers, window_start, key=lambda item: item[0])
        hi = bisect.bisect_left(self.speakers, offset, key=lambda item: item[0])
        for position, speaker in self.speakers[lo:hi]:
            consider(position, speaker, True, self.index.in_quote(position) is not None)
        for m in self.index.mentions_between(window_start, offset):
            cand = self._speaker_from_mention(m)
            if cand is not None:
                consider(m.start, cand, m.subject, m.in_quote)
        if gender != "n" and not plural:
            # "the admiral chuckled. “...,” he said": a title used as a name, in the last sentences
            first = self.index.sentence_starts[max(0, here - 2)]
            for match in _TITLE_NOUN.finditer(self.text, first, offset):
                position = match.start()
                cand = self._title_reference(match.group(1).lower(), position, attribution)
                if cand is not None:
                    s_start, _ = self.index.sentence_bounds(position)
                    subject = not re.search(r"\w", self.text[s_start:position].replace("’s", ""))
                    consider(position, cand, subject, self.index.in_quote(position) is not None)
        return best[1] if best else None

    def _speaker_from_mention(self, m: Mention) -> Speaker | None:
        if m.kind == "other" and " " not in m.name:
            # "Ryan's language": a one-word name already used for a person speaker
            known = self._speaker_surnames.get(m.name)
            if known is not None:
                return replace(known, antecedent=Span(m.start, m.end, self.text[m.start:m.end]), how="named")
        if m.kind == "person":
            name = m.canonical or m.name
            return Speaker(name=name, title=_drop_ranks(m.title), kind="person", how="named",
                           gender=m.gender or self._genders.get(name),
                           antecedent=Span(m.start, m.end, self.text[m.start:m.end]), confidence=0.8)
        if m.kind in _ORG_KINDS:
            return Speaker(name=_strip_determiner(m.name), kind=m.kind, how="named",
                           antecedent=Span(m.start, m.end, self.text[m.start:m.end]), confidence=0.7)
        return None

    def _relative(self, printed: str, offset: int, attribution: Attribution) -> Speaker:
        """"an Iraqi security source, who said": the phrase before the comma."""
        before = self.text[max(0, offset - 200):offset]
        stripped = before.rstrip()
        if not stripped.endswith((",", "—", "–", "(")) and not stripped[-1:].isalpha():
            return Speaker(mention=printed, how="unresolved", confidence=0.2)
        stripped = stripped.rstrip(",—–( ")
        phrase_end = offset - (len(before) - len(stripped))
        phrase_start = _phrase_start(self.text, phrase_end)
        phrase = self.text[phrase_start:phrase_end]
        if not phrase.strip():
            return Speaker(mention=printed, how="unresolved", confidence=0.2)
        # "R. Gil Kerlikowske, the commissioner, who conceded": the name before the apposition
        window = self.text[max(0, phrase_end - 200):phrase_end]
        apposition = re.search(r",\s*((?:the|a|an|[a-z])[^,;.“”\"]*)$", window)
        if apposition is not None:
            comma = phrase_end - len(window) + apposition.start()
            named = [m for m in self.index.mentions_between(max(0, comma - 80), comma)
                     if m.kind == "person" and _NAME_TAIL.match(self.text[m.end:comma])]
            if named:
                person = named[-1]
                phrase_text = self.text[person.start:phrase_end]
                found = self._named_person(phrase_text, person, _segments(phrase_text, person.start))
                return replace(found, mention=printed, how="relative",
                               antecedent=Span(person.start, person.end, self.text[person.start:person.end]))
        inner = self._noun_phrase(phrase.strip(), phrase_start + (len(phrase) - len(phrase.lstrip())), attribution)
        if inner.how == "unresolved":
            return replace(inner, mention=printed)
        return replace(inner, mention=printed, how="relative" if inner.how in ("named", "surname") else inner.how,
                       antecedent=Span(phrase_start, phrase_end, phrase), confidence=min(inner.confidence, 0.85))

    def _title_reference(self, head_key: str, offset: int, attribution: Attribution, body_only: bool = False,
                         qualifiers: tuple[str, ...] = ()) -> Speaker | None:
        """"the general", "the official", "the committee": the nearest earlier speaker or named
        mention whose title, description or name has that word. ``qualifiers`` ("Vermont" in
        "the Vermont senator") pick, among those, one whose title or name also has them."""
        head = head_key.rstrip("s") if head_key.endswith("s") and head_key not in N.PERSON_NOUNS else head_key
        pattern = re.compile(rf"\b{re.escape(head).replace(chr(92) + ' ', '[ -]')}", re.I)
        head = head.split()[-1]
        best: tuple[int, Speaker] | None = None
        lo = bisect.bisect_left(self.speakers, offset - 6000, key=lambda item: item[0])
        hi = bisect.bisect_left(self.speakers, offset, key=lambda item: item[0])
        candidates: list[tuple[int, Speaker]] = list(self.speakers[lo:hi])
        for m in self.index.mentions_between(max(0, offset - 4000), offset):
            cand = self._speaker_from_mention(m)
            if cand is not None:
                candidates.append((m.start, cand))
        qualified: tuple[int, Speaker] | None = None
        for position, speaker in candidates:
            if position >= offset:
                continue
            if body_only and speaker.kind not in _ORG_KINDS:
                continue
            if speaker.plural and not head_key.endswith("s"):
                continue  # "the governor" is not "a trio of governors"
            fields = [speaker.title or "", speaker.description or ""]
            if speaker.kind in _ORG_KINDS:
                fields.append(speaker.name or "")
                if head in ("group", "militia") and speaker.kind == "armed-group":
                    fields.append(head)
                if head in ("government", "administration") and speaker.kind == "government":
                    fields.append(head)
            if head in _RANK_MATCH:
                ranks = _RANK_MATCH[head]
                titles = [speaker.title or "", *self._titles_of(speaker.name)]
                if any(
                    re.search(rf"\b{re.escape(r)}\b", t.lower().replace(".", "")) for t in titles if t for r in ranks
                ):
                    fields.append(head)
            if not any(pattern.search(f) for f in fields if f):
                continue
            if best is None or position > best[0]:
                best = (position, speaker)
            if qualifiers:
                printed = " ".join([speaker.name or "", *fields, *self._titles_of(speaker.name)]).lower()
                if all(q.lower() in printed for q in qualifiers) and (qualified is None or position > qualified[0]):
                    qualified = (position, speaker)
        if qualified is not None:
            best = qualified
        if best is None:
            return None
        found = best[1]
        return replace(found, how="title", confidence=min(found.confidence, 0.8))

    def _surname(self, name: str, offset: int) -> Speaker | None:
        """A one-word name that is the last word of a person's full name printed in the article."""
        words = name.split()
        if len(words) != 1:
            return None
        k = N.key(words[0])
        head, sep, rest = k.partition("-")
        if sep and head in N.NAME_PARTICLES:
            k = rest
        for m in self.index.full_names_ending(k):
            return Speaker(name=m.canonical, title=_drop_ranks(m.title), kind="person", how="surname",
                           gender=m.gender, antecedent=Span(m.start, m.end, self.text[m.start:m.end]), confidence=0.85)
        return None

    def _full_mention(self, canonical: str) -> Span | None:
        """The first mention printing the full name (cached: a name recurs)."""
        if canonical not in self._full_spans:
            found = next((m for m in self.index.people_named(canonical) if m.name == canonical), None)
            self._full_spans[canonical] = (
                Span(found.start, found.end, self.text[found.start:found.end]) if found else None
            )
        return self._full_spans[canonical]

    def _titles_of(self, name: str | None) -> list[str]:
        """Every distinct title printed with a person's name in the article (cached)."""
        if not name:
            return []
        if name not in self._title_sets:
            self._title_sets[name] = list(dict.fromkeys(m.title for m in self.index.people_named(name) if m.title))
        return self._title_sets[name]

    def _affiliation(self, head_key: str, modifiers: list[str], mentions: list[Mention],
                     head_segment: tuple[int, str]) -> str | None:
        """The body an anonymous speaker's description names, as a name to resolve later."""
        if not modifiers:
            if head_key in N.PARTY_AFFILIATIONS:
                return N.PARTY_AFFILIATIONS[head_key]
            country = N.DEMONYMS.get(head_key) or N.DEMONYMS.get(head_key.rstrip("s"))
            return country
        # the proper name or demonym among the modifiers, then the body word after it
        keys = [N.key(w) for w in modifiers]
        for i, word in enumerate(modifiers):
            k = keys[i]
            proper = None
            if word.endswith(("’s", "'s")):
                owner = word[:-2]
                proper = N.DEMONYMS.get(N.key(owner)) and owner or owner
            elif N.DEMONYMS.get(k) and not N.COUNTRIES.get(k) or N.COUNTRIES.get(k) or N.CAPITALS.get(k):
                proper = word
            elif k in N.PARTY_AFFILIATIONS:
                return N.PARTY_AFFILIATIONS[k]
            elif word[:1].isupper() and self.index.is_proper(word):
                # a run of capitalised words: "White House", "State Department", "Maysan"
                run = [word]
                for nxt in modifiers[i + 1:]:
                    if nxt[:1].isupper():
                        run.append(nxt)
                    else:
                        break
                proper = " ".join(run)
            if proper is None:
                continue
            rest = " ".join(keys[i + len(proper.split()):])
            for body_key, body in sorted(_AFFILIATION_BODIES.items(), key=lambda kv: -len(kv[0])):
                if rest.startswith(body_key):
                    return f"{proper} {body}"
            if head_key in _MILITARY_PEOPLE:
                return f"{proper} military"
            if N.DEMONYMS.get(N.key(proper)) and not N.COUNTRIES.get(N.key(proper)):
                return N.DEMONYMS[N.key(proper)]
            return proper
        return None


def _compatible(speaker: Speaker, gender: str | None, plural: bool) -> bool:
    if gender == "n":
        return speaker.kind in _ORG_KINDS and not speaker.plural
    if plural:
        return speaker.plural or speaker.kind in _ORG_KINDS
    if speaker.kind != "person" or speaker.plural:
        return False
    if gender and speaker.gender and gender != speaker.gender:
        return False
    return bool(speaker.name or speaker.description)


def _segments(printed: str, offset: int) -> list[tuple[int, str]]:
    """The parts of a source phrase between commas, dashes and brackets, with offsets."""
    out: list[tuple[int, str]] = []
    for match in re.finditer(r"[^,—–()]+", printed):
        seg = match.group()
        if not seg.strip():
            continue
        lead = len(seg) - len(seg.lstrip())
        out.append((offset + match.start() + lead, seg.strip()))
    return out


def _segment_core(segment: str) -> str:
    words = segment.split()
    core: list[str] = []
    for word in words:
        if word.lower() in _NP_END and core:
            break
        core.append(word)
    return " ".join(core)


def _is_head(printed: str, offset: int, mention: Mention) -> bool:
    """A mention inside the source phrase that is not inside a relative clause or a
    prepositional phrase hanging off the head ("a source close to Trump")."""
    before = printed[: max(0, mention.start - offset)]
    words = before.replace(",", " , ").split()
    for word in words:
        if word.lower() in ("who", "which", "that", "whose", "close", "familiar", "with", "to", "about"):
            return False
    return True


def _mention_is_head(mention: Mention, head: str, segment: tuple[int, str]) -> bool:
    """True when the segment's head word is part of the mention (the name is the head)."""
    seg_offset, seg_text = segment
    core = _segment_core(seg_text)
    core_end = seg_offset + len(core)
    inside = seg_offset <= mention.start < core_end
    return inside and (mention.end >= core_end - 1 or head.rstrip(",;:") in mention.name.split())


def _proper_modifier(modifiers: list[str]) -> str | None:
    for word in modifiers:
        if word[:1].isupper() or word.endswith(("’s", "'s")):
            return word
    return None


def _phrase_start(text: str, end: int) -> int:
    """Start of the noun phrase that ends at ``end``: back to a clause boundary."""
    start = max(0, end - 160)
    chunk = text[start:end]
    tokens = tokenize(chunk)
    cut = 0
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i].text
        gap_end = tokens[i + 1].start if i + 1 < len(tokens) else len(chunk)
        if word in (".", ";", ":", "“", "”", '"', "'", "‘", "’", "(", ")", "—", "–", ",", "-") or "\n" in chunk[
            tokens[i].end:gap_end
        ]:
            cut = tokens[i].end
            break
        if word.lower() in ("to", "by", "from", "with", "said", "says", "told", "and", "but", "than", "as", "among",
                            "according", "quoted", "cited", "citing", "via", "reported"):
            cut = tokens[i].end
            break
    else:
        cut = 0
    return start + cut + (len(chunk[cut:]) - len(chunk[cut:].lstrip()))
