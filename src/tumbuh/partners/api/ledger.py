"""Open needs, pledges, deliveries and their verification."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tumbuh.accounts.models import User
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases.models import CaseNeed, NeedCategory
from tumbuh.organisations.models import Organisation
from tumbuh.partners import services
from tumbuh.partners.access import partner_of
from tumbuh.partners.api.common import (
    Problem,
    _conflict,
    _ctx,
    _page,
    _scoped,
    _slice,
    _user,
)
from tumbuh.partners.models import Delivery, Pledge
from tumbuh.partners.selectors import (
    deliveries_visible_to,
    needs_visible_to,
    open_need_rows,
    open_needs,
    pledges_visible_to,
)

needs_router = Router(tags=["partners"])
pledges_router = Router(tags=["partners"])
deliveries_router = Router(tags=["partners"])


# -- open needs ---------------------------------------------------------------------------------


class NeedOut(Schema):
    id: int
    age_months: int = Field(description="umur anak dalam bulan penuh (bukan tanggal lahir)")
    sex: str
    kelurahan: str
    kelurahan_code: str
    need: str
    need_code: str
    kind: str
    quantity: str
    period_months: int | None
    unit: str
    unit_cost_min_rupiah: int | None
    unit_cost_max_rupiah: int | None
    estimate_rupiah: int | None


class NeedPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[NeedOut]


@needs_router.get("", response=NeedPage, summary="Kebutuhan terbuka (tersamar) untuk mitra")
def need_list(
    request: HttpRequest,
    open: bool = True,
    kelurahan: str = "",
    need: str = "",
    sex: int | None = None,
    sort: str = "kelurahan",
    page: int = 1,
    page_size: int = 25,
) -> dict[str, Any]:
    """Open needs of the user's city (partners) or area (officers): age in months, sex,
    kelurahan, the need, quantity, period and the catalogue's unit cost. Never a name, NIK,
    address or birth date; filters and sorting only on those shown columns."""
    user = _user(request)
    today = timezone.localdate()
    qs = open_needs(user, today=today, kelurahan_code=kelurahan, need_code=need, sex=sex, sort=sort)
    if not open:
        qs = needs_visible_to(user).order_by("pk")
    part, count, page, page_size = _slice(qs, page, page_size)
    rows = open_need_rows(part, today=today)
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(CaseNeed),
        detail={"list": True, "ids": [r.id for r in rows], "api": True},
        context=_ctx(request),
    )
    items = [NeedOut(**asdict(r), estimate_rupiah=r.estimate_rupiah) for r in rows]
    return _page(items, count, page, page_size)


# -- pledges -------------------------------------------------------------------------------------


class DeliveryOut(Schema):
    id: int
    pledge: int
    sequence: int
    scheduled_on: dt.date
    status: str
    delivered_on: dt.date | None
    quantity: str
    amount_rupiah: int
    received: bool | None
    eaten: bool | None
    verified: bool


class PledgeOut(Schema):
    id: int
    partner: int
    partner_name: str
    need: int | None
    category: str
    pool: int | None
    description: str
    amount_rupiah: int
    quantity: str
    period_months: int
    status: str
    decision_note: str
    deliveries: list[DeliveryOut]


class PledgePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[PledgeOut]


class PledgeIn(Schema):
    need: int | None = Field(None, description="id kebutuhan terbuka; kosong untuk dana bersama")
    partner: int | None = Field(None, description="id mitra; bawaan: organisasi pengguna")
    category: str = Field("", description="kode jenis bantuan (wajib untuk dana bersama)")
    description: str = Field(..., max_length=250)
    amount_rupiah: int
    quantity: str = Field("", max_length=120)
    period_months: int | None = None


class DecisionIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str


class AllocateIn(Schema):
    need: int
    amount_rupiah: int


class DeliveryIn(Schema):
    delivered_on: dt.date
    quantity: str = Field(..., max_length=120)
    note: str = ""


class VerifyIn(Schema):
    received: bool
    note: str = ""
    eaten: bool | None = None


def delivery_out(d: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.pk,
        pledge=d.pledge_id,
        sequence=d.sequence,
        scheduled_on=d.scheduled_on,
        status=d.status,
        delivered_on=d.delivered_on,
        quantity=d.quantity,
        amount_rupiah=d.amount_rupiah,
        received=d.received,
        eaten=d.eaten,
        verified=d.verified_at is not None,
    )


def pledge_out(p: Pledge) -> PledgeOut:
    return PledgeOut(
        id=p.pk,
        partner=p.partner_id,
        partner_name=p.partner.name,
        need=p.need_id,
        category=p.category.code,
        pool=p.pool_id,
        description=p.description,
        amount_rupiah=p.amount_rupiah,
        quantity=p.quantity,
        period_months=p.period_months,
        status=p.status,
        decision_note=p.decision_note,
        deliveries=[delivery_out(d) for d in p.deliveries.all()],
    )


def _pledges(user: User) -> QuerySet[Pledge]:
    return (
        pledges_visible_to(user)
        .select_related("partner", "category")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")
    )


@pledges_router.get("", response=PledgePage, summary="Janji bantuan (mitra: miliknya)")
def pledge_list(
    request: HttpRequest, status: str = "", page: int = 1, page_size: int = 25
) -> dict[str, Any]:
    qs = _pledges(_user(request))
    if status:
        qs = qs.filter(status=status)
    part, count, page, page_size = _slice(qs, page, page_size)
    return _page([pledge_out(p) for p in part], count, page, page_size)


@pledges_router.get("/{pledge_id}", response=PledgeOut, summary="Satu janji bantuan")
def pledge_detail(request: HttpRequest, pledge_id: int) -> PledgeOut:
    return pledge_out(_scoped(request, _pledges(_user(request)), pledge_id))


@pledges_router.post(
    "", response={201: PledgeOut, 403: Problem, 404: Problem}, summary="Buat janji bantuan"
)
def pledge_create(request: HttpRequest, payload: PledgeIn) -> Status[PledgeOut]:
    """For one open need (``need``) or a pool of one kind of help (``category``). A need of
    another city is 404; a need already pledged, or help outside the assessed needs, is 422
    with the reason and a suggestion."""
    user = _user(request)
    if payload.partner is not None:
        partner = Organisation.objects.filter(pk=payload.partner).first()
        if partner is None:
            raise Http404("mitra tidak ditemukan")
    else:
        own = partner_of(user)
        if own is None:
            raise PermissionDenied(_("Isi 'partner': akun Anda bukan akun mitra."))
        partner = own
    need = (
        _scoped(request, needs_visible_to(user), payload.need) if payload.need is not None else None
    )
    category = None
    if payload.category:
        category = NeedCategory.objects.filter(code=payload.category).first()
        if category is None:
            raise ValidationError(
                {
                    "category": _("Jenis bantuan '%(code)s' tidak ada di katalog kebutuhan.")
                    % {"code": payload.category}
                }
            )
    pledge = services.pledge_create(
        actor=user,
        partner=partner,
        need=need,
        category=category,
        description=payload.description,
        amount_rupiah=payload.amount_rupiah,
        quantity=payload.quantity,
        period_months=payload.period_months,
        context=_ctx(request),
    )
    return Status(201, pledge_out(pledge))


@pledges_router.post(
    "/{pledge_id}/approve", response={200: PledgeOut, 409: Problem}, summary="TPPS menyetujui"
)
def pledge_approve(request: HttpRequest, pledge_id: int, payload: DecisionIn | None = None) -> Any:
    user = _user(request)
    pledge = _scoped(request, _pledges(user), pledge_id)
    result = _conflict(
        lambda: services.pledge_approve(
            pledge=pledge, actor=user, note=payload.note if payload else "", context=_ctx(request)
        )
    )
    if isinstance(result, Status):
        return result
    return pledge_out(_pledges(user).get(pk=pledge_id))


@pledges_router.post(
    "/{pledge_id}/reject", response={200: PledgeOut, 409: Problem}, summary="TPPS menolak"
)
def pledge_reject(request: HttpRequest, pledge_id: int, payload: RejectIn) -> Any:
    user = _user(request)
    pledge = _scoped(request, _pledges(user), pledge_id)
    result = _conflict(
        lambda: services.pledge_reject(
            pledge=pledge, actor=user, reason=payload.reason, context=_ctx(request)
        )
    )
    if isinstance(result, Status):
        return result
    return pledge_out(_pledges(user).get(pk=pledge_id))


@pledges_router.post(
    "/{pledge_id}/allocate",
    response={201: PledgeOut, 409: Problem},
    summary="TPPS membagi dana bersama ke satu kebutuhan",
)
def pool_allocate(request: HttpRequest, pledge_id: int, payload: AllocateIn) -> Any:
    user = _user(request)
    pool = _scoped(request, _pledges(user), pledge_id)
    need = _scoped(request, needs_visible_to(user), payload.need)
    result = _conflict(
        lambda: services.pool_allocate(
            pool=pool,
            need=need,
            amount_rupiah=payload.amount_rupiah,
            actor=user,
            context=_ctx(request),
        )
    )
    if isinstance(result, Status):
        return result
    return Status(201, pledge_out(_pledges(user).get(pk=result.pk)))


@pledges_router.post(
    "/{pledge_id}/deliveries",
    response={201: DeliveryOut, 409: Problem},
    summary="Catat pengantaran berikutnya",
)
def delivery_create(request: HttpRequest, pledge_id: int, payload: DeliveryIn) -> Any:
    user = _user(request)
    pledge = _scoped(request, _pledges(user), pledge_id)
    result = _conflict(
        lambda: services.delivery_record(
            pledge=pledge,
            actor=user,
            delivered_on=payload.delivered_on,
            quantity=payload.quantity,
            note=payload.note,
            context=_ctx(request),
        )
    )
    if isinstance(result, Status):
        return result
    return Status(201, delivery_out(result))


class DeliveryPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[DeliveryOut]


@deliveries_router.get("", response=DeliveryPage, summary="Pengantaran (dibatasi wilayah)")
def delivery_list(
    request: HttpRequest, status: str = "", page: int = 1, page_size: int = 25
) -> dict[str, Any]:
    qs = deliveries_visible_to(_user(request)).order_by("scheduled_on", "pk")
    if status:
        qs = qs.filter(status=status)
    part, count, page, page_size = _slice(qs, page, page_size)
    return _page([delivery_out(d) for d in part], count, page, page_size)


@deliveries_router.post(
    "/{delivery_id}/verify",
    response={200: DeliveryOut, 409: Problem},
    summary="Kader/puskesmas memverifikasi pengantaran",
)
def delivery_verify(request: HttpRequest, delivery_id: int, payload: VerifyIn) -> Any:
    user = _user(request)
    delivery = _scoped(request, deliveries_visible_to(user), delivery_id)
    result = _conflict(
        lambda: services.delivery_verify(
            delivery=delivery,
            actor=user,
            received=payload.received,
            note=payload.note,
            eaten=payload.eaten,
            context=_ctx(request),
        )
    )
    if isinstance(result, Status):
        return result
    return delivery_out(result)
