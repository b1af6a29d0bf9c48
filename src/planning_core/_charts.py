"""How every chart of the library is drawn: matplotlib settings, a new figure, its SVG.

The conservation room's yearly chart and the reports' approval charts are drawn the same
way, here: matplotlib (the ``charts`` extra) imported through
:func:`planning_core._extras.import_extra` only when a chart is drawn; the object API (no
``pyplot``, no global figure, no GUI, the host's backend left alone); a reproducible SVG
(no date in its metadata, a fixed id salt) whose text stays text, naming common CJK fonts so
the viewer's font draws the Chinese labels.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from planning_core._extras import import_extra

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CJK_FONTS", "chart_settings", "charting", "figure_svg", "new_figure"]

#: Fonts named in the SVG for its Chinese text, tried in order by the viewer; the first one
#: installed where the chart is drawn also measures the text for the layout.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


def chart_settings() -> dict[str, object]:
    """The matplotlib settings every chart of the library is drawn with."""
    return {
        "svg.hashsalt": "planning-core",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": [*CJK_FONTS, "DejaVu Sans"],
        "axes.unicode_minus": False,
    }


@contextmanager
def charting(purpose: str) -> Iterator[None]:
    """Draw inside with the library's settings.

    :raises MissingExtraError: naming ``purpose`` when matplotlib is not installed.
    """
    matplotlib = import_extra("matplotlib", "charts", purpose)
    with matplotlib.rc_context(chart_settings()):
        yield


def new_figure(width: float, height: float, purpose: str) -> Figure:
    """A figure of ``width`` × ``height`` inches with the constrained layout."""
    figure_module = import_extra("matplotlib.figure", "charts", purpose)
    figure: Figure = figure_module.Figure(figsize=(width, height), layout="constrained")
    return figure


def figure_svg(figure: Figure) -> str:
    """``figure`` as SVG text, without matplotlib's font chatter."""
    buffer = io.StringIO()
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    font_log.setLevel(logging.ERROR)  # "using weight 500 for WenQuanYi Zen Hei" is no news
    try:
        with warnings.catch_warnings():
            # Text stays text in the SVG (the viewer's CJK font draws it); only the layout
            # measurement falls back to DejaVu Sans when no CJK font is installed here.
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            figure.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        font_log.setLevel(level)
    return buffer.getvalue()
