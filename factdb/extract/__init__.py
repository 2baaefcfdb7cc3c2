"""Extraction: read an article and propose its attributions (``factdb extract``).

Pure library code, no click: the CLI only renders and reviews what this package returns.
"""
