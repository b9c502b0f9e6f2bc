"""The audit log is append-only (model, queryset and database), records views of a child's
page with who/when/where, and only administrators browse and export it."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action, AppendOnlyError, AuditEvent
from tumbuh.audit.services import audit_record


@pytest.fixture
def event(db):  # type: ignore[no-untyped-def]
    return audit_record(
        actor=None,
        action=Action.VIEW,
        object_type="registry.child",
        object_id=1,
        context=AuditContext(ip_address="10.0.0.1", user_agent="ua", path="/anak/1/"),
    )


def test_events_cannot_be_changed_or_deleted_through_the_orm(event):
    event.object_id = "2"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_id="3")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["object_id"])
    assert AuditEvent.objects.get(pk=event.pk).object_id == "1"


def test_the_database_refuses_updates(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = '9' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_id == "1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger on PostgreSQL only")
def test_postgresql_refuses_deletes(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_context_from_request_reads_ip_and_agent(rf, settings):
    request = rf.get("/anak/5/?x=1", HTTP_USER_AGENT="Mozilla/5.0", REMOTE_ADDR="192.0.2.7")
    context = AuditContext.from_request(request)
    assert (context.ip_address, context.user_agent, context.path) == (
        "192.0.2.7",
        "Mozilla/5.0",
        "/anak/5/?x=1",
    )
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.9, 10.0.0.1", REMOTE_ADDR="10.0.0.1")
    assert AuditContext.from_request(request).ip_address == "10.0.0.1"  # proxy not trusted
    settings.TUMBUH_TRUST_X_FORWARDED_FOR = True
    assert AuditContext.from_request(request).ip_address == "198.51.100.9"
    assert AuditContext.from_request(rf.get("/", REMOTE_ADDR="nonsense")).ip_address is None


def test_child_page_view_is_audited_with_who_when_where(world, client_for):
    response = client_for("kader").get(f"/anak/{world.child_a.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="registry.child").latest("id")
    assert event.actor == world.users["kader"]
    assert event.actor_username == "kader" and event.actor_role == "kader"
    assert event.object_id == str(world.child_a.pk)
    assert event.ip_address == "10.1.2.3" and event.user_agent == "pytest-agent/1.0"
    assert event.path == f"/anak/{world.child_a.pk}/"
    assert event.at is not None


def test_only_administrators_export_and_the_export_is_audited(world, client_for):
    audit_record(
        actor=world.users["kader"],
        action=Action.VIEW,
        object_type="registry.child",
        object_id=world.child_a.pk,
    )
    denied = client_for("tpps").get("/audit/ekspor.csv")
    assert denied.status_code == 403
    assert AuditEvent.objects.filter(action=Action.DENIED, object_type="audit.auditevent").exists()
    response = client_for("admin").get("/audit/ekspor.csv?action=view")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["id", "at", "actor_username", "actor_role", "action"]
    assert rows[1:] and all(r[4] == "view" for r in rows[1:])
    export = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert export.actor == world.users["admin"] and export.detail["filters"] == {"action": "view"}


def test_admin_lists_the_log_read_only(world, client_for):
    admin_client = client_for("admin")
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    event = AuditEvent.objects.first()
    page = admin_client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # nothing to save: view only
    assert admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403


def test_admin_opening_a_child_record_is_audited(world, client_for):
    response = client_for("admin").get(f"/admin/registry/child/{world.child_a.pk}/change/")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
    assert (event.object_type, event.object_id, event.detail) == (
        "registry.child",
        str(world.child_a.pk),
        {"via": "admin"},
    )


def test_sign_in_failed_sign_in_and_sign_out_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(HTTP_USER_AGENT="pytest-agent/1.0", REMOTE_ADDR="10.9.8.7")
    client.post("/akun/masuk/", {"username": "kader", "password": "salah-sekali"})
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).latest("id")
    assert failed.actor is None and failed.detail == {"username": "kader"}
    assert "salah-sekali" not in str(failed.detail)
    assert failed.ip_address == "10.9.8.7"
    client.post("/akun/masuk/", {"username": "kader", "password": "test-pass-123"})
    login = AuditEvent.objects.filter(action=Action.LOGIN).latest("id")
    assert login.actor_username == "kader" and login.user_agent == "pytest-agent/1.0"
    client.post("/akun/keluar/")
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor_username="kader").exists()
