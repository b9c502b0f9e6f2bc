"""Pages of the partners area for every role (leak matrix), the phone walk of a bapak asuh,
and the pseudonymisation guarantee: a partner never receives the child's name (unless the
family allowed it), NIK, address, exact birth date or the mother's name."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.partners.conftest import TODAY, Town
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.partners.models import PartnerApplication, Visit
from tumbuh.partners.services import (
    consent_withdraw,
    delivery_record,
    delivery_verify,
    patron_assign,
    pledge_approve,
    pledge_create,
)

pytestmark = pytest.mark.django_db

PARTNERS = {"company", "patron", "partner2"}
TPPS = {"admin", "tpps", "tpps_far"}
ALL = {
    "admin",
    "tpps",
    "tpps_far",
    "kecamatan",
    "kelurahan",
    "tenaga_gizi",
    "kader",
    "kader_b",
    "opd",
    "parent",
    "company",
    "patron",
    "partner2",
    "partner_no_org",
}

#: page -> the roles that get 200 (every other role: 403).
PAGES = {
    "/mitra/kebutuhan/": TPPS | PARTNERS | {"kecamatan", "kelurahan"},
    "/mitra/janji/": ALL,
    "/mitra/verifikasi/": {"kader", "kader_b", "tenaga_gizi"},
    "/mitra/anak-asuh/": PARTNERS,
    "/mitra/kontribusi/": PARTNERS,
    "/mitra/tpps/mitra/": TPPS | {"kecamatan", "kelurahan"},
    "/mitra/tpps/janji/": TPPS,
    "/mitra/tpps/kunjungan/": TPPS,
    "/mitra/tpps/anak-asuh/baru/": TPPS,
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_matrix(town: Town, client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    for role in sorted(ALL):
        status = client_for(role).get(path).status_code
        assert status == (200 if role in PAGES[path] else 403), (path, role, status)
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/akun/" in anonymous["Location"]


def test_public_pages_need_no_login(town: Town) -> None:
    assert Client().get("/mitra/daftar/").status_code == 200
    assert Client().get("/mitra/penghargaan/").status_code == 200


def test_the_child_page_is_the_patrons_alone(town: Town, client_for) -> None:  # type: ignore[no-untyped-def]
    path = f"/mitra/anak-asuh/{town.child_a.pk}/"
    for role in sorted(ALL):
        status = client_for(role).get(path).status_code
        expected = 200 if role == "patron" else 404 if role in PARTNERS else 403
        assert status == expected, (role, status)
    assert client_for("patron").get(f"/mitra/anak-asuh/{town.child_b.pk}/").status_code == 404
    denied = AuditEvent.objects.filter(action=Action.DENIED, object_type="registry.child")
    assert denied.filter(actor=town.users["patron"], object_id=str(town.child_b.pk)).exists()
    viewed = AuditEvent.objects.filter(action=Action.VIEW, object_type="registry.child")
    assert viewed.filter(actor=town.users["patron"], object_id=str(town.child_a.pk)).exists()


def test_a_bapak_asuh_logs_a_visit_from_the_phone_page(town: Town, client_for) -> None:  # type: ignore[no-untyped-def]
    patron = client_for("patron")
    page = patron.get("/mitra/anak-asuh/").content.decode()
    assert town.patronage.pseudonym in page and "terlewat" in page  # 30 days without a visit
    today = timezone.localdate()
    r = patron.post(
        f"/mitra/anak-asuh/{town.child_a.pk}/",
        {"visited_on": today.isoformat(), "child_seen": "1", "companions": "Kader", "note": "ok"},
    )
    assert r.status_code == 302
    assert Visit.objects.filter(patronage=town.patronage, visited_on=today).exists()
    page = patron.get(f"/mitra/anak-asuh/{town.child_a.pk}/").content.decode()
    assert "terjadwal" in page
    r = patron.post(f"/mitra/anak-asuh/{town.child_a.pk}/", {"visited_on": "", "child_seen": "0"})
    assert r.status_code == 200 and "field-error" in r.content.decode()
    assert Visit.objects.count() == 1


def test_signup_page_then_tpps_approves_on_its_page(town: Town, client_for) -> None:  # type: ignore[no-untyped-def]
    r = Client().post(
        "/mitra/daftar/",
        {
            "name": "PT Telur Makmur",
            "kind": "company",
            "contact_name": "Andi",
            "contact_email": "andi@example.test",
            "kelurahan": ["32.71.03.1006"],
            "username": "telur-makmur",
            "password": "Kata-sandi-kuat-77",
            "public_listing": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    application = PartnerApplication.objects.get(username="telur-makmur")
    tpps = client_for("tpps")
    assert "PT Telur Makmur" in tpps.get("/mitra/tpps/mitra/").content.decode()
    assert (
        client_for("tpps_far")
        .post(f"/mitra/tpps/pendaftaran/{application.pk}/approve/")
        .status_code
        == 404
    )
    r = tpps.post(f"/mitra/tpps/pendaftaran/{application.pk}/approve/")
    assert r.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved" and application.user is not None
    assert application.organisation.partner_profile.public_listing


def _secrets(town: Town) -> list[str]:
    person = town.child_a.person
    birth = person.birth_date
    assert birth is not None
    return [
        person.name,
        person.name.split()[0],
        person.nik or "x",
        "3271********",
        "Jl. Rahasia",
        birth.isoformat(),
        birth.strftime("%d-%m-%Y"),
        birth.strftime("%d/%m/%Y"),
        town.child_a.mother.person.name if town.child_a.mother else "x",
        "Ibu Siti",
    ]


def _walk(town: Town, client_for, api_for) -> None:  # type: ignore[no-untyped-def]
    """A need pledged, delivered and verified, so every list has the child in it."""
    pledge = pledge_create(
        actor=town.users["company"],
        partner=town.company,
        need=town.need_baas,
        description="Paket BAAS",
        amount_rupiah=450000,
    )
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    d = delivery_record(
        pledge=pledge,
        actor=town.users["company"],
        delivered_on=TODAY,
        quantity="1 paket",
        today=TODAY,
    )
    delivery_verify(delivery=d, actor=town.users["kader"], received=True, note="Diterima")


@pytest.mark.parametrize("role", sorted(PARTNERS))
def test_a_partner_cannot_re_identify_the_child(town: Town, client_for, api_for, role: str) -> None:  # type: ignore[no-untyped-def]
    _walk(town, client_for, api_for)
    web, api = client_for(role), api_for(role)
    bodies = [web.get(p).content.decode() for p in PAGES if role in PAGES[p]]
    bodies.append(web.get(f"/mitra/anak-asuh/{town.child_a.pk}/").content.decode())
    for pledge_id in [p["id"] for p in api.get("/api/v1/pledges").json()["items"]]:
        bodies.append(web.get(f"/mitra/janji/{pledge_id}/").content.decode())
    for path in (
        "/api/v1/needs?open=true",
        "/api/v1/needs?open=false",
        "/api/v1/pledges",
        "/api/v1/deliveries",
        "/api/v1/visits",
        "/api/v1/visits?due=true",
        "/api/v1/partners",
    ):
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        bodies.append(json.dumps(response.json(), ensure_ascii=False))
    text = "\n".join(bodies)
    for secret in _secrets(town):
        assert secret not in text, (role, secret)
    assert ("Sempur" in text) == (role in ("company", "patron", "partner2"))


def test_visibility_levels_and_withdrawal(town: Town, client_for) -> None:  # type: ignore[no-untyped-def]
    patron = client_for("patron")
    assert "Siti Rahmawati" not in patron.get("/mitra/anak-asuh/").content.decode()
    consent_withdraw(patronage=town.patronage, actor=town.users["tpps"], reason="ganti tingkat")
    assert patron.get(f"/mitra/anak-asuh/{town.child_a.pk}/").status_code == 404
    assert town.patronage.pseudonym not in patron.get("/mitra/anak-asuh/").content.decode()
    patron_assign(
        actor=town.users["tpps"],
        child=town.child_a,
        patron=town.users["patron"],
        visibility="name",
        consent_by_name="Ibu Siti",
        consent_relationship="ibu",
        consent_method="written",
        consent_on=TODAY,
        started_on=TODAY,
        today=timezone.localdate() if timezone.localdate() > TODAY else TODAY,
    )
    page = patron.get("/mitra/anak-asuh/").content.decode()
    assert "Siti Rahmawati" in page and "Jl. Rahasia" not in page and "3271034101250001" not in page


def test_certificate_is_a_pdf(town: Town, client_for, api_for) -> None:  # type: ignore[no-untyped-def]
    _walk(town, client_for, api_for)
    r = client_for("company").get(f"/mitra/kontribusi/piagam-{TODAY.year}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content[:5] == b"%PDF-"


def test_recognition_lists_only_opted_in_partners_in_aggregate(
    town: Town, client_for, api_for
) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.partners.models import PartnerProfile

    _walk(town, client_for, api_for)
    page = Client().get("/mitra/penghargaan/").content.decode()
    assert "PT Sehat Sentosa" not in page
    PartnerProfile.objects.create(organisation=town.company, public_listing=True)
    page = Client().get("/mitra/penghargaan/").content.decode()
    assert "PT Sehat Sentosa" in page and "Rp 150.000" in page
    for secret in [*_secrets(town), "Sempur"]:
        assert secret not in page


def test_visit_turns_overdue_then_missed_with_the_clock(town: Town) -> None:
    from tumbuh.partners.portal import patron_children

    user = town.users["patron"]
    start = town.patronage.started_on
    states = [
        patron_children(user, today=start + dt.timedelta(days=d), with_growth=False)[0].plan.state
        for d in (5, 13, 15, 29)
    ]
    assert [s.value for s in states] == ["scheduled", "due", "overdue", "missed"]


def test_consent_withdrawal_page(town: Town, client_for) -> None:  # type: ignore[no-untyped-def]
    path = f"/mitra/pengasuhan/{town.patronage.pk}/tarik-persetujuan/"
    assert client_for("patron").get(path).status_code == 403
    assert client_for("kader_b").get(path).status_code == 404  # not a child the kader sees
    kader = client_for("kader")
    assert kader.get(path).status_code == 200
    assert kader.post(path, {"reason": ""}).status_code == 200
    assert client_for("patron").get(f"/mitra/anak-asuh/{town.child_a.pk}/").status_code == 200
    assert kader.post(path, {"reason": "Ibu menarik persetujuan lewat kader"}).status_code == 302
    assert client_for("patron").get(f"/mitra/anak-asuh/{town.child_a.pk}/").status_code == 404
    assert kader.get(path).status_code == 404


LISTS = [
    "/api/v1/needs?open=true",
    "/api/v1/pledges",
    "/api/v1/deliveries",
    "/api/v1/visits",
    "/api/v1/visits?due=true",
]


@pytest.mark.parametrize("role", sorted(ALL))
def test_api_matrix(town: Town, client_for, api_for, role: str) -> None:  # type: ignore[no-untyped-def]
    _walk(town, client_for, api_for)
    api = api_for(role)
    counts = {path: api.get(path).json()["count"] for path in LISTS}
    if role in ("opd", "parent", "partner_no_org"):
        assert set(counts.values()) == {0}, (role, counts)
    elif role in ("tpps_far", "kader_b"):  # only their own area's open need
        assert counts.pop("/api/v1/needs?open=true") == 1
        assert set(counts.values()) == {0}, (role, counts)
    elif role in ("company", "admin", "tpps", "kecamatan", "kelurahan", "kader", "tenaga_gizi"):
        assert counts["/api/v1/pledges"] == 1 and counts["/api/v1/deliveries"] >= 1, (role, counts)
    partners = api.get("/api/v1/partners").status_code
    assert partners == (200 if role in TPPS | PARTNERS | {"kecamatan", "kelurahan"} else 403)
    visit = {"visited_on": timezone.localdate().isoformat(), "child_seen": True}
    r = api.post(
        f"/api/v1/children/{town.child_a.pk}/visits",
        json.dumps(visit),
        content_type="application/json",
    )
    assert r.status_code == (201 if role == "patron" else 404), (role, r.status_code)
