"""The six national permit types, registered exactly as a city plugin registers its own."""

from __future__ import annotations

from planning_core.markers import hookimpl
from planning_core.permits._model import PermitType
from planning_core.permits._reference import reference_permit_types
from planning_core.registry import Registry

__all__ = ["planning_core_register_permit_types"]


@hookimpl(tryfirst=True)
def planning_core_register_permit_types(registry: Registry[PermitType]) -> None:
    """Register 选址意见书, 建设用地规划许可证, 建设工程规划许可证, 乡村建设规划许可证,
    临时建设工程规划许可 and 规划条件核实 under their codes."""
    for permit in reference_permit_types():
        registry.add(permit.code, permit)
