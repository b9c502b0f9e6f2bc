"""Reading an uploaded spreadsheet into a header and rows of raw cell values.

CSV (UTF-8, comma, semicolon or tab) is streamed row by row with the standard library; XLSX is
read with python-calamine, which gives the cached *value* of a formula cell, never the formula.
Both stop with a clear message past :data:`MAX_ROWS` data rows, so a huge file costs neither
memory nor time before it is refused. Values are kept as they come (text for CSV; text,
numbers, dates for XLSX): the growth engine's parsers (``tumbuh.growth.inputs``) read numbers,
dates and sex spellings later, in bulk.

(``tumbuh.growth.fileio`` reads a whole file into memory at once, which fits its job, z-scores
for any size of file, but not ours: a refused oversized upload must stop early.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Final

import python_calamine

#: Most data rows one file may have (about a kecamatan's year of monthly weighings). Split
#: bigger files by kecamatan or by month.
MAX_ROWS: Final = 200_000
#: Largest upload accepted, in bytes.
MAX_BYTES: Final = 60 * 1024 * 1024
#: Most bytes an XLSX file may hold once unzipped (all its parts together). A 413 KB file can
#: hold a 400 MB string that took gigabytes to read (issue 11, finding 9); a real
#: 200,000-row export is well under this.
MAX_UNCOMPRESSED_BYTES: Final = 200 * 1024 * 1024
#: Longest text in one cell (XML bytes, so a little less in characters). Nothing in an
#: e-PPGBM export comes near it.
MAX_CELL_CHARS: Final = 10_000
#: Most parts inside one XLSX file.
MAX_ZIP_MEMBERS: Final = 2_000
_CHUNK: Final = 1 << 20

_BOM: Final = b"\xef\xbb\xbf"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_DELIMITERS: Final = (",", ";", "\t")

Cell = Any
"""One cell: str for CSV; str, float, int, bool, date or datetime for XLSX."""


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is Indonesian, for the user."""


@dataclass
class Sheet:
    """A header and data rows; ``first_row`` is the spreadsheet row number of ``rows[0]``."""

    header: list[str]
    rows: list[list[Cell]]
    first_row: int
    kind: str

    def row_number(self, index: int) -> int:
        return self.first_row + index


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_many() -> ImportFileError:
    return ImportFileError(
        f"Berkas berisi lebih dari {_count(MAX_ROWS)} baris data, batas satu kali impor. "
        "Pecah berkas per kecamatan atau per bulan, lalu impor satu per satu."
    )


def _blank(row: list[Cell]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def kind_of(name: str, head: bytes) -> str:
    """``csv`` or ``xlsx``, from the content first (people rename files), then the name."""
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if lower.endswith(".xls"):
        raise ImportFileError(
            "Berkas .xls (Excel 97-2003) tidak didukung; buka di Excel/LibreOffice lalu simpan "
            "sebagai .xlsx atau CSV."
        )
    return "csv"


def read_sheet(data: bytes, name: str) -> Sheet:
    """The first worksheet of an XLSX file or the rows of a CSV file."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"Berkas lebih besar dari {MAX_BYTES // (1024 * 1024)} MB; pecah per kecamatan "
            "atau per bulan."
        )
    if not data.strip() or not data.lstrip(_BOM).strip():
        raise ImportFileError("Berkas kosong.")
    kind = kind_of(name, data[:8])
    return _read_xlsx(data) if kind == "xlsx" else _read_csv(data)


def _detect_delimiter(line: str) -> str:
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Sheet:
    if b"\x00" in data[:65536]:
        raise ImportFileError("Berkas bukan CSV (isinya biner). Simpan sebagai .xlsx atau CSV.")
    try:
        text: IO[str] = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        first = text.readline()
        text.seek(0)
        reader = csv.reader(text, delimiter=_detect_delimiter(first))
        rows = _take(reader)
    except UnicodeDecodeError:
        raise ImportFileError(
            "Berkas bukan teks UTF-8. Simpan ulang sebagai 'CSV UTF-8 (dipisah koma)' atau .xlsx."
        ) from None
    except csv.Error as error:
        raise ImportFileError(f"Berkas CSV tidak dapat dibaca: {error}.") from None
    return _sheet(rows, first_row=1, kind="csv")


def _take(rows: Iterator[list[Cell]]) -> list[list[Cell]]:
    """Rows up to the cap (header included), dropping blank rows at the end."""
    out: list[list[Cell]] = []
    blank_run = 0
    for row in rows:
        if _blank(row):
            blank_run += 1
            out.append(row)
            continue
        blank_run = 0
        out.append(row)
        if len(out) > MAX_ROWS + 1:
            raise _too_many()
    if blank_run:
        del out[len(out) - blank_run :]
    return out


def _too_big_unzipped() -> ImportFileError:
    return ImportFileError(
        f"Berkas XLSX ini berisi lebih dari {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB "
        "data setelah dibuka (terkompresi sangat kuat), batas satu kali impor. Simpan ulang "
        "sebagai CSV, atau pecah berkas per kecamatan atau per bulan."
    )


def check_xlsx_limits(data: bytes) -> None:
    """Refuse an XLSX file before any reader unpacks it (issue 11, finding 9): more than
    :data:`MAX_UNCOMPRESSED_BYTES` unzipped (declared *and* counted while streaming, so a lying
    header does not help), a cell longer than :data:`MAX_CELL_CHARS`, more than
    :data:`MAX_ROWS` rows in a worksheet. Memory stays at about one megabyte per part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return  # not a zip at all: calamine gives the clear "bukan XLSX" message
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFileError(
                "Berkas XLSX berisi terlalu banyak bagian; simpan ulang dari Excel/LibreOffice."
            )
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
            raise _too_big_unzipped()
        long_run = re.compile(rb"[^<>]{%d}" % (MAX_CELL_CHARS + 1))
        row_tag = re.compile(rb"<row[ >]")
        total = 0
        for member in members:
            if not member.filename.endswith(".xml"):
                continue
            worksheet = member.filename.startswith("xl/worksheets/")
            rows = 0
            tail = b""
            try:
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise _too_big_unzipped()
                        window = tail + chunk
                        if long_run.search(window):
                            raise ImportFileError(
                                f"Ada sel berisi lebih dari {_count(MAX_CELL_CHARS)} karakter "
                                f"(bagian {member.filename} berkas). Periksa berkasnya: data "
                                "posyandu tidak pernah sepanjang itu."
                            )
                        if worksheet:
                            rows += len(row_tag.findall(tail[-4:] + chunk))
                            if rows > MAX_ROWS + 1:
                                raise _too_many()
                        tail = window[-MAX_CELL_CHARS:]
            except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError):
                raise ImportFileError(
                    "Berkas XLSX rusak (isi terkompresinya tidak dapat dibuka); simpan ulang "
                    "dari Excel/LibreOffice sebagai .xlsx."
                ) from None


def _read_xlsx(data: bytes) -> Sheet:
    check_xlsx_limits(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.total_height > MAX_ROWS + 1 and sheet.height > MAX_ROWS + 1:
            raise _too_many()
        rows = _take(iter(sheet.iter_rows()))
        start = sheet.start
    except python_calamine.PasswordError:
        raise ImportFileError("Berkas XLSX dilindungi kata sandi; buka kuncinya dahulu.") from None
    except python_calamine.CalamineError as error:
        raise ImportFileError(
            f"Berkas bukan XLSX yang sah ({str(error).splitlines()[0] if str(error) else ''}); "
            "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
        ) from None
    except (ValueError, OSError) as error:  # zip damaged in ways calamine reports as such
        raise ImportFileError(f"Berkas XLSX tidak dapat dibaca: {error}.") from None
    rows = [[None if v == "" else v for v in row] for row in rows]
    first_row = (start[0] if start else 0) + 1
    return _sheet(rows, first_row=first_row, kind="xlsx")


def _sheet(rows: list[list[Cell]], *, first_row: int, kind: str) -> Sheet:
    while rows and _blank(rows[0]):
        rows.pop(0)
        first_row += 1
    if not rows:
        raise ImportFileError("Berkas kosong: tidak ada baris judul maupun data.")
    header = [cell_text(v) for v in rows[0]]
    data = rows[1:]
    if not any(not _blank(r) for r in data):
        raise ImportFileError("Berkas hanya berisi baris judul, tanpa data.")
    width = len(header)
    for row in data:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return Sheet(header=header, rows=data, first_row=first_row + 1, kind=kind)


def cell_text(value: Cell) -> str:
    """A cell as text: whole numbers without ``.0``, dates as ``YYYY-MM-DD``; '' if empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
