"""The HTML page: self-contained, printable, and every user-supplied value escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_data import SCRIPT_QUOTE, load_story

EXPECTED = Path(__file__).parent / "report_expected"


@pytest.fixture
def story(db_url: str, dataset) -> str:
    dataset(load_story)
    return db_url


def test_script_in_a_quote_renders_as_text(story: str, invoke) -> None:
    page = invoke("report", "claim", "iran-arms-militias", "--format", "html").output
    assert "<script" not in page.lower()
    assert "they ship &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; rockets &amp; mortars" in page
    assert SCRIPT_QUOTE not in page


@pytest.mark.parametrize(
    "args",
    [
        ["report", "claim", "iran-arms-militias", "--include-retracted"],
        ["report", "entity", "Iran"],
        ["report", "contested"],
        ["report", "sourcing"],
        ["report", "timeline", "--by", "month"],
    ],
)
def test_page_is_self_contained_and_printable(story: str, invoke, args: list[str]) -> None:
    page = invoke(*args, "--format", "html").output
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert page.rstrip().endswith("</html>")
    assert "@media print" in page
    # nothing fetched: no external stylesheet, script, image, font or frame
    assert not re.search(r"<(link|script|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"src\s*=", page, re.I)
    assert "@import" not in page and "url(" not in page
    # the only links are to http(s) source and review URLs (a single page has no site to link)
    assert all(h.startswith(("https://", "http://")) for h in re.findall(r'href="([^"]*)"', page)), args


def test_dossier_page_exact_html(story: str, invoke) -> None:
    """The HTML structure of the dossier: the same page code as ``report site``'s pages."""
    page = invoke("report", "claim", "iran-arms-militias", "--include-retracted", "--format", "html").output
    assert page == (EXPECTED / "claim.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in page and "javascript:alert(1)" not in page  # webjosh's copy: no link


def test_markdown_does_not_pass_raw_html(story: str, invoke) -> None:
    text = invoke("report", "claim", "iran-arms-militias", "--format", "markdown").output
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_html_renderer_escapes_every_block() -> None:
    from factdb.reports.render import (
        Entry,
        Fields,
        Heading,
        Note,
        Table,
        Title,
        to_html,
    )

    evil = '<b onmouseover="x">&'
    page = to_html(
        [Title(evil), Heading(evil), Fields([(evil, evil)]), Table([evil], [{evil: evil}]),
         Entry(evil, evil, [(evil, evil)], evil, css=evil), Note(evil)]
    )  # fmt: skip
    assert "<b " not in page
    assert page.count("&lt;b onmouseover=&quot;x&quot;&gt;&amp;") == 14  # <title>, and every value of every block
