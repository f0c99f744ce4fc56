"""Badge images: a small SVG medal per badge, drawn here (no external service)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from cop.badges.catalogue import Badge

#: (face, rim, ribbon) colours per tier
COLOURS = {
    "bronze": ("#d08c4f", "#8a5526", "#b5651d"),
    "silver": ("#d9dde3", "#7c8591", "#5b6b7f"),
    "gold": ("#f3c845", "#a37b07", "#c9302c"),
}


def initials(name: str) -> str:
    """Up to two letters from a badge's name ("Nice post" -> "NP")."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "★"


def svg(badge: Badge, label: str) -> str:
    """The medal for ``badge`` with ``label``'s initials, 96x96, tier-coloured."""
    face, rim, ribbon = COLOURS.get(badge.tier, COLOURS["bronze"])
    letters = escape(initials(label))
    title = escape(label)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<path d="M30 4h14l-6 34H24z" fill="{ribbon}"/>'
        f'<path d="M52 4h14l6 34H58z" fill="{ribbon}"/>'
        f'<circle cx="48" cy="58" r="34" fill="{rim}"/>'
        f'<circle cx="48" cy="58" r="28" fill="{face}"/>'
        f'<circle cx="48" cy="58" r="23" fill="none" stroke="{rim}" stroke-width="2" '
        'stroke-dasharray="3 3"/>'
        f'<text x="48" y="66" font-family="sans-serif" font-size="22" font-weight="700" '
        f'text-anchor="middle" fill="{rim}">{letters}</text></svg>'
    )
