"""Helpers the demo generators share: dates, ids, choices and amounts in cents."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from decimal import Decimal

from pipelines.catalogue import read_seed
from pipelines.catalogue import tertial_ends as calendar_tertial_ends

D = dt.date
DAY = dt.timedelta(days=1)


def add_months(day: D, months: int) -> D:
    """day + months, clamped to the end of the month (31 October + 6 months = 30 April)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if day.day <= 28:  # every month has the day: no need to look for its last
        return D(year, month + 1, day.day)
    last = (D(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - DAY).day
    return D(year, month + 1, min(day.day, last))


def add_years(day: D, years: int) -> D:
    return add_months(day, 12 * years)


def whole_months(start: D, day: D) -> int:
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - 1 if add_months(start, months) > day else months


def age_on(birth: D, day: D) -> int:
    years = day.year - birth.year
    return years - 1 if add_years(birth, years) > day else years


LAST_DAY = D(2021, 3, 31)


def tertial_ends(first_year: int = 2012, last: D = LAST_DAY) -> list[D]:
    """31-12 of the year before `first_year`, every tertial end after it, and `last`."""
    ends = [D(first_year - 1, 12, 31)]
    for year in range(first_year, last.year + 1):
        ends += [d for d in calendar_tertial_ends(year) if d < last]
    return [*ends, last]


def age_classes() -> dict[str, tuple[int, int]]:
    """The age classes of the seed leeftijdsklassen: (lowest age, first age above)."""
    return {
        r["leeftijdsklasse"]: (int(r["ondergrens"] or 0), int(r["bovengrens"] or 200))
        for r in sorted(read_seed("leeftijdsklassen"), key=lambda r: int(r["volgorde"]))
    }


def duration_groups() -> list[tuple[str, int, int | None]]:
    """The duration classes as the published table groups them (seed duurklassen, column
    groep): (the group's key, its first month, the first month above it). A group of several
    classes is keyed by their ids joined with +, as the reference file writes such a cell."""
    groups: dict[int, list[dict]] = {}
    for row in sorted(read_seed("duurklassen"), key=lambda r: int(r["volgorde"])):
        groups.setdefault(int(row["groep"]), []).append(row)
    return [
        (
            "+".join(r["duurklasse"] for r in rows),
            int(rows[0]["ondergrens_maanden"] or 0),
            int(rows[-1]["bovengrens_maanden"]) if rows[-1]["bovengrens_maanden"] else None,
        )
        for _number, rows in sorted(groups.items())
    ]


def interpolate(curve: dict[D, float], day: D) -> float:
    """Linear between the points of a curve, flat beyond its ends."""
    days = sorted(curve)
    if day <= days[0]:
        return curve[days[0]]
    if day >= days[-1]:
        return curve[days[-1]]
    i = bisect.bisect_right(days, day)
    a, b = days[i - 1], days[i]
    return curve[a] + (day - a).days / (b - a).days * (curve[b] - curve[a])


def random_day(rng: random.Random, first: D, last: D) -> D:
    return first + rng.randrange((last - first).days + 1) * DAY


def weighted(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


class Ids:
    """Opaque pseudonymous ids, unique within a delivery."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.seen = rng, set()

    def new(self, prefix: str) -> str:
        while True:
            value = f"{prefix}{self.rng.getrandbits(36):09x}"
            if value not in self.seen:
                self.seen.add(value)
                return value


def cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def amounts_that_round(
    rng: random.Random, published: dict[str, int], total: int | None
) -> dict[str, Decimal]:
    """Amounts with cents that round to each published whole-euro value and whose sum rounds
    to the published total (the report rounds every cell on its own)."""
    keys = sorted(published)
    gap = 0 if total is None else total - sum(published.values())
    if abs(gap) >= 0.45 * len(keys):
        raise ValueError(f"no cents make {published} add up to {total}")
    for _ in range(1000):
        shift = [rng.uniform(-0.45, 0.45) for _ in keys]
        if total is not None:
            mean = gap / len(keys)
            shift = [min(0.45, max(-0.45, mean + s * 0.1)) for s in shift]
        result = {k: cents(published[k] + s) for k, s in zip(keys, shift, strict=True)}
        ok = all(abs(result[k] - published[k]) < Decimal("0.5") for k in keys)
        if total is not None:
            ok = ok and abs(sum(result.values()) - total) < Decimal("0.45")
        if ok:
            return result
    raise ValueError(f"no cents make {published} add up to {total}")


def spread(rng: random.Random, total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split an amount over parts in proportion to weights, to the cent, summing exactly."""
    scale = sum(weights)
    parts = [cents(total * Decimal(w / scale)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts
