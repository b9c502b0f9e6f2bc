"""Issue 10: a worrying growth check becomes a kader visit, end to end on WhatsApp and the
web: chat -> consent -> lead in the kader's list -> measured at the posyandu -> lead closed
with the child; refused without consent; scoped and audited; nothing from the registry is
told to the person chatting."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.messaging.conftest import (
    PARENT_PHONE,
    logged_in,
    post_whatsapp,
    sent_texts,
    whatsapp_text,
)
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.chatbot.interfaces import LeadRequest
from tumbuh.messaging.leads import (
    DatabaseLeadSink,
    birth_window,
    canonical_phone,
    lead_set_status,
)
from tumbuh.messaging.models import ChatConsent, LeadStatus, VisitLead
from tumbuh.messaging.selectors import leads_visible_to
from tumbuh.messaging.webchat import web_chat

pytestmark = pytest.mark.django_db

#: A boy of 20 months, 74 cm: severely stunted by the growth engine (the check offers a visit).
WORRYING = "anak laki2 umur 20 bln tingginya 74 cm"


_WAMIDS = itertools.count(1)


def whatsapp(client, sender: str, *texts: str) -> list[str]:  # type: ignore[no-untyped-def]
    before = len(sent_texts("whatsapp"))
    for text in texts:
        wamid = f"wamid.{sender}.{next(_WAMIDS)}"
        post_whatsapp(client, whatsapp_text(text, sender=sender, wamid=wamid))
    return sent_texts("whatsapp")[before:]


def web(*texts: str, conversation: str = "lead-web-1") -> list[str]:
    return [web_chat(conversation=conversation, text=t, ip="10.0.0.1").reply for t in texts]


def test_whatsapp_lead_with_consent_uses_the_sender_number(client, town) -> None:  # type: ignore[no-untyped-def]
    replies = whatsapp(client, "6281377770001", WORRYING, "ya", "Sempur")
    assert "kader posyandu" in replies[0] and "YA atau TIDAK" in replies[0]
    lead = VisitLead.objects.get()
    assert lead.phone == "6281377770001" and lead.kelurahan == town.sempur
    assert lead.status == LeadStatus.NEW and lead.channel == "whatsapp"
    assert lead.categories == {"tbu": "severely_stunted"} and lead.lenhei_cm == 74.0
    assert lead.consent.granted and lead.consent.purpose == "visit_lead"
    assert lead.child is None  # nobody with this number in the registry
    assert lead.reference in replies[-1] and "Sempur" in replies[-1]
    assert AuditEvent.objects.filter(
        object_type="messaging.visitlead", object_id=str(lead.pk), action=Action.CREATE
    ).exists()


def test_no_lead_without_consent(client, town) -> None:  # type: ignore[no-untyped-def]
    replies = whatsapp(client, "6281377770002", WORRYING, "tidak")
    assert not VisitLead.objects.exists()
    assert "tidak ada yang diteruskan" in replies[-1]
    refusal = ChatConsent.objects.get(purpose="visit_lead")
    assert refusal.granted is False


def test_the_sink_refuses_a_lead_without_a_recorded_yes(town) -> None:  # type: ignore[no-untyped-def]
    lead = LeadRequest(
        conversation_id="wa:6281377770003",
        channel="whatsapp",
        phone="6281377770003",
        kelurahan="Sempur",
        reason="stunted",
    )
    assert DatabaseLeadSink().submit(lead) == ""
    ChatConsent.objects.create(
        subject="conversation:whatsapp:wa:6281377770003",
        purpose="visit_lead",
        granted=False,
        channel="whatsapp",
    )
    assert DatabaseLeadSink().submit(lead) == ""
    forged = dataclasses.replace(lead, consent_subject="conversation:web:other")
    assert DatabaseLeadSink().submit(forged) == ""
    assert not VisitLead.objects.exists()


def test_web_lead_matches_the_known_child_and_tells_the_chat_nothing(town) -> None:  # type: ignore[no-untyped-def]
    replies = web(WORRYING, "ya", PARENT_PHONE, "kelurahan Sempur")
    lead = VisitLead.objects.get()
    assert lead.child == town.adit  # same phone, birth date fits "20 bulan": not entered twice
    assert lead.channel == "web" and canonical_phone(lead.phone) == canonical_phone(PARENT_PHONE)
    joined = "\n".join(replies)
    assert "Adit" not in joined and "Mawar" not in joined and "terdaftar" not in joined


def test_the_kaders_list_is_scoped_and_another_areas_lead_is_404_and_audited(client, town) -> None:  # type: ignore[no-untyped-def]
    whatsapp(client, "6281377770004", WORRYING, "ya", "Sempur")
    lead = VisitLead.objects.get()
    users = town.users
    assert list(leads_visible_to(users["kader_a"])) == [lead]
    assert list(leads_visible_to(users["gizi_a"])) == [lead]
    assert list(leads_visible_to(users["tpps"])) == [lead]
    for name in ("kader_b", "kelurahan_b", "opd", "partner"):
        assert not leads_visible_to(users[name]).exists(), name
    page = logged_in(users["kader_a"]).get("/kunjungan-chat/")
    assert page.status_code == 200 and lead.reference in page.content.decode()
    detail = logged_in(users["kader_a"]).get(f"/kunjungan-chat/{lead.pk}/")
    assert detail.status_code == 200 and "6281377770004" in detail.content.decode()
    other = logged_in(users["kader_b"]).get(f"/kunjungan-chat/{lead.pk}/")
    assert other.status_code == 404
    assert AuditEvent.objects.filter(
        object_type="messaging.visitlead", object_id=str(lead.pk), action=Action.DENIED
    ).exists()
    assert logged_in(users["opd"]).get("/kunjungan-chat/").status_code == 403
    # A kelurahan officer of the area would not visit: the number is masked for them.
    users["kelurahan_b"].region = town.sempur
    users["kelurahan_b"].save()
    masked = logged_in(users["kelurahan_b"]).get(f"/kunjungan-chat/{lead.pk}/").content.decode()
    assert "6281377770004" not in masked and "6281*******04" in masked


def test_status_changes_are_checked_and_audited(client, town) -> None:  # type: ignore[no-untyped-def]
    whatsapp(client, "6281377770005", WORRYING, "ya", "Sempur")
    lead = VisitLead.objects.get()
    kader = town.users["kader_a"]
    done = lead_set_status(actor=kader, lead_id=lead.pk, status="contacted", note="ditelepon")
    assert done.status == LeadStatus.CONTACTED and done.handled_by == kader and done.note
    with pytest.raises(ValidationError) as err:
        lead_set_status(actor=kader, lead_id=lead.pk, status="new")
    assert "tidak bisa diubah" in str(err.value)
    with pytest.raises(PermissionDenied):
        lead_set_status(actor=town.users["kader_b"], lead_id=lead.pk, status="not_found")
    with pytest.raises(PermissionDenied):
        lead_set_status(actor=town.users["opd"], lead_id=lead.pk, status="not_found")
    response = logged_in(kader).post(
        f"/kunjungan-chat/{lead.pk}/status/", {"status": "not_found", "note": ""}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NOT_FOUND and lead.closed_at is not None
    assert (
        AuditEvent.objects.filter(
            object_type="messaging.visitlead", object_id=str(lead.pk), action=Action.UPDATE
        ).count()
        == 2
    )


def test_measured_at_the_posyandu_closes_the_lead_with_the_child(town) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.registry.services import measurement_record

    web(WORRYING, "ya", PARENT_PHONE, "Sempur", conversation="lead-web-2")
    lead = VisitLead.objects.get()
    assert lead.child == town.adit and lead.is_open
    today = timezone.localdate()
    result = measurement_record(
        actor=town.users["kader_a"],
        child=town.adit,
        measured_on=today,
        weight_kg="9.6",
        length_cm="77.9",
        position="l",
        posyandu=town.mawar,
        today=today,
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.MEASURED and not lead.is_open
    assert lead.child == town.adit and lead.measurement == result.measurement
    assert lead.handled_by == town.users["kader_a"]


def test_a_child_registered_after_the_chat_closes_its_lead_by_phone_and_birth_date(
    client, town
) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.registry.services import child_register, measurement_record

    whatsapp(client, "6281377770006", WORRYING, "ya", "Sempur")
    lead = VisitLead.objects.get()
    today = timezone.localdate()
    child = child_register(
        actor=None,
        name="Raka Putra",
        sex=1,
        birth_date=today - dt.timedelta(days=20 * 30),
        mother_name="Rina",
        kelurahan=town.sempur,
        posyandu=town.mawar,
        phone="0813-7777-0006",
        consent_given_by="Ibu kandung",
        consent_relationship="Ibu",
        is_demo=True,
        today=today,
    )
    stranger = child_register(
        actor=None,
        name="Lain Anak",
        sex=1,
        birth_date=today - dt.timedelta(days=20 * 30),
        mother_name="Lain",
        kelurahan=town.sempur,
        phone="081300000000",
        consent_given_by="Ibu kandung",
        consent_relationship="Ibu",
        is_demo=True,
        today=today,
    )
    measurement_record(
        actor=None,
        child=stranger,
        measured_on=today,
        weight_kg="10",
        length_cm="80",
        position="l",
        today=today,
    )
    lead.refresh_from_db()
    assert lead.is_open  # another family's child does not close it
    measurement_record(
        actor=None,
        child=child,
        measured_on=today,
        weight_kg="9.0",
        length_cm="75",
        position="l",
        today=today,
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.MEASURED and lead.child == child


def test_phone_and_birth_window_rules() -> None:
    assert (
        canonical_phone("0812-3456 7890") == canonical_phone("+62 812 3456 7890") == "6281234567890"
    )
    today = dt.date(2026, 12, 4)
    early, late = birth_window(24, today)  # "2 tahun": 24 to 35 months old
    assert early <= today - dt.timedelta(days=35 * 30) and late >= today - dt.timedelta(
        days=24 * 30
    )
    early, late = birth_window(18, today)
    assert late - early <= dt.timedelta(days=91)


def test_withdrawing_consent_in_the_chat_withdraws_the_open_lead(client, town) -> None:  # type: ignore[no-untyped-def]
    whatsapp(client, "6281377770007", WORRYING, "ya", "Sempur")
    whatsapp(client, "6281377770007", "tarik persetujuan saya")
    lead = VisitLead.objects.get()
    assert lead.status == LeadStatus.WITHDRAWN and lead.phone == "" and lead.categories == {}
    assert (
        not lead.is_open
        and not leads_visible_to(town.users["kader_a"])
        .filter(status__in=["new", "contacted"])
        .exists()
    )


def test_asking_for_a_person_during_the_offer_is_not_taken_as_an_answer(client, town) -> None:  # type: ignore[no-untyped-def]
    replies = whatsapp(client, "6281377770008", WORRYING, "petugas")
    assert not VisitLead.objects.exists()
    assert 'Mohon balas "ya" atau "tidak"' not in replies[-1]  # not taken as a bad yes/no
    assert "petugas" in replies[-1].lower()  # the handoff flow answers instead
