"""The contribution ledger through the services: pledge -> approval -> deliveries -> kader
verification -> the case shows it; every refusal leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from tests.partners.conftest import TODAY, Town
from tumbuh.audit.models import AuditEvent
from tumbuh.cases.models import CaseEvent, EventKind, Intervention, NeedStatus
from tumbuh.partners.models import Delivery, DeliveryStatus, Pledge, PledgeStatus
from tumbuh.partners.services import (
    TransitionError,
    delivery_record,
    delivery_verify,
    flag_missed_deliveries,
    pledge_approve,
    pledge_create,
    pledge_reject,
    pool_allocate,
)

pytestmark = pytest.mark.django_db


def _pledge(town: Town, need=None, **kw) -> Pledge:  # type: ignore[no-untyped-def]
    return pledge_create(
        actor=town.users["company"],
        partner=town.company,
        need=need or town.need_eggs,
        description="Telur 1 butir/hari",
        amount_rupiah=kw.pop("amount", 180000),
        **kw,
    )


def test_the_whole_loop_reaches_the_case(town: Town) -> None:
    pledge = _pledge(town)
    assert pledge.status == PledgeStatus.PENDING and pledge.period_months == 3
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    pledge.refresh_from_db()
    deliveries = list(pledge.deliveries.order_by("sequence"))
    assert [d.scheduled_on for d in deliveries] == [
        dt.date(2026, 11, 22),
        dt.date(2026, 12, 22),
        dt.date(2027, 1, 22),
    ]
    assert sum(d.amount_rupiah for d in deliveries) == 180000
    intervention = Intervention.objects.get(pk=pledge.intervention_id)
    assert intervention.owner == town.company and intervention.need == town.need_eggs
    town.need_eggs.refresh_from_db()
    assert town.need_eggs.status == NeedStatus.PLANNED
    for n in range(3):
        d = delivery_record(
            pledge=pledge,
            actor=town.users["company"],
            delivered_on=TODAY,
            quantity="30 butir",
            today=TODAY,
        )
        assert d.sequence == n + 1 and d.status == DeliveryStatus.RECORDED
        delivery_verify(
            delivery=d,
            actor=town.users["kader"],
            received=True,
            eaten=True,
            note="Diterima ibu, dimakan anak",
        )
    pledge.refresh_from_db()
    intervention.refresh_from_db()
    town.need_eggs.refresh_from_db()
    assert pledge.status == PledgeStatus.COMPLETED
    assert intervention.status == "delivered"
    assert town.need_eggs.status == NeedStatus.COVERED
    lines = list(CaseEvent.objects.filter(case=town.case_a, kind=EventKind.CONTRIBUTION))
    assert len(lines) == 4
    assert "PT Sehat Sentosa" in lines[-1].text and "dikonsumsi anak" in lines[-1].text


def test_a_need_is_pledged_once_service_and_database(town: Town) -> None:
    _pledge(town)
    with pytest.raises(ValidationError) as exc:
        pledge_create(
            actor=town.users["partner2"],
            partner=town.users["partner2"].membership.organisation,
            need=town.need_eggs,
            description="Telur",
            amount_rupiah=100,
        )
    assert "sudah dijanjikan" in str(exc.value.message_dict["need"])
    assert "Kebutuhan terbuka yang paling banyak" in str(exc.value.message_dict["need"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(
            partner=town.company,
            need=town.need_eggs,
            category=town.eggs,
            description="x",
            amount_rupiah=1,
        )
    assert Pledge.objects.filter(need=town.need_eggs).count() == 1


def test_aid_outside_the_assessed_needs_is_refused_with_a_suggestion(town: Town) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _pledge(town, need=town.need_immunisation)
    assert "ditangani puskesmas/OPD" in exc.value.message_dict["need"][0]
    with pytest.raises(ValidationError) as exc:
        _pledge(town, need=town.need_eggs, category=town.baas)
    assert "bukan kebutuhan yang dinilai" in exc.value.message_dict["category"][0]
    with pytest.raises(ValidationError) as exc:
        pledge_create(
            actor=town.users["company"],
            partner=town.company,
            category=town.immunisation,
            description="Vaksin",
            amount_rupiah=10,
        )
    message = exc.value.message_dict["category"][0]
    assert "tidak sembarangan" in message and "Telur satu butir sehari" in message
    assert not Pledge.objects.exists() and AuditEvent.objects.count() == before


def test_a_delivery_verified_by_the_partner_itself_is_refused(town: Town) -> None:
    pledge = _pledge(town)
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    d = delivery_record(
        pledge=pledge,
        actor=town.users["company"],
        delivered_on=TODAY,
        quantity="30 butir",
        today=TODAY,
    )
    for who in ("company", "patron", "partner2"):
        with pytest.raises(PermissionDenied) as exc:
            delivery_verify(delivery=d, actor=town.users[who], received=True, note="ok")
        assert "tidak dapat memverifikasi" in str(exc.value)
    with pytest.raises(PermissionDenied):  # a kader of another posyandu does not see the child
        delivery_verify(delivery=d, actor=town.users["kader_b"], received=True, note="ok")
    d.refresh_from_db()
    assert d.status == DeliveryStatus.RECORDED and d.verified_by is None
    assert not CaseEvent.objects.filter(case=town.case_a, text__contains="diterima").exists()


def test_steps_out_of_order_are_transition_errors(town: Town) -> None:
    pledge = _pledge(town)
    with pytest.raises(TransitionError):
        delivery_record(
            pledge=pledge,
            actor=town.users["company"],
            delivered_on=TODAY,
            quantity="1",
            today=TODAY,
        )
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    with pytest.raises(TransitionError):
        pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    scheduled = pledge.deliveries.first()
    assert scheduled is not None
    with pytest.raises(TransitionError):
        delivery_verify(delivery=scheduled, actor=town.users["kader"], received=True, note="x")


def test_only_tpps_of_the_area_decides(town: Town) -> None:
    pledge = _pledge(town)
    for who in ("company", "kader", "kelurahan", "tpps_far"):
        with pytest.raises(PermissionDenied):
            pledge_approve(pledge=pledge, actor=town.users[who], today=TODAY)
    with pytest.raises(ValidationError):
        pledge_reject(pledge=pledge, actor=town.users["tpps"], reason=" ")
    pledge_reject(pledge=pledge, actor=town.users["tpps"], reason="Sudah dibantu Dinsos")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REJECTED
    assert not Delivery.objects.exists()
    _pledge(town)  # a rejected pledge frees the need


def test_pool_is_allocated_by_tpps_to_needs_of_its_kind(town: Town) -> None:
    pool = pledge_create(
        actor=town.users["company"],
        partner=town.company,
        category=town.eggs,
        description="Telur untuk 2 anak",
        amount_rupiah=360000,
        period_months=3,
    )
    assert pool.is_pool
    pledge_approve(pledge=pool, actor=town.users["tpps"], today=TODAY)
    with pytest.raises(ValidationError):
        pool_allocate(pool=pool, need=town.need_baas, amount_rupiah=1000, actor=town.users["tpps"])
    with pytest.raises(ValidationError):
        pool_allocate(
            pool=pool, need=town.need_eggs, amount_rupiah=999999, actor=town.users["tpps"]
        )
    one = pool_allocate(
        pool=pool, need=town.need_eggs, amount_rupiah=180000, actor=town.users["tpps"], today=TODAY
    )
    two = pool_allocate(
        pool=pool, need=town.need_b, amount_rupiah=180000, actor=town.users["tpps"], today=TODAY
    )
    assert one.deliveries.count() == 3 and two.intervention is not None
    with pytest.raises(PermissionDenied):  # the other city's need is not TPPS Bogor's
        pool_allocate(pool=pool, need=town.need_far, amount_rupiah=1, actor=town.users["tpps"])


def test_missed_deliveries_are_flagged_once(town: Town) -> None:
    pledge = _pledge(town)
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    assert flag_missed_deliveries(today=dt.date(2026, 11, 29)) == 0  # 7 days after: not yet
    assert flag_missed_deliveries(today=dt.date(2026, 11, 30)) == 1
    assert flag_missed_deliveries(today=dt.date(2026, 11, 30)) == 0
    first = pledge.deliveries.get(sequence=1)
    assert first.status == DeliveryStatus.MISSED
    late = delivery_record(
        pledge=pledge,
        actor=town.users["company"],
        delivered_on=dt.date(2026, 12, 1),
        quantity="30 butir",
        today=dt.date(2026, 12, 1),
    )
    assert late.pk == first.pk and late.status == DeliveryStatus.RECORDED


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 35.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_evidence_photo_loses_its_exif(town: Town) -> None:
    raw = _jpeg_with_gps()
    assert b"KameraUji" in raw
    pledge = _pledge(town)
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    d = delivery_record(
        pledge=pledge,
        actor=town.users["company"],
        delivered_on=TODAY,
        quantity="30 butir",
        today=TODAY,
    )
    upload = SimpleUploadedFile("bukti.jpg", raw, content_type="image/jpeg")
    delivery_verify(delivery=d, actor=town.users["tenaga_gizi"], received=True, photo=upload)
    d.refresh_from_db()
    with d.evidence_photo.open("rb") as f:
        stored = f.read()
    assert stored[:2] == b"\xff\xd8" and b"KameraUji" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


def test_a_file_that_is_no_photo_is_refused(town: Town) -> None:
    pledge = _pledge(town)
    pledge_approve(pledge=pledge, actor=town.users["tpps"], today=TODAY)
    d = delivery_record(
        pledge=pledge,
        actor=town.users["company"],
        delivered_on=TODAY,
        quantity="30 butir",
        today=TODAY,
    )
    with pytest.raises(ValidationError) as exc:
        delivery_verify(
            delivery=d,
            actor=town.users["kader"],
            received=True,
            photo=SimpleUploadedFile("x.jpg", b"not an image"),
        )
    assert "bukan foto" in exc.value.message_dict["photo"][0]
    d.refresh_from_db()
    assert d.status == DeliveryStatus.RECORDED


def test_a_pledge_for_another_citys_child_is_refused_by_the_service(town: Town) -> None:
    with pytest.raises(PermissionDenied) as exc:
        _pledge(town, need=town.need_far)
    assert "bukan di wilayah" in str(exc.value)
    with pytest.raises(PermissionDenied):  # a partner of no organisation pledges nothing
        pledge_create(
            actor=town.users["partner_no_org"],
            partner=town.company,
            need=town.need_eggs,
            description="Telur",
            amount_rupiah=1,
        )
    assert not Pledge.objects.exists()
