"""pandera models of what a run publishes, validated lazily after dbt.

``Kerncijfers`` is the published table; ``Bestanden`` the row accounting per delivery file.
The catalogue (indicators, their units, stock or flow) is read from the dbt seeds, the one place
it is defined; the member municipalities are the organisation's (``for_members``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipelines.catalogue import catalogue, regional, unit_overrides

KEY = [
    "indicator",
    "gemeente",
    "periode_begin",
    "periode_eind",
    "categorie",
    "leeftijdsklasse",
    "duurklasse",
]
CELL = [c for c in KEY if c != "gemeente"]
EENHEDEN = [
    "uitkeringen",
    "personen",
    "huishoudens",
    "kinderen",
    "medewerkers",
    "fte",
    "trajecten",
    "besluiten",
    "banen",
    "euro",
]


def expected_unit(indicator: str, categorie: object) -> str | None:
    entry = catalogue().get(indicator)
    if entry is None:
        return None
    return unit_overrides().get((indicator, categorie), entry["eenheid"])  # type: ignore[arg-type]


class Kerncijfers(pa.DataFrameModel):
    """The published kerncijfers table."""

    indicator: Series[str] = pa.Field(isin=list(catalogue()))
    gemeente: Series[str] = pa.Field(str_matches=r"^(GM[0-9]{4}|TOTAAL)$")
    periode_begin: Series[pd.Timestamp] = pa.Field(nullable=True)
    periode_eind: Series[pd.Timestamp]
    categorie: Series[str] = pa.Field(nullable=True)
    leeftijdsklasse: Series[str] = pa.Field(nullable=True)
    duurklasse: Series[str] = pa.Field(nullable=True)
    waarde: Series[float] = pa.Field(nullable=False)
    eenheid: Series[str] = pa.Field(isin=EENHEDEN)
    status: Series[str] = pa.Field(isin=["voorlopig", "definitief"])
    reeksbreuk: Series[bool]

    _members: tuple[str, ...] = ()  # the organisation's member municipalities (for_members)

    class Config:
        strict = True
        ordered = True
        coerce = False
        unique = KEY

    @pa.dataframe_check(error="waarde must be finite")
    def waarde_is_finite(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(df["waarde"].map(pd.notna) & (df["waarde"].abs() != float("inf")))

    @pa.dataframe_check(error="counts are whole numbers of zero or more; FTE is never negative")
    def counts_are_whole(cls, df: pd.DataFrame) -> Series[bool]:
        count = ~df["eenheid"].isin(["euro", "fte"])
        whole = (df["waarde"] >= 0) & (df["waarde"] == df["waarde"].round())
        return ~count | whole & ~((df["eenheid"] == "fte") & (df["waarde"] < 0))

    @pa.dataframe_check(error="eenheid differs from the catalogue (seed indicatoren)")
    def unit_matches_catalogue(cls, df: pd.DataFrame) -> Series[bool]:
        expected = [
            expected_unit(i, c) for i, c in zip(df["indicator"], df["categorie"], strict=True)
        ]
        return pd.Series(expected, index=df.index) == df["eenheid"]

    @pa.dataframe_check(
        error="a stock indicator has no periode_begin; a flow indicator has one, "
        "on or before periode_eind"
    )
    def periods_match_kind(cls, df: pd.DataFrame) -> Series[bool]:
        kind = df["indicator"].map(lambda i: catalogue().get(i, {}).get("soort"))
        stock_ok = (kind == "voorraad") & df["periode_begin"].isna()
        flow_ok = (kind == "stroom") & (df["periode_begin"] <= df["periode_eind"])
        return stock_ok | flow_ok

    @pa.dataframe_check(error="TOTAAL differs from the sum of the member municipalities")
    def totaal_is_sum(cls, df: pd.DataFrame) -> Series[bool]:
        about_members = ~df["indicator"].isin(regional())
        members = df[about_members & (df["gemeente"] != "TOTAAL")]
        sums = members.groupby(CELL, dropna=False)["waarde"].sum()
        totals = df[about_members & (df["gemeente"] == "TOTAAL")].set_index(CELL)["waarde"]
        diff = (totals - sums.reindex(totals.index)).abs()
        bad = set(diff[~(diff <= 1e-6)].index)
        keys = pd.MultiIndex.from_frame(df[CELL])
        return pd.Series(
            [not (m and k in bad) for m, k in zip(about_members, keys, strict=True)],
            index=df.index,
        )

    @pa.dataframe_check(
        error="the cube is incomplete: a cell lacks a member municipality or TOTAAL "
        "(a regional figure has TOTAAL only)"
    )
    def cube_is_complete(cls, df: pd.DataFrame) -> Series[bool]:
        is_regional = df["indicator"].isin(regional())
        expected = is_regional.map({True: 1, False: len(cls._members) + 1})
        sizes = df.groupby(CELL, dropna=False)["gemeente"].transform("nunique")
        only_totaal = ~is_regional | (df["gemeente"] == "TOTAAL")
        return (sizes == expected) & only_totaal


def for_members(codes: Sequence[str]) -> type[Kerncijfers]:
    """The published table of an organisation: every gemeente is one of its members (`codes`)
    or TOTAAL, and the cube has a row for each."""

    class KerncijfersVanDeOrganisatie(Kerncijfers):
        gemeente: Series[str] = pa.Field(isin=[*codes, "TOTAAL"])
        _members = tuple(codes)

    return KerncijfersVanDeOrganisatie


class Bestanden(pa.DataFrameModel):
    """The row accounting of a delivery: every row read is accepted or set aside."""

    bestand: Series[str] = pa.Field(unique=True)
    aanwezig: Series[bool]
    rijen: Series[int] = pa.Field(ge=0)
    geaccepteerd: Series[int] = pa.Field(ge=0)
    afgekeurd: Series[int] = pa.Field(ge=0)
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$", nullable=True)

    @pa.dataframe_check(error="rows = accepted + set aside")
    def rows_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return df["rijen"] == df["geaccepteerd"] + df["afgekeurd"]

    @pa.dataframe_check(error="a file that is there has a hash; one that is not has no rows")
    def presence(cls, df: pd.DataFrame) -> Series[bool]:
        hashed = df["aanwezig"] == df["sha256"].notna()
        return hashed & (df["aanwezig"] | (df["rijen"] == 0))
