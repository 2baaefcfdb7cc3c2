"""Versions and corrections: a source that ``updates`` another is a later version of the same
document. Reports read the newest version: a statement it repeats counts once, a statement
only an earlier version made is shown as such (with what the newest version has instead)
and never counted; a version chain is neither a copy nor an independent story."""

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
- {key: wire-v2, outlet: AFP, published_on: 2011-07-10, modified_time: '11:08', updates: wire-v1}
- {key: wire-v1, outlet: AFP, published_on: 2011-07-10, published_time: '11:06'}
claims:
- {key: evacuations, text: US forces evacuated people from Baghdad}
statements:
- {key: v1-two, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: wire-v1, quote: two evacuations}
- {key: v2-five, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: wire-v2, quote: five evacuations}
- {key: v1-deny, claim: evacuations, speaker: Iran, stance: denies, source: wire-v1, quote: No one was evacuated}
- {key: v2-deny, claim: evacuations, speaker: Iran, stance: denies, source: wire-v2, quote: No one was evacuated}
"""


@pytest.fixture
def loaded(invoke: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    path = tmp_path / "versions.yaml"
    path.write_text(BUNDLE, encoding="utf-8")  # wire-v2 names wire-v1 before it: resolved at the end
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.output
    return invoke


def _json(invoke: Callable[..., Result], *args: str) -> dict:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_newest_version_counts_and_what_changed_is_shown(loaded: Callable[..., Result]) -> None:
    report = _json(loaded, "report", "claim", "evacuations")
    summary = report["summary"]
    # Panetta once (five, not two), Iran's identical denial once; one story, one outlet
    assert (summary["statements"], summary["supporting"], summary["opposing"]) == (2, 1, 1)
    assert (summary["sources"], summary["independent_sources"], summary["outlets"], summary["copies"]) == (1, 1, 1, 0)
    by_key = {s["key"]: s for s in report["statements"]}
    assert set(by_key) == {"v1-two", "v2-five", "v2-deny"}
    assert by_key["v1-two"]["version"] == {
        "newest": "wire-v2", "in_earlier_version": True, "earlier_versions": [],
        "changed_to": {"statement": "v2-five", "stance": "asserts", "quote": "five evacuations"},
    }  # fmt: skip
    assert by_key["v2-deny"]["version"] == {
        "newest": "wire-v2", "in_earlier_version": False, "earlier_versions": ["wire-v1"], "changed_to": None,
    }  # fmt: skip
    assert by_key["v2-deny"]["carried_by"] == [] and by_key["v2-deny"]["copies"] == []
    text = loaded("report", "claim", "evacuations", env={"COLUMNS": "200"}).stdout
    assert 'version: in an earlier version only; the newest version (wire-v2) has: asserts "five evacuations"' in text
    assert "version: also in the earlier version wire-v1" in text
    assert "a copy of a story" not in text


def test_other_reports_leave_out_what_only_an_earlier_version_said(loaded: Callable[..., Result]) -> None:
    timeline = _json(loaded, "report", "timeline", "--claim", "evacuations")
    assert sorted(e["key"] for e in timeline["chronology"]) == ["v2-deny", "v2-five"]
    entity = _json(loaded, "report", "entity", "Leon Panetta")
    assert [s["key"] for c in entity["claims"] for s in c["statements"]] == ["v2-five"]


def test_source_show_lists_the_versions(loaded: Callable[..., Result]) -> None:
    shown = _json(loaded, "source", "show", "wire-v1")
    assert shown["updates"] is None
    assert shown["versions"] == [
        {"key": "wire-v1", "published_on": "2011-07-10", "modified_time": None, "statements": 2, "current": True},
        {"key": "wire-v2", "published_on": "2011-07-10", "modified_time": "11:08", "statements": 2, "current": False},
    ]
    assert _json(loaded, "source", "show", "wire-v2")["updates"] == "wire-v1"
    exported = {s["key"]: s for s in _json(loaded, "export")["sources"]}
    assert exported["wire-v2"]["updates"] == "wire-v1" and "updates" not in exported["wire-v1"]


def test_version_chains_are_checked(loaded: Callable[..., Result], counts: Callable[[], dict[str, int]]) -> None:
    before = counts()
    refused = [
        (("source", "add", "--key", "wire-v3", "--outlet", "AFP", "--updates", "wire-v1"),
         'Error: source "wire-v1" already has a later version, "wire-v2"; make "wire-v3" update "wire-v2"'),
        (("source", "edit", "wire-v1", "--updates", "wire-v2"),
         'Error: source "wire-v1" cannot update "wire-v2", which is already a later version of it '
         '(the chain "wire-v1" -> "wire-v2" -> "wire-v1" would be a cycle)'),
        (("source", "edit", "wire-v1", "--updates", "wire-v1"), 'Error: source "wire-v1" cannot be a later version of itself'),
        (("source", "delete", "wire-v1"), 'Error: Source "wire-v1" is still used by 2 statement(s) (v1-two, v1-deny); '
         "its later version wire-v2. Delete or move those first."),
    ]  # fmt: skip
    for args, message in refused:
        result = loaded(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.strip() == message
    assert counts() == before


def test_a_version_is_undone_and_redone_through_history(loaded: Callable[..., Result]) -> None:
    added = loaded("source", "add", "--key", "wire-v3", "--outlet", "AFP", "--updates", "wire-v2")
    assert added.stdout.endswith(' "wire-v3" (AFP, a later version of "wire-v2").\n'), added.output
    assert [v["key"] for v in _json(loaded, "source", "show", "wire-v1")["versions"]] == ["wire-v1", "wire-v2", "wire-v3"]
    # wire-v3 has no statements: the chain's newest version says nothing, so everything is earlier
    report = _json(loaded, "report", "claim", "evacuations")
    assert report["summary"]["statements"] == 0
    undone = loaded("undo")
    assert undone.exit_code == 0, undone.output
    assert [v["key"] for v in _json(loaded, "source", "show", "wire-v1")["versions"]] == ["wire-v1", "wire-v2"]
    assert _json(loaded, "report", "claim", "evacuations")["summary"]["statements"] == 2
    assert loaded("source", "edit", "wire-v2", "--updates", "").exit_code == 0
    assert _json(loaded, "report", "claim", "evacuations")["summary"]["statements"] == 4
    assert loaded("undo").exit_code == 0
    assert _json(loaded, "source", "show", "wire-v2")["updates"] == "wire-v1"


def test_a_bundle_version_cycle_is_refused(invoke: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(
        "sources:\n- {key: a, updates: b}\n- {key: b, updates: a}\n- {key: c, updates: c}\n", encoding="utf-8"
    )
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f'{path}:3: sources[1].updates: "a" already updates this source, directly or through a chain: a cycle',
        f"{path}:4: sources[2].updates: a source cannot update itself",
    ]


def test_reports_print_the_time_of_day_and_the_modified_time(invoke: Callable[..., Result]) -> None:
    # "Published 11:06, Modified 11:08": both as printed, in the statement's source
    for args in (["source", "add", "--key", "wire-1", "--outlet", "AFP", "--create", "--published", "2011-07-10",
                  "--published-time", "11:06", "--modified-time", "11:08"],
                 ["claim", "add", "US forces evacuated people", "--key", "evac"],
                 ["attribute", "evac", "--speaker", "Leon Panetta", "--create", "--stance", "asserts",
                  "--source", "wire-1", "--key", "s1"]):
        assert invoke(*args).exit_code == 0
    shown = json.loads(invoke("statement", "show", "s1", "--format", "json").stdout)["source"]
    assert (shown["published_time"], shown["modified_time"]) == ("11:06", "11:08")
    text = invoke("report", "claim", "evac", env={"COLUMNS": "100"}).stdout
    assert "source: AFP, 2011-07-10 11:06, modified 11:08" in text
