"""What a CSV sheet is: its columns (an English key and the Chinese header) and its readers.

Each sheet a bureau keeps (places and plan stages, committees, matter counts, funding) is one
:class:`Sheet`: how its rows become records, with every problem reported, and how records
become rows again. The file's header row says which sheet it is.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from planning_core.rural._cells import Row
from planning_core.rural._data import RuralData
from planning_core.rural._places import Township
from planning_core.rural._repository import KnownPlaces

__all__ = ["Column", "ReadContext", "Sheet"]


@attrs.frozen
class Column:
    """A column: its key (also accepted as a header), its Chinese header, and whether the
    header row must contain it (its cells may still be blank where the sheet allows)."""

    key: str
    header: str
    required: bool = False


@attrs.frozen
class ReadContext:
    """What the store already holds, for checking references and merging.

    :param known: the sites, townships and villages stored.
    :param townships: the stored townships by key (to keep a code the file leaves blank).
    """

    known: KnownPlaces
    townships: dict[str, Township]


@attrs.frozen
class Sheet:
    """One kind of CSV sheet.

    :param name: the code name (``places``), for ``--sheet`` and messages.
    :param title: the sheet's Chinese title, as a bureau would caption it.
    :param read: turns the data rows into records, reporting problems on the rows.
    :param write: turns records into rows (cells by column key), in a stable order.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    read: Callable[[list[Row], ReadContext], RuralData]
    write: Callable[[RuralData], list[dict[str, str]]]

    @property
    def required(self) -> list[Column]:
        """The columns the header row must contain."""
        return [c for c in self.columns if c.required]
