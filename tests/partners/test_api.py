"""The partners API per the ARCHITECTURE.md contract: the loop end to end over HTTP, and each
refusal with its status code and message, nothing half-written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.partners.conftest import Town
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.cases.models import CaseEvent, EventKind
from tumbuh.partners.models import Delivery, PartnerApplication, Pledge, Visit

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_loop_over_the_api(town: Town, api_for) -> None:  # type: ignore[no-untyped-def]
    company, tpps, kader = api_for("company"), api_for("tpps"), api_for("kader")
    needs = company.get("/api/v1/needs?open=true").json()
    assert {"count", "page", "page_size", "pages", "items"} <= set(needs)
    ids = {n["id"] for n in needs["items"]}
    assert town.need_eggs.pk in ids and town.need_far.pk not in ids
    assert town.need_immunisation.pk not in ids  # not something partners give
    r = _post(
        company,
        "/api/v1/pledges",
        {"need": town.need_eggs.pk, "description": "Telur 1 butir/hari", "amount_rupiah": 180000},
    )
    assert r.status_code == 201, r.content
    pledge = r.json()
    assert pledge["status"] == "pending" and pledge["partner"] == town.company.pk
    assert town.need_eggs.pk not in {
        n["id"] for n in company.get("/api/v1/needs?open=true").json()["items"]
    }
    r = _post(tpps, f"/api/v1/pledges/{pledge['id']}/approve")
    assert r.status_code == 200 and len(r.json()["deliveries"]) == 3
    assert _post(tpps, f"/api/v1/pledges/{pledge['id']}/approve").status_code == 409
    today = timezone.localdate().isoformat()
    r = _post(
        company,
        f"/api/v1/pledges/{pledge['id']}/deliveries",
        {"delivered_on": today, "quantity": "30 butir", "note": "lewat kader"},
    )
    assert r.status_code == 201
    delivery = r.json()
    r = _post(
        company, f"/api/v1/deliveries/{delivery['id']}/verify", {"received": True, "note": "x"}
    )
    assert r.status_code == 403 and "tidak dapat memverifikasi" in r.json()["detail"]
    r = _post(
        kader,
        f"/api/v1/deliveries/{delivery['id']}/verify",
        {"received": True, "eaten": True, "note": "Diterima ibu"},
    )
    assert r.status_code == 200 and r.json()["status"] == "verified"
    assert (
        _post(
            kader, f"/api/v1/deliveries/{delivery['id']}/verify", {"received": True, "note": "lagi"}
        ).status_code
        == 409
    )
    lines = CaseEvent.objects.filter(case=town.case_a, kind=EventKind.CONTRIBUTION)
    assert any("diterima keluarga" in e.text for e in lines)


def test_refusals_over_the_api(town: Town, api_for) -> None:  # type: ignore[no-untyped-def]
    company = api_for("company")
    before = (Pledge.objects.count(), Delivery.objects.count())
    r = _post(
        company,
        "/api/v1/pledges",
        {"need": town.need_far.pk, "description": "Telur", "amount_rupiah": 10},
    )
    assert r.status_code == 404  # another city's child
    assert AuditEvent.objects.filter(
        action=Action.DENIED, object_type="cases.caseneed", object_id=str(town.need_far.pk)
    ).exists()
    r = _post(
        company,
        "/api/v1/pledges",
        {"need": town.need_immunisation.pk, "description": "Vaksin", "amount_rupiah": 10},
    )
    assert r.status_code == 404  # not a need partners can see
    r = _post(
        company,
        "/api/v1/pledges",
        {"category": "uji-imunisasi", "description": "Vaksin", "amount_rupiah": 10},
    )
    assert r.status_code == 422
    assert "tidak sembarangan" in r.json()["detail"][0]["message"]
    r = _post(
        company,
        "/api/v1/pledges",
        {"need": town.need_eggs.pk, "description": "", "amount_rupiah": 0},
    )
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["detail"]} == {"description", "amount_rupiah"}
    assert (
        _post(
            company,
            "/api/v1/pledges",
            {"need": town.need_eggs.pk, "description": "Telur", "amount_rupiah": 1},
        ).status_code
        == 201
    )
    r = _post(
        api_for("partner2"),
        "/api/v1/pledges",
        {"need": town.need_eggs.pk, "description": "Telur", "amount_rupiah": 1},
    )
    assert r.status_code == 422 and "sudah dijanjikan" in r.json()["detail"][0]["message"]
    p = Pledge.objects.get()
    assert _post(company, f"/api/v1/pledges/{p.pk}/approve").status_code == 403
    assert _post(api_for("tpps_far"), f"/api/v1/pledges/{p.pk}/approve").status_code == 404
    assert (Pledge.objects.count(), Delivery.objects.count()) == (before[0] + 1, before[1])


def test_visits_over_the_api(town: Town, api_for) -> None:  # type: ignore[no-untyped-def]
    patron = api_for("patron")
    today = timezone.localdate()
    due = patron.get("/api/v1/visits?due=true").json()["items"]
    assert [d["child"] for d in due] == [town.child_a.pk]
    assert due[0]["state"] in ("overdue", "missed") and due[0]["child_label"].startswith(
        "Anak asuh"
    )
    r = _post(
        patron,
        f"/api/v1/children/{town.child_a.pk}/visits",
        {"visited_on": today.isoformat(), "child_seen": True, "note": "Sehat"},
    )
    assert r.status_code == 201 and r.json()["child"] == town.child_a.pk
    assert patron.get("/api/v1/visits?due=true").json()["items"] == []
    r = _post(
        patron,
        f"/api/v1/children/{town.child_b.pk}/visits",
        {"visited_on": today.isoformat(), "child_seen": True},
    )
    assert r.status_code == 404
    r = _post(
        patron,
        f"/api/v1/children/{town.child_a.pk}/visits",
        {"visited_on": (today + dt.timedelta(days=3)).isoformat(), "child_seen": True},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "visited_on"
    for who in ("company", "kader", "tpps"):
        r = _post(
            api_for(who),
            f"/api/v1/children/{town.child_a.pk}/visits",
            {"visited_on": today.isoformat(), "child_seen": True},
        )
        assert r.status_code == 404, who
    assert Visit.objects.count() == 1
    tpps_due = api_for("tpps").get("/api/v1/visits?due=true").json()
    assert tpps_due["count"] == 0 and tpps_due["items"] == []  # just visited
    logged = api_for("tpps").get("/api/v1/visits").json()
    assert [v["child"] for v in logged["items"]] == [town.child_a.pk]


def test_public_signup_then_tpps_approval(town: Town, api_for) -> None:  # type: ignore[no-untyped-def]
    body = {
        "name": "Yayasan Gizi Bogor",
        "kind": "community",
        "contact_name": "Rina",
        "contact_phone": "081234567890",
        "kelurahan": ["32.71.03.1006"],
        "username": "yayasan-gizi",
        "password": "Panjang-sekali-2026",
    }
    r = _post(Client(), "/api/v1/partners/signup", body)
    assert r.status_code == 201, r.content
    app_id = r.json()["application"]
    r = _post(Client(), "/api/v1/partners/signup", {**body, "kind": "opd", "kelurahan": ["x"]})
    assert r.status_code == 422
    assert {"kind", "kelurahan", "username"} <= {d["field"] for d in r.json()["detail"]}
    assert (
        _post(api_for("company"), f"/api/v1/partners/applications/{app_id}/approve").status_code
        == 403
    )
    r = _post(api_for("tpps"), f"/api/v1/partners/applications/{app_id}/approve")
    assert r.status_code == 200 and r.json()["status"] == "active"
    application = PartnerApplication.objects.get(pk=app_id)
    assert application.user is not None and application.user.check_password("Panjang-sekali-2026")
    assert application.password_hash == ""
    from django.http import HttpRequest

    # django-axes authenticates with the request (as the sign-in page does)
    assert Client().login(
        request=HttpRequest(), username="yayasan-gizi", password="Panjang-sekali-2026"
    )


def test_a_visit_links_the_kaders_measurement(town: Town, api_for) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.registry.services import measurement_record

    today = timezone.localdate()
    other = measurement_record(
        actor=None,
        child=town.child_b,
        measured_on=today,
        weight_kg="9.0",
        length_cm="76.0",
        position="l",
    ).measurement
    mine = measurement_record(
        actor=None,
        child=town.child_a,
        measured_on=today,
        weight_kg="9.0",
        length_cm="76.0",
        position="l",
    ).measurement
    patron = api_for("patron")
    path = f"/api/v1/children/{town.child_a.pk}/visits"
    r = _post(
        patron, path, {"visited_on": today.isoformat(), "child_seen": True, "measurement": other.pk}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "measurement"
    r = _post(
        patron, path, {"visited_on": today.isoformat(), "child_seen": True, "measurement": mine.pk}
    )
    assert r.status_code == 201 and r.json()["measurement"] == mine.pk


def test_patronage_assignment_and_withdrawal_over_the_api(town: Town, api_for) -> None:  # type: ignore[no-untyped-def]
    body = {
        "child": town.child_b.pk,
        "patron": "patron",
        "visibility": "name",
        "consent_by_name": "Ibu B",
        "consent_relationship": "ibu",
        "consent_method": "written",
        "consent_on": "2026-11-01",
        "started_on": "2026-11-02",
    }
    assert _post(api_for("kader"), "/api/v1/patronages", body).status_code == 403
    assert _post(api_for("tpps_far"), "/api/v1/patronages", body).status_code == 404
    r = _post(api_for("tpps"), "/api/v1/patronages", {**body, "consent_method": "telepati"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "consent_method"
    r = _post(api_for("tpps"), "/api/v1/patronages", body)
    assert r.status_code == 201 and r.json()["pseudonym"].startswith("Anak asuh")
    patronage_id = r.json()["id"]
    patron = api_for("patron")
    today = timezone.localdate().isoformat()
    visit = {"visited_on": today, "child_seen": True}
    assert _post(patron, f"/api/v1/children/{town.child_b.pk}/visits", visit).status_code == 201
    path = f"/api/v1/patronages/{patronage_id}/withdraw"
    assert _post(patron, path, {"reason": "x"}).status_code == 403
    assert _post(api_for("kader"), path, {"reason": "x"}).status_code == 404  # not its child
    r = _post(api_for("kader_b"), path, {"reason": "Ibu menarik persetujuan"})
    assert r.status_code == 200 and r.json()["consent_withdrawn"] is True
    visit["visited_on"] = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert _post(patron, f"/api/v1/children/{town.child_b.pk}/visits", visit).status_code == 404


def test_public_signup_is_rate_limited(town: Town) -> None:
    from django.core.cache import cache

    cache.clear()
    body = {
        "name": "Mitra",
        "kind": "community",
        "contact_name": "A",
        "contact_phone": "0812",
        "kelurahan": ["32.71.03.1006"],
        "password": "Panjang-sekali-2026",
    }
    statuses = [
        _post(Client(), "/api/v1/partners/signup", {**body, "username": f"mitra{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [201] * 5 + [422]
    r = _post(Client(), "/api/v1/partners/signup", {**body, "username": "mitra9"})
    assert "Terlalu banyak pendaftaran" in r.json()["detail"][0]["message"]
    assert PartnerApplication.objects.count() == 5
    cache.clear()
