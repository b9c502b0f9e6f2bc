"""``tumbuh report rakor --period YYYY-MM [--area CODE] --format pdf|xlsx -o FILE``.

Writes the rakor pack of the area (default: the first kota in the database) and month from the
aggregate tables, exactly as the page's download does. Django is set up only when it runs.
Exit codes as for every ``tumbuh`` command: 0 written, 2 a bad option, 1 an internal error.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from tumbuh.cli import CONTEXT_SETTINGS, EXIT_INPUT, EXIT_INTERNAL, HELP_OPTION_TEXT


def _fail(message: str) -> None:
    click.echo(f"Kesalahan: {message}", err=True)
    sys.exit(EXIT_INPUT)


@click.group("report", context_settings=CONTEXT_SETTINGS)
@click.help_option("-h", "--help", help=HELP_OPTION_TEXT)
def report() -> None:
    """Laporan pusat komando."""


@report.command("rakor", context_settings=CONTEXT_SETTINGS)
@click.help_option("-h", "--help", help=HELP_OPTION_TEXT)
@click.option("--period", required=True, metavar="TTTT-BB", help="Bulan laporan, mis. 2026-08.")
@click.option("--area", metavar="KODE", help="Kode wilayah (kota, kecamatan, kelurahan).")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "xlsx"]), required=True, help="pdf atau xlsx."
)
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), required=True)
@click.option("--refresh", is_flag=True, help="Hitung ulang statistik bulan itu lebih dahulu.")
def rakor_command(period: str, area: str | None, fmt: str, target: Path, refresh: bool) -> None:
    """Buat bahan rakor: angka utama dan tren, tabel per kecamatan dan kelurahan, tugas
    terlambat, rapor OPD dan mitra, kandidat apresiasi dan tindak lanjut."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumbuh.config.settings")
    import django

    django.setup()
    from django.utils import timezone

    from tumbuh.audit.models import Action
    from tumbuh.audit.services import audit_record
    from tumbuh.komando import rakor
    from tumbuh.komando.overview import overview
    from tumbuh.komando.selectors import _area_of_region, parse_period
    from tumbuh.komando.services import city_of, stats_refresh_month
    from tumbuh.wilayah.models import Level, Region

    try:
        month = parse_period(period)
    except ValueError as error:
        _fail(str(error))
    if area:
        region = Region.objects.filter(
            code=area, level__in=[Level.REGENCY, Level.DISTRICT, Level.VILLAGE]
        ).first()
        if region is None:
            _fail(
                f"wilayah {area!r} tidak ada; pakai kode kota, kecamatan atau kelurahan, mis. 32.71"
            )
    else:
        region = Region.objects.filter(level=Level.REGENCY, children__isnull=False).first()
        if region is None:
            _fail("belum ada wilayah; jalankan manage.py load_wilayah 32.71 dahulu")
    assert region is not None
    if not target.parent.exists():
        _fail(f"folder {target.parent} tidak ada")
    try:
        began = time.perf_counter()
        if refresh:
            stats_refresh_month(month=month, city_code=city_of(region.code))
        ov = overview(_area_of_region(region), month, today=timezone.localdate())
        content = rakor.render(ov, fmt)
        target.write_bytes(content)
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="komando.rakor",
            object_id=region.code,
            detail={"period": period, "format": fmt, "bytes": len(content), "cli": True},
        )
    except Exception as error:
        if os.environ.get("TUMBUH_DEBUG"):
            raise
        click.echo(f"Kesalahan internal: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_INTERNAL)
    click.echo(
        f"Selesai: {target} ({len(content):,} byte, {time.perf_counter() - began:.1f} detik)."
        + ("" if ov.computed else " Peringatan: statistik bulan ini belum dihitung (--refresh)."),
        err=True,
    )
