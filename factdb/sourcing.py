"""The one definition of independent sourcing: ``factdb check``, every report and ``claim list``
count with it.

Stories. A source belongs to the independent *story* at the root of its ``republishes``
chain (the original it ultimately copies, or itself; a source in a cycle stands alone), and
for counting its outlet is the root's outlet: a site republishing an AFP story adds no
outlet, it only *carries* AFP's story. A story whose original has no outlet (an original
nobody has seen) counts as an outlet of its own, unknown: two such stories are two outlets,
never merged; tables say ``(no outlet)``, JSON ``null``.

Statements. The same statement (same claim, same speaker, named or anonymous with the same
description and affiliation, same stance, same quote once normalized) appearing in several
sources of one story is one statement: it is listed once, with the outlets of the copies
that carry it, and every count (statements, sides, speakers, outlets, contested ranking,
timeline) counts it once. :func:`collapse_copies` does that to rows of
:func:`factdb.reports.common.load_statements`.

Versions. A source that ``updates`` another is a later version of the same document, not a
republication and not an independent story: the versions of an original, and the copies of
any of them, are one story, read at its newest version (a copy of version 1 carries the
story of version 2). A statement the newest version repeats is counted once (the newest
version's row is kept; ``earlier_versions`` lists the others); a statement only an earlier
version made is ``in_earlier_version``: shown, never counted, and paired with what the
newest version has instead (same claim and speaker), when it has something. Why never
counted: the newest version is what the publisher now stands by; counting what it dropped
or changed would count a correction as support. The stored counts follow the same rule
(:mod:`factdb.copies` marks such a statement as a copy of itself, and the count triggers
skip it), so ``claim list`` and ``report contested`` agree with the dossier.

Quotes. Only a direct quote is a quote (a paraphrase is reported speech); a quote is
*verified* when it was found word for word in its source's stored text
(:mod:`factdb.quotes`).

Flags. :func:`sourcing_flags` is the list of sourcing weaknesses of one claim, in the order
of :data:`FLAGS`; ``report sourcing`` shows them all and ``factdb check`` reports
``one-outlet`` (as ``single-outlet``) and ``anonymous-only`` from the very same function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from factdb.counts import speaker_ref
from factdb.quotes import quote_identity
from factdb.records import NO_OUTLET, outlet_text, unattributed

__all__ = [
    "FLAGS",
    "FLAG_BITS",
    "QUOTE_STATUSES",
    "FALSE_RATINGS",
    "collapse_copies",
    "fold_statements",
    "mark_version",
    "statement_identity",
    "quote_status",
    "sourcing_flags",
    "outlets_of",
    "stories_of",
    "is_false_rating",
]

FLAGS = (
    "one-outlet",
    "one-wire-story",
    "anonymous-only",
    "one-party",
    "no-quote",
    "unverified-quotes",
    "rated-false",
    "dates-unknown",
)
# How a claim's flags are stored (claims.sourcing_flags, factdb.claim_flags): bit i for FLAGS[i].
FLAG_BITS = {flag: 1 << index for index, flag in enumerate(FLAGS)}
# What a report says about a statement's quote, from its anchor (factdb.quotes): None when
# the statement has no direct quote.
QUOTE_STATUSES = ("verified", "changed", "ambiguous", "not found", "no stored text", "not checked")
_ANCHOR_STATUS = {"found": "verified", "changed": "changed", "ambiguous": "ambiguous", "missing": "not found"}
# Ratings that say a claim is false, on the scales factdb imports (ClaimReview's own words,
# LIAR's six labels, ClaimsKG's normalized FALSE), compared case-folded with - and _ as spaces.
FALSE_RATINGS = frozenset(
    {"false", "pants on fire", "pants fire", "mostly false", "barely true", "fake", "incorrect", "wrong",
     "untrue", "fabricated", "misleading", "not true"}
)  # fmt: skip


def is_false_rating(rating: str | None, normalized: str | None = None) -> bool:
    """True for a rating that says the claim is false (or mostly): "False", "Pants on Fire",
    "pants-fire", "Mostly False", LIAR's "barely-true", ClaimsKG's ``FALSE``."""
    if normalized is not None and normalized.strip().upper() == "FALSE":
        return True
    if rating is None:
        return False
    return " ".join(rating.replace("-", " ").replace("_", " ").casefold().split()) in FALSE_RATINGS


def quote_status(quote: str | None, quote_kind: str | None, anchor_status: str | None, has_text: bool) -> str | None:
    """A statement's quote status (one of :data:`QUOTE_STATUSES`), None when it has no direct
    quote: ``verified`` (found word for word in the stored text), ``changed`` (the text has
    it with other words), ``ambiguous`` (found more than once, none fitting its recorded
    context), ``not found``, ``no stored text`` (the source's text is not attached)."""
    if not quote or not quote.strip() or quote_kind == "paraphrase":
        return None
    if not has_text:
        return "no stored text"
    if anchor_status is None:
        return "not checked"
    return _ANCHOR_STATUS.get(anchor_status, "not checked")


def statement_identity(row: dict[str, Any]) -> tuple:
    """What makes two statement rows one statement: claim, speaker, stance, normalized quote
    and story (copies of one story only; two stories saying the same are two statements)."""
    return (
        row["claim_id"],
        speaker_ref(row["speaker_id"], row["speaker_description"], row["speaker_affiliation_id"]),
        row["stance"],
        quote_identity(row["quote"]),
        row["group_key"],
        row["retracted_at"] is not None,
    )


_STATUS_RANK = {status: rank for rank, status in enumerate(QUOTE_STATUSES)}


def mark_version(row: dict[str, Any], root: str, newest: str | None) -> None:
    """Put a statement row in its story and mark its version. ``root`` is the key of the
    root of its source's ``republishes`` chain, ``newest`` that root's newest version (None
    when unknown). The story (``group_key``) is the root's newest version: an original's
    versions and the copies of any of them are one story, keyed by the newest version.
    ``newest_version`` is that key for a statement of a version (None for a source with no
    other version, and for a copy), ``superseded`` whether a later version exists."""
    story = newest or root
    row["group_key"] = story
    is_version = row["source_key"] == root and (story != root or row.get("source_updates_id") is not None)
    row["newest_version"] = story if is_version else None
    row["superseded"] = is_version and story != row["source_key"]


def fold_statements(rows: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]], bool]]:
    """The one rule that folds statement rows into statements, for the reports
    (:func:`collapse_copies`) and the stored counts (:mod:`factdb.copies`) alike: a list of
    ``(head, members, earlier_only)``, one per statement, ``members`` (the head among them)
    in id order.

    Rows need ``id``, ``claim_id``, the speaker columns, ``stance``, ``quote``,
    ``retracted_at``, ``source_id``, ``source_key`` and ``group_key`` (the story's key, which
    is its newest version's or original's ``source_key``) and ``superseded`` (the row's source
    has a later version: :func:`mark_version`). Among the rows of one story with one
    :func:`statement_identity`, the rows of each source are ranked by id, and the k-th rows of
    the story's sources are one statement (the same words twice in one article were said
    twice). Its head is the row in the story's newest version (or original), else a row of an
    earlier version, else the lowest id. ``earlier_only``: an earlier version made it and the
    newest version does not (a copy of the earlier version carrying it included): shown,
    never counted. A retracted row is never folded with an unretracted one."""
    stories: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        stories.setdefault((row["claim_id"], row["group_key"]), []).append(row)
    folded: list[tuple[dict[str, Any], list[dict[str, Any]], bool]] = []
    for members in stories.values():
        if len({r["source_id"] for r in members}) < 2 and not any(r.get("superseded") for r in members):
            folded.extend((r, [r], False) for r in members)  # one source: no copies (most statements)
            continue
        identities: dict[tuple, dict[Any, list[dict[str, Any]]]] = {}
        for row in sorted(members, key=lambda r: r["id"]):
            identities.setdefault(statement_identity(row), {}).setdefault(row["source_id"], []).append(row)
        for per_source in identities.values():
            for rank in range(max(len(listed) for listed in per_source.values())):
                cluster = sorted((listed[rank] for listed in per_source.values() if len(listed) > rank),
                                 key=lambda r: r["id"])  # fmt: skip
                head = min(cluster, key=lambda r: (r["source_key"] != r["group_key"], not r.get("superseded"), r["id"]))
                earlier_only = any(r.get("superseded") for r in cluster) and head["source_key"] != head["group_key"]
                folded.append((head, cluster, earlier_only))
    return folded


def collapse_copies(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with every copy of a statement folded into one row (:func:`fold_statements`),
    in the given order.

    The row kept is the head; it gains ``copies`` (``[{"source", "outlet", "title", "url",
    "published_on", "published_on_precision", "statement"}]``, the other rows' sources that
    are not earlier versions, in order), ``carried_by`` (their outlets, sorted, once each),
    ``earlier_versions`` (the keys of the earlier versions saying it too),
    ``in_earlier_version`` (only an earlier version said it), ``sources`` (ids of every
    source carrying it, earlier versions aside), its missing date from a copy, and the best
    quote status of the copies.
    """
    rows = list(rows)
    kept: dict[int, dict[str, Any]] = {}
    for original, members, earlier_only in fold_statements(rows):
        if len(members) == 1:  # no copy (most statements): what the general case gives it, directly
            original["earlier_versions"], original["in_earlier_version"] = [], earlier_only
            original["copies"], original["carried_by"], original["sources"] = [], [], [original["source_id"]]
            kept[id(original)] = original
            continue
        others = [r for r in members if r is not original]
        earlier = [r for r in others if r.get("superseded")]
        copies = [r for r in others if not r.get("superseded")]
        original["earlier_versions"] = [r["source_key"] for r in earlier]
        original["in_earlier_version"] = earlier_only
        original["copies"] = [
            {
                "statement": r["key"],
                "source": r["source_key"],
                "outlet": r["outlet"],
                "title": r["source_title"],
                "url": r["source_url"],
                "published_on": r["published_on"],
                "published_on_precision": r["published_on_precision"],
            }
            for r in copies
        ]
        original["carried_by"] = sorted({r["outlet"] for r in copies if r["outlet"] is not None})
        original["sources"] = sorted({r["source_id"] for r in [original, *copies]})
        if original["said_on"] is None:
            dated = next((r for r in copies if r["said_on"] is not None), None)
            if dated is not None:
                original["said_on"], original["said_on_precision"] = dated["said_on"], dated["said_on_precision"]
        statuses = [r["quote_status"] for r in members if r.get("quote_status") is not None]
        if statuses:
            original["quote_status"] = min(statuses, key=lambda s: _STATUS_RANK.get(s, len(_STATUS_RANK)))
        kept[id(original)] = original
    result = [row for row in rows if id(row) in kept]
    _pair_changes(result)
    return result


def _pair_changes(rows: list[dict[str, Any]]) -> None:
    """Give each statement only an earlier version made (``in_earlier_version``) what the
    newest version says instead (``changed_to``: the newest version's statement of the same
    claim and speaker, ``{"statement", "stance", "quote"}``), or None when it says nothing."""
    newest: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        if row.get("newest_version") is not None and not row.get("in_earlier_version"):
            speaker = speaker_ref(row["speaker_id"], row["speaker_description"], row["speaker_affiliation_id"])
            newest.setdefault((row["claim_id"], speaker, row["source_key"]), row)
    for row in rows:
        if row.get("in_earlier_version"):
            speaker = speaker_ref(row["speaker_id"], row["speaker_description"], row["speaker_affiliation_id"])
            now = newest.get((row["claim_id"], speaker, row["newest_version"]))
            row["changed_to"] = (
                {"statement": now["key"], "stance": now["stance"], "quote": now["quote"]} if now is not None else None
            )


def outlets_of(rows: Iterable[dict[str, Any]]) -> set[str]:
    """The outlets, for counting (each story's original outlet), of collapsed rows; a story
    without an outlet is an unknown outlet of its own, ``(no outlet) KEY``."""
    return {_outlet_of_story(row) for row in rows}


def _outlet_of_story(row: dict[str, Any]) -> str:
    outlet = row["group_outlet"]
    return f"{NO_OUTLET} {row['group_key']}" if outlet is None else outlet


def stories_of(rows: Iterable[dict[str, Any]]) -> set[str]:
    """The independent stories (their originals' keys) of rows."""
    return {row["group_key"] for row in rows}


def _sources_of(rows: Iterable[dict[str, Any]]) -> set[int]:
    return {source for row in rows for source in row.get("sources", [row["source_id"]])}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def sourcing_flags(
    rows: list[dict[str, Any]], verdicts: Iterable[dict[str, Any]] = ()
) -> list[dict[str, str]]:
    """The weaknesses of one claim, in the order of :data:`FLAGS`, from its counted
    (unretracted) statements already folded by :func:`collapse_copies`:

    - ``one-outlet``: two or more supporting statements, all from one outlet (a copy counts
      as its original's outlet): what looks like corroboration is not;
    - ``one-wire-story``: the support comes from two or more sources that are all one story;
    - ``anonymous-only``: every supporting speaker is anonymous;
    - ``one-party``: all support comes from one party (a government and its officials);
    - ``no-quote``: no supporting statement is a direct quote (paraphrases are not quotes);
    - ``unverified-quotes``: the support has direct quotes and none was found word for word in
      a stored text;
    - ``rated-false``: a reviewer rated the claim false and support for it was published on or
      after the review (any support, when the review is undated);
    - ``dates-unknown``: at least one statement has no date.

    ``verdicts`` are the claim's verdict records (:func:`factdb.verdicts.verdict_records`
    shape: ``rating``, ``normalized_rating``, ``reviewer``, ``reviewed_on``).
    """
    flags = []
    support = [r for r in rows if r["side"] == "support"]
    if support:
        outlets = sorted(outlets_of(support))
        if len(outlets) == 1 and len(support) >= 2:
            unknown = support[0]["group_outlet"] is None
            shown = f"{NO_OUTLET}: {support[0]['group_key']}" if unknown else outlets[0]
            flags.append(_flag(
                "one-outlet", f"all {len(support)} supporting statements come from one outlet ({shown}; "
                "republications count as their original's outlet)"))  # fmt: skip
        sources = _sources_of(support)
        stories = sorted({(r["group_key"], r["group_outlet"] or "") for r in support})
        if len(sources) > 1 and len(stories) == 1:
            key, outlet = stories[0]
            flags.append(_flag(
                "one-wire-story",
                f"{len(sources)} supporting sources are copies of {key} ({outlet_text(outlet or None)})",
            ))  # fmt: skip
        if all(s["anonymous"] for r in support for s in r.get("speakers") or [r]):  # joint speakers too
            speakers = ", ".join(sorted({name for r in support for name in _speaker_names(r)}))
            count = _plural(len(support), "statement")
            flags.append(_flag("anonymous-only", f"supported only by anonymous speakers ({count}: {speakers})"))
        parties = {s["party"] for r in support for s in r.get("speakers") or [r]}
        if len(parties) == 1 and None not in parties:
            flags.append(_flag("one-party", f"all support comes from one party: {parties.pop()}"))
        quoted = [r for r in support if r.get("quote_status") is not None]
        if not quoted:
            paraphrased = sum(1 for r in support if r["quote"] and r["quote_kind"] == "paraphrase")
            detail = f"none of {_plural(len(support), 'supporting statement')} is a direct quote"
            flags.append(_flag("no-quote", detail + (f" ({paraphrased} paraphrased)" if paraphrased else "")))
        elif not any(r["quote_status"] == "verified" for r in quoted):
            counts: dict[str, int] = {}
            for r in quoted:
                counts[r["quote_status"]] = counts.get(r["quote_status"], 0) + 1
            shown = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            flags.append(_flag(
                "unverified-quotes",
                f"none of {_plural(len(quoted), 'quoted supporting statement')} is verified "
                f"against a stored text ({shown})"))  # fmt: skip
        false = _rated_false(support, verdicts)
        if false:
            flags.append(false)
    undated = sum(1 for r in rows if r["said_on"] is None)
    if undated:
        flags.append(_flag("dates-unknown", f"{undated} of {_plural(len(rows), 'statement')} have no date"))
    return flags


def _rated_false(support: list[dict[str, Any]], verdicts: Iterable[dict[str, Any]]) -> dict[str, str] | None:
    for verdict in verdicts:
        if not is_false_rating(verdict.get("rating"), verdict.get("normalized_rating")):
            continue
        reviewed = verdict.get("reviewed_on")
        if reviewed is None:
            later = support
        else:
            later = [r for r in support if _published(r) is not None and _published(r) >= reviewed]
        if not later:
            continue
        when = f" on {reviewed}" if reviewed else ""
        outlets = ", ".join(sorted({outlet_text(o) for r in later for o in [r["outlet"], *r.get("carried_by", [])]}))
        return _flag(
            "rated-false",
            f'rated "{verdict["rating"]}" by {verdict["reviewer"]["name"]}{when}; still carried by '
            f"{_plural(len(_sources_of(later)), 'source')} ({outlets})",
        )
    return None


def _published(row: dict[str, Any]) -> str | None:
    """The ISO date a statement was published or said (for comparing with a review date)."""
    value: dt.date | None = row["published_on"] or row["said_on"]
    return value.isoformat() if value is not None else None


def _speaker(row: dict[str, Any]) -> str:
    return row["speaker"] if row["speaker_id"] is not None else row["speaker_description"]


def _speaker_names(row: dict[str, Any]) -> list[str]:
    """Every speaker of a statement row as a flag names it, joint speakers too; unspecified
    reports as nobody's words (``(unattributed reports: media reports)``), not as a speaker."""
    def named(name: str, anonymous: bool, kind: str | None) -> str:
        return unattributed(name) if anonymous and kind == "reports" else name

    first = named(_speaker(row), row["speaker_id"] is None, row.get("anonymous_kind"))
    return [first] + [named(s["name"], s["anonymous"], s["kind"]) for s in (row.get("speakers") or [])[1:]]


def _flag(name: str, detail: str) -> dict[str, str]:
    return {"flag": name, "detail": detail}
