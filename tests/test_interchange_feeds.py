"""The feeds fact-checkers exchange: DataCommons DataFeed, Fact Check Tools API responses,
ClaimsKG exports, HTML pages, LIAR-PLUS. Fixtures in tests/data/interchange are written
from the documented shapes (schema.org, Google's API reference, ClaimsKG's Explorer and
extractor, LIAR-PLUS's README); no third-party file is copied."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from factdb.keys import claim_key_for
from factdb.sessions import read_session
from factdb.transfer import claimreview_problems, detect_format, records_from
from factdb.verdicts import claim_verdicts

DATA = Path(__file__).parent / "data" / "interchange"
LEAD = claim_key_for("The city water supply contains dangerous levels of lead")
BRIDGE = claim_key_for("A new bridge will open next month")


def of_kind(records, kind):
    return [record for k, record, _ in records if k == kind]


def convert(name, fmt, **options):
    conversion = records_from(DATA / name, fmt, options)
    return list(conversion), conversion.summary


@pytest.mark.parametrize(
    ("name", "fmt", "seen"),
    [
        ("factcheck_api.json", "factcheck-api", "looks like a Fact Check Tools API response (claims[].claimReview)"),
        ("datafeed.json", "datafeed", "looks like a DataCommons DataFeed (dataFeedElement[].item)"),
        ("claimskg_explorer.csv", "claimskg", "looks like a ClaimsKG CSV export (its columns in the first line)"),
        ("claimskg_extractor.csv", "claimskg", "looks like a ClaimsKG CSV export (its columns in the first line)"),
        ("claimskg_sparql.json", "claimskg", "looks like ClaimsKG SPARQL results (results.bindings)"),
        ("page.html", "html", 'the ending ".html"'),
        ("liar_plus.tsv", "tsv", 'the ending ".tsv"'),
    ],
)
def test_auto_detection_names_what_it_saw(name, fmt, seen):
    found = detect_format(DATA / name)
    assert (found.format, found.seen) == (fmt, seen)


def test_an_html_page_without_its_ending_is_told_by_its_markup(tmp_path):
    path = tmp_path / "saved-page"
    path.write_text((DATA / "page.html").read_text(encoding="utf-8"), encoding="utf-8")
    found = detect_format(path)
    assert (found.format, found.seen) == ("html", "an HTML page (its markup is read for JSON-LD and microdata)")


def test_a_fact_check_tools_api_response():
    records, summary = convert("factcheck_api.json", "factcheck-api")
    assert summary.lines(verbose=True) == [
        "3 reviews read, 3 taken, 0 refused",
        "  dropped: 1 field of kinds claimReview.imageUrl (1)",
        '    factcheck_api.json:claims[0].claimReview[1]: imageUrl: "https://otherverifier.net/img/1234.png" (not kept)',
    ]
    (statement,) = of_kind(records, "statement")
    assert {k: statement[k] for k in ("claim", "speaker", "stance", "said_on")} == {
        "claim": LEAD, "speaker": "Jane Official", "stance": "asserts", "said_on": "2023-03-01",
    }  # fmt: skip
    assert {"name": "Jane Official", "kind": "other"} in of_kind(records, "entity")
    verdicts = of_kind(records, "verdict")
    assert verdicts[0] == {
        "claim": LEAD, "reviewer": "Example Checks", "reviewer_url": "https://examplechecks.org", "rating": "False",
        "reviewed_on": "2023-03-04", "url": "https://examplechecks.org/2023/03/lead-water",
        "title": "No, the city's water is within the lead limit", "language": "en", "statement": statement["key"],
    }  # fmt: skip
    # both reviews rate the claimant's statement; the second claim has no claimant: claim-level
    assert [(v["reviewer"], v["rating"], "statement" in v) for v in verdicts] == [
        ("Example Checks", "False", True), ("Other Verifier", "Misleading", True), ("Example Checks", "Unproven", False),
    ]  # fmt: skip
    assert of_kind(records, "claim") == [{"key": LEAD, "text": "The city water supply contains dangerous levels of lead"},
                                         {"key": BRIDGE, "text": "A new bridge will open next month"}]  # fmt: skip


def test_a_datacommons_datafeed():
    records, summary = convert("datafeed.json", "datafeed")
    assert summary.lines()[0] == "2 reviews read, 2 taken, 0 refused"
    verdicts = of_kind(records, "verdict")
    assert [(v["claim"], v["rating"], v["reviewer_url"]) for v in verdicts] == [
        (LEAD, "False", "https://examplechecks.org/"), (BRIDGE, "Unproven", "https://examplechecks.org/"),
    ]  # fmt: skip
    (statement,) = of_kind(records, "statement")
    assert (statement["speaker"], statement["speaker_title"]) == ("Jane Official", "City councillor")
    assert of_kind(records, "source")[0]["url"] == "https://social.example/posts/98765"
    assert [location for kind, _, location in records if kind == "verdict"] == [
        "datafeed.json:dataFeedElement[0].item[0]", "datafeed.json:dataFeedElement[1].item",
    ]  # fmt: skip


def test_claimskg_explorer_csv_keeps_the_normalized_rating():
    records, summary = convert("claimskg_explorer.csv", "claimskg")
    assert summary.lines()[0] == "2 rows read, 2 taken, 0 refused"
    assert dict(summary.dropped) == {"column id": 2, "column named_entities_claim": 1}
    first, second = of_kind(records, "verdict")
    assert {k: v for k, v in first.items() if k != "statement"} == {
        "claim": LEAD, "reviewer": "Example Checks", "reviewer_url": "https://examplechecks.org", "rating": "FALSE",
        "rating_value": 1, "best_rating": 3, "worst_rating": 1, "normalized_rating": "FALSE",
        "url": "https://examplechecks.org/2023/03/lead-water", "title": "No, the city's water is within the lead limit",
        "language": "English",
    }  # fmt: skip
    # OTHER has no place on ClaimsKG's scale; "Unknown" is no claimant and no date
    assert (second["rating"], second.get("rating_value"), "statement" in second) == ("OTHER", None, False)
    assert [s["speaker"] for s in of_kind(records, "statement")] == ["Jane Official"]
    assert of_kind(records, "claim")[0]["tags"] == ["health", "water"] or of_kind(records, "claim")[0]["tags"] == [
        "water", "health"]  # fmt: skip


def test_claimskg_extractor_csv_keeps_the_sites_own_rating():
    records, summary = convert("claimskg_extractor.csv", "claimskg")
    (verdict,) = of_kind(records, "verdict")
    assert {k: v for k, v in verdict.items() if k not in ("statement", "claim")} == {
        "reviewer": "Example Checks", "reviewer_url": "https://examplechecks.org", "authors": ["A. Reporter"],
        "rating": "Pants on Fire", "rating_value": 1, "best_rating": 5, "worst_rating": 1, "reviewed_on": "2023-03-04",
        "url": "https://examplechecks.org/2023/03/lead-water", "title": "No, the city's water is within the lead limit",
        "review_body": "The lead level was below the limit in every sample.",
        "claimant_same_as": ["https://en.wikipedia.org/wiki/Example"],
    }  # fmt: skip
    assert dict(summary.dropped) == {"column extra_refered_links": 1}


def test_claimskg_sparql_results_read_like_the_explorer_csv():
    records, _ = convert("claimskg_sparql.json", "claimskg")
    explorer, _ = convert("claimskg_explorer.csv", "claimskg")
    first = of_kind(records, "verdict")[0]
    assert first == {k: v for k, v in of_kind(explorer, "verdict")[0].items() if k != "title"}


def test_an_html_page_json_ld_and_microdata_with_relative_urls():
    records, summary = convert("page.html", "html")
    assert summary.lines() == ["2 reviews read, 2 taken, 0 refused"]
    verdicts = of_kind(records, "verdict")
    # relative URLs resolved against the page's <link rel="canonical">
    assert [(v["url"], v["reviewer_url"]) for v in verdicts] == [
        ("https://examplechecks.org/2023/03/lead-water", "https://examplechecks.org/"),
        ("https://examplechecks.org/2023/04/bridge", "https://examplechecks.org/"),
    ]
    assert verdicts[0]["reviewer_same_as"] == ["https://social.example/examplechecks"]
    assert [location for kind, _, location in records if kind == "verdict"] == ["page.html:[0].@graph[1]", "page.html:[1]"]
    # --base-url wins over the page's own
    records, _ = convert("page.html", "html", base_url="https://mirror.example/checks/")
    assert of_kind(records, "verdict")[0]["url"] == "https://mirror.example/2023/03/lead-water"


def test_an_html_page_without_a_url_of_its_own_drops_relative_urls(tmp_path):
    text = (DATA / "page.html").read_text(encoding="utf-8")
    text = text.replace('<link rel="canonical" href="https://examplechecks.org/2023/03/lead-water">', "")
    text = text.replace('<meta property="og:url" content="https://examplechecks.org/2023/03/lead-water?utm=x">', "")
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    records, summary = convert_path(path, "html")
    assert [v.get("url") for v in of_kind(records, "verdict")] == [None, None]
    assert summary.dropped["url"] == 2 and summary.dropped["author.url"] == 2


def convert_path(path, fmt):
    conversion = records_from(path, fmt)
    return list(conversion), conversion.summary


def test_an_html_page_with_broken_json_ld_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text('<html><head><script type="application/ld+json">{"@type": </script></head></html>', encoding="utf-8")
    records, summary = convert_path(path, "html")
    assert [r["message"] for k, r, _ in records if k == "error"] == [
        "broken.html: json-ld: a JSON-LD block is not JSON (Expecting value: line 1 column 11 (char 10))"
    ]


def test_liar_plus_preset_names_and_justifications():
    records, summary = convert("liar_plus.tsv", "tsv", preset="liar-plus")
    assert summary.lines()[0] == "3 rows read, 3 taken, 0 refused"
    names = [record["name"] for record in of_kind(records, "entity")]
    # the justification spells the slug's name; a job title or "none" is never an entity
    assert names == ["Democratic Party", "Beto O'Rourke", "PolitiFact", "Jane Doe Smith"]
    statements = of_kind(records, "statement")
    assert [s["speaker"] for s in statements] == ["Beto O'Rourke", "Jane Doe Smith"]
    assert statements[1]["speaker_title"] == "talk show host"
    verdicts = of_kind(records, "verdict")
    assert verdicts[0]["rating_explanation"].startswith("Beto O'Rourke said the stadium \"cost taxpayers nothing.\"")
    assert [("statement" in v, v["rating"]) for v in verdicts] == [(True, "false"), (True, "true"), (False, "half-true")]
    assert summary.dropped["affiliation"] == 2 and summary.dropped["speaker"] == 1
    assert of_kind(records, "source")[0]["key"] == "politifact-liar-101"


def test_colliding_keys_with_other_content_are_reported_and_the_first_kept(tmp_path):
    path = tmp_path / "abortion.tsv"
    row = "{id}.json\tfalse\t{text}\tabortion\tjane-doe\tMayor\tOhio\tdemocrat\t0\t0\t0\t0\t0\ta debate\n"
    path.write_text(row.format(id=1, text="On abortion") + row.format(id=2, text="On abortion."), encoding="utf-8")
    conversion = records_from(path, "tsv", {"preset": "liar"})
    records = list(conversion)
    key = claim_key_for("On abortion")
    assert of_kind(records, "claim") == [{"key": key, "text": "On abortion", "tags": ["abortion"]}]
    assert conversion.summary.warnings == [
        f'abortion.tsv:2: claim {key!r} has the key of abortion.tsv:1 with other content (text "On abortion." here, '
        '"On abortion" there); the first is kept'
    ]
    # both rows' statements and verdicts stay, on the one claim
    assert Counter(k for k, _, _ in records) == {"entity": 3, "source": 2, "claim": 1, "statement": 2, "verdict": 2}


# --- through the CLI, on both backends ------------------------------------------------------

FIXTURES = [
    ("factcheck_api.json", ()),
    ("datafeed.json", ()),
    ("claimskg_explorer.csv", ()),
    ("claimskg_extractor.csv", ()),
    ("claimskg_sparql.json", ()),
    ("page.html", ()),
    ("liar_plus.tsv", ("--preset", "liar-plus")),
]


@pytest.mark.parametrize(("name", "options"), FIXTURES)
def test_every_format_imports_and_a_second_import_changes_nothing(invoke, counts, name, options):
    first = invoke("import", str(DATA / name), *options, "--summary-format", "json")
    assert first.exit_code == 0, first.output
    created = json.loads(first.stdout)["counts"]
    assert created["claim"]["created"] >= 1 and created["verdict"]["created"] >= 1
    before = counts()
    again = invoke("import", str(DATA / name), *options, "--summary-format", "json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)["counts"]
    assert all(c["created"] == 0 and c["updated"] == 0 for c in report.values()), report
    after = counts()
    # no row changes; history gets the one "import" entry and nothing else
    assert {t: n for t, n in after.items() if t != "history"} == {t: n for t, n in before.items() if t != "history"}
    assert after["history"] == before["history"] + 1


@pytest.mark.parametrize(("name", "options"), FIXTURES)
def test_every_format_exports_as_valid_claimreview(invoke, name, options):
    assert invoke("import", str(DATA / name), *options).exit_code == 0
    result = invoke("export", "--format", "claimreview")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    for node in document["@graph"]:
        assert claimreview_problems(node) == []
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped verdict ")]
    # LIAR-PLUS gives no review URL, which Google requires: every verdict is listed, none written
    if name == "liar_plus.tsv":
        assert len(skipped) == 3 and document["@graph"] == []
        assert result.stderr.splitlines()[-1] == (
            "3 verdicts not written: incomplete for Google's ClaimReview (--allow-incomplete writes them)"
        )
    else:
        assert skipped == []


def test_statement_verdicts_from_the_api_in_the_database(invoke, engine):
    assert invoke("import", str(DATA / "factcheck_api.json")).exit_code == 0
    with read_session(engine) as session:
        rated = [(v["reviewer"]["name"], v["rates"], v["statement"] and v["statement"]["speaker"])
                 for v in claim_verdicts(session, LEAD)]  # fmt: skip
    assert sorted(rated) == [("Example Checks", "statement", "Jane Official"),
                             ("Other Verifier", "statement", "Jane Official")]  # fmt: skip


def test_an_import_that_took_nothing_exits_non_zero_and_counts_every_problem(invoke, counts, tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("".join(f"{n}.json\tunverified\tClaim {n}\n" for n in range(1284)), encoding="utf-8")
    refused = invoke("import", str(path), "--preset", "liar")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        f"Error: 1284 problems in {path}; nothing was written (fix them, or use --skip-invalid to write the valid records)."
    )
    before = counts()
    skipped = invoke("import", str(path), "--preset", "liar", "--skip-invalid")
    assert skipped.exit_code == 1
    assert skipped.stderr.splitlines()[-1] == f"Error: Nothing was imported from {path}: every record was refused."
    assert counts() == {**before, "history": counts()["history"]}
    rejects = [json.loads(line) for line in Path(f"{path}.rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 1284
    assert rejects[0]["record"]["raw"] == ["0.json", "unverified", "Claim 0"]


def test_liar_valid_exports_no_claimreview_google_would_refuse(shared_dir, invoke):
    path = shared_dir / "data" / "liar" / "valid.tsv"
    assert invoke("import", str(path), "--preset", "liar").exit_code == 0
    result = invoke("export", "--format", "claimreview")
    assert result.exit_code == 0
    # LIAR gives no review URLs, which Google requires: all 1284 listed, none written
    assert json.loads(result.stdout)["@graph"] == []
    lines = result.stderr.splitlines()
    assert len(lines) == 1285 and lines[-1] == (
        "1284 verdicts not written: incomplete for Google's ClaimReview (--allow-incomplete writes them)"
    )
    assert all(line.endswith(": url: required (the absolute URL of the page hosting the fact check)") for line in lines[:-1])
    everything = json.loads(invoke("export", "--format", "claimreview", "--allow-incomplete").stdout)["@graph"]
    assert len(everything) == 1284
    assert {tuple(claimreview_problems(node)) for node in everything} == {
        ("url: required (the absolute URL of the page hosting the fact check)",)
    }
    # each rates its statement: the speaker LIAR names, with the job title
    assert everything[0]["itemReviewed"]["identifier"].startswith("urn:factdb:statement:politifact-liar-")
