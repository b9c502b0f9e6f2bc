"""``GET /api/v1/prevention``: the prevention worklist as JSON, paged like ``/api/v1/children``,
scoped exactly like the page ``/kasus/berisiko/`` (``cases.prevention``) and audited."""

from __future__ import annotations

import math
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases import prevention
from tumbuh.registry import presenters
from tumbuh.registry.models import Child, Pregnancy
from tumbuh.wilayah.models import Level, Region

router = Router(tags=["prevention"])

MAX_PAGE_SIZE = 100


class ReasonOut(Schema):
    code: str = Field(description="kode aturan (lihat GET /api/v1/prevention/rules)")
    title: str
    reason: str


class EntryOut(Schema):
    id: int = Field(description="id anak (subject=child) atau id kehamilan (subject=pregnancy)")
    subject: str
    child: int | None
    pregnancy: int | None
    mother: int | None
    name: str
    pseudonymised: bool
    kelurahan: str | None
    posyandu: str | None
    age_months: int | None
    gestational_weeks: int | None
    latest_zlen: float | None
    priority: int
    reasons: list[ReasonOut]


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[EntryOut]


class RuleOut(Schema):
    code: str
    subject: str
    title: str
    description: str
    source: str


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by BearerToken
    assert isinstance(user, User)
    return user


def _reasons(hits: list[prevention.Hit]) -> list[dict[str, str]]:
    return [{"code": h.code, "title": str(h.rule.title), "reason": h.reason} for h in hits]


@router.get("/rules", response=list[RuleOut], summary="Aturan daftar berisiko")
def rule_list(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {
            "code": r.code,
            "subject": r.subject,
            "title": str(r.title),
            "description": str(r.description),
            "source": r.source,
        }
        for r in prevention.RULES
    ]


@router.get("", response=EntryPage, summary="Daftar berisiko stunting (pencegahan)")
def prevention_list(
    request: HttpRequest,
    subject: Literal["child", "pregnancy"] = "child",
    kelurahan: str | None = None,
    rule: str = "",
    page: int = 1,
    page_size: int = 25,
) -> dict[str, object]:
    """Children heading for stunting (or, with ``subject=pregnancy``, ongoing pregnancies at
    risk) in the user's area, most urgent first, each with the reasons it is listed. Filters:
    a kelurahan code, a rule code. Over a whole city (more than ``MAX_CANDIDATES`` children to
    check) without ``kelurahan``: 422 asking for one. 403 for roles that do not work the list
    (OPD, partners, parents)."""
    user = _user(request)
    if not prevention.can_see_prevention(user):
        raise PermissionDenied("Peran Anda tidak melihat daftar anak berisiko.")
    page_size = max(1, min(MAX_PAGE_SIZE, page_size))
    empty = {"count": 0, "page": 1, "page_size": page_size, "pages": 0, "items": []}
    kel_id = None
    if kelurahan:
        kel = Region.objects.filter(code=kelurahan.strip(), level=Level.VILLAGE).first()
        if kel is None:
            return empty
        kel_id = kel.pk
    today = timezone.localdate()
    items: list[dict[str, object]] = []
    if subject == "child":
        try:
            entries = prevention.prevention_children(
                user, today=today, kelurahan_id=kel_id, rule=rule
            )
        except prevention.ScopeTooLarge as exc:
            raise ValidationError({"kelurahan": [exc.message]}) from exc
        count = len(entries)
        pages = max(1, math.ceil(count / page_size))
        page = max(1, min(page, pages))
        chosen = prevention.load_children(entries[(page - 1) * page_size : page * page_size])
        for e in chosen:
            c = e.child
            assert c is not None
            hidden = presenters.pseudonymised(user, c)
            family = c.person.family
            items.append(
                {
                    "id": c.pk,
                    "subject": "child",
                    "child": c.pk,
                    "pregnancy": None,
                    "mother": None,
                    "name": presenters.display_name(user, c),
                    "pseudonymised": hidden,
                    "kelurahan": family.kelurahan.name if family and not hidden else None,
                    "posyandu": c.posyandu.name if c.posyandu else None,
                    "age_months": int((today - c.birth_date).days // 30.4375),
                    "gestational_weeks": None,
                    "latest_zlen": e.latest_zlen,
                    "priority": e.priority,
                    "reasons": _reasons(e.hits),
                }
            )
        ids = [e.child_id for e in chosen]
        object_type = object_type_of(Child)
    else:
        p_entries = prevention.prevention_pregnancies(
            user, today=today, kelurahan_id=kel_id, rule=rule
        )
        count = len(p_entries)
        pages = max(1, math.ceil(count / page_size))
        page = max(1, min(page, pages))
        p_chosen = p_entries[(page - 1) * page_size : page * page_size]
        for pe in p_chosen:
            p = pe.pregnancy
            family = p.mother.person.family
            items.append(
                {
                    "id": p.pk,
                    "subject": "pregnancy",
                    "child": None,
                    "pregnancy": p.pk,
                    "mother": p.mother_id,
                    "name": p.mother.person.name,
                    "pseudonymised": False,
                    "kelurahan": family.kelurahan.name if family else None,
                    "posyandu": p.mother.posyandu.name if p.mother.posyandu else None,
                    "age_months": None,
                    "gestational_weeks": pe.weeks,
                    "latest_zlen": None,
                    "priority": pe.priority,
                    "reasons": _reasons(pe.hits),
                }
            )
        ids = [pe.pregnancy.pk for pe in p_chosen]
        object_type = object_type_of(Pregnancy)
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type,
        detail={"list": True, "prevention": True, "ids": ids, "api": True,
                "filtered": bool(kel_id or rule)},
        context=AuditContext.from_request(request),
    )  # fmt: skip
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages if count else 0,
        "items": items,
    }
