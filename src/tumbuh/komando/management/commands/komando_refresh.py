"""``manage.py komando_refresh [--period YYYY-MM] [--months N] [--dirty]``: rebuild the
command centre's aggregates now (the nightly job does the same for the last 13 months)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tumbuh.komando.jobs import months_back
from tumbuh.komando.selectors import parse_period
from tumbuh.komando.services import stats_refresh_dirty, stats_refresh_month


class Command(BaseCommand):
    help = "Hitung ulang statistik pusat komando (tabel agregat per wilayah dan bulan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="Bulan terakhir, TTTT-BB (bawaan: bulan ini).")
        parser.add_argument("--months", type=int, default=1, help="Berapa bulan ke belakang.")
        parser.add_argument("--dirty", action="store_true", help="Hanya wilayah yang berubah.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dirty"]:
            self.stdout.write(f"{stats_refresh_dirty()} baris ditulis.")
            return
        today = timezone.localdate()
        try:
            last = parse_period(options["period"]) if options["period"] else today.replace(day=1)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["months"] < 1:
            raise CommandError("--months harus 1 atau lebih.")
        for month in months_back(last, options["months"]):
            began = time.perf_counter()
            rows = stats_refresh_month(month=month, today=today)
            self.stdout.write(
                f"{month:%Y-%m}: {rows} baris dalam {time.perf_counter() - began:.2f} detik."
            )
