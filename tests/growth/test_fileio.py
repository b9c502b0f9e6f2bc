"""Files in, files out (``tumbuh.growth.fileio``): the CLI contract of ARCHITECTURE.md.

Every input column comes back unchanged and in order, then the WHO output columns; a bad
value is reported with its spreadsheet row (data row index + 2) and kept; a file that cannot
be used as a whole raises ``FileError`` and leaves nothing behind. Expected z-scores are the
engine's own (``zscores``) for the same values: this module must only move them, never change
them.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import python_calamine
import xlsxwriter

from tumbuh.growth import OUTPUT_COLUMNS, WHO_COLUMNS, fileio, zscores
from tumbuh.growth.fileio import FileError, errors_path_for, zscore_file
from tumbuh.growth.tables import Table, load

INPUT = (
    "name,nik,sex,age_days,weight,lenhei,measure,note\n"
    'Ani,3271012345678901,2,400,9.1,75.2,l,"kota, bogor"\n'
    "Budi,0812,1,1000,13.5,90.0,h,\n"
    'Cici,3271012345678902,2,30,4.2,54.1,l,""\n'
)
KNOWN = {"sex": ["2"], "age_days": ["400"], "weight": ["9.1"], "lenhei": ["75.2"], "measure": ["l"]}


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def read_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def as_dicts(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    rows = read_rows(path, delimiter)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def engine_text(column: str, **values: list[str]) -> str:
    """The engine's value for one child, written as the CSV writes it (2 decimals)."""
    value = zscores(values)[column][0]
    return "" if math.isnan(value) else f"{value + 0.0:.2f}"


def read_xlsx(path: Path) -> list[list[Any]]:
    sheet = python_calamine.CalamineWorkbook.from_path(os.fspath(path)).get_sheet_by_index(0)
    return sheet.to_python()


def make_xlsx(path: Path, rows: list[list[Any]], *, first_row: int = 0) -> Path:
    book = xlsxwriter.Workbook(os.fspath(path))
    sheet = book.add_worksheet("Timbang")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(first_row + r, c, value, date_format)
            elif isinstance(value, dt.date):
                moment = dt.datetime.combine(value, dt.time())
                sheet.write_datetime(first_row + r, c, moment, date_format)
            elif isinstance(value, tuple):  # (formula, cached value)
                sheet.write_formula(first_row + r, c, value[0], None, value[1])
            elif value is not None:
                sheet.write(first_row + r, c, value)
    book.close()
    return path


# -- CSV round trip ------------------------------------------------------------------------


def test_csv_round_trip_keeps_every_input_value_byte_for_byte(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    summary = zscore_file(source, tmp_path / "out.csv")
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    for before, after in zip(INPUT.splitlines(), lines, strict=True):
        assert after.startswith(before + ",")
    header = lines[0].split(",")
    assert header == [*INPUT.splitlines()[0].split(","), *OUTPUT_COLUMNS]
    assert summary.rows == 3
    assert summary.problem_count == 0
    assert summary.errors_path is None
    assert not errors_path_for(tmp_path / "out.csv").exists()
    assert leftovers(tmp_path) == []


def test_a_known_child_gets_the_engine_z_scores(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    zscore_file(source, tmp_path / "out.csv")
    ani = as_dicts(tmp_path / "out.csv")[0]
    for column in ("zlen", "zwei", "zwfl", "zbmi"):
        assert ani[column] == engine_text(column, **KNOWN)
        assert ani[column] != ""
    result = zscores(KNOWN)
    assert ani["clenhei"] == "75.20"
    assert ani["cbmi"] == f"{result['cbmi'][0]:.2f}"
    assert ani["flen"] == ani["fwei"] == "0"
    assert ani["cat_tbu"] == result["cat_tbu"][0]
    assert ani["reason_zlen"] == ""
    assert ani["zhc"] == ani["fhc"] == ""
    assert ani["reason_zhc"] == "missing_measurement"
    assert ani["c9mo"] == "0"


def test_a_child_at_the_who_median_is_exactly_zero(tmp_path: Path) -> None:
    table = load(Table.LHFA)
    median = float(table.m[0, 365])  # boys, day 365 (WHO 2006 length-for-age)
    write(tmp_path / "in.csv", f"sex,age_days,lenhei,measure\n1,365,{median!r},l\n")
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert as_dicts(tmp_path / "out.csv")[0]["zlen"] == "0.00"


def test_output_matches_the_engine_for_every_column(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 300
    frame = pl.DataFrame(
        {
            "sex": rng.choice(["1", "2", "L", "P", "", "x"], n),
            "age_days": rng.integers(-5, 2200, n).astype(str),
            "weight": np.round(rng.uniform(-1, 25, n), 2).astype(str),
            "lenhei": np.round(rng.uniform(40, 125, n), 1).astype(str),
            "measure": rng.choice(["l", "h", "", "berdiri"], n),
            "headc": np.round(rng.uniform(30, 55, n), 1).astype(str),
            "oedema": rng.choice(["n", "y", ""], n),
        }
    )
    frame.write_csv(tmp_path / "in.csv")
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    expected = zscores({c: frame[c].to_numpy() for c in frame.columns})
    for column in OUTPUT_COLUMNS:
        values = expected[column]
        if values.dtype == object:
            want = ["" if v == "" else v for v in values.tolist()]
        elif column in ("clenhei", "cbmi") or column.startswith("z"):
            want = ["" if math.isnan(v) else f"{v + 0.0:.2f}" for v in np.round(values, 2)]
        else:
            want = ["" if math.isnan(v) else str(int(v)) for v in values]
        got = out[column].fill_null("").to_list()
        assert got == want, column


def test_headers_are_case_insensitive_and_kept_as_written(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", " SEX ,Age_Days,WEIGHT,LenHei,Measure\n2,400,9.1,75.2,l\n")
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    rows = read_rows(tmp_path / "out.csv")
    assert rows[0][:5] == [" SEX ", "Age_Days", "WEIGHT", "LenHei", "Measure"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["zlen"] == engine_text("zlen", **KNOWN)


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    text = "sex;age_days;weight;lenhei;measure\n2;400;9,1;75,2;l\n1;1000;13,5;90;h\n"
    write(tmp_path / "in.csv", text)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    out = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert out.splitlines()[1].startswith("2;400;9,1;75,2;l;")
    row = as_dicts(tmp_path / "out.csv", ";")[0]
    assert row["zwei"] == engine_text("zwei", **KNOWN)
    assert row["clenhei"] == "75.20"


def test_tab_separated_with_crlf_and_bom(tmp_path: Path) -> None:
    text = "\ufeffsex\tage_days\tlenhei\r\n2\t400\t75.2\r\n"
    write(tmp_path / "in.csv", text)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsex\tage_days\tlenhei\tclenhei\t")
    assert raw.count(b"\r\n") == 2
    assert b"\n" not in raw.replace(b"\r\n", b"")
    row = as_dicts(tmp_path / "out.csv", "\t")[0]
    assert row["sex"] == "2"
    assert row["zlen"] == engine_text("zlen", sex=["2"], age_days=["400"], lenhei=["75.2"])


def test_a_header_with_a_quoted_delimiter_is_detected_by_the_others(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", '"nama; lengkap";sex;age_days;lenhei\nA;1;400;75\n')
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert read_rows(tmp_path / "out.csv", ";")[0][:2] == ["nama; lengkap", "sex"]


def test_a_single_column_file_defaults_to_commas() -> None:
    assert fileio._detect_delimiter("sex") == ","
    assert fileio._detect_delimiter('"a,b";c;d') == ";"


def test_duplicate_and_blank_header_names_are_kept(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", "sex,sex,,age_days,lenhei\n1,x,,400,75\n")
    summary = zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    rows = read_rows(tmp_path / "out.csv")
    assert rows[0][:5] == ["sex", "sex", "", "age_days", "lenhei"]
    assert rows[1][:5] == ["1", "x", "", "400", "75"]
    assert summary.problem_count == 0  # the first 'sex' column is the one used


# -- bad rows ------------------------------------------------------------------------------


BAD = (
    "sex,age_days,weight,lenhei,measure\n"
    "2,400,9.1,75.2,l\n"
    "x,400,abc,75.2,l\n"
    "1,-3,9.0,0,l\n"
    "1,100,5.5,60.0,h\n"
)


def test_bad_rows_are_reported_and_kept(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", BAD)
    summary = zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    rows = as_dicts(tmp_path / "out.csv")
    assert [r["sex"] for r in rows] == ["2", "x", "1", "1"]
    assert rows[1]["weight"] == "abc"
    assert rows[1]["zwei"] == rows[1]["zlen"] == ""
    assert rows[1]["reason_zwei"] == "invalid_value"
    assert rows[2]["reason_zlen"] == "negative_age"
    assert rows[3]["c9mo"] == "1"
    found = [(p.row, p.column, p.value, p.code) for p in summary.first_problems]
    assert found == [
        (3, "sex", "x", "unknown_sex"),
        (3, "weight", "abc", "unreadable_number"),
        (4, "age_days", "-3", "negative_age"),
        (4, "lenhei", "0", "not_positive"),
        (5, "measure", "h", "standing_under_9_months"),
    ]
    assert summary.problem_count == 5
    assert summary.problem_rows == 3
    assert summary.errors_path == tmp_path / "out.csv.errors.csv"


def test_the_errors_report_lists_every_problem(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", BAD)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    report = read_rows(tmp_path / "out.csv.errors.csv")
    assert report[0] == ["row", "column", "value", "code", "message"]
    assert report[1] == [
        "3",
        "sex",
        "x",
        "unknown_sex",
        "jenis kelamin tidak dikenal; pakai 1/2, L/P, laki-laki/perempuan",
    ]
    assert [r[0] for r in report[1:]] == ["3", "3", "4", "4", "5"]
    assert all(r[4] for r in report[1:])


def test_problem_values_are_shown_as_written(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", "sex,age_days,weight,measure\n 1 ,30,-2.50, Berdiri \n")
    summary = zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    found = {(p.column, p.value) for p in summary.first_problems}
    assert found == {("weight", "-2.50"), ("measure", " Berdiri ")}


def test_a_stale_errors_report_is_removed_when_all_rows_are_good(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", BAD)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert (tmp_path / "out.csv.errors.csv").exists()
    write(tmp_path / "in.csv", INPUT)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert not (tmp_path / "out.csv.errors.csv").exists()


def test_problems_in_later_chunks_keep_their_file_row_numbers(tmp_path: Path) -> None:
    lines = ["sex,age_days,lenhei"] + [f"1,{100 + i},{60 + i / 10}" for i in range(10)]
    lines[8] = "1,107,?"
    write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    chunked = zscore_file(tmp_path / "in.csv", tmp_path / "a.csv", chunk_rows=3)
    whole = zscore_file(tmp_path / "in.csv", tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert [p.row for p in chunked.first_problems] == [9]
    for field in ("rows", "problem_count", "problem_rows", "first_problems"):
        assert getattr(chunked, field) == getattr(whole, field)
    report = (tmp_path / "a.csv.errors.csv").read_bytes()
    assert report == (tmp_path / "b.csv.errors.csv").read_bytes()


def test_only_the_first_problems_are_kept_in_the_summary(tmp_path: Path) -> None:
    lines = ["sex,age_days,lenhei"] + ["q,100,60"] * 30
    write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    summary = zscore_file(tmp_path / "in.csv", tmp_path / "out.csv", chunk_rows=7)
    assert summary.problem_count == 30
    assert len(summary.first_problems) == fileio.SHOWN_PROBLEMS
    assert len(read_rows(tmp_path / "out.csv.errors.csv")) == 31


# -- values reach the engine fast, and exactly as the engine would read them ---------------


def test_unusual_numbers_take_the_engine_path(tmp_path: Path) -> None:
    text = (
        "sex,age_days,weight,lenhei,headc\n"
        "1,400, 9.5 ,75,46\n"
        "1,400,1e400,75,nan\n"
        "1,400,9.5,75 cm,inf\n"
    )
    write(tmp_path / "in.csv", text)
    summary = zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    codes = [(p.row, p.column, p.code) for p in summary.first_problems]
    assert codes == [
        (3, "weight", "unreadable_number"),
        (3, "headc", "not_finite"),
        (4, "lenhei", "unreadable_number"),
        (4, "headc", "not_finite"),
    ]
    rows = as_dicts(tmp_path / "out.csv")
    assert rows[0]["zwei"] == engine_text("zwei", sex=["1"], age_days=["400"], weight=["9.5"])


def test_birth_and_visit_dates(tmp_path: Path) -> None:
    text = (
        "sex,birth_date,visit_date,lenhei\n"
        "1,2023-01-01,2024-01-01,75\n"
        "1,,2024-01-01,75\n"
        "2,2023-01-01, 2024-01-01 ,70\n"
    )
    write(tmp_path / "in.csv", text)
    zscore_file(tmp_path / "in.csv", tmp_path / "iso.csv")
    rows = as_dicts(tmp_path / "iso.csv")
    assert rows[0]["zlen"] == engine_text("zlen", sex=["1"], age_days=["365"], lenhei=["75"])
    assert rows[1]["reason_zlen"] == "missing_age"
    assert rows[2]["zlen"] != ""
    mixed = text.replace("2023-01-01,2024-01-01", "01/01/2023,01/01/2024").replace(
        "2,2023-01-01", "2,2023-02-30"
    )
    write(tmp_path / "in.csv", mixed)
    summary = zscore_file(tmp_path / "in.csv", tmp_path / "mixed.csv")
    rows = as_dicts(tmp_path / "mixed.csv")
    assert rows[0]["zlen"] == engine_text("zlen", sex=["1"], age_days=["365"], lenhei=["75"])
    assert [(p.row, p.column, p.code) for p in summary.first_problems] == [
        (4, "birth_date", "unreadable_date")
    ]


# -- XLSX ----------------------------------------------------------------------------------


def test_csv_to_xlsx_writes_numbers_as_numbers(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", INPUT)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.xlsx")
    rows = read_xlsx(tmp_path / "out.xlsx")
    header = rows[0]
    assert header == [*INPUT.splitlines()[0].split(","), *OUTPUT_COLUMNS]
    ani = dict(zip(header, rows[1], strict=True))
    assert ani["name"] == "Ani"
    assert ani["nik"] == "3271012345678901"  # 16 digits: text, or Excel would round it
    assert ani["sex"] == 2.0
    assert ani["weight"] == 9.1
    assert ani["note"] == "kota, bogor"
    assert ani["zlen"] == float(engine_text("zlen", **KNOWN))
    assert ani["flen"] == 0.0
    assert ani["clenhei"] == 75.2
    assert ani["zhc"] == ""
    assert ani["cat_tbu"] == zscores(KNOWN)["cat_tbu"][0]
    assert ani["reason_zhc"] == "missing_measurement"
    assert dict(zip(header, rows[2], strict=True))["nik"] == "0812"


def test_xlsx_to_csv_and_back_to_xlsx(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Nama", "SEX", "birth_date", "visit_date", "lenhei", "weight", "ok", "rumus"],
        ["Ani", 2, dt.date(2023, 1, 1), dt.date(2024, 1, 1), 75.2, 9, True, ("=1+1", 2)],
        ["Budi", "L", dt.date(2022, 1, 1), dt.datetime(2024, 1, 1, 9, 30), 88, 12.25, False, None],
        [('=""', "")] * 8,
    ]
    make_xlsx(tmp_path / "in.xlsx", rows)
    summary = zscore_file(tmp_path / "in.xlsx", tmp_path / "out.csv")
    assert summary.rows == 2  # the trailing empty row is not data
    out = as_dicts(tmp_path / "out.csv")
    assert [out[0][k] for k in rows[0]] == [
        "Ani", "2", "2023-01-01", "2024-01-01", "75.2", "9", "TRUE", "2"
    ]  # fmt: skip
    assert out[1]["visit_date"] == "2024-01-01 09:30:00"
    assert out[1]["ok"] == "FALSE"
    assert out[0]["zlen"] == engine_text("zlen", sex=["2"], age_days=["365"], lenhei=["75.2"])

    zscore_file(tmp_path / "in.xlsx", tmp_path / "out.xlsx")
    back = read_xlsx(tmp_path / "out.xlsx")
    assert back[1][:8] == [
        "Ani",
        2.0,
        dt.date(2023, 1, 1),
        dt.date(2024, 1, 1),
        75.2,
        9.0,
        True,
        2.0,
    ]
    assert back[0][8:] == list(OUTPUT_COLUMNS)
    assert back[1][back[0].index("zlen")] == float(out[0]["zlen"])


def test_trailing_rows_of_empty_cells_are_not_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Excel keeps cells holding an empty string in the used range; calamine gives them as "".
    class Sheet:
        name = "Timbang"
        start = (0, 0)

        def to_python(self, skip_empty_area: bool) -> list[list[Any]]:
            return [["sex", "age_days", "lenhei"], [1.0, 400.0, 75.0], ["", "", ""], ["", "", ""]]

    class Book:
        def get_sheet_by_index(self, index: int) -> Sheet:
            return Sheet()

    make_xlsx(tmp_path / "in.xlsx", [["sex"], [1]])
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", lambda path: Book())
    assert zscore_file(tmp_path / "in.xlsx", tmp_path / "out.csv").rows == 1


def test_xlsx_problems_carry_the_sheet_row_number(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["sex", "age_days", "weight"],
        [1, 400, 9.0],
        [1, 400, "sembilan"],
        [3, 400, 9.0],
    ]
    make_xlsx(tmp_path / "in.xlsx", rows, first_row=2)
    summary = zscore_file(tmp_path / "in.xlsx", tmp_path / "out.csv")
    assert [(p.row, p.column, p.value) for p in summary.first_problems] == [
        (5, "weight", "sembilan"),
        (6, "sex", "3"),
    ]


def test_xlsx_output_is_refused_when_rows_do_not_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "in.csv", INPUT)
    monkeypatch.setattr(fileio, "XLSX_MAX_ROWS", 3)
    with pytest.raises(FileError, match="tidak muat"):
        zscore_file(tmp_path / "in.csv", tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == [tmp_path / "in.csv"]


def test_cell_text_and_text_to_cell() -> None:
    text = fileio._cell_text
    assert text(None) is None
    assert text("") is None
    assert text(3.0) == "3"
    assert text(1e20) == "1e+20"
    assert text(0.1) == "0.1"
    assert text(7) == "7"
    assert text(dt.time(9, 5)) == "09:05:00"
    assert text(dt.timedelta(days=1)) == "1 day, 0:00:00"
    cell = fileio._text_to_cell
    assert cell(None) is None
    assert cell("12") == 12
    assert cell("-0.5") == -0.5
    assert cell("0") == 0
    assert cell("0812") == "0812"
    assert cell("123456789012345") == 123456789012345
    assert cell("1234567890123456") == "1234567890123456"
    assert cell("1e5") == "1e5"
    assert cell("9,5") == "9,5"


# -- whole-file errors ---------------------------------------------------------------------


def expect_error(source: Path, target: Path, match: str, **options: Any) -> None:
    """A one-line FileError, and the target folder exactly as it was."""
    before = sorted(target.parent.iterdir()) if target.parent.is_dir() else None
    with pytest.raises(FileError, match=match) as caught:
        zscore_file(source, target, **options)
    assert "\n" not in str(caught.value)
    after = sorted(target.parent.iterdir()) if target.parent.is_dir() else None
    assert after == before


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("age_days,weight", "sex"),
        ("sex,weight,birth_date", "age_days, age_months, atau birth_date"),
        ("sex,age_months,measure", "minimal satu hasil ukur"),
    ],
)
def test_missing_required_columns(tmp_path: Path, header: str, missing: str) -> None:
    write(tmp_path / "in.csv", header + "\n" + ",".join("1" * len(header.split(","))) + "\n")
    expect_error(tmp_path / "in.csv", tmp_path / "out.csv", f"kolom wajib tidak ada: {missing}")


def test_the_list_of_present_columns_is_shortened(tmp_path: Path) -> None:
    header = ",".join(f"k{i}" for i in range(20))
    write(tmp_path / "in.csv", header + "\n" + "," * 19 + "\n")
    expect_error(tmp_path / "in.csv", tmp_path / "out.csv", r"k11, \.\.\.\)")


def test_dates_alone_are_an_age(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", "sex,birth_date,visit_date,armc\n1,2023-01-01,2024-01-01,14\n")
    assert zscore_file(tmp_path / "in.csv", tmp_path / "out.csv").rows == 1


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "kosong"),
        (b"\xef\xbb\xbf \r\n", "kosong"),
        (b"sex,age_days,lenhei\n", "hanya berisi baris judul"),
        (b"PK\x03\x04rest of a zip", "bukan CSV"),
        (b"sex,age\x00\n", "bukan CSV"),
        (b"sex,nama\n1,Jos\xe9\n", "bukan teks UTF-8"),
        (b"sex,nam\xe9\n", "bukan teks UTF-8"),
        (b"sex,age_days,lenhei\n" + b"1,400,75\n" * 8000 + b"1,400,7\xe9\n", "bukan teks UTF-8"),
        (b"sex,age_days,lenhei\n1,400,75,9\n", "tidak dapat dibaca"),
        (b'sex,"' + b"x" * 200_000 + b'"\n1,2\n', "tidak dapat dibaca"),
    ],
)
def test_unusable_csv_files(tmp_path: Path, content: bytes, match: str) -> None:
    (tmp_path / "in.csv").write_bytes(content)
    expect_error(tmp_path / "in.csv", tmp_path / "out.csv", match)


def test_a_header_the_reader_sees_differently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "in.csv", INPUT)
    real = pl.read_csv

    def narrower(*args: Any, **kwargs: Any) -> pl.DataFrame:
        return real(*args, **kwargs).drop("note")

    monkeypatch.setattr(pl, "read_csv", narrower)
    expect_error(tmp_path / "in.csv", tmp_path / "out.csv", "baris judul punya 8 kolom, data 7")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"garbage\x00\x01" * 10, "bukan XLSX yang sah"),
        (b"sex,age_days,lenhei\n1,400,75\n", "bukan XLSX yang sah"),
        (b"", "bukan XLSX yang sah"),
    ],
)
def test_unusable_xlsx_files(tmp_path: Path, content: bytes, match: str) -> None:
    (tmp_path / "in.xlsx").write_bytes(content)
    expect_error(tmp_path / "in.xlsx", tmp_path / "out.csv", match)


def test_empty_and_header_only_xlsx(tmp_path: Path) -> None:
    make_xlsx(tmp_path / "in.xlsx", [])
    expect_error(tmp_path / "in.xlsx", tmp_path / "out.csv", "lembar pertama .* kosong")
    make_xlsx(tmp_path / "in.xlsx", [["sex", "age_days", "lenhei"]])
    expect_error(tmp_path / "in.xlsx", tmp_path / "out.csv", "hanya berisi baris judul")


def test_password_protected_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_xlsx(tmp_path / "in.xlsx", [["sex"], [1]])

    def locked(path: str) -> None:
        raise python_calamine.PasswordError("password required")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", locked)
    expect_error(tmp_path / "in.xlsx", tmp_path / "out.csv", "dilindungi kata sandi")


@pytest.mark.parametrize(
    ("source", "target", "match"),
    [
        ("in.txt", "out.csv", "masukan 'in.txt' berformat .txt"),
        ("in", "out.csv", "berformat tanpa akhiran"),
        ("in.csv", "out.xls", "keluaran 'out.xls' berformat .xls"),
    ],
)
def test_unsupported_suffixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, target: str, match: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / source, INPUT)
    expect_error(Path(source), Path(target), match)


def test_paths_that_cannot_work(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    expect_error(tmp_path / "nope.csv", tmp_path / "out.csv", "tidak ditemukan")
    (tmp_path / "dir.csv").mkdir()
    expect_error(tmp_path / "dir.csv", tmp_path / "out.csv", "adalah folder")
    (tmp_path / "dir.csv").rmdir()
    expect_error(source, tmp_path / "in.csv", "sama dengan berkas masukan")
    expect_error(source, tmp_path / "sub" / ".." / "in.csv", "sama dengan berkas masukan")
    (tmp_path / "link.csv").symlink_to(source)
    expect_error(source, tmp_path / "link.csv", "sama dengan berkas masukan")
    (tmp_path / "link.csv").unlink()
    report = write(tmp_path / "x.csv.errors.csv", INPUT)
    expect_error(report, tmp_path / "x.csv", "sama dengan berkas masukan")
    expect_error(source, tmp_path / "missing" / "out.csv", "folder keluaran .* tidak ada")
    (tmp_path / "taken.csv").mkdir()
    expect_error(source, tmp_path / "taken.csv", "adalah folder, bukan berkas")
    assert source.read_text(encoding="utf-8") == INPUT


def test_an_unreadable_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == source:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    expect_error(source, tmp_path / "out.csv", "tidak dapat dibaca: Permission denied")


def test_an_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path / "in.csv", INPUT)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    expect_error(source, tmp_path / "out.csv", "tidak dapat menulis di folder")


def test_a_failed_rename_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path / "in.csv", INPUT)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    expect_error(source, tmp_path / "out.csv", "tidak dapat ditulis: No space left")


def test_a_failed_xlsx_close_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path / "in.csv", INPUT)

    real_close = xlsxwriter.Workbook.close

    def refuse(self: Any) -> None:
        real_close(self)
        raise xlsxwriter.exceptions.FileCreateError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", refuse)
    expect_error(source, tmp_path / "out.xlsx", "tidak dapat ditulis: disk full")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_failure_halfway_leaves_no_output_and_no_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    lines = ["sex,age_days,lenhei"] + ["q,100,60"] * 10
    source = write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    calls: list[int] = []
    real = zscores

    def fail_second(columns: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(columns)

    monkeypatch.setattr("tumbuh.growth.fileio.zscores", fail_second)
    target = tmp_path / f"out{suffix}"
    with pytest.raises(KeyboardInterrupt):
        zscore_file(source, target, chunk_rows=4)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_output_columns_in_the_input_are_refused_unless_overwritten(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", INPUT)
    zscore_file(tmp_path / "in.csv", tmp_path / "first.csv")
    expect_error(
        tmp_path / "first.csv",
        tmp_path / "second.csv",
        r"sudah punya kolom keluaran \(clenhei, cbmi, zlen, flen, zwei, \.\.\.\); "
        "pakai --overwrite-columns",
    )
    write(tmp_path / "one.csv", "sex,age_days,lenhei,ZLEN\n1,400,75,9\n")
    expect_error(tmp_path / "one.csv", tmp_path / "x.csv", r"kolom keluaran \(ZLEN\)")
    zscore_file(tmp_path / "first.csv", tmp_path / "second.csv", overwrite_columns=True)
    assert (tmp_path / "second.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()


def test_output_files_get_normal_permissions(tmp_path: Path) -> None:
    write(tmp_path / "in.csv", BAD)
    zscore_file(tmp_path / "in.csv", tmp_path / "out.csv")
    umask = os.umask(0)
    os.umask(umask)
    for name in ("out.csv", "out.csv.errors.csv"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


# -- progress ------------------------------------------------------------------------------


@pytest.mark.parametrize(("progress", "minimum", "shown"), [(True, 5, True), (True, 50, False),
                                                           (False, 0, False)])  # fmt: skip
def test_progress_bar_only_when_asked_and_large(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], progress: bool, minimum: int, shown: bool
) -> None:
    lines = ["sex,age_days,lenhei"] + ["1,100,60"] * 20
    write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    zscore_file(
        tmp_path / "in.csv",
        tmp_path / "out.csv",
        progress=progress,
        progress_min_rows=minimum,
        chunk_rows=5,
    )
    err = capsys.readouterr().err
    assert ("Menghitung z-score" in err) is shown


def test_who_columns_are_the_contract_order() -> None:
    assert WHO_COLUMNS[:4] == ("clenhei", "cbmi", "zlen", "flen")
    assert OUTPUT_COLUMNS[-1] == "c9mo"


def test_errors_path_for() -> None:
    assert errors_path_for("a/b.xlsx") == Path("a/b.xlsx.errors.csv")
