"""The six national application forms, registered exactly as a city plugin registers its own."""

from __future__ import annotations

from planning_core.forms._form import FormDefinition
from planning_core.forms._reference import reference_forms
from planning_core.markers import hookimpl
from planning_core.registry import Registry

__all__ = ["planning_core_register_forms"]


@hookimpl(tryfirst=True)
def planning_core_register_forms(registry: Registry[FormDefinition]) -> None:
    """Register the forms of 选址意见书, 建设用地规划许可证, 建设工程规划许可证,
    乡村建设规划许可证, 临时建设工程规划许可 and 规划条件核实 under their permit types."""
    for form in reference_forms():
        registry.add(form.permit_type, form)
