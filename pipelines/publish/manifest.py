"""The manifest of a run: what went in, with which parameters and versions, and what came out."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from pipelines.config import PROJECT_ROOT, RunParameters
from pipelines.intake.delivery import Delivery
from pipelines.intake.ingest import IngestResult
from pipelines.organisation import Organisation
from pipelines.publish.hashing import sha256_file

PACKAGES = (
    "kerncijfers",
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "pandas",
    "pandera",
    "pyarrow",
    "prefect",
    "jinja2",
    "matplotlib",
    "weasyprint",
)


def package_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    return {"python": platform.python_version()} | {p: package_version(p) for p in PACKAGES}


def version_line() -> str:
    """What ``kerncijfers --version`` says: 'kerncijfers 0.1.0 (code <commit>)', the version
    and the code revision a run's manifest records."""
    revision = code_revision() or "onbekend: not a git checkout"
    return f"kerncijfers {package_version('kerncijfers')} (code {revision})"


def code_revision() -> str | None:
    """The git commit of the code that ran, with '+changes' when the work tree differs."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+changes" if dirty else "")


def output_hashes(folder: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """The SHA-256 of every file of a publication, by its path in the publication."""
    return {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).parts[0] not in exclude
    }


def finish(manifest: dict[str, object], started: dt.datetime) -> None:
    """Stamp the manifest with the moment its publication is complete (report included), as
    it is written: what the audit trail and the command line report as the run's end."""
    finished = dt.datetime.now(dt.UTC)
    manifest["finished"] = finished.isoformat(timespec="seconds")
    manifest["seconds"] = round((finished - started).total_seconds(), 1)


def build_manifest(
    *,
    run_id: str,
    params: RunParameters,
    delivery: Delivery,
    ingest: IngestResult,
    started: dt.datetime,
    dbt: dict[str, object],
    validation: dict[str, object],
    reconciliation: dict[str, object],
    revisions: dict[str, object],
    disclosure: dict[str, object],
    organisation: Organisation,
) -> dict[str, object]:
    return {
        "run_id": run_id,
        "status": "success",
        "started": started.isoformat(timespec="seconds"),
        "finished": None,  # stamped by ``finish`` when the publication is complete
        "seconds": None,
        "parameters": params.as_dict(),
        "delivery": {
            "folder": str(delivery.raw_dir),
            "exportdatum": ingest.exportdatum.isoformat() if ingest.exportdatum else None,
            "exportdatum_bron": ingest.exportdatum_bron,
        },
        "files": {
            file: {
                "present": file in delivery.hashes(),
                "rows": c.rows,
                "accepted": c.accepted,
                "rejected": c.rejected,
            }
            for file, c in ingest.files.items()
        },
        "hashes": delivery.hashes(),
        "organisatie": {"folder": str(organisation.folder), "hashes": organisation.file_hashes()},
        "dbt": dbt,
        "validation": validation,
        "reconciliation": reconciliation,
        "revisions": revisions,
        "geheimhouding": disclosure,
        "versions": versions(),
        "code_revision": code_revision(),
    }
