"""``/api/v1`` routes of the partners area (ARCHITECTURE.md contract): open needs, pledges,
approval, deliveries, verification, visits, partner sign-up. Scoped by the same selectors
as the pages; another area's object is 404 with an audited ``denied``; a step out of order
is 409; bad values 422 with Indonesian messages."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases.models import CaseNeed, NeedCategory
from tumbuh.organisations.models import Organisation
from tumbuh.partners import services
from tumbuh.partners.access import AREA, is_tpps, partner_of
from tumbuh.partners.models import Delivery, PartnerApplication, Pledge, Visit
from tumbuh.partners.portal import patron_children
from tumbuh.partners.schedule import VisitState
from tumbuh.partners.selectors import (
    active_patronages_of,
    deliveries_visible_to,
    needs_visible_to,
    open_need_rows,
    open_needs,
    partners_for,
    patronages_visible_to,
    pledges_visible_to,
    visits_visible_to,
)

MAX_PAGE_SIZE = 100
M = TypeVar("M", bound=Model)

needs_router = Router(tags=["partners"])
pledges_router = Router(tags=["partners"])
deliveries_router = Router(tags=["partners"])
visits_router = Router(tags=["partners"])
child_visits_router = Router(tags=["partners"])
partners_router = Router(tags=["partners"])


class Problem(Schema):
    detail: str


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by BearerToken
    assert isinstance(user, User)
    return user


def _ctx(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def _scoped(request: HttpRequest, qs: QuerySet[M], pk: int) -> M:
    """The object ``pk`` from the user's scope; else 404 after an audited ``denied``."""
    found = qs.filter(pk=pk).first()
    if found is None:
        audit_record(
            actor=_user(request),
            action=Action.DENIED,
            object_type=object_type_of(qs.model),
            object_id=pk,
            context=_ctx(request),
        )
        raise Http404("tidak ditemukan")
    return found


def _page(items: list[Any], count: int, page: int, page_size: int) -> dict[str, Any]:
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size) if count else 0,
        "items": items,
    }


def _slice(qs: QuerySet[Any], page: int, page_size: int) -> tuple[QuerySet[Any], int, int, int]:
    page_size = max(1, min(MAX_PAGE_SIZE, page_size))
    count = qs.count()
    page = max(1, min(page, max(1, math.ceil(count / page_size))))
    return qs[(page - 1) * page_size : page * page_size], count, page, page_size


def _conflict(call: Callable[[], Any]) -> Any:
    """Run a service; a step out of order answers 409 with its message."""
    try:
        return call()
    except services.TransitionError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})


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


# -- visits --------------------------------------------------------------------------------------


class VisitOut(Schema):
    id: int = Field(description="id kunjungan; untuk ?due=true: id pengasuhan")
    child: int
    child_label: str = Field(description="nama samaran, atau nama bila keluarga setuju")
    visited_on: dt.date | None = None
    child_seen: bool | None = None
    note: str = ""
    measurement: int | None = None
    due_on: dt.date | None = Field(None, description="?due=true: tanggal jatuh tempo")
    state: str = Field("", description="?due=true: due, overdue atau missed")
    days_late: int = 0
    adherence_percent: int | None = None


class VisitPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[VisitOut]


class VisitIn(Schema):
    visited_on: dt.date
    child_seen: bool
    note: str = ""
    companions: str = Field("", max_length=250)
    measurement: int | None = Field(
        None, description="id pengukuran yang dicatat kader pendamping pada hari kunjungan"
    )


@visits_router.get("", response=VisitPage, summary="Kunjungan bapak asuh")
def visit_list(
    request: HttpRequest, due: bool = False, page: int = 1, page_size: int = 25
) -> dict[str, Any]:
    """``?due=true``: the patron's children whose visit is due, overdue or missed (for TPPS
    and area officers: every patronage of their area in that state). Otherwise the visits
    logged, newest first."""
    user = _user(request)
    today = timezone.localdate()
    if due:
        scope = None if user.role == "partner" else patronages_visible_to(user)
        rows = [
            r
            for r in patron_children(user, today=today, with_growth=False, patronages=scope)
            if r.plan.state is not VisitState.SCHEDULED
        ]
        rows.sort(key=lambda r: (r.plan.due_on, r.patronage.pk))
        page_size = max(1, min(MAX_PAGE_SIZE, page_size))
        page = max(1, page)
        part = rows[(page - 1) * page_size : page * page_size]
        items = [
            VisitOut(
                id=r.patronage.pk,
                child=r.patronage.child_id,
                child_label=r.label,
                due_on=r.plan.due_on,
                state=r.plan.state.value,
                days_late=r.plan.days_late,
                adherence_percent=r.plan.adherence_percent,
            )
            for r in part
        ]
        return _page(items, len(rows), page, page_size)
    qs = visits_visible_to(user).select_related("patronage").order_by("-visited_on", "-pk")
    part, count, page, page_size = _slice(qs, page, page_size)
    return _page([visit_out(v) for v in part], count, page, page_size)


def visit_out(v: Visit) -> VisitOut:
    return VisitOut(
        id=v.pk,
        child=v.patronage.child_id,
        child_label=v.patronage.pseudonym,
        visited_on=v.visited_on,
        child_seen=v.child_seen,
        note=v.note,
        measurement=v.measurement_id,
    )


@child_visits_router.post(
    "/{child_id}/visits", response={201: VisitOut}, summary="Bapak asuh mencatat kunjungan"
)
def visit_create(request: HttpRequest, child_id: int, payload: VisitIn) -> Status[VisitOut]:
    """Own children only: any other child (or one whose family withdrew consent) is 404."""
    user = _user(request)
    patronage = services.patronage_for_child(actor=user, child_id=child_id, context=_ctx(request))
    visit: Visit = services.visit_log(
        actor=user,
        patronage=patronage,
        visited_on=payload.visited_on,
        child_seen=payload.child_seen,
        note=payload.note,
        companions=payload.companions,
        measurement_id=payload.measurement,
        context=_ctx(request),
    )
    return Status(201, visit_out(visit))


# -- partners ------------------------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    kelurahan: list[str]
    application: int | None


class SignupIn(Schema):
    name: str = Field(..., max_length=200)
    kind: str
    contact_name: str = Field(..., max_length=150)
    contact_phone: str = Field("", max_length=20)
    contact_email: str = ""
    kelurahan: list[str] = Field(..., description="kode kelurahan yang ingin dibantu")
    username: str = Field(..., max_length=150)
    password: str
    public_listing: bool = False
    description: str = ""


class SignupOut(Schema):
    application: int
    status: str
    message: str


@partners_router.get("", response=list[PartnerOut], summary="Mitra (TPPS: wilayahnya)")
def partner_list(request: HttpRequest) -> list[PartnerOut]:
    user = _user(request)
    own = partner_of(user)
    if own is not None:
        qs = Organisation.objects.filter(pk=own.pk)
    elif is_tpps(user) or (user.role in AREA and user.region is not None):
        qs = partners_for(user)
    else:
        raise PermissionDenied(_("Daftar mitra untuk TPPS dan petugas wilayah."))
    return [
        PartnerOut(
            id=o.pk,
            name=o.name,
            kind=o.kind,
            status=o.status,
            kelurahan=[k.code for k in o.covers.all()],
            application=getattr(getattr(o, "application", None), "pk", None),
        )
        for o in qs.prefetch_related("covers")
    ]


@partners_router.post(
    "/signup", auth=None, response={201: SignupOut}, summary="Pendaftaran mitra (publik)"
)
def partner_signup(request: HttpRequest, payload: SignupIn) -> Status[SignupOut]:
    """Public (the chatbot's sign-up uses it too): the partner waits for TPPS approval."""
    application: PartnerApplication = services.partner_signup(
        name=payload.name,
        kind=payload.kind,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        description=payload.description,
        kelurahan_codes=payload.kelurahan,
        username=payload.username,
        password=payload.password,
        public_listing=payload.public_listing,
        channel="api",
        context=_ctx(request),
    )
    return Status(
        201,
        SignupOut(
            application=application.pk,
            status=application.status,
            message=_("Terima kasih. Pendaftaran Anda menunggu persetujuan TPPS."),
        ),
    )


@partners_router.post("/applications/{application_id}/approve", response=PartnerOut)
def application_approve(request: HttpRequest, application_id: int) -> PartnerOut:
    user = _user(request)
    application = next((a for a in services.applications_for(user) if a.pk == application_id), None)
    if application is None:
        if not is_tpps(user):
            raise PermissionDenied(_("Hanya TPPS yang dapat memutuskan pendaftaran mitra."))
        raise Http404("pendaftaran tidak ditemukan")
    services.partner_approve(application=application, actor=user, context=_ctx(request))
    org = application.organisation
    org.refresh_from_db()
    return PartnerOut(
        id=org.pk,
        name=org.name,
        kind=org.kind,
        status=org.status,
        kelurahan=[k.code for k in org.covers.all()],
        application=application.pk,
    )


__all__ = [
    "active_patronages_of",
    "child_visits_router",
    "deliveries_router",
    "needs_router",
    "partners_router",
    "pledges_router",
    "visits_router",
]
