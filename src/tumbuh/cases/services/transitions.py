"""The case state machine: one table of transitions and one function that applies them.

==================  ==================================  ===============  =======================
action              from                                to               who (+ requirement)
==================  ==================================  ===============  =======================
verify              suspected                           verified         tenaga gizi
reject              suspected                           rejected         tenaga gizi; a reason
assess              verified                            assessed         gizi, TPPS; needs
reassess            assessed, in_intervention           (unchanged)      gizi, TPPS; needs
plan                assessed, in_intervention           in_intervention  gizi, TPPS
review              in_intervention                     (unchanged)      gizi, TPPS, area; note
close               verified, assessed, in_intervention closed           gizi, TPPS, system;
                                                                         an outcome
close_unverified    suspected                           closed           gizi, TPPS, system;
                                                                         moved, died, lost or
                                                                         pregnancy ended only
reopen              closed, rejected                    suspected or     gizi, TPPS; a reason
                                                        verified
==================  ==================================  ===============  =======================

Administrators (superusers) may do everything; ``actor=None`` is the system (jobs, the
registry signals) and may only do what lists ``SYSTEM``. Views and the API never compare
status strings: they ask :func:`allowed_actions` (``selectors.allowed_transitions``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM as SYSTEM_CONTEXT
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.cases.errors import CaseInputError, TransitionError
from tumbuh.cases.models import Case, CaseEvent, CaseStatus, EventKind, Outcome

#: The pseudo-role of ``actor=None`` (scheduled jobs, signal receivers).
SYSTEM = "system"

St = CaseStatus
GIZI, TPPS = Role.NUTRITION_OFFICER.value, Role.TPPS.value
AREA = {Role.KECAMATAN_OFFICER.value, Role.KELURAHAN_OFFICER.value}

#: A requirement answers ``(field, Indonesian message)`` when it is not met, else None.
Requirement = Callable[[Case, Mapping[str, Any]], tuple[str, str] | None]


def _needs_text(field: str) -> Requirement:
    def check(case: Case, params: Mapping[str, Any]) -> tuple[str, str] | None:
        if not str(params.get(field) or "").strip():
            return field, _("Tuliskan alasan atau catatannya; kolom ini tidak boleh kosong.")
        return None

    return check


def _needs_codes(case: Case, params: Mapping[str, Any]) -> tuple[str, str] | None:
    if not params.get("needs"):
        return "needs", _("Centang sedikitnya satu kebutuhan dari katalog.")
    return None


#: Outcomes a case may be closed with before the puskesmas verified it.
UNVERIFIED_OUTCOMES = frozenset(
    {Outcome.MOVED_AWAY, Outcome.DIED, Outcome.LOST_TO_FOLLOW_UP, Outcome.PREGNANCY_ENDED}
)


def _outcome(case: Case, params: Mapping[str, Any]) -> tuple[str, str] | None:
    outcome = params.get("outcome")
    if outcome not in Outcome.values:
        return "outcome", _("Hasil akhir tidak dikenal; pilih salah satu: %(choices)s.") % {
            "choices": ", ".join(Outcome.values)
        }
    if outcome == Outcome.RECOVERED and case.suggested_outcome != Outcome.RECOVERED:
        return "outcome", _(
            "Kasus belum memenuhi aturan pulih (dua pengukuran berturut-turut yang tidak "
            "ditandai, di atas -2 SD). Catat pengukuran berikutnya dulu."
        )
    if outcome == Outcome.PREGNANCY_ENDED and case.pregnancy_id is None:
        return "outcome", _("Hasil 'kehamilan berakhir' hanya untuk kasus ibu hamil.")
    return None


def _outcome_unverified(case: Case, params: Mapping[str, Any]) -> tuple[str, str] | None:
    problem = _outcome(case, params)
    if problem:
        return problem
    if params.get("outcome") not in UNVERIFIED_OUTCOMES:
        return "outcome", _(
            "Kasus terduga belum diverifikasi puskesmas; ia hanya bisa ditutup sebagai pindah, "
            "meninggal, hilang dari pemantauan atau kehamilan berakhir. Verifikasi dulu."
        )
    return None


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    roles: frozenset[str]
    requirement: Requirement | None
    event: EventKind
    label: str


def _t(
    action: str,
    sources: set[str],
    target: str | None,
    roles: set[str],
    requirement: Requirement | None,
    event: EventKind,
    label: str,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(roles), requirement, event, label
    )


OPEN = {St.SUSPECTED, St.VERIFIED, St.ASSESSED, St.IN_INTERVENTION}

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("verify", {St.SUSPECTED}, St.VERIFIED, {GIZI}, None, EventKind.VERIFIED,
           "Verifikasi (terkonfirmasi)"),
        _t("reject", {St.SUSPECTED}, St.REJECTED, {GIZI}, _needs_text("note"),
           EventKind.REJECTED, "Tolak (salah ukur)"),
        _t("assess", {St.VERIFIED}, St.ASSESSED, {GIZI, TPPS}, _needs_codes,
           EventKind.ASSESSED, "Nilai kebutuhan"),
        _t("reassess", {St.ASSESSED, St.IN_INTERVENTION}, None, {GIZI, TPPS}, _needs_codes,
           EventKind.ASSESSED, "Tambah kebutuhan"),
        _t("plan", {St.ASSESSED, St.IN_INTERVENTION}, St.IN_INTERVENTION, {GIZI, TPPS}, None,
           EventKind.INTERVENTION, "Rencanakan intervensi"),
        _t("review", {St.IN_INTERVENTION}, None, {GIZI, TPPS, *AREA}, _needs_text("note"),
           EventKind.REVIEWED, "Tinjau"),
        _t("close", {St.VERIFIED, St.ASSESSED, St.IN_INTERVENTION}, St.CLOSED,
           {GIZI, TPPS, SYSTEM}, _outcome, EventKind.CLOSED, "Tutup kasus"),
        _t("close_unverified", {St.SUSPECTED}, St.CLOSED, {GIZI, TPPS, SYSTEM},
           _outcome_unverified, EventKind.CLOSED, "Tutup kasus"),
        _t("reopen", {St.CLOSED, St.REJECTED}, St.SUSPECTED, {GIZI, TPPS},
           _needs_text("reason"), EventKind.REOPENED, "Buka kembali"),
    )
}  # fmt: skip


def role_of(actor: User | None) -> str:
    if actor is None:
        return SYSTEM
    if actor.is_superuser:
        return "admin"
    return actor.role or ""


def may(actor: User | None, transition: Transition) -> bool:
    """Does ``actor``'s role allow ``transition`` (status and scope not considered)?"""
    if actor is not None and not (actor.is_authenticated and actor.is_active):
        return False
    role = role_of(actor)
    return role == "admin" or role in transition.roles


def allowed_actions(case: Case, actor: User | None) -> list[str]:
    """Actions ``actor`` may take on ``case`` now (its status and the actor's role)."""
    return [t.action for t in TRANSITIONS.values() if case.status in t.sources and may(actor, t)]


def _status_label(status: str) -> str:
    return str(CaseStatus(status).label) if status in CaseStatus.values else status


def check_transition(case: Case, action: str, actor: User | None) -> Transition:
    """Raise unless ``actor``'s role may take ``action`` (``PermissionDenied``) and ``case``
    is in one of its source statuses (:class:`TransitionError`); writes nothing."""
    transition = TRANSITIONS[action]
    if not may(actor, transition):
        raise PermissionDenied(_("Peran Anda tidak dapat melakukan langkah ini: %(label)s.")
                               % {"label": transition.label})  # fmt: skip
    if case.status not in transition.sources:
        allowed = ", ".join(_status_label(s) for s in sorted(transition.sources))
        raise TransitionError(
            _(
                "Langkah '%(label)s' tidak bisa dilakukan pada kasus berstatus '%(status)s'; "
                "hanya dari status: %(allowed)s."
            )
            % {"label": transition.label, "status": _status_label(case.status), "allowed": allowed}
        )
    return transition


def apply_transition(
    *,
    case: Case,
    action: str,
    actor: User | None,
    text: str,
    params: Mapping[str, Any] | None = None,
    updates: Mapping[str, Any] | None = None,
    target: str | None = None,
    data: Mapping[str, Any] | None = None,
    context: AuditContext = SYSTEM_CONTEXT,
    at: dt.datetime | None = None,
) -> Case:
    """Check and apply ``action`` to ``case`` (call inside ``transaction.atomic`` with the
    case locked): the role may do it (else ``PermissionDenied``), the case is in a source
    status (else :class:`TransitionError`), the requirement holds (else
    :class:`CaseInputError`). Writes the new status and ``updates``, one timeline line and one
    audit row."""
    transition = check_transition(case, action, actor)
    if transition.requirement is not None:
        problem = transition.requirement(case, params or {})
        if problem:
            raise CaseInputError(problem[1], field=problem[0])
    when = at or timezone.now()
    before = case.status
    after = target or transition.target or before
    changed = ["status"] if after != before else []
    case.status = after
    for name, value in (updates or {}).items():
        setattr(case, name, value)
        changed.append(name)
    if changed:
        case.save(update_fields=sorted(set(changed)))
    CaseEvent.objects.create(
        case=case,
        at=when,
        kind=transition.event,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text,
        data={"action": action, "from": before, "to": after, **(data or {})},
    )
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=case,
        changed_fields=changed,
        detail={"transition": action, "from": before, "to": after},
        context=context,
    )
    return case
