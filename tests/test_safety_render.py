"""Issue 14: what factdb prints runs no code. Markdown: raw HTML inert, no link or image made
of stored text; CSV: no formula (the OWASP rule); a terminal: control characters shown, not
acted on; JSON: C1 controls escaped."""

from __future__ import annotations

import json

import pytest
import sqlalchemy
from click.testing import CliRunner

from factdb.cli import cli
from factdb.render import csv_cell, markdown_escape, visible

HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script> [x](javascript:alert(3)) ![i](https://evil.example/p.png)'
INERT = (
    "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; [x]\\(javascript:alert(3)) "
    "![i]\\(https://evil.example/p.png)"
)


def run(url: str, *args: str) -> object:
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_the_markdown_escaper():
    assert markdown_escape(HOSTILE) == INERT
    assert markdown_escape("a|b *c* _d_ `e` \\ f\ng") == "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\\\ f<br>g"
    assert markdown_escape("<x>\n", newline=" ") == "&lt;x&gt; "


@pytest.fixture
def hostile_db(db_url):
    for args in (
        ["entity", "add", "Iran", "--kind", "government"],
        ["source", "add", "--key", "afp-1", "--outlet", "AFP", "--title", HOSTILE, "--create"],
        ["claim", "add", HOSTILE, "--key", "evil", "--note", HOSTILE],
        ["attribute", "evil", "--speaker", "Iran", "--stance", "denies", "--source", "afp-1", "--quote", HOSTILE],
        ["claim", "add", "=HYPERLINK(\"https://evil.example\",\"click\")", "--key", "formula", "--tag", "=cmd"],
    ):
        result = run(db_url, *args)
        assert result.exit_code == 0, (args, result.output)
    return db_url


MARKDOWN_COMMANDS = [
    ["claim", "list"], ["claim", "show", "evil"], ["source", "list"], ["source", "show", "afp-1"],
    ["statement", "list"], ["history", "evil"], ["search", "alert"], ["entity", "show", "Iran"],
    ["report", "claim", "evil"], ["report", "entity", "Iran"], ["report", "timeline", "--claim", "evil"], ["report", "sourcing"], ["report", "contested"],
]


@pytest.mark.parametrize("args", MARKDOWN_COMMANDS, ids=lambda a: " ".join(a))
def test_every_markdown_output_is_inert(hostile_db, args):
    result = run(hostile_db, *args, "--format", "markdown")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "<img" not in out and "<script" not in out
    assert "](javascript:" not in out and "](https://evil" not in out


@pytest.mark.parametrize("args", [["claim", "list"], ["claim", "show", "formula"], ["report", "contested"]],
                         ids=lambda a: " ".join(a))
def test_csv_cells_never_start_a_formula(hostile_db, args):
    import csv
    import io

    result = run(hostile_db, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if args[0] == "claim":
        assert "'=HYPERLINK(\"https://evil.example\",\"click\")" in cells


def test_the_csv_rule():
    assert [csv_cell(v) for v in ("=1+2", "+x", "-y", "@SUM(A1)", "\tz", "\rw", "plain", -3, 2.5, "")] == [
        "'=1+2", "'+x", "'-y", "'@SUM(A1)", "'\tz", "'\rw", "plain", "-3", "2.5", ""]


def test_stored_controls_are_shown_not_acted_on(db_url):
    run(db_url, "claim", "add", "Iran arms militias", "--key", "k1")
    engine = sqlalchemy.create_engine(db_url)
    with engine.begin() as conn:  # as an older factdb, or another tool, could have stored it
        conn.execute(sqlalchemy.text("UPDATE claims SET text = :t WHERE key = 'k1'"),
                     {"t": "Iran \x1b[2J\x9b31m arms"})
    engine.dispose()
    listed = run(db_url, "claim", "list")
    assert "\x1b" not in listed.stdout and "\x9b" not in listed.stdout
    assert "Iran \\x1b[2J\\x9b31m arms" in listed.stdout
    shown = run(db_url, "claim", "show", "k1")
    assert "\x1b" not in shown.stdout and "\\x1b[2J" in shown.stdout
    report = run(db_url, "report", "claim", "k1")
    assert "\x1b" not in report.stdout and "\x9b" not in report.stdout
    as_json = run(db_url, "claim", "show", "k1", "--format", "json")
    assert "\x9b" not in as_json.stdout and "\\u009b" in as_json.stdout
    assert json.loads(as_json.stdout)["text"] == "Iran \x1b[2J\x9b31m arms"  # the same value


def test_visible():
    assert visible("a\x1b[0m\tb\nc\x9b\x7f") == "a\\x1b[0m\tb\nc\\x9b\\x7f"


def test_wrap_text_short_cells_are_wrapped_as_textwrap_wraps_them() -> None:
    """wrap_text returns a cell that fits without calling textwrap (most cells of a long
    table); that shortcut must give exactly what textwrap gives, white space included."""
    import random
    import textwrap

    from factdb.render import wrap_text

    rng = random.Random(7)
    alphabet = " ab\t\n\x0b\x0c\ré-\u00a0"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        width = rng.randint(1, 14)
        assert wrap_text(text, width) == textwrap.wrap(
            text, width, break_long_words=False, break_on_hyphens=False
        ), (text, width)
    assert wrap_text("  leading kept", 20) == ["  leading kept"]
    assert wrap_text("trailing dropped ", 20) == ["trailing dropped"]
    assert wrap_text("", 5) == []
