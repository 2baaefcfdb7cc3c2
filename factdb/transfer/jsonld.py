"""Reading schema.org JSON-LD as publishers write it: the helpers the ClaimReview reader, its
exporter's validator and the HTML reader share.

Markup in the wild mixes ``"creativeWork"`` and ``"CreativeWork"``, a value and a list of one,
``{"@id": ...}`` references and nodes, HTML entities, URLs without their scheme and URLs
relative to the page. These functions take all of it and give one reading.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

__all__ = [
    "SCHEMA_CONTEXTS",
    "is_schema_context",
    "raw_types",
    "node_types",
    "deref",
    "as_list",
    "clean_text",
    "number",
    "absolute_url",
    "is_absolute",
]

SCHEMA_CONTEXTS = frozenset({"http://schema.org", "https://schema.org", "http://schema.org/", "https://schema.org/"})
_HOSTLIKE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/|$)", re.IGNORECASE)


def is_schema_context(context: object) -> bool:
    """Whether a ``@context`` is schema.org's (a string, a list holding it, or ``@vocab``)."""
    if isinstance(context, str):
        return context.strip() in SCHEMA_CONTEXTS
    if isinstance(context, list):
        return any(is_schema_context(c) for c in context)
    if isinstance(context, dict):
        return is_schema_context(context.get("@vocab"))
    return False


def raw_types(node: dict[str, Any]) -> list[str]:
    """The ``@type`` values as written."""
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str)]


def node_types(node: dict[str, Any]) -> set[str]:
    """The ``@type`` values lower-cased, without a schema.org prefix: ``{"claimreview"}``."""
    # publishers write "creativeWork" and "ClaimReview" alike: compare case-insensitively
    return {t.lower().removeprefix("http://schema.org/").removeprefix("https://schema.org/") for t in raw_types(node)}


def deref(value: object, index: dict[str, dict[str, Any]]) -> object:
    """``{"@id": X}`` -> the node with that ``@id`` elsewhere in the document, when there is one."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return index.get(value["@id"], value)
    return value


def as_list(value: object) -> list[Any]:
    """A list for a list, ``[value]`` for one value, ``[]`` for none."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def clean_text(value: object) -> str | None:
    """Unescaped, white-space-collapsed text; the first text of a list; ``None`` when blank."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(html.unescape(value).split())
    return cleaned or None


def number(value: object) -> int | float | None:
    """``"5"``, ``5`` and ``5.0`` -> 5; ``"4.5"`` -> 4.5; anything else (``""``, NaN) -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if float(value).is_integer() else float(value)
    return None


def is_absolute(url: object) -> bool:
    """Whether ``url`` is an absolute http(s) URL."""
    return isinstance(url, str) and urlsplit(url.strip()).scheme in ("http", "https") and bool(urlsplit(url).netloc)


def absolute_url(text: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL from ``text``: as it is, with ``https://`` when only the scheme
    is missing (``aosfatos.org/noticias/...``), or resolved against ``base``; else None."""
    if text is None:
        return None
    if is_absolute(text):
        return text
    if _HOSTLIKE.match(text):
        return "https://" + text
    if base and not urlsplit(text).scheme:
        return urljoin(base, text)
    return None
