"""HTML pages to text, with selectolax (the Lexbor engine).

Scripts, styles, navigation, forms and embedded frames are removed; block elements end a line;
table cells are separated by a space. Elements nested deeper than ``MAX_DEPTH`` (256) are
unwrapped before parsing (each becomes a line break), so that parsing stays linear. Nothing is fetched and nothing is executed: the parser
only builds a tree from the string it is given.

The page's ``<meta>`` tags that government sites use for their own record (``PubDate``,
``ArticleTitle``, ``ContentSource``, ``SiteName``…) are returned beside the text, for the
metadata step.
"""

from __future__ import annotations

import logging
import re

from selectolax.lexbor import LexborHTMLParser

LOGGER = logging.getLogger(__name__)

__all__ = ["looks_like_html", "html_to_text"]

_REMOVE = "script, style, noscript, template, iframe, object, embed, svg, canvas, nav, form, select, button, [role=navigation], [aria-hidden=true]"
_BLOCKS = ("p, div, br, li, ul, ol, tr, table, h1, h2, h3, h4, h5, h6, section, article, header, "
           "footer, aside, main, blockquote, pre, dd, dt, dl, hr, title, center, address, figure, figcaption")
_CELLS = "td, th"
# the first tag after any blanks and comments (those are skipped by _skip_comments, in linear
# time: a regex with a repeated lazy comment group backtracks exponentially on <!--a--><!--a-->…)
_HTML_START = re.compile(r"<(!doctype\s+html|html|head|body|meta|div|p|table|title)\b", re.IGNORECASE)
_TAG = re.compile(r"</?(p|div|br|span|table|td|tr|body|html|a|font)\b[^>]*>", re.IGNORECASE)
_META_KEYS = {
    "pubdate": "pubdate", "publishdate": "pubdate", "firstpublishedtime": "pubdate",
    "article:published_time": "pubdate", "og:release_date": "pubdate",
    "articletitle": "title", "og:title": "title",
    "contentsource": "source", "source": "source",
    "sitename": "site", "og:site_name": "site",
    "columnname": "column",
}


#: The comment a browser writes at the top of a page it saves: ``<!-- saved from url=(0047)http://… -->``.
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^https?://[^\s/]+\.[^\s/]+", re.IGNORECASE)


#: Deepest nesting of elements handed to the parser; deeper start tags (and their end tags) are
#: replaced by a line break. The HTML parser checks "an element in scope" by walking the stack of
#: open elements, so 200,000 nested ``<div>`` would cost 200,000² steps.
MAX_DEPTH = 256
_TAG_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, int]:
    """``html`` with elements nested deeper than ``max_depth`` unwrapped; and how many were.

    A linear pass over the tags: the depth is counted without matching names (an unclosed
    ``<p>`` counts as open), which only ever unwraps more, never changes the text.
    """
    if html.count("<") <= max_depth:
        return html, 0
    depth = 0
    dropped = 0
    unwrapped = 0

    def visit(m: re.Match[str]) -> str:
        nonlocal depth, dropped, unwrapped
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclosing:
            return m.group(0)
        if closing:
            if dropped:
                dropped -= 1
                return ""
            depth = max(0, depth - 1)
            return m.group(0)
        if depth >= max_depth:
            dropped += 1
            unwrapped += 1
            return "<br>"
        depth += 1
        return m.group(0)

    return _TAG_TOKEN.sub(visit, html), unwrapped


def _skip_comments(head: str) -> int:
    """Position of the first character of ``head`` that is neither blank nor inside a comment."""
    pos = 0
    while True:
        while pos < len(head) and head[pos].isspace():
            pos += 1
        if not head.startswith("<!--", pos):
            return pos
        end = head.find("-->", pos + 4)
        if end < 0:
            return len(head)
        pos = end + 3


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document or fragment rather than plain text.

    It starts (after blanks and comments, in its first 2,000 characters) with a doctype or one
    of the tags pages start with, or has at least five common tags in its first 20,000.
    """
    head = text[:2000]
    if _HTML_START.match(head, _skip_comments(head)):
        return True
    return len(_TAG.findall(text[:20000])) >= 5


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Extract the visible text of an HTML page.

    Parameters
    ----------
    html : str
        The decoded page.

    Returns
    -------
    text : str
        One line per block element; entities resolved.
    meta : dict
        ``pubdate``, ``title``, ``source``, ``site``, ``column`` from ``<meta>`` tags,
        ``html_title`` from ``<title>``, and ``url``, the page's own address (a browser's
        ``<!-- saved from url=… -->``, ``<link rel=canonical>``, ``og:url``, ``<base href>``), where present.
    """
    saved = _SAVED_FROM.search(html[:4096])
    html, unwrapped = _flatten_deep(html)
    if unwrapped:
        LOGGER.debug("%d elements nested deeper than %d unwrapped", unwrapped, MAX_DEPTH)
    tree = LexborHTMLParser(html)
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        content = (attrs.get("content") or "").strip()
        if key in _META_KEYS and content and _META_KEYS[key] not in meta:
            meta[_META_KEYS[key]] = content
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["html_title"] = title.text(strip=True)
    addresses = [saved.group(1) if saved else None]
    addresses += [n.attributes.get("href") for n in tree.css("link[rel=canonical]")]
    addresses += [n.attributes.get("content") for n in tree.css('meta[property="og:url"]')]
    addresses += [n.attributes.get("href") for n in tree.css("base[href]")]
    url = next((a.strip() for a in addresses if a and _ABSOLUTE.match(a.strip())), None)
    if url:
        meta["url"] = url
    for node in tree.css(_REMOVE):
        node.decompose()
    if tree.head is not None:
        tree.head.decompose()
    for node in tree.css(_BLOCKS):
        node.insert_after("\n")
    for node in tree.css(_CELLS):
        node.insert_after(" ")
    root = tree.body if tree.body is not None else tree.root
    text = root.text(separator="") if root is not None else ""
    return text, meta
