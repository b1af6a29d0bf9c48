"""planning_core.inputs: the one boundary every file passes, format by format."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import NotFoundError, ValidationError
from planning_core.inputs import (
    MAX_AMOUNT,
    MAX_CELL_CHARS,
    MAX_DEPTH,
    MAX_JSON_INTEGER,
    bounded_decimal,
    check_date,
    check_instant,
    decode_text,
    finite_number,
    load_json,
    load_toml,
    read_csv_rows,
    read_text,
)

# -- encodings ----------------------------------------------------------------------------------


def test_utf8_with_and_without_a_bom_is_the_same_text() -> None:
    text = "示范点,乡镇\n丰润,乡镇01\n"
    assert decode_text(text.encode("utf-8"), "a.csv") == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.csv") == text


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        ("示范点,乡镇".encode("gbk"), "GBK/GB18030"),
        ("abc,示范点".encode("gb18030"), "GBK/GB18030"),
        ("示范点".encode("utf-16"), "UTF-16 (it starts with a UTF-16 byte-order mark)"),
        ("month,site,金额".encode("utf-16-le"), "UTF-16 (every other byte is zero)"),
        ("示範點,鄉鎮".encode("big5"), "GBK/GB18030"),  # GB18030 decodes it as well
    ],
    ids=["gbk", "gb18030-after-ascii", "utf-16-bom", "utf-16-le", "big5"],
)
def test_another_encoding_is_named_with_the_first_bad_byte(data: bytes, looks_like: str) -> None:
    with pytest.raises(UnicodeDecodeError) as utf8:
        data.decode("utf-8")
    with pytest.raises(ValidationError) as caught:
        decode_text(data, "a.csv")
    message = str(caught.value)
    assert message.startswith(f"a.csv is not UTF-8 text: byte {utf8.value.start} (0x")
    assert f"it looks like {looks_like}" in message and "Save it as UTF-8" in message


def test_bytes_of_no_known_encoding_are_refused_without_a_guess() -> None:
    with pytest.raises(ValidationError) as caught:
        decode_text(b"\xff\xff\xff\xff", "a.csv")
    assert "looks like" not in str(caught.value)


def test_a_nul_byte_is_refused_as_binary() -> None:
    with pytest.raises(ValidationError, match=r"a.bin holds a NUL byte at byte 3"):
        decode_text(b"abc\x00def", "a.bin")


def test_read_text_checks_the_size_before_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(ValidationError, match=r"big.csv is larger than 1000 bytes"):
        read_text(path, max_bytes=1000)
    assert read_text(path, max_bytes=1001) == "x" * 1001
    with pytest.raises(NotFoundError, match="no file"):
        read_text(tmp_path / "absent.csv")
    with pytest.raises(ValidationError, match="cannot read"):
        read_text(tmp_path)


# -- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[NaN]", "NaN is not a number JSON allows"),
        ("[-Infinity]", "-Infinity is not a number JSON allows"),
        ("[1e309]", "'1e309' is too large to hold"),
        ("[-1e400]", "'-1e400' is too large to hold"),
        ("[9007199254740992]", "beyond ±9007199254740991"),
        ("[" + "9" * 5000 + "]", "beyond ±9007199254740991"),
        ('{"a": 1, "a": 2}', "the key 'a' appears twice"),
        ('["\\u0000"]', "escapes a NUL character (\\u0000) at line 1, column 3"),
        ('["\\ud800"]', "escapes a lone surrogate (\\ud800)"),
        ('["\\udc00\\ud800"]', "escapes a lone surrogate (\\udc00)"),
        ('{"a": 1,}', "is not JSON: Expecting property name enclosed in double quotes at line 1"),
        ("", "is not JSON: Expecting value at line 1, column 1"),
    ],
)
def test_json_is_i_json(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_json(text, "f.json")
    assert words in str(caught.value)


def test_json_keeps_what_only_looks_like_a_bad_escape() -> None:
    assert load_json('["\\\\u0000", "\\ud83d\\ude00"]', "f.json") == ["\\u0000", "😀"]
    assert load_json(f"[{MAX_JSON_INTEGER}, -{MAX_JSON_INTEGER}]", "f.json") == [
        MAX_JSON_INTEGER,
        -MAX_JSON_INTEGER,
    ]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_json_deeper_than_the_limit_is_refused_before_parsing(depth: int) -> None:
    for text in ("[" * depth + "]" * depth, "[" * depth, '{"a":' * depth + "1" + "}" * depth):
        with pytest.raises(ValidationError, match=f"more than {MAX_DEPTH} levels deep"):
            load_json(text, "f.json")


def test_json_at_the_limit_and_brackets_in_strings_are_fine() -> None:
    deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_json(deep, "f.json") is not None
    assert load_json(json.dumps({"a": "[" * 1000, "b": '\\"{{{'}), "f.json")["a"] == "[" * 1000


def test_json_top_level_shape() -> None:
    with pytest.raises(
        ValidationError, match=r"must hold one JSON object \{…\} at the top level, not an array"
    ):
        load_json("[1, 2]", "f.json", expect=dict)
    with pytest.raises(
        ValidationError, match=r"object \{…\} or one JSON array \[…\].* not the int 3"
    ):
        load_json("3", "f.json", expect=(dict, list))
    assert load_json("[1]", "f.json", expect=(dict, list)) == [1]


def test_json_size_limit_for_text_and_bytes() -> None:
    with pytest.raises(ValidationError, match="larger than 10 bytes"):
        load_json('["' + "汉" * 4 + '"]', "f.json", max_bytes=10)
    with pytest.raises(ValidationError, match="larger than 10 bytes"):
        load_json(b"[" + b"1," * 10 + b"1]", "f.json", max_bytes=10)


def test_json_text_with_a_lone_surrogate_or_nul_is_refused() -> None:
    with pytest.raises(ValidationError, match="lone surrogate"):
        load_json('["\ud800"]', "f.json")
    with pytest.raises(ValidationError, match="NUL"):
        load_json('["\x00"]', "f.json")


#: Text a file can hold: no NUL (and, by hypothesis's default, no lone surrogate).
_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"))


@given(st.recursive(st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
                    | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(_TEXT, inner, max_size=4),
                    max_leaves=20))  # fmt: skip
def test_json_any_i_json_document_reads_back(value: object) -> None:
    assert load_json(json.dumps(value), "f.json") == value


# -- TOML ---------------------------------------------------------------------------------------


def test_toml_refuses_inf_nan_and_deep_nesting() -> None:
    for text in ("a = inf", "a = -inf", "a = nan", "a = 1e999"):
        with pytest.raises(ValidationError, match="is not finite"):
            load_toml(text, "b.toml")
    for text in ("a = " + "[" * 5000, "a = " + "{b=" * 100 + "1" + "}" * 100):
        with pytest.raises(ValidationError, match=f"more than {MAX_DEPTH} levels deep"):
            load_toml(text, "b.toml")
    assert load_toml('a = "[[[["  # [[[[\n[[t]]\nb = [[1], [2]]\n', "b.toml") == {
        "a": "[[[[",
        "t": [{"b": [[1], [2]]}],
    }
    with pytest.raises(ValidationError, match=r"b.toml is not TOML: Invalid value"):
        load_toml("a = ", "b.toml")


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_reads_rows_keeping_blank_ones_and_dropping_blank_extra_cells() -> None:
    text = '\ufeffa,b\r\n1,2\r\n\r\n3,"x,""y"""\r\n4,5,,\r\n,,,\r\n'
    assert read_csv_rows(text, "a.csv") == [
        ["a", "b"],
        ["1", "2"],
        [],
        ["3", 'x,"y"'],
        ["4", "5"],
        ["", "", "", ""],
    ]
    assert read_csv_rows("a,b\n1\n", "a.csv", same_width=False) == [["a", "b"], ["1"]]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('a,b\n1,2\n3,"x,,y', "a.csv, line 3: a quoted cell is opened and never closed"),
        ('a,b\n1,"x"y\n', "a.csv, line 2: text follows a closing quote"),
        ("a,b\n1," + "x" * (MAX_CELL_CHARS + 1) + "\n", "line 2, cell 2: 32768 characters"),
        ("a,b\n1," + "x" * 200_000 + "\n", "line 2: a cell is longer than the 32767"),
    ],
    ids=["unterminated-quote", "text-after-quote", "long-cell", "over-the-csv-limit"],
)
def test_csv_is_strict_and_names_the_line(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_csv_rows(text, "a.csv")
    assert words in str(caught.value)


def test_csv_lists_every_row_of_the_wrong_width() -> None:
    with pytest.raises(ValidationError) as caught:
        read_csv_rows('a,b,c\n1,2,3\n4,5\n"6\n7",8,9,10\n', "a.csv")
    assert caught.value.problems == (
        "line 3 has 2 cell(s) but the header has 3; give every column (blank where empty)",
        "line 4 has 4 cell(s) but the header has 3; give every column (blank where empty)",
    )
    with pytest.raises(ValidationError) as many:
        read_csv_rows("a,b\n" + "1\n" * 30, "a.csv")
    assert len(many.value.problems) == 21 and many.value.problems[-1] == "… and 10 more"


def test_csv_bytes_are_decoded_like_any_text() -> None:
    assert read_csv_rows("a\n甲\n".encode(), "a.csv") == [["a"], ["甲"]]
    with pytest.raises(ValidationError, match="GBK/GB18030"):
        read_csv_rows("a\n甲\n".encode("gbk"), "a.csv")


# -- numbers and instants -----------------------------------------------------------------------


def test_finite_number() -> None:
    assert finite_number(3, "x") == 3.0
    for bad in (True, "3", None, float("nan"), float("inf"), 10**400):
        with pytest.raises(ValidationError, match=r"^x must be a"):
            finite_number(bad, "x")
    with pytest.raises(ValidationError, match="x 500 is outside the range -180 to 180"):
        finite_number(500, "x", low=-180, high=180)


def test_bounded_decimal() -> None:
    assert bounded_decimal("12.50", "amount", places=2) == Decimal("12.50")
    assert bounded_decimal(MAX_AMOUNT, "amount") == MAX_AMOUNT
    for bad, words in [
        (1.5, "must be given as text or an integer"),
        (True, "must be given as text or an integer"),
        ("1e309", "is outside the range"),
        ("-1e16", "is outside the range"),
        ("NaN", "is not a finite number"),
        ("Infinity", "is not a finite number"),
        ("abc", "is not a number"),
        ("1" * 200, "is not an amount"),
        ([1], "must be a number"),
        ("0.001", "has more than 2 decimal place(s)"),
    ]:
        with pytest.raises(ValidationError) as caught:
            bounded_decimal(bad, "amount", places=2)
        assert words in str(caught.value), (bad, caught.value)


def test_instants_and_dates_in_range() -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert check_instant(dt.datetime(1949, 10, 1, tzinfo=beijing))
    assert check_instant(dt.datetime(2199, 12, 31, 23, 59, tzinfo=beijing))
    for bad in (
        dt.datetime(1949, 9, 30, 23, 59, tzinfo=beijing),
        dt.datetime(2200, 1, 1, tzinfo=beijing),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
    ):
        with pytest.raises(ValidationError, match="is outside 1949-10-01 to 2199-12-31"):
            check_instant(bad, "at")
    with pytest.raises(ValidationError, match="has no time zone"):
        check_instant(dt.datetime(2026, 3, 2), "at")
    assert check_date(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    with pytest.raises(ValidationError, match="held_on 0001-01-01 is outside"):
        check_date(dt.date(1, 1, 1), "held_on")
