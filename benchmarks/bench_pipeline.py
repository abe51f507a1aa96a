"""Benchmark: the pipeline on a national-size delivery. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_pipeline.py [--benefits 474000] [--keep DIR]

Writes a synthetic delivery that follows the contract (hundreds of thousands of benefits over
ten years, their members, income month by month, and the other domains at scale) and a
delivery of the same files holding only their headers, then measures, one after another on
this machine:

- the floor: DuckDB doing nothing but reading the CSV files of the national delivery;
- the same read into a DuckDB database file: what any ingest that stores the rows pays; and
  the same typed (the reader parsing dates and amounts, which store cheaper than text): the
  least it pays, before any check;
- ingest alone (in this process, on a real DuckDB file), with the time of each phase and the
  CPU it uses;
- ``kerncijfers run`` end to end on the national delivery, as an analyst runs it (a separate
  process, wall clock, report and audit trail included), with the time of each step and the
  peak memory;
- ``kerncijfers run`` end to end on the header-only delivery: the fixed cost of a run;
- the verkenner of a publication of the national delivery with three vintages in its
  history: its size, and how long after opening (from file://, offline, in headless
  Chromium) it is ready to use.

and prints each as a ratio to the floor, beside the targets (docs/performance.md). Ingest alone
has no target of its own (storing the rows costs more than the one it had); it is printed for
where a run's time goes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import organisation
from pipelines.config import memory_limit
from pipelines.intake import ingest
from pipelines.intake.contract import EXTRACTS_BY_TABLE, Kind
from pipelines.intake.delivery import open_delivery

START = dt.date(2011, 1, 1)
DAYS = (dt.date(2021, 3, 31) - START).days
GEMEENTEN = ["GM0512", "GM1978", "GM1961", "GM0505"]
REGELINGEN = ["CZV", "IIT", "CHRONISCH_ZIEKEN", "LEERGELD", "BB_OVERIG"]


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
            if rng.random() < 0.45:
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
    for i in range(benefits * 6):
        paid = START + dt.timedelta(days=rng.randrange(DAYS))
        write(
            "minima_verstrekkingen",
            f"v{i};{rng.choice(GEMEENTEN)};{rng.choice(REGELINGEN)};b{i % (benefits // 2)};"
            f"{fmt_date(paid)};{rng.randint(5, 400)},25",
        )
    for i in range(benefits):
        paid = START + dt.timedelta(days=rng.randrange(DAYS))
        write("buig_boekingen", f"k{i};{rng.choice(GEMEENTEN)};{fmt_date(paid)};UITKERING;1250,00")
    for handle in files.values():
        handle.close()
    return counts


def write_headers_only(folder: Path) -> None:
    """The same files, each holding only its header: the smallest delivery there is."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, extract in EXTRACTS_BY_TABLE.items():
        (folder / f"{name}.csv").write_text(";".join(extract.column_names) + "\n")


# How the typed read stores a value of each kind (the rest as text): the contract's dates and
# amounts parsed by DuckDB's CSV reader itself, its cheapest way to a typed column.
TYPED = {Kind.DATE: "DATE", Kind.AMOUNT: "DECIMAL(18, 2)"}


def typed_options(table: str) -> str:
    columns = ", ".join(
        f"'{c.name}': '{TYPED.get(c.kind, 'VARCHAR')}'" for c in EXTRACTS_BY_TABLE[table].columns
    )
    return f"auto_detect=false, columns={{{columns}}}, dateformat='%d-%m-%Y', decimal_separator=','"


def read_all(folder: Path, database: Path | None = None, typed: bool = False) -> float:
    """Seconds DuckDB takes to read every CSV of the delivery into tables, in memory or in a
    database file, nothing else: as text, or typed (dates and amounts parsed by the reader,
    which store cheaper than text: the least any ingest that keeps the rows in the warehouse
    pays, whatever else it does; no check, no line numbers)."""
    started = time.perf_counter()
    with duckdb.connect(str(database) if database else ":memory:") as con:
        for path in sorted(folder.glob("*.csv")):
            options = typed_options(path.stem) if typed else "all_varchar=true"
            con.execute(
                f"create table {path.stem} as select * from read_csv('{path}', delim=';', "
                f"header=true, {options})"
            )
    if database:
        database.unlink()
    return time.perf_counter() - started


def floor_seconds(folder: Path) -> float:
    """The floor: DuckDB reading the delivery into memory (after one warm-up read, so that both
    this and the runs find the files in the page cache)."""
    read_all(folder)
    return read_all(folder)


@dataclass(frozen=True)
class IngestTiming:
    seconds: float  # wall clock, the check of the delivery included
    cpu: float  # seconds of CPU, on all the cores DuckDB uses
    accepted: int
    phases: dict[str, float]  # the check of the delivery, then ingest.PHASES


def ingest_timing(raw: Path, warehouse: Path) -> IngestTiming:
    started, cpu = time.perf_counter(), time.process_time()
    delivery = open_delivery(raw)
    checked = time.perf_counter() - started
    with duckdb.connect(str(warehouse), config={"memory_limit": memory_limit()}) as con:
        result = ingest.ingest(con, delivery, organisation.load().ended())
    return IngestTiming(
        time.perf_counter() - started,
        time.process_time() - cpu,
        sum(c.accepted for c in result.files.values()),
        {"check of the delivery (hash, UTF-8)": checked, **result.seconds},
    )


STEP = re.compile(r"step (\d+)/(\d+): (.*)")


def run_cli(
    raw: Path, out: Path, jaar: int, *options: str
) -> tuple[float, float, list[tuple[str, float]]]:
    """``kerncijfers run`` as a separate process: wall clock, peak memory (MB) of the run and
    the processes it waited for, and the seconds from each step's start to the next."""
    command = [
        sys.executable,
        "-m",
        "pipelines.run.cli",
        "run",
        "--raw-dir",
        str(raw),
        "--jaar",
        str(jaar),
        "--output-dir",
        str(out),
        *options,
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    marks: list[tuple[str, float]] = [("start-up (imports, Prefect API)", started)]
    output = []
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        step = STEP.search(line)
        if step:
            marks.append((f"{step.group(1)}. {step.group(3)}", time.perf_counter()))
        elif "published in " in line and "rows set aside" in line:
            # The flow's last line: what follows is Prefect ending the flow run (its final
            # state; it joins its heartbeat thread, which sleeps in steps of a second).
            marks.append(("Prefect ends the flow run", time.perf_counter()))
        elif "kerncijfers run" in line and "finished" in line:
            marks.append(("end (summary, Prefect shut-down)", time.perf_counter()))
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("kerncijfers run failed:\n" + "".join(output[-40:]))
    ends = [t for _name, t in marks[1:]] + [started + wall]
    steps = [(name, end - t) for (name, t), end in zip(marks, ends, strict=True)]
    return wall, usage.ru_maxrss / 1024, steps


# Earlier vintages of the national delivery: the same files as the systems knew them then (a
# row dated after a vintage's export date is set aside, as in a real earlier delivery).
EARLIER_VINTAGES = ("2020-12-31", "2021-02-28")


def verkenner_publication(national: Path, root: Path) -> Path:
    """A publication of the national delivery with three vintages in its history: the two
    earlier ones (without a report), then the delivery itself, whose run renders the report
    and the verkenner. Returns the verkenner."""
    out = root / "verkenner-out"
    shutil.rmtree(out, ignore_errors=True)
    for vintage in EARLIER_VINTAGES:
        folder = root / "vintages" / vintage
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for file in national.glob("*.csv"):
            os.link(file, folder / file.name)
        run_cli(folder, out, 2020, "--geen-rapport")
    run_cli(national, out, 2020)
    return out / "rapport" / "verkenner.html"


def verkenner_ready_ms(page: Path, times: int = 3) -> list[float]:
    """Milliseconds from navigation to the verkenner's first view being ready (its script
    marks the page), opened from file:// in headless Chromium with the network off."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for _ in range(times):
            context = browser.new_context(offline=True)
            tab = context.new_page()
            tab.goto(page.as_uri())
            tab.wait_for_selector('html[data-klaar="ja"]')
            found.append(float(tab.evaluate("document.documentElement.dataset.klaarNa")))
            context.close()
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benefits", type=int, default=474_000)
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the deliveries and outputs here (and reuse a national delivery found there)",
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="kerncijfers-bench-"))
    national, empty = root / "nationaal" / "2021-03-31", root / "leeg" / "2021-03-31"
    shutil.rmtree(empty, ignore_errors=True)

    print(f"kerncijfers benchmark: {args.benefits:,} benefits, in {root}", flush=True)
    started = time.perf_counter()
    if args.keep is not None and (national / "uitkeringen.csv").exists():
        counts = {p.stem: sum(1 for _ in p.open()) - 1 for p in national.glob("*.csv")}
    else:
        counts = write_synthetic(national, args.benefits)
    write_headers_only(empty)
    size = sum(p.stat().st_size for p in national.glob("*.csv"))
    print(
        f"  wrote the national delivery: {sum(counts.values()):,} rows, {size / 1e6:.0f} MB "
        f"({time.perf_counter() - started:.0f} s), and a header-only one",
        flush=True,
    )
    floor = floor_seconds(national)
    print(f"  floor (DuckDB reading the CSV files): {floor:.2f} s", flush=True)
    # What any ingest that keeps the rows in the warehouse pays at least: the same read, into
    # a DuckDB file (compressed on disk), without a single check.
    into_file = read_all(national, root / "floor.duckdb")
    print(
        f"  DuckDB reading the CSV files into a database file, no checks: {into_file:.2f} s",
        flush=True,
    )
    typed = read_all(national, root / "typed.duckdb", typed=True)
    print(
        "  DuckDB reading the CSV files typed (dates, amounts) into a database file, no checks: "
        f"{typed:.2f} s",
        flush=True,
    )
    timing = ingest_timing(national, root / "ingest.duckdb")
    (root / "ingest.duckdb").unlink()
    ingest_s = timing.seconds
    print(
        f"  ingest alone: {ingest_s:.1f} s ({timing.accepted:,} rows accepted), "
        f"{timing.cpu:.1f} s of CPU: {timing.cpu / ingest_s:.1f} of {os.cpu_count()} cores busy",
        flush=True,
    )
    for name, seconds in timing.phases.items():
        print(f"      {seconds:6.1f} s  {name}")
    out = root / "out"
    shutil.rmtree(out, ignore_errors=True)
    # An analyst runs the pipeline on delivery after delivery into the same output folder:
    # the first run in a new folder also parses the dbt project; the runs after it reuse that.
    first_wall, _m, _s = run_cli(empty, out, 2020)
    print(f"  kerncijfers run, header-only, first in a new output folder: {first_wall:.1f} s")
    wall, memory, steps = run_cli(national, out, 2020)
    print(f"  kerncijfers run, national: {wall:.1f} s, peak memory {memory:,.0f} MB", flush=True)
    for name, seconds in steps:
        print(f"      {seconds:6.1f} s  {name}")
    empty_wall, _empty_memory, empty_steps = run_cli(empty, out, 2020)
    print(f"  kerncijfers run, header-only: {empty_wall:.1f} s", flush=True)
    for name, seconds in empty_steps:
        print(f"      {seconds:6.1f} s  {name}")

    verkenner = verkenner_publication(national, root)
    ready = sorted(verkenner_ready_ms(verkenner))
    megabytes = verkenner.stat().st_size / 1e6
    print(
        f"  verkenner of the national delivery with {len(EARLIER_VINTAGES) + 1} vintages: "
        f"{megabytes:.2f} MB, ready {ready[len(ready) // 2]:.0f} ms after opening "
        f"(of {', '.join(f'{r:.0f}' for r in ready)} ms)",
        flush=True,
    )

    print("\n  measure                              seconds   × floor   target")
    for name, seconds, target in (
        ("floor: DuckDB reads the CSV files", floor, None),
        ("  the same, into a database file", into_file, None),
        ("  typed, into a database file", typed, None),
        ("ingest alone, national", ingest_s, None),
        ("kerncijfers run, national", wall, 20),
        ("kerncijfers run, header-only", empty_wall, 12),
    ):
        verdict = (
            ""
            if target is None
            else f"≤ {target:>2} ×   " + ("met" if seconds / floor <= target else "NOT MET")
        )
        print(f"  {name:<36} {seconds:7.1f}   {seconds / floor:6.1f}   {verdict}")
    print(
        f"  {'peak memory, national run':<36} {memory:7.0f} MB          ≤ 1500 MB   "
        + ("met" if memory <= 1500 else "NOT MET")
    )
    median = ready[len(ready) // 2]
    print(
        f"  {'verkenner, size':<36} {megabytes:7.2f} MB          ≤    3 MB   "
        + ("met" if megabytes <= 3 else "NOT MET")
    )
    print(
        f"  {'verkenner, ready after opening':<36} {median:7.0f} ms          ≤ 1000 ms   "
        + ("met" if median <= 1000 else "NOT MET")
    )
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
