"""Name normalization used by the resolver and the unique alias index.

"Kata'ib Hizballah", "KATA’IB HIZBALLAH" and "kataib-hizballah" all normalize to
``kataibhizballah``: case folded, accents stripped, apostrophes, quotes, hyphens, dots and
white space removed.
"""

from __future__ import annotations

import re
import unicodedata

from factdb.errors import InvalidInput

__all__ = ["normalize_name", "check_text"]

_DROP = re.compile(r"[\s'’‘`´ʼʻ\"“”\-‐‑‒–—_.·]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    bad = _CONTROL.search(text)
    if bad:
        raise InvalidInput(f"{field}: contains a control character ({bad.group()!r}); remove it")
    if not allow_newlines and ("\n" in text or "\r" in text):
        raise InvalidInput(f"{field}: contains a line break; it must be one line")
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(f"{field}: {len(text)} characters is longer than the limit of {max_length}")
    return text


def normalize_tag(tag: str) -> str:
    """A tag as stored: checked text, lower case (``Iran`` finds the claims tagged ``iran``)."""
    return check_text(tag, "tag", max_length=100).lower()
