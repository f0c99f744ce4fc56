"""Markdown rendering is sanitised: no scripts, handlers or dangerous URLs survive."""

import os
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop.core.markdown import _PLAIN, render_markdown, sanitize


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


# --- the plain-text shortcut ----------------------------------------------------------

PLAIN_SAMPLES = [
    "halo semua, apa kabar?",
    "Bu Sari: rapat jam 9.30 ya!",
    'it\'s "penting" (sekali) 50% / hampir',
    "kirim ke budi@sekolah.id atau @budi",
    "lihat https://example.com/a?b=c",
    "Kelas 4A-5B; siap?",
    "Élève ñandú 日本語 ok",
    "a  dua  spasi",
]
NOT_PLAIN = [
    "1. satu", "- butir", "# judul", "> kutip", "*tebal*", "_miring_", "`kode`", "a & b",
    "a < b", "[tautan](http://x)", "~~coret~~", "baris\nbaru", "akhir  ", " awal", "", "a\\b",
    "a | b", "😀 senang", "a\u00a0b", "a\tb",
]  # fmt: skip


def full_render(source: str) -> str:
    from cop.core import markdown

    return markdown.sanitize(markdown._md.render(source))


@pytest.mark.parametrize("source", PLAIN_SAMPLES)
def test_plain_text_takes_the_shortcut_with_the_same_html(source):
    assert _PLAIN.fullmatch(source)
    assert render_markdown(source) == full_render(source)


@pytest.mark.parametrize("source", NOT_PLAIN)
def test_markdown_and_odd_text_take_the_full_renderer(source):
    assert not (_PLAIN.fullmatch(source) and not source.endswith(" "))
    assert render_markdown(source) == full_render(source)


_PLAIN_EXAMPLES = 1000 if os.environ.get("CI") else 200
_PUNCTUATION = " ,.;:?!'\"()%/@#$+=-"
_WORD = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8)


@settings(max_examples=_PLAIN_EXAMPLES, deadline=None)
@given(
    st.one_of(
        st.builds(  # what the shortcut takes: a letter, then words and punctuation
            lambda first, rest: first + "".join(rest),
            st.characters(categories=("L",)),
            st.lists(st.one_of(st.sampled_from(list(_PUNCTUATION)), _WORD), max_size=12),
        ),
        st.text(  # and text around its edges
            alphabet=st.one_of(
                st.sampled_from(list(_PUNCTUATION)),
                st.characters(categories=("L", "N", "M", "Pc", "Sm", "So", "Zs")),
            ),
            max_size=60,
        ),
    )
)
def test_the_shortcut_never_changes_the_html(source):
    """Whatever text the shortcut accepts renders exactly as the full renderer would."""
    assert render_markdown(source) == full_render(source)
