"""Where the migrations and the seed dataset are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_dir"]


def resource_dir(name: str) -> Path:
    """``migrations`` or ``seeds``: inside the installed package (the wheel puts them there),
    else at the top of the source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"factdb is installed without its {name}/ directory")
