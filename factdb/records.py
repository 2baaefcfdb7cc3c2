"""The shapes every command shows: one timestamp format, one speaker, one statement record.

Every listing, record, report, export and history entry that shows a moment uses
:func:`utc_timestamp`; every place that shows a statement (``claim show``, ``statement
show``/``list``, reports, search) builds it with :func:`statement_record` from the same flat
row (see :data:`STATEMENT_ROW_FIELDS`). The shapes are documented once in the README
("Output shapes").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, overload

from factdb.dates import format_partial_date

__all__ = [
    "NO_OUTLET",
    "STATEMENT_ROW_FIELDS",
    "outlet_text",
    "utc_timestamp",
    "speaker_record",
    "speaker_text",
    "speakers_text",
    "joined_names",
    "statement_record",
]

# What a table, a message or a page shows for a source without an outlet (JSON says null).
NO_OUTLET = "(no outlet)"


def outlet_text(outlet: str | None) -> str:
    """An outlet as text: its name, or :data:`NO_OUTLET` for a source without one."""
    return NO_OUTLET if outlet is None else outlet


@overload
def utc_timestamp(value: dt.datetime) -> str: ...
@overload
def utc_timestamp(value: None) -> None: ...
def utc_timestamp(value: dt.datetime | None) -> str | None:
    """A moment as UTC to the second with a ``Z``: ``2026-12-02T03:04:05Z``.

    A naive datetime is taken as UTC (SQLite hands back naive values that were written in
    UTC; PostgreSQL aware ones).

    >>> utc_timestamp(dt.datetime(2026, 12, 2, 4, 4, 5, 999, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    '2026-12-02T03:04:05Z'
    >>> utc_timestamp(dt.datetime(2026, 12, 2, 3, 4, 5))
    '2026-12-02T03:04:05Z'
    """
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def speaker_record(
    name: str | None, kind: str | None, description: str | None, anonymous_kind: str | None = None
) -> dict[str, Any]:
    """Who speaks, the same shape for a named and an anonymous speaker.

    ``{"name": "Leon Panetta", "kind": "person", "anonymous": false}``, or for an anonymous
    speaker ``{"name": "a senior US official", "kind": null, "anonymous": true}`` (the name
    is then the description; ``kind`` is ``"group"`` for a plural group, ``"reports"`` for
    unspecified reports: revision 0027)."""
    if name is not None:
        return {"name": name, "kind": kind, "anonymous": False}
    return {"name": description, "kind": anonymous_kind, "anonymous": True}


def joined_names(names: list[str]) -> str:
    """Names as a sentence says them: ``A``, ``A and B``, ``A, B and C``.

    >>> joined_names(["CNN", "Clemson Media Forensics Hub"])
    'CNN and Clemson Media Forensics Hub'
    >>> joined_names(["A", "B", "C"])
    'A, B and C'
    """
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def speakers_text(speakers: list[dict[str, Any]]) -> str:
    """Every speaker of a statement (its ``speakers`` records) as one table cell."""
    return joined_names([speaker_text(speaker) for speaker in speakers])


def unattributed(description: str) -> str:
    """Unspecified reports as every output writes them: nobody's words, not a speaker."""
    return f"(unattributed reports: {description})"


def speaker_text(speaker: dict[str, Any]) -> str:
    """A speaker record as one table cell: the name, or ``[the description]`` when anonymous
    (``[officials] (group)``; unspecified reports ``(unattributed reports: media reports)``)."""
    if not speaker["anonymous"]:
        return str(speaker["name"])
    if speaker.get("kind") == "reports":
        return unattributed(speaker["name"])
    return f"[{speaker['name']}]" + (" (group)" if speaker.get("kind") == "group" else "")


# The flat row :func:`statement_record` reads (the columns of the reports' statement query;
# ``factdb.statements`` builds the same row from a model object).
STATEMENT_ROW_FIELDS = (  # fmt: skip
    "id", "key", "claim_key", "speaker", "speaker_kind", "speaker_description", "affiliation",
    "speaker_title", "party", "stance", "side", "certainty", "hedge", "verb", "quote", "quote_kind", "via",
    "said_on", "said_on_precision", "position", "source_key", "source_kind", "outlet", "source_title", "source_url",
    "published_on", "published_on_precision", "published_time", "modified_time", "text_state", "group_key",
    "responds_to", "note", "retracted_at", "retraction_reason", "retracted_on", "retracted_on_precision",
)


def _version(row: Mapping[str, Any]) -> dict[str, Any]:
    """``{"version": {...}}`` for a statement of a source with other versions, else ``{}``:
    ``newest`` (the newest version's key), ``in_earlier_version`` (only an earlier version
    says it: not counted), ``earlier_versions`` (earlier versions that say it too) and
    ``changed_to`` (for a statement only an earlier version made: the newest version's
    statement of the same claim and speaker, ``{statement, stance, quote}``, or null)."""
    if row.get("newest_version") is None:
        return {}
    return {
        "version": {
            "newest": row["newest_version"],
            "in_earlier_version": bool(row.get("in_earlier_version")),
            "earlier_versions": list(row.get("earlier_versions") or []),
            "changed_to": row.get("changed_to"),
        }
    }


def statement_record(row: Mapping[str, Any], *, with_claim: bool = False) -> dict[str, Any]:
    """The one JSON shape of a statement (documented in the README), from a flat row with
    the :data:`STATEMENT_ROW_FIELDS`. ``party`` and ``group_key`` (the independent-source
    group) may be missing from the row: they are then null."""
    record: dict[str, Any] = {"id": row["id"], "key": row["key"]}
    first = speaker_record(row["speaker"], row["speaker_kind"], row["speaker_description"], row.get("anonymous_kind"))
    if with_claim:
        record["claim"] = row["claim_key"]
    record.update(
        {
            "speaker": first,
            # each speaker, the first too, with its affiliation and anonymous id (revision 0063)
            "speakers": [{**first, "affiliation": row["affiliation"], "anonymous_id": row.get("anonymous_id")}] + [
                {**(speaker_record(None, None, joint["name"], joint["kind"]) if joint["anonymous"]
                    else speaker_record(joint["name"], joint["kind"], None)),
                 "affiliation": joint.get("affiliation"), "anonymous_id": joint.get("anonymous_id")}
                for joint in (row.get("speakers") or [])[1:]
            ],
            "speaker_description": row["speaker_description"],
            "speaker_affiliation": row["affiliation"],
            "speaker_title": row["speaker_title"],
            "anonymous_id": row.get("anonymous_id"),
            "party": row.get("party"),
            "stance": row["stance"],
            "side": row["side"],
            "certainty": row["certainty"],
            "hedge": row["hedge"],
            "verb": row["verb"],
            "quote": row["quote"],
            "quote_kind": row["quote_kind"],
            "quote_status": row.get("quote_status"),
            "via": list(row["via"]),
            "said_on": format_partial_date(row["said_on"], row["said_on_precision"]),
            "said_on_precision": row["said_on_precision"],
            "position": row["position"],
            "utterance": row.get("utterance"),
            "also_answers": list(row.get("also_answers") or []),
            "source": {
                "key": row["source_key"],
                "kind": row["source_kind"],
                "outlet": row["outlet"],
                "title": row["source_title"],
                "url": row["source_url"],
                "published_on": format_partial_date(row["published_on"], row["published_on_precision"]),
                "published_on_precision": row["published_on_precision"],
                "published_time": row["published_time"],
                "modified_time": row.get("modified_time"),
                "text_state": row["text_state"],
                "independent_group": row.get("group_key"),
                "independent_outlet": row.get("group_outlet"),
            },
            "carried_by": list(row.get("carried_by") or []),
            "copies": [
                {
                    "statement": copy["statement"],
                    "source": copy["source"],
                    "outlet": copy["outlet"],
                    "title": copy["title"],
                    "url": copy["url"],
                    "published_on": format_partial_date(copy["published_on"], copy["published_on_precision"]),
                }
                for copy in row.get("copies") or []
            ],
            **_version(row),
            "responds_to": row["responds_to"],
            "responds_to_speaker": row.get("responds_to_speaker"),
            "responds_to_said_on": format_partial_date(
                row.get("responds_to_said_on"), row.get("responds_to_said_on_precision")
            ),
            "note": row["note"],
            "retracted": (
                None
                if row["retracted_at"] is None
                else {
                    "at": utc_timestamp(row["retracted_at"]),
                    "reason": row["retraction_reason"],
                    "published_on": format_partial_date(row["retracted_on"], row["retracted_on_precision"]),
                }
            ),
        }
    )
    return record
