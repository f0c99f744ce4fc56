"""Markdown rendering is sanitised: no scripts, handlers or dangerous URLs survive."""

from html.parser import HTMLParser

import pytest

from cop.core.markdown import render_markdown, sanitize


class _Elements(HTMLParser):
    """Collects (tag, attrs) of every element in a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def dangerous(html: str) -> list[str]:
    """Everything in ``html`` that could run script."""
    found = []
    for tag, attrs in elements(html):
        if tag in {"script", "style", "iframe", "object", "embed", "form", "svg"}:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(name)
            if name in {"href", "src"} and value.strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"{name}={value}")
    return found


def test_renders_common_markdown():
    html = render_markdown("**Tebal** dan [tautan](https://contoh.id)\n\n- satu\n- dua")
    assert "<strong>Tebal</strong>" in html
    assert '<a href="https://contoh.id" rel="nofollow ugc noopener">tautan</a>' in html
    assert "<li>satu</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://a.id" onclick="x()">a</a>',
        "<style>body{}</style>",
        "<iframe src='https://evil.example'></iframe>",
        "[a](<javascript:alert(1)>)",
        "[a][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_hostile_markdown_renders_nothing_dangerous(source):
    assert dangerous(render_markdown(source)) == []


@pytest.mark.parametrize(
    "html",
    [
        '<p onmouseover="x()">hai</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<img src="data:image/svg+xml;base64,AAAA">',
        "<script>alert(1)</script><p>ok</p>",
    ],
)
def test_sanitize_strips_dangerous_raw_html(html):
    assert dangerous(sanitize(html)) == []


def test_sanitize_keeps_safe_markup():
    assert sanitize('<p onmouseover="x()">hai <em>ya</em></p>') == "<p>hai <em>ya</em></p>"
