"""Dates as people write them: a readable date that names no real day gets a message that
says so ("31/02/2024 bukan tanggal yang ada"), on the forms and in the import."""

from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")  # fmt: skip


def impossible_date(text: str) -> str | None:
    """For a date written in a readable form that names no real day (31/02/2024, 2024-13-01):
    what is wrong with it, in Indonesian; ``None`` for anything else."""
    found = _DMY.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    else:
        found = _YMD.match(text)
        if not found:
            return None
        year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return f"{text.strip()} bukan tanggal yang ada: bulan {month} tidak ada (1 sampai 12)."
    try:
        dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return (
            f"{text.strip()} bukan tanggal yang ada: {MONTHS[month - 1]} {year} hanya sampai "
            f"tanggal {last}."
        )
    return None


__all__ = ["MONTHS", "impossible_date"]
