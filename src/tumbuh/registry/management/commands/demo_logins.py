"""``manage.py demo_logins``: print the demo accounts (one per role)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tumbuh.registry.demo.seed import demo_logins


class Command(BaseCommand):
    help = "Tampilkan akun DEMO (satu per peran)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("Tidak ada akun demo.")
            return
        self.stdout.write("Akun DEMO (data sintetis, bukan orang sungguhan):")
        width = max(len(u) for u, _, _ in logins)
        for username, password, role in logins:
            self.stdout.write(f"  DEMO  {username:<{width}}  sandi: {password:<12}  {role}")
