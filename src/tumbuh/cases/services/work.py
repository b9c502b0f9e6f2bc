"""Interventions, referrals and tasks to OPD: the work on a case's assessed needs.

``intervention_plan`` answers one assessed need with an owner (an OPD, or a partner), a
package and a due date, and gives the owner a :class:`Task`. The owner's members accept,
reject (with a reason), report progress and complete it (with evidence); completing the task
delivers the intervention and covers the need. Every step writes a ``TaskUpdate`` (the
task's history), a line on the case timeline and an audit row, in one transaction.

Task steps as a table (:data:`TASK_STEPS`): from which statuses, to which status.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.cases.errors import CaseInputError, TransitionError
from tumbuh.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseNeed,
    EventKind,
    Intervention,
    InterventionStatus,
    NeedStatus,
    Referral,
    ReferralStatus,
    Task,
    TaskStatus,
    TaskUpdate,
    TaskUpdateKind,
)
from tumbuh.cases.services.lifecycle import _check_scope, _clean, _locked
from tumbuh.cases.services.transitions import apply_transition, check_transition
from tumbuh.organisations.models import Organisation, Status
from tumbuh.wilayah.models import Puskesmas

#: Task steps: action -> (from statuses, to status or None for unchanged, TaskUpdate kind).
TASK_STEPS: dict[str, tuple[frozenset[str], str | None, TaskUpdateKind]] = {
    "accept": (frozenset({TaskStatus.OPEN}), TaskStatus.ACCEPTED, TaskUpdateKind.ACCEPTED),
    "reject": (
        frozenset({TaskStatus.OPEN, TaskStatus.ACCEPTED}),
        TaskStatus.REJECTED,
        TaskUpdateKind.REJECTED,
    ),
    "progress": (frozenset({TaskStatus.ACCEPTED}), None, TaskUpdateKind.PROGRESS),
    "complete": (
        frozenset({TaskStatus.OPEN, TaskStatus.ACCEPTED}),
        TaskStatus.DONE,
        TaskUpdateKind.DONE,
    ),
}

#: Who may change an intervention's status or refer, besides the owner's members.
CASE_WORKERS = frozenset({Role.TPPS, Role.NUTRITION_OFFICER})


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def organisation_of(user: User | None) -> Organisation | None:
    """The organisation ``user`` works for (``Membership``), or None."""
    if user is None or not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.organisation if membership is not None else None


def _is_member(user: User | None, organisation_id: int) -> bool:
    org = organisation_of(user)
    return org is not None and org.pk == organisation_id


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def intervention_plan(
    *,
    case: Case,
    need: str,
    owner: Organisation | None,
    due_date: dt.date,
    package: str = "",
    note: str = "",
    actor: User | None,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Intervention:
    """Plan an intervention for the assessed need ``need`` (a catalogue code) with ``owner``
    by ``due_date``, and create the owner's task. Refused: a need not assessed on this case,
    an owner that is not an active organisation, a due date in the past, the same need and
    owner already planned or running."""
    _check_scope(case, actor)
    with transaction.atomic():
        locked = _locked(case)
        check_transition(locked, "plan", actor)
        case_need = (
            CaseNeed.objects.select_related("category")
            .filter(case=locked, category__code=str(need).strip())
            .first()
        )
        if case_need is None:
            raise CaseInputError(
                _("Kebutuhan '%(need)s' belum dinilai pada kasus ini; nilai kebutuhannya dulu.")
                % {"need": need},
                field="need",
            )
        if owner is None or owner.status != Status.ACTIVE:
            raise CaseInputError(
                _("Penanggung jawab tidak dikenal atau tidak aktif; pilih OPD atau mitra aktif."),
                field="owner",
            )
        if due_date < _today(today):
            raise CaseInputError(
                _("Tenggat %(date)s sudah lewat; pilih hari ini atau tanggal sesudahnya.")
                % {"date": due_date.isoformat()},
                field="due_date",
            )
        if Intervention.objects.filter(
            need=case_need,
            owner=owner,
            status__in=[InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS],
        ).exists():
            raise CaseInputError(
                _(
                    "Intervensi untuk kebutuhan ini sudah diberikan kepada %(owner)s dan masih "
                    "berjalan; perbarui yang ada, jangan membuat dua kali."
                )
                % {"owner": owner},
                field="need",
            )
        now = timezone.now()
        user = _user(actor)
        intervention = Intervention.objects.create(
            case=locked,
            need=case_need,
            owner=owner,
            package=_clean(package, 200),
            due_date=due_date,
            note=_clean(note),
            created_by=user,
        )
        title = str(case_need.category.name)
        if intervention.package:
            title = f"{title}: {intervention.package}"
        task = Task.objects.create(
            case=locked,
            intervention=intervention,
            owner=owner,
            title=title[:250],
            description=_clean(note),
            due_date=due_date,
            assigned_by=user,
            assigned_at=now,
            is_demo=locked.is_demo,
        )
        TaskUpdate.objects.create(
            task=task,
            at=now,
            kind=TaskUpdateKind.ASSIGNED,
            actor=user,
            text=_("Ditugaskan dengan tenggat %(date)s.") % {"date": due_date.isoformat()},
            notified=_member_names(owner.pk),
        )
        case_need.status = NeedStatus.PLANNED
        case_need.save(update_fields=["status"])
        apply_transition(
            case=locked, action="plan", actor=actor, context=context,
            text=_("Intervensi direncanakan: %(title)s, oleh %(owner)s, tenggat %(date)s.")
            % {"title": title, "owner": owner, "date": due_date.isoformat()},
            data={"intervention": intervention.pk, "task": task.pk, "owner": owner.pk},
        )  # fmt: skip
        audit_object(
            actor=actor, action=Action.CREATE, obj=intervention,
            detail={"case": locked.pk, "owner": owner.pk, "task": task.pk}, context=context,
        )  # fmt: skip
    return intervention


def _member_names(organisation_id: int, *, heads_only: bool = False) -> list[str]:
    from tumbuh.organisations.models import Membership

    qs = Membership.objects.filter(organisation_id=organisation_id, user__is_active=True)
    if heads_only:
        qs = qs.filter(is_head=True)
    return sorted(qs.values_list("user__username", flat=True))


def _may_work_on(actor: User | None, owner_id: int) -> bool:
    if actor is None:
        return True
    if not (actor.is_authenticated and actor.is_active):
        return False
    return actor.is_superuser or actor.role in CASE_WORKERS or _is_member(actor, owner_id)


def _deliver(
    intervention: Intervention,
    *,
    status: str,
    reason: str,
    evidence_note: str,
    evidence_file: File[Any] | None,
    delivered_on: dt.date | None,
    today: dt.date,
) -> list[str]:
    """Set the intervention's status and keep its need in step; the changed fields."""
    changed = ["status"]
    intervention.status = status
    if status == InterventionStatus.DELIVERED:
        on = delivered_on or today
        if on > today:
            raise CaseInputError(
                _("Tanggal diberikan tidak boleh di masa depan."), field="delivered_on"
            )
        intervention.delivered_on = on
        changed.append("delivered_on")
        intervention.need.status = NeedStatus.COVERED
    elif status == InterventionStatus.NOT_DELIVERED:
        if not reason.strip():
            raise CaseInputError(_("Tuliskan alasan intervensi tidak diberikan."), field="reason")
        intervention.reason = _clean(reason)
        changed.append("reason")
        intervention.need.status = NeedStatus.OPEN
    if evidence_note.strip():
        intervention.evidence_note = _clean(evidence_note)
        changed.append("evidence_note")
    if evidence_file is not None:
        intervention.evidence_file = evidence_file
        changed.append("evidence_file")
    intervention.save(update_fields=[*changed, "updated_at"])
    intervention.need.save(update_fields=["status"])
    return changed


#: Intervention status changes allowed: from -> to.
INTERVENTION_STEPS: dict[str, frozenset[str]] = {
    InterventionStatus.PLANNED: frozenset(
        {
            InterventionStatus.IN_PROGRESS,
            InterventionStatus.DELIVERED,
            InterventionStatus.NOT_DELIVERED,
        }
    ),
    InterventionStatus.IN_PROGRESS: frozenset(
        {InterventionStatus.DELIVERED, InterventionStatus.NOT_DELIVERED}
    ),
    InterventionStatus.DELIVERED: frozenset(),
    InterventionStatus.NOT_DELIVERED: frozenset(),
}


def intervention_update(
    *,
    intervention: Intervention,
    status: str,
    actor: User | None,
    reason: str = "",
    evidence_note: str = "",
    evidence_file: File[Any] | None = None,
    delivered_on: dt.date | None = None,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Intervention:
    """Move an intervention on (planned -> in progress -> delivered, or not delivered with a
    reason), with evidence. Delivering it completes its task."""
    if status not in InterventionStatus.values:
        raise CaseInputError(_("Status intervensi tidak dikenal."), field="status")
    if not _may_work_on(actor, intervention.owner_id):
        raise PermissionDenied(_("Anda tidak dapat memperbarui intervensi ini."))
    with transaction.atomic():
        locked = (
            Intervention.objects.select_for_update()
            .select_related("need__category", "owner")
            .get(pk=intervention.pk)
        )
        case = _locked(locked.case)
        if case.status not in OPEN_STATUSES:
            raise TransitionError(_("Kasus sudah ditutup; intervensi tidak dapat diubah."))
        if status not in INTERVENTION_STEPS[locked.status]:
            raise TransitionError(
                _("Intervensi berstatus '%(now)s' tidak bisa menjadi '%(to)s'.")
                % {
                    "now": InterventionStatus(locked.status).label,
                    "to": InterventionStatus(status).label,
                }
            )
        changed = _deliver(
            locked, status=status, reason=reason, evidence_note=evidence_note,
            evidence_file=evidence_file, delivered_on=delivered_on, today=_today(today),
        )  # fmt: skip
        now = timezone.now()
        task = Task.objects.filter(intervention=locked).first()
        delivered = status == InterventionStatus.DELIVERED
        if task is not None and delivered and task.status in (TaskStatus.OPEN, TaskStatus.ACCEPTED):
            task.status = TaskStatus.DONE
            task.completed_at = now
            task.completion_note = _clean(evidence_note)
            task.save(update_fields=["status", "completed_at", "completion_note"])
            TaskUpdate.objects.create(
                    task=task, at=now, kind=TaskUpdateKind.DONE, actor=_user(actor),
                    text=_("Selesai: intervensi diberikan."),
                )  # fmt: skip
        text = _("Intervensi %(title)s: %(status)s.") % {
            "title": locked.need.category.name,
            "status": InterventionStatus(status).label,
        }
        if reason.strip():
            text = f"{text} {_clean(reason)}"
        CaseEvent.objects.create(
            case=case, at=now, kind=EventKind.INTERVENTION, actor=_user(actor), text=text,
            data={"intervention": locked.pk, "status": status},
        )  # fmt: skip
        audit_object(actor=actor, action=Action.UPDATE, obj=locked, changed_fields=changed,
                     detail={"case": case.pk}, context=context)  # fmt: skip
    return locked


def referral_create(
    *,
    case: Case,
    reason: str,
    to_puskesmas: Puskesmas | None = None,
    to_facility: str = "",
    referred_on: dt.date,
    actor: User | None,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Referral:
    """Refer the child (or mother) of an open case to a puskesmas or a hospital."""
    _check_scope(case, actor)
    if actor is not None and not (actor.is_superuser or actor.role in CASE_WORKERS):
        raise PermissionDenied(_("Peran Anda tidak dapat membuat rujukan."))
    if not reason.strip():
        raise CaseInputError(_("Tuliskan alasan rujukan."), field="reason")
    if to_puskesmas is None and not to_facility.strip():
        raise CaseInputError(
            _("Pilih puskesmas tujuan atau tuliskan nama rumah sakit/fasilitas."),
            field="to_facility",
        )
    if referred_on > _today(today):
        raise CaseInputError(_("Tanggal rujuk tidak boleh di masa depan."), field="referred_on")
    with transaction.atomic():
        locked = _locked(case)
        if locked.status not in OPEN_STATUSES:
            raise TransitionError(_("Kasus sudah ditutup; buka kembali untuk merujuk."))
        referral = Referral.objects.create(
            case=locked, to_puskesmas=to_puskesmas, to_facility=_clean(to_facility, 200),
            reason=_clean(reason), referred_on=referred_on, created_by=_user(actor),
        )  # fmt: skip
        where = str(to_puskesmas) if to_puskesmas is not None else referral.to_facility
        CaseEvent.objects.create(
            case=locked, at=timezone.now(), kind=EventKind.REFERRAL, actor=_user(actor),
            text=_("Dirujuk ke %(where)s: %(reason)s") % {"where": where,
                                                          "reason": referral.reason},
            data={"referral": referral.pk},
        )  # fmt: skip
        audit_object(actor=actor, action=Action.CREATE, obj=referral,
                     detail={"case": locked.pk}, context=context)  # fmt: skip
    return referral


def referral_outcome(
    *,
    referral: Referral,
    status: str,
    outcome: str,
    outcome_on: dt.date,
    actor: User | None,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Referral:
    """What came back from a referral: arrived, completed with an outcome, or not arrived."""
    _check_scope(referral.case, actor)
    if actor is not None and not (actor.is_superuser or actor.role in CASE_WORKERS):
        raise PermissionDenied(_("Peran Anda tidak dapat mencatat hasil rujukan."))
    if status not in ReferralStatus.values or status == ReferralStatus.SENT:
        raise CaseInputError(
            _("Status rujukan harus salah satu dari: arrived, completed, not_arrived."),
            field="status",
        )
    if status == ReferralStatus.COMPLETED and not outcome.strip():
        raise CaseInputError(_("Tuliskan hasil rujukan."), field="outcome")
    if outcome_on < referral.referred_on or outcome_on > _today(today):
        raise CaseInputError(
            _("Tanggal hasil harus antara tanggal rujuk dan hari ini."), field="outcome_on"
        )
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status in (ReferralStatus.COMPLETED, ReferralStatus.NOT_ARRIVED):
            raise TransitionError(_("Hasil rujukan ini sudah dicatat."))
        locked.status = status
        locked.outcome = _clean(outcome)
        locked.outcome_on = outcome_on
        locked.save(update_fields=["status", "outcome", "outcome_on"])
        CaseEvent.objects.create(
            case_id=locked.case_id, at=timezone.now(), kind=EventKind.REFERRAL,
            actor=_user(actor),
            text=_("Hasil rujukan (%(status)s): %(outcome)s")
            % {"status": ReferralStatus(status).label, "outcome": locked.outcome or "-"},
            data={"referral": locked.pk, "status": status},
        )  # fmt: skip
        audit_object(actor=actor, action=Action.UPDATE, obj=locked,
                     changed_fields=["status", "outcome", "outcome_on"],
                     detail={"case": locked.case_id}, context=context)  # fmt: skip
    return locked


def _task_step(
    *,
    task: Task,
    step: str,
    actor: User | None,
    text: str,
    context: AuditContext,
    updates: dict[str, Any] | None = None,
) -> Task:
    """Check and apply one of :data:`TASK_STEPS` (the owner's members, or an administrator)."""
    if actor is None or not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("Masuk sebagai anggota organisasi penerima tugas."))
    if not (actor.is_superuser or _is_member(actor, task.owner_id)):
        raise PermissionDenied(_("Tugas ini bukan untuk organisasi Anda."))
    sources, target, kind = TASK_STEPS[step]
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.status not in sources:
        raise TransitionError(
            _("Tugas berstatus '%(status)s' tidak dapat di-%(step)s.")
            % {"status": TaskStatus(locked.status).label, "step": step}
        )
    now = timezone.now()
    changed = []
    if target is not None:
        locked.status = target
        changed.append("status")
    for name, value in (updates or {}).items():
        setattr(locked, name, value)
        changed.append(name)
    if changed:
        locked.save(update_fields=changed)
    TaskUpdate.objects.create(task=locked, at=now, kind=kind, actor=actor, text=text)
    CaseEvent.objects.create(
        case_id=locked.case_id, at=now, kind=EventKind.TASK, actor=actor,
        text=_("Tugas '%(title)s' (%(owner)s): %(text)s")
        % {"title": locked.title, "owner": locked.owner, "text": text},
        data={"task": locked.pk, "step": step},
    )  # fmt: skip
    audit_object(actor=actor, action=Action.UPDATE, obj=locked, changed_fields=changed,
                 detail={"case": locked.case_id, "step": step}, context=context)  # fmt: skip
    return locked


def task_accept(*, task: Task, actor: User | None, context: AuditContext = SYSTEM) -> Task:
    with transaction.atomic():
        done = _task_step(
            task=task, step="accept", actor=actor, context=context, text=_("Diterima."),
            updates={"accepted_at": timezone.now()},
        )  # fmt: skip
        if done.intervention_id:
            Intervention.objects.filter(
                pk=done.intervention_id, status=InterventionStatus.PLANNED
            ).update(status=InterventionStatus.IN_PROGRESS)
    return done


def task_reject(
    *, task: Task, reason: str, actor: User | None, context: AuditContext = SYSTEM
) -> Task:
    """The owner refuses the task, with a reason: the intervention is not delivered and the
    need is open again for the command to give to someone else."""
    if not reason.strip():
        raise CaseInputError(_("Tuliskan alasan penolakan tugas."), field="reason")
    with transaction.atomic():
        done = _task_step(
            task=task, step="reject", actor=actor, context=context,
            text=_("Ditolak: %(reason)s") % {"reason": _clean(reason)},
            updates={"rejection_reason": _clean(reason)},
        )  # fmt: skip
        if done.intervention_id:
            intervention = Intervention.objects.select_related("need").get(pk=done.intervention_id)
            if intervention.status in (InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS):
                intervention.status = InterventionStatus.NOT_DELIVERED
                intervention.reason = _("Tugas ditolak: %(reason)s") % {"reason": _clean(reason)}
                intervention.save(update_fields=["status", "reason", "updated_at"])
                intervention.need.status = NeedStatus.OPEN
                intervention.need.save(update_fields=["status"])
    return done


def task_progress(
    *, task: Task, text: str, actor: User | None, context: AuditContext = SYSTEM
) -> Task:
    if not text.strip():
        raise CaseInputError(_("Tuliskan kemajuan pekerjaan."), field="text")
    with transaction.atomic():
        return _task_step(
            task=task, step="progress", actor=actor, context=context, text=_clean(text)
        )


def task_complete(
    *,
    task: Task,
    note: str,
    evidence_file: File[Any] | None = None,
    actor: User | None,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Task:
    """The owner has done it: the task is done, its intervention delivered (with the note and
    the file as evidence) and the need covered."""
    if not note.strip():
        raise CaseInputError(
            _("Tuliskan apa yang sudah dikerjakan (bukti penyelesaian)."), field="note"
        )
    with transaction.atomic():
        updates: dict[str, Any] = {
            "completed_at": timezone.now(),
            "completion_note": _clean(note),
        }
        if evidence_file is not None:
            updates["evidence_file"] = evidence_file
        done = _task_step(
            task=task, step="complete", actor=actor, context=context,
            text=_("Selesai: %(note)s") % {"note": _clean(note)}, updates=updates,
        )  # fmt: skip
        if done.intervention_id:
            intervention = Intervention.objects.select_related("need").get(pk=done.intervention_id)
            if intervention.status in (InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS):
                _deliver(
                    intervention, status=InterventionStatus.DELIVERED, reason="",
                    evidence_note=note, evidence_file=evidence_file, delivered_on=None,
                    today=_today(today),
                )  # fmt: skip
    return done
