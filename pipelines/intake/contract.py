"""The input contract: the CSV files of a delivery (ten required, one optional), as data.

Ingest reads this to check a delivery file by file (columns, ``bsn``, delimiter, encoding) and
row by row (types, codes, required values, unique ids, references, the per-file rules). The
README documents the same contract for users; every rule has an id that appears in the
set-aside rows (``raw.afgekeurde_rijen``) and in the manifest.

Row rules are SQL conditions over the row being checked (alias ``r``), true when the rule is
broken. ``{name}`` in a condition is replaced by a view of the *accepted* rows of file ``name``,
so rules that refer to other files see only what passed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from pipelines.catalogue import read_seed


class Kind(StrEnum):
    ID = "id"  # opaque pseudonymous string
    CODE = "code"  # upper case, from a list
    DATE = "date"  # DD-MM-YYYY
    AMOUNT = "amount"  # euros, decimal comma, optional minus, no thousands separator
    HOURS = "hours"  # decimal (comma or point)
    MONTH = "month"  # YYYY-MM
    GEMEENTE = "gemeente"  # GM + 4 digits


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = True
    codes: tuple[str, ...] = ()
    unique: bool = False
    # "file.column": the value must be the key of an accepted row of that file.
    references: str | None = None
    # A planned end may lie after the export date; every other date may not.
    may_follow_export: bool = False


@dataclass(frozen=True)
class RowRule:
    rule: str  # short id, shown with every row that breaks it
    message: str  # what is wrong, in the words of the contract
    broken_when: str  # SQL over the row (alias r); {file} = accepted rows of that file


@dataclass(frozen=True)
class Extract:
    file: str
    columns: tuple[Column, ...]
    rules: tuple[RowRule, ...] = ()
    # An optional file may be missing from a delivery: its figures are then "no data".
    optional: bool = False
    # The date a record begins (or happens) on: a municipality's code is checked against it.
    record_date: str | None = None

    @property
    def table(self) -> str:
        return self.file.removesuffix(".csv")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# What every column of a kind must look like, in words (KIND_PATTERNS holds the form).
KIND_TEXTS: dict[Kind, str] = {
    Kind.ID: "an opaque pseudonymous identifier",
    Kind.CODE: "a code from the column's list (upper case)",
    Kind.DATE: "a date, DD-MM-YYYY (31-12-2019)",
    Kind.AMOUNT: "euros with a decimal comma, an optional minus, no thousands separator (-1234,56)",
    Kind.HOURS: "a number of hours, decimal comma or point (32 or 25,5)",
    Kind.MONTH: "a month, YYYY-MM (2019-12)",
    Kind.GEMEENTE: "a municipal code, GM and 4 digits (GM0512)",
}

# The rules ingest applies to the columns of every file, by their kind (the id appears with
# every row set aside for it); each file's own rules are its Extract's rules.
COLUMN_RULES: dict[str, str] = {
    "ontbreekt": "a required value is missing",
    "ongeldig": "a value is not of its kind (a date, amount, month, municipal code or hours)",
    "datum_onmogelijk": "a date before 1900 or after 2100",
    "na_exportdatum": "a date or month after the export date (a planned einddatum may lie ahead)",
    "onbekende_code": "a code that is not in the column's list",
    "mogelijk_bsn": "a value that looks like a citizen service number, in any column",
    "dubbel_id": "an id that occurs more than once: every row sharing it is set aside",
    "verwijzing": "a reference to no accepted row of the other file",
    "regelvorm": "a line that cannot be split into the header's columns",
}

FORBIDDEN_COLUMNS = ("bsn",)
DELIMITER = ";"

# The codes a column may hold are data, in the dbt seeds, read from there: the seed codelijsten
# (file, column, code) and the three code lists with more to say (which regelingen, reasons
# and products count how).


def codes(file: str, column: str) -> tuple[str, ...]:
    """The codes of a column of the contract (seed codelijsten)."""
    return tuple(
        r["code"] for r in read_seed("codelijsten") if (r["bestand"], r["kolom"]) == (file, column)
    )


REGELINGEN_UITKERING = tuple(r["regeling"] for r in read_seed("uitkeringsregelingen"))
REDENEN_BEEINDIGING = tuple(r["reden_beeindiging"] for r in read_seed("uitstroomredenen"))
SCHULDHULP_PRODUCTEN = tuple(r["product"] for r in read_seed("schuldhulp_producten"))
ROLLEN = codes("uitkering_personen.csv", "rol")
VERBLIJFSTITELS = codes("personen.csv", "verblijfstitel")
SOORTEN_INKOMSTEN = codes("inkomsten.csv", "soort")
REGELINGEN_SW = codes("sw_dienstverbanden.csv", "regeling")
PLAATSINGSCATEGORIEEN = codes("sw_plaatsingen.csv", "categorie")
REGELINGEN_MINIMA = codes("minima_verstrekkingen.csv", "regeling")
SOORTEN_BUIG = codes("buig_boekingen.csv", "soort")
REGELINGEN_TOZO = codes("tozo_besluiten.csv", "regeling")
SOORTEN_TOZO = codes("tozo_besluiten.csv", "soort")
UITKOMSTEN_TOZO = codes("tozo_besluiten.csv", "uitkomst")


def _end_before_begin(begin: str = "begindatum", end: str = "einddatum") -> RowRule:
    return RowRule(
        rule="einde_voor_begin",
        message=f"{end} lies before {begin}",
        broken_when=f"nl_date(r.{end}) < nl_date(r.{begin})",
    )


EXTRACTS: tuple[Extract, ...] = (
    Extract(
        "personen.csv",
        (
            Column("client_id", Kind.ID, unique=True),
            Column("geboortedatum", Kind.DATE),
            Column("verblijfstitel", Kind.CODE, codes=VERBLIJFSTITELS),
        ),
    ),
    Extract(
        "uitkeringen.csv",
        (
            Column("uitkering_id", Kind.ID, unique=True),
            Column("regeling", Kind.CODE, codes=REGELINGEN_UITKERING),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("begindatum", Kind.DATE),
            Column("einddatum", Kind.DATE, required=False, may_follow_export=True),
            Column("reden_beeindiging", Kind.CODE, required=False, codes=REDENEN_BEEINDIGING),
        ),
        (
            _end_before_begin(),
            RowRule(
                "reden_ontbreekt",
                "reden_beeindiging is required when einddatum is set",
                "r.einddatum is not null and r.reden_beeindiging is null",
            ),
            RowRule(
                "reden_zonder_einde",
                "reden_beeindiging must be empty while the benefit runs (no einddatum)",
                "r.einddatum is null and r.reden_beeindiging is not null",
            ),
            RowRule(
                "aanvrager",
                "a benefit needs exactly one AANVRAGER row in uitkering_personen.csv "
                "covering its whole period",
                """(select count(*) <> 1
                           or count(*) filter (
                                where nl_date(p.begindatum) = nl_date(r.begindatum)
                                  and (p.einddatum is null
                                       or nl_date(p.einddatum) = nl_date(r.einddatum))) <> 1
                    from {uitkering_personen} p
                    where p.uitkering_id = r.uitkering_id and p.rol = 'AANVRAGER')""",
            ),
        ),
        record_date="begindatum",
    ),
    Extract(
        "uitkering_personen.csv",
        (
            Column("uitkering_id", Kind.ID, references="uitkeringen.uitkering_id"),
            Column("client_id", Kind.ID, references="personen.client_id"),
            Column("rol", Kind.CODE, codes=ROLLEN),
            Column("begindatum", Kind.DATE),
            Column("einddatum", Kind.DATE, required=False, may_follow_export=True),
        ),
        (
            _end_before_begin(),
            RowRule(
                "buiten_uitkering",
                "the membership does not lie within the benefit's period",
                """exists (select 1 from {uitkeringen} u
                     where u.uitkering_id = r.uitkering_id
                       and (nl_date(r.begindatum) < nl_date(u.begindatum)
                            or nl_date(r.begindatum) > nl_end(u.einddatum)
                            or coalesce(nl_date(r.einddatum), nl_end(u.einddatum))
                               > nl_end(u.einddatum)))""",
            ),
        ),
    ),
    Extract(
        "inkomsten.csv",
        (
            Column("uitkering_id", Kind.ID, references="uitkeringen.uitkering_id"),
            Column("client_id", Kind.ID, references="personen.client_id"),
            Column("maand", Kind.MONTH),
            Column("soort", Kind.CODE, codes=SOORTEN_INKOMSTEN),
            Column("bedrag", Kind.AMOUNT),
        ),
        (
            RowRule(
                "bedrag_negatief",
                "bedrag of income must be zero or more",
                "nl_amount(r.bedrag) < 0",
            ),
        ),
    ),
    Extract(
        "sw_dienstverbanden.csv",
        (
            Column("dienstverband_id", Kind.ID, unique=True),
            Column("medewerker_id", Kind.ID),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("regeling", Kind.CODE, codes=REGELINGEN_SW),
            Column("begindatum", Kind.DATE),
            Column("einddatum", Kind.DATE, required=False, may_follow_export=True),
            Column("uren_per_week", Kind.HOURS),
        ),
        (
            _end_before_begin(),
            RowRule(
                "uren_buiten_bereik",
                "uren_per_week must be more than 0 and at most 40",
                "nl_hours(r.uren_per_week) <= 0 or nl_hours(r.uren_per_week) > 40",
            ),
        ),
        record_date="begindatum",
    ),
    Extract(
        "sw_plaatsingen.csv",
        (
            Column("dienstverband_id", Kind.ID, references="sw_dienstverbanden.dienstverband_id"),
            Column("categorie", Kind.CODE, codes=PLAATSINGSCATEGORIEEN),
            Column("begindatum", Kind.DATE),
            Column("einddatum", Kind.DATE, required=False, may_follow_export=True),
        ),
        (
            _end_before_begin(),
            RowRule(
                "geen_wsw",
                "a placement must belong to an employment with regeling WSW",
                """exists (select 1 from {sw_dienstverbanden} d
                     where d.dienstverband_id = r.dienstverband_id and d.regeling <> 'WSW')""",
            ),
            RowRule(
                "plaatsing_overlapt",
                "placements of one employment must not overlap",
                """exists (select 1 from {sw_plaatsingen} o
                     where o.dienstverband_id = r.dienstverband_id and o.regel <> r.regel
                       and nl_date(o.begindatum) <= nl_end(r.einddatum)
                       and nl_date(r.begindatum) <= nl_end(o.einddatum))""",
            ),
        ),
    ),
    Extract(
        "minima_verstrekkingen.csv",
        (
            Column("verstrekking_id", Kind.ID, unique=True),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("regeling", Kind.CODE, codes=REGELINGEN_MINIMA),
            Column("begunstigde_id", Kind.ID),
            Column("betaaldatum", Kind.DATE),
            Column("bedrag", Kind.AMOUNT),
        ),
        record_date="betaaldatum",
    ),
    Extract(
        "schuldhulp_producten.csv",
        (
            Column("product_id", Kind.ID, unique=True),
            Column("client_id", Kind.ID),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("product", Kind.CODE, codes=SCHULDHULP_PRODUCTEN),
            Column("begindatum", Kind.DATE),
            Column("einddatum", Kind.DATE, required=False, may_follow_export=True),
        ),
        (_end_before_begin(),),
        record_date="begindatum",
    ),
    Extract(
        "buig_boekingen.csv",
        (
            Column("boeking_id", Kind.ID, unique=True),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("boekdatum", Kind.DATE),
            Column("soort", Kind.CODE, codes=SOORTEN_BUIG),
            Column("bedrag", Kind.AMOUNT),
        ),
        record_date="boekdatum",
    ),
    Extract(
        "tozo_besluiten.csv",
        (
            Column("besluit_id", Kind.ID, unique=True),
            Column("client_id", Kind.ID),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("regeling", Kind.CODE, codes=REGELINGEN_TOZO),
            Column("soort", Kind.CODE, codes=SOORTEN_TOZO),
            Column("besluitdatum", Kind.DATE),
            Column("uitkomst", Kind.CODE, codes=UITKOMSTEN_TOZO),
        ),
        record_date="besluitdatum",
    ),
    Extract(
        "banenafspraak_plaatsingen.csv",
        (
            Column("plaatsing_id", Kind.ID, unique=True),
            Column("client_id", Kind.ID),
            Column("gemeente_code", Kind.GEMEENTE),
            Column("begindatum", Kind.DATE),
            Column("einddatum", Kind.DATE, required=False, may_follow_export=True),
        ),
        (_end_before_begin(),),
        optional=True,
        record_date="begindatum",
    ),
)


def _with_municipal_rule(extract: Extract) -> Extract:
    """A record that begins after its municipality was merged away carries a code that no
    longer existed: set aside. (Before the merger, a predecessor's code is fine: dbt counts it
    for today's municipality.) ``opgeheven_op`` gives a code's last day from the seed
    gemeentecodes (null while the municipality exists); ingest defines it."""
    if extract.record_date is None:
        return extract
    rule = RowRule(
        "opgeheven_gemeente",
        f"gemeente_code is the code of a municipality that had been merged into another "
        f"before {extract.record_date} (see gemeentecodes.csv in the organisation folder)",
        f"opgeheven_op(r.gemeente_code) < nl_date(r.{extract.record_date})",
    )
    return replace(extract, rules=(*extract.rules, rule))


EXTRACTS = tuple(_with_municipal_rule(e) for e in EXTRACTS)
EXTRACTS_BY_TABLE: dict[str, Extract] = {e.table: e for e in EXTRACTS}
FILE_NAMES: tuple[str, ...] = tuple(e.file for e in EXTRACTS)

# How a value of each kind must look (DuckDB regular expressions, full match).
KIND_PATTERNS: dict[Kind, tuple[str, str]] = {
    Kind.DATE: (r"[0-9]{2}-[0-9]{2}-[0-9]{4}", "is not a date (DD-MM-YYYY)"),
    Kind.AMOUNT: (r"-?[0-9]+(,[0-9]{1,6})?", "is not an amount (decimal comma, e.g. -1234,56)"),
    Kind.HOURS: (r"[0-9]+([,.][0-9]{1,6})?", "is not a number of hours (e.g. 32 or 25,5)"),
    Kind.MONTH: (r"[0-9]{4}-(0[1-9]|1[0-2])", "is not a month (YYYY-MM)"),
    Kind.GEMEENTE: (r"GM[0-9]{4}", "is not a municipality code (GM + 4 digits)"),
}

# Dates outside these years are not plausible in any extract: set aside, never counted.
PLAUSIBLE_YEARS = (1900, 2100)

# A file of at least this many rows none of which can be accepted is not a file with bad rows
# but a broken file (its header and rows disagree, a column changed its format): the run stops.
# Below it, a few rows that all break a rule are set aside as any other.
BROKEN_FILE_ROWS = 10

# No value of the contract holds a line break. A quoted value over this many lines is a quote
# left open, whose value swallows the rows after it: the run stops. A shorter one is set aside
# (its row is malformed, or its value breaks the rule of its column).
QUOTE_LEFT_OPEN_LINES = 10

SQL_HELPERS = (
    "create or replace temp macro nl_date(s) as try_strptime(s, '%d-%m-%Y')::date",
    # An end date that is empty: the record still runs.
    "create or replace temp macro nl_end(s) as coalesce(nl_date(s), date '9999-12-31')",
    "create or replace temp macro nl_month(s) as try_strptime(s || '-01', '%Y-%m-%d')::date",
    "create or replace temp macro nl_amount(s) as try_cast(replace(s, ',', '.') as decimal(24, 6))",
    "create or replace temp macro nl_hours(s) as try_cast(replace(s, ',', '.') as decimal(12, 6))",
)
