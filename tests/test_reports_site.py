"""``factdb report site DIR``: every page parses, every internal link resolves, every value
is escaped, no ``javascript:`` link, names rather than keys, a footer with a masked database."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from report_data import SCRIPT_QUOTE, load_story
from sqlalchemy.orm import Session

from factdb.db import create_engine
from factdb.reports.site import build_site


class Page(HTMLParser):
    """The links, tags and text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("meta", "br"):
            self.open.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)  # no event handler

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])  # well nested
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.open == [], path
    return page


@pytest.fixture
def site(db_url: str, dataset, tmp_path: Path) -> Path:
    dataset(load_story)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            done = build_site(
                session, tmp_path / "site", database="postgresql://editor:s3cret@db.example.org/factdb",
                now=dt.datetime(2026, 12, 2, 3, 30, tzinfo=dt.UTC),
            )  # fmt: skip
    finally:
        engine.dispose()
    # 3 claims, 9 entities, index, contested, sourcing
    assert (done["claims"], done["entities"], done["pages"]) == (3, 9, 15)
    return tmp_path / "site"


def test_every_internal_link_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 15
    linked: set[Path] = set()
    for path in pages:
        page = parse(path)
        assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
        for href in page.links:
            parts = urlsplit(href)
            assert parts.scheme in ("", "http", "https"), (path, href)  # never javascript:
            if parts.scheme:
                continue
            target = (path.parent / parts.path).resolve()
            assert target.is_file(), (path, href)
            linked.add(target)
    # every page is reachable from another (the index links each dossier, dossiers the entities)
    assert {p.resolve() for p in site.glob("claims/*.html")} <= linked
    assert {p.resolve() for p in site.glob("entities/*.html")} <= linked


def test_dossier_page_links_names_and_sources(site: Path) -> None:
    page = parse(site / "claims" / "iran-arms-militias.html")
    text = "".join(page.text)
    assert "https://example.org/afp/2011-07-10" in page.links
    assert "../entities/Leon_Panetta-5.html" in page.links
    assert "../claims/maysan-route.html" in page.links
    assert "javascript:alert(1)" not in page.links  # webjosh's URL is shown as text only
    assert "responds to: Leon Panetta, 2011-07-11" in text  # a name, not s-panetta
    assert "copy of afp-2011-07-10" not in text and "a copy of a story by AFP" in text
    assert "carried by: The Daily Star" in text and "quote: verified" in text
    assert SCRIPT_QUOTE in text  # shown as text: the parser saw no <script> tag
    footer = text[text.rindex("Built") :].strip()
    assert footer == "Built 2026-12-02T03:30:00Z by factdb 0.1.0 from postgresql://editor:***@db.example.org/factdb."
    assert "s3cret" not in (site / "index.html").read_text(encoding="utf-8")


def test_index_lists_every_claim_with_its_status(site: Path) -> None:
    page = parse(site / "index.html")
    assert [h for h in page.links if h.startswith("claims/")] == [
        "claims/iran-arms-militias.html", "claims/kh-rockets.html", "claims/maysan-route.html",
    ]  # fmt: skip
    text = " ".join(t.strip() for t in page.text if t.strip())
    assert "iran-arms-militias Iran supplies weapons to Shiite militias in Iraq contested 3 2 3 2" in text
    assert "False (Snopes)" in text


def test_not_a_site_directory_is_refused(db_url: str, dataset, tmp_path: Path, invoke) -> None:
    dataset(load_story)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    result = invoke("report", "site", str(mine))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {mine}: the directory is not empty and holds no factdb site; choose another"
    )
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    done = invoke("report", "site", str(tmp_path / "site"))
    assert done.exit_code == 0
    assert done.output.startswith("Wrote 15 pages (")
    assert done.output.rstrip().endswith(f"3 claims, 9 entities; open {tmp_path / 'site'}/index.html")


def test_entity_page_lists_the_first_claims_and_opponents_and_counts_the_rest(
    db_url: str, dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke
) -> None:
    # the site lists the first OPPONENTS_LIMIT speakers of each table (100: a claim with
    # thousands of speakers made every one of its speakers' pages list thousands), then counts
    # the rest; the single report lists them all
    dataset(load_story)
    monkeypatch.setattr("factdb.reports.site.OPPONENTS_LIMIT", 2)
    monkeypatch.setattr("factdb.reports.site.ENTITY_CLAIMS_LIMIT", 1)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            build_site(session, tmp_path / "site", database="sqlite://")
    finally:
        engine.dispose()
    [iran] = (tmp_path / "site" / "entities").glob("Iran-[0-9]*.html")
    text = " ".join(t.strip() for t in parse(iran).text if t.strip())
    disputes = text[text.index("Whose claims it disputes") : text.index("Built")]
    assert "Leon Panetta" in disputes and "Robert Gates" in disputes and "a US source" not in disputes
    assert "The first 2 (most claims in common), and 1 more." in disputes
    [us] = (tmp_path / "site" / "entities").glob("United_States-[0-9]*.html")
    us_text = " ".join(t.strip() for t in parse(us).text if t.strip())
    assert "iran-arms-militias: " in us_text and "maysan-route: " not in us_text  # the second: past the limit
    assert "The first 1 claims; --limit shortens the list only, not the counts." in us_text
    report = json.loads(invoke("report", "entity", "Iran", "--format", "json").output)
    assert [s["speaker"] for s in report["disputes"]] == ["Leon Panetta", "Robert Gates", "a US source"]
    assert (report["summary"]["disputes"], report["opponents_limit"]) == (3, None)
