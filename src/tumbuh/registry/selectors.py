"""Scoped reads of people's data: one scoping function per entity, tested for every role.

Every query for children, mothers, families, pregnancies or measurements starts from one of the
``*_visible_to(user)`` functions; views never filter ``objects.all()`` themselves. The rules
(docs/decisions/0011-role-and-area-scoping.md):

=====================  ==================================================================
role                   sees
=====================  ==================================================================
administrator          everything (superuser; uses the Django admin)
TPPS                   its wilayah (the kota) — everything living there
kecamatan officer      families living in its kecamatan
kelurahan officer      families living in its kelurahan (or RW/RT if assigned that low)
tenaga gizi            its puskesmas: families in the puskesmas' wilayah kerja, and children
                       and mothers registered at the posyandu it supervises
kader posyandu         children and mothers registered at its posyandu (and their families)
partner / bapak asuh   children assigned to it (open assignments), nothing else
parent                 its own children (as mother or father) and itself
OPD                    no personal records (works on tasks; cases come later)
=====================  ==================================================================

A user whose role needs an area but has none assigned sees nothing (fail closed).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F, Prefetch, Q, QuerySet

from tumbuh.accounts.models import Role, User
from tumbuh.registry.models import (
    BreastfeedingPeriod,
    Child,
    Family,
    LinkRequest,
    Measurement,
    Mother,
    Pregnancy,
    PregnancyOutcome,
)
from tumbuh.registry.risks import at_risk_q
from tumbuh.wilayah.models import Level, Region

NOTHING = Q(pk__in=[])


def _area(region: Region, family: str) -> Q:
    """Families (at lookup path ``family``; "" for Family itself) living in ``region``, at
    any level of the tree: a prefix match on the kelurahan code above kelurahan level."""
    at = f"{family}__" if family else ""
    if region.level == Level.RW:
        return Q(**{f"{at}rw": region})
    if region.level == Level.RT:
        return Q(**{f"{at}rt": region})
    if region.level == Level.VILLAGE:
        return Q(**{f"{at}kelurahan": region})
    return Q(**{f"{at}kelurahan__code__startswith": region.code + "."})


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def children_visible_to(user: User | None) -> QuerySet[Child]:
    """The children ``user`` may see."""
    qs = Child.objects.all()
    if not _active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    family = "person__family"
    match user.role:
        case Role.TPPS | Role.KECAMATAN_OFFICER | Role.KELURAHAN_OFFICER if user.region_id:
            rule = _area(user.region, family)
        case Role.NUTRITION_OFFICER if user.puskesmas_id:
            rule = Q(posyandu__puskesmas_id=user.puskesmas_id) | Q(
                **{f"{family}__kelurahan__served_by": user.puskesmas_id}
            )
        case Role.KADER if user.posyandu_id:
            rule = Q(posyandu_id=user.posyandu_id)
        case Role.PARTNER:
            rule = Q(pk__in=user.child_assignments.filter(ended_on__isnull=True).values("child_id"))
        case Role.PARENT if user.person_id:
            rule = Q(mother__person_id=user.person_id) | Q(father_id=user.person_id)
        case _:
            return qs.none()
    return qs.filter(pk__in=Child.objects.filter(rule).values("pk"))


def mothers_visible_to(user: User | None) -> QuerySet[Mother]:
    """The mothers (and so their pregnancies) ``user`` may see."""
    qs = Mother.objects.all()
    if not _active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    family = "person__family"
    match user.role:
        case Role.TPPS | Role.KECAMATAN_OFFICER | Role.KELURAHAN_OFFICER if user.region_id:
            rule = _area(user.region, family)
        case Role.NUTRITION_OFFICER if user.puskesmas_id:
            rule = (
                Q(posyandu__puskesmas_id=user.puskesmas_id)
                | Q(children__posyandu__puskesmas_id=user.puskesmas_id)
                | Q(**{f"{family}__kelurahan__served_by": user.puskesmas_id})
            )
        case Role.KADER if user.posyandu_id:
            rule = Q(posyandu_id=user.posyandu_id) | Q(children__posyandu_id=user.posyandu_id)
        case Role.PARENT if user.person_id:
            rule = Q(person_id=user.person_id)
        case _:
            return qs.none()
    return qs.filter(pk__in=Mother.objects.filter(rule).values("pk"))


#: Roles whose scope can hold mothers (``mothers_visible_to``): partners and OPD see none.
MOTHER_ROLES = frozenset(
    {
        Role.TPPS,
        Role.KECAMATAN_OFFICER,
        Role.KELURAHAN_OFFICER,
        Role.NUTRITION_OFFICER,
        Role.KADER,
        Role.PARENT,
    }
)


def can_see_mothers(user: User | None) -> bool:
    """Does ``user``'s role see mothers at all (for menus; the records come from
    ``mothers_visible_to``)?"""
    if not _active(user):
        return False
    assert user is not None
    return user.is_superuser or user.role in MOTHER_ROLES


def families_visible_to(user: User | None) -> QuerySet[Family]:
    """The families (KK, address) ``user`` may see: those of visible children or mothers, and,
    for area roles, every family living in the area."""
    qs = Family.objects.all()
    if not _active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    if user.role in (Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER):
        if not user.region_id:
            return qs.none()
        return qs.filter(_area(user.region, ""))
    via_children = children_visible_to(user).values("person__family_id")
    via_mothers = mothers_visible_to(user).values("person__family_id")
    return qs.filter(Q(pk__in=via_children) | Q(pk__in=via_mothers))


def measurements_visible_to(user: User | None) -> QuerySet[Measurement]:
    """Active (not withdrawn) measurements of the children ``user`` may see."""
    return Measurement.objects.active().filter(child__in=children_visible_to(user))


def pregnancies_visible_to(user: User | None) -> QuerySet[Pregnancy]:
    """Pregnancies of the mothers ``user`` may see."""
    return Pregnancy.objects.filter(mother__in=mothers_visible_to(user))


def child_search(
    user: User,
    *,
    query: str = "",
    kelurahan: Region | None = None,
    stunted_only: bool = False,
) -> QuerySet[Child]:
    """Children visible to ``user`` matching a name or mother's name (any part, case-insensitive),
    a kelurahan name (whole), a street or house address (any part: "Veteran" finds Jl. Veteran),
    RT/RW numbers ("RT 2", "RW 003", "Veteran RW 3"), or a 16-digit NIK or KK number (exactly,
    the child's or mother's NIK); optionally in one kelurahan and only the stunted (latest
    measurement)."""
    qs = children_visible_to(user).select_related(
        "person",
        "person__family",
        "person__family__kelurahan",
        "mother__person",
        "posyandu",
        "latest_measurement",
    )
    text = query.strip()
    if not user.is_superuser and user.role == Role.PARTNER:
        return _partner_search(user, qs, text, kelurahan, stunted_only)
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) == 16 and len(digits) >= len(text.replace(" ", "")) - 2:
            qs = qs.filter(
                Q(person__nik=digits)
                | Q(person__family__kk_number=digits)
                | Q(mother__person__nik=digits)
            )
        else:
            text, rt_rw = split_rt_rw(text)
            if rt_rw:
                qs = qs.filter(**rt_rw)
            if text:
                qs = qs.filter(
                    Q(person__name__icontains=text)
                    | Q(mother__person__name__icontains=text)
                    | Q(person__family__kelurahan__name__iexact=text)
                    | Q(person__family__address_line__icontains=text)
                )
    if kelurahan is not None:
        qs = qs.filter(person__family__kelurahan=kelurahan)
    if stunted_only:
        qs = qs.filter(latest_measurement__is_stunted=True)
    return qs.order_by("person__name", "pk")


_RT_RW = re.compile(r"\b(RT|RW)\s*\.?\s*0*(\d{1,3})\b", re.IGNORECASE)


def split_rt_rw(text: str) -> tuple[str, dict[str, str]]:
    """``"Veteran RT 2/RW 03"`` -> (``"Veteran"``, filters on the family's RT and RW numbers).
    RT and RW nodes are named by their zero-padded number (``wilayah.services.rw_rt_ensure``)."""
    filters: dict[str, str] = {}
    for kind, number in _RT_RW.findall(text):
        filters[f"person__family__{kind.lower()}__name"] = f"{int(number):03d}"
    rest = _RT_RW.sub(" ", text).replace("/", " ").strip(" ,")
    return " ".join(rest.split()), filters


def initials_key(text: str) -> str:
    """The letters of initials as typed or shown ("T. S.", "ts", "T.S" -> "TS")."""
    return "".join(ch for ch in text.upper() if ch.isalpha())


def _partner_search(
    user: User,
    qs: QuerySet[Child],
    text: str,
    kelurahan: Region | None,
    stunted_only: bool,
) -> QuerySet[Child]:
    """A pseudonymising viewer (partner, bapak asuh) filters and sorts only on what it sees
    (issue 11, finding 2): a child shown as initials matches on its initials (the start of
    them), never on its name, NIK, KK or mother's name; a child whose family agreed to show
    the name matches on that name. No NIK or KK lookup at all. Sorted by birth date, not by
    name, so the order tells nothing about the hidden names."""
    if kelurahan is not None:
        qs = qs.filter(person__family__kelurahan=kelurahan)
    if stunted_only:
        qs = qs.filter(latest_measurement__is_stunted=True)
    if text:
        named = set(
            user.child_assignments.filter(ended_on__isnull=True, show_name=True).values_list(
                "child_id", flat=True
            )
        )
        wanted = initials_key(text)
        needle = text.casefold()
        keep = []
        for pk, name in qs.values_list("pk", "person__name"):
            if pk in named:
                if needle in name.casefold():
                    keep.append(pk)
            elif wanted and initials_key(
                "".join(part[0] for part in name.split() if part)
            ).startswith(wanted):
                keep.append(pk)
        qs = qs.filter(pk__in=keep)
    return qs.order_by("person__birth_date", "pk")


def child_measurements(child: Child) -> list[Measurement]:
    """A child's active measurements in date order (call only with a child from a scoped
    query). Withdrawn ones: :func:`child_withdrawn_measurements`."""
    return list(
        child.measurements.active()
        .select_related("posyandu", "measured_by")
        .order_by("measured_on")
    )


def child_withdrawn_measurements(child: Child) -> list[Measurement]:
    """A child's withdrawn measurements (shown apart, with who withdrew them and why)."""
    return list(
        child.measurements.filter(withdrawn_at__isnull=False)
        .select_related("withdrawn_by")
        .order_by("measured_on")
    )


def pregnancy_search(
    user: User, *, query: str = "", at_risk_only: bool = False, today: dt.date
) -> QuerySet[Pregnancy]:
    """Ongoing pregnancies of the mothers visible to ``user`` whose name matches (any part,
    case-insensitive) or whose NIK is the 16 digits typed; optionally only those at risk (KEK,
    anaemia, too few ANC visits on ``today``: ``registry.risks``). Nearest HPL first."""
    qs = (
        pregnancies_visible_to(user)
        .filter(outcome=PregnancyOutcome.ONGOING)
        .select_related("mother__person__family__kelurahan")
    )
    text = query.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) == 16 and len(digits) >= len(text.replace(" ", "")) - 2:
            qs = qs.filter(mother__person__nik=digits)
        else:
            qs = qs.filter(mother__person__name__icontains=text)
    if at_risk_only:
        qs = qs.filter(at_risk_q(today))
    return qs.order_by(F("due_date").asc(nulls_last=True), "mother__person__name", "pk")


def mother_children(user: User, mother: Mother) -> list[Child]:
    """A mother's children that ``user`` may see (the others are left out), eldest first."""
    return list(
        children_visible_to(user)
        .filter(mother=mother)
        .select_related("person", "latest_measurement")
        .prefetch_related(
            Prefetch("breastfeeding", BreastfeedingPeriod.objects.order_by("started_on", "pk"))
        )
        .order_by("person__birth_date", "pk")
    )


def link_requests_visible_to(user: User | None) -> QuerySet[LinkRequest]:
    """Link requests an officer decides: those whose deciding wilayah is the officer's own
    region or lies inside it (so the officer sees both records). Other roles see none."""
    qs = LinkRequest.objects.select_related("region")
    if not _active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    if user.role in (Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER) and user.region_id:
        code = user.region.code
        return qs.filter(Q(region__code=code) | Q(region__code__startswith=code + "."))
    return qs.none()
