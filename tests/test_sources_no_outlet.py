"""Sources without an outlet: an original nobody has seen is recorded without an invented
outlet; every listing, report, check, export and the HTML site handle it, and for counting
each such story is an unknown outlet of its own, never merged with another."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

BUNDLE = """\
entities:
- {name: AFP, kind: media}
- {name: Leon Panetta, kind: person}
- {name: Iran, kind: government}
sources:
- {key: assessment, kind: assessment, title: A U.S. intelligence assessment, published_on: 2020-10}
- {key: unseen}
- {key: afp-copy, outlet: AFP, republishes: unseen}
claims:
- {key: iran-meddles, text: Iran meddles in the election}
statements:
- {claim: iran-meddles, speaker: Leon Panetta, stance: asserts, source: assessment, quote: Iran is meddling}
- {claim: iran-meddles, speaker: Leon Panetta, stance: asserts, source: unseen, quote: Iran is meddling}
- {claim: iran-meddles, speaker: Iran, stance: denies, source: unseen, quote: We never meddle}
- {claim: iran-meddles, speaker: Iran, stance: denies, source: afp-copy, quote: We never meddle}
"""


@pytest.fixture
def loaded(invoke: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    path = tmp_path / "no-outlet.yaml"
    path.write_text(BUNDLE, encoding="utf-8")
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.output
    return invoke


def test_source_add_without_outlet_and_with_publisher(invoke: Callable[..., Result]) -> None:
    added = invoke("source", "add", "--key", "fbi-statement", "--kind", "statement", "--publisher", "FBI", "--create")
    assert added.exit_code == 0, added.output
    assert added.stdout.splitlines()[-1] == 'Added source 1 "fbi-statement" (FBI).'
    bare = invoke("source", "add", "--key", "unseen-original")
    assert bare.stdout == 'Added source 2 "unseen-original" (no outlet).\n'
    shown = json.loads(invoke("source", "show", "unseen-original", "--format", "json").stdout)
    assert (shown["outlet"], shown["updates"], shown["versions"]) == (None, None, [])
    table = invoke("source", "show", "unseen-original").stdout
    assert "(no outlet)" in next(line for line in table.splitlines() if line.startswith("outlet:"))
    assert "None" not in table
    listed = invoke("source", "list", "--format", "csv").stdout
    assert listed.splitlines()[1:] == ["fbi-statement,FBI,,,,0", "unseen-original,,,,,0"]
    # an outlet given, then taken away
    assert invoke("source", "edit", "fbi-statement", "--outlet", "").exit_code == 0
    assert json.loads(invoke("source", "show", "fbi-statement", "--format", "json").stdout)["outlet"] is None


def test_each_story_without_outlet_is_an_outlet_of_its_own(loaded: Callable[..., Result]) -> None:
    report = json.loads(loaded("report", "claim", "iran-meddles", "--format", "json").stdout)
    summary = report["summary"]
    # two stories without an outlet: two outlets, not one; the AFP copy adds none
    assert (summary["statements"], summary["independent_sources"], summary["outlets"]) == (3, 2, 2)
    assert summary["supporting_outlets"] == 2
    assert not [f for f in summary["flags"] if f["flag"] == "one-outlet"]
    denial = next(s for s in report["statements"] if s["stance"] == "denies")
    assert denial["source"]["outlet"] is None and denial["source"]["independent_outlet"] is None
    assert denial["carried_by"] == ["AFP"]
    assert [c["source"] for c in denial["copies"]] == ["afp-copy"]


def test_one_source_without_outlet_is_flagged_as_one_outlet(invoke: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(
        "entities:\n- {name: Leon Panetta, kind: person}\n- {name: Jones, kind: person}\n"
        "sources:\n- {key: unseen}\n"
        "claims:\n- {key: c, text: A claim}\n"
        "statements:\n- {claim: c, speaker: Leon Panetta, stance: asserts, source: unseen}\n"
        "- {claim: c, speaker: Jones, stance: asserts, source: unseen}\n",
        encoding="utf-8",
    )
    assert invoke("import", str(path)).exit_code == 0
    flags = json.loads(invoke("report", "claim", "c", "--format", "json").stdout)["summary"]["flags"]
    assert flags[0] == {
        "flag": "one-outlet",
        "detail": "all 2 supporting statements come from one outlet ((no outlet): unseen; republications count as "
        "their original's outlet)",
    }
    check = invoke("check", "--format", "json", "--fail-on", "error")
    assert any(f["code"] == "single-outlet" and "(no outlet): unseen" in f["message"] for f in json.loads(check.stdout))


@pytest.mark.parametrize("report", [
    ["claim", "iran-meddles"], ["entity", "Iran"], ["contested"], ["sourcing"], ["timeline", "--claim", "iran-meddles"],
])  # fmt: skip
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html", "json"])
def test_every_report_and_format_handles_a_source_without_outlet(
    loaded: Callable[..., Result], report: list[str], fmt: str
) -> None:
    result = loaded("report", *report, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "None" not in result.stdout
    if fmt in ("table", "markdown", "html") and report[0] in ("claim", "timeline"):
        assert "(no outlet)" in result.stdout


def test_site_export_and_round_trip(loaded: Callable[..., Result], tmp_path: Path) -> None:
    assert loaded("report", "site", str(tmp_path / "site")).exit_code == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "(no outlet)" in pages and "None" not in pages
    exported = json.loads(loaded("export", "--format", "json").stdout)
    sources = {s["key"]: s for s in exported["sources"]}
    assert sources["unseen"] == {"key": "unseen"}
    assert sources["assessment"] == {"key": "assessment", "kind": "assessment",
                                     "title": "A U.S. intelligence assessment", "published_on": "2020-10"}  # fmt: skip
    again = tmp_path / "again.json"
    again.write_text(json.dumps(exported), encoding="utf-8")
    summary = json.loads(loaded("import", str(again), "--summary-format", "json").stdout)
    assert summary["counts"]["source"] == {"created": 0, "updated": 0, "unchanged": 3}
    search = loaded("search", "meddling", "--format", "json")
    assert search.exit_code == 0, search.output


def test_the_seed_records_the_unnamed_site_without_an_invented_outlet(seeded_db: str, invoke) -> None:
    """Seed 003 is AFP copy on a site the page does not name: no outlet, a copy of AFP's story."""
    shown = json.loads(invoke("source", "show", "site-2019-12-17-baghdad-must-take-actions", "--format", "json").stdout)
    assert (shown["outlet"], shown["republishes"]) == (None, "afp-2019-12-baghdad-must-take-actions")
    assert invoke("entity", "show", "Unnamed outlet (AFP republication, 2019)").exit_code == 1
    report = json.loads(invoke("report", "claim", "attacks-on-us-bases-concern-2019", "--format", "json").stdout)
    esper = next(s for s in report["statements"] if s["speaker"]["name"] == "Mark Esper")
    assert esper["source"]["outlet"] is None and esper["source"]["independent_outlet"] == "AFP"


def test_claimreview_names_no_publisher_for_a_source_without_outlet(invoke, tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(
        "entities:\n- {name: Leon Panetta, kind: person}\n- {name: Example Fact Check, kind: organization}\n"
        "sources:\n- {key: unseen, url: 'https://example.org/unseen'}\n"
        "claims:\n- {key: c, text: A claim}\n"
        "statements:\n- {claim: c, speaker: Leon Panetta, stance: asserts, source: unseen}\n"
        "verdicts:\n- {claim: c, reviewer: Example Fact Check, rating: 'False', url: 'https://example.org/check'}\n",
        encoding="utf-8",
    )
    assert invoke("import", str(path)).exit_code == 0
    result = invoke("export", "--format", "claimreview", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    (review,) = json.loads(result.stdout)["@graph"]
    (appearance,) = review["itemReviewed"]["appearance"]
    assert appearance == {"@type": "CreativeWork", "url": "https://example.org/unseen", "identifier": "unseen"}
