"""Names in spreadsheets: slugs made readable, their real spelling found in the row's text,
and values that name no one.

LIAR writes speakers as slugs (``beto-orourke``); its statements and LIAR-PLUS's
justifications often spell the name as printed ("Beto O'Rourke"). :func:`spelling_in` finds
that spelling; :func:`readable_name` is the fallback (title case that keeps apostrophes and
name particles: "Ludwig von Mises", "Tip O'Neill", "Martin Luther King Jr.").
:func:`names_no_one` tells the values that are not an entity at all: ``none``, ``n/a``,
empty, and job titles written where a party or an organization was expected
(``talk-show-host``, ``state-representative``: a title belongs to the statement).

>>> readable_name("ludwig-von-mises")
'Ludwig von Mises'
>>> spelling_in("beto-orourke", ["Says Beto O'Rourke's plan would raise taxes."])
"Beto O'Rourke"
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from factdb.normalize import normalize_name

__all__ = ["is_slug", "readable_name", "spelling_in", "is_placeholder", "names_no_one"]

# lower case inside a name ("Ludwig van Beethoven" is not "Van": but US names write "Van Hollen",
# so "van" is left capitalized unless the data spells it otherwise)
_PARTICLES = frozenset({"von", "de", "da", "das", "dos", "del", "della", "der", "den", "du", "la", "le", "di",
                        "bin", "ibn", "y"})  # fmt: skip
_SUFFIXES = {"jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV"}
_PLACEHOLDERS = frozenset({"none", "n/a", "na", "null", "nil", "unknown", "-", "--", "?", "not applicable", "nan"})
# statuses that are no organization to belong to ("independent", LIAR's "organization")
_STATUSES = frozenset({"no party", "independent", "organization", "nonpartisan"})
# Words that end a job title, not the name of an organization ("talk-show-host", "state-official").
_JOB_WORDS = frozenset({
    "host", "official", "leader", "member", "activist", "journalist", "columnist", "newsmaker", "commissioner",
    "representative", "senator", "governor", "mayor", "president", "candidate", "consultant", "analyst", "director",
    "spokesman", "spokeswoman", "spokesperson", "secretary", "minister", "chair", "chairman", "chairwoman",
    "executive", "writer", "blogger", "pundit", "lawmaker", "legislator", "delegate", "councilman", "councilwoman",
    "attorney", "judge", "sheriff", "treasurer", "comptroller", "clerk", "staffer", "adviser", "advisor", "owner",
    "businessman", "businesswoman", "professor", "teacher", "student", "doctor", "lawyer", "author", "commentator",
    "strategist", "lobbyist", "organizer", "volunteer", "veteran", "citizen", "resident", "voter",
})  # fmt: skip
_EDGE = "\"'“”‘’()[]{},.;:!?"
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def is_slug(value: str) -> bool:
    """``barack-obama`` or ``jack_graham``: lower case joined by hyphens or underscores, no space."""
    return bool(value) and value == value.lower() and " " not in value and ("-" in value or "_" in value)


def _word(part: str, first: bool) -> str:
    if part in _SUFFIXES and not first:
        return _SUFFIXES[part]
    if part in _PARTICLES and not first:
        return part
    # capitalize after an apostrophe too: o'neill -> O'Neill (not O'neill)
    return re.sub(r"(^|['’])([a-z])", lambda m: m.group(1) + m.group(2).upper(), part)


@functools.lru_cache(maxsize=65_536)  # a file names its speakers again and again
def readable_name(slug: str) -> str:
    """``tip-o'neill`` -> ``Tip O'Neill``; ``martin-luther-king-jr`` -> ``Martin Luther King Jr.``."""
    parts = [p for p in slug.replace("_", "-").split("-") if p]
    return " ".join(_word(part, index == 0) for index, part in enumerate(parts))


def spelling_in(slug: str, texts: Iterable[str]) -> str | None:
    """The name a slug stands for as the texts print it, or None: consecutive capitalized
    words whose letters are the slug's letters ("Beto O'Rourke" for ``beto-orourke``,
    "Alexandria Ocasio-Cortez" for ``alexandria-ocasio-cortez``)."""
    target = normalize_name(slug)
    if not target:
        return None
    for text in texts:
        if not text or target not in normalize_name(text):
            continue
        words = [_POSSESSIVE.sub("", w.strip(_EDGE)) for w in text.split()]
        for start, first in enumerate(words):
            if not first[:1].isupper():
                continue
            letters = ""
            for end in range(start, len(words)):
                letters += normalize_name(words[end])
                if letters == target:
                    found = " ".join(words[start : end + 1])
                    if words[end][:1].isupper() or words[end].lower() in _SUFFIXES:
                        return found
                    break
                if not target.startswith(letters):
                    break
    return None


def is_placeholder(value: str) -> bool:
    """Whether a cell is empty or a placeholder (``none``, ``n/a``, ``unknown`` ...)."""
    return value.strip().lower() in _PLACEHOLDERS or not value.strip()


def names_no_one(value: str) -> bool:
    """Whether a cell names no entity: empty, a placeholder (``none``, ``n/a``), or a job
    title written as a slug (``talk-show-host``, ``state-representative``)."""
    text = value.strip().lower()
    if not text or text in _PLACEHOLDERS or text in _STATUSES:
        return True
    words = re.split(r"[-_\s]+", text)
    written_as_slug = value.strip() == text and " " not in text
    return written_as_slug and words[-1] in _JOB_WORDS
