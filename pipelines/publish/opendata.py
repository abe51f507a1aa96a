"""The open-data release of a run: ``OUT/open-data/``, what may leave the organisation.

- ``kerncijfers.csv``: the rows and columns of the mart plus ``geheim``; a cell that disclosure
  control withholds (``openbaar.geheimhouding``) has an empty ``waarde``;
- the code lists it refers to, as linked tables: ``indicatoren.csv`` (title, unit and the
  definition of every indicator, from the dbt docs), ``gemeenten.csv``, ``categorieen.csv``,
  ``leeftijdsklassen.csv``, ``duurklassen.csv``;
- ``kerncijfers.csv-metadata.json``: W3C CSV on the Web metadata of those tables (datatypes,
  Dutch titles and descriptions from the dbt docs' column meta, keys and foreign keys);
- ``dcat.jsonld``: the dataset in DCAT-AP-DONL, the profile data.overheid.nl harvests.

Who publishes, under which licence and where, is the organisation's configuration: the seed
``publicatie`` (licence overridable per run). Links are relative to the folder unless the
seed gives ``basis_url``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.catalogue import read_seed
from pipelines.compute.disclosure import TABLE as SUPPRESSIONS
from pipelines.organisation import LICENCES, Organisation
from pipelines.publish import exports
from pipelines.publish.csvfiles import write_csv
from pipelines.publish.exports import KEY, ORDER

DATA_NAME = "kerncijfers.csv"
METADATA_NAME = "kerncijfers.csv-metadata.json"
DCAT_NAME = "dcat.jsonld"

# The licences data.overheid.nl lists (waardelijst donl:License) that a release may carry.
THEMES = "http://standaarden.overheid.nl/owms/terms/"
STATUS_AVAILABLE = "http://data.overheid.nl/status/beschikbaar"
ACCESS_PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
LANGUAGE_NL = "http://publications.europa.eu/resource/authority/language/NLD"
FORMAT_CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"
FORMAT_JSON = "http://publications.europa.eu/resource/authority/file-type/JSON"
CSVW_STANDARD = "http://www.w3.org/TR/tabular-metadata/"

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "@language": "nl",
}


class OpenDataError(ValueError):
    """The configuration of the release is not usable (an unknown licence)."""


@dataclass(frozen=True)
class CodeList:
    """A linked table: a seed (or part of one) as a CSV of the release."""

    name: str
    title: str
    columns: list[tuple[str, str, str]]  # (column, CSVW datatype, Dutch title)
    key: list[str]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


CODE_LISTS = [
    CodeList(
        "indicatoren",
        "Indicatoren: titel, eenheid en definitie",
        [
            ("indicator", "string", "Indicator"),
            ("domein", "string", "Domein"),
            ("titel", "string", "Titel"),
            ("eenheid", "string", "Eenheid"),
            ("soort", "string", "Soort (voorraad of stroom)"),
            ("perioden", "string", "Perioden"),
            ("uitsplitsing", "string", "Uitsplitsing"),
            ("definitie", "string", "Definitie"),
        ],
        ["indicator"],
    ),
    CodeList(
        "gemeenten",
        "Gemeenten en het totaal",
        [("gemeente", "string", "Gemeente (CBS-code)"), ("naam", "string", "Naam")],
        ["gemeente"],
    ),
    CodeList(
        "categorieen",
        "Categorieën per indicator",
        [
            ("indicator", "string", "Indicator"),
            ("categorie", "string", "Categorie"),
            ("label", "string", "Omschrijving"),
        ],
        ["indicator", "categorie"],
    ),
    CodeList(
        "leeftijdsklassen",
        "Leeftijdsklassen",
        [
            ("leeftijdsklasse", "string", "Leeftijdsklasse"),
            ("label", "string", "Omschrijving"),
            ("ondergrens", "integer", "Vanaf leeftijd (jaren)"),
            ("bovengrens", "integer", "Tot leeftijd (jaren)"),
        ],
        ["leeftijdsklasse"],
    ),
    CodeList(
        "duurklassen",
        "Klassen van de bijstandsduur",
        [
            ("duurklasse", "string", "Duurklasse"),
            ("label", "string", "Omschrijving"),
            ("ondergrens_maanden", "integer", "Vanaf duur (maanden)"),
            ("bovengrens_maanden", "integer", "Tot duur (maanden)"),
        ],
        ["duurklasse"],
    ),
]

DATATYPES = {"string": "string", "date": "date", "double": "double", "boolean": "boolean"}
COLUMN_TYPES = {
    **{name: "string" for name, _ in KEY},
    "periode_begin": "date",
    "periode_eind": "date",
    "waarde": "double",
    "eenheid": "string",
    "status": "string",
    "reeksbreuk": "boolean",
    "geheim": "boolean",
}
OPEN_COLUMNS = [*exports.COLUMNS, "geheim"]


def settings(organisation: Organisation, licence: str | None = None) -> dict[str, str]:
    """The organisation's configuration of the release (organisatie.yml, publicatie), the
    licence overridden when given."""
    config = {**organisation.publicatie, "organisatie": organisation.naam}
    if licence:
        config["licentie"] = licence
    if config["licentie"] not in LICENCES:
        raise OpenDataError(
            f"unknown licence {config['licentie']!r}: choose {' or '.join(LICENCES)}"
        )
    return config


# -- the data ----------------------------------------------------------------------------------


def open_table_sql() -> str:
    """The mart with the suppressions applied: waarde empty where geheim."""
    key = " and ".join(f"p.{name} is not distinct from k.{name}" for name, _ in KEY)
    figure = [
        c if c != "waarde" else "case when g.geheim then null else k.waarde end as waarde"
        for c in exports.COLUMNS
    ]
    columns = ", ".join(c if " as " in c else f"k.{c}" for c in figure)
    return (
        f"(select {columns}, g.geheim from marts.kerncijfers as k "
        f"join marts.primaire_geheimhouding as p on {key} "
        f"join {SUPPRESSIONS} as g on g.cel = p.cel) as open_data"
    )


def write_data(con: duckdb.DuckDBPyConnection, folder: Path) -> int:
    cursor = con.execute(f"select * from {open_table_sql()} order by {ORDER}")
    names = [d[0] for d in cursor.description]
    return write_csv(
        folder / DATA_NAME,
        names,
        ([exports.format_csv_value(v) for v in row] for row in cursor.fetchall()),
    )


def code_list_rows(
    code_list: CodeList, definitions: dict[str, str], organisation: Organisation
) -> list[list]:
    if code_list.name == "indicatoren":
        return [
            [*(r[c] for c, _t, _l in code_list.columns[:-1]), definitions.get(r["indicator"], "")]
            for r in sorted(read_seed("indicatoren"), key=lambda r: int(r["volgorde"]))
        ]
    if code_list.name == "gemeenten":
        members = [[g["gemeente_code"], g["naam"]] for g in organisation.gemeenten]
        return [*members, ["TOTAAL", organisation.totaal]]
    seed = "indicator_categorieen" if code_list.name == "categorieen" else code_list.name
    return [[r[c] or None for c, _t, _l in code_list.columns] for r in read_seed(seed)]


def plain_text(markdown: str) -> str:
    """A dbt doc block as one line of plain text: no bold or italic markers."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", " ".join(markdown.split()))
    return re.sub(r"\*(.+?)\*", r"\1", text)


# -- the metadata ------------------------------------------------------------------------------


def column_docs(dbt_manifest: dict) -> dict[str, dict[str, str]]:
    """The Dutch title and description of each column of the release (dbt column meta)."""
    docs: dict[str, dict[str, str]] = {}
    for model in ("kerncijfers", "primaire_geheimhouding"):
        node = dbt_manifest["nodes"][f"model.kerncijfers.{model}"]
        for name, column in node["columns"].items():
            meta = column.get("meta") or column.get("config", {}).get("meta") or {}
            if "titel" in meta:
                docs.setdefault(name, meta)
    return docs


def enumeration(values: list[str]) -> dict:
    return {"base": "string", "format": "|".join(re.escape(v) for v in values)}


def csvw_metadata(dbt_manifest: dict, config: dict[str, str], title: str) -> dict:
    docs = column_docs(dbt_manifest)
    licence_uri, _label = LICENCES[config["licentie"]]
    seeds = {
        "categorie": sorted({r["categorie"] for r in read_seed("indicator_categorieen")}),
        "leeftijdsklasse": [r["leeftijdsklasse"] for r in read_seed("leeftijdsklassen")],
        "duurklasse": [r["duurklasse"] for r in read_seed("duurklassen")],
        "status": ["voorlopig", "definitief"],
    }
    columns = []
    for name in OPEN_COLUMNS:
        kind = COLUMN_TYPES[name]
        datatype: object = DATATYPES[kind]
        if name in seeds:
            datatype = enumeration(seeds[name])
        elif kind == "boolean":
            datatype = {"base": "boolean", "format": "true|false"}
        column = {
            "name": name,
            "titles": docs[name]["titel"],
            "dc:description": docs[name]["omschrijving"],
            "datatype": datatype,
            "required": name
            in (
                "indicator",
                "gemeente",
                "periode_eind",
                "eenheid",
                "status",
                "reeksbreuk",
                "geheim",
            ),
        }
        columns.append(column)
    tables = [
        {
            "url": DATA_NAME,
            "dc:title": title,
            "dc:description": (
                "Kerncijfers per indicator, gemeente en periode of peildatum. Cijfers over te "
                "weinig mensen zijn geheim gehouden: waarde leeg, geheim true; in tabellen "
                "weergegeven als een punt (.)."
            ),
            "tableSchema": {
                "columns": columns,
                "foreignKeys": [
                    {
                        "columnReference": "indicator",
                        "reference": {
                            "resource": "indicatoren.csv",
                            "columnReference": "indicator",
                        },
                    },
                    {
                        "columnReference": "gemeente",
                        "reference": {"resource": "gemeenten.csv", "columnReference": "gemeente"},
                    },
                ],
            },
        }
    ]
    for code_list in CODE_LISTS:
        tables.append(
            {
                "url": code_list.file,
                "dc:title": code_list.title,
                "tableSchema": {
                    "columns": [
                        {
                            "name": name,
                            "titles": label,
                            "datatype": kind,
                            "required": name in code_list.key,
                        }
                        for name, kind, label in code_list.columns
                    ],
                    "primaryKey": code_list.key,
                },
            }
        )
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "nl"}],
        "dc:title": title,
        "dc:publisher": config["organisatie"],
        "dc:license": {"@id": licence_uri},
        "dialect": {"header": True, "encoding": "utf-8", "delimiter": ","},
        "tables": tables,
    }


def link(config: dict[str, str], name: str) -> str:
    return config.get("basis_url", "").rstrip("/") + "/" + name if config.get("basis_url") else name


def dcat(
    config: dict[str, str],
    gemeenten: Sequence[dict[str, str]],
    title: str,
    description: str,
    temporal: tuple[dt.date, dt.date],
    run: dict[str, str],
    sizes: dict[str, int],
) -> dict:
    licence_uri, _label = LICENCES[config["licentie"]]
    identifier = link(config, DCAT_NAME) + "#kerncijfers"

    def distribution(name: str, dist_title: str, text: str, fmt: str, media: str) -> dict:
        return {
            "@id": link(config, name),
            "@type": "dcat:Distribution",
            "dct:title": dist_title,
            "dct:description": text,
            "dcat:accessURL": {"@id": link(config, name)},
            "dcat:downloadURL": {"@id": link(config, name)},
            "dct:format": {"@id": fmt},
            "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{media}"},
            "dct:license": {"@id": licence_uri},
            "dct:language": {"@id": LANGUAGE_NL},
            "dcat:byteSize": {"@value": str(sizes[name]), "@type": "xsd:decimal"},
            "foaf:page": {"@id": link(config, "indicatoren.csv")},
        }

    return {
        "@context": DCAT_CONTEXT,
        "@id": identifier,
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": title,
        "dct:description": description,
        "dct:publisher": {"@id": config["uitgever"]},
        "dct:creator": {"@id": config["uitgever"]},
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": config["organisatie"],
            **(
                {"vcard:hasURL": {"@id": config["contact_website"]}}
                if config.get("contact_website")
                else {}
            ),
            **(
                {"vcard:hasEmail": {"@id": "mailto:" + config["contact_email"]}}
                if config.get("contact_email")
                else {}
            ),
        },
        "dct:license": {"@id": licence_uri},
        "dct:language": {"@id": LANGUAGE_NL},
        "dct:accessRights": {"@id": ACCESS_PUBLIC},
        "adms:status": {"@id": STATUS_AVAILABLE},
        "dcat:theme": [{"@id": THEMES + t} for t in config["themas"].split()],
        "dcat:keyword": [
            "bijstand",
            "Participatiewet",
            "sociale werkvoorziening",
            "minimaregelingen",
            "schulddienstverlening",
            "kerncijfers",
        ],
        "dct:spatial": [{"@id": g["owms"]} for g in gemeenten if g.get("owms")],
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": temporal[0].isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": temporal[1].isoformat(), "@type": "xsd:date"},
        },
        "dct:modified": {"@value": run["datum"], "@type": "xsd:date"},
        "dct:accrualPeriodicity": {
            "@id": "http://publications.europa.eu/resource/authority/frequency/ANNUAL_3"
        },
        "adms:versionNotes": f"Berekening {run['run_id']} op de levering van {run['exportdatum']}.",
        "dct:conformsTo": {"@id": CSVW_STANDARD},
        "foaf:page": {"@id": link(config, "indicatoren.csv")},
        "dcat:distribution": [
            distribution(
                DATA_NAME,
                title,
                "De kerncijfers, met geheimhouding van kleine aantallen.",
                FORMAT_CSV,
                "text/csv",
            ),
            distribution(
                METADATA_NAME,
                "Beschrijving van de tabellen (CSV on the Web)",
                "Kolommen, datatypen en codelijsten van kerncijfers.csv, volgens W3C CSVW.",
                FORMAT_JSON,
                "application/csvm+json",
            ),
            distribution(
                "indicatoren.csv",
                "Definities van de indicatoren",
                "Titel, eenheid, soort en de volledige definitie van elke indicator.",
                FORMAT_CSV,
                "text/csv",
            ),
        ],
    }


# -- the release -------------------------------------------------------------------------------


def write_release(
    warehouse: Path,
    folder: Path,
    dbt_manifest_path: Path,
    run: dict[str, str],
    organisation: Organisation,
    licence: str | None = None,
) -> list[Path]:
    """Write open-data/: the protected table, its code lists and both metadata files."""
    config = settings(organisation, licence)
    folder.mkdir(parents=True, exist_ok=True)
    dbt_manifest = json.loads(dbt_manifest_path.read_text())
    definitions = {
        (node.get("config", {}).get("meta") or {}).get("indicator"): plain_text(node["description"])
        for node in dbt_manifest["nodes"].values()
        if node["resource_type"] == "model"
        and (node.get("config", {}).get("meta") or {}).get("indicator")
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_data(con, folder)
        first, last = con.execute(
            "select min(coalesce(periode_begin, periode_eind)), max(periode_eind) "
            "from marts.kerncijfers"
        ).fetchone()
    for code_list in CODE_LISTS:
        write_csv(
            folder / code_list.file,
            [c for c, _t, _l in code_list.columns],
            code_list_rows(code_list, definitions, organisation),
        )
    title = f"Kerncijfers Werk en Inkomen {config['organisatie']}"
    (folder / METADATA_NAME).write_text(
        json.dumps(csvw_metadata(dbt_manifest, config, title), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    description = (
        f"{organisation.omschrijving} Deze dataset bevat de kerncijfers die {organisation.naam} "
        "daarover publiceert, per gemeente en voor het totaal: bijstand, sociale werkvoorziening "
        "en Nieuw beschut, banenafspraak, schulddienstverlening, minimaregelingen, BUIG en Tozo. "
        "Cijfers over minder dan vijf personen zijn geheim gehouden."
    )
    (folder / DCAT_NAME).write_text(
        json.dumps(
            dcat(config, organisation.gemeenten, title, description, (first, last), run, sizes),
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return sorted(folder.iterdir())
