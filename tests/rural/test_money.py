"""Money: Decimal yuan, 万元 for display, sums kept with the hedge they were recorded with."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.rural import (
    FundingRecord,
    PlaceRef,
    Plan,
    PlanKind,
    RecordedSum,
    SumPrecision,
    format_wan,
)
from planning_core.serialization import dump, load, make_converter

YUAN = st.decimals(0, 10**12, places=2, allow_nan=False, allow_infinity=False)


@given(YUAN)
def test_wan_text_reads_back_as_the_same_amount(amount: Decimal) -> None:
    text = format_wan(amount)
    assert text.endswith("万元")
    assert Decimal(text.removesuffix("万元")) * 10000 == amount


@pytest.mark.parametrize(
    ("amount", "precision", "text"),
    [
        (6_000_000, SumPrecision.EXACT, "600万元"),
        (3_000_000, SumPrecision.ABOUT, "约300万元"),
        (300_000, SumPrecision.MORE_THAN, "30余万元"),
        (100_000, SumPrecision.MORE_THAN, "10余万元"),
        (Decimal("12345.67"), SumPrecision.EXACT, "1.234567万元"),
    ],
)
def test_recorded_sums_in_chinese(
    amount: int | Decimal, precision: SumPrecision, text: str
) -> None:
    assert RecordedSum(Decimal(amount), precision).zh == text


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1.5, "float"),
        (Decimal("-1"), "negative"),
        (Decimal("0.001"), "two decimal places"),
        (Decimal("NaN"), "finite"),
    ],
)
def test_amounts_must_be_decimal_yuan(value: object, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        RecordedSum(value)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=reason):
        Plan(PlanKind.VILLAGE_PLAN, PlaceRef("丰润", "乡镇01", "村庄001"), invested=value)  # type: ignore[arg-type]


@given(YUAN, st.sampled_from(SumPrecision))
def test_funding_records_survive_the_converter_to_the_fen(
    amount: Decimal, precision: SumPrecision
) -> None:
    converter = make_converter()
    record = FundingRecord("丰润", "目前投入资金", RecordedSum(amount, precision))
    data = dump(converter, record)
    assert isinstance(data["sum"]["amount"], str)
    assert load(converter, data, FundingRecord) == record


def test_two_sums_for_one_site_are_two_records() -> None:
    first = FundingRecord("丰润", "目前投入资金", RecordedSum(Decimal(6_000_000)))
    second = FundingRecord(
        "丰润", "资金投入累计", RecordedSum(Decimal(3_000_000), SumPrecision.ABOUT)
    )
    assert first.key != second.key
    assert (first.zh, second.zh) == ("目前投入资金600万元", "资金投入累计约300万元")
