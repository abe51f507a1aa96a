"""Dutch formatting of numbers, money, percentages and dates, through Babel's nl_NL locale.

Figures are rounded half away from zero first (as the organisation publishes: € 0,50 is € 1),
then formatted by Babel. A difference carries its sign, with a real minus sign (−). A figure
the delivery does not cover prints as "–"; a preliminary figure gets an asterisk, as Dutch
statistics mark it ("1.234*", with the legend "* voorlopig cijfer"). A figure withheld by
disclosure control (the report rendered from the open data's protected figures) is a NaN and
prints as ".", the Dutch statistical sign for a secret figure; so does anything computed from
it.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "nl_NL"
GEEN_GEGEVENS = "–"
MINUS = "\u2212"
VOORLOPIG = "*"
GEHEIM = "."


def geheim(value: object) -> bool:
    """Is this a withheld figure (or computed from one)?"""
    return isinstance(value, float) and math.isnan(value)


def merk(value: float, text: str) -> str:
    """The text of a figure, with the asterisk of a preliminary one."""
    return text + VOORLOPIG if getattr(value, "voorlopig", False) else text


def rounded(value: float, decimalen: int = 0) -> Decimal:
    return Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP
    )


def pattern(decimalen: int) -> str:
    return "#,##0" + ("." + "0" * decimalen if decimalen else "")


def getal(value: float | None, decimalen: int = 0) -> str:
    """1234 -> '1.234'; 12,5 with decimalen=1 -> '12,5'."""
    if value is None:
        return GEEN_GEGEVENS
    if geheim(value):
        return GEHEIM
    r = rounded(value, decimalen)
    r = abs(r) if r == 0 else r  # -0,4 is '0', not '-0'
    return merk(value, format_decimal(r, pattern(decimalen), locale=LOCALE))


def verschil(value: float | None, decimalen: int = 0) -> str:
    """A difference: '+35.808', '−3.989', '0'."""
    if value is None:
        return GEEN_GEGEVENS
    if geheim(value):
        return GEHEIM
    r = rounded(value, decimalen)
    text = format_decimal(abs(r), pattern(decimalen), locale=LOCALE)
    return merk(value, ("+" if r > 0 else MINUS if r < 0 else "") + text)


def euro(value: float | None) -> str:
    """1234567,4 -> '€ 1.234.567' (whole euros, as the report publishes)."""
    if value is None:
        return GEEN_GEGEVENS
    if geheim(value):
        return GEHEIM
    text = format_decimal(rounded(abs(value)), pattern(0), locale=LOCALE)
    return merk(value, ("€ " if rounded(value) >= 0 else f"{MINUS}€ ") + text)


def miljoen(value: float | None) -> str:
    """11143900 -> '€ 11,1 mln'."""
    if value is None:
        return GEEN_GEGEVENS
    if geheim(value):
        return GEHEIM
    millions = format_decimal(rounded(abs(value) / 1_000_000, 1), pattern(1), locale=LOCALE)
    return merk(value, euro_prefix(value) + millions + " mln")


def euro_prefix(value: float) -> str:
    return "€ " if value >= 0 else f"{MINUS}€ "


def procent(deel: float | None, geheel: float | None) -> str:
    """A share as a whole percentage: '12%'."""
    if deel is None or not geheel:
        return GEEN_GEGEVENS
    if geheim(deel) or geheim(geheel):
        return GEHEIM
    return getal(100 * deel / geheel) + "%"


def aandeel(value: float | None) -> str:
    """A share already in percent, as a whole percentage: '53%' ('53%*' when voorlopig)."""
    if value is None:
        return GEEN_GEGEVENS
    if geheim(value):
        return GEHEIM
    return merk(value, getal(float(value)) + "%")


def procent_verschil(deel: float | None, geheel: float | None) -> str:
    """A change as a signed whole percentage: '+6%', '−18%'."""
    if deel is None or not geheel:
        return GEEN_GEGEVENS
    if geheim(deel) or geheim(geheel):
        return GEHEIM
    return verschil(100 * deel / geheel) + "%"


def datum(day: dt.date) -> str:
    """'31 december 2019'."""
    return format_date(day, "d MMMM y", locale="nl")


def korte_datum(day: dt.date) -> str:
    """'31-12-2019', as the report heads its columns."""
    return format_date(day, "dd-MM-y", locale="nl")


def periode(begin: dt.date, eind: dt.date) -> str:
    """'2019' for a calendar year, else '1 mei – 31 augustus 2019'."""
    if (begin.month, begin.day, eind.month, eind.day) == (1, 1, 12, 31) and begin.year == eind.year:
        return str(begin.year)
    return f"{format_date(begin, 'd MMMM', locale='nl')} – {datum(eind)}"


def in_woorden(n: int) -> str:
    """Small numbers in words, as a Dutch text writes them: 'drie'."""
    words = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")
    return words[n] if 0 <= n < len(words) else getal(n)
