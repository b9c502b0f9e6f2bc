"""Files in, files out: WHO z-scores for a CSV or XLSX table (``tumbuh growth zscore``).

The contract (ARCHITECTURE.md, "Contracts other tools rely on"): every input column is written
back unchanged and in order, then ``WHO_COLUMNS``, ``CATEGORY_COLUMNS``, ``REASON_COLUMNS`` and
``c9mo``. A bad value never stops the run: the row is kept and the problem is reported with
its spreadsheet row number (data row index + 2), its column, its value and an Indonesian
reason. Anything that makes the whole file unusable raises :class:`FileError` with a one-line
Indonesian message.

Speed. CSV is read and written by polars with every column as text, so input values come back
byte for byte. Before the engine sees a column it is parsed here with polars where that is
provably the same as the engine's own parsing (numbers, a few distinct spellings, ISO dates);
any column with a value the fast parse does not accept goes to the engine as the original text,
so the engine's own rules and problem reports apply unchanged. Rows go through
:func:`~tumbuh.growth.zscores` in chunks, with a progress bar for large files.

Nothing half-written is left behind: output and error report go to a temporary file in the
target folder and are renamed into place at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Protocol

import numpy as np
import numpy.typing as npt
import polars as pl
import python_calamine
import xlsxwriter
from tqdm import tqdm

from tumbuh.growth.inputs import normalise_names
from tumbuh.growth.reasons import REASON_CODES
from tumbuh.growth.zscore import (
    CATEGORY_COLUMNS,
    EXTRA_COLUMNS,
    OUTPUT_COLUMNS,
    REASON_COLUMNS,
    WHO_COLUMNS,
    Z_COLUMNS,
    ZScoreResult,
    zscores,
)

__all__ = [
    "CHUNK_ROWS",
    "PROGRESS_MIN_ROWS",
    "FileError",
    "RowProblem",
    "Summary",
    "errors_path_for",
    "zscore_file",
]

#: Rows per call of ``zscores`` (bounded memory, regular progress updates).
CHUNK_ROWS: Final = 200_000
#: Files with more data rows than this get a progress bar (when one is wanted at all).
PROGRESS_MIN_ROWS: Final = 50_000
#: Problems kept in the summary; all of them go to the ``.errors.csv`` report.
SHOWN_PROBLEMS: Final = 20
#: Last row an XLSX worksheet can hold (header included).
XLSX_MAX_ROWS: Final = 1_048_576

SUFFIXES: Final = (".csv", ".xlsx")
ERRORS_SUFFIX: Final = ".errors.csv"
ERRORS_HEADER: Final = ("row", "column", "value", "code", "message")
DELIMITERS: Final = (",", ";", "\t")

AGE_KEYS: Final = ("age_days", "age_months")
MEASUREMENT_KEYS: Final = ("weight", "lenhei", "headc", "armc", "triskin", "subskin")
FLAG_COLUMNS: Final = frozenset("f" + z[1:] for z in Z_COLUMNS)
DECIMALS: Final = 2

_BOM: Final = b"\xef\xbb\xbf"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_SNIFF_BYTES: Final = 65_536
# A CSV text that becomes an XLSX number: plain decimals, no leading zeros (codes, phone
# numbers keep them), at most 15 significant digits (a 16-digit NIK stays text).
_PLAIN_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_MAX_EXACT_DIGITS: Final = 15

FloatArray = npt.NDArray[np.float64]
Cell = Any
"""One XLSX cell value as python-calamine gives it (str, float, int, bool, date...)."""


class FileError(Exception):
    """The file as a whole cannot be processed; the message is one line of Indonesian."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One input value that was not used, located as a person finds it in a spreadsheet."""

    row: int
    """Spreadsheet row number: the header is row 1, so data row index + 2."""
    column: str
    value: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Summary:
    """What :func:`zscore_file` did."""

    output: Path
    rows: int
    problem_count: int
    problem_rows: int
    first_problems: tuple[RowProblem, ...]
    errors_path: Path | None


def errors_path_for(target: str | os.PathLike[str]) -> Path:
    """Where the problem report of an output file goes: the output name + ``.errors.csv``."""
    return Path(os.fspath(target) + ERRORS_SUFFIX)


# -- the whole run -------------------------------------------------------------------------


def zscore_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    overwrite_columns: bool = False,
    progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    progress_min_rows: int = PROGRESS_MIN_ROWS,
) -> Summary:
    """Read ``source``, add the WHO output columns, write ``target`` (CSV or XLSX by suffix).

    ``progress`` asks for a progress bar on standard error; it appears only for files with more
    than ``progress_min_rows`` data rows. Raises :class:`FileError` when the file as a whole
    cannot be processed; problems with single values are reported in the summary instead.
    """
    source_path, target_path = Path(source), Path(target)
    errors_path = errors_path_for(target_path)
    source_kind = _kind(source_path, "masukan")
    target_kind = _kind(target_path, "keluaran")
    _check_paths(source_path, target_path, errors_path)

    table = _read_csv(source_path) if source_kind == ".csv" else _read_xlsx(source_path)
    used = _engine_columns(table.header)
    _check_required(used, table.header)
    keep = _kept_columns(table.header, overwrite_columns=overwrite_columns)
    if target_kind == ".xlsx" and table.rows + 1 > XLSX_MAX_ROWS:
        raise FileError(
            f"{_count(table.rows)} baris tidak muat dalam satu lembar XLSX (paling banyak "
            f"{_count(XLSX_MAX_ROWS - 1)}); simpan keluaran sebagai .csv"
        )
    header = [table.header[i] for i in keep] + list(OUTPUT_COLUMNS)
    chunk_rows = max(1, chunk_rows)
    log = _ProblemLog(errors_path)
    try:
        with _Atomic(target_path) as temporary:
            sink: _Sink = (
                _CsvSink(temporary, table.csv_format)
                if target_kind == ".csv"
                else _XlsxSink(temporary, table.sheet_name)
            )
            try:
                sink.start(header)
                _run_chunks(
                    table,
                    used,
                    keep,
                    sink,
                    log,
                    chunk_rows,
                    progress and table.rows > progress_min_rows,
                )
            except BaseException:
                sink.abort()
                raise
            sink.finish()
        log.finish()
    except BaseException:
        log.abort()
        raise
    return Summary(
        output=target_path,
        rows=table.rows,
        problem_count=log.count,
        problem_rows=log.rows,
        first_problems=tuple(log.first),
        errors_path=errors_path if log.count else None,
    )


def _run_chunks(
    table: _Table,
    used: dict[str, int],
    keep: Sequence[int],
    sink: _Sink,
    log: _ProblemLog,
    chunk_rows: int,
    show_progress: bool,
) -> None:
    bar = tqdm(
        total=table.rows,
        unit=" baris",
        unit_scale=True,
        desc="Menghitung z-score",
        file=sys.stderr,
        disable=not show_progress,
        leave=False,
    )
    with bar:
        for start in range(0, table.rows, chunk_rows):
            stop = min(table.rows, start + chunk_rows)
            inputs = {name: table.engine_values(i, start, stop) for name, i in used.items()}
            result = zscores(inputs)
            sink.write(table, keep, start, stop, result)
            log.add(table, used, start, result)
            bar.update(stop - start)


def _kind(path: Path, role: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "tanpa akhiran"
        raise FileError(
            f"berkas {role} {_quote(path)} berformat {shown}; yang didukung hanya .csv dan .xlsx"
        )
    return suffix


def _check_paths(source: Path, target: Path, errors: Path) -> None:
    if not source.exists():
        raise FileError(f"berkas masukan {_quote(source)} tidak ditemukan")
    if source.is_dir():
        raise FileError(f"{_quote(source)} adalah folder, bukan berkas")
    for path in (target, errors):
        if _same_file(source, path):
            raise FileError(
                f"berkas keluaran {_quote(path)} sama dengan berkas masukan; "
                "pilih nama lain agar data asli tidak tertimpa"
            )
    folder = target.parent
    if not folder.is_dir():
        raise FileError(f"folder keluaran {_quote(folder)} tidak ada")
    if target.is_dir():
        raise FileError(f"keluaran {_quote(target)} adalah folder, bukan berkas")


def _same_file(a: Path, b: Path) -> bool:
    if b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def _count(value: int) -> str:
    """A count as Indonesians write it: 1.048.575."""
    return f"{value:,}".replace(",", ".")


def _quote(path: Path | str) -> str:
    return f"'{path}'"


def _engine_columns(header: Sequence[str]) -> dict[str, int]:
    """Input name as given -> column position, for the columns the engine reads."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(name, i)
    return {given: positions[given] for given in normalise_names(positions).values()}


def _key(name: str) -> str:
    return name.strip().lower()


def _check_required(used: dict[str, int], header: Sequence[str]) -> None:
    keys = {_key(name) for name in used}
    missing: list[str] = []
    if "sex" not in keys:
        missing.append("sex")
    if not (keys & set(AGE_KEYS)) and not {"birth_date", "visit_date"} <= keys:
        missing.append("age_days, age_months, atau birth_date + visit_date")
    if not keys & set(MEASUREMENT_KEYS):
        missing.append("minimal satu hasil ukur (" + ", ".join(MEASUREMENT_KEYS) + ")")
    if missing:
        present = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        raise FileError(
            "kolom wajib tidak ada: " + "; ".join(missing) + f" (kolom yang ada: {present})"
        )


def _kept_columns(header: Sequence[str], *, overwrite_columns: bool) -> list[int]:
    """Positions of the input columns that go to the output (all, unless overwritten)."""
    outputs = set(OUTPUT_COLUMNS)
    clashes = [i for i, name in enumerate(header) if _key(name) in outputs]
    if clashes and not overwrite_columns:
        names = ", ".join(header[i] for i in clashes[:5]) + (", ..." if len(clashes) > 5 else "")
        raise FileError(
            f"berkas masukan sudah punya kolom keluaran ({names}); "
            "pakai --overwrite-columns untuk menggantinya"
        )
    return [i for i in range(len(header)) if i not in clashes]


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CsvFormat:
    delimiter: str
    line_terminator: str
    bom: bool


_DEFAULT_CSV: Final = _CsvFormat(",", "\n", bom=False)


class _Table(Protocol):
    header: list[str]
    rows: int
    first_row: int
    """Spreadsheet row number of data row 0."""
    csv_format: _CsvFormat
    sheet_name: str

    def engine_values(self, column: int, start: int, stop: int) -> npt.NDArray[Any] | pl.Series: ...

    def text(self, column: int, row: int) -> str: ...

    def text_frame(self, columns: Sequence[int], start: int, stop: int) -> pl.DataFrame: ...

    def cells(self, columns: Sequence[int], start: int, stop: int) -> list[list[Cell]]: ...


class _CsvTable:
    """A CSV file held as polars text columns (positional names, the header kept apart)."""

    first_row = 2
    sheet_name = "Data"

    def __init__(self, header: list[str], frame: pl.DataFrame, csv_format: _CsvFormat) -> None:
        self.header = header
        self.frame = frame
        self.rows = frame.height
        self.csv_format = csv_format

    def engine_values(self, column: int, start: int, stop: int) -> pl.Series:
        return self.frame.to_series(column).slice(start, stop - start)

    def text(self, column: int, row: int) -> str:
        value = self.frame.to_series(column)[row]
        return "" if value is None else str(value)

    def text_frame(self, columns: Sequence[int], start: int, stop: int) -> pl.DataFrame:
        return self.frame.select(self.frame.columns[i] for i in columns).slice(start, stop - start)

    def cells(self, columns: Sequence[int], start: int, stop: int) -> list[list[Cell]]:
        return [
            [_text_to_cell(v) for v in self.frame.to_series(i).slice(start, stop - start)]
            for i in columns
        ]


class _XlsxTable:
    """The first worksheet of an XLSX file, one object array per column."""

    csv_format = _DEFAULT_CSV

    def __init__(
        self, header: list[str], columns: list[npt.NDArray[np.object_]], first_row: int, name: str
    ) -> None:
        self.header = header
        self.columns = columns
        self.rows = int(columns[0].shape[0])
        self.first_row = first_row
        self.sheet_name = name

    def engine_values(self, column: int, start: int, stop: int) -> npt.NDArray[Any]:
        return self.columns[column][start:stop]

    def text(self, column: int, row: int) -> str:
        return _cell_text(self.columns[column][row]) or ""

    def text_frame(self, columns: Sequence[int], start: int, stop: int) -> pl.DataFrame:
        return pl.DataFrame(
            [
                pl.Series(f"c{i}", [_cell_text(v) for v in self.columns[i][start:stop]], pl.String)
                for i in columns
            ],
            height=stop - start,
        )

    def cells(self, columns: Sequence[int], start: int, stop: int) -> list[list[Cell]]:
        return [[None if v == "" else v for v in self.columns[i][start:stop]] for i in columns]


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise FileError(
            f"berkas masukan {_quote(path)} tidak dapat dibaca: {_reason(error)}"
        ) from None


def _reason(error: BaseException) -> str:
    text = (getattr(error, "strerror", None) or str(error) or type(error).__name__).strip()
    return text.splitlines()[0]


def _read_csv(path: Path) -> _CsvTable:
    head = _read_head(path)
    bom = head.startswith(_BOM)
    body = head[len(_BOM) :] if bom else head
    if not body.strip():
        raise FileError(f"berkas {_quote(path)} kosong")
    if body.startswith(_ZIP_MAGIC) or b"\x00" in body:
        raise FileError(
            f"berkas {_quote(path)} bukan CSV (isinya berkas biner, mungkin XLSX); "
            "simpan sebagai .xlsx atau ekspor ulang sebagai CSV"
        )
    # Only to sniff the delimiter and line ending; the reads below check the encoding.
    line = body.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    csv_format = _CsvFormat(
        delimiter=_detect_delimiter(line),
        line_terminator="\r\n" if line.endswith("\r") else "\n",
        bom=bom,
    )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle, delimiter=csv_format.delimiter))
        frame = pl.read_csv(
            path,
            separator=csv_format.delimiter,
            infer_schema=False,
            has_header=True,
            encoding="utf8",
            quote_char='"',
        )
    except UnicodeDecodeError:
        raise FileError(_not_utf8(path)) from None
    except (pl.exceptions.PolarsError, csv.Error, OSError) as error:
        if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
            raise FileError(_not_utf8(path)) from None
        raise FileError(f"berkas CSV {_quote(path)} tidak dapat dibaca: {_reason(error)}") from None
    if frame.width != len(header):
        raise FileError(
            f"berkas CSV {_quote(path)} tidak dapat dibaca: baris judul punya {len(header)} "
            f"kolom, data {frame.width}"
        )
    frame.columns = [f"c{i}" for i in range(frame.width)]
    if frame.height == 0:
        raise FileError(f"berkas {_quote(path)} hanya berisi baris judul, tanpa data")
    return _CsvTable(header, frame, csv_format)


def _not_utf8(path: Path) -> str:
    return (
        f"berkas {_quote(path)} bukan teks UTF-8; simpan ulang sebagai "
        "'CSV UTF-8 (dipisah koma)' atau sebagai .xlsx"
    )


def _detect_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of , ; tab outside quotes."""
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_xlsx(path: Path) -> _XlsxTable:
    _read_head(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=True)
        start = sheet.start
    except python_calamine.CalamineError as error:
        if isinstance(error, python_calamine.PasswordError):
            raise FileError(f"berkas XLSX {_quote(path)} dilindungi kata sandi") from None
        raise FileError(
            f"berkas {_quote(path)} bukan XLSX yang sah ({_reason(error)}); "
            "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx"
        ) from None
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise FileError(f"lembar pertama berkas {_quote(path)} kosong")
    if len(rows) == 1:
        raise FileError(f"berkas {_quote(path)} hanya berisi baris judul, tanpa data")
    header = [_cell_text(v) or "" for v in rows[0]]
    data = np.empty((len(rows) - 1, len(header)), dtype=object)
    data[:] = rows[1:]
    columns = [np.ascontiguousarray(data[:, j]) for j in range(len(header))]
    first_row = (start[0] if start else 0) + 2
    return _XlsxTable(header, columns, first_row, sheet.name)


# -- turning values into text or cells -----------------------------------------------------


def _cell_text(value: Cell) -> str | None:
    """An XLSX cell as CSV text: whole numbers without ".0", dates in ISO form."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _text_to_cell(text: str | None) -> Cell:
    """A CSV value for XLSX: a number when that keeps it exact, otherwise the text itself."""
    if text is None:
        return None
    if _PLAIN_NUMBER.fullmatch(text):
        digits = text.lstrip("-").replace(".", "").lstrip("0")
        if len(digits) <= _MAX_EXACT_DIGITS:
            return float(text) if "." in text else int(text)
    return text


def _reason_labels() -> pl.Series:
    return pl.Series("reason", [c or None for c in REASON_CODES.tolist()], dtype=pl.String)


def _output_frame(result: ZScoreResult) -> pl.DataFrame:
    """The output columns of one chunk as polars columns (empty = null)."""
    columns: list[pl.Series] = []
    for name in WHO_COLUMNS:
        values = result[name]
        if name in FLAG_COLUMNS:
            columns.append(pl.Series(name, values).fill_nan(None).cast(pl.Int8))
        else:
            # + 0.0 turns -0.0 into 0.0; clenhei and cbmi keep DECIMALS decimals too.
            series = pl.Series(name, np.round(values, DECIMALS) + 0.0)
            columns.append(series.fill_nan(None))
    for name in CATEGORY_COLUMNS:
        labels = pl.Series(name, result[name], dtype=pl.String)
        columns.append(labels.replace("", None))
    labels = _reason_labels()
    for name, z in zip(REASON_COLUMNS, Z_COLUMNS, strict=True):
        codes = pl.Series(result.reason_codes[z].astype(np.uint32))
        columns.append(labels.gather(codes).alias(name))
    for name in EXTRA_COLUMNS:
        columns.append(pl.Series(name, result[name]).fill_nan(None).cast(pl.Int8))
    return pl.DataFrame(columns)


# -- writing -------------------------------------------------------------------------------


class _Sink(Protocol):
    def start(self, header: list[str]) -> None: ...

    def write(
        self, table: _Table, keep: Sequence[int], start: int, stop: int, result: ZScoreResult
    ) -> None: ...

    def finish(self) -> None: ...

    def abort(self) -> None: ...


class _CsvSink:
    """CSV out with the input's delimiter, line ending and BOM; floats with 2 decimals."""

    def __init__(self, path: Path, csv_format: _CsvFormat) -> None:
        self.format = csv_format
        self.handle: IO[bytes] = path.open("wb")

    def start(self, header: list[str]) -> None:
        text = io.StringIO()
        writer = csv.writer(
            text, delimiter=self.format.delimiter, lineterminator=self.format.line_terminator
        )
        writer.writerow(header)
        self.handle.write((_BOM if self.format.bom else b"") + text.getvalue().encode("utf-8"))

    def write(
        self, table: _Table, keep: Sequence[int], start: int, stop: int, result: ZScoreResult
    ) -> None:
        frame = pl.concat(
            [table.text_frame(keep, start, stop), _output_frame(result)], how="horizontal"
        )
        frame.write_csv(
            self.handle,
            include_header=False,
            separator=self.format.delimiter,
            line_terminator=self.format.line_terminator,
            quote_style="necessary",
            float_precision=DECIMALS,
            null_value="",
        )

    def finish(self) -> None:
        self.handle.close()

    def abort(self) -> None:
        self.handle.close()


class _XlsxSink:
    """XLSX out, one row at a time (constant memory); numbers stay numbers."""

    def __init__(self, path: Path, sheet_name: str) -> None:
        self.workbook = xlsxwriter.Workbook(
            os.fspath(path),
            {
                "constant_memory": True,
                "use_zip64": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        self.sheet = self.workbook.add_worksheet(sheet_name[:31] or "Data")
        self.row = 0

    def start(self, header: list[str]) -> None:
        for col, name in enumerate(header):
            self.sheet.write_string(0, col, name)
        self.row = 1

    def write(
        self, table: _Table, keep: Sequence[int], start: int, stop: int, result: ZScoreResult
    ) -> None:
        columns = table.cells(keep, start, stop)
        frame = _output_frame(result)
        columns.extend(frame.get_column(name).to_list() for name in frame.columns)
        for values in zip(*columns, strict=True):
            self.sheet.write_row(self.row, 0, values)
            self.row += 1

    def finish(self) -> None:
        try:
            self.workbook.close()
        except (OSError, xlsxwriter.exceptions.FileCreateError) as error:
            raise FileError(f"berkas keluaran tidak dapat ditulis: {_reason(error)}") from None

    def abort(self) -> None:
        with suppress(Exception):  # its temporary files go; the output itself is removed
            self.workbook.close()


class _Atomic:
    """A temporary file beside ``target``, renamed onto it on success and removed otherwise."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
            )
        except OSError as error:
            raise FileError(
                f"tidak dapat menulis di folder {_quote(self.target.parent)}: {_reason(error)}"
            ) from None
        os.close(handle)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            try:
                _readable_by_all(self.temporary)
                os.replace(self.temporary, self.target)
                return
            except OSError as error:
                with suppress(OSError):
                    self.temporary.unlink()
                raise FileError(
                    f"berkas keluaran {_quote(self.target)} tidak dapat ditulis: {_reason(error)}"
                ) from None
        with suppress(OSError):
            self.temporary.unlink()


def _readable_by_all(path: Path) -> None:
    """Give the file the permissions a normally created file gets (mkstemp makes it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


class _ProblemLog:
    """Problems of all chunks: counted, the first few kept, all written to ``.errors.csv``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.rows = 0
        self.first: list[RowProblem] = []
        self._spill: _Atomic | None = None
        self._temporary: Path | None = None
        self._handle: IO[str] | None = None

    def add(self, table: _Table, used: dict[str, int], start: int, result: ZScoreResult) -> None:
        problems = result.problems()
        if not problems:
            return
        self.rows += int(result.problem_rows().shape[0])
        rows: list[tuple[int, str, str, str, str]] = []
        for item in problems:
            row = start + item.row
            column = used.get(item.column)
            value = item.value if column is None else table.text(column, row)
            code, message = item.problem.code, item.problem.message
            number = table.first_row + row
            rows.append((number, item.column, value, code, message))
            if len(self.first) < SHOWN_PROBLEMS:
                self.first.append(RowProblem(number, item.column, value, code, message))
        self.count += len(rows)
        self._write(rows)

    def _write(self, rows: list[tuple[int, str, str, str, str]]) -> None:
        if self._handle is None:
            self._spill = _Atomic(self.path)
            self._temporary = self._spill.__enter__()
            self._handle = self._temporary.open("w", encoding="utf-8", newline="")
            csv.writer(self._handle).writerow(ERRORS_HEADER)
        csv.writer(self._handle).writerows(rows)

    def finish(self) -> None:
        if self._handle is None or self._spill is None:
            with suppress(OSError):
                self.path.unlink()  # a report from an earlier run would now mislead
            return
        self._handle.close()
        self._spill.__exit__(None)

    def abort(self) -> None:
        if self._handle is not None and self._spill is not None:
            self._handle.close()
            self._spill.__exit__(BaseException)
