"""Bundles: the interchange shape of seeds, ``factdb import`` and ``factdb export``.

Public API (other modules -- the CSV and ClaimReview converters -- feed the same importer):

- :func:`read_bundle` (and :func:`read_bundles` for several files as one bundle) yields
  ``(kind, fields, location)`` records from YAML, JSON or JSON Lines;
- :func:`load_bundle` validates, resolves and writes records in the caller's transaction and
  returns an :class:`ImportSummary`;
- :func:`export_bundle` yields ``(kind, record)`` for the whole database or one claim;
- :func:`write_bundle` writes such records as YAML, JSON or JSON Lines;
- :func:`seed_paths` lists the seed dataset's files.

Example::

    from factdb.transfer import read_bundle, load_bundle
    with transaction(engine) as session:
        summary = load_bundle(session, read_bundle("all.yaml"))
"""

from __future__ import annotations

from pathlib import Path

from factdb.resources import resource_dir
from factdb.transfer.exporting import export_bundle
from factdb.transfer.importer import ImportSummary, load_bundle
from factdb.transfer.reading import FORMATS, detect_format, read_bundle, read_bundles
from factdb.transfer.schema import KINDS, Location
from factdb.transfer.writing import write_bundle

__all__ = [
    "FORMATS",
    "KINDS",
    "ImportSummary",
    "Location",
    "detect_format",
    "export_bundle",
    "load_bundle",
    "read_bundle",
    "read_bundles",
    "seed_paths",
    "write_bundle",
]


def seed_paths() -> list[Path]:
    """Every ``seeds/*.yaml`` file, in name order (loaded together as one bundle)."""
    return sorted(resource_dir("seeds").glob("*.yaml"))
