"""Children and their measurements: the registry's selectors for scope, its services for
audited reads and writes, exactly as the pages use them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.growth.categories import Category
from tumbuh.registry import presenters
from tumbuh.registry.models import Child, Measurement, Source
from tumbuh.registry.selectors import child_measurements, child_search
from tumbuh.registry.services import child_open, measurement_record
from tumbuh.wilayah.models import Level, Region

router = Router(tags=["children"])

MAX_PAGE_SIZE = 100


class CategoryOut(Schema):
    code: str
    label: str


class MeasurementOut(Schema):
    id: int
    measured_on: dt.date
    age_days: int
    weight_kg: float | None
    length_cm: float | None
    position: str = Field(description="l berbaring, h berdiri, kosong bila tanpa panjang/tinggi")
    head_circumference_cm: float | None
    arm_circumference_cm: float | None
    oedema: bool
    zscores: dict[str, float | None] = Field(description="zlen, zwei, zwfl, zbmi, zhc, zac")
    flags: dict[str, bool]
    categories: dict[str, CategoryOut | None] = Field(description="bbu, tbu, bbtb, imtu")
    reasons: dict[str, str] = Field(description="alasan untuk setiap z-score yang kosong")
    is_stunted: bool
    trend: str = Field(description="N, T, O atau B (KMS)")
    two_t: bool
    source: str
    standard: str
    engine: str
    needs_review: bool = Field(
        False, description="nilai tidak wajar dari impor yang belum dikonfirmasi seseorang"
    )
    confirmed_warnings: list[str] = Field(
        default_factory=list, description="peringatan yang dilihat dan dikonfirmasi pencatat"
    )
    withdrawn: bool = Field(False, description="ditarik: tidak dihitung lagi")


class ChildSummary(Schema):
    id: int
    name: str
    nik_masked: str
    sex: int
    birth_date: dt.date | None = Field(
        None, description="kosong bagi mitra yang melihat anak tersamar (pakai age_months)"
    )
    age_months: int | None = Field(None, description="umur dalam bulan penuh hari ini")
    kelurahan: str | None
    mother_name: str | None
    posyandu: str | None
    latest_measurement: MeasurementOut | None
    pseudonymised: bool


class ChildPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ChildSummary]


class ChildDetail(ChildSummary):
    address: str | None
    measurements: list[MeasurementOut]


class MeasurementIn(Schema):
    measured_on: dt.date
    weight_kg: Decimal | None = None
    length_cm: Decimal | None = None
    position: str = Field("", description="l (berbaring) atau h (berdiri); wajib bila ada panjang")
    head_circumference_cm: Decimal | None = None
    arm_circumference_cm: Decimal | None = None
    oedema: bool = False
    measured_by_name: str = Field("", max_length=150)
    confirmed: bool = Field(
        False,
        description=(
            "true setelah nilai yang tidak wajar (tanda WHO, berat turun >10 % dalam sebulan, "
            "panjang turun) diperiksa ulang; tanpa ini jawabannya 422 dengan peringatannya"
        ),
    )


class MeasurementCreated(Schema):
    measurement: MeasurementOut
    warnings: list[str]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _category(code: str) -> CategoryOut | None:
    return CategoryOut(code=code, label=str(Category(code).label)) if code else None


Z = ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac")


def measurement_out(m: Measurement) -> MeasurementOut:
    return MeasurementOut(
        id=m.pk,
        measured_on=m.measured_on,
        age_days=m.age_days,
        weight_kg=_float(m.weight_kg),
        length_cm=_float(m.length_cm),
        position=m.position,
        head_circumference_cm=_float(m.head_circumference_cm),
        arm_circumference_cm=_float(m.arm_circumference_cm),
        oedema=m.oedema,
        zscores={
            z: (None if getattr(m, z) is None or math.isnan(getattr(m, z)) else getattr(m, z))
            for z in Z
        },
        flags={f"f{z[1:]}": bool(getattr(m, f"f{z[1:]}")) for z in Z},
        categories={
            i: _category(getattr(m, f"category_{i}")) for i in ("bbu", "tbu", "bbtb", "imtu")
        },
        reasons=dict(m.reasons or {}),
        is_stunted=m.is_stunted,
        trend=m.trend,
        two_t=m.two_t,
        source=m.source,
        standard=m.standard,
        engine=m.engine,
        needs_review=m.needs_review,
        confirmed_warnings=list(m.confirmed_warnings or []),
        withdrawn=m.withdrawn_at is not None,
    )


def _age_months(born: dt.date | None) -> int | None:
    if born is None:
        return None
    today = timezone.localdate()
    return (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)


def _summary(user: User, child: Child) -> dict[str, object]:
    hidden = presenters.pseudonymised(user, child)
    person = child.person
    family = person.family
    return {
        "id": child.pk,
        "name": presenters.display_name(user, child),
        "nik_masked": "" if hidden else person.nik_masked,
        "sex": person.sex,
        # An exact birth date re-identifies a child as well as a name (issue 11): a
        # pseudonymised viewer gets the age in whole months only.
        "birth_date": None if hidden else person.birth_date,
        "age_months": _age_months(person.birth_date),
        "kelurahan": family.kelurahan.name if family and not hidden else None,
        "mother_name": child.mother.person.name if child.mother and not hidden else None,
        "posyandu": child.posyandu.name if child.posyandu else None,
        "latest_measurement": (
            measurement_out(child.latest_measurement) if child.latest_measurement else None
        ),
        "pseudonymised": hidden,
    }


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by BearerToken
    assert isinstance(user, User)
    return user


@router.get("", response=ChildPage, summary="Cari anak (NIK disamarkan)")
def child_list(
    request: HttpRequest,
    q: str = "",
    kelurahan: str | None = None,
    stunted: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> dict[str, object]:
    """Children in the user's area: search by name, NIK, KK or mother's name (``q``), a
    kelurahan code, stunted only (latest measurement). Audited as a list view."""
    user = _user(request)
    page_size = max(1, min(MAX_PAGE_SIZE, page_size))
    kel = None
    if kelurahan:
        kel = Region.objects.filter(code=kelurahan.strip(), level=Level.VILLAGE).first()
        if kel is None:
            return {"count": 0, "page": 1, "page_size": page_size, "pages": 0, "items": []}
    qs = child_search(user, query=q[:100], kelurahan=kel, stunted_only=stunted)
    count = qs.count()
    pages = max(1, math.ceil(count / page_size))
    page = max(1, min(page, pages))
    items = list(qs[(page - 1) * page_size : page * page_size])
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Child),
        detail={"list": True, "ids": [c.pk for c in items], "filtered": bool(q or kel or stunted),
                "api": True},
        context=AuditContext.from_request(request),
    )  # fmt: skip
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages if count else 0,
        "items": [_summary(user, c) for c in items],
    }


@router.get("/{child_id}", response=ChildDetail, summary="Data anak dengan pengukurannya")
def child_detail(request: HttpRequest, child_id: int) -> dict[str, object]:
    """One child with every measurement, z-scores and categories. 404 (and an audited
    ``denied``) for a child outside the user's area."""
    user = _user(request)
    child = child_open(actor=user, child_id=child_id, context=AuditContext.from_request(request))
    hidden = presenters.pseudonymised(user, child)
    family = child.person.family
    return {
        **_summary(user, child),
        "address": (
            family.address
            if family and not hidden and presenters.sees_family_details(user)
            else None
        ),
        "measurements": [measurement_out(m) for m in child_measurements(child)],
    }


@router.get(
    "/{child_id}/measurements", response=list[MeasurementOut], summary="Pengukuran satu anak"
)
def measurement_list(request: HttpRequest, child_id: int) -> list[MeasurementOut]:
    user = _user(request)
    child = child_open(actor=user, child_id=child_id, context=AuditContext.from_request(request))
    return [measurement_out(m) for m in child_measurements(child)]


@router.post(
    "/{child_id}/measurements",
    response={201: MeasurementCreated},
    summary="Catat pengukuran (z-score dihitung mesin pertumbuhan)",
)
def measurement_create(
    request: HttpRequest, child_id: int, payload: MeasurementIn
) -> Status[dict[str, object]]:
    """Through the registry's ``measurement_record``: impossible values are refused with 422
    and one Indonesian message per field; implausible values answer 422 with ``warnings`` and
    ``needs_confirmation: true`` unless ``confirmed`` is true; nothing is stored then."""
    user = _user(request)
    context = AuditContext.from_request(request)
    child = child_open(actor=user, child_id=child_id, context=context)
    result = measurement_record(
        actor=user,
        child=child,
        measured_on=payload.measured_on,
        weight_kg=payload.weight_kg,
        length_cm=payload.length_cm,
        position=payload.position,
        head_circumference_cm=payload.head_circumference_cm,
        arm_circumference_cm=payload.arm_circumference_cm,
        oedema=payload.oedema,
        measured_by_name=payload.measured_by_name,
        source=Source.API,
        confirmed=payload.confirmed,
        context=context,
    )
    return Status(
        201,
        {"measurement": measurement_out(result.measurement), "warnings": list(result.warnings)},
    )
