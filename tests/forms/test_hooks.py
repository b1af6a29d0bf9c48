"""planning_core_register_forms: a city adds, extends or replaces forms through its plugin."""

from __future__ import annotations

import attrs
import pytest
from _support.forms import construction_form

from planning_core import PluginError, hookimpl
from planning_core.errors import ConfigurationError, ValidationError
from planning_core.forms import (
    ChoiceField,
    FormDefinition,
    PartyField,
    TextField,
    form_catalogue,
    validate_form,
)
from planning_core.plugins import Hooks
from planning_core.registry import Registry


class _Billboards:
    """A city's own permit type (户外广告设置) with its own form."""

    @hookimpl
    def planning_core_register_forms(self, registry: Registry[FormDefinition]) -> None:
        registry.add(
            "BILLBOARD",
            FormDefinition(
                "BILLBOARD",
                "户外广告设置申请表",
                [
                    PartyField("applicant", "申请人"),
                    ChoiceField("lit", "是否照明", (("yes", "是"), ("no", "否"))),
                ],
            ),
        )


class _DesignInstitute:
    """Adds a field to the national construction form."""

    @hookimpl
    def planning_core_register_forms(self, registry: Registry[FormDefinition]) -> None:
        form = registry.get("CONSTRUCTION")
        extra = TextField("design_institute", "设计单位", max_length=100)
        registry.add("CONSTRUCTION", attrs.evolve(form, fields=(*form.fields, extra)), replace=True)


def test_the_built_in_plugin_registers_the_six_national_forms(hooks: Hooks) -> None:
    assert form_catalogue(hooks).keys() == [
        "SITE_SELECTION",
        "LAND_USE",
        "CONSTRUCTION",
        "RURAL_CONSTRUCTION",
        "TEMPORARY_CONSTRUCTION",
        "VERIFICATION",
    ]


def test_a_plugin_registers_the_form_of_its_own_permit_type(hooks: Hooks) -> None:
    hooks.register(_Billboards(), name="billboards")
    forms = form_catalogue(hooks)
    applicant = {"kind": "organisation", "name": "某广告公司", "id_number": "91110000802100433B"}
    form = validate_form("BILLBOARD", {"applicant": applicant, "lit": "no"}, forms)
    assert form.get("lit") == "no"
    with pytest.raises(ValidationError, match=r"@ \$\.lit"):
        validate_form("BILLBOARD", {"applicant": applicant, "lit": "maybe"}, forms)


def test_a_plugin_extends_a_national_form(hooks: Hooks) -> None:
    hooks.register(_DesignInstitute(), name="design-institute")
    forms = form_catalogue(hooks)
    with pytest.raises(
        ValidationError, match=r"设计单位 is required; fill it in @ \$\.design_institute"
    ):
        validate_form("CONSTRUCTION", construction_form(), forms)
    form = validate_form("CONSTRUCTION", construction_form(design_institute="某设计院"), forms)
    assert form.get("design_institute") == "某设计院"
    assert "design_institute" in forms.get("CONSTRUCTION").json_schema()["required"]


def test_a_form_under_another_key_is_refused(hooks: Hooks) -> None:
    class Misfiled:
        @hookimpl
        def planning_core_register_forms(self, registry: Registry[FormDefinition]) -> None:
            registry.add("LAND_USE_2", registry.get("LAND_USE"))

    hooks.register(Misfiled(), name="misfiled")
    with pytest.raises(ConfigurationError, match="registered under 'LAND_USE_2'"):
        form_catalogue(hooks)


def test_a_plugin_cannot_silently_replace_a_national_form(hooks: Hooks) -> None:
    class Clash:
        @hookimpl
        def planning_core_register_forms(self, registry: Registry[FormDefinition]) -> None:
            registry.add("CONSTRUCTION", registry.get("LAND_USE"))

    hooks.register(Clash(), name="clash")
    with pytest.raises(PluginError, match="already registered"):
        form_catalogue(hooks)
