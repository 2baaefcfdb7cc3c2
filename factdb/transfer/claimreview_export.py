"""Bundle records -> schema.org ClaimReview JSON-LD (one ClaimReview per verdict), checked
against what Google's fact-check structured data requires.

:func:`claimreview_export` builds the document and :func:`claimreview_problems` checks each
ClaimReview against Google's documentation (Search Central, "Fact check (ClaimReview)
structured data"): a ClaimReview needs ``claimReviewed``, ``reviewRating`` and ``url`` (an
absolute URL: the page hosting the fact check), and its Rating an ``alternateName`` (the
textual rating Google shows); an ``author`` (recommended) needs a ``name``; a numeric
``ratingValue`` lies between ``worstRating`` and ``bestRating``; dates are ISO 8601 and
every URL absolute. A verdict whose ClaimReview has a problem is left out and listed
(``skipped``) unless ``allow_incomplete``.

What ClaimReview cannot say is left out: statements other than ``asserts``, certainty,
hedge, quote, via, notes (factdb's own ``note`` is never the review's text: ``reviewBody`` is
the verdict's ``review_body``); armed groups, military units and "other" entities are
written as ``Organization``. Claim keys travel as ``urn:factdb:claim:KEY``, the statement a
verdict rates as the Claim's ``identifier`` ``urn:factdb:statement:KEY``, source keys as the
appearance's ``identifier``, a verdict key only when it is not the one the importer derives
(``urn:factdb:verdict:KEY``), so that importing the export gives back the same claims,
verdicts, statements and sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from factdb.errors import InvalidInput
from factdb.keys import verdict_key
from factdb.normalize import normalize_name
from factdb.transfer.claimreview import CLAIM_ID_PREFIX, STATEMENT_ID_PREFIX, VERDICT_ID_PREFIX
from factdb.transfer.jsonld import is_absolute, number

__all__ = ["claimreview_document", "claimreview_export", "claimreview_problems", "ClaimReviewExport"]

# stances in which the speaker makes the claim (ClaimReview's itemReviewed.author)
_AUTHORED = ("asserts",)
_SCHEMA_TYPE_OF_KIND = {"person": "Person", "media": "NewsMediaOrganization", "government": "GovernmentOrganization"}
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")
_URL_PROPERTIES = frozenset({"url", "sameAs"})
_RATING_PROPERTIES = (("rating_value", "ratingValue"), ("best_rating", "bestRating"), ("worst_rating", "worstRating"),
                      ("rating_explanation", "ratingExplanation"))  # fmt: skip


@dataclass
class ClaimReviewExport:
    """The JSON-LD document and the verdicts left out of it: ``(verdict key, [problems])``."""

    document: dict[str, Any]
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)


def claimreview_problems(node: dict[str, Any]) -> list[str]:
    """What keeps one ClaimReview node from Google's fact-check rich result, per its
    documentation: ``["url: required (the page hosting the fact check)", ...]``; ``[]`` when
    it has every required property.

    >>> claimreview_problems({"@type": "ClaimReview", "claimReviewed": "x", "url": "https://a.example/r",
    ...     "reviewRating": {"@type": "Rating", "alternateName": "False"}, "author": {"name": "A"}})
    []
    """
    problems: list[str] = []
    if not _nonblank(node.get("claimReviewed")):
        problems.append("claimReviewed: required (a short summary of the claim)")
    if not is_absolute(node.get("url")):
        problems.append("url: required (the absolute URL of the page hosting the fact check)")
    rating = node.get("reviewRating")
    if not isinstance(rating, dict):
        problems.append("reviewRating: required (a Rating)")
    else:
        if not _nonblank(rating.get("alternateName")):
            problems.append("reviewRating.alternateName: required (the textual rating)")
        value, best, worst = (rating.get(p) for p in ("ratingValue", "bestRating", "worstRating"))
        if value is not None:
            amount = number(value)
            if amount is None:
                problems.append(f"reviewRating.ratingValue: {value!r} is not a number")
            else:
                low, high = number(worst), number(best)
                if (low is not None and amount < low) or (high is not None and amount > high):
                    problems.append(f"reviewRating.ratingValue: {value} is outside worstRating..bestRating")
    authors = node.get("author")
    for index, author in enumerate(authors if isinstance(authors, list) else [authors] if authors else []):
        if not isinstance(author, dict) or not _nonblank(author.get("name")):
            problems.append(f"author[{index}].name: required for the author (the publisher of the fact check)")
    _check_values(node, "", problems)
    return problems


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_values(value: object, path: str, problems: list[str]) -> None:
    """Dates ISO 8601 and URLs absolute, everywhere in the node."""
    if isinstance(value, dict):
        for name, child in value.items():
            where = f"{path}.{name}" if path else name
            if name.startswith("date") and isinstance(child, str) and not _ISO.match(child):
                problems.append(f"{where}: {child!r} is not an ISO 8601 date")
            elif name in _URL_PROPERTIES and where != "url":  # the review's own url: checked as required
                for item in child if isinstance(child, list) else [child]:
                    if isinstance(item, str) and not is_absolute(item):
                        problems.append(f"{where}: {item!r} is not an absolute URL")
            _check_values(child, where, problems)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _check_values(child, f"{path}[{index}]", problems)


def claimreview_document(records: Iterable[tuple], *, allow_incomplete: bool = False) -> dict[str, Any]:
    """The JSON-LD document of :func:`claimreview_export` (without the list of skipped verdicts)."""
    return claimreview_export(records, allow_incomplete=allow_incomplete).document


def claimreview_export(records: Iterable[tuple], *, allow_incomplete: bool = False) -> ClaimReviewExport:
    """A JSON-LD document with one ClaimReview per verdict, from bundle records.

    ``records`` are ``(kind, record)`` or ``(kind, record, location)`` tuples, as
    ``factdb.transfer.export_bundle`` yields them. Claims without verdicts are left out. A
    verdict that rates a statement has that statement's speaker (with ``jobTitle``), date and
    source; one that rates the claim has the claim's ``asserts`` statements: their speakers,
    the date of the earliest and their sources as appearances. A ClaimReview with
    :func:`claimreview_problems` is listed in ``skipped`` instead, unless ``allow_incomplete``.
    """
    entities: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    claims: dict[str, dict] = {}
    statements: dict[str, list[dict]] = {}
    by_key: dict[str, dict] = {}
    verdicts: list[dict] = []
    for kind, record, *_ in records:
        if kind == "entity":
            entities[normalize_name(record["name"])] = record
            for alias in record.get("aliases") or []:
                entities.setdefault(normalize_name(alias), record)
        elif kind == "source":
            sources[record["key"]] = record
        elif kind == "claim":
            claims[record["key"]] = record
        elif kind == "statement":
            if record.get("key"):
                by_key[record["key"]] = record
            if record.get("stance") in _AUTHORED and record.get("speaker"):
                statements.setdefault(record["claim"], []).append(record)
        elif kind == "verdict":
            verdicts.append(record)

    def party(name: str, url: str | None = None, same_as: list[str] | None = None) -> dict[str, Any]:
        entity = entities.get(normalize_name(name))
        kind = entity["kind"] if entity else "organization"
        node = {"@type": _SCHEMA_TYPE_OF_KIND.get(kind, "Organization"), "name": entity["name"] if entity else name}
        if url:
            node["url"] = url
        if same_as:
            node["sameAs"] = same_as if len(same_as) > 1 else same_as[0]
        return node

    graph = []
    skipped: list[tuple[str, list[str]]] = []
    for verdict in verdicts:
        claim = claims.get(verdict["claim"])
        if claim is None:
            raise InvalidInput(f'verdict on claim "{verdict["claim"]}": the claim is not among the records')
        item = _item(verdict, claim, statements, by_key, sources, party)
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict["rating"]}
        for field_name, prop in _RATING_PROPERTIES:
            if verdict.get(field_name) is not None:
                rating[prop] = verdict[field_name]
        review: dict[str, Any] = {"@type": "ClaimReview"}
        url = verdict.get("url")
        derived = verdict_key(
            claim_key=claim["key"], reviewer=verdict["reviewer"], url=url, rating=verdict["rating"],
            statement_key=verdict.get("statement"),
        )  # fmt: skip
        if verdict.get("key") and verdict["key"] != derived:
            review["@id"] = VERDICT_ID_PREFIX + quote(verdict["key"], safe="")
        if url and is_absolute(url):
            review["url"] = url
        if verdict.get("title"):
            review["headline"] = verdict["title"]
        reviewer = party(verdict["reviewer"], verdict.get("reviewer_url"), verdict.get("reviewer_same_as"))
        writers = [{"@type": "Person", "name": name} for name in verdict.get("authors") or ()]
        review.update(
            claimReviewed=claim["text"],
            author=[reviewer, *writers] if writers else reviewer,
            reviewRating=rating,
            itemReviewed=item,
        )
        if verdict.get("publisher"):
            review["publisher"] = party(verdict["publisher"])
        for field_name, prop in (("reviewed_on", "datePublished"), ("description", "description"),
                                 ("review_body", "reviewBody"), ("language", "inLanguage")):  # fmt: skip
            if verdict.get(field_name):
                review[prop] = verdict[field_name]
        problems = claimreview_problems(review)
        if problems and not allow_incomplete:
            skipped.append((verdict.get("key") or derived, problems))
            continue
        graph.append(review)
    return ClaimReviewExport({"@context": "https://schema.org", "@graph": graph}, skipped)


def _item(
    verdict: dict[str, Any],
    claim: dict[str, Any],
    statements: dict[str, list[dict]],
    by_key: dict[str, dict],
    sources: dict[str, dict],
    party: Any,
) -> dict[str, Any]:
    """The ``itemReviewed`` Claim: what the verdict rates, who made it, where and when."""
    item: dict[str, Any] = {"@type": "Claim", "@id": CLAIM_ID_PREFIX + quote(claim["key"], safe="")}
    if verdict.get("statement"):
        # the claim as one speaker made it: that speaker, date and source only
        item["identifier"] = STATEMENT_ID_PREFIX + quote(verdict["statement"], safe="")
        rated = by_key.get(verdict["statement"])
        asserted = [rated] if rated is not None and rated.get("stance") in _AUTHORED and rated.get("speaker") else []
    else:
        asserted = sorted(statements.get(claim["key"], []), key=lambda s: s.get("said_on") or "9999")
    if claim.get("tags"):
        item["keywords"] = list(claim["tags"])
    if verdict.get("claim_venue"):
        item["name"] = verdict["claim_venue"]
    if asserted:
        authors = []
        for statement in asserted:
            author = party(statement["speaker"])
            if statement.get("speaker_title"):
                author["jobTitle"] = statement["speaker_title"]
            if author not in authors:
                authors.append(author)
        if len(authors) == 1 and verdict.get("claimant_same_as"):
            same_as = verdict["claimant_same_as"]
            authors[0]["sameAs"] = same_as if len(same_as) > 1 else same_as[0]
        item["author"] = authors[0] if len(authors) == 1 else authors
        if asserted[0].get("said_on"):
            item["datePublished"] = asserted[0]["said_on"]
    appearances = []
    for statement in asserted:
        source = sources.get(statement["source"])
        if source and is_absolute(source.get("url")):
            work = {"@type": "CreativeWork", "url": source["url"], "identifier": source["key"]}
            if source.get("outlet"):  # a source without an outlet has no publisher to name
                work["publisher"] = party(source["outlet"])
            if source.get("title"):
                work["name"] = source["title"]
            if source.get("authors"):
                work["author"] = [{"@type": "Person", "name": a} for a in source["authors"]]
            if source.get("published_on"):
                work["datePublished"] = source["published_on"]
            if work not in appearances:
                appearances.append(work)
    if appearances:
        item["firstAppearance"] = appearances[0]
    others = [{"@type": "CreativeWork", "url": url} for url in verdict.get("appearances") or ()]
    if appearances or others:
        item["appearance"] = [*appearances, *others]
    return item
