"""The cases, tasks, catalogue and organisations API for every role: scope (404 and an
audit row out of scope, an OPD without a task for the case), order (409), bad values (422),
roles (403), and nothing half-written on an error."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cases.conftest import TODAY, weigh
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.cases.models import Case, CaseKind, CaseStatus, Intervention, Task

pytestmark = pytest.mark.django_db

VISIBLE = {
    "admin": {"a", "b"},
    "tpps": {"a", "b"},
    "kecamatan": {"a"},
    "kelurahan": {"a"},
    "tenaga_gizi": {"a"},
    "gizi_b": {"b"},
    "kader": {"a"},
    "opd": set(),
    "opd_other": set(),
    "partner": set(),
    "parent": set(),
    "tpps_no_area": set(),
}


@pytest.fixture
def two_cases(cw):  # type: ignore[no-untyped-def]
    weigh(cw.child_a, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    weigh(cw.child_b, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    a = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    b = Case.objects.get(child=cw.child_b, kind=CaseKind.STUNTING)
    return {"a": a, "b": b}


def post(client, url: str, body: dict):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _verified_assessed(api_for, case) -> None:  # type: ignore[no-untyped-def]
    gizi = api_for("tenaga_gizi")
    assert post(gizi, f"/api/v1/cases/{case.pk}/verify", {"confirmed": True}).status_code == 200
    r = post(gizi, f"/api/v1/cases/{case.pk}/needs", {"needs": ["protein_food"], "note": ""})
    assert r.status_code == 200, r.content


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_case_list_is_scoped_per_role(cw, api_for, two_cases, role):
    response = api_for(role).get("/api/v1/cases")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {two_cases[k].pk for k in VISIBLE[role]}
    for key, case in two_cases.items():
        detail = api_for(role).get(f"/api/v1/cases/{case.pk}")
        assert detail.status_code == (200 if key in VISIBLE[role] else 404)


def test_other_area_case_is_404_and_audited(cw, api_for, two_cases):
    b = two_cases["b"]
    response = api_for("kelurahan").get(f"/api/v1/cases/{b.pk}")
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(
        action=Action.DENIED,
        object_type="cases.case",
        object_id=str(b.pk),
        actor=cw.users["kelurahan"],
    )
    assert denied.count() == 1


def test_opd_sees_only_cases_of_its_tasks_without_clinical_lines(cw, api_for, two_cases):
    a = two_cases["a"]
    _verified_assessed(api_for, a)
    body = {"need": "protein_food", "owner": cw.dinkes.pk,
            "due_date": (TODAY + dt.timedelta(days=20)).isoformat(), "note": "telur"}  # fmt: skip
    created = post(api_for("tpps"), f"/api/v1/cases/{a.pk}/interventions", body)
    assert created.status_code == 201, created.content
    opd = api_for("opd")
    assert [i["id"] for i in opd.get("/api/v1/cases").json()["items"]] == [a.pk]
    detail = opd.get(f"/api/v1/cases/{a.pk}").json()
    kinds = {e["kind"] for e in detail["timeline"]}
    assert "intervention" in kinds and not kinds & {"measurement", "verified", "opened"}
    assert not any("SD" in e["text"] for e in detail["timeline"])  # no z-scores for an OPD
    assert api_for("opd_other").get(f"/api/v1/cases/{a.pk}").status_code == 404
    tasks = opd.get("/api/v1/tasks").json()["items"]
    assert [(t["case"], t["owner"], t["status"], t["overdue"]) for t in tasks] == [
        (a.pk, cw.dinkes.pk, "open", False)
    ]
    task_id = tasks[0]["id"]
    assert api_for("opd_other").get("/api/v1/tasks").json()["count"] == 0
    assert post(api_for("opd_other"), f"/api/v1/tasks/{task_id}/complete",
                {"note": "x"}).status_code == 404  # fmt: skip
    assert post(opd, f"/api/v1/tasks/{task_id}/complete", {"note": ""}).status_code == 422
    done = post(opd, f"/api/v1/tasks/{task_id}/complete", {"note": "Diantar."})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = post(opd, f"/api/v1/tasks/{task_id}/complete", {"note": "Lagi."})
    assert again.status_code == 409 and "Tugas" in again.json()["detail"]
    assert Intervention.objects.get(pk=created.json()["id"]).status == "delivered"


def test_out_of_order_is_409_and_writes_nothing(cw, api_for, two_cases):
    a = two_cases["a"]
    tpps = api_for("tpps")
    body = {"need": "protein_food", "owner": cw.dinkes.pk,
            "due_date": (TODAY + dt.timedelta(days=20)).isoformat()}  # fmt: skip
    r = post(tpps, f"/api/v1/cases/{a.pk}/interventions", body)
    assert r.status_code == 409 and "terduga" in r.json()["detail"]
    r = post(tpps, f"/api/v1/cases/{a.pk}/needs", {"needs": ["protein_food"]})
    assert r.status_code == 409
    gizi = api_for("tenaga_gizi")
    assert post(gizi, f"/api/v1/cases/{a.pk}/verify", {"confirmed": True}).status_code == 200
    assert post(gizi, f"/api/v1/cases/{a.pk}/verify", {"confirmed": True}).status_code == 409
    a.refresh_from_db()
    assert a.status == CaseStatus.VERIFIED and not Intervention.objects.exists()


def test_roles_that_may_not_get_403(cw, api_for, two_cases):
    a = two_cases["a"]
    for role in ("kader", "kelurahan", "kecamatan"):
        r = post(api_for(role), f"/api/v1/cases/{a.pk}/verify", {"confirmed": True})
        assert r.status_code == 403, role
    a.refresh_from_db()
    assert a.status == CaseStatus.SUSPECTED
    assert api_for("kader").get("/api/v1/cases").json()["items"][0]["allowed"] == []
    assert "verify" in api_for("tenaga_gizi").get("/api/v1/cases").json()["items"][0]["allowed"]


def test_bad_values_are_422_with_the_field(cw, api_for, two_cases):
    a = two_cases["a"]
    gizi, tpps = api_for("tenaga_gizi"), api_for("tpps")
    r = post(gizi, f"/api/v1/cases/{a.pk}/verify", {"confirmed": False, "note": ""})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "note"
    assert post(gizi, f"/api/v1/cases/{a.pk}/verify", {"confirmed": True}).status_code == 200
    r = post(gizi, f"/api/v1/cases/{a.pk}/needs", {"needs": []})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "needs"
    r = post(gizi, f"/api/v1/cases/{a.pk}/needs", {"needs": ["telur_emas"]})
    assert r.status_code == 422 and "telur_emas" in r.json()["detail"][0]["message"]
    assert post(gizi, f"/api/v1/cases/{a.pk}/needs", {"needs": ["pmt"]}).status_code == 200
    base = {"need": "pmt", "owner": cw.dinkes.pk,
            "due_date": (TODAY + dt.timedelta(days=20)).isoformat()}  # fmt: skip
    cases = [
        ({**base, "due_date": "2020-01-01"}, "due_date"),
        ({**base, "owner": 999999}, "owner"),
        ({**base, "need": "sanitation"}, "need"),
        ({**base, "due_date": "kemarin"}, "due_date"),
    ]
    for body, field in cases:
        r = post(tpps, f"/api/v1/cases/{a.pk}/interventions", body)
        assert r.status_code == 422, body
        assert r.json()["detail"][0]["field"] == field
    assert not Intervention.objects.exists() and not Task.objects.exists()
    assert post(tpps, f"/api/v1/cases/{a.pk}/interventions", base).status_code == 201
    twice = post(tpps, f"/api/v1/cases/{a.pk}/interventions", base)
    assert twice.status_code == 422 and "dua kali" in twice.json()["detail"][0]["message"]
    assert Task.objects.count() == 1
    r = post(gizi, f"/api/v1/cases/{a.pk}/close", {"outcome": "recovered"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "outcome"
    r = post(gizi, f"/api/v1/cases/{a.pk}/close", {"outcome": "sembuh"})
    assert r.status_code == 422
    r = post(gizi, f"/api/v1/cases/{a.pk}/close", {"outcome": "moved_away", "note": "Pindah."})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = post(gizi, f"/api/v1/cases/{a.pk}/reopen", {"reason": "Kembali ke Bogor."})
    assert r.status_code == 200 and r.json()["status"] == "verified"


def test_reject_as_measurement_error(cw, api_for, two_cases):
    a = two_cases["a"]
    r = post(api_for("tenaga_gizi"), f"/api/v1/cases/{a.pk}/verify",
             {"confirmed": False, "note": "Salah baca meteran, ukur ulang 84 cm."})  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["timeline"][-1]["kind"] == "rejected"


def test_task_reject_accept_progress(cw, api_for, two_cases):
    a = two_cases["a"]
    _verified_assessed(api_for, a)
    body = {"need": "protein_food", "owner": cw.dinkes.pk,
            "due_date": (TODAY + dt.timedelta(days=20)).isoformat()}  # fmt: skip
    task_id = post(api_for("tpps"), f"/api/v1/cases/{a.pk}/interventions", body).json()["task"]
    opd = api_for("opd")
    assert post(opd, f"/api/v1/tasks/{task_id}/progress", {"text": "x"}).status_code == 409
    assert post(opd, f"/api/v1/tasks/{task_id}/accept", {}).status_code == 200
    assert post(opd, f"/api/v1/tasks/{task_id}/progress", {"text": "Dibeli."}).status_code == 200
    assert post(opd, f"/api/v1/tasks/{task_id}/reject", {"reason": ""}).status_code == 422
    r = post(opd, f"/api/v1/tasks/{task_id}/reject", {"reason": "Bukan tugas Dinkes."})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    intervention = Intervention.objects.get(task__pk=task_id)
    assert intervention.status == "not_delivered" and intervention.need.status == "open"


def test_catalogue_and_organisations(cw, api_for):
    client = api_for("tpps")
    needs = client.get("/api/v1/catalogue/needs").json()
    codes = {n["code"]: n for n in needs}
    assert {"protein_food", "jkn_bpjs", "clean_water", "birth_certificate_kk"} <= set(codes)
    assert codes["protein_food"]["kind"] == "specific"
    assert codes["protein_food"]["unit_cost_min_rupiah"] == 450000
    assert codes["clean_water"]["kind"] == "sensitive"
    orgs = client.get("/api/v1/organisations").json()
    assert {(o["id"], o["kind"]) for o in orgs} >= {(cw.dinkes.pk, "opd")}
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}/verify", "/api/v1/tasks"} <= set(
        schema["paths"]
    )


VERIFY_STATUS = {
    "admin": 200, "tpps": 403, "kecamatan": 403, "kelurahan": 403, "tenaga_gizi": 200,
    "gizi_b": 404, "kader": 403, "opd": 404, "opd_other": 404, "partner": 404, "parent": 404,
    "tpps_no_area": 404,
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(VERIFY_STATUS))
def test_every_role_on_verify_and_tasks(cw, api_for, two_cases, role):
    a = two_cases["a"]
    r = post(api_for(role), f"/api/v1/cases/{a.pk}/verify", {"confirmed": True, "note": ""})
    assert r.status_code == VERIFY_STATUS[role], r.content
    a.refresh_from_db()
    assert a.status == (CaseStatus.VERIFIED if r.status_code == 200 else CaseStatus.SUSPECTED)
    tasks = api_for(role).get("/api/v1/tasks")
    assert tasks.status_code == 200 and tasks.json()["count"] == 0
    assert api_for(role).get("/api/v1/tasks?overdue=true").json()["items"] == []


@pytest.mark.parametrize("param", ["child", "posyandu", "owner"])
def test_an_id_filter_too_large_for_the_database_is_422(cw, api_for, two_cases, param):
    # Found by the schemathesis fuzz (make test-security): a 30-digit id gave a 500.
    huge = str(10**30)
    response = api_for("tpps").get("/api/v1/cases", {param: huge})
    assert response.status_code == 422, response.content
    assert api_for("tpps").get("/api/v1/cases", {param: "1"}).status_code == 200


def test_an_overflowing_number_anywhere_in_the_api_is_422_not_500(cw, api_for, monkeypatch):
    from tumbuh.cases import api as cases_api

    def overflow(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(cases_api, "_page", overflow)
    response = api_for("tpps").get("/api/v1/cases")
    assert response.status_code == 422
    assert "terlalu besar" in response.json()["detail"][0]["message"]
