"""One boundary per input format: every file the library reads passes through here first.

A bureau's clerks bring files from spreadsheets, GIS tools and text editors, and a tester
brings worse. Each importer used to decode, parse and bound its own input, and each had its
own gaps (a GBK file as a traceback, an unterminated quote stored as a township's name, a
``1e309`` read as infinity). Here every format is refused the same way, whichever door it
came in by: a :class:`~planning_core.errors.ValidationError` naming the file, the place
(byte offset, line) and what to do, raised before anything is parsed further or stored.

The limits (docs/inputs.md lists them for users):

* text is UTF-8, with or without a byte-order mark; anything else is refused naming the
  encoding it looks like (GBK/GB18030, UTF-16, Big5) and the first bad byte. A NUL
  character is refused too: it is a binary file, and PostgreSQL cannot store it.
* a file is at most :data:`MAX_BYTES` (configuration files :data:`MAX_CONFIG_BYTES`,
  GeoJSON layers :data:`MAX_GEOJSON_BYTES`); it is refused before it is read whole.
* JSON and TOML nest at most :data:`MAX_DEPTH` levels, checked on the text before the
  parser (which recurses) sees it; the top level has the shape the format expects.
* JSON is I-JSON (RFC 7493): no ``NaN``/``Infinity``, no number that overflows a float,
  integers within ±(2**53 − 1), no key twice in one object, no escaped NUL or lone
  surrogate. TOML's ``inf`` and ``nan`` are refused likewise.
* CSV is strict: a quote opened and never closed, text after a closing quote, a cell longer
  than :data:`MAX_CELL_CHARS` (a spreadsheet cell's own limit), or a row whose number of
  cells differs from the header's is an error naming the line.
* amounts are finite and within ±:data:`MAX_AMOUNT`; instants and dates lie between
  :data:`EARLIEST_DAY` and :data:`LATEST_DAY` (the People's Republic's founding, and a
  horizon no planning record reaches).

This module sits on the house's lowest floor beside ``registry``: it imports nothing of
the library but :mod:`planning_core.errors`, so every room may use it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import tomllib
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from pathlib import Path
from typing import Any

from planning_core.errors import NotFoundError, ValidationError

__all__ = [
    "EARLIEST_DAY",
    "LATEST_DAY",
    "MAX_AMOUNT",
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_GEOJSON_BYTES",
    "MAX_JSON_INTEGER",
    "bounded_decimal",
    "check_date",
    "check_instant",
    "decode_text",
    "finite_number",
    "load_json",
    "load_toml",
    "read_csv_rows",
    "read_text",
    "short",
]

#: The largest data file read (CSV, JSON): 32 MiB, far above a bureau's yearly sheets.
MAX_BYTES = 32 * 1024 * 1024
#: The largest configuration file (bureau, organisation, holiday schedule): 1 MiB.
MAX_CONFIG_BYTES = 1024 * 1024
#: The largest GeoJSON layer: 256 MiB; larger base data belongs in a GeoPackage.
MAX_GEOJSON_BYTES = 256 * 1024 * 1024
#: The deepest nesting of JSON arrays and objects (or TOML arrays and tables) accepted.
#: A GeoJSON MultiPolygon in a FeatureCollection needs 8.
MAX_DEPTH = 64
#: The longest CSV cell, in characters: 32,767 is what a spreadsheet cell can hold.
MAX_CELL_CHARS = 32_767
#: The largest JSON integer (RFC 7493): every JSON reader holds it exactly.
MAX_JSON_INTEGER = 2**53 - 1
#: The largest amount (yuan, kWh, m², litres) in absolute value: 10**15.
MAX_AMOUNT = Decimal(10) ** 15
#: The first day an instant or date may fall on: 1949-10-01.
EARLIEST_DAY = dt.date(1949, 10, 1)
#: The last day an instant or date may fall on: 2199-12-31.
LATEST_DAY = dt.date(2199, 12, 31)

_BEIJING = dt.timezone(dt.timedelta(hours=8))
_EARLIEST_INSTANT = dt.datetime(1949, 10, 1, tzinfo=_BEIJING)
_LATEST_INSTANT = dt.datetime(2200, 1, 1, tzinfo=_BEIJING)

_UTF8_BOM = b"\xef\xbb\xbf"


def short(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters: a message must not quote a megabyte."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- text ----------------------------------------------------------------------------------------


def decode_text(data: bytes, what: str) -> str:
    """``data`` as text: UTF-8, a leading byte-order mark dropped.

    :param what: the file's name or description, for the message.
    :raises ValidationError: naming the first byte that is not UTF-8 and the encoding the
        file looks like (GBK/GB18030 for a Chinese Windows file, UTF-16, Big5), or the
        offset of a NUL byte (a binary file).
    """
    body = data.removeprefix(_UTF8_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(data) - len(body))
        bad = data[offset : offset + 1]
        guess = _looks_like(data)
        looks = f"; it looks like {guess}" if guess else ""
        raise ValidationError(
            f"{what} is not UTF-8 text: byte {offset} (0x{bad.hex().upper()}) is not part of a "
            f"UTF-8 character{looks}. Save it as UTF-8 (in Excel: 'CSV UTF-8'; in an editor: "
            f"encoding UTF-8) and try again"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        offset = len(text[:nul].encode("utf-8")) + (len(data) - len(body))
        raise ValidationError(
            f"{what} holds a NUL byte at byte {offset}: it is not a text file; "
            f"give the UTF-8 text itself"
        )
    return text


def _looks_like(data: bytes) -> str | None:
    """The encoding a file that is not UTF-8 most likely is in, for the message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 (it starts with a UTF-16 byte-order mark)"
    head = data[:4096]
    if head and head.count(b"\x00") * 4 >= len(head):
        return "UTF-16 (every other byte is zero)"
    for codec, name in (("gb18030", "GBK/GB18030 (Windows 简体中文)"), ("big5", "Big5 (繁體中文)")):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return name
    return None


def read_text(path: str | Path, what: str | None = None, *, max_bytes: int = MAX_BYTES) -> str:
    """Read the file at ``path`` as UTF-8 text (see :func:`decode_text`).

    The size is checked before the file is read whole, so a wrong file (a video, a disk
    image) is refused at once.

    :param what: how messages name the file (default: its name).
    :raises NotFoundError: when there is no file at ``path``.
    :raises ValidationError: when it cannot be read, is larger than ``max_bytes``, or is
        not UTF-8 text.
    """
    file = Path(path)
    name = what or file.name or str(file)
    try:
        with file.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise NotFoundError(f"no file {str(file)!r}; check the path") from None
    except OSError as exc:
        raise ValidationError(
            f"cannot read {name}: {exc.strerror or exc}; check the path and its permissions"
        ) from None
    if len(data) > max_bytes:
        raise ValidationError(
            f"{name} is larger than {_size(max_bytes)}, the most this import reads; "
            f"split it into smaller files"
        )
    return decode_text(data, name)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count} bytes"


def _text(source: str | bytes, what: str, max_bytes: int) -> str:
    """``source`` as checked text: decoded when bytes, within ``max_bytes``, no NUL and no
    lone surrogate (which no file can hold and no terminal can print)."""
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise ValidationError(f"{what} is larger than {_size(max_bytes)}; split it")
        return decode_text(source, what)
    if len(source) > max_bytes:
        raise ValidationError(f"{what} is larger than {_size(max_bytes)}; split it")
    try:
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise ValidationError(
            f"{what} holds a lone surrogate (U+{ord(source[exc.start]):04X}) at character "
            f"{exc.start}, which is not text; give UTF-8 text"
        ) from None
    if size > max_bytes:
        raise ValidationError(f"{what} is larger than {_size(max_bytes)}; split it")
    if "\x00" in source:
        raise ValidationError(
            f"{what} holds a NUL character at character {source.index(chr(0))}; "
            f"it is not a text file"
        )
    return source


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# -- nesting depth, without recursion -----------------------------------------------------------

#: A JSON string (the closing quote optional, so an unterminated one ends the scan at once
#: instead of being tried again from every later quote).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
#: TOML strings (basic, literal, multi-line) and comments.
_TOML_STRING = re.compile(
    r'"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)|"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?|#[^\n]*'
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _too_deep(text: str, strings: re.Pattern[str], max_depth: int) -> bool:
    """Whether brackets outside strings nest (or stay open) deeper than ``max_depth``.

    Strings are dropped and then everything but brackets (both by the regex engine), and
    the running depth is summed by ``accumulate``: no Python loop per character and no
    recursion. The parsers recurse, and would fail with a RecursionError (or worse) on
    what this refuses.
    """
    skeleton = _NOT_BRACKET.sub("", strings.sub("", text))
    return bool(skeleton) and max(accumulate(map(_STEP.__getitem__, skeleton))) > max_depth


# -- JSON ---------------------------------------------------------------------------------------

#: A \u escape the text of a file cannot hold: NUL, or a surrogate not in a proper pair.
#: Escaped backslashes are matched too, so that ``\\u0000`` (a backslash, then text) is not
#: mistaken for an escape.
_BAD_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})"
    r"|\\\\"
)
_SHAPES: dict[type, str] = {dict: "one JSON object {…}", list: "one JSON array […]"}


def load_json(
    source: str | bytes,
    what: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    expect: type | tuple[type, ...] | None = None,
) -> Any:
    """Parse ``source`` as I-JSON (see the module docstring), within the limits given.

    :param what: the file's name or description, for the message.
    :param expect: the top level's type (``dict``, ``list`` or both); None for any.
    :raises ValidationError: naming the line and column of a syntax error, the limit
        exceeded, or the top level's actual shape.
    """
    text = _text(source, what, max_bytes)
    for match in _BAD_ESCAPE.finditer(text):
        if match.group(1) is not None:
            line, column = _line_column(text, match.start())
            kind = "a NUL character" if match.group(1) == "0000" else "a lone surrogate"
            raise ValidationError(
                f"{what} escapes {kind} ({match.group()}) at line {line}, column {column}; "
                f"no text holds one: remove it"
            )
    if _too_deep(text, _JSON_STRING, max_depth):
        raise ValidationError(
            f"{what} nests arrays and objects more than {max_depth} levels deep; "
            f"no file of this kind needs that: check how it was made"
        )
    try:
        data = json.loads(
            text,
            parse_constant=_no_constant,
            parse_float=_finite_float,
            parse_int=_json_integer,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{what} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}; fix the file"
        ) from None
    except _Refused as exc:
        raise ValidationError(f"{what}: {exc}") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValidationError(f"{what} nests too deeply to read") from None
    _check_shape(data, what, expect)
    return data


class _Refused(Exception):
    """A value the JSON or TOML parser's hooks refuse; turned into a ValidationError."""


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number JSON allows; give a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {short(text)} is too large to hold (it overflows to infinity)")
    return value


def _json_integer(text: str) -> int:
    # the length first: int() of a 10,000-digit text is slow, and refused past 4,300 digits
    value = int(text) if len(text) <= 17 else None
    if value is None or abs(value) > MAX_JSON_INTEGER:
        raise _Refused(
            f"the integer {short(text)} is beyond ±{MAX_JSON_INTEGER} (2**53 − 1), the "
            f"largest every JSON reader holds exactly; give a large amount as a string"
        )
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"the key {short(key)} appears twice in one object; keep one")
            seen.add(key)
    return data


def _check_shape(data: object, what: str, expect: type | tuple[type, ...] | None) -> None:
    if expect is None or isinstance(data, expect):
        return
    wanted = expect if isinstance(expect, tuple) else (expect,)
    names = " or ".join(_SHAPES.get(t, t.__name__) for t in wanted)
    raise ValidationError(f"{what} must hold {names} at the top level, not {_shape(data)}")


def _shape(data: object) -> str:
    if isinstance(data, dict):
        return "an object"
    if isinstance(data, list):
        return "an array"
    return f"the {type(data).__name__} {short(data)}"


# -- TOML ---------------------------------------------------------------------------------------


def load_toml(
    source: str | bytes,
    what: str,
    *,
    max_bytes: int = MAX_CONFIG_BYTES,
    max_depth: int = MAX_DEPTH,
) -> dict[str, Any]:
    """Parse ``source`` as TOML, within the limits given; ``inf`` and ``nan`` are refused.

    :raises ValidationError: quoting the parser's message (with its line and column), or
        naming the limit exceeded.
    """
    text = _text(source, what, max_bytes)
    if _too_deep(text, _TOML_STRING, max_depth):
        raise ValidationError(
            f"{what} nests arrays and tables more than {max_depth} levels deep; "
            f"no configuration needs that: check how it was made"
        )
    try:
        return tomllib.loads(text, parse_float=_toml_float)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{what} is not TOML: {exc}; fix the file") from None
    except _Refused as exc:
        raise ValidationError(f"{what}: {exc}") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValidationError(f"{what} nests too deeply to read") from None


def _toml_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {short(text)} is not finite; give a finite number")
    return value


# -- CSV ----------------------------------------------------------------------------------------


def read_csv_rows(
    source: str | bytes,
    what: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_cell: int = MAX_CELL_CHARS,
    same_width: bool = True,
) -> list[list[str]]:
    """The rows of CSV ``source`` (bytes as :func:`decode_text` reads them, or text), the
    header first, read strictly.

    Blank rows are returned as they are (so a caller's row numbers keep matching the
    spreadsheet); cells past the header's width are accepted only when blank, and dropped.

    :param same_width: every non-blank row must have the header's number of cells.
    :raises ValidationError: naming the line of an unterminated quote, of text after a
        closing quote, of a cell longer than ``max_cell`` characters, and every line with
        the wrong number of cells.
    """
    text = _text(source, what, max_bytes).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    problems: list[str] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            for index, cell in enumerate(cells):
                if len(cell) > max_cell:
                    raise ValidationError(
                        f"{what}, line {line}, cell {index + 1}: {len(cell)} characters, more "
                        f"than the {max_cell} a cell may hold; is a quote left open?"
                    )
            if rows and same_width:
                cells = _fit(cells, len(rows[0]), line, problems)
            rows.append(cells)
    except csv.Error as exc:
        problem = _csv_problem(what, str(exc), start, reader.line_num, max_cell)
        raise ValidationError(problem) from None
    if problems:
        shown = problems[:20] + ([f"… and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise ValidationError(
            f"{what}: {len(problems)} row(s) do not have the header's {len(rows[0])} cells; "
            f"nothing was read. Fix each one below",
            shown,
        )
    return rows


def _fit(cells: list[str], width: int, line: int, problems: list[str]) -> list[str]:
    """``cells`` cut to ``width`` when the extra cells are blank; a problem otherwise."""
    if len(cells) == width or not any(c.strip() for c in cells):
        return cells
    if len(cells) > width and not any(c.strip() for c in cells[width:]):
        return cells[:width]
    problems.append(
        f"line {line} has {len(cells)} cell(s) but the header has {width}; "
        f"give every column (blank where empty)"
    )
    return cells


def _csv_problem(what: str, reason: str, start: int, line_num: int, max_cell: int) -> str:
    if "unexpected end of data" in reason:
        return (
            f'{what}, line {start}: a quoted cell is opened and never closed (a " without '
            f'its closing "); close the quote, or remove it'
        )
    if "expected after" in reason:
        return (
            f"{what}, line {line_num}: text follows a closing quote inside a cell; quote the "
            f'whole cell and double any " inside it ("")'
        )
    if "field larger than field limit" in reason:
        return (
            f"{what}, line {line_num}: a cell is longer than the {max_cell} characters a "
            f"cell may hold; is a quote left open?"
        )
    return f"{what}, line {line_num}: not valid CSV ({reason}); save it again as CSV"


# -- numbers, instants --------------------------------------------------------------------------


def finite_number(
    value: object, what: str, *, low: float | None = None, high: float | None = None
) -> float:
    """``value`` as a finite float within ``[low, high]``; text and booleans are refused.

    :raises ValidationError: naming ``what`` and the value.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{what} must be a number, not {short(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValidationError(f"{what} must be a finite number, not {short(value)}")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            f"{what} {short(value)} is outside {_range(low, high)}; give a number within it"
        )
    return number


def bounded_decimal(
    value: object,
    what: str,
    *,
    low: Decimal | int | None = -MAX_AMOUNT,
    high: Decimal | int | None = MAX_AMOUNT,
    places: int | None = None,
) -> Decimal:
    """``value`` (a ``Decimal``, an integer or its text) as a finite, bounded ``Decimal``.

    Floats are refused: an amount must not pass through binary fractions.

    :param places: the most decimal places allowed (2 for yuan to the fen); None for any.
    :raises ValidationError: naming ``what`` and the value.
    """
    if isinstance(value, bool | float):
        raise ValidationError(f"{what} {short(value)} must be given as text or an integer")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        if isinstance(value, str) and len(value) > 100:
            raise ValidationError(f"{what} {short(value)} is not an amount")
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise ValidationError(
                f"{what} {short(value)} is not a number; write e.g. 1250.5"
            ) from None
    else:
        raise ValidationError(f"{what} must be a number, not {short(value)}")
    if not number.is_finite():
        raise ValidationError(f"{what} {short(value)} is not a finite number")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            f"{what} {short(value)} is outside {_range(low, high)}; give an amount within it"
        )
    exponent = number.as_tuple().exponent
    if places is not None and isinstance(exponent, int) and exponent < -places:
        raise ValidationError(f"{what} {short(value)} has more than {places} decimal place(s)")
    return number


def _range(low: object, high: object) -> str:
    if low is None:
        return f"the range up to {high}"
    if high is None:
        return f"the range from {low}"
    return f"the range {low} to {high}"


def check_instant(value: dt.datetime, what: str = "instant") -> dt.datetime:
    """``value``, when it is timezone-aware and between :data:`EARLIEST_DAY` and
    :data:`LATEST_DAY` (Beijing time).

    A year 0001 or 9999 is a typing slip or a sentinel, never a planning record; refused
    at the door, it cannot reach a calendar (which has no such year) or a sorted board.

    :raises ValidationError: naming ``what`` and the instant.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{what} {value.isoformat()!r} has no time zone; give an offset such as +08:00"
        )
    try:
        inside = _EARLIEST_INSTANT <= value < _LATEST_INSTANT
    except OverflowError:  # an offset pushes it past datetime's own range
        inside = False
    if not inside:
        raise ValidationError(
            f"{what} {value.isoformat()!r} is outside {EARLIEST_DAY} to {LATEST_DAY}; "
            f"check the year"
        )
    return value


def check_date(value: dt.date, what: str = "date") -> dt.date:
    """``value``, when it lies between :data:`EARLIEST_DAY` and :data:`LATEST_DAY`.

    :raises ValidationError: naming ``what`` and the date.
    """
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(
            f"{what} {value.isoformat()} is outside {EARLIEST_DAY} to {LATEST_DAY}; check the year"
        )
    return value
