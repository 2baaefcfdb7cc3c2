"""Attribution reports: each returns plain data; :func:`render_report` turns it into text.

>>> from factdb.reports import claim_report, render_report  # doctest: +SKIP
>>> print(render_report(claim_report(session, "iran-arms-militias"), "markdown"))  # doctest: +SKIP

Reports: :func:`claim_report` (the dossier), :func:`entity_report`,
:func:`contested_report`, :func:`sourcing_report`, :func:`timeline_report`. Formats: table
(wrapped to the terminal, never when piped), json (the data itself, stable), csv (the
report's main table), markdown, html (one self-contained page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factdb.render import csv_table, to_json
from factdb.reports import layout, render
from factdb.reports.claim import claim_report
from factdb.reports.contested import DEFAULT_LIMIT, contested_report
from factdb.reports.entity import entity_report
from factdb.reports.sourcing import sourcing_report
from factdb.reports.timeline import timeline_report

__all__ = [
    "FORMATS",
    "DEFAULT_LIMIT",
    "claim_report",
    "entity_report",
    "contested_report",
    "sourcing_report",
    "timeline_report",
    "render_report",
]

FORMATS = ("table", "json", "csv", "markdown", "html")


def render_report(
    report: dict[str, Any],
    fmt: str,
    *,
    width: int | None = render.AUTO_WIDTH,
    colour: Callable[[str, str], str] | None = None,
) -> str:
    """The text of a report in ``fmt`` (one of :data:`FORMATS`); for ``table``, ``width``
    (default: ``COLUMNS``, the terminal's, or unwrapped when piped; None: unwrapped) and
    ``colour(marker, text)`` for the side markers."""
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        columns, rows = layout.main_table(report)
        return csv_table(columns, rows)
    if fmt == "markdown":
        return render.to_markdown(layout.blocks(report))
    if fmt == "html":
        return render.to_html(layout.blocks(report))
    return render.to_text(layout.blocks(report), width, colour)
