"""A fact-checker's HTML page -> bundle records: its ClaimReview JSON-LD and microdata.

The structured data is read by ``extruct`` (Zyte's library for embedded metadata, the one
search and archiving tools use): JSON-LD in ``<script type="application/ld+json">`` and W3C
microdata (``itemscope``/``itemprop``, in its "uniform" JSON-LD-like form), so no HTML is
scraped by hand. Relative URLs are resolved against ``base_url`` (``--base-url``), else the
page's ``<link rel="canonical">``, else its ``og:url``; ``<base href>`` is honoured. The
nodes found then go through the ClaimReview reader (:func:`.claimreview.convert_documents`):
JSON-LD blocks first, then microdata items, numbered in that order (``page.html:[1]``).

extruct is an optional dependency (``pip install 'factdb[html]'``): it brings lxml, rdflib
and a few more (about 27 MB); the other formats do not need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import extruct
import lxml.html
from w3lib.html import get_base_url

from factdb.transfer.claimreview import convert_documents
from factdb.transfer.converting import ConversionSummary, Converted, refusal
from factdb.transfer.jsonld import is_absolute

__all__ = ["convert_html", "page_url"]


def page_url(text: str) -> str | None:
    """The page's own absolute URL as it states it: ``<link rel="canonical">``, else ``og:url``."""
    try:
        tree = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return None
    for found in (
        tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"),
        tree.xpath("//meta[@property='og:url']/@content"),
    ):
        for value in found:
            if is_absolute(str(value)):
                return str(value).strip()
    return None


def convert_html(
    text: str, label: str, summary: ConversionSummary | None = None, *, base_url: str | None = None
) -> Iterator[Converted]:
    """Converteds from an HTML page's ClaimReview markup (see the module docstring)."""
    summary = summary if summary is not None else ConversionSummary()
    summary.unit = "review"
    base = base_url or page_url(text)
    if base is not None:
        base = urljoin(base, get_base_url(text, base))  # a <base href> inside the page
    try:
        found: dict[str, list[Any]] = extruct.extract(
            text, base_url=base, syntaxes=["json-ld", "microdata"], uniform=True, errors="strict"
        )
    except ValueError as error:  # a JSON-LD block that is not JSON (json.JSONDecodeError is one)
        summary.read += 1
        reason = f"a JSON-LD block is not JSON ({str(error).splitlines()[0][:120]})"
        summary.refuse("json-ld", reason)
        yield refusal(label, "json-ld", reason)
        return
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError) as error:
        summary.read += 1
        reason = f"not readable as HTML ({error})"
        summary.refuse("document", reason)
        yield refusal(label, "document", reason)
        return
    nodes = [*found.get("json-ld", []), *found.get("microdata", [])]
    yield from convert_documents(nodes, label, summary, base_url=base)
