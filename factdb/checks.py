"""``factdb check``: data-quality findings over the whole database.

Each finding is a dict ``{severity, code, subject, message, ...ids}``. Severities:

- error: the data is wrong (a direct quote absent from its source's stored text, a source
  that republishes itself in a cycle);
- warning: probably wrong, a person should look (a statement dated after its source was
  published, a claim supported only by anonymous speakers, a claim nobody made, likely
  duplicate entities or claims);
- info: worth knowing when weighing a claim (all statements from one outlet, a direct quote
  not yet anchored).

Retracted statements are left out of the sourcing findings (one outlet, anonymous only).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.dates import format_partial_date, period_end
from factdb.errors import InvalidInput
from factdb.models import (
    Claim,
    ClaimLink,
    Entity,
    EntityName,
    QuoteAnchor,
    Source,
    SourceText,
    Statement,
)
from factdb.normalize import lookalike_key, normalize_name
from factdb.quotes import find_anchor, is_direct, locate_all
from factdb.reports.sourcing import claim_sourcing

__all__ = ["SEVERITIES", "CODES", "run_checks", "summary", "at_least", "fails", "close_name_pairs", "close_claim_pairs"]

SEVERITIES = ("error", "warning", "info")
CODES = {
    "quote-not-found": "error",
    "republish-cycle": "error",
    "statement-after-publication": "warning",
    "anonymous-only": "warning",
    "claim-without-statements": "warning",
    "duplicate-entity": "warning",
    "duplicate-claim": "warning",
    "single-outlet": "info",
    "quote-unanchored": "info",
    "quote-ambiguous": "info",
}
# rapidfuzz ratio of normalized names ("ketaebhezbollah" ~ "kataibhezbollah": 87). Short names
# are too close by chance ("iran"/"iraq": 75), so names under MIN_NAME_LENGTH are not compared.
ENTITY_SIMILARITY = 85
MIN_NAME_LENGTH = 6
# ... and names that differ only in short words (Iran/Iraq, US/UK inside a longer name) are
# distinct, however close the whole names are.
MIN_WORD_LENGTH = 5
# Claims differ by one word often enough ("Iran arms ..." / "Iran trains ..."): only nearly
# identical wordings are flagged.
CLAIM_SIMILARITY = 96
# Near-duplicates are looked for among each text's NEIGHBOURS nearest texts in a few sort
# orders (sorted neighbourhood, several passes), not among all pairs: comparing every pair is
# quadratic (10 s for 10,000 claims, hours for 100,000). A near-duplicate pair nearly always
# shares a long beginning (neighbours in the plain order), a long end (in the order of the
# reversed texts) or, when it differs at both ends, its rarest words or the consonants of its
# words (the third order).
NEIGHBOURS = 32


def at_least(findings: list[dict[str, Any]], severity: str) -> list[dict[str, Any]]:
    """The findings at least as severe as ``severity`` (error|warning|info)."""
    limit = SEVERITIES.index(severity)
    return [f for f in findings if SEVERITIES.index(f["severity"]) <= limit]


def fails(findings: list[dict[str, Any]], fail_on: str) -> bool:
    """True when a finding is at least as severe as ``fail_on`` (error|warning|info)."""
    return bool(at_least(findings, fail_on))


def _finding(code: str, subject: str, message: str, **ids: Any) -> dict[str, Any]:
    return {"severity": CODES[code], "code": code, "subject": subject, "message": message, **ids}


def run_checks(session: Session, codes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every finding (of ``codes`` only, when given: the other checks do not run), most
    severe first, then by code and subject."""
    wanted = set(CODES) if codes is None else set(codes)
    unknown = wanted - set(CODES)
    if unknown:
        raise InvalidInput(f'check: "{sorted(unknown)[0]}" is not a finding code; one of {", ".join(CODES)}')
    findings: list[dict[str, Any]] = []
    for check, gives in _CHECKS:
        if wanted & gives:
            findings.extend(f for f in check(session) if f["code"] in wanted)
    findings.sort(key=lambda f: (SEVERITIES.index(f["severity"]), f["code"], f["subject"]))
    return findings


def summary(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``{severity, code, findings}`` per code that has findings, most severe first."""
    counts = Counter(finding["code"] for finding in findings)
    return [{"severity": CODES[code], "code": code, "findings": counts[code]}
            for code in sorted(counts, key=lambda c: (SEVERITIES.index(CODES[c]), c))]


def _quotes(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Statement.id, Statement.key, Statement.claim_id, Statement.source_id, Statement.quote,
               Statement.quote_kind, Source.key.label("source_key"), SourceText.text,
               QuoteAnchor.status, QuoteAnchor.start_offset, QuoteAnchor.exact, QuoteAnchor.prefix,
               QuoteAnchor.suffix)
        .join(SourceText, SourceText.source_id == Statement.source_id)
        .join(Source, Source.id == Statement.source_id)
        .outerjoin(QuoteAnchor, QuoteAnchor.statement_id == Statement.id)
        .where(Statement.quote.is_not(None))
        .order_by(Statement.id)
    ).all()
    findings = []
    for row in rows:
        if not is_direct(row):
            continue
        ids = {"statement_id": row.id, "claim_id": row.claim_id, "source_id": row.source_id}
        status, location = find_anchor(row.quote, row.text, (row.prefix, row.suffix) if row.status == "found" else None)
        if location is None or status == "changed":
            instead = f' (it has "{_clip(location.exact)}")' if location is not None else ""
            findings.append(_finding(
                "quote-not-found", row.key,
                f'direct quote "{_clip(row.quote)}" is not in the stored text of {row.source_key}{instead}', **ids))
        elif status == "ambiguous":
            findings.append(_finding(
                "quote-ambiguous", row.key,
                f"quote occurs {_occurrences(row.quote, row.text)} times in {row.source_key} and no occurrence fits "
                "its recorded context; it is anchored at the first", **ids))
        elif row.status != "found" or (row.start_offset, row.exact) != (location.start, location.exact):
            findings.append(_finding(
                "quote-unanchored", row.key,
                f"quote found at character {location.start} of {row.source_key} but not anchored there; "
                f"run `factdb source attach-text {row.source_key} FILE` again", **ids))
    return findings


def _occurrences(quote: str, text: str) -> int:
    return len(locate_all(quote, text))


def _dates(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            Statement.id,
            Statement.key,
            Statement.claim_id,
            Statement.source_id,
            Statement.said_on,
            Statement.said_on_precision,
            Source.key.label("source_key"),
            Source.published_on,
            Source.published_on_precision,
        )
        .join(Source, Source.id == Statement.source_id)
        .where(
            Statement.said_on.is_not(None), Source.published_on.is_not(None), Statement.said_on > Source.published_on
        )
        .order_by(Statement.id)
    ).all()
    findings = []
    for row in rows:
        # "after" only when the earliest day the statement may stand for is later than the
        # last day the publication date may stand for (2011-07 said, 2011-07-10 published: fine)
        if row.said_on <= period_end(row.published_on, row.published_on_precision):
            continue
        said = format_partial_date(row.said_on, row.said_on_precision)
        published = format_partial_date(row.published_on, row.published_on_precision)
        findings.append(_finding(
            "statement-after-publication", row.key,
            f"said on {said}, after its source {row.source_key} was published ({published})",
            statement_id=row.id, claim_id=row.claim_id, source_id=row.source_id))
    return findings


# The sourcing findings are flags of factdb.sourcing (the one definition of independent
# sourcing, which report sourcing shows in full), under check's codes.
_SOURCING_CODES = {"one-outlet": "single-outlet", "anonymous-only": "anonymous-only"}


def _sourcing(session: Session) -> list[dict[str, Any]]:
    findings = []
    for claim_id, entry in claim_sourcing(session).items():
        for flag in entry["flags"]:
            code = _SOURCING_CODES.get(flag["flag"])
            if code is not None:
                findings.append(_finding(code, entry["claim"], flag["detail"], claim_id=claim_id))
    return findings


def _claims_without_statements(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Claim.id, Claim.key).where(~select(Statement.id).where(Statement.claim_id == Claim.id).exists())
    )
    return [_finding("claim-without-statements", key, "no statement makes, disputes or reports this claim",
                     claim_id=claim_id) for claim_id, key in rows]


def _duplicate_entities(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(EntityName.entity_id, EntityName.name, EntityName.normalized, Entity.name.label("primary"))
        .join(Entity, Entity.id == EntityName.entity_id)
    ).all()
    names = [r for r in rows if len(r.normalized) >= MIN_NAME_LENGTH]
    best: dict[tuple[int, int], tuple[float, str, str]] = {}
    for i, j, score in close_name_pairs([r.name for r in names]) if len(names) >= 2 else ():
        a, b = names[i], names[j]
        if a.entity_id == b.entity_id or not _differ_in_long_words(a.name, b.name):
            continue
        if a.entity_id > b.entity_id:
            a, b = b, a
        pair = (a.entity_id, b.entity_id)
        if pair not in best or score > best[pair][0]:
            best[pair] = (score, a.name, b.name)
    primary = {r.entity_id: r.primary for r in rows}
    findings = []
    for (first, second), (score, name_a, name_b) in best.items():
        findings.append(_finding(
            "duplicate-entity", f"{primary[first]} | {primary[second]}",
            f'"{name_a}" and "{name_b}" are close ({score:.0f}%) but not aliases of one entity; '
            "merge them or keep them apart knowingly", entity_ids=[first, second]))
    # Names that print alike, short ones too: "Іran" (a Cyrillic І) and "Iran".
    looks: dict[str, tuple[int, str]] = {}
    for r in sorted(rows, key=lambda r: (r.entity_id, r.name)):
        seen = looks.setdefault(lookalike_key(r.name), (r.entity_id, r.name))
        if seen[0] != r.entity_id and (seen[0], r.entity_id) not in best:
            best[seen[0], r.entity_id] = (100.0, seen[1], r.name)
            findings.append(_finding(
                "duplicate-entity", f"{primary[seen[0]]} | {primary[r.entity_id]}",
                f'"{seen[1]}" and "{r.name}" look the same but are different entities (letters of another script); '
                "merge them, or rename the one misspelt", entity_ids=[seen[0], r.entity_id]))
    return findings


_TOKEN = re.compile(r"[^\s\-‐‑–—/,()]+")


def _differ_in_long_words(first: str, second: str) -> bool:
    """True when the words two names do not share are all long enough to be misspellings of
    each other rather than other words: "the government of Iran"/"... of Iraq" differ in a
    short word (distinct), "Ketaeb Hezbollah"/"Kataib Hezbollah" in a long one (a duplicate)."""
    words_a = {normalize_name(w) for w in _TOKEN.findall(first)} - {""}
    words_b = {normalize_name(w) for w in _TOKEN.findall(second)} - {""}
    return all(len(w) >= MIN_WORD_LENGTH for w in words_a ^ words_b)


def _close_pairs(
    texts: Sequence[str], cutoff: float, orders: Sequence[Callable[[int], Any]]
) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) of texts whose rapidfuzz ratio reaches ``cutoff``, in order, among
    the :data:`NEIGHBOURS` texts that follow each one in every sort order of ``orders`` (each
    a sort key of a text's index). O(n log n): a sort per order, then n short comparisons
    each, in rapidfuzz's C loop."""
    found: dict[tuple[int, int], float] = {}
    for order_key in orders:
        order = sorted(range(len(texts)), key=order_key)
        for position, i in enumerate(order[:-1]):
            following = order[position + 1 : position + 1 + NEIGHBOURS]
            window = [texts[k] for k in following]
            for _match, score, offset in process.extract(
                texts[i], window, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                j = following[offset]
                found[(min(i, j), max(i, j))] = float(score)
    return sorted((i, j, score) for (i, j), score in found.items())


def _reversed_order(texts: Sequence[str]) -> Callable[[int], Any]:
    return lambda i: (texts[i][::-1], i)


def _plain_order(texts: Sequence[str]) -> Callable[[int], Any]:
    return lambda i: (texts[i], i)


def close_name_pairs(names: Sequence[str]) -> list[tuple[int, int, float]]:
    """Pairs (i < j, score) of entity names whose normalized forms are at least
    :data:`ENTITY_SIMILARITY` alike, as ``duplicate-entity`` finds them (before its
    long-words rule)."""
    texts = [normalize_name(name) for name in names]
    # the third order: the names' words reduced to their consonants ("Ketaeb Hizballah" and
    # "Kataib Hezbollah" are both "ktb hzblh"), for names misspelled at both ends
    skeletons = [" ".join(_skeleton(normalize_name(w)) for w in _TOKEN.findall(name)) for name in names]
    # and the words rotated by one (the last name first), forwards and backwards: names
    # misspelled in the first and the last word both
    words = [[normalize_name(w) for w in _TOKEN.findall(name)] for name in names]
    rotated = ["".join(ws[1:] + ws[:1]) for ws in words]
    orders = [_plain_order(texts), _reversed_order(texts), lambda i: (skeletons[i], i),
              _plain_order(rotated), _reversed_order(rotated)]
    return _close_pairs(texts, ENTITY_SIMILARITY, orders)


def close_claim_pairs(texts: Sequence[str]) -> list[tuple[int, int, float]]:
    """Pairs (i < j, score) of claim texts whose wordings (case folded, punctuation dropped)
    are at least :data:`CLAIM_SIMILARITY` alike, as ``duplicate-claim`` finds them."""
    wordings = [_claim_wording(text) for text in texts]
    # the third order: each wording's three rarest words (the least frequent across all claims)
    # first, for claims that differ at both ends
    words = [w.split() for w in wordings]
    frequency = Counter(word for text in words for word in set(text))
    rarest = [sorted(set(text), key=lambda word: (frequency[word], word))[:3] for text in words]
    middles = [" ".join(text[1:-1]) for text in words]
    orders = [_plain_order(wordings), _reversed_order(wordings), lambda i: (rarest[i], wordings[i], i),
              lambda i: (middles[i], i)]
    return _close_pairs(wordings, CLAIM_SIMILARITY, orders)


_VOWELS = str.maketrans("", "", "aeiouyw")


def _skeleton(word: str) -> str:
    """A word's consonants, each run once: Hezbollah, Hizballah and Hizbullah are all "hzblh"."""
    consonants = word.translate(_VOWELS) or word
    return "".join(ch for k, ch in enumerate(consonants) if k == 0 or ch != consonants[k - 1])


_WORDS = re.compile(r"\w+")


def _claim_wording(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _duplicate_claims(session: Session) -> list[dict[str, Any]]:
    claims = session.execute(select(Claim.id, Claim.key, Claim.text).order_by(Claim.id)).all()
    if len(claims) < 2:
        return []
    linked = {frozenset(pair) for pair in session.execute(select(ClaimLink.from_claim_id, ClaimLink.to_claim_id))}
    findings = []
    for i, j, score in close_claim_pairs([c.text for c in claims]):
        if frozenset((claims[i].id, claims[j].id)) in linked:
            continue
        findings.append(_finding(
            "duplicate-claim", f"{claims[i].key} | {claims[j].key}",
            f"nearly the same wording ({score:.0f}%) and not linked; link them same-as or merge them",
            claim_ids=[claims[i].id, claims[j].id]))
    return findings


def _republish_cycles(session: Session) -> list[dict[str, Any]]:
    sources = {row.id: row for row in session.execute(select(Source.id, Source.key, Source.republishes_id))}
    findings, reported = [], set()
    for start in sources:
        path, current = [], start
        while current is not None and current not in path:
            path.append(current)
            current = sources[current].republishes_id
        if current is None or current in reported:
            continue
        cycle = path[path.index(current):]
        reported.update(cycle)
        keys = [sources[s].key for s in cycle]
        findings.append(_finding(
            "republish-cycle", min(keys),
            "republishes itself through " + " -> ".join([*keys, keys[0]]), source_ids=sorted(cycle)))
    return findings


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# each check and the codes it finds (``run_checks(codes=...)`` runs only those it needs)
_CHECKS: tuple[tuple[Callable[[Session], list[dict[str, Any]]], frozenset[str]], ...] = (
    (_quotes, frozenset({"quote-not-found", "quote-unanchored", "quote-ambiguous"})),
    (_dates, frozenset({"statement-after-publication"})),
    (_sourcing, frozenset({"single-outlet", "anonymous-only"})),
    (_claims_without_statements, frozenset({"claim-without-statements"})),
    (_duplicate_entities, frozenset({"duplicate-entity"})),
    (_duplicate_claims, frozenset({"duplicate-claim"})),
    (_republish_cycles, frozenset({"republish-cycle"})),
)
