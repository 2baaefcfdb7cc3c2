"""Name normalization used by the resolver and the unique alias index.

"Kata'ib Hizballah", "KATA’IB HIZBALLAH" and "kataib-hizballah" all normalize to
``kataibhizballah``: case folded, accents stripped, apostrophes, quotes, hyphens, dots and
white space removed.
"""

from __future__ import annotations

import re
import unicodedata

from factdb.errors import InvalidInput

__all__ = ["tag_form", "normalize_name", "check_text", "check_name", "lookalike_key", "CONTROL", "LINE_BREAK"]

# Zero-width and invisible characters: dropped from the matching form of a name, so that
# "Ir\u200ban" finds (and cannot be created beside) Iran.
_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff"
_DROP = re.compile(r"[\s'’‘`´ʼʻ\"“”\-‐‑‒–—_.·" + _INVISIBLE + r"]+")
# C0 controls (but tab, line feed and carriage return), DEL and the C1 controls (U+0080-U+009F,
# U+009B is a terminal's CSI): never in printed text, refused in every text field.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Line breaks of any kind: refused in one-line fields.
LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")
# In a name: bidirectional embeddings, overrides and isolates reorder what a reader sees
# (refused); zero-width characters that make a name look like another are folded away
# (ZWNJ and ZWJ are kept between letters of scripts that spell with them, such as Persian).
_NAME_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_NAME_FOLD = re.compile(r"[\u00ad\u034f\u180e\u200b\u2060-\u2064\ufeff]")
_JOINERS = re.compile(r"[\u200c\u200d]")


def tag_form(tag: str) -> str:
    """The one case rule for tags, on every write and every filter: lower case."""
    return tag.strip().lower()


def normalize_name(name: str) -> str:
    """The matching form of a name: ``normalize_name("Kata'ib Hizballah") == "kataibhizballah"``."""
    if name.isascii():  # no accent to strip (NFKD leaves ASCII as it is): the common case, fast
        return _DROP.sub("", name.casefold())
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DROP.sub("", stripped.casefold())


def check_text(value: str, field: str, *, max_length: int | None = None, allow_newlines: bool = False) -> str:
    """Validate a user-supplied text field; return it stripped of surrounding white space.

    Raises :class:`factdb.errors.InvalidInput` for empty text, control characters and
    over-long values.
    """
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected text, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field}: must not be empty")
    bad = CONTROL.search(text)
    if bad:
        raise InvalidInput(f"{field}: contains a control character ({bad.group()!r}); remove it")
    if not allow_newlines and LINE_BREAK.search(text):
        raise InvalidInput(f"{field}: contains a line break; it must be one line")
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(f"{field}: {len(text)} characters is longer than the limit of {max_length}")
    return text


def normalize_tag(tag: str) -> str:
    """A tag as stored: checked text, lower case (``Iran`` finds the claims tagged ``iran``)."""
    return tag_form(check_text(tag, "tag", max_length=100))


def check_name(value: str, field: str = "name", *, max_length: int | None = 500) -> str:
    """A name (entity, alias, actor): one line of text without controls, without the
    characters that reorder it, with zero-width characters folded away.

    >>> check_name("Ir\u200ban")
    'Iran'
    """
    text = check_text(value, field, max_length=max_length)
    bad = _NAME_BIDI.search(text)
    if bad:
        raise InvalidInput(f"{field}: contains an invisible direction control ({bad.group()!r}); remove it")
    if not text.isprintable():
        text = _JOINERS.sub(_kept_joiner, _NAME_FOLD.sub("", text)).strip()
        if not text:
            raise InvalidInput(f"{field}: must not be empty")
    return text


def _kept_joiner(match: re.Match[str]) -> str:
    """ZWNJ/ZWJ between two characters beyond Latin spell something (Persian words, Indic
    conjuncts, emoji sequences): kept. Beside a Latin letter, a space or an end: dropped."""
    text, at = match.string, match.start()
    before, after = text[at - 1 : at], text[at + 1 : at + 2]
    spells = all(len(ch) == 1 and not ch.isspace() and ord(ch) > 0x24F for ch in (before, after))
    return match.group() if spells else ""


# Letters of other scripts that print like Latin ones (Unicode's confusables, the common
# Cyrillic and Greek ones): "Іran" with a Cyrillic І looks exactly like "Iran".
_LOOKALIKE = str.maketrans(
    "аеорсухіјѕԁһӏԛԝɡαβεικνορτυχζ",
    "aeopcyxijsdhlqwgabeikvoptuxz",
)


def lookalike_key(name: str) -> str:
    """What a name looks like: its matching form with look-alike letters of other scripts
    mapped to Latin ones (``check`` compares these, short names too)."""
    return normalize_name(name).translate(_LOOKALIKE)


def printable(text: str) -> str:
    """``text`` with every unprintable character escaped (``a\\nb``, ``\\x00``), so that a
    message quoting user input (a file name with a newline) stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
