"""The approval system's charts as SVG: cases per month, and the on-time rate per month.

Drawn like the conservation room's chart: matplotlib (the ``charts`` extra) is imported only
when a chart is drawn, through the object API (no ``pyplot``, no global figure, no GUI), and
the SVG is reproducible (no date in its metadata, a fixed id salt, text kept as text so the
Chinese labels need no CJK font where the chart is drawn).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from planning_core.errors import ConfigurationError
from planning_core.reports._statistics import ApprovalStatistics

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["cases_per_month_svg", "on_time_svg"]

#: Fonts named in the SVG for its Chinese text, tried in order by the viewer.
_CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC"]


def _figure_class() -> type[Figure]:
    try:
        from matplotlib.figure import Figure as _Figure
    except ImportError:
        raise ConfigurationError(
            "drawing charts needs matplotlib; install it with "
            "`pip install planning-core[charts]`, or ask for Markdown instead"
        ) from None
    return _Figure


def _svg(title: str, draw: Callable[[Axes], None]) -> str:
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
        figure = figure_class(figsize=(8, 3.2), layout="constrained")
        axes = figure.subplots()
        draw(axes)
        axes.set_title(title)
        buffer = io.StringIO()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _month_labels(stats: ApprovalStatistics) -> list[str]:
    if len({m[:4] for m in stats.by_month}) == 1:
        return [f"{int(m[5:])}月" for m in stats.by_month]
    return list(stats.by_month)


def cases_per_month_svg(stats: ApprovalStatistics) -> str:
    """Cases received and decided in each month of the period, side by side.

    :raises ConfigurationError: when matplotlib is not installed (the message says how).
    """
    labels = _month_labels(stats)
    received = [c.received for c in stats.by_month.values()]
    decided = [c.decided for c in stats.by_month.values()]

    def draw(axes: Axes) -> None:
        xs = list(range(len(labels)))
        axes.bar([x - 0.2 for x in xs], received, width=0.4, label="收件 received")
        axes.bar([x + 0.2 for x in xs], decided, width=0.4, label="决定 decided")
        axes.set_xticks(xs, labels)
        axes.set_ylabel("件 cases")
        axes.legend(loc="best")

    return _svg("每月收件与决定 cases per month", draw)


def on_time_svg(stats: ApprovalStatistics) -> str:
    """The share of each month's decisions made within the committed and statutory limits.

    :raises ConfigurationError: when matplotlib is not installed (the message says how).
    """
    labels = _month_labels(stats)
    committed = [_float(o.committed_rate) for o in stats.on_time_by_month.values()]
    statutory = [_float(o.statutory_rate) for o in stats.on_time_by_month.values()]

    def draw(axes: Axes) -> None:
        xs = list(range(len(labels)))
        axes.plot(xs, committed, marker="o", label="承诺时限 committed")
        axes.plot(xs, statutory, marker="s", linestyle="--", label="法定时限 statutory")
        axes.set_xticks(xs, labels)
        axes.set_ylim(0, 105)
        axes.set_ylabel("%")
        axes.legend(loc="lower left")

    return _svg("按时办结率 on-time rate", draw)


def _float(value: Decimal | None) -> float:
    """Plot coordinates only: the figures themselves stay Decimal."""
    return float("nan") if value is None else float(str(value))
