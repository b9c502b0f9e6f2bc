"""Finding 1 of issue 11: a kader who types the KK number of a family, or the NIK of a
mother, living in another kecamatan must not gain sight of that family or mother through the
link. The link goes to an officer who may see both; the kader is told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from importing import csv_bytes, row, run

from tumbuh.audit.models import AuditEvent
from tumbuh.registry.models import Child, LinkKind, LinkRequest, LinkStatus
from tumbuh.registry.selectors import (
    children_visible_to,
    families_visible_to,
    link_requests_visible_to,
    mothers_visible_to,
)
from tumbuh.registry.services import child_register
from tumbuh.registry.services.links import link_request_decide

TODAY = dt.date(2026, 11, 15)
KK_B = "3271011203200009"
NIK_MOTHER_B = "3271014505900003"  # Bogor Selatan, woman born 05-05-1990


@pytest.fixture
def far(world):  # type: ignore[no-untyped-def]
    """child_b's family (Batu Tulis, Bogor Selatan) with a KK number and its mother's NIK."""
    family = world.child_b.person.family
    family.kk_number = KK_B
    family.phone = "081299990000"
    family.save()
    mother = world.child_b.mother
    mother.person.nik = NIK_MOTHER_B
    mother.person.save()
    assert not families_visible_to(world.users["kader"]).filter(pk=family.pk).exists()
    return family, mother


def _register(world, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "actor": world.users["kader"],
        "name": "Raka Pratama",
        "sex": 1,
        "birth_date": dt.date(2025, 6, 1),
        "kelurahan": world.kel_a,
        "posyandu": world.pos_a,
        "mother_name": "Nur Aini",
        "consent_given_by": "Nur Aini",
        "consent_relationship": "Ibu",
        "today": TODAY,
    }
    values.update(kwargs)
    return child_register(**values)


def test_kk_of_a_family_elsewhere_does_not_link_and_queues_a_request(world, far):
    family, mother = far
    kader = world.users["kader"]
    child = _register(world, kk_number=KK_B)
    assert child.person.family_id != family.pk
    assert not families_visible_to(kader).filter(pk=family.pk).exists()
    assert not mothers_visible_to(kader).filter(pk=mother.pk).exists()
    link = LinkRequest.objects.get(child=child)
    assert link.kind == LinkKind.FAMILY and link.family_id == family.pk
    assert link.region == world.kota  # Bogor Tengah + Bogor Selatan: the kota decides
    assert AuditEvent.objects.filter(object_type="registry.linkrequest").exists()


def test_nik_of_a_mother_elsewhere_does_not_link(world, far):
    _family, mother = far
    kader = world.users["kader"]
    child = _register(world, mother_nik=NIK_MOTHER_B)
    assert child.mother_id != mother.pk
    assert child.mother.person.nik is None  # the NIK stays with the registered mother
    assert not mothers_visible_to(kader).filter(pk=mother.pk).exists()
    link = LinkRequest.objects.get(child=child)
    assert link.kind == LinkKind.MOTHER and link.mother_id == mother.pk


def test_officer_who_sees_both_links_and_kader_cannot(world, far):
    family, _mother = far
    child = _register(world, kk_number=KK_B)
    link = LinkRequest.objects.get(child=child)
    assert not link_requests_visible_to(world.users["kader"]).exists()
    assert not link_requests_visible_to(world.users["kecamatan"]).exists()  # sees one side
    assert link_requests_visible_to(world.users["tpps"]).filter(pk=link.pk).exists()
    with pytest.raises(PermissionDenied):
        link_request_decide(actor=world.users["kecamatan"], link=link, accept=True)
    link_request_decide(actor=world.users["tpps"], link=link, accept=True)
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    assert Child.objects.get(pk=child.pk).person.family_id == family.pk


def test_a_family_in_the_actors_area_still_links(world):
    family = world.child_a.person.family
    family.kk_number = "3271031203200007"
    family.save()
    child = _register(world, kk_number="3271031203200007")
    assert child.person.family_id == family.pk
    assert not LinkRequest.objects.exists()


def test_register_page_tells_the_kader(world, far, client_for):
    response = client_for("kader").post(
        "/anak/daftar/",
        {
            "name": "Raka Pratama",
            "sex": "1",
            "birth_date": "2025-06-01",
            "kk_number": KK_B,
            "mother_name": "Nur Aini",
            "kelurahan": world.kel_a.pk,
            "posyandu": world.pos_a.pk,
            "consent_given_by": "Nur Aini",
            "consent_relationship": "Ibu",
            "consent_method": "written",
            "consent": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "di luar wilayah Anda" in text
    assert "081299990000" not in text


def test_import_with_a_kk_and_mother_nik_elsewhere_does_not_link(world, far):
    family, mother = far
    kader = world.users["kader"]
    job = run(csv_bytes([row(**{"No. KK": KK_B, "NIK Ortu": NIK_MOTHER_B, "NIK": ""})]), kader)
    assert job.status == "done", (job.message, job.error_report)
    child = Child.objects.exclude(pk__in=[c.pk for c in world.children.values()]).get()
    assert child.person.family_id != family.pk
    assert child.mother_id != mother.pk
    assert children_visible_to(kader).filter(pk=child.pk).exists()
    assert not mothers_visible_to(kader).filter(pk=mother.pk).exists()
    assert not families_visible_to(kader).filter(pk=family.pk).exists()
    kinds = set(LinkRequest.objects.filter(child=child).values_list("kind", flat=True))
    assert kinds == {LinkKind.FAMILY, LinkKind.MOTHER}
    assert "di luar wilayah Anda" in job.message  # the kader is told


def test_officer_queue_page_links_and_kader_cannot_decide(world, far, client_for):
    family, _mother = far
    child = _register(world, kk_number=KK_B)
    link = LinkRequest.objects.get(child=child)
    assert client_for("kader").post(f"/anak/tautan/{link.pk}/tautkan/").status_code == 404
    assert client_for("kecamatan").post(f"/anak/tautan/{link.pk}/tautkan/").status_code == 404
    kader_page = client_for("kader").get("/anak/tautan/").content.decode()
    assert KK_B[-4:] not in kader_page and "Raka Pratama" not in kader_page
    officer = client_for("tpps")
    page = officer.get("/anak/tautan/").content.decode()
    assert "Raka Pratama" in page and KK_B not in page  # KK masked
    assert officer.post(f"/anak/tautan/{link.pk}/tautkan/").status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    assert Child.objects.get(pk=child.pk).person.family_id == family.pk
