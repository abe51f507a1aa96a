"""BUIG ledger entries for the demo: benefits and wage-cost subsidies, month by month.

Every month a payment run (January's booked on 1 January), now and then a recovery or a
correction (negative), the holiday allowance in May, and a year-end correction on 31 December.
In 2019 the cumulative spending on 30-04, 31-08 and 31-12 lands on the published figures
(with cents that round to them); other years follow the scenario.
"""

from __future__ import annotations

import random
from decimal import Decimal

from demo import scenario as sc
from demo.common import D, Ids, amounts_that_round, cents, random_day, spread
from demo.targets import Targets
from pipelines.catalogue import tertial_ends

KINDS = ("UITKERING", "LOONKOSTENSUBSIDIE")
TERTIALS = ((1, 4), (5, 8), (9, 12))
# Spending per year relative to 2019: benefits follow the caseload, wage-cost subsidies grow.
TREND = {
    "UITKERING": {
        2012: 0.86,
        2013: 0.93,
        2014: 0.98,
        2015: 1.03,
        2016: 1.07,
        2017: 1.06,
        2018: 1.02,
        2020: 1.05,
        2021: 1.06,
    },
    "LOONKOSTENSUBSIDIE": {
        2012: 0.0,
        2013: 0.0,
        2014: 0.0,
        2015: 0.15,
        2016: 0.35,
        2017: 0.55,
        2018: 0.78,
        2020: 1.2,
        2021: 1.35,
    },
}
NON_MEMBER_SHARE = 0.09  # Lingewaal, until it left at the end of 2019


class Buig:
    def __init__(self, rng: random.Random, targets: Targets, ids: Ids) -> None:
        self.rng, self.targets, self.ids = rng, targets, ids
        self.rows: list[dict[str, object]] = []

    def year_2019(self) -> dict[tuple[str, str], list[Decimal]]:
        """Spending per tertial of 2019 whose running sums round to the published figures."""
        published = self.targets.by("buig.uitgaven_cumulatief")
        result = {}
        for g in sc.MEMBERS:
            for kind in KINDS:
                running = [
                    int(published[(g, None, end, kind, None, None)]) for end in tertial_ends(2019)
                ]
                with_cents = [amounts_that_round(self.rng, {"x": r}, None)["x"] for r in running]
                result[(g, kind)] = [
                    with_cents[0],
                    with_cents[1] - with_cents[0],
                    with_cents[2] - with_cents[1],
                ]
        return result

    def build(self) -> None:
        tertials_2019 = self.year_2019()
        for g in (*sc.MEMBERS, sc.NON_MEMBER):
            for kind in KINDS:
                base = tertials_2019[(g if g in sc.MEMBERS else sc.MEMBERS[0], kind)]
                for year in range(2012, 2022):
                    if g == sc.NON_MEMBER and year > 2019:
                        continue
                    if g in sc.MEMBERS and year == 2019:
                        per_tertial = base
                    else:
                        factor = TREND[kind][year] if year != 2019 else 1.0
                        factor *= (
                            NON_MEMBER_SHARE if g == sc.NON_MEMBER else self.rng.uniform(0.98, 1.02)
                        )
                        per_tertial = [cents(float(t) * factor) for t in base]
                    for (first, last), amount in zip(TERTIALS, per_tertial, strict=True):
                        if amount:
                            self.book_tertial(g, kind, year, first, last, amount)

    def book_tertial(
        self, gemeente: str, kind: str, year: int, first: int, last: int, amount: Decimal
    ) -> None:
        months = list(range(first, last + 1))
        weights = [
            1.0 + (0.7 if kind == "UITKERING" and m == 5 else 0) + self.rng.uniform(-0.05, 0.05)
            for m in months
        ]
        for month, value in zip(months, spread(self.rng, amount, weights), strict=True):
            entries = []
            if self.rng.random() < 0.35:  # a recovery or correction
                entries.append(
                    (self.day_in(year, month), -cents(float(value) * self.rng.uniform(0.003, 0.02)))
                )
            if month == 12 and self.rng.random() < 0.7:  # the year-end correction
                entries.append(
                    (D(year, 12, 31), cents(float(value) * self.rng.uniform(-0.01, 0.01)))
                )
            run = D(year, 1, 1) if month == 1 else self.day_in(year, month, 20, 28)
            if (year, month) == (sc.EXPORT_DATE.year, sc.EXPORT_DATE.month):
                run = sc.EXPORT_DATE  # the last payment run of the delivery
            entries.append((run, value - sum(v for _d, v in entries)))
            for day, booked in entries:
                if day <= sc.EXPORT_DATE and booked:
                    self.rows.append(
                        {
                            "boeking_id": self.ids.new("k"),
                            "gemeente_code": gemeente,
                            "boekdatum": day,
                            "soort": kind,
                            "bedrag": booked,
                        }
                    )

    def day_in(self, year: int, month: int, first: int = 1, last: int = 28) -> D:
        return random_day(self.rng, D(year, month, first), D(year, month, last))


def buig_tables(
    rng: random.Random, targets: Targets, ids: Ids
) -> dict[str, list[dict[str, object]]]:
    buig = Buig(rng, targets, ids)
    buig.build()
    buig.rows.sort(key=lambda r: (r["boekdatum"], r["boeking_id"]))
    return {"buig_boekingen": buig.rows}
