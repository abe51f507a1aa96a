"""What "looks like a citizen service number (BSN)" means, in one place: for the rows ingest
checks (as SQL macros, ``sql_macros``, which ingest defines) and for every message the
pipeline prints (``errors.one_line``).

A number looks like a BSN when, however it is written, its digits are 8 or 9 that pass the
11-test (9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11, not all zeros):

- any Unicode decimal digit counts as its digit (full-width ``１２３``, Arabic-Indic, …);
- a plain run of digits, leading zeros beyond nine digits dropped (``0123456782``);
- three groups as BSNs are written, separated by a point, hyphen or (non-breaking) space:
  ``123.456.782``, ``1234.56.782``, ``123-456-782``, ``123 456 782``;
- on its own or inside a longer text, apart from letters and digits (``id 123456782``), or
  after the country prefix ``NL`` (``NL123456782``); digits run on from letters are an id's
  (``u634675931``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import duckdb

BSN_MASK = "[verwijderd: lijkt op een BSN]"

# Separators between the groups of a written BSN: point, hyphen, space, no-break spaces.
SEPARATORS = ".\\- \u00a0\u202f\u2009"
# How a BSN is written: a run of 8 digits or more, or three groups (123.456.782,
# 1234.56.782, 12.345.678). A date (12-04-2021) is none of these.
NOTATION = f"[0-9]{{2,4}}[{SEPARATORS}][0-9]{{2,3}}[{SEPARATORS}][0-9]{{3}}|[0-9]{{8,}}"
# It stands apart from letters and digits (an id such as u634675931 is not one), or follows
# the country prefix NL.
APART = "[^0-9A-Za-z]"
PREFIX = "[Nn][Ll]"
_TOKEN = re.compile(f"(?:(?<={APART})|(?<={PREFIX})|^)(?:{NOTATION})(?={APART}|$)")
# The same for DuckDB's regular expressions (RE2, without look-around): whether a text
# holds such a notation at all; which of them pass the 11-test, Python decides.
SQL_TOKEN = f"(?:^|{APART}|{PREFIX})(?:{NOTATION})(?:$|{APART})"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


# Every decimal digit Unicode defines lies in its first two planes.
DIGIT_PLANES_END = 0x20000


@functools.cache
def unicode_digits() -> tuple[str, str]:
    """Every decimal digit outside ASCII, and the ASCII digits they stand for (looked up once,
    when first needed)."""
    found = "".join(
        chr(c) for c in range(128, DIGIT_PLANES_END) if unicodedata.category(chr(c)) == "Nd"
    )
    return found, "".join(str(unicodedata.digit(c)) for c in found)


def ascii_digits(text: str) -> str:
    """The text with every decimal digit written as its ASCII digit."""
    if text.isascii():
        return text
    return text.translate(str.maketrans(*unicode_digits()))


def digits_of(notation: str) -> str:
    """The digits of a notation; more than nine lose their leading zeros."""
    digits = re.sub("[^0-9]", "", notation)
    return digits.lstrip("0") if len(digits) > 9 else digits


def passes_11_test(digits: str) -> bool:
    if not (8 <= len(digits) <= 9 and digits.isdigit()) or not digits.strip("0"):
        return False
    nine = digits.zfill(9)
    return sum(int(d) * w for d, w in zip(nine, WEIGHTS, strict=True)) % 11 == 0


def bsn_numbers(text: str) -> list[str]:
    """The notations in the text (its digits made ASCII) that look like a BSN."""
    return [n for n in _TOKEN.findall(ascii_digits(text)) if passes_11_test(digits_of(n))]


def looks_like_bsn(value: str) -> bool:
    return len(value) >= 8 and bool(bsn_numbers(value))


def without_bsn(text: str) -> str:
    """The text with every number that looks like a BSN masked (its digits made ASCII when
    there is one)."""
    found = bsn_numbers(text)
    if not found:
        return text
    masked = ascii_digits(text)
    for number in found:
        masked = masked.replace(number, BSN_MASK)
    return masked


def define_in(con: duckdb.DuckDBPyConnection) -> None:
    """The same rule on a DuckDB connection: ``lijkt_op_bsn(s)`` and ``zonder_bsn(s)``. A
    quick regular expression tells the few values that may hold a notation; only those go to
    this module's functions (the one definition), the others cost one match."""
    unicode, ascii = unicode_digits()
    con.create_function("bsn_lijkt_op", looks_like_bsn, ["VARCHAR"], "BOOLEAN")
    con.create_function("bsn_zonder", without_bsn, ["VARCHAR"], "VARCHAR")
    for macro in (
        # Only a text with a character outside ASCII (more bytes than characters) pays for
        # the translation of its digits.
        f"""create or replace temp macro bsn_kandidaat(s) as
            length(s) >= 8 and regexp_matches(
                case when strlen(s) <> length(s) then translate(s, '{unicode}', '{ascii}')
                     else s end,
                '{SQL_TOKEN}')""",
        """create or replace temp macro lijkt_op_bsn(s) as
            case when bsn_kandidaat(s) then bsn_lijkt_op(s) else false end""",
        """create or replace temp macro zonder_bsn(s) as
            case when bsn_kandidaat(s) then bsn_zonder(s) else s end""",
    ):
        con.execute(macro)
