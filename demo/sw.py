"""Sheltered work (WSW) and Nieuw Beschut records for the demo.

WSW has had no inflow since 2015: every employment began before 2015, and the stock shrinks
as people retire or leave after long sick leave. Between the published dates people stay in
their placement, move to another (some exactly on a reference date) or leave; the numbers per
municipality and category on 31-12-2018 (region, split over the municipalities), 30-04,
31-08 and 31-12-2019 are the published ones; the region table of 31-12-2019 contradicts the
factsheets and the factsheets are followed. Nieuw Beschut started in 2017, wachtlijstbanen
(Molenlanden) in 2019; some wachtlijstbanen become funded Nieuw Beschut places in 2020.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from demo import scenario as sc
from demo.common import DAY, D, Ids, random_day, weighted
from demo.targets import Targets, apportion

CATEGORIES = ("BESCHUT", "DETACHERING", "WERKEN_OP_LOCATIE", "ZAKELIJKE_DIENSTVERLENING")
KEY_DATES = (D(2018, 12, 31), D(2019, 4, 30), D(2019, 8, 31), D(2019, 12, 31))
HOURS = {
    "36": 0.36,
    "32": 0.2,
    "30": 0.08,
    "28": 0.1,
    "25,5": 0.04,
    "24": 0.12,
    "20": 0.06,
    "18": 0.04,
}
LEAVE_RATE_PER_YEAR = 0.065  # outside the published dates: retirement, long sickness, death
MOVE_RATE_PER_YEAR = 0.05


@dataclass(eq=False)
class Employee:
    id: str
    gemeente: str
    begin: D
    hours: str
    end: D | None = None
    placements: list[list] = field(default_factory=list)  # [categorie, begin, end]

    def category_on(self, day: D) -> str | None:
        for cat, begin, end in self.placements:
            if begin <= day and (end is None or end >= day):
                return cat
        return None

    def move(self, day: D, category: str) -> None:
        """The current placement ends on `day`; the new one starts the next day."""
        self.placements[-1][2] = day
        self.placements.append([category, day + DAY, None])

    def leave(self, day: D) -> None:
        self.end = day
        self.placements[-1][2] = day


class Sheltered:
    def __init__(self, rng: random.Random, targets: Targets, ids: Ids) -> None:
        self.rng, self.targets, self.ids = rng, targets, ids
        self.employees: list[Employee] = []

    def counts(self) -> list[dict[str, Counter]]:
        """Per key date: {gemeente: Counter(category)} as published (31-12-2018: the region
        totals split over the municipalities in proportion to 30-04-2019)."""
        published = self.targets.by("sw.medewerkers")
        per_date = [defaultdict(Counter) for _ in KEY_DATES]
        for (gemeente, _b, eind, cat, *_), value in published.items():
            if gemeente != "TOTAAL" and eind in KEY_DATES:
                per_date[KEY_DATES.index(eind)][gemeente][cat] = int(value)
        for (gemeente, _b, eind, cat, *_), value in published.items():
            if gemeente == "TOTAAL" and eind == KEY_DATES[0]:
                weights = {g: per_date[1][g][cat] + 0.5 for g in sc.MEMBERS}
                for g, n in apportion(int(value), weights).items():
                    per_date[0][g][cat] = n
        return per_date

    def build(self) -> None:
        per_date = self.counts()
        for gemeente in sc.MEMBERS:
            self.build_gemeente(gemeente, [per_date[k][gemeente] for k in range(len(KEY_DATES))])
        for _ in range(14):  # Lingewaal residents: kept in the delivery, no figure of a member
            self.new_employee(sc.NON_MEMBER, self.rng.choice(CATEGORIES), KEY_DATES[0])
        self.history_before()
        self.history_after()

    def new_employee(self, gemeente: str, category: str, on: D) -> Employee:
        begin = random_day(self.rng, D(1982, 1, 1), min(D(2014, 12, 31), on - 400 * DAY))
        employee = Employee(self.ids.new("m"), gemeente, begin, weighted(self.rng, HOURS))
        # Earlier placements: some started elsewhere and moved once or twice before `on`.
        cursor = begin
        for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
            change = (
                random_day(self.rng, cursor + 200 * DAY, on - 60 * DAY)
                if cursor + 260 * DAY < on
                else None
            )
            if change is None:
                break
            employee.placements.append([self.rng.choice(CATEGORIES), cursor, change - DAY])
            cursor = change
        employee.placements.append([category, cursor, None])
        self.employees.append(employee)
        return employee

    def build_gemeente(self, gemeente: str, counts: list[Counter]) -> None:
        staff = [
            self.new_employee(gemeente, cat, KEY_DATES[0])
            for cat in CATEGORIES
            for _ in range(counts[0][cat])
        ]
        for (previous, current), target in zip(pairwise(KEY_DATES), counts[1:], strict=True):
            staff = self.transition(staff, previous, current, target)

    def transition(
        self, staff: list[Employee], previous: D, current: D, target: Counter
    ) -> list[Employee]:
        """Stay, move or leave between two dates so that `target` holds on `current`."""
        by_cat = defaultdict(list)
        for e in self.rng.sample(staff, len(staff)):
            by_cat[e.category_on(previous)].append(e)
        stay = {c: min(len(by_cat[c]), target[c]) for c in CATEGORIES}
        supply = [e for c in CATEGORIES for e in by_cat[c][stay[c] :]]
        demand = [c for c in CATEGORIES for _ in range(target[c] - stay[c])]
        if len(demand) > len(supply):
            raise RuntimeError(
                f"demo: WSW in {previous}..{current} needs inflow, which WSW has not had since 2015"
            )
        self.rng.shuffle(supply)
        kept = [e for c in CATEGORIES for e in by_cat[c][: stay[c]]]
        for employee, category in zip(supply, demand, strict=False):
            # A few change placement exactly around a reference date.
            if self.rng.random() < 0.15:
                day = previous if self.rng.random() < 0.5 else current - DAY
            else:
                day = random_day(self.rng, previous + DAY, current - DAY)
            employee.move(day, category)
            kept.append(employee)
        for employee in supply[len(demand) :]:
            employee.leave(random_day(self.rng, previous + DAY, current - DAY))
        return kept

    def history_before(self) -> None:
        """People who left before 31-12-2018: the stock was larger in earlier years."""
        for gemeente in sc.MEMBERS:
            stock = sum(1 for e in self.employees if e.gemeente == gemeente)
            for year in range(2018, 2011, -1):
                leavers = round(stock * LEAVE_RATE_PER_YEAR * self.rng.uniform(0.8, 1.2))
                for _ in range(leavers):
                    employee = self.new_employee(
                        gemeente, self.rng.choice(CATEGORIES), D(year, 1, 1)
                    )
                    day = random_day(self.rng, D(year, 1, 1), D(year, 12, 30))
                    employee.leave(max(day, employee.placements[-1][1]))
                stock += leavers
        # Some employments had a few weeks without a placement (ONBEKEND), back in 2015-2016.
        early = [e for e in self.employees if e.gemeente in sc.MEMBERS and e.begin < D(2014, 1, 1)]
        for employee in self.rng.sample(early, 6):
            first = employee.placements[0]
            gap_start = D(2016, 4, 15) + self.rng.randrange(20) * DAY
            if first[1] < gap_start - DAY and (first[2] is None or first[2] > gap_start + 60 * DAY):
                rest = [first[0], gap_start + 45 * DAY, first[2]]
                first[2] = gap_start
                employee.placements.insert(1, rest)

    def history_after(self) -> None:
        """After 2019: the decline goes on; now and then someone changes placement."""
        months = [
            (D(y, m, 1)) for y in (2020, 2021) for m in range(1, 13) if D(y, m, 1) <= sc.EXPORT_DATE
        ]
        for employee in self.employees:
            if employee.end is not None:
                continue
            for month in months:
                if self.rng.random() < LEAVE_RATE_PER_YEAR / 12:
                    employee.leave(month + self.rng.randrange(27) * DAY)
                    break
                if self.rng.random() < MOVE_RATE_PER_YEAR / 12:
                    others = [c for c in CATEGORIES if c != employee.placements[-1][0]]
                    employee.move(month + self.rng.randrange(27) * DAY, self.rng.choice(others))

    def nieuw_beschut(self) -> list[tuple[str, str, str, D, D | None, str]]:
        """(id, gemeente, regeling, begin, end, hours): the published stock of 31-12-2019 and
        inflow of 2019, an early start in 2017-2018, growth in 2020."""
        published = self.targets.by("nieuw_beschut.medewerkers")
        inflow = self.targets.by("nieuw_beschut.instroom")
        rows = []
        for regeling in ("NIEUW_BESCHUT", "WACHTLIJSTBAAN"):
            stock = {
                g: int(v)
                for (g, _b, e, c, *_), v in published.items()
                if c == regeling and g != "TOTAAL"
            }
            stock = {g: stock.get(g, 0) for g in sc.MEMBERS}
            new = int(
                next(
                    v for (g, _b, _e, c, *_), v in inflow.items() if c == regeling and g == "TOTAAL"
                )
            )
            new_by = apportion(new, {g: stock[g] + 0.01 for g in sc.MEMBERS})
            for g in sc.MEMBERS:
                for i in range(stock[g]):
                    if i < new_by[g]:
                        begin = random_day(self.rng, D(2019, 1, 2), D(2019, 12, 30))
                    else:
                        begin = random_day(self.rng, D(2017, 9, 1), D(2018, 12, 31))
                    rows.append(
                        [
                            self.ids.new("m"),
                            g,
                            regeling,
                            begin,
                            None,
                            self.rng.choice(["16", "20", "24", "28", "32"]),
                        ]
                    )
        # Two early Nieuw Beschut employments that ended in 2018.
        for _ in range(2):
            begin = random_day(self.rng, D(2017, 9, 1), D(2018, 3, 1))
            rows.append(
                [
                    self.ids.new("m"),
                    sc.MEMBERS[0],
                    "NIEUW_BESCHUT",
                    begin,
                    random_day(self.rng, begin + 60 * DAY, D(2018, 12, 1)),
                    "20",
                ]
            )
        # 2020: three waiting-list employees get a funded place (same person, new employment);
        # more new places in 2020 and early 2021.
        waiting = [r for r in rows if r[2] == "WACHTLIJSTBAAN"]
        for row in self.rng.sample(waiting, min(3, len(waiting))):
            switch = random_day(self.rng, D(2020, 2, 1), D(2020, 11, 30))
            row[4] = switch
            rows.append([row[0], row[1], "NIEUW_BESCHUT", switch + DAY, None, row[5]])
        for _ in range(9):
            begin = random_day(self.rng, D(2020, 1, 6), D(2021, 3, 15))
            rows.append(
                [self.ids.new("m"), self.rng.choice(sc.MEMBERS), "NIEUW_BESCHUT", begin, None, "24"]
            )
        return [tuple(r) for r in rows]

    def tables(self) -> dict[str, list[dict[str, object]]]:
        self.build()
        employments, placements = [], []
        for e in sorted(self.employees, key=lambda e: (e.begin, e.id)):
            employment = self.ids.new("d")
            employments.append(
                {
                    "dienstverband_id": employment,
                    "medewerker_id": e.id,
                    "gemeente_code": e.gemeente,
                    "regeling": "WSW",
                    "begindatum": e.begin,
                    "einddatum": e.end,
                    "uren_per_week": e.hours,
                }
            )
            for cat, begin, end in e.placements:
                placements.append(
                    {
                        "dienstverband_id": employment,
                        "categorie": cat,
                        "begindatum": begin,
                        "einddatum": end,
                    }
                )
        for medewerker, gemeente, regeling, begin, end, hours in self.nieuw_beschut():
            employments.append(
                {
                    "dienstverband_id": self.ids.new("d"),
                    "medewerker_id": medewerker,
                    "gemeente_code": gemeente,
                    "regeling": regeling,
                    "begindatum": begin,
                    "einddatum": end,
                    "uren_per_week": hours,
                }
            )
        return {"sw_dienstverbanden": employments, "sw_plaatsingen": placements}


def sw_tables(rng: random.Random, targets: Targets, ids: Ids) -> dict[str, list[dict[str, object]]]:
    return Sheltered(rng, targets, ids).tables()
