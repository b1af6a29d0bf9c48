"""Issue #20, the input half: every malformed input the tester found, as a named test.

Each test feeds one finding through the door the tester used (the API or the command line)
and asserts the clear error: its class, the key words of its message and, where the input
would have been stored, that the store is exactly as it was. They use only names that
existed before the input boundary (``planning_core.inputs``) was added, so each one can be
run against the code before the change, and fails there.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pendulum
import pytest
from _support.engine import CHECKLIST, HEAD, REVIEWER, WINDOW, at, make_engine, submit
from click.testing import CliRunner, Result
from window._helpers import make_window

from planning_core.cases import Complete, Engine, Extend, Submit
from planning_core.cli import cli
from planning_core.conservation import ConservationRepository, read_csv
from planning_core.errors import NotFoundError, ValidationError
from planning_core.rural import RuralRepository, import_csv
from planning_core.serialization import make_converter
from planning_core.storage import open_store

PLACES_HEADER = (
    "示范点,乡镇,乡镇代码,村庄,规划类型,阶段,地形图测量日期,编制日期,审批日期,完成日期\n"
)
PLACE_ROW = "丰润,乡镇01,,,乡镇总体规划,完成,,,,2022-01-13\n"


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _refused(result: Result, *words: str) -> None:
    """Exit 2, one error line on stderr (problems, if any, indented below it), no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    first, *rest = result.stderr.splitlines()
    assert first.startswith("planning-core: error: "), result.stderr
    assert all(line.startswith("  ") for line in rest), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def _dump(url: str) -> list[str]:
    """Everything an SQLite store holds, as SQL: equal dumps, equal stores."""
    path = url.removeprefix("sqlite:///")
    if not Path(path).exists():
        return []
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bureau.db'}"


# -- accepted that should have been refused -----------------------------------------------------


def test_rural_csv_with_an_unterminated_quote_is_refused_and_stores_nothing() -> None:
    """Finding: a township named ``乡镇03,,,乡镇总体规划`` was stored."""
    with open_store("memory://") as memory:
        repository = RuralRepository(memory, make_converter())
        before = repository.snapshot()
        text = PLACES_HEADER + PLACE_ROW + '丰润,"乡镇03,,,乡镇总体规划'
        with pytest.raises(ValidationError, match=r"line 3: a quoted cell is opened and never"):
            import_csv(repository, text.encode("utf-8"))
        assert repository.snapshot() == before


def test_rural_csv_with_an_unterminated_quote_through_the_cli(tmp_path: Path, store: str) -> None:
    good = tmp_path / "good.csv"
    good.write_text(PLACES_HEADER + PLACE_ROW, encoding="utf-8")
    assert _run("rural", "import", str(good), "--store", store).exit_code == 0
    before = _dump(store)
    bad = tmp_path / "bad.csv"
    bad.write_text(PLACES_HEADER + '丰润,"乡镇03,,,乡镇总体规划\n', encoding="utf-8")
    _refused(_run("rural", "import", str(bad), "--store", store), "line 2", "never closed")
    assert _dump(store) == before


def test_conservation_amount_1e309_is_refused() -> None:
    """Finding: ``1e309`` was accepted (``inf`` and ``NaN`` were refused)."""
    text = "month,site,resource,amount,unit\n2026-01,办公楼,electricity,1e309,kWh\n"
    with pytest.raises(ValidationError) as caught:
        read_csv(text, source="consumption.csv")
    assert any("1e309" in p and "outside" in p for p in caught.value.problems), caught.value


def test_conservation_amount_1e309_through_the_cli_records_nothing(
    tmp_path: Path, store: str
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("month,site,resource,amount,unit\n2026-01,办公楼,electricity,100,kWh\n")
    assert _run("conservation", "record", str(good), "--store", store).exit_code == 0
    before = _dump(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("month,site,resource,amount,unit\n2026-02,办公楼,electricity,1e309,kWh\n")
    _refused(_run("conservation", "record", str(bad), "--store", store), "1e309", "outside")
    assert _dump(store) == before
    with open_store(store) as opened:
        amounts = [r.amount for r in ConservationRepository(opened, make_converter()).consumption()]
    assert [str(a) for a in amounts] == ["100"]


def _layer(tmp_path: Path, coordinates: Any, name: str = "layer.geojson") -> Path:
    path = tmp_path / name
    feature = {
        "type": "Feature",
        "id": "A-01",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def _import(path: Path, store: str) -> Result:
    return _run(
        "layers", "import", str(path), "--kind", "topography", "--survey-date", "2024-05-01",
        "--store", store,
    )  # fmt: skip


RING = [[118.0, 39.0], [118.01, 39.0], [118.01, 39.01], [118.0, 39.01], [118.0, 39.0]]


def test_geojson_with_longitude_500_is_refused(tmp_path: Path, store: str) -> None:
    """Finding: ``layers import`` exited 0 on a longitude of 500."""
    assert _import(_layer(tmp_path, [RING], "good.geojson"), store).exit_code == 0
    before = _dump(store)
    far = [[[500.0, 39.0], [500.01, 39.0], [500.01, 39.01], [500.0, 39.0]]]
    _refused(_import(_layer(tmp_path, far), store), "outside the area of use", "EPSG:4490")
    assert _dump(store) == before


def test_geojson_with_coordinates_as_strings_is_refused(tmp_path: Path, store: str) -> None:
    """Finding: ``layers import`` exited 0 on coordinates written as text."""
    assert _import(_layer(tmp_path, [RING], "good.geojson"), store).exit_code == 0
    before = _dump(store)
    text = [[[str(x), str(y)] for x, y in RING]]
    _refused(_import(_layer(tmp_path, text), store), "coordinates[0][0]", "not text")
    assert _dump(store) == before


def _nothing_stored(engine: Engine) -> None:
    assert engine.store.open_case_ids() == []


def test_submit_with_an_empty_case_id_is_refused() -> None:
    """Finding: ``Submit(case_id="")`` was recorded."""
    engine = make_engine()
    with pytest.raises(ValidationError, match=r"Submit\.case_id must be a non-empty text.*''"):
        engine.execute(
            Submit("", "TEST", "某公司", "某项目", ("application",)), WINDOW, at("2026-03-02 09:00")
        )
    _nothing_stored(engine)


def test_submit_with_a_number_as_case_id_is_refused() -> None:
    """Finding: ``Submit(case_id=42)`` was recorded."""
    engine = make_engine()
    with pytest.raises(ValidationError, match=r"Submit\.case_id .* not 42"):
        engine.execute(
            Submit(42, "TEST", "某公司", "某项目", ("application",)),  # type: ignore[arg-type]
            WINDOW,
            at("2026-03-02 09:00"),
        )
    _nothing_stored(engine)


def test_an_applicant_given_as_a_dict_is_refused_not_stored_as_its_repr() -> None:
    """Finding: an applicant given as a JSON object was stored as the text of its repr."""
    window = make_window()
    application = {
        "permit_type": "TEST",
        "applicant": {"name": "某公司"},
        "project": "某项目",
        "materials": ["application", "site_plan"],
    }
    with pytest.raises(
        ValidationError, match=r"expected text, got \{'name': '某公司'\} @ \$\.applicant"
    ):
        window.intake(application, WINDOW, at("2026-03-02 09:00"))
    _nothing_stored(window.engine)
    with pytest.raises(ValidationError, match=r"Submit\.applicant must be text"):
        Submit("c1", "TEST", {"name": "某公司"}, "某项目")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T09:00:00+08:00",
        pendulum.datetime(1, 1, 1, 9, tz="UTC"),
        "9999-12-31T09:00:00+08:00",
    ],
    ids=["text", "datetime", "year-9999"],
)
def test_a_case_received_in_year_0001_is_refused(when: object) -> None:
    """Finding: a case received in year 0001 was recorded."""
    engine = make_engine()
    with pytest.raises(ValidationError, match=r"outside 1949-10-01 to 2199-12-31"):
        engine.execute(Submit("c1", "TEST", "某公司", "某项目", ("application",)), WINDOW, when)
    _nothing_stored(engine)


def test_a_material_code_unknown_to_the_permit_type_is_refused_by_the_engine() -> None:
    """Finding: the window checked material codes, the engine did not."""
    engine = make_engine()
    with pytest.raises(ValidationError, match=r"'no_such_material' are not on the list for TEST"):
        engine.execute(
            Submit("c1", "TEST", "某公司", "某项目", ("application", "no_such_material")),
            WINDOW,
            at("2026-03-02 09:00"),
        )
    _nothing_stored(engine)


def test_workflow_show_light_purple_is_refused_naming_the_lights() -> None:
    """Finding: ``--light review=purple`` was drawn."""
    result = _run("workflow", "show", "CONSTRUCTION", "--light", "review=purple")
    _refused(result, "'purple' is not a light", "green", "yellow", "red")


def test_forms_validate_for_no_such_case_refuses_and_stores_nothing(
    tmp_path: Path, store: str
) -> None:
    """Finding: ``forms validate --case no-such-case`` said it stored the form."""
    from _support.forms import construction_form

    form = tmp_path / "form.json"
    form.write_text(json.dumps(construction_form(), ensure_ascii=False), encoding="utf-8")
    with open_store(store):
        pass  # the store exists, and holds no case
    before = _dump(store)
    result = _run("forms", "validate", "CONSTRUCTION", str(form), "--case", "no-such-case",
                  "--store", store)  # fmt: skip
    _refused(result, "no case with id or number 'no-such-case'", "nothing was stored")
    debug = _run("--debug", "forms", "validate", "CONSTRUCTION", str(form), "--case",
                 "no-such-case", "--store", store)  # fmt: skip
    assert isinstance(debug.exception, NotFoundError)
    assert _dump(store) == before
    with open_store(store) as opened:
        assert opened.get_record("forms.case", "no-such-case") is None


# -- tracebacks instead of errors ---------------------------------------------------------------


def test_conservation_csv_with_a_200_kb_cell_is_an_error_not_a_traceback(
    tmp_path: Path, store: str
) -> None:
    """Finding: ``field larger than field limit`` escaped as a traceback."""
    text = "month,site,resource,amount,unit\n2026-01," + "办" * 200_000 + ",electricity,1,kWh\n"
    with pytest.raises(ValidationError, match=r"line 2: .*longer than the 32767 characters"):
        read_csv(text, source="consumption.csv")
    big = tmp_path / "big.csv"
    big.write_text(text, encoding="utf-8")
    _refused(_run("conservation", "record", str(big), "--store", store), "line 2")
    assert _dump(store) == []


def _validate(tmp_path: Path, data: bytes) -> Result:
    path = tmp_path / "workflow.json"
    path.write_bytes(data)
    return _run("workflow", "validate", str(path))


def _invalid(result: Result, *words: str) -> None:
    """``workflow validate``'s verdict on a bad file: exit 1, the problems on stdout."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.output, (word, result.output)


def test_workflow_validate_on_a_gbk_file_names_the_encoding(tmp_path: Path) -> None:
    """Finding: a GBK file ended in ``UnicodeDecodeError``."""
    data = json.dumps({"graph": {"permit_type": "建设工程", "version": 1}}, ensure_ascii=False)
    _invalid(_validate(tmp_path, data.encode("gbk")), "not UTF-8", "GBK/GB18030")


def test_workflow_validate_on_a_top_level_array(tmp_path: Path) -> None:
    """Finding: ``[]`` ended in ``AttributeError``."""
    _invalid(_validate(tmp_path, b"[]"), "one JSON object", "not an array")


def test_workflow_validate_on_100000_deep_nesting(tmp_path: Path) -> None:
    """Finding: 100,000 nested arrays ended in ``RecursionError``."""
    _invalid(_validate(tmp_path, b"[" * 100_000 + b"]" * 100_000), "more than 64 levels deep")


def test_appointments_configure_on_a_list_is_an_error(tmp_path: Path, store: str) -> None:
    """Finding: ``appointments configure`` on ``[1,2]`` ended in a traceback."""
    path = tmp_path / "appointments.json"
    path.write_text("[1,2]", encoding="utf-8")
    _refused(_run("appointments", "configure", str(path), "--store", store), "one JSON object")
    assert _dump(store) == []


def test_layers_import_on_deep_nesting_is_an_error(tmp_path: Path, store: str) -> None:
    """Finding: a deeply nested GeoJSON file ended in a traceback."""
    path = tmp_path / "deep.geojson"
    path.write_bytes(
        b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    )
    assert _import(_layer(tmp_path, [RING], "good.geojson"), store).exit_code == 0
    before = _dump(store)
    _refused(_import(path, store), "more than 64 levels deep")
    assert _dump(store) == before


def test_extend_with_working_days_as_text_is_refused() -> None:
    """Finding: ``Extend(working_days="3")`` ended in ``TypeError``."""
    with pytest.raises(ValidationError, match=r"Extend\.working_days must be a whole number.*'3'"):
        Extend("c1", "3", "专家论证")  # type: ignore[arg-type]
    engine = make_engine()
    submit(engine)
    with pytest.raises(ValidationError, match=r"Extend\.working_days"):
        engine.execute(Extend("c1", "3", "专家论证"), HEAD, at("2026-03-03 09:00"))  # type: ignore[arg-type]


def test_complete_with_checklist_none_is_refused() -> None:
    """Finding: ``Complete(checklist=None)`` ended in ``TypeError``."""
    with pytest.raises(ValidationError, match=r"Complete\.checklist must be pairs .*None"):
        Complete("c1", "review", "APPROVE", "", None)  # type: ignore[arg-type]
    assert Complete("c1", "review", "APPROVE", "", [list(p) for p in CHECKLIST]).checklist == (
        CHECKLIST
    )
    assert Complete("c1", "review", "APPROVE", "", dict(CHECKLIST)).checklist == CHECKLIST
    engine = make_engine()
    submit(engine)
    with pytest.raises(ValidationError, match=r"Complete\.checklist"):
        engine.execute(
            Complete("c1", "review", "APPROVE", "", None),  # type: ignore[arg-type]
            REVIEWER,
            at("2026-03-03 09:00"),
        )


def test_submit_with_applicant_none_is_refused() -> None:
    """Finding: ``Submit(applicant=None)`` ended in ``AttributeError``."""
    engine = make_engine()
    with pytest.raises(ValidationError, match=r"Submit\.applicant must be text.*None"):
        engine.execute(
            Submit("c1", "TEST", None, "某项目", ("application",)),  # type: ignore[arg-type]
            WINDOW,
            at("2026-03-02 09:00"),
        )
    _nothing_stored(engine)


def test_forms_validate_for_a_case_that_exists_still_stores_it(tmp_path: Path, store: str) -> None:
    """The refusal above is for a missing case only: an existing one (by number) is stored."""
    from _support.forms import construction_form

    from planning_core.bureau import open_bureau

    with open_bureau(store=store) as bureau:
        engine = bureau.engine
        materials = tuple(m.code for m in engine.permit_type("CONSTRUCTION").materials)
        clerk = engine.organisation.actor("zhang.min")
        engine.execute(
            Submit("c7", "CONSTRUCTION", "某公司", "某楼", materials), clerk, at("2026-03-02 09:00")
        )
        number = engine.load("c7").case_number
    form = tmp_path / "form.json"
    form.write_text(json.dumps(construction_form(), ensure_ascii=False), encoding="utf-8")
    result = _run(
        "forms", "validate", "CONSTRUCTION", str(form), "--case", number, "--store", store
    )
    assert result.exit_code == 0, result.output
    with open_store(store) as opened:
        assert opened.get_record("forms.case", "c7") is not None


def test_an_application_with_an_applicant_that_is_not_text_is_refused() -> None:
    from planning_core.permits import permit_catalogue
    from planning_core.window import Application
    from planning_core.window._application import check_application

    with pytest.raises(ValidationError, match=r"applicant must be text, not dict"):
        check_application(
            Application("CONSTRUCTION", {"name": "某公司"}, "某项目"),  # type: ignore[arg-type]
            permit_catalogue(),
        )
