"""Spreadsheet (CSV/TSV) converter: exact records for given rows, refusals, the LIAR preset."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for
from factdb.transfer import detect_format, records_from
from factdb.transfer.spreadsheet import parse_mapping, speaker_name

ROOT = Path(__file__).resolve().parent.parent

CLAIM_TEXT = "Iran supplies weapons to Shiite militias in Iraq"
CLAIM_KEY = claim_key_for(CLAIM_TEXT)


def convert(tmp_path: Path, name: str, text: str, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    fmt = "tsv" if name.endswith(".tsv") else "csv"
    conversion = records_from(path, fmt, options)
    return list(conversion), conversion.summary


def test_claim_key_is_a_slug_plus_a_digest_of_the_wording():
    assert CLAIM_KEY == "iran-supplies-weapons-to-shiite-militias-in-iraq-4ceb674a"
    assert claim_key_for("  Iran supplies   weapons to Shiite militias in Iraq ") == CLAIM_KEY
    assert claim_key_for("टीपू सुल्तान की तस्वीर").startswith("claim-")


@pytest.mark.parametrize(
    ("slug", "name"),
    [("barack-obama", "Barack Obama"), ("Jack_Graham", "Jack Graham"), ("AFP", "AFP"), ("Leon Panetta", "Leon Panetta")],
)
def test_speaker_slugs_become_names(slug, name):
    assert speaker_name(slug) == name


def test_header_mapping_gives_exact_records(tmp_path):
    text = (
        "statement,who,title,party,date,venue,link,rating,checker\n"
        f'"{CLAIM_TEXT}",leon-panetta,Defence Secretary,Democrat,2011-07-11,NBC interview,https://nbc.example/x,unproven,PolitiFact\n'
    )
    mapping = (
        "statement=claim,who=speaker,title=speaker_title,party=affiliation,date=said_on,"
        "venue=source.title,link=source.url,rating=verdict,checker=verdict.reviewer"
    )
    records, summary = convert(tmp_path, "claims.csv", text, mapping=mapping, outlet="NBC News")
    kinds = [kind for kind, _, _ in records]
    assert kinds == ["entity", "entity", "entity", "entity", "source", "claim", "statement", "verdict"]
    assert [r for _, r, _ in records[:4]] == [
        {"name": "Democrat", "kind": "organization"},
        {"name": "Leon Panetta", "kind": "person", "roles": [{"title": "member", "of": "Democrat"}]},
        {"name": "NBC News", "kind": "media"},
        {"name": "PolitiFact", "kind": "media"},
    ]
    source = records[4][1]
    assert source == {"key": source["key"], "outlet": "NBC News", "title": "NBC interview", "url": "https://nbc.example/x"}
    assert source["key"].startswith("nbc-example-") and len(source["key"]) == len("nbc-example-") + 12
    assert records[6][1]["key"].startswith(source["key"] + "/")
    assert records[5:] == [
        ("claim", {"key": CLAIM_KEY, "text": CLAIM_TEXT}, "claims.csv:2"),
        (
            "statement",
            {"claim": CLAIM_KEY, "stance": "asserts", "source": source["key"], "speaker": "Leon Panetta",
             "speaker_title": "Defence Secretary", "said_on": "2011-07-11", "key": records[6][1]["key"]},
            "claims.csv:2",
        ),
        # the row's rating rates the row's statement
        ("verdict", {"claim": CLAIM_KEY, "reviewer": "PolitiFact", "rating": "unproven", "statement": records[6][1]["key"]},
         "claims.csv:2"),
    ]  # fmt: skip
    assert summary.as_dict() == {
        "unit": "row",
        "read": 1,
        "taken": 1,
        "refused": 0,
        "reasons": {},
        "records": {"claim": 1, "entity": 4, "source": 1, "statement": 1, "verdict": 1},
        "dropped": {},
        "warnings": [],
    }


def test_positional_columns_semicolons_and_repeats_are_emitted_once(tmp_path):
    text = (
        f"{CLAIM_TEXT};iran;denies;2011-07;economy, iran\n"
        f"{CLAIM_TEXT};iran;denies;2011-07;economy, iran\n"
        f"{CLAIM_TEXT};Leon Panetta;asserts;2011;\n"
    )
    records, summary = convert(
        tmp_path, "plain.csv", text, mapping="1=claim,2=speaker,3=stance,4=said_on,5=claim.tags",
        header=False, delimiter=";", outlet="AFP",
    )  # fmt: skip
    assert summary.lines() == ["3 rows read, 3 taken, 0 refused"]
    # row 3's claim says less than row 1's (no tags): the importer needs it once
    assert [(kind, location) for kind, _, location in records] == [
        ("entity", "plain.csv:1"), ("entity", "plain.csv:1"), ("entity", "plain.csv:3"),
        ("source", "plain.csv:1"), ("claim", "plain.csv:1"), ("statement", "plain.csv:1"),
        ("statement", "plain.csv:3"),
    ]  # fmt: skip
    assert records[0][1] == {"name": "iran", "kind": "person"}  # one word, no hyphen: not a slug
    assert records[4][1] == {"key": CLAIM_KEY, "text": CLAIM_TEXT, "tags": ["economy", "iran"]}
    assert records[5][1]["stance"] == "denies" and records[5][1]["said_on"] == "2011-07"
    # no source column: the sheet itself is the one source, published by the outlet given
    assert records[3][1] == {"key": records[3][1]["key"], "outlet": "AFP", "title": "plain.csv"}
    assert records[3][1]["key"].startswith("sheet-plain-csv-")
    assert records[6][1]["source"] == records[5][1]["source"] == records[3][1]["key"]
    assert summary.warnings == []


NO_OUTLET_SHEET = (
    "statement,who,outlet,venue,link,key\n"
    f"{CLAIM_TEXT},Leon Panetta,,A U.S. intelligence assessment,,\n"
    f"{CLAIM_TEXT},Iran,AFP,AFP story,,\n"
    f"{CLAIM_TEXT},Iran,n/a,,https://example.org/x,\n"
    f"{CLAIM_TEXT},Iran,,,,fbi-statement\n"
    f"{CLAIM_TEXT},Iran,,,,\n"
)
NO_OUTLET_MAP = "statement=claim,who=speaker,outlet=source.outlet,venue=source.title,link=source.url,key=source.key"


def test_a_row_without_outlet_gives_a_source_without_outlet(tmp_path):
    records, summary = convert(tmp_path, "n.csv", NO_OUTLET_SHEET, mapping=NO_OUTLET_MAP)
    sources = [(record, location) for kind, record, location in records if kind == "source"]
    assert sources == [
        ({"key": "a-u-s-intelligence-assessment-" + sources[0][0]["key"][-8:], "title": "A U.S. intelligence assessment"}, "n.csv:2"),
        ({"key": sources[1][0]["key"], "outlet": "AFP", "title": "AFP story"}, "n.csv:3"),
        ({"key": "example-org-295ad4833399", "url": "https://example.org/x"}, "n.csv:4"),
        ({"key": "fbi-statement"}, "n.csv:5"),
    ]
    # only the outlet named is an entity; "n/a" names no one and is counted as dropped
    assert [r["name"] for kind, r, _ in records if kind == "entity"] == ["Leon Panetta", "Iran", "AFP"]
    assert [r["source"] for kind, r, _ in records if kind == "statement"] == [s["key"] for s, _ in sources]
    # a row whose source cells are all empty names no document: refused, located
    assert [r["message"] for kind, r, _ in records if kind == "error"] == [
        "n.csv:6: source: no source for the statement: source.key, source.url, source.title, source.outlet empty on this row"
    ]
    assert summary.lines()[:2] == ["5 rows read, 4 taken, 1 refused",
                                   "  1 refused: source: no source for the statement: source.key, source.url, source.title, source.outlet empty on this row"]  # fmt: skip
    # the same title and date give the same key in every file, as with an outlet
    again, _ = convert(tmp_path, "other.csv", NO_OUTLET_SHEET, mapping=NO_OUTLET_MAP)
    assert [r["key"] for kind, r, _ in again if kind == "source"] == [s["key"] for s, _ in sources]


def test_a_statement_with_no_source_column_and_no_outlet_is_refused(tmp_path):
    records, _ = convert(tmp_path, "b.csv", f"statement,who\n{CLAIM_TEXT},Iran\n", mapping="statement=claim,who=speaker")
    assert [(kind, r.get("message")) for kind, r, _ in records] == [
        ("error", "b.csv:2: source: no source for the statement; map source.key, source.url or source.title, or pass --outlet")
    ]
    # a claim alone (no speaker) needs no source
    alone, _ = convert(tmp_path, "c.csv", f"statement\n{CLAIM_TEXT}\n", mapping="statement=claim")
    assert [kind for kind, _, _ in alone] == ["claim"]


def test_refused_rows_are_error_markers_with_file_line_field_reason(tmp_path):
    text = (
        "statement,speaker,date,rating\n"
        f"{CLAIM_TEXT},Leon Panetta,2011-07-11,false\n"
        ",Leon Panetta,2011-07-11,false\n"
        f"{CLAIM_TEXT},Leon Panetta,11 July 2011,false\n"
        f"{CLAIM_TEXT},Leon Panetta\n"
        f"{CLAIM_TEXT},Leon Panetta,2011-02-30,false\n"
    )
    records, summary = convert(
        tmp_path, "bad.csv", text, mapping="statement=claim,speaker=speaker,date=said_on,rating=verdict",
        outlet="AFP", reviewer="PolitiFact",
    )  # fmt: skip
    errors = [(record["message"], location) for kind, record, location in records if kind == "error"]
    assert errors == [
        ("bad.csv:3: claim: must not be empty", "bad.csv:3"),
        ('bad.csv:4: said_on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY', "bad.csv:4"),
        ("bad.csv:5: row: 2 columns, expected 4", "bad.csv:5"),
        ('bad.csv:6: said_on: "2011-02-30" is not a valid date (day is out of range for month)', "bad.csv:6"),
    ]
    assert Counter(kind for kind, _, _ in records) == Counter(
        {"error": 4, "entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1}
    )
    assert summary.lines()[0] == "5 rows read, 1 taken, 4 refused"
    assert summary.as_dict()["reasons"] == {
        "claim: must not be empty": 1,
        'said_on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY': 1,
        'said_on: "2011-02-30" is not a valid date (day is out of range for month)': 1,
        "row: 2 columns, expected 4": 1,
    }


def test_a_rating_without_reviewer_and_a_bad_stance_are_refused(tmp_path):
    text = f"statement,speaker,stance,rating\n{CLAIM_TEXT},Iran,rejects,\n{CLAIM_TEXT},Iran,denies,false\n"
    records, summary = convert(
        tmp_path, "r.csv", text, mapping="statement=claim,speaker=speaker,stance=stance,rating=verdict", outlet="AFP"
    )
    assert [r["message"] for kind, r, _ in records if kind == "error"] == [
        'r.csv:2: stance: "rejects" is not one of asserts, acknowledges, denies, disputes, retracts, no-comment',
        "r.csv:3: verdict.reviewer: no reviewer for the rating; map a column to verdict.reviewer or pass --reviewer",
    ]
    assert summary.taken == 0 and [k for k, _, _ in records] == ["error", "error"]  # no entity of a refused row


def test_quoting_none_keeps_bare_quotes_and_all_is_accepted(tmp_path):
    text = 'He said "no" to it\tIran\n'
    records, _ = convert(
        tmp_path, "q.tsv", text, mapping="1=claim,2=speaker", header=False, quoting="none", outlet="AFP"
    )
    assert [r["text"] for kind, r, _ in records if kind == "claim"] == ['He said "no" to it']
    quoted = '"statement","speaker"\n"A ""quoted"" claim","Iran"\n'
    records, _ = convert(tmp_path, "q.csv", quoted, mapping="statement=claim,speaker=speaker", quoting="all", outlet="AFP")
    assert [r["text"] for kind, r, _ in records if kind == "claim"] == ['A "quoted" claim']


@pytest.mark.parametrize(
    ("mapping", "header", "message"),
    [
        ("statement=claimz", True, '--map: unknown field "claimz" for column "statement"; fields: claim, claim.key,'),
        ("a=claim,b=claim", True, '--map: field "claim" is fed by both "a" and "b"'),
        ("statement=claim", False, '--map: "statement" is not a column position (1, 2, ...); without a header use positions'),
        ("1=speaker", False, '--map: no column feeds the claim; map one, e.g. --map "statement=claim"'),
        ("statement", True, '--map: "statement" is not COLUMN=FIELD'),
    ],
)
def test_bad_mappings_are_refused_before_reading(mapping, header, message):
    with pytest.raises(InvalidInput) as caught:
        parse_mapping(mapping, header)
    assert str(caught.value).startswith(message)


def test_bad_options_and_missing_header_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("statement,speaker\nx,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match='^quoting: "some" is not one of minimal, none, all$'):
        records_from(path, "csv", {"mapping": "statement=claim", "quoting": "some"})
    with pytest.raises(InvalidInput, match='^preset: unknown preset "fever"; the known presets are liar, liar-plus$'):
        records_from(path, "csv", {"preset": "fever"})
    with pytest.raises(InvalidInput, match="^unknown spreadsheet option colour; known: delimiter, encoding,"):
        records_from(path, "csv", {"mapping": "statement=claim", "colour": "red"})
    with pytest.raises(InvalidInput) as caught:
        list(records_from(path, "csv", {"mapping": "text=claim"}))
    assert str(caught.value) == '--map: no column "text" in the header of c.csv (columns: statement, speaker)'


def test_detect_format(tmp_path):
    (tmp_path / "a.json").write_text('{"@context": "https://schema.org", "@type": "ClaimReview"}')
    (tmp_path / "b.json").write_text('{"entities": []}')
    (tmp_path / "c.txt").write_text("id\tlabel\n")
    found = [detect_format(tmp_path / n) for n in ("x.csv", "x.TSV", "x.jsonld", "x.yaml", "a.json", "b.json", "c.txt")]
    assert [(d.format, d.seen) for d in found] == [
        ("csv", 'the ending ".csv"'),
        ("tsv", 'the ending ".tsv"'),
        ("claimreview", 'the ending ".jsonld"'),
        ("yaml", 'the ending ".yaml"'),
        ("claimreview", "a schema.org document (ClaimReview JSON-LD)"),
        ("json", 'a JSON document named ".json"'),
        ("tsv", "tabs in the first line"),
    ]


def test_detect_format_says_what_it_could_not_tell(tmp_path):
    (tmp_path / "d.txt").write_text('{"entities": []}')
    (tmp_path / "e.dat").write_text("no separators here\n")
    (tmp_path / "f.dat").write_text("")
    found = [detect_format(tmp_path / n) for n in ("d.txt", "e.dat", "f.dat")]
    assert [(d.format, d.seen) for d in found] == [
        (None, 'a JSON document named ".txt" that is no bundle, ClaimReview or known feed'),
        (None, "no tab or comma in the first line"),
        (None, "an empty file"),
    ]
    assert detect_format(tmp_path / "e.dat", spreadsheet=True).format == "csv"
    assert detect_format(tmp_path / "missing.dat").format is None


@pytest.mark.parametrize("module", ["spreadsheet", "claimreview", "claimreview_export", "converting"])
def test_the_converters_need_no_database(module):
    """The converters are pure: file text in, records out. (The package itself loads the
    importer, so this reads each converter's own imports instead of sys.modules.)"""
    tree = ast.parse((ROOT / "factdb" / "transfer" / f"{module}.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.startswith(("sqlalchemy", "factdb.models", "factdb.transfer.importer"))}


# --- the LIAR dataset -------------------------------------------------------------------------


def test_liar_valid_tsv_is_read_whole(shared_dir):
    conversion = records_from(shared_dir / "data" / "liar" / "valid.tsv", "tsv", {"preset": "liar"})
    records = list(conversion)
    assert conversion.summary.lines() == [
        "1284 rows read, 1284 taken, 0 refused",
        # what the model does not keep, counted: the state, the credit counts, non-party affiliations
        "  dropped: 7692 fields of kinds column 10 (false count) (1284), column 11 (half-true count) (1284), "
        "column 12 (mostly-true count) (1284), column 13 (pants-fire count) (1284), column 9 (barely-true count) "
        "(1284), column 7 (state) (1005), affiliation (267)",
    ]
    assert conversion.summary.as_dict()["records"] == {
        "claim": 1284, "entity": 667, "source": 1284, "statement": 1284, "verdict": 1284,
    }  # fmt: skip
    kinds = Counter(record["kind"] for kind, record, _ in records if kind == "entity")
    assert kinds == {"person": 641, "organization": 20, "other": 5, "media": 1}
    parties = Counter(
        role["of"] for kind, record, _ in records if kind == "entity" for role in record.get("roles", [])
    )
    # 662 distinct speaker slugs (cut -f5 | sort -u), 4 parties, PolitiFact
    assert parties == {"Republican Party": 258, "Democratic Party": 198, "Libertarian Party": 6, "Constitution Party": 1}
    ratings = Counter(record["rating"] for kind, record, _ in records if kind == "verdict")
    assert ratings == {"false": 263, "mostly-true": 251, "half-true": 248, "barely-true": 237, "true": 169, "pants-fire": 116}
    first = [(kind, record) for kind, record, location in records if location == "valid.tsv:1" and kind != "entity"]
    key = "we-have-less-americans-working-now-than-in-the-70s-89908de3"
    assert first == [
        ("source", {"key": "politifact-liar-12134", "outlet": "PolitiFact", "title": "an interview with ABC17 News",
                    "note": "PolitiFact statement from the LIAR dataset; the title is where it was said"}),
        ("claim", {"key": key, "text": "We have less Americans working now than in the 70s.", "tags": ["economy", "jobs"]}),
        ("statement", {"claim": key, "stance": "asserts", "source": "politifact-liar-12134", "speaker": "Vicky Hartzler",
                       "speaker_title": "U.S. Representative", "key": "politifact-liar-12134/0583fb7d40c1"}),
        ("verdict", {"claim": key, "reviewer": "PolitiFact", "rating": "barely-true", "rating_value": 3,
                     "best_rating": 6, "worst_rating": 1, "statement": "politifact-liar-12134/0583fb7d40c1"}),
    ]  # fmt: skip
    chain_email = [record for kind, record, _ in records if kind == "entity" and record["name"] == "Chain Email"]
    assert chain_email == [{"name": "Chain Email", "kind": "other"}]


def test_liar_preset_refuses_unknown_ratings_and_short_rows(tmp_path):
    good = "1.json\ttrue\tA claim.\ttaxes\tjane-doe\tMayor\tOhio\tdemocrat\t0\t0\t0\t0\t0\ta speech\n"
    text = good + good.replace("\ttrue\t", "\tunverified\t").replace("1.json", "2.json") + "3.json\ttrue\tOnly three\n"
    records, summary = convert(tmp_path, "liar.tsv", text, preset="liar")
    assert [r["message"] for kind, r, _ in records if kind == "error"] == [
        'liar.tsv:2: verdict: unknown rating "unverified"; LIAR ratings are pants-fire, false, barely-true, half-true, mostly-true, true',
        "liar.tsv:3: row: 3 columns, expected 14",
    ]
    assert summary.lines()[0] == "3 rows read, 1 taken, 2 refused"


def test_locations_are_the_line_a_row_starts_on(tmp_path):
    text = 'statement,speaker\n"A claim\nover two lines",Iran\n,Iran\n'
    records, _ = convert(tmp_path, "m.csv", text, mapping="statement=claim,speaker=speaker", outlet="AFP")
    assert [(kind, location) for kind, _, location in records if kind in ("claim", "error")] == [
        ("claim", "m.csv:2"),
        ("error", "m.csv:4"),
    ]
    assert of_kind_texts(records) == ["A claim\nover two lines"]


def of_kind_texts(records):
    return [record["text"] for kind, record, _ in records if kind == "claim"]


def test_a_position_beyond_the_row_is_an_error_and_a_stray_quote_refuses_the_row(tmp_path):
    with pytest.raises(InvalidInput, match="^--map: column 20 is beyond the 2 columns of p.csv$"):
        convert(tmp_path, "p.csv", "a,b\n", mapping="1=claim,20=speaker", header=False)
    records, summary = convert(tmp_path, "s.csv", 'statement\n"x"y\nfine\n', mapping="statement=claim", outlet="AFP")
    assert [r["message"] for kind, r, _ in records if kind == "error"] == [
        "s.csv:2: row: not readable as CSV (',' expected after '\"'); check --delimiter and --quoting"
    ]
    assert of_kind_texts(records) == ["fine"] and summary.lines()[0] == "2 rows read, 1 taken, 1 refused"
