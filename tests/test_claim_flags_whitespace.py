"""The set-based sourcing flags treat as blank exactly what ``str.strip()`` strips (a quote of
only these is no quote, as :func:`factdb.sourcing.quote_status` says)."""

from __future__ import annotations

import sys

from factdb import claim_flags


def test_the_written_out_whitespace_is_what_str_isspace_says() -> None:
    found = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert found == claim_flags._WHITESPACE
