"""The /api/v1 JSON API: token auth, scoping for every role, audit, validation, OpenAPI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from tumbuh.api.models import ApiToken
from tumbuh.api.services import hash_token, token_create, token_revoke, token_user
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.registry.models import Measurement, Source
from tumbuh.registry.services import measurement_record

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def api_for(world):  # type: ignore[no-untyped-def]
    """A client that sends a fresh bearer token of one of the world's users."""

    def make(name: str) -> Client:
        user = world.users[name]
        _token, raw = token_create(actor=user, user=user, name="tes")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_USER_AGENT="api-test/1.0")

    return make


def _weigh(child, day: dt.date = dt.date(2026, 10, 1)) -> Measurement:  # type: ignore[no-untyped-def]
    return measurement_record(
        actor=None, child=child, measured_on=day, weight_kg="9.0", length_cm="76.0",
        position="l", today=TODAY,
    ).measurement  # fmt: skip


# -- auth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/children", "/api/v1/wilayah/tree", "/api/v1/wilayah/kelurahan",
             "/api/v1/children/1", "/api/v1/children/1/measurements"],
)  # fmt: skip
def test_no_token_is_401(world, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Token" in response.json()["detail"]


@pytest.mark.parametrize(
    "header", ["Bearer tmb_wrong", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "Bearer x" * 50]
)
def test_invalid_token_is_401(world, header: str) -> None:
    assert Client(HTTP_AUTHORIZATION=header).get("/api/v1/children").status_code == 401


def test_a_session_login_is_not_enough(client_for) -> None:
    assert client_for("admin").get("/api/v1/children").status_code == 401


def test_revoked_token_and_inactive_user_are_401(world) -> None:
    user = world.users["tpps"]
    token, raw = token_create(actor=user, user=user, name="skrip")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/children").status_code == 200
    token_revoke(actor=user, token=token)
    assert client.get("/api/v1/children").status_code == 401
    _t, raw2 = token_create(actor=user, user=user, name="skrip 2")
    user.is_active = False
    user.save()
    assert token_user(raw2) is None


def test_tokens_are_stored_hashed_and_audited(world) -> None:
    user = world.users["kader"]
    token, raw = token_create(actor=user, user=user, name="aplikasi posyandu")
    assert raw.startswith("tmb_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(raw) and raw not in stored.token_hash
    assert AuditEvent.objects.filter(object_type="api.apitoken", action=Action.CREATE).exists()


def test_only_owner_or_admin_manage_tokens(world) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(actor=world.users["kader"], user=world.users["tpps"], name="x y")
    token, _raw = token_create(actor=world.users["admin"], user=world.users["tpps"], name="ops")
    with pytest.raises(PermissionDenied):
        token_revoke(actor=world.users["kader"], token=token)
    token_revoke(actor=world.users["admin"], token=token)


def test_token_page_creates_shows_once_and_revokes(client_for, world) -> None:
    client = client_for("kader")
    page = client.post(reverse("api_tokens:list"), {"name": "HP kader"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=world.users["kader"])
    assert token.prefix in page.content.decode() and "tmb_" in page.content.decode()
    assert (
        "tmb_"
        not in client.get(reverse("api_tokens:list"))
        .content.decode()
        .split("<code>")[-1]
        .split("…")[0][10:]
    )
    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


# -- OpenAPI ------------------------------------------------------------------------------------


def test_openapi_document_lists_the_paths(world) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for path in (
        "/api/v1/wilayah/tree",
        "/api/v1/wilayah/kelurahan",
        "/api/v1/children",
        "/api/v1/children/{child_id}",
        "/api/v1/children/{child_id}/measurements",
    ):
        assert path in paths, paths
    assert "post" in document["paths"]["/api/v1/children/{child_id}/measurements"]
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


# -- wilayah ------------------------------------------------------------------------------------


def test_wilayah_tree_and_kelurahan(world, api_for) -> None:
    client = api_for("kecamatan")
    tree = client.get("/api/v1/wilayah/tree").json()
    assert [n["code"] for n in tree] == ["32.71"]
    kecamatan = {n["name"]: n for n in tree[0]["children"]}
    assert "Bogor Tengah" in kecamatan
    assert {k["name"] for k in kecamatan["Bogor Tengah"]["children"]} >= {"Sempur", "Babakan"}
    one = client.get("/api/v1/wilayah/tree", {"root": "32.71.03"}).json()
    assert one[0]["name"] == "Bogor Tengah" and one[0]["children"]
    listed = client.get("/api/v1/wilayah/kelurahan", {"kecamatan": "32.71.03"}).json()
    assert {k["kecamatan_name"] for k in listed} == {"Bogor Tengah"}
    assert any(k["code"] == "32.71.03.1006" for k in listed)
    assert client.get("/api/v1/wilayah/tree", {"root": "99"}).json() == []


# -- children: scope for every role -------------------------------------------------------------

VISIBLE = {
    "admin": {"child_a", "child_a2", "child_b", "child_x"},
    "tpps": {"child_a", "child_a2", "child_b", "child_x"},
    "kecamatan": {"child_a", "child_a2"},
    "kelurahan": {"child_a"},
    "tenaga_gizi": {"child_a", "child_x"},
    "kader": {"child_a", "child_x"},
    "partner": {"child_b"},
    "parent": {"child_a"},
    "opd": set(),
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_child_list_is_scoped_like_the_pages(world, api_for, role: str) -> None:
    response = api_for(role).get("/api/v1/children", {"page_size": 100})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    expected = {world.children[name].pk for name in VISIBLE[role]}
    assert ids == expected
    for name, child in world.children.items():
        status = api_for(role).get(f"/api/v1/children/{child.pk}").status_code
        assert status == (200 if name in VISIBLE[role] else 404), (role, name)


def test_outside_area_is_404_and_audited_as_denied(world, api_for) -> None:
    child = world.child_b
    response = api_for("kader").get(f"/api/v1/children/{child.pk}")
    assert response.status_code == 404
    event = AuditEvent.objects.filter(object_type="registry.child", object_id=str(child.pk)).get()
    assert event.action == Action.DENIED and event.actor_username == "kader"
    assert event.user_agent == "api-test/1.0"
    assert api_for("kader").get("/api/v1/children/999999").status_code == 404
    assert api_for("kader").get(f"/api/v1/children/{child.pk}/measurements").status_code == 404


def test_child_list_masks_nik_paginates_searches_and_is_audited(world, api_for) -> None:
    from tumbuh.registry.models import Person

    Person.objects.filter(pk=world.child_a.person_id).update(nik="3271031003250001")
    client = api_for("tpps")
    page = client.get("/api/v1/children", {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["page"], page["pages"], len(page["items"])) == (4, 2, 2, 2)
    found = client.get("/api/v1/children", {"q": "3271031003250001"}).json()
    assert [i["id"] for i in found["items"]] == [world.child_a.pk]
    assert found["items"][0]["nik_masked"] == "3271********0001"
    assert "3271031003250001" not in json.dumps(found)
    by_kel = client.get("/api/v1/children", {"kelurahan": "32.71.01.1001"}).json()
    assert {i["id"] for i in by_kel["items"]} == {world.child_b.pk, world.child_x.pk}
    event = AuditEvent.objects.filter(action=Action.VIEW, actor_username="tpps").last()
    assert event.detail["list"] is True and event.detail["api"] is True


def test_partner_sees_initials_only(world, api_for) -> None:
    item = api_for("partner").get("/api/v1/children").json()["items"][0]
    assert item["pseudonymised"] is True
    assert item["nik_masked"] == "" and item["mother_name"] is None
    assert item["name"].endswith(".")


def test_child_detail_has_measurements_zscores_and_categories(world, api_for) -> None:
    _weigh(world.child_a)
    response = api_for("kelurahan").get(f"/api/v1/children/{world.child_a.pk}")
    assert response.status_code == 200
    body = response.json()
    (m,) = body["measurements"]
    stored = Measurement.objects.get(child=world.child_a)
    assert m["zscores"]["zlen"] == stored.zlen and m["zscores"]["zwei"] == stored.zwei
    assert m["categories"]["tbu"]["code"] == stored.category_tbu
    assert m["weight_kg"] == 9.0 and m["position"] == "l"
    assert body["latest_measurement"]["id"] == stored.pk
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="registry.child", object_id=str(world.child_a.pk)
    ).exists()
    listed = api_for("kelurahan").get(f"/api/v1/children/{world.child_a.pk}/measurements")
    assert [x["id"] for x in listed.json()] == [stored.pk]


# -- creating measurements -----------------------------------------------------------------------


def _post(client: Client, child_id: int, payload: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/children/{child_id}/measurements",
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_create_measurement_through_the_registry_service(world, api_for) -> None:
    payload = {"measured_on": "2026-11-01", "weight_kg": "9.2", "length_cm": 77.1, "position": "l"}
    response = _post(api_for("kader"), world.child_a.pk, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    stored = Measurement.objects.get(pk=body["measurement"]["id"])
    assert stored.source == Source.API and stored.measured_by.username == "kader"
    assert body["measurement"]["zscores"]["zlen"] == stored.zlen
    assert isinstance(body["warnings"], list)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="registry.measurement", object_id=str(stored.pk)
    ).exists()


def test_validation_errors_are_422_with_field_and_indonesian_message(world, api_for) -> None:
    client = api_for("kader")
    impossible = _post(client, world.child_a.pk, {"measured_on": "2026-11-01", "weight_kg": 900})
    assert impossible.status_code == 422
    detail = impossible.json()["detail"]
    assert detail[0]["field"] == "weight_kg" and "tidak mungkin" in detail[0]["message"]
    no_position = _post(client, world.child_a.pk, {"measured_on": "2026-11-01", "length_cm": 70})
    assert no_position.json()["detail"][0]["field"] == "position"
    bad_date = _post(client, world.child_a.pk, {"measured_on": "kemarin", "weight_kg": 9})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"] == [
        {"field": "measured_on", "message": "Tanggal tidak sah; tulis TTTT-BB-HH."}
    ]
    missing = _post(client, world.child_a.pk, {"weight_kg": 9})
    assert missing.json()["detail"] == [{"field": "measured_on", "message": "Wajib diisi."}]
    not_json = client.post(
        f"/api/v1/children/{world.child_a.pk}/measurements",
        data="{",
        content_type="application/json",
    )
    assert not_json.status_code in (400, 422)
    assert not Measurement.objects.filter(child=world.child_a).exists()


def test_create_outside_area_404_and_role_without_recording_403(world, api_for) -> None:
    payload = {"measured_on": "2026-11-01", "weight_kg": 9}
    assert _post(api_for("kader"), world.child_b.pk, payload).status_code == 404
    forbidden = _post(api_for("tpps"), world.child_a.pk, payload)
    assert forbidden.status_code == 403
    assert "Peran" in forbidden.json()["detail"]
    assert not Measurement.objects.exists()
