"""The compliance check (art. 40): rule by rule, with the numbers on both sides."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _support.forms import construction_form
from _support.geo import layer, rect, two_plots
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import NotFoundError, ValidationError
from planning_core.forms import scheme_from_form, validate_form
from planning_core.geo import (
    LayerKind,
    RuleStatus,
    Scheme,
    Setback,
    SiteConditions,
    build_catalogue,
    check_scheme,
    conditions_for,
    prefill_checklist,
)
from planning_core.permits import reference_permit_types


def _inside() -> SiteConditions:
    """A 60 m × 50 m site (3 000 m²) inside A-01: FAR ≤ 2.0, so at most 6 000 m²."""
    catalogue = build_catalogue([layer(LayerKind.REGULATORY_PLAN)], two_plots())
    return conditions_for(rect(10, 10, 60, 50), catalogue)


def _scheme(**changes: object) -> Scheme:
    values: dict[str, object] = {
        "land_area": Decimal(3000),
        "total_floor_area": Decimal(6000),
        "footprint_area": Decimal(1000),
        "height": Decimal(54),
        "green_area": Decimal(950),
        "setbacks": (Setback("road", Decimal(10)), Setback("boundary", Decimal(5))),
        "land_use": "R2",
    }
    values.update(changes)
    return Scheme(**values)  # type: ignore[arg-type]


def test_a_scheme_at_every_limit_passes() -> None:
    report = check_scheme(_scheme(), _inside())
    assert report.passed, [r.message for r in report.results if r.status is not RuleStatus.PASS]
    rules = {r.rule for r in report.results}
    assert rules == {
        "land_area",
        "land_use",
        "far_max",
        "far_min",
        "density_max",
        "height_max",
        "green_min",
        "setback_min:road",
        "setback_min:boundary",
    }


def test_one_square_metre_over_the_allowed_floor_area_fails_with_both_numbers() -> None:
    report = check_scheme(_scheme(total_floor_area=Decimal(6001)), _inside())
    assert [r.rule for r in report.failures] == ["far_max"]
    far = report.result("far_max")
    assert far.actual == Decimal(6001)
    assert far.limit == Decimal(6000)
    assert far.plot_code == "A-01"
    assert "6001 m²" in far.message and "6000 m²" in far.message
    assert not report.passed


@given(st.integers(0, 12_000))
def test_the_floor_area_rule_is_exactly_land_area_times_far(floor_area: int) -> None:
    result = check_scheme(_scheme(total_floor_area=Decimal(floor_area)), _inside()).result(
        "far_max"
    )
    assert (result.status is RuleStatus.PASS) == (floor_area <= 3000 * 2)
    assert str(floor_area) in result.message


@pytest.mark.parametrize(
    ("changes", "rule", "numbers"),
    [
        ({"footprint_area": Decimal(1051)}, "density_max", ("1051", "1050")),
        ({"height": Decimal("60.5")}, "height_max", ("60.5", "60")),
        ({"green_area": Decimal(899)}, "green_min", ("899", "900")),
        ({"total_floor_area": Decimal(2999)}, "far_min", ("2999", "3000")),
        (
            {"setbacks": (Setback("road", Decimal("9.9")), Setback("boundary", Decimal(5)))},
            "setback_min:road",
            ("9.9", "10"),
        ),
        ({"land_use": "M1"}, "land_use", ("M1", "R2")),
        ({"land_area": Decimal(3100)}, "land_area", ("3100", "3000")),
    ],
)
def test_each_rule_fails_alone_and_shows_its_numbers(
    changes: dict[str, object], rule: str, numbers: tuple[str, str]
) -> None:
    report = check_scheme(_scheme(**changes), _inside())
    failures = [r.rule for r in report.failures]
    if rule == "land_area":  # a larger declared land area also raises what the plan allows
        assert failures[0] == "land_area"
    else:
        assert failures == [rule]
    message = report.result(rule).message
    assert all(n in message for n in numbers), message


def test_a_figure_the_scheme_does_not_give_is_unknown_not_passed() -> None:
    report = check_scheme(_scheme(height=None, setbacks=()), _inside())
    unknown = {r.rule for r in report.results if r.status is RuleStatus.UNKNOWN}
    assert unknown == {"height_max", "setback_min:road", "setback_min:boundary"}
    assert not report.failures and not report.passed
    with pytest.raises(NotFoundError, match="rule 'nonsense' was not checked"):
        report.result("nonsense")


def test_a_construction_form_is_checked_as_its_scheme() -> None:
    form = validate_form("CONSTRUCTION", construction_form())
    scheme = scheme_from_form(form)
    assert scheme.green_area == Decimal(3000) * Decimal("0.32")
    assert scheme.setback("road") == Decimal(12)
    assert check_scheme(scheme, _inside()).passed


def test_the_results_pre_fill_the_construction_reviews_checklist() -> None:
    construction = next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")
    review = next(
        s
        for s in construction.workflow.steps
        if s.standards and any(p.code == "plan_conformity" for p in s.standards)
    )
    good = prefill_checklist(check_scheme(_scheme(), _inside()), review.standards)
    assert {h.code: h.suggested for h in good} == {
        "plan_conformity": True,
        "site_plan_indicators": True,
    }
    bad = prefill_checklist(check_scheme(_scheme(height=Decimal(61)), _inside()), review.standards)
    answers = {h.code: h for h in bad}
    assert answers["plan_conformity"].suggested is False
    assert any("61 m" in e for e in answers["site_plan_indicators"].evidence)
    open_ = prefill_checklist(check_scheme(_scheme(height=None), _inside()), review.standards)
    assert {h.code: h.suggested for h in open_}["site_plan_indicators"] is None


def test_a_scheme_file_reports_every_bad_figure_with_its_path() -> None:
    with pytest.raises(ValidationError) as info:
        Scheme.from_json({"land_area": 0, "height": "tall", "setbacks": {"road": -1}, "roof": 1})
    paths = sorted(p.rsplit(" @ ", 1)[1] for p in info.value.problems)
    assert paths == ["$.height", "$.land_area", "$.roof", "$.setbacks.road"]
    scheme = Scheme.from_json({"land_area": 3000, "height": 45.5, "setbacks": {"road": 12}})
    assert scheme.height == Decimal("45.5") and scheme.setback("road") == Decimal(12)
