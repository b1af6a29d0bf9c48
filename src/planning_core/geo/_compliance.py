"""The compliance check (城乡规划法 art. 40): a scheme against the site's planning conditions.

A construction permit is granted when the design scheme fits the regulatory detailed plan
and the planning conditions (符合控制性详细规划和规划条件). ``check_scheme`` goes rule by
rule and shows the numbers on both sides, so the reviewer sees *by how much*, not only
*whether*. It never decides: ``prefill_checklist`` turns the results into suggested answers
for a step's business standards (业务标准), and the handler confirms them in ``Complete``.

A rule whose figure the scheme does not give is UNKNOWN, not passed: silence is no proof.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from planning_core.errors import NotFoundError, ValidationError
from planning_core.geo._conditions import Condition, SiteConditions
from planning_core.geo._numbers import fmt, fmt_percent
from planning_core.geo._plots import SETBACK_EDGES_ZH, Indicator, Setback
from planning_core.workflow import ReviewPoint

__all__ = [
    "CHECKLIST_RULES",
    "ChecklistHint",
    "ComplianceReport",
    "RuleResult",
    "RuleStatus",
    "Scheme",
    "check_scheme",
    "prefill_checklist",
]

_INDICATOR_RULES = ("far_max", "far_min", "density_max", "height_max", "green_min")

#: Which rules decide which business standards of the reference workflows; None: all rules.
CHECKLIST_RULES: Mapping[str, tuple[str, ...] | None] = {
    "plan_conformity": None,
    "site_plan_indicators": (*_INDICATOR_RULES, "setback_min"),
    "conditions_met": ("land_area", "land_use"),
    "conditions_kept": None,
    "no_plan_conflict": None,
}


class RuleStatus(enum.Enum):
    """PASS and FAIL with the numbers; UNKNOWN when the scheme does not give the figure."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"

    @property
    def zh(self) -> str:
        """符合, 不符合, 未提供."""
        return {"pass": "符合", "fail": "不符合", "unknown": "未提供"}[self.value]


@attrs.frozen
class Scheme:
    """The figures of a submitted design scheme (设计方案) that the conditions govern.

    Areas in m², heights and setbacks in metres; a figure not given is None.

    :param total_floor_area: the floor area counted in the floor-area ratio (计容建筑面积).
    :param footprint_area: the building footprint (建筑基底面积), for the density.
    :param setbacks: the scheme's distance from each edge (``road``, ``boundary`` …).
    """

    land_area: Decimal
    total_floor_area: Decimal | None = None
    footprint_area: Decimal | None = None
    height: Decimal | None = None
    green_area: Decimal | None = None
    setbacks: tuple[Setback, ...] = ()
    land_use: str | None = None

    @classmethod
    def from_json(cls, data: object) -> Scheme:
        """A scheme from JSON (numbers or numeric strings; ``setbacks`` as ``{edge: m}``).

        :raises ValidationError: listing every problem with its path.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(f"a scheme is a JSON object, not {type(data).__name__}")
        problems: list[str] = []
        unknown = set(data) - {a.name for a in attrs.fields(cls)}
        problems += [f"unknown field; remove it @ $.{k}" for k in sorted(unknown)]
        values: dict[str, Any] = {}
        for name in ("land_area", "total_floor_area", "footprint_area", "height", "green_area"):
            values[name] = _measure(data.get(name), f"$.{name}", problems, name == "land_area")
        values["setbacks"] = _scheme_setbacks(data.get("setbacks"), problems)
        land_use = data.get("land_use")
        if land_use is not None and not isinstance(land_use, str):
            problems.append("expected a land-use code such as 'R2' @ $.land_use")
        values["land_use"] = land_use
        if problems:
            raise ValidationError(
                f"the scheme has {len(problems)} problem(s); fix each one below", problems
            )
        return cls(**values)

    def setback(self, edge: str) -> Decimal | None:
        """The scheme's setback from ``edge``, or None."""
        return next((s.metres for s in self.setbacks if s.edge == edge), None)


@attrs.frozen
class RuleResult:
    """One rule's verdict with the figure on each side.

    :param rule: ``far_max``, ``setback_min:road``, ``land_use`` …
    :param actual: the scheme's figure; ``limit``: what the conditions allow or require.
    :param plot_code: the plot whose condition set the limit.
    """

    rule: str
    name: str
    status: RuleStatus
    actual: Decimal | None
    limit: Decimal | None
    unit: str
    message: str
    plot_code: str | None = None


@attrs.frozen
class ComplianceReport:
    """Every rule's result for one scheme."""

    results: tuple[RuleResult, ...]

    @property
    def passed(self) -> bool:
        """True when every rule passed (an UNKNOWN is not a pass)."""
        return all(r.status is RuleStatus.PASS for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        """The rules the scheme breaks."""
        return tuple(r for r in self.results if r.status is RuleStatus.FAIL)

    def result(self, rule: str) -> RuleResult:
        """The result of ``rule``; a rule that was not checked raises NotFoundError."""
        for found in self.results:
            if found.rule == rule:
                return found
        known = ", ".join(r.rule for r in self.results) or "none"
        raise NotFoundError(f"rule {rule!r} was not checked; checked: {known}")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data with numbers as strings."""
        return {
            "passed": self.passed,
            "results": [
                {
                    "rule": r.rule,
                    "name": r.name,
                    "status": r.status.value,
                    "actual": None if r.actual is None else str(r.actual),
                    "limit": None if r.limit is None else str(r.limit),
                    "unit": r.unit,
                    "plot": r.plot_code,
                    "message": r.message,
                }
                for r in self.results
            ],
        }


@attrs.frozen
class ChecklistHint:
    """A suggested answer to one business standard, with the results behind it.

    :param suggested: True or False from the rules, None when they cannot tell.
    """

    code: str
    text: str
    suggested: bool | None
    evidence: tuple[str, ...]


def check_scheme(
    scheme: Scheme,
    conditions: SiteConditions,
    *,
    land_area_tolerance: Decimal = Decimal("0.01"),
) -> ComplianceReport:
    """Check ``scheme`` against ``conditions``, one result per rule that applies.

    :param land_area_tolerance: how far (a fraction) the scheme's land area may differ
        from the site's measured area before the ``land_area`` rule fails.
    """
    results = [_land_area(scheme, conditions, land_area_tolerance)]
    if scheme.land_use is not None and conditions.land_uses:
        results.append(_land_use(scheme.land_use, conditions))
    for condition in conditions.conditions:
        results.append(_RULES[condition.indicator](scheme, condition))
    return ComplianceReport(tuple(results))


def prefill_checklist(
    report: ComplianceReport,
    standards: Iterable[ReviewPoint],
    rules: Mapping[str, tuple[str, ...] | None] = CHECKLIST_RULES,
) -> tuple[ChecklistHint, ...]:
    """Suggested answers for the business standards the rules can speak to.

    A standard no rule speaks to is left out; the handler answers it alone.
    """
    hints = []
    for point in standards:
        if point.code not in rules:
            continue
        wanted = rules[point.code]
        chosen = [r for r in report.results if wanted is None or r.rule.split(":")[0] in wanted]
        statuses = {r.status for r in chosen}
        suggested: bool | None = None
        if RuleStatus.FAIL in statuses:
            suggested = False
        elif chosen and statuses == {RuleStatus.PASS}:
            suggested = True
        evidence = tuple(f"{r.status.zh}：{r.message}" for r in chosen)
        hints.append(ChecklistHint(point.code, point.text, suggested, evidence))
    return tuple(hints)


def _result(
    condition: Condition,
    name: str,
    actual: Decimal | None,
    limit: Decimal,
    unit: str,
    passed: bool,
    message: str,
) -> RuleResult:
    rule = condition.indicator.value
    if condition.edge is not None:
        rule = f"{rule}:{condition.edge}"
    status = RuleStatus.PASS if passed else RuleStatus.FAIL
    if actual is None:
        status, message = RuleStatus.UNKNOWN, f"方案未提供{name}，无法核对（{condition.text}）"
    return RuleResult(rule, name, status, actual, limit, unit, message, condition.plot_code)


def _far_max(scheme: Scheme, c: Condition) -> RuleResult:
    allowed = scheme.land_area * c.value
    actual = scheme.total_floor_area
    verb = "未超过" if actual is not None and actual <= allowed else "超过"
    message = (
        f"计容建筑面积 {fmt(actual or Decimal(0))} m² {verb}允许的 {fmt(allowed)} m²"
        f"（容积率上限 {fmt(c.value)} × 用地面积 {fmt(scheme.land_area)} m²，地块 {c.plot_code}）"
    )
    ok = actual is not None and actual <= allowed
    return _result(c, "计容建筑面积", actual, allowed, "m²", ok, message)


def _far_min(scheme: Scheme, c: Condition) -> RuleResult:
    required = scheme.land_area * c.value
    actual = scheme.total_floor_area
    ok = actual is not None and actual >= required
    message = (
        f"计容建筑面积 {fmt(actual or Decimal(0))} m² {'达到' if ok else '低于'}应有的 "
        f"{fmt(required)} m²（容积率下限 {fmt(c.value)} × 用地面积 {fmt(scheme.land_area)} m²，"
        f"地块 {c.plot_code}）"
    )
    return _result(c, "计容建筑面积", actual, required, "m²", ok, message)


def _density_max(scheme: Scheme, c: Condition) -> RuleResult:
    allowed = scheme.land_area * c.value
    actual = scheme.footprint_area
    ok = actual is not None and actual <= allowed
    message = (
        f"建筑基底面积 {fmt(actual or Decimal(0))} m² {'未超过' if ok else '超过'}允许的 "
        f"{fmt(allowed)} m²（建筑密度上限 {fmt_percent(c.value)} × 用地面积 "
        f"{fmt(scheme.land_area)} m²，地块 {c.plot_code}）"
    )
    return _result(c, "建筑基底面积", actual, allowed, "m²", ok, message)


def _height_max(scheme: Scheme, c: Condition) -> RuleResult:
    actual = scheme.height
    ok = actual is not None and actual <= c.value
    message = (
        f"建筑高度 {fmt(actual or Decimal(0))} m {'未超过' if ok else '超过'}限高 "
        f"{fmt(c.value)} m（地块 {c.plot_code}）"
    )
    return _result(c, "建筑高度", actual, c.value, "m", ok, message)


def _green_min(scheme: Scheme, c: Condition) -> RuleResult:
    required = scheme.land_area * c.value
    actual = scheme.green_area
    ok = actual is not None and actual >= required
    message = (
        f"绿地面积 {fmt(actual or Decimal(0))} m² {'达到' if ok else '低于'}应有的 "
        f"{fmt(required)} m²（绿地率下限 {fmt_percent(c.value)} × 用地面积 "
        f"{fmt(scheme.land_area)} m²，地块 {c.plot_code}）"
    )
    return _result(c, "绿地面积", actual, required, "m²", ok, message)


def _setback_min(scheme: Scheme, c: Condition) -> RuleResult:
    edge = c.edge or ""
    actual = scheme.setback(edge)
    ok = actual is not None and actual >= c.value
    edge_zh = SETBACK_EDGES_ZH.get(edge, edge)
    message = (
        f"退{edge_zh} {fmt(actual or Decimal(0))} m {'满足' if ok else '小于'}要求的 "
        f"{fmt(c.value)} m（地块 {c.plot_code}）"
    )
    return _result(c, f"退{edge_zh}距离", actual, c.value, "m", ok, message)


_RULES = {
    Indicator.FAR_MAX: _far_max,
    Indicator.FAR_MIN: _far_min,
    Indicator.DENSITY_MAX: _density_max,
    Indicator.HEIGHT_MAX: _height_max,
    Indicator.GREEN_MIN: _green_min,
    Indicator.SETBACK_MIN: _setback_min,
}


def _land_area(scheme: Scheme, conditions: SiteConditions, tolerance: Decimal) -> RuleResult:
    measured = conditions.site_area_m2
    declared = scheme.land_area
    ok = measured > 0 and abs(declared - measured) <= measured * tolerance
    message = (
        f"申报用地面积 {fmt(declared)} m² 与用地范围实测面积 {fmt(measured)} m² "
        f"{'相符' if ok else '不符'}（允许误差 {fmt_percent(tolerance)}，{conditions.crs}）"
    )
    status = RuleStatus.PASS if ok else RuleStatus.FAIL
    return RuleResult("land_area", "用地面积", status, declared, measured, "m²", message)


def _land_use(land_use: str, conditions: SiteConditions) -> RuleResult:
    allowed = conditions.land_uses
    ok = land_use in allowed
    message = (
        f"方案用地性质 {land_use} {'符合' if ok else '不符合'}控规用地性质 {'、'.join(allowed)}"
    )
    status = RuleStatus.PASS if ok else RuleStatus.FAIL
    return RuleResult("land_use", "用地性质", status, None, None, "", message)


def _measure(value: object, path: str, problems: list[str], required: bool) -> Decimal | None:
    if value is None:
        if required:
            problems.append(f"required; give the figure in metres or m² @ {path}")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.append(f"expected a number, got {value!r} @ {path}")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems.append(f"{value!r} is not a number @ {path}")
        return None
    if not number.is_finite() or number < 0 or (required and number == 0):
        problems.append(f"{value!r} must be a positive number @ {path}")
        return None
    return number


def _scheme_setbacks(value: object, problems: list[str]) -> tuple[Setback, ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        problems.append("expected an object of edge: metres, such as {'road': 10} @ $.setbacks")
        return ()
    found = []
    for edge, metres in value.items():
        number = _measure(metres, f"$.setbacks.{edge}", problems, False)
        if number is not None:
            found.append(Setback(str(edge), number))
    return tuple(found)
