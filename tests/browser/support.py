"""What the browser tests share: where Chromium is, how to log in, and a small town built
through the registry's services (synthetic names and numbers)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "kata-sandi-uji-1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def missing_browser() -> str:
    """Why the browser tests cannot run here ("" when they can)."""
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"{CHROMIUM} not found: install Debian's Chromium "
            "(apt-get install chromium); no browser is ever downloaded"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[dev]'"
    return ""


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form (a fresh browser context starts logged out)."""
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scrolling)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def nik_for(kecamatan6: str, birth: dt.date, *, female: bool, serial: int) -> str:
    """A structurally valid NIK (demo serials start at 9000)."""
    day = birth.day + (40 if female else 0)
    return f"{kecamatan6}{day:02d}{birth:%m%y}{serial:04d}"


@dataclass
class Town:
    kota: Any
    kader: Any  # kader at Posyandu Mawar (Kel. Sempur)
    tpps: Any  # TPPS, the whole kota
    siti: Any  # girl at Mawar, weighed monthly from 2 to 13 months
    rizky: Any  # boy at Mawar, never weighed
    bagus: Any  # boy at Posyandu Anggrek (Kel. Batu Tulis): not the kader's
    siti_nik: str


#: Siti's weighings: (age in months, weight kg, length cm), growing a little short.
SITI_SERIES = [
    (2, "4.9", "55.0"),
    (3, "5.6", "58.0"),
    (4, "6.1", "60.2"),
    (5, "6.6", "62.0"),
    (6, "6.9", "63.3"),
    (7, "7.1", "64.5"),
    (8, "7.3", "65.5"),
    (9, "7.5", "66.4"),
    (10, "7.6", "67.2"),
    (11, "7.7", "68.0"),
    (12, "7.8", "68.8"),
    (13, "7.8", "69.5"),
]
SITI_AGE_MONTHS = 14


def build_town() -> Town:
    """Kota Bogor's wilayah, two posyandu, a kader and a TPPS user, three children registered
    and Siti weighed monthly, all through the registry's services."""
    from tumbuh.accounts.models import Role, User
    from tumbuh.registry.services import child_register, measurement_record
    from tumbuh.wilayah.models import Posyandu, Puskesmas, Region
    from tumbuh.wilayah.services import region_load

    region_load(code="32.71")
    kota = Region.objects.get(code="32.71")
    sempur = Region.objects.get(code="32.71.03.1006")
    batu_tulis = Region.objects.get(code="32.71.01.1001")
    pusk_sempur = Puskesmas.objects.get(name="Sempur")
    pusk_selatan = Puskesmas.objects.get(name="Bogor Selatan")
    pusk_sempur.service_area.add(sempur)
    pusk_selatan.service_area.add(batu_tulis)
    mawar = Posyandu.objects.create(name="Mawar", kelurahan=sempur, puskesmas=pusk_sempur)
    anggrek = Posyandu.objects.create(name="Anggrek", kelurahan=batu_tulis, puskesmas=pusk_selatan)

    def user(username: str, first: str, last: str, **extra: Any) -> Any:
        made = User(username=username, first_name=first, last_name=last, **extra)
        made.set_password(PASSWORD)
        made.save()
        return made

    kader = user("kader.mawar", "Eni", "Kurniasih", role=Role.KADER, posyandu=mawar)
    tpps = user("tpps.kota", "Sekretariat", "TPPS", role=Role.TPPS, region=kota)

    today = timezone.localdate()
    siti_birth = months_before(today, SITI_AGE_MONTHS)
    siti_nik = nik_for("327103", siti_birth, female=True, serial=9001)
    common: dict[str, Any] = {
        "actor": None,
        "consent_given_by": "Ibu kandung",
        "consent_relationship": "Ibu",
        "is_demo": True,
        "today": today,
    }
    siti = child_register(
        name="Siti Rahmawati",
        sex=2,
        birth_date=siti_birth,
        nik=siti_nik,
        mother_name="Dewi Lestari",
        father_name="Agus Setiawan",
        kelurahan=sempur,
        rw=3,
        rt=2,
        address_line="Jl. Contoh No. 7",
        posyandu=mawar,
        birth_weight_kg=3.1,
        birth_length_cm=49,
        **common,
    )
    rizky = child_register(
        name="Rizky Maulana",
        sex=1,
        birth_date=months_before(today, 20),
        mother_name="Nur Aini",
        kelurahan=sempur,
        posyandu=mawar,
        **common,
    )
    bagus = child_register(
        name="Bagus Pratama",
        sex=1,
        birth_date=months_before(today, 30),
        mother_name="Sri Wahyuni",
        kelurahan=batu_tulis,
        posyandu=anggrek,
        **common,
    )
    for age, weight, length in SITI_SERIES:
        measurement_record(
            actor=None,
            child=siti,
            measured_on=months_before(today, SITI_AGE_MONTHS - age),
            weight_kg=weight,
            length_cm=length,
            position="l",
            today=today,
        )
    return Town(kota, kader, tpps, siti, rizky, bagus, siti_nik)
