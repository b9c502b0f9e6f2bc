"""Pages for mothers: the list of pregnant women (scoped, NIK masked, at-risk filter, audited),
the mother's page (audited; outside the scope a 404 and a ``denied`` row) and the pregnancy
check form (typed values kept on error, nothing stored; writes through the services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from factories import ChildFactory

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.registry import risks
from tumbuh.registry.models import Pregnancy, PregnancyOutcome
from tumbuh.registry.services import breastfeeding_record, pregnancy_record

NAMES = {
    "child_a": "Siti Aminah",  # Sempur, child at Posyandu Mawar: KEK
    "child_a2": "Dewi Lestari",  # Babakan, child at Posyandu Melati: no risk
    "child_b": "Rina Marlina",  # Batu Tulis, child at Posyandu Anggrek: anaemia
    "child_x": "Yuli Handayani",  # Batu Tulis, child at Posyandu Mawar: too few ANC visits
}
ALL = set(NAMES)
#: role -> the mothers (named by their child in the world) it must see.
EXPECTED = {
    "admin": ALL,
    "tpps": ALL,
    "kecamatan": {"child_a", "child_a2"},
    "kelurahan": {"child_a"},
    "tenaga_gizi": {"child_a", "child_x"},
    "kader": {"child_a", "child_x"},
    "opd": set(),
    "partner": set(),  # assigned to child_b, never sees mothers
    "parent": {"child_a"},  # herself
}


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def pregnant(world):  # type: ignore[no-untyped-def]
    """Each of the world's four mothers renamed and pregnant, with one risk each but one."""
    figures = {
        "child_a": {"weeks": 20, "lila_cm": "22,0", "hb_g_dl": "12", "anc_visits": 3},
        "child_a2": {"weeks": 10, "lila_cm": "25", "hb_g_dl": "12", "anc_visits": 1},
        "child_b": {"weeks": 16, "lila_cm": "24", "hb_g_dl": "10,2", "anc_visits": 2},
        "child_x": {"weeks": 30, "lila_cm": "26", "hb_g_dl": "12,5", "anc_visits": 2},
    }
    mothers = {}
    for key, child in world.children.items():
        mother = child.mother
        mother.person.name = NAMES[key]
        mother.person.save()
        values = dict(figures[key])
        weeks = values.pop("weeks")
        pregnancy_record(
            actor=None, mother=mother, hpht=_today() - dt.timedelta(weeks=weeks), **values
        )
        mothers[key] = mother
    return mothers


def _rows(text: str) -> set[str]:
    body = text.split("<tbody>")[1].split("</tbody>")[0]  # the search box echoes the query
    return {key for key, name in NAMES.items() if name in body}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_list_shows_the_pregnant_women_of_the_users_scope(world, pregnant, client_for, role):
    response = client_for(role).get("/ibu/")
    assert response.status_code == 200
    assert _rows(response.content.decode()) == EXPECTED[role]


def test_list_masks_nik_finds_by_name_or_nik_and_is_audited(world, pregnant, client_for):
    person = pregnant["child_a"].person
    person.nik = "3271034505950001"
    person.save()
    client = client_for("kader")
    for query in ("aminah", "3271034505950001", "3271 0345 0595 0001"):
        response = client.get("/ibu/", {"q": query})
        text = response.content.decode()
        assert _rows(text) == {"child_a"}, query
        assert "3271********0001" in text
        assert "3271034505950001" not in text.split("<tbody>")[1]
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.action, event.object_type) == (Action.VIEW, "registry.mother")
        assert event.detail == {"list": True, "ids": [person.mother.pk], "filtered": True}
        assert event.actor == world.users["kader"] and event.ip_address == "10.1.2.3"
    # a mother outside the kader's posyandu is not found by name either
    text = client.get("/ibu/", {"q": "Rina"}).content.decode()
    assert "Tidak ada ibu hamil yang cocok" in text


def test_list_shows_gestational_age_due_date_and_flags(world, pregnant, client_for):
    text = client_for("tpps").get("/ibu/").content.decode()
    due = pregnant["child_a"].pregnancies.get().due_date
    assert due == _today() - dt.timedelta(weeks=20) + dt.timedelta(days=280)
    assert "20 minggu" in text and due.strftime("%d-%m-%Y") in text
    assert "Sempur" in text and "Batu Tulis" in text
    assert ">KEK<" in text and ">Anemia<" in text and ">ANC kurang<" in text


def test_at_risk_filter(world, pregnant, client_for):
    text = client_for("tpps").get("/ibu/", {"berisiko": "1"}).content.decode()
    assert _rows(text) == {"child_a", "child_b", "child_x"}  # KEK, anaemia, ANC kurang
    text = client_for("kader").get("/ibu/", {"berisiko": "1", "q": "Yuli"}).content.decode()
    assert _rows(text) == {"child_x"}
    # an ended pregnancy is no longer listed, at risk or not
    pregnancy = pregnant["child_b"].pregnancies.get()
    Pregnancy.objects.filter(pk=pregnancy.pk).update(
        outcome=PregnancyOutcome.LIVE_BIRTH, ended_on=_today()
    )
    text = client_for("tpps").get("/ibu/", {"berisiko": "1"}).content.decode()
    assert _rows(text) == {"child_a", "child_x"}


def test_anc_rule_matches_in_python_and_in_the_query(world, pregnant):
    """The row flag and the list filter apply the same rule, at each threshold."""
    pregnancy = pregnant["child_a2"].pregnancies.get()
    today = _today()
    for weeks, visits, expected in [
        (13, 0, False),
        (14, 0, True),
        (14, 1, False),
        (27, 1, False),
        (28, 2, True),
        (28, 3, False),
        (39, 5, False),
        (40, 5, True),
        (40, 6, False),
    ]:
        hpht = today - dt.timedelta(weeks=weeks)
        for hpht_value, due in ((hpht, None), (None, hpht + dt.timedelta(days=280))):
            Pregnancy.objects.filter(pk=pregnancy.pk).update(
                hpht=hpht_value, due_date=due, anc_visits=visits
            )
            pregnancy.refresh_from_db()
            assert risks.anc_too_few(pregnancy, today) is expected, (weeks, visits, hpht_value)
            in_query = Pregnancy.objects.filter(risks.anc_too_few_q(today), pk=pregnancy.pk)
            assert in_query.exists() is expected, (weeks, visits, hpht_value)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_mother_page_by_id_outside_scope_is_404_and_audited(world, pregnant, client_for, role):
    client = client_for(role)
    for key, mother in pregnant.items():
        before = AuditEvent.objects.count()
        response = client.get(f"/ibu/{mother.pk}/")
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.object_type, event.object_id) == ("registry.mother", str(mother.pk))
        assert event.actor == world.users[role] and event.user_agent == "pytest-agent/1.0"
        if key in EXPECTED[role]:
            assert response.status_code == 200, (role, key)
            assert event.action == Action.VIEW
        else:
            assert response.status_code == 404, (role, key)
            assert event.action == Action.DENIED
            assert NAMES[key] not in response.content.decode()


def test_mother_page_shows_identity_family_children_pregnancies_breastfeeding(
    world, pregnant, client_for
):
    mother = pregnant["child_a"]
    mother.person.nik = "3271034505950001"
    mother.person.save()
    family = mother.person.family
    family.kk_number = "3271031203200001"
    family.save()
    breastfeeding_record(
        actor=None, child=world.child_a, kind="exclusive", started_on=world.child_a.birth_date
    )
    # a second child registered at another posyandu: the kader may not see it, the kelurahan
    # officer (same address) may
    other = ChildFactory(
        mother=mother, person__family=family, posyandu=world.pos_b, person__name="Bayu Saputra"
    )
    text = client_for("kader").get(f"/ibu/{mother.pk}/").content.decode()
    assert "Siti Aminah" in text and "3271********0001" in text
    assert "3271034505950001" not in text and "3271031203200001" not in text
    assert "Kel. Sempur" in text and "Kec. Bogor Tengah" in text
    assert f'href="/anak/{world.child_a.pk}/"' in text and "Bayu Saputra" not in text
    assert "22,0" in text and "12,0" in text and ">KEK<" in text and "Sedang hamil" in text
    assert "ASI eksklusif" in text
    assert f'href="/ibu/{mother.pk}/hamil/"' in text
    text = client_for("kelurahan").get(f"/ibu/{mother.pk}/").content.decode()
    assert f'href="/anak/{other.pk}/"' in text and "Bayu Saputra" in text
    text = client_for("parent").get(f"/ibu/{mother.pk}/").content.decode()
    assert "Siti Aminah" in text and f'href="/ibu/{mother.pk}/hamil/"' not in text


def test_child_page_links_to_the_mother_only_when_visible(world, pregnant, client_for):
    mother_a = world.child_a.mother
    text = client_for("kader").get(f"/anak/{world.child_a.pk}/").content.decode()
    assert f'href="/ibu/{mother_a.pk}/"' in text
    text = client_for("partner").get(f"/anak/{world.child_b.pk}/").content.decode()
    assert "/ibu/" not in text


def test_menu_link_for_roles_that_see_mothers(world, client_for):
    for role in ("admin", "tpps", "kelurahan", "tenaga_gizi", "kader"):
        assert 'href="/ibu/"' in client_for(role).get("/anak/").content.decode(), role
    # A parent sees the list only when there is a pregnancy of hers to show (issue 12).
    assert 'href="/ibu/"' not in client_for("parent").get("/anak/").content.decode()
    pregnancy_record(actor=None, mother=world.child_a.mother, hpht=_today() - dt.timedelta(weeks=8))
    assert 'href="/ibu/"' in client_for("parent").get("/anak/").content.decode()
    for role in ("partner", "opd"):
        assert 'href="/ibu/"' not in client_for(role).get("/anak/").content.decode(), role


def _check(**values: str) -> dict[str, str]:
    data = {
        "hpht": (_today() - dt.timedelta(weeks=12)).isoformat(),
        "lila_cm": "24,5",
        "hb_g_dl": "11,5",
        "iron_tablets_taken": "30",
        "anc_visits": "2",
    }
    data.update(values)
    return data


def test_pregnancy_form_refuses_impossible_values_keeps_them_and_stores_nothing(world, client_for):
    client = client_for("kader")
    url = f"/ibu/{world.child_a.mother.pk}/hamil/"
    assert client.get(url).status_code == 200
    creates = AuditEvent.objects.filter(action=Action.CREATE).count()
    future = (_today() + dt.timedelta(days=3)).isoformat()
    bad = _check(hpht=future, lila_cm="5", hb_g_dl="25,5", iron_tablets_taken="500")
    response = client.post(url, bad)
    text = response.content.decode()
    assert response.status_code == 422
    assert "Data belum tersimpan" in text
    assert "HPHT belum terjadi" in text
    assert "LiLA 5 cm tidak mungkin" in text and "Hb 25,5 g/dL tidak mungkin" in text
    assert "Jumlah tablet tambah darah harus bilangan bulat 0 sampai 400" in text
    for typed in (future, "5", "25,5", "500", "2"):
        assert f'value="{typed}"' in text, typed
    response = client.post(url, _check(anc_visits="dua", lila_cm="23,1"))
    text = response.content.decode()
    assert response.status_code == 422
    assert "Jumlah kunjungan ANC harus bilangan bulat" in text
    assert 'value="dua"' in text and 'value="23,1"' in text
    response = client.post(url, _check(hpht=""))
    assert response.status_code == 422 and "Isi HPHT" in response.content.decode()
    assert not Pregnancy.objects.exists()
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == creates


def test_pregnancy_form_records_then_updates_through_the_services(world, client_for):
    client = client_for("kader")
    mother = world.child_a.mother
    url = f"/ibu/{mother.pk}/hamil/"
    response = client.post(url, _check(lila_cm="22,5"))
    assert response.status_code == 302 and response["Location"] == f"/ibu/{mother.pk}/"
    pregnancy = Pregnancy.objects.get()
    hpht = _today() - dt.timedelta(weeks=12)
    assert (pregnancy.mother, pregnancy.hpht) == (mother, hpht)
    assert pregnancy.due_date == hpht + dt.timedelta(days=280)
    assert pregnancy.is_kek and not pregnancy.is_anaemic
    assert (pregnancy.iron_tablets_taken, pregnancy.anc_visits) == (30, 2)
    assert pregnancy.created_by == world.users["kader"]
    event = AuditEvent.objects.filter(object_type="registry.pregnancy").get()
    assert (event.action, event.object_id) == (Action.CREATE, str(pregnancy.pk))
    assert "Pemeriksaan kehamilan tersimpan" in client.get(f"/ibu/{mother.pk}/").content.decode()

    # a recorded HPL (e.g. from ultrasound) is kept while HPHT stays the same
    Pregnancy.objects.filter(pk=pregnancy.pk).update(due_date=hpht + dt.timedelta(days=285))
    form = client.get(url).content.decode()
    assert 'value="22.5"' in form and 'value="30"' in form and "memperbarui" in form
    bad = client.post(url, _check(lila_cm="22.5", hb_g_dl="2"))
    assert bad.status_code == 422 and "Hb 2 g/dL tidak mungkin" in bad.content.decode()
    pregnancy.refresh_from_db()
    assert str(pregnancy.hb_g_dl) == "11.5" and pregnancy.anc_visits == 2
    response = client.post(url, _check(lila_cm="22.5", hb_g_dl="10,5", anc_visits="3"))
    assert response.status_code == 302
    pregnancy.refresh_from_db()
    assert Pregnancy.objects.count() == 1
    assert pregnancy.due_date == hpht + dt.timedelta(days=285)
    assert pregnancy.is_anaemic and pregnancy.anc_visits == 3
    event = AuditEvent.objects.filter(object_type="registry.pregnancy").order_by("-id").first()
    assert event.action == Action.UPDATE
    assert event.changed_fields == ["anc_visits", "hb_g_dl"]


def test_pregnancy_form_needs_a_recording_role_and_the_scope(world, client_for):
    mother_a, mother_b = world.child_a.mother, world.child_b.mother
    for role in ("tpps", "kecamatan", "opd", "partner", "parent"):
        client = client_for(role)
        assert client.get(f"/ibu/{mother_a.pk}/hamil/").status_code == 403, role
        assert client.post(f"/ibu/{mother_a.pk}/hamil/", _check()).status_code == 403, role
    client = client_for("kader")
    response = client.post(f"/ibu/{mother_b.pk}/hamil/", _check())
    assert response.status_code == 404
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type) == (Action.DENIED, "registry.mother")
    assert event.object_id == str(mother_b.pk)
    assert not Pregnancy.objects.exists()
    assert client_for("tenaga_gizi").get(f"/ibu/{mother_a.pk}/hamil/").status_code == 200
    assert client_for("kelurahan").get(f"/ibu/{mother_a.pk}/hamil/").status_code == 200
