"""Natural keys derived from content, for records whose bundle gives none.

A statement without a ``key`` gets one from what identifies it: its source, claim, speaker,
stance, quote and date. Importing the same statement twice yields the same key, so imports
are idempotent; the CLI's ``attribute`` uses the same rule, so a statement recorded by hand
and then imported is not duplicated.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from factdb.normalize import normalize_name

__all__ = ["statement_key", "verdict_key", "slugify"]


def slugify(text: str, limit: int = 60) -> str:
    """``"US forces pursue Iraq Shiite insurgents"`` -> ``"us-forces-pursue-iraq-shiite-insurgents"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "x"


def _digest(*parts: str | None) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]


def statement_key(
    *,
    source_key: str,
    claim_key: str,
    speaker: str | None,
    speaker_description: str | None,
    stance: str,
    quote: str | None,
    said_on: str | None,
) -> str:
    """``<source key>/<12 hex digits>``; speaker names are normalized, so any alias of the same
    speaker gives the same key only when written identically after normalization."""
    who = normalize_name(speaker) if speaker else "anon:" + " ".join((speaker_description or "").split()).lower()
    quote_text = " ".join((quote or "").split())
    return f"{source_key}/{_digest(claim_key, who, stance, quote_text, said_on)}"


def verdict_key(*, claim_key: str, reviewer: str, url: str | None, rating: str) -> str:
    """The review URL when there is one (a ClaimReview's identity), else claim + reviewer + rating."""
    if url:
        return url
    return f"{claim_key}/{slugify(reviewer, 40)}/{_digest(normalize_name(reviewer), rating)}"
