"""The plain data that extraction passes between its stages.

Offsets are Python string indices into the article text (end exclusive), the shape the
PolNeAR scorer reads: ``Span(start, end, text)`` with ``text == article[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Attribution", "Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article: ``article[start:end] == text``."""

    start: int
    end: int
    text: str

    def as_list(self) -> list[int | str]:
        """``[start, end, text]``, the scorer's and the JSON output's span shape."""
        return [self.start, self.end, self.text]


@dataclass(slots=True)
class Attribution:
    """One attribution found in the text: who (source), the reporting expression (cue), what
    (content). ``source`` is None when the text names nobody ("It was reported that ...").

    ``content_parts`` holds the fragments of a content interrupted by its attribution
    (``"A," he said. "B."``); ``content`` is then the hull from the first to the last fragment.
    ``kind`` is ``direct`` (wholly quoted), ``mixed`` (partly quoted) or ``indirect``.
    ``confidence`` is in [0, 1]: how sure the rule that found it is.
    """

    source: Span | None
    cue: Span
    content: Span
    kind: str
    content_parts: list[Span] = field(default_factory=list)
    confidence: float = 0.5
    rule: str = ""
