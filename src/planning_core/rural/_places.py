"""Places: demonstration sites, townships, villages, and each township's planning committee.

A demonstration site (示范点) is a district or county that pilots the rural programme; its
townships (乡镇) and their villages (村庄) are the subjects whose plans are compiled. Every
township may form a planning committee (规划委员会), chaired by the party secretary or the
township head, with a planning office (规划办公室) under it that handles day-to-day matters.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from planning_core.errors import ValidationError
from planning_core.rural._checks import check_name, check_names, check_optional_name, to_tuple

__all__ = [
    "MEMBER_SEPARATORS",
    "ChairRole",
    "DemonstrationSite",
    "PlaceRef",
    "PlanningCommittee",
    "SiteLevel",
    "Township",
    "Village",
]


class SiteLevel(enum.Enum):
    """What kind of county-level unit a site is (for the report's wording only)."""

    DISTRICT = "district"
    COUNTY = "county"
    COUNTY_CITY = "county_city"


@attrs.frozen
class PlaceRef:
    """A township (``village`` None) or one of its villages, named the way spreadsheets do.

    :param site: the demonstration site (district or county).
    :param township: the township within the site.
    :param village: the village within the township; None when the place is the township.
    """

    site: str = attrs.field(validator=check_name)
    township: str = attrs.field(validator=check_name)
    village: str | None = attrs.field(default=None, validator=check_optional_name)

    @property
    def key(self) -> str:
        """The store key: ``site/township`` or ``site/township/village``."""
        return "/".join(self.parts)

    @property
    def parts(self) -> list[str]:
        """The names from the site down."""
        return [self.site, self.township, *([self.village] if self.village else [])]

    @property
    def is_village(self) -> bool:
        """True when the place is a village, False for a township."""
        return self.village is not None

    @property
    def township_ref(self) -> PlaceRef:
        """The township this place is, or lies in."""
        return PlaceRef(self.site, self.township)

    def __str__(self) -> str:
        return " ".join(self.parts)


@attrs.frozen
class DemonstrationSite:
    """A district or county in the rural programme (示范点).

    :param name: the name reports use, e.g. ``丰润``.
    :param level: district, county or county-level city, when known.
    """

    name: str = attrs.field(validator=check_name)
    level: SiteLevel | None = None


@attrs.frozen
class Township:
    """A township (乡镇) of a site.

    :param code: its administrative division code (行政区划代码) or any code the bureau uses
        consistently; the approval engine's cases name a township by this code, so township
        matters can be counted from the engine (see :func:`count_matters`).
    """

    site: str = attrs.field(validator=check_name)
    name: str = attrs.field(validator=check_name)
    code: str | None = attrs.field(default=None, validator=check_optional_name)

    @property
    def ref(self) -> PlaceRef:
        """This township as a place."""
        return PlaceRef(self.site, self.name)


@attrs.frozen
class Village:
    """A village (村庄) of a township."""

    site: str = attrs.field(validator=check_name)
    township: str = attrs.field(validator=check_name)
    name: str = attrs.field(validator=check_name)

    @property
    def ref(self) -> PlaceRef:
        """This village as a place."""
        return PlaceRef(self.site, self.township, self.name)


class ChairRole(enum.Enum):
    """Who chairs a township's planning committee."""

    PARTY_SECRETARY = "party_secretary"
    TOWNSHIP_HEAD = "township_head"

    @property
    def zh(self) -> str:
        """The role as the committee's charter names it."""
        return _CHAIR_ROLE_ZH[self]


_CHAIR_ROLE_ZH = {ChairRole.PARTY_SECRETARY: "党委书记", ChairRole.TOWNSHIP_HEAD: "乡镇长"}


#: What separates member names in a list cell; a name cannot contain one.
MEMBER_SEPARATORS = "、,，;；"


def _members(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    if len(set(value)) != len(value):
        raise ValidationError(f"committee members {list(value)!r} name someone twice")
    for name in value:
        if any(ch in name for ch in MEMBER_SEPARATORS):
            raise ValidationError(
                f"committee member {name!r} contains a list separator ({MEMBER_SEPARATORS}); "
                f"give each member as a separate name"
            )


@attrs.frozen
class PlanningCommittee:
    """A township's planning committee (规划委员会) and its planning office (规划办公室).

    :param chair_role: party secretary or township head; None when the record does not say
        (the seed reports only "the secretary or the township head" for a whole district).
    :param chair_name: the chair's name, when recorded.
    :param members: member names, in the order the charter lists them.
    :param formed_on: the date the committee was formed, when recorded.
    :param planning_office: whether a planning office has been set up under it.
    :param office_head: who runs the office, when recorded.
    """

    site: str = attrs.field(validator=check_name)
    township: str = attrs.field(validator=check_name)
    chair_role: ChairRole | None = None
    chair_name: str | None = attrs.field(default=None, validator=check_optional_name)
    members: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[check_names, _members],
    )
    formed_on: dt.date | None = None
    planning_office: bool = False
    office_head: str | None = attrs.field(default=None, validator=check_optional_name)

    def __attrs_post_init__(self) -> None:
        if self.office_head is not None and not self.planning_office:
            raise ValidationError(
                f"committee of {self.site} {self.township} names an office head "
                f"({self.office_head!r}) but no planning office; set planning_office=True"
            )

    @property
    def ref(self) -> PlaceRef:
        """The township the committee serves."""
        return PlaceRef(self.site, self.township)
