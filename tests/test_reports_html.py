"""The HTML page: self-contained, printable, and every user-supplied value escaped."""

from __future__ import annotations

import re

import pytest
from report_data import SCRIPT_QUOTE, load_story


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
    assert not re.search(r"(src|href)\s*=", page, re.I)
    assert "@import" not in page and "url(" not in page


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
