"""Hostile Markdown and HTML never come out as live script (property-based).

At least 1,000 examples when the CI environment variable is set; fewer locally.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.core.markdown import render_markdown
from cop.core.mentions import link_mentions

EXAMPLES = 1000 if os.environ.get("CI") else 150

FRAGMENTS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.js>", "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))", "[x]( javascript:alert(1))", "![i](javascript:alert(1))",
    "<svg onload=alert(1)>", "<iframe src=//x>", "<style>*{}</style>", "<div onclick=x>",
    "[x](&#106;avascript:alert(1))", "[x](data:text/html,<script>)", "<<script>>", "`<script>`",
    "```\n<script>\n```", "> <script>", "* [a](javascript:x)", "<a href=\"jav&#x09;ascript:x\">",
    "[ref]: javascript:alert(1)\n[ref]", "<math><mtext><script>", "\"><script>", "<body onload=x>",
    "@sari", "@sari\"><script>", "`@sari`", "[@sari](javascript:x)",
    "**", "_", "\n\n", "|a|b|\n|-|-|\n|<script>|x|", "<!-- <script> -->", "<x onmouseover=1>",
]  # fmt: skip


class Inspector(HTMLParser):
    """Collects what would be dangerous in a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = 0
        self.handlers = 0
        self.js_urls = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "iframe", "object", "embed"):
            self.scripts += 1
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers += 1
            compact = "".join((value or "").split()).lower()
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href") and (
                compact.startswith(("javascript:", "vbscript:", "data:"))
            ):
                self.js_urls += 1


hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), min_size=1, max_size=8
).map("".join)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
def test_rendered_markdown_has_no_live_script(source: str) -> None:
    inspector = Inspector()
    # As stored for a post: sanitised, then mentions of members linked.
    inspector.feed(link_mentions(render_markdown(source), {"sari"}))
    inspector.close()
    assert (inspector.scripts, inspector.handlers, inspector.js_urls) == (0, 0, 0)
