"""What each report shows, as blocks (for table, Markdown, HTML) and as one main table (CSV).

Takes only the plain data a report function returned: rendering never queries.
"""

from __future__ import annotations

import contextvars
from typing import Any

from factdb.records import NO_OUTLET, joined_names, outlet_text, unattributed
from factdb.reports.render import Entry, Fields, Heading, Link, Note, Parts, Table, Title, safe_href

__all__ = ["blocks", "main_table", "MARKERS", "Linker"]


class Linker:
    """Where the pages of claims and entities are, for HTML links: a single page has none
    (only source and review URLs are links); :mod:`factdb.reports.site` knows its pages."""

    def claim(self, key: str) -> str | None:
        return None

    def entity(self, name: str) -> str | None:
        return None


_LINKER: contextvars.ContextVar[Linker | None] = contextvars.ContextVar("linker", default=None)
_NO_LINKS = Linker()


def _linker() -> Linker:
    return _LINKER.get() or _NO_LINKS


def _claim(key: str, text: str | None = None) -> Link:
    return Link(text or key, _linker().claim(key))


def _entity(name: str | None) -> Link | str:
    return Link(name, _linker().entity(name)) if name else ""


def _url(url: str | None) -> Link | None:
    return Link(url, safe_href(url)) if url else None

MARKERS = {"support": "[+]", "oppose": "[-]", None: "[0]"}
# report entity: how a statement speaks for the entity (the entity's own are not labelled)
SPEAKING = {
    "member": "a member of it speaks",
    "affiliated": "an anonymous speaker affiliated with it",
    "relayed": "relayed by it (in the via chain; no stance of its own)",
}
RETRACTED_MARKER = "[x]"


def _date(value: str | None, precision: str | None) -> str:
    return f"{value} ({precision})" if value else "date unknown"


def _speaker(statement: dict[str, Any]) -> str:
    name = statement["speaker"]["name"]
    if statement["speaker"]["anonymous"]:
        if statement["speaker_affiliation"]:
            name += f" ({statement['speaker_affiliation']}, anonymous)"
        else:
            name += " (anonymous)"
    name = f"{name}, {statement['speaker_title']}" if statement["speaker_title"] else name
    joint = [_joint_text(s) for s in statement.get("speakers", [])[1:]]
    return joined_names([name, *joint])


def _joint_text(speaker: dict[str, Any]) -> str:
    """A joint speaker as the first one is written: the name, or an anonymous one with its
    affiliation and kind (revision 0063); unspecified reports as nobody's words."""
    if not speaker["anonymous"]:
        return str(speaker["name"])
    if speaker["kind"] == "reports":
        return unattributed(speaker["name"])
    anonymous = "anonymous group" if speaker["kind"] == "group" else "anonymous"
    affiliation = speaker.get("affiliation")
    return f"{speaker['name']} ({affiliation}, {anonymous})" if affiliation else f"{speaker['name']} ({anonymous})"


def _source(source: dict[str, Any], *, version: bool = False) -> str:
    outlet = outlet_text(source["outlet"])
    parts = [outlet if source["kind"] == "article" else f"{outlet} ({source['kind']})"]
    if source["title"]:
        parts.append(f'"{source["title"]}"')
    parts.append(
        (source["published_on"] or "undated") + (f" {source['published_time']}" if source["published_time"] else "")
        + (f", modified {source['modified_time']}" if source.get("modified_time") else "")  # "Modified 11:08"
    )
    if source["text_state"]:
        parts.append(f"text {source['text_state']}")
    if source["independent_group"] != source["key"] and not version:  # a version is not a copy
        parts.append(f"a copy of a story by {outlet_text(source['independent_outlet'])}")
    return ", ".join(parts)


def _version(version: dict[str, Any] | None) -> str | None:
    """What a statement's versions say: only in an earlier version (and what the newest has
    instead), or also in earlier versions."""
    if version is None:
        return None
    if version["in_earlier_version"]:
        now = version["changed_to"]
        if now is None:
            return f"in an earlier version only; the newest version ({version['newest']}) does not say it"
        said = f'"{now["quote"]}"' if now["quote"] else f"statement {now['statement']}"
        return f"in an earlier version only; the newest version ({version['newest']}) has: {now['stance']} {said}"
    if version["earlier_versions"]:
        return f"also in the earlier version{'s' if len(version['earlier_versions']) > 1 else ''} " + ", ".join(
            version["earlier_versions"]
        )
    return None


def _retraction(retracted: dict[str, Any]) -> str:
    published = f"published {retracted['published_on']}, " if retracted["published_on"] else ""
    return f"{published}entered {retracted['at']}: {retracted['reason']}" if published else (
        f"{retracted['at']}: {retracted['reason']}"
    )


def _responds_to(statement: dict[str, Any]) -> str | None:
    """The statement answered, by its speaker and date (never its key alone)."""
    if statement["responds_to"] is None:
        return None
    speaker = statement["responds_to_speaker"] or statement["responds_to"]
    return f"{speaker}, {statement['responds_to_said_on'] or 'date unknown'}"


def _carried_by(statement: dict[str, Any]) -> list[Link] | None:
    """The outlets of the copies, each a link to its copy."""
    if not statement["copies"]:
        return None
    urls: dict[str, str | None] = {}
    for copy in statement["copies"]:
        urls.setdefault(outlet_text(copy["outlet"]), safe_href(copy["url"]))
    # carried_by names outlets; a copy without one is still shown, as "(no outlet)"
    unnamed = [NO_OUTLET] if any(copy["outlet"] is None for copy in statement["copies"]) else []
    return [Link(outlet, urls.get(outlet)) for outlet in [*statement["carried_by"], *unnamed]]


def _chain(names: list[str]) -> Parts | None:
    """A via chain, nearest the speaker first, each name linked to its page."""
    if not names:
        return None
    items: list[str | Link] = []
    for name in names:
        items += [" -> ", _entity(name)] if items else [_entity(name)]
    return Parts(tuple(items))


def _speaker_parts(statement: dict[str, Any]) -> list[str | Link]:
    """The speaker as :func:`_speaker` writes it, names linked to their pages."""
    speaker = statement["speaker"]
    if speaker["anonymous"] and speaker["kind"] == "reports":  # nobody's words: not a speaker
        parts: list[str | Link] = [unattributed(speaker["name"])]
    elif speaker["anonymous"]:
        parts = [speaker["name"]]
        anonymous = "anonymous group" if speaker["kind"] == "group" else "anonymous"
        if statement["speaker_affiliation"]:
            parts += [" (", _entity(statement["speaker_affiliation"]), f", {anonymous})"]
        else:
            parts.append(f" ({anonymous})")
    else:
        parts = [_entity(speaker["name"])]
    if statement["speaker_title"]:
        parts.append(f", {statement['speaker_title']}")
    joint = statement.get("speakers", [])[1:]
    for i, other in enumerate(joint):
        parts.append(" and " if i == len(joint) - 1 else ", ")
        parts += [_joint_text(other)] if other["anonymous"] else [_entity(other["name"])]
    return parts


def _first(summary: dict[str, Any], side: str) -> str | None:
    first = summary.get(f"first_{side}")
    if not first:
        return None
    speaker = first["speaker"] + (" (anonymous)" if first["anonymous"] else "")
    outlet = outlet_text(first["outlet"])
    return f"{_date(first['said_on'], first['said_on_precision'])}  {speaker} {first['stance']} ({outlet})"


def scale(rating: dict[str, Any]) -> str:
    """A verdict's rating with its scale: "Mostly true (4 on 0..5)", or the rating alone."""
    text = rating["rating"]
    if rating["rating_value"] is not None and rating["best_rating"] is not None:
        worst = rating["worst_rating"] if rating["worst_rating"] is not None else 1
        text += f" ({_number(rating['rating_value'])} on {_number(worst)}..{_number(rating['best_rating'])})"
    return text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _verdict_rows(ratings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "reviewer": r["reviewer"],
            "rating": scale(r),
            "rates": "the claim" if r["rates"] == "claim" else f"statement {r['statement']}",
            "reviewed": r["reviewed_on"],
            "link": _url(r["url"]),
        }
        for r in ratings
    ]


def _also_answers(keys: list[str]) -> Parts | None:
    """The other claims the same utterance answers, linked (revision 0026)."""
    if not keys:
        return None
    items: list[str | Link] = []
    for key in keys:
        items += [", ", _claim(key)] if items else [_claim(key)]
    return Parts(tuple(items))


def statement_entry(statement: dict[str, Any], *, with_claim: str | None = None) -> Entry:
    """One statement as an entry: marker, date, speaker with title, stance; then details."""
    retracted = statement["retracted"]
    marker = RETRACTED_MARKER if retracted else MARKERS[statement["side"]]
    headline = [
        f"{_date(statement['said_on'], statement['said_on_precision'])}  ",
        *_speaker_parts(statement),
        f"  {statement['stance']}",
    ]
    certainty = statement["certainty"]
    if statement["hedge"]:
        certainty += f' ("{statement["hedge"]}")'
    details: list[tuple[str, Any]] = []
    if with_claim:
        details.append(("claim", _claim(with_claim)))
    details += [
        ("certainty", certainty),
        ("verb", statement["verb"]),
        ("position", statement["position"]),
        ("via", _chain(statement["via"])),
        ("source", _source(statement["source"], version=statement.get("version") is not None)),
        ("url", _url(statement["source"]["url"])),
        ("carried by", _carried_by(statement)),
        ("version", _version(statement.get("version"))),
        ("responds to", _responds_to(statement)),
        ("also answers", _also_answers(statement.get("also_answers") or [])),
        ("quote", statement["quote_status"]),
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
        party = _entity(group["party"]) if group["party"] else "(unknown)"
        rows.append({"party": party, "statements": group["statements"], "speakers": speakers})
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
        # the claim's words head the page; its key, for commands and links, comes first below
        Title(claim["text"]),
        Fields(
            [
                ("claim key", claim["key"]),
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
                    f"from {summary['outlets']} outlet(s)"
                    + (f"; {summary['copies']} copies of statements folded" if summary["copies"] else ""),
                ),
                (
                    "support from",
                    f"{summary['supporting_sources']} source(s) "
                    f"({summary['supporting_independent_sources']} independent)"
                    f" in {summary['supporting_outlets']} outlet(s)",
                ),
                ("dates", dates),
                ("first [+]", _first(summary, "supporting")),
                ("first [-]", _first(summary, "opposing")),
                ("note", claim["note"]),
            ]
        ),
    ]
    if summary["flags"]:
        out.append(Heading("Sourcing weaknesses"))
        out.append(Fields([(f["flag"], f["detail"]) for f in summary["flags"]]))
    if report["verdicts"]:
        out.append(Heading("Verdicts"))
        out.append(Table(["reviewer", "rating", "rates", "reviewed", "link"], _verdict_rows(report["verdicts"])))
    out += [
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
    if report["limit"] is not None and len(report["statements"]) == report["limit"]:
        out.append(Note(f"The first {report['limit']} statements; --limit shortens the list only, not the counts."))
    if report["linked_claims"]:
        out.append(Heading("Linked claims"))
        rows = [
            {
                "link": f"this {link['kind']} {link['claim']}"
                if link["direction"] == "outgoing"
                else f"{link['claim']} {link['kind']} this",
                "text": _claim(link["claim"], link["text"]),
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
                ("members", [_entity(name) for name in report["members"]]),
                (
                    "statements",
                    f"{summary['statements']} on {summary['claims']} claim(s): {summary['supporting']} supporting [+],"
                    f" {summary['opposing']} opposing [-]; {summary['own']} its own,"
                    f" {summary['by_members']} by members, {summary['affiliated']} anonymous affiliated;"
                    f" {summary['relayed']} relayed"
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
        marker = {"support": "[+]", "oppose": "[-]", "both": "[+/-]", "relayed": "[>]"}.get(claim["side"]) or (
            MARKERS[None] if asked else RETRACTED_MARKER
        )
        out.append(Heading(Link(f"{marker} {claim['claim']}: {claim['text']}", _linker().claim(claim["claim"]))))
        for statement in claim["statements"]:
            entry = statement_entry(statement)
            if statement["speaking"] != "own":
                entry.details.insert(0, ("speaking", SPEAKING[statement["speaking"]]))
            out.append(entry)
    if report["limit"] is not None and len(report["claims"]) == report["limit"]:
        out.append(Note(f"The first {report['limit']} claims; --limit shortens the list only, not the counts."))
    if report["scorecard"]:
        out.append(Heading("Scorecard: how reviewers rated what it said"))
        out.append(Table(["rating", "verdicts", "claims"], report["scorecard"]))
        verdicts = report["verdicts"]
        rows = [dict(row, claim=_claim(v["claim"])) for v, row in zip(verdicts, _verdict_rows(verdicts), strict=True)]
        out.append(Table(["claim", "reviewer", "rating", "reviewed", "link"], rows))
    for key, label in (("disputed_by", "Who disputes its claims"), ("disputes", "Whose claims it disputes")):
        out.append(Heading(label))
        rows = [
            {
                "speaker": s["speaker"] + " (anonymous)" if s["anonymous"] else _entity(s["speaker"]),
                "party": _entity(s["party"]),
                "claims": s["claims"],
            }
            for s in report[key]
        ]
        out.append(Table(["speaker", "party", "claims"], rows))
        more = summary[key] - len(rows)
        if more > 0:
            out.append(Note(f"The first {len(rows)} (most claims in common), and {more} more."))
        reports = report["unspecified_reports"][key]
        if reports:  # nobody's words: apart from the speakers
            out.append(Note(f"unspecified reports: {reports} statement{'s' if reports != 1 else ''}"))
    return out


def _contested_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "rank": c["rank"],
            "claim": _claim(c["claim"]),
            "[+]": c["supporting"],
            "[-]": c["opposing"],
            "speakers +/-": f"{c['supporting_speakers']}/{c['opposing_speakers']}",
            "rated": "; ".join(f"{r['rating']} ({r['reviewer']})" for r in c["ratings"]),
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
        Table(["rank", "claim", "[+]", "[-]", "speakers +/-", "rated", "text"], _contested_rows(report)),
    ]


def _sourcing_blocks(report: dict[str, Any]) -> list:
    out: list = [Title("Sourcing weaknesses"), _filters(report)]
    if not report["claims"]:
        out.append(Note("No claim has a sourcing weakness."))
    for claim in report["claims"]:
        out.append(Heading(Link(f"{claim['claim']}: {claim['text']}", _linker().claim(claim["claim"]))))
        rated = "; ".join(f"{scale(r)} ({r['reviewer']})" for r in claim["ratings"])
        out.append(
            Fields(
                [("statements", f"{claim['statements']} ({claim['supporting']} [+], {claim['opposing']} [-])"),
                 ("rated", rated)]
                + [(f["flag"], f["detail"]) for f in claim["flags"]]
            )
        )  # fmt: skip
    if report["limit"] is not None and report["total"] > len(report["claims"]):
        out.append(Note(f"The first {len(report['claims'])} of {report['total']} claims (--limit)."))
    return out


def _timeline_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    undated = report["undated"]
    periods = report["periods"] + ([undated] if undated["statements"] or undated["retracted"] else [])
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


def _chronology_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "": RETRACTED_MARKER if e["retracted"] else MARKERS[e["side"]],
            "date": _date(e["said_on"], e["said_on_precision"]),
            "speaker": e["speaker"] + " (anonymous)" if e["anonymous"] else _entity(e["speaker"]),
            "stance": e["stance"],
            "outlet": outlet_text(e["outlet"])
            + (f" (carried by {', '.join(e['carried_by'])})" if e["carried_by"] else ""),
            "claim": _claim(e["claim"]),
        }
        for e in report["chronology"]
    ]


def _timeline_blocks(report: dict[str, Any]) -> list:
    columns = ["", "date", "speaker", "stance", "outlet"] + ([] if report["filters"]["claim"] else ["claim"])
    out: list = [
        Title(f"Timeline by {report['by']}"),
        _filters(report),
        Table(["period", "statements", "supporting", "opposing", "retracted", "bar"], _timeline_rows(report)),
        Heading("Chronology: every statement in date order"),
        Table(columns, _chronology_rows(report)),
    ]
    if report["limit"] is not None and len(report["chronology"]) == report["limit"]:
        out.append(Note(f"The first {report['limit']} statements; --limit shortens the chronology only."))
    return out


_BLOCKS = {
    "claim": _claim_blocks,
    "entity": _entity_blocks,
    "contested": _contested_blocks,
    "sourcing": _sourcing_blocks,
    "timeline": _timeline_blocks,
}


def blocks(report: dict[str, Any], links: Linker | None = None) -> list:
    """The blocks of any report (dispatching on its ``report`` field); ``links`` says where
    the pages of claims and entities are (a site's)."""
    token = _LINKER.set(links or Linker())
    try:
        return _BLOCKS[report["report"]](report)
    finally:
        _LINKER.reset(token)


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
                    "speaker": joined_names([speaker["name"] for speaker in s["speakers"]]),
                    "anonymous": s["speaker"]["anonymous"],
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
