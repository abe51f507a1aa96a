"""The demo delivery: all eleven extracts, deterministic for a given seed.

Each domain has its own generator; all of them build records to match the published figures
of the reference file (data/reference/jaarverslag-2019.yaml) and never write a figure.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from pathlib import Path

from demo.banenafspraak import banenafspraak_tables
from demo.bijstand import bijstand_tables
from demo.buig import buig_tables
from demo.common import LAST_DAY, Ids
from demo.minima import minima_tables
from demo.schuldhulp import schuldhulp_tables
from demo.sw import sw_tables
from demo.targets import read_targets
from demo.tozo import tozo_tables
from demo.vintage import as_known_on, with_codes_of_their_time
from demo.writer import write_delivery

log = logging.getLogger(__name__)
DOMAINS = (
    bijstand_tables,
    sw_tables,
    schuldhulp_tables,
    minima_tables,
    buig_tables,
    tozo_tables,
    banenafspraak_tables,
)


def build_demo_delivery(
    folder: Path, seed: int = 2019, exportdatum: dt.date | None = None
) -> dict[str, int]:
    """Write the demo delivery to `folder`; return the number of rows per file. Records that
    ended before 2019 carry the code of their municipality then; with `exportdatum`, the
    delivery is as the systems knew it on that (earlier) day."""
    targets = read_targets()
    rng = random.Random(seed)
    ids = Ids(rng)
    tables: dict[str, list[dict[str, object]]] = {}
    for domain in DOMAINS:
        tables.update(domain(rng, targets, ids))
    with_codes_of_their_time(tables)
    if exportdatum is not None and exportdatum < LAST_DAY:
        tables = as_known_on(tables, exportdatum, seed)
    return write_delivery(folder, tables)
