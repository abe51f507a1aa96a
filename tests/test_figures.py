"""Every cell of the published mart equals an independent computation of the definitions.

The oracle (tests/oracle.py) reads the delivery's CSV files with plain Python and applies the
definitions literally. It is compared with the mart of real flow runs: on the demo delivery
and on random deliveries dense with edge cases that neither has seen before. On the same
random deliveries the open data is checked to protect small groups exactly
(tests/disclosure_check.py). These runs do not render the report: it shows the same mart, and
the runs of the other tests render it from random deliveries of the same kind.
"""

from __future__ import annotations

import pytest

from tests.compare import differences, published_cells
from tests.conftest import EXTRA_PEILDATUM, run_pipeline
from tests.deliveries import build_edge_delivery
from tests.disclosure_check import assert_open_data_protected
from tests.oracle import Oracle

pytestmark = pytest.mark.slow  # runs the whole pipeline


def assert_mart_matches_oracle(raw_dir, output_dir, jaar=2019, extra=(EXTRA_PEILDATUM,)):
    oracle = Oracle(raw_dir, jaar, list(extra))
    expected = oracle.compute()
    published = published_cells(output_dir / "marts" / "kerncijfers.parquet")
    problems = differences(expected, oracle.units, published)
    assert not problems, f"{len(problems)} cell(s) differ:\n" + "\n".join(problems[:50])


def test_demo_mart_matches_the_definitions(demo_delivery, demo_run):
    assert_mart_matches_oracle(demo_delivery, demo_run)


@pytest.mark.parametrize("seed", [11, 12])
def test_edge_delivery_matches_the_definitions(seed, tmp_path):
    raw = build_edge_delivery(tmp_path / "raw", seed)
    manifest = run_pipeline(raw, tmp_path / "out", render_report=False)
    assert all(f["rejected"] == 0 for f in manifest["files"].values())
    assert_mart_matches_oracle(raw, tmp_path / "out")
    # The open data of a small delivery dense with edge cases: many small cells, few
    # beneficiaries per scheme; still nothing small published and nothing derivable.
    checked = assert_open_data_protected(raw, tmp_path / "out")
    assert checked["withheld"] > 0 and checked["magnitude"] > 0


def test_other_report_year_and_extra_dates(tmp_path):
    raw = build_edge_delivery(tmp_path / "raw", 13)
    extra = ()
    run_pipeline(raw, tmp_path / "out", jaar=2020, extra=extra, render_report=False)
    assert_mart_matches_oracle(raw, tmp_path / "out", jaar=2020, extra=extra)
    assert_open_data_protected(raw, tmp_path / "out")
