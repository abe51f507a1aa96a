"""The organisation a run publishes for: one folder of configuration, read and checked here.

Everything that describes the organisation lives in its folder (``organisaties/<naam>/``), not
in the code or the dbt project:

- ``organisatie.yml``: its name and description, the label of the total of its
  municipalities, the sender of its publications, and how it publishes open data (publisher,
  licence, contact, base address, themes);
- ``gemeenten.csv``: the member municipalities, with their names and file names;
- ``gemeentecodes.csv``: the municipal reorganisations its deliveries can hold (members,
  their predecessors with the day each merged, neighbours whose codes appear);
- ``bediende_gebieden.csv``: which (former) municipality it served from when to when;
- ``banenafspraak_doelstellingen.csv``: its yearly targets;
- ``rapport.yml``: the report's chapters, their texts, and which tables and charts each
  chapter and factsheet shows (``pipelines.publish.report.layout`` reads it).

The run loads the four CSV files into the warehouse (schema ``organisatie``, dbt's source of
that name), so every figure and the report use the configuration the manifest names. A folder
that is incomplete or inconsistent is refused before any work, in one line that names the file
and the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipelines.config import DEFAULT_ORGANISATION_DIR
from pipelines.errors import ExpectedFailure

ORGANISATION_FILE = "organisatie.yml"
LAYOUT_FILE = "rapport.yml"
SEED_FILES = (
    "gemeenten.csv",
    "gemeentecodes.csv",
    "bediende_gebieden.csv",
    "banenafspraak_doelstellingen.csv",
)
# The columns of each table, with their type in the warehouse.
COLUMNS = {
    "gemeenten.csv": {
        "gemeente_code": "varchar",
        "naam": "varchar",
        "slug": "varchar",
        "volgorde": "integer",
        "owms": "varchar",
    },
    "gemeentecodes.csv": {
        "gemeente_code": "varchar",
        "naam": "varchar",
        "geldig_vanaf": "date",
        "geldig_tot": "date",
        "opgegaan_in": "varchar",
    },
    "bediende_gebieden.csv": {
        "gemeente_code": "varchar",
        "naam": "varchar",
        "bediend_vanaf": "date",
        "bediend_tot": "date",
        "toelichting": "varchar",
    },
    "banenafspraak_doelstellingen.csv": {
        "jaar": "integer",
        "doelstelling": "integer",
        "bron": "varchar",
    },
}
SCHEMA = "organisatie"  # in the warehouse
TEXTS = ("naam", "omschrijving", "totaal", "afzender")
MUNICIPAL_CODE = re.compile(r"GM[0-9]{4}")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# The licences data.overheid.nl accepts for open data, with their address and Dutch name.
LICENCES = {
    "CC0-1.0": (
        "http://creativecommons.org/publicdomain/zero/1.0/deed.nl",
        "Creative Commons CC0 1.0 (publiek domein)",
    ),
    "CC-BY-4.0": (
        "http://creativecommons.org/licenses/by/4.0/deed.nl",
        "Creative Commons Naamsvermelding 4.0",
    ),
}


class OrganisationError(ExpectedFailure):
    """The organisation folder is incomplete or inconsistent: nothing can run on it."""

    exit_code = 78  # sysexits EX_CONFIG


@dataclass(frozen=True)
class Organisation:
    """An organisation folder, read and checked."""

    folder: Path
    naam: str
    omschrijving: str
    totaal: str  # the name readers see for TOTAAL, the sum of the members
    afzender: str
    publicatie: dict[str, str]
    gemeenten: tuple[dict[str, str], ...]
    gemeentecodes: tuple[dict[str, str], ...]
    bediende_gebieden: tuple[dict[str, str], ...]
    doelstellingen: tuple[dict[str, str], ...]
    layout: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def member_codes(self) -> list[str]:
        return [g["gemeente_code"] for g in self.gemeenten]

    @property
    def teksten(self) -> dict[str, str]:
        """The organisation's words the templates use."""
        return {
            "organisatie": self.naam,
            "omschrijving": self.omschrijving,
            "totaal": self.totaal,
            "afzender": self.afzender,
        }

    def ended(self) -> list[tuple[str, str]]:
        """(code, last day) of every municipality that was merged into another."""
        return [
            (g["gemeente_code"], g["geldig_tot"]) for g in self.gemeentecodes if g["geldig_tot"]
        ]

    def tables(self) -> dict[str, tuple[dict[str, str], ...]]:
        """Each table of the folder by its file name."""
        return {
            "gemeenten.csv": self.gemeenten,
            "gemeentecodes.csv": self.gemeentecodes,
            "bediende_gebieden.csv": self.bediende_gebieden,
            "banenafspraak_doelstellingen.csv": self.doelstellingen,
        }

    def write_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        """The folder's tables in the warehouse (schema organisatie, typed; empty is null),
        which dbt reads as its source ``organisatie``."""
        con.execute(f"create schema if not exists {SCHEMA}")
        for file, rows in self.tables().items():
            columns = COLUMNS[file]
            table = f"{SCHEMA}.{file.removesuffix('.csv')}"
            con.execute(
                f"create or replace table {table} ("
                + ", ".join(f"{name} {kind}" for name, kind in columns.items())
                + ")"
            )
            if rows:
                con.executemany(
                    f"insert into {table} values ({', '.join('?' for _ in columns)})",
                    [[row[name] or None for name in columns] for row in rows],
                )

    def file_hashes(self) -> dict[str, str]:
        """The SHA-256 of every file of the folder the run reads (for the manifest)."""
        names = [ORGANISATION_FILE, *SEED_FILES, LAYOUT_FILE]
        return {
            name: hashlib.sha256((self.folder / name).read_bytes()).hexdigest()
            for name in names
            if (self.folder / name).is_file()
        }


def refuse(path: Path, problem: str, row: int | None = None) -> OrganisationError:
    where = f"{path}" + (f" row {row}" if row is not None else "")
    return OrganisationError(f"organisation folder: {where}: {problem}")


# -- reading -----------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    """A configuration table: every expected column present, values trimmed."""
    if not path.is_file():
        raise refuse(path, "missing (every organisation folder has it; see docs/organisation.md)")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [(name or "").strip() for name in reader.fieldnames or []]
            missing = [c for c in COLUMNS[path.name] if c not in header]
            if missing:
                raise refuse(path, f"no column {', '.join(missing)} in the header")
            return [
                {(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader
            ]
    except (UnicodeDecodeError, csv.Error) as error:
        raise refuse(path, f"cannot be read as a UTF-8 CSV file ({error})") from None


def read_yaml(path: Path, required: bool = True) -> dict[str, Any]:
    if not path.is_file():
        if not required:
            return {}
        raise refuse(path, "missing (every organisation folder has it; see docs/organisation.md)")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        problem = str(error).replace("\n", " ")
        raise refuse(path, f"cannot be read as YAML ({problem})") from None
    if not isinstance(content, dict):
        raise refuse(path, "must hold a mapping of settings (key: value)")
    return content


def iso_day(path: Path, row: int, column: str, text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(path, f"{column} '{text}' is not a date (YYYY-MM-DD)", row) from None


def whole_number(path: Path, row: int, column: str, text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text):
        raise refuse(path, f"{column} '{text}' is not a whole number", row)
    return int(text)


# -- checking ----------------------------------------------------------------------------------


def check_texts(path: Path, config: dict[str, Any]) -> None:
    for key in TEXTS:
        if not isinstance(config.get(key), str) or not config[key].strip():
            raise refuse(path, f"'{key}' is missing or empty")
    publicatie = config.get("publicatie")
    if not isinstance(publicatie, dict):
        raise refuse(path, "'publicatie' is missing: publisher, licence and contact of open data")
    if not str(publicatie.get("uitgever") or "").startswith("http"):
        raise refuse(path, "publicatie.uitgever must be the publisher's URI (data.overheid.nl)")
    licence = publicatie.get("licentie")
    if licence not in LICENCES:
        raise refuse(path, f"publicatie.licentie {licence!r} is not {' or '.join(LICENCES)}")
    themes = publicatie.get("themas") or []
    if not isinstance(themes, list) or not all(isinstance(t, str) and t for t in themes):
        raise refuse(path, "publicatie.themas must be a list of themes of data.overheid.nl")


def check_members(path: Path, rows: list[dict[str, str]]) -> None:
    if not rows:
        raise refuse(path, "lists no member municipality")
    seen: dict[str, set[str]] = {"gemeente_code": set(), "slug": set(), "volgorde": set()}
    for number, row in enumerate(rows, start=2):
        if not MUNICIPAL_CODE.fullmatch(row["gemeente_code"]):
            raise refuse(
                path, f"'{row['gemeente_code']}' is not a municipal code (GM + 4 digits)", number
            )
        if not row["naam"]:
            raise refuse(path, f"member {row['gemeente_code']} has no name", number)
        if not SLUG.fullmatch(row["slug"]):
            raise refuse(
                path,
                f"slug '{row['slug']}' of {row['naam']} is not lower-case letters, digits and -",
                number,
            )
        whole_number(path, number, "volgorde", row["volgorde"])
        for column, values in seen.items():
            if row[column] in values:
                raise refuse(path, f"{column} '{row[column]}' appears twice", number)
            values.add(row[column])


def check_codes(
    path: Path, rows: list[dict[str, str]], members: list[str], members_file: Path
) -> None:
    codes = {}
    for number, row in enumerate(rows, start=2):
        code = row["gemeente_code"]
        if not MUNICIPAL_CODE.fullmatch(code):
            raise refuse(path, f"'{code}' is not a municipal code (GM + 4 digits)", number)
        if code in codes:
            raise refuse(path, f"{code} appears twice", number)
        if not row["naam"]:
            raise refuse(path, f"{code} has no name", number)
        begin = iso_day(path, number, "geldig_vanaf", row["geldig_vanaf"])
        end = iso_day(path, number, "geldig_tot", row["geldig_tot"])
        if begin and end and end < begin:
            raise refuse(path, f"{code} ends ({end}) before it begins ({begin})", number)
        if row["opgegaan_in"] and not end:
            raise refuse(
                path, f"{code} merged into {row['opgegaan_in']} but has no geldig_tot", number
            )
        codes[code] = number
    for code, number in codes.items():
        row = rows[number - 2]
        target = row["opgegaan_in"]
        if target and target not in codes:
            raise refuse(
                path,
                f"{code} ({row['naam']}) merges into {target}, which is no member "
                f"({members_file.name}) and not in {path.name}",
                number,
            )
        seen = {code}
        while target:  # a chain of mergers must end
            if target in seen:
                raise refuse(path, f"the mergers of {code} go round in a circle", number)
            seen.add(target)
            target = rows[codes[target] - 2]["opgegaan_in"]
    for member in members:
        if member not in codes:
            raise refuse(path, f"member {member} ({members_file.name}) is not in the table")
        row = rows[codes[member] - 2]
        if row["geldig_tot"]:
            raise refuse(
                path,
                f"member {member} merged away on {row['geldig_tot']}: list today's code",
                codes[member],
            )


def check_served(path: Path, rows: list[dict[str, str]], codes: set[str]) -> None:
    seen = set()
    for number, row in enumerate(rows, start=2):
        code = row["gemeente_code"]
        if code not in codes:
            raise refuse(path, f"{code} is not in gemeentecodes.csv", number)
        if code in seen:
            raise refuse(path, f"{code} appears twice", number)
        seen.add(code)
        begin = iso_day(path, number, "bediend_vanaf", row["bediend_vanaf"])
        end = iso_day(path, number, "bediend_tot", row["bediend_tot"])
        if begin is None:
            raise refuse(path, f"{code} has no bediend_vanaf", number)
        if end and end < begin:
            raise refuse(path, f"{code} is served until {end}, before {begin}", number)


def check_targets(path: Path, rows: list[dict[str, str]]) -> None:
    years = set()
    for number, row in enumerate(rows, start=2):
        year = whole_number(path, number, "jaar", row["jaar"])
        whole_number(path, number, "doelstelling", row["doelstelling"])
        if year in years:
            raise refuse(path, f"jaar {year} appears twice", number)
        years.add(year)
        if not row["bron"]:
            raise refuse(path, f"the target of {year} has no source (bron)", number)


# -- the folder --------------------------------------------------------------------------------


@cache
def load(folder: Path = DEFAULT_ORGANISATION_DIR) -> Organisation:
    """The organisation folder, read and checked (raises OrganisationError). Its report layout
    is checked against the catalogue by the report (``layout.check_layout``), which the run's
    checks before any work call."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise OrganisationError(f"organisation folder {folder} is not a folder")
    config = read_yaml(folder / ORGANISATION_FILE)
    check_texts(folder / ORGANISATION_FILE, config)
    members = read_csv(folder / "gemeenten.csv")
    check_members(folder / "gemeenten.csv", members)
    codes = read_csv(folder / "gemeentecodes.csv")
    member_codes = [m["gemeente_code"] for m in members]
    check_codes(folder / "gemeentecodes.csv", codes, member_codes, folder / "gemeenten.csv")
    served = read_csv(folder / "bediende_gebieden.csv")
    check_served(folder / "bediende_gebieden.csv", served, {c["gemeente_code"] for c in codes})
    targets = read_csv(folder / "banenafspraak_doelstellingen.csv")
    check_targets(folder / "banenafspraak_doelstellingen.csv", targets)
    publicatie = {k: v for k, v in config["publicatie"].items() if k != "themas"}
    publicatie = {k: "" if v is None else str(v) for k, v in publicatie.items()}
    publicatie["themas"] = " ".join(config["publicatie"].get("themas") or [])
    return Organisation(
        folder=folder,
        naam=config["naam"].strip(),
        omschrijving=" ".join(config["omschrijving"].split()),
        totaal=config["totaal"].strip(),
        afzender=config["afzender"].strip(),
        publicatie=publicatie,
        gemeenten=tuple(members),
        gemeentecodes=tuple(codes),
        bediende_gebieden=tuple(served),
        doelstellingen=tuple(targets),
        layout=read_yaml(folder / LAYOUT_FILE),
    )
