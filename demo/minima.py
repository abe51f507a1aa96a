"""Minima and special-assistance payments for the demo.

Per year, municipality and scheme the generator fixes how many beneficiaries are paid and
how much is spent: in 2019 the published numbers per municipality (the euros with cents that
round to every published cell and to the published totals), in 2018 the published totals,
elsewhere a trend. It then writes the payments each scheme makes over a year (the collective
health insurance quarterly, the chronically-ill allowance mostly in a year-end run, Leergeld
around the start of the school year, administration costs quarterly, ...), with some partial
recoveries and some payments that are recovered in full: spending, but no use.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from demo import scenario as sc
from demo.common import DAY, D, Ids, amounts_that_round, cents, random_day
from demo.targets import Targets, apportion
from pipelines.intake.contract import REGELINGEN_MINIMA

SCHEMES = REGELINGEN_MINIMA
USE = ("CZV", "CHRONISCH_ZIEKEN", "IIT", "RDF", "LEERGELD")
AVERAGE_PER_UNIT = {"BB_WOONKOSTEN": 1800, "BB_BEWINDVOERING": 1300, "BB_OVERIG": 350}
TREND = {
    2012: 0.80,
    2013: 0.84,
    2014: 0.88,
    2015: 0.92,
    2016: 0.95,
    2017: 0.97,
    2020: 1.03,
    2021: 1.05,
}
RETENTION = 0.75  # share of last year's beneficiaries paid again
RECOVERY_SHARE = 0.03
NET_ZERO_SHARE = 0.01


class Minima:
    def __init__(self, rng: random.Random, targets: Targets, ids: Ids) -> None:
        self.rng, self.targets, self.ids = rng, targets, ids
        self.rows: list[dict[str, object]] = []
        self.previous: dict[tuple[str, str], list[str]] = defaultdict(list)

    def plan(self) -> dict[tuple[int, str, str], tuple[int, Decimal]]:
        """(year, gemeente, scheme) -> (beneficiaries paid, amount)."""
        spent = self.targets.by("minima.uitgaven")
        used = self.targets.by("minima.gebruik")
        amount19 = {(g, c): int(v) for (g, b, _e, c, *_), v in spent.items() if b.year == 2019}
        total18 = {
            c: int(v) for (g, b, _e, c, *_), v in spent.items() if b.year == 2018 and g == "TOTAAL"
        }
        users19 = {(g, c): int(v) for (g, b, _e, c, *_), v in used.items() if b.year == 2019}
        plan = {}
        for scheme in SCHEMES:
            members = {g: amount19[(g, scheme)] for g in sc.MEMBERS}
            a19 = amounts_that_round(self.rng, members, amount19[("TOTAAL", scheme)])
            shares = {g: a19[g] / sum(a19.values()) for g in sc.MEMBERS}
            split18 = apportion(total18[scheme], {g: float(shares[g]) for g in sc.MEMBERS})
            a18 = amounts_that_round(self.rng, split18, total18[scheme])
            for year in range(2012, 2022):
                for g in sc.MEMBERS:
                    if year == 2019:
                        amount = a19[g]
                    elif year == 2018:
                        amount = a18[g]
                    else:
                        amount = cents(float(a19[g]) * TREND[year] * self.rng.uniform(0.97, 1.03))
                    if scheme in USE:
                        n19 = users19[(g, scheme)]
                        n = n19 if year == 2019 else round(n19 * float(amount / a19[g]) ** 0.8)
                    else:
                        n = max(3, round(float(amount) / AVERAGE_PER_UNIT[scheme]))
                    plan[(year, g, scheme)] = (n, amount)
        return plan

    def build(self) -> None:
        for (year, gemeente, scheme), (n, amount) in sorted(self.plan().items()):
            self.pay(year, gemeente, scheme, n, amount)

    def beneficiaries(self, gemeente: str, scheme: str, n: int) -> list[str]:
        last = self.previous[(gemeente, scheme)]
        kept = self.rng.sample(last, min(len(last), round(n * RETENTION)))
        chosen = kept + [self.ids.new("b") for _ in range(n - len(kept))]
        self.previous[(gemeente, scheme)] = chosen
        return chosen

    def pattern(self, scheme: str, year: int) -> list[tuple[D, float]]:
        """The payments one beneficiary gets in a year: (date, relative amount)."""
        r = self.rng
        if scheme == "CZV":  # the premium contribution, quarterly from the quarter of joining
            first = r.choices([1, 4, 7, 10], [0.82, 0.07, 0.06, 0.05])[0]
            return [(D(year, m, 1), 81.0) for m in (1, 4, 7, 10) if m >= first]
        if scheme == "BB_BEWINDVOERING":  # administration costs, at the end of each quarter
            first = r.choices([3, 6, 9, 12], [0.8, 0.07, 0.07, 0.06])[0]
            ends = {3: D(year, 3, 31), 6: D(year, 6, 30), 9: D(year, 9, 30), 12: D(year, 12, 31)}
            return [(ends[m], 330.0) for m in (3, 6, 9, 12) if m >= first]
        if scheme == "CHRONISCH_ZIEKEN":
            day = (
                random_day(r, D(year, 11, 1), D(year, 12, 20))
                if r.random() < 0.6
                else self.any_day(year)
            )
            return [(day, r.choice([250.0, 333.0, 400.0]))]
        if scheme == "IIT":
            return [(self.any_day(year), r.choice([370.0, 475.0, 530.0]))]
        if scheme == "RDF":
            return [(self.any_day(year), r.uniform(20, 180)) for _ in range(r.randint(1, 4))]
        if scheme == "LEERGELD":  # most around the start of the school year

            def school_day() -> D:
                if r.random() < 0.55:
                    return random_day(r, D(year, 8, 1), D(year, 9, 30))
                return self.any_day(year)

            return [(school_day(), r.uniform(40, 450)) for _ in range(r.randint(1, 3))]
        if scheme == "BB_WOONKOSTEN":
            return [(self.any_day(year), r.uniform(400, 3500)) for _ in range(r.randint(1, 2))]
        return [(self.any_day(year), r.uniform(30, 900)) for _ in range(r.randint(1, 3))]

    def any_day(self, year: int) -> D:
        return random_day(self.rng, D(year, 1, 1), D(year, 12, 31))

    def pay(self, year: int, gemeente: str, scheme: str, n: int, amount: Decimal) -> None:
        payments = [
            (unit, day, weight)
            for unit in self.beneficiaries(gemeente, scheme, n)
            for day, weight in self.pattern(scheme, year)
        ]
        scale = amount / Decimal(str(sum(w for _u, _d, w in payments)))
        rows = [[unit, day, cents(Decimal(str(w)) * scale)] for unit, day, w in payments]
        rows[-1][2] += amount - sum(r[2] for r in rows)  # the last cent
        # Partial recoveries: the total stays the same, every beneficiary keeps more than zero.
        per_unit = defaultdict(Decimal)
        for unit, _day, value in rows:
            per_unit[unit] += value
        for unit in self.rng.sample(sorted(per_unit), round(n * RECOVERY_SHARE)):
            back = cents(per_unit[unit] * Decimal(str(self.rng.uniform(0.1, 0.4))))
            day = min(self.any_day(year), D(year, 12, 31))
            rows.append([unit, day, -back])
            rows[self.rng.randrange(len(rows) - 1)][2] += back
        # Paid and recovered in full within the year: spending, but no use.
        for _ in range(round(n * NET_ZERO_SHARE)):
            unit, value = self.ids.new("b"), cents(self.rng.uniform(50, 400))
            day = random_day(self.rng, D(year, 1, 1), D(year, 10, 31))
            rows += [[unit, day, value], [unit, day + self.rng.randint(5, 60) * DAY, -value]]
        for unit, day, value in rows:
            if day <= sc.EXPORT_DATE:
                self.rows.append(
                    {
                        "verstrekking_id": self.ids.new("v"),
                        "gemeente_code": gemeente,
                        "regeling": scheme,
                        "begunstigde_id": unit,
                        "betaaldatum": day,
                        "bedrag": value,
                    }
                )


def minima_tables(
    rng: random.Random, targets: Targets, ids: Ids
) -> dict[str, list[dict[str, object]]]:
    minima = Minima(rng, targets, ids)
    minima.build()
    minima.rows.sort(key=lambda r: (r["betaaldatum"], r["verstrekking_id"]))
    return {"minima_verstrekkingen": minima.rows}
