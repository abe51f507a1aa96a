"""Random deliveries that follow the contract, dense with the edges of the definitions.

Dates cluster on and around the reference dates and period bounds, month ends and
29 February; people come back after gaps of 29 to 32 days, as partner or in another
municipality (members and non-members); schemes include BBZ; amounts net to zero.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from demo.writer import write_delivery
from pipelines.intake.contract import (
    EXTRACTS,
    PLAATSINGSCATEGORIEEN,
    REDENEN_BEEINDIGING,
    REGELINGEN_MINIMA,
    REGELINGEN_TOZO,
    SCHULDHULP_PRODUCTEN,
    SOORTEN_BUIG,
    UITKOMSTEN_TOZO,
)
from tests.oracle import plus_months

D = dt.date
DAY = dt.timedelta(days=1)
GEMEENTEN = ("GM0512", "GM1978", "GM1961", "GM0505")  # GM0505 (Dordrecht) is not a member


def edge_dates(jaar: int) -> list[D]:
    dates = []
    for y in range(jaar - 3, jaar + 2):
        for month, day in (
            (1, 1),
            (4, 30),
            (5, 1),
            (8, 31),
            (9, 1),
            (12, 31),
            (10, 31),
            (2, 28),
            (3, 31),
        ):
            d = D(y, month, day)
            dates += [d - DAY, d, d + DAY]
        if y % 4 == 0:
            dates.append(D(y, 2, 29))
    return dates


class Builder:
    def __init__(self, seed: int, jaar: int = 2019, gemeenten: tuple[str, ...] = GEMEENTEN) -> None:
        self.rng = random.Random(seed)
        self.jaar = jaar
        self.gemeenten = gemeenten
        self.edges = edge_dates(jaar)
        self.n = 0
        self.tables: dict[str, list[dict]] = {e.table: [] for e in EXTRACTS}

    def id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n:05d}"

    def day(self) -> D:
        if self.rng.random() < 0.6:
            return self.rng.choice(self.edges)
        start = D(self.jaar - 4, 1, 1)
        return start + self.rng.randrange(6 * 365) * DAY

    def span(self) -> tuple[D, D | None]:
        begin = self.day()
        if self.rng.random() < 0.25:
            return begin, None
        end = max(
            begin, self.day() if self.rng.random() < 0.5 else begin + self.rng.randint(0, 900) * DAY
        )
        return begin, end

    def person(self) -> str:
        client = self.id("c")
        r = self.rng.random()
        if r < 0.1:
            birth = self.rng.choice([D(1972, 2, 29), D(1992, 2, 29), D(1996, 2, 29)])
        elif r < 0.3:
            edge = self.rng.choice(self.edges)
            birth = D(
                edge.year - self.rng.choice([18, 27, 28, 47, 48, 50]), edge.month, min(edge.day, 28)
            )
            if edge.month == 2 and edge.day == 29:
                birth = D(edge.year - 48, 2, 29)
        else:
            birth = D(1950, 1, 1) + self.rng.randrange(50 * 365) * DAY
        titel = self.rng.choice(["NL", "NL", "EU", "ASIEL", "ASIEL", "REGULIER", "ONBEKEND"])
        self.tables["personen"].append(
            {"client_id": client, "geboortedatum": birth, "verblijfstitel": titel}
        )
        return client

    # -- bijstand -------------------------------------------------------------------------
    def benefit(
        self,
        aanvrager: str,
        begin: D,
        end: D | None,
        gemeente: str | None = None,
        partner: str | None = None,
    ) -> D | None:
        benefit_id = self.id("u")
        regeling = self.rng.choice(["PW"] * 6 + ["IOAW", "IOAZ", "BBZ"])
        reden = None
        if end is not None:
            reden = self.rng.choice(REDENEN_BEEINDIGING)
        self.tables["uitkeringen"].append(
            {
                "uitkering_id": benefit_id,
                "regeling": regeling,
                "gemeente_code": gemeente or self.rng.choice(self.gemeenten),
                "begindatum": begin,
                "einddatum": end,
                "reden_beeindiging": reden,
            }
        )
        open_end = end is None or self.rng.random() < 0.4
        self.tables["uitkering_personen"].append(
            {
                "uitkering_id": benefit_id,
                "client_id": aanvrager,
                "rol": "AANVRAGER",
                "begindatum": begin,
                "einddatum": None if open_end else end,
            }
        )
        if partner:
            p_begin, p_end = begin, end
            last = end or D(self.jaar + 1, 12, 31)
            if self.rng.random() < 0.4 and (last - begin).days > 10:
                p_begin = begin + self.rng.randint(1, (last - begin).days) * DAY
            if self.rng.random() < 0.3 and (last - p_begin).days > 10:
                p_end = p_begin + self.rng.randint(0, (last - p_begin).days - 1) * DAY
            self.tables["uitkering_personen"].append(
                {
                    "uitkering_id": benefit_id,
                    "client_id": partner,
                    "rol": "PARTNER",
                    "begindatum": p_begin,
                    "einddatum": p_end,
                }
            )
        for _ in range(self.rng.randint(0, 4)):
            month = self.rng.choice(self.edges)
            if month < begin or (end is not None and month > end):
                continue
            self.tables["inkomsten"].append(
                {
                    "uitkering_id": benefit_id,
                    "client_id": aanvrager,
                    "maand": f"{month.year}-{month.month:02d}",
                    "soort": self.rng.choice(["ARBEID", "ARBEID", "OVERIG"]),
                    "bedrag": self.rng.choice([0, 0, 125.5, 410, 980.25]),
                }
            )
        return end

    def comeback(self, end: D) -> D:
        """When someone whose benefit ended comes back: within the 30 days that continue a
        period or just after, or on the edges of the re-entry windows (exactly 6 months after,
        a day later, exactly 24 months after, a day later; months clamped to the month's end)."""
        choice = self.rng.choice([1, 2, 29, 30, 31, 32, 45, 200, "6m", "6m+1", "24m", "24m+1"])
        if isinstance(choice, int):
            return end + choice * DAY
        months, _, extra = choice.partition("+")
        return plus_months(end, int(months.removesuffix("m"))) + int(extra or 0) * DAY

    def household_history(self) -> None:
        aanvrager = self.person()
        partner = self.person() if self.rng.random() < 0.35 else None
        begin, end = self.span()
        for _ in range(self.rng.randint(1, 3)):
            end = self.benefit(aanvrager, begin, end, partner=partner)
            if end is None:
                return
            begin = self.comeback(end)
            end = None if self.rng.random() < 0.4 else begin + self.rng.randint(0, 700) * DAY
            if self.rng.random() < 0.3:  # comes back as the partner of someone else
                other = self.person()
                self.benefit(other, begin, end, partner=aanvrager)
                return
            if self.rng.random() < 0.3:
                partner = None

    # -- other domains ----------------------------------------------------------------------
    def sw(self) -> None:
        for _ in range(40):
            begin, end = self.span()
            employment = self.id("d")
            regeling = self.rng.choice(["WSW", "WSW", "WSW", "NIEUW_BESCHUT", "WACHTLIJSTBAAN"])
            self.tables["sw_dienstverbanden"].append(
                {
                    "dienstverband_id": employment,
                    "medewerker_id": self.id("m"),
                    "gemeente_code": self.rng.choice(self.gemeenten),
                    "regeling": regeling,
                    "begindatum": begin,
                    "einddatum": end,
                    "uren_per_week": self.rng.choice([8, 16, 20.5, 24, 32, 36, 40]),
                }
            )
            if regeling != "WSW" or self.rng.random() < 0.15:
                continue
            cursor, last = begin, end or D(self.jaar + 2, 12, 31)
            while cursor <= last:
                stop = min(
                    last, self.rng.choice([cursor + self.rng.randint(0, 500) * DAY, self.day()])
                )
                stop = max(stop, cursor)
                self.tables["sw_plaatsingen"].append(
                    {
                        "dienstverband_id": employment,
                        "categorie": self.rng.choice(PLAATSINGSCATEGORIEEN),
                        "begindatum": cursor,
                        "einddatum": None if stop == last and end is None else stop,
                    }
                )
                cursor = stop + self.rng.choice([1, 1, 1, 20]) * DAY

    def money(self) -> None:
        for _ in range(120):
            unit = self.id("b")
            regeling = self.rng.choice(REGELINGEN_MINIMA)
            gemeente = self.rng.choice(self.gemeenten)
            amount = self.rng.choice([25.0, 99.99, 150.0, 480.5])
            paid = self.day()
            self.tables["minima_verstrekkingen"].append(
                {
                    "verstrekking_id": self.id("v"),
                    "gemeente_code": gemeente,
                    "regeling": regeling,
                    "begunstigde_id": unit,
                    "betaaldatum": paid,
                    "bedrag": amount,
                }
            )
            if self.rng.random() < 0.2:  # a recovery that nets the payment to zero
                self.tables["minima_verstrekkingen"].append(
                    {
                        "verstrekking_id": self.id("v"),
                        "gemeente_code": gemeente,
                        "regeling": regeling,
                        "begunstigde_id": unit,
                        "betaaldatum": paid + self.rng.randint(0, 40) * DAY,
                        "bedrag": -amount,
                    }
                )
        for _ in range(60):
            begin, end = self.span()
            self.tables["schuldhulp_producten"].append(
                {
                    "product_id": self.id("s"),
                    "client_id": self.id("c"),
                    "gemeente_code": self.rng.choice(self.gemeenten),
                    "product": self.rng.choice(SCHULDHULP_PRODUCTEN),
                    "begindatum": begin,
                    "einddatum": end,
                }
            )
        for _ in range(80):
            self.tables["buig_boekingen"].append(
                {
                    "boeking_id": self.id("k"),
                    "gemeente_code": self.rng.choice(self.gemeenten),
                    "boekdatum": self.day(),
                    "soort": self.rng.choice(SOORTEN_BUIG),
                    "bedrag": self.rng.choice([1000.0, 2500.75, -300.25, 12000.0]),
                }
            )
        for _ in range(60):
            self.tables["tozo_besluiten"].append(
                {
                    "besluit_id": self.id("t"),
                    "client_id": self.id("c"),
                    "gemeente_code": self.rng.choice(self.gemeenten),
                    "regeling": self.rng.choice(REGELINGEN_TOZO),
                    "soort": self.rng.choice(
                        ["LEVENSONDERHOUD", "LEVENSONDERHOUD", "BEDRIJFSKAPITAAL"]
                    ),
                    "besluitdatum": self.day(),
                    "uitkomst": self.rng.choice(UITKOMSTEN_TOZO),
                }
            )

    def banenafspraak(self) -> None:
        """Placements around 1 January 2016 and the reference dates; some people twice."""
        people: list[str] = []
        for _ in range(70):
            if people and self.rng.random() < 0.25:
                person = self.rng.choice(people)
            else:
                person = self.id("w")
                people.append(person)
            if self.rng.random() < 0.3:
                begin = D(2016, 1, 1) + self.rng.choice([-1, 0, 1]) * DAY
                end = None if self.rng.random() < 0.5 else begin + self.rng.randint(0, 900) * DAY
            else:
                begin, end = self.span()
            self.tables["banenafspraak_plaatsingen"].append(
                {
                    "plaatsing_id": self.id("p"),
                    "client_id": person,
                    "gemeente_code": self.rng.choice(self.gemeenten),
                    "begindatum": begin,
                    "einddatum": end,
                }
            )


def build_edge_delivery(
    folder: Path, seed: int, households: int = 150, banenafspraak: bool = True
) -> Path:
    """A random delivery dense with edges; with the optional banenafspraak file or without."""
    builder = Builder(seed)
    for _ in range(households):
        builder.household_history()
    builder.sw()
    builder.money()
    if banenafspraak:
        builder.banenafspraak()
    write_delivery(folder, builder.tables)
    return folder
