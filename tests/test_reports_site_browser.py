"""``factdb report site`` opened in a real headless browser (Chromium): the index, a dossier
and an entity page load, show their title, and every link of the DOM the browser built
resolves to a page of the site or is an http(s) URL. Runs only where /usr/bin/chromium
exists (Debian's ``chromium`` package; never a dependency of factdb)."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.headings: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_h1 = self._in_h1 or tag == "h1"
        self.links += [value or "" for name, value in attrs if tag == "a" and name == "href"]

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.headings.append(data)


def _dump(page: Path, profile: Path) -> _Dom:
    done = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    dom = _Dom()
    dom.feed(done.stdout)
    return dom


def test_the_seed_site_in_chromium(seeded_db: str, invoke, tmp_path: Path) -> None:
    if not seeded_db.startswith("sqlite"):
        pytest.skip("one backend is enough for a browser check")
    site = tmp_path / "site"
    assert invoke("report", "site", str(site)).exit_code == 0
    pages = {
        site / "index.html": "Claims",
        site / "claims" / "iran-arms-militias.html": "Iran supplies weapons to Shiite militias in Iraq",
        next((site / "entities").glob("Iran-*.html")): "Entity Iran",
    }  # fmt: skip
    for page, heading in pages.items():
        dom = _dump(page, tmp_path / "profile")
        assert "".join(dom.headings).strip() == heading
        assert len(dom.links) >= 3, page  # the navigation at least
        for link in dom.links:
            # resolved against the page as the browser does: a file of the site, or the web
            parts = urlsplit(urljoin(page.as_uri(), link))
            if parts.scheme in ("http", "https"):
                continue
            assert parts.scheme == "file", (page, link)
            target = Path(unquote(parts.path))
            assert target.is_file() and site in target.parents, (page, link)
