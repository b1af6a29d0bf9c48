"""Charts of consumption against the baseline, as SVG, drawn with matplotlib.

matplotlib is an optional extra (``pip install planning-core[charts]``), imported only when a
chart is drawn, so the core works without it. The figure is built with the object API
(``matplotlib.figure.Figure``), never ``pyplot``: no global figure manager, no GUI, and the
host application's own backend choice is left alone. The SVG is reproducible: no creation
date in its metadata, a fixed hash salt for element ids, and text kept as text (with a
list of common CJK fonts named) so the Chinese labels need no CJK font on the server.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from planning_core.conservation._report import ResourceFigures, YearReport
from planning_core.errors import ConfigurationError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["year_chart_svg"]

#: Fonts named in the SVG for its Chinese text, tried in order by the viewer.
_CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC"]


def _figure_class() -> type[Figure]:
    try:
        from matplotlib.figure import Figure as _Figure
    except ImportError:
        raise ConfigurationError(
            "drawing charts needs matplotlib; install it with "
            "`pip install planning-core[charts]`, or ask for JSON or Markdown instead"
        ) from None
    return _Figure


def year_chart_svg(report: YearReport) -> str:
    """One panel per resource: this year's monthly use against the baseline year's.

    :raises ConfigurationError: when matplotlib is not installed (the message says how).
    """
    figure_class = _figure_class()
    import matplotlib

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "planning-core",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": [*_CJK_FONTS, "DejaVu Sans"],
        }
    ):
        figure = figure_class(figsize=(8, 2.6 * len(report.resources)), layout="constrained")
        axes_list = figure.subplots(len(report.resources), 1, squeeze=False)[:, 0]
        for axes, figures in zip(axes_list, report.resources, strict=True):
            _panel(axes, report.year, figures)
        figure.suptitle(f"{report.year} 节能统计 consumption against the baseline")
        buffer = io.StringIO()
        with warnings.catch_warnings():
            # Text stays text in the SVG (the viewer's CJK font draws it); only the layout
            # measurement falls back to DejaVu Sans when no CJK font is installed here.
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _panel(axes: Axes, year: int, figures: ResourceFigures) -> None:
    months = [m.month for m in figures.monthly]
    current = [_float(m.current) for m in figures.monthly]
    baseline = [_float(m.baseline) for m in figures.monthly]
    axes.plot(months, baseline, linestyle="--", marker="o", label=f"{figures.baseline_year}")
    axes.plot(months, current, marker="o", label=f"{year}")
    axes.set_title(f"{figures.resource.zh} {figures.resource.value} ({figures.unit})")
    axes.set_xticks(months)
    axes.set_xlim(0.5, 12.5)
    axes.legend(title="year", loc="best")


def _float(value: object) -> float:
    """Plot coordinates only: the figures themselves stay Decimal."""
    return float("nan") if value is None else float(str(value))
