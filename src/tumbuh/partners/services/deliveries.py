"""Deliveries of approved pledges: recorded by the partner, verified by a kader or the
puskesmas (never the partner), the case's intervention moved on; missed ones flagged daily."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object, audit_record, object_type_of
from tumbuh.cases.models import EventKind
from tumbuh.partners import casebridge
from tumbuh.partners.access import is_verifier, partner_of
from tumbuh.partners.errors import TransitionError
from tumbuh.partners.models import Delivery, DeliveryStatus, Pledge, PledgeStatus
from tumbuh.partners.photos import clean_photo
from tumbuh.partners.selectors import deliveries_visible_to
from tumbuh.partners.services.pledges import _check_pledger

#: Days after its date before a scheduled delivery that nobody recorded is flagged missed.
MISSED_AFTER_DAYS = 7


def delivery_record(
    *,
    pledge: Pledge,
    actor: User,
    delivered_on: dt.date,
    quantity: str,
    note: str = "",
    today: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Delivery:
    """The partner (or TPPS) records the next scheduled (or missed) delivery as handed over."""
    today = today or timezone.localdate()
    _check_pledger(actor, pledge.partner)
    errors: dict[str, str] = {}
    if delivered_on > today:
        errors["delivered_on"] = _("Tanggal antar tidak boleh di masa depan.")
    if not quantity.strip():
        errors["quantity"] = _("Tulis apa dan berapa yang diantar, mis. '30 butir telur'.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
        if pledge.status != PledgeStatus.APPROVED or pledge.is_pool:
            raise TransitionError(
                _("Pengantaran hanya dicatat untuk janji kebutuhan yang sudah disetujui TPPS.")
            )
        delivery = (
            pledge.deliveries.filter(status__in=(DeliveryStatus.SCHEDULED, DeliveryStatus.MISSED))
            .order_by("sequence")
            .first()
        )
        if delivery is None:
            raise TransitionError(_("Semua pengantaran janji ini sudah dicatat."))
        delivery.status = DeliveryStatus.RECORDED
        delivery.delivered_on = delivered_on
        delivery.quantity = quantity.strip()[:120]
        delivery.note = note.strip()
        delivery.recorded_at = timezone.now()
        delivery.recorded_by = actor
        delivery.save()
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=delivery,
            changed_fields=["status", "delivered_on", "quantity"],
            context=context,
        )
    return delivery


def delivery_verify(
    *,
    delivery: Delivery,
    actor: User,
    received: bool,
    note: str = "",
    eaten: bool | None = None,
    photo: UploadedFile | None = None,
    context: AuditContext = SYSTEM,
) -> Delivery:
    """A kader or the puskesmas confirms (or not) that the family received it, and for food
    that the child ate it; a note or a photo is the evidence. Never the partner itself."""
    own = partner_of(actor)
    if own is not None or actor.role == "partner":
        raise PermissionDenied(
            _(
                "Mitra tidak dapat memverifikasi pengantarannya sendiri; verifikasi dilakukan "
                "kader posyandu atau tenaga gizi puskesmas."
            )
        )
    if not (is_verifier(actor) or actor.is_superuser):
        raise PermissionDenied(_("Verifikasi pengantaran dilakukan kader atau tenaga gizi."))
    if not note.strip() and photo is None:
        raise ValidationError(
            {"note": _("Tulis catatan atau lampirkan foto sebagai bukti verifikasi.")}
        )
    cleaned = clean_photo(photo, field="photo") if photo is not None else None
    with transaction.atomic():
        found = (
            deliveries_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("pledge__need__case", "pledge__partner", "pledge__category")
            .filter(pk=delivery.pk)
            .first()
        )
        if found is None:
            raise PermissionDenied(_("Pengantaran ini bukan untuk anak di wilayah Anda."))
        delivery = found
        if delivery.status != DeliveryStatus.RECORDED:
            raise TransitionError(
                _(
                    "Pengantaran ini berstatus '%(s)s'; yang dapat diverifikasi hanya yang sudah "
                    "dicatat diantar."
                )
                % {"s": delivery.get_status_display()}
            )
        delivery.status = DeliveryStatus.VERIFIED if received else DeliveryStatus.NOT_RECEIVED
        delivery.received = received
        delivery.eaten = eaten if received else None
        delivery.verify_note = note.strip()
        delivery.verified_at = timezone.now()
        delivery.verified_by = actor
        if cleaned is not None:
            delivery.evidence_photo.save(cleaned.name or "foto.jpg", cleaned, save=False)
        delivery.save()
        pledge = delivery.pledge
        assert pledge.need is not None
        eaten_text = {True: _(", dikonsumsi anak"), False: _(", belum dikonsumsi"), None: ""}
        casebridge.timeline_add(
            case=pledge.need.case,
            kind=EventKind.CONTRIBUTION,
            text=(
                _("Bantuan %(partner)s ke-%(n)s (%(what)s) diterima keluarga%(eaten)s.")
                if received
                else _("Bantuan %(partner)s ke-%(n)s (%(what)s) TIDAK diterima keluarga.")
            )
            % {
                "partner": pledge.partner.name,
                "n": delivery.sequence,
                "what": delivery.quantity,
                "eaten": eaten_text[eaten if received else None],
            },
            actor=actor,
            data={"pledge": pledge.pk, "delivery": delivery.pk, "received": received},
        )
        open_left = pledge.deliveries.exclude(
            status__in=(DeliveryStatus.VERIFIED, DeliveryStatus.NOT_RECEIVED)
        ).exists()
        if pledge.intervention is not None and received:
            casebridge.intervention_progress(
                intervention=pledge.intervention,
                delivered_on=delivery.delivered_on,
                finished=not open_left,
            )
        if not open_left:
            pledge.status = PledgeStatus.COMPLETED
            pledge.save(update_fields=["status"])
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=delivery,
            changed_fields=["status", "received", "eaten"],
            detail={"received": received},
            context=context,
        )
    return delivery


def flag_missed_deliveries(*, today: dt.date) -> int:
    """Scheduled deliveries more than a week past their date, on running pledges, become
    missed (safe to run twice). Returns how many were flagged."""
    cutoff = today - dt.timedelta(days=MISSED_AFTER_DAYS)
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(
                status=DeliveryStatus.SCHEDULED,
                scheduled_on__lt=cutoff,
                pledge__status=PledgeStatus.APPROVED,
            ).values_list("pk", flat=True)
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.MISSED, missed_at=timezone.now()
            )
            audit_record(
                actor=None,
                action=Action.UPDATE,
                object_type=object_type_of(Delivery),
                changed_fields=["status"],
                detail={"missed": ids[:500], "count": len(ids), "today": today.isoformat()},
            )
    return len(ids)
