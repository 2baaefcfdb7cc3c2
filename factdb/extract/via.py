"""Via: the intermediaries between a speaker and the source that reports them, read from
the attribution's own words (not its content), nearest the speaker first.

- the outlet spoken to: "told NBC News", "in an interview with Reuters", "in a Reuters
  interview", "speaking to the BBC" (only a news outlet: "told reporters" and "told Abdel
  Mahdi" are audiences, not intermediaries);
- the outlet or document that carried the words: "quoted by state television", "according
  to a statement carried by IRNA", "in remarks broadcast by Al Jazeera", "X quoted Y as
  saying" (X);
- "..., according to Reuters" after another speaker's words;
- reported speech of reported speech ("X reported that Y said", "“He made clear ...,” his
  spokesman said") is put together by :mod:`factdb.extract.fields`, which adds the outer
  speaker after these.

Names are as printed (determiner dropped), to resolve later; the reporting outlet itself is
never its own intermediary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factdb.extract import names as N
from factdb.extract.mentions import ArticleIndex, guess_kind
from factdb.normalize import normalize_name

__all__ = ["ViaLink", "find_via", "is_media"]

# a name or noun phrase as printed: capitalised words, or a short lower-case media phrase
_WORD = r"[A-Z][\w’'&.\-]*"
_MEDIA_LOWER = (
    r"(?:state|official|semi-official|news|television|tv|TV|radio|agency|website|channel|broadcaster|newspaper"
    r"|daily|media|network|program|programme|show)"
)
_NP = (rf"(?:the |a |an |its |their |his |her )?(?P<np>(?:{_WORD}|{_MEDIA_LOWER}\b)"
       rf"(?:\s(?:{_WORD}|of\b|the\b|{_MEDIA_LOWER}\b)){{0,6}})")

# (order, pattern): order puts the links nearest the speaker first
_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = tuple((order, re.compile(p)) for order, p in (
    (0, r"\b(?:told|tells|telling|said to|speaking to|spoke to|talking to|in comments to|in remarks to"
        rf"|in a statement to|wrote in)\s{_NP}"),
    (0, r"\b(?:in|during) (?:an?|his|her|their|its) (?:exclusive |televised |broadcast |radio |television |TV "
        r"|telephone |phone |video |recent |lengthy |separate )*interview (?:with|on|to|for|broadcast by|aired by)"
        rf"\s{_NP}"),
    (0, r"\b(?:in|during) (?:an?|his|her|their|its) (?:exclusive )?(?P<np>[A-Z][\w’'&.\-]*(?:\s[A-Z][\w’'&.\-]*){0,3})"
        r"(?: television| TV| radio| newspaper)? interview\b"),
    (0, rf"\b(?:appearing|speaking|interviewed) on\s{_NP}"),
    (0, r"\bon (?:the )?(?P<np>[A-Z][\w’'&.\-]*(?:\s[A-Z][\w’'&.\-]*){0,3})'?s? (?:program|programme|show)\b"),
    (1, rf"\b(?:quoted|cited) by\s{_NP}"),
    (1, rf"\b(?:carried|published|broadcast|aired|posted|released|distributed|reported|run) (?:by|on)\s{_NP}"),
    (1, r"\baccording to (?:an?|the) "
        r"(?:statement|transcript|report|readout|video|recording|communiqu[eé]|text|copy|interview)(?: \w+)? "
        r"(?:carried|published|posted|released|broadcast|aired|distributed|issued|obtained|seen) (?:by|on)"
        rf"\s{_NP}"),
    (2, rf"\baccording to\s{_NP}"),
))
_STOP_AT = re.compile(
    r"\s(?:as|that|on|in|at|when|after|before|about|which|who|to|said|says|for|with|while|during|from|and|last"
    r"|this|earlier|later|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b.*$",
    re.S,
)


@dataclass(frozen=True, slots=True)
class ViaLink:
    name: str    # as printed, without the determiner
    start: int   # where it is printed
    order: int   # 0 spoken to, 1 carried by, 2 according to, 3 outer speaker


def is_media(name: str) -> bool:
    """True for a news outlet's name: ``is_media("NBC News")``, ``is_media("state television")``."""
    words = name.split()
    if not words:
        return False
    k = " ".join(N.key(w) for w in words)
    if k in N.MEDIA_NAMES or k.removeprefix("the ") in N.MEDIA_NAMES:
        return True
    if N.key(words[0]) in N.MEDIA_NAMES:
        return True  # "CNN's State of the Union", "Reuters TV"
    return guess_kind(name) == "media" or N.key(words[-1]) in N.MEDIA_WORDS and len(words) > 1


def _clean_np(np: str) -> str:
    np = _STOP_AT.sub("", np).strip(" ,.;:")
    owner = re.match(r"^(.+?)(?:’s|'s)\s", np)
    if owner and is_media(owner.group(1)):
        return owner.group(1)  # "CNN's State of the Union" -> CNN
    for suffix in ("’s", "'s"):
        if np.endswith(suffix):
            np = np[: -len(suffix)]
    words = np.split()
    while words and words[-1].lower() in ("of", "the", "program", "programme", "show"):
        words.pop()
    return " ".join(words)


def find_via(text: str, regions: list[tuple[int, int]], *, index: ArticleIndex | None = None,
             speaker: str | None = None, outlet: str | None = None, according_to_is_cue: bool = False) -> list[ViaLink]:
    """The intermediaries printed in ``regions`` of ``text`` (the attribution's own words),
    nearest the speaker first.

    ``according_to_is_cue``: the attribution's cue is "according to" itself, so what follows
    it is the speaker, not an intermediary.
    """
    links: list[ViaLink] = []
    skip = {normalize_name(n) for n in (speaker, outlet) if n}
    for r0, r1 in regions:
        segment = text[r0:r1]
        for order, pattern in _PATTERNS:
            for match in pattern.finditer(segment):
                if order == 2 and according_to_is_cue:
                    continue
                name = _clean_np(match.group("np"))
                if not name:
                    continue
                if order in (0, 2) and not is_media(name):
                    continue  # "told reporters", "according to officials"
                if order == 1 and not (is_media(name) or name[:1].isupper()):
                    continue
                if normalize_name(name) in skip:
                    continue
                start = r0 + match.start("np")
                if any(abs(link.start - start) < 3 or link.name == name for link in links):
                    continue
                links.append(ViaLink(name, start, order))
    links.sort(key=lambda link: (link.order, link.start))
    return links
