"""Who sees which handoff: scoped like the registry (ADR 0011), by the kelurahan the person
gave. A handoff without a kelurahan is seen by the city (TPPS) and administrators only."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tumbuh.accounts.models import Role, User
from tumbuh.messaging.models import HandoffMessage, HandoffRequest, VisitLead
from tumbuh.wilayah.models import Level

#: Roles that claim and answer handoffs (the rest of the area roles may only read them).
ACT_ROLES = frozenset({Role.KADER, Role.NUTRITION_OFFICER, Role.TPPS})


def handoffs_visible_to(user: User | None) -> QuerySet[HandoffRequest]:
    qs = HandoffRequest.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    rule = _area_rule(user)
    if rule is None:
        return qs.none()
    return qs.filter(pk__in=HandoffRequest.objects.filter(rule).values("pk"))


def leads_visible_to(user: User | None) -> QuerySet[VisitLead]:
    """Kader-visit leads, scoped exactly like the handoff queue (the lead's kelurahan)."""
    qs = VisitLead.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    rule = _area_rule(user)
    if rule is None:
        return qs.none()
    return qs.filter(pk__in=VisitLead.objects.filter(rule).values("pk"))


def _area_rule(user: User) -> Q | None:
    """The rows of the user's area, by the row's ``kelurahan``; None: nothing."""
    match user.role:
        case Role.TPPS | Role.KECAMATAN_OFFICER | Role.KELURAHAN_OFFICER if user.region_id:
            region = user.region
            if region.level > Level.VILLAGE:  # an RW/RT officer: its kelurahan
                while region.parent_id and region.level > Level.VILLAGE:
                    region = region.parent
            rule = Q(kelurahan=region) | Q(kelurahan__code__startswith=region.code + ".")
            if user.role == Role.TPPS:
                rule |= Q(kelurahan__isnull=True)
        case Role.NUTRITION_OFFICER if user.puskesmas_id:
            rule = Q(kelurahan__served_by=user.puskesmas_id) | Q(
                kelurahan__posyandu__puskesmas_id=user.puskesmas_id
            )
        case Role.KADER if user.posyandu_id:
            rule = Q(kelurahan__posyandu=user.posyandu_id)
        case _:
            return None
    return rule


#: Roles that have a handoff queue at all (parents, partners and OPD do not).
QUEUE_ROLES = ACT_ROLES | {Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER}


def has_queue(user: User) -> bool:
    return user.is_superuser or user.role in QUEUE_ROLES


def can_act(user: User) -> bool:
    return user.is_superuser or user.role in ACT_ROLES


def handoff_messages(handoff: HandoffRequest) -> list[HandoffMessage]:
    return list(handoff.messages.select_related("user").order_by("at", "id"))
