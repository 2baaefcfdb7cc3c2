"""The seed dataset: the bundle files under ``seeds/``, derived from the five articles."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from factdb.resources import resource_dir
from factdb.transfer.importer import ImportSummary, load_bundle
from factdb.transfer.reading import read_bundles

__all__ = ["seed_paths", "load_seed"]


def seed_paths() -> list[Path]:
    """Every ``seeds/*.yaml`` file, in name order (loaded together as one bundle)."""
    return sorted(resource_dir("seeds").glob("*.yaml"))


def load_seed(session: Session, *, dry_run: bool = False) -> ImportSummary:
    """Import the seed dataset into ``session``'s transaction (idempotent: a second load
    changes nothing)."""
    return load_bundle(session, read_bundles(seed_paths()), dry_run=dry_run, label="seeds")
