"""The demo delivery: ten files, deterministic, 2012 through March 2021."""

from __future__ import annotations

import hashlib

import pytest

from demo.generator import build_demo_delivery
from pipelines.intake.contract import FILE_NAMES
from tests.clirun import kerncijfers
from tests.conftest import EXTRA_PEILDATUM
from tests.oracle import Oracle
from tests.test_reference import FIGURES, computed, describe


def digest(folder):
    return {f: hashlib.sha256((folder / f).read_bytes()).hexdigest() for f in FILE_NAMES}


def test_same_seed_same_files(tmp_path, demo_delivery):
    build_demo_delivery(tmp_path / "again", seed=2019)
    assert digest(tmp_path / "again") == digest(demo_delivery)


def test_a_seed_changes_the_records_not_the_figures(tmp_path, demo_delivery):
    """Another seed draws other people and benefits, yet the independent computation of the
    figures (tests/oracle.py) finds every exact published figure in them as well."""
    other = tmp_path / "2021-03-31"
    build_demo_delivery(other, seed=7)
    changed = [f for f in FILE_NAMES if digest(other)[f] != digest(demo_delivery)[f]]
    assert {"personen.csv", "uitkeringen.csv", "inkomsten.csv"} <= set(changed)
    cells = Oracle(other, 2019, [EXTRA_PEILDATUM]).compute()
    exact = [f for f in FIGURES if f["status"] == "exact"]
    differing = [
        f"{describe(f)}: published {f['waarde']}, seed 7 gives {computed(cells, f)}"
        for f in exact
        if computed(cells, f) != f["waarde"]
    ]
    assert len(exact) == 216 and not differing, "\n".join(differing)


def test_the_delivery_spans_2012_to_march_2021(demo_delivery):
    years = set()
    for line in (demo_delivery / "uitkeringen.csv").read_text().splitlines()[1:]:
        begin = line.split(";")[3]
        years.add(int(begin[-4:]))
    assert max(years) == 2021
    assert min(y for y in years if y >= 2012) == 2012
    for name in FILE_NAMES:
        assert (demo_delivery / name).read_text().count("\n") > 1, f"{name} has no rows"


@pytest.mark.parametrize(
    ("arguments", "code", "problem"),
    [
        (["--output-dir", "{tmp}/een-bestand"], 73, "cannot write the demo delivery in"),
        (
            ["--output-dir", "{tmp}/demo", "--exportdatum", "2030-01-01"],
            64,
            "--exportdatum 2030-01-01 lies after the demo's own export date (2021-03-31)",
        ),
    ],
)
def test_the_demo_command_refuses_in_one_line(tmp_path, arguments, code, problem):
    """An output folder that is a file raised a traceback; a later export date than the
    demo's own wrote the default delivery without a word."""
    (tmp_path / "een-bestand").write_text("")
    result = kerncijfers("demo", *(a.format(tmp=tmp_path) for a in arguments), timeout=120)
    assert result.returncode == code
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"kerncijfers: error: {problem}")
    assert not (tmp_path / "demo").exists()
