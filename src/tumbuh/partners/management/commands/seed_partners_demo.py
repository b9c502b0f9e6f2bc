"""``manage.py seed_partners_demo``: the partners demo (after ``seed_demo``); safe to rerun."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tumbuh.partners.demo import seed_partners_demo


class Command(BaseCommand):
    help = (
        "Buat data DEMO mitra dan bapak asuh: mitra semua jenis, janji bantuan semua status, "
        "kunjungan tepat waktu/terlambat/terlewat. Login demo: demo-perusahaan, demo-bapak-asuh."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in seed_partners_demo():
            self.stdout.write(line)
