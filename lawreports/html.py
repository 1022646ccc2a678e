"""HTML pages to text, with selectolax (the Lexbor engine).

Scripts, styles, navigation, forms and embedded frames are removed; block elements end a line;
table cells are separated by a space. Nothing is fetched and nothing is executed: the parser
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
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|p|table|title)\b",
                         re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?(p|div|br|span|table|td|tr|body|html|a|font)\b[^>]*>", re.IGNORECASE)
_META_KEYS = {
    "pubdate": "pubdate", "publishdate": "pubdate", "firstpublishedtime": "pubdate",
    "article:published_time": "pubdate", "og:release_date": "pubdate",
    "articletitle": "title", "og:title": "title",
    "contentsource": "source", "source": "source",
    "sitename": "site", "og:site_name": "site",
    "columnname": "column",
}


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document or fragment rather than plain text."""
    if _HTML_START.match(text[:2000]):
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
        ``pubdate``, ``title``, ``source``, ``site``, ``column`` from ``<meta>`` tags, and
        ``html_title`` from ``<title>``, where present.
    """
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
