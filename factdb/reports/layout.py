"""What each report shows, as blocks (for table, Markdown, HTML) and as one main table (CSV).

Takes only the plain data a report function returned: rendering never queries.
"""

from __future__ import annotations

from typing import Any

from factdb.reports.render import Entry, Fields, Heading, Note, Table, Title

__all__ = ["blocks", "main_table", "MARKERS"]

MARKERS = {"support": "[+]", "oppose": "[-]", None: "[0]"}
RETRACTED_MARKER = "[x]"


def _date(value: str | None, precision: str | None) -> str:
    return f"{value} ({precision})" if value else "date unknown"


def _speaker(statement: dict[str, Any]) -> str:
    if statement["anonymous"]:
        name = statement["speaker_description"]
        if statement["speaker_affiliation"]:
            name += f" ({statement['speaker_affiliation']}, anonymous)"
        else:
            name += " (anonymous)"
    else:
        name = statement["speaker"]
    return f"{name}, {statement['speaker_title']}" if statement["speaker_title"] else name


def _source(source: dict[str, Any]) -> str:
    parts = [source["outlet"] if source["kind"] == "article" else f"{source['outlet']} ({source['kind']})"]
    if source["title"]:
        parts.append(f'"{source["title"]}"')
    parts.append(
        (source["published_on"] or "undated") + (f" {source['published_time']}" if source["published_time"] else "")
    )
    if source["text_state"]:
        parts.append(f"text {source['text_state']}")
    if source["independent_group"] != source["key"]:
        parts.append(f"copy of {source['independent_group']}")
    return ", ".join(parts)


def _retraction(retracted: dict[str, Any]) -> str:
    published = f"published {retracted['published_on']}, " if retracted["published_on"] else ""
    return f"{published}entered {retracted['at']}: {retracted['reason']}" if published else (
        f"{retracted['at']}: {retracted['reason']}"
    )


def statement_entry(statement: dict[str, Any], *, with_claim: str | None = None) -> Entry:
    """One statement as an entry: marker, date, speaker with title, stance; then details."""
    retracted = statement["retracted"]
    marker = RETRACTED_MARKER if retracted else MARKERS[statement["side"]]
    headline = (
        f"{_date(statement['said_on'], statement['said_on_precision'])}  {_speaker(statement)}  {statement['stance']}"
    )
    certainty = statement["certainty"]
    if statement["hedge"]:
        certainty += f' ("{statement["hedge"]}")'
    details: list[tuple[str, Any]] = []
    if with_claim:
        details.append(("claim", with_claim))
    details += [
        ("certainty", certainty),
        ("verb", statement["verb"]),
        ("position", statement["position"]),
        ("via", " -> ".join(statement["via"]) if statement["via"] else None),
        ("source", _source(statement["source"])),
        ("url", statement["source"]["url"]),
        ("responds to", statement["responds_to"]),
        ("note", statement["note"]),
        ("retracted", _retraction(retracted) if retracted else None),
    ]
    quote = statement["quote"]
    if quote and statement["quote_kind"] == "paraphrase":
        # a paraphrase is never shown in quotation marks
        details.append(("paraphrase", quote))
        quote = None
    side = "retracted" if retracted else statement["side"] or "no-comment"
    return Entry(marker, headline, details, quote, css=f"statement {side}")


def _party_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for group in groups:
        speakers = "; ".join(
            f"{s['speaker']}{' (anonymous)' if s['anonymous'] else ''} ({s['statements']})" for s in group["speakers"]
        )
        rows.append({"party": group["party"] or "(unknown)", "statements": group["statements"], "speakers": speakers})
    return rows


def _claim_blocks(report: dict[str, Any]) -> list:
    claim, summary = report["claim"], report["summary"]
    dates = "no dated statement"
    if summary["first_said_on"]:
        dates = (
            f"{_date(summary['first_said_on'], summary['first_said_on_precision'])} to "
            f"{_date(summary['last_said_on'], summary['last_said_on_precision'])}"
        )
    if summary["undated"]:
        dates += f"; {summary['undated']} undated"
    out: list = [
        Title(f"Claim {claim['key']}: {claim['text']}"),
        Fields(
            [
                ("status", summary["status"]),
                ("tags", ", ".join(claim["tags"])),
                (
                    "statements",
                    f"{summary['statements']} "
                    f"({summary['supporting']} supporting [+], {summary['opposing']} opposing [-])"
                    + (f"; {summary['no_comment']} asked, no comment [0]" if summary["no_comment"] else "")
                    + (f"; {summary['retracted']} retracted, not counted" if summary["retracted"] else ""),
                ),
                (
                    "speakers",
                    f"{summary['speakers']} "
                    f"({summary['named_speakers']} named, {summary['anonymous_speakers']} anonymous)",
                ),
                (
                    "sources",
                    f"{summary['sources']} ({summary['independent_sources']} independent) "
                    f"from {summary['outlets']} outlet(s)",
                ),
                (
                    "support from",
                    f"{summary['supporting_sources']} source(s) "
                    f"({summary['supporting_independent_sources']} independent)"
                    f" in {summary['supporting_outlets']} outlet(s)",
                ),
                ("dates", dates),
                ("note", claim["note"]),
            ]
        ),
        Heading("[+] Supporting, by party"),
        Table(["party", "statements", "speakers"], _party_rows(report["sides"]["support"])),
        Heading("[-] Opposing, by party"),
        Table(["party", "statements", "speakers"], _party_rows(report["sides"]["oppose"])),
    ]
    if report["no_comment"]:
        out += [
            Heading("[0] Asked, no comment (on no side)"),
            Table(["party", "statements", "speakers"], _party_rows(report["no_comment"])),
        ]
    out += [
        Heading("Statements in date order"),
    ]
    out += [statement_entry(s) for s in report["statements"]] or [Note("(none)")]
    if report["linked_claims"]:
        out.append(Heading("Linked claims"))
        rows = [
            {
                "link": f"this {link['kind']} {link['claim']}"
                if link["direction"] == "outgoing"
                else f"{link['claim']} {link['kind']} this",
                "text": link["text"],
            }
            for link in report["linked_claims"]
        ]
        out.append(Table(["link", "text"], rows))
    return out


def _entity_blocks(report: dict[str, Any]) -> list:
    entity, summary = report["entity"], report["summary"]
    out: list = [
        Title(f"Entity {entity['name']}"),
        Fields(
            [
                ("kind", entity["kind"]),
                ("aliases", ", ".join(entity["aliases"])),
                ("part of", entity["part_of"]),
                ("party", entity["party"]),
                (
                    "statements",
                    f"{summary['statements']} on {summary['claims']} claim(s): {summary['supporting']} supporting [+],"
                    f" {summary['opposing']} opposing [-]"
                    + (f"; {summary['retracted']} retracted, not counted" if summary["retracted"] else ""),
                ),
            ]
        ),
    ]
    if report["roles"]:
        out.append(Heading("Roles"))
        rows = [
            {"title": r["title"], "of": r["organization"], "from": r["started_on"], "until": r["ended_on"]}
            for r in report["roles"]
        ]
        out.append(Table(["title", "of", "from", "until"], rows))
    for claim in report["claims"]:
        asked = any(s["side"] is None and not s["retracted"] for s in claim["statements"])
        marker = {"support": "[+]", "oppose": "[-]", "both": "[+/-]"}.get(claim["side"]) or (
            MARKERS[None] if asked else RETRACTED_MARKER
        )
        out.append(Heading(f"{marker} {claim['claim']}: {claim['text']}"))
        out += [statement_entry(s) for s in claim["statements"]]
    for key, label in (("disputed_by", "Who disputes its claims"), ("disputes", "Whose claims it disputes")):
        out.append(Heading(label))
        rows = [
            {
                "speaker": s["speaker"] + (" (anonymous)" if s["anonymous"] else ""),
                "party": s["party"],
                "claims": s["claims"],
            }
            for s in report[key]
        ]
        out.append(Table(["speaker", "party", "claims"], rows))
    return out


def _contested_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "rank": c["rank"],
            "claim": c["claim"],
            "[+]": c["supporting"],
            "[-]": c["opposing"],
            "speakers +/-": f"{c['supporting_speakers']}/{c['opposing_speakers']}",
            "text": c["text"],
        }
        for c in report["claims"]
    ]


def _filters(report: dict[str, Any]) -> Fields:
    return Fields([(name, value) for name, value in report["filters"].items()])


def _contested_blocks(report: dict[str, Any]) -> list:
    return [
        Title("Contested claims"),
        _filters(report),
        Note(f"Top {report['limit']}, ranked by the smaller side's distinct speakers, then statements."),
        Table(["rank", "claim", "[+]", "[-]", "speakers +/-", "text"], _contested_rows(report)),
    ]


def _sourcing_blocks(report: dict[str, Any]) -> list:
    out: list = [Title("Sourcing weaknesses"), _filters(report)]
    if not report["claims"]:
        out.append(Note("No claim has a sourcing weakness."))
    for claim in report["claims"]:
        out.append(Heading(f"{claim['claim']}: {claim['text']}"))
        out.append(
            Fields(
                [("statements", f"{claim['statements']} ({claim['supporting']} [+], {claim['opposing']} [-])")]
                + [(f["flag"], f["detail"]) for f in claim["flags"]]
            )
        )
    return out


def _timeline_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    periods = report["periods"] + ([report["undated"]] if report["undated"]["entries"] else [])
    return [
        {
            "period": p["period"] or "undated",
            "statements": p["statements"],
            "supporting": p["supporting"],
            "opposing": p["opposing"],
            "retracted": p["retracted"],
            "bar": "+" * min(p["supporting"], 20) + "-" * min(p["opposing"], 20),
        }
        for p in periods
    ]


def _timeline_blocks(report: dict[str, Any]) -> list:
    return [
        Title(f"Timeline by {report['by']}"),
        _filters(report),
        Table(["period", "statements", "supporting", "opposing", "retracted", "bar"], _timeline_rows(report)),
    ]


_BLOCKS = {
    "claim": _claim_blocks,
    "entity": _entity_blocks,
    "contested": _contested_blocks,
    "sourcing": _sourcing_blocks,
    "timeline": _timeline_blocks,
}


def blocks(report: dict[str, Any]) -> list:
    """The blocks of any report (dispatching on its ``report`` field)."""
    return _BLOCKS[report["report"]](report)


def main_table(report: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The CSV table of a report: statements (claim, entity), claims (contested, sourcing),
    periods (timeline)."""
    kind = report["report"]
    if kind in ("claim", "entity"):
        statements = (
            report["statements"]
            if kind == "claim"
            else [dict(s, claim=c["claim"]) for c in report["claims"] for s in c["statements"]]
        )
        columns = ["claim", "key", "said_on", "said_on_precision", "side", "stance", "speaker", "anonymous",
                   "speaker_title", "party", "certainty", "hedge", "verb", "quote", "quote_kind", "via", "outlet",
                   "source", "title", "url", "independent_group", "responds_to", "retracted"]  # fmt: skip
        rows = []
        for s in statements:
            rows.append(
                {
                    **s,
                    "claim": s.get("claim", report["claim"]["key"] if kind == "claim" else None),
                    "speaker": s["speaker"] if not s["anonymous"] else s["speaker_description"],
                    "outlet": s["source"]["outlet"],
                    "source": s["source"]["key"],
                    "title": s["source"]["title"],
                    "url": s["source"]["url"],
                    "independent_group": s["source"]["independent_group"],
                    "retracted": s["retracted"]["at"] if s["retracted"] else None,
                }
            )
        return columns, rows
    if kind == "contested":
        columns = ["rank", "claim", "statements", "supporting", "opposing", "supporting_speakers",
                   "opposing_speakers", "tags", "text"]  # fmt: skip
        return columns, report["claims"]
    if kind == "sourcing":
        rows = [dict(c, flags=[f["flag"] for f in c["flags"]]) for c in report["claims"]]
        return ["claim", "statements", "supporting", "opposing", "flags", "text"], rows
    return ["period", "statements", "supporting", "opposing", "retracted"], _timeline_rows(report)
