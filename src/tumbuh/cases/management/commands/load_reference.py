"""``manage.py load_reference [--region 32.71]``: OPD and the needs catalogue (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tumbuh.cases.reference import needs_load, organisations_load


class Command(BaseCommand):
    help = (
        "Muat data rujukan: OPD kota (dinas, kantor kecamatan dan kelurahan, Tirta Pakuan) dan "
        "katalog kebutuhan. Aman dijalankan berulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="32.71", help="kode kabupaten/kota")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = organisations_load(region_code=options["region"])
        needs = needs_load()
        self.stdout.write(
            f"Organisasi: {orgs.created} baru, {orgs.updated} diperbarui. "
            f"Katalog kebutuhan: {needs.created} baru, {needs.updated} diperbarui."
        )
