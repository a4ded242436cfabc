"""Spreadsheets in and out: the CSV and XLSX files labour offices exchange with the ministry.

Reading turns a CSV (UTF-8 with or without BOM, or Windows-1252; comma,
semicolon or tab) or the first sheet of an XLSX workbook into a polars frame of
strings, one column per recognised header, plus the true spreadsheet row of
every record. It judges the file, not the values: field rules belong to the
row validator. Writing neutralises spreadsheet formula injection in every cell.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

import polars as pl

ROW = "_row"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
_UTF8_BOM = b"\xef\xbb\xbf"
_NOT_A_TABLE = (
    "File ini bukan CSV (UTF-8 atau Windows-1252) maupun workbook XLSX. "
    'Simpan ulang dari Excel sebagai "CSV UTF-8" atau "Excel Workbook (.xlsx)".'
)
_HEADER_SCAN = 1 << 20  # a header record longer than this is not a header anyway


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None


class TableError(ValueError):
    """The file as a whole cannot be read; the message (Indonesian) says why."""


@dataclass
class Table:
    frame: pl.DataFrame
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    ignored_headers: list[str] = field(default_factory=list)
    row_errors: list[tuple[int, str]] = field(default_factory=list)


# --------------------------------------------------------------------- reading


def read_table(
    source: str | os.PathLike | bytes,
    columns: Sequence[Column],
    *,
    max_cell: int = 10_000_000,
) -> Table:
    lookup = _lookup(columns)
    data = _load(source)
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, columns, lookup, max_cell)
    if data.startswith(_OLE_MAGIC):
        raise TableError(
            "File Excel 97-2003 (.xls) tidak didukung. "
            'Simpan ulang sebagai "Excel Workbook (.xlsx)" atau "CSV UTF-8".'
        )
    return _read_csv(data, columns, lookup, max_cell)


def _load(source: str | os.PathLike | bytes) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(source, "rb") as handle:
        return handle.read()


def header_key(text: str) -> str:
    """How a header is compared: case, spacing and a stray BOM do not matter."""
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def _lookup(columns: Sequence[Column]) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            other = lookup.setdefault(header_key(name), column)
            if other.key != column.key:
                # A caller's bug (e.g. a declaration rule named like a canonical
                # column), not a problem of the file.
                raise ValueError(f"header {name!r} claimed by {other.key!r} and {column.key!r}")
    return lookup


def _map_headers(
    headers: Sequence[str], columns: Sequence[Column], lookup: dict[str, Column]
) -> tuple[dict[str, int], list[str]]:
    """Position of each recognised column in the file, and the headers nobody asked for."""
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(headers):
        column = lookup.get(header_key(raw))
        if column is None:
            if raw.strip():
                ignored.append(raw.strip())
            continue
        if column.key in found:
            first = headers[found[column.key]].strip()
            raise TableError(
                f'Kolom "{first}" dan "{raw.strip()}" sama-sama berarti "{column.header}". '
                "Hapus salah satunya."
            )
        found[column.key] = index
    missing = [c.header for c in columns if c.required and c.key not in found]
    if missing:
        message = "Kolom wajib tidak ditemukan: " + ", ".join(missing) + "."
        if ignored:
            message += " Kolom yang tidak dikenali: " + ", ".join(ignored) + "."
        raise TableError(message)
    return found, ignored


def _finish(frame: pl.DataFrame, labels: dict[str, str], max_cell: int) -> pl.DataFrame:
    """Strip, bound and drop blank records; `labels` maps each key to its header in the file."""
    keys = list(labels)
    frame = frame.with_columns(
        [pl.col(k).fill_null("").str.strip_chars() for k in keys] + [pl.col(ROW).cast(pl.Int64)]
    )
    for key in keys:
        # Bytes bound characters from above, so the costlier character count
        # runs only when some cell might be too long.
        if (frame[key].str.len_bytes().max() or 0) <= max_cell:
            continue
        over = frame.filter(pl.col(key).str.len_chars() > max_cell)
        if over.height:
            row, length = over[ROW][0], len(over[key][0])
            raise TableError(_too_long(row, labels[key], length, max_cell))
    if keys:
        frame = frame.filter(pl.any_horizontal([pl.col(k) != "" for k in keys]))
    else:
        frame = frame.clear()
    return frame.select([*keys, ROW])


def _too_long(row: int, header: str, length: int, max_cell: int) -> str:
    return (
        f'Sel baris {row} kolom "{header}" berisi {_id_number(length)} karakter; '
        f"batas satu sel {_id_number(max_cell)} karakter."
    )


def _id_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# CSV


def _read_csv(
    data: bytes, columns: Sequence[Column], lookup: dict[str, Column], max_cell: int
) -> Table:
    text, encoding = _decode(data)
    if not text.strip():
        raise TableError("File kosong.")
    rewritten = encoding == "cp1252"
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # classic Mac line ends, which polars does not split on
        rewritten = True
    # Blank lines above the header are skipped but still counted, so row numbers
    # stay those the officer sees when opening the file.
    lead = re.match(r"(?:[ \t]*\r?\n)*", text).group(0)
    if lead:
        text = text[len(lead):]
        rewritten = True
    header_row = lead.count("\n") + 1
    delimiter, header_end = _sniff(text)
    headers = next(csv.reader(io.StringIO(text[:header_end]), delimiter=delimiter), [])
    found, ignored = _map_headers(headers, columns, lookup)
    labels = {c.key: headers[found[c.key]].strip() for c in columns if c.key in found}

    if rewritten:
        payload = text.encode("utf-8")
    else:
        payload = data[len(_UTF8_BOM):] if encoding == "utf-8-sig" else data
    records, odd = _odd_records(payload, delimiter, len(headers))
    read = _polars_csv(payload, delimiter, headers, found, header_row, odd, records)
    if read is None:
        read = _python_csv(text, delimiter, headers, found, header_row)
    frame, row_errors = read
    frame = _finish(frame, labels, max_cell)
    return Table(frame, "csv", encoding, delimiter, ignored, row_errors)


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TableError(_NOT_A_TABLE)  # UTF-16/32 or binary
    try:
        if data.startswith(_UTF8_BOM):
            # A file that says UTF-8 and is not would only come out garbled as cp1252.
            return data[len(_UTF8_BOM):].decode("utf-8"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if data.startswith(_UTF8_BOM):
            raise TableError(_NOT_A_TABLE) from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise TableError(_NOT_A_TABLE) from None


def _sniff(text: str) -> tuple[str, int]:
    """The delimiter most used in the header record outside quotes, and where that record ends."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    end = min(len(text), _HEADER_SCAN)
    for index, char in enumerate(text[:end]):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "\n":
            end = index
            break
        elif char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best, end


def _odd_records(payload: bytes, delimiter: str, width: int) -> tuple[int, list[tuple[int, int]]]:
    """The number of records (header included), and (index, field count) of each
    non-blank record whose width is not the header's.

    polars pads short records silently and rejects or truncates long ones, so
    widths are counted here, vectorised, on raw lines joined into records by
    quote parity (RFC 4180).
    """
    lines = pl.read_csv(
        payload,
        has_header=False,
        separator="\x00",  # absent: NUL bytes were refused while decoding
        quote_char=None,
        schema={"line": pl.String},
        empty_string_is_null=False,
    )["line"]
    quotes = lines.str.count_matches('"', literal=True)
    if quotes.sum() == 0:
        records = lines
    else:
        inside = (quotes.cum_sum() % 2 == 1).shift(1, fill_value=False)
        if inside.any():
            records = (
                pl.DataFrame({"id": (~inside).cum_sum(), "line": lines})
                .group_by("id", maintain_order=True)
                .agg(pl.col("line").str.join("\n"))["line"]
            )
        else:
            records = lines
        records = records.str.replace_all(r'"[^"]*"', '""')
    content = r'[^\s"' + ("" if delimiter == "\t" else delimiter) + "]"
    odd = (
        pl.DataFrame({"line": records})
        .with_row_index("index")
        .with_columns(fields=pl.col("line").str.count_matches(delimiter, literal=True) + 1)
        .filter(pl.col("fields") != width)
        .filter(pl.col("line").str.contains(content))  # blank records go whatever their width
    )
    return records.len(), list(zip(odd["index"].to_list(), odd["fields"].to_list()))


def _polars_csv(
    payload: bytes,
    delimiter: str,
    headers: list[str],
    found: dict[str, int],
    header_row: int,
    odd: list[tuple[int, int]],
    records: int,
) -> tuple[pl.DataFrame, list[tuple[int, str]]] | None:
    names = [f"c{i}" for i in range(len(headers))]
    try:
        frame = pl.read_csv(
            payload,
            has_header=True,
            new_columns=names,
            columns=[names[i] for i in found.values()] or names[:1],
            separator=delimiter,
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=bool(odd),
            row_index_name=ROW,
            row_index_offset=header_row + 1,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError):
        return None  # malformed quoting and the like: the Python reader decides
    if frame.height != records - 1:
        return None  # the two readers split records differently: trust neither
    errors = [(header_row + i, _width_message(header_row + i, n, len(headers), header_row)) for i, n in odd]
    if errors:
        frame = frame.filter(~pl.col(ROW).is_in([row for row, _ in errors]))
    frame = frame.rename({names[i]: key for key, i in found.items()}).select([*found, ROW])
    return frame, errors


def _python_csv(
    text: str,
    delimiter: str,
    headers: list[str],
    found: dict[str, int],
    header_row: int,
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """The exact, slow reader, for files whose quoting polars will not take."""
    # The limit is process-wide; only ever raising it keeps concurrent readers safe.
    # A cell cannot be longer than the text holding it, so this reads every cell
    # and leaves the max_cell verdict (with row and column) to _finish.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    width = len(headers)
    cells: dict[str, list[str]] = {key: [] for key in found}
    rows: list[int] = []
    errors: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    for row, record in enumerate(reader, start=header_row + 1):
        if len(record) != width:
            if any(cell.strip() for cell in record):
                errors.append((row, _width_message(row, len(record), width, header_row)))
            continue
        rows.append(row)
        for key, index in found.items():
            cells[key].append(record[index])
    frame = pl.DataFrame(
        {**cells, ROW: rows}, schema={**{k: pl.String for k in found}, ROW: pl.Int64}
    )
    return frame, errors


def _width_message(row: int, got: int, width: int, header_row: int) -> str:
    return (
        f"Baris {row} berisi {got} kolom, sedangkan judul kolom (baris {header_row}) "
        f"berisi {width} kolom. Periksa pemisah kolom dan tanda kutip di baris ini."
    )


# XLSX


def _read_xlsx(
    data: bytes, columns: Sequence[Column], lookup: dict[str, Column], max_cell: int
) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile, XML and openpyxl each raise their own kinds
        raise TableError(_NOT_A_TABLE) from None
    try:
        if not book.worksheets:
            raise TableError("File kosong.")
        sheet = book.worksheets[0]
        # The stored dimension is often wrong in files written by other tools,
        # and read-only mode would stop at it.
        sheet.reset_dimensions()
        return _xlsx_table(sheet.iter_rows(values_only=True), columns, lookup, max_cell)
    except TableError:
        raise
    except Exception:
        raise TableError(_NOT_A_TABLE) from None
    finally:
        book.close()


def _xlsx_table(
    rows: Iterable[tuple], columns: Sequence[Column], lookup: dict[str, Column], max_cell: int
) -> Table:
    rows = iter(rows)
    header_row = 0
    for header_row, values in enumerate(rows, start=1):
        headers = [cell_text(v) for v in values]
        if any(headers):
            break
    else:
        raise TableError("File kosong.")
    found, ignored = _map_headers(headers, columns, lookup)
    labels = {c.key: headers[found[c.key]] for c in columns if c.key in found}
    cells: dict[str, list[str]] = {key: [] for key in found}
    numbers: list[int] = []
    picks = list(found.items())
    for row, values in enumerate(rows, start=header_row + 1):
        texts = [cell_text(values[i]) if i < len(values) else "" for _, i in picks]
        if not any(texts):
            continue
        for (key, _), text in zip(picks, texts):
            if len(text) > max_cell:
                raise TableError(_too_long(row, labels[key], len(text), max_cell))
            cells[key].append(text)
        numbers.append(row)
    frame = pl.DataFrame(
        {**cells, ROW: numbers}, schema={**{k: pl.String for k in found}, ROW: pl.Int64}
    )
    return Table(_finish(frame, labels, max_cell), "xlsx", None, None, ignored, [])


def cell_text(value: object) -> str:
    """An XLSX cell as the text an officer means by it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        if value.is_integer():
            return str(int(value))  # a NIK stored as a number keeps every digit
        return format(Decimal(repr(value)), "f")  # never "1e-07"
    if isinstance(value, datetime):
        # Excel has only datetimes; the columns read here want the day.
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


# --------------------------------------------------------------------- writing

# OWASP "CSV injection": a cell starting with one of these is a formula to
# Excel, LibreOffice or Google Sheets. The full-width forms are included
# because some spreadsheet locales normalise them to their ASCII twins.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_XLSX_MAX_TEXT = 32_767  # Excel declares a longer cell corrupt


def safe_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def unguarded(value: object) -> object:
    """A cell as it was before `safe_cell` guarded it (to re-export a guarded CSV as XLSX)."""
    if isinstance(value, str) and value.startswith("'") and safe_cell(value[1:]) == value:
        return value[1:]
    return value


def write_csv(
    target: str | os.PathLike | IO[bytes], headers: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """UTF-8 with BOM, so Excel opens it in the right encoding; comma; RFC 4180 quoting."""

    def write(stream: IO[str]) -> None:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([safe_cell(h) for h in headers])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])

    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8-sig", newline="") as stream:
            write(stream)
        return
    stream = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    try:
        write(stream)
        stream.flush()
    finally:
        stream.detach()  # the caller's stream stays open


def write_xlsx(
    target: str | os.PathLike | IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "Data",
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(header)) + 2, 12), 60)
    bold = Font(bold=True)

    def text_cell(value: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, _xlsx_text(value))
        # openpyxl guesses "=..." is a formula and "#N/A" an error; text is text.
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(str(safe_cell(h)), bold) for h in headers])
    for row in rows:
        sheet.append([_xlsx_value(safe_cell(v), text_cell) for v in row])
    book.save(target)


def _xlsx_value(value: object, text_cell):
    if isinstance(value, str):
        return text_cell(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones; the caller localises, the wall time is kept.
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, Decimal, date, time)):
        return value  # bool is an int
    return text_cell(str(value))


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_text(value: str) -> str:
    value = _ILLEGAL_XML.sub("\ufffd", value)  # XML 1.0 cannot carry them at all
    return value[:_XLSX_MAX_TEXT]


def _sheet_title(title: str) -> str:
    """Excel refuses sheet names with these characters or over 31 long."""
    cleaned = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title).split()).strip("'")[:31]
    return cleaned or "Data"
