"""Google Fact Check Tools API ``claims:search`` responses -> bundle records.

A response is ``{"claims": [{"text", "claimant", "claimDate", "claimReview": [{"publisher":
{"name", "site"}, "url", "title", "reviewDate", "textualRating", "languageCode"}]}],
"nextPageToken"}``; several pages saved as one JSON array of responses are read in order.
Per claim: ``text`` -> a claim (key from the wording, as every converter derives it);
``claimant`` -> a speaker (kind ``other``: the API does not say who or what the claimant is;
an entity already stored keeps its kind) with an ``asserts`` statement dated ``claimDate``,
cited from the first review's page (the API gives no appearance). Per review: a verdict by
``publisher.name`` (kind media; ``publisher.site`` -> the reviewer's URL, ``https://SITE``),
``textualRating`` -> rating, ``url``, ``title``, ``reviewDate`` -> reviewed_on,
``languageCode`` -> language; with a claimant it rates the claimant's statement. Any other
field is counted as dropped. The unit of the summary is the review.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for, host_of, source_key_for_url, statement_key
from factdb.transfer.converting import ConversionSummary, Converted, Emitted, iso_date, refusal
from factdb.transfer.jsonld import absolute_url, clean_text

__all__ = ["convert_factcheck_api"]

_CLAIM_FIELDS = frozenset({"text", "claimant", "claimDate", "claimReview"})
_REVIEW_FIELDS = frozenset({"publisher", "url", "title", "reviewDate", "textualRating", "languageCode"})
_PAGE = "the fact-check that reports the claim (the Fact Check Tools API gives no appearance)"


class _Refused(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field, self.reason = field_name, reason


def convert_factcheck_api(text: str, label: str, summary: ConversionSummary | None = None) -> Iterator[Converted]:
    """Converteds from a ``claims:search`` response (or a JSON array of them)."""
    summary = summary if summary is not None else ConversionSummary()
    summary.unit = "review"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        summary.read += 1
        reason = f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        summary.refuse("document", reason)
        yield refusal(label, "document", reason)
        return
    pages = data if isinstance(data, list) else [data]
    claims = [
        (f"[{p}].claims[{i}]" if isinstance(data, list) else f"claims[{i}]", claim)
        for p, page in enumerate(pages)
        if isinstance(page, dict)
        for i, claim in enumerate(page.get("claims") or [])
    ]
    if not claims:
        summary.read += 1
        summary.refuse("claims", "no claims in the response")
        yield refusal(label, "claims", "no claims in the response")
        return
    emitted = Emitted(summary)
    for where, claim in claims:
        location = f"{label}:{where}"
        reviews = claim.get("claimReview") if isinstance(claim, dict) else None
        units = len(reviews) if isinstance(reviews, list) and reviews else 1
        summary.read += units
        try:
            records = _claim_records(claim, location, summary)
        except _Refused as refused:
            for _ in range(units):
                summary.refuse(refused.field, refused.reason)
            yield refusal(location, refused.field, refused.reason, raw=claim)
            continue
        summary.taken += units
        for kind, record in records:
            if emitted.add(kind, record, location):
                yield (kind, record, location)


def _date(value: object, field_name: str) -> str | None:
    try:
        return iso_date(clean_text(value), field_name)
    except InvalidInput as exc:
        raise _Refused(field_name, str(exc).split(": ", 1)[1]) from None


def _claim_records(claim: Any, location: str, summary: ConversionSummary) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(claim, dict):
        raise _Refused("claim", f"expected an object, got {type(claim).__name__}")
    text = clean_text(claim.get("text"))
    if text is None:
        raise _Refused("text", "missing; the claim has no text")
    reviews = claim.get("claimReview")
    if not isinstance(reviews, list) or not reviews:
        raise _Refused("claimReview", "no review of the claim")
    for name, value in claim.items():
        if name not in _CLAIM_FIELDS and value not in (None, "", [], {}):
            summary.drop(name, f"{location}: {name}: {json.dumps(value)[:80]} (not kept)")
    claim_key = claim_key_for(text, clean_text(reviews[0].get("url")) if isinstance(reviews[0], dict) else None)
    records: list[tuple[str, dict[str, Any]]] = []
    verdicts: list[dict[str, Any]] = []
    for index, review in enumerate(reviews):
        where = f"claimReview[{index}]"
        if not isinstance(review, dict):
            raise _Refused(where, f"expected an object, got {type(review).__name__}")
        for name, value in review.items():
            if name not in _REVIEW_FIELDS and value not in (None, "", [], {}):
                summary.drop(f"claimReview.{name}", f"{location}.{where}: {name}: {json.dumps(value)[:80]} (not kept)")
        given = review.get("publisher")
        publisher: dict[str, Any] = given if isinstance(given, dict) else {}
        site = clean_text(publisher.get("site"))
        url = absolute_url(clean_text(review.get("url")), None)
        reviewer = clean_text(publisher.get("name")) or site or (host_of(url) if url else None)
        if reviewer is None:
            raise _Refused(f"{where}.publisher", "no reviewer: the review's publisher has neither name nor site")
        rating = clean_text(review.get("textualRating"))
        if rating is None:
            raise _Refused(f"{where}.textualRating", "missing; a review without a rating is not a verdict")
        if len(rating) > 200:
            raise _Refused(f"{where}.textualRating", f"{len(rating)} characters is longer than 200")
        records.append(("entity", {"name": reviewer, "kind": "media"}))
        verdict: dict[str, Any] = {"claim": claim_key, "reviewer": reviewer}
        if site:
            verdict["reviewer_url"] = absolute_url(site, None) or f"https://{site}"
        verdict["rating"] = rating
        reviewed_on = _date(review.get("reviewDate"), f"{where}.reviewDate")
        if reviewed_on:
            verdict["reviewed_on"] = reviewed_on
        if url:
            verdict["url"] = url
        elif clean_text(review.get("url")):
            summary.drop("claimReview.url", f"{location}.{where}: url: {review['url']!r} (not an absolute URL)")
        title = clean_text(review.get("title"))
        if title:
            verdict["title"] = title
        language = clean_text(review.get("languageCode"))
        if language and len(language) <= 35:
            verdict["language"] = language
        verdicts.append(verdict)
    claimant = clean_text(claim.get("claimant"))
    statements: list[dict[str, Any]] = []
    first_url = next((v["url"] for v in verdicts if v.get("url")), None)
    if claimant and first_url:
        outlet = verdicts[0]["reviewer"]
        source = {"key": source_key_for_url(first_url), "outlet": outlet, "url": first_url, "note": _PAGE}
        first = next(v for v in verdicts if v.get("url"))
        if first.get("title"):
            source["title"] = first["title"]
        if first.get("reviewed_on"):
            source["published_on"] = first["reviewed_on"]
        records.append(("entity", {"name": claimant, "kind": "other"}))
        records.append(("source", source))
        statement = {"claim": claim_key, "speaker": claimant, "stance": "asserts", "source": source["key"]}
        said_on = _date(claim.get("claimDate"), "claimDate")
        if said_on:
            statement["said_on"] = said_on
        statement["key"] = statement_key(
            source_key=source["key"], claim_key=claim_key, speaker=claimant, speaker_description=None,
            stance="asserts", quote=None, said_on=said_on,
        )  # fmt: skip
        statements.append(statement)
        for verdict in verdicts:
            verdict["statement"] = statement["key"]
    elif claimant:
        summary.drop("claimant", f"{location}: claimant: {claimant!r} (no review URL to cite as the source)")
    if not statements and clean_text(claim.get("claimDate")):
        summary.drop("claimDate", f"{location}: claimDate: {claim['claimDate']!r} (no statement to date)")
    records.append(("claim", {"key": claim_key, "text": text}))
    records.extend(("statement", s) for s in statements)
    records.extend(("verdict", v) for v in verdicts)
    return records
