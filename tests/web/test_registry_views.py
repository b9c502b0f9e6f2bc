"""The pages a person sees: login, the landing page per role, search with masked NIK, the child
page (z-scores, categories, N/T, charts, warnings), and the kader's weighing and registration
forms (typed input kept on error, nothing stored)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from tumbuh.registry.models import Child, Measurement
from tumbuh.registry.services import measurement_record


def test_login_page_and_login(world):
    client = Client()
    page = client.get("/akun/masuk/")
    assert page.status_code == 200 and "Masuk ke Tumbuh" in page.content.decode()
    response = client.post("/akun/masuk/", {"username": "kader", "password": "test-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    bad = Client().post("/akun/masuk/", {"username": "kader", "password": "wrong"})
    assert bad.status_code == 200


def test_public_landing_page_is_the_chatbot_with_a_way_in_for_officers(db):
    response = Client().get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="chat"' in text and "/akun/masuk/" in text
    assert "Balita terdaftar" not in text


@pytest.mark.parametrize("url", ["/anak/", "/timbang/", "/anak/1/", "/audit/ekspor.csv"])
def test_pages_need_a_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize(
    "role",
    ["admin", "tpps", "kecamatan", "kelurahan", "tenaga_gizi", "kader", "opd", "partner", "parent"],
)
def test_landing_page_for_every_role(world, client_for, role):
    response = client_for(role).get("/")
    if role in ("tpps", "kecamatan", "kelurahan"):  # they land on the command centre (issue 9)
        assert response.status_code == 302 and response["Location"] == "/komando/"
        return
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ringkasan" in text
    if role == "opd":
        assert "Buka Tugas saya" in text and 'href="/tugas/"' in text  # the OPD inbox
        assert 'href="/anak/"' not in text  # no child search in the menu
    else:
        assert "Balita terdaftar" in text
        assert 'href="/anak/"' in text


def test_landing_counts_are_scoped(world, client_for):
    def count(role: str) -> int:
        if role in ("tpps", "kecamatan"):  # landing on /komando/: read the same counts
            from tumbuh.dashboard.selectors import area_counts

            return area_counts(world.users[role]).under_five
        text = client_for(role).get("/").content.decode()
        match = re.search(r'<span class="n">(\d+)</span><span class="l">Balita terdaftar', text)
        assert match, text
        return int(match.group(1))

    # the world's children are born 2025-01-10: under five on any date before 2030
    assert count("tpps") == 4
    assert count("kecamatan") == 2
    assert count("kader") == 2
    assert count("partner") == 1


def test_search_masks_nik_and_finds_by_name_nik_kk_mother(world, client_for):
    person = world.child_a.person
    person.nik = "3271035001250001"
    person.save()
    family = person.family
    family.kk_number = "3271031203200001"
    family.save()
    client = client_for("kader")
    for query in (
        person.name,
        "3271035001250001",
        "3271 0312 0320 0001",
        world.child_a.mother.person.name,
    ):
        text = client.get("/anak/", {"q": query}).content.decode()
        results = text.split("<tbody>")[1]  # the search box echoes what was typed
        assert person.name in results, query
        assert "3271035001250001" not in results
        assert "3271********0001" in text
    text = client.get("/anak/", {"q": "tidak ada nama ini"}).content.decode()
    assert "Tidak ada anak yang cocok" in text


def test_search_by_kelurahan_and_stunting_filter(world, client_for):
    client = client_for("tpps")
    text = client.get("/anak/", {"kelurahan": world.kel_b.pk}).content.decode()
    assert world.child_b.person.name in text and world.child_a.person.name not in text
    text = client.get("/anak/", {"stunting": "1"}).content.decode()
    assert world.child_b.person.name not in text  # nobody measured, nobody stunted


def _weigh(world, **kwargs):  # type: ignore[no-untyped-def]
    values = {"actor": world.users["kader"], "child": world.child_a, "position": "l"}
    values.update(kwargs)
    return measurement_record(**values)


def test_child_page_shows_measurements_categories_trend_charts_and_warnings(world, client_for):
    today = timezone.localdate()
    first = today - dt.timedelta(days=62)
    second = today - dt.timedelta(days=31)
    _weigh(world, measured_on=first, weight_kg="8.0", length_cm="72")
    _weigh(world, measured_on=second, weight_kg="8.0", length_cm="72.5")
    response = client_for("kader").get(f"/anak/{world.child_a.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert world.child_a.person.name in text and world.child_a.mother.person.name in text
    assert "Kel. Sempur" in text and "Posyandu Mawar" in text
    assert text.count("<svg") == 3  # length/height-, weight-for-age, weight-for-length
    assert "Pendek" in text or "Sangat pendek" in text
    assert "Stunting (PB/U-TB/U di bawah -2 SD)" in text
    m = Measurement.objects.order_by("measured_on").last()
    assert f"{m.zlen:.2f}".replace(".", ",") in text
    assert ">T<" in text  # no gain since last month
    assert "WHO Child Growth Standards 2006" in text


def test_partner_sees_the_child_pseudonymised(world, client_for):
    text = client_for("partner").get(f"/anak/{world.child_b.pk}/").content.decode()
    name = world.child_b.person.name
    assert name not in text
    assert "".join(p[0] + "." for p in name.split())[:2] in text
    assert world.child_b.mother.person.name not in text


def test_weighing_form_keeps_typed_values_on_error_and_stores_nothing(world, client_for):
    client = client_for("kader")
    url = f"/anak/{world.child_a.pk}/timbang/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "measured_on": timezone.localdate().isoformat(),
            "weight_kg": "94",
            "length_cm": "78,5",
            "position": "l",
            "measured_by_name": "Bu Kader",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert 'value="94"' in text and 'value="78,5"' in text and 'value="Bu Kader"' in text
    assert "Data belum tersimpan" in text
    assert "tidak mungkin" in text
    assert not Measurement.objects.exists()


def test_weighing_form_saves_and_shows_the_result_at_once(world, client_for):
    client = client_for("kader")
    response = client.post(
        f"/anak/{world.child_a.pk}/timbang/",
        {
            "measured_on": timezone.localdate().isoformat(),
            "weight_kg": "8,0",
            "length_cm": "72",
            "position": "l",
        },
    )
    assert response.status_code == 302
    result = client.get(response["Location"])
    text = result.content.decode()
    assert result.status_code == 200 and "Hasil pengukuran" in text
    assert "Stunting" in text and "Timbang anak lain" in text
    assert Measurement.objects.get().measured_by == world.users["kader"]


def test_roles_without_recording_rights_get_403_on_the_form(world, client_for):
    for role in ("opd", "partner", "parent", "tpps", "kecamatan"):
        client = client_for(role)
        assert client.get("/timbang/").status_code == 403
        assert client.get("/anak/daftar/").status_code == 403


def test_kader_start_screen_lists_own_children(world, client_for):
    text = client_for("kader").get("/timbang/").content.decode()
    assert world.child_a.person.name in text and world.child_x.person.name in text
    assert world.child_b.person.name not in text


def test_registration_form(world, client_for):
    client = client_for("kader")
    page = client.get("/anak/daftar/")
    assert page.status_code == 200
    data = {
        "name": "Tiara Kusuma",
        "sex": "2",
        "birth_date": "2025-03-10",
        "nik": "",
        "kk_number": "",
        "mother_name": "Iis",
        "mother_nik": "",
        "father_name": "",
        "kelurahan": world.kel_a.pk,
        "rw": "1",
        "rt": "4",
        "address_line": "",
        "phone": "",
        "posyandu": world.pos_a.pk,
        "birth_weight_kg": "3,1",
        "birth_length_cm": "",
        "consent_given_by": "Iis",
        "consent_relationship": "Ibu",
        "consent_method": "written",
        "consent": "on",
    }
    bad = client.post("/anak/daftar/", {**data, "nik": "1234"})
    assert bad.status_code == 422 and "16 angka" in bad.content.decode()
    assert 'value="Tiara Kusuma"' in bad.content.decode()
    no_consent = client.post("/anak/daftar/", {k: v for k, v in data.items() if k != "consent"})
    assert no_consent.status_code == 422
    response = client.post("/anak/daftar/", data)
    assert response.status_code == 302
    child = Child.objects.get(person__name="Tiara Kusuma")
    assert response["Location"] == f"/anak/{child.pk}/timbang/"
    assert str(child.birth_weight_kg) == "3.10"


def test_static_css_is_served(world, client_for):
    response = client_for("kader").get("/static/tumbuh/site.css")
    try:
        assert response.status_code == 200
        assert b"mobile-first" in b"".join(response.streaming_content)
    finally:
        response.close()


def test_charts_cover_every_age_band_the_series_spans() -> None:
    """A child followed from birth past two years gets both the 0-2 and the 2-5 year charts,
    newest band first, so no earlier point falls off the chart."""
    from types import SimpleNamespace

    from tumbuh.registry import presenters

    birth = dt.date(2023, 1, 1)
    series = [
        SimpleNamespace(
            age_days=days,
            clenhei=50.0 + days / 30,
            weight_kg=3.5 + days / 200,
            cbmi=16.0,
            measured_on=birth + dt.timedelta(days=days),
        )
        for days in (30, 300, 700, 760, 900)
    ]
    child = SimpleNamespace(birth_date=birth, person=SimpleNamespace(sex=1))
    drawn = presenters.charts(child, series, today=birth + dt.timedelta(days=901))
    assert len(drawn) == 6
    assert "2–5 tahun" in drawn[0].svg and "0–2 tahun" in drawn[3].svg
    assert presenters.band_for(1826) is presenters.AgeBand.TWO_TO_5  # 59.99 months
    assert presenters.band_for(1827) is presenters.AgeBand.FIVE_TO_19


def test_weight_for_height_chart_takes_only_measurements_from_two_years() -> None:
    from types import SimpleNamespace

    from tumbuh.registry import presenters

    birth = dt.date(2023, 1, 1)
    series = [
        SimpleNamespace(
            age_days=days, clenhei=80.0, weight_kg=11.0, cbmi=17.0,
            measured_on=birth + dt.timedelta(days=days),
        )
        for days in (700, 760)
    ]  # fmt: skip
    child = SimpleNamespace(birth_date=birth, person=SimpleNamespace(sex=2))
    drawn = presenters.charts(child, series, today=birth + dt.timedelta(days=761))
    weight_for_height_2_5, weight_for_length_0_2 = drawn[2], drawn[5]
    assert "tinggi badan" in weight_for_height_2_5.svg.lower()
    # each shows its own one point: one point marker plus the legend's marker (before the
    # fix the 2-5 chart drew both measurements, three circles)
    assert weight_for_height_2_5.svg.count("<circle") == 2
    assert weight_for_length_0_2.svg.count("<circle") == 2
    assert weight_for_height_2_5.skipped == weight_for_length_0_2.skipped == 0
