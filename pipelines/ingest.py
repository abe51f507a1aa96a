"""Ingest: load a checked delivery into the warehouse, row by row against the contract.

Rows are loaded and checked in temporary tables (memory, spilling to a temporary folder), so
the warehouse file never holds a value before it has passed or been masked. Every row ends up
in exactly one place:
- ``raw.<file>``: the accepted rows, as text exactly as delivered (trimmed; empty = null), with
  ``bronregel``, their line in the file. dbt's staging models cast them.
- ``raw.afgekeurde_rijen``: the rows set aside, with file, line, the rules they broke and their
  content. They count in no figure.
``raw.bestanden`` holds rows / accepted / set aside per file and its hash; ``raw.levering`` the
export date. A rule that refers to another file (a reference, a benefit's aanvrager) sees only
that file's accepted rows, so a rejection carries over to the rows that depend on it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import duckdb

from pipelines.config import RAW_SCHEMA, REJECTED_TABLE
from pipelines.contract import (
    BSN_MASK,
    EXTRACTS,
    KIND_PATTERNS,
    SQL_HELPERS,
    Column,
    Extract,
    Kind,
)
from pipelines.delivery import Delivery, DeliveryError, DeliveryFile

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PARSERS = {Kind.DATE: "nl_date", Kind.AMOUNT: "nl_amount", Kind.HOURS: "nl_hours"}


@dataclass(frozen=True)
class FileCount:
    rows: int
    accepted: int
    rejected: int


@dataclass(frozen=True)
class IngestResult:
    files: dict[str, FileCount]
    exportdatum: dt.date | None
    exportdatum_bron: str

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.files.values())


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def mask_numbers(sql: str) -> str:
    """Mask every run of 8 or 9 digits in a line that could not be parsed (it might be a BSN).
    Applied twice, since a match also takes the separator before the next number."""
    return f"regexp_replace({sql}, '(^|[^0-9])[0-9]{{8,9}}([^0-9]|$)', '\\1{BSN_MASK}\\2', 'g')"


def load_file(con: duckdb.DuckDBPyConnection, file: DeliveryFile) -> None:
    """Read one CSV into ``_load_<table>`` (all text) and its malformed lines into ``_bad``."""
    table = file.extract.table
    wanted = set(file.extract.column_names)
    names = [h if h in wanted else f"_extra_{i}" for i, h in enumerate(file.header)]
    columns = "{" + ", ".join(f"{quote(n)}: 'VARCHAR'" for n in names) + "}"
    con.execute(
        f"""create temp table _load_{table} as
            select * from read_csv({quote(str(file.path))}, delim=';', quote='"', escape='"',
                header=true, auto_detect=false, columns={columns}, encoding='utf-8',
                store_rejects=true, rejects_table='_rej_{table}', rejects_scan='_scan_{table}')"""
    )
    # Lines DuckDB could not split into the header's fields are set aside as they are.
    con.execute(
        f"""insert into _bad
            select {quote(file.extract.file)}, line,
                   'regelvorm: the line cannot be read as the header''s columns ('
                     || min(error_message) || ')',
                   {mask_numbers(mask_numbers("trim(min(csv_line), chr(10) || chr(13))"))}
            from _rej_{table} group by line"""
    )
    bad_encoding = con.execute(
        f"select min(line) from _rej_{table} where error_type ilike '%encoding%'"
    ).fetchone()[0]
    if bad_encoding is not None:
        raise DeliveryError(file.extract.file, f"not UTF-8 encoded (line {bad_encoding})")
    con.execute(f"drop table _rej_{table}; drop table _scan_{table}")


def column_checks(column: Column) -> list[str]:
    """SQL expressions giving a reason (text) when the column breaks the contract, else null."""
    c = f"r.{column.name}"
    checks = []
    if column.required:
        checks.append(f"case when {c} is null then 'ontbreekt: {column.name} is required' end")
    if column.kind in KIND_PATTERNS:
        pattern, problem = KIND_PATTERNS[column.kind]
        valid = f"regexp_full_match({c}, '{pattern}')"
        if column.kind in PARSERS:
            valid += f" and {PARSERS[column.kind]}({c}) is not null"
        checks.append(
            f"case when {c} is not null and not ({valid}) then "
            f"'ongeldig: {column.name} ''' || {c} || ''' {problem}' end"
        )
    if column.codes:
        codes = ", ".join(quote(code) for code in column.codes)
        checks.append(
            f"case when {c} is not null and {c} not in ({codes}) then "
            f"'onbekende_code: {column.name} ''' || {c} || ''' is not one of "
            f"{', '.join(column.codes)}' end"
        )
    if column.person:
        checks.append(
            f"case when {c} is not null and bsn_like({c}) then "
            f"'mogelijk_bsn: {column.name} looks like a citizen service number "
            f"(ids must be pseudonymous); the value is not stored' end"
        )
    if column.unique:
        checks.append(
            f"case when {c} is not null and count(*) over (partition by {c}) > 1 then "
            f"'dubbel_id: {column.name} ''' || {c} || ''' occurs more than once' end"
        )
    return checks


def own_rules(extract: Extract) -> list[str]:
    """Reason expressions for the rules that need only the row itself."""
    checks = [check for column in extract.columns for check in column_checks(column)]
    for rule in extract.rules:
        if not PLACEHOLDER.search(rule.broken_when):
            checks.append(f"case when ({rule.broken_when}) then '{rule.rule}: {rule.message}' end")
    return checks


def cross_rules(extract: Extract) -> list[tuple[str, str]]:
    """(reason, SQL condition) for rules that look at accepted rows of other files."""
    rules = []
    for column in extract.columns:
        if column.references:
            file, key = column.references.split(".")
            reason = f"verwijzing: {column.name} refers to no accepted row of {file}.csv"
            condition = (
                f"r.{column.name} is not null and not exists "
                f"(select 1 from {{{file}}} x where x.{key} = r.{column.name})"
            )
            rules.append((reason, condition))
    for rule in extract.rules:
        if PLACEHOLDER.search(rule.broken_when):
            rules.append((f"{rule.rule}: {rule.message}", rule.broken_when))
    return rules


def check_rows(con: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    """``_check_<table>``: every loaded row, tidied, with the list of reasons it is set aside."""
    table = extract.table
    tidy = ", ".join(f"nullif(trim({c}), '') as {c}" for c in extract.column_names)
    reasons = ", ".join(own_rules(extract)) or "null"
    con.execute(
        f"""create temp table _check_{table} as
            with loaded as (select rowid + 1 as _rij, {tidy} from _load_{table})
            select r.*, list_filter([{reasons}], lambda x: x is not null) as _redenen
            from loaded r"""
    )
    con.execute(
        f"create temp view _accepted_{table} as "
        f"select * from _check_{table} where len(_redenen) = 0"
    )


def apply_cross_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Set aside rows that break a rule about other files, until nothing changes."""
    rules = [(e.table, reason, cond) for e in EXTRACTS for reason, cond in cross_rules(e)]
    changed = True
    while changed:
        changed = False
        for table, reason, condition in rules:
            sql_condition = PLACEHOLDER.sub(lambda m: f"_accepted_{m.group(1)}", condition)
            con.execute(
                f"""create or replace temp table _hits as
                    select r._rij from _accepted_{table} r where {sql_condition}"""
            )
            n = con.execute("select count(*) from _hits").fetchone()[0]
            if n:
                con.execute(
                    f"""update _check_{table} set _redenen = list_append(_redenen, {quote(reason)})
                        where _rij in (select _rij from _hits)"""
                )
                changed = True


def line_numbers(con: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    """``_lines_<table>``: the file line of each loaded row (header = line 1).

    Loaded rows fill the lines that DuckDB did not set aside as malformed, in order.
    """
    table, file = extract.table, extract.file
    con.execute(
        f"""create temp table _lines_{table} as
            with total as (
                select (select count(*) from _load_{table})
                     + (select count(*) from _bad where bestand = {quote(file)}) as n
            ),
            free_lines as (
                select l.range as regel from total, range(2, total.n + 2) l
                where l.range not in (select regel from _bad where bestand = {quote(file)})
            )
            select row_number() over (order by regel) as _rij, regel from free_lines"""
    )


def stored_value(extract: Extract, name: str) -> str:
    """The SQL for a column of a set-aside row as stored: a BSN-like person id is masked."""
    column = next(c for c in extract.columns if c.name == name)
    if column.person:
        return f"case when bsn_like(r.{name}) then {quote(BSN_MASK)} else r.{name} end"
    return f"r.{name}"


def publish_tables(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.{REJECTED_TABLE} (
                bestand varchar, regel bigint, reden varchar, inhoud varchar)"""
    )
    con.execute(f"insert into {RAW_SCHEMA}.{REJECTED_TABLE} select * from _bad")
    for extract in EXTRACTS:
        table = extract.table
        cols = ", ".join(f"r.{c}" for c in extract.column_names)
        struct = ", ".join(f"{c} := {stored_value(extract, c)}" for c in extract.column_names)
        con.execute(
            f"""create or replace table {RAW_SCHEMA}.{table} as
                select {cols}, l.regel as bronregel
                from _check_{table} r join _lines_{table} l using (_rij)
                where len(r._redenen) = 0 order by l.regel"""
        )
        con.execute(
            f"""insert into {RAW_SCHEMA}.{REJECTED_TABLE}
                select {quote(extract.file)}, l.regel, array_to_string(r._redenen, '; '),
                       to_json(struct_pack({struct}))::varchar
                from _check_{table} r join _lines_{table} l using (_rij)
                where len(r._redenen) > 0 order by l.regel"""
        )


def count_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileCount]:
    counts = {}
    for extract in EXTRACTS:
        accepted = con.execute(f"select count(*) from {RAW_SCHEMA}.{extract.table}").fetchone()[0]
        rejected = con.execute(
            f"select count(*) from {RAW_SCHEMA}.{REJECTED_TABLE} where bestand = ?",
            [extract.file],
        ).fetchone()[0]
        counts[extract.file] = FileCount(accepted + rejected, accepted, rejected)
    return counts


def latest_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest date that occurs in the accepted rows of the delivery."""
    parts = [
        f"select max(nl_date({c.name})) as d from {RAW_SCHEMA}.{e.table}"
        for e in EXTRACTS
        for c in e.columns
        if c.kind is Kind.DATE
    ]
    return con.execute(f"select max(d) from ({' union all '.join(parts)})").fetchone()[0]


def record_delivery(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, counts: dict[str, FileCount]
) -> tuple[dt.date | None, str]:
    exportdatum, bron = delivery.folder_export_date, "mapnaam"
    if exportdatum is None:
        exportdatum, bron = latest_date(con), "laatste datum in de levering"
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.levering as
            select ?::date as exportdatum, ? as exportdatum_bron, ? as map""",
        [exportdatum, bron, delivery.raw_dir.name],
    )
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.bestanden (
                bestand varchar, rijen bigint, geaccepteerd bigint, afgekeurd bigint,
                sha256 varchar)"""
    )
    hashes = delivery.hashes()
    con.executemany(
        f"insert into {RAW_SCHEMA}.bestanden values (?, ?, ?, ?, ?)",
        [(f, c.rows, c.accepted, c.rejected, hashes[f]) for f, c in counts.items()],
    )
    return exportdatum, bron


def ingest(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> IngestResult:
    """Load the delivery into ``raw``; set aside every row that breaks a rule."""
    for helper in SQL_HELPERS:
        con.execute(helper)
    con.execute(
        "create or replace temp table _bad "
        "(bestand varchar, regel bigint, reden varchar, inhoud varchar)"
    )
    for file in delivery.files:
        load_file(con, file)
        check_rows(con, file.extract)
        line_numbers(con, file.extract)
    apply_cross_rules(con)
    publish_tables(con, delivery)
    for extract in EXTRACTS:
        t = extract.table
        for kind, name in (
            ("view", "_accepted"),
            ("table", "_check"),
            ("table", "_load"),
            ("table", "_lines"),
        ):
            con.execute(f"drop {kind} {name}_{t}")
    counts = count_files(con)
    exportdatum, bron = record_delivery(con, delivery, counts)
    for file, c in counts.items():
        log.info(
            "%-28s %9d rows: %9d accepted, %6d set aside", file, c.rows, c.accepted, c.rejected
        )
    return IngestResult(counts, exportdatum, bron)
