"""A static, self-contained HTML site of the reports: ``factdb report site DIR``.

``DIR/index.html`` lists every claim (status, statements per side, independent stories,
outlets, flags, ratings), :data:`PAGE_SIZE` claims a page (``index-2.html``...);
``claims/<key>.html`` is each claim's dossier, ``entities/<name>-<id>.html`` the entity
report of every entity that speaks, is spoken for (an anonymous speaker's affiliation, a
party) or relays a statement; ``contested.html`` and ``sourcing.html`` the two rankings.
Every page is the one the single reports print with ``--format html``
(:func:`factdb.reports.render.to_html` over the same layout), plus links: to the other
pages, by name, and to every source and review URL that is http(s) (a ``javascript:`` URL
is shown as text, never a link). The pages share one stylesheet, ``style.css`` in the site
(the single reports' inline one: a site of 100,000 pages carries it once, not 100,000
times); no script, nothing fetched from elsewhere, no font, no search: the site can be
opened from a disk, mailed as a zip or served as is. A footer on every page
says when it was built and from which database (any password masked).

Cost: the dossiers are built a batch at a time (:func:`factdb.reports.claim.claim_reports`:
up to :data:`BATCH` claims and :data:`BATCH_STATEMENTS` statements in the dossier's four
queries), each page written as soon as it is rendered; memory holds one batch and the
index's rows. The entity pages share one reading of every claim's speakers
(:class:`factdb.reports.entity.OtherSpeakers`) and list the first :data:`OPPONENTS_LIMIT`
speakers of their "who disputes" tables, counting the rest: a claim with thousands of
speakers made each of its speakers' pages read and list them all, and the site's cost grew
with the square of the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from factdb import __version__
from factdb.db import display_url
from factdb.errors import InvalidInput
from factdb.reports import layout
from factdb.reports.claim import claim_reports
from factdb.reports.common import SUBSET_LIMIT
from factdb.reports.contested import contested_report
from factdb.reports.entity import OtherSpeakers, entity_report
from factdb.reports.render import STYLE, Fields, Link, Note, Table, Title, to_html
from factdb.reports.sourcing import sourcing_report

__all__ = ["build_site", "PAGE_SIZE"]

PAGE_SIZE = 1000  # claims per index page
STYLESHEET = "style.css"  # the one stylesheet every page links
# dossiers loaded together: a batch's statements stay under the context query's subset limit
BATCH = 500
BATCH_STATEMENTS = min(4000, SUBSET_LIMIT)
CONTESTED_LIMIT = 200
SOURCING_LIMIT = 1000
# speakers listed in an entity page's "who disputes its claims" tables (the rest counted)
OPPONENTS_LIMIT = 100
# claims listed on an entity page, as `report entity --limit` (a government whose members speak
# on thousands of claims made a 40 MB page at 100,000 generated claims)
ENTITY_CLAIMS_LIMIT = 500
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

# Entities with a page: speakers, affiliations of anonymous speakers, relays (via), and the
# parties they speak for are found by the entity report itself
_ENTITIES_SQL = """
SELECT e.id, e.name FROM entities e WHERE e.id IN (
  SELECT speaker_id FROM statements WHERE speaker_id IS NOT NULL
  UNION SELECT speaker_affiliation_id FROM statements WHERE speaker_affiliation_id IS NOT NULL
  UNION SELECT entity_id FROM statement_via
  UNION SELECT part_of_id FROM entities WHERE part_of_id IS NOT NULL
  UNION SELECT organization_id FROM entity_roles WHERE organization_id IS NOT NULL
) ORDER BY e.name
"""


def _file_name(label: str, taken: set[str]) -> str:
    """A file name for ``label``: its letters, digits, ``.``, ``_`` and ``-``, unique."""
    base = _UNSAFE.sub("_", label).strip("._")[:80] or "page"
    name, n = base, 1
    while name.lower() in taken:  # case-insensitive file systems
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return name


class SiteLinks(layout.Linker):
    """Links between the site's pages, relative to a page ``depth`` folders down."""

    def __init__(self, claims: dict[str, str], entities: dict[str, str], depth: int) -> None:
        self.claims, self.entities, self.up = claims, entities, "../" * depth

    def claim(self, key: str) -> str | None:
        found = self.claims.get(key)
        return self.up + found if found else None

    def entity(self, name: str) -> str | None:
        found = self.entities.get(name)
        return self.up + found if found else None

    def page(self, path: str) -> str:
        return self.up + path


def _nav(links: SiteLinks) -> list[Link]:
    return [
        Link("All claims", links.page("index.html")),
        Link("Contested", links.page("contested.html")),
        Link("Sourcing", links.page("sourcing.html")),
    ]


def build_site(
    session: Session, directory: str | Path, *, database: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Write the site into ``directory`` (created if needed; an existing site's files are
    replaced). Returns ``{"directory", "pages", "claims", "entities", "bytes"}``."""
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise InvalidInput(f"{root}: exists and is not a directory")
    if root.is_dir() and any(root.iterdir()) and not (root / "index.html").exists():
        raise InvalidInput(f"{root}: the directory is not empty and holds no factdb site; choose another")
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    footer = (
        f"Built {when.strftime('%Y-%m-%dT%H:%M:%SZ')} by factdb {__version__} from {display_url(database)}."
    )
    connection = session.connection()
    listed = connection.execute(text("SELECT id, key, text FROM claims ORDER BY key"))
    claims = [(row[0], row[1], row[2]) for row in listed]
    entities = [(row[0], row[1]) for row in connection.execute(text(_ENTITIES_SQL))]
    taken: set[str] = set()
    claim_files = {key: f"claims/{_file_name(key, taken)}.html" for _, key, _ in claims}
    taken = set()
    entity_files = {name: f"entities/{_file_name(f'{name}-{entity_id}', taken)}.html" for entity_id, name in entities}
    (root / "claims").mkdir(parents=True, exist_ok=True)
    (root / "entities").mkdir(parents=True, exist_ok=True)
    style = (STYLE + "\n").encode("utf-8")
    (root / STYLESHEET).write_bytes(style)
    written = {"pages": 0, "bytes": len(style)}

    def write(path: str, blocks: list, depth: int) -> None:
        links = SiteLinks(claim_files, entity_files, depth)
        page = to_html(blocks, nav=_nav(links), footer=footer, stylesheet=links.page(STYLESHEET))
        data = page.encode("utf-8")
        (root / path).write_bytes(data)
        written["pages"] += 1
        written["bytes"] += len(data)

    index_rows: list[dict[str, Any]] = []
    page_links = SiteLinks(claim_files, entity_files, 1)
    counted = connection.execute(text("SELECT claim_id, count(*) FROM statements GROUP BY claim_id"))
    sizes: dict[int, int] = {row[0]: row[1] for row in counted}
    for batch in _batches([(claim_id, sizes.get(claim_id, 0)) for claim_id, _, _ in claims]):
        for report in claim_reports(session, batch):
            write(claim_files[report["claim"]["key"]], layout.blocks(report, page_links), 1)
            index_rows.append(_index_row(report))
    others = OtherSpeakers.load(session)  # every claim's speakers, once for all the entity pages
    for _, name in entities:
        report = entity_report(
            session, name, limit=ENTITY_CLAIMS_LIMIT, opponents_limit=OPPONENTS_LIMIT, others=others
        )
        write(entity_files[name], layout.blocks(report, SiteLinks(claim_files, entity_files, 1)), 1)
    top = SiteLinks(claim_files, entity_files, 0)
    contested = contested_report(session, limit=CONTESTED_LIMIT)
    write("contested.html", layout.blocks(contested, top), 0)
    sourcing = sourcing_report(session, limit=SOURCING_LIMIT)
    write("sourcing.html", layout.blocks(sourcing, top), 0)
    pages = max(1, -(-len(index_rows) // PAGE_SIZE))
    for number in range(1, pages + 1):
        rows = index_rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        write(_index_name(number), _index_blocks(rows, number, pages, len(index_rows), top), 0)
    return {
        "directory": str(root),
        "pages": written["pages"],
        "claims": len(claims),
        "entities": len(entities),
        "bytes": written["bytes"],
    }


def _batches(sizes: list[tuple[int, int]]) -> Iterator[list[int]]:
    """Claim ids (in order) in batches of at most :data:`BATCH` claims and
    :data:`BATCH_STATEMENTS` statements (a bigger claim alone)."""
    batch: list[int] = []
    held = 0
    for claim_id, size in sizes:
        if batch and (len(batch) >= BATCH or held + size > BATCH_STATEMENTS):
            yield batch
            batch, held = [], 0
        batch.append(claim_id)
        held += size
    if batch:
        yield batch


def _index_name(number: int) -> str:
    return "index.html" if number == 1 else f"index-{number}.html"


def _index_row(report: dict[str, Any]) -> dict[str, Any]:
    summary = report["summary"]
    return {
        "claim": report["claim"]["key"],
        "text": report["claim"]["text"],
        "status": summary["status"],
        "[+]": summary["supporting"],
        "[-]": summary["opposing"],
        "stories": summary["independent_sources"],
        "outlets": summary["outlets"],
        "flags": ", ".join(f["flag"] for f in summary["flags"]),
        "rated": "; ".join(f"{v['rating']} ({v['reviewer']})" for v in report["verdicts"]),
    }


def _index_blocks(rows: Iterable[dict[str, Any]], number: int, pages: int, total: int, links: SiteLinks) -> list:
    table = [dict(row, claim=Link(row["claim"], links.claim(row["claim"]))) for row in rows]
    out: list = [
        Title("Claims"),
        Fields([("claims", str(total)), ("page", f"{number} of {pages}" if pages > 1 else None)]),
        Table(["claim", "text", "status", "[+]", "[-]", "stories", "outlets", "flags", "rated"], table),
    ]
    if pages > 1:
        out.append(Fields([("pages", [Link(str(n), _index_name(n)) for n in range(1, pages + 1)])]))
    if not total:
        out.append(Note("No claims yet."))
    return out
