"""CSV import: every bad row reported with row, column and value; all stored or nothing."""

from __future__ import annotations

import pytest

from planning_core.errors import ValidationError
from planning_core.rural import (
    COLLECTIONS,
    PlaceRef,
    PlanKind,
    RuralRepository,
    Stage,
    Township,
    import_csv,
)
from planning_core.storage import Store

HEADER = "示范点,乡镇,村庄,规划类型,阶段,编制日期,投资(元)\n"


def _nothing_stored(store: Store) -> bool:
    return all(store.list_records(c) == [] for c in COLLECTIONS.values())


def _problems(repository: RuralRepository, text: str | bytes) -> tuple[str, ...]:
    with pytest.raises(ValidationError) as caught:
        import_csv(repository, text)
    return caught.value.problems


def test_bad_stage_negative_sum_and_duplicate_village_all_listed_and_nothing_stored(
    repository: RuralRepository, store: Store
) -> None:
    text = (
        HEADER
        + "丰润,乡镇01,村庄001,村庄规划,编制,2022-01-13,120000\n"
        + "丰润,乡镇01,村庄002,村庄规划,设计中,2022-01-13,80000\n"
        + "丰润,乡镇01,村庄003,村庄规划,编制,2022-01-13,-5000\n"
        + "丰润,乡镇01,村庄001,村庄规划,编制,2022-01-13,120000\n"
    )
    problems = _problems(repository, text)
    assert len(problems) == 3
    stage, money, duplicate = problems
    assert stage.startswith("row 3, column 阶段, value '设计中':")
    assert money.startswith("row 4, column 投资(元), value '-5000':") and "negative" in money
    assert duplicate.startswith("row 5, column 村庄, value '村庄001':")
    assert "duplicate" in duplicate and "row 2" in duplicate
    assert _nothing_stored(store)


def test_a_rejected_file_leaves_earlier_data_untouched(repository: RuralRepository) -> None:
    import_csv(repository, HEADER + "丰润,乡镇01,村庄001,村庄规划,编制,2022-01-13,\n")
    before = repository.snapshot()
    bad = HEADER + "丰润,乡镇01,村庄001,村庄规划,完成,2022-01-13,\n丰润,乡镇02,,x,,,\n"
    _problems(repository, bad)
    assert repository.snapshot() == before


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_with_or_without_bom(repository: RuralRepository, bom: bytes) -> None:
    text = HEADER + "丰润,乡镇01,村庄001,村庄规划,编制,2022-01-13,\n"
    result = import_csv(repository, bom + text.encode("utf-8"))
    assert result.sheet == "places"
    plan = repository.plan(PlaceRef("丰润", "乡镇01", "村庄001"), PlanKind.VILLAGE_PLAN)
    assert plan is not None and plan.stage is Stage.COMPILING


def test_not_utf8_is_refused_with_the_byte(repository: RuralRepository, store: Store) -> None:
    with pytest.raises(ValidationError, match="not UTF-8"):
        import_csv(repository, (HEADER + "丰润,乡镇01,,,,,\n").encode("gbk"))
    assert _nothing_stored(store)


def test_english_keys_any_column_order_and_blank_rows_keep_numbers(
    repository: RuralRepository,
) -> None:
    text = (
        "stage,plan_kind,village,township,site,compiling_on\n"
        "\n"
        "compiling,village_plan,村庄001,乡镇01,丰润,2022-01-13\n"
        ",,,,,\n"
        "bogus,village_plan,村庄002,乡镇01,丰润,2022-01-13\n"
    )
    (problem,) = _problems(repository, text)
    assert problem.startswith("row 5, column stage, value 'bogus':")


def test_a_header_that_fits_no_sheet_says_why(repository: RuralRepository) -> None:
    with pytest.raises(ValidationError) as caught:
        import_csv(repository, "示范点,乡镇,颜色\n丰润,乡镇01,红\n")
    assert "颜色" in str(caught.value)
    assert any("places" in p for p in caught.value.problems)


def test_empty_file(repository: RuralRepository) -> None:
    with pytest.raises(ValidationError, match="empty"):
        import_csv(repository, b"")


def test_extra_cells_beyond_the_header(repository: RuralRepository) -> None:
    (problem,) = _problems(
        repository, HEADER + "丰润,乡镇01,村庄001,村庄规划,编制,2022-01-13,,多余\n"
    )
    assert problem.startswith("line 2 has 8 cell(s) but the header has 7")


def test_stage_dates_must_fit_the_stage(repository: RuralRepository) -> None:
    header = "示范点,乡镇,村庄,规划类型,阶段,地形图测量日期,编制日期,完成日期\n"
    text = header + (
        "丰润,乡镇01,村庄001,村庄规划,编制,,,\n"  # current stage undated
        "丰润,乡镇01,村庄002,村庄规划,编制,2022-01-10,2022-01-13,2022-01-14\n"  # later date
        "丰润,乡镇01,村庄003,村庄规划,编制,2022-01-13,2022-01-10,\n"  # dates go back
        "丰润,乡镇01,村庄004,村庄规划,,2022-01-13,,\n"  # dates but no stage
        "丰润,乡镇01,村庄005,,编制,,2022-01-13,\n"  # plan cells without a plan kind
        "丰润,乡镇01,,村庄规划,编制,,2022-01-13,\n"  # a village plan for a township
        "丰润,乡镇01,村庄006,村庄规划,编制,,2022-13-01,\n"  # not a date
    )
    problems = _problems(repository, text)
    assert [p.split(":")[0] for p in problems] == [
        "row 2, column 编制日期, value ''",
        "row 3, column 完成日期, value '2022-01-14'",
        "row 4, column 编制日期, value '2022-01-10'",
        "row 5, column 阶段, value ''",
        "row 6, column 阶段, value '编制'",
        "row 6, column 编制日期, value '2022-01-13'",
        "row 7, column 规划类型, value '村庄规划'",
        "row 8, column 编制日期, value '2022-13-01'",
    ]


def test_township_codes_must_agree(repository: RuralRepository) -> None:
    header = "示范点,乡镇,乡镇代码,村庄,规划类型,阶段\n"
    text = (
        header
        + "丰润,乡镇01,130208100,,,\n丰润,乡镇01,130208101,村庄001,,\n丰润,乡镇02,130208100,,,\n"
    )
    problems = _problems(repository, text)
    assert [p.split(":")[0] for p in problems] == [
        "row 3, column 乡镇代码, value '130208101'",
        "row 4, column 乡镇代码, value '130208100'",
    ]


def test_a_blank_code_keeps_the_stored_one(repository: RuralRepository) -> None:
    repository.put(Township("丰润", "乡镇01", "130208100"))
    import_csv(repository, "示范点,乡镇,村庄,规划类型,阶段\n丰润,乡镇01,村庄001,,\n")
    (township,) = repository.snapshot().townships
    assert township.code == "130208100"


def test_committees_matters_and_funding_need_registered_places(
    repository: RuralRepository, store: Store
) -> None:
    committees = "示范点,乡镇,主任职务,规划办公室\n丰润,乡镇01,书记,是\n"
    matters = "示范点,乡镇,事项,件数\n丰润,,初审规划意见,100\n"
    funding = "示范点,乡镇,说明,金额(元),精度\n丰润,,目前投入资金,6000000,准确\n"
    for text, column in ((committees, "示范点"), (matters, "示范点"), (funding, "示范点")):
        (problem,) = _problems(repository, text)
        assert problem.startswith(f"row 2, column {column}, value '丰润':")
        assert "not registered" in problem
    assert _nothing_stored(store)


def test_tally_sheets_report_every_bad_cell(repository: RuralRepository) -> None:
    import_csv(repository, "示范点,乡镇,村庄,规划类型,阶段\n丰润,乡镇01,,,\n")
    matters = (
        "示范点,乡镇,事项,件数\n丰润,,初审规划意见,-1\n丰润,乡镇09,发证,3\n"
        "丰润,,规划意见,2\n丰润,,初审规划意见,4\n"
    )
    problems = _problems(repository, matters)
    assert [p.split(":")[0] for p in problems] == [
        "row 2, column 件数, value '-1'",
        "row 3, column 乡镇, value '乡镇09'",
        "row 3, column 事项, value '发证'",
        "row 5, column 事项, value '初审规划意见'",
    ]
    funding = "示范点,乡镇,说明,金额(元),精度\n丰润,,投入,1.234,准确\n丰润,,再投入,100,大约\n"
    problems = _problems(repository, funding)
    assert [p.split(":")[0] for p in problems] == [
        "row 2, column 金额(元), value '1.234'",
        "row 3, column 精度, value '大约'",
    ]
    committees = (
        "示范点,乡镇,主任职务,委员,规划办公室,办公室负责人\n丰润,乡镇01,村长,张三、张三,也许,李四\n"
    )
    problems = _problems(repository, committees)
    assert [p.split(":")[0] for p in problems] == [
        "row 2, column 主任职务, value '村长'",
        "row 2, column 委员, value '张三、张三'",
        "row 2, column 规划办公室, value '也许'",
        "row 2, column 办公室负责人, value '李四'",
    ]
