"""Extraction: read an article and propose its attributions (``factdb extract``).

Pure library code, no click: the CLI only renders and reviews what this package returns.
"""

from factdb.extract.model import Attribution, Span
from factdb.extract.spans import find_attributions, iter_attributions

__all__ = ["Attribution", "Span", "find_attributions", "iter_attributions"]
