"""Placements under the banenafspraak for the demo (2014 - March 2021).

The 2019 report publishes two figures for the region: 313 jobs (garantiebanen) running at the
end of 2019, and 197 people placed since 1 January 2016. The gap between them is history:
people placed in 2014 and 2015 who still hold their job. So the generator places a group
before 2016, most of whom keep working, and the 2016-2019 group (some placed twice, some
leaving again), tuned so both published figures come out; placements go on in 2020 and 2021,
and a few people from Lingewaal (not a member) are in the file too.
"""

from __future__ import annotations

import random

from demo import scenario as sc
from demo.common import DAY, D, Ids, random_day
from demo.targets import Targets, apportion

SHARE = {"GM0512": 0.44, "GM1978": 0.21, "GM1961": 0.35}
SINCE = D(2016, 1, 1)
COUNTED_ON = D(2019, 12, 31)
EARLY_STARTS = (D(2013, 6, 1), D(2015, 12, 31))
EARLY_ENDED = 0.18  # of the early group, the share whose job ended before the end of 2019
ENDED_SINCE_2016 = 0.16  # of the people placed 2016-2019, the share no longer working then
PLACED_TWICE = 0.12  # of them, the share whose first job ended and who got a second
LATER = (D(2020, 1, 1), sc.EXPORT_DATE)
LATER_PLACEMENTS = 64
NON_MEMBER_PLACEMENTS = 9


class Banenafspraak:
    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng, self.ids = rng, ids
        self.rows: list[dict[str, object]] = []

    def place(self, person: str, gemeente: str, begin: D, end: D | None) -> None:
        self.rows.append(
            {
                "plaatsing_id": self.ids.new("b"),
                "client_id": person,
                "gemeente_code": gemeente,
                "begindatum": begin,
                "einddatum": end,
            }
        )

    def ended_between(self, begin: D, last: D) -> D:
        """An end after at least two months where possible, on or before `last`."""
        return random_day(self.rng, min(begin + 60 * DAY, last), last)

    def build(self, jobs: int, people: int) -> None:
        # People placed since 2016 still working at the end of 2019, and those who are not.
        working = round(people * (1 - ENDED_SINCE_2016))
        for gemeente, n in apportion(people, SHARE).items():
            for _ in range(n):
                person = self.ids.new("w")
                begin = random_day(self.rng, SINCE, COUNTED_ON - 90 * DAY)
                if working > 0:
                    working -= 1
                    if self.rng.random() < PLACED_TWICE and begin < D(2018, 6, 1):
                        first_end = self.ended_between(begin, D(2018, 12, 31))
                        self.place(person, gemeente, begin, first_end)
                        begin = random_day(self.rng, first_end + DAY, COUNTED_ON)
                    self.place(person, gemeente, begin, None)
                else:
                    self.place(person, gemeente, begin, self.ended_between(begin, COUNTED_ON - DAY))
        running = sum(1 for r in self.rows if r["einddatum"] is None)
        # The early group: enough still working to make the published number of jobs.
        still = jobs - running
        total = round(still / (1 - EARLY_ENDED))
        for gemeente, n in apportion(total, SHARE).items():
            for i in range(n):
                begin = random_day(self.rng, *EARLY_STARTS)
                ended = i >= round(n * (1 - EARLY_ENDED))
                end = self.ended_between(begin, COUNTED_ON - DAY) if ended else None
                self.place(self.ids.new("w"), gemeente, begin, end)
        short = jobs - sum(
            1 for r in self.rows if r["begindatum"] <= COUNTED_ON and r["einddatum"] is None
        )
        for gemeente, n in apportion(max(short, 0), SHARE).items():
            for _ in range(n):
                self.place(self.ids.new("w"), gemeente, random_day(self.rng, *EARLY_STARTS), None)
        # After 2019: placements go on.
        for gemeente, n in apportion(LATER_PLACEMENTS, SHARE).items():
            for _ in range(n):
                self.place(self.ids.new("w"), gemeente, random_day(self.rng, *LATER), None)
        for _ in range(NON_MEMBER_PLACEMENTS):
            begin = random_day(self.rng, SINCE, sc.LINGEWAAL_LEAVES)
            self.place(self.ids.new("w"), sc.NON_MEMBER, begin, None)


def banenafspraak_tables(
    rng: random.Random, targets: Targets, ids: Ids
) -> dict[str, list[dict[str, object]]]:
    jobs = targets.get("banenafspraak.banen", "TOTAAL", COUNTED_ON)
    people = targets.get("banenafspraak.personen_sinds_2016", "TOTAAL", COUNTED_ON)
    placements = Banenafspraak(rng, ids)
    placements.build(int(jobs), int(people))
    placements.rows.sort(key=lambda r: (r["begindatum"], r["plaatsing_id"]))
    return {"banenafspraak_plaatsingen": placements.rows}
