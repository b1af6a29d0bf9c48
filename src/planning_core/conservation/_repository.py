"""The conservation room's repository: its records in the store, and nothing else.

Every kind of record has its own collection ``conservation.<kind>`` and is stored under its
``key`` (so recording the same month again replaces it). A document carries a schema
version beside the record, so a later release can upgrade old documents by name.
:meth:`ConservationRepository.save` writes records of any mix of kinds in one unit of work:
all of them or none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from planning_core.conservation._consumables import PrintLog, Requisition
from planning_core.conservation._consumption import ConsumptionRecord, SiteProfile, Target
from planning_core.conservation._equipment import (
    EquipmentItem,
    FixtureMaintenance,
    RemovedAppliance,
)
from planning_core.conservation._funds import ReceptionMeal, TravelClaim
from planning_core.conservation._retrofit import RetrofitProject
from planning_core.conservation._vehicles import MaintenanceRecord, TripRequest, Vehicle
from planning_core.errors import NotFoundError, SchemaVersionError, ValidationError
from planning_core.serialization import dump, load, make_converter

if TYPE_CHECKING:
    import cattrs

    from planning_core.storage import JSON, Store

__all__ = ["COLLECTIONS", "SCHEMA_VERSION", "ConservationRepository"]

#: The version of the documents this code writes.
SCHEMA_VERSION = 1

#: Each record type and the collection (without the ``conservation.`` prefix) it lives in.
COLLECTIONS: dict[type, str] = {
    ConsumptionRecord: "consumption",
    SiteProfile: "sites",
    Target: "targets",
    RetrofitProject: "retrofits",
    Vehicle: "vehicles",
    TripRequest: "trips",
    MaintenanceRecord: "vehicle_maintenance",
    EquipmentItem: "equipment",
    RemovedAppliance: "removed_appliances",
    FixtureMaintenance: "fixture_maintenance",
    Requisition: "requisitions",
    PrintLog: "print_logs",
    TravelClaim: "travel_claims",
    ReceptionMeal: "reception_meals",
}


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T")


class ConservationRepository:
    """Reads and writes the conservation records of one store.

    :param store: an open store (``open_store(url)``).
    :param converter: the converter to use; by default ``make_converter()``.
    """

    def __init__(self, store: Store, converter: cattrs.Converter | None = None) -> None:
        self.store = store
        self.converter = converter if converter is not None else make_converter()

    def save(self, records: Iterable[_Keyed]) -> int:
        """Write ``records`` (any mix of kinds) in one transaction; returns how many.

        :raises ValidationError: when a record is of a kind this room does not keep;
            nothing is written.
        """
        batches: dict[str, dict[str, JSON]] = {}
        for record in records:
            collection = self._collection(type(record))
            batches.setdefault(collection, {})[record.key] = {
                "schema_version": SCHEMA_VERSION,
                "record": dump(self.converter, record),
            }
        with self.store.unit_of_work() as uow:
            for collection, documents in batches.items():
                uow.put_records(collection, documents)
            uow.commit()
        return sum(len(documents) for documents in batches.values())

    @overload
    def get(self, kind: type[T], key: str) -> T: ...
    @overload
    def get(self, kind: str, key: str) -> Any: ...
    def get(self, kind: type[T] | str, key: str) -> Any:
        """The record of ``kind`` stored under ``key``.

        :param kind: the record class (``RetrofitProject``), or its name as a command line
            or a config file would give it: the collection (``retrofits``), its singular
            (``retrofit``) or the class name.
        :raises NotFoundError: naming the key and the collection.
        :raises ValidationError: when ``kind`` is not a kind this room keeps.
        """
        cls = self._kind(kind)
        collection = self._collection(cls)
        document = self.store.get_record(collection, key)
        if document is None:
            raise NotFoundError(f"no {cls.__name__} {key!r} in {collection}; record it first")
        return self._load(cls, collection, key, document)

    @overload
    def records(self, kind: type[T], prefix: str = "") -> list[T]: ...
    @overload
    def records(self, kind: str, prefix: str = "") -> list[Any]: ...
    def records(self, kind: type[T] | str, prefix: str = "") -> list[Any]:
        """Every record of ``kind`` whose key starts with ``prefix``, in key order.

        :param kind: the record class, or its name (``"retrofit"``, ``"retrofits"``,
            ``"RetrofitProject"``), as for :meth:`get`.
        :raises ValidationError: when ``kind`` is not a kind this room keeps.
        """
        cls = self._kind(kind)
        collection = self._collection(cls)
        return [
            self._load(cls, collection, key, document)
            for key, document in self.store.list_records(collection, prefix)
        ]

    def consumption(self, years: Iterable[int] | None = None) -> list[ConsumptionRecord]:
        """Consumption records of ``years`` (all years when None)."""
        if years is None:
            return self.records(ConsumptionRecord)
        return [
            r
            for year in sorted(set(years))
            for r in self.records(ConsumptionRecord, f"{year:04d}-")
        ]

    @staticmethod
    def _kind(kind: object) -> type:
        """The record class ``kind`` is or names; a name is matched without case."""
        if isinstance(kind, type):
            return kind
        if isinstance(kind, str):
            word = kind.strip().lower()
            for cls, collection in COLLECTIONS.items():
                if word in (collection, collection.removesuffix("s"), cls.__name__.lower()):
                    return cls
        known = ", ".join(sorted(COLLECTIONS.values()))
        raise ValidationError(
            f"the conservation repository keeps no {kind!r}; give a record class or one of {known}"
        )

    def _collection(self, kind: type) -> str:
        if kind not in COLLECTIONS:
            known = ", ".join(sorted(k.__name__ for k in COLLECTIONS))
            raise ValidationError(
                f"the conservation repository keeps no {kind.__name__}; it keeps {known}"
            )
        return f"conservation.{COLLECTIONS[kind]}"

    def _load(self, kind: type[T], collection: str, key: str, document: JSON) -> T:
        version = document.get("schema_version")
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{collection}/{key} has schema version {version!r}; this planning_core reads "
                f"version {SCHEMA_VERSION}: upgrade planning_core"
            )
        return load(self.converter, document["record"], kind)
