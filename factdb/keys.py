"""Natural keys derived from content, for records whose bundle or file gives none.

A statement without a ``key`` gets one from what identifies it: its source, claim, speaker,
stance, quote and date. Importing the same statement twice yields the same key, so imports
are idempotent; the CLI's ``attribute`` uses the same rule, so a statement recorded by hand
and then imported is not duplicated. The converters (spreadsheets, ClaimReview) derive claim
and source keys the same way, from the claim's wording and the source's URL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from factdb.normalize import normalize_name

__all__ = [
    "statement_key",
    "verdict_key",
    "legacy_verdict_keys",
    "claim_key_for",
    "source_key_for_url",
    "host_of",
    "slugify",
    "digest",
]


def slugify(text: str, limit: int = 60) -> str:
    """``"US forces pursue Iraq Shiite insurgents"`` -> ``"us-forces-pursue-iraq-shiite-insurgents"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "x"


def digest(*parts: str | None, length: int = 12) -> str:
    """The first ``length`` hex digits of the SHA-1 of the parts (joined by a unit separator)."""
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


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
    return f"{source_key}/{digest(claim_key, who, stance, quote_text, said_on)}"


def verdict_key(
    *, claim_key: str, reviewer: str, url: str | None, rating: str, statement_key: str | None = None
) -> str:
    """``<what is rated>/<reviewer slug>/<12 hex digits>``: what is rated is the statement
    (when the verdict rates one) or the claim; the digits digest the reviewer and the review
    URL, or the rating when there is no URL. So one page reviewing two claims, or one
    reviewer rating two speakers' words on one claim, gives two verdicts; the same review
    imported twice, one.

    >>> verdict_key(claim_key="iran-arms", reviewer="PolitiFact", url=None, rating="false")
    'iran-arms/politifact/4591298805ae'
    """
    target = statement_key or claim_key
    return f"{target}/{slugify(reviewer, 40)}/{digest(normalize_name(reviewer), url or rating)}"


def legacy_verdict_keys(*, claim_key: str, reviewer: str, url: str | None, rating: str) -> list[str]:
    """The keys the same verdict was given before verdicts could rate statements (the review
    URL, else claim + reviewer + rating), so a re-import finds the verdicts it wrote then."""
    if url:
        return [url]
    return [f"{claim_key}/{slugify(reviewer, 40)}/{digest(normalize_name(reviewer), rating)}"]


def claim_key_for(text: str, hint: str | None = None) -> str:
    """A claim key from its wording: a readable slug plus a digest of the normalized text,
    so two different claims that slug alike keep apart and the same text keeps one key.
    Text with no Latin letters (Hindi, Chinese) takes its slug from ``hint`` (the review
    URL's last path segment) or the word ``claim``.

    >>> claim_key_for("Iran supplies weapons to Shiite militias in Iraq")
    'iran-supplies-weapons-to-shiite-militias-in-iraq-4ceb674a'
    """
    wording = " ".join(text.split())
    slug = slugify(wording, 50)
    if slug == "x":
        segment = [part for part in urlsplit(hint or "").path.split("/") if part]
        # percent-encoded twice on some sites: "http%253A%252F%252Fdoc.afp.com%252F9JM367"
        slug = slugify(unquote(unquote(segment[-1])).rsplit("/", 1)[-1], 50) if segment else "claim"
        slug = "claim" if slug == "x" else slug
    return f"{slug}-{digest(normalize_name(wording), length=8)}"


def host_of(url: str) -> str:
    """``https://www.politifact.com/x`` -> ``politifact.com`` (the outlet name for a bare URL)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def source_key_for_url(url: str) -> str:
    """``facebook.com-<digest>``: the host keeps keys readable, the digest keeps them unique."""
    return f"{slugify(host_of(url) or 'web', 60)}-{digest(url.strip(), length=12)}"
