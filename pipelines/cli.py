"""The ``kerncijfers`` command: write the demo delivery, run the pipeline, serve schedules."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from pipelines.config import (
    DEFAULT_CRON,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_PORT,
    DEFAULT_RAW_ROOT,
    apply_prefect_defaults,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_DELIVERY, EXIT_USAGE = 0, 1, 2, 64


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"'{text}' is not a year (YYYY)")
    return int(text)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="kerncijfers",
        description="Validated key figures, annual report and factsheets from Werk en Inkomen "
        "extracts.",
    )
    commands = main.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="write the demo delivery (the ten CSV files)")
    demo.add_argument("--output-dir", type=Path, required=True, help="folder to write the files to")
    demo.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")

    run = commands.add_parser("run", help="run the pipeline on a delivery and publish the results")
    run.add_argument(
        "--raw-dir", type=Path, required=True, help="the delivery: a folder with the ten CSV files"
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
    run.add_argument(
        "--reference",
        type=Path,
        default=None,
        help="published figures to reconcile against (YAML), e.g. "
        "data/reference/jaarverslag-2019.yaml",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="when another run is writing to the output folder, wait this long (default: stop)",
    )
    serve = commands.add_parser(
        "serve", help="start a local Prefect server and run the pipeline on a schedule"
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port of the Prefect server and UI"
    )
    serve.add_argument(
        "--cron",
        default=DEFAULT_CRON,
        help=f"when to run (cron; default '{DEFAULT_CRON}': after each tertial end)",
    )
    serve.add_argument(
        "--raw-root",
        type=Path,
        default=DEFAULT_RAW_ROOT,
        help=f"folder of deliveries named YYYY-MM-DD (default {DEFAULT_RAW_ROOT})",
    )
    serve.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR)
    serve.add_argument("--reference", type=Path, default=None)
    return main


def command_serve(args: argparse.Namespace) -> int:
    from pipelines.serve import serve

    try:
        serve(args.port, args.cron, args.raw_root, args.output_dir, args.reference)
    except KeyboardInterrupt:
        print("stopped")
    return EXIT_OK


def fail(message: str, code: int) -> int:
    print(f"kerncijfers: error: {message}", file=sys.stderr)
    return code


def command_demo(args: argparse.Namespace) -> int:
    from pipelines.demo.generator import build_demo_delivery

    counts = build_demo_delivery(args.output_dir, seed=args.seed)
    for file, n in counts.items():
        print(f"  {file:<28} {n:>9} rows")
    print(f"demo delivery written to {args.output_dir}")
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    from pipelines.delivery import DeliveryError, open_delivery

    # Check the delivery before starting anything, so a broken one stops at once, in one line.
    try:
        open_delivery(args.raw_dir)
    except DeliveryError as error:
        return fail(str(error), EXIT_BAD_DELIVERY)
    if args.reference is not None and not args.reference.is_file():
        return fail(f"reference file {args.reference} does not exist", EXIT_USAGE)

    apply_prefect_defaults()
    from pipelines.flows import kerncijfers_flow
    from pipelines.transform import TransformError
    from pipelines.validate import ValidationError
    from pipelines.workspace import OutputLocked

    try:
        manifest = kerncijfers_flow(
            raw_dir=str(args.raw_dir.resolve()),
            jaar=args.jaar,
            extra_peildata=[d.isoformat() for d in args.peildatum],
            output_dir=str(args.output_dir.resolve()),
            reference_path=str(args.reference.resolve()) if args.reference else None,
            wait_seconds=args.wait,
        )
    except DeliveryError as error:
        return fail(str(error), EXIT_BAD_DELIVERY)
    except (TransformError, ValidationError, OutputLocked) as error:
        return fail(str(error), EXIT_FAILED)
    print_summary(manifest, args.output_dir)
    return EXIT_OK


def print_summary(manifest: dict, output_dir: Path) -> None:
    rejected = sum(f["rejected"] for f in manifest["files"].values())
    print(f"\nkerncijfers run {manifest['run_id']} finished in {manifest['seconds']} s")
    print(f"  marts:     {output_dir / 'marts' / 'kerncijfers.parquet'} (and .csv)")
    print(f"  manifest:  {output_dir / 'manifest.json'}")
    report = output_dir / "rapport" / "index.html"
    if any(name.startswith("rapport/") for name in manifest.get("outputs", {})):
        print(f"  report:    {report} (jaarverslag and factsheets, HTML and PDF)")
    print(f"  set aside: {rejected} row(s) (table raw.afgekeurde_rijen in warehouse.duckdb)")
    rec = manifest.get("reconciliation") or {}
    if rec.get("figures"):
        exact = rec.get("exact", {"figures": 0, "agree": 0})
        print(f"  reference: {exact['agree']} of {exact['figures']} exact figures reproduced")


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("pipelines").setLevel(logging.INFO)
    args = parser().parse_args(argv)
    commands = {"demo": command_demo, "run": command_run, "serve": command_serve}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
