"""The anchor: one published digest over every case's head, and its file form.

An anchor is what a bureau hands out of its database (a notice board, a registry, an e-mail
to the supervision office): the instant it was taken, the bureau's local day, how many cases
it covers and the RFC 6962 Merkle root over one leaf per case. The file is small, strict
JSON, so anyone can keep a copy and bring it back years later; reading it checks every field
and names what is wrong, because a mistyped anchor must never pass for a failed proof.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pendulum

from planning_core.errors import NotFoundError, ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.ledger._merkle import MERKLE_ALGORITHM
from planning_core.serialization import parse_instant

__all__ = ["ANCHOR_FORMAT", "Anchor", "case_leaf", "read_anchor"]

#: The first field of every anchor file: what it is, and the version of its leaf form.
ANCHOR_FORMAT = "planning-core-anchor/1"

_HEX64 = re.compile(r"[0-9a-f]{64}")
_FIELDS = ("format", "at", "day", "size", "root", "algorithm")


def case_leaf(case_id: str, seq: int, head: str) -> bytes:
    """The leaf one case enters an anchor as: canonical JSON of its id, event count and head.

    The same canonical form the events are hashed in (sorted keys, no spaces, UTF-8), so a
    verifier in another language rebuilds it from the three values alone:
    ``{"case_id":"c1","head":"<64 hex>","seq":7}``.
    """
    return f'{{"case_id":{_string(case_id)},"head":{_string(head)},"seq":{seq:d}}}'.encode()


#: A JSON string as the canonical form writes it (Chinese kept): the leaf is written by
#: hand because a million of them are made at every anchor and every proof, and
#: ``canonical_json`` of a dict costs three times as much. The tests hold the two equal.
_string = json.JSONEncoder(ensure_ascii=False).encode


@attrs.frozen
class Anchor:
    """A published digest of every case's history as it stood at one instant.

    :param at: when it was taken, in the bureau's zone (given by the caller: the core never
        reads the clock).
    :param day: the bureau's local date of ``at``: the day the anchor speaks for.
    :param size: how many cases it covers (one leaf each); a dropped case changes it.
    :param root: the Merkle root over the leaves, 64 lowercase hex digits.
    :param algorithm: the tree and hash (:data:`~planning_core.ledger.MERKLE_ALGORITHM`).
    :param format: the file format and leaf form (:data:`ANCHOR_FORMAT`).
    """

    at: pendulum.DateTime = attrs.field(converter=parse_instant)
    day: pendulum.Date
    size: int
    root: str
    algorithm: str = MERKLE_ALGORITHM
    format: str = ANCHOR_FORMAT

    @property
    def key(self) -> str:
        """The record key the anchor and its leaves are stored under: ``at`` in UTC, with
        microseconds, so keys sort by time and two anchors of one day never collide."""
        return self.at.in_timezone("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def to_data(self) -> dict[str, Any]:
        """The anchor as JSON-ready data, in the file's field order."""
        return {
            "format": self.format,
            "at": self.at.isoformat(),
            "day": self.day.isoformat(),
            "size": self.size,
            "root": self.root,
            "algorithm": self.algorithm,
        }

    def to_json(self) -> str:
        """The text a host publishes: indented JSON, ending in a newline."""
        return json.dumps(self.to_data(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_data(cls, data: object, source: str = "the anchor") -> Anchor:
        """Read an anchor from parsed JSON, checking every field.

        :param source: names the anchor in the error (a file name).
        :raises ValidationError: one line naming each wrong, missing or unknown field.
        """
        if not isinstance(data, dict):
            raise _malformed(source, [f"it is a JSON {type(data).__name__}, not an object"])
        problems: list[str] = []
        missing = [name for name in _FIELDS if name not in data]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        unknown = sorted(str(name) for name in data if name not in _FIELDS)
        if unknown:
            problems.append(f"unknown field {', '.join(unknown)}")
        form = data.get("format", ANCHOR_FORMAT)
        if form != ANCHOR_FORMAT:
            problems.append(f"format is {form!r}, not {ANCHOR_FORMAT!r}")
        algorithm = data.get("algorithm", MERKLE_ALGORITHM)
        if algorithm != MERKLE_ALGORITHM:
            problems.append(
                f"algorithm is {algorithm!r}; this planning_core knows {MERKLE_ALGORITHM!r}"
            )
        at = _instant(data.get("at"), problems) if "at" in data else None
        day = _date(data.get("day"), problems) if "day" in data else None
        if at is not None and day is not None and day != at.date():
            problems.append(f"day {day.isoformat()} is not the date of at {at.isoformat()}")
        size: Any = data.get("size")
        if "size" in data and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            problems.append(f"size {size!r} is not a whole number >= 0")
        root: Any = data.get("root")
        if "root" in data and not (isinstance(root, str) and _HEX64.fullmatch(root)):
            problems.append(f"root {root!r} is not 64 lowercase hex digits")
        if problems or at is None or day is None:
            raise _malformed(source, problems)
        return cls(at=at, day=day, size=size, root=root)

    @classmethod
    def from_json(cls, text: str, source: str = "the anchor") -> Anchor:
        """Read an anchor from its published text (see :meth:`from_data`)."""
        try:
            data = load_json(text, "its text", max_bytes=_ANCHOR_BYTES, expect=dict)
        except ValidationError as exc:
            raise _malformed(source, [str(exc)]) from None
        return cls.from_data(data, source)


def read_anchor(path: str | Path) -> Anchor:
    """Read a published anchor file.

    :raises NotFoundError: when there is no such file.
    :raises ValidationError: one line naming what is wrong with its content.
    """
    file = Path(path)
    if not file.exists():
        raise NotFoundError(
            f"no anchor file {str(file)!r}; give the file `planning-core ledger anchor` wrote"
        )
    text = read_text(file, f"anchor file {str(file)!r}", max_bytes=_ANCHOR_BYTES)
    return Anchor.from_json(text, f"anchor file {str(file)!r}")


#: An anchor is six short fields; anything much larger is not one.
_ANCHOR_BYTES = 64 * 1024


def _malformed(source: str, problems: list[str]) -> ValidationError:
    return ValidationError(
        f"{source} is not a planning_core anchor: {'; '.join(problems)}; give the file "
        f"`planning-core ledger anchor` wrote, unchanged"
    )


def _instant(value: object, problems: list[str]) -> pendulum.DateTime | None:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.utcoffset() is not None:
            return pendulum.instance(parsed)
    problems.append(f"at {value!r} is not an ISO 8601 instant with a UTC offset")
    return None


def _date(value: object, problems: list[str]) -> pendulum.Date | None:
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and len(value) == 10:
            return pendulum.date(parsed.year, parsed.month, parsed.day)
    problems.append(f"day {value!r} is not a date YYYY-MM-DD")
    return None
