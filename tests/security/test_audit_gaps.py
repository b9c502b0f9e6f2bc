"""Finding 8 of issue 11: every page that shows people's records writes an audit row (the
kader's /timbang/ list, the chat handoff queue, a refused handoff, the import job page, the
admin lists and searches), and the admin person and family pages show NIK and KK masked."""

from __future__ import annotations

from django.test import Client
from importing import csv_bytes, row, run

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.messaging.models import HandoffRequest

NIK = "3271035003250001"
KK = "3271031203200001"


def _events(**filters):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(**filters)


def test_weigh_list_is_audited(world, client_for):
    client_for("kader").get("/timbang/")
    event = _events(action=Action.VIEW, object_type="registry.child", path="/timbang/").get()
    assert event.detail["list"] is True
    assert world.child_a.pk in event.detail["ids"]


def _handoff(world, kelurahan):  # type: ignore[no-untyped-def]
    return HandoffRequest.objects.create(
        conversation_id=f"wa:62812{kelurahan.pk}", channel="whatsapp", kelurahan=kelurahan,
        reason="anak saya demam tinggi", transcript=[["user", "tolong", "2026-11-15"]],
    )  # fmt: skip


def test_handoff_queue_and_refusals_are_audited(world, client_for):
    mine = _handoff(world, world.kel_a)
    other = _handoff(world, world.kel_b)
    kader = client_for("kader")
    assert kader.get("/antrian-chat/").status_code == 200
    listed = _events(action=Action.VIEW, object_type="messaging.handoffrequest").get()
    assert listed.detail["ids"] == [mine.pk]
    assert kader.get(f"/antrian-chat/{other.pk}/").status_code in (403, 404)
    assert kader.post(f"/antrian-chat/{other.pk}/claim/").status_code in (403, 404)
    denied = _events(action=Action.DENIED, object_type="messaging.handoffrequest")
    assert denied.filter(object_id=str(other.pk)).count() == 2
    assert client_for("partner").get("/antrian-chat/").status_code == 403
    assert denied.filter(actor_username="partner").exists()


def test_import_job_page_is_audited(world):
    job = run(csv_bytes([row(**{"Berat (kg)": "abc"})]), world.users["kader"])
    client = Client()
    client.force_login(world.users["kader"])
    assert client.get(f"/impor/{job.pk}/").status_code == 200
    event = _events(action=Action.VIEW, object_type="imports.importjob").get()
    assert event.object_id == str(job.pk) and event.detail["errors_shown"] >= 1


def _admin(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_admin_lists_and_searches_are_audited_with_the_term_masked(world):
    admin = _admin(world)
    assert admin.get("/admin/registry/person/", {"q": NIK}).status_code == 200
    assert admin.get("/admin/registry/child/").status_code == 200
    events = _events(action=Action.VIEW, detail__via="admin", detail__list=True)
    assert {e.object_type for e in events} >= {"registry.person", "registry.child"}
    assert all(NIK not in e.path for e in events)


def test_admin_person_and_family_pages_mask_nik_and_kk(world):
    person = world.child_a.person
    person.nik = NIK
    person.save()
    family = person.family
    family.kk_number = KK
    family.save()
    admin = _admin(world)
    person_page = admin.get(f"/admin/registry/person/{person.pk}/change/").content.decode()
    family_page = admin.get(f"/admin/registry/family/{family.pk}/change/").content.decode()
    assert NIK not in person_page and person.nik_masked in person_page
    assert KK not in family_page and family.kk_masked in family_page
    listing = admin.get("/admin/registry/person/").content.decode()
    assert NIK not in listing
