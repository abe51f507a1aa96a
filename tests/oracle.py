"""An independent computation of every indicator, straight from the definitions.

Plain Python over the delivery's CSV files, written from the definitions in the README (and
indicators.md) without looking at the SQL: days are checked one by one where the definition
speaks of days, ages and durations are counted up year by year and month by month. The tests
compare it with the published mart, cell by cell. It assumes a delivery that follows the
contract (no rows to set aside).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

D = dt.date
DAY = dt.timedelta(days=1)
MEMBERS = ("GM0512", "GM1978", "GM1961")
BIJSTAND = {"PW", "IOAW", "IOAZ"}
FAR = D(9999, 12, 31)

OUTFLOW = {
    "WERK": "WERK",
    "ONDERNEMING": "WERK",
    "ANDERE_UITKERING": "INKOMSTEN",
    "INKOMEN_PARTNER": "INKOMSTEN",
    "VERMOGEN": "INKOMSTEN",
    "VERHUIZING": "VERHUIZING",
    "HANDHAVING": "HANDHAVING",
    "DETENTIE": "OVERIG",
    "OVERLIJDEN": "OVERIG",
    "STUDIE": "OVERIG",
    "OVERIG": "OVERIG",
}
PLACEMENTS = (
    "BESCHUT",
    "DETACHERING",
    "WERKEN_OP_LOCATIE",
    "ZAKELIJKE_DIENSTVERLENING",
    "ONBEKEND",
)
TRAJECTS = ("EENVOUDIG", "EENVOUDIG_GEMIDDELD", "COMPLEX_DFD", "COMPLEX_MINNELIJK_WETTELIJK")
MINIMA = (
    "CZV",
    "CHRONISCH_ZIEKEN",
    "IIT",
    "RDF",
    "LEERGELD",
    "BB_WOONKOSTEN",
    "BB_BEWINDVOERING",
    "BB_OVERIG",
)
USE_UNITS = {
    "CZV": "personen",
    "CHRONISCH_ZIEKEN": "personen",
    "IIT": "huishoudens",
    "RDF": "personen",
    "LEERGELD": "kinderen",
}
AGES = ("tot28", "28tot48", "vanaf48")
DURATIONS = ("tot6m", "6mtot2j", "2jtot5j", "vanaf5j")


# Figures are on today's boundaries: the codes of municipalities that merged into a member
# (CBS, gemeentelijke herindelingen 2013 and 2019) count for that member.
TODAY = {
    "GM0545": "GM1961",  # Leerdam
    "GM0707": "GM1961",  # Zederik
    "GM0620": "GM1961",  # Vianen
    "GM0689": "GM1978",  # Giessenlanden
    "GM1927": "GM1978",  # Molenwaard
    "GM0693": "GM1978",  # Graafstroom, via Molenwaard
    "GM0694": "GM1978",  # Liesveld, via Molenwaard
    "GM0655": "GM1978",  # Nieuw-Lekkerland, via Molenwaard
}


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        rows = [
            {
                k.strip().lower(): (v.strip() or None) if v is not None else None
                for k, v in row.items()
            }
            for row in reader
        ]
    for row in rows:
        if row.get("gemeente_code") in TODAY:
            row["gemeente_code"] = TODAY[row["gemeente_code"]]
    return rows


def date(text: str | None) -> D | None:
    if text is None:
        return None
    day, month, year = text.split("-")
    return D(int(year), int(month), int(day))


def amount(text: str) -> float:
    return float(text.replace(",", "."))


def plus_months(day: D, months: int) -> D:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age(birth: D, day: D) -> int:
    n = 0
    while plus_months(birth, 12 * (n + 1)) <= day:
        n += 1
    return n


def whole_months(start: D, day: D) -> int:
    m = 0
    while plus_months(start, m + 1) <= day:
        m += 1
    return m


def age_class(years: int) -> str:
    return "tot28" if years < 28 else "28tot48" if years < 48 else "vanaf48"


def duration_class(months: int) -> str:
    if months < 6:
        return "tot6m"
    if months < 24:
        return "6mtot2j"
    return "2jtot5j" if months < 60 else "vanaf5j"


def runs(begin: D, end: D | None, day: D) -> bool:
    return begin <= day and (end is None or end >= day)


def reference_dates(jaar: int, extra: list[D]) -> list[D]:
    dates = [D(jaar - 2, 12, 31)]
    for y in (jaar - 1, jaar):
        dates += [D(y, 4, 30), D(y, 8, 31), D(y, 12, 31)]
    return sorted(set(dates) | set(extra))


def periods(jaar: int, tertials: bool = True) -> list[tuple[D, D]]:
    result = []
    for y in (jaar - 1, jaar):
        if tertials:
            result += [
                (D(y, 1, 1), D(y, 4, 30)),
                (D(y, 5, 1), D(y, 8, 31)),
                (D(y, 9, 1), D(y, 12, 31)),
            ]
        result.append((D(y, 1, 1), D(y, 12, 31)))
    return result


# Dates that say when something happened (not planned ends), per file: the export date of a
# folder not named for it is the latest of them (and of the months of income).
EVENT_DATES = {
    "personen.csv": ("geboortedatum",),
    "uitkeringen.csv": ("begindatum",),
    "uitkering_personen.csv": ("begindatum",),
    "sw_dienstverbanden.csv": ("begindatum",),
    "sw_plaatsingen.csv": ("begindatum",),
    "minima_verstrekkingen.csv": ("betaaldatum",),
    "schuldhulp_producten.csv": ("begindatum",),
    "buig_boekingen.csv": ("boekdatum",),
    "tozo_besluiten.csv": ("besluitdatum",),
    "banenafspraak_plaatsingen.csv": ("begindatum",),
}
# The organisation's configuration the definitions use: its targets for the banenafspraak.
ORGANISATION = Path(__file__).resolve().parent.parent / "organisaties" / "avres"


def export_date(folder: Path) -> D:
    try:
        return D.fromisoformat(folder.name)
    except ValueError:
        pass
    found = []
    for name, columns in EVENT_DATES.items():
        if (folder / name).exists():
            found += [date(r[c]) for r in read(folder, name) for c in columns if r[c]]
    if (folder / "inkomsten.csv").exists():
        found += [D.fromisoformat(r["maand"] + "-01") for r in read(folder, "inkomsten.csv")]
    return max(d for d in found if 1900 <= d.year <= 2100 and d <= D.today())


class Oracle:
    def __init__(self, folder: Path, jaar: int, extra: list[D] | None = None) -> None:
        self.folder, self.jaar = folder, jaar
        self.exportdatum = export_date(folder)
        # No figures about a day after the export date.
        self.dates = [d for d in reference_dates(jaar, extra or []) if d <= self.exportdatum]
        self.cells: dict[tuple, float] = {}
        self.units: dict[tuple, str] = {}
        self.load()

    def periods(self, tertials: bool = True) -> list[tuple[D, D]]:
        return [(b, e) for b, e in periods(self.jaar, tertials) if e <= self.exportdatum]

    # -- the cube ---------------------------------------------------------------------------
    def put(self, indicator, unit, begin, end, counts, categorie=None, age=None, duration=None):
        """Cells for every member (zero when absent) and TOTAAL = their sum."""
        total = 0.0
        for gemeente in MEMBERS:
            value = counts.get(gemeente, 0.0)
            total += value
            key = (indicator, gemeente, begin, end, categorie, age, duration)
            self.cells[key], self.units[key] = value, unit
        key = (indicator, "TOTAAL", begin, end, categorie, age, duration)
        self.cells[key], self.units[key] = total, unit

    def load(self) -> None:
        f = self.folder
        self.benefits = {r["uitkering_id"]: r for r in read(f, "uitkeringen.csv")}
        for b in self.benefits.values():
            b["begin"], b["end"] = date(b["begindatum"]), date(b["einddatum"])
        self.persons = {r["client_id"]: r for r in read(f, "personen.csv")}
        self.members = []
        for r in read(f, "uitkering_personen.csv"):
            b = self.benefits[r["uitkering_id"]]
            r["begin"], r["end"] = date(r["begindatum"]), date(r["einddatum"]) or b["end"]
            r["benefit"] = b
            self.members.append(r)
        self.bijstand_members_of = defaultdict(list)
        for m in self.members:
            if m["benefit"]["regeling"] in BIJSTAND:
                self.bijstand_members_of[m["client_id"]].append(m)
        self.income = read(f, "inkomsten.csv")

    # -- bijstand ---------------------------------------------------------------------------
    def on_bijstand(self, client: str, day: D) -> bool:
        return any(
            runs(m["begin"], m["end"], day)
            and runs(m["benefit"]["begin"], m["benefit"]["end"], day)
            for m in self.bijstand_members_of[client]
        )

    def period(self, client: str, day: D) -> tuple[D, D]:
        """The continuous period containing `day` (first day, last day or FAR while it runs):
        memberships merged where the next starts at most 30 days after the previous one
        ended."""
        merged: list[list[D]] = []
        for begin, end in sorted(
            (m["begin"], m["end"] or FAR) for m in self.bijstand_members_of[client]
        ):
            if merged and begin <= merged[-1][1] + 30 * DAY:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([begin, end])
        return next((start, reach) for start, reach in merged if start <= day <= reach)

    def period_start(self, client: str, day: D) -> D:
        return self.period(client, day)[0]

    def bijstand(self) -> None:
        benefits = [b for b in self.benefits.values() if b["regeling"] in BIJSTAND]
        aanvrager = {
            m["uitkering_id"]: m["client_id"] for m in self.members if m["rol"] == "AANVRAGER"
        }
        income_months = {
            (r["uitkering_id"], r["maand"])
            for r in self.income
            if r["soort"] == "ARBEID" and amount(r["bedrag"]) > 0
        }
        for day in self.dates:
            running = [b for b in benefits if runs(b["begin"], b["end"], day)]
            count, by_age, with_work = defaultdict(float), defaultdict(float), defaultdict(float)
            for b in running:
                g = b["gemeente_code"]
                count[g] += 1
                birth = date(self.persons[aanvrager[b["uitkering_id"]]]["geboortedatum"])
                by_age[(g, age_class(age(birth, day)))] += 1
                if (b["uitkering_id"], f"{day.year}-{day.month:02d}") in income_months:
                    with_work[g] += 1
            on = {}  # (gemeente, client) -> rol set
            for m in self.members:
                b = m["benefit"]
                if (
                    b["regeling"] in BIJSTAND
                    and runs(b["begin"], b["end"], day)
                    and runs(m["begin"], m["end"], day)
                ):
                    on.setdefault((b["gemeente_code"], m["client_id"]), set()).add(m["rol"])
            persons, partners, sh, grid = (defaultdict(float) for _ in range(4))
            for (g, client), roles in on.items():
                persons[g] += 1
                partners[g] += "PARTNER" in roles
                person = self.persons[client]
                sh[g] += person["verblijfstitel"] == "ASIEL"
                a = age_class(age(date(person["geboortedatum"]), day))
                d = duration_class(whole_months(self.period_start(client, day), day))
                grid[(g, a, d)] += 1
            self.put("bijstand.uitkeringen", "uitkeringen", None, day, count)
            self.put("bijstand.partners", "personen", None, day, partners)
            self.put("bijstand.personen", "personen", None, day, persons)
            self.put("bijstand.aanvullend_arbeid", "uitkeringen", None, day, with_work)
            self.put("bijstand.statushouders", "personen", None, day, sh)
            for a in AGES:
                self.put(
                    "bijstand.uitkeringen_naar_leeftijd",
                    "uitkeringen",
                    None,
                    day,
                    {g: by_age[(g, a)] for g in MEMBERS},
                    age=a,
                )
                for d in DURATIONS:
                    self.put(
                        "bijstand.personen_naar_leeftijd_duur",
                        "personen",
                        None,
                        day,
                        {g: grid[(g, a, d)] for g in MEMBERS},
                        age=a,
                        duration=d,
                    )

        inflow = [
            b
            for b in benefits
            if not any(
                self.on_bijstand(aanvrager[b["uitkering_id"]], b["begin"] - k * DAY)
                for k in range(1, 31)
            )
        ]
        outflow = [
            b
            for b in benefits
            if b["end"] is not None
            and b["reden_beeindiging"] != "ADMINISTRATIEF"
            and not any(
                self.on_bijstand(aanvrager[b["uitkering_id"]], b["end"] + k * DAY)
                for k in range(1, 31)
            )
        ]
        for begin, end in self.periods():
            counts = defaultdict(float)
            for b in inflow:
                if begin <= b["begin"] <= end:
                    counts[b["gemeente_code"]] += 1
            self.put("bijstand.instroom", "uitkeringen", begin, end, counts)
            by_cat = defaultdict(float)
            for b in outflow:
                if begin <= b["end"] <= end:
                    by_cat[(b["gemeente_code"], OUTFLOW[b["reden_beeindiging"]])] += 1
            for cat in ("WERK", "INKOMSTEN", "VERHUIZING", "HANDHAVING", "OVERIG"):
                self.put(
                    "bijstand.uitstroom",
                    "uitkeringen",
                    begin,
                    end,
                    {g: by_cat[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )
        self.inflow, self.outflow, self.aanvrager = inflow, outflow, aanvrager
        for begin, end in self.periods(tertials=False):
            found = defaultdict(set)
            for b in outflow:
                if begin <= b["end"] <= end and OUTFLOW[b["reden_beeindiging"]] == "WERK":
                    for m in self.members:
                        on_last_day = m["uitkering_id"] == b["uitkering_id"] and runs(
                            m["begin"], m["end"], b["end"]
                        )
                        if (
                            on_last_day
                            and self.persons[m["client_id"]]["verblijfstitel"] == "ASIEL"
                        ):
                            found[b["gemeente_code"]].add(m["client_id"])
            self.put(
                "bijstand.statushouders_uitstroom_werk",
                "personen",
                begin,
                end,
                {g: float(len(v)) for g, v in found.items()},
            )

    # -- duration and cohorts -------------------------------------------------------------------
    def cohort_years(self) -> list[int]:
        """From the first year whose 30 days before 1 January the bijstand records cover (the
        records' first date: the first ending, or the first begin when nothing ended) through
        the report year, each ending by the export date."""
        ends = [b["end"] for b in self.benefits.values() if b["end"] is not None]
        first = (
            min(ends) if ends else min((b["begin"] for b in self.benefits.values()), default=None)
        )
        if first is None:
            return []
        return [
            j
            for j in range(first.year, self.jaar + 1)
            if first <= D(j, 1, 1) - 30 * DAY and D(j, 12, 31) <= self.exportdatum
        ]

    def cohorts(self) -> None:
        years = self.cohort_years()
        for j in years:
            begin, end = D(j, 1, 1), D(j, 12, 31)
            entered = [b for b in self.inflow if begin <= b["begin"] <= end]
            counts = defaultdict(float)
            for b in entered:
                client = self.aanvrager[b["uitkering_id"]]
                a = age_class(age(date(self.persons[client]["geboortedatum"]), b["begin"]))
                counts[(b["gemeente_code"], a)] += 1
            for a in AGES:
                self.put(
                    "bijstand.instroomcohort",
                    "uitkeringen",
                    begin,
                    end,
                    {g: counts[(g, a)] for g in MEMBERS},
                    age=a,
                )
            for n in range(1, 11):
                if j + n > self.jaar or D(j + n, 12, 31) > self.exportdatum:
                    continue
                still = defaultdict(float)
                for b in entered:
                    client = self.aanvrager[b["uitkering_id"]]
                    start, reach = self.period(client, b["begin"])
                    assert start == b["begin"], "an inflow benefit begins a new period"
                    if reach >= plus_months(b["begin"], 12 * n):
                        a = age_class(age(date(self.persons[client]["geboortedatum"]), b["begin"]))
                        still[(b["gemeente_code"], a)] += 1
                for a in AGES:
                    self.put(
                        "bijstand.cohort_nog_in_bijstand",
                        "uitkeringen",
                        begin,
                        end,
                        {g: still[(g, a)] for g in MEMBERS},
                        categorie=f"NA_{n}_JAAR",
                        age=a,
                    )
        for begin, end in self.periods():
            counts = defaultdict(float)
            for b in self.outflow:
                if begin <= b["end"] <= end:
                    start = self.period_start(self.aanvrager[b["uitkering_id"]], b["end"])
                    counts[(b["gemeente_code"], duration_class(whole_months(start, b["end"])))] += 1
            for d in DURATIONS:
                self.put(
                    "bijstand.uitstroom_naar_duur",
                    "uitkeringen",
                    begin,
                    end,
                    {g: counts[(g, d)] for g in MEMBERS},
                    duration=d,
                )
        windows = ((6, "BINNEN_6_MAANDEN"), (12, "6_TOT_12_MAANDEN"), (24, "12_TOT_24_MAANDEN"))
        for p in years:
            if D(p + 2, 12, 31) > min(D(self.jaar, 12, 31), self.exportdatum):
                continue
            counts = defaultdict(float)
            for b in self.outflow:
                if b["end"].year != p:
                    continue
                client = self.aanvrager[b["uitkering_id"]]
                later = [
                    m["begin"] for m in self.bijstand_members_of[client] if m["begin"] > b["end"]
                ]
                back = min(later, default=None)
                category = next(
                    (
                        c
                        for months, c in windows
                        if back is not None and back <= plus_months(b["end"], months)
                    ),
                    "NIET_BINNEN_24_MAANDEN",
                )
                counts[(b["gemeente_code"], category)] += 1
            for _months, c in (*windows, (None, "NIET_BINNEN_24_MAANDEN")):
                self.put(
                    "bijstand.herinstroom",
                    "uitkeringen",
                    D(p, 1, 1),
                    D(p, 12, 31),
                    {g: counts[(g, c)] for g in MEMBERS},
                    categorie=c,
                )

    # -- the other domains --------------------------------------------------------------------
    def sw(self) -> None:
        employments = read(self.folder, "sw_dienstverbanden.csv")
        placements = defaultdict(list)
        for p in read(self.folder, "sw_plaatsingen.csv"):
            placements[p["dienstverband_id"]].append(p)
        for day in self.dates:
            staff, fte, nb = defaultdict(float), defaultdict(float), defaultdict(float)
            for e in employments:
                if not runs(date(e["begindatum"]), date(e["einddatum"]), day):
                    continue
                g = e["gemeente_code"]
                if e["regeling"] == "WSW":
                    cat = next(
                        (
                            p["categorie"]
                            for p in placements[e["dienstverband_id"]]
                            if runs(date(p["begindatum"]), date(p["einddatum"]), day)
                        ),
                        "ONBEKEND",
                    )
                    staff[(g, cat)] += 1
                    fte[(g, cat)] += float(e["uren_per_week"].replace(",", ".")) / 36
                else:
                    nb[(g, e["regeling"])] += 1
            for cat in PLACEMENTS:
                self.put(
                    "sw.medewerkers",
                    "medewerkers",
                    None,
                    day,
                    {g: staff[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )
                self.put(
                    "sw.fte", "fte", None, day, {g: fte[(g, cat)] for g in MEMBERS}, categorie=cat
                )
            for cat in ("NIEUW_BESCHUT", "WACHTLIJSTBAAN"):
                self.put(
                    "nieuw_beschut.medewerkers",
                    "medewerkers",
                    None,
                    day,
                    {g: nb[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )
        for begin, end in self.periods(tertials=False):
            started = defaultdict(float)
            for e in employments:
                if e["regeling"] != "WSW" and begin <= date(e["begindatum"]) <= end:
                    started[(e["gemeente_code"], e["regeling"])] += 1
            for cat in ("NIEUW_BESCHUT", "WACHTLIJSTBAAN"):
                self.put(
                    "nieuw_beschut.instroom",
                    "medewerkers",
                    begin,
                    end,
                    {g: started[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )

    def schuldhulp(self) -> None:
        products = read(self.folder, "schuldhulp_producten.csv")
        for day in self.dates:
            running = defaultdict(float)
            for p in products:
                if runs(date(p["begindatum"]), date(p["einddatum"]), day):
                    cat = "TRAJECT" if p["product"] in TRAJECTS else p["product"]
                    running[(p["gemeente_code"], cat)] += 1
            for cat in ("LENING", "BUDGETBEHEER", "TRAJECT"):
                self.put(
                    "schuldhulp.lopend",
                    "trajecten",
                    None,
                    day,
                    {g: running[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )
        for begin, end in self.periods(tertials=False):
            started = defaultdict(float)
            for p in products:
                if p["product"] in TRAJECTS and begin <= date(p["begindatum"]) <= end:
                    started[(p["gemeente_code"], p["product"])] += 1
            for cat in TRAJECTS:
                self.put(
                    "schuldhulp.instroom",
                    "trajecten",
                    begin,
                    end,
                    {g: started[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )

    def minima(self) -> None:
        payments = read(self.folder, "minima_verstrekkingen.csv")
        for begin, end in self.periods(tertials=False):
            spent, per_unit = defaultdict(float), defaultdict(float)
            for p in payments:
                if begin <= date(p["betaaldatum"]) <= end:
                    spent[(p["gemeente_code"], p["regeling"])] += amount(p["bedrag"])
                    per_unit[(p["gemeente_code"], p["regeling"], p["begunstigde_id"])] += amount(
                        p["bedrag"]
                    )
            users = defaultdict(float)
            for (g, regeling, _unit), total in per_unit.items():
                if total > 0.000001:
                    users[(g, regeling)] += 1
            for cat in MINIMA:
                self.put(
                    "minima.uitgaven",
                    "euro",
                    begin,
                    end,
                    {g: round(spent[(g, cat)], 6) for g in MEMBERS},
                    categorie=cat,
                )
                if cat in USE_UNITS:
                    self.put(
                        "minima.gebruik",
                        USE_UNITS[cat],
                        begin,
                        end,
                        {g: users[(g, cat)] for g in MEMBERS},
                        categorie=cat,
                    )

    def buig_and_tozo(self) -> None:
        bookings = read(self.folder, "buig_boekingen.csv")
        decisions = read(self.folder, "tozo_besluiten.csv")
        for day in self.dates:
            spent = defaultdict(float)
            for b in bookings:
                if D(day.year, 1, 1) <= date(b["boekdatum"]) <= day:
                    spent[(b["gemeente_code"], b["soort"])] += amount(b["bedrag"])
            for cat in ("UITKERING", "LOONKOSTENSUBSIDIE"):
                self.put(
                    "buig.uitgaven_cumulatief",
                    "euro",
                    None,
                    day,
                    {g: round(spent[(g, cat)], 6) for g in MEMBERS},
                    categorie=cat,
                )
            living, capital = defaultdict(float), defaultdict(float)
            for t in decisions:
                if date(t["besluitdatum"]) <= day:
                    if t["soort"] == "LEVENSONDERHOUD":
                        living[(t["gemeente_code"], t["regeling"])] += 1
                    else:
                        capital[t["gemeente_code"]] += 1
            for cat in ("TOZO1", "TOZO2", "TOZO3", "TOZO4", "TOZO5"):
                self.put(
                    "tozo.besluiten",
                    "besluiten",
                    None,
                    day,
                    {g: living[(g, cat)] for g in MEMBERS},
                    categorie=cat,
                )
            self.put("tozo.bedrijfskapitaal", "besluiten", None, day, capital)

    def banenafspraak(self) -> None:
        path = self.folder / "banenafspraak_plaatsingen.csv"
        placements = read(self.folder, path.name) if path.exists() else []
        with (ORGANISATION / "banenafspraak_doelstellingen.csv").open(encoding="utf-8") as handle:
            targets = {int(r["jaar"]): float(r["doelstelling"]) for r in csv.DictReader(handle)}
        for day in self.dates:
            jobs, people = defaultdict(float), defaultdict(set)
            for p in placements:
                begin = date(p["begindatum"])
                if runs(begin, date(p["einddatum"]), day):
                    jobs[p["gemeente_code"]] += 1
                if D(2016, 1, 1) <= begin <= day:
                    people[p["gemeente_code"]].add(p["client_id"])
            self.put("banenafspraak.banen", "banen", None, day, jobs)
            self.put(
                "banenafspraak.personen_sinds_2016",
                "personen",
                None,
                day,
                {g: float(len(v)) for g, v in people.items()},
            )
            if day.year in targets:  # the region only, and only where a target is set
                key = ("banenafspraak.doelstelling", "TOTAAL", None, day, None, None, None)
                self.cells[key], self.units[key] = targets[day.year], "banen"

    def compute(
        self,
        domains: tuple[str, ...] = (
            "bijstand",
            "cohorts",
            "sw",
            "schuldhulp",
            "minima",
            "buig_and_tozo",
            "banenafspraak",
        ),
    ):
        for domain in domains:
            getattr(self, domain)()
        return self.cells
