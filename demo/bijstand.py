"""Bijstand records for the demo: a caseload simulated tertial by tertial, 2012 - March 2021.

How it works:
1. A stock of households on bijstand on 31-12-2011, with a long tail of durations.
2. For each tertial: which running stays end (weighted by an exit hazard that falls with
   duration), and how many new stays start. A small local search picks the exits so that on
   the tertial end the number of benefits and partners per municipality and the number of
   statushouders equal the targets (the published figures where there are any, the scenario
   elsewhere); on 31-12-2019 also the persons per duration group of the published table.
   New stays then fill exactly what is missing. Some stays start and end within a tertial.
3. Post-processing that changes no stock on a tertial end: administrative splits (the stay
   continues in a new benefit), interruptions of 1-30 days, partners joining or leaving
   (before 2017), Bbz benefits, IOAW/IOAZ for older applicants.
4. Ages: in the published stock of 31-12-2019 each person gets an age class so that the
   age x duration table follows the published one in proportion; others a plausible age.
5. Reasons for ending: administrative for splits; for stays that really end, WERK exactly
   as often in 2019 as published (with the published number of statushouders among them).
6. Income set off against the benefits, month by month.

The generator only builds records; every figure is computed by the dbt models.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from demo import scenario as sc
from demo.common import (
    DAY,
    Ids,
    add_months,
    add_years,
    age_classes,
    age_on,
    duration_groups,
    interpolate,
    random_day,
    tertial_ends,
    weighted,
    whole_months,
)
from demo.targets import Targets, apportion

D = dt.date
FINAL = D(2019, 12, 31)  # the date of the published age x duration table
AGE_CLASSES = age_classes()
DURATION_GROUPS = duration_groups()  # tot6m, 6mtot2j, and 2jtot5j+vanaf5j: "2 jaar of langer"
LONG = DURATION_GROUPS[-1][0]


# --- dates ---------------------------------------------------------------------------------
def duration_group(start: D, day: D) -> str:
    months = whole_months(start, day)
    return next(
        key
        for key, low, high in DURATION_GROUPS
        if low <= months and (high is None or months < high)
    )


# --- the world -----------------------------------------------------------------------------
@dataclass(eq=False)
class Person:
    id: str
    statushouder: bool
    period_start: D | None = None  # start of the current continuous bijstand period
    last_end: D | None = None
    birth: D | None = None
    verblijfstitel: str = "NL"


@dataclass(eq=False)
class Stay:
    """A household's uninterrupted stay on bijstand in one municipality (>= 1 benefits)."""

    gemeente: str
    start: D
    aanvrager: Person
    partner: Person | None = None
    partner_start: D | None = None
    partner_end: D | None = None  # None: until the stay ends
    end: D | None = None
    regeling: str = "PW"
    cuts: list[tuple[D, str, int]] = field(default_factory=list)  # (last day, kind, gap days)

    def partner_on(self, day: D) -> bool:
        if self.partner is None or self.partner_start > day:
            return False
        end = self.partner_end or self.end
        return end is None or end >= day

    def persons_on(self, day: D) -> list[Person]:
        return [self.aanvrager] + ([self.partner] if self.partner_on(day) else [])


@dataclass(eq=False)
class Benefit:
    id: str
    regeling: str
    gemeente: str
    begin: D
    end: D | None
    reason: str | None
    members: list[tuple[Person, str, D, D | None]]
    stay: Stay | None
    kind: str  # 'einde' (the stay ends or runs), 'administratief', 'onderbreking', 'bbz'


class Caseload:
    def __init__(self, rng: random.Random, targets: Targets, ids: Ids) -> None:
        self.rng, self.targets, self.ids = rng, targets, ids
        self.persons: list[Person] = []
        self.stays: list[Stay] = []
        self.pool: list[Person] = []  # persons not on bijstand now
        self.published = self._published_stocks()
        self.final_groups = self._final_groups()

    # -- targets ----------------------------------------------------------------------------
    def _published_stocks(self) -> dict[str, dict[tuple[str, D], int]]:
        t = self.targets
        stocks: dict[str, dict[tuple[str, D], int]] = {"U": {}, "P": {}, "SH": {}}
        for (gemeente, _b, eind, *_), value in t.by("bijstand.uitkeringen").items():
            stocks["U"][(gemeente, eind)] = int(value)
        for (gemeente, _b, eind, *_), value in t.by("bijstand.partners").items():
            stocks["P"][(gemeente, eind)] = int(value)
        for (gemeente, _b, eind, *_), value in t.by("bijstand.statushouders").items():
            stocks["SH"][(gemeente, eind)] = int(value)
        return stocks

    def _final_groups(self) -> dict[tuple[str, str], int]:
        """Persons on 31-12-2019 per (age class, duration group): the published table, in
        proportion, scaled to the published number of persons (the factsheets' sum)."""
        table = self.targets.by("bijstand.personen_naar_leeftijd_duur", status="inconsistent")
        weights: dict[tuple[str, str], float] = {}
        for (_g, _b, eind, _c, leeftijd, duur), value in table.items():
            if eind == FINAL:
                group = "+".join(duur)
                weights[(leeftijd, group)] = weights.get((leeftijd, group), 0) + value
        total = sum(
            self.stock_target("U", g, FINAL) + self.stock_target("P", g, FINAL) for g in sc.MEMBERS
        )
        return apportion(total, weights)  # type: ignore[return-value]

    def anchor(self, kind: str, gemeente: str, day: D) -> int:
        return self.published[kind][(gemeente, day)]

    def stock_target(self, kind: str, gemeente: str, day: D) -> int:
        """Benefits (U) or partners (P) of a municipality on a tertial end."""
        if gemeente == sc.NON_MEMBER:
            u = interpolate(sc.NON_MEMBER_STOCK, day)
            return round(u if kind == "U" else 0.17 * u)
        published = self.published[kind].get((gemeente, day))
        if published is not None:
            return published
        before = day < D(2019, 1, 1)
        base = D(2018, 12, 31) if before else FINAL
        curve = sc.STOCK_BEFORE if before else sc.STOCK_AFTER
        level = interpolate(curve, day) * self.anchor("U", gemeente, base)
        if kind == "U":
            return round(level)
        share = self.anchor("P", gemeente, base) / self.anchor("U", gemeente, base)
        return round(level * share)

    def statushouder_target(self, day: D) -> int:
        published = self.published["SH"].get(("TOTAAL", day))
        if published is not None:
            return published
        return round(interpolate(sc.STATUSHOUDERS, day))

    # -- people -----------------------------------------------------------------------------
    def new_person(self, statushouder: bool) -> Person:
        person = Person(self.ids.new("c"), statushouder)
        self.persons.append(person)
        return person

    def reentrant(self, statushouder: bool, start: D) -> Person | None:
        """Someone who left bijstand more than 30 days before `start` and comes back."""
        for _ in range(12):
            if not self.pool:
                return None
            i = self.rng.randrange(len(self.pool))
            person = self.pool[i]
            if person.statushouder == statushouder and (start - person.last_end).days > 45:
                self.pool[i] = self.pool[-1]
                self.pool.pop()
                return person
        return None

    def enter(self, person: Person, start: D) -> None:
        if person.last_end is None or (start - person.last_end).days > 30:
            person.period_start = start

    def open_stay(
        self, gemeente: str, start: D, couple: bool, sh: tuple[bool, bool], reentry: bool
    ) -> Stay:
        aanvrager = (self.reentrant(sh[0], start) if reentry else None) or self.new_person(sh[0])
        partner = self.new_person(sh[1]) if couple else None
        for person in filter(None, (aanvrager, partner)):
            self.enter(person, start)
        stay = Stay(gemeente, start, aanvrager, partner, start if partner else None)
        self.stays.append(stay)
        return stay

    def close_stay(self, stay: Stay, end: D) -> None:
        stay.end = end
        for person in filter(None, (stay.aanvrager, stay.partner)):
            person.last_end = end
            self.pool.append(person)

    # -- simulation ---------------------------------------------------------------------------
    def initial_stock(self, day: D) -> None:
        for gemeente in (*sc.MEMBERS, sc.NON_MEMBER):
            n, p = self.stock_target("U", gemeente, day), self.stock_target("P", gemeente, day)
            couples = set(self.rng.sample(range(n), p))
            for i in range(n):
                months = min(
                    sc.INITIAL_DURATION_MAX_MONTHS,
                    int(self.rng.expovariate(1 / sc.INITIAL_DURATION_MEAN_MONTHS)),
                )
                start = add_months(day, -months) - self.rng.randrange(28) * DAY
                self.open_stay(gemeente, start, i in couples, (False, False), reentry=False)
        # Statushouders: whole households where possible, until the target is met exactly.
        sh_left = self.statushouder_target(day)
        candidates = [s for s in self.stays if s.gemeente in sc.MEMBERS]
        for stay in self.rng.sample(candidates, len(candidates)):
            if sh_left == 0:
                break
            stay.aanvrager.statushouder = True
            sh_left -= 1
            if stay.partner is not None and sh_left and self.rng.random() < 0.8:
                stay.partner.statushouder = True
                sh_left -= 1

    def run(self) -> None:
        ends = tertial_ends()
        self.initial_stock(ends[0])
        for previous, current in pairwise(ends):
            self.step(previous, current)

    def active(self, day: D) -> list[str]:
        return [*sc.MEMBERS] + ([sc.NON_MEMBER] if day <= sc.LINGEWAAL_LEAVES else [])

    def step(self, previous: D, current: D) -> None:
        running = [s for s in self.stays if s.end is None]
        gemeenten = self.active(current)
        running = [s for s in running if s.gemeente in gemeenten]
        plan = {g: sc.INFLOW_RATE * sum(s.gemeente == g for s in running) for g in gemeenten}
        exits, new = self.choose_exits(running, previous, current, gemeenten, plan)
        for stay in exits:
            first = max(previous + DAY, stay.start + DAY)
            self.close_stay(stay, self.random_day(first, current - DAY))
        self.add_entries(new, previous, current)
        self.add_short_stays(plan, previous, current)
        if current == sc.LINGEWAAL_LEAVES:
            for stay in self.stays:
                if stay.gemeente == sc.NON_MEMBER and stay.end is None:
                    self.close_stay(stay, current)

    def random_day(self, first: D, last: D) -> D:
        return random_day(self.rng, first, last)

    def choose_exits(
        self,
        running: list[Stay],
        previous: D,
        current: D,
        gemeenten: list[str],
        plan: dict[str, float],
    ):
        """Pick the stays that end in this tertial so that the targets on `current` can be met
        exactly by new stays; return them and what the new stays must bring."""
        final = current == FINAL
        target_u = {g: self.stock_target("U", g, current) for g in gemeenten}
        target_p = {g: self.stock_target("P", g, current) for g in gemeenten}
        target_sh = self.statushouder_target(current)
        groups_needed = Counter()
        if final:
            for (_age, group), n in self.final_groups.items():
                groups_needed[group] += n
        low, high = sc.INFLOW_BOUNDS
        n_min = {g: max(1, round(low * plan[g])) for g in gemeenten}
        n_max = {g: max(n_min[g] + 2, round(high * plan[g])) for g in gemeenten}
        if final:
            n_min = {g: 1 for g in gemeenten}

        # What each stay would still contribute on `current` if it does not end.
        items = []
        for stay in running:
            persons = stay.persons_on(current)
            member = stay.gemeente in sc.MEMBERS
            groups = Counter(duration_group(p.period_start, current) for p in persons)
            items.append(
                (
                    stay,
                    stay.gemeente,
                    int(stay.partner_on(current)),
                    sum(p.statushouder for p in persons) if member else 0,
                    groups["6mtot2j"] if member else 0,
                    groups[LONG] if member else 0,
                    sc.exit_weight(
                        whole_months(stay.aanvrager.period_start, previous),
                        stay.aanvrager.statushouder,
                    ),
                )
            )

        # Start from a hazard-weighted sample of the planned number of exits.
        chosen: set[int] = set()
        for g in gemeenten:
            idx = [i for i, it in enumerate(items) if it[1] == g]
            n_exit = max(0, len(idx) - target_u[g] + round(plan[g]))
            keyed = sorted(idx, key=lambda i: self.rng.random() ** (1 / items[i][6]), reverse=True)
            chosen.update(keyed[: min(n_exit, len(idx))])

        remaining = {"h": Counter(), "p": Counter(), "sh": 0, "6m2j": 0, "2jp": 0}

        def add(i: int, sign: int) -> None:
            _s, g, p, sh, g6, g2, _w = items[i]
            remaining["h"][g] += sign
            remaining["p"][g] += sign * p
            remaining["sh"] += sign * sh
            remaining["6m2j"] += sign * g6
            remaining["2jp"] += sign * g2

        for i in range(len(items)):
            if i not in chosen:
                add(i, 1)

        def penalty() -> float:
            total, new_persons = 0.0, 0
            for g in gemeenten:
                n = target_u[g] - remaining["h"][g]
                p = target_p[g] - remaining["p"][g]
                total += max(0, n_min[g] - n) + max(0, n - n_max[g])
                total += max(0, -p) + max(0.0, p - sc.COUPLE_SHARE_MAX * max(n, 0))
                if g in sc.MEMBERS:
                    new_persons += max(n, 0) + max(p, 0)
            sh = target_sh - remaining["sh"]
            total += max(0, -sh) + max(0.0, sh - 0.7 * new_persons)
            if final:
                total += abs(remaining["6m2j"] - groups_needed["6mtot2j"])
                total += abs(remaining["2jp"] - groups_needed[LONG])
            return total

        # Simulated annealing over toggles and swaps (one stay in, another out, same
        # municipality); a swap can trade a couple for a single without moving the total.
        by_gemeente = defaultdict(list)
        for i, it in enumerate(items):
            by_gemeente[it[1]].append(i)
        weights_max = max((it[6] for it in items), default=1.0)

        def toggle(i: int) -> None:
            if i in chosen:
                add(i, 1)
                chosen.discard(i)
            else:
                add(i, -1)
                chosen.add(i)

        current_penalty = penalty()
        iterations = 300_000
        for step in range(iterations):
            if current_penalty == 0:
                break
            temperature = 0.6 * (1 - step / iterations) + 0.01
            i = self.rng.randrange(len(items))
            if i not in chosen and self.rng.random() > items[i][6] / weights_max:
                continue
            move = [i]
            if self.rng.random() < 0.5:
                j = self.rng.choice(by_gemeente[items[i][1]])
                if (j in chosen) != (i in chosen):
                    move.append(j)
            for k in move:
                toggle(k)
            new_penalty = penalty()
            delta = new_penalty - current_penalty
            if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
                current_penalty = new_penalty
            else:
                for k in move:
                    toggle(k)
        if current_penalty > 0:
            detail = {
                g: (target_u[g] - remaining["h"][g], target_p[g] - remaining["p"][g])
                for g in gemeenten
            }
            raise RuntimeError(
                f"demo: no exits meet the targets of {current} ({current_penalty}): new (n, p) "
                f"{detail}, statushouders {target_sh - remaining['sh']}, groups "
                f"{remaining['6m2j']}/{groups_needed['6mtot2j']} "
                f"{remaining['2jp']}/{groups_needed[LONG]}"
            )

        new = {
            "n": {g: target_u[g] - remaining["h"][g] for g in gemeenten},
            "p": {g: target_p[g] - remaining["p"][g] for g in gemeenten},
            "sh": target_sh - remaining["sh"],
        }
        return [items[i][0] for i in sorted(chosen)], new

    def add_entries(self, new: dict, previous: D, current: D) -> None:
        """New stays that run on `current`: exactly the households, partners and
        statushouders that the targets still need."""
        slots = []  # (gemeente, couple)
        for g, n in new["n"].items():
            couples = set(self.rng.sample(range(n), new["p"][g]))
            slots += [(g, i in couples) for i in range(n)]
        self.rng.shuffle(slots)
        sh_left = new["sh"]
        member_persons = sum(1 + c for g, c in slots if g in sc.MEMBERS)
        flags = []
        for g, couple in slots:
            if g not in sc.MEMBERS:
                flags.append((False, False))
                continue
            share = sh_left / max(member_persons, 1)
            both = couple and sh_left >= 2 and self.rng.random() < min(1.0, share * 1.6)
            one = not both and sh_left >= 1 and self.rng.random() < share
            flags.append((both or one, both))
            sh_left -= 2 * both + one
            member_persons -= 1 + couple
        for k, (g, couple) in enumerate(slots):  # whoever is still needed
            if sh_left and g in sc.MEMBERS and not flags[k][0]:
                flags[k] = (True, flags[k][1])
                sh_left -= 1
            if sh_left and g in sc.MEMBERS and couple and not flags[k][1]:
                flags[k] = (flags[k][0], True)
                sh_left -= 1
        if sh_left:
            raise RuntimeError(f"demo: {sh_left} statushouders could not be placed on {current}")
        for (g, couple), sh in zip(slots, flags, strict=True):
            start = self.random_day(previous + DAY, current)
            reentry = self.rng.random() < sc.REENTRY_SHARE
            self.open_stay(g, start, couple, sh, reentry)

    def add_short_stays(self, plan: dict[str, float], previous: D, current: D) -> None:
        """Stays that start and end within the tertial: they count only as in- and outflow."""
        last_start = current - 45 * DAY
        for g, planned in plan.items():
            n = round(sc.SHORT_SPELL_RATE * planned * self.rng.uniform(0.5, 1.5))
            for _ in range(n):
                start = self.random_day(previous + DAY, last_start)
                sh = g in sc.MEMBERS and self.rng.random() < 0.1
                stay = self.open_stay(g, start, self.rng.random() < 0.1, (sh, sh), reentry=True)
                length = self.rng.randint(14, min(100, (current - start).days - 1))
                self.close_stay(stay, start + length * DAY)


# --- after the simulation ------------------------------------------------------------------
PROTECTED = set(tertial_ends()) | {D(2021, 3, 1)}


class Records:
    """Turns the simulated stays into benefits, memberships, persons and income."""

    def __init__(self, caseload: Caseload) -> None:
        self.c = caseload
        self.rng = caseload.rng
        self.benefits: list[Benefit] = []

    def build(self) -> None:
        self.partner_changes()
        self.plan_cuts()
        self.cut_benefits()
        self.add_bbz()
        self.assign_ages()
        self.assign_regelingen()
        self.assign_reasons()

    # -- events that change no stock on a tertial end -------------------------------------
    def partner_changes(self) -> None:
        """Partners who join or leave during a benefit, in stays that ended before 2017."""
        early = [
            s
            for s in self.c.stays
            if s.end is not None and s.end < D(2017, 9, 1) and (s.end - s.start).days > 240
        ]
        for stay in self.rng.sample(early, min(sc.EARLY_PARTNER_CHANGES, len(early))):
            day = self.c.random_day(stay.start + 60 * DAY, stay.end - 60 * DAY)
            if stay.partner is not None:
                stay.partner_end = day
            else:
                stay.partner = self.c.new_person(stay.aanvrager.statushouder)
                stay.partner_start = day
                stay.partner.last_end = stay.end

    def plan_cuts(self) -> None:
        """Administrative splits (the stay continues in a new benefit the next day) and
        interruptions of 1-30 days that avoid every tertial end."""
        for stay in self.c.stays:
            last = stay.end or sc.EXPORT_DATE
            if (last - stay.start).days < 200:
                continue
            if self.rng.random() < sc.ADMINISTRATIVE_SPLIT_SHARE:
                day = self.c.random_day(stay.start + 60 * DAY, last - 60 * DAY)
                stay.cuts.append((day, "administratief", 1))
            if self.rng.random() < sc.INTERRUPTION_SHARE:
                gap = 30 if self.rng.random() < 0.15 else self.rng.randint(1, 29)
                for _ in range(20):
                    day = self.c.random_day(stay.start + 60 * DAY, last - 90 * DAY)
                    gap_days = {day + k * DAY for k in range(1, gap)}
                    clear = not gap_days & PROTECTED and all(
                        abs((day - cut).days) > 45 for cut, _k, _g in stay.cuts
                    )
                    if clear:
                        stay.cuts.append((day, "onderbreking", gap))
                        break
            stay.cuts.sort()

    def cut_benefits(self) -> None:
        for stay in self.c.stays:
            begin = stay.start
            for day, kind, gap in stay.cuts:
                self.benefits.append(self.benefit(stay, begin, day, kind))
                begin = day + gap * DAY
            self.benefits.append(self.benefit(stay, begin, stay.end, "einde"))

    def benefit(self, stay: Stay, begin: D, end: D | None, kind: str) -> Benefit:
        members: list[tuple[Person, str, D, D | None]] = [(stay.aanvrager, "AANVRAGER", begin, end)]
        if stay.partner is not None:
            p_begin = max(begin, stay.partner_start)
            p_end = stay.partner_end or end
            if end is not None and p_end is not None:
                p_end = min(p_end, end)
            if p_end is None or p_begin <= p_end:
                members.append((stay.partner, "PARTNER", p_begin, p_end))
        return Benefit(
            self.c.ids.new("u"), stay.regeling, stay.gemeente, begin, end, None, members, stay, kind
        )

    def add_bbz(self) -> None:
        """Bbz benefits of self-employed: records of the delivery, never a bijstand figure."""
        for _ in range(sc.BBZ_BENEFITS):
            person = self.c.new_person(False)
            begin = self.c.random_day(D(2012, 3, 1), D(2020, 12, 1))
            end = begin + self.rng.randint(60, 365) * DAY
            end = end if end < sc.EXPORT_DATE else None
            gemeente = self.rng.choice(sc.MEMBERS)
            self.benefits.append(
                Benefit(
                    self.c.ids.new("u"),
                    "BBZ",
                    gemeente,
                    begin,
                    end,
                    None,
                    [(person, "AANVRAGER", begin, end)],
                    None,
                    "bbz",
                )
            )

    # -- ages ---------------------------------------------------------------------------------
    def memberships(self) -> dict[Person, list[tuple[D, D | None]]]:
        spans: dict[Person, list[tuple[D, D | None]]] = defaultdict(list)
        for b in self.benefits:
            for person, _rol, begin, end in b.members:
                spans[person].append((begin, end))
        return spans

    @staticmethod
    def period_start_on(spans: list[tuple[D, D | None]], day: D) -> D | None:
        """Start of the continuous period (gaps of at most 30 days) that contains `day`."""
        start, reach = None, None
        for begin, end in sorted(spans, key=lambda s: s[0]):
            if begin > day:
                break
            if reach is None or (begin - reach).days > 30:
                start = begin
            end = end or D(9999, 12, 31)
            reach = end if reach is None else max(reach, end)
        return start if reach is not None and reach >= day else None

    def final_stock(self) -> dict[Person, str]:
        """Persons on bijstand in a member municipality on 31-12-2019, by duration group."""
        spans = self.memberships()
        stock = {}
        for b in self.benefits:
            if b.regeling == "BBZ" or b.gemeente not in sc.MEMBERS:
                continue
            if b.begin <= FINAL and (b.end is None or b.end >= FINAL):
                for person, _rol, begin, end in b.members:
                    if begin <= FINAL and (end is None or end >= FINAL):
                        start = self.period_start_on(spans[person], FINAL)
                        stock[person] = duration_group(start, FINAL)
        return stock

    def birth_window(self, spans: list[tuple[D, D | None]]) -> tuple[D, D]:
        first = min(b for b, _e in spans)
        last = max((e or sc.EXPORT_DATE) for _b, e in spans)
        return add_years(last, -sc.MAX_AGE) + DAY, add_years(first, -sc.MIN_AGE)

    def assign_ages(self) -> None:
        spans = self.memberships()
        stock = self.final_stock()
        capacity = Counter(self.c.final_groups)
        partner_of: dict[Person, Person] = {}
        for stay in self.c.stays:
            if stay.partner is not None:
                partner_of[stay.partner] = stay.aanvrager
                partner_of[stay.aanvrager] = stay.partner

        def class_window(age_class: str) -> tuple[D, D]:
            low, high = AGE_CLASSES[age_class]
            return add_years(FINAL, -high) + DAY, add_years(FINAL, -low)

        def feasible(person: Person) -> list[str]:
            lo, hi = self.birth_window(spans[person])
            return [
                c for c in AGE_CLASSES if max(lo, class_window(c)[0]) <= min(hi, class_window(c)[1])
            ]

        chosen: dict[Person, str] = {}
        order = sorted(stock, key=lambda p: (len(feasible(p)), self.rng.random()))
        for person in order:
            group = stock[person]
            options = [c for c in feasible(person) if capacity[(c, group)] > 0]
            if not options:
                raise RuntimeError(f"demo: no age class left for a person in group {group}")
            mate = chosen.get(partner_of.get(person))
            weights = [capacity[(c, group)] * (4 if c == mate else 1) for c in options]
            age_class = self.rng.choices(options, weights=weights)[0]
            capacity[(age_class, group)] -= 1
            chosen[person] = age_class
            lo, hi = self.birth_window(spans[person])
            c_lo, c_hi = class_window(age_class)
            person.birth = self.c.random_day(max(lo, c_lo), min(hi, c_hi))
        if sum(capacity.values()):
            raise RuntimeError("demo: the age x duration table was not filled")

        for person in self.c.persons:  # aanvragers first, so partners can follow them
            if person.birth is None and person in spans and person not in partner_of:
                self.plausible_birth(person, spans[person], None)
        for person in self.c.persons:
            if person.birth is None and person in spans:
                mate = partner_of.get(person)
                self.plausible_birth(person, spans[person], mate.birth if mate else None)

    def plausible_birth(self, person: Person, spans, near: D | None) -> None:
        lo, hi = self.birth_window(spans)
        if near is not None:
            wish = near + self.rng.randint(-6 * 365, 6 * 365) * DAY
        else:
            low, high, _w = self.rng.choices(sc.AGE_AT_START, [w for *_r, w in sc.AGE_AT_START])[0]
            first = min(b for b, _e in spans)
            wish = add_years(first, -self.rng.randint(low, high)) - self.rng.randrange(365) * DAY
        person.birth = min(max(wish, lo), hi)

    # -- schemes and reasons ------------------------------------------------------------------
    def assign_regelingen(self) -> None:
        """IOAW for some applicants of 50 and over born before 1965, IOAZ for a few of 55+."""
        for stay in self.c.stays:
            age = age_on(stay.aanvrager.birth, stay.start)
            draw = self.rng.random()
            if age >= 55 and draw < 0.04:
                stay.regeling = "IOAZ"
            elif age >= 50 and stay.aanvrager.birth < D(1965, 1, 1) and draw < 0.25:
                stay.regeling = "IOAW"
        for b in self.benefits:
            if b.stay is not None:
                b.regeling = b.stay.regeling

    def statushouders_at_end(self, b: Benefit) -> int:
        return sum(
            p.statushouder
            for p, _r, begin, end in b.members
            if begin <= b.end and (end is None or end >= b.end)
        )

    def assign_reasons(self) -> None:
        work = self.c.targets.by("bijstand.uitstroom")
        sh_work = self.c.targets.by("bijstand.statushouders_uitstroom_werk")
        work_by_year = {
            k[2].year: int(v) for k, v in work.items() if k[0] == "TOTAAL" and k[3] == "WERK"
        }
        sh_by_year = {k[2].year: int(v) for k, v in sh_work.items() if k[0] == "TOTAAL"}
        outflow: dict[int, list[Benefit]] = defaultdict(list)
        for b in self.benefits:
            if b.end is None:
                continue
            if b.kind == "administratief" or (
                b.gemeente == sc.NON_MEMBER and b.end == sc.LINGEWAAL_LEAVES
            ):
                b.reason = "ADMINISTRATIEF"
            elif b.kind == "onderbreking":
                b.reason = weighted(self.rng, sc.INTERRUPTION_REASONS)
            elif b.kind == "bbz":
                b.reason = weighted(self.rng, {"ONDERNEMING": 0.6, "WERK": 0.2, "OVERIG": 0.2})
            elif b.gemeente in sc.MEMBERS and b.end.year in work_by_year:
                outflow[b.end.year].append(b)
            else:
                b.reason = self.reason(b, self.rng.random() < sc.WORK_SHARE_OTHER_YEARS)
        for year, candidates in outflow.items():
            for b in candidates:
                b.reason = self.reason(b, False)
            for b in self.choose_work(candidates, work_by_year[year], sh_by_year.get(year)):
                b.reason = self.reason(b, True)

    def reason(self, b: Benefit, to_work: bool) -> str:
        if to_work:
            return "ONDERNEMING" if self.rng.random() < sc.ONDERNEMING_SHARE_OF_WORK else "WERK"
        age = age_on(b.members[0][0].birth, b.end)
        if age >= 65:
            return "ANDERE_UITKERING"
        options = dict(sc.OTHER_REASONS)
        if age < 27:
            options["STUDIE"] *= 4
        if age > 55:
            options["OVERLIJDEN"] *= 3
            options["ANDERE_UITKERING"] *= 3
        return weighted(self.rng, options)

    def choose_work(self, candidates: list[Benefit], n: int, statushouders: int | None):
        """n benefits that end in work, with exactly `statushouders` statushouders among
        the persons on them on their last day."""
        pool = self.rng.sample(candidates, len(candidates))
        with_sh = [b for b in pool if self.statushouders_at_end(b)]
        without = [b for b in pool if not self.statushouders_at_end(b)]
        chosen, sh = [], 0
        if statushouders is not None:
            for b in with_sh:
                k = self.statushouders_at_end(b)
                if sh + k <= statushouders:
                    chosen.append(b)
                    sh += k
            if sh != statushouders:
                raise RuntimeError("demo: cannot place the published statushouders in work")
        else:
            without = pool
        rest = n - len(chosen)
        if rest > len(without) or rest < 0:
            raise RuntimeError("demo: not enough outflow for the published outflow to work")
        younger = sorted(
            without, key=lambda b: age_on(b.members[0][0].birth, b.end) + self.rng.uniform(0, 40)
        )
        return chosen + younger[:rest]

    # -- income -------------------------------------------------------------------------------
    def month_ends(self, first: D, last: D):
        day = D(first.year, first.month, 1)
        while day <= last:
            end = add_months(day, 1) - DAY
            yield day, min(end, last)
            day = add_months(day, 1)

    def income(self) -> list[dict[str, object]]:
        """Income set off against the benefits: jobs that come and go, some other income."""
        by_stay: dict[Stay, list[Benefit]] = defaultdict(list)
        for b in self.benefits:
            if b.stay is not None:
                by_stay[b.stay].append(b)
        rows = []
        for stay, benefits in by_stay.items():
            last = stay.end or sc.EXPORT_DATE
            job_left, amount = 0, 0.0
            earner = stay.aanvrager
            other = (
                round(self.rng.uniform(80, 400), 2)
                if self.rng.random() < sc.OTHER_INCOME_SHARE
                else None
            )
            for month, day in self.month_ends(stay.start, last):
                benefit = next(
                    (b for b in benefits if b.begin <= day and (b.end is None or b.end >= day)),
                    None,
                )
                if benefit is None:
                    continue
                if job_left == 0 and self.rng.random() < sc.WORK_START_PER_MONTH:
                    job_left = self.rng.randint(*sc.WORK_MONTHS)
                    amount = self.rng.uniform(*sc.WORK_AMOUNT)
                    on_day = [
                        p for p, _r, b, e in benefit.members if b <= day and (e is None or e >= day)
                    ]
                    earner = self.rng.choice(on_day) if self.rng.random() < 0.2 else stay.aanvrager
                maand = f"{month.year}-{month.month:02d}"
                if job_left:
                    paid = 0.0 if self.rng.random() < 0.04 else amount * self.rng.uniform(0.8, 1.2)
                    rows.append(
                        {
                            "uitkering_id": benefit.id,
                            "client_id": earner.id,
                            "maand": maand,
                            "soort": "ARBEID",
                            "bedrag": round(paid, 2),
                        }
                    )
                    job_left -= 1
                if other is not None:
                    rows.append(
                        {
                            "uitkering_id": benefit.id,
                            "client_id": stay.aanvrager.id,
                            "maand": maand,
                            "soort": "OVERIG",
                            "bedrag": other,
                        }
                    )
        return rows

    # -- the extracts -------------------------------------------------------------------------
    def tables(self) -> dict[str, list[dict[str, object]]]:
        persons = sorted({p for b in self.benefits for p, *_ in b.members}, key=lambda p: p.id)
        for person in persons:
            person.verblijfstitel = (
                "ASIEL"
                if person.statushouder
                else weighted(self.rng, sc.VERBLIJFSTITELS_NIET_ASIEL)
            )
        personen = [
            {"client_id": p.id, "geboortedatum": p.birth, "verblijfstitel": p.verblijfstitel}
            for p in persons
        ]
        uitkeringen, leden = [], []
        for b in sorted(self.benefits, key=lambda b: (b.begin, b.id)):
            uitkeringen.append(
                {
                    "uitkering_id": b.id,
                    "regeling": b.regeling,
                    "gemeente_code": b.gemeente,
                    "begindatum": b.begin,
                    "einddatum": b.end,
                    "reden_beeindiging": b.reason,
                }
            )
            for person, rol, begin, end in b.members:
                # Half of the memberships that last until the benefit ends leave einddatum
                # empty, as the contract allows.
                open_end = end == b.end and self.rng.random() < 0.5
                leden.append(
                    {
                        "uitkering_id": b.id,
                        "client_id": person.id,
                        "rol": rol,
                        "begindatum": begin,
                        "einddatum": None if open_end else end,
                    }
                )
        return self.history_from_first_day(
            {
                "personen": personen,
                "uitkeringen": uitkeringen,
                "uitkering_personen": leden,
                "inkomsten": self.income(),
            }
        )

    def history_from_first_day(
        self, tables: dict[str, list[dict[str, object]]]
    ) -> dict[str, list[dict[str, object]]]:
        """The extracts as a system that took over the caseload on the demo's first day holds
        them: a benefit of a stay that ended before that day (cut off by a split or an
        interruption) is one with the benefit that continued the stay, which begins when it
        began; a partner who had left by then is not on it. A delivery's history then starts
        where the demo's world does, and with it the cohorts (int_cohortjaren). Done on the
        rows, so that no random choice of the simulation changes."""
        into: dict[str, str] = {}  # a benefit's id: the id of the benefit it is one with
        for benefits in self.by_stay().values():
            target = None
            for b in reversed(benefits):
                if target is not None and b.end is not None and b.end < sc.FIRST_DAY:
                    into[b.id] = target
                else:
                    target = b.id
        begins: dict[str, object] = {}
        for row in tables["uitkeringen"]:
            if row["uitkering_id"] in into:
                target = into[row["uitkering_id"]]
                begins[target] = min(begins.get(target, row["begindatum"]), row["begindatum"])
        uitkeringen = []
        for row in tables["uitkeringen"]:
            if row["uitkering_id"] not in into:
                uitkeringen.append(
                    row | {"begindatum": begins.get(row["uitkering_id"], row["begindatum"])}
                )
        first_membership: dict[tuple[str, str], object] = {}
        for row in tables["uitkering_personen"]:
            if row["uitkering_id"] in into:
                key = (into[row["uitkering_id"]], row["client_id"])
                first_membership[key] = min(
                    first_membership.get(key, row["begindatum"]), row["begindatum"]
                )
        leden = [
            row
            | {
                "begindatum": first_membership.get(
                    (row["uitkering_id"], row["client_id"]), row["begindatum"]
                )
            }
            for row in tables["uitkering_personen"]
            if row["uitkering_id"] not in into
        ]
        inkomsten = [
            row | {"uitkering_id": into[row["uitkering_id"]]}
            if row["uitkering_id"] in into
            else row
            for row in tables["inkomsten"]
        ]
        return tables | {
            "uitkeringen": uitkeringen,
            "uitkering_personen": leden,
            "inkomsten": inkomsten,
        }

    def by_stay(self) -> dict[int, list[Benefit]]:
        stays: dict[int, list[Benefit]] = defaultdict(list)
        for b in self.benefits:
            if b.stay is not None:
                stays[id(b.stay)].append(b)
        return {k: sorted(v, key=lambda b: b.begin) for k, v in stays.items()}


def bijstand_tables(
    rng: random.Random, targets: Targets, ids: Ids
) -> dict[str, list[dict[str, object]]]:
    """The four bijstand extracts of the demo delivery."""
    caseload = Caseload(rng, targets, ids)
    caseload.run()
    records = Records(caseload)
    records.build()
    return records.tables()
