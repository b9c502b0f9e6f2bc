"""The prevention worklist through its scoped selector, the page /kasus/berisiko/ and
GET /api/v1/prevention: every role, the reasons shown, the audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from cases_helpers import monthly, stored_measurement
from django.test import Client
from django.utils import timezone

from tumbuh.api.services import token_create
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.cases.prevention import prevention_children, prevention_pregnancies
from tumbuh.registry.models import Pregnancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def risky(world):  # type: ignore[no-untyped-def]
    """child_a falling toward -2, child_a2 borderline with T, child_b born small, child_x
    already stunted (a case, not on the list); a KEK pregnancy for child_a's mother."""
    today = timezone.localdate()
    monthly(world.child_a, today - dt.timedelta(days=5), -1.2, -1.4, -1.6)
    monthly(world.child_a2, today - dt.timedelta(days=5), -1.4, -1.5, trend="T")
    b = world.child_b
    b.person.birth_date = today - dt.timedelta(days=200)
    b.person.save()
    b.birth_weight_kg = Decimal("2.30")
    b.save()
    stored_measurement(b, today - dt.timedelta(days=3), -0.2)
    monthly(world.child_x, today - dt.timedelta(days=5), -1.9, -2.3)
    Pregnancy.objects.create(
        mother=world.child_a.mother,
        hpht=today - dt.timedelta(weeks=30),
        lila_cm=Decimal("22.0"),
        is_kek=True,
        anc_visits=2,
        iron_tablets_taken=100,
    )
    return world


def listed(user, today):  # type: ignore[no-untyped-def]
    return {e.child_id: [h.code for h in e.hits] for e in prevention_children(user, today=today)}


def test_selector_lists_with_reasons_and_leaves_out_the_stunted(risky) -> None:  # type: ignore[no-untyped-def]
    w, today = risky, timezone.localdate()
    got = listed(w.users["tpps"], today)
    assert got == {
        w.child_a.pk: ["haz_falling"],
        w.child_a2.pk: ["haz_borderline_t"],
        w.child_b.pk: ["low_birth_weight"],
    }
    # most urgent first: falling (50) before borderline (40) before birth weight (30)
    order = [e.child_id for e in prevention_children(w.users["tpps"], today=today)]
    assert order == [w.child_a.pk, w.child_a2.pk, w.child_b.pk]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"child_a", "child_a2", "child_b"}),
        ("tpps", {"child_a", "child_a2", "child_b"}),
        ("kecamatan", {"child_a", "child_a2"}),
        ("kelurahan", {"child_a"}),
        ("tenaga_gizi", {"child_a"}),
        ("kader", {"child_a"}),
        ("opd", set()),
        ("partner", set()),
        ("parent", set()),
        ("tpps_no_area", set()),
        ("inactive_tpps", set()),
    ],
)
def test_every_role_sees_its_own_area(risky, role: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    w = risky
    names = {v.pk: k for k, v in w.children.items()}
    got = {names[pk] for pk in listed(w.users[role], timezone.localdate())}
    assert got == expected


def test_filters_by_rule_and_kelurahan(risky) -> None:  # type: ignore[no-untyped-def]
    w, today = risky, timezone.localdate()
    tpps = w.users["tpps"]
    only = prevention_children(tpps, today=today, rule="low_birth_weight")
    assert [e.child_id for e in only] == [w.child_b.pk]
    kel = prevention_children(tpps, today=today, kelurahan_id=w.kel_a2.pk)
    assert [e.child_id for e in kel] == [w.child_a2.pk]


def test_pregnancies_with_reasons(risky) -> None:  # type: ignore[no-untyped-def]
    w, today = risky, timezone.localdate()
    entries = prevention_pregnancies(w.users["kelurahan"], today=today)
    assert len(entries) == 1
    assert [h.code for h in entries[0].hits] == ["pregnancy_kek", "pregnancy_anc"]
    assert prevention_pregnancies(w.users["opd"], today=today) == []
    assert prevention_pregnancies(w.users["kecamatan"], today=today)  # same kecamatan
    assert prevention_pregnancies(w.users["tenaga_gizi"], today=today)


def test_page_shows_each_reason_and_is_audited(risky, client_for) -> None:  # type: ignore[no-untyped-def]
    w = risky
    response = client_for("tpps").get("/kasus/berisiko/")
    assert response.status_code == 200
    body = response.content.decode()
    assert w.child_a.person.name in body and w.child_x.person.name not in body
    assert "TB/U turun dari -1,20 ke -1,60 SD" in body
    assert "Berat lahir 2300 g" in body
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="registry.child").latest("pk")
    assert event.detail["prevention"] is True
    assert set(event.detail["ids"]) == {w.child_a.pk, w.child_a2.pk, w.child_b.pk}
    mothers = client_for("tpps").get("/kasus/berisiko/", {"subjek": "ibu"})
    assert "LiLA 22,0 cm" in mothers.content.decode()


@pytest.mark.parametrize("role", ["opd", "partner", "parent"])
def test_page_refused_to_roles_without_the_list(risky, client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(role).get("/kasus/berisiko/").status_code == 403


def test_page_needs_login(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/kasus/berisiko/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.fixture
def api_for(world):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        user = world.users[name]
        _token, raw = token_create(actor=user, user=user, name="tes")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_USER_AGENT="api-test/1.0")

    return make


def test_api_is_paged_scoped_and_audited(risky, api_for) -> None:  # type: ignore[no-untyped-def]
    w = risky
    body = api_for("kecamatan").get("/api/v1/prevention", {"page_size": 1}).json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (2, 1, 1, 2)
    first = body["items"][0]
    assert first["id"] == first["child"] == w.child_a.pk
    assert first["reasons"][0]["code"] == "haz_falling"
    assert first["latest_zlen"] == pytest.approx(-1.6)
    second = api_for("kecamatan").get("/api/v1/prevention", {"page_size": 1, "page": 2}).json()
    assert second["items"][0]["id"] == w.child_a2.pk
    event = AuditEvent.objects.filter(object_type="registry.child").latest("pk")
    assert event.detail["api"] is True and event.detail["ids"] == [w.child_a2.pk]
    by_code = api_for("tpps").get("/api/v1/prevention", {"kelurahan": w.kel_a2.code}).json()
    assert [i["id"] for i in by_code["items"]] == [w.child_a2.pk]
    preg = api_for("tpps").get("/api/v1/prevention", {"subject": "pregnancy"}).json()
    assert preg["count"] == 1 and preg["items"][0]["subject"] == "pregnancy"
    assert {r["code"] for r in preg["items"][0]["reasons"]} == {"pregnancy_kek", "pregnancy_anc"}


def test_api_refuses_opd_and_lists_the_rules(risky, api_for) -> None:  # type: ignore[no-untyped-def]
    assert api_for("opd").get("/api/v1/prevention").status_code == 403
    rules = api_for("opd").get("/api/v1/prevention/rules").json()
    assert "haz_falling" in {r["code"] for r in rules}
    assert api_for("tpps").get("/api/v1/prevention", {"subject": "x"}).status_code == 422
    assert Client().get("/api/v1/prevention").status_code == 401


def test_a_scope_too_large_asks_for_a_kelurahan(risky, client_for, api_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.cases import prevention

    w, today = risky, timezone.localdate()
    with pytest.raises(prevention.ScopeTooLarge):
        prevention_children(w.users["tpps"], today=today, max_candidates=2)
    assert prevention_children(
        w.users["tpps"], today=today, kelurahan_id=w.kel_a.pk, max_candidates=2
    )
    monkeypatch.setattr(prevention, "MAX_CANDIDATES", 2)
    page = client_for("tpps").get("/kasus/berisiko/")
    assert page.status_code == 200 and "pilih satu kelurahan" in page.content.decode()
    r = api_for("tpps").get("/api/v1/prevention")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kelurahan"
    ok = api_for("tpps").get("/api/v1/prevention", {"kelurahan": w.kel_a.code})
    assert ok.status_code == 200 and ok.json()["count"] == 1


def test_openapi_documents_the_prevention_list(world) -> None:  # type: ignore[no-untyped-def]
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/prevention" in paths and "/api/v1/prevention/rules" in paths
    params = {p["name"] for p in paths["/api/v1/prevention"]["get"]["parameters"]}
    assert {"subject", "kelurahan", "rule", "page", "page_size"} <= params
