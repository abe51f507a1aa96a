"""Reading the tables of a rendered page back, for the tests (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _Tables(HTMLParser):
    """Cell texts by table; a footnote marker (<sup>) is not part of the cell's text but is
    recorded with the text of its footnote."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.markers: dict[str, dict[tuple[int, int], str]] = {}
        self.notes: dict[str, str] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.in_sup = False
        self.note_id: str | None = None
        self.note_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "sup":
            self.in_sup = True
        elif tag == "a" and self.in_sup and self.current and self.row is not None:
            where = (len(self.tables[self.current]), len(self.row))
            self.markers.setdefault(self.current, {})[where] = attrs["href"].lstrip("#")
        elif tag == "li" and attrs.get("id", "").count("-noot-"):
            self.note_id, self.note_text = attrs["id"], []
        if tag == "table":
            self.current = dict(attrs).get("id", f"table{len(self.tables)}")
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "sup":
            self.in_sup = False
        elif tag == "li" and self.note_id:
            self.notes[self.note_id] = " ".join("".join(self.note_text).split())
            self.note_id = None
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current:
            self.tables[self.current].append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.note_id:
            self.note_text.append(data)
        if self.cell is not None and not self.in_sup:
            self.cell.append(data)


def tables(path: Path) -> dict[str, list[list[str]]]:
    """{table id: rows of cell texts, header row first}."""
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def footnotes(path: Path, table: str) -> dict[tuple[int, int], str]:
    """{(row, column) of a cell with a footnote marker: the footnote's text}, rows counted
    with the header row as 0, columns with the row label as 0."""
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return {where: parser.notes[ref] for where, ref in parser.markers.get(table, {}).items()}
