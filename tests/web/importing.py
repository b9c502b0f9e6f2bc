"""Helpers for the import tests: e-PPGBM-style files built in memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from tumbuh.accounts.models import User
from tumbuh.imports import jobs
from tumbuh.imports.models import ImportJob

TODAY = dt.date(2026, 11, 15)

#: e-PPGBM's Indonesian headers, as an export writes them.
HEADER = [
    "No", "NIK", "Nama Balita", "JK", "Tgl Lahir", "Nama Ortu", "NIK Ortu", "No. KK", "Alamat",
    "RT", "RW", "Desa/Kelurahan", "Kecamatan", "Posyandu", "Tanggal Pengukuran", "Berat (kg)",
    "Tinggi (cm)", "Cara Ukur", "LiLA (cm)", "Lingkar Kepala (cm)", "ZS TB/U",
]  # fmt: skip


def row(**values: object) -> dict[str, object]:
    """One child's row in Sempur (Bogor Tengah), posyandu Mawar, with sensible defaults."""
    base: dict[str, object] = {
        "No": 1,
        "NIK": "3271031003250001",
        "Nama Balita": "Budi Santoso",
        "JK": "L",
        "Tgl Lahir": "10/03/2025",
        "Nama Ortu": "Siti Aminah",
        "NIK Ortu": "",
        "No. KK": "",
        "Alamat": "Jl. Mawar 3",
        "RT": "2",
        "RW": "3",
        "Desa/Kelurahan": "Sempur",
        "Kecamatan": "Bogor Tengah",
        "Posyandu": "Mawar",
        "Tanggal Pengukuran": "2026-10-05",
        "Berat (kg)": "9,1",
        "Tinggi (cm)": "76.5",
        "Cara Ukur": "Berbaring",
        "LiLA (cm)": "",
        "Lingkar Kepala (cm)": "",
        "ZS TB/U": "-1.2",
    }
    base.update(values)
    return base


def csv_bytes(rows: Sequence[dict[str, object]], header: Sequence[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for item in rows:
        writer.writerow([item.get(h, "") for h in header])
    return out.getvalue().encode()


def xlsx_bytes(
    rows: Sequence[dict[str, object]], header: Sequence[str] = HEADER, tmp: Path | None = None
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, header)
    for r, item in enumerate(rows, start=1):
        for c, name in enumerate(header):
            value = item.get(name, "")
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day),
                                     book.add_format({"num_format": "dd/mm/yyyy"}))  # fmt: skip
            elif isinstance(value, str) and value.startswith("=FORMULA:"):
                sheet.write_formula(r, c, value[len("=FORMULA:") :], None, "")
            else:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def run(
    data: bytes, user: User | None, *, name: str = "eppgbm.csv", dry_run: bool = False
) -> ImportJob:
    job = jobs.job_create(actor=user, file_name=name, data=data, dry_run=dry_run)
    return jobs.run_job(job, today=TODAY)


def report_rows(job: ImportJob) -> list[list[str]]:
    return list(csv.reader(io.StringIO(job.error_report)))[1:]
