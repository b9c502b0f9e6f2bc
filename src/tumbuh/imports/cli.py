"""``tumbuh import FILE [--user USERNAME] [--dry-run]``: the web import, from a terminal.

Django is set up only when the command runs (``tumbuh growth`` never loads it). Exit codes as
for every ``tumbuh`` command: 0 imported (or, with ``--dry-run``, every row passed), 2 the file
or the command cannot be used (the problems are printed and written to ``FILE.errors.csv``),
1 an internal error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tumbuh.cli import CONTEXT_SETTINGS, EXIT_INPUT, EXIT_INTERNAL, HELP_OPTION_TEXT, SHOWN_PROBLEMS

if TYPE_CHECKING:
    from tumbuh.imports.models import ImportJob


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumbuh.config.settings")
    import django

    django.setup()


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@click.command("import", context_settings=CONTEXT_SETTINGS)
@click.help_option("-h", "--help", help=HELP_OPTION_TEXT)
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="Impor atas nama pengguna ini (wilayahnya membatasi baris yang boleh diimpor). "
    "Tanpa --user: impor sistem, tanpa batas wilayah.",
)
@click.option("--dry-run", is_flag=True, help="Periksa saja; tidak ada yang disimpan.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Tampilkan kemajuan (bawaan: bila stderr adalah terminal).",
)
def import_command(
    source: Path, username: str | None, dry_run: bool, progress: bool | None
) -> None:
    """Impor berkas e-PPGBM (XLSX atau CSV) ke registri: semua baris atau tidak sama sekali.

    Setiap baris diperiksa dahulu. Bila ada kesalahan, tidak ada yang disimpan; daftar
    kesalahan (baris, kolom, nilai, alasan) dicetak dan ditulis ke FILE.errors.csv. Impor
    ulang berkas yang sama tidak menambah data. Dugaan data ganda masuk antrean untuk
    diputuskan petugas. Kode keluar: 0 berhasil, 2 berkas/perintah tidak dapat diproses,
    1 kesalahan internal.
    """
    try:
        data = source.read_bytes()
    except OSError as error:
        click.echo(f"Kesalahan: berkas '{source}' tidak dapat dibaca: {error.strerror}", err=True)
        sys.exit(EXIT_INPUT)
    try:
        _setup_django()
        code = _run(source, data, username, dry_run, progress)
    except Exception as error:
        if os.environ.get("TUMBUH_DEBUG"):
            raise
        click.echo(f"Kesalahan internal: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _run(
    source: Path, data: bytes, username: str | None, dry_run: bool, progress: bool | None
) -> int:
    from tumbuh.accounts.models import User
    from tumbuh.imports import jobs

    actor = None
    if username:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            click.echo(f"Kesalahan: pengguna aktif '{username}' tidak ada.", err=True)
            return EXIT_INPUT
    show = progress if progress is not None else sys.stderr.isatty()
    job = jobs.job_create(actor=actor, file_name=source.name, data=data, dry_run=dry_run)
    earlier = jobs.earlier_import(job)
    if earlier is not None and earlier.finished_at is not None:
        click.echo(
            f"Catatan: berkas yang sama sudah diimpor pada {earlier.finished_at:%d-%m-%Y %H:%M}; "
            "impor ulang tidak menambah data yang sudah ada.",
            err=True,
        )
    if show:
        click.echo(f"Memeriksa {source.name} ...", err=True)
    job = jobs.run_job(job)
    return _report(job, source)


def _report(job: ImportJob, source: Path) -> int:
    from tumbuh.imports.models import JobStatus as status

    if job.status == status.DONE:
        click.echo(
            f"Selesai: {_number(job.rows_total)} baris; anak baru {_number(job.children_created)}, "
            f"anak sudah terdaftar {_number(job.children_matched)}, pengukuran baru "
            f"{_number(job.measurements_created)}, pengukuran sudah ada "
            f"{_number(job.measurements_skipped)}, dugaan data ganda "
            f"{_number(job.duplicates_queued)}.",
            err=True,
        )
        _warnings(job)
        return 0
    if job.status == status.CHECKED:
        click.echo(
            f"Uji coba: {_number(job.rows_total)} baris lolos pemeriksaan; akan dibuat "
            f"{_number(job.children_created)} anak baru dan {_number(job.measurements_created)} "
            f"pengukuran baru ({_number(job.measurements_skipped)} sudah ada). Tidak ada yang "
            "disimpan.",
            err=True,
        )
        _warnings(job)
        return 0
    if job.status == status.CRASHED:
        click.echo(f"Kesalahan internal: {job.message}", err=True)
        return EXIT_INTERNAL
    click.echo(f"Ditolak: {job.message}", err=True)
    if job.error_report:
        target = Path(str(source) + ".errors.csv")
        lines = job.error_report.splitlines()
        for line in lines[1 : SHOWN_PROBLEMS + 1]:
            click.echo(f"  {line}", err=True)
        if len(lines) - 1 > SHOWN_PROBLEMS:
            click.echo(f"  ... dan {len(lines) - 1 - SHOWN_PROBLEMS} lagi.", err=True)
        try:
            target.write_text(job.error_report, encoding="utf-8-sig")
            click.echo(f"Laporan kesalahan lengkap: {target}", err=True)
        except OSError as error:
            click.echo(f"Laporan kesalahan tidak dapat ditulis ke {target}: {error}", err=True)
    return EXIT_INPUT


def _warnings(job: ImportJob) -> None:
    for warning in job.warnings[:10]:
        click.echo(f"Peringatan: {warning}", err=True)
