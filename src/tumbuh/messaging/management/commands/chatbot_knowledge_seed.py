"""Copy the chatbot's shipped knowledge files into the admin's table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tumbuh.messaging.knowledge_db import seed_knowledge
from tumbuh.messaging.models import KnowledgeEntry


class Command(BaseCommand):
    help = "Salin basis pengetahuan chatbot dari berkas paket ke tabel admin."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--update", action="store_true", help="timpa entri yang sudah ada")
        parser.add_argument("--if-empty", action="store_true", help="hanya bila tabel kosong")

    def handle(self, *args: Any, update: bool, if_empty: bool, **options: Any) -> None:
        if if_empty and KnowledgeEntry.objects.exists():
            return
        n = seed_knowledge(update=update)
        self.stdout.write(f"{n} entri pengetahuan ditulis.")
