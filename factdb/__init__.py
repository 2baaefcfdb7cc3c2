"""factdb: a claim-and-attribution database for contested claims."""

__version__ = "0.1.0"
__all__ = ["__version__"]
