"""Bapak asuh: TPPS assigns a child with the family's consent (and what the patron may see),
the patron logs a visit every 14 days, reminders go out before a visit is due, and a
withdrawn consent ends the patron's access at once."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object, audit_record, object_type_of
from tumbuh.cases.models import OPEN_STATUSES, Case, EventKind
from tumbuh.messaging.conf import setting, whatsapp_configured
from tumbuh.messaging.senders import dispatch
from tumbuh.partners import casebridge
from tumbuh.partners.access import active, is_tpps, partner_of
from tumbuh.partners.models import Patronage, Visibility, Visit, VisitReminder
from tumbuh.partners.photos import clean_photo
from tumbuh.partners.schedule import VisitState, visit_plan
from tumbuh.partners.selectors import active_patronages_of, patronages_visible_to
from tumbuh.registry.models import (
    Child,
    ChildAssignment,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Measurement,
)
from tumbuh.registry.selectors import children_visible_to

log = logging.getLogger(__name__)

PSEUDONYM_WORDS = (
    "Bintang",
    "Mentari",
    "Pelangi",
    "Embun",
    "Samudra",
    "Cahaya",
    "Angkasa",
    "Gemilang",
    "Harapan",
    "Ceria",
    "Tunas",
    "Sinar",
    "Bayu",
    "Rimba",
    "Purnama",
    "Fajar",
)


def new_pseudonym() -> str:
    """``Anak asuh Bintang-47``: a random name that says nothing about the child."""
    word = secrets.choice(PSEUDONYM_WORDS)
    return _("Anak asuh %(word)s-%(n)02d") % {"word": word, "n": secrets.randbelow(100)}


def patron_assign(
    *,
    actor: User,
    child: Child,
    patron: User,
    visibility: str,
    consent_by_name: str,
    consent_relationship: str,
    consent_method: str,
    consent_on: dt.date,
    started_on: dt.date,
    today: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Patronage:
    """TPPS puts ``child`` in ``patron``'s care. The family's consent (who, how, when) is
    recorded in the registry's consent table too (purpose: shared with partners)."""
    today = today or timezone.localdate()
    if not is_tpps(actor):
        raise PermissionDenied(_("Hanya TPPS yang dapat menetapkan anak asuh."))
    if not children_visible_to(actor).filter(pk=child.pk).exists():
        raise PermissionDenied(_("Anak ini bukan di wilayah Anda."))
    errors: dict[str, str] = {}
    if patron.role != Role.PARTNER or not active(patron) or partner_of(patron) is None:
        errors["patron"] = _("Bapak asuh harus akun mitra yang aktif (disetujui TPPS).")
    if visibility not in Visibility.values:
        errors["visibility"] = _(
            "Pilih apa yang boleh dilihat bapak asuh (nama samaran, nama, atau nama dan alamat)."
        )
    if not consent_by_name.strip() or not consent_relationship.strip():
        errors["consent_by_name"] = _(
            "Tulis siapa yang memberi persetujuan (nama dan hubungan dengan anak, mis. ibu)."
        )
    if consent_method not in ConsentMethod.values:
        errors["consent_method"] = _("Pilih cara persetujuan: tertulis, lisan, atau digital.")
    if consent_on > today:
        errors["consent_on"] = _("Tanggal persetujuan tidak boleh di masa depan.")
    if started_on < consent_on:
        errors["started_on"] = _("Pengasuhan dimulai pada atau setelah tanggal persetujuan.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            assignment = ChildAssignment.objects.create(
                child=child,
                user=patron,
                started_on=started_on,
                show_name=visibility != Visibility.PSEUDONYM,
                created_by=actor,
            )
            Consent.objects.create(
                subject=child.person,
                purpose=ConsentPurpose.PARTNER_SHARING,
                given_by_name=consent_by_name.strip()[:150],
                given_by_relationship=consent_relationship.strip()[:60],
                method=consent_method,
                given_on=consent_on,
                created_by=actor,
            )
            patronage = Patronage.objects.create(
                assignment=assignment,
                child=child,
                patron=patron,
                organisation=partner_of(patron),
                pseudonym=new_pseudonym(),
                visibility=visibility,
                consent_by_name=consent_by_name.strip()[:150],
                consent_relationship=consent_relationship.strip()[:60],
                consent_method=consent_method,
                consent_on=consent_on,
                recorded_by=actor,
                started_on=started_on,
            )
            audit_object(
                actor=actor,
                action=Action.CREATE,
                obj=patronage,
                detail={"child": child.pk, "patron": patron.pk, "visibility": visibility},
                context=context,
            )
    except IntegrityError as exc:
        raise ValidationError({"patron": _("Anak ini sudah diasuh bapak asuh tersebut.")}) from exc
    return patronage


def consent_withdraw(
    *,
    patronage: Patronage,
    actor: User,
    reason: str,
    on: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Patronage:
    """The family withdraws its consent: the assignment ends now, so every page and endpoint
    of the patron stops showing the child at once (UU 27/2022: stop within 3 x 24 hours)."""
    on = on or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan atau siapa yang menarik persetujuan.")})
    if (
        actor.role == Role.PARTNER
        or not patronages_visible_to(actor).filter(pk=patronage.pk).exists()
    ):
        raise PermissionDenied(
            _("Penarikan persetujuan dicatat TPPS, petugas wilayah, kader atau tenaga gizi.")
        )
    with transaction.atomic():
        patronage = Patronage.objects.select_for_update(of=("self",)).get(pk=patronage.pk)
        if patronage.ended_on is not None:
            raise ValidationError(_("Pengasuhan ini sudah berakhir."))
        patronage.ended_on = on
        patronage.end_reason = reason.strip()
        patronage.consent_withdrawn = True
        patronage.save(update_fields=["ended_on", "end_reason", "consent_withdrawn"])
        assignment = patronage.assignment
        assignment.ended_on = on
        assignment.show_name = False
        assignment.save(update_fields=["ended_on", "show_name", "updated_at"])
        Consent.objects.filter(
            subject_id=patronage.child.person_id,
            purpose=ConsentPurpose.PARTNER_SHARING,
            withdrawn_on__isnull=True,
        ).update(withdrawn_on=on)
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=patronage,
            changed_fields=["ended_on", "consent_withdrawn"],
            detail={"consent_withdrawn": True},
            context=context,
        )
    return patronage


def patronage_for_child(*, actor: User, child_id: int, context: AuditContext = SYSTEM) -> Patronage:
    """The patron's own open patronage of ``child_id`` (audited view); otherwise 404 after an
    audited ``denied`` (a child not assigned, or whose family withdrew consent)."""
    found = (
        active_patronages_of(actor)
        .select_related("child__person", "child__latest_measurement", "assignment")
        .filter(child_id=child_id)
        .first()
    )
    audit_record(
        actor=actor,
        action=Action.VIEW if found else Action.DENIED,
        object_type=object_type_of(Child),
        object_id=child_id,
        detail={"via": "patronage"},
        context=context,
    )
    if found is None:
        raise Http404(_("Anak ini tidak diasuh oleh Anda."))
    return found


def visit_log(
    *,
    actor: User,
    patronage: Patronage,
    visited_on: dt.date,
    child_seen: bool,
    note: str = "",
    companions: str = "",
    photo: UploadedFile | None = None,
    measurement_id: int | None = None,
    today: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Visit:
    """The patron logs a visit to a child in its care; the open case's timeline shows it.
    ``measurement_id``: the weighing the accompanying kader recorded (through the registry's
    measurement service) for this child on the visit day, linked to the visit."""
    today = today or timezone.localdate()
    if patronage.patron_id != actor.pk or not patronage.is_active:
        raise PermissionDenied(_("Kunjungan hanya dicatat bapak asuh anak ini."))
    errors: dict[str, str] = {}
    if visited_on > today:
        errors["visited_on"] = _("Tanggal kunjungan tidak boleh di masa depan.")
    elif visited_on < patronage.started_on:
        errors["visited_on"] = _("Tanggal kunjungan sebelum pengasuhan dimulai (%(d)s).") % {
            "d": patronage.started_on.strftime("%d-%m-%Y")
        }
    if not child_seen and not note.strip():
        errors["note"] = _("Anak tidak ditemui: tulis sebabnya di catatan.")
    measurement = None
    if measurement_id is not None:
        measurement = Measurement.objects.filter(
            pk=measurement_id, child_id=patronage.child_id
        ).first()
        if measurement is None or abs((measurement.measured_on - visited_on).days) > 1:
            errors["measurement"] = _(
                "Pengukuran #%(id)s bukan milik anak ini pada hari kunjungan; minta kader "
                "mencatatnya lewat form penimbangan, lalu pilih pengukuran itu."
            ) % {"id": measurement_id}
        elif not child_seen:
            errors["child_seen"] = _("Ada pengukuran, jadi anak ditemui; pilih 'Ya'.")
    if errors:
        raise ValidationError(errors)
    cleaned = clean_photo(photo) if photo is not None else None
    with transaction.atomic():
        patronage = (
            Patronage.objects.select_for_update(of=("self",))
            .filter(pk=patronage.pk, ended_on__isnull=True)
            .first()  # type: ignore[assignment]
        )
        if patronage is None:
            raise PermissionDenied(_("Pengasuhan ini sudah berakhir."))
        if patronage.visits.filter(visited_on=visited_on).exists():
            raise ValidationError({"visited_on": _("Kunjungan tanggal ini sudah tercatat.")})
        visit = Visit(
            patronage=patronage,
            visited_on=visited_on,
            visitor=actor,
            companions=companions.strip()[:250],
            child_seen=child_seen,
            note=note.strip(),
            measurement=measurement,
        )
        if cleaned is not None:
            visit.photo.save(cleaned.name or "foto.jpg", cleaned, save=False)
        visit.save()
        case = (
            Case.objects.filter(child_id=patronage.child_id, status__in=list(OPEN_STATUSES))
            .order_by("-priority", "opened_at")
            .first()
        )
        if case is not None:
            casebridge.timeline_add(
                case=case,
                kind=EventKind.VISIT,
                text=(
                    _("Kunjungan bapak asuh %(who)s: anak ditemui.")
                    if child_seen
                    else _("Kunjungan bapak asuh %(who)s: anak tidak ditemui.")
                )
                % {"who": actor.get_full_name() or actor.username},
                actor=actor,
                data={"visit": visit.pk},
            )
        audit_object(
            actor=actor,
            action=Action.CREATE,
            obj=visit,
            detail={"child": patronage.child_id, "child_seen": child_seen},
            context=context,
        )
    return visit


def _notify(patronage: Patronage, due_on: dt.date) -> list[str]:
    """Channels used for a reminder: always in-app (the reminder row); e-mail when the
    patron has an address; WhatsApp (the approved template ``PARTNERS_VISIT_WHATSAPP_TEMPLATE``
    through the messaging senders) when the channel is configured and the patron has a phone."""
    channels = ["in_app"]
    patron = patronage.patron
    if patron.email:
        channels.append("email")
    if patron.phone and whatsapp_configured() and setting("PARTNERS_VISIT_WHATSAPP_TEMPLATE"):
        channels.append("whatsapp")
    return channels


def _whatsapp_payload(phone: str, pseudonym: str, due_on: dt.date) -> dict[str, object]:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return {
        "messaging_product": "whatsapp",
        "to": digits,
        "type": "template",
        "template": {
            "name": setting("PARTNERS_VISIT_WHATSAPP_TEMPLATE"),
            "language": {"code": setting("WHATSAPP_TEMPLATE_LANGUAGE") or "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": pseudonym},
                        {"type": "text", "text": due_on.strftime("%d-%m-%Y")},
                    ],
                }
            ],
        },
    }


def _send_email(email: str, pseudonym: str, due_on: dt.date) -> None:
    try:
        send_mail(
            subject=_("Pengingat kunjungan anak asuh"),
            message=_(
                "Kunjungan ke %(child)s jatuh tempo %(date)s. Catat kunjungan di Tumbuh: "
                "menu Anak asuh saya."
            )
            % {"child": pseudonym, "date": due_on.strftime("%d-%m-%Y")},
            from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
            recipient_list=[email],
        )
    except OSError as exc:  # the mail server is down: the in-app reminder is still there
        log.warning("pengingat kunjungan gagal dikirim: %s", exc)


def send_visit_reminders(*, today: dt.date) -> int:
    """A reminder for every open patronage whose visit is due within two days (and one when
    it turns overdue); each at most once per due date and kind. Returns how many were new."""
    sent = 0
    patronages = (
        Patronage.objects.filter(ended_on__isnull=True, assignment__ended_on__isnull=True)
        .select_related("patron")
        .prefetch_related("visits")
    )
    for patronage in patronages:
        plan = visit_plan(
            started_on=patronage.started_on,
            every_days=patronage.visit_every_days,
            visits=[v.visited_on for v in patronage.visits.all()],
            today=today,
        )
        if plan.state is VisitState.DUE:
            kind = VisitReminder.KIND_DUE
        elif plan.state is VisitState.OVERDUE:
            kind = VisitReminder.KIND_OVERDUE
        else:
            continue
        with transaction.atomic():
            channels = _notify(patronage, plan.due_on)
            _reminder, created = VisitReminder.objects.get_or_create(
                patronage=patronage,
                due_on=plan.due_on,
                kind=kind,
                defaults={"sent_at": timezone.now(), "channels": channels},
            )
            if created:
                sent += 1
                name, due = patronage.pseudonym, plan.due_on
                if "email" in channels:
                    email = patronage.patron.email
                    transaction.on_commit(lambda e=email, n=name, d=due: _send_email(e, n, d))
                if "whatsapp" in channels:
                    # dispatch() itself waits for the commit
                    dispatch("whatsapp", [_whatsapp_payload(patronage.patron.phone, name, due)])
    return sent
