"""schema.org ClaimReview JSON-LD -> bundle records (the way back: :mod:`.claimreview_export`).

Reads one ClaimReview, a top-level array, an ``@graph``, or a DataCommons ``DataFeed``
(ClaimReviews inside ``dataFeedElement[].item``). Per ClaimReview node:

- ``claimReviewed`` -> a claim (key from the wording, as the spreadsheet importer derives it,
  so the same wording checked twice is one claim; a ``urn:factdb:claim:KEY`` ``@id`` on the
  Claim keeps an exported key); ``itemReviewed.keywords`` -> tags;
- the review itself -> a verdict: reviewer (see :meth:`_Review.reviewer`) with its ``url`` and
  ``sameAs``, the ``publisher`` when it is not the reviewer, the other authors' names,
  ``reviewRating`` (``alternateName`` -> rating, else ``ratingValue`` as text; numbers;
  ``ratingExplanation``), ``datePublished``, ``url``, ``headline`` (or ``name``),
  ``description``, ``reviewBody``, ``inLanguage``, ``itemReviewed.name`` (where the claim was
  made), the claimant's ``sameAs``, and the appearances other than the statement's source;
- each ``itemReviewed.author`` (or ``creator``) -> a speaker entity (kind from ``@type``) and
  an ``asserts`` statement: ``jobTitle`` -> speaker_title, ``itemReviewed.datePublished`` ->
  said_on, source = ``firstAppearance``, else the first ``appearance``, else the reviewed work
  itself or what it is part of when it has a URL, else the fact-check page. With one author
  the verdict rates that statement; with several it rates the claim.

Every other field of the node (``dateModified``, a logo, an image ...) is counted in the
summary's ``dropped`` with its path, and so is a value that cannot be kept (a relative URL
with no page URL to resolve it). Text is HTML-unescaped; dates keep their calendar day; a URL
missing only its scheme gets ``https://``; relative URLs are resolved against ``base_url`` (an
HTML page's own URL) or the review's own URL. A node that cannot be converted yields one
error marker with the node itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for, host_of, source_key_for_url, statement_key
from factdb.transfer.converting import ConversionSummary, Converted, Emitted, iso_date, refusal
from factdb.transfer.jsonld import (
    absolute_url,
    as_list,
    clean_text,
    deref,
    is_absolute,
    is_schema_context,
    node_types,
    number,
    raw_types,
)

__all__ = ["convert_claimreview", "convert_documents", "CLAIM_ID_PREFIX", "VERDICT_ID_PREFIX", "STATEMENT_ID_PREFIX"]

CLAIM_ID_PREFIX = "urn:factdb:claim:"
VERDICT_ID_PREFIX = "urn:factdb:verdict:"
STATEMENT_ID_PREFIX = "urn:factdb:statement:"
_RATING_MAX = 200  # verdicts.rating is String(200)
_LANGUAGE_MAX = 35  # verdicts.language
_INDEX = re.compile(r"\[\d+\]")
_PAGE_AS_SOURCE = "the fact-check that reports the claim (the ClaimReview gives no appearance)"
_STRUCTURE = frozenset({"@context", "@type", "@id"})  # JSON-LD keywords: structure, not fields

_SPEAKER_KINDS = {"person": "person", "organization": "organization", "newsmediaorganization": "media",
                  "governmentorganization": "government"}  # fmt: skip


class _Refused(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field, self.reason = field_name, reason


def convert_claimreview(
    text: str, label: str, summary: ConversionSummary | None = None, *, base_url: str | None = None
) -> Iterator[Converted]:
    """Converteds from ClaimReview JSON-LD text; ``label`` (a file name) starts every location.

    ``summary`` counts reviews read, taken and refused and the fields dropped; a document
    with no review in it counts as one refused unit. ``base_url``: the URL of the page the
    markup comes from, to resolve relative URLs against.
    """
    summary = summary if summary is not None else ConversionSummary()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        summary.unit = "review"
        summary.read += 1
        reason = f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        summary.refuse("document", reason)
        yield refusal(label, "document", reason)
        return
    yield from convert_documents(data, label, summary, base_url=base_url)


def convert_documents(
    data: Any, label: str, summary: ConversionSummary | None = None, *, base_url: str | None = None
) -> Iterator[Converted]:
    """Converteds from parsed JSON-LD (a node, a list of nodes, an ``@graph``, a DataFeed)."""
    summary = summary if summary is not None else ConversionSummary()
    summary.unit = "review"
    try:
        nodes = _nodes(data)
    except _Refused as refused:
        summary.read += 1
        summary.refuse(refused.field, refused.reason)
        yield refusal(label, refused.field, refused.reason)
        return
    index = {node["@id"]: node for _, node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    reviews = [(where, node) for where, node in nodes if node_types(node) & {"claimreview", "mediareview"}]
    if not reviews:
        found = sorted({t for _, node in nodes for t in raw_types(node)}) or ["none"]
        summary.read += 1
        reason = f"no ClaimReview in the document (types found: {', '.join(found)})"
        summary.refuse("@type", reason)
        yield refusal(label, "@type", reason)
        return
    emitted = Emitted(summary)
    for where, node in reviews:
        location = f"{label}:{where}"
        summary.read += 1
        review = _Review(node, index, base_url)
        try:
            records = review.records()
        except _Refused as refused:
            summary.refuse(refused.field, refused.reason)
            yield refusal(location, refused.field, refused.reason, raw=node)
            continue
        summary.taken += 1
        for path, value, reason in review.dropped():
            summary.drop(_INDEX.sub("", path), f"{location}: {path}: {_shown(value)} ({reason})")
        for kind, record in records:
            if emitted.add(kind, record, location):
                yield (kind, record, location)


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


# --- reading the document -----------------------------------------------------------------


def _nodes(data: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every top-level node with its path: ``$``, ``[2]``, ``@graph[3]``, ``[0].@graph[1]``,
    ``dataFeedElement[4].item``."""
    found: list[tuple[str, dict[str, Any]]] = []

    def visit(item: object, where: str, context: object) -> None:
        if isinstance(item, list):
            for position, element in enumerate(item):
                visit(element, f"{where}[{position}]" if where != "$" else f"[{position}]", context)
            return
        if not isinstance(item, dict):
            raise _Refused("document", f"{where} is a {type(item).__name__}, not a JSON-LD node")
        context = item.get("@context", context)
        if context is not None and not is_schema_context(context):
            raise _Refused("@context", f"{json.dumps(context)[:80]} is not the schema.org context")
        prefix = "" if where == "$" else f"{where}."
        if "@graph" in item:
            visit(item["@graph"], f"{prefix}@graph", context)
        if "datafeed" in node_types(item):
            for position, element in enumerate(as_list(item.get("dataFeedElement"))):
                if isinstance(element, dict) and "item" in element:
                    visit(element["item"], f"{prefix}dataFeedElement[{position}].item", context)
            return
        if "@type" in item or "@graph" not in item:
            found.append((where, item))

    visit(data, "$", None)
    return found


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --- one review -> records ------------------------------------------------------------------


class _Review:
    """One ClaimReview node read into records; remembers which fields it kept."""

    def __init__(self, node: dict[str, Any], index: dict[str, dict[str, Any]], base_url: str | None):
        self.node = node
        self.index = index
        self.base = base_url or _page_url(node)
        self.kept: set[str] = set()
        self.lost: dict[str, str] = {}  # path -> why the value given there was not kept
        self.chosen: tuple[dict[str, Any], str] = ({}, "")  # the node that names the reviewer, its path

    # --- reading fields, remembering what is kept ---------------------------------------

    def items(self, value: object, path: str) -> list[tuple[Any, str]]:
        if isinstance(value, list):
            return [(deref(v, self.index), f"{path}[{i}]") for i, v in enumerate(value)]
        return [] if value is None else [(deref(value, self.index), path)]

    def text(self, node: dict[str, Any], name: str, path: str) -> str | None:
        value = clean_text(node.get(name))
        if value is not None:
            self.kept.add(_join(path, name))
        return value

    def url(self, node: dict[str, Any], name: str, path: str) -> str | None:
        text = clean_text(node.get(name))
        found = absolute_url(text, self.base)
        if found is not None:
            self.kept.add(_join(path, name))
        elif text is not None:
            self.lost[_join(path, name)] = "not an absolute URL and no page URL to resolve it against"
        return found

    def urls(self, node: dict[str, Any], name: str, path: str) -> list[str]:
        found: list[str] = []
        for value, where in self.items(node.get(name), _join(path, name)):
            url = absolute_url(clean_text(value), self.base)
            if url is not None:
                self.kept.add(where)
                if url not in found:
                    found.append(url)
            elif clean_text(value) is not None:
                self.lost[where] = "not an absolute URL"
        return found

    def date(self, node: dict[str, Any], name: str, path: str, field_name: str) -> str | None:
        try:
            value = iso_date(clean_text(node.get(name)), field_name)
        except InvalidInput as exc:
            raise _Refused(field_name, str(exc).split(": ", 1)[1]) from None
        if value is not None:
            self.kept.add(_join(path, name))
        return value

    def dropped(self) -> list[tuple[str, Any, str]]:
        """``(path, value, why)`` of every field of the node that was not kept."""
        found: list[tuple[str, Any, str]] = []
        following: set[str] = set()

        def walk(value: object, path: str) -> None:
            if isinstance(value, dict):
                if set(value) == {"@id"} and value["@id"] in self.index and value["@id"] not in following:
                    following.add(value["@id"])
                    walk(self.index[value["@id"]], path)
                    following.discard(value["@id"])
                    return
                for name, child in value.items():
                    if name not in _STRUCTURE:
                        walk(child, _join(path, name))
            elif isinstance(value, list):
                for position, child in enumerate(value):
                    walk(child, f"{path}[{position}]")
            elif value is not None and not (isinstance(value, str) and not value.strip()):
                if path in self.lost:
                    found.append((path, value, self.lost[path]))
                elif not self._covered(path):
                    found.append((path, value, "not kept"))

        walk(self.node, "")
        return found

    def _covered(self, path: str) -> bool:
        if path in self.kept:
            return True
        return any(path[:i] in self.kept for i, ch in enumerate(path) if ch in ".[")

    # --- the mapping ----------------------------------------------------------------------

    def records(self) -> list[tuple[str, dict[str, Any]]]:
        node = self.node
        if "mediareview" in node_types(node) and "claimreview" not in node_types(node):
            category = clean_text(node.get("mediaAuthenticityCategory")) or "none given"
            raise _Refused(
                "@type",
                f"MediaReview rates a media item's authenticity ({category}), not a claim's truth; not imported",
            )
        items = self.items(node.get("itemReviewed"), "itemReviewed")
        item, ipath = items[0] if items and isinstance(items[0][0], dict) else ({}, "itemReviewed")
        claim_text = self.text(node, "claimReviewed", "")
        if claim_text is None:
            claim_text = self.text(item, "text", ipath) or self.text(item, "description", ipath)
        if claim_text is None:
            raise _Refused("claimReviewed", "missing; a ClaimReview must say which claim it reviews")
        claim_id = item.get("@id")
        if isinstance(claim_id, str) and claim_id.startswith(CLAIM_ID_PREFIX):
            claim_key = unquote(claim_id[len(CLAIM_ID_PREFIX) :])
        else:
            claim_key = claim_key_for(claim_text, clean_text(node.get("url")))
        claim: dict[str, Any] = {"key": claim_key, "text": claim_text}
        keywords = item.get("keywords")
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        tags = [t for t in (clean_text(k) for k in as_list(keywords)) if t]
        if tags:
            self.kept.add(_join(ipath, "keywords"))
            claim["tags"] = tags

        records: list[tuple[str, dict[str, Any]]] = []
        reviewer, reviewer_kind = self.reviewer(records)
        verdict = self.verdict(claim_key, reviewer)
        self.publisher_and_authors(verdict, records)
        venue = self.text(item, "name", ipath)
        if venue:
            verdict["claim_venue"] = venue

        statements: list[dict[str, Any]] = []
        authors = self.items(item.get("author"), _join(ipath, "author"))
        if not authors:
            authors = self.items(item.get("creator"), _join(ipath, "creator"))
        said_on = self.date(item, "datePublished", ipath, "itemReviewed.datePublished") if authors else None
        only = len(authors) == 1
        speakers = [found for found in (self.speaker(author, path, only) for author, path in authors) if found]
        source = self.statement_source(item, ipath, verdict, reviewer, reviewer_kind) if speakers else None
        self.other_appearances(item, ipath, verdict, source[1]["url"] if source else None)
        if speakers and source is not None:
            outlet_entity, source_record = source
            records.extend(("entity", entity) for entity, _, _ in speakers)
            records.append(("entity", outlet_entity))
            records.append(("source", source_record))
            for entity, title, same_as in speakers:
                statement: dict[str, Any] = {"claim": claim_key, "speaker": entity["name"], "stance": "asserts"}
                if title:
                    statement["speaker_title"] = title
                if said_on:
                    statement["said_on"] = said_on
                statement["source"] = source_record["key"]
                statements.append(statement)
                if same_as and len(speakers) == 1:
                    verdict["claimant_same_as"] = same_as
        if _rate_statement(item, claim_key, statements, verdict):
            self.kept.add(_join(ipath, "identifier"))
        records.append(("claim", claim))
        records.extend(("statement", s) for s in statements)
        records.append(("verdict", verdict))
        return records

    def reviewer(self, records: list[tuple[str, dict[str, Any]]]) -> tuple[str, str]:
        """Who issued the verdict: the first organization among the authors, else the
        publisher, else the first (person) author. A node without a name is named by its
        URL's host. Its ``url`` and ``sameAs`` go to the verdict (see :meth:`verdict`)."""
        node = self.node
        authors = [(a, p) for a, p in self.items(node.get("author"), "author") if isinstance(a, dict)]
        organizations = [(a, p) for a, p in authors if not ({"person"} & node_types(a))]
        publishers = [(p, w) for p, w in self.items(node.get("publisher"), "publisher") if isinstance(p, dict)]
        for candidate, path in [*organizations, *publishers[:1], *authors]:
            name = self.text(candidate, "name", path)
            if name is None:
                url = clean_text(candidate.get("url")) or clean_text(candidate.get("@id"))
                name = host_of(url) if url and is_absolute(url) else None
            if name:
                self.chosen = (candidate, path)
                # a fact-checker publishes: plain "Organization" reviewers are media outlets
                types = node_types(candidate)
                kind = next((_SPEAKER_KINDS[t] for t in types if t in _SPEAKER_KINDS and t != "organization"), "media")
                records.append(("entity", {"name": name, "kind": kind}))
                return name, kind
        raise _Refused("author", "no reviewer: the ClaimReview's author and publisher have neither name nor URL")

    def verdict(self, claim_key: str, reviewer: str) -> dict[str, Any]:
        node = self.node
        ratings = self.items(node.get("reviewRating"), "reviewRating")
        if not ratings or not isinstance(ratings[0][0], dict):
            raise _Refused("reviewRating", "missing; a ClaimReview without a rating is not a verdict")
        rating, rpath = ratings[0]
        rating_text = self.text(rating, "alternateName", rpath)
        name = clean_text(rating.get("name"))
        if rating_text is None:
            rating_text = self.text(rating, "name", rpath) or clean_text(rating.get("ratingValue"))
        elif name is not None and name != rating_text:
            self.lost[_join(rpath, "name")] = "the rating is its alternateName"
        elif name is not None:
            self.kept.add(_join(rpath, "name"))
        if rating_text is None:
            raise _Refused("reviewRating", "neither alternateName nor ratingValue gives a rating")
        if len(rating_text) > _RATING_MAX:
            raise _Refused("reviewRating.alternateName", f"{len(rating_text)} characters is longer than {_RATING_MAX}")
        verdict: dict[str, Any] = {"claim": claim_key, "reviewer": reviewer}
        candidate, cpath = self.chosen
        reviewer_url = self.url(candidate, "url", cpath)
        if reviewer_url:
            verdict["reviewer_url"] = reviewer_url
        same_as = self.urls(candidate, "sameAs", cpath)
        if same_as:
            verdict["reviewer_same_as"] = same_as
        verdict["rating"] = rating_text
        node_id = node.get("@id")
        if isinstance(node_id, str) and node_id.startswith(VERDICT_ID_PREFIX):
            verdict["key"] = unquote(node_id[len(VERDICT_ID_PREFIX) :])
        for field_name, prop in (("rating_value", "ratingValue"), ("best_rating", "bestRating"),
                                 ("worst_rating", "worstRating")):  # fmt: skip
            amount = number(rating.get(prop))
            if amount is not None:
                self.kept.add(_join(rpath, prop))
                verdict[field_name] = amount
        explanation = self.text(rating, "ratingExplanation", rpath)
        if explanation:
            verdict["rating_explanation"] = explanation
        reviewed_on = self.date(node, "datePublished", "", "datePublished")
        if reviewed_on:
            verdict["reviewed_on"] = reviewed_on
        url = self.url(node, "url", "")
        if url:
            verdict["url"] = url
        headline = self.text(node, "headline", "")
        title = headline or self.text(node, "name", "")
        if headline and clean_text(node.get("name")) not in (None, headline):
            self.lost["name"] = "differs from the headline, which is kept"
        elif headline:
            self.kept.add("name")
        if title:
            verdict["title"] = title
        for prop, field_name in (("description", "description"), ("reviewBody", "review_body")):
            value = self.text(node, prop, "")
            if value:
                verdict[field_name] = value
        language = self.language()
        if language:
            verdict["language"] = language
        return verdict

    def language(self) -> str | None:
        for value, path in self.items(self.node.get("inLanguage"), "inLanguage")[:1]:
            if isinstance(value, dict):
                text = self.text(value, "alternateName", path) or self.text(value, "name", path)
            else:
                text = clean_text(value)
                if text:
                    self.kept.add(path)
            if text and len(text) > _LANGUAGE_MAX:
                self.kept.discard(path)
                self.lost[path] = f"longer than {_LANGUAGE_MAX} characters"
                return None
            return text
        return None

    def publisher_and_authors(self, verdict: dict[str, Any], records: list[tuple[str, dict[str, Any]]]) -> None:
        """The publisher when it is not the reviewer (an entity); the names of the review's
        other authors (the people who wrote it)."""
        chosen = self.chosen[0]
        for publisher, path in self.items(self.node.get("publisher"), "publisher")[:1]:
            if publisher is chosen or not isinstance(publisher, dict):
                continue
            name = self.text(publisher, "name", path)
            if name and name != verdict["reviewer"]:
                kind = next((_SPEAKER_KINDS[t] for t in node_types(publisher) if t in _SPEAKER_KINDS), "media")
                records.append(("entity", {"name": name, "kind": "media" if kind == "organization" else kind}))
                verdict["publisher"] = name
        names = []
        for author, path in self.items(self.node.get("author"), "author"):
            if author is chosen:
                continue
            name = self.text(author, "name", path) if isinstance(author, dict) else clean_text(author)
            if name and name != verdict["reviewer"] and name not in names:
                names.append(name)
                self.kept.add(path if not isinstance(author, dict) else _join(path, "name"))
        if names:
            verdict["authors"] = names

    def speaker(self, author: object, path: str, only: bool) -> tuple[dict[str, Any], str | None, list[str]] | None:
        """``(entity record, speaker title, sameAs)`` from an itemReviewed author. A name given
        as a list is read as [name, description ...]: the rest becomes the speaker's title when
        no ``jobTitle`` is given ("Mzwandile Masina", "mayor of Ekurhuleni")."""
        if isinstance(author, str):
            name = clean_text(author)
            if name:
                self.kept.add(path)
            return ({"name": name, "kind": "person"}, None, []) if name else None
        if not isinstance(author, dict):
            return None
        names = [n for n in (clean_text(v) for v in as_list(author.get("name"))) if n]
        if not names:
            return None
        self.kept.add(_join(path, "name"))
        types = node_types(author)
        default = "person" if not types else "organization"
        kind = next((_SPEAKER_KINDS[t] for t in types if t in _SPEAKER_KINDS), default)
        titles = [t for t in (clean_text(v) for v in as_list(author.get("jobTitle"))) if t]
        if titles:
            self.kept.add(_join(path, "jobTitle"))
        title = "; ".join(titles or names[1:]) or None
        same_as = self.urls(author, "sameAs", path) if only else []
        return {"name": names[0], "kind": kind}, title, same_as

    def statement_source(
        self, item: dict[str, Any], ipath: str, verdict: dict[str, Any], reviewer: str, reviewer_kind: str
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """``(outlet entity, source record)`` for the claim's statements, or ``None``."""
        candidates = [
            *self.items(item.get("firstAppearance"), _join(ipath, "firstAppearance")),
            *self.items(item.get("appearance"), _join(ipath, "appearance")),
            (item, ipath),
            *self.items(item.get("isPartOf"), _join(ipath, "isPartOf")),
        ]
        for candidate, path in candidates:
            if isinstance(candidate, str):
                url = absolute_url(clean_text(candidate), self.base)
                if url is None:
                    continue
                self.kept.add(path)
                return {"name": host_of(url), "kind": "media"}, {"key": source_key_for_url(url),
                                                                 "outlet": host_of(url), "url": url}  # fmt: skip
            if not isinstance(candidate, dict):
                continue
            url = self.url(candidate, "url", path)
            if url is None:
                continue
            publishers = self.items(candidate.get("publisher"), _join(path, "publisher"))
            outlet = None
            for publisher, ppath in publishers[:1]:
                outlet = self.text(publisher, "name", ppath) if isinstance(publisher, dict) else clean_text(publisher)
                if outlet and not isinstance(publisher, dict):
                    self.kept.add(ppath)
            outlet = outlet or host_of(url)
            identifier = self.text(candidate, "identifier", path) if candidate is not item else None
            source: dict[str, Any] = {"key": identifier or source_key_for_url(url), "outlet": outlet, "url": url}
            if candidate is not item:
                title = self.text(candidate, "name", path) or self.text(candidate, "headline", path)
                if title:
                    source["title"] = title
                authors = []
                for author, apath in self.items(candidate.get("author"), _join(path, "author")):
                    name = self.text(author, "name", apath) if isinstance(author, dict) else clean_text(author)
                    if name:
                        self.kept.add(apath if not isinstance(author, dict) else _join(apath, "name"))
                        authors.append(name)
                if authors:
                    source["authors"] = authors
                published_on = self.date(candidate, "datePublished", path, "appearance.datePublished")
                if published_on:
                    source["published_on"] = published_on
            if url == verdict.get("url"):
                source["note"] = _PAGE_AS_SOURCE
            return {"name": outlet, "kind": "media"}, source
        if "url" not in verdict:
            return None
        # no appearance: the fact-check page itself is the document that reports the claim
        publisher = deref(self.node.get("publisher"), self.index)
        outlet = reviewer
        if reviewer_kind == "person":
            named = clean_text(publisher.get("name")) if isinstance(publisher, dict) else None
            outlet = named or host_of(verdict["url"])
        source = {"key": source_key_for_url(verdict["url"]), "outlet": outlet, "url": verdict["url"]}
        if verdict.get("title"):
            source["title"] = verdict["title"]
        if verdict.get("reviewed_on"):
            source["published_on"] = verdict["reviewed_on"]
        source["note"] = _PAGE_AS_SOURCE
        return {"name": outlet, "kind": "media"}, source

    def other_appearances(self, item: dict[str, Any], ipath: str, verdict: dict[str, Any], used: str | None) -> None:
        """The URLs of the appearances that are not the statements' source, in order."""
        found: list[str] = []
        for name in ("firstAppearance", "appearance"):
            for candidate, path in self.items(item.get(name), _join(ipath, name)):
                where = path if isinstance(candidate, str) else _join(path, "url")
                value = candidate if isinstance(candidate, str) else (
                    candidate.get("url") if isinstance(candidate, dict) else None)  # fmt: skip
                url = absolute_url(clean_text(value), self.base)
                if url is None:
                    continue
                if url == used:
                    self.kept.add(path)  # a repeat of the source: everything it says is kept there
                    continue
                self.kept.add(where)
                if url not in found:
                    found.append(url)
        if found:
            verdict["appearances"] = found


def _page_url(node: dict[str, Any]) -> str | None:
    """The review page's own absolute URL, to resolve relative URLs against."""
    for candidate in (node.get("url"), node.get("mainEntityOfPage")):
        if isinstance(candidate, dict):
            candidate = candidate.get("@id") or candidate.get("url")
        if is_absolute(candidate):
            assert isinstance(candidate, str)
            return candidate.strip()
    return None


def _rate_statement(item: dict[str, Any], claim_key: str, statements: list[dict[str, Any]], verdict: dict) -> bool:
    """Point the verdict at the statement it rates: the claim as its one author made it.

    A factdb export says so itself (``identifier`` ``urn:factdb:statement:KEY`` on the
    itemReviewed; none: the verdict rated the claim); in other markup a claim with exactly
    one author is a statement, one with several (or none) is rated as a claim. Returns
    whether the item's ``identifier`` said so.
    """
    exported = isinstance(item.get("@id"), str) and item["@id"].startswith(CLAIM_ID_PREFIX)
    if exported:
        identifier = next(
            (i for i in as_list(item.get("identifier")) if isinstance(i, str) and i.startswith(STATEMENT_ID_PREFIX)),
            None,
        )
        if identifier is None:
            return False
        key = unquote(identifier[len(STATEMENT_ID_PREFIX) :])
        for statement in statements[:1]:
            statement["key"] = key
        verdict["statement"] = key
        return True
    if len(statements) != 1:
        return False
    statement = statements[0]
    statement["key"] = statement_key(
        source_key=statement["source"], claim_key=claim_key, speaker=statement["speaker"], speaker_description=None,
        stance=statement["stance"], quote=None, said_on=statement.get("said_on"),
    )  # fmt: skip
    verdict["statement"] = statement["key"]
    return False
