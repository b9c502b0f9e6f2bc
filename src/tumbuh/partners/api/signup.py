"""Partners: the public sign-up, TPPS's list and approval."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tumbuh.organisations.models import Organisation
from tumbuh.partners import services
from tumbuh.partners.access import AREA, is_tpps, partner_of
from tumbuh.partners.api.common import (
    _ctx,
    _user,
)
from tumbuh.partners.models import PartnerApplication
from tumbuh.partners.selectors import (
    partners_for,
)

partners_router = Router(tags=["partners"])


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
