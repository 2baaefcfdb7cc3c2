"""The controlled vocabulary of DESIGN.md, as plain tuples.

Shared by the models (CHECK constraints), the CLI (choices) and the importer (validation),
without importing SQLAlchemy.
"""

from __future__ import annotations

ENTITY_KINDS = (
    "person",
    "organization",
    "government",
    "military-unit",
    "armed-group",
    "media",
    "other",
)
STANCES = ("asserts", "acknowledges", "denies", "disputes", "retracts")
SUPPORTING_STANCES = ("asserts", "acknowledges")
OPPOSING_STANCES = ("denies", "disputes", "retracts")
CERTAINTIES = ("certain", "probable", "possible", "unspecified")
QUOTE_KINDS = ("direct", "paraphrase")
DATE_PRECISIONS = ("day", "month", "year")
CLAIM_LINK_KINDS = ("same-as", "part-of", "narrower-than", "contradicts")
HISTORY_ACTIONS = ("insert", "update", "delete", "merge", "retract", "import", "undo")


def side_of(stance: str) -> str:
    """``"support"`` for asserts/acknowledges, ``"oppose"`` for denies/disputes/retracts."""
    return "support" if stance in SUPPORTING_STANCES else "oppose"
