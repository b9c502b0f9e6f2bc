"""Who may do what in the partners area: small predicates the services and selectors share.

=====================  =============================================================
role                   in the partners area
=====================  =============================================================
administrator          everything
TPPS                   approves partners and pledges, assigns patrons, all of its kota
kecamatan / kelurahan  reads pledges, deliveries and patronages of its area
tenaga gizi, kader     verify deliveries for the children they see; read their ledger
partner / bapak asuh   its own organisation's pledges and deliveries; its own patronages
                       and visits; the open needs of its city, pseudonymised
OPD, parent            nothing here
=====================  =============================================================
"""

from __future__ import annotations

from django.db.models import Q

from tumbuh.accounts.models import Role, User
from tumbuh.organisations.models import PARTNER_KINDS, Organisation
from tumbuh.registry.selectors import children_visible_to
from tumbuh.wilayah.models import Level, Region

NOTHING = Q(pk__in=[])
AREA = (Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER)


def active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_tpps(user: User | None) -> bool:
    """May approve partners and pledges and assign patrons (a TPPS user with an area)."""
    if not active(user):
        return False
    assert user is not None
    return user.is_superuser or (user.role == Role.TPPS and user.region_id is not None)


def is_verifier(user: User | None) -> bool:
    """Kader and tenaga gizi verify deliveries (for the children they see)."""
    if not active(user):
        return False
    assert user is not None
    return user.role in (Role.KADER, Role.NUTRITION_OFFICER)


def partner_of(user: User | None) -> Organisation | None:
    """The active partner organisation ``user`` works for (None for every other user)."""
    if not active(user):
        return None
    assert user is not None
    if user.role != Role.PARTNER:
        return None
    membership = getattr(user, "membership", None)
    if membership is None:
        return None
    org = membership.organisation
    if org.kind not in PARTNER_KINDS or org.status != "active":
        return None
    return org


def city_code(org: Organisation) -> str | None:
    """The kabupaten/kota (``32.71``) a partner works in: its region's, else its first
    covered kelurahan's. None: nowhere (sees no needs)."""
    region = org.region
    if region is None:
        region = org.covers.order_by("code").first()
    if region is None or region.level < Level.REGENCY:
        return None
    return ".".join(region.code.split(".")[:2])


def area_q(region: Region, kelurahan_path: str) -> Q:
    """Rows whose kelurahan (at ``kelurahan_path``) lies in ``region``."""
    if region.level >= Level.VILLAGE:
        code = ".".join(region.code.split(".")[:4])
        return Q(**{f"{kelurahan_path}__code": code})
    return Q(**{f"{kelurahan_path}__code__startswith": region.code + "."})


def case_scope_q(user: User | None, case_path: str) -> Q:
    """Cases (at ``case_path``) the officer ``user`` may see in the partners area: area roles
    by the case's kelurahan, kader and tenaga gizi by the children they see. Partners, OPD
    and parents get nothing here (their own rules are in the selectors)."""
    if not active(user):
        return NOTHING
    assert user is not None
    if user.is_superuser:
        return Q()
    if user.role in AREA:
        if user.region is None:
            return NOTHING
        return area_q(user.region, f"{case_path}__kelurahan")
    if user.role in (Role.KADER, Role.NUTRITION_OFFICER):
        return Q(**{f"{case_path}__child__in": children_visible_to(user)})
    return NOTHING
