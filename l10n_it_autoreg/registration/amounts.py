"""Decimal helpers: amounts are Decimals rounded half up to the cent."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def D(value):  # noqa: N802 - reads as a literal
    """``value`` as a Decimal (None is 0)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def r2(value):
    """``value`` rounded half up to the cent."""
    return D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value):
    """``value`` written with two decimals, for reasons and traces."""
    return f"{r2(value)}"
