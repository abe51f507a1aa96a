"""Benchmark: the pipeline on a national-size delivery. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_pipeline.py [--benefits 300000] [--keep DIR]

Writes a synthetic delivery that follows the contract (hundreds of thousands of benefits over
ten years, their members, income month by month, and the other domains at scale), then times
each step the flow runs — delivery check, ingest, dbt build, pandera, export — on a real
DuckDB file, and prints rows, seconds, rows per second and the peak memory of the process and
of dbt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines import exports, ingest, reference, transform, validate
from pipelines.contract import EXTRACTS_BY_TABLE
from pipelines.delivery import open_delivery

START = dt.date(2011, 1, 1)
DAYS = (dt.date(2021, 3, 31) - START).days
GEMEENTEN = ["GM0512", "GM1978", "GM1961", "GM0505"]


def fmt_date(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def write_synthetic(folder: Path, benefits: int, seed: int = 1) -> dict[str, int]:
    """A large contract-following delivery, written line by line (constant memory)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        name: (folder / f"{name}.csv").open("w", encoding="utf-8") for name in EXTRACTS_BY_TABLE
    }
    counts = dict.fromkeys(files, 0)

    def write(name: str, line: str) -> None:
        files[name].write(line + "\n")
        counts[name] += 1

    for name, handle in files.items():
        handle.write(";".join(EXTRACTS_BY_TABLE[name].column_names) + "\n")
    person = 0
    for b in range(benefits):
        begin = START + dt.timedelta(days=rng.randrange(DAYS))
        length = int(rng.expovariate(1 / 700))
        end = begin + dt.timedelta(days=length)
        ended = end < dt.date(2021, 3, 31)
        reden = (
            rng.choice(["WERK", "VERHUIZING", "INKOMEN_PARTNER", "OVERIG", "ADMINISTRATIEF"])
            if ended
            else ""
        )
        uid = f"u{b}"
        write(
            "uitkeringen",
            f"{uid};{rng.choice(['PW'] * 9 + ['IOAW'])};{rng.choice(GEMEENTEN)};"
            f"{fmt_date(begin)};{fmt_date(end) if ended else ''};{reden}",
        )
        members = 2 if rng.random() < 0.2 else 1
        for m in range(members):
            person += 1
            birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(45 * 365))
            write(
                "personen", f"c{person};{fmt_date(birth)};{rng.choice(['NL', 'NL', 'EU', 'ASIEL'])}"
            )
            write(
                "uitkering_personen",
                f"{uid};c{person};{'AANVRAGER' if m == 0 else 'PARTNER'};{fmt_date(begin)};",
            )
        month = dt.date(begin.year, begin.month, 1)
        last = end if ended else dt.date(2021, 3, 31)
        while month <= last:
            if rng.random() < 0.12:
                write("inkomsten", f"{uid};c{person};{month:%Y-%m};ARBEID;{rng.randint(0, 900)},50")
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for i in range(benefits // 20):
        begin = START + dt.timedelta(days=rng.randrange(DAYS))
        write("sw_dienstverbanden", f"d{i};m{i};{rng.choice(GEMEENTEN)};WSW;{fmt_date(begin)};;32")
        write("sw_plaatsingen", f"d{i};{rng.choice(['BESCHUT', 'DETACHERING'])};{fmt_date(begin)};")
        write(
            "schuldhulp_producten",
            f"s{i};c{i};{rng.choice(GEMEENTEN)};COMPLEX_DFD;{fmt_date(begin)};",
        )
        write(
            "tozo_besluiten",
            f"t{i};c{i};{rng.choice(GEMEENTEN)};TOZO1;LEVENSONDERHOUD;{fmt_date(begin)};TOEGEKEND",
        )
    for i in range(benefits * 2):
        paid = START + dt.timedelta(days=rng.randrange(DAYS))
        write(
            "minima_verstrekkingen",
            f"v{i};{rng.choice(GEMEENTEN)};CZV;b{i % (benefits // 2)};{fmt_date(paid)};81,25",
        )
    for i in range(benefits // 10):
        paid = START + dt.timedelta(days=rng.randrange(DAYS))
        write("buig_boekingen", f"k{i};{rng.choice(GEMEENTEN)};{fmt_date(paid)};UITKERING;1250,00")
    for handle in files.values():
        handle.close()
    return counts


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benefits", type=int, default=300_000)
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the delivery and warehouse here"
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="kerncijfers-bench-"))
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)

    timings: list[tuple[str, float, str]] = []

    def timed(step: str, action, detail=lambda _r: ""):
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
        timings.append((step, seconds, detail(result)))
        print(f"  {step:<22} {seconds:8.1f} s  {detail(result)}", flush=True)
        return result

    print(f"kerncijfers benchmark: {args.benefits:,} benefits, in {root}")
    counts = timed(
        "write delivery",
        lambda: write_synthetic(raw, args.benefits),
        lambda c: f"{sum(c.values()):,} rows",
    )
    delivery = timed("check delivery", lambda: open_delivery(raw))

    def do_ingest():
        with duckdb.connect(str(warehouse)) as con:
            result = ingest.ingest(con, delivery)
            ingest.record_run(con, "bench", 2019, [dt.date(2021, 3, 1)])
            reference.load_reference(con, None)
        return result

    result = timed(
        "ingest",
        do_ingest,
        lambda r: f"{sum(c.accepted for c in r.files.values()):,} accepted, {r.rejected} set aside",
    )
    rows = sum(counts.values())
    timed(
        "dbt build",
        lambda: transform.build(warehouse, root / "dbt"),
        lambda s: f"{s.as_dict()['models']} models, {s.as_dict()['tests_passed']} tests",
    )
    timed("pandera", lambda: validate.validate_warehouse(warehouse), lambda r: f"{len(r)} checks")
    timed("export", lambda: exports.export_marts(warehouse, root / "marts"))
    total = sum(seconds for step, seconds, _d in timings if step != "write delivery")
    print(f"\n  pipeline total         {total:8.1f} s  ({rows / total:,.0f} input rows per second)")
    print(f"  input rows             {rows:>10,}  ({result.rejected} set aside)")
    print(f"  warehouse size         {warehouse.stat().st_size / 1e6:8.1f} MB")
    print(
        f"  peak memory: python {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"dbt {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
