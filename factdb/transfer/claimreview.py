"""schema.org ClaimReview JSON-LD -> bundle records (the way back: :mod:`.claimreview_export`).

Per ClaimReview node (one document, a top-level array, or an ``@graph``):
- ``claimReviewed`` -> a claim (key from the wording, as the spreadsheet importer derives it,
  so the same wording checked twice is one claim; a ``urn:factdb:claim:KEY`` ``@id`` on the
  Claim keeps an exported key); ``itemReviewed.keywords`` -> tags;
- the review itself -> a verdict: reviewer (see :func:`_reviewer`), ``reviewRating``
  ``alternateName`` -> rating (else ``ratingValue`` as text), ``ratingValue`` /
  ``bestRating`` / ``worstRating`` -> numbers when numeric, ``datePublished`` ->
  reviewed_on, ``url`` -> url, ``reviewBody`` -> note;
- each ``itemReviewed.author`` (or ``creator``) -> a speaker entity (kind from ``@type``) and
  an ``asserts`` statement: ``jobTitle`` -> speaker_title, ``itemReviewed.datePublished`` ->
  said_on, source = ``firstAppearance``, else the first ``appearance``, else the reviewed work
  itself or what it is part of when it has a URL, else the fact-check page (the document that
  reports the claim).
Text is HTML-unescaped; dates keep their calendar day; relative URLs are resolved against
the page when the page's own URL is known, a URL missing only its scheme gets ``https://``,
anything else is dropped with a note. A node that cannot be converted yields one error marker.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for, host_of, source_key_for_url, statement_key
from factdb.normalize import normalize_name
from factdb.transfer.converting import ConversionSummary, Converted, iso_date, refusal

__all__ = ["convert_claimreview", "CLAIM_ID_PREFIX", "VERDICT_ID_PREFIX", "STATEMENT_ID_PREFIX"]

CLAIM_ID_PREFIX = "urn:factdb:claim:"
VERDICT_ID_PREFIX = "urn:factdb:verdict:"
STATEMENT_ID_PREFIX = "urn:factdb:statement:"
_SCHEMA_CONTEXTS = {"http://schema.org", "https://schema.org", "http://schema.org/", "https://schema.org/"}
_HOSTLIKE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/|$)", re.IGNORECASE)
_RATING_MAX = 200  # verdicts.rating is String(200)

_SPEAKER_KINDS = {"person": "person", "organization": "organization", "newsmediaorganization": "media",
                  "governmentorganization": "government"}  # fmt: skip


class _Refused(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field, self.reason = field_name, reason


def convert_claimreview(text: str, label: str, summary: ConversionSummary | None = None) -> Iterator[Converted]:
    """Converteds from ClaimReview JSON-LD text; ``label`` (a file name) starts every location.

    ``summary`` counts reviews read, taken and refused; a document with no review in it
    counts as one refused unit.
    """
    summary = summary if summary is not None else ConversionSummary()
    summary.unit = "review"
    try:
        nodes = _nodes(text)
    except _Refused as refused:
        summary.read += 1
        summary.refuse(refused.field, refused.reason)
        yield refusal(label, refused.field, refused.reason)
        return
    index = {node["@id"]: node for _, node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    reviews = [(where, node) for where, node in nodes if _types(node) & {"claimreview", "mediareview"}]
    if not reviews:
        found = sorted({t for _, node in nodes for t in _raw_types(node)}) or ["none"]
        summary.read += 1
        reason = f"no ClaimReview in the document (types found: {', '.join(found)})"
        summary.refuse("@type", reason)
        yield refusal(label, "@type", reason)
        return
    emitted: set[str] = set()
    for where, node in reviews:
        location = f"{label}:{where}"
        summary.read += 1
        try:
            records = _review_records(node, index)
        except _Refused as refused:
            summary.refuse(refused.field, refused.reason)
            yield refusal(location, refused.field, refused.reason)
            continue
        summary.taken += 1
        for kind, record in records:
            identity = kind + (
                normalize_name(record["name"]) if kind == "entity" else json.dumps(record, sort_keys=True)
            )
            if identity in emitted:
                continue
            emitted.add(identity)
            summary.records[kind] += 1
            yield (kind, record, location)


# --- reading the document -----------------------------------------------------------------


def _nodes(text: str) -> list[tuple[str, dict]]:
    """Every top-level node with its path: ``$``, ``[2]``, ``@graph[3]``, ``[0].@graph[1]``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Refused("document", f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    found: list[tuple[str, dict]] = []

    def visit(item: object, where: str, context: object) -> None:
        if isinstance(item, list):
            for position, element in enumerate(item):
                visit(element, f"{where}[{position}]" if where != "$" else f"[{position}]", context)
            return
        if not isinstance(item, dict):
            raise _Refused("document", f"{where} is a {type(item).__name__}, not a JSON-LD node")
        context = item.get("@context", context)
        if context is not None and not _is_schema_context(context):
            raise _Refused("@context", f"{json.dumps(context)[:80]} is not the schema.org context")
        if "@graph" in item:
            graph_where = "@graph" if where == "$" else f"{where}.@graph"
            visit(item["@graph"], graph_where, context)
        if "@type" in item or "@graph" not in item:
            found.append((where, item))

    visit(data, "$", None)
    return found


def _is_schema_context(context: object) -> bool:
    if isinstance(context, str):
        return context.strip() in _SCHEMA_CONTEXTS
    if isinstance(context, list):
        return any(_is_schema_context(c) for c in context)
    if isinstance(context, dict):
        return _is_schema_context(context.get("@vocab"))
    return False


def _raw_types(node: dict) -> list[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str)]


def _types(node: dict) -> set[str]:
    # publishers write "creativeWork" and "ClaimReview" alike: compare case-insensitively
    return {t.lower().removeprefix("http://schema.org/").removeprefix("https://schema.org/") for t in _raw_types(node)}


def _deref(value: object, index: dict[str, dict]) -> object:
    """``{"@id": X}`` -> the node with that ``@id`` elsewhere in the document, when there is one."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return index.get(value["@id"], value)
    return value


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: object) -> str | None:
    """Unescaped, white-space-collapsed text; the first item of a list; ``None`` when blank."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(html.unescape(value).split())
    return cleaned or None


def _number(value: object) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else float(value)
    return None


def _date(value: object, field_name: str) -> str | None:
    try:
        return iso_date(_text(value), field_name)
    except InvalidInput as exc:
        raise _Refused(field_name, str(exc).split(": ", 1)[1]) from None


def _page_url(node: dict) -> str | None:
    """The review page's own absolute URL, to resolve relative URLs against."""
    for candidate in (node.get("url"), _deref(node.get("mainEntityOfPage"), {})):
        if isinstance(candidate, dict):
            candidate = candidate.get("@id") or candidate.get("url")
        if isinstance(candidate, str) and urlsplit(candidate.strip()).scheme in ("http", "https"):
            return candidate.strip()
    return None


def _url(value: object, base: str | None, notes: list[str], what: str) -> str | None:
    """An absolute http(s) URL, or ``None`` with a note saying what was dropped."""
    text = _text(value)
    if text is None:
        return None
    if urlsplit(text).scheme in ("http", "https"):
        return text
    if _HOSTLIKE.match(text):
        return "https://" + text  # "aosfatos.org/noticias/..." lacks only its scheme
    if base and not urlsplit(text).scheme:
        return urljoin(base, text)
    notes.append(f'{what} "{text}" is not an absolute URL and was not kept')
    return None


# --- one review -> records ------------------------------------------------------------------


def _review_records(node: dict, index: dict[str, dict]) -> list[tuple[str, dict]]:
    if "mediareview" in _types(node) and "claimreview" not in _types(node):
        category = _text(node.get("mediaAuthenticityCategory")) or "none given"
        raise _Refused(
            "@type",
            f"MediaReview rates a media item's authenticity ({category}), not a claim's truth; not imported",
        )
    notes: list[str] = []
    base = _page_url(node)
    claim_text = _text(node.get("claimReviewed"))
    item = _deref(_as_list(node.get("itemReviewed"))[0] if node.get("itemReviewed") else {}, index)
    item = item if isinstance(item, dict) else {}
    if claim_text is None:
        claim_text = _text(item.get("text")) or _text(item.get("description"))
    if claim_text is None:
        raise _Refused("claimReviewed", "missing; a ClaimReview must say which claim it reviews")
    claim_id = item.get("@id")
    if isinstance(claim_id, str) and claim_id.startswith(CLAIM_ID_PREFIX):
        claim_key = unquote(claim_id[len(CLAIM_ID_PREFIX) :])
    else:
        claim_key = claim_key_for(claim_text, _text(node.get("url")))
    claim: dict = {"key": claim_key, "text": claim_text}
    keywords = item.get("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    tags = [t for t in (_text(k) for k in _as_list(keywords)) if t]
    if tags:
        claim["tags"] = tags

    records: list[tuple[str, dict]] = []
    reviewer_name, reviewer_kind = _reviewer(node, index)
    records.append(("entity", {"name": reviewer_name, "kind": reviewer_kind}))
    verdict = _verdict(node, claim_key, reviewer_name, base, notes)

    statements: list[dict] = []
    authors = [_deref(a, index) for a in _as_list(item.get("author") or item.get("creator"))]
    if authors:
        source = _statement_source(node, item, index, base, notes, reviewer_name, reviewer_kind, verdict)
        said_on = _date(item.get("datePublished"), "itemReviewed.datePublished")
        for author in authors:
            speaker = _speaker(author)
            if speaker is None:
                notes.append("an itemReviewed author without a name was not kept")
                continue
            entity, title = speaker
            records.append(("entity", entity))
            statement: dict = {"claim": claim_key, "speaker": entity["name"], "stance": "asserts"}
            if title:
                statement["speaker_title"] = title
            if said_on:
                statement["said_on"] = said_on
            statements.append(statement)
        if statements and source is not None:
            outlet_entity, source_record = source
            records.append(("entity", outlet_entity))
            records.append(("source", source_record))
            for statement in statements:
                statement["source"] = source_record["key"]
        elif statements:
            notes.append("the claim's speakers were not kept: no appearance and no review URL to cite as source")
            statements = []
    _rate_statement(item, claim_key, statements, verdict)
    records.append(("claim", claim))
    records.extend(("statement", s) for s in statements)
    if notes:
        verdict["note"] = "; ".join(filter(None, [verdict.get("note"), *notes]))
    records.append(("verdict", verdict))
    return records


def _rate_statement(item: dict[str, Any], claim_key: str, statements: list[dict[str, Any]], verdict: dict) -> None:
    """Point the verdict at the statement it rates: the claim as its one author made it.

    A factdb export says so itself (``identifier`` ``urn:factdb:statement:KEY`` on the
    itemReviewed; none: the verdict rated the claim); in other markup a claim with exactly
    one author is a statement, one with several (or none) is rated as a claim.
    """
    exported = isinstance(item.get("@id"), str) and item["@id"].startswith(CLAIM_ID_PREFIX)
    if exported:
        identifier = next(
            (i for i in _as_list(item.get("identifier")) if isinstance(i, str) and i.startswith(STATEMENT_ID_PREFIX)),
            None,
        )
        if identifier is None:
            return
        key = unquote(identifier[len(STATEMENT_ID_PREFIX) :])
        for statement in statements[:1]:
            statement["key"] = key
        verdict["statement"] = key
        return
    if len(statements) != 1:
        return
    statement = statements[0]
    statement["key"] = statement_key(
        source_key=statement["source"], claim_key=claim_key, speaker=statement["speaker"], speaker_description=None,
        stance=statement["stance"], quote=None, said_on=statement.get("said_on"),
    )  # fmt: skip
    verdict["statement"] = statement["key"]


def _reviewer(node: dict, index: dict[str, dict]) -> tuple[str, str]:
    """Who issued the verdict: the first organization among the authors, else the publisher,
    else the first (person) author. A node without a name is named by its URL's host."""
    authors = [a for a in (_deref(a, index) for a in _as_list(node.get("author"))) if isinstance(a, dict)]
    organizations = [a for a in authors if not ({"person"} & _types(a))]
    publisher = _deref(node.get("publisher"), index)
    candidates: list[dict[str, Any]] = organizations + ([publisher] if isinstance(publisher, dict) else []) + authors
    for candidate in candidates:
        name = _text(candidate.get("name"))
        if name is None:
            url = _text(candidate.get("url")) or _text(candidate.get("@id"))
            name = host_of(url) if url and urlsplit(url).scheme else None
        if name:
            # a fact-checker publishes: plain "Organization" reviewers are media outlets
            types = _types(candidate)
            return name, next(
                (_SPEAKER_KINDS[t] for t in types if t in _SPEAKER_KINDS and t != "organization"), "media"
            )
    raise _Refused("author", "no reviewer: the ClaimReview's author and publisher have neither name nor URL")


def _verdict(node: dict, claim_key: str, reviewer: str, base: str | None, notes: list[str]) -> dict:
    rating = node.get("reviewRating")
    rating = _as_list(rating)[0] if rating else None
    if not isinstance(rating, dict):
        raise _Refused("reviewRating", "missing; a ClaimReview without a rating is not a verdict")
    rating_value = _number(rating.get("ratingValue"))
    rating_text = _text(rating.get("alternateName")) or _text(rating.get("name")) or _text(rating.get("ratingValue"))
    if rating_text is None:
        raise _Refused("reviewRating", "neither alternateName nor ratingValue gives a rating")
    if len(rating_text) > _RATING_MAX:
        raise _Refused("reviewRating.alternateName", f"{len(rating_text)} characters is longer than {_RATING_MAX}")
    verdict: dict = {"claim": claim_key, "reviewer": reviewer, "rating": rating_text}
    node_id = node.get("@id")
    if isinstance(node_id, str) and node_id.startswith(VERDICT_ID_PREFIX):
        verdict["key"] = unquote(node_id[len(VERDICT_ID_PREFIX) :])
    for field_name, value in (("rating_value", rating_value), ("best_rating", _number(rating.get("bestRating"))),
                              ("worst_rating", _number(rating.get("worstRating")))):  # fmt: skip
        if value is not None:
            verdict[field_name] = value
    reviewed_on = _date(node.get("datePublished"), "datePublished")
    if reviewed_on:
        verdict["reviewed_on"] = reviewed_on
    url = _url(node.get("url"), base, notes, "review url")
    if url:
        verdict["url"] = url
    body = _text(node.get("reviewBody"))
    if body:
        verdict["note"] = body
    return verdict


def _speaker(author: object) -> tuple[dict, str | None] | None:
    """``(entity record, speaker title)`` from an itemReviewed author. A name given as a list
    is read as [name, description ...]: the rest becomes the speaker's title when no
    ``jobTitle`` is given ("Mzwandile Masina", "mayor of Ekurhuleni")."""
    if isinstance(author, str):
        name = _text(author)
        return ({"name": name, "kind": "person"}, None) if name else None
    if not isinstance(author, dict):
        return None
    names = [n for n in (_text(v) for v in _as_list(author.get("name"))) if n]
    if not names:
        return None
    types = _types(author)
    kind = next((_SPEAKER_KINDS[t] for t in types if t in _SPEAKER_KINDS), "person" if not types else "organization")
    titles = [t for t in (_text(v) for v in _as_list(author.get("jobTitle"))) if t]
    title = "; ".join(titles or names[1:]) or None
    return {"name": names[0], "kind": kind}, title


def _statement_source(
    node: dict[str, Any],
    item: dict[str, Any],
    index: dict[str, dict[str, Any]],
    base: str | None,
    notes: list[str],
    reviewer_name: str,
    reviewer_kind: str,
    verdict: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``(outlet entity, source record)`` for the claim's statements, or ``None``."""
    candidates = _as_list(item.get("firstAppearance")) + _as_list(item.get("appearance"))
    candidates.append(item)
    candidates.extend(_as_list(item.get("isPartOf")))
    for candidate in candidates:
        candidate = _deref(candidate, index)
        if not isinstance(candidate, dict):
            continue
        url = _url(candidate.get("url"), base, notes, "appearance url")
        if url is None:
            continue
        publisher = _deref(candidate.get("publisher"), index)
        outlet = (_text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)) or host_of(url)
        identifier = _text(candidate.get("identifier"))
        source: dict = {"key": identifier or source_key_for_url(url), "outlet": outlet, "url": url}
        title = _text(candidate.get("name")) or _text(candidate.get("headline"))
        if title and candidate is not item:
            source["title"] = title
        authors = [
            n
            for n in (_text(a.get("name") if isinstance(a, dict) else a) for a in _as_list(candidate.get("author")))
            if n
        ]
        if authors and candidate is not item:
            source["authors"] = authors
        published_on = (
            _date(candidate.get("datePublished"), "appearance.datePublished") if candidate is not item else None
        )
        if published_on:
            source["published_on"] = published_on
        return {"name": outlet, "kind": "media"}, source
    if "url" not in verdict:
        return None
    # no appearance: the fact-check page itself is the document that reports the claim
    publisher = _deref(node.get("publisher"), index)
    outlet = reviewer_name if reviewer_kind != "person" else (
        _text(publisher.get("name")) if isinstance(publisher, dict) else None) or host_of(verdict["url"])  # fmt: skip
    source = {"key": source_key_for_url(verdict["url"]), "outlet": outlet, "url": verdict["url"]}
    title = _text(node.get("name")) or _text(node.get("headline"))
    if title:
        source["title"] = title
    if verdict.get("reviewed_on"):
        source["published_on"] = verdict["reviewed_on"]
    source["note"] = "the fact-check that reports the claim (the ClaimReview gives no appearance)"
    return {"name": outlet, "kind": "media"}, source
