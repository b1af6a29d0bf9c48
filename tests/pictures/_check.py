"""Checks every picture test makes: rendered to PNG it is not blank, and no text leaves it.

The PNG comes from Debian's ``rsvg-convert`` (librsvg2-bin, installed in CI), the renderer
a bureau's tools use for SVG. Text extents of a hand-written SVG are measured with the
fonts the PNG is drawn with: WenQuanYi Zen Hei for Chinese, DejaVu Sans for the rest (each
a little wider than the fonts the SVG names first).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import ImageFont

SVG = "{http://www.w3.org/2000/svg}"
_CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def png_of(svg: str, path: Path) -> np.ndarray[Any, Any]:
    """Render ``svg`` to ``path`` with rsvg-convert and return its pixels (RGBA, 0–255).

    Skips when rsvg-convert is missing, except in CI (``CI`` set), where it fails. With
    ``PLANNING_CORE_PICTURES`` set to a folder, the PNG is copied there too (docs/img holds
    the committed set).
    """
    tool = shutil.which("rsvg-convert")
    if tool is None:
        message = "rsvg-convert is not installed (apt-get install librsvg2-bin)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    source = path.with_suffix(".svg")
    source.write_text(svg, encoding="utf-8")
    subprocess.run([tool, str(source), "-b", "white", "-o", str(path)], check=True)
    if folder := os.environ.get("PLANNING_CORE_PICTURES"):
        shutil.copyfile(path, Path(folder) / path.name)
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"))


def assert_not_blank(pixels: np.ndarray[Any, Any], *, inked: float = 0.02) -> None:
    """More than ``inked`` of the pixels differ from white, and the picture is not one colour."""
    rgb = pixels[..., :3].astype(float)
    assert rgb.std() > 10, "the picture is (almost) one colour"
    share = float((rgb.min(axis=2) < 200).mean())
    assert share > inked, f"only {share:.1%} of the picture is drawn on"


@functools.cache
def _font(wide: bool, bold: bool, size: float) -> Any:
    if wide:
        if _CJK_FONT.exists():
            return ImageFont.truetype(str(_CJK_FONT), round(size))
        return None
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(
        str(Path(matplotlib.get_data_path(), "fonts", "ttf", name)), round(size)
    )


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The drawn width of ``text`` at ``size`` px."""
    width = 0.0
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        font = _font(wide, bold, size)
        width += size if font is None else float(font.getlength(ch))
    return width


def text_boxes(svg: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text element of a hand-written SVG with its box (left, top, right, bottom).

    Reads ``x``, ``y``, ``font-size``, ``text-anchor``, ``font-weight`` and the
    ``translate`` of enclosing groups; the box runs from an ascent of one em above the
    baseline to a quarter em below it.
    """
    root = ET.fromstring(svg.encode("utf-8"))
    found: list[tuple[str, tuple[float, float, float, float]]] = []

    def walk(element: ET.Element, dx: float, dy: float) -> None:
        move = re.fullmatch(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", element.get("transform", ""))
        if move:
            dx, dy = dx + float(move.group(1)), dy + float(move.group(2))
        if element.tag == f"{SVG}text":
            text = "".join(element.itertext())
            size = float(element.get("font-size", "16"))
            width = text_width(text, size, bold=element.get("font-weight") == "bold")
            x = dx + float(element.get("x", "0"))
            y = dy + float(element.get("y", "0"))
            anchor = element.get("text-anchor", "start")
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            found.append((text, (left, y - size, left + width, y + size / 4)))
        for child in element:
            walk(child, dx, dy)

    walk(root, 0.0, 0.0)
    return found


def canvas(svg: str) -> tuple[float, float]:
    """The SVG's width and height (from its viewBox)."""
    root = ET.fromstring(svg.encode("utf-8"))
    _, _, width, height = (float(n) for n in root.get("viewBox", "").split())
    return width, height


def assert_text_inside(svg: str) -> None:
    """No text of a hand-written SVG reaches past its canvas."""
    width, height = canvas(svg)
    outside = [
        (text, tuple(round(n, 1) for n in box))
        for text, box in text_boxes(svg)
        if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height
    ]
    assert not outside, f"text outside the {width:g}×{height:g} canvas: {outside}"


def assert_figure_text_inside(figure: Any) -> None:
    """No visible text of a matplotlib figure reaches past the figure (measured as drawn)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(figure)  # measures text with the fonts the SVG is laid out with
    canvas.draw()
    renderer = canvas.get_renderer()
    bounds = figure.bbox
    outside = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if (
            box.x0 < bounds.x0 - 0.5
            or box.y0 < bounds.y0 - 0.5
            or box.x1 > bounds.x1 + 0.5
            or box.y1 > bounds.y1 + 0.5
        ):
            outside.append((text.get_text(), box.bounds))
    assert not outside, f"text outside the figure: {outside}"
