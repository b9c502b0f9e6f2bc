"""Kader-visit leads from worrying chatbot growth checks (issue 10): store, list, work, close.

* :class:`DatabaseLeadSink` is the engine's :class:`~tumbuh.chatbot.interfaces.LeadSink`: it
  stores a lead only with a recorded consent (``ChatConsent``, purpose ``visit_lead``) for
  the conversation, in the kelurahan the parent named, and matches it against the registry
  by phone and birth date so a known child is not entered twice. Nothing it finds goes back
  to the chat.
* :func:`lead_open` and :func:`lead_set_status` are the kader's and officers' work on the
  list (scoped like the handoff queue, audited).
* :func:`close_leads_after_measurement` (a ``measurements_changed`` receiver) closes an open
  lead as "measured" when the child is measured at the posyandu.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object, audit_record, object_type_of
from tumbuh.chatbot import interfaces as bot
from tumbuh.messaging.models import (
    OPEN_LEAD_STATUSES,
    ChatConsent,
    LeadReason,
    LeadStatus,
    VisitLead,
)
from tumbuh.messaging.selectors import can_act, leads_visible_to
from tumbuh.messaging.store import kelurahan_named
from tumbuh.registry.models import Child, Measurement

__all__ = [
    "DatabaseLeadSink",
    "canonical_phone",
    "close_leads_after_measurement",
    "lead_open",
    "lead_set_status",
    "match_child",
    "withdraw_leads",
]

DAYS_PER_MONTH = 30.4375
#: Slack around the birth date implied by an age in months (parents round).
BIRTH_SLACK_DAYS = 45
#: What a kader may change a lead to, from each status (rules as data).
TRANSITIONS: dict[str, frozenset[str]] = {
    LeadStatus.NEW: frozenset({LeadStatus.CONTACTED, LeadStatus.MEASURED, LeadStatus.NOT_FOUND}),
    LeadStatus.CONTACTED: frozenset({LeadStatus.MEASURED, LeadStatus.NOT_FOUND}),
    LeadStatus.MEASURED: frozenset(),
    LeadStatus.NOT_FOUND: frozenset({LeadStatus.CONTACTED}),
    LeadStatus.WITHDRAWN: frozenset(),
}


def canonical_phone(value: str) -> str:
    """Digits in the +62 form: "0812-3456 7890", "+62 812..." and "812..." all give "62812..."."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits


def birth_window(age_months: float, today: dt.date) -> tuple[dt.date, dt.date]:
    """The birth dates an age typed in the chat allows: "2 tahun" may be 24-35 months."""
    whole_years = age_months >= 12 and float(age_months).is_integer() and age_months % 12 == 0
    oldest = age_months + (12 if whole_years else 0)
    earliest = today - dt.timedelta(days=oldest * DAYS_PER_MONTH + BIRTH_SLACK_DAYS)
    latest = today - dt.timedelta(days=age_months * DAYS_PER_MONTH - BIRTH_SLACK_DAYS)
    return earliest, latest


def match_child(
    *, phone: str, kelurahan_id: int, age_months: float | None, today: dt.date
) -> Child | None:
    """The registry's child with this family or parent phone and a fitting birth date, in
    the kelurahan; None when there is none or more than one (a kader then decides)."""
    wanted = canonical_phone(phone)
    if not wanted:
        return None
    qs = Child.objects.filter(person__family__kelurahan_id=kelurahan_id).select_related(
        "person__family", "mother__person"
    )
    if age_months is not None:
        earliest, latest = birth_window(age_months, today)
        qs = qs.filter(person__birth_date__range=(earliest, latest))
    found = [
        child for child in qs[:500] if wanted in {canonical_phone(p) for p in _phones(child) if p}
    ]
    return found[0] if len(found) == 1 else None


def _phones(child: Child) -> Iterable[str]:
    person = child.person
    yield person.phone
    if person.family is not None:
        yield person.family.phone
    if child.mother is not None:
        yield child.mother.person.phone


def _consent_for(lead: bot.LeadRequest) -> ChatConsent | None:
    """The latest visit-lead answer of the lead's consent subject, if it was a yes. Only the
    conversation itself or its verified person can have answered."""
    allowed = f"conversation:{lead.channel}:{lead.conversation_id}"
    subject = lead.consent_subject or allowed
    if subject != allowed and not subject.startswith("person:"):
        return None
    latest = (
        ChatConsent.objects.filter(subject=subject, purpose=bot.Purpose.VISIT_LEAD.value)
        .order_by("-id")
        .first()
    )
    return latest if latest is not None and latest.granted else None


class DatabaseLeadSink:
    """Leads as ``VisitLead`` rows; "" (nothing stored) without consent or a known kelurahan."""

    def __init__(self, today: Any = None) -> None:
        self._today = today or (lambda: timezone.localdate())

    def submit(self, lead: bot.LeadRequest) -> str:
        consent = _consent_for(lead)
        kelurahan = kelurahan_named(lead.kelurahan)
        if consent is None or kelurahan is None:
            return ""
        reason = lead.reason if lead.reason in LeadReason.values else LeadReason.STUNTED
        with transaction.atomic():
            child = match_child(
                phone=lead.phone,
                kelurahan_id=kelurahan.pk,
                age_months=lead.age_months,
                today=self._today(),
            )
            row = VisitLead.objects.create(
                conversation_id=lead.conversation_id,
                channel=lead.channel,
                phone=lead.phone[:20],
                kelurahan=kelurahan,
                reason=reason,
                sex=lead.sex,
                age_months=lead.age_months,
                weight_kg=lead.weight_kg,
                lenhei_cm=lead.lenhei_cm,
                categories=dict(lead.categories),
                consent=consent,
                child=child,
            )
            audit_record(
                actor=None,
                action=Action.CREATE,
                object_type=object_type_of(VisitLead),
                object_id=row.pk,
                detail={"via": "chatbot", "channel": lead.channel, "matched": child is not None},
            )
        return row.reference


def lead_open(*, actor: User, lead_id: int, context: AuditContext = SYSTEM) -> VisitLead:
    """The lead if ``actor`` may see it (audited ``view``); else ``Http404`` after ``denied``."""
    lead = (
        leads_visible_to(actor)
        .select_related("kelurahan", "child__person", "measurement", "handled_by", "consent")
        .filter(pk=lead_id)
        .first()
    )
    audit_record(
        actor=actor,
        action=Action.VIEW if lead is not None else Action.DENIED,
        object_type=object_type_of(VisitLead),
        object_id=lead_id,
        context=context,
    )
    if lead is None:
        raise Http404("permintaan kunjungan tidak ditemukan")
    return lead


@transaction.atomic
def lead_set_status(
    *,
    actor: User,
    lead_id: int,
    status: str,
    note: str = "",
    context: AuditContext = SYSTEM,
) -> VisitLead:
    """A kader or officer records what happened: contacted, measured, not found."""
    if not can_act(actor):
        raise PermissionDenied("Peran Anda tidak menangani permintaan kunjungan.")
    lead = leads_visible_to(actor).select_for_update().filter(pk=lead_id).first()
    if lead is None:
        raise PermissionDenied("Permintaan kunjungan ini di luar wilayah Anda.")
    if status not in LeadStatus.values:
        raise ValidationError(
            {
                "status": [
                    "Status tidak dikenal. Pilih: sudah dihubungi, sudah diukur, atau "
                    "tidak ditemukan."
                ]
            }
        )
    if status not in TRANSITIONS[lead.status]:
        raise ValidationError(
            {
                "status": [
                    f'Status "{LeadStatus(lead.status).label}" tidak bisa diubah menjadi '
                    f'"{LeadStatus(status).label}".'
                ]
            }
        )
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": ["Catatan terlalu panjang (maks. 2.000 karakter)."]})
    lead.status = status
    lead.handled_by = actor
    fields = ["status", "handled_by", "updated_at"]
    if note:
        lead.note = note
        fields.append("note")
    if status in (LeadStatus.MEASURED, LeadStatus.NOT_FOUND):
        lead.closed_at = timezone.now()
        fields.append("closed_at")
    else:
        lead.closed_at = None
        fields.append("closed_at")
    lead.save(update_fields=fields)
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=lead,
        changed_fields=[f for f in fields if f != "updated_at"],
        detail={"status": status},
        context=context,
    )
    return lead


def close_leads_after_measurement(
    sender: object = None,
    *,
    child_ids: Sequence[int] = (),
    actor: User | None = None,
    context: AuditContext = SYSTEM,
    **_: object,
) -> int:
    """``measurements_changed`` receiver: an open lead for a measured child is closed as
    measured, with the child and the measurement. Returns how many leads were closed."""
    closed = 0
    children = Child.objects.filter(pk__in=list(child_ids)).select_related(
        "person__family", "mother__person"
    )
    for child in children:
        family = child.person.family
        if family is None:
            continue
        latest = Measurement.objects.filter(child=child).order_by("-measured_on", "-id").first()
        if latest is None:
            continue
        phones = {canonical_phone(p) for p in _phones(child) if p}
        candidates = VisitLead.objects.select_for_update().filter(
            Q(child=child) | Q(child__isnull=True, kelurahan_id=family.kelurahan_id),
            status__in=OPEN_LEAD_STATUSES,
        )
        for lead in candidates:
            if lead.child_id != child.pk:
                if canonical_phone(lead.phone) not in phones:
                    continue
                birth = child.person.birth_date
                if lead.age_months is not None and birth is not None:
                    earliest, latest_birth = birth_window(lead.age_months, lead.created_at.date())
                    if not earliest <= birth <= latest_birth:
                        continue
            lead.status = LeadStatus.MEASURED
            lead.child = child
            lead.measurement = latest
            lead.closed_at = timezone.now()
            if actor is not None and actor.is_authenticated:
                lead.handled_by = actor
            lead.save(
                update_fields=[
                    "status",
                    "child",
                    "measurement",
                    "closed_at",
                    "handled_by",
                    "updated_at",
                ]
            )
            audit_object(
                actor=actor,
                action=Action.UPDATE,
                obj=lead,
                changed_fields=["status", "child", "measurement"],
                detail={"event": "measured", "measurement": latest.pk},
                context=context,
            )
            closed += 1
    return closed


def withdraw_leads(conversation_id: str) -> int:
    """The parent withdrew consent in the chat: open leads of the conversation are closed
    as withdrawn and what the parent typed (phone and values) is erased; the audit row
    keeps only that it happened (UU 27/2022 Pasal 9). Returns how many were withdrawn."""
    done = 0
    with transaction.atomic():
        for lead in VisitLead.objects.select_for_update().filter(
            conversation_id=conversation_id, status__in=OPEN_LEAD_STATUSES
        ):
            lead.status = LeadStatus.WITHDRAWN
            lead.phone = ""
            lead.sex = lead.age_months = lead.weight_kg = lead.lenhei_cm = None
            lead.categories = {}
            lead.closed_at = timezone.now()
            lead.save()
            audit_object(
                actor=None,
                action=Action.UPDATE,
                obj=lead,
                changed_fields=["status", "phone", "values"],
                detail={"event": "consent_withdrawn", "via": "chatbot"},
            )
            done += 1
    return done
