"""Draw the Teams app icons: appPackage/color.png (192x192) and appPackage/outline.png (32x32).

Teams wants a full-colour 192x192 icon and a 32x32 outline icon that is white on a transparent
background. Both show a clipboard with a tick. Run with the venv's Python (needs Pillow):

    .venv/bin/python tools/make_icons.py
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
NAVY = (31, 58, 95, 255)  # matches accentColor in the manifest
GOLD = (242, 183, 5, 255)
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 8

log = logging.getLogger("make_icons")

Ink = int | tuple[int, int, int, int]  # a grey level ("L" images) or RGBA


def _clipboard(draw: ImageDraw.ImageDraw, size: int, board: Ink, clip: Ink, tick: Ink, width_ratio: float) -> None:
    """A clipboard and tick on a size x size canvas (coordinates as fractions of size)."""
    s = size
    line = max(1, round(s * width_ratio))
    draw.rounded_rectangle((0.24 * s, 0.18 * s, 0.76 * s, 0.86 * s), radius=0.06 * s, outline=board, width=line)
    draw.rounded_rectangle((0.38 * s, 0.11 * s, 0.62 * s, 0.25 * s), radius=0.04 * s, fill=clip)
    draw.line(
        [(0.35 * s, 0.53 * s), (0.46 * s, 0.65 * s), (0.66 * s, 0.40 * s)],
        fill=tick,
        width=round(line * 1.3),
        joint="curve",
    )


def color_icon(size: int = 192) -> Image.Image:
    big = size * SUPERSAMPLE
    img = Image.new("RGBA", (big, big), NAVY)
    _clipboard(ImageDraw.Draw(img), big, board=WHITE, clip=GOLD, tick=GOLD, width_ratio=0.055)
    return img.resize((size, size), Image.Resampling.LANCZOS).convert("RGB")


def outline_icon(size: int = 32) -> Image.Image:
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    _clipboard(ImageDraw.Draw(mask), big, board=255, clip=255, tick=255, width_ratio=0.08)
    alpha = mask.resize((size, size), Image.Resampling.LANCZOS)
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    img.putalpha(alpha)  # every pixel white; only the alpha varies
    return img


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "appPackage", help="folder for color.png and outline.png")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    color_icon().save(args.out / "color.png", optimize=True)
    outline_icon().save(args.out / "outline.png", optimize=True)
    log.info("wrote %s and %s", args.out / "color.png", args.out / "outline.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
