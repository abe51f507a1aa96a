"""Tozo decisions for the demo (March 2020 - March 2021).

Tozo 1 ran from March to the end of May 2020, Tozo 2 from June to September, Tozo 3 from
October 2020 into 2021 (with a partner test: more refusals). The published counts are those
of 1 March 2021 (every outcome included); decisions taken later in March 2021 are in the
delivery but not in that figure. Many Tozo 2 and 3 applicants applied before.
"""

from __future__ import annotations

import random

from demo import scenario as sc
from demo.common import DAY, D, Ids, random_day, weighted
from demo.targets import Targets, apportion

WINDOWS = {  # decisions: first and last day
    "TOZO1": (D(2020, 3, 20), D(2020, 6, 30)),
    "TOZO2": (D(2020, 6, 2), D(2020, 10, 15)),
    "TOZO3": (D(2020, 10, 5), D(2021, 3, 31)),
}
OUTCOMES = {
    "TOZO1": {"TOEGEKEND": 0.88, "AFGEWEZEN": 0.08, "BUITEN_BEHANDELING": 0.04},
    "TOZO2": {"TOEGEKEND": 0.76, "AFGEWEZEN": 0.17, "BUITEN_BEHANDELING": 0.07},
    "TOZO3": {"TOEGEKEND": 0.74, "AFGEWEZEN": 0.18, "BUITEN_BEHANDELING": 0.08},
}
SELF_EMPLOYED_SHARE = {"GM0512": 0.30, "GM1978": 0.33, "GM1961": 0.37}
LATER_IN_MARCH = 48  # Tozo 3 decisions after the published date, before the export date
RETURNING = 0.6  # share of Tozo 2 and 3 applicants who applied before


class Tozo:
    def __init__(self, rng: random.Random, targets: Targets, ids: Ids) -> None:
        self.rng, self.targets, self.ids = rng, targets, ids
        self.rows: list[dict[str, object]] = []
        self.clients = {g: [] for g in sc.MEMBERS}

    def decision_day(self, regeling: str, until: D) -> D:
        first, last = WINDOWS[regeling]
        last = min(last, until)
        # Most decisions early in the window: the triangular peak sits in its first third.
        span = (last - first).days
        return first + round(self.rng.triangular(0, span, span * 0.15)) * DAY

    def decide(self, gemeente: str, regeling: str, soort: str, day: D) -> None:
        clients = self.clients[gemeente]
        if regeling != "TOZO1" and clients and self.rng.random() < RETURNING:
            client = self.rng.choice(clients)
        else:
            client = self.ids.new("c")
            clients.append(client)
        self.rows.append(
            {
                "besluit_id": self.ids.new("t"),
                "client_id": client,
                "gemeente_code": gemeente,
                "regeling": regeling,
                "soort": soort,
                "besluitdatum": day,
                "uitkomst": weighted(self.rng, OUTCOMES[regeling]),
            }
        )

    def build(self) -> None:
        living = self.targets.by("tozo.besluiten")
        capital = self.targets.by("tozo.bedrijfskapitaal")
        counted_on = next(e for (_g, _b, e, *_r) in living)
        for regeling in WINDOWS:
            total = int(
                next(
                    v for (g, _b, _e, c, *_), v in living.items() if c == regeling and g == "TOTAAL"
                )
            )
            for g, n in apportion(total, SELF_EMPLOYED_SHARE).items():
                for _ in range(n):
                    self.decide(
                        g, regeling, "LEVENSONDERHOUD", self.decision_day(regeling, counted_on)
                    )
        loans = int(next(iter(capital.values())))
        for g, n in apportion(loans, SELF_EMPLOYED_SHARE).items():
            for _ in range(n):
                regeling = self.rng.choices(list(WINDOWS), [0.6, 0.2, 0.2])[0]
                self.decide(
                    g, regeling, "BEDRIJFSKAPITAAL", self.decision_day(regeling, counted_on)
                )
        for _ in range(LATER_IN_MARCH):
            g = weighted(self.rng, SELF_EMPLOYED_SHARE)
            day = random_day(self.rng, counted_on + DAY, sc.EXPORT_DATE)
            self.decide(g, "TOZO3", "LEVENSONDERHOUD", day)


def tozo_tables(
    rng: random.Random, targets: Targets, ids: Ids
) -> dict[str, list[dict[str, object]]]:
    tozo = Tozo(rng, targets, ids)
    tozo.build()
    tozo.rows.sort(key=lambda r: (r["besluitdatum"], r["besluit_id"]))
    return {"tozo_besluiten": tozo.rows}
