"""The documentation is a site built from the repository, offline and strictly: a broken link
or a missing page fails; the reference pages are generated from the code, so they cannot
drift; the README is a map, not a manual; the dbt docs open on the project's own overview."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pipelines.catalogue import catalogue
from pipelines.config import PROJECT_ROOT
from pipelines.intake.contract import EXTRACTS

MKDOCS = Path(sys.executable).parent / "mkdocs"


def test_the_site_builds_strictly_from_the_code(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    contract = (site / "reference" / "contract.html").read_text(encoding="utf-8")
    for extract in EXTRACTS:
        assert extract.file in contract
        for column in extract.columns:
            assert f"<code>{column.name}</code>" in contract, (extract.file, column.name)
    definitions = (site / "reference" / "definitions.html").read_text(encoding="utf-8")
    for indicator, row in catalogue().items():
        assert f"<code>{indicator}</code>" in definitions and row["titel"] in definitions
    assert "(no definition" not in definitions
    # Offline: nothing a page loads comes from elsewhere.
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", html), page


def test_the_readme_is_a_map():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        assert (PROJECT_ROOT / link).exists(), link


def test_the_dbt_docs_open_on_the_overview_in_dutch(demo_run):
    docs = next((demo_run / "audit").glob("*/dbt-docs.html")).read_text(encoding="utf-8")
    assert "Kerncijfers Werk en Inkomen" in docs
    assert "Zo lees je deze site" in docs
