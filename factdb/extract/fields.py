"""The fields of a statement proposal, read from one attribution and its article.

:func:`propose_all` reads every attribution of an article in one pass, so that a pronoun, a
surname or "the general" resolves to the speaker named earlier; :func:`propose_fields` reads
one (give it the :class:`ArticleContext` of earlier calls to keep that memory).

>>> text = "Defence Secretary Leon Panetta said on Monday that the talks went well."
>>> from factdb.extract.model import Attribution, Span
>>> a = Attribution(Span(0, 30, text[:30]), Span(31, 35, "said"), Span(46, 71, text[46:71]), "indirect")
>>> f = propose_fields(text, a, published_on=datetime.date(2011, 7, 12))
>>> f.speaker, f.speaker_title, f.stance, f.said_on_text, f.quote_kind
('Leon Panetta', 'Defence Secretary', 'asserts', '2011-07-11', 'paraphrase')

Nothing here touches the database: names are proposals, to be resolved later.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from factdb.extract import cues
from factdb.extract.dates import find_date
from factdb.extract.mentions import ArticleIndex
from factdb.extract.model import Attribution, Span
from factdb.extract.speakers import PRONOUNS, Speaker, SpeakerResolver
from factdb.extract.stance import read_certainty, read_stance, reporting_verb
from factdb.extract.via import find_via
from factdb.normalize import normalize_name

__all__ = ["ProposedFields", "ArticleContext", "propose_fields", "propose_all"]


@dataclass
class ProposedFields:
    """Everything a statement proposal says about one attribution (see :mod:`factdb.vocab`
    for the vocabularies). Speaker names, affiliation and via are names as printed in the
    article, to be resolved to entities later."""

    attribution: Attribution
    speaker: str | None = None               # canonical full name as used in the article
    speaker_title: str | None = None         # as printed, apart from the name
    speaker_description: str | None = None   # anonymous speaker, as printed
    speaker_affiliation: str | None = None   # a name to resolve ("US", "Maysan security forces")
    speaker_kind: str | None = None          # guessed entity kind when the speaker is named
    speaker_mention: str | None = None       # the source span as printed ("he", "Panetta")
    # named, surname, pronoun, relative, title, quoted, anonymous, outlet, author, unresolved
    speaker_resolved_by: str = "unresolved"
    speaker_antecedent: Span | None = None   # where a pronoun or surname was resolved to
    outlet_speaks: bool = False              # no source: the outlet itself states it
    stance: str | None = "asserts"           # None: declined to comment, no side
    stance_because: str = ""
    certainty: str = "unspecified"
    hedges: list[str] = field(default_factory=list)
    verb: str | None = None                  # the reporting expression as printed
    quote: str | None = None                 # the quoted words, marks left out; fragments joined by " … "
    quote_kind: str = "paraphrase"           # direct | paraphrase
    quote_partial: bool = False              # a paraphrase that keeps some quoted words as the quote
    via: list[str] = field(default_factory=list)
    said_on: datetime.date | None = None
    said_on_precision: str | None = None
    date_note: str | None = None
    date_words: str | None = None
    confidence: float = 0.5
    notes: list[str] = field(default_factory=list)

    @property
    def hedge(self) -> str | None:
        """The hedge words in the bundle's one-field form: ``"My suspicion would be; hard to pin down"``."""
        return "; ".join(self.hedges) or None

    @property
    def said_on_text(self) -> str | None:
        if self.said_on is None:
            return None
        if self.said_on_precision == "year":
            return f"{self.said_on.year:04d}"
        if self.said_on_precision == "month":
            return f"{self.said_on.year:04d}-{self.said_on.month:02d}"
        return self.said_on.isoformat()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: spans as ``[start, end, text]``, the date as ISO text."""
        a = self.attribution
        return {
            "source": a.source.as_list() if a.source else None,
            "cue": a.cue.as_list(),
            "content": a.content.as_list(),
            "content_parts": [p.as_list() for p in a.content_parts],
            "kind": a.kind,
            "speaker": self.speaker,
            "speaker_title": self.speaker_title,
            "speaker_description": self.speaker_description,
            "speaker_affiliation": self.speaker_affiliation,
            "speaker_kind": self.speaker_kind,
            "speaker_mention": self.speaker_mention,
            "speaker_resolved_by": self.speaker_resolved_by,
            "speaker_antecedent": self.speaker_antecedent.as_list() if self.speaker_antecedent else None,
            "outlet_speaks": self.outlet_speaks,
            "stance": self.stance,
            "stance_because": self.stance_because,
            "certainty": self.certainty,
            "hedge": self.hedge,
            "verb": self.verb,
            "quote": self.quote,
            "quote_kind": self.quote_kind,
            "quote_partial": self.quote_partial,
            "via": list(self.via),
            "said_on": self.said_on_text,
            "said_on_precision": self.said_on_precision,
            "date_note": self.date_note,
            "confidence": self.confidence,
            "notes": list(self.notes),
        }


class ArticleContext:
    """What one article's proposals share: its index (sentences, quotations, names) and the
    speakers found so far."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = ArticleIndex(text)
        self.resolver = SpeakerResolver(self.index)
        self.statement_issuers: list[tuple[int, str]] = []  # (offset, speaker) of "released a statement"


# -- quotes -----------------------------------------------------------------------

_MARKS = "“”\"‘’'„«»` "


def _inner(text: str, start: int, end: int) -> str:
    """A quotation's words without its marks and without a final comma."""
    words = text[start:end].strip()
    while words[:1] and words[0] in "“\"‘„«`":
        words = words[1:]
    while words[-1:] and words[-1] in "”\"’»'":
        words = words[:-1]
    words = words.strip()
    if words.endswith(","):
        words = words[:-1].rstrip()
    return words


def _quote(ctx: ArticleContext, a: Attribution) -> tuple[str | None, str, bool, list[str]]:
    """(quote, quote_kind, partial, notes) for an attribution."""
    parts = a.content_parts or [a.content]
    fragments: list[str] = []
    covered = 0
    total = 0
    for part in parts:
        total += len(re.findall(r"\w+", part.text))
        for q0, q1 in ctx.index.quotations_within(part.start, part.end):
            s, e = max(q0, part.start), min(q1, part.end)
            words = _inner(ctx.text, s, e)
            if words:
                fragments.append(words)
                covered += len(re.findall(r"\w+", words))
    notes: list[str] = []
    kind = a.kind
    if kind == "direct":
        if not fragments:
            fragments = [w for w in (_inner(ctx.text, p.start, p.end) for p in parts) if w]
        return " … ".join(fragments) or None, "direct", False, notes
    if fragments:
        if kind == "indirect":
            notes.append("quoted words inside a content read as indirect")
        if total and covered >= total - 1 and len(fragments) == len(parts):
            return " … ".join(fragments), "direct", False, notes
        notes.append("paraphrase with quoted words: the quote is the quoted part only")
        return " … ".join(fragments), "paraphrase", True, notes
    return None, "paraphrase", False, notes


# -- the attribution's own words (not its content) ------------------------------------

def _frame(ctx: ArticleContext, a: Attribution) -> list[tuple[int, int]]:
    """Stretches of the attribution's sentence(s) outside its content and outside
    quotations: where its date, via and the speaker's own hedges are printed."""
    anchors = [a.cue.start, a.cue.end - 1]
    if a.source is not None:
        anchors += [a.source.start, a.source.end - 1]
    s0 = min(ctx.index.sentence_bounds(x)[0] for x in anchors)
    s1 = max(ctx.index.sentence_bounds(x)[1] for x in anchors)
    holes = [(p.start, p.end) for p in (a.content_parts or [a.content])]
    holes += list(ctx.index.quotations_within(s0, s1))
    regions = _without([(s0, s1)], holes)
    return [(r0, r1) for r0, r1 in regions if ctx.text[r0:r1].strip()]


def _without(regions: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``regions`` with the ``holes`` cut out."""
    for h0, h1 in sorted(holes):
        kept = []
        for r0, r1 in regions:
            if h1 <= r0 or h0 >= r1:
                kept.append((r0, r1))
                continue
            if h0 > r0:
                kept.append((r0, h0))
            if h1 < r1:
                kept.append((h1, r1))
        regions = kept
    return regions


def _frame_text(ctx: ArticleContext, regions: list[tuple[int, int]], a: Attribution) -> str:
    """The frame words other than the speaker's name and the cue (hedges of the outlet's
    wording like "reportedly said" are read there)."""
    skip = [(a.cue.start, a.cue.end)] + ([(a.source.start, a.source.end)] if a.source else [])
    out = []
    for r0, r1 in regions:
        chunk = list(ctx.text[r0:r1])
        for s0, s1 in skip:
            for i in range(max(s0, r0), min(s1, r1)):
                chunk[i - r0] = " "
        out.append("".join(chunk))
    return " ".join(" ".join(out).split())


# -- reported speech inside a content ---------------------------------------------------

_LEAD_IN = r"(?:that\s+)?(?:[^,“”\"]{3,140},\s+)?"
_AUX = r"(?:(?:also|had|has|have|later|then|again|previously|repeatedly|reportedly|would|had also|has also)\s+)*"
_INNER_SUBJECT = re.compile(
    rf"^\W*{_LEAD_IN}(?P<subj>he|she|they|it|[Tt]he (?:[a-z\-]+ )?"
    r"(?:secretary|general|minister|president|official|spokesman|spokeswoman|ambassador|commander|senator"
    r"|governor|candidate|prime minister|chairman|leader)|"
    r"(?:[A-Z][\w’'\-]+|al-[A-Z][\w’'\-]+)(?: (?:[A-Z][\w’'\-]+|al-[A-Z][\w’'\-]+)){0,3})"
    rf"\s+{_AUX}(?P<verb>[a-z]+)(?:\s+(?P<particle>clear|out|for|on|back|up))?\b",
)
_INNER_THINK = frozenset({"think", "believe", "feel"})
_INNER_EXTRA_VERBS = frozenset({"encouraged", "encourages", "stressed", "stresses", "urged", "urges", "feels", "felt"})
_VIEW_NOUNS = (
    r"(?:assessment|assessement|view|position|belief|conclusion|understanding|feeling|message|argument|opinion"
    r"|judgment|judgement)"
)
_INNER_POSSESSIVE = re.compile(
    r"^\W*(?P<subj>[Tt]he (?:[a-z\-]+ )?[a-z]+|[A-Z][\w\-]+(?: [A-Z][\w\-]+){0,3}|[Hh]is|[Hh]er|[Tt]heir)"
    rf"(?:’s|'s)? (?P<verb>{_VIEW_NOUNS}) (?:is|was) that\b"
)


_INNER_AFTER_QUOTE = re.compile(
    r"[”\"]\s*,?\s+(?P<subj>he|she|they|"
    r"(?:[A-Z][\w’'\-]+|al-[A-Z][\w’'\-]+)(?: (?:[A-Z][\w’'\-]+|al-[A-Z][\w’'\-]+)){0,3})"
    r"\s+(?P<verb>[a-z]+)\b[^“”\"]{0,60}$"
)


def _reporting(verb: str, particle: str | None) -> bool:
    """A verb that reports speech or thought, as the cue lexicon has it."""
    lowered = verb.lower()
    base, frame = cues.VERB_FORMS.get(lowered) or (None, None)
    if frame in ("say", "tell") or base in _INNER_THINK or lowered in _INNER_EXTRA_VERBS:
        return True
    return bool(particle) and (cues.PHRASAL_FORMS.get(lowered), particle) in cues.PHRASAL


def _inner_speech(ctx: ArticleContext, a: Attribution) -> tuple[Span, Span, Span] | None:
    """(subject, verb, rest) when the content opens with someone else's speech: "He made
    clear that ...", "Panetta also had stressed for Maliki to ...", "The prime minister's
    assessment is that ..."."""
    if len(a.content_parts) > 1:
        return None  # later parts are the outer speaker's own words: one speaker for all
    content = a.content
    text = content.text
    tail = _INNER_AFTER_QUOTE.search(text)
    if tail is not None and _reporting(tail.group("verb"), None):
        # "“...,” Abdel Mahdi told Esper, according to the statement": the quoted words are
        # the inner speaker's; the outer source relays them
        s0, s1 = content.start + tail.start("subj"), content.start + tail.end("subj")
        v0, v1 = content.start + tail.start("verb"), content.start + tail.end("verb")
        q_end = content.start + tail.start()
        if a.source is None or not (s0 < a.source.end and a.source.start < s1):
            return (Span(s0, s1, ctx.text[s0:s1]), Span(v0, v1, ctx.text[v0:v1]),
                    Span(content.start, q_end, ctx.text[content.start:q_end]))
    possessive = _INNER_POSSESSIVE.match(text)
    match = possessive or _INNER_SUBJECT.match(text)
    if match is None:
        return None
    verb = match.group("verb")
    if possessive is None:
        particle = match.group("particle")
        lowered = verb.lower()
        phrasal = bool(particle) and (cues.PHRASAL_FORMS.get(lowered), particle) in cues.PHRASAL
        if not _reporting(lowered, particle):
            return None
        subj_word = match.group("subj")
        if subj_word.lower() in PRONOUNS and PRONOUNS[subj_word.lower()][0] != "3":
            return None
        if subj_word.endswith(("’s", "'s")):
            return None  # "Clinton's remarks at the debate": a noun phrase, not a clause
        verb_end = match.end("particle") if phrasal and particle else match.end("verb")
    else:
        verb_end = match.end("verb")
    s0 = content.start + match.start("subj")
    s1 = content.start + match.end("subj")
    if a.source is not None and s0 < a.source.end and a.source.start < s1:
        return None
    v0 = content.start + match.start("verb")
    v1 = content.start + verb_end
    rest0 = v1
    while rest0 < content.end and ctx.text[rest0] in " ,:":
        rest0 += 1
    if rest0 >= content.end:
        return None
    return (
        Span(s0, s1, ctx.text[s0:s1]),
        Span(v0, v1, ctx.text[v0:v1]),
        Span(rest0, content.end, ctx.text[rest0:content.end]),
    )


# -- proposing --------------------------------------------------------------------------

_QUOTED_BY = re.compile(r"(?:^|[”\",.]\s*)(?P<np>(?:[\w’'\-]+\s){1,6}?)(?:quoted|cited)\s+(?:[a-z][\w’'\-]*\s+){0,4}$")


def _quoted_by(ctx: ArticleContext, a: Attribution) -> str | None:
    """"Iran's state television quoted Y as saying": the carrier printed before the speaker."""
    if a.source is None:
        return None
    s0, _ = ctx.index.sentence_bounds(a.source.start)
    before = ctx.text[s0:a.source.start]
    quote = ctx.index.in_quote(s0)
    match = _QUOTED_BY.search(before)
    if match is None or quote is not None and quote[1] > a.source.start:
        return None
    np = match.group("np").strip()
    np = re.sub(r"^(?:the|a|an)\s+", "", np, flags=re.I)
    return np or None


def _quoted_as_saying(ctx: ArticleContext, a: Attribution) -> Span | None:
    """"Iran's state television quoted foreign ministry spokesman Ramin Mehmanparast as
    saying": the one quoted, printed between the cue and "as saying" (or opening the content)."""
    if not re.fullmatch(r"(?:quoted|cited|quotes|cites)(?: .* as (?:saying|telling))?", a.cue.text.strip()):
        return None
    _, s1 = ctx.index.sentence_bounds(a.cue.start)
    for start, end in ((a.cue.end, s1), (a.content.start, a.content.end)):
        window = ctx.text[start:end]
        match = re.match(r"\s*(?P<np>[^,;.“”\"]+?)\s+as (?:saying|telling)\b", window)
        if match is not None:
            return Span(start + match.start("np"), start + match.end("np"), match.group("np"))
    return None


def _speaker_fields(out: ProposedFields, speaker: Speaker, outlet: str | None) -> None:
    out.speaker = speaker.name
    out.speaker_title = speaker.title
    out.speaker_description = speaker.description
    out.speaker_affiliation = speaker.affiliation
    out.speaker_kind = speaker.kind if speaker.name else None
    out.speaker_mention = speaker.mention
    out.speaker_resolved_by = speaker.how
    out.speaker_antecedent = speaker.antecedent
    if speaker.how == "outlet":
        out.outlet_speaks = True
        out.speaker = outlet
        out.speaker_kind = "media" if outlet else None


_ISSUED_STATEMENT = re.compile(r"\b(?:released|issued|put out|published) (?:a|its) statement\b")
_DOCUMENT_REFERENCE = re.compile(
    r"^(?:the|that|this|its|his|her|their) (?:\w+ )?"
    r"(?:statement|communiqu[eé]|release|announcement|readout|letter|transcript)$",
    re.I,
)


def _relay_label(ctx: ArticleContext, speaker: Speaker, offset: int) -> str | None:
    """Who relays: a speaker's name, or for "the statement" the one who issued it."""
    if speaker.description and _DOCUMENT_REFERENCE.match(speaker.description.strip()):
        issuer = next((name for off, name in reversed(ctx.statement_issuers) if off < offset), None)
        if issuer:
            return issuer
    return _label(speaker)


def _label(speaker: Speaker | None) -> str | None:
    if speaker is None:
        return None
    return speaker.name or speaker.description or None


def propose_fields(text: str, attribution: Attribution, *, published_on: datetime.date | None = None,
                   published_precision: str | None = None, outlet: str | None = None,
                   context: ArticleContext | None = None, enclosing: Speaker | None = None) -> ProposedFields:
    """The statement fields of one attribution of ``text``.

    ``published_on``/``published_precision`` (day, month or year) are the source's
    publication date, for relative dates; ``outlet`` is the reporting outlet's name (the
    speaker when the text names none, and never its own via). Pass the same ``context`` to
    successive calls on one article so pronouns resolve across sentences.
    """
    ctx = context if context is not None else ArticleContext(text)
    a = attribution
    out = ProposedFields(attribution=a)

    speaker = ctx.resolver.resolve(a, enclosing=enclosing)
    regions = _frame(ctx, a)
    frame_words = _frame_text(ctx, regions, a)
    cue_text = a.cue.text
    via_names: list[str] = []   # relays after the frame's own intermediaries
    inner_links: list[str] = []  # intermediaries of a speaker reported inside the content
    relayed = False

    # "X quoted Y as saying": the source found may be the carrier or the speaker
    carried_by = _quoted_by(ctx, a)
    quoted_np = _quoted_as_saying(ctx, a) if speaker.how != "outlet" else None
    if quoted_np is not None:
        quoted = ctx.resolver.resolve(Attribution(quoted_np, a.cue, a.content, a.kind))
        if quoted.how != "unresolved":
            via_names.append(_label(speaker) or speaker.mention or "")
            ctx.resolver.forget(speaker)
            speaker = quoted
    elif carried_by:
        via_names.append(carried_by)

    # reported speech inside the content: the inner speaker speaks, the outer one relays
    inner = _inner_speech(ctx, a) if speaker.how != "outlet" else None
    verb = reporting_verb(cue_text)
    stance_text = a.content.text
    if inner is not None:
        subj, inner_verb, rest = inner
        outer = speaker
        inner_attribution = Attribution(subj, inner_verb, rest, a.kind)
        inner_speaker = ctx.resolver.resolve_excluding(inner_attribution, exclude=_label(outer))
        other = normalize_name(_label(inner_speaker) or "") != normalize_name(_label(outer) or "-")
        if inner_speaker.how != "unresolved" and other:
            via_names.insert(0, _relay_label(ctx, outer, a.cue.start) or outer.mention or "")
            # the inner speaker's own intermediary comes first: "X reported that Y told state television"
            clause_end = min(rest.end, rest.start + 80)
            that = re.search(r"\bthat\b", ctx.text[rest.start:clause_end])
            inner_region = [(inner_verb.start, rest.start + that.start() if that else clause_end)]
            inner_found = find_via(
                ctx.text, inner_region, index=ctx.index, speaker=_label(inner_speaker), outlet=outlet
            )
            inner_links = [link.name for link in inner_found]
            out.notes.append(
                f"reported by {_label(outer) or outer.mention}: '{subj.text} {inner_verb.text}' inside the content"
            )
            speaker = inner_speaker
            relayed = True
            ctx.resolver.forget(outer)
            verb = reporting_verb(inner_verb.text)
            stance_text = rest.text
            cue_text = inner_verb.text

    _speaker_fields(out, speaker, outlet)

    links = find_via(ctx.text, regions, index=ctx.index, speaker=out.speaker, outlet=outlet,
                     according_to_is_cue=a.cue.text.lower().startswith("according to"))
    frame_links = [link.name for link in links]
    # relayed, nearest the speaker first: the inner speaker's intermediary, the relaying
    # speaker, then the relaying speaker's own intermediaries
    chain = inner_links + via_names[:1] + frame_links + via_names[1:] if relayed else frame_links + via_names
    if re.search(r"\baccording to (?:the|a|that|this) statement\b", frame_words, re.I) and ctx.statement_issuers:
        issuer = next((name for off, name in reversed(ctx.statement_issuers) if off < a.cue.start), None)
        if issuer:
            chain.append(issuer)
    for name in chain:
        if name and all(normalize_name(name) != normalize_name(v) for v in out.via) \
                and normalize_name(name) not in {normalize_name(n) for n in (out.speaker, outlet) if n}:
            out.via.append(name)

    reading = read_stance(cue_text, stance_text)
    out.stance, out.stance_because = reading.stance, reading.because
    certainty = read_certainty(cue_text, stance_text, frame_words)
    out.certainty, out.hedges = certainty.certainty, list(certainty.hedges)
    out.verb = verb

    out.quote, out.quote_kind, out.quote_partial, notes = _quote(ctx, a)
    out.notes.extend(notes)

    # a date inside the speaker's phrase is the phrase's ("Panetta, who took over on July 1")
    date_regions = _without(regions, [(a.source.start, a.source.end)] if a.source else [])
    said = find_date(
        ctx.text, date_regions, a.cue.start, published_on=published_on, published_precision=published_precision,
        anchors=[(a.cue.start, a.cue.end)] + ([(a.source.start, a.source.end)] if a.source else []),
    )
    if said is not None:
        out.said_on, out.said_on_precision = said.value, said.precision
        out.date_note, out.date_words = said.note, said.words

    if "statement" in a.cue.text.lower() or _ISSUED_STATEMENT.search(frame_words):
        label = _label(speaker) or out.speaker
        if label:
            ctx.statement_issuers.append((a.cue.start, label))

    out.confidence = round(a.confidence * (0.5 + 0.5 * speaker.confidence), 3)
    return out


def _first_person(a: Attribution) -> bool:
    return a.source is not None and PRONOUNS.get(a.source.text.strip().lower().replace("’", "'"), ("",))[0] == "1"


def propose_all(text: str, attributions: list[Attribution], *, published_on: datetime.date | None = None,
                published_precision: str | None = None, outlet: str | None = None) -> list[ProposedFields]:
    """The fields of every attribution of one article, in the order given.

    Attributions are read in text order so that each speaker is known to the pronouns and
    surnames after it; a first person inside a quotation ("“... as I said ...”") takes the
    speaker of the attribution whose content holds it; an attribution inside another's
    content gets the outer speaker as its last via.
    """
    ctx = ArticleContext(text)
    order = sorted(range(len(attributions)), key=lambda i: _position(attributions[i]))
    results: dict[int, ProposedFields] = {}
    speakers: dict[int, Speaker] = {}
    deferred = {i for i in order if _first_person(attributions[i])}
    holder = _holders(attributions)
    for i in order:
        if i in deferred:
            continue
        results[i] = propose_fields(text, attributions[i], published_on=published_on,
                                    published_precision=published_precision, outlet=outlet, context=ctx)
        speakers[i] = _speaker_of(results[i])
    for i in order:
        if i not in deferred:
            continue
        j = holder.get(i)
        results[i] = propose_fields(
            text, attributions[i], published_on=published_on, published_precision=published_precision,
            outlet=outlet, context=ctx, enclosing=speakers.get(j) if j is not None else None,
        )
    # nested attributions: the outer speaker relays the inner one
    for i in order:
        j = holder.get(i)
        if j is None or attributions[i].cue.start < attributions[j].content.start \
                or attributions[i].cue.start >= attributions[j].content.end:
            continue
        label = results[j].speaker or results[j].speaker_description
        if label and normalize_name(label) != normalize_name(results[i].speaker or "") \
                and all(normalize_name(label) != normalize_name(v) for v in results[i].via):
            results[i].via.extend([label, *[v for v in results[j].via if v not in results[i].via]])
    return [results[i] for i in range(len(attributions))]


def _holders(attributions: list[Attribution]) -> dict[int, int]:
    """For each attribution whose source (or cue) lies inside another's content, that other
    one (the innermost, nearest). Contents are sorted once, so this stays near linear."""
    contents = sorted(range(len(attributions)), key=lambda j: attributions[j].content.start)
    starts = [attributions[j].content.start for j in contents]
    out: dict[int, int] = {}
    for i, a in enumerate(attributions):
        anchor = a.source.start if a.source is not None else a.cue.start
        k = bisect.bisect_right(starts, anchor) - 1
        for _ in range(20):  # contents that start before the anchor, nearest first
            if k < 0:
                break
            j = contents[k]
            if j != i and anchor < attributions[j].content.end:
                out[i] = j
                break
            k -= 1
    return out


def _position(a: Attribution) -> int:
    return min(a.cue.start, a.source.start if a.source is not None else a.cue.start)


def _speaker_of(fields: ProposedFields) -> Speaker:
    return Speaker(mention=fields.speaker_mention, name=fields.speaker, title=fields.speaker_title,
                   description=fields.speaker_description, affiliation=fields.speaker_affiliation,
                   kind=fields.speaker_kind, how=fields.speaker_resolved_by, confidence=0.8)

