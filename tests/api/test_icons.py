"""The site's icon: /favicon.svg, which the pages link, and /favicon.ico, drawn from it; cached, not in the API."""

from __future__ import annotations

import re
import struct
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest

from tests.api.conftest import running

pytestmark = pytest.mark.anyio
A_DAY = 24 * 3600


def max_age(response) -> int:
    found = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    return int(found.group(1)) if found else 0


def ico_images(data: bytes) -> list[bytes]:
    """The images of an ICO file, checked against its directory (ICONDIR, then one ICONDIRENTRY per image)."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count >= 1, "an ICO file: reserved 0, type 1 (icon), at least one image"
    images = []
    for index in range(count):
        _, _, _, _, planes, bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        assert planes in (0, 1) and bits in (0, 32)
        assert 6 + 16 * count <= offset and offset + size <= len(data), "each image lies inside the file"
        images.append(data[offset : offset + size])
    return images


def pixel(image: bytes, row: int, column: int) -> tuple[int, int, int, int]:
    """The RGBA of a pixel (row 0 at the top) of a 32-bit BMP image from an ICO file (rows bottom-up, BGRA)."""
    header_size, width, double_height, _, bits = struct.unpack_from("<IiiHH", image)
    assert header_size == 40 and double_height == 2 * width and bits == 32
    b, g, r, a = image[header_size + ((width - 1 - row) * width + column) * 4 :][:4]
    return r, g, b, a


async def test_the_svg_icon_is_served_as_svg_and_cached_long():
    async with running() as http:
        response = await http.get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert max_age(response) >= 30 * A_DAY
    assert ElementTree.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"


async def test_the_ico_icon_is_an_ico_file_served_as_one_and_cached_long():
    async with running() as http:
        response = await http.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] in ("image/vnd.microsoft.icon", "image/x-icon")
    assert max_age(response) >= 30 * A_DAY
    (image,) = ico_images(response.content)
    assert struct.unpack_from("<ii", image, 4) == (32, 64), "32×32 (the height counts the mask too)"


async def test_the_ico_is_the_svg_drawn():
    async with running() as http:
        svg = ElementTree.fromstring((await http.get("/favicon.svg")).content)
        (image,) = ico_images((await http.get("/favicon.ico")).content)
    fills = [shape.get("fill", "") for shape in svg]
    # The middle of the icon is the colour of the shape drawn last there, the rounded corner is transparent.
    assert "#{:02x}{:02x}{:02x}".format(*pixel(image, 16, 16)[:3]) == fills[-1]
    assert pixel(image, 16, 16)[3] == 255
    assert pixel(image, 0, 0)[3] == 0


async def test_the_icons_are_not_operations_of_the_api():
    async with running() as http:
        paths = (await http.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if "favicon" in path]


@pytest.mark.parametrize(("page", "accept"), [("/docs", "text/html"), ("/sparql", "text/html")])
async def test_the_pages_link_the_svg_icon(page, accept):
    async with running() as http:
        response = await http.get(page, headers={"Accept": accept})
        assert response.status_code == 200 and "text/html" in response.headers["content-type"]
        link = re.search(r'<link rel="(?:shortcut )?icon" href="([^"]+)"', response.text)
        assert link, f"{page} links no icon"
        icon = await http.get(urljoin(str(response.url), link.group(1)))
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
