"""Article input: the bytes a user gives ``factdb extract`` turned into the plain text that
every offset refers to, is shown in review and is attached to the source.

UTF-8 only (a byte-order mark is dropped); binary, non-UTF-8, empty and over-large input is
refused with one :class:`~factdb.errors.InvalidInput` line. HTML is recognised and reduced to
its readable text: scripts, styles and page chrome (nav, header, footer, aside, forms) are
dropped, each block (paragraph, heading, list item) becomes a paragraph separated by a blank
line, and entities are decoded.

>>> read_article(b"<p>Tehran &amp; Baghdad</p><p>He said so.</p>")
'Tehran & Baghdad\\n\\nHe said so.'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from factdb.errors import InvalidInput

__all__ = ["MAX_ARTICLE_BYTES", "read_article", "decode_article", "looks_like_html", "html_to_text"]

MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # an article must be smaller: the CLI refuses a 10 MB file in one line

_BOM = "\ufeff"
# C0 controls other than tab, newline, carriage return and form feed: their presence means
# binary data or a text in some other encoding that happens to be valid UTF-8.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count} bytes"


def decode_article(data: bytes, *, name: str = "input", max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """UTF-8 bytes (with or without a byte-order mark) to text, with Unix line ends.

    Raises :class:`InvalidInput` naming ``name`` for empty, over-large, binary and
    non-UTF-8 input.
    """
    if len(data) >= max_bytes:
        raise InvalidInput(f"{name}: {_size(len(data))} is too large: one article must be under {_size(max_bytes)}")
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InvalidInput(
            f"{name}: looks like a binary file (NUL byte at offset {nul}); give a UTF-8 text or HTML article"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        raise InvalidInput(
            f"{name}: not UTF-8 text (byte 0x{bad} at offset {exc.start}); convert it first, "
            "e.g. iconv -f latin1 -t utf-8"
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    control = _BINARY_CONTROL.search(text)
    if control:
        raise InvalidInput(
            f"{name}: looks like a binary file (control character {control.group()!r} at offset "
            f"{control.start()}); give a UTF-8 text or HTML article"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInput(f"{name}: is empty; give the article's text")
    return text


_HTML_START = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|a|h[1-6]|li|ul|ol|body|head|article|section|table|td|tr|em|strong|b|i|img|meta|title"
    r"|script|style)\b[^>]*>",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """True for an HTML document or fragment: a doctype or ``<html>`` start, or several
    common tags (``<p>``, ``<div>``, ``<br>`` ...) near the top. A plain article that mentions
    one tag in passing is not HTML."""
    if _HTML_START.match(text):
        return True
    return len(_HTML_TAG.findall(text, 0, 20000)) >= 2


# Elements whose whole content is not the article.
_SKIP = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "nav", "header", "footer", "aside", "form", "button", "select", "textarea", "head",
})
# Elements that start and end a block of text.
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "pre", "h1", "h2", "h3", "h4",
    "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "figure",
    "figcaption", "caption", "address", "hr", "body", "html", "title",
})
_VOID = frozenset(
    {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
)
# class / id / role words of page chrome; matched as whole words
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|header|masthead|sidebar|"
    r"share|sharing|social|related|recommended|newsletter|subscribe|cookie|cookies|consent|"
    r"advert|advertisement|ads?|promo|comments?|banner|popup|modal|skip-link)(?:$|[\s_-])",
    re.I,
)
_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})


class _TextCollector(HTMLParser):
    """Collects the readable text of a page as blocks of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip_stack: list[str] = []  # open elements being skipped (by tag name)
        self._pre = 0

    def _flush(self) -> None:
        text = "".join(self._current)
        self._current = []
        text = text.strip("\n") if self._pre else " ".join(text.split())
        if text:
            self.blocks.append(text)

    def _is_chrome(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _SKIP:
            return True
        for key, value in attrs:
            if not value:
                continue
            if key == "role" and value.lower() in _ROLES:
                return True
            if key in ("class", "id") and _CHROME.search(value):
                return True
            if key == "hidden" or (key == "aria-hidden" and value == "true"):
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_stack:
            if tag not in _VOID:
                self._skip_stack.append(tag)
            return
        if tag not in _VOID and tag not in ("p", "li") and self._is_chrome(tag, attrs):
            self._skip_stack.append(tag)
            return
        if tag == "br":
            self._current.append("\n" if self._pre else " ")
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip_stack and tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_stack:
            # close up to the matching open tag (HTML in the wild leaves tags open)
            if tag in self._skip_stack:
                while self._skip_stack and self._skip_stack.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_stack:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: blocks separated by a blank line, entities decoded,
    white space inside a block collapsed, boilerplate elements dropped.

    >>> html_to_text("<nav>Home</nav><h1>Title</h1><p>One&nbsp;<b>two</b></p><script>x()</script>")
    'Title\\n\\nOne two'
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    blocks = [b.replace("\u00a0", " ") for b in collector.blocks]
    return "\n\n".join(blocks)


def read_article(data: bytes | str, *, name: str = "input", max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """The plain text of an article given as bytes (or text): decoded and checked by
    :func:`decode_article`, and reduced to its readable text when it is HTML.

    Offsets of every proposal refer to the string returned here.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    text = decode_article(data, name=name, max_bytes=max_bytes)
    if looks_like_html(text):
        text = html_to_text(text)
        if not text.strip():
            raise InvalidInput(f"{name}: HTML page with no readable text")
    return text
