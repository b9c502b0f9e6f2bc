"""Bapak asuh visits: due list and logging (own children only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tumbuh.accounts.models import User
from tumbuh.partners import services
from tumbuh.partners.access import is_tpps
from tumbuh.partners.api.common import (
    MAX_PAGE_SIZE,
    _ctx,
    _page,
    _scoped,
    _slice,
    _user,
)
from tumbuh.partners.models import Patronage, Visit
from tumbuh.partners.portal import patron_children
from tumbuh.partners.schedule import VisitState
from tumbuh.partners.selectors import (
    patronages_visible_to,
    visits_visible_to,
)
from tumbuh.registry.selectors import children_visible_to

visits_router = Router(tags=["partners"])
patronages_router = Router(tags=["partners"])
child_visits_router = Router(tags=["partners"])


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


class PatronageIn(Schema):
    child: int
    patron: str = Field(..., description="nama pengguna bapak asuh (akun mitra)")
    visibility: str = Field("pseudonym", description="pseudonym, name atau name_address")
    consent_by_name: str = Field(..., max_length=150)
    consent_relationship: str = Field(..., max_length=60)
    consent_method: str = Field(..., description="written, verbal atau digital")
    consent_on: dt.date
    started_on: dt.date


class PatronageOut(Schema):
    id: int
    child: int
    patron: str
    pseudonym: str
    visibility: str
    started_on: dt.date
    ended_on: dt.date | None
    consent_withdrawn: bool


class WithdrawIn(Schema):
    reason: str


def patronage_out(p: Patronage) -> PatronageOut:
    return PatronageOut(
        id=p.pk,
        child=p.child_id,
        patron=p.patron.username,
        pseudonym=p.pseudonym,
        visibility=p.visibility,
        started_on=p.started_on,
        ended_on=p.ended_on,
        consent_withdrawn=p.consent_withdrawn,
    )


@patronages_router.post("", response={201: PatronageOut}, summary="TPPS menetapkan anak asuh")
def patronage_create(request: HttpRequest, payload: PatronageIn) -> Status[PatronageOut]:
    """With the family's consent (who, relationship, method, date) and what the patron may
    see. A child outside the TPPS user's area is 404."""
    user = _user(request)
    if not is_tpps(user):
        raise PermissionDenied(_("Hanya TPPS yang dapat menetapkan anak asuh."))
    child = _scoped(request, children_visible_to(user), payload.child)
    patron = User.objects.filter(username=payload.patron, role="partner").first()
    if patron is None:
        raise ValidationError({"patron": _("Tidak ada akun mitra dengan nama pengguna itu.")})
    patronage = services.patron_assign(
        actor=user,
        child=child,
        patron=patron,
        visibility=payload.visibility,
        consent_by_name=payload.consent_by_name,
        consent_relationship=payload.consent_relationship,
        consent_method=payload.consent_method,
        consent_on=payload.consent_on,
        started_on=payload.started_on,
        context=_ctx(request),
    )
    return Status(201, patronage_out(patronage))


@patronages_router.post(
    "/{patronage_id}/withdraw", response=PatronageOut, summary="Keluarga menarik persetujuan"
)
def patronage_withdraw(request: HttpRequest, patronage_id: int, payload: WithdrawIn) -> Any:
    """Recorded by TPPS, an area officer, the kader or the tenaga gizi; the patron's access
    ends at once."""
    user = _user(request)
    if user.role == "partner":
        raise PermissionDenied(_("Penarikan persetujuan dicatat petugas, bukan mitra."))
    patronage = _scoped(request, patronages_visible_to(user), patronage_id)
    result = services.consent_withdraw(
        patronage=patronage, actor=user, reason=payload.reason, context=_ctx(request)
    )
    return patronage_out(result)
