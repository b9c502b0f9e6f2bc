"""``manage.py seed_demo [--scale small|city] [--children N] [--if-empty]``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tumbuh.registry.demo.extend import demo_extend
from tumbuh.registry.demo.seed import SCALES, seed_demo
from tumbuh.registry.models import Child


class Command(BaseCommand):
    help = (
        "Buat data DEMO sintetis (keluarga, anak, ibu hamil, penimbangan 2 tahun) di semua "
        "kelurahan, dan satu akun demo per peran. Bukan data orang sungguhan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--children", type=int, help="jumlah anak (menggantikan --scale)")
        parser.add_argument("--months", type=int, default=24, help="bulan riwayat penimbangan")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--region", default="32.71", help="kode kabupaten/kota")
        parser.add_argument(
            "--if-empty", action="store_true", help="lewati bila sudah ada data anak"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Child.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Data anak sudah ada; data demo tidak dibuat lagi.")
                added = demo_extend()
                if added:
                    self.stdout.write(
                        f"Data DEMO diperbarui sampai bulan ini: {added} penimbangan baru."
                    )
                return
            raise CommandError(
                "Registri sudah berisi anak. Data demo hanya dibuat pada basis data kosong "
                "(hapus var/tumbuh.sqlite3 untuk mulai ulang, atau pakai --if-empty)."
            )
        count = options["children"] or SCALES[options["scale"]]
        if count < 1 or options["months"] < 1:
            raise CommandError("--children dan --months harus lebih dari 0.")
        started = time.monotonic()
        self.stdout.write(f"Membuat data DEMO: {count} anak, {options['months']} bulan ...")
        report = seed_demo(
            children=count,
            months=options["months"],
            seed=options["seed"],
            region_code=options["region"],
            progress=self.stdout.write,
        )
        self.stdout.write(report.summary())
        from tumbuh.cases.demo import seed_cases  # cases on the demo city (issue 7)

        self.stdout.write(seed_cases(progress=self.stdout.write).summary())
        from tumbuh.partners.demo import seed_partners_demo  # partners, bapak asuh (issue 8)

        self.stdout.write("\n".join(seed_partners_demo()))
        self.stdout.write(f"Selesai dalam {time.monotonic() - started:.1f} detik.")
