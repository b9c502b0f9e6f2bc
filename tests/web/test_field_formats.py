"""Issue 12 item 9: DD-MM-YYYY dates, Indonesian separators, Indonesian admin labels, lists
that fit a phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.test import Client


def test_dates_render_as_dd_mm_yyyy_and_numbers_with_indonesian_separators() -> None:
    out = Template(
        "{% load tumbuh_format %}{{ d }}|{{ d|date:'SHORT_DATE_FORMAT' }}|{{ n|angka }}|"
        "{{ x|angka }}|{{ pk }}"
    ).render(Context({"d": dt.date(2026, 2, 3), "n": 200000, "x": Decimal("1234.5"), "pk": 1234}))
    assert out == "03-02-2026|03-02-2026|200.000|1.234,5|1234"  # ids stay ungrouped


def test_admin_shows_indonesian_column_labels(world) -> None:
    client = Client()
    client.force_login(world.users["admin"])
    families = client.get("/admin/registry/family/").content.decode()
    assert "KK (disamarkan)" in families and "kk masked" not in families.lower()
    people = client.get("/admin/registry/person/").content.decode()
    assert "NIK (disamarkan)" in people


def test_lists_are_cards_on_a_phone(world, client_for) -> None:
    page = client_for("kader").get("/timbang/").content.decode()
    assert '<table class="cards">' in page and 'data-label="Umur"' in page
