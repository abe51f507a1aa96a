"""MkDocs hook: the reference pages that the code already knows, generated on every build so
that they cannot drift from it.

- ``reference/contract.md``: the input contract, from ``pipelines/intake/contract.py`` and the
  code lists of the dbt seeds;
- ``reference/definitions.md``: the definitions, from the dbt doc blocks (``dbt_project/docs``)
  and the catalogue (seed ``indicatoren``), the same text the models, the dbt docs site and
  the report's verantwoording show.
"""

from __future__ import annotations

import re

import yaml
from mkdocs.structure.files import File, Files

from pipelines.catalogue import catalogue, read_seed
from pipelines.config import DBT_PROJECT_DIR
from pipelines.intake import contract

DOC_BLOCK = re.compile(r"{%\s*docs\s+(\w+)\s*%}(.*?){%\s*enddocs\s*%}", re.S)
DOC_CALL = re.compile(r"""doc\(\s*["'](\w+)["']\s*\)""")


def on_files(files: Files, config) -> Files:
    for name, content in (
        ("reference/contract.md", contract_page()),
        ("reference/definitions.md", definitions_page()),
    ):
        files.append(File.generated(config, name, content=content))
    return files


# -- the input contract ------------------------------------------------------------------------


def contract_page() -> str:
    lines = [
        "# The input contract",
        "",
        "A delivery is one folder of CSV files, exported from the organisation's systems on one "
        "day (the export date). This page is generated from `pipelines/intake/contract.py`, "
        "where the contract is kept as data, and from the code lists in the dbt seeds.",
        "",
        "## Every file",
        "",
        f"- Delimiter `{contract.DELIMITER}`, one header row; column names match "
        "case-insensitively, surrounding spaces ignored; column order is free; unknown columns "
        "are ignored.",
        '- UTF-8 (a byte-order mark is allowed); fields may be quoted with `"`; LF or CRLF line '
        "ends. An empty field is null.",
        f"- A column named {', '.join(f'`{c}`' for c in contract.FORBIDDEN_COLUMNS)} makes the "
        "file unacceptable: a delivery never carries citizen service numbers.",
        "- The export date is the name of the delivery's folder when that is a date "
        "(`data/raw/2021-04-01/`), otherwise the latest date its rows show.",
        f"- A file of at least {contract.BROKEN_FILE_ROWS} rows none of which can be accepted "
        "stops the run, and so does a quoted value over "
        f"{contract.QUOTE_LEFT_OPEN_LINES} lines or more (a quote left open).",
        f"- Dates before {contract.PLAUSIBLE_YEARS[0]} or after {contract.PLAUSIBLE_YEARS[1]} "
        "are not plausible in any extract.",
        "",
        "### The kinds of value",
        "",
        "| kind | what a value looks like |",
        "|---|---|",
        *[f"| {kind.value} | {text} |" for kind, text in contract.KIND_TEXTS.items()],
        "",
        "### What a row that breaks a rule gets",
        "",
        "It is never dropped and never counted: it is set aside (`raw.afgekeurde_rijen`, and "
        "`afgekeurde_rijen.csv` in the audit trail) with its file, its line and every rule it "
        "broke. Because references look only at accepted rows, a rejection carries over. The "
        "rules of every column:",
        "",
        "| rule | the row breaks it when |",
        "|---|---|",
        *[f"| `{rule}` | {text} |" for rule, text in contract.COLUMN_RULES.items()],
        "",
    ]
    for extract in contract.EXTRACTS:
        lines += [
            f"## `{extract.file}`" + (" (optional)" if extract.optional else ""),
            "",
            "| column | kind | required | |",
            "|---|---|---|---|",
        ]
        for column in extract.columns:
            notes = []
            if column.unique:
                notes.append("unique")
            if column.references:
                notes.append(f"refers to `{column.references}`")
            if column.codes:
                notes.append("codes: " + ", ".join(f"`{c}`" for c in column.codes))
            if column.may_follow_export:
                notes.append("may lie after the export date")
            required = "yes" if column.required else "no"
            lines.append(
                f"| `{column.name}` | {column.kind.value} | {required} | {'; '.join(notes)} |"
            )
        if extract.rules:
            lines += ["", "Its own rules:", ""]
            lines += [f"- `{rule.rule}`: {rule.message}" for rule in extract.rules]
        lines.append("")
    return "\n".join(lines)


# -- the definitions ---------------------------------------------------------------------------


def doc_blocks() -> dict[str, str]:
    blocks = {}
    for path in sorted((DBT_PROJECT_DIR / "docs").glob("*.md")):
        for name, text in DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
            blocks[name] = " ".join(text.split())
    return blocks


def indicator_docs() -> dict[str, str]:
    """Per indicator the doc block its model's description names."""
    found = {}
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("_*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            indicator = ((model.get("config") or {}).get("meta") or {}).get("indicator")
            call = DOC_CALL.search(model.get("description") or "")
            if indicator and call:
                found[indicator] = call.group(1)
    return found


def definitions_page() -> str:
    blocks = doc_blocks()
    docs = indicator_docs()
    lines = [
        "# The definitions",
        "",
        "What every figure counts, in the words of the dbt doc blocks (`dbt_project/docs/`): the "
        "same text the models document, the dbt docs site shows and the report's "
        "verantwoording prints. Generated on every build.",
        "",
        "## Begrippen",
        "",
    ]
    lines += [f"- {blocks[name]}" for name in sorted(blocks) if name.startswith("begrip_")]
    lines += ["", "## Indicatoren", ""]
    by_domain: dict[str, list[dict]] = {}
    for row in sorted(read_seed("indicatoren"), key=lambda r: int(r["volgorde"])):
        by_domain.setdefault(row["domein"], []).append(row)
    domains = sorted(read_seed("domeinen"), key=lambda row: int(row["volgorde"]))
    for domain in domains:
        rows = by_domain.get(domain["domein"], [])
        lines += [f"### {domain['titel']}", ""]
        for row in rows:
            indicator = row["indicator"]
            text = blocks.get(
                docs.get(indicator, ""), "(no definition: the model has no doc block)"
            )
            kind = (
                "stock, on reference dates" if row["soort"] == "voorraad" else "flow, over periods"
            )
            lines += [
                f"#### {row['titel']}",
                "",
                f"`{indicator}` · {row['eenheid']} · {kind} · breakdown: {row['uitsplitsing']}",
                "",
                text,
                "",
            ]
    assert set(docs) <= set(catalogue()), "a model names an indicator the catalogue lacks"
    return "\n".join(lines)


if __name__ == "__main__":  # python docs/hooks/reference.py: print both pages
    print(contract_page())
    print(definitions_page())
