"""Everything that moves data in and out of factdb: bundles, spreadsheets, ClaimReview, seeds.

Public API:

- read: :func:`read_bundle` (and :func:`read_bundles`, several files as one bundle) yields
  ``(kind, fields, location)`` records from YAML, JSON or JSON Lines; :func:`records_from`
  converts a spreadsheet (CSV/TSV) or ClaimReview JSON-LD file into the same records;
  :func:`open_import` picks the reader or converter for a file (:func:`detect_format`);
- import: :func:`load_bundle` validates, resolves and writes records in the caller's
  transaction and returns an :class:`ImportSummary`;
- export: :func:`export_bundle` yields ``(kind, record)`` for the whole database or one
  claim; :func:`export_to` writes them in any of :data:`EXPORT_FORMATS`;
- write: :func:`write_bundle` writes records as YAML, JSON or JSON Lines;
  :func:`claimreview_export` turns them into ClaimReview JSON-LD (the verdicts that meet
  Google's required properties, :func:`claimreview_problems`; the others listed);
- seed: :func:`load_seed` imports the seed dataset, :func:`seed_paths` lists its files.

Example::

    from factdb.sessions import transaction
    from factdb.transfer import load_bundle, read_bundle

    with transaction(engine) as session:
        summary = load_bundle(session, read_bundle("all.yaml"))
    summary.counts["claim"]  # {"created": 3, "updated": 0, "unchanged": 0}
"""

from __future__ import annotations

from factdb.transfer.claimreview_export import claimreview_document, claimreview_export, claimreview_problems
from factdb.transfer.exporting import export_bundle
from factdb.transfer.formats import BUNDLE_FORMATS, EXPORT_FORMATS, FORMATS, IMPORT_FORMATS, detect_format
from factdb.transfer.importer import ImportSummary, load_bundle
from factdb.transfer.pipeline import ImportInput, WrongCall, export_to, import_report, open_import, records_from
from factdb.transfer.reading import read_bundle, read_bundles
from factdb.transfer.schema import KINDS, Location
from factdb.transfer.seed import load_seed, seed_paths
from factdb.transfer.writing import write_bundle

__all__ = [
    "BUNDLE_FORMATS",
    "EXPORT_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "KINDS",
    "ImportInput",
    "ImportSummary",
    "Location",
    "WrongCall",
    "claimreview_document",
    "claimreview_export",
    "claimreview_problems",
    "detect_format",
    "export_bundle",
    "export_to",
    "import_report",
    "load_bundle",
    "load_seed",
    "open_import",
    "read_bundle",
    "read_bundles",
    "records_from",
    "seed_paths",
    "write_bundle",
]
