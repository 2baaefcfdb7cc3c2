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
STANCES = ("asserts", "acknowledges", "denies", "disputes", "retracts", "no-comment")
SUPPORTING_STANCES = ("asserts", "acknowledges")
OPPOSING_STANCES = ("denies", "disputes", "retracts")
# "declined to comment", "did not respond to a request for comment": the speaker was asked and
# took no side. Recorded (was the accused asked?), shown as "asked, no comment", never counted
# on a side (revision 0020 keeps it out of the claims' counts).
NO_COMMENT = "no-comment"
SIDELESS_STANCES = (NO_COMMENT,)
# What a source is (revision 0022): its publisher may be any entity (an FBI statement, a U.S.
# intelligence assessment), not only a media outlet.
SOURCE_KINDS = (
    "article", "statement", "press-release", "transcript", "interview", "social-post", "broadcast",
    "assessment", "document", "other",
)  # fmt: skip
# Where in the article a statement is printed (revision 0023)
POSITIONS = ("headline", "standfirst", "body")
# What an anonymous speaker is (revision 0027); none given: one unnamed person. "group": a
# plural group ("officials", "U.S. authorities"); "reports": unspecified reports ("media
# reports said"), no speaker at all (reports never present them as one, nor count them)
ANONYMOUS_KINDS = ("group", "reports")
# A source text in hand that is not the whole clean text (revision 0023)
TEXT_STATES = ("truncated", "garbled")
CERTAINTIES = ("certain", "probable", "possible", "unspecified")
QUOTE_KINDS = ("direct", "paraphrase")
DATE_PRECISIONS = ("day", "month", "year")
# supports: this claim is evidence for the other; counters: a counter-accusation (revision 0021)
CLAIM_LINK_KINDS = ("same-as", "part-of", "narrower-than", "contradicts", "supports", "counters")
HISTORY_ACTIONS = ("insert", "update", "delete", "merge", "retract", "import", "undo")


def side_of(stance: str) -> str | None:
    """``"support"`` for asserts/acknowledges, ``"oppose"`` for denies/disputes/retracts,
    ``None`` for no-comment (on no side)."""
    if stance in SUPPORTING_STANCES:
        return "support"
    return "oppose" if stance in OPPOSING_STANCES else None
