"""Append the reviewed evaluation cases to a JSONL file in the eval/chatbot format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tumbuh.messaging.admin import export_jsonl
from tumbuh.messaging.models import EvalCase


class Command(BaseCommand):
    help = "Tulis kasus evaluasi dari log percakapan ke berkas JSONL (format eval/chatbot)."

    def add_arguments(self, parser: Any) -> None:
        default = Path(settings.VAR_DIR) / "eval" / "reviewed.jsonl"
        parser.add_argument("--out", type=Path, default=default)

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        cases = EvalCase.objects.exclude(expect={}).order_by("created_at", "id")
        out.write_text(export_jsonl(cases), encoding="utf-8")
        self.stdout.write(f"{cases.count()} kasus ditulis ke {out}")
