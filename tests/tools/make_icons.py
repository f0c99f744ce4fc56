"""Draw the PWA icons (static/img/icons/*.png) from the shapes of static/img/logo.svg.

Run once when the logo changes: ``.venv/bin/python tests/tools/make_icons.py``.
Pillow cannot read SVG, so the logo's few shapes are drawn again at each size.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[2] / "static" / "img" / "icons"
TEAL, WHITE, SUN = (15, 118, 110, 255), (255, 255, 255, 255), (253, 230, 138, 255)


def draw(size: int, maskable: bool) -> Image.Image:
    """The logo on a ``size`` square; maskable icons fill it and keep the logo in the safe 80%."""
    scale = 4  # draw big, shrink: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), TEAL if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    inset = big * 0.1 if maskable else 0
    unit = (big - 2 * inset) / 32  # the logo's viewBox is 32 x 32

    def at(x: float, y: float) -> tuple[float, float]:
        return inset + x * unit, inset + y * unit

    if not maskable:
        pen.rounded_rectangle([at(0, 0), at(32, 32)], radius=8 * unit, fill=TEAL)
    for cx, colour in ((11, WHITE), (21, SUN)):
        pen.ellipse([at(cx - 4, 8), at(cx + 4, 16)], fill=colour)
    for left in (5, 15):  # the two shoulders: a half ellipse each
        pen.pieslice([at(left, 18), at(left + 12, 32)], 180, 360, fill=(255, 255, 255, 230))
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    print(f"icons written to {OUT}")
