"""``factdb import`` of spreadsheets and ClaimReview, ``factdb export --format claimreview``:
the converters feed the bundle importer (one transaction, --dry-run, --skip-invalid, reject
file), on both backends, with the shared LIAR and ClaimReview data when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_database

from factdb.cli import cli
from factdb.keys import claim_key_for, digest

EMPTY = {"created": 0, "updated": 0, "unchanged": 0}
LIAR_KEY = "we-have-less-americans-working-now-than-in-the-70s-89908de3"


def _empty_database(db_url: str, folder: Path, sqlite_template: Path):
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    folder.mkdir()
    yield from make_database(backend, folder, sqlite_template)


@pytest.fixture
def other_db(db_url: str, tmp_path: Path, sqlite_template: Path):
    """A second empty database on the same backend as ``db_url``."""
    yield from _empty_database(db_url, tmp_path / "other", sqlite_template)


@pytest.fixture
def third_db(db_url: str, tmp_path: Path, sqlite_template: Path):
    """A third empty database on the same backend as ``db_url``."""
    yield from _empty_database(db_url, tmp_path / "third", sqlite_template)


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def table(*rows: tuple[str, int, int, int]) -> list[str]:
    lines = ["kind       created  updated  unchanged", "---------  -------  -------  ---------"]
    return lines + [f"{kind:<9}  {c:<7}  {u:<7}  {n}" for kind, c, u, n in rows]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


# --- LIAR -------------------------------------------------------------------------------------


def test_liar_valid_tsv_imports_whole_and_twice_changes_nothing(shared_dir, invoke, counts):
    path = str(shared_dir / "data" / "liar" / "valid.tsv")
    first = invoke("import", path, "--preset", "liar")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "1284 rows read, 1284 taken, 0 refused",
        "  dropped: 7692 fields of kinds column 10 (false count) (1284), column 11 (half-true count) (1284), "
        "column 12 (mostly-true count) (1284), column 13 (pants-fire count) (1284), column 9 (barely-true count) "
        "(1284), column 7 (state) (1005), affiliation (267)",
        f"Imported {path}.",
        *table(("entity", 667, 0, 0), ("source", 1284, 0, 0), ("claim", 1284, 0, 0),
               ("statement", 1284, 0, 0), ("verdict", 1284, 0, 0)),
    ]  # fmt: skip
    after = counts()
    assert {t: after[t] for t in ("entities", "entity_roles", "sources", "claims", "statements", "verdicts")} == {
        "entities": 667, "entity_roles": 463, "sources": 1284, "claims": 1284, "statements": 1284, "verdicts": 1284,
    }  # fmt: skip

    shown = json.loads(invoke("claim", "show", LIAR_KEY, "--format", "json").stdout)
    assert (shown["text"], shown["tags"]) == ("We have less Americans working now than in the 70s.", ["economy", "jobs"])
    (statement,) = shown["statements"]
    assert (statement["speaker"], statement["speaker_title"], statement["stance"], statement["source"]["key"]) == (
        {"name": "Vicky Hartzler", "kind": "person", "anonymous": False}, "U.S. Representative", "asserts", "politifact-liar-12134",
    )  # fmt: skip
    assert statement["source"]["title"] == "an interview with ABC17 News"
    (verdict,) = shown["verdicts"]
    assert {k: verdict[k] for k in ("reviewer", "rating", "rating_value", "best_rating", "worst_rating")} == {
        "reviewer": {"name": "PolitiFact", "kind": "media"}, "rating": "barely-true",
        "rating_value": 3.0, "best_rating": 6.0, "worst_rating": 1.0,
    }  # fmt: skip
    text = invoke("claim", "show", LIAR_KEY).stdout
    assert "verdicts:\nreviewer    rates           rating       value     reviewed_on  url\n" in text
    assert "\nPolitiFact  Vicky Hartzler  barely-true  3 (1..6)\n" in text
    speaker = json.loads(invoke("entity", "show", "Vicky Hartzler", "--format", "json").stdout)
    assert [(r["title"], r["of"]) for r in speaker["roles"]] == [("member", "Republican Party")]

    again = invoke("import", path, "--preset", "liar", "--summary-format", "json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["conversion"] == {
        "unit": "row", "read": 1284, "taken": 1284, "refused": 0, "reasons": {},
        "records": {"claim": 1284, "entity": 667, "source": 1284, "statement": 1284, "verdict": 1284},
        "dropped": {"column 10 (false count)": 1284, "column 11 (half-true count)": 1284,
                    "column 12 (mostly-true count)": 1284, "column 13 (pants-fire count)": 1284,
                    "column 9 (barely-true count)": 1284, "column 7 (state)": 1005, "affiliation": 267},
        "warnings": [],
    }  # fmt: skip
    assert report["counts"] == {
        "entity": {"created": 0, "updated": 0, "unchanged": 667},
        **{kind: {"created": 0, "updated": 0, "unchanged": 1284} for kind in ("source", "claim", "statement", "verdict")},
    }
    assert (report["input"], report["format"], report["rejected"], report["problems"]) == (path, "tsv", 0, [])
    again_counts = counts()
    assert {t: n for t, n in again_counts.items() if t != "history"} == {t: n for t, n in after.items() if t != "history"}
    # the second import records nothing but its own "import" entry
    assert again_counts["history"] == after["history"] + 1


# --- ClaimReview ------------------------------------------------------------------------------

REFUSED = {
    "eg-0325_ClaimReview.jsonld": "eg-0325_ClaimReview.jsonld:$: reviewRating: missing; a ClaimReview without a rating "
    "is not a verdict",
    "eg-0467_MediaReview.jsonld": "eg-0467_MediaReview.jsonld:$: @type: MediaReview rates a media item's authenticity "
    "(DecontextualizedContent), not a claim's truth; not imported",
}


def test_every_shared_claimreview_document_imports_and_round_trips(
    shared_dir, db_url, other_db, third_db, invoke, counts, tmp_path
):
    folder = shared_dir / "data" / "claimreview"
    documents = sorted(folder.glob("*.jsonld"))
    assert len(documents) == 20
    for path in documents:
        before = counts()
        result = invoke("import", str(path))
        if path.name in REFUSED:
            assert result.exit_code == 1
            assert result.stdout == ""
            assert result.stderr.splitlines() == [
                REFUSED[path.name],
                "1 review read, 0 taken, 1 refused",
                f"  1 refused: {REFUSED[path.name].split(':$: ', 1)[1]}",
                f"Error: 1 problem in {path}; nothing was written (fix them, or use --skip-invalid to write the valid "
                "records).",
            ]
            assert counts() == before
        else:
            assert result.exit_code == 0, result.output
            assert result.stdout.startswith("1 review read, 1 taken, 0 refused\n")
            assert f"\nImported {path}.\n" in result.stdout
    after = counts()
    created = {t: after[t] for t in ("entities", "sources", "claims", "statements", "verdicts")}
    assert created == {"entities": 34, "sources": 15, "claims": 18, "statements": 15, "verdicts": 18}
    # history: one 'import' entry per accepted document, and one 'insert' entry per created row
    assert after["history"] == 18 + sum(created.values())

    first = run(db_url, "export", "--format", "claimreview")
    document = json.loads(first)
    assert len(document["@graph"]) == 18
    exported = write(tmp_path, "all.jsonld", first)
    assert run(other_db, "import", str(exported)).splitlines()[0] == "18 reviews read, 18 taken, 0 refused"
    assert run(other_db, "export", "--format", "claimreview") == first
    # the same content as a bundle (verdicts: section included; notes too) survives its round trip
    bundle = run(db_url, "export", "--format", "yaml")
    assert bundle.split("\nverdicts:\n", 1)[1].count("\n- key: ") == 17  # 18 verdicts, the first after the heading
    run(third_db, "import", str(write(tmp_path, "all.yaml", bundle)))
    assert run(third_db, "export", "--format", "yaml") == bundle


def test_export_claimreview_of_one_claim_and_of_a_claim_without_verdicts(invoke, tmp_path):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checker.example/reviews/iran-weapons",
        "datePublished": "2011-07-20",
        "author": {"@type": "Organization", "name": "Checker"},
        "claimReviewed": "Iran supplies weapons to Shiite militias in Iraq",
        "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1, "alternateName": "Unproven"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Leon Panetta"}},
    }
    # a .json file with a schema.org context is told from a bundle by its content
    path = write(tmp_path, "review.json", json.dumps(review))
    assert invoke("import", str(path)).exit_code == 0
    assert invoke("claim", "add", "Iran trains militias", "--key", "iran-trains").exit_code == 0
    key = claim_key_for(review["claimReviewed"])
    one = json.loads(invoke("export", "--format", "claimreview", "--claim", key).stdout)
    statement_digest = one["@graph"][0]["itemReviewed"]["identifier"].rsplit("%2F", 1)[1]
    page = {"@type": "CreativeWork", "url": "https://checker.example/reviews/iran-weapons", "identifier": "checker-example-7ca7645333eb",
            "publisher": {"@type": "NewsMediaOrganization", "name": "Checker"}, "datePublished": "2011-07-20"}  # fmt: skip
    assert one == {
        "@context": "https://schema.org",
        "@graph": [{
            "@type": "ClaimReview",
            "url": "https://checker.example/reviews/iran-weapons",
            "claimReviewed": "Iran supplies weapons to Shiite militias in Iraq",
            "author": {"@type": "NewsMediaOrganization", "name": "Checker"},
            "reviewRating": {"@type": "Rating", "alternateName": "Unproven", "ratingValue": 2.0, "bestRating": 5.0,
                             "worstRating": 1.0},
            "itemReviewed": {
                "@type": "Claim", "@id": f"urn:factdb:claim:{key}",
                # the review rated the claim as its one author made it: that statement
                "identifier": "urn:factdb:statement:checker-example-7ca7645333eb%2F" + statement_digest,
                "author": {"@type": "Person", "name": "Leon Panetta"},
                # no appearance in the review: the statement cites the fact-check page itself
                "firstAppearance": page, "appearance": [page],
            },
            "datePublished": "2011-07-20",
        }],
    }  # fmt: skip
    assert json.loads(invoke("export", "--format", "claimreview").stdout) == one
    assert invoke("export", "--format", "claimreview", "--claim", "iran-trains").stdout == (
        '{\n  "@context": "https://schema.org",\n  "@graph": []\n}\n'
    )
    # the verdict is in the bundle export too
    bundle = invoke("export", "--format", "yaml", "--claim", key).stdout
    statement = f"checker-example-7ca7645333eb/{statement_digest}"
    assert bundle.endswith(
        f"verdicts:\n- key: {statement}/checker/10a0852c6e0b\n  claim: {key}\n  statement: {statement}\n  reviewer: Checker\n"
        "  rating: Unproven\n  rating_value: 2.0\n  best_rating: 5.0\n  worst_rating: 1.0\n  reviewed_on: '2011-07-20'\n"
        "  url: https://checker.example/reviews/iran-weapons\n"
    )


# --- hand-made spreadsheets -------------------------------------------------------------------

SHEET = """\
statement,who,title,party,venue,rating
Iran supplies weapons to Shiite militias in Iraq,Leon Panetta,Defence Secretary,Democrat,NBC interview,unproven
Iran trains militias in Iraq,leon-panetta,,,CNN interview,
"""


def test_a_sheet_with_a_header_map_outlet_and_reviewer(invoke, counts, tmp_path):
    path = write(tmp_path, "claims.csv", SHEET)
    args = ("import", str(path), "--map", "statement=claim,who=speaker,title=speaker_title,party=affiliation,"
            "venue=source.title,rating=verdict", "--outlet", "AFP", "--reviewer", "Checker")  # fmt: skip
    dry = invoke(*args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[:2] == ["2 rows read, 2 taken, 0 refused", f"Dry run of {path}: nothing was written. It would do:"]
    assert counts()["claims"] == 0
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2 rows read, 2 taken, 0 refused",
        f"Imported {path}.",
        *table(("entity", 4, 0, 0), ("source", 2, 0, 0), ("claim", 2, 0, 0), ("statement", 2, 0, 0), ("verdict", 1, 0, 0)),
    ]
    entities = {e["name"]: e["kind"] for e in json.loads(invoke("entity", "list", "--format", "json").stdout)}
    assert entities == {"Democrat": "organization", "Leon Panetta": "person", "AFP": "media", "Checker": "media"}
    shown = json.loads(invoke("claim", "show", claim_key_for("Iran trains militias in Iraq"), "--format", "json").stdout)
    assert [(s["speaker"]["name"], s["speaker_title"], s["source"]["title"], s["source"]["outlet"]) for s in shown["statements"]] == [
        ("Leon Panetta", None, "CNN interview", "AFP")
    ]
    assert shown["verdicts"] == []


def test_no_header_positions_delimiter_quoting_stance_and_encoding(invoke, tmp_path):
    text = 'Le "régime" arme les milices;Iran;denies\nIran arms militias;Leon Panetta;\n'
    path = write(tmp_path, "claims.txt", text, encoding="latin-1")
    args = ("import", str(path), "--no-header", "--delimiter", ";", "--quoting", "none", "--map", "1=claim,2=speaker,3=stance",
            "--outlet", "AFP", "--stance", "asserts", "--encoding", "latin-1")  # fmt: skip
    result = invoke(*args, "--summary-format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["format"], report["conversion"]["read"], report["conversion"]["taken"]) == ("csv", 2, 2)
    assert report["counts"]["statement"] == {"created": 2, "updated": 0, "unchanged": 0}
    first = json.loads(invoke("claim", "show", claim_key_for('Le "régime" arme les milices'), "--format", "json").stdout)
    assert [(s["speaker"]["name"], s["stance"]) for s in first["statements"]] == [("Iran", "denies")]
    second = json.loads(invoke("claim", "show", claim_key_for("Iran arms militias"), "--format", "json").stdout)
    assert [(s["speaker"]["name"], s["stance"]) for s in second["statements"]] == [("Leon Panetta", "asserts")]
    # read as UTF-8 the same bytes are refused before anything is converted
    wrong = invoke("import", str(path), "--no-header", "--delimiter", ";", "--map", "1=claim", "--format", "csv")
    assert (wrong.exit_code, wrong.stderr) == (1, f"Error: {path}: not utf-8-sig text (byte 5); pass the file's encoding\n")


NO_OUTLET_SHEET = """\
statement,who,outlet,venue,key
Iran meddles in the election,Leon Panetta,,A U.S. intelligence assessment,
Iran meddles in the election,Iran,AFP,AFP story,
Iran meddles in the election,Iran,,,fbi-statement
Iran meddles in the election,Leon Panetta,,,
"""


def test_a_sheet_row_without_outlet_imports_a_source_without_outlet(invoke, counts, tmp_path):
    path = write(tmp_path, "n.csv", NO_OUTLET_SHEET)
    args = ("import", str(path), "--map", "statement=claim,who=speaker,outlet=source.outlet,venue=source.title,key=source.key")
    before = counts()
    refused = invoke(*args)
    reason = "no source for the statement: source.key, source.title, source.outlet empty on this row"
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [
        f"n.csv:5: source: {reason}",
        "4 rows read, 3 taken, 1 refused",
        f"  1 refused: source: {reason}",
        f"Error: 1 problem in {path}; nothing was written (fix them, or use --skip-invalid to write the valid records).",
    ]
    assert counts() == before
    write(tmp_path, "n.csv", NO_OUTLET_SHEET.rsplit("Iran meddles", 1)[0])  # without the last row
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "3 rows read, 3 taken, 0 refused",
        f"Imported {path}.",
        *table(("entity", 3, 0, 0), ("source", 3, 0, 0), ("claim", 1, 0, 0), ("statement", 3, 0, 0)),
    ]
    after = counts()
    assert (after["sources"] - before["sources"], after["statements"] - before["statements"]) == (3, 3)
    listed = invoke("source", "list", "--format", "csv").stdout.splitlines()
    # without an outlet the key is the title's slug and a digest of title and date
    assert listed[1:] == [
        f"a-u-s-intelligence-assessment-{digest(None, 'A U.S. intelligence assessment', None, length=8)},,A U.S. intelligence assessment,,,1",
        f"afp-{digest('AFP', 'AFP story', None, length=8)},AFP,AFP story,,,1",
        "fbi-statement,,,,,1",
    ]
    shown = invoke("source", "show", "fbi-statement").stdout
    assert next(line for line in shown.splitlines() if line.startswith("outlet:")) == "outlet: (no outlet)"
    again = invoke(*args)
    assert again.stdout.splitlines()[2:] == table(("entity", 0, 0, 3), ("source", 0, 0, 3), ("claim", 0, 0, 1), ("statement", 0, 0, 3))


BAD_SHEET = """\
statement,who,date
Iran supplies weapons to Shiite militias in Iraq,Leon Panetta,2011-07-11
Iran trains militias in Iraq,Iran,11 July 2011
Iran denies arming militias,Iran,2011-07
"""


def test_a_bad_row_refuses_the_import_or_is_skipped_to_the_reject_file(invoke, counts, tmp_path):
    path = write(tmp_path, "bad.csv", BAD_SHEET)
    args = ("import", str(path), "--map", "statement=claim,who=speaker,date=said_on", "--outlet", "AFP")
    before = counts()
    refused = invoke(*args)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines() == [
        'bad.csv:3: said_on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY',
        "3 rows read, 2 taken, 1 refused",
        '  1 refused: said_on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY',
        f"Error: 1 problem in {path}; nothing was written (fix them, or use --skip-invalid to write the valid records).",
    ]
    assert counts() == before

    rejects = tmp_path / "rejected.jsonl"
    skipped = invoke(*args, "--skip-invalid", "--reject-file", str(rejects))
    assert skipped.exit_code == 0, skipped.output
    assert skipped.stdout.splitlines() == [
        "3 rows read, 2 taken, 1 refused",
        '  1 refused: said_on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY',
        f"Imported {path}.",
        *table(("entity", 3, 0, 0), ("source", 1, 0, 0), ("claim", 2, 0, 0), ("statement", 2, 0, 0)),
        "1 invalid record skipped.",
    ]
    assert skipped.stderr == f"1 refused record listed in {rejects}\n"
    message = 'bad.csv:3: said_on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY'
    assert [json.loads(line) for line in rejects.read_text().splitlines()] == [{
        "location": "bad.csv:3: error",
        "problems": [message],
        "record": {"type": "error", "message": message, "field": "said_on", "reason": message.split("said_on: ", 1)[1],
                   # the row as read, cell by cell
                   "raw": ["Iran trains militias in Iraq", "Iran", "11 July 2011"]},
    }]  # fmt: skip
    after = counts()
    assert (after["claims"], after["statements"]) == (2, 2)
    assert invoke("claim", "show", claim_key_for("Iran trains militias in Iraq")).exit_code == 1


def test_a_problem_the_importer_finds_in_a_converted_row_names_file_and_line(invoke, counts, tmp_path):
    path = write(tmp_path, "long.csv", "statement,rating\nA claim,ok\nAnother claim," + "x" * 201 + "\n")
    before = counts()
    result = invoke("import", str(path), "--map", "statement=claim,rating=verdict", "--reviewer", "Checker")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "long.csv:3: verdict.rating: 201 characters is longer than the limit of 200"
    assert result.stderr.splitlines()[1] == "2 rows read, 2 taken, 0 refused"
    assert counts() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--map", "a=claim"), "Error: --map: only for spreadsheets (csv, tsv); {path} is read as a yaml bundle"),
        (("--preset", "liar", "--no-header"), "Error: --preset, --no-header: only for spreadsheets (csv, tsv); {path} is read as a yaml bundle"),
        (("--format", "json", "--delimiter", ";"), "Error: --delimiter: only for spreadsheets (csv, tsv); {path} is read as a json bundle"),
        (("--format", "claimreview", "--outlet", "AFP"), "Error: --outlet: only for spreadsheets (csv, tsv); {path} is read as schema.org ClaimReview JSON-LD"),
    ],
)  # fmt: skip
def test_spreadsheet_options_with_another_format_are_a_usage_error(invoke, counts, tmp_path, args, message):
    path = write(tmp_path, "b.yaml", "entities:\n- {name: Iran, kind: government}\n")
    before = counts()
    result = invoke("import", str(path), *args)
    assert (result.exit_code, result.stderr) == (2, message.format(path=path) + "\n")
    assert counts() == before


def test_a_wrong_map_or_standard_input_for_a_sheet_is_refused_before_reading(invoke, tmp_path):
    path = write(tmp_path, "claims.csv", SHEET)
    result = invoke("import", str(path), "--map", "statement=claim,who=speakr")
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: --map: unknown field "speakr" for column "who"; fields: claim, claim.key,')
    stdin = invoke("import", "-", "--format", "csv", "--map", "statement=claim", input=SHEET)
    assert (stdin.exit_code, stdin.stderr) == (2, "Error: --format csv reads a file, not standard input; give the file's path\n")


def test_an_entity_already_stored_keeps_its_kind(invoke, tmp_path):
    # a sheet's speakers are people unless a column says otherwise: that guess must not turn
    # the government of Iran (named by its alias) into a person, nor AFP into anything else
    assert invoke("entity", "add", "Iran", "--kind", "government", "--alias", "Tehran").exit_code == 0
    assert invoke("entity", "add", "AFP", "--kind", "organization").exit_code == 0
    path = write(tmp_path, "k.csv", "text,who,kind\nIran arms militias,Tehran,person\nIran is arming militias,Leon Panetta,\n")
    result = invoke("import", str(path), "--map", "text=claim,who=speaker,kind=speaker.kind", "--outlet", "AFP")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[4] == "entity     1        0        2"
    entities = {e["name"]: e["kind"] for e in json.loads(invoke("entity", "list", "--format", "json").stdout)}
    assert entities == {"Iran": "government", "AFP": "organization", "Leon Panetta": "person"}
    shown = json.loads(invoke("claim", "show", claim_key_for("Iran arms militias"), "--format", "json").stdout)
    assert [s["speaker"] for s in shown["statements"]] == [{"name": "Iran", "kind": "government", "anonymous": False}]
