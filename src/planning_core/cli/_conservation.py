"""``planning-core conservation``: record consumption, check requests, report savings."""

from __future__ import annotations

from pathlib import Path

import cattrs
import click

from planning_core.cli._base import CliContext, pass_context, store_option
from planning_core.cli._output import Output, output_options
from planning_core.conservation import (
    CHECK_KINDS,
    Assessment,
    CheckRecord,
    ConservationRepository,
    MonthReport,
    Outcome,
    RetrofitProject,
    SiteProfile,
    Target,
    YearReport,
    assess,
    build_month_report,
    build_year_report,
    conservation_rules,
    load_check_records,
    read_csv,
    report_json,
    report_markdown,
    year_chart_svg,
)
from planning_core.errors import ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.serialization import dump, make_converter
from planning_core.storage import open_store

__all__ = ["conservation"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def conservation() -> None:
    """节能 Conservation: record consumption, check requests against the rules, report."""


#: The kinds of file ``record`` reads, as a Chinese sentence names them.
_KINDS_ZH = {
    "consumption": "能耗",
    "sites": "单位概况",
    "targets": "节能目标",
    "retrofits": "节能改造",
}


@conservation.command("record")
@click.argument("file", type=_FILE)
@output_options()
@store_option
@pass_context
def record(obj: CliContext, file: Path, output: Output, store_url: str) -> None:
    """Record a CSV of consumption, sites, targets or retrofits (all rows or none).

    The header says which: consumption has month,site,resource,amount,unit.
    """
    kind, records = read_csv(read_text(file), source=file.name)
    with open_store(store_url, obj.hooks) as store:
        count = ConservationRepository(store, make_converter(obj.hooks)).save(records)
        url = store.url
    output.emit(
        text=lambda: obj.say(
            f"已从 {file.name} 记录{_KINDS_ZH.get(kind, kind)} {count} 行（{url}）",
            f"recorded {count} {kind} row(s) from {file.name} in {url}",
        ),
        data=lambda: {"file": file.name, "kind": kind, "rows": count, "store": url},
    )


#: The verdicts as CSV: one row per rule and record, with the bureau's column names.
_CHECK_HEADER = ("记录类型", "编号", "总体结论", "规则", "规则说明", "结论", "条件", "理由")


@conservation.command("check")
@click.argument("file", type=_FILE)
@output_options(csv=True)
@pass_context
def check(obj: CliContext, file: Path, output: Output) -> None:
    """Print every rule's verdict on a trip, requisition, claim, meal or equipment (JSON)."""
    converter = make_converter(obj.hooks)
    data = load_json(read_text(file), file.name, expect=(dict, list))
    records = load_check_records(converter, data)
    rules = conservation_rules(obj.hooks).values()
    assessed = [(record, assess(record, rules)) for record in records]
    output.emit(
        text=lambda: "\n".join(line for r, a in assessed for line in _assessment_lines(obj, r, a)),
        data=lambda: [_as_data(converter, r, a) for r, a in assessed],
        table=lambda: (_CHECK_HEADER, [row for r, a in assessed for row in _rows(r, a)]),
    )


@conservation.command("report")
@click.option("--year", type=int, required=True, help="The year to report on.")
@click.option("--month", type=click.IntRange(1, 12), help="Report one month of the year.")
@click.option(
    "--baseline-year", type=int, help="Baseline for resources without a target (default Y-1)."
)
@output_options(text_name="markdown", formats=("svg",))
@store_option
@pass_context
def report(
    obj: CliContext,
    year: int,
    month: int | None,
    baseline_year: int | None,
    output: Output,
    store_url: str,
) -> None:
    """Report a year's (or a month's) consumption as Markdown, JSON or an SVG chart.

    ``--format svg`` draws the year against the baseline (needs the charts extra).
    """
    fmt = output.fmt
    if month is not None and fmt == "svg":
        raise ValidationError("the SVG chart covers a whole year; leave out --month")
    with open_store(store_url, obj.hooks, create=False) as store:
        repository = ConservationRepository(store, make_converter(obj.hooks))
        records = repository.consumption()
        if month is not None:
            text = _render(build_month_report(year, month, records), fmt)
        else:
            built = build_year_report(
                year,
                records,
                profiles=repository.records(SiteProfile, f"{year:04d}/"),
                targets=repository.records(Target, f"{year:04d}/"),
                retrofits=repository.records(RetrofitProject),
                baseline_year=baseline_year,
            )
            text = year_chart_svg(built) if fmt == "svg" else _render(built, fmt)
    output.write(text)


def _render(built: YearReport | MonthReport, fmt: str) -> str:
    return report_json(built) if fmt == "json" else report_markdown(built)


def _kind(checked: CheckRecord) -> str:
    return next(name for name, cls in CHECK_KINDS.items() if isinstance(checked, cls))


def _assessment_lines(obj: CliContext, checked: CheckRecord, assessment: Assessment) -> list[str]:
    """One record's verdicts: the outcome, then each rule's (in the ``--lang`` language)."""
    zh = obj.lang == "zh"

    def answer(outcome: Outcome) -> str:
        return outcome.zh if zh else outcome.value.replace("_", " ")

    colon = "：" if zh else ": "
    lines = [f"{_kind(checked)} {checked.key}{colon}{answer(assessment.outcome)}"]
    for result in assessment.results:
        verdict = result.verdict
        tags = f" [{', '.join(verdict.conditions)}]" if verdict.conditions else ""
        described = result.description.zh if zh else result.description.en
        lines.append(
            f"  {answer(verdict.outcome)}{tags}  {result.rule_id} ({described}){colon}"
            f"{verdict.reason}"
        )
    return lines


def _as_data(
    converter: cattrs.Converter, checked: CheckRecord, assessment: Assessment
) -> dict[str, object]:
    """A record's assessment: which record, the overall answer, and each rule's result in
    the library's shape (:class:`RuleResult`)."""
    return {
        "record": _kind(checked),
        "key": checked.key,
        "outcome": assessment.outcome.value,
        "conditions": list(assessment.conditions),
        "results": dump(converter, list(assessment.results)),
    }


def _rows(checked: CheckRecord, assessment: Assessment) -> list[list[object]]:
    return [
        [
            _kind(checked),
            checked.key,
            assessment.outcome.zh,
            result.rule_id,
            result.description.zh,
            result.verdict.outcome.zh,
            " ".join(result.verdict.conditions),
            result.verdict.reason,
        ]
        for result in assessment.results
    ]
