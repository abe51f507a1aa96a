"""The demo delivery: all ten extracts, deterministic for a given seed."""

from __future__ import annotations

import logging
import random
from pathlib import Path

from pipelines.demo.bijstand import bijstand_tables
from pipelines.demo.targets import read_targets
from pipelines.demo.writer import write_delivery

log = logging.getLogger(__name__)


def build_demo_delivery(folder: Path, seed: int = 2019) -> dict[str, int]:
    """Write the demo delivery to `folder`; return the number of rows per file."""
    targets = read_targets()
    rng = random.Random(seed)
    tables = bijstand_tables(rng, targets)
    return write_delivery(folder, tables)
