"""The approval system's charts as SVG: cases per month, and the on-time rate per month.

Drawn like the conservation room's chart: matplotlib (the ``charts`` extra) is imported
through :func:`planning_core._extras.import_extra` only when a chart is drawn, through the
object API (no ``pyplot``, no global figure, no GUI), and the SVG is reproducible (no date
in its metadata, a fixed id salt, text kept as text so the viewer's CJK font draws the
Chinese labels).

The charts go into the printed annual work summary, so they read like a bureau's: cases
are counted, so the count axis has whole-number ticks only (never 2.5 cases) and starts at
zero; rates run from 0 to 100 %; labels and legends are Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from planning_core._charts import charting, figure_svg, new_figure
from planning_core._extras import import_extra
from planning_core.reports._statistics import ApprovalStatistics

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["cases_per_month_svg", "on_time_svg"]

_PURPOSE = "drawing the approval charts"
_RECEIVED_COLOUR = "#1971c2"
_DECIDED_COLOUR = "#e8590c"
_COMMITTED_COLOUR = "#2b8a3e"
_STATUTORY_COLOUR = "#5f3dc4"


def _figure(title: str, draw: Callable[[Axes], None]) -> Figure:
    """One chart as a matplotlib figure (the picture tests measure its text before saving)."""
    figure = new_figure(8, 3.4, _PURPOSE)
    axes = figure.subplots()
    draw(axes)
    axes.set_title(title)
    return figure


def _svg(title: str, draw: Callable[[Axes], None]) -> str:
    with charting(_PURPOSE):
        return figure_svg(_figure(title, draw))


def _month_labels(stats: ApprovalStatistics) -> list[str]:
    if len({m[:4] for m in stats.by_month}) == 1:
        return [f"{int(m[5:])}月" for m in stats.by_month]
    return [f"{m[:4]}年{int(m[5:])}月" for m in stats.by_month]


def _draw_cases(stats: ApprovalStatistics) -> Callable[[Axes], None]:
    labels = _month_labels(stats)
    received = [c.received for c in stats.by_month.values()]
    decided = [c.decided for c in stats.by_month.values()]

    def draw(axes: Axes) -> None:
        ticker = import_extra("matplotlib.ticker", "charts", _PURPOSE)
        xs = list(range(len(labels)))
        axes.bar([x - 0.2 for x in xs], received, width=0.4, label="收件", color=_RECEIVED_COLOUR)
        axes.bar([x + 0.2 for x in xs], decided, width=0.4, label="作出决定", color=_DECIDED_COLOUR)
        axes.set_xticks(xs, labels, rotation=45 if len(labels) > 12 else 0)
        axes.set_xlim(-0.6, len(labels) - 0.4)
        # Cases are counted: whole-number ticks only, from zero, with room for the legend.
        axes.yaxis.set_major_locator(ticker.MaxNLocator(nbins="auto", integer=True, min_n_ticks=1))
        axes.set_ylim(0, max([*received, *decided, 1]) * 1.25)
        axes.set_ylabel("件数")
        axes.grid(axis="y", color="#e9ecef")
        axes.set_axisbelow(True)
        axes.legend(loc="upper left", ncols=2)

    return draw


def _draw_on_time(stats: ApprovalStatistics) -> Callable[[Axes], None]:
    labels = _month_labels(stats)
    committed = [_float(o.committed_rate) for o in stats.on_time_by_month.values()]
    statutory = [_float(o.statutory_rate) for o in stats.on_time_by_month.values()]

    def draw(axes: Axes) -> None:
        xs = list(range(len(labels)))
        # clip_on=False: a month at 0 % shows its whole marker on the axis, not half of it
        axes.plot(
            xs,
            committed,
            marker="o",
            color=_COMMITTED_COLOUR,
            label="承诺时限内办结",
            clip_on=False,
        )
        axes.plot(
            xs,
            statutory,
            marker="s",
            linestyle="--",
            color=_STATUTORY_COLOUR,
            label="法定时限内办结",
            clip_on=False,
        )
        axes.set_xticks(xs, labels, rotation=45 if len(labels) > 12 else 0)
        axes.set_xlim(-0.5, len(labels) - 0.5)
        axes.set_ylim(0, 118)
        axes.set_yticks([0, 20, 40, 60, 80, 100])
        axes.set_ylabel("按时办结率（%）")
        axes.grid(axis="y", color="#e9ecef")
        axes.legend(loc="upper left", ncols=2)

    return draw


def cases_per_month_svg(stats: ApprovalStatistics) -> str:
    """Cases received and decided in each month of the period, side by side.

    :raises MissingExtraError: when matplotlib is not installed (the message says how);
        it is a ``ConfigurationError``.
    """
    return _svg("每月收件与作出决定件数", _draw_cases(stats))


def on_time_svg(stats: ApprovalStatistics) -> str:
    """The share of each month's decisions made within the committed and statutory limits.

    A month without a decision has no rate and leaves a gap in the line (not a 0 or 100).

    :raises MissingExtraError: when matplotlib is not installed (the message says how);
        it is a ``ConfigurationError``.
    """
    return _svg("每月按时办结率", _draw_on_time(stats))


def _float(value: Decimal | None) -> float:
    """Plot coordinates only: the figures themselves stay Decimal."""
    return float("nan") if value is None else float(str(value))
