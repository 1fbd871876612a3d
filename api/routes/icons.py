"""The site's icon: ``/favicon.svg``, which the pages link, and ``/favicon.ico``, which browsers ask for unbidden.

The SVG is the one drawing (``api/assets/favicon.svg``); the ICO is drawn from it here, once, when first asked
for, so the two cannot differ and no binary file or build step is needed.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from fastapi import APIRouter, Response

router = APIRouter(include_in_schema=False)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
"""Files that come with the package and with the repository (unlike ``api/static``, which make builds)."""
ICO_MEDIA_TYPE = "image/vnd.microsoft.icon"
ICO_SIZE = 32
# An icon seldom changes and a stale one harms nothing: browsers may keep it for a year without asking.
CACHED = {"Cache-Control": "public, max-age=31536000"}


@router.get("/favicon.svg")
def read_svg_icon() -> Response:
    """Send the icon as SVG."""
    return Response(SVG_ICON, media_type="image/svg+xml", headers=CACHED)


@router.get("/favicon.ico")
def read_ico_icon() -> Response:
    """Send the icon as a 32×32 ICO, drawn from the SVG."""
    return Response(ico_icon(), media_type=ICO_MEDIA_TYPE, headers=CACHED)


Shape = tuple[Callable[[float, float], bool], bytes]


def _shapes(svg: bytes) -> tuple[float, list[Shape]]:
    """The SVG's width in its own units, and its shapes in drawing order, each a test of a point and a colour."""
    root = ElementTree.fromstring(svg)
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    shapes: list[Shape] = []
    for element in root:
        kind = element.tag.rsplit("}", 1)[-1]
        colour = bytes.fromhex(element.get("fill", "#000000").removeprefix("#"))
        number = {name: float(value) for name, value in element.attrib.items() if name != "fill"}
        if kind == "circle":
            shapes.append((_circle(number["cx"], number["cy"], number["r"]), colour))
        elif kind == "rect":
            shapes.append((_rect(number.get("x", 0), number.get("y", 0), number, number.get("rx", 0)), colour))
        else:
            raise ValueError(f"favicon.svg: the ICO is drawn from rect and circle elements only, not {kind}")
    return width, shapes


def _circle(cx: float, cy: float, r: float) -> Callable[[float, float], bool]:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r**2


def _rect(left: float, top: float, size: dict[str, float], rx: float) -> Callable[[float, float], bool]:
    right, bottom = left + size["width"], top + size["height"]

    def inside(x: float, y: float) -> bool:
        # Inside the rectangle and within rx of the rectangle rx smaller: the corners are rounded.
        dx = max(left + rx - x, 0.0, x - (right - rx))
        dy = max(top + rx - y, 0.0, y - (bottom - rx))
        return left <= x <= right and top <= y <= bottom and dx * dx + dy * dy <= rx * rx

    return inside


def draw(svg: bytes, size: int, samples: int = 4) -> list[list[tuple[int, int, int, int]]]:
    """The SVG as rows of RGBA pixels, top row first; each pixel averages samples² points (smooth edges)."""
    width, shapes = _shapes(svg)
    scale = width / size
    rows = []
    for row in range(size):
        pixels = []
        for column in range(size):
            hits = []
            for i in range(samples * samples):
                x = (column + (i % samples + 0.5) / samples) * scale
                y = (row + (i // samples + 0.5) / samples) * scale
                colours = [colour for inside, colour in shapes if inside(x, y)]
                if colours:
                    hits.append(colours[-1])  # the last shape drawn is on top
            rgb = [round(sum(hit[c] for hit in hits) / len(hits)) if hits else 0 for c in range(3)]
            pixels.append((rgb[0], rgb[1], rgb[2], round(255 * len(hits) / samples**2)))
        rows.append(pixels)
    return rows


def ico(rows: list[list[tuple[int, int, int, int]]]) -> bytes:
    """An ICO file holding one 32-bit image: its directory, then a BMP without its file header.

    The BMP's height counts its colour rows and its 1-bit mask, hence doubled; rows go bottom-up, BGRA. The
    mask is all zeros (every pixel drawn): the alpha channel says what is transparent.
    """
    size = len(rows)
    colours = b"".join(bytes((b, g, r, a)) for row in reversed(rows) for r, g, b, a in row)
    mask = bytes((size + 31) // 32 * 4 * size)
    header = struct.pack("<IiiHHIIiiII", 40, size, 2 * size, 1, 32, 0, len(colours) + len(mask), 0, 0, 0, 0)
    image = header + colours + mask
    directory = struct.pack("<HHH", 0, 1, 1)  # reserved, 1 = icon, one image
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), len(directory) + 16)
    return directory + entry + image


@cache
def ico_icon() -> bytes:
    """The icon as an ICO (a tenth of a second to draw, so not at import)."""
    return ico(draw(SVG_ICON, ICO_SIZE))


SVG_ICON = (ASSETS / "favicon.svg").read_bytes()
