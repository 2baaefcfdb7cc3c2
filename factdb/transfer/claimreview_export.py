"""Bundle records -> schema.org ClaimReview JSON-LD (one ClaimReview per verdict).

What ClaimReview cannot say is left out: statements other than ``asserts``, certainty,
hedge, quote, via, notes on claims and sources; armed groups, military units and "other"
entities are written as ``Organization``. Claim keys travel as ``urn:factdb:claim:KEY``,
source keys as the appearance's ``identifier``, a verdict key only when it is not the one
the importer derives (``urn:factdb:verdict:KEY``), so that importing the export gives back
the same claims, verdicts, statements and sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from factdb.errors import InvalidInput
from factdb.keys import verdict_key
from factdb.normalize import normalize_name
from factdb.transfer.claimreview import CLAIM_ID_PREFIX, STATEMENT_ID_PREFIX, VERDICT_ID_PREFIX

__all__ = ["claimreview_document"]

# stances in which the speaker makes the claim (ClaimReview's itemReviewed.author)
_AUTHORED = ("asserts",)
_SCHEMA_TYPE_OF_KIND = {"person": "Person", "media": "NewsMediaOrganization", "government": "GovernmentOrganization"}


def claimreview_document(records: Iterable[tuple]) -> dict:
    """A JSON-LD document with one ClaimReview per verdict, from bundle records.

    ``records`` are ``(kind, record)`` or ``(kind, record, location)`` tuples, as
    ``factdb.transfer.export_bundle`` yields them. Claims without verdicts are left out; a
    claim's ``asserts`` statements give its authors (with ``jobTitle``), the date of the
    earliest one and its sources as appearances.
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
            if record.get("stance") == "asserts" and record.get("speaker"):
                statements.setdefault(record["claim"], []).append(record)
        elif kind == "verdict":
            verdicts.append(record)

    def party(name: str) -> dict:
        entity = entities.get(normalize_name(name))
        kind = entity["kind"] if entity else "organization"
        return {"@type": _SCHEMA_TYPE_OF_KIND.get(kind, "Organization"), "name": entity["name"] if entity else name}

    graph = []
    for verdict in verdicts:
        claim = claims.get(verdict["claim"])
        if claim is None:
            raise InvalidInput(f'verdict on claim "{verdict["claim"]}": the claim is not among the records')
        item: dict = {"@type": "Claim", "@id": CLAIM_ID_PREFIX + quote(claim["key"], safe="")}
        if claim.get("tags"):
            item["keywords"] = list(claim["tags"])
        rated = by_key.get(verdict["statement"]) if verdict.get("statement") else None
        if verdict.get("statement"):
            # the claim as one speaker made it: that speaker, date and source only
            item["identifier"] = STATEMENT_ID_PREFIX + quote(verdict["statement"], safe="")
            supporting = rated is not None and rated.get("stance") in _AUTHORED and rated.get("speaker")
            asserted = [rated] if supporting and rated is not None else []
        else:
            asserted = sorted(statements.get(claim["key"], []), key=lambda s: s.get("said_on") or "9999")
        if asserted:
            authors = []
            for statement in asserted:
                author = party(statement["speaker"])
                if statement.get("speaker_title"):
                    author["jobTitle"] = statement["speaker_title"]
                if author not in authors:
                    authors.append(author)
            item["author"] = authors[0] if len(authors) == 1 else authors
            if asserted[0].get("said_on"):
                item["datePublished"] = asserted[0]["said_on"]
            appearances = []
            for statement in asserted:
                source = sources.get(statement["source"])
                if source and source.get("url") and urlsplit(source["url"]).scheme in ("http", "https"):
                    work = {"@type": "CreativeWork", "url": source["url"], "identifier": source["key"],
                            "publisher": party(source["outlet"])}  # fmt: skip
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
                item["appearance"] = appearances
        rating: dict = {"@type": "Rating", "alternateName": verdict["rating"]}
        for field_name, prop in (
            ("rating_value", "ratingValue"),
            ("best_rating", "bestRating"),
            ("worst_rating", "worstRating"),
        ):
            if verdict.get(field_name) is not None:
                rating[prop] = verdict[field_name]
        review: dict = {"@type": "ClaimReview"}
        url = verdict.get("url")
        derived = verdict_key(
            claim_key=claim["key"], reviewer=verdict["reviewer"], url=url, rating=verdict["rating"],
            statement_key=verdict.get("statement"),
        )  # fmt: skip
        if verdict.get("key") and verdict["key"] != derived:
            review["@id"] = VERDICT_ID_PREFIX + quote(verdict["key"], safe="")
        if url and urlsplit(url).scheme in ("http", "https"):
            review["url"] = url
        review.update(
            claimReviewed=claim["text"], author=party(verdict["reviewer"]), reviewRating=rating, itemReviewed=item
        )
        if verdict.get("reviewed_on"):
            review["datePublished"] = verdict["reviewed_on"]
        if verdict.get("note"):
            review["reviewBody"] = verdict["note"]
        graph.append(review)
    return {"@context": "https://schema.org", "@graph": graph}
