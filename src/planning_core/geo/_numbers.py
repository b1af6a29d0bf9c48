"""How measured numbers are rounded and printed in conditions, checks and maps."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["area_decimal", "fmt", "fmt_percent"]

_CENTI = Decimal("0.01")


def area_decimal(value: float) -> Decimal:
    """An area or distance measured in floats, as metres to the centimetre (0.01)."""
    return Decimal(repr(value)).quantize(_CENTI, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """A number without exponent or trailing zeros: ``12000``, ``2.5``, ``0.35``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def fmt_percent(value: Decimal) -> str:
    """A fraction as a percentage: ``0.35`` → ``35%``."""
    return f"{fmt(value * 100)}%"
