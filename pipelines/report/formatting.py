"""Dutch formatting of numbers, money, percentages and dates, as the report prints them."""

from __future__ import annotations

import datetime as dt
import math

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
GEEN_GEGEVENS = "–"


def _round_half_up(value: float, digits: int = 0) -> float:
    factor = 10**digits
    return math.floor(abs(value) * factor + 0.5) / factor * (1 if value >= 0 else -1)


def getal(value: float | None, decimalen: int = 0, teken: bool = False) -> str:
    """1234 -> '1.234'; 12,5 with decimalen=1 -> '12,5'; teken=True -> '+35' / '-4'."""
    if value is None:
        return GEEN_GEGEVENS
    rounded = _round_half_up(value, decimalen)
    text = f"{abs(rounded):,.{decimalen}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    sign = "-" if rounded < 0 else ("+" if teken and rounded > 0 else "")
    return sign + text


def euro(value: float | None, teken: bool = False) -> str:
    """1234567,4 -> '€ 1.234.567' (whole euros, as the report publishes)."""
    if value is None:
        return GEEN_GEGEVENS
    return "€ " + getal(value, teken=teken)


def procent(deel: float | None, geheel: float | None, teken: bool = False) -> str:
    """A share or change as a whole percentage: '12%', '+6%', '-18%'."""
    if deel is None or not geheel:
        return GEEN_GEGEVENS
    return getal(100 * deel / geheel, teken=teken) + "%"


def datum(day: dt.date) -> str:
    """'31 december 2019'."""
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def korte_datum(day: dt.date) -> str:
    """'31-12-2019', as the report heads its columns."""
    return day.strftime("%d-%m-%Y")


def periode(begin: dt.date, eind: dt.date) -> str:
    if (begin.month, begin.day, eind.month, eind.day) == (1, 1, 12, 31) and begin.year == eind.year:
        return str(begin.year)
    return f"{begin.day} {MAANDEN[begin.month - 1][:3]} – {datum(eind)}"
