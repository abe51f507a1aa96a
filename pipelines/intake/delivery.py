"""A delivery (levering): a folder with the CSV files of the contract.

This module answers, before anything is written: can every file be read as the contract says?
It reads each file's header, and each file's bytes once (hash, UTF-8, line ends, lines); the
rows are ingest's job. For a file with more lines than rows, ``record_lines`` finds the line
each row begins on, and refuses a quote left open.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
from array import array
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import ExpectedFailure
from pipelines.intake.contract import (
    DELIMITER,
    EXTRACTS,
    FORBIDDEN_COLUMNS,
    QUOTE_LEFT_OPEN_LINES,
    Extract,
)

BOM = b"\xef\xbb\xbf"
ISO_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A header is read up to its line end, or this many bytes: a file whose lines end in CR
# only has no line end before its last byte.
HEADER_BYTES = 1 << 16


class DeliveryError(ExpectedFailure):
    """A file of the delivery cannot be read as the contract; the run stops."""

    exit_code = 2

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


@dataclass(frozen=True)
class FileScan:
    """What reading a file once finds."""

    sha256: str
    mixed_line_ends: bool  # both LF and CRLF: ingest reads a normalised copy
    # A space or a character outside ASCII somewhere in the file: a value may need trimming.
    may_need_trim: bool
    # Its lines, up to the last that holds anything: the header and one line per row, unless
    # it has blank lines or a quoted value spans lines (ingest then finds each row's line).
    lines: int


@dataclass(frozen=True)
class DeliveryFile:
    extract: Extract
    path: Path
    header: tuple[str, ...]  # normalised (trimmed, lower case) names, in file order
    size: int
    scan: FileScan


class DeliveryChanged(ExpectedFailure):
    """A file of the delivery changed while the run read it (a copy still being written):
    its hash would not describe the rows the run read. Run again once it is complete."""

    exit_code = 75  # sysexits EX_TEMPFAIL: try again later

    def __init__(self, file: str) -> None:
        super().__init__(
            f"{file} changed while the run read it (is the delivery still being copied?): "
            "the audit trail's hash would not describe what was read, so nothing was "
            "published; run again once the delivery is complete"
        )


@dataclass(frozen=True)
class Delivery:
    raw_dir: Path
    files: tuple[DeliveryFile, ...]
    # Each file's inode, size and change times when it was read and hashed: what the run
    # reads later must be those same bytes (``check_unchanged``).
    states: tuple = ()

    def check_unchanged(self) -> None:
        """DeliveryChanged when a file is no longer as it was when it was hashed."""
        for before, now in zip(self.states, file_states(self.raw_dir), strict=True):
            if before != now:
                raise DeliveryChanged(before[0])

    @property
    def folder_export_date(self) -> dt.date | None:
        """The export date when the folder is named for it (``data/raw/2021-04-01/``)."""
        name = self.raw_dir.name
        if ISO_DATE_FOLDER.match(name):
            try:
                return dt.date.fromisoformat(name)
            except ValueError:
                return None
        return None

    def hashes(self) -> dict[str, str]:
        return {f.extract.file: f.scan.sha256 for f in self.files}

    @property
    def missing_optional(self) -> list[Extract]:
        """The optional files this delivery does not have."""
        present = {f.extract.file for f in self.files}
        return [e for e in EXTRACTS if e.optional and e.file not in present]


def scan(path: Path, file: str) -> FileScan:
    """The file's SHA-256, whether it mixes LF and CRLF line ends, whether it holds a space
    or a character outside ASCII, and its lines, reading it once; DeliveryError if it is not
    valid UTF-8. Per block only what is cheap is done: a block of ASCII without a carriage
    return needs no decoding, and counting its line feeds is a fast byte count."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    crlf = bare_lf = False
    may_need_trim = False  # a space or a character outside ASCII seen
    previous_cr = False  # the block before ended with a carriage return
    pending = False  # the decoder holds the first bytes of a character
    offset = 0  # of the block in the file
    line_feeds = 0
    trailing = 0  # line feeds after the last byte that is not a line end
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            feeds = block.count(b"\n")
            line_feeds += feeds
            if not block.endswith((b"\n", b"\r")):
                trailing = 0
            elif content := len(block.rstrip(b"\r\n")):
                trailing = block.count(b"\n", content)
            else:  # line ends only, after those of the block before
                trailing += feeds
            if previous_cr or b"\r" in block:
                joined = (b"\r" if previous_cr else b"") + block
                pairs = joined.count(b"\r\n")
                crlf = crlf or pairs > 0
                bare_lf = bare_lf or feeds > pairs
                # A carriage return at the block's end may begin a CRLF: the next block tells.
                if joined.count(b"\r", 0, len(joined) - block.endswith(b"\r")) > pairs:
                    at = lone_cr_in(joined)
                    first_line = line_feeds == feeds and b"\n" not in joined[:at]
                    line = line_of(path, offset - previous_cr + at)
                    raise DeliveryError(file, lone_cr_problem(line, first_line))
            elif not bare_lf:
                bare_lf = feeds > 0
            previous_cr = block.endswith(b"\r")
            may_need_trim = may_need_trim or b" " in block
            if pending or not block.isascii():  # ASCII is UTF-8: nothing to decode
                may_need_trim = True
                try:
                    decoder.decode(block)
                    pending = bool(decoder.getstate()[0])
                except UnicodeDecodeError as exc:
                    at = line_of(path, offset + exc.start)
                    raise DeliveryError(
                        file, f"not UTF-8 encoded (first bad byte on line {at})"
                    ) from None
            offset += len(block)
        if previous_cr:  # the file ends in a carriage return that ends no CRLF
            raise DeliveryError(file, lone_cr_problem(line_feeds - trailing + 1, line_feeds == 0))
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise DeliveryError(file, "not UTF-8 encoded (the file ends mid-character)") from None
    return FileScan(digest.hexdigest(), crlf and bare_lf, may_need_trim, line_feeds - trailing + 1)


def lone_cr_in(block: bytes) -> int:
    """The offset of the first carriage return in the block that is not followed by a line
    feed (the caller knows there is one)."""
    at = block.find(b"\r")
    while block[at + 1 : at + 2] == b"\n":
        at = block.find(b"\r", at + 1)
    return at


def lone_cr_problem(line: int, first_line: bool) -> str:
    """What is wrong with a file that holds a carriage return (CR) not followed by a line
    feed (``first_line``: one that ends its first line): DuckDB's reader cannot read it, and
    the contract allows LF and CRLF line ends."""
    if first_line:
        return (
            "its lines end in a carriage return (CR) only, as old Mac software writes them; "
            "the contract asks for LF or CRLF line ends"
        )
    return (
        f"line {line} holds a carriage return (CR) that does not end the line with a line "
        "feed; the contract asks for LF or CRLF line ends, and no value may hold a CR"
    )


def line_of(path: Path, offset: int) -> int:
    """The line (from 1) the byte at ``offset`` lies on, reading up to it block by block."""
    line = 1
    with path.open("rb") as handle:
        while offset > 0:
            block = handle.read(min(offset, 1 << 20))
            if not block:
                break
            line += block.count(b"\n")
            offset -= len(block)
    return line


def record_lines(path: Path, file: str) -> tuple[array, array]:
    """For every record after the header, in order: the line DuckDB's reader gives it (it
    counts a blank line as a line, and a record as one line however many it spans) and the
    line in the file on which it begins. Read as DuckDB reads the contract's CSV: a quote
    opens a value only at its start, a doubled quote inside one is a quote. DeliveryError for
    a record over ``QUOTE_LEFT_OPEN_LINES`` lines or more: a quote left open, whose value
    swallows the rows after it."""
    reader_lines, file_lines = array("q"), array("q")
    limit = csv.field_size_limit()
    csv.field_size_limit(path.stat().st_size + 1)  # a value may be as long as the file
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = csv.reader(handle, delimiter=DELIMITER, quotechar='"', doublequote=True)
            next(records, None)  # the header
            unit, begins = 1, records.line_num + 1
            for row in records:
                unit += 1
                if row:
                    reader_lines.append(unit)
                    file_lines.append(begins)
                if records.line_num - begins + 1 >= QUOTE_LEFT_OPEN_LINES:
                    last = not handle.read(1)
                    raise DeliveryError(file, quote_left_open(begins, records.line_num, last))
                begins = records.line_num + 1
    finally:
        csv.field_size_limit(limit)
    return reader_lines, file_lines


# The longest line DuckDB's CSV reader reads (its max_line_size, which ingest sets): a longer
# one it passes over without a word, so ingest compares its rows with the file's lines.
MAX_LINE_BYTES = 2_097_152


def longest_line(path: Path) -> tuple[int, int]:
    """The file's longest line: its number (from 1) and its length in bytes."""
    longest, number, line, length = (0, 0), 0, 1, 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            start = 0
            while (end := block.find(b"\n", start)) >= 0:
                length += end - start
                longest = max(longest, (length, -line))
                line, length, start = line + 1, 0, end + 1
            length += len(block) - start
    longest = max(longest, (length, -line))
    number, size = -longest[1], longest[0]
    return number, size


def line_too_long(path: Path) -> str | None:
    """What to say when a line is longer than a row can be, or None."""
    number, size = longest_line(path)
    if size <= MAX_LINE_BYTES:
        return None
    return (
        f"line {number} is {size / 2**20:.0f} MB long, longer than a row can be "
        f"({MAX_LINE_BYTES // 2**20} MB): is this a file of another kind, or rows without "
        "line ends?"
    )


def quote_left_open(begins: int, ends: int, last: bool) -> str:
    where = f"runs to line {ends}, the end of the file" if last else f"ends only on line {ends}"
    return (
        f"the quoted value that begins on line {begins} {where}: {ends - begins + 1} lines "
        "would be read as one row. Is a quote left open?"
    )


def read_header(path: Path, file: str) -> tuple[str, ...]:
    """The normalised column names of a file, or DeliveryError naming what is wrong."""
    with path.open("rb") as handle:
        first = handle.readline(HEADER_BYTES)
    if not first.strip():
        raise DeliveryError(file, "the file is empty: it needs at least the header row")
    if b"\r" in first.rstrip(b"\r\n"):
        raise DeliveryError(file, lone_cr_problem(1, b"\n" not in first))
    first = first.removeprefix(BOM)
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeliveryError(file, f"not UTF-8 encoded (byte {exc.start} of the header)") from None
    fields = next(csv.reader([text.rstrip("\r\n")], delimiter=DELIMITER, quotechar='"'))
    if len(fields) == 1:
        for other, name in ((",", "comma"), ("\t", "tab"), ("|", "pipe")):
            if other in fields[0]:
                raise DeliveryError(
                    file, f"not ';'-separated: the header is split by {name}s ('{other}')"
                )
    return tuple(f.strip().lower() for f in fields)


def check_header(extract: Extract, header: tuple[str, ...]) -> None:
    for forbidden in FORBIDDEN_COLUMNS:
        if forbidden in header:
            raise DeliveryError(
                extract.file,
                f"has a '{forbidden}' column: a delivery may not carry citizen service numbers",
            )
    missing = [c for c in extract.column_names if c not in header]
    if missing:
        raise DeliveryError(extract.file, f"missing column(s): {', '.join(missing)}")
    doubles = sorted({c for c in header if header.count(c) > 1 and c in extract.column_names})
    if doubles:
        raise DeliveryError(extract.file, f"column(s) appear more than once: {', '.join(doubles)}")


# The deliveries this process has opened, with the state of their files then: the command
# line checks a delivery before the flow starts, and the flow's first step need not read it
# all again when no file has changed since.
_opened: dict[Path, tuple[tuple, Delivery]] = {}


def file_states(raw_dir: Path) -> tuple:
    states = []
    for extract in EXTRACTS:
        try:
            st = (raw_dir / extract.file).stat()
        except OSError:
            states.append((extract.file, None))
            continue
        states.append((extract.file, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(states)


def open_delivery(raw_dir: Path) -> Delivery:
    """Check that the ten required files (and the optional one, when there) are present and
    readable as the contract; hash them. A delivery this process opened before, whose files
    have not changed since, is not read again."""
    if not raw_dir.is_dir():
        raise DeliveryError(str(raw_dir), "the delivery folder does not exist")
    key, states = raw_dir, file_states(raw_dir)
    if key in _opened and _opened[key][0] == states:
        return _opened[key][1]
    delivery = read_delivery(raw_dir, states)
    delivery.check_unchanged()  # nothing was written to the files while they were hashed
    _opened[key] = (states, delivery)
    return delivery


def read_delivery(raw_dir: Path, states: tuple = ()) -> Delivery:
    """The files are checked in the contract's order, so the first problem in that order is
    the one reported; their scans run two at a time meanwhile (hashing releases the GIL)."""
    files = []
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scan")
    try:
        scans = {
            e.file: pool.submit(scan, raw_dir / e.file, e.file)
            for e in EXTRACTS
            if (raw_dir / e.file).is_file()
        }
        for extract in EXTRACTS:
            path = raw_dir / extract.file
            if extract.file not in scans:
                if extract.optional:
                    continue
                raise DeliveryError(extract.file, f"missing from the delivery in {raw_dir}")
            header = read_header(path, extract.file)
            check_header(extract, header)
            size = path.stat().st_size
            files.append(DeliveryFile(extract, path, header, size, scans[extract.file].result()))
    finally:
        pool.shutdown(cancel_futures=True)  # after a problem: scans not yet begun never start
    return Delivery(raw_dir, tuple(files), states)
