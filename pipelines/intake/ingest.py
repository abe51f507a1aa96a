"""Ingest: load a checked delivery into the warehouse, every row against the contract.

Rows are loaded and checked in temporary tables (memory, spilling to the system's temporary
folder), set-based: one pass per file for the rules that need only the row, anti-joins for the
rules that refer to other files. The warehouse file never holds a value before it has passed
or been masked. Every row ends up in exactly one place:
- ``raw.<file>``: the accepted rows, as text exactly as delivered (trimmed; empty = null), with
  ``bronregel``, their line in the file. dbt's staging models cast them.
- ``raw.afgekeurde_rijen``: the rows set aside, with file, line, the rules they broke and their
  content (every number that looks like a citizen service number masked). They count in no
  figure.
``raw.bestanden`` holds rows / accepted / set aside per file and its hash; ``raw.levering`` the
export date. A rule that refers to another file (a reference, a benefit's aanvrager) sees only
that file's accepted rows, so a rejection carries over to the rows that depend on it. A file
of ``BROKEN_FILE_ROWS`` rows or more none of which passes its own rules stops the ingest: it is
a broken file, not a file of bad rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import privacy
from pipelines.config import RAW_SCHEMA, REJECTED_TABLE, today
from pipelines.intake.contract import (
    BROKEN_FILE_ROWS,
    EXTRACTS,
    KIND_PATTERNS,
    PLAUSIBLE_YEARS,
    SQL_HELPERS,
    Column,
    Extract,
    Kind,
)
from pipelines.intake.delivery import (
    MAX_LINE_BYTES,
    Delivery,
    DeliveryError,
    DeliveryFile,
    line_too_long,
    record_lines,
)
from pipelines.publish.workspace import pause_point

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PARSERS = {
    Kind.DATE: "nl_date",
    Kind.MONTH: "nl_month",
    Kind.AMOUNT: "nl_amount",
    Kind.HOURS: "nl_hours",
}
DATED = (Kind.DATE, Kind.MONTH)
DUPLICATES = "_dubbel"  # temp tables of the values of a unique column that occur twice or more


@dataclass(frozen=True)
class FileCount:
    rows: int
    accepted: int
    rejected: int


# The phases of an ingest, in order, as its timings name them.
PHASES = ("read", "checks", "rules across files", "store")


@dataclass(frozen=True)
class IngestResult:
    files: dict[str, FileCount]
    exportdatum: dt.date | None
    exportdatum_bron: str
    # Seconds (wall clock) per phase (PHASES): where an ingest spends its time.
    seconds: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.files.values())


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def readable_copy(file: DeliveryFile, scratch: Path) -> Path:
    """The file itself, or, when it mixes LF and CRLF line ends (both allowed, but not
    together by DuckDB's reader), a copy with LF only: the same lines, the same numbers."""
    if not file.scan.mixed_line_ends:
        return file.path
    copy = scratch / file.extract.file
    with file.path.open("rb") as source, copy.open("wb") as target:
        carry = b""
        for block in iter(lambda: source.read(1 << 20), b""):
            block = carry + block
            carry = b"\r" if block.endswith(b"\r") else b""
            target.write(block[: len(block) - len(carry)].replace(b"\r\n", b"\n"))
        target.write(carry)
    log.info("%s mixes LF and CRLF line ends: read as LF", file.extract.file)
    return copy


def load_file(con: duckdb.DuckDBPyConnection, file: DeliveryFile, scratch: Path) -> None:
    """Read one CSV into ``_load_<table>`` (all text) and its malformed lines into ``_bad``."""
    table = file.extract.table
    path = readable_copy(file, scratch)
    wanted = set(file.extract.column_names)
    names = [h if h in wanted else f"_extra_{i}" for i, h in enumerate(file.header)]
    columns = "{" + ", ".join(f"{quote(n)}: 'VARCHAR'" for n in names) + "}"
    keep = ", ".join(file.extract.column_names)
    con.execute(
        f"""create temp table _load_{table} as
            select {keep} from read_csv({quote(str(path))}, delim=';', quote='"',
                escape='"', header=true, auto_detect=false, columns={columns},
                max_line_size={MAX_LINE_BYTES},
                encoding='utf-8', store_rejects=true, rejects_table='_rej_{table}',
                rejects_scan='_scan_{table}')"""
    )
    # Lines DuckDB could not split into the header's fields are set aside as they are.
    con.execute(
        f"""insert into _bad
            select {quote(file.extract.file)}, line,
                   'regelvorm: the line cannot be read as the header''s columns ('
                     || zonder_bsn(min(error_message)) || ')',
                   zonder_bsn(trim(min(csv_line), chr(10) || chr(13)))
            from _rej_{table} group by line"""
    )
    bad_encoding = con.execute(
        f"select min(line) from _rej_{table} where error_type ilike '%encoding%'"
    ).fetchone()[0]
    if bad_encoding is not None:
        raise DeliveryError(file.extract.file, f"not UTF-8 encoded (line {bad_encoding})")
    con.execute(f"drop table _rej_{table}; drop table _scan_{table}")
    ((loaded, malformed),) = con.execute(  # fetched to the end: number_lines registers
        f"""select (select count(*) from _load_{table}),
                   (select count(*) from _bad where bestand = {quote(file.extract.file)})"""
    ).fetchall()
    if file.scan.lines != 1 + loaded + malformed:
        number_lines(con, file, path, loaded, malformed)


def number_lines(
    con: duckdb.DuckDBPyConnection, file: DeliveryFile, path: Path, loaded: int, malformed: int
) -> None:
    """A file with blank lines, or with a quoted value over more than one line, has more lines
    than rows, and DuckDB's reader counts a record as one line: each record's line in the file
    is found by reading the file once more, as DuckDB reads it. ``_regels_<table>`` then holds
    every loaded row's line (by its rowid) and the malformed lines in ``_bad`` get theirs."""
    import pyarrow as pa  # only here: most files have a line per row and need no second read

    table, name = file.extract.table, quote(file.extract.file)
    reader, lines = record_lines(path, file.extract.file)
    con.register("_records", pa.table({"gelezen": reader, "regel": lines}))
    con.execute(
        f"""create temp table _regels_{table} as
            select row_number() over (order by gelezen) - 1 as k, regel from _records
            where gelezen not in (select regel from _bad where bestand = {name})"""
    )
    found = con.execute(
        f"""update _bad set regel = r.regel from _records r
            where _bad.bestand = {name} and _bad.regel = r.gelezen"""
    ).fetchone()[0]
    con.unregister("_records")
    rows = con.execute(f"select count(*) from _regels_{table}").fetchone()[0]
    if (rows, found) != (loaded, malformed):  # the readers disagree on a record
        con.execute(f"drop table _regels_{table}")
        raise DeliveryError(
            file.extract.file,
            line_too_long(path)
            or f"its records cannot be matched to its lines ({len(lines)} found, DuckDB read "
            f"{loaded + malformed}): is a quote left open?",
        )
    log.info(
        "%s has blank lines or values over lines: each row's line looked up", file.extract.file
    )


def numbered(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether ``number_lines`` found the lines of the file's rows."""
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where temporary and table_name = ?",
            [f"_regels_{table}"],
        ).fetchone()[0]
    )


def derived_export_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest plausible date the delivery's rows show: dates of events and months, not
    planned ends (which may lie ahead); never an absurd year, never a day still to come (in
    the Netherlands: ``config.today``, not DuckDB's date, which follows the machine's zone).
    Each date is weighed on its own: a row dated ahead does not hide the others of its file."""
    low, high = PLAUSIBLE_YEARS
    parts = [
        f"select {PARSERS[c.kind]}(trim({c.name})) as d from _load_{e.table}"
        for e in EXTRACTS
        for c in e.columns
        if c.kind in DATED and not c.may_follow_export
    ]
    return con.execute(
        f"select max(d) from ({' union all '.join(parts)}) "
        f"where year(d) between {low} and {high} and d <= ?",
        [today()],
    ).fetchone()[0]


def parsed_value(column: Column) -> str | None:
    """SQL for the column's value as a date or number, or None for a text column."""
    return f"{PARSERS[column.kind]}(r.{column.name})" if column.kind in PARSERS else None


def valid_form(column: Column) -> str | None:
    """SQL: the column's value has the form its kind requires (null when the value is)."""
    if column.kind not in KIND_PATTERNS:
        return None
    pattern, _problem = KIND_PATTERNS[column.kind]
    valid = f"regexp_full_match(r.{column.name}, '{pattern}')"
    if column.kind in PARSERS:
        valid += f" and r._{column.name}_waarde is not null"
    return valid


def helper_columns(extract: Extract) -> tuple[list[str], list[str]]:
    """The parsed value and the validity of every column with a form, computed once per row
    (in two steps: the validity reads the parsed value)."""
    values = [f"{parsed_value(c)} as _{c.name}_waarde" for c in extract.columns if parsed_value(c)]
    forms = [f"{valid_form(c)} as _{c.name}_geldig" for c in extract.columns if valid_form(c)]
    return values, forms


def column_checks(column: Column) -> list[tuple[str, str]]:
    """(condition, reason) for every rule of the contract on one column; the condition is
    true when the column breaks the rule, the reason is a text expression. A value that is
    quoted in a reason has every number that looks like a citizen service number masked.
    The conditions read the helper columns ``_<column>_waarde`` and ``_<column>_geldig``."""
    c = f"r.{column.name}"
    shown = f"''' || zonder_bsn({c}) || '''"
    checks = []
    if column.required:
        checks.append((f"{c} is null", f"'ontbreekt: {column.name} is required'"))
    valid = "true"
    if column.kind in KIND_PATTERNS:
        _pattern, problem = KIND_PATTERNS[column.kind]
        valid = f"r._{column.name}_geldig"
        checks.append(
            (f"{c} is not null and not {valid}", f"'ongeldig: {column.name} {shown} {problem}'")
        )
    if column.kind in DATED:
        value = f"r._{column.name}_waarde"
        low, high = PLAUSIBLE_YEARS
        checks.append(
            (
                f"{c} is not null and {valid} and year({value}) not between {low} and {high}",
                f"'datum_onmogelijk: {column.name} {shown} lies before {low} or after {high}'",
            )
        )
        if not column.may_follow_export:
            checks.append(
                (
                    f"{c} is not null and {valid} and {value} > exportdatum()",
                    f"'na_exportdatum: {column.name} {shown} lies after the export date ' "
                    f"|| strftime(exportdatum(), '%d-%m-%Y')",
                )
            )
    codes = ", ".join(quote(code) for code in column.codes)
    if column.codes:
        checks.append(
            (
                f"{c} is not null and {c} not in ({codes})",
                f"'onbekende_code: {column.name} {shown} is not one of {', '.join(column.codes)}'",
            )
        )
    # A value of a strict form (a date, a month, a municipality code, a code from a list)
    # cannot be 8 or 9 digits when it has that form: only the others need the 11-test.
    if column.kind in (Kind.DATE, Kind.MONTH, Kind.GEMEENTE):
        suspect = f"{c} is not null and not {valid} and lijkt_op_bsn({c})"
    elif column.codes:
        suspect = f"{c} is not null and {c} not in ({codes}) and lijkt_op_bsn({c})"
    else:
        suspect = f"{c} is not null and lijkt_op_bsn({c})"
    checks.append(
        (
            suspect,
            f"'mogelijk_bsn: {column.name} looks like a citizen service number "
            f"(8 or 9 digits passing the 11-test, however written; ids must be pseudonymous); "
            f"the value is not stored'",
        )
    )
    if column.unique:
        checks.append(
            (
                f"{c} in (select waarde from {DUPLICATES}_{column.name})",
                f"'dubbel_id: {column.name} {shown} occurs more than once'",
            )
        )
    return checks


def own_rules(extract: Extract) -> list[tuple[str, str]]:
    """(condition, reason) for the rules that need only the row itself."""
    checks = [check for column in extract.columns for check in column_checks(column)]
    for rule in extract.rules:
        if not PLACEHOLDER.search(rule.broken_when):
            checks.append((f"({rule.broken_when})", quote(f"{rule.rule}: {rule.message}")))
    return checks


@dataclass(frozen=True)
class CrossRule:
    table: str  # the file whose rows the rule checks
    reason: str
    condition: str  # SQL over the row (alias r); {file} = accepted rows of that file

    @property
    def inputs(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.condition))


def cross_rules(extract: Extract) -> list[CrossRule]:
    """The rules that look at accepted rows of other files (or other rows of the same file)."""
    rules = []
    for column in extract.columns:
        if column.references:
            file, key = column.references.split(".")
            rules.append(
                CrossRule(
                    extract.table,
                    f"verwijzing: {column.name} refers to no accepted row of {file}.csv",
                    f"r.{column.name} is not null and not exists "
                    f"(select 1 from {{{file}}} x where x.{key} = r.{column.name})",
                )
            )
    for rule in extract.rules:
        if PLACEHOLDER.search(rule.broken_when):
            rules.append(CrossRule(extract.table, f"{rule.rule}: {rule.message}", rule.broken_when))
    return rules


def tidied(value: str, trim: bool) -> str:
    """SQL: the value trimmed, empty = null. Only a value that begins or ends with a space, or
    holds a character outside ASCII (where the other Unicode spaces are), is trimmed: trimming
    every value costs more than the rest of a file's checks. In a file with neither (``trim``
    false: no space and only ASCII anywhere in it) no value is even looked at for them."""
    if not trim:
        return f"nullif({value}, '')"
    return (
        f"case when {value} like ' %' or {value} like '% ' or strlen({value}) <> length({value}) "
        f"then nullif(trim({value}), '') else nullif({value}, '') end"
    )


def loaded_rows(con: duckdb.DuckDBPyConnection, extract: Extract, trim: bool) -> str:
    """SQL for the loaded rows of a file, tidied (trimmed, empty = null), with ``regel``: the
    line in the file (the header is line 1). Loaded rows fill, in order, the lines DuckDB did
    not set aside as malformed; in a file with more lines than rows, ``number_lines`` has
    looked up each row's line."""
    table, file = extract.table, quote(extract.file)
    tidy = ", ".join(f"{tidied(f'l.{c}', trim)} as {c}" for c in extract.column_names)
    if numbered(con, table):
        return f"""select r.regel, {tidy}
                   from _load_{table} l join _regels_{table} r on r.k = l.rowid
                   order by r.regel"""
    if not con.execute(f"select count(*) from _bad where bestand = {file}").fetchone()[0]:
        return f"select l.rowid + 2 as regel, {tidy} from _load_{table} l"
    # Before the j-th malformed line (in order) come g_j = line - 2 - (j - 1) loaded rows; the
    # loaded row k (from 0) lies after every malformed line with g_j <= k.
    return f"""
        with gaten as (
            select regel - 1 - row_number() over (order by regel) as g,
                   row_number() over (order by regel) as j
            from _bad where bestand = {file}
        ),
        per_gat as (select g, max(j) as j from gaten group by g),
        rijen as (select rowid as k from _load_{table}),
        regels as (
            select rijen.k, rijen.k + 2 + coalesce(per_gat.j, 0) as regel
            from rijen asof left join per_gat on rijen.k >= per_gat.g
        )
        select regels.regel, {tidy}
        from _load_{table} l join regels on regels.k = l.rowid
        order by regels.regel"""


def check_rows(con: duckdb.DuckDBPyConnection, extract: Extract, trim: bool) -> None:
    """``_rows_<table>``: every loaded row, tidied, with its line (a view over the loaded text,
    which is held once); ``_redenen_<table>``: the line and the reasons of every row set aside;
    ``_accepted_<table>``: the others. ``trim`` false: the file holds no value that needs
    trimming (``FileScan.may_need_trim``)."""
    table = extract.table
    checks = own_rules(extract)
    # Each rule is evaluated once per row, into a flag; the reasons are built from the flags
    # only for the rows that break one, and only those rows are stored.
    flags = [f"coalesce({cond}, false) as _regel_{i}" for i, (cond, _r) in enumerate(checks)]
    broken = " or ".join(f"r._regel_{i}" for i in range(len(checks))) or "false"
    reasons = ", ".join(
        f"case when r._regel_{i} then {reason} end" for i, (_c, reason) in enumerate(checks)
    )
    values, forms = helper_columns(extract)
    con.execute(f"create temp view _rows_{table} as {loaded_rows(con, extract, trim)}")
    for column in extract.columns:
        if column.unique:  # the values that occur more than once: a small table to look in
            con.execute(
                f"""create or replace temp table {DUPLICATES}_{column.name} as
                    select {tidied(column.name, trim)} as waarde from _load_{table}
                    group by all having count(*) > 1 and waarde is not null"""
            )
    con.execute(
        f"""create temp table _redenen_{table} as
            with parsed as (select {", ".join(["r.*", *values])} from _rows_{table} r),
            formed as (select {", ".join(["r.*", *forms])} from parsed r),
            flagged as (select {", ".join(["r.*", *flags])} from formed r)
            select r.regel, list_filter([{reasons}], lambda x: x is not null) as redenen
            from flagged r where {broken}"""
    )
    for column in extract.columns:
        if column.unique:
            con.execute(f"drop table {DUPLICATES}_{column.name}")
    con.execute(
        f"""create temp view _accepted_{table} as
            select * from _rows_{table} r
            where not exists (select 1 from _redenen_{table} x where x.regel = r.regel)"""
    )


def check_some_accepted(con: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    """A file of BROKEN_FILE_ROWS rows or more none of which passes its own rules is not a file
    with some bad rows but a broken one: its header and its rows disagree, or a column changed
    its format. Setting every row aside would publish zeros for what the file holds (and,
    through the rules across files, for what depends on it): the run stops, naming the file
    and its first bad line."""
    table, file = extract.table, quote(extract.file)
    loaded, malformed, set_aside = con.execute(
        f"""select (select count(*) from _load_{table}),
                   (select count(*) from _bad where bestand = {file}),
                   (select count(*) from _redenen_{table})"""
    ).fetchone()
    if loaded + malformed < BROKEN_FILE_ROWS or set_aside < loaded:
        return
    line, reason = con.execute(
        f"""select regel, reden from (
                select regel, reden from _bad where bestand = {file}
                union all
                select regel, redenen[1] from _redenen_{table})
            order by regel limit 1"""
    ).fetchone()
    raise DeliveryError(
        extract.file,
        f"none of its {loaded + malformed} rows can be accepted; line {line}: {reason}. "
        "Does the export still follow the contract?",
    )


def apply_cross_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Set aside rows that break a rule about other files, until nothing changes. A rule runs
    again only when a file it looks at lost rows in the round before. A rule looks only at
    rows still accepted: a row set aside by one rule is not checked by the next."""
    rules = [rule for e in EXTRACTS for rule in cross_rules(e)]
    changed = {e.table for e in EXTRACTS}
    while changed:
        to_run = [rule for rule in rules if rule.inputs & changed]
        changed = set()
        for rule in to_run:
            condition = PLACEHOLDER.sub(lambda m: f"_accepted_{m.group(1)}", rule.condition)
            hits = con.execute(
                f"""insert into _redenen_{rule.table}
                    select r.regel, [{quote(rule.reason)}]
                    from _accepted_{rule.table} r where {condition}"""
            ).fetchone()[0]
            if hits:
                changed.add(rule.table)


def stored_content(extract: Extract) -> str:
    """A set-aside row as stored: its columns as JSON, every BSN-like number masked."""
    fields = ", ".join(f"{c} := zonder_bsn(r.{c})" for c in extract.column_names)
    return f"to_json(struct_pack({fields}))::varchar"


def publish_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.{REJECTED_TABLE} (
                bestand varchar, regel bigint, reden varchar, inhoud varchar)"""
    )
    con.execute(f"insert into {RAW_SCHEMA}.{REJECTED_TABLE} select * from _bad")
    for extract in EXTRACTS:
        table = extract.table
        cols = ", ".join(f"r.{c}" for c in extract.column_names)
        con.execute(
            f"""create or replace table {RAW_SCHEMA}.{table} as
                select {cols}, r.regel as bronregel from _accepted_{table} r"""
        )
        con.execute(
            f"""insert into {RAW_SCHEMA}.{REJECTED_TABLE}
                select {quote(extract.file)}, r.regel, array_to_string(x.redenen, '; '),
                       {stored_content(extract)}
                from _rows_{table} r join _redenen_{table} x using (regel)
                order by r.regel"""
        )
        con.execute(
            f"drop view _accepted_{table}; drop view _rows_{table}; "
            f"drop table _redenen_{table}; drop table _load_{table}; "
            f"drop table if exists _regels_{table}"
        )


def count_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileCount]:
    rejected = dict(
        con.execute(
            f"select bestand, count(*) from {RAW_SCHEMA}.{REJECTED_TABLE} group by bestand"
        ).fetchall()
    )
    counts = {}
    for extract in EXTRACTS:
        accepted = con.execute(f"select count(*) from {RAW_SCHEMA}.{extract.table}").fetchone()[0]
        n = rejected.get(extract.file, 0)
        counts[extract.file] = FileCount(accepted + n, accepted, n)
    return counts


def record_delivery(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    counts: dict[str, FileCount],
    exportdatum: dt.date | None,
    bron: str,
) -> None:
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.levering as
            select ?::date as exportdatum, ? as exportdatum_bron, ? as map""",
        [exportdatum, bron, delivery.raw_dir.name],
    )
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.bestanden (
                bestand varchar, aanwezig boolean, rijen bigint, geaccepteerd bigint,
                afgekeurd bigint, sha256 varchar)"""
    )
    hashes = delivery.hashes()
    con.executemany(
        f"insert into {RAW_SCHEMA}.bestanden values (?, ?, ?, ?, ?, ?)",
        [
            (f, f in hashes, c.rows, c.accepted, c.rejected, hashes.get(f))
            for f, c in counts.items()
        ],
    )


@contextlib.contextmanager
def timed(seconds: dict[str, float], phase: str) -> Iterator[None]:
    """Add the seconds the block takes to ``seconds[phase]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[phase] = seconds.get(phase, 0.0) + time.perf_counter() - started


def ingest(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, mergers: list[tuple[str, str]]
) -> IngestResult:
    """Load the delivery into ``raw``; set aside every row that breaks a rule. `mergers`:
    (code, last day) of every municipality the organisation knows was merged away."""
    seconds = dict.fromkeys(PHASES, 0.0)
    for helper in SQL_HELPERS:
        con.execute(helper)
    privacy.define_in(con)  # what looks like a citizen service number
    con.execute(
        "create or replace temp table _bad "
        "(bestand varchar, regel bigint, reden varchar, inhoud varchar)"
    )
    define_municipal_codes(con, mergers)
    for extract in delivery.missing_optional:
        # An optional file that is not there: no rows, the same tables.
        columns = ", ".join(f"{c} varchar" for c in extract.column_names)
        con.execute(f"create temp table _load_{extract.table} ({columns})")
    exportdatum, bron = delivery.folder_export_date, "mapnaam"
    files = {file.extract.table: file for file in delivery.files}
    # The rows say the export date: then every file is read before any is checked.
    read_first = exportdatum is None
    pause_point("inlezen")
    with tempfile.TemporaryDirectory(prefix="kerncijfers-") as scratch:
        if read_first:
            with timed(seconds, "read"):
                for file in delivery.files:
                    load_file(con, file, Path(scratch))
                exportdatum, bron = derived_export_date(con), "laatste datum in de levering"
        con.execute(f"create or replace temp macro exportdatum() as {export_literal(exportdatum)}")
        for extract in EXTRACTS:
            # One file at a time, read and checked; its text stays until it is published.
            file = files.get(extract.table)
            if file is not None and not read_first:
                with timed(seconds, "read"):
                    load_file(con, file, Path(scratch))
            with timed(seconds, "checks"):
                check_rows(con, extract, trim=file is not None and file.scan.may_need_trim)
                check_some_accepted(con, extract)
    # What was read must be what was hashed: a file written to meanwhile stops the run.
    delivery.check_unchanged()
    with timed(seconds, "rules across files"):
        apply_cross_rules(con)
    with timed(seconds, "store"):
        publish_tables(con)
        counts = count_files(con)
        record_delivery(con, delivery, counts, exportdatum, bron)
    for file, c in counts.items():
        log.info(
            "%-28s %9d rows: %9d accepted, %6d set aside", file, c.rows, c.accepted, c.rejected
        )
    log.info(
        "ingest took %.1f s: %s",
        sum(seconds.values()),
        ", ".join(f"{phase} {seconds[phase]:.1f} s" for phase in PHASES),
    )
    return IngestResult(counts, exportdatum, bron, seconds)


def define_municipal_codes(con: duckdb.DuckDBPyConnection, ended: list[tuple[str, str]]) -> None:
    """``opgeheven_op(code)``: the last day of a municipality that was merged into another
    (`ended`: the organisation's gemeentecodes), null for one that exists; for rule
    opgeheven_gemeente."""
    cases = " ".join(f"when {quote(code)} then date {quote(day)}" for code, day in ended if day)
    con.execute(
        "create or replace temp macro opgeheven_op(code) as "
        + (f"case code {cases} else null::date end" if cases else "null::date")
    )


def record_run(
    con: duckdb.DuckDBPyConnection, run_id: str, jaar: int, extra_peildata: list[dt.date]
) -> None:
    """``raw.run``: what the run asks for, which dbt's calendar models read."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.run as
            select ?::varchar as run_id, ?::integer as jaar, ?::date[] as extra_peildata""",
        [run_id, jaar, list(extra_peildata)],
    )


def export_literal(day: dt.date | None) -> str:
    return "null::date" if day is None else f"date '{day.isoformat()}'"
