"""The house rules a user sees: every wrong call is one line (with a suggestion when one is
close), success is printed only after COMMIT, edits that change nothing are refused, a
republication cycle is refused at write time, a missing driver names the extra to install.

Every case runs on both backends against the seed-000 session database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner
from faults_support import assert_same, snapshot

import factdb.sessions
from factdb.cli import cli
from factdb.migrate import known_revisions

SRC = ["--source", "afp-2011-07-10"]

USAGE = [
    (["atribute"], "factdb: No such command 'atribute'. Did you mean \"attribute\"?"),
    (["report", "claimz"], "factdb report: No such command 'claimz'. Did you mean \"claim\"?"),
    (["report", "claim"], "factdb report claim: Missing argument 'CLAIM'."),
    (["report", "contested", "--limit", "0"],
     "factdb report contested: Invalid value for '--limit': 0 is not in the range x>=1."),
    (["history", "--bogus"], "factdb history: No such option '--bogus'."),
    (["search"], "factdb search: Missing argument 'TEXT'."),
    (["check", "extra"], "factdb check: Got unexpected extra argument (extra)"),
    (["source", "attach-text"], "factdb source attach-text: Missing argument 'SOURCE'."),
    (["seed", "--bogus"], "factdb seed: No such option '--bogus'."),
    (["import"], "factdb import: Missing argument 'FILE'."),
    (["export", "--format", "yml"],
     "factdb export: Invalid value for '--format': 'yml' is not one of 'yaml', 'json', 'jsonl', 'claimreview'. "
     'Did you mean "yaml"?'),
    (["init", "--bogus"], "factdb init: No such option '--bogus'."),
    (["info", "extra"], "factdb info: Got unexpected extra argument (extra)"),
    (["attribute", "iran-arms-militias", "--speaker", "Iran", "--stance", "assert", *SRC],
     "factdb attribute: Invalid value for '--stance': 'assert' is not one of 'asserts', 'acknowledges', "
     "'denies', 'disputes', 'retracts', 'no-comment'. Did you mean \"asserts\"?"),
    (["claim", "list", "--format", "jsn"],
     "factdb claim list: Invalid value for '--format': 'jsn' is not one of 'table', 'json', 'csv', 'markdown'. "
     'Did you mean "json"?'),
    (["--db"], "factdb: Option '--db' requires an argument."),
    (["claim", "list", "--formt", "json"], "factdb claim list: No such option '--formt'. Did you mean '--format'?"),
    # invalid calls that used to exit 0: an edit without a change
    (["claim", "edit", "iran-arms-militias"],
     "factdb claim edit: nothing to change; give --text, --key, --tag, --untag, --note."),
    (["entity", "edit", "Iran"],
     "factdb entity edit: nothing to change; give --name, --kind, --part-of, --no-part-of, --note."),
    (["source", "edit", "afp-2011-07-10"],
     "factdb source edit: nothing to change; give --kind, --outlet, --title, --url, --author, --published, "
     "--republishes, --updates, --published-time, --modified-time, --text-state, --note."),
    (["statement", "edit", "1"],
     "factdb statement edit: nothing to change; give --speaker, --anonymous, --affiliation, --source, --claim, "
     "--via, --stance, --certainty, --hedge, --verb, --quote, --quote-kind, --said-on, --title, --responds-to, "
     "--note."),
]


@pytest.mark.parametrize(("args", "message"), USAGE, ids=[" ".join(a)[:40] for a, _ in USAGE])
def test_every_wrong_call_is_one_line(replayed_session, invoke, counts, args: list[str], message: str) -> None:
    before = counts()
    result = invoke(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"Error: {message}\n", "")
    assert counts() == before


def test_a_bare_group_lists_its_commands_on_one_line(replayed_session, invoke) -> None:
    result = invoke("report")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: factdb report: give a command: claim, contested, entity, site, sourcing, timeline (or --help).\n"
    )
    assert invoke("report", "--help").stdout.startswith("Usage: cli report [OPTIONS] COMMAND [ARGS]...")


REFUSED = [
    (["search", "iran", "--since", ""], 1, "since: give a date as YYYY-MM-DD, YYYY-MM or YYYY"),
    (["search", "iran", "--until", ""], 1, "until: give a date as YYYY-MM-DD, YYYY-MM or YYYY"),
    (["report", "contested", "--since", ""], 1, "since: give a date as YYYY-MM-DD, YYYY-MM or YYYY"),
    (["init", "--revision", "Leon Panetta"], 1,
     f'No schema revision "Leon Panetta"; give head, base or one of {", ".join(known_revisions())}.'),
    (["entity", "add", "\udcff\udcfe", "--kind", "person"], 2, 'factdb: argument 5 ("\\xff\\xfe") is not UTF-8 text.'),
    (["report", "contested", "--tag", ""], 1, "tag: must not be empty"),
]


@pytest.mark.parametrize(("args", "code", "message"), REFUSED, ids=[a[0] + str(i) for i, (a, _, _) in enumerate(REFUSED)])
def test_bad_values_are_one_line_not_internal_errors(replayed_session, invoke, counts, args, code, message) -> None:
    before = counts()
    result = invoke(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (code, f"Error: {message}\n", "")
    assert counts() == before


def test_report_tags_match_as_claim_tags_do(replayed_session, invoke) -> None:
    upper = json.loads(invoke("report", "contested", "--tag", "IRAN", "--format", "json").stdout)
    assert upper["filters"]["tag"] == "iran"
    assert [c["claim"] for c in upper["claims"]] == ["iran-arms-militias"]


# --- success is printed after COMMIT ----------------------------------------------------------

# (setup commands, the command) for the 14 commands that write and say so
WRITES = [
    ([], ["claim", "add", "Iran trains militias", "--key", "iran-trains"]),
    ([], ["claim", "edit", "iran-arms-militias", "--note", "n"]),
    ([["claim", "add", "Iran arms Iraqi militias", "--key", "dup"]], ["claim", "merge", "dup", "iran-arms-militias"]),
    ([], ["entity", "add", "Robert Gates", "--kind", "person"]),
    ([], ["entity", "edit", "Iran", "--note", "n"]),
    ([], ["entity", "alias", "remove", "Iran", "Tehran"]),
    ([], ["entity", "role", "add", "Leon Panetta", "CIA director"]),
    ([], ["entity", "role", "remove", "Leon Panetta", "US Secretary of Defense"]),
    ([["entity", "add", "IRIB", "--kind", "media"]], ["entity", "merge", "IRIB", "Iran state television"]),
    ([], ["source", "add", "--key", "reuters-1", "--outlet", "AFP"]),
    ([], ["source", "edit", "afp-2011-07-10", "--note", "n"]),
    ([], ["attribute", "iran-arms-militias", "--speaker", "Iran", "--stance", "asserts", *SRC, "--quote", "q"]),
    ([], ["statement", "edit", "1", "--note", "n"]),
    ([], ["statement", "retract", "1", "--reason", "r"]),
]


@pytest.mark.parametrize(("setup", "args"), WRITES, ids=[" ".join(a[:3]) for _, a in WRITES])
def test_success_is_printed_only_after_commit(replayed_session, invoke, monkeypatch, setup, args) -> None:
    for command in setup:
        assert invoke(*command).exit_code == 0
    before = snapshot(replayed_session, export=False)

    def failing_commit(_connection: object) -> None:  # the last step before COMMIT
        raise sqlalchemy.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(factdb.sessions, "refresh", failing_commit)
    failed = invoke(*args)
    assert (failed.exit_code, failed.stdout) == (1, "")
    assert failed.stderr == "Error: Database error, nothing was written: disk I/O error\n"
    assert_same(before, snapshot(replayed_session, export=False), args)
    monkeypatch.undo()
    assert invoke(*args).stdout.startswith(("Added", "Updated", "Merged", "Removed", "Recorded", "Retracted"))


# --- republication cycles ---------------------------------------------------------------------


def _independent(invoke) -> int:
    report = json.loads(invoke("report", "claim", "iran-arms-militias", "--format", "json").stdout)
    return report["summary"]["independent_sources"]


def test_a_republication_cycle_is_refused_at_write_time(replayed_session, invoke, counts, tmp_path: Path) -> None:
    assert invoke("source", "add", "--key", "copy-1", "--outlet", "AFP", "--republishes", "afp-2011-07-10").exit_code == 0
    assert invoke("source", "add", "--key", "copy-2", "--outlet", "AFP", "--republishes", "copy-1").exit_code == 0
    before, independent = snapshot(replayed_session, export=False), _independent(invoke)

    direct = invoke("source", "edit", "afp-2011-07-10", "--republishes", "copy-1")
    assert (direct.exit_code, direct.stdout) == (1, "")
    assert direct.stderr == (
        'Error: source "afp-2011-07-10" cannot republish "copy-1", which already republishes it '
        '(the chain "afp-2011-07-10" -> "copy-1" -> "afp-2011-07-10" would be a cycle)\n'
    )
    chained = invoke("source", "edit", "afp-2011-07-10", "--republishes", "copy-2")
    assert chained.stderr == (
        'Error: source "afp-2011-07-10" cannot republish "copy-2", which already republishes it '
        '(the chain "afp-2011-07-10" -> "copy-2" -> "copy-1" -> "afp-2011-07-10" would be a cycle)\n'
    )

    bundle = tmp_path / "cycle.jsonl"
    bundle.write_text(
        '{"type": "source", "key": "afp-2011-07-10", "outlet": "AFP", "republishes": "copy-2"}\n', encoding="utf-8"
    )
    imported = invoke("import", str(bundle))
    assert (imported.exit_code, imported.stdout) == (1, "")
    assert imported.stderr == (
        f'{bundle}:1: source.republishes: "copy-2" already republishes this source, directly or through a chain: '
        "a cycle\n"
        f"Error: 1 problem in {bundle}; nothing was written (fix them, or use --skip-invalid to write the valid "
        "records).\n"
    )
    within = tmp_path / "within.jsonl"
    within.write_text(
        '{"type": "source", "key": "x", "outlet": "AFP", "republishes": "y"}\n'
        '{"type": "source", "key": "y", "outlet": "AFP", "republishes": "x"}\n',
        encoding="utf-8",
    )
    assert invoke("import", str(within)).stderr.startswith(
        f'{within}:2: source.republishes: "x" already republishes this source'
    )
    assert_same(before, snapshot(replayed_session, export=False))
    assert _independent(invoke) == independent


# --- PostgreSQL without its driver ------------------------------------------------------------


def test_a_postgresql_url_without_psycopg_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    result = CliRunner().invoke(cli, ["--db", "postgresql://reporter@db.example/factdb", "claim", "list"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: PostgreSQL needs the psycopg driver: install the PostgreSQL extra: pip install 'factdb[postgres]'\n"
    )
