"""CSV import and export of the sheets bureaus keep, all or nothing.

A file is UTF-8, with or without the byte-order mark spreadsheet programs add, and strict CSV
(:func:`planning_core.inputs.read_csv_rows`: a quote left open, a cell over 32,767
characters or a row with more or fewer cells than the header is refused, naming its line).
Its header row names the columns, by Chinese header or English key, in any order, and so
tells which sheet it is. Every data row is read and every problem collected (row number,
column, value, what to write instead); only when the whole file is clean is it stored, in
one transaction. Blank rows are skipped but keep their number, so messages match what the
spreadsheet shows.
"""

from __future__ import annotations

import csv
import io

import attrs

from planning_core.errors import ValidationError
from planning_core.inputs import read_csv_rows
from planning_core.rural._cells import Problems, Row
from planning_core.rural._data import RuralData
from planning_core.rural._labels import normalize
from planning_core.rural._repository import RuralRepository
from planning_core.rural._sheet import ReadContext, Sheet
from planning_core.rural._sheet_places import PLACES
from planning_core.rural._sheet_tallies import COMMITTEES, FUNDING, MATTERS

__all__ = ["SHEETS", "ImportResult", "export_csv", "import_csv", "read_csv"]

#: Every sheet, by code name.
SHEETS: dict[str, Sheet] = {s.name: s for s in (PLACES, COMMITTEES, MATTERS, FUNDING)}


@attrs.frozen
class ImportResult:
    """What an import stored: the sheet, the data rows read, and the records written."""

    sheet: str
    rows: int
    data: RuralData

    @property
    def counts(self) -> dict[str, int]:
        """Records written, by kind (kinds with none left out)."""
        return {name: len(records) for name, records in self.data.records() if records}


def import_csv(
    repository: RuralRepository, source: bytes | str, *, sheet: str | None = None
) -> ImportResult:
    """Read ``source`` as a sheet and store it, or store nothing.

    :param source: the file's bytes (UTF-8, a BOM allowed) or its text.
    :param sheet: the sheet's code name; by default the header row decides.
    :raises ValidationError: listing every problem in the file; nothing is stored.
    """
    snapshot = repository.snapshot()
    context = ReadContext(repository.known_places(), {t.ref.key: t for t in snapshot.townships})
    result = read_csv(source, context, sheet=sheet)
    repository.write(result.data)
    return result


def read_csv(
    source: bytes | str, context: ReadContext, *, sheet: str | None = None
) -> ImportResult:
    """Parse and check ``source`` without storing it (see :func:`import_csv`)."""
    table = read_csv_rows(source, "the CSV file")
    if not table:
        raise ValidationError("the CSV file is empty; its first row must be the header")
    chosen, keys = _choose_sheet(table[0], sheet)
    problems = Problems()
    rows = _rows(table, keys, chosen, problems)
    data = chosen.read(rows, context)
    if problems:
        found = problems.sorted()
        raise ValidationError(
            f"the {chosen.title} sheet ({chosen.name}) has {len(found)} problem(s); "
            f"nothing was stored. Fix each one below and import the file again",
            found,
        )
    return ImportResult(chosen.name, len(rows), data)


def export_csv(data: RuralData, sheet: str) -> str:
    """``data`` as the CSV text of ``sheet`` (Chinese headers; no BOM, add one for Excel).

    :raises ValidationError: when ``sheet`` is not a sheet's code name.
    """
    chosen = _sheet_named(sheet)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in chosen.columns])
    for cells in chosen.write(data):
        writer.writerow([cells.get(c.key, "") for c in chosen.columns])
    return out.getvalue()


def _sheet_named(name: str) -> Sheet:
    if name not in SHEETS:
        raise ValidationError(f"no sheet named {name!r}; choose one of {', '.join(SHEETS)}")
    return SHEETS[name]


def _choose_sheet(header: list[str], wanted: str | None) -> tuple[Sheet, list[str | None]]:
    """The sheet the header row fits, and each header cell's column key."""
    candidates = [_sheet_named(wanted)] if wanted else list(SHEETS.values())
    misfits = []
    for sheet in candidates:
        keys, problems = _header_keys(header, sheet)
        if not problems:
            return sheet, keys
        misfits.append(f"not the {sheet.title} sheet ({sheet.name}): {'; '.join(problems)}")
    raise ValidationError(
        f"the header row {header!r} fits no sheet; give the columns of one of them", misfits
    )


def _header_keys(header: list[str], sheet: Sheet) -> tuple[list[str | None], list[str]]:
    by_word = {normalize(w): c.key for c in sheet.columns for w in (c.key, c.header)}
    keys = [by_word.get(normalize(cell)) if cell.strip() else None for cell in header]
    problems = [
        f"column {cell!r} is unknown"
        for cell, key in zip(header, keys, strict=True)
        if key is None and cell.strip()
    ]
    problems += [f"column {c.header} is missing" for c in sheet.required if c.key not in keys]
    problems += [
        f"column {key} appears twice" for key in {k for k in keys if k and keys.count(k) > 1}
    ]
    return keys, problems


def _rows(
    table: list[list[str]], keys: list[str | None], sheet: Sheet, problems: Problems
) -> list[Row]:
    headers = {key: cell.strip() for cell, key in zip(table[0], keys, strict=True) if key}
    headers |= {c.key: c.header for c in sheet.columns if c.key not in headers}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: cell for key, cell in zip(keys, cells, strict=False) if key}
        rows.append(Row(number, values, headers, problems))
    return rows
