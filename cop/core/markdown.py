"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitises against an allow-list."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Strip everything outside the allow-list; links get rel=nofollow ugc noopener."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


#: One line of words, digits, spaces and everyday punctuation that starts with a
#: letter: no character Markdown or HTML would act on (no ``*_`[]<>&#~|\``, no list
#: marker first). Most chat messages are like this; their HTML is known without
#: parsing, and tests/core/test_markdown.py checks it against the full renderer.
_PLAIN = re.compile(r"[^\W\d_][^\W_]*(?:[ ,.;:?!'\"()%/@#$+=-]+[^\W_]*)*")


def render_markdown(source: str) -> str:
    """Render user Markdown to sanitised HTML (raw HTML in the source is escaped)."""
    if _PLAIN.fullmatch(source or "-") and not source.endswith(" "):
        return f"<p>{source}</p>\n"
    return sanitize(_md.render(source or ""))


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def plain_text(source: str) -> str:
    """What a reader sees of some Markdown, as one line of plain text (no ``**``, ``#``,
    link syntax or tags): for search snippets and previews."""
    import html as _html

    rendered = _md.render(source or "")
    return _SPACES.sub(" ", _html.unescape(_TAG.sub(" ", rendered))).strip()
