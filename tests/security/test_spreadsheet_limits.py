"""Finding 9 of issue 11: a small XLSX holding a huge shared string (413 KB on disk, 400 MB
unzipped) took gigabytes in the web process. The reader now refuses, before any XLSX reader
unpacks the file, what is too big unzipped, a too long cell and too many rows, with a clear
Indonesian message, in bounded memory."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from importing import HEADER, row, run, xlsx_bytes

from tumbuh.imports import reader
from tumbuh.imports.reader import ImportFileError, read_sheet
from tumbuh.registry.models import Child

MB = 1024 * 1024


def _bomb(string_bytes: int) -> bytes:
    """A real XLSX (written by XlsxWriter: a header and one row) whose shared string for the
    address is replaced by ``string_bytes`` of 'A', streamed, so the test itself stays small."""
    marker = "ALAMAT-DIGANTI"
    valid = xlsx_bytes([row(Alamat=marker)])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid)) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename != "xl/sharedStrings.xml":
                target.writestr(member, content)
                continue
            before, after = content.split(marker.encode())
            with target.open(member.filename, "w", force_zip64=True) as part:
                part.write(before)
                chunk = b"A" * MB
                for _ in range(string_bytes // MB):
                    part.write(chunk)
                part.write(after)
    return buffer.getvalue()


def test_a_400_mb_shared_string_is_refused_quickly_in_little_memory():
    data = _bomb(400 * MB)
    assert len(data) < 2 * MB  # small on disk, like the 413 KB file of the report
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as refused:
            read_sheet(data, "kecil.xlsx")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "MB" in str(refused.value) or "karakter" in str(refused.value)
    assert peak < 40 * MB, f"peak {peak / MB:.0f} MB"


def test_a_long_cell_is_refused_with_a_clear_message():
    data = xlsx_bytes([row(**{"Alamat": "x" * 50_000})])
    with pytest.raises(ImportFileError, match=r"lebih dari 10\.000 karakter"):
        read_sheet(data, "panjang.xlsx")


def test_uncompressed_limit_counts_while_streaming(monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 3 * MB)
    monkeypatch.setattr(reader, "MAX_CELL_CHARS", 50 * MB)  # only the size rule here
    with pytest.raises(ImportFileError, match="setelah dibuka"):
        read_sheet(_bomb(5 * MB), "besar.xlsx")


def test_too_many_rows_are_refused_before_reading(monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    data = xlsx_bytes([row(No=i) for i in range(10)])
    with pytest.raises(ImportFileError, match="lebih dari 5 baris"):
        reader.check_xlsx_limits(data)


def test_the_import_job_is_refused_and_nothing_is_written(world):
    before = Child.objects.count()
    job = run(_bomb(64 * MB), world.users["kader"], name="bom.xlsx")
    assert job.status == "rejected"
    assert "karakter" in job.message or "MB" in job.message
    assert Child.objects.count() == before


def test_a_normal_file_still_reads():
    sheet = read_sheet(xlsx_bytes([row(), row(No=2, NIK="")]), "biasa.xlsx")
    assert sheet.header == HEADER and len(sheet.rows) == 2
