"""A delivery that cannot be read as the contract stops the run before anything is written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from demo.writer import write_delivery
from pipelines.intake.delivery import DeliveryError, open_delivery
from tests.clirun import kerncijfers, run_args
from tests.test_ingest import valid_tables


def break_missing_file(folder: Path) -> None:
    (folder / "inkomsten.csv").unlink()


def break_missing_column(folder: Path) -> None:
    (folder / "personen.csv").write_text("client_id;verblijfstitel\np1;NL\n")


def break_bsn(folder: Path) -> None:
    (folder / "personen.csv").write_text(
        "client_id;BSN;geboortedatum;verblijfstitel\np1;123456782;01-01-1980;NL\n"
    )


def break_delimiter(folder: Path) -> None:
    (folder / "uitkeringen.csv").write_text(
        "uitkering_id,regeling,gemeente_code,begindatum,einddatum,reden_beeindiging\n"
        "u1,PW,GM0512,01-01-2019,,\n"
    )


def break_encoding(folder: Path) -> None:
    text = (folder / "personen.csv").read_text()
    (folder / "personen.csv").write_bytes(
        text.encode("utf-8") + "p3;01-01-1990;NL é\n".encode("latin-1")
    )


def break_empty_file(folder: Path) -> None:
    (folder / "buig_boekingen.csv").write_text("")


def break_cr_line_ends(folder: Path) -> None:
    """Lines that end in CR alone, as old Mac software (and Excel's 'CSV (Macintosh)') writes:
    before, reading the header raised a traceback (a csv.Error)."""
    path = folder / "personen.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))


def break_lone_cr(folder: Path) -> None:
    """A carriage return inside a row of a CRLF file: DuckDB's reader failed on it."""
    path = folder / "uitkeringen.csv"
    lines = path.read_bytes().replace(b"\n", b"\r\n").split(b"\r\n")
    lines[1] = lines[1].replace(b";PW;", b";P\rW;")
    path.write_bytes(b"\r\n".join(lines))


def break_last_cr(folder: Path) -> None:
    """The file ends in a carriage return that no line feed follows."""
    with (folder / "personen.csv").open("a", newline="") as handle:
        handle.write("p3;01-01-1990;NL\r")


BREAKS = [
    (break_missing_file, "inkomsten.csv", "missing from the delivery"),
    (break_missing_column, "personen.csv", "missing column(s): geboortedatum"),
    (break_bsn, "personen.csv", "'bsn' column"),
    (break_delimiter, "uitkeringen.csv", "not ';'-separated"),
    (break_encoding, "personen.csv", "not UTF-8 encoded"),
    (break_empty_file, "buig_boekingen.csv", "the file is empty"),
    (break_cr_line_ends, "personen.csv", "its lines end in a carriage return (CR) only"),
    (break_lone_cr, "uitkeringen.csv", "line 2 holds a carriage return (CR) that does not end"),
    (break_last_cr, "personen.csv", "line 4 holds a carriage return (CR) that does not end"),
]
# Through the command line: the first four, and lines that end in CR alone (a traceback once).
CLI_BREAKS = [*BREAKS[:4], BREAKS[6]]


@pytest.mark.parametrize(("breaker", "file", "problem"), BREAKS)
def test_the_check_names_file_and_problem(tmp_path, breaker, file, problem):
    write_delivery(tmp_path, valid_tables())
    breaker(tmp_path)
    with pytest.raises(DeliveryError) as caught:
        open_delivery(tmp_path)
    assert caught.value.file == file
    assert problem in str(caught.value)


def test_of_several_problems_the_first_in_the_contracts_order_is_named(tmp_path):
    """The files are scanned in parallel, but checked in the contract's order (personen,
    uitkeringen, ...): the problem reported is the same whichever scan ends first."""
    write_delivery(tmp_path, valid_tables())
    break_empty_file(tmp_path)  # buig_boekingen.csv, late in the order
    break_delimiter(tmp_path)  # uitkeringen.csv
    break_encoding(tmp_path)  # personen.csv, first: found only by reading the whole file
    with pytest.raises(DeliveryError) as caught:
        open_delivery(tmp_path)
    assert (caught.value.file, caught.value.problem.split(" (")[0]) == (
        "personen.csv",
        "not UTF-8 encoded",
    )
    break_missing_column(tmp_path)  # now personen.csv's header is wrong: its scan is not asked
    with pytest.raises(DeliveryError) as caught:
        open_delivery(tmp_path)
    assert caught.value.file == "personen.csv"
    assert "missing column(s)" in caught.value.problem


def cli_run(raw: Path, out: Path) -> subprocess.CompletedProcess:
    return kerncijfers(*run_args(raw, out), timeout=120)


@pytest.mark.parametrize(("breaker", "file", "problem"), CLI_BREAKS)
def test_the_cli_stops_with_one_line_and_writes_nothing(tmp_path, breaker, file, problem):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_delivery(raw, valid_tables())
    breaker(raw)
    result = cli_run(raw, out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert file in lines[0] and problem in lines[0]
    assert not out.exists()


@pytest.mark.parametrize(
    ("argument", "problem"),
    [
        (["--jaar", "twintig"], "argument --jaar: 'twintig' is not a year (YYYY)"),
        (["--bewaar", "0"], "argument --bewaar: '0' is not a whole number of 1 or more"),
        (["--wait", "-1"], "argument --wait: '-1' is not a number of seconds (0 or more)"),
    ],
)
def test_an_argument_the_command_cannot_accept_exits_64_not_2(tmp_path, argument, problem):
    """Exit 2 says the delivery breaks the contract; a mistyped argument is a usage error."""
    write_delivery(tmp_path / "raw", valid_tables())
    result = kerncijfers(*run_args(tmp_path / "raw", tmp_path / "out"), *argument, timeout=120)
    assert result.returncode == 64
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"kerncijfers run: error: {problem}"
    assert not (tmp_path / "out").exists()


def test_a_broken_delivery_leaves_a_previous_publication_untouched(tmp_path, demo_run):
    before = {p: p.read_bytes() for p in (demo_run / "marts").iterdir()}
    manifest = (demo_run / "manifest.json").read_bytes()
    raw = tmp_path / "raw"
    write_delivery(raw, valid_tables())
    break_bsn(raw)
    result = cli_run(raw, demo_run)
    assert result.returncode == 2
    assert {p: p.read_bytes() for p in (demo_run / "marts").iterdir()} == before
    assert (demo_run / "manifest.json").read_bytes() == manifest
