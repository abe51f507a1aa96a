"""Disclosure control of the open data: which cells of ``kerncijfers`` are not published.

dbt decides the *primary* suppressions (``marts.primaire_geheimhouding``: a count of 1 to 4, a
euro cell of few beneficiaries or one dominant one) and lists the sets of cells that add up to
a published figure (``marts.optelverbanden``). This module adds the *secondary* suppressions, so
that no suppressed cell can be recovered from the published ones:

1. in every set, no cell or at least two cells are unknown: where a suppressed cell is the only
   one, the cheapest other cell of the set is suppressed too (cost: a cell that is the total
   of a set costs more than a part, a zero more than a non-zero — a zero protects little —
   then the smaller value first, so that the least is lost);
2. then an exact check over all sets at once: each set is an equation (total − parts = 0); the
   published cells are known, the suppressed ones unknown. A suppressed cell is derivable when
   its unit vector lies in the row space of the equations in the unknowns, which Gaussian
   elimination over the rationals decides exactly. A derivable cell gets one more cell
   suppressed beside it (the cheapest in its sets, or in the sets next to those), and the steps
   repeat until no suppressed cell is derivable.

Besides the published cells, the sets hold groups a reader could compute by adding or
subtracting published cells without any cell that shows them (``marts.afgeleide_cellen``: a
year's outflow over its categories, who came back within 12 months, who left a cohort between
its first and third year). They are never published, so always unknown; the primary rules
still apply to them: such a group of 1 to 4 is protected like a suppressed cell, and so is
never derivable.

The result is written to the warehouse as ``openbaar.geheimhouding`` (one row per published
cell: geheim and the reason), which the open-data export and the protected report read.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.catalogue import dbt_vars

log = logging.getLogger(__name__)

SECONDARY = "secundair"
SCHEMA = "openbaar"
TABLE = f"{SCHEMA}.geheimhouding"
RULE_VARS = (
    "geheimhouding_minimum_aantal",
    "geheimhouding_minimum_begunstigden",
    "geheimhouding_dominantie",
)


class DisclosureError(RuntimeError):
    """Secondary suppression did not reach a protected table (a bug, not a delivery problem)."""


@dataclass(frozen=True)
class AdditiveSet:
    """Cells that add up: total = sum(parts)."""

    name: str
    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)

    def equation(self) -> dict[str, int]:
        coefficients = {self.total: 1}
        for part in self.parts:
            coefficients[part] = coefficients.get(part, 0) - 1
        return coefficients


@dataclass
class Protection:
    """Which cells are not published, and why (a primary rule's reason or 'secundair')."""

    cells: int
    suppressed: dict[str, str] = field(default_factory=dict)
    rounds: int = 0
    groups: int = 0  # groups of 1 to 4 that no cell shows, kept underivable

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.suppressed.values()).items()))


# -- the exact check ------------------------------------------------------------------------


def derivable(unknown: Iterable[str], sets: Iterable[AdditiveSet]) -> set[str]:
    """The unknown cells whose value follows exactly from the sets and the known cells.

    Keeps the equations, restricted to the unknowns, in reduced row echelon form: every pivot
    appears in its own row only. An unknown is determined iff it is a pivot whose row holds
    nothing else (then that row says: unknown = a known number); an unknown that is no pivot,
    or whose row holds other unknowns, can take other values.
    """
    unknown = set(unknown)
    rows: dict[str, dict[str, Fraction]] = {}  # pivot -> row
    holding: dict[str, set[str]] = {}  # unknown -> pivots whose row holds it
    for equation in sorted(
        ({c: v for c, v in s.equation().items() if c in unknown and v} for s in sets),
        key=lambda e: sorted(e),
    ):
        row = {c: Fraction(v) for c, v in equation.items()}
        for pivot in [c for c in row if c in rows]:
            factor = row.get(pivot)
            if factor:
                _add(row, rows[pivot], -factor)
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {c: v / scale for c, v in row.items()}
        for other in list(holding.get(pivot, ())):
            other_row = rows[other]
            factor = other_row.get(pivot)
            if factor:
                _add(other_row, row, -factor, holding, other)
        rows[pivot] = row
        for c in row:
            holding.setdefault(c, set()).add(pivot)
    return {pivot for pivot, row in rows.items() if len(row) == 1}


def _add(
    target: dict[str, Fraction],
    source: Mapping[str, Fraction],
    factor: Fraction,
    holding: dict[str, set[str]] | None = None,
    target_pivot: str | None = None,
) -> None:
    """target += factor * source, dropping zeros (and keeping the index of who holds what)."""
    for cell, value in source.items():
        new = target.get(cell, Fraction(0)) + factor * value
        if new:
            target[cell] = new
            if holding is not None:
                holding.setdefault(cell, set()).add(target_pivot)
        elif cell in target:
            del target[cell]
            if holding is not None:
                holding.get(cell, set()).discard(target_pivot)


# -- secondary suppression ------------------------------------------------------------------


def protect(
    values: Mapping[str, float],
    primary: Mapping[str, str],
    sets: Sequence[AdditiveSet],
    groups: Mapping[str, str | None] | None = None,
) -> Protection:
    """Primary suppressions plus the secondary ones that make every suppressed cell, and
    every protected group, underivable. `groups`: the groups that are never published (cell
    key: the primary reason that protects it, or None)."""
    groups = groups or {}
    protection = Protection(cells=len(values), suppressed=dict(primary))
    suppressed = protection.suppressed
    protected_groups = {cell for cell, reason in groups.items() if reason}
    protection.groups = len(protected_groups)
    membership: dict[str, list[int]] = {}
    totals: Counter[str] = Counter()
    for i, s in enumerate(sets):
        totals[s.total] += 1
        for cell in s.cells:
            membership.setdefault(cell, []).append(i)

    def cost(cell: str) -> tuple:
        value = abs(values.get(cell, 0.0))
        return (totals[cell], value == 0, value, cell)

    def cheapest(cells: Iterable[str]) -> str | None:
        free = [c for c in cells if c not in suppressed and c not in groups]
        return min(free, key=cost) if free else None

    for protection.rounds in range(1, len(values) + 2):
        # 1. no set whose one unknown cell is protected
        pending = set(range(len(sets)))
        while pending:
            i = min(pending)  # in a fixed order: the same delivery, the same suppressions
            pending.remove(i)
            cells = sets[i].cells
            unknown = [c for c in cells if c in suppressed or c in groups]
            if len(unknown) == 1 and (unknown[0] in suppressed or unknown[0] in protected_groups):
                extra = cheapest(cells)
                if extra is not None:
                    suppressed[extra] = SECONDARY
                    pending.update(membership[extra])
        # 2. the exact check
        exposed = derivable([*suppressed, *groups], sets) & (suppressed.keys() | protected_groups)
        if not exposed:
            return protection
        for cell in sorted(exposed):
            extra = _nearest_free(cell, sets, membership, suppressed, cheapest)
            if extra is None:
                raise DisclosureError(f"cell {cell} is derivable and nothing is left to suppress")
            suppressed[extra] = SECONDARY
    raise DisclosureError("secondary suppression did not converge")


def _nearest_free(cell, sets, membership, suppressed, cheapest) -> str | None:
    """The cheapest published cell in the sets of `cell`, or else of the sets next to those."""
    seen_sets: set[int] = set()
    frontier = {cell}
    seen_cells = set(frontier)
    while frontier:
        ring = {i for c in frontier for i in membership.get(c, ())} - seen_sets
        if not ring:
            return None
        seen_sets |= ring
        cells = {c for i in ring for c in sets[i].cells}
        extra = cheapest(cells)
        if extra is not None:
            return extra
        frontier = cells - seen_cells
        seen_cells |= cells
    return None


# -- the warehouse --------------------------------------------------------------------------


def rules() -> dict[str, object]:
    """The thresholds of the primary rules (dbt vars)."""
    return {name: dbt_vars()[name] for name in RULE_VARS}


def read_inputs(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, float], dict[str, str], list[AdditiveSet], dict[str, str | None]]:
    values: dict[str, float] = {}
    primary: dict[str, str] = {}
    for cel, waarde, reden in con.execute(
        "select cel, waarde, reden from marts.primaire_geheimhouding"
    ).fetchall():
        values[cel] = waarde
        if reden:
            primary[cel] = reden
    members: dict[str, tuple[str, str | None, list[str]]] = {}
    for verband, optelling, rol, cel in con.execute(
        "select verband, optelling, rol, cel from marts.optelverbanden order by verband, cel"
    ).fetchall():
        name, total, parts = members.setdefault(verband, (optelling, None, []))
        if rol == "totaal":
            members[verband] = (name, cel, parts)
        else:
            parts.append(cel)
    sets = [AdditiveSet(name, total, tuple(parts)) for name, total, parts in members.values()]
    groups = dict(con.execute("select cel, reden from marts.afgeleide_cellen").fetchall())
    return values, primary, sets, groups


def protect_warehouse(warehouse: Path) -> Protection:
    """Decide the suppressions and write ``openbaar.geheimhouding``."""
    with duckdb.connect(str(warehouse)) as con:
        values, primary, sets, groups = read_inputs(con)
        protection = protect(values, primary, sets, groups)
        cells = list(values)
        decided = pa.table(
            {
                "cel": pa.array(cells, pa.string()),
                "geheim": pa.array([c in protection.suppressed for c in cells], pa.bool_()),
                "reden": pa.array([protection.suppressed.get(c) for c in cells], pa.string()),
            }
        )
        con.execute(f"create schema if not exists {SCHEMA}")
        con.register("decided", decided)
        con.execute(f"create or replace table {TABLE} as select * from decided")
        con.unregister("decided")
    log.debug(  # the flow says how many cells are withheld, and why
        "disclosure control: %d of %d cells suppressed (%s) in %d round(s)",
        len(protection.suppressed),
        protection.cells,
        ", ".join(f"{n} {reason}" for reason, n in protection.counts().items()) or "none",
        protection.rounds,
    )
    return protection


def summary(protection: Protection) -> dict[str, object]:
    """What the manifest, the verantwoording and the Prefect artifact say."""
    return {
        "regels": rules(),
        "cellen": protection.cells,
        "geheim": len(protection.suppressed),
        "per_reden": protection.counts(),
        "beschermde_groepen": protection.groups,
    }


REASONS = {
    "klein_aantal": "aantal van 1 tot en met {min_aantal}",
    "weinig_begunstigden": "bedrag van minder dan {min_begunstigden} begunstigden",
    "dominante_begunstigde": "bedrag waarvan één begunstigde meer dan {dominantie} ontving",
    SECONDARY: "secundair: zou een geheim cijfer terug laten rekenen",
}


def reason_texts(thresholds: Mapping[str, object]) -> dict[str, str]:
    """The reasons in words, with the thresholds in force."""
    words = {
        "min_aantal": int(thresholds["geheimhouding_minimum_aantal"]) - 1,
        "min_begunstigden": thresholds["geheimhouding_minimum_begunstigden"],
        "dominantie": f"{float(thresholds['geheimhouding_dominantie']):.0%}",
    }
    return {reason: text.format(**words) for reason, text in REASONS.items()}


def markdown(summary: Mapping) -> str:
    """The Prefect artifact: the rules, the thresholds and the cells withheld per rule."""
    texts = reason_texts(summary["regels"])
    lines = [
        "# Geheimhouding in de open data",
        "",
        f"{summary['geheim']} van {summary['cellen']} cellen niet gepubliceerd in "
        "open-data/kerncijfers.csv.",
        "",
        "| regel | cellen |",
        "|---|---:|",
        *(f"| {texts[reason]} | {summary['per_reden'].get(reason, 0)} |" for reason in texts),
        "",
        f"{summary.get('beschermde_groepen', 0)} groepen van 1 tot en met 4 die in geen cel staan "
        "(som of verschil van cellen) zijn niet terug te rekenen.",
        "",
        "Instellingen (dbt vars): "
        + ", ".join(f"{name} = {value}" for name, value in summary["regels"].items()),
    ]
    return "\n".join(lines)
