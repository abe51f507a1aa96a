"""Debt-service records for the demo.

Per municipality, tertial by tertial from 2012: new products start (for trajectories the
published number per product in 2018 and 2019, spread over tertials and municipalities), and
running ones end, weighted by how long they have run (simple questions in weeks or months,
complex settlements up to three years, budget management for years), so that the published
number of running loans, budget-management accounts and trajectories on 30-04, 31-08 and
31-12-2019 is met. Other years follow the scenario below.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from itertools import pairwise

from demo import scenario as sc
from demo.common import (
    DAY,
    D,
    Ids,
    add_months,
    interpolate,
    random_day,
    tertial_ends,
    whole_months,
)
from demo.targets import Targets, apportion

TRAJECTS = ("EENVOUDIG", "EENVOUDIG_GEMIDDELD", "COMPLEX_DFD", "COMPLEX_MINNELIJK_WETTELIJK")
GROUPS = {"TRAJECT": TRAJECTS, "LENING": ("LENING",), "BUDGETBEHEER": ("BUDGETBEHEER",)}
# Starts per year where the report is silent: trajectories relative to 2018; loans and
# budget-management accounts per municipality-size share of the region.
STARTS_RELATIVE_TO_2018 = {
    2012: 1.10,
    2014: 1.18,
    2016: 1.12,
    2018: 1.0,
    2019: 0.92,
    2020: 0.85,
    2021: 0.85,
}
OTHER_STARTS_PER_YEAR = {"LENING": 55, "BUDGETBEHEER": 105}
SHARE = {"GM0512": 0.45, "GM1978": 0.22, "GM1961": 0.33}
STOCK_RELATIVE_TO_2019 = {
    D(2011, 12, 31): 0.85,
    D(2016, 12, 31): 1.05,
    D(2019, 4, 30): 1.0,
    D(2021, 3, 31): 0.95,
}


MAX_MONTHS = {
    "EENVOUDIG": 6,
    "EENVOUDIG_GEMIDDELD": 12,
    "COMPLEX_DFD": 36,
    "COMPLEX_MINNELIJK_WETTELIJK": 36,
    "LENING": 40,
}
# The make-up of the running stock: inflow x typical length.
STOCK_MIX = {
    "EENVOUDIG": 3 * 2,
    "EENVOUDIG_GEMIDDELD": 2 * 5,
    "COMPLEX_DFD": 66 * 14,
    "COMPLEX_MINNELIJK_WETTELIJK": 336 * 12,
    "LENING": 1,
    "BUDGETBEHEER": 1,
}


def exit_weight(product: str, months: int) -> float:
    """How likely a running product ends in a tertial, by kind and age in months."""
    if product == "EENVOUDIG":
        return 8.0 if months >= 1 else 3.0
    if product == "EENVOUDIG_GEMIDDELD":
        return 6.0 if months >= 3 else 1.5
    if product == "COMPLEX_DFD":
        return 0.6 + 0.1 * months
    if product == "COMPLEX_MINNELIJK_WETTELIJK":
        return 30.0 if months >= 35 else 0.4 + (months >= 12) * 0.8 + (months >= 30) * 3
    if product == "LENING":
        return 12.0 if months >= 36 else 0.5
    return 0.3  # budget management: runs for years


class DebtServices:
    def __init__(self, rng: random.Random, targets: Targets, ids: Ids) -> None:
        self.rng, self.targets, self.ids = rng, targets, ids
        self.rows: list[dict[str, object]] = []
        published = targets.by("schuldhulp.lopend")
        self.stock = {
            (g, cat, e): int(v) for (g, _b, e, cat, *_), v in published.items() if g != "TOTAAL"
        }
        self.inflow = {
            (cat, e.year): int(v)
            for (g, _b, e, cat, *_), v in targets.by("schuldhulp.instroom").items()
            if g == "TOTAAL"
        }
        self.ends = tertial_ends()

    def stock_target(self, gemeente: str, group: str, day: D) -> int:
        published = self.stock.get((gemeente, group, day))
        if published is not None:
            return published
        anchor = self.stock[(gemeente, group, D(2019, 4, 30))]
        return round(anchor * interpolate(STOCK_RELATIVE_TO_2019, day))

    def starts_per_tertial(self, group: str) -> dict[D, list[str]]:
        """The products starting in each tertial (region), exact per product and year where
        published."""
        by_end: dict[D, list[str]] = defaultdict(list)
        for year in range(2012, 2022):
            ends = [e for e in self.ends if e.year == year and e.month in (4, 8, 12)] + (
                [sc.EXPORT_DATE] if year == 2021 else []
            )
            for product in GROUPS[group]:
                if group == "TRAJECT":
                    total = self.inflow.get((product, year))
                    if total is None:
                        base = self.inflow[(product, 2018)]
                        total = round(
                            base
                            * interpolate(
                                {D(y, 1, 1): f for y, f in STARTS_RELATIVE_TO_2018.items()},
                                D(year, 1, 1),
                            )
                        )
                else:
                    total = OTHER_STARTS_PER_YEAR[product]
                if year == 2021:
                    total = round(total / 4)
                weights = {e: self.rng.uniform(0.8, 1.2) for e in ends}
                for end, n in apportion(total, weights).items():
                    by_end[end] += [product] * n
        return by_end

    def build(self) -> None:
        for group in GROUPS:
            starts = self.starts_per_tertial(group)
            running = {g: [] for g in sc.MEMBERS}  # [product, begin, client]
            first = self.ends[0]
            for g in sc.MEMBERS:
                for _ in range(self.stock_target(g, group, first)):
                    product = self.rng.choices(
                        GROUPS[group], [STOCK_MIX[p] for p in GROUPS[group]]
                    )[0]
                    longest = 30 * MAX_MONTHS.get(product, 60)
                    begin = first - self.rng.randint(10, max(11, longest - 130)) * DAY
                    running[g].append([product, begin, self.ids.new("c")])
            for previous, current in pairwise(self.ends):
                self.step(group, running, starts[current], previous, current)
            for g, items in running.items():
                for product, begin, client in items:
                    self.emit(g, product, begin, None, client)

    def chance(self, product: str, begin: D, day: D) -> float:
        """The chance that a running product ends within the next tertial."""
        return 1 - math.exp(-0.25 * exit_weight(product, whole_months(begin, day)))

    @staticmethod
    def overdue(product: str, begin: D, day: D) -> bool:
        """Running longer than the product can last (a settlement: three years)."""
        return product in MAX_MONTHS and whole_months(begin, day) >= MAX_MONTHS[product]

    def step(self, group, running, starts: list[str], previous: D, current: D) -> None:
        targets = {g: self.stock_target(g, group, current) for g in sc.MEMBERS}
        expected = {
            g: sum(self.chance(p, b, previous) for p, b, _c in running[g]) for g in sc.MEMBERS
        }
        # Each municipality first gets what its stock must grow by, the rest by expected exits.
        rise = {g: max(0, targets[g] - len(running[g])) for g in sc.MEMBERS}
        rest = len(starts) - sum(rise.values())
        if rest < 0 and group != "TRAJECT":  # no published inflow: start what the stock needs
            starts = starts + [GROUPS[group][0]] * -rest
            rest = 0
        if rest < 0:
            raise RuntimeError(f"demo: too few {group} starts in the tertial ending {current}")
        extra = apportion(rest, {g: 0.5 + expected[g] for g in sc.MEMBERS})
        tokens = self.rng.sample(starts, len(starts))
        for g in sc.MEMBERS:
            mine = [tokens.pop() for _ in range(rise[g] + extra[g])]
            r, m, target = len(running[g]), len(mine), targets[g]
            # r - exits + kept = target, with 0 <= kept <= m and 0 <= exits <= r.
            low, high = max(0, r - target), min(r, r - target + m)
            due = [item for item in running[g] if self.overdue(item[0], item[1], current)]
            exits = min(high, max(low, round(expected[g]), len(due)))
            kept = target - r + exits
            keyed = sorted(
                running[g],
                key=lambda item: (
                    2.0
                    if self.overdue(item[0], item[1], current)
                    else self.rng.random() ** (1 / self.chance(item[0], item[1], previous))
                ),
                reverse=True,
            )
            for product, begin, client in keyed[:exits]:
                first, last = max(begin, previous + DAY), current - DAY
                if product in MAX_MONTHS:
                    last = max(first, min(last, add_months(begin, MAX_MONTHS[product]) - DAY))
                end = random_day(self.rng, first, last)
                self.emit(g, product, begin, end, client)
            running[g] = keyed[exits:]
            self.rng.shuffle(mine)
            for i, product in enumerate(mine):
                client = self.ids.new("c")
                if i < kept:
                    running[g].append(
                        [product, random_day(self.rng, previous + DAY, current), client]
                    )
                else:  # starts and ends within the tertial
                    begin = random_day(self.rng, previous + DAY, current - 2 * DAY)
                    self.emit(g, product, begin, random_day(self.rng, begin, current - DAY), client)

    def emit(self, gemeente: str, product: str, begin: D, end: D | None, client: str) -> None:
        self.rows.append(
            {
                "product_id": self.ids.new("s"),
                "client_id": client,
                "gemeente_code": gemeente,
                "product": product,
                "begindatum": begin,
                "einddatum": end,
            }
        )


def schuldhulp_tables(
    rng: random.Random, targets: Targets, ids: Ids
) -> dict[str, list[dict[str, object]]]:
    services = DebtServices(rng, targets, ids)
    services.build()
    services.rows.sort(key=lambda r: (r["begindatum"], r["product_id"]))
    return {"schuldhulp_producten": services.rows}
