"""The ``kerncijfers`` command: write the demo delivery, run the pipeline, serve schedules."""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import logging
import math
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from pipelines.config import (
    DEFAULT_CRON,
    DEFAULT_ORGANISATION_DIR,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_PORT,
    DEFAULT_RAW_ROOT,
    DEFAULT_TIMEZONE,
    apply_prefect_defaults,
)
from pipelines.stopping import Stopped, published_run, stop_asked, stop_on_signals

# Exit codes: 0 published; 1 a figure failed its checks, or the folder is locked; 2 the
# delivery breaks the contract; 64 parameters that cannot work (an argument the command does
# not accept included), 65 a reference file that cannot be used, 69 serve's Prefect server
# cannot start, 73 an output folder that cannot be written (sysexits); 128 + n signal n.
# Each failure carries its own (errors.ExpectedFailure.exit_code).
EXIT_OK = 0
EXIT_USAGE = 64
EXIT_UNAVAILABLE = 69
EXIT_CANT_CREATE = 73


class Parser(argparse.ArgumentParser):
    """argparse, but an argument it cannot accept exits 64 (EX_USAGE), not 2: exit 2 says the
    delivery breaks the contract, and a scheduler should not tell the data supplier so."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class ShowVersion(argparse.Action):
    """``--version``: the package's version and the git commit of the code (as the manifest
    and the verantwoording name it), looked up only when asked."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:
        from pipelines.publish.manifest import version_line

        print(version_line())
        parser.exit(EXIT_OK)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"'{text}' is not a year (YYYY)")
    return int(text)


def positive(text: str) -> int:
    if not (text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value < math.inf:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds (0 or more)")
    return value


def port(text: str) -> int:
    if not (text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (1-65535)")
    return int(text)


def timezone(text: str) -> str:
    import zoneinfo

    if text not in zoneinfo.available_timezones():
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time zone (IANA, e.g. '{DEFAULT_TIMEZONE}')"
        )
    return text


def parser() -> argparse.ArgumentParser:
    main = Parser(
        prog="kerncijfers",
        description="Validated key figures, annual report and factsheets from Werk en Inkomen "
        "extracts.",
    )
    main.add_argument(
        "--version", action=ShowVersion, help="show the version and the code's git commit"
    )
    commands = main.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo",
        help="write the demo delivery (the ten required CSV files and the optional eleventh)",
    )
    demo.add_argument("--output-dir", type=Path, required=True, help="folder to write the files to")
    demo.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    demo.add_argument(
        "--exportdatum",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the delivery as the systems knew it on this earlier day (default: 31 March 2021)",
    )

    run = commands.add_parser("run", help="run the pipeline on a delivery and publish the results")
    run.add_argument(
        "--raw-dir",
        type=Path,
        required=True,
        help="the delivery: a folder with the ten required CSV files (and the optional eleventh)",
    )
    run.add_argument("--jaar", type=year, required=True, help="report year, e.g. 2019")
    run.add_argument(
        "--peildatum",
        type=iso_date,
        nargs="+",
        action="extend",
        default=[],
        metavar="YYYY-MM-DD",
        help="reference date(s) to add to the standard ones (may be repeated)",
    )
    run.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help=f"where to publish (default {DEFAULT_OUTPUT_DIR})",
    )
    add_organisation_argument(run)
    run.add_argument(
        "--reference",
        type=Path,
        default=None,
        help="published figures to reconcile against (YAML), e.g. "
        "data/reference/jaarverslag-2019.yaml",
    )
    run.add_argument(
        "--bewaar",
        type=positive,
        default=5,
        metavar="N",
        help="keep the last N publications in OUTPUT_DIR/publicaties (default 5)",
    )
    run.add_argument(
        "--licentie",
        default=None,
        metavar="LICENTIE",
        help="licence of the open data: CC0-1.0 or CC-BY-4.0 (default: the organisation's, "
        "organisatie.yml)",
    )
    run.add_argument(
        "--openbaar",
        action="store_true",
        help="render the report and factsheets from the open data's protected figures "
        "(a suppressed figure shows as '.')",
    )
    run.add_argument(
        "--geen-rapport",
        action="store_true",
        help="publish the figures, the open data and the audit trail without rendering the "
        "report (seconds instead of tens of seconds); the reports published before stay as "
        "they are, each with the run it came from",
    )
    run.add_argument(
        "--ouder-toestaan",
        action="store_true",
        help="publish a delivery older than the current publication's (refused without it); "
        "its revisions compare with the newer vintage",
    )
    run.add_argument(
        "--wait",
        type=seconds,
        default=0,
        metavar="SECONDS",
        help="when another run is writing to the output folder, wait this long (default: stop)",
    )
    serve = commands.add_parser(
        "serve", help="start a local Prefect server and run the pipeline on a schedule"
    )
    serve.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="port of the Prefect server and UI"
    )
    serve.add_argument(  # checked by serve: Prefect may only be imported once it knows its API
        "--cron",
        default=DEFAULT_CRON,
        help=f"when to run (cron; default '{DEFAULT_CRON}': after each tertial end)",
    )
    serve.add_argument(
        "--timezone",
        type=timezone,
        default=DEFAULT_TIMEZONE,
        help=f"the time zone of the schedule (default {DEFAULT_TIMEZONE})",
    )
    serve.add_argument(
        "--raw-root",
        type=Path,
        default=DEFAULT_RAW_ROOT,
        help=f"folder of deliveries named YYYY-MM-DD (default {DEFAULT_RAW_ROOT})",
    )
    serve.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR)
    serve.add_argument("--reference", type=Path, default=None)
    add_organisation_argument(serve)
    return main


def add_organisation_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--organisatie",
        type=Path,
        default=DEFAULT_ORGANISATION_DIR,
        metavar="DIR",
        help="the organisation folder: its municipalities, texts, open-data publisher and "
        f"report layout (default {DEFAULT_ORGANISATION_DIR})",
    )


def command_serve(args: argparse.Namespace) -> int:
    from pipelines.errors import ExpectedFailure
    from pipelines.schedule.serve import serve

    try:
        serve(
            args.port,
            args.cron,
            args.timezone,
            args.raw_root,
            args.output_dir,
            args.reference,
            args.organisatie.resolve(),
        )
    except KeyboardInterrupt:
        print("stopped")
    except ExpectedFailure as error:
        return fail(str(error), error.exit_code)
    return EXIT_OK


def stopped_by(signum: int, output_dir: Path) -> NoReturn:
    from pipelines.run import prefect_api
    from pipelines.stopping import SERVER_GONE

    name = signal.Signals(signum).name
    run_id = published_run()
    if signum == SERVER_GONE and (server := prefect_api.temporary_server_ended()):
        if run_id:
            exit_now(published_all_the_same(run_id, server, output_dir))
        exit_now(server_lost(server, output_dir))
    if run_id:  # stopped once the publication was current: it is complete
        message = f"stopped by {name} after publishing: run {run_id} is current in {output_dir}"
    else:
        message = (
            f"stopped by {name}: nothing was published; the previous publication in "
            f"{output_dir} is unchanged"
        )
    exit_now(fail(message, 128 + signum))


def exit_now(code: int) -> NoReturn:
    """Exit once every `finally` and exit handler (Prefect's temporary server, logging) has
    run, without tearing down the interpreter object by object: DuckDB's bindings report
    objects an exception still refers to as leaks, many lines after the run's last word."""
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def fail(message: str, code: int) -> int:
    from pipelines.errors import one_line

    print(f"kerncijfers: error: {one_line(message)}", file=sys.stderr)
    return code


def command_demo(args: argparse.Namespace) -> int:
    from demo.common import LAST_DAY

    if args.exportdatum is not None and args.exportdatum > LAST_DAY:
        return fail(
            f"--exportdatum {args.exportdatum} lies after the demo's own export date "
            f"({LAST_DAY}): the demo delivery can only be made as known on an earlier day",
            EXIT_USAGE,
        )
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)  # before the generator loads
        from demo.generator import build_demo_delivery

        counts = build_demo_delivery(args.output_dir, seed=args.seed, exportdatum=args.exportdatum)
    except OSError as error:
        return fail(
            f"cannot write the demo delivery in {args.output_dir}: {error.strerror}",
            EXIT_CANT_CREATE,
        )
    for file, n in counts.items():
        print(f"  {file:<28} {n:>9} rows")
    print(f"demo delivery written to {args.output_dir}")
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    stop_on_signals()  # SIGTERM and Ctrl-C, from here on: clean up, then one line
    try:
        return run(args)
    except Stopped as stopped:
        stopped_by(stopped.signum, args.output_dir)


def run(args: argparse.Namespace) -> int:
    from pipelines.config import RunParameters
    from pipelines.errors import ExpectedFailure, disk_full
    from pipelines.intake.delivery import open_delivery
    from pipelines.publish.workspace import pause_point
    from pipelines.run.preflight import check_organisation, check_run

    params = RunParameters(
        raw_dir=args.raw_dir.resolve(),
        jaar=args.jaar,
        extra_peildata=tuple(sorted(set(args.peildatum))),
        output_dir=args.output_dir.resolve(),
        reference=args.reference.resolve() if args.reference else None,
        keep=args.bewaar,
        licentie=args.licentie,
        openbaar=args.openbaar,
        render_report=not args.geen_rapport,
        organisatie=args.organisatie.resolve(),
        ouder_toestaan=args.ouder_toestaan,
    )
    apply_prefect_defaults()
    from pipelines.run import prefect_api

    # The Prefect API (when a temporary server has to start) starts while the delivery is
    # checked and the flow's modules load; it stops when the command ends, however it ends.
    api = prefect_api.connect(DEFAULT_PORT)
    # Check what can be checked before the flow starts, so a run that cannot succeed stops at
    # once, in one line, having written nothing.
    try:
        organisation = check_organisation(params.organisatie)
        check_run(params, open_delivery(params.raw_dir), organisation)
    except ExpectedFailure as error:
        return fail(str(error), error.exit_code)

    pause_point("opstarten")
    from pipelines.compute import transform
    from pipelines.run.flows import kerncijfers_flow

    try:
        print(api.ready(meanwhile=transform.import_dbt), flush=True)
        prefect_api.quiet_once_gone()
        prefect_api.watch()
        with prefect_api.flow_run_settings():
            manifest = kerncijfers_flow(**params.flow_arguments(), wait_seconds=args.wait)
    except Exception as error:
        if signum := stop_asked(error):
            raise Stopped(signum) from None
        if run_id := published_run():
            return published_all_the_same(run_id, error, args.output_dir)
        if full := disk_full(error):
            return fail(str(full), full.exit_code)
        if isinstance(error, ExpectedFailure):
            return fail(str(error), error.exit_code)
        if server := prefect_api.temporary_server_ended():
            return server_lost(server, args.output_dir)
        raise
    print_summary(manifest, args.output_dir)
    return EXIT_OK


def server_lost(server: str, output_dir: Path) -> int:
    """The run's temporary Prefect server ended before the run published: it stops."""
    return fail(
        f"{server} during the run: nothing was published; the previous publication in "
        f"{output_dir} is unchanged. Run again",
        EXIT_UNAVAILABLE,
    )


def published_all_the_same(run_id: str, error: Exception | str, output_dir: Path) -> int:
    """The publication became current and then something failed (Prefect's bookkeeping, its
    server gone): what the analyst needs is published, so the run succeeded; the failure is a
    warning."""
    from pipelines.errors import first_line

    print(
        f"kerncijfers: warning: run {run_id} is published and current, but Prefect could not "
        f"record its end ({error if isinstance(error, str) else first_line(error, 300)})",
        file=sys.stderr,
    )
    try:
        manifest = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return EXIT_OK
    if manifest.get("run_id") == run_id:
        print_summary(manifest, output_dir)
    return EXIT_OK


def print_summary(manifest: dict, output_dir: Path) -> None:
    rejected = sum(f["rejected"] for f in manifest["files"].values())
    print(f"\nkerncijfers run {manifest['run_id']} finished in {manifest['seconds']} s")
    print(f"  marts:     {output_dir / 'marts' / 'kerncijfers.parquet'} (and .csv)")
    print(f"  manifest:  {output_dir / 'manifest.json'}")
    report = output_dir / "rapport" / "index.html"
    published = any(name.startswith("rapport/") for name in manifest.get("outputs", {}))
    if not manifest["parameters"]["render_report"]:
        print(
            "  report:    not rendered (--geen-rapport); "
            + (f"the reports published before stay: {report}" if published else "none published")
        )
    elif published:
        print(f"  report:    {report} (jaarverslag and factsheets, HTML and PDF)")
    disclosure = manifest.get("geheimhouding") or {}
    if disclosure:
        print(
            f"  open data: {output_dir / 'open-data' / 'kerncijfers.csv'} "
            f"({disclosure['geheim']} of {disclosure['cellen']} cells withheld, CSVW and DCAT "
            "metadata beside it)"
        )
    print(f"  set aside: {rejected} row(s) (table raw.afgekeurde_rijen in warehouse.duckdb)")
    rec = manifest.get("reconciliation") or {}
    if rec.get("figures"):
        exact = rec.get("exact", {"figures": 0, "agree": 0})
        print(f"  reference: {exact['agree']} of {exact['figures']} exact figures reproduced")
    revisions = manifest.get("revisions") or {}
    if revisions.get("previous_exportdatum"):
        print(
            f"  revisions: {revisions['figures']} figure(s) changed since the vintage of "
            f"{revisions['previous_exportdatum']}, {revisions['definitive']} of them definitief "
            f"before (marts/revisies.csv)"
        )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("pipelines").setLevel(logging.INFO)
    args = parser().parse_args(argv)
    commands = {"demo": command_demo, "run": command_run, "serve": command_serve}
    return commands[args.command](args)


def entry_point() -> NoReturn:
    """The `kerncijfers` command."""
    exit_now(main())


if __name__ == "__main__":
    entry_point()
