"""ClaimsKG exports -> bundle records.

ClaimsKG (GESIS; Tchechmedjiev et al., ISWC 2019) is a knowledge graph of fact-checked claims
harvested from fact-checking sites. Three exports are read, told apart by their columns:

- the ClaimsKG Explorer's CSV export (``claimskg_result.csv``): ``id, text, date,
  truthRating, ratingName, author, headline, named_entities_claim, named_entities_article,
  keywords, source, sourceURL, link, language``. Its rating is ClaimsKG's normalized one
  (``ratingName`` TRUE / FALSE / MIXTURE / OTHER, ``truthRating`` 3 / 1 / 2 / -1): it becomes
  the verdict's rating and its ``normalized_rating`` (the site's own wording is not in this
  export), with value 1..3 on ClaimsKG's scale (OTHER has none);
- the same columns as SPARQL query results in JSON (``{"head": {"vars": [...]}, "results":
  {"bindings": [...]}}``: what the ClaimsKG endpoint answers);
- the claimskg-extractor's CSV (the harvest before it becomes the graph):
  ``claimReview_claimReviewed``, ``rating_alternateName`` (the site's own rating, kept as
  the rating), ``rating_ratingValue`` / ``rating_bestRating`` / ``rating_worstRating``,
  ``creativeWork_author_name``, ``creativeWork_datePublished``,
  ``creativeWork_author_sameAs``, ``claimReview_author_name`` (the site), ``claimReview_author_url``,
  ``claimReview_url``, ``claimReview_datePublished``, ``claimReview_author`` (who wrote it),
  ``extra_title``, ``extra_tags``, ``extra_body``, and a normalized rating when a column
  ``rating_normalized`` or ``ratingName`` gives one.

Per row: the claim; the claimant (``author``) as a speaker of kind ``other`` with an
``asserts`` statement dated ``date``, cited from the review page (ClaimsKG gives no
appearance); a verdict by the fact-checking site that rates that statement. Columns not
listed (named entities, cited links, the ClaimsKG id) are counted as dropped; ``Unknown``
and empty cells are no value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for, host_of, source_key_for_url, statement_key
from factdb.transfer.converting import ConversionSummary, Converted, Emitted, iso_date, refusal
from factdb.transfer.formats import CLAIMSKG_EXPLORER, CLAIMSKG_EXTRACTOR
from factdb.transfer.jsonld import absolute_url, clean_text, number

__all__ = ["convert_claimskg", "NORMALIZED_RATINGS"]

# ClaimsKG's normalized scale: label -> value (OTHER has no place on the scale)
NORMALIZED_RATINGS = {"FALSE": 1, "MIXTURE": 2, "TRUE": 3, "OTHER": None}
_NONE = frozenset({"", "unknown", "none", "null", "nan"})
_PAGE = "the fact-check that reports the claim (ClaimsKG gives no appearance)"

# field -> the column of each layout (explorer, extractor)
_COLUMNS = {
    "claim": ("text", "claimReview_claimReviewed"),
    "said_on": ("date", "creativeWork_datePublished"),
    "claimant": ("author", "creativeWork_author_name"),
    "claimant_same_as": (None, "creativeWork_author_sameAs"),
    "rating": (None, "rating_alternateName"),
    "rating_value": (None, "rating_ratingValue"),
    "best_rating": (None, "rating_bestRating"),
    "worst_rating": (None, "rating_worstRating"),
    "normalized": ("ratingName", "rating_normalized"),
    "normalized_value": ("truthRating", None),
    "reviewer": ("source", "claimReview_author_name"),
    "reviewer_url": ("sourceURL", "claimReview_author_url"),
    "url": ("link", "claimReview_url"),
    "reviewed_on": (None, "claimReview_datePublished"),
    "title": ("headline", "extra_title"),
    "tags": ("keywords", "extra_tags"),
    "review_body": (None, "extra_body"),
    "authors": (None, "claimReview_author"),
    "language": ("language", None),
    "site": (None, "claimReview_source"),
}


class _Refused(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field, self.reason = field_name, reason


def convert_claimskg(text: str, label: str, summary: ConversionSummary | None = None) -> Iterator[Converted]:
    """Converteds from a ClaimsKG CSV export or SPARQL results JSON (see the module docstring)."""
    summary = summary if summary is not None else ConversionSummary()
    summary.unit = "row"
    try:
        rows = list(_rows(text, label))
    except _Refused as refused:
        summary.read += 1
        summary.refuse(refused.field, refused.reason)
        yield refusal(label, refused.field, refused.reason)
        return
    if not rows:
        return
    columns = set(rows[0][1])
    if set(CLAIMSKG_EXTRACTOR) <= columns:
        layout = 1
    elif set(CLAIMSKG_EXPLORER) - {"id"} <= columns:
        layout = 0
    else:
        summary.read += 1
        reason = (
            f"not a ClaimsKG export: no {', '.join(CLAIMSKG_EXPLORER[1:])} columns (the Explorer's) "
            f"nor {', '.join(CLAIMSKG_EXTRACTOR)} (the extractor's); columns: {', '.join(sorted(columns))}"
        )
        summary.refuse("columns", reason)
        yield refusal(label, "columns", reason)
        return
    used = {column for pair in _COLUMNS.values() if (column := pair[layout]) is not None}
    emitted = Emitted(summary)
    for location, row in rows:
        summary.read += 1
        try:
            records = _row_records(row, layout)
        except _Refused as refused:
            summary.refuse(refused.field, refused.reason)
            yield refusal(location, refused.field, refused.reason, raw=row)
            continue
        summary.taken += 1
        for column, value in row.items():
            if column not in used and _value(value) is not None:
                summary.drop(f"column {column}", f"{location}: {column}: {str(value)[:60]!r} (not kept)")
        for kind, record in records:
            if emitted.add(kind, record, location):
                yield (kind, record, location)


def _rows(text: str, label: str) -> Iterator[tuple[str, dict[str, str]]]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Refused("document", f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        bindings = data.get("results", {}).get("bindings") if isinstance(data, dict) else None
        if not isinstance(bindings, list):
            raise _Refused("results", "no results.bindings: not SPARQL query results")
        for index, binding in enumerate(bindings):
            if isinstance(binding, dict):
                row = {name: str(cell.get("value", "")) for name, cell in binding.items() if isinstance(cell, dict)}
                yield f"{label}:results.bindings[{index}]", row
        return
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        for row in reader:
            # DictReader gives the line the row ends on; a quoted cell may span lines
            yield f"{label}:{reader.line_num}", {k: v for k, v in row.items() if isinstance(k, str)}
    except csv.Error as exc:
        raise _Refused("row", f"not readable as CSV at line {reader.line_num} ({exc})") from None


def _value(value: object) -> str | None:
    text = clean_text(value)
    return None if text is None or text.lower() in _NONE else text


def _date(value: object, field_name: str) -> str | None:
    try:
        return iso_date(_value(value), field_name)
    except InvalidInput as exc:
        raise _Refused(field_name, str(exc).split(": ", 1)[1]) from None


def _row_records(row: dict[str, str], layout: int) -> list[tuple[str, dict[str, Any]]]:
    def cell(name: str) -> str | None:
        column = _COLUMNS[name][layout]
        return _value(row.get(column)) if column else None

    text = cell("claim")
    if text is None:
        raise _Refused(_COLUMNS["claim"][layout] or "claim", "missing; the row has no claim text")
    url = absolute_url(cell("url"), None)
    reviewer = cell("reviewer") or cell("site") or (host_of(url) if url else None)
    if reviewer is None:
        raise _Refused(_COLUMNS["reviewer"][layout] or "reviewer", "no fact-checking site named for the review")
    normalized = cell("normalized")
    if normalized is not None:
        normalized = normalized.upper()
    rating = cell("rating") or normalized
    if rating is None:
        raise _Refused(_COLUMNS["rating"][layout] or _COLUMNS["normalized"][layout] or "rating", "no rating")
    claim_key = claim_key_for(text, url)
    claim: dict[str, Any] = {"key": claim_key, "text": text}
    tags = [t.strip() for t in (cell("tags") or "").split(",") if t.strip()]
    if tags:
        claim["tags"] = tags
    records: list[tuple[str, dict[str, Any]]] = [("entity", {"name": reviewer, "kind": "media"})]
    verdict: dict[str, Any] = {"claim": claim_key, "reviewer": reviewer}
    reviewer_url = absolute_url(cell("reviewer_url"), None)
    if reviewer_url:
        verdict["reviewer_url"] = reviewer_url
    if cell("authors"):
        verdict["authors"] = [cell("authors")]
    verdict["rating"] = rating
    if layout == 1:
        for name in ("rating_value", "best_rating", "worst_rating"):
            amount = number(cell(name))
            if amount is not None:
                verdict[name] = amount
    elif normalized in NORMALIZED_RATINGS and NORMALIZED_RATINGS[normalized] is not None:
        verdict.update(rating_value=NORMALIZED_RATINGS[normalized], best_rating=3, worst_rating=1)
    if normalized:
        verdict["normalized_rating"] = normalized
    reviewed_on = _date(cell("reviewed_on"), _COLUMNS["reviewed_on"][layout] or "reviewed_on")
    if reviewed_on:
        verdict["reviewed_on"] = reviewed_on
    if url:
        verdict["url"] = url
    for name in ("title", "review_body", "language"):
        if cell(name):
            verdict[name] = cell(name)
    statements = []
    claimant = cell("claimant")
    if claimant and url:
        source = {"key": source_key_for_url(url), "outlet": reviewer, "url": url, "note": _PAGE}
        if verdict.get("title"):
            source["title"] = verdict["title"]
        if reviewed_on:
            source["published_on"] = reviewed_on
        said_on = _date(cell("said_on"), _COLUMNS["said_on"][layout] or "said_on")
        statement = {"claim": claim_key, "speaker": claimant, "stance": "asserts", "source": source["key"]}
        if said_on:
            statement["said_on"] = said_on
        statement["key"] = statement_key(
            source_key=source["key"], claim_key=claim_key, speaker=claimant, speaker_description=None,
            stance="asserts", quote=None, said_on=said_on,
        )  # fmt: skip
        verdict["statement"] = statement["key"]
        same_as = absolute_url(cell("claimant_same_as"), None)
        if same_as:
            verdict["claimant_same_as"] = [same_as]
        records += [("entity", {"name": claimant, "kind": "other"}), ("source", source)]
        statements.append(statement)
    elif claimant:
        raise _Refused(_COLUMNS["url"][layout] or "url", f"the claimant {claimant!r} needs the review's URL as source")
    records.append(("claim", claim))
    records.extend(("statement", s) for s in statements)
    records.append(("verdict", verdict))
    return records
