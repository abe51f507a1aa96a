"""The demo delivery as a real extract looks: municipal codes of its time, and earlier vintages.

- Records that ended before the municipal reorganisation of 1 January 2019 carry the code of
  the municipality they were registered in then (Giessenlanden or Molenwaard for today's
  Molenlanden, Leerdam or Zederik for Vijfheerenlanden), as an extract of 2012-2021 does.
  The choice is fixed per household, person or employment, so one household keeps one code.
- ``as_known_on`` gives the delivery as the systems knew it on an earlier export date: nothing
  that began later; an end after that date not yet known (the record still runs); a few
  registrations of the last weeks not yet entered (late registrations), a few endings of the
  last months not yet entered (late terminations, which revise definitive figures).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib

D = dt.date
DAY = dt.timedelta(days=1)
MERGER = D(2019, 1, 1)
# Today's member -> the codes its records carried before the merger, with the day each began.
PREDECESSORS = {
    "GM1978": {"GM0689": D(1986, 1, 1), "GM1927": D(2013, 1, 1)},
    "GM1961": {"GM0545": D(1986, 1, 1), "GM0707": D(1986, 1, 1)},
}
# Per table with a municipality: the column that says when a record ends or happened, the one
# that says when it began, and the household, person or employment a code belongs to.
DATED = {
    "uitkeringen": ("einddatum", "begindatum", "uitkering_id"),
    "sw_dienstverbanden": ("einddatum", "begindatum", "medewerker_id"),
    "schuldhulp_producten": ("einddatum", "begindatum", "client_id"),
    "banenafspraak_plaatsingen": ("einddatum", "begindatum", "client_id"),
    "minima_verstrekkingen": ("betaaldatum", "betaaldatum", "begunstigde_id"),
    "buig_boekingen": ("boekdatum", "boekdatum", "boeking_id"),
    "tozo_besluiten": ("besluitdatum", "besluitdatum", "client_id"),
}

LATE_REGISTRATION_DAYS = 45  # registrations of the last weeks, some not yet entered
LATE_REGISTRATIONS = 0.3
LATE_TERMINATION_DAYS = 240  # endings of the last months, a few not yet entered
LATE_TERMINATIONS = 0.06


def with_codes_of_their_time(tables: dict[str, list[dict]]) -> None:
    """Give records that ended before the merger the code of a predecessor (in place)."""
    for table, (end_column, begin_column, owner) in DATED.items():
        for record in tables.get(table, []):
            end, code = record.get(end_column), record["gemeente_code"]
            if end is None or end >= MERGER or code not in PREDECESSORS:
                continue
            begin = record[begin_column]
            options = sorted(c for c, since in PREDECESSORS[code].items() if since <= begin)
            if options:
                pick = zlib.crc32(str(record[owner]).encode()) % len(options)
                record["gemeente_code"] = options[pick]


def as_known_on(tables: dict[str, list[dict]], export: D, seed: int) -> dict[str, list[dict]]:
    """The delivery as the systems knew it on `export` (a new set of tables)."""
    rng = random.Random(seed * 7919 + export.toordinal())

    def late(day: D | None, days: int, share: float) -> bool:
        return day is not None and export - days * DAY < day <= export and rng.random() < share

    def known(records: list[dict], begin: str) -> list[dict]:
        return [
            dict(r)
            for r in records
            if r[begin] <= export and not late(r[begin], LATE_REGISTRATION_DAYS, LATE_REGISTRATIONS)
        ]

    out: dict[str, list[dict]] = {}
    benefits = known(tables["uitkeringen"], "begindatum")
    open_again = set()
    for b in benefits:
        if b["einddatum"] is not None and (
            b["einddatum"] > export
            or late(b["einddatum"], LATE_TERMINATION_DAYS, LATE_TERMINATIONS)
        ):
            b["einddatum"] = b["reden_beeindiging"] = None
            open_again.add(b["uitkering_id"])
    kept = {b["uitkering_id"] for b in benefits}
    ended = {b["uitkering_id"]: b["einddatum"] for b in tables["uitkeringen"]}
    out["uitkeringen"] = benefits
    members = []
    for m in tables["uitkering_personen"]:
        if m["uitkering_id"] not in kept or m["begindatum"] > export:
            continue
        m = dict(m)
        end = m.get("einddatum")
        reopened = m["uitkering_id"] in open_again and end == ended[m["uitkering_id"]]
        if end is not None and (end > export or reopened):
            m["einddatum"] = None  # a membership lasts as long as its benefit, as known then
        members.append(m)
    out["uitkering_personen"] = members
    out["personen"] = [dict(p) for p in tables["personen"]]
    out["inkomsten"] = [
        dict(i)
        for i in tables["inkomsten"]
        if i["uitkering_id"] in kept and i["maand"] <= f"{export:%Y-%m}"
    ]
    employments = known(tables["sw_dienstverbanden"], "begindatum")
    for e in employments:
        if e["einddatum"] is not None and e["einddatum"] > export:
            e["einddatum"] = None
    out["sw_dienstverbanden"] = employments
    employed = {e["dienstverband_id"] for e in employments}
    placements = [
        dict(p)
        for p in tables["sw_plaatsingen"]
        if p["dienstverband_id"] in employed and p["begindatum"] <= export
    ]
    for p in placements:
        if p["einddatum"] is not None and p["einddatum"] > export:
            p["einddatum"] = None
    out["sw_plaatsingen"] = placements
    for table, (end_column, begin_column, _owner) in DATED.items():
        if table in out or table not in tables:
            continue
        records = known(tables[table], begin_column)
        if end_column != begin_column:
            for r in records:
                if r[end_column] is not None and r[end_column] > export:
                    r[end_column] = None
        out[table] = records
    return out
