"""Creating users with a role and an area (used by the demo data and by tests; people with
the Django admin do the same by hand)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.wilayah.models import Level, Posyandu, Puskesmas, Region

AREA_LEVELS = {
    Role.TPPS: (Level.PROVINCE, Level.REGENCY),
    Role.KECAMATAN_OFFICER: (Level.DISTRICT,),
    Role.KELURAHAN_OFFICER: (Level.VILLAGE, Level.RW, Level.RT),
}


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    region: Region | None = None,
    puskesmas: Puskesmas | None = None,
    posyandu: Posyandu | None = None,
    organisation: str = "",
    is_demo: bool = False,
    context: AuditContext = SYSTEM,
) -> User:
    """A user with the area its role needs (a region at the right level, a puskesmas, a
    posyandu); ``ValidationError`` when the area does not fit the role."""
    errors: dict[str, list[str]] = {}
    levels = AREA_LEVELS.get(role)
    if levels is not None and (region is None or region.level not in levels):
        names = ", ".join(str(Level(level).label) for level in levels)
        errors["region"] = [f"Peran {role.label} membutuhkan wilayah tingkat {names}."]
    if role == Role.NUTRITION_OFFICER and puskesmas is None:
        errors["puskesmas"] = ["Tenaga gizi membutuhkan puskesmas."]
    if role == Role.KADER and posyandu is None:
        errors["posyandu"] = ["Kader membutuhkan posyandu."]
    if User.objects.filter(username=username).exists():
        errors["username"] = ["Nama pengguna sudah dipakai."]
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        region=region,
        puskesmas=puskesmas,
        posyandu=posyandu,
        organisation=organisation,
        is_demo=is_demo,
    )
    user.set_password(password)
    user.save()
    audit_object(actor=actor, action=Action.CREATE, obj=user, context=context)
    return user
