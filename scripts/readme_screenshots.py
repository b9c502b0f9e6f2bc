"""Take the README screenshots (docs/screenshots/*.png) from a real run of the platform.

    .venv/bin/python scripts/readme_screenshots.py [--out docs/screenshots]

What ``make run`` does, in a temporary folder: migrate a fresh SQLite database, load Kota
Bogor, create the synthetic DEMO city (``seed_demo``), serve it with ``runserver`` on a free
local port; then Debian's Chromium (``/usr/bin/chromium``, driven by Playwright, never a
downloaded browser) logs in as the demo users and photographs:

* ``login.png``: the login page on a phone (390x844);
* ``dashboard.png``: the TPPS landing page for the whole city;
* ``child-page.png``: a stunted child's page (under two years) as TPPS sees it, down to the
  growth charts;
* ``kader-weighing.png``: a kader's weighing result on a phone (390x844), right after saving.

Every name and number on them is generated demo data. Each PNG must stay under 300 KB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "tumbuh-demo"
MAX_BYTES = 300 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _pick_children() -> tuple[int, tuple[str, str, str, str]]:
    """The stunted child for the child page (12 to 23 months old, so that its whole history
    is on the 0-2 year charts; the most weighings), and the youngest child at demo-kader's
    posyandu, 6 to 33 months old, not weighed this month: its name and a plausible next
    weight, length and position (from its last measurement)."""
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from tumbuh.accounts.models import User
    from tumbuh.registry.models import Child

    today = timezone.localdate()
    days = dt.timedelta(days=1)
    stunted = (
        Child.objects.filter(
            latest_measurement__is_stunted=True,
            person__birth_date__lte=today - 365 * days,
            person__birth_date__gte=today - 700 * days,
        )
        .annotate(weighings=Count("measurements"))
        .order_by("-weighings", "pk")
        .first()
    )
    if stunted is None:
        raise SystemExit("no stunted demo child of 12 to 23 months")
    kader = User.objects.get(username="demo-kader")
    child = (
        Child.objects.filter(
            posyandu=kader.posyandu,
            person__birth_date__lte=today - 180 * days,
            person__birth_date__gte=today - 1000 * days,
            latest_measurement__measured_on__lt=today.replace(day=1),
            latest_measurement__weight_kg__isnull=False,
            latest_measurement__length_cm__isnull=False,
            latest_measurement__is_stunted=False,
        )
        .select_related("person", "latest_measurement")
        .order_by("person__birth_date")
        .last()
    )
    if child is None:
        raise SystemExit("no demo child to weigh at demo-kader's posyandu")
    last = child.latest_measurement
    assert last is not None and last.weight_kg is not None and last.length_cm is not None
    weight = str(last.weight_kg + Decimal("0.25")).replace(".", ",")
    length = str(last.length_cm + Decimal("1.2")).replace(".", ",")
    position = "berbaring" if (today - child.person.birth_date).days < 731 else "berdiri"
    return stunted.pk, (child.person.name, weight, length, position)


def _login(page: Any, username: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def shoot(
    base_url: str, out: Path, stunted_id: int, weigh: tuple[str, str, str, str]
) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def context(viewport: dict[str, int], scale: float = 1) -> Any:
            made = browser.new_context(
                base_url=base_url,
                viewport=viewport,
                device_scale_factor=scale,
                locale="id-ID",
                timezone_id="Asia/Jakarta",
            )
            made.set_default_timeout(15_000)
            return made

        # 1. login on a phone
        phone = context(PHONE, 1.5)
        page = phone.new_page()
        page.goto("/akun/masuk/")
        page.get_by_label("Nama pengguna").fill("demo-kader")
        brand = page.locator("header .brand").inner_text()
        if brand == "Tumbuh":
            page.screenshot(path=str(out / "login.png"))
            written.append(out / "login.png")
        else:  # the login view's own "site_name" (the host) hides the product's name
            print(f"login.png not taken: the login page's header reads {brand!r}, not 'Tumbuh'")
        phone.close()

        # 2. the TPPS dashboard and 3. a stunted child's page
        desktop = context({"width": 1200, "height": 720})
        page = desktop.new_page()
        _login(page, "demo-tpps")
        page.screenshot(path=str(out / "dashboard.png"))
        written.append(out / "dashboard.png")
        page.goto(f"/anak/{stunted_id}/")
        page.set_viewport_size({"width": 1200, "height": 1000})
        second_chart = page.locator(".card.chart").nth(1).bounding_box()
        assert second_chart is not None
        height = int(second_chart["y"] + second_chart["height"] + 16)
        page.screenshot(
            path=str(out / "child-page.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": height},
        )
        written.append(out / "child-page.png")
        desktop.close()

        # 4. a kader weighs a child on a phone
        name, weight, length, position = weigh
        phone = context(PHONE, 1.5)
        page = phone.new_page()
        _login(page, "demo-kader")
        page.get_by_role("navigation", name="Menu utama").get_by_role(
            "link", name="Penimbangan", exact=True
        ).click()
        page.get_by_label("Cari nama anak, nama ibu, NIK atau KK").fill(name)
        page.get_by_role("button", name="Cari").click()
        page.locator("table tbody tr", has_text=name).get_by_role("link", name="Timbang").click()
        page.get_by_label("Berat badan (kg)").fill(weight)
        page.get_by_label("Panjang/tinggi badan (cm)").fill(length)
        page.get_by_label(position).check()
        page.get_by_label("Nama pengukur").fill("Kader Posyandu (demo)")
        page.get_by_role("button", name="Simpan dan lihat hasil").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Hasil pengukuran"
        page.screenshot(path=str(out / "kader-weighing.png"))
        written.append(out / "kader-weighing.png")
        phone.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description="Take the README screenshots.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tumbuh-screenshots-") as tmp:
        env = {
            **os.environ,
            "TUMBUH_VAR_DIR": tmp,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "tumbuh.config.settings",
        }
        env.pop("DATABASE_URL", None)
        os.environ.update({k: env[k] for k in ("TUMBUH_VAR_DIR", "DEBUG")})
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "load_wilayah", "32.71")
        _manage(env, "seed_demo")
        stunted_id, weigh = _pick_children()
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_for(base_url + "/akun/masuk/")
            written = shoot(base_url, out, stunted_id, weigh)
        finally:
            server.terminate()
            server.wait(timeout=30)
    too_big = False
    for path in written:
        size = path.stat().st_size
        too_big |= size > MAX_BYTES
        flag = "  (over 300 KB!)" if size > MAX_BYTES else ""
        print(f"{path}: {size / 1024:.0f} KB{flag}")
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
