"""Ingest: every row is accepted or set aside with its file, line and the rule it broke."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from demo.writer import write_delivery
from pipelines.intake.contract import BROKEN_FILE_ROWS, QUOTE_LEFT_OPEN_LINES
from pipelines.intake.delivery import DeliveryError, open_delivery
from pipelines.intake.ingest import PHASES, FileCount, ingest
from pipelines.organisation import load as load_organisation

MERGERS = load_organisation().ended()

D = dt.date


def valid_tables() -> dict[str, list[dict]]:
    return {
        "personen": [
            {"client_id": "p1", "geboortedatum": D(1980, 2, 29), "verblijfstitel": "NL"},
            {"client_id": "p2", "geboortedatum": D(1985, 6, 1), "verblijfstitel": "ASIEL"},
        ],
        "uitkeringen": [
            {
                "uitkering_id": "u1",
                "regeling": "PW",
                "gemeente_code": "GM0512",
                "begindatum": D(2019, 1, 1),
                "einddatum": None,
                "reden_beeindiging": None,
            },
        ],
        "uitkering_personen": [
            {
                "uitkering_id": "u1",
                "client_id": "p1",
                "rol": "AANVRAGER",
                "begindatum": D(2019, 1, 1),
            },
            {
                "uitkering_id": "u1",
                "client_id": "p2",
                "rol": "PARTNER",
                "begindatum": D(2019, 3, 1),
            },
        ],
        "inkomsten": [
            {
                "uitkering_id": "u1",
                "client_id": "p1",
                "maand": "2019-04",
                "soort": "ARBEID",
                "bedrag": 250.5,
            },
        ],
        "sw_dienstverbanden": [
            {
                "dienstverband_id": "d1",
                "medewerker_id": "m1",
                "gemeente_code": "GM1978",
                "regeling": "WSW",
                "begindatum": D(2000, 1, 1),
                "uren_per_week": 32,
            },
            {
                "dienstverband_id": "d2",
                "medewerker_id": "m2",
                "gemeente_code": "GM1978",
                "regeling": "NIEUW_BESCHUT",
                "begindatum": D(2019, 1, 1),
                "uren_per_week": 24,
            },
        ],
        "sw_plaatsingen": [
            {"dienstverband_id": "d1", "categorie": "BESCHUT", "begindatum": D(2000, 1, 1)},
        ],
    }


class Loaded:
    """An in-memory warehouse after ingest, and what ingest reported."""

    def __init__(self, folder: Path) -> None:
        self.con = duckdb.connect()
        self.result = ingest(self.con, open_delivery(folder), MERGERS)

    def execute(self, sql: str):
        return self.con.execute(sql)


def load(folder: Path) -> Loaded:
    return Loaded(folder)


def append(folder: Path, file: str, *lines: str) -> None:
    with (folder / file).open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def rejected(con) -> list[tuple[str, int, str]]:
    return con.execute(
        "select bestand, regel, reden from raw.afgekeurde_rijen order by bestand, regel"
    ).fetchall()


def test_a_valid_delivery_is_accepted_whole(tmp_path):
    write_delivery(tmp_path, valid_tables())
    con = load(tmp_path)
    assert con.result.rejected == 0
    assert con.execute("select count(*) from raw.uitkering_personen").fetchone()[0] == 2
    assert con.execute("select bronregel from raw.personen order by bronregel").fetchall() == [
        (2,),
        (3,),
    ]
    assert all(c.rows == c.accepted for c in con.result.files.values())
    # Where the time went (make bench prints it): every phase, timed.
    assert list(con.result.seconds) == list(PHASES)
    assert all(seconds > 0 for seconds in con.result.seconds.values())


@pytest.mark.parametrize(
    ("file", "line", "rule"),
    [
        ("uitkeringen.csv", "u9;PW;GM0512;31-02-2019;;", "ongeldig: begindatum '31-02-2019'"),
        ("uitkeringen.csv", "u9;PW;GM0512;2019-01-01;;", "ongeldig: begindatum '2019-01-01'"),
        ("uitkeringen.csv", "u9;XX;GM0512;01-01-2019;;", "onbekende_code: regeling 'XX'"),
        ("uitkeringen.csv", "u9;pw;GM0512;01-01-2019;;", "onbekende_code: regeling 'pw'"),
        ("uitkeringen.csv", "u9;PW;0512;01-01-2019;;", "ongeldig: gemeente_code '0512'"),
        ("uitkeringen.csv", "u9;PW;GM0512;;;", "ontbreekt: begindatum is required"),
        ("uitkeringen.csv", "u1;PW;GM0512;01-01-2019;;", "dubbel_id: uitkering_id 'u1'"),
        ("uitkeringen.csv", "u9;PW;GM0512;01-01-2019;31-12-2018;WERK", "einde_voor_begin"),
        ("uitkeringen.csv", "u9;PW;GM0512;01-01-2019;31-12-2019;", "reden_ontbreekt"),
        ("uitkeringen.csv", "u9;PW;GM0512;01-01-2019;;WERK", "reden_zonder_einde"),
        ("uitkeringen.csv", "u9;PW;GM0512;01-01-2019;;", "aanvrager: a benefit needs exactly one"),
        ("uitkering_personen.csv", "u404;p1;PARTNER;01-01-2019;", "verwijzing: uitkering_id"),
        ("uitkering_personen.csv", "u1;p404;PARTNER;01-01-2019;", "verwijzing: client_id"),
        ("uitkering_personen.csv", "u1;p2;KIND;01-01-2019;", "onbekende_code: rol 'KIND'"),
        ("uitkering_personen.csv", "u1;p2;PARTNER;01-12-2018;", "buiten_uitkering"),
        ("inkomsten.csv", "u1;p1;2019-13;ARBEID;100", "ongeldig: maand '2019-13'"),
        ("inkomsten.csv", "u1;p1;2019-05;ARBEID;1.250,00", "ongeldig: bedrag '1.250,00'"),
        ("inkomsten.csv", "u1;p1;2019-05;ARBEID;-10,00", "bedrag_negatief"),
        ("sw_dienstverbanden.csv", "d9;m9;GM1978;WSW;01-01-2019;;41", "uren_buiten_bereik"),
        ("sw_dienstverbanden.csv", "d9;m9;GM1978;WSW;01-01-2019;;0", "uren_buiten_bereik"),
        ("sw_plaatsingen.csv", "d2;BESCHUT;01-01-2019;", "geen_wsw"),
        ("sw_plaatsingen.csv", "d1;DETACHERING;01-06-2019;", "plaatsing_overlapt"),
        ("sw_plaatsingen.csv", "d404;BESCHUT;01-01-2019;", "verwijzing: dienstverband_id"),
        (
            "minima_verstrekkingen.csv",
            "v1;GM0512;CZV;b1;01-01-2019;12,345678901",
            "ongeldig: bedrag",
        ),
        (
            "tozo_besluiten.csv",
            "t1;c1;GM0512;TOZO6;LEVENSONDERHOUD;01-04-2020;TOEGEKEND",
            "onbekende_code: regeling 'TOZO6'",
        ),
        ("uitkeringen.csv", "u9;PW;GM0512", "regelvorm: the line cannot be read"),
    ],
)
def test_a_row_that_breaks_a_rule_is_set_aside(tmp_path, file, line, rule):
    write_delivery(tmp_path, valid_tables())
    append(tmp_path, file, line)
    con = load(tmp_path)
    rows = [r for r in rejected(con) if r[0] == file]
    lines = (tmp_path / file).read_text().splitlines()
    assert rows, f"{file}: nothing set aside for {line!r}"
    assert any(rule in reason for _f, _l, reason in rows), rows
    assert len(lines) in {r[1] for r in rows}  # the line number of the appended row
    count = con.result.files[file]
    assert count.rows == count.accepted + count.rejected == len(lines) - 1


def test_a_rejection_carries_over_to_the_rows_that_depend_on_it(tmp_path):
    tables = valid_tables()
    tables["personen"][0]["verblijfstitel"] = "ONGELDIG"
    write_delivery(tmp_path, tables)
    con = load(tmp_path)
    reasons = {(f, r.split(":")[0]) for f, _l, r in rejected(con)}
    assert ("personen.csv", "onbekende_code") in reasons
    # p1 was the aanvrager: the membership, then the benefit, then the partner's membership
    # and the income on that benefit are all set aside.
    assert ("uitkering_personen.csv", "verwijzing") in reasons
    assert ("uitkeringen.csv", "aanvrager") in reasons
    assert ("inkomsten.csv", "verwijzing") in reasons
    assert con.execute("select count(*) from raw.uitkeringen").fetchone()[0] == 0
    assert con.result.files["uitkering_personen.csv"].rejected == 2


def rewrite(folder: Path, file: str, header: str, lines: list[str]) -> None:
    (folder / file).write_text("".join(f"{line}\n" for line in [header, *lines]))


UITKERINGEN_HEADER = "uitkering_id;regeling;gemeente_code;begindatum;einddatum;reden_beeindiging"


@pytest.mark.parametrize(
    ("file", "header", "line", "reason"),
    [
        # A column added to the header, not to the rows: not one line has the header's fields.
        (
            "personen.csv",
            "client_id;geboortedatum;verblijfstitel;telefoon",
            "p{i};01-01-1980;NL",
            "regelvorm: the line cannot be read as the header's columns",
        ),
        # The dates in another format.
        (
            "uitkeringen.csv",
            UITKERINGEN_HEADER,
            "u{i};PW;GM0512;2019-01-01;;",
            "ongeldig: begindatum '2019-01-01' is not a date (DD-MM-YYYY)",
        ),
    ],
)
def test_a_file_none_of_whose_rows_can_be_accepted_stops_the_run(
    tmp_path, file, header, line, reason
):
    """Not BROKEN_FILE_ROWS rows set aside and zeros published for what the file holds."""
    write_delivery(tmp_path, valid_tables())
    rewrite(tmp_path, file, header, [line.format(i=i) for i in range(BROKEN_FILE_ROWS)])
    con = duckdb.connect()
    with pytest.raises(DeliveryError) as caught:
        ingest(con, open_delivery(tmp_path), MERGERS)
    assert caught.value.file == file
    assert caught.value.problem.startswith(
        f"none of its {BROKEN_FILE_ROWS} rows can be accepted; line 2: {reason}"
    )
    tables = "select count(*) from information_schema.tables where table_schema = 'raw'"
    assert con.execute(tables).fetchone()[0] == 0  # nothing written


def test_a_few_rows_that_all_break_a_rule_are_set_aside(tmp_path):
    """Below BROKEN_FILE_ROWS rows, a file whose rows all break a rule is a file of bad rows."""
    write_delivery(tmp_path, valid_tables())
    few = BROKEN_FILE_ROWS - 1
    rewrite(
        tmp_path,
        "uitkeringen.csv",
        UITKERINGEN_HEADER,
        [f"u{i};PW;GM0512;2019-01-01;;" for i in range(few)],
    )
    con = load(tmp_path)
    assert con.result.files["uitkeringen.csv"] == FileCount(few, 0, few)


def test_tolerated_formats(tmp_path):
    """BOM, CRLF, quotes, header case and spaces, column order and extra columns."""
    write_delivery(tmp_path, valid_tables())
    (tmp_path / "personen.csv").write_bytes(
        b"\xef\xbb\xbf Verblijfstitel ;CLIENT_ID;Geboortedatum;opmerking\r\n"
        b'"NL";"p1";"29-02-1980";"mag; een puntkomma bevatten"\r\n'
        b"ASIEL;p2;01-06-1985;\r\n"
    )
    con = load(tmp_path)
    assert con.result.rejected == 0
    assert con.execute(
        "select client_id, geboortedatum from raw.personen order by 1"
    ).fetchall() == [("p1", "29-02-1980"), ("p2", "01-06-1985")]


def test_values_are_trimmed_and_an_empty_one_is_missing(tmp_path):
    """Spaces and Unicode spaces around a value go; a value of spaces only is no value. Only a
    file with a space or a character outside ASCII is looked at for them."""
    write_delivery(tmp_path, valid_tables())
    append(tmp_path, "personen.csv", " p3 ;\u00a001-01-1990;NL", "p4;  ;NL")
    append(tmp_path, "inkomsten.csv", "u1;p1;2019-05;ARBEID;\u200310,00\u2003")
    flags = {f.extract.table: f.scan.may_need_trim for f in open_delivery(tmp_path).files}
    assert flags["personen"] and flags["inkomsten"] and not flags["uitkeringen"]
    loaded = load(tmp_path)
    assert loaded.execute(
        "select client_id, geboortedatum from raw.personen where bronregel = 4"
    ).fetchall() == [("p3", "01-01-1990")]
    assert loaded.execute(
        "select bedrag from raw.inkomsten where maand = '2019-05'"
    ).fetchall() == [("10,00",)]
    assert rejected(loaded) == [("personen.csv", 5, "ontbreekt: geboortedatum is required")]


def test_export_date_from_folder_name_or_latest_date(tmp_path):
    named = tmp_path / "2021-04-01"
    write_delivery(named, valid_tables())
    assert load(named).result.exportdatum == D(2021, 4, 1)
    other = tmp_path / "levering"
    write_delivery(other, valid_tables())
    result = load(other).result
    # The latest date in the rows: the first day of the latest income month (April 2019).
    assert result.exportdatum == D(2019, 4, 1)
    assert result.exportdatum_bron == "laatste datum in de levering"


def test_absurd_and_future_dates_are_set_aside_and_never_move_the_export_date(tmp_path):
    tables = valid_tables()
    # A planned end after the export date is a fact of the benefit, not an error.
    tables["uitkeringen"][0] |= {"einddatum": D(2030, 6, 30), "reden_beeindiging": "WERK"}
    write_delivery(tmp_path / "levering", tables)
    append(tmp_path / "levering", "personen.csv", "p9;01-01-9999;NL", "p8;31-12-1899;NL")
    append(
        tmp_path / "levering",
        "tozo_besluiten.csv",
        "t9;c9;GM0512;TOZO1;LEVENSONDERHOUD;01-01-2100;TOEGEKEND",
    )
    loaded = load(tmp_path / "levering")
    assert loaded.result.exportdatum == D(2019, 4, 1)
    reasons = [r for _f, _l, r in rejected(loaded)]
    assert sum("datum_onmogelijk: geboortedatum" in r for r in reasons) == 2
    assert any("na_exportdatum: besluitdatum '01-01-2100'" in r for r in reasons)
    assert loaded.execute("select einddatum from raw.uitkeringen").fetchall() == [("30-06-2030",)]

    named = tmp_path / "2019-06-30"
    write_delivery(named, tables)
    append(named, "uitkering_personen.csv", "u1;p2;PARTNER;01-07-2019;")
    append(named, "inkomsten.csv", "u1;p1;2019-07;ARBEID;10,00", "u1;p1;2019-06;ARBEID;10,00")
    loaded = load(named)
    lines = {(f, r.split(":")[0]) for f, _l, r in rejected(loaded)}
    assert lines == {
        ("uitkering_personen.csv", "na_exportdatum"),
        ("inkomsten.csv", "na_exportdatum"),
    }
    assert loaded.result.files["inkomsten.csv"].accepted == 2


BSNS = ("708720353", "739324688", "254256338", "123456782")


def test_a_number_that_looks_like_a_bsn_is_set_aside_and_never_quoted(tmp_path):
    """In any column, and in the reasons and content kept of a set-aside row."""
    write_delivery(tmp_path, valid_tables())
    append(tmp_path, "personen.csv", "708720353;01-01-1980;NL", "708720353;01-01-1981;NL")
    append(tmp_path, "personen.csv", "CX1;739324688;NL")  # in a date
    append(tmp_path, "minima_verstrekkingen.csv", "254256338;GM9999;CZV;BX1;15-03-2019;10,00")
    append(tmp_path, "buig_boekingen.csv", "k1;GM0512;01-03-2019;UITKERING;123456782")
    append(tmp_path, "uitkeringen.csv", "u9;PW;GM0512;01-01-2019;;;708720353")  # malformed
    loaded = load(tmp_path)
    rows = loaded.execute("select bestand, reden, inhoud from raw.afgekeurde_rijen").fetchall()
    assert len(rows) == 6
    for bestand, reden, inhoud in rows:
        for bsn in BSNS:
            assert bsn not in reden and bsn not in inhoud, (bestand, reden, inhoud)
        assert "verwijderd: lijkt op een BSN" in inhoud, inhoud
    assert sum("mogelijk_bsn" in r for _b, r, _i in rows) == 5  # every row but the malformed
    assert any("ongeldig: geboortedatum '[verwijderd" in r for _b, r, _i in rows)
    assert any("dubbel_id: client_id '[verwijderd" in r for _b, r, _i in rows)
    for table in ("personen", "minima_verstrekkingen", "buig_boekingen", "uitkeringen"):
        text = str(loaded.execute(f"select * from raw.{table}").fetchall())
        assert not any(bsn in text for bsn in BSNS), table


def test_a_file_that_mixes_lf_and_crlf_is_read_line_by_line(tmp_path):
    write_delivery(tmp_path, valid_tables())  # LF
    append(tmp_path, "personen.csv", "p3;01-01-1990;NL\r")  # a CRLF line after LF lines
    append(tmp_path, "personen.csv", "p4;01-01-1991")  # malformed: line 5
    loaded = load(tmp_path)
    assert loaded.execute("select client_id, bronregel from raw.personen order by 2").fetchall()[
        -1
    ] == ("p3", 4)
    assert [(f, line) for f, line, _r in rejected(loaded)] == [("personen.csv", 5)]


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_rows_after_blank_lines_or_a_value_over_two_lines_keep_their_line(tmp_path, line_end):
    """A row's line is the line in the file on which it begins, as an auditor finds it in an
    editor: DuckDB skips a blank line and reads a quoted value with a line break in it as one
    line, and numbering rows by their place would shift every line after either."""
    write_delivery(tmp_path, valid_tables())  # personen.csv: header, p1 (2), p2 (3)
    lines = [
        "",  # 4: blank
        '"p3";01-01-1990;NL',  # 5
        '"p4";01-01-1991;"N',  # 6-7: a value over two lines, set aside (not a code)
        'L"',
        "",  # 8, 9: blank
        "",
        "p5;01-01-1992",  # 10: malformed (two columns)
        'p6;01-01-1993;"EU"',  # 11
        "p7;01-01-1994;XX",  # 12: not a code
        "",  # 13, 14: blank lines at the end
        "",
    ]
    path = tmp_path / "personen.csv"
    text = path.read_text() + "".join(line + "\n" for line in lines)
    path.write_bytes(text.replace("\n", line_end).encode())
    loaded = load(tmp_path)
    accepted = loaded.execute("select client_id, bronregel from raw.personen order by 2")
    assert accepted.fetchall() == [("p1", 2), ("p2", 3), ("p3", 5), ("p6", 11)]
    assert [(line, reason.split(":")[0]) for _f, line, reason in rejected(loaded)] == [
        (6, "onbekende_code"),
        (10, "regelvorm"),
        (12, "onbekende_code"),
    ]
    scans = {f.extract.file: f.scan for f in open_delivery(tmp_path).files}
    assert scans["personen.csv"].lines == 12  # up to the last line that holds a row


@pytest.mark.parametrize(
    ("closed_after", "problem"),
    [
        (None, "the quoted value that begins on line 4 runs to line 15, the end of the file"),
        (QUOTE_LEFT_OPEN_LINES - 1, "the quoted value that begins on line 4 ends only on line 13"),
    ],
)
def test_a_quote_left_open_stops_the_run(tmp_path, closed_after, problem):
    """A quote that opens a value and is not closed on its line swallows the rows after it into
    one malformed row: set aside as one, they and all that refers to them would count in no
    figure, and the file would report a handful of rows. No value of the contract spans lines:
    QUOTE_LEFT_OPEN_LINES lines as one value is a broken file."""
    write_delivery(tmp_path, valid_tables())  # personen.csv: header, p1 (2), p2 (3)
    rows = [f"p{i};01-01-1990;NL" for i in range(3, 15)]
    rows[0] = rows[0].replace(";NL", ';"NL')  # line 4
    if closed_after is not None:
        rows[closed_after] += '"'
    append(tmp_path, "personen.csv", *rows)
    con = duckdb.connect()
    with pytest.raises(DeliveryError) as caught:
        ingest(con, open_delivery(tmp_path), MERGERS)
    assert caught.value.file == "personen.csv"
    assert caught.value.problem.startswith(problem)
    assert "Is a quote left open?" in caught.value.problem
    tables = "select count(*) from information_schema.tables where table_schema = 'raw'"
    assert con.execute(tables).fetchone()[0] == 0  # nothing written


def test_a_predecessor_code_after_the_merger_is_set_aside(tmp_path):
    """Leerdam (GM0545) merged into Vijfheerenlanden on 1 January 2019: a record of Leerdam
    that begins on 31-12-2018 is fine (dbt counts it for Vijfheerenlanden), one that begins on
    1-1-2019 carries a code that no longer existed. Today's code is fine on either day."""
    tables = valid_tables()
    for uid, code, begin in (
        ("u2", "GM0545", D(2018, 12, 31)),
        ("u3", "GM0545", D(2019, 1, 1)),
        ("u4", "GM1961", D(2018, 12, 31)),
        ("u5", "GM1961", D(2019, 1, 1)),
        ("u6", "GM9999", D(2019, 1, 1)),  # unknown to the table: accepted, counts for no one
    ):
        tables["uitkeringen"].append(
            {
                "uitkering_id": uid,
                "regeling": "PW",
                "gemeente_code": code,
                "begindatum": begin,
                "einddatum": None,
                "reden_beeindiging": None,
            }
        )
        tables["uitkering_personen"].append(
            {"uitkering_id": uid, "client_id": "p2", "rol": "AANVRAGER", "begindatum": begin}
        )
    write_delivery(tmp_path, tables)
    loaded = load(tmp_path)
    reasons = [r for f, _l, r in rejected(loaded) if f == "uitkeringen.csv"]
    assert len(reasons) == 1 and reasons[0].startswith("opgeheven_gemeente")
    accepted = {r[0] for r in loaded.execute("select uitkering_id from raw.uitkeringen").fetchall()}
    assert accepted == {"u1", "u2", "u4", "u5", "u6"}
