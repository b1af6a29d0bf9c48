"""Charts of consumption against the baseline and the target, as SVG, drawn with matplotlib.

matplotlib is an optional extra (``pip install "planning-core[charts]"``), imported through
:func:`planning_core._extras.import_extra` only when a chart is drawn, so the core works
without it. The figure is built with the object API (``matplotlib.figure.Figure``), never
``pyplot``: no global figure manager, no GUI, and the host application's own backend choice
is left alone. The SVG is reproducible: no creation date in its metadata, a fixed hash salt
for element ids, and text kept as text (with a list of common CJK fonts named) so the
Chinese labels are drawn by the viewer's font.

A bureau prints this chart in its yearly report, so it reads like one: every axis starts at
zero (a bar or line cut off at 15 000 kWh makes a 3 % saving look like a halving), the
target the bureau is measured against is drawn as its own line, each retrofit (节能改造)
of the panel's resource is marked on the month it was completed, and the legend is in
Chinese.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from planning_core._charts import charting, figure_svg, new_figure
from planning_core._extras import import_extra
from planning_core.conservation._report import ResourceFigures, RetrofitFigures, YearReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["year_chart_svg"]

_PURPOSE = "drawing the conservation chart"
_BASELINE_COLOUR = "#868e96"
_CURRENT_COLOUR = "#1971c2"
_TARGET_COLOUR = "#2b8a3e"
_RETROFIT_COLOUR = "#862e9c"


def _new_figure(height: float) -> Figure:
    return new_figure(8, height, _PURPOSE)


def year_chart_svg(report: YearReport) -> str:
    """One panel per resource: this year's monthly use against the baseline year and target.

    Each panel has its y-axis from zero, the baseline year dashed, this year solid, the
    target (the baseline month less the target's reduction) as a green step line when the
    year has a target for the resource, and a purple mark at each retrofit of the resource
    completed in the baseline year or this year.

    :raises MissingExtraError: when matplotlib is not installed (the message says how);
        it is a ``ConfigurationError``.
    """
    with charting(_PURPOSE):
        return figure_svg(_year_figure(report))


def _year_figure(report: YearReport) -> Figure:
    """The chart as a matplotlib figure (the picture tests measure its text before saving)."""
    figure = _new_figure(2.8 * len(report.resources))
    axes_list = figure.subplots(len(report.resources), 1, squeeze=False)[:, 0]
    for axes, figures in zip(axes_list, report.resources, strict=True):
        _panel(axes, report.year, figures, report.retrofits)
    figure.suptitle(f"{report.year}年能耗与基准年、目标对比")
    return figure


def _panel(
    axes: Axes, year: int, figures: ResourceFigures, retrofits: tuple[RetrofitFigures, ...]
) -> None:
    ticker = import_extra("matplotlib.ticker", "charts", _PURPOSE)
    months = [m.month for m in figures.monthly]
    current = [_float(m.current) for m in figures.monthly]
    baseline = [_float(m.baseline) for m in figures.monthly]
    axes.plot(
        months,
        baseline,
        color=_BASELINE_COLOUR,
        linestyle="--",
        marker="o",
        markersize=4,
        label=f"{figures.baseline_year}年（基准年）",
    )
    axes.plot(months, current, color=_CURRENT_COLOUR, marker="o", label=f"{year}年")
    if figures.target_reduction_percent is not None:
        share = (100 - figures.target_reduction_percent) / 100
        target = [_float(None if b is None else b * share) for b in _baselines(figures)]
        axes.step(
            months,
            target,
            where="mid",
            color=_TARGET_COLOUR,
            linewidth=1.5,
            label=f"目标：较基准年降低 {_percent(figures.target_reduction_percent)}%",
        )
    marked = False
    for item in retrofits:
        project = item.project
        done = project.completed_on
        if project.resource is not figures.resource or done.year not in (
            figures.baseline_year,
            year,
        ):
            continue
        x = done.month + (done.day - 1) / done.days_in_month - 0.5
        axes.axvline(
            x,
            color=_RETROFIT_COLOUR,
            linestyle=":",
            linewidth=1.5,
            label=None if marked else "节能改造完成",
        )
        axes.annotate(
            f"{project.item}\n{done.year}年{done.month}月{done.day}日完成",
            xy=(x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            ha="left" if x < 9 else "right",
            va="top",
            fontsize=7,
            color=_RETROFIT_COLOUR,
        )
        marked = True
    axes.set_title(f"{figures.resource.zh}（{figures.resource.unit_zh}）", fontsize=10)
    axes.set_xticks(months, [f"{m}月" for m in months])
    axes.set_xlim(0.5, 12.5)
    axes.set_ylim(bottom=0, top=_top(current, baseline))
    axes.yaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
    axes.set_ylabel(figures.resource.unit_zh)
    axes.grid(axis="y", color="#e9ecef")
    axes.legend(loc="lower left", fontsize=7, ncols=2, framealpha=0.9)


def _baselines(figures: ResourceFigures) -> list[Decimal | None]:
    return [m.baseline for m in figures.monthly]


def _top(*series: list[float]) -> float:
    """Room above the highest point for the retrofit notes (and 1 for an all-zero year)."""
    highest = max((v for s in series for v in s if v == v), default=0.0)
    return max(highest * 1.3, 1.0)


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _float(value: object) -> float:
    """Plot coordinates only: the figures themselves stay Decimal."""
    return float("nan") if value is None else float(str(value))
