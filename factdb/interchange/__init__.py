"""Foreign formats in and out: spreadsheets (CSV/TSV) and schema.org ClaimReview JSON-LD.

Pure converters, no database: :func:`records_from` turns a file into the
``(kind, record, location)`` tuples that :func:`factdb.bundles.load_bundle` imports, and
:func:`claimreview_document` turns bundle records into a ClaimReview JSON-LD document.
A refused row or document is the tuple ``("error", {"message", "field", "reason"}, location)``.
"""

from __future__ import annotations
