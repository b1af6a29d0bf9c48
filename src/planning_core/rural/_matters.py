"""Township-level planning matters: recorded counts, matters decided in the engine, and merging.

Townships handle six kinds of planning matter (the seed's list). Where a township's cases run
in the approval engine, every decided case is known and is counted from there; where they do
not, the bureau records counts by hand (often for a whole site: "so far 100 planning opinions
reviewed"). :func:`count_matters` merges the two with one rule:

* a township whose cases run in the engine is counted **only** from the engine: any recorded
  count for that township is ignored, because the engine already holds every one of its cases
  and adding the hand count would count them twice;
* every other township is counted from its recorded counts;
* a site-wide recorded count (no township named) is always added: it is the bureau's tally
  of matters handled outside the engine, which the engine cannot know.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType
from typing import Protocol

import attrs

from planning_core.errors import ValidationError
from planning_core.rural._checks import check_count, check_name, check_optional_name
from planning_core.rural._places import Township
from planning_core.storage import Store

__all__ = [
    "PERMIT_TYPE_MATTER_KINDS",
    "DecidedMatter",
    "MatterCount",
    "MatterKind",
    "MatterTally",
    "TownshipMatterType",
    "count_matters",
    "decided_matters",
    "matter_from_case",
    "matter_kinds",
]


class MatterKind(enum.Enum):
    """The planning matters a township handles, in the order reports list them."""

    PLANNING_OPINION = "planning_opinion"
    SITE_SELECTION_OPINION = "site_selection_opinion"
    CONSTRUCTION_SCHEME = "construction_scheme"
    PLANNING_DESIGN_CONDITIONS = "planning_design_conditions"
    RURAL_CONSTRUCTION_PERMIT = "rural_construction_permit"
    LAND_USE_PERMIT = "land_use_permit"

    @property
    def zh(self) -> str:
        """The matter's name in a tally: 规划意见, 选址意见书, …."""
        return _ZH[self][0]

    @property
    def zh_phrase(self) -> str:
        """The verb phrase a work summary counts it with: ``初审规划意见``, ``办理…``."""
        return _ZH[self][1]


_ZH = {
    MatterKind.PLANNING_OPINION: ("规划意见", "初审规划意见"),
    MatterKind.SITE_SELECTION_OPINION: ("选址意见书", "选址意见书"),
    MatterKind.CONSTRUCTION_SCHEME: ("建设方案", "审批建设方案"),
    MatterKind.PLANNING_DESIGN_CONDITIONS: ("规划设计条件", "出具规划设计条件"),
    MatterKind.RURAL_CONSTRUCTION_PERMIT: ("乡村建设规划许可证", "办理乡村建设规划许可证"),
    MatterKind.LAND_USE_PERMIT: ("建设用地规划许可证", "办理用地规划许可证"),
}

#: Which permit types, decided in the engine, are which township matter. Keys are permit
#: type codes as written in DOMAIN's permit table; the engine's registered codes can be
#: added by passing a larger mapping to :func:`matter_from_case`. Permit types that are not
#: township matters (a construction-project permit, for one) are simply absent.
PERMIT_TYPE_MATTER_KINDS: Mapping[str, MatterKind] = MappingProxyType(
    {
        "RURAL_CONSTRUCTION": MatterKind.RURAL_CONSTRUCTION_PERMIT,
        "LAND_USE": MatterKind.LAND_USE_PERMIT,
        "SITE_SELECTION": MatterKind.SITE_SELECTION_OPINION,
        "乡村建设规划许可证": MatterKind.RURAL_CONSTRUCTION_PERMIT,
        "建设用地规划许可证": MatterKind.LAND_USE_PERMIT,
        "选址意见书": MatterKind.SITE_SELECTION_OPINION,
        "建设项目用地预审与选址意见书": MatterKind.SITE_SELECTION_OPINION,
        "规划条件": MatterKind.PLANNING_DESIGN_CONDITIONS,
        "规划设计条件": MatterKind.PLANNING_DESIGN_CONDITIONS,
        "建设方案": MatterKind.CONSTRUCTION_SCHEME,
        "规划意见": MatterKind.PLANNING_OPINION,
    }
)


class TownshipMatterType(Protocol):
    """What :func:`matter_kinds` reads of a permit type (``planning_core.permits.PermitType``).

    The rural room sits beside the permits room, so it names the two fields it needs rather
    than importing the class.
    """

    @property
    def code(self) -> str: ...

    @property
    def township_matter(self) -> str | None: ...


def matter_kinds(permit_types: Iterable[TownshipMatterType] = ()) -> dict[str, MatterKind]:
    """Which permit type codes are which township matter, for the engine's permit types.

    Starts from :data:`PERMIT_TYPE_MATTER_KINDS`; each permit type given then decides for its
    own code through its ``township_matter`` field (None: not a township matter, even when
    the default table lists the code). This is how a city's own permit type, registered by
    its plugin (唐山's 农村新民居建设规划许可), is counted as a township matter.

    :raises ValidationError: when a ``township_matter`` names no :class:`MatterKind`.
    """
    kinds = dict(PERMIT_TYPE_MATTER_KINDS)
    for permit in permit_types:
        value = permit.township_matter
        if value is None:
            kinds.pop(permit.code, None)
            continue
        try:
            kinds[permit.code] = MatterKind(value)
        except ValueError:
            known = ", ".join(k.value for k in MatterKind)
            raise ValidationError(
                f"permit type {permit.code!r} has township_matter {value!r}; use one of {known}"
            ) from None
    return kinds


@attrs.frozen
class MatterCount:
    """A count of matters recorded by hand.

    :param township: the township that handled them; None for a site-wide total.
    :param count: the cumulative number handled up to ``as_of``.
    :param as_of: the date the count was made, when known.
    """

    site: str = attrs.field(validator=check_name)
    kind: MatterKind
    count: int = attrs.field(validator=check_count)
    township: str | None = attrs.field(default=None, validator=check_optional_name)
    as_of: dt.date | None = None

    @property
    def key(self) -> str:
        """The store key: the place, ``#``, the kind."""
        place = self.site if self.township is None else f"{self.site}/{self.township}"
        return f"{place}#{self.kind.value}"


@attrs.frozen
class DecidedMatter:
    """A case decided in the approval engine, as far as township statistics need it.

    :param township_code: the township whose case it was, as the case names it: its code
        (:attr:`Township.code`) or, where the window's form gave the township's name, a
        name that :func:`count_matters` finds when it is unique.
    """

    township_code: str = attrs.field(validator=check_name)
    kind: MatterKind
    decided_on: dt.date


def matter_from_case(
    township_code: str,
    permit_type: str,
    decided_on: dt.date,
    kinds: Mapping[str, MatterKind] = PERMIT_TYPE_MATTER_KINDS,
) -> DecidedMatter | None:
    """The township matter a decided case counts as, or None when its permit type is not one.

    This is the seam the approval engine feeds: for each decided case of a township, call it
    with the case's township code, permit type code and decision date.
    """
    kind = kinds.get(permit_type)
    return None if kind is None else DecidedMatter(township_code, kind, decided_on)


def decided_matters(
    store: Store, kinds: Mapping[str, MatterKind] = PERMIT_TYPE_MATTER_KINDS
) -> list[DecidedMatter]:
    """The township matters of the approval engine's decided cases in ``store``.

    Reads the engine's case projections (a case names its township when it is submitted,
    ``Submit(..., township=CODE)``; the window takes it from the application form's
    ``township`` field): every case with a township, a decision (approved or denied) and a
    permit type that is a township matter counts once, on the day of its decision. Pass
    ``kinds=matter_kinds(engine.permit_types.values())`` to count a city's own permit types.
    """
    found = []
    for row in store.iter_cases():
        township, decided = row.data.get("township"), row.data.get("decided_at")
        if not township or not decided:
            continue
        day = dt.datetime.fromisoformat(str(decided)).date()
        matter = matter_from_case(str(township), row.permit_type, day, kinds)
        if matter is not None:
            found.append(matter)
    return found


def _tally_field(value: Mapping[MatterKind, int]) -> dict[MatterKind, int]:
    return {kind: value.get(kind, 0) for kind in MatterKind}


@attrs.frozen
class MatterTally:
    """Matters handled in one site, by kind, and where the counts came from.

    :param counts: every kind, zero included, in :class:`MatterKind` order.
    :param engine_townships: townships counted from the engine (names, sorted).
    """

    site: str
    counts: dict[MatterKind, int] = attrs.field(converter=_tally_field)
    engine_townships: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """All matters of every kind."""
        return sum(self.counts.values())


def count_matters(
    townships: Iterable[Township],
    recorded: Iterable[MatterCount],
    decided: Iterable[DecidedMatter] = (),
    *,
    engine_townships: Collection[str] | None = None,
    until: dt.date | None = None,
) -> dict[str, MatterTally]:
    """Matters by site, from the engine where townships run there, else from recorded counts.

    :param townships: every known township; their codes link engine matters to sites.
    :param recorded: counts recorded by hand.
    :param decided: matters decided in the engine.
    :param engine_townships: codes of the townships whose cases run in the engine. By default
        every township with at least one decided matter; pass it explicitly so a township in
        the engine that decided nothing yet counts as zero instead of falling back to its
        recorded counts.
    :param until: count engine matters decided on or before this date only.
    :returns: one tally per site that has any township or recorded count, by site name.
        An engine matter is linked to its township by code, or else by name when exactly
        one township has that name (the window's form names townships as clerks type
        them); one that matches neither is not counted.
    """
    townships = list(townships)
    by_code = _by_code_or_name(townships)
    decided = [_linked(m, by_code) for m in decided if until is None or m.decided_on <= until]
    in_engine = set(engine_townships if engine_townships is not None else _codes(decided))
    by_code = {t.code: t for t in townships if t.code is not None}
    counts: dict[str, Counter[MatterKind]] = {t.site: Counter() for t in by_code.values()}
    engine_names: dict[str, set[str]] = {}
    for matter in decided:
        township = by_code.get(matter.township_code)
        if township is not None and matter.township_code in in_engine:
            counts[township.site][matter.kind] += 1
    for code in in_engine:
        if code in by_code:
            engine_names.setdefault(by_code[code].site, set()).add(by_code[code].name)
    for count in recorded:
        counts.setdefault(count.site, Counter())
        if count.township is None or count.township not in engine_names.get(count.site, set()):
            counts[count.site][count.kind] += count.count
    return {
        site: MatterTally(site, dict(tally), tuple(sorted(engine_names.get(site, ()))))
        for site, tally in sorted(counts.items())
    }


def _linked(matter: DecidedMatter, townships: Mapping[str, Township]) -> DecidedMatter:
    """``matter`` naming its township by code, when it named it by a unique name."""
    township = townships.get(matter.township_code)
    if township is None or township.code is None or township.code == matter.township_code:
        return matter
    return attrs.evolve(matter, township_code=township.code)


def _by_code_or_name(townships: list[Township]) -> dict[str, Township]:
    """Townships by code, plus by name where a name is unique and is nobody's code."""
    names = Counter(t.name for t in townships)
    found = {t.name: t for t in townships if names[t.name] == 1 and t.code is not None}
    found.update({t.code: t for t in townships if t.code is not None})
    return found


def _codes(decided: Iterable[DecidedMatter]) -> set[str]:
    return {m.township_code for m in decided}
