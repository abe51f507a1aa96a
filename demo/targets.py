"""The published figures the demo delivery is built to reproduce.

Read from the reference file in the repository (data/reference/jaarverslag-2019.yaml). The
generator uses them as targets when it *builds records*; the figures themselves are always
computed by the dbt models from those records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.config import REFERENCE_DIR
from pipelines.intake.reference import read_reference

REFERENCE_FILE = REFERENCE_DIR / "jaarverslag-2019.yaml"


@dataclass
class Targets:
    """Reference figures by indicator: {indicator: {(gemeente, begin, eind, categorie, leeftijd,
    duurklassen): waarde}}, with the status of each."""

    figures: dict[str, dict[tuple, float]] = field(default_factory=lambda: defaultdict(dict))
    status: dict[tuple, str] = field(default_factory=dict)

    def get(
        self,
        indicator: str,
        gemeente: str,
        eind: dt.date,
        categorie: str | None = None,
        begin: dt.date | None = None,
    ) -> float | None:
        for key, value in self.figures[indicator].items():
            if key[:4] == (gemeente, begin, eind, categorie):
                return value
        return None

    def by(self, indicator: str, status: str = "exact") -> dict[tuple, float]:
        return {
            key: value
            for key, value in self.figures[indicator].items()
            if self.status[(indicator, *key)] == status
        }


def read_targets(path: Path = REFERENCE_FILE) -> Targets:
    targets = Targets()
    for row in read_reference(path):
        key = (
            row["gemeente"],
            row["periode_begin"],
            row["periode_eind"],
            row["categorie"],
            row["leeftijdsklasse"],
            tuple(row["duurklassen"]) if row["duurklassen"] else None,
        )
        targets.figures[row["indicator"]][key] = row["waarde"]
        targets.status[(row["indicator"], *key)] = row["status"]
    return targets


def apportion(total: int, weights: dict[object, float]) -> dict[object, int]:
    """Split a whole total over cells in proportion to weights (largest remainder)."""
    scale = total / sum(weights.values())
    exact = {k: w * scale for k, w in weights.items()}
    result = {k: int(v) for k, v in exact.items()}
    short = total - sum(result.values())
    for k in sorted(exact, key=lambda k: (exact[k] - result[k], str(k)), reverse=True)[:short]:
        result[k] += 1
    return result
