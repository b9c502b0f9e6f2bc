"""The contribution ledger: pledge -> TPPS approval (scheduled deliveries, the case's
intervention) -> each delivery recorded -> verified by a kader or the puskesmas -> the case
timeline shows who helped with what. Missed deliveries are flagged by a daily job."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.cases.models import OPEN_STATUSES, CaseNeed, EventKind, NeedCategory, NeedStatus
from tumbuh.organisations.models import Organisation
from tumbuh.partners import casebridge
from tumbuh.partners.access import is_tpps, partner_of
from tumbuh.partners.errors import TransitionError
from tumbuh.partners.models import Delivery, Pledge, PledgeStatus
from tumbuh.partners.selectors import (
    needs_in_scope,
    needs_visible_to,
    open_needs_q,
    pledges_visible_to,
)

#: Days from approval to the first scheduled delivery.
FIRST_DELIVERY_AFTER_DAYS = 7
MAX_PERIOD_MONTHS = 24


def _rupiah(value: int) -> str:
    return f"Rp {value:,}".replace(",", ".")


def suggestions(partner: Organisation, *, limit: int = 3) -> str:
    """The kinds of help most needed in the partner's city now: the suggestion given with
    every refusal of aid outside the assessed needs."""
    from tumbuh.partners.selectors import _partner_city_q

    rows = (
        CaseNeed.objects.filter(category__partner_can_help=True, case__child__isnull=False)
        .filter(open_needs_q() & _partner_city_q(partner, "case"))
        .values("category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")[:limit]
    )
    if not rows:
        return _("Saat ini tidak ada kebutuhan terbuka; coba lagi setelah penilaian berikutnya.")
    items = ", ".join(f"{r['category__name']} ({r['n']} anak)" for r in rows)
    return _("Kebutuhan terbuka yang paling banyak sekarang: %(items)s.") % {"items": items}


def _check_pledger(actor: User, partner: Organisation) -> None:
    own = partner_of(actor)
    if own is not None and own.pk == partner.pk:
        return
    if is_tpps(actor) and partner.is_partner and partner.status == "active":
        return
    raise PermissionDenied(
        _("Hanya mitra itu sendiri (atau TPPS atas namanya) yang dapat membuat janji bantuan.")
    )


def pledge_create(
    *,
    actor: User,
    partner: Organisation,
    need: CaseNeed | None = None,
    category: NeedCategory | None = None,
    description: str,
    amount_rupiah: int,
    quantity: str = "",
    period_months: int | None = None,
    context: AuditContext = SYSTEM,
) -> Pledge:
    """A pledge for one open need (``need``), or to a pool of one kind of help (``category``)
    that TPPS allocates. Refused, with the reason and a suggestion: a need already pledged or
    covered, help that is not an assessed need, help partners do not give."""
    _check_pledger(actor, partner)
    if need is not None and not needs_in_scope(actor).filter(pk=need.pk).exists():
        raise PermissionDenied(
            _("Kebutuhan #%(id)s bukan di wilayah mitra ini; pilih dari daftar kebutuhan terbuka.")
            % {"id": need.pk}
        )
    description = description.strip()
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = _("Tulis apa yang akan Anda berikan, mis. 'telur 1 butir/hari'.")
    if amount_rupiah is None or amount_rupiah <= 0:
        errors["amount_rupiah"] = _("Nilai bantuan dalam rupiah harus lebih dari 0.")
    if period_months is not None and not 1 <= period_months <= MAX_PERIOD_MONTHS:
        errors["period_months"] = _("Lama bantuan 1 sampai 24 bulan.")
    if need is None and category is None:
        errors["need"] = _("Pilih kebutuhan dari daftar kebutuhan terbuka, atau jenis bantuan.")
    if need is not None:
        if category is not None and category.pk != need.category_id:
            errors["category"] = _(
                "Bantuan '%(offered)s' bukan kebutuhan yang dinilai untuk anak ini (%(need)s). "
                "Bantuan di luar kebutuhan tidak diterima. %(hint)s"
            ) % {"offered": category.name, "need": need.category.name, "hint": suggestions(partner)}
        elif not need.category.partner_can_help:
            errors["need"] = _(
                "Kebutuhan '%(need)s' ditangani puskesmas/OPD, bukan mitra. %(hint)s"
            ) % {"need": need.category.name, "hint": suggestions(partner)}
        elif (
            need.status == NeedStatus.COVERED
            or Pledge.objects.filter(
                need=need, status__in=("pending", "approved", "completed")
            ).exists()
        ):
            errors["need"] = _(
                "Kebutuhan #%(id)s sudah dijanjikan atau sudah terpenuhi; satu kebutuhan hanya "
                "dibantu satu mitra. %(hint)s"
            ) % {"id": need.pk, "hint": suggestions(partner)}
        elif need.status != NeedStatus.OPEN or need.case.status not in OPEN_STATUSES:
            errors["need"] = _(
                "Kebutuhan #%(id)s tidak lagi terbuka (kasus selesai atau kebutuhan dibatalkan). "
                "%(hint)s"
            ) % {"id": need.pk, "hint": suggestions(partner)}
    elif category is not None and (not category.partner_can_help or not category.is_active):
        errors["category"] = _(
            "Bantuan '%(offered)s' tidak termasuk kebutuhan yang dapat dibantu mitra (bantuan "
            "harus sesuai kebutuhan yang dinilai puskesmas, tidak sembarangan). %(hint)s"
        ) % {"offered": category.name, "hint": suggestions(partner)}
    if errors:
        raise ValidationError(errors)
    assert category is not None or need is not None
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(
                partner=partner,
                need=need,
                category=need.category if need is not None else category,
                description=description[:250],
                amount_rupiah=amount_rupiah,
                quantity=quantity.strip()[:120] or (need.quantity if need else ""),
                period_months=period_months or (need.period_months if need else None) or 1,
                created_by=actor,
            )
            audit_object(
                actor=actor,
                action=Action.CREATE,
                obj=pledge,
                detail={"need": need.pk if need else None, "pool": need is None},
                context=context,
            )
    except IntegrityError as exc:  # another pledge for the same need won the race
        raise ValidationError(
            {"need": _("Kebutuhan ini baru saja dijanjikan mitra lain; pilih kebutuhan lain.")}
        ) from exc
    return pledge


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _schedule(pledge: Pledge, *, first_on: dt.date) -> None:
    n = max(1, pledge.period_months)
    share, rest = divmod(pledge.amount_rupiah, n)
    Delivery.objects.bulk_create(
        [
            Delivery(
                pledge=pledge,
                sequence=i + 1,
                scheduled_on=_add_months(first_on, i),
                amount_rupiah=share + (rest if i == n - 1 else 0),
            )
            for i in range(n)
        ]
    )


def _activate(pledge: Pledge, *, actor: User, today: dt.date) -> None:
    """Deliveries scheduled monthly from a week after approval; the case's intervention
    (owner: the partner) and a timeline line."""
    assert pledge.need is not None
    first_on = today + dt.timedelta(days=FIRST_DELIVERY_AFTER_DAYS)
    _schedule(pledge, first_on=first_on)
    due = _add_months(first_on, max(1, pledge.period_months) - 1)
    pledge.intervention = casebridge.intervention_for_pledge(
        need=pledge.need,
        owner=pledge.partner,
        due_date=due,
        package=pledge.quantity or pledge.description,
        note=_("Janji bantuan mitra #%(id)s") % {"id": pledge.pk},
        actor=actor,
        today=today,
    )
    casebridge.timeline_add(
        case=pledge.need.case,
        kind=EventKind.CONTRIBUTION,
        text=_("%(partner)s akan membantu %(need)s: %(what)s, %(months)s bulan (%(amount)s).")
        % {
            "partner": pledge.partner.name,
            "need": pledge.category.name,
            "what": pledge.description,
            "months": pledge.period_months,
            "amount": _rupiah(pledge.amount_rupiah),
        },
        actor=actor,
        data={"pledge": pledge.pk},
    )


def _tpps_pledge(actor: User, pledge: Pledge) -> Pledge:
    if not is_tpps(actor):
        raise PermissionDenied(_("Hanya TPPS yang dapat memutuskan janji bantuan."))
    locked = pledges_visible_to(actor).select_for_update(of=("self",)).filter(pk=pledge.pk).first()
    if locked is None:
        raise PermissionDenied(_("Janji bantuan ini bukan di wilayah Anda."))
    return locked


def pledge_approve(
    *,
    pledge: Pledge,
    actor: User,
    note: str = "",
    today: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Pledge:
    """TPPS approves: a need pledge gets its deliveries and intervention; a pool waits for
    allocations."""
    today = today or timezone.localdate()
    with transaction.atomic():
        pledge = _tpps_pledge(actor, pledge)
        if pledge.status != PledgeStatus.PENDING:
            raise TransitionError(
                _("Janji ini berstatus '%(s)s'; hanya janji yang menunggu dapat disetujui.")
                % {"s": pledge.get_status_display()}
            )
        if pledge.need is not None:
            need = CaseNeed.objects.select_for_update(of=("self",)).get(pk=pledge.need_id)
            if need.status != NeedStatus.OPEN or need.case.status not in OPEN_STATUSES:
                raise TransitionError(
                    _("Kebutuhan #%(id)s tidak lagi terbuka; tolak janji ini dengan alasannya.")
                    % {"id": need.pk}
                )
            _activate(pledge, actor=actor, today=today)
        pledge.status = PledgeStatus.APPROVED
        pledge.decided_at = timezone.now()
        pledge.decided_by = actor
        pledge.decision_note = note
        pledge.save()
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=pledge,
            changed_fields=["status"],
            detail={"decision": "approved"},
            context=context,
        )
    return pledge


def pledge_reject(
    *, pledge: Pledge, actor: User, reason: str, context: AuditContext = SYSTEM
) -> Pledge:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan penolakan untuk mitra.")})
    with transaction.atomic():
        pledge = _tpps_pledge(actor, pledge)
        if pledge.status != PledgeStatus.PENDING:
            raise TransitionError(_("Hanya janji yang menunggu persetujuan dapat ditolak."))
        pledge.status = PledgeStatus.REJECTED
        pledge.decided_at = timezone.now()
        pledge.decided_by = actor
        pledge.decision_note = reason.strip()
        pledge.save()
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=pledge,
            changed_fields=["status"],
            detail={"decision": "rejected"},
            context=context,
        )
    return pledge


def pool_remaining(pool: Pledge) -> int:
    used = sum(
        p.amount_rupiah
        for p in pool.allocations.exclude(status__in=(PledgeStatus.REJECTED, "cancelled"))
    )
    return pool.amount_rupiah - used


def pool_allocate(
    *,
    pool: Pledge,
    need: CaseNeed,
    amount_rupiah: int,
    actor: User,
    today: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Pledge:
    """TPPS gives part of an approved pool to one open need of the same kind of help."""
    today = today or timezone.localdate()
    with transaction.atomic():
        pool = _tpps_pledge(actor, pool)
        if not pool.is_pool or pool.status != PledgeStatus.APPROVED:
            raise TransitionError(_("Hanya dana bersama yang sudah disetujui dapat dibagikan."))
        need = needs_visible_to(actor).select_for_update(of=("self",)).filter(pk=need.pk).first()  # type: ignore[assignment]
        if need is None:
            raise PermissionDenied(_("Kebutuhan ini bukan di wilayah Anda."))
        if need.category_id != pool.category_id:
            raise ValidationError(
                {
                    "need": _(
                        "Dana bersama ini untuk '%(pool)s', bukan '%(need)s'; pilih kebutuhan "
                        "jenis yang sama."
                    )
                    % {"pool": pool.category.name, "need": need.category.name}
                }
            )
        if not 0 < amount_rupiah <= pool_remaining(pool):
            raise ValidationError(
                {
                    "amount_rupiah": _("Sisa dana bersama %(left)s; isi nilai 1 sampai sisa itu.")
                    % {"left": _rupiah(pool_remaining(pool))}
                }
            )
        if not CaseNeed.objects.filter(pk=need.pk).filter(open_needs_q()).exists():
            raise ValidationError(
                {
                    "need": _("Kebutuhan #%(id)s sudah dijanjikan atau tidak terbuka.")
                    % {"id": need.pk}
                }
            )
        allocation = Pledge.objects.create(
            partner=pool.partner,
            need=need,
            category=need.category,
            pool=pool,
            description=pool.description,
            amount_rupiah=amount_rupiah,
            quantity=need.quantity or pool.quantity,
            period_months=need.period_months or pool.period_months,
            status=PledgeStatus.APPROVED,
            created_by=actor,
            decided_at=timezone.now(),
            decided_by=actor,
        )
        _activate(allocation, actor=actor, today=today)
        allocation.save(update_fields=["intervention"])
        audit_object(
            actor=actor,
            action=Action.CREATE,
            obj=allocation,
            detail={"pool": pool.pk, "need": need.pk},
            context=context,
        )
    return allocation
