"""The article's words, sentences, quotations and named mentions, read once per article.

A *mention* is a run of capitalised words that names someone or something ("Defence
Secretary Leon Panetta", "Iran's state television", "Panetta"), with the title printed with
it, a guessed kind, and the canonical full name it stands for in this article ("Panetta" ->
"Leon Panetta" once the full name has been printed). Pronoun and surname resolution work on
these.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from factdb.extract import names as N
from factdb.extract import sentences as sentences_mod
from factdb.extract.quotations import QuoteIndex, find_quotations

__all__ = ["Token", "Mention", "ArticleIndex", "tokenize", "split_name", "guess_kind", "is_name_token"]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’\-]*[\w])?\.?|\d[\d,.:/]*\d|\d|[^\w\s]")
# abbreviations whose final dot does not end a sentence
_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sen", "rep", "gov", "jr", "sr", "st", "capt", "maj", "sgt", "adm",
    "brig", "prof", "rev", "inc", "corp", "co", "ltd", "mt", "ft", "no", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "cpl", "pvt", "cmdr", "supt", "insp",
])
# capitalised words that start sentences but do not name anyone
_NOT_NAMES = frozenset([
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his",
    "her", "their", "our", "my", "your", "him", "them", "us", "me", "there", "here", "but", "and", "or", "so", "then",
    "now", "yet", "still", "also", "meanwhile", "however", "moreover", "furthermore", "earlier", "later", "last",
    "next", "since", "after", "before", "while", "when", "whenever", "if", "as", "at", "in", "on", "for", "from",
    "with", "none", "nobody", "everyone", "everybody", "someone", "somebody", "anyone", "anybody", "nothing",
    "something", "everything", "without", "by", "of", "to", "into", "onto", "upon", "about", "above", "below", "over",
    "under", "among", "amid", "amidst", "despite", "although", "though", "because", "until", "unless", "during",
    "given", "according", "asked", "speaking", "following", "more", "most", "many", "much", "some", "several", "few",
    "both", "all", "each", "every", "other", "another", "such", "what", "which", "who", "whom", "whose", "why", "how",
    "where", "no", "not", "nor", "neither", "either", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "first", "second", "third", "latest", "recent", "new", "old", "further", "instead", "indeed",
    "even", "only", "just", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tomorrow", "tonight", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mrs", "mr", "ms", "dr", "said", "says",
    "told", "added", "asked", "according", "read", "reading", "editing", "reporting", "writing", "photo", "photos",
    "video", "image", "images", "source", "sources", "update", "updated", "advertisement", "related", "let", "let's",
    "please", "thanks", "yes", "no", "ok", "okay", "well", "oh", "like", "unlike", "near", "nearly", "almost",
    "about", "around", "once", "twice", "again", "across", "along", "against", "toward", "towards", "through",
    "throughout", "within", "beyond", "behind", "beside", "besides", "between", "am", "pm", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
    "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "dozens",
    "hundreds", "thousands", "millions",
])
# hyphenated adjectives built on a name: "Iran-backed", "US-led"
_NAME_ADJECTIVE = re.compile(
    r"-(?:backed|led|based|born|allied|aligned|linked|affiliated|controlled|run|owned|held|"
    r"friendly|funded|supported|made|style|era|bound|sponsored|inspired|dominated|majority|"
    r"centric|leaning|wide|speaking)$"
)
_HYPHEN_PREFIXES = frozenset({"co", "ex", "pre", "post", "anti", "non", "vice", "pro", "self", "neo", "re", "mid"})
# words of events and things, not people ("Battle of the Bulge")
_EVENT_WORDS = frozenset([
    "battle", "war", "wars", "conference", "summit", "olympics", "election", "elections", "agreement", "treaty",
    "act", "accord", "accords", "anniversary", "festival", "cup", "games", "crisis", "revolution", "spring",
    "operation", "offensive", "campaign", "deal", "plan", "law", "bill", "amendment", "doctrine", "initiative",
    "program", "programme", "prize", "award", "classic", "open", "tournament", "championship", "championships",
    "series", "bowl", "awards", "oscars", "emmys", "debate", "debates", "primary", "primaries", "caucus", "caucuses",
    "convention", "rally", "poll", "polls",
])
# words that make a capitalised run a place, not a person
# words of a title-like phrase before an anonymous speaker ("foreign ministry spokesman")
_TITLE_LIKE = frozenset([
    "ministry", "military", "security", "foreign", "state", "defence", "defense", "army", "police", "party",
    "campaign", "press", "deputy", "senior", "top", "former", "chief",
])
_PLACE_WORDS = frozenset([
    "city", "province", "state", "county", "district", "region", "street", "avenue", "road", "square", "camp", "base",
    "zone", "airport", "river", "gulf", "sea", "ocean", "lake", "mountain", "mountains", "island", "islands",
    "valley", "bay", "strait", "peninsula", "desert", "hospital", "school", "stadium", "hotel", "village", "town",
    "neighbourhood", "neighborhood", "quarter", "border", "highway", "bridge", "palace", "hall", "capitol",
    "building", "tower", "plaza", "park", "port", "field", "east", "west", "north", "south", "middle", "northeast",
    "northwest", "southeast", "southwest", "central", "shoal", "reef",
])
_ACRONYM_KINDS = {
    "fbi": "government", "cia": "government", "nsa": "government", "doj": "government",
    "dhs": "government", "fec": "government", "epa": "government", "irs": "government",
    "nasa": "government", "sec": "government", "ftc": "government", "fcc": "government",
    "dod": "government", "gao": "government", "cbo": "government", "un": "organization",
    "nato": "organization", "eu": "government", "iaea": "organization", "who": "organization",
    "imf": "organization", "opec": "organization", "irgc": "military-unit",
    "pmf": "armed-group", "pmu": "armed-group", "kh": "armed-group", "aah": "armed-group",
    "isis": "armed-group", "isil": "armed-group", "pkk": "armed-group", "ypg": "armed-group",
    "gop": "organization", "dnc": "organization", "rnc": "organization", "aclu": "organization",
    "nra": "organization", "pac": "organization", "ap": "media", "afp": "media",
}


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return N.key(self.text)


# only the words a name can be made of: capitalised words, initials, particles, connectors,
# numbers (for "May 5"); the words between them are left out, which breaks a run
_NAME_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-Þ](?:[\w'’\-]*[\w])?\.?"
    r"|\b(?:of|for|the|and|al|el|bin|ibn|abu|abd|de|del|della|der|di|da|dos|du|la|le|van|von|ter|ten|y|ul|ud|bint|st)\b"
    r"(?:-[A-ZÀ-ÖØ-Þ][\w'’\-]*)?|\d+"
)


def tokenize(text: str, start: int = 0, end: int | None = None, *, names_only: bool = False) -> list[Token]:
    """Words (with internal apostrophes, hyphens and abbreviation dots) and punctuation marks;
    with ``names_only`` just the words a name can be made of.

    A final dot stays on a word only for abbreviations and initials ("Mr.", "J.", "U.S.").
    """
    stop = len(text) if end is None else end
    out: list[Token] = []
    for match in (_NAME_TOKEN if names_only else _TOKEN).finditer(text, start, stop):
        word = match.group()
        s, e = match.start(), match.end()
        if len(word) > 1 and word.endswith(".") and word[0].isalpha() and "." not in word[:-1]:
            stem = word[:-1]
            if not (stem.lower() in _ABBREVIATIONS or len(stem) == 1):
                out.append(Token(s, e - 1, stem))
                out.append(Token(e - 1, e, "."))
                continue
        out.append(Token(s, e, word))
    return out


def is_name_token(token: str) -> bool:
    """A word that may be part of a name: capitalised, an initial, an acronym, or a
    particle ("al-Maliki", "bin")."""
    if not token or not token[0].isalpha():
        return False
    if _NAME_ADJECTIVE.search(token):
        return False
    head, sep, tail = token.rpartition("-")
    if sep and head[:1].isupper() and tail[:1].islower() and head.lower() not in _HYPHEN_PREFIXES \
            and head.split("-")[0].lower() not in N.NAME_PARTICLES:
        return False  # "Oscar-winning", "Pulitzer-winner": an adjective built on a name
    if token[0].isupper():
        return True
    lowered = token.lower()
    if lowered in N.NAME_PARTICLES:
        return True
    head, sep, rest = token.partition("-")
    return bool(sep) and head.lower() in N.NAME_PARTICLES and rest[:1].isupper()


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_SUBORDINATORS = frozenset([
    "that", "whether", "if", "when", "while", "because", "although", "though", "after", "before", "as", "since",
    "unless", "until", "where", "which", "who", "whom", "whose", "than", "once", "whenever", "wherever",
])
_PREPOSITIONS = frozenset([
    "of", "with", "by", "to", "for", "from", "on", "in", "at", "about", "against", "between", "among", "over",
    "under", "after", "before", "during", "into", "onto", "upon", "than", "like", "unlike", "including", "via",
    "toward", "towards", "behind", "beside", "near", "around", "across", "through", "throughout", "within", "without",
    "despite", "amid", "besides", "beyond", "past", "since", "until",
])
_CONNECTORS = frozenset({"of", "for", "the", "and"})


def split_name(words: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run into the title printed before a name and the name:
    ``(["Defence", "Secretary"], ["Leon", "Panetta"])``. The name is what follows the last
    title word that leaves at least one name word after it ("Phoenix Mayor Greg Stanton" ->
    "Greg Stanton"; "Steve King" stays whole)."""
    cut = 0
    for index, word in enumerate(words):
        k = N.key(word)
        if k in N.TITLE_WORDS or N.country_of(word) or k in ("of", "for", "the", "and"):
            rest = [w for w in words[index + 1:] if N.key(w) not in _SUFFIXES]
            if rest and any(w[:1].isupper() for w in rest):
                cut = index + 1
    title, name = words[:cut], words[cut:]
    while name and N.key(name[0]) in ("of", "for", "the", "and"):
        title.append(name.pop(0))
    return title, name


def _kind_by_words(words: list[str]) -> str | None:
    keys = [N.key(w) for w in words]
    joined = " ".join(keys)
    if joined in N.MEDIA_NAMES or joined.removeprefix("the ") in N.MEDIA_NAMES:
        return "media"
    for w, k in zip(words, keys, strict=False):
        if k in _ACRONYM_KINDS and w.isupper():
            return _ACRONYM_KINDS[k]
    if any(k in N.KIND_WORDS["armed-group"] for k in keys):
        return "armed-group"
    if "army" in keys:
        # "the Iraqi Army" is a state's army; "the Mahdi Army" a militia
        before = keys[keys.index("army") - 1] if keys.index("army") else ""
        national = before in ("national", "royal", "regular", "free") or N.country_of(before) or before in N.CAPITALS
        return "military-unit" if national or keys.index("army") == 0 else "armed-group"
    if keys and keys[-1] in N.MEDIA_WORDS and len(keys) > 1:
        return "media"
    if any(k in N.KIND_WORDS["military-unit"] for k in keys):
        return "military-unit"
    if joined in N.CAPITALS or (len(keys) <= 3 and N.COUNTRIES.get(joined.replace(" ", ""))) or joined in N.COUNTRIES:
        return "government"
    if any(k in N.KIND_WORDS["government"] for k in keys):
        return "government"
    if any(k in N.KIND_WORDS["organization"] for k in keys):
        return "organization"
    return None


def guess_kind(name: str) -> str:
    """A guessed entity kind (factdb.vocab.ENTITY_KINDS) for a name printed in an article:
    ``guess_kind("NBC News") == "media"``, ``guess_kind("Kataib Hezbollah") == "armed-group"``,
    ``guess_kind("Tehran") == "government"``, ``guess_kind("Colin Kahl") == "person"``."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    kind = _kind_by_words(words)
    if kind:
        return kind
    keys = [N.key(w) for w in words]
    if any(k in _PLACE_WORDS or k in _EVENT_WORDS for k in keys):
        return "other"
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0].replace(".", "")) <= 6:
        return "organization"
    if 1 <= len(words) <= 5 and all(is_name_token(w) or N.key(w) in _SUFFIXES for w in words):
        return "person"
    return "other"


def _gender_of(words: list[str], before: list[str]) -> str | None:
    """From an honorific or a gendered title printed with the name, else the first name."""
    for w in before:
        k = N.key(w)
        if k in N.HONORIFICS and N.HONORIFICS[k]:
            return N.HONORIFICS[k]
        if k in N.FEMALE_WORDS and k not in ("her", "she"):
            return "f"
        if k in N.MALE_WORDS and k not in ("his", "he"):
            return "m"
    first = next((N.key(w) for w in words if N.key(w) not in N.TITLE_WORDS), None)
    if first in N.FEMALE_NAMES:
        return "f"
    if first in N.MALE_NAMES:
        return "m"
    return None


@dataclass(slots=True)
class Mention:
    """A name printed in the article."""

    start: int
    end: int
    printed: str          # the run as printed, title included
    name: str             # the name without the title ("Leon Panetta")
    title: str | None     # the title printed with it ("Defence Secretary")
    kind: str             # guessed kind
    gender: str | None = None
    canonical: str = ""   # the fullest form of this name in the article
    in_quote: bool = False
    subject: bool = False  # first noun phrase of its sentence

    def __post_init__(self) -> None:
        if not self.canonical:
            self.canonical = self.name


def _name_words(name: str) -> list[str]:
    """Name words without particles and suffixes, for surname matching:
    "Nuri al-Maliki" -> ["nuri", "maliki"]."""
    out = []
    for word in name.split():
        k = N.key(word)
        if k in N.NAME_PARTICLES or k in _SUFFIXES:
            continue
        head, sep, rest = k.partition("-")
        if sep and head in N.NAME_PARTICLES:
            k = rest
        out.append(k)
    return out


@dataclass
class ArticleIndex:
    """Everything about an article's text that attribution fields need, computed once."""

    text: str
    tokens: list[Token] = field(init=False)
    sentence_starts: list[int] = field(init=False)
    quote_index: QuoteIndex = field(init=False)
    quotes: list[tuple[int, int]] = field(init=False)  # (start, end) of quotations, marks included
    mentions: list[Mention] = field(init=False)
    _mention_starts: list[int] = field(init=False)
    _capitalised_mid: set[str] = field(init=False)
    _by_canonical: dict[str, list[Mention]] | None = field(init=False, default=None)
    _by_last: dict[str, list[Mention]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.tokens = tokenize(self.text, names_only=True)
        self.quote_index = QuoteIndex(find_quotations(self.text))
        self.quotes = [(q.start, q.end) for q in self.quote_index.quotes]
        self.sentence_starts = self._find_sentences()
        self._capitalised_mid = self._mid_sentence_capitals()
        self.mentions = self._find_mentions()
        self.tokens = []  # only the mention scan needs them; a long input should not keep them
        self._mention_starts = [m.start for m in self.mentions]

    # -- sentences and quotations ------------------------------------------------------

    def _find_sentences(self) -> list[int]:
        starts = [0]
        for p0, p1 in sentences_mod.paragraphs(self.text):
            starts.extend(s0 for s0, _ in sentences_mod.sentences(self.text, p0, p1, self.quote_index))
        return sorted(set(starts))

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence holding ``offset``."""
        i = bisect.bisect_right(self.sentence_starts, offset) - 1
        start = self.sentence_starts[max(i, 0)]
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return start, start + len(self.text[start:end].rstrip()) if end > start else end

    def sentence_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self.sentence_starts, offset) - 1, 0)

    def paragraph_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def in_quote(self, start: int, end: int | None = None) -> tuple[int, int] | None:
        """The quotation (marks included) that contains ``start`` (and ``end``), if any."""
        quote = self.quote_index.containing(start)
        if quote is None or (end is not None and end > quote.end):
            return None
        return quote.start, quote.end

    def quotations_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """Quotations (marks included) that overlap ``text[start:end]``."""
        return [(q.start, q.end) for q in self.quote_index.within(start, end)]

    # -- names ------------------------------------------------------------------

    def _mid_sentence_capitals(self) -> set[str]:
        """Capitalised words also printed capitalised inside a sentence (not only first)."""
        starts = set(self.sentence_starts)
        text = self.text
        out: set[str] = set()
        for tok in self.tokens:
            if not tok.text[:1].isupper() or tok.start in starts:
                continue
            before = text[max(0, tok.start - 3):tok.start].rstrip()
            if before[-1:] in ("“", '"', ":", "(", "—", "–", "-", "‘", "."):
                continue
            out.add(tok.key)
        return out

    def _runs(self) -> list[list[Token]]:
        """Runs of name words separated by single spaces ("of", "for" and "the" inside)."""
        text = self.text
        runs: list[list[Token]] = []
        current: list[Token] = []

        def close() -> None:
            while current and N.key(current[-1].text) in _CONNECTORS | N.NAME_PARTICLES:
                current.pop()
            if current:
                runs.append(list(current))
            current.clear()

        tokens = self.tokens
        for i, tok in enumerate(tokens):
            joined = not current or text[current[-1].end:tok.start] == " "
            if not joined:
                close()
            word = tok.text
            if _is_date_word(tokens, i):
                close()
                continue
            lower_start = word.islower() and not current and not _particle_then_name(tokens, i, text)
            joining = word.lower() in ("of", "for", "the")
            if is_name_token(word) and not lower_start and (word[0].isupper() or not joining):
                current.append(tok)
                if word.endswith(("’s", "'s")):
                    close()  # "Iran's Islamic Revolutionary Guards Corps": the owner is a name of its own
                continue
            if (
                current
                and word.lower() in ("of", "for", "the")
                and i + 1 < len(tokens)
                and text[tok.end:tokens[i + 1].start] == " "
                and (tokens[i + 1].text[:1].isupper() or tokens[i + 1].text == "the")
            ):
                current.append(tok)
                continue
            close()
        close()
        return runs

    def _find_mentions(self) -> list[Mention]:
        text = self.text
        sentence_starts = set(self.sentence_starts)
        mentions: list[Mention] = []
        for run in self._runs():
            # drop capitalised function words at the front ("But Panetta", "The Pentagon")
            while run and _base(run[0].text) in _NOT_NAMES and not (run[0].text.isupper() and len(run[0].text) > 1):
                run = run[1:]
            # "Entrusting Donald Trump ...", "Debating Clinton ...": a sentence-initial verb
            if len(run) > 1 and (run[0].start in sentence_starts or self._after_opening(run[0].start)) \
                    and run[0].text.lower().endswith(("ing", "ed", "ly")) and run[0].key not in self._capitalised_mid:
                run = run[1:]
            if not run:
                continue
            words = [t.text for t in run]
            if len(words) > 1 and all(w.isupper() or not w[:1].isalpha() for w in words):
                continue  # "CORRECTION APPENDED", "BAGHDAD (AFP)": page chrome, datelines
            start, end = run[0].start, run[-1].end
            first_of_sentence = start in sentence_starts or self._after_opening(start)
            if len(words) == 1:
                k = run[0].key
                known = N.country_of(words[0]) or k in N.CAPITALS or k in N.MEDIA_NAMES or k in _ACRONYM_KINDS
                if first_of_sentence and k not in self._capitalised_mid and not known:
                    continue
                if N.DEMONYMS.get(k) and not N.COUNTRIES.get(k):
                    continue  # "Iraqi", "American": a modifier, not a name
            while len(words) > 1 and N.DEMONYMS.get(N.key(words[-1])) and not N.COUNTRIES.get(N.key(words[-1])):
                words.pop()  # "Kataib Hezbollah Iraqi militia": the demonym is the next phrase's
                run = run[:-1]
            start, end = run[0].start, run[-1].end
            if "of" in words[1:-1]:
                # "David Woodard of Clemson University": a person of a place or a body
                cut = words.index("of")
                before_of = split_name(words[:cut])[1]
                given = len(before_of) >= 2 and N.key(before_of[0]) in N.MALE_NAMES | N.FEMALE_NAMES
                if given and not _kind_by_words(before_of):
                    words, run = words[:cut], run[:cut]
                    start, end = run[0].start, run[-1].end
            title_words, name_words = split_name(words)
            person_title = any(N.key(w) in N.TITLE_WORDS and not N.country_of(w) for w in title_words)
            kind = None if person_title and not _kind_by_words(name_words) else _kind_by_words(words)
            if kind and kind != "person":
                name_words, title_words = words, []
                # "US Defense Department": keep the whole run as the organisation's name
            abbreviated = any(w.endswith(".") or N.key(w) in N.HONORIFICS for w in title_words)
            if not name_words or (
                not abbreviated and all(N.key(w) in N.TITLE_WORDS or N.country_of(w) for w in name_words)
            ):
                continue
            while name_words and N.key(name_words[-1]) in ("of", "for", "the", "and"):
                name_words.pop()
            if not kind:
                # "Elizabeth Warren of Massachusetts": the name ends before "of"
                if "of" in name_words and not any(N.key(w) in _PLACE_WORDS for w in name_words):
                    name_words = name_words[:name_words.index("of")]
                kind = guess_kind(" ".join(name_words))
                has_title = any(N.key(w) in N.TITLE_WORDS for w in title_words)
                if has_title and kind in ("other", "person"):
                    kind = "person"
                elif kind == "person" and len(name_words) == 1:
                    kind = "other"  # one capitalised word: a person only once a full name or a title says so
            name = " ".join(name_words)
            if name.endswith("’s") or name.endswith("'s"):
                name = name[:-2]
            offset = start
            if title_words:
                # the name starts after the title inside the run
                offset = run[len(title_words)].start if len(title_words) < len(run) else start
            printed_title = " ".join(title_words) or None
            before = self._title_before(start)
            if before and kind == "person":
                printed_title = f"{before} {printed_title}" if printed_title else before
            mention = Mention(
                start=offset, end=end, printed=text[start:end], name=name, title=printed_title,
                kind=kind, gender=_gender_of(name_words, title_words + (before.split() if before else [])),
                in_quote=self.in_quote(start, end) is not None,
            )
            mentions.append(mention)
        self._canonicalise(mentions)
        self._mark_subjects(mentions)
        return mentions

    def _mark_subjects(self, mentions: list[Mention]) -> None:
        """The subject of a sentence, roughly: its first name not governed by a preposition
        ("One local woman, Karen Robison, pulled ...": Robison; "In meetings with Talabani,
        Panetta encouraged ...": Panetta)."""
        seen: set[int] = set()
        for m in mentions:
            index = self.sentence_index(m.start)
            m.subject = False
            if index in seen:
                continue
            s0 = self.sentence_starts[index]
            run_start = m.end - len(m.printed)
            before = self.text[max(s0, run_start - 40):run_start]
            word = re.search(r"([A-Za-z]+)\W*$", before)
            governed = word is not None and word.group(1).lower() in _PREPOSITIONS | _SUBORDINATORS
            # "Asked about her vote, she replied", "In meetings with X, Panetta said": the
            # subject comes after the opening phrase
            opening = re.match(r"\W*([A-Za-z]+)", self.text[s0:s0 + 40])
            if opening is not None and run_start > s0 + opening.start(1):
                first = opening.group(1).lower()
                if first in _PREPOSITIONS or first in _SUBORDINATORS or first.endswith(("ed", "ing")):
                    comma = self.text.find(",", s0, run_start)
                    governed = governed or comma < 0
            if governed or m.in_quote:
                continue
            m.subject = True
            seen.add(index)

    def _after_opening(self, start: int) -> bool:
        s0, _ = self.sentence_bounds(start)
        return not re.search(r"\w", self.text[s0:start].replace("’s", ""))

    def _title_before(self, start: int) -> str | None:
        """Lower-case title words printed right before a name: "military spokesman"."""
        window = self.text[max(0, start - 60):start]
        match = re.search(r"((?:[A-Za-z’'\-]+ ){0,3}?[a-z\-]+) $", window)
        if not match:
            return None
        words = match.group(1).split()
        # keep the trailing words that are title-like ("foreign ministry spokesman")
        kept: list[str] = []
        for word in reversed(words):
            k = N.key(word)
            if k in N.PERSON_NOUNS or k in N.TITLE_WORDS or N.country_of(word) or k in _TITLE_LIKE:
                kept.insert(0, word)
            else:
                break
        if not kept or N.key(kept[-1]) not in N.PERSON_NOUNS | N.TITLE_WORDS:
            return None
        return " ".join(kept)

    def _canonicalise(self, mentions: list[Mention]) -> None:
        """Point each short form at the fullest name it stands for in the article."""
        by_last: dict[str, list[tuple[Mention, list[str]]]] = {}
        for cand in mentions:
            if cand.kind == "person":
                cw = _name_words(cand.name)
                if len(cw) >= 2:
                    by_last.setdefault(cw[-1], []).append((cand, cw))
        cand_starts = {last: [c.start for c, _ in items] for last, items in by_last.items()}
        for m in mentions:
            if m.kind not in ("person", "other"):
                continue
            words = _name_words(m.name)
            if not words:
                continue
            cands = by_last.get(words[-1], ())
            best: Mention | None = None
            # the full form printed just before (within 400 characters) wins; else the first
            k = bisect.bisect_left(cand_starts.get(words[-1], []), m.start) - 1
            for cand, cw in reversed(cands[max(0, k - 20):k + 1]):
                if m.start - cand.start > 400:
                    break
                if _full_form_of(words, m, cand, cw):
                    best = cand
                    break
            if best is None:
                for cand, cw in cands[:40]:
                    if _full_form_of(words, m, cand, cw):
                        best = cand
                        break
            if best is not None:
                m.canonical = best.name
                m.kind = "person"
                if not m.gender:
                    m.gender = best.gender
                if not m.title:
                    m.title = best.title

    def is_proper(self, word: str) -> bool:
        """A capitalised word that is a name, not a common word capitalised at a sentence
        start ("Security officials said"): printed capitalised inside a sentence somewhere,
        or a known country, capital or outlet."""
        k = N.key(word)
        return (k in self._capitalised_mid or bool(N.country_of(word)) or k in N.CAPITALS or k in N.MEDIA_NAMES
                or k in N.INSTITUTIONS)

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            out.append(self.mentions[i])
            i += 1
        return out

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention inside [start, end) that ends last (the head of a noun phrase)."""
        inside = [m for m in self.mentions_between(start, end) if m.end <= end]
        return inside[-1] if inside else None

    def people_named(self, canonical: str) -> list[Mention]:
        """Every mention of one canonical name, in text order."""
        if self._by_canonical is None:
            table: dict[str, list[Mention]] = {}
            for m in self.mentions:
                table.setdefault(m.canonical, []).append(m)
            self._by_canonical = table
        return self._by_canonical.get(canonical, [])

    def full_names_ending(self, word: str) -> list[Mention]:
        """Mentions of people printed with two or more name words, the last being ``word``
        (lookup form, particles ignored: "maliki" finds "Nuri al-Maliki")."""
        if self._by_last is None:
            table: dict[str, list[Mention]] = {}
            for m in self.mentions:
                if m.kind == "person":
                    words = _name_words(m.canonical)
                    if len(words) >= 2:
                        table.setdefault(words[-1], []).append(m)
            self._by_last = table
        return self._by_last.get(word, [])


_WEEKDAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_MONTH_WORDS = frozenset({"january", "february", "march", "july", "september", "october", "november", "december",
                          "jan.", "feb.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec."})
_NAME_MONTHS = frozenset({"may", "june", "april", "august"})


def _is_date_word(tokens: list[Token], i: int) -> bool:
    """A weekday or a month: never part of a name ("Miami Wednesday", "Super Tuesday")."""
    word = tokens[i].text.lower()
    if word in _WEEKDAY_WORDS or word in _MONTH_WORDS:
        return True
    if word in _NAME_MONTHS:
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        return nxt is not None and nxt.text[:1].isdigit() and nxt.start == tokens[i].end + 1  # "May 5", not "May, 60"
    return False


def _full_form_of(words: list[str], m: Mention, cand: Mention, cand_words: list[str]) -> bool:
    """``cand`` is a longer form of the name ``words`` (a surname, a first name dropped)."""
    if cand is m or len(cand_words) <= len(words) or cand_words[-len(words):] != words:
        return False
    return not (m.gender and cand.gender and m.gender != cand.gender)


def _base(word: str) -> str:
    """The word before an apostrophe, lower-cased: "I’ll" -> "i", "Iran’s" -> "iran"."""
    return re.split(r"['’]", word, maxsplit=1)[0].lower()


def _particle_then_name(tokens: list[Token], i: int, text: str) -> bool:
    """A lower-case particle that starts a name: "al-Sadr", "bin Laden"."""
    word = tokens[i].text
    if "-" in word:
        return is_name_token(word)
    return (
        word.lower() in N.NAME_PARTICLES and i + 1 < len(tokens)
        and text[tokens[i].end:tokens[i + 1].start] == " " and tokens[i + 1].text[:1].isupper()
        and i > 0 and tokens[i - 1].text[:1].isupper() and text[tokens[i - 1].end:tokens[i].start] == " "
    )
