"""Undo of every write command that can add what issue 12 added: joint speakers, one utterance
on several claims, anonymous kinds and ids, source versions (--updates), source texts and quote
anchors (an import of `export --with-texts`). After the undo the database is exactly as before:
the full export, every row of every table (the claims' count columns too) and the row counts,
and the stored counts agree with a recount."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from daily_session import PANETTA_QUOTE
from test_fixing import _contents

from factdb.cli import cli
from factdb.counts import counts_drift
from factdb.db import create_engine

SOURCE = "afp-2011-07-10"
ARTICLE = f"Leon Panetta told NBC: \u201c{PANETTA_QUOTE}\u201d Tehran denied it. Officials said Iran trains militias.\n"
BUNDLE = f"""\
entities:
- {{name: CNN, kind: media}}
- {{name: Clemson Media Forensics Hub, kind: organization}}
sources:
- {{key: cnn-1, outlet: CNN, title: Russia accounts}}
- key: cnn-2
  outlet: CNN
  title: Russia accounts, updated
  updates: cnn-1
  text: "CNN and researchers found that Russia ran fake accounts."
- {{key: {SOURCE}-v2, outlet: AFP, updates: {SOURCE}}}
claims:
- {{key: russia-fake, text: Russia ran fake accounts}}
- {{key: russia-pays, text: Russia paid for ads}}
statements:
- key: cnn-found
  claim: russia-fake
  speaker: CNN
  joint_speakers:
  - speaker: Clemson Media Forensics Hub
  - {{speaker_description: researchers, speaker_affiliation: Clemson Media Forensics Hub, anonymous_kind: group,
     anonymous_id: R1}}
  - {{speaker_description: media reports, anonymous_kind: reports}}
  stance: asserts
  source: cnn-2
  quote: Russia ran fake accounts
  utterance: cnn-found
- {{key: cnn-found-2, claim: russia-pays, speaker: CNN, stance: asserts, source: cnn-2, utterance: cnn-found}}
- {{key: anon, claim: russia-pays, speaker_description: officials, anonymous_kind: group, anonymous_id: A1,
   stance: asserts, source: cnn-1}}
"""


def _state(url: str, invoke: Callable[..., Result]) -> tuple[str, dict[str, list], str]:
    export = invoke("export", "--with-texts")
    assert export.exit_code == 0, export.output
    info = [line for line in invoke("info").stdout.splitlines() if not line.strip().startswith("history:")]
    return export.stdout, _contents(url), "\n".join(info)


def _drift(url: str) -> list[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return counts_drift(conn)
    finally:
        engine.dispose()


def _richer_export(invoke: Callable[..., Result], tmp_path: Path) -> Path:
    """The test database's bundle, changed in a colleague's SQLite database with every issue-12
    field (joint speakers on a stored statement, an anonymous id, a new version, a stored text
    and its anchors, one utterance on two claims), exported --with-texts."""
    (tmp_path / "mine.yaml").write_text(invoke("export").stdout, encoding="utf-8")
    other = f"sqlite:///{tmp_path}/colleague.sqlite3"
    runner = CliRunner()

    def theirs(*args: str) -> None:
        result = runner.invoke(cli, ["--db", other, *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)

    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    theirs("init")
    theirs("import", str(tmp_path / "mine.yaml"))
    theirs("claim", "add", "Iran trains militias", "--key", "iran-trains")
    theirs("statement", "edit", "1", "--speaker", "Leon Panetta", "--speaker", "Kataib Hezbollah",
           "--anonymous", "a US official", "--affiliation", "Iran", "--anon-id", "U1",
           "--anonymous", "media reports", "--anonymous-kind", "reports", "--note", "joint now")  # fmt: skip
    theirs("statement", "edit", "2", "--anonymous", "Iranian officials", "--anonymous-kind", "group", "--anon-id", "A1")
    theirs("source", "add", "--key", f"{SOURCE}-v2", "--outlet", "AFP", "--updates", SOURCE)
    theirs("source", "attach-text", SOURCE, str(tmp_path / "article.txt"))
    theirs("attribute", "--claim", "iran-arms-militias", "--claim", "iran-trains", "--anonymous", "officials",
           "--anonymous-kind", "group", "--stance", "asserts", "--source", SOURCE, "--key", "officials-said")
    path = tmp_path / "theirs.yaml"
    path.write_text(runner.invoke(cli, ["--db", other, "export", "--with-texts"]).stdout, encoding="utf-8")
    return path


# (what is set up first and not undone, the command undone, the rows its undo reverts)
CASES = {
    "attribute joint speakers": ([], ["attribute", "iran-arms-militias", "--speaker", "Panetta", "--speaker", "Robert Gates",
                                     "--anonymous", "a US official", "--affiliation", "Iran", "--create", "--stance",
                                     "asserts", "--source", SOURCE], 5),  # fmt: skip
    "dispute joint speakers": ([], ["dispute", "iran-arms-militias", "--speaker", "Kataib Hezbollah", "--speaker",
                                   "Tehran", "--source", SOURCE], 2),  # fmt: skip
    "statement edit joint speakers": ([], ["statement", "edit", "1", "--speaker", "Panetta", "--speaker", "Tehran",
                                          "--anonymous", "an official"], 2),  # fmt: skip
    "attribute joint anonymous kinds and ids": ([], ["attribute", "iran-arms-militias", "--speaker", "Panetta",
                                                     "--anonymous", "officials", "--anonymous-kind", "group",
                                                     "--anonymous", "media reports", "--anonymous-kind", "reports",
                                                     "--anonymous", "a US official", "--anon-id", "U1",
                                                     "--stance", "asserts", "--source", SOURCE], 4),  # fmt: skip
    "statement edit joint anonymous kinds and ids": ([], ["statement", "edit", "1", "--speaker", "Panetta",
                                                         "--anonymous", "officials", "--anonymous-kind", "group",
                                                         "--anon-id", "G1"], 1),  # fmt: skip
    "attribute utterance anonymous id": ([["claim", "add", "Iran trains militias", "--key", "iran-trains"]],
                                         ["attribute", "--claim", "iran-arms-militias", "--claim", "iran-trains",
                                          "--anonymous", "two officials", "--anonymous-kind", "group", "--anon-id",
                                          "A1", "--stance", "asserts", "--source", SOURCE], 4),  # fmt: skip
    "statement edit anonymous id": ([], ["statement", "edit", "2", "--anonymous", "Iranian officials",
                                        "--anonymous-kind", "group", "--anon-id", "A2"], 1),  # fmt: skip
    "source add updates": ([], ["source", "add", "--key", "v2", "--outlet", "AFP", "--updates", SOURCE], 2),
    "source edit updates": ([["source", "add", "--key", "v2", "--outlet", "AFP"]],
                            ["source", "edit", "v2", "--updates", SOURCE], 1),  # fmt: skip
    "source attach-text anchors": ([], ["source", "attach-text", SOURCE, "ARTICLE"], 2),
    "attribute quote anchored": ([["source", "attach-text", SOURCE, "ARTICLE"]],
                                 ["attribute", "iran-arms-militias", "--speaker", "Panetta", "--stance", "asserts",
                                  "--quote", "Tehran denied it", "--source", SOURCE], 2),  # fmt: skip
    "import new bundle": ([], ["import", "BUNDLE"], 12),
    "import export --with-texts": ([], ["import", "THEIRS"], 11),
}


@pytest.mark.parametrize("case", CASES)
def test_undo_leaves_the_database_exactly_as_before(replayed_session, invoke, tmp_path, case) -> None:
    setup, command, reverted = CASES[case]
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bundle.yaml").write_text(BUNDLE, encoding="utf-8")
    files = {"ARTICLE": str(tmp_path / "article.txt"), "BUNDLE": str(tmp_path / "bundle.yaml")}
    if "THEIRS" in command:
        files["THEIRS"] = str(_richer_export(invoke, tmp_path))
    for args in setup:
        assert invoke(*[files.get(a, a) for a in args]).exit_code == 0
    before = _state(replayed_session, invoke)
    done = invoke("--as", "Ann", *[files.get(a, a) for a in command])
    assert done.exit_code == 0, done.output
    assert _state(replayed_session, invoke) != before
    undone = invoke("--as", "Ann", "undo")
    assert undone.exit_code == 0, undone.output
    assert undone.stdout.endswith(f": {reverted} row{'s' if reverted != 1 else ''} reverted.\n"), undone.stdout
    after = _state(replayed_session, invoke)
    assert after[0] == before[0]  # the full export, texts and anchors included
    assert after[1] == before[1]  # every row of every table, count columns included
    assert after[2] == before[2]  # factdb info's row counts
    assert _drift(replayed_session) == []
