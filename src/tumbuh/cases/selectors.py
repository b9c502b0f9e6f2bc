"""Scoped reads of cases and tasks: one scoping function per entity, tested for every role.

=====================  ==================================================================
role                   sees (cases)
=====================  ==================================================================
administrator          everything
TPPS                   its wilayah (the kota)
kecamatan / kelurahan  cases of subjects living in its area (kelurahan copied on the case;
                       RW/RT officers through the family's RW/RT)
tenaga gizi            cases at posyandu its puskesmas supervises, or living in its wilayah
                       kerja (as ``registry.selectors.children_visible_to``)
kader posyandu         cases of its posyandu, read only (no transition is open to kader)
OPD                    only cases for which its organisation has a task (minimal data: the
                       pages and the API show an OPD no clinical detail beyond the task)
partner, parent        none here (partners see pseudonymised needs in the partners app)
=====================  ==================================================================

Tasks: an organisation's members see its tasks; area roles and the tenaga gizi see the tasks
of the cases they see; others none. A user whose role needs an area but has none sees nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.cases.models import Case, CaseEvent, EventKind, NeedCategory, Task, TaskStatus
from tumbuh.organisations.models import Organisation
from tumbuh.organisations.models import Status as OrgStatus
from tumbuh.wilayah.models import Level, Region

#: Task statuses still waiting for the owner.
OPEN_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.ACCEPTED)


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _area(region: Region) -> Q:
    if region.level == Level.RW:
        return Q(child__person__family__rw=region) | Q(pregnancy__mother__person__family__rw=region)
    if region.level == Level.RT:
        return Q(child__person__family__rt=region) | Q(pregnancy__mother__person__family__rt=region)
    if region.level == Level.VILLAGE:
        return Q(kelurahan=region)
    return Q(kelurahan__code__startswith=region.code + ".")


def _organisation_id(user: User) -> int | None:
    membership = getattr(user, "membership", None)
    return membership.organisation_id if membership is not None else None


def cases_visible_to(user: User | None) -> QuerySet[Case]:
    """The cases ``user`` may see."""
    qs = Case.objects.all()
    if not _active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    match user.role:
        case Role.TPPS | Role.KECAMATAN_OFFICER | Role.KELURAHAN_OFFICER if user.region_id:
            rule = _area(user.region)
        case Role.NUTRITION_OFFICER if user.puskesmas_id:
            served = Region.objects.filter(served_by=user.puskesmas_id).values("pk")
            rule = Q(posyandu__puskesmas_id=user.puskesmas_id) | Q(kelurahan_id__in=served)
        case Role.KADER if user.posyandu_id:
            rule = Q(posyandu_id=user.posyandu_id)
        case Role.OPD:
            org = _organisation_id(user)
            if org is None:
                return qs.none()
            rule = Q(pk__in=Task.objects.filter(owner_id=org).values("case_id"))
        case _:
            return qs.none()
    # Every rule follows foreign keys only (no row is repeated): a plain filter, which the
    # planner handles well on large tables (no ``pk IN (subquery)`` over the whole table).
    return qs.filter(rule)


def tasks_visible_to(user: User | None) -> QuerySet[Task]:
    """The tasks ``user`` may see."""
    qs = Task.objects.all()
    if not _active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    org = _organisation_id(user)
    rule = Q(owner_id=org) if org is not None else Q(pk__in=[])
    if user.role in (
        Role.TPPS,
        Role.KECAMATAN_OFFICER,
        Role.KELURAHAN_OFFICER,
        Role.NUTRITION_OFFICER,
    ):
        rule |= Q(case__in=cases_visible_to(user))
    return qs.filter(rule)


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Tasks (at ``prefix``) still open past their due date."""
    return Q(**{f"{prefix}status__in": OPEN_TASK_STATUSES, f"{prefix}due_date__lt": today})


def case_list(
    user: User | None,
    *,
    child: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    kecamatan: str | None = None,
    kelurahan: str | None = None,
    rw: str | None = None,
    posyandu: int | None = None,
    overdue: bool | None = None,
    owner: int | None = None,
    open_only: bool = False,
    query: str = "",
    today: dt.date | None = None,
) -> QuerySet[Case]:
    """Cases visible to ``user`` with the list filters (area codes for kecamatan, kelurahan
    and RW; ids for child, posyandu and owner organisation; ``query``: the child's or
    mother's name, or the street), most urgent first."""
    on = today or timezone.localdate()
    qs = cases_visible_to(user).select_related(
        "child__person", "pregnancy__mother__person", "kelurahan__parent", "posyandu"
    )
    if child is not None:
        qs = qs.filter(child_id=child)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=["suspected", "verified", "assessed", "in_intervention"])
    if kind:
        qs = qs.filter(kind=kind)
    if kecamatan:
        qs = qs.filter(kelurahan__code__startswith=kecamatan.strip() + ".")
    if kelurahan:
        qs = qs.filter(kelurahan__code=kelurahan.strip())
    if rw:
        qs = qs.filter(
            Q(child__person__family__rw__code=rw.strip())
            | Q(pregnancy__mother__person__family__rw__code=rw.strip())
        )
    if posyandu is not None:
        qs = qs.filter(posyandu_id=posyandu)
    if owner is not None:
        qs = qs.filter(pk__in=Task.objects.filter(owner_id=owner).values("case_id"))
    if overdue is not None:
        late = Exists(Task.objects.filter(overdue_q(on), case_id=OuterRef("pk")))
        qs = qs.filter(late) if overdue else qs.exclude(late)
    text = query.strip()
    if text:
        qs = qs.filter(
            Q(child__person__name__icontains=text)
            | Q(child__mother__person__name__icontains=text)
            | Q(pregnancy__mother__person__name__icontains=text)
            | Q(child__person__family__address_line__icontains=text)
            | Q(pregnancy__mother__person__family__address_line__icontains=text)
        )
    return qs.order_by("-priority", "opened_at", "pk")


def task_list(
    user: User | None,
    *,
    status: str | None = None,
    overdue: bool | None = None,
    case: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Task]:
    """Tasks visible to ``user`` (an OPD: its organisation's), the nearest due date first."""
    on = today or timezone.localdate()
    qs = tasks_visible_to(user).select_related("owner", "case", "intervention")
    if status:
        qs = qs.filter(status=status)
    if case is not None:
        qs = qs.filter(case_id=case)
    if overdue is True:
        qs = qs.filter(overdue_q(on))
    elif overdue is False:
        qs = qs.exclude(overdue_q(on))
    return qs.order_by("due_date", "pk")


def is_overdue(task: Task, today: dt.date | None = None) -> bool:
    return task.status in OPEN_TASK_STATUSES and task.due_date < (today or timezone.localdate())


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    actor: str
    text: str
    data: dict[str, object]


def _actor_name(user: User | None) -> str:
    if user is None:
        return "sistem"
    return user.get_full_name() or user.get_username()


#: Timeline kinds an OPD user may read (no measurements, verification or clinical notes).
OPD_TIMELINE_KINDS = frozenset(
    {
        EventKind.OPENED,
        EventKind.ASSESSED,
        EventKind.INTERVENTION,
        EventKind.TASK,
        EventKind.ESCALATION,
        EventKind.CLOSED,
        EventKind.REOPENED,
    }
)


def sees_clinical_detail(user: User | None) -> bool:
    """OPD users get the minimum their tasks need (UU PDP): no measurements or clinical notes."""
    return bool(user is not None and (user.is_superuser or user.role != Role.OPD))


def case_timeline(case: Case, viewer: User | None = None) -> list[TimelineEntry]:
    """The case's whole history in time order (call only with a case from a scoped query):
    measurements, verification, needs, interventions, tasks, escalations, outcome. For an OPD
    ``viewer`` only the lines of :data:`OPD_TIMELINE_KINDS`."""
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")
    if viewer is not None and not sees_clinical_detail(viewer):
        events = events.filter(kind__in=OPD_TIMELINE_KINDS)
    return [
        TimelineEntry(e.at, e.kind, _actor_name(e.actor), e.text, dict(e.data or {}))
        for e in events
    ]


def allowed_transitions(case: Case, user: User | None) -> list[str]:
    """The actions ``user`` may take on ``case`` now (for buttons; the services check again)."""
    from tumbuh.cases.services.transitions import allowed_actions  # services import selectors

    if not _active(user):
        return []
    return allowed_actions(case, user)


def assignable_owners(need_code: str = "") -> list[Organisation]:
    """Active organisations an intervention can be given to (OPD first, the need's usual owner
    at the top), for the intervention form."""
    orgs = list(
        Organisation.objects.filter(status=OrgStatus.ACTIVE).order_by("kind", "opd_type", "name")
    )
    usual = (
        NeedCategory.objects.filter(code=need_code)
        .values_list("default_owner_id", flat=True)
        .first()
        if need_code
        else None
    )
    return sorted(orgs, key=lambda o: (o.pk != usual, o.kind != "opd"))
