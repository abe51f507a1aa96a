"""The catalogue as Python reads it: straight from the dbt seeds, the one place it is defined.

Indicators (unit, stock or flow, breakdown, Dutch title), their categories with Dutch labels,
the classes and the calendar. dbt loads the same files into ``referentie.*``. What belongs to
an organisation (its municipalities, targets, texts) is in its folder (``organisation``).
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from typing import Any

import yaml

from pipelines.config import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def load_yaml(text: str) -> Any:
    """A YAML document, parsed safely by libyaml when PyYAML has it (an order of magnitude
    faster than PyYAML's own parser on the reference file, which a run reads)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def dbt_vars() -> dict[str, Any]:
    """The dbt project's vars (the 30 days, the full-time week, the disclosure thresholds,
    ...): the one place they are set."""
    project = load_yaml((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project.get("vars", {})


@cache
def read_seed(name: str) -> tuple[dict[str, str], ...]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def catalogue() -> dict[str, dict[str, str]]:
    """Every indicator by id."""
    return {row["indicator"]: row for row in read_seed("indicatoren")}


def categories(indicator: str) -> list[str]:
    return [
        r["categorie"] for r in read_seed("indicator_categorieen") if r["indicator"] == indicator
    ]


def unit_overrides() -> dict[tuple[str, str], str]:
    return {
        (row["indicator"], row["categorie"]): row["eenheid"]
        for row in read_seed("indicator_categorieen")
        if row["eenheid"]
    }


def regional() -> list[str]:
    """The indicators given for the region only (TOTAAL), such as a target."""
    return [i for i, row in catalogue().items() if row["gebied"] == "regio"]


def indicator_model(indicator: str) -> str:
    """The dbt model that computes an indicator: its id with the domain's dot as an
    underscore (indicator <domein>.<naam>: model <domein>_<naam>)."""
    return indicator.replace(".", "_")


def indicator_models() -> list[str]:
    """The models of every indicator of the catalogue, whose rows make up ``kerncijfers``."""
    return [indicator_model(i) for i in catalogue()]


def tertial_ends(year: int) -> list[dt.date]:
    """The ends of the year's tertials (seed tertialen): 30 April, 31 August, 31 December."""
    return [dt.date(year, int(t["eind_maand"]), int(t["eind_dag"])) for t in read_seed("tertialen")]
