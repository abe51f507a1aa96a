"""The audit trail of a run, and what the Prefect UI shows of it."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from schemas.kerncijfers import catalogue
from tests.clirun import kerncijfers

pytestmark = pytest.mark.slow  # runs the whole pipeline


def test_version_names_the_code_the_manifest_records(demo_manifest):
    """``kerncijfers --version`` names the commit an auditor finds in the run's manifest (and
    in its verantwoording), so the code that made a publication can be told from another."""
    result = kerncijfers("--version", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"kerncijfers {demo_manifest['versions']['kerncijfers']} "
        f"(code {demo_manifest['code_revision']})"
    )


def audit_dir(demo_run, demo_manifest):
    folder = demo_run / demo_manifest["audit"]
    assert folder.is_dir()
    return folder


def test_the_trail_holds_inputs_checks_and_outputs(demo_run, demo_manifest):
    folder = audit_dir(demo_run, demo_manifest)
    for name in (
        "index.html",
        "manifest.json",
        "bestanden.csv",
        "afgekeurde_rijen.csv",
        "pandera.json",
        "reconciliatie.csv",
        "dekking.csv",
        "geheimhouding.csv",
        "lineage.json",
        "dbt/run_results.json",
        "dbt-docs.html",
    ):
        assert (folder / name).is_file(), name
    assert json.loads((folder / "manifest.json").read_text()) == demo_manifest
    assert demo_manifest["code_revision"]
    # The run's recorded end comes after its report: the PDFs, the last thing it renders.
    finished = dt.datetime.fromisoformat(demo_manifest["finished"]) + dt.timedelta(seconds=1)
    newest_pdf = max(p.stat().st_mtime for p in (demo_run / "rapport").glob("*.pdf"))
    assert finished.timestamp() >= newest_pdf, "the manifest says the run ended before its report"
    with (folder / "bestanden.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["sha256"] for r in rows} == set(demo_manifest["hashes"].values())
    assert all(check["passed"] for check in json.loads((folder / "pandera.json").read_text()))
    results = json.loads((folder / "dbt" / "run_results.json").read_text())["results"]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert kinds == {"seed", "model", "test"}  # unit tests check the code: make test runs them
    assert all(r["status"] in ("success", "pass") for r in results)
    with (folder / "reconciliatie.csv").open() as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 230
    with (folder / "geheimhouding.csv").open() as handle:
        reasons = [r["reden"] for r in csv.DictReader(handle)]
    assert len(reasons) == demo_manifest["geheimhouding"]["geheim"]
    assert (
        reasons.count("klein_aantal") == demo_manifest["geheimhouding"]["per_reden"]["klein_aantal"]
    )
    docs = (folder / "dbt-docs.html").read_text()
    assert "model.kerncijfers.int_bijstand_perioden" in docs  # lineage and definitions inside
    assert "Aaneengesloten bijstandsperiode" in docs


def test_every_indicator_traces_to_definition_inputs_and_checks(demo_run, demo_manifest):
    folder = audit_dir(demo_run, demo_manifest)
    lineage = {e["indicator"]: e for e in json.loads((folder / "lineage.json").read_text())}
    assert set(lineage) == set(catalogue())
    personen = lineage["bijstand.personen_naar_leeftijd_duur"]
    assert "Personen in de bijstand op de peildatum" in personen["definition"]
    assert {"uitkeringen", "uitkering_personen", "personen"} <= set(personen["sources"])
    assert "int_bijstand_perioden" in personen["computed_from"]
    assert personen["tests"] and all(status == "pass" for status in personen["tests"].values())
    # The cube's tests run once, on the published table that holds every indicator's rows.
    cube = ["volledige_kubus", "totaal_is_som_van_gemeenten", "aantallen_zijn_gehele_getallen"]
    for test in cube:
        assert any(t.startswith(f"{test}_kerncijfers_") for t in personen["tests"]), test
    gap_rule = "int_bijstand_perioden.aaneengesloten_periode_gat_van_30_en_31_dagen"
    assert gap_rule in personen["unit_tests"]
    index = (folder / "index.html").read_text()
    for indicator in catalogue():
        assert f"<code>{indicator}</code>" in index


def test_set_aside_rows_are_in_the_trail_with_their_reasons(tmp_path):
    from tests.conftest import run_pipeline
    from tests.deliveries import build_edge_delivery

    raw = build_edge_delivery(tmp_path / "raw", 41)
    with (raw / "uitkeringen.csv").open("a") as handle:
        handle.write("u-kapot;PW;GM0512;31-02-2019;;\n")
    manifest = run_pipeline(raw, tmp_path / "out", render_report=False)
    with (tmp_path / "out" / manifest["audit"] / "afgekeurde_rijen.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["bestand"] for r in rows] == ["uitkeringen.csv"]
    assert "begindatum '31-02-2019' is not a date" in rows[0]["reden"]
    assert manifest["files"]["uitkeringen.csv"]["rejected"] == 1


def test_prefect_artifacts_show_validation_and_reconciliation(demo_run, demo_manifest):
    keys = ["kerncijfers-validatie", "kerncijfers-bestanden", "kerncijfers-reconciliatie"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    found = {a.key: a for a in artifacts}
    assert set(found) == set(keys)
    validatie = [a for a in artifacts if a.key == "kerncijfers-validatie"]
    assert any(demo_manifest["run_id"] in a.data for a in validatie)
    assert any("216 of 216" in a.data for a in validatie)
