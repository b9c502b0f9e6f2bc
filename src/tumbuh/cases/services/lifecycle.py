"""A case's own steps: verify or reject, assess needs, review, close, reopen, a free line.

Each is a service in ``transaction.atomic`` that locks the case, goes through the transition
table (``transitions.apply_transition``: role, status, requirement), and writes its timeline
line and audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.cases.errors import CaseInputError, TransitionError
from tumbuh.cases.models import (
    Case,
    CaseEvent,
    CaseNeed,
    CaseStatus,
    EventKind,
    NeedCategory,
    NeedStatus,
    Outcome,
)
from tumbuh.cases.services.transitions import apply_transition


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _clean(text: str | None, limit: int = 4000) -> str:
    return (text or "").strip()[:limit]


def _check_scope(case: Case, actor: User | None) -> None:
    """The actor must see the case (views answer 404 first; this is the service's guard)."""
    if actor is None or actor.is_superuser:
        return
    from tumbuh.cases.selectors import cases_visible_to

    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("Kasus ini di luar wilayah Anda."))


def case_verify(
    *,
    case: Case,
    actor: User | None,
    confirmed: bool,
    note: str = "",
    context: AuditContext = SYSTEM,
) -> Case:
    """The puskesmas confirms a suspected case on re-measurement, or rejects it as a
    measurement error (``confirmed=False``, ``note`` is the reason)."""
    _check_scope(case, actor)
    with transaction.atomic():
        locked = _locked(case)
        note = _clean(note)
        now = timezone.now()
        if confirmed:
            text = _("Diverifikasi puskesmas: kasus terkonfirmasi.")
            action = "verify"
        else:
            text = _("Ditolak sebagai salah ukur.")
            action = "reject"
        if note:
            text = f"{text} {note}"
        result = apply_transition(
            case=locked, action=action, actor=actor, text=text, context=context,
            params={"note": note},
            updates={"verified_at": now, "verified_by": actor if confirmed else None}
            if confirmed else {"closed_at": now, "closed_by": actor, "close_note": note},
        )  # fmt: skip
    return result


def case_assess(
    *,
    case: Case,
    actor: User | None,
    needs: Sequence[str],
    note: str = "",
    context: AuditContext = SYSTEM,
    details: Mapping[str, Mapping[str, Any]] | None = None,
) -> Case:
    """Record the assessed needs (codes of the catalogue, ``NeedCategory.code``). From a
    verified case this is the assessment; later it adds needs (already assessed ones are kept).
    ``details`` may give per code ``quantity``, ``period_months`` and ``note``."""
    _check_scope(case, actor)
    codes = list(dict.fromkeys(str(c).strip() for c in needs if str(c).strip()))
    with transaction.atomic():
        locked = _locked(case)
        later = (CaseStatus.ASSESSED, CaseStatus.IN_INTERVENTION)
        action = "reassess" if locked.status in later else "assess"
        known = {n.code: n for n in NeedCategory.objects.filter(code__in=codes, is_active=True)}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise CaseInputError(
                _("Kebutuhan tidak dikenal di katalog: %(codes)s. Pilih dari daftar kebutuhan.")
                % {"codes": ", ".join(unknown)},
                field="needs",
            )
        already = set(locked.needs.values_list("category__code", flat=True))
        fresh = [c for c in codes if c not in already]
        if codes and not fresh and action == "reassess":
            raise CaseInputError(
                _("Semua kebutuhan yang dicentang sudah tercatat pada kasus ini."), field="needs"
            )
        now = timezone.now()
        names = ", ".join(str(known[c].name) for c in fresh)
        text = _("Kebutuhan dinilai: %(names)s.") % {"names": names}
        if note.strip():
            text = f"{text} {_clean(note)}"
        apply_transition(
            case=locked, action=action, actor=actor, text=text, context=context,
            params={"needs": fresh}, updates={"assessed_at": now},
            data={"needs": fresh},
        )  # fmt: skip
        extra = details or {}
        CaseNeed.objects.bulk_create(
            [
                CaseNeed(
                    case=locked,
                    category=known[code],
                    status=NeedStatus.OPEN,
                    quantity=_clean(str(extra.get(code, {}).get("quantity", "")), 120),
                    period_months=extra.get(code, {}).get("period_months"),
                    note=_clean(str(extra.get(code, {}).get("note", ""))),
                    assessed_at=now,
                    assessed_by=actor if actor is not None and actor.is_authenticated else None,
                )
                for code in fresh
            ]
        )
    return locked


def case_review(
    *, case: Case, actor: User | None, note: str, context: AuditContext = SYSTEM
) -> Case:
    """A periodic review of a case in intervention (a note on the timeline)."""
    _check_scope(case, actor)
    with transaction.atomic():
        locked = _locked(case)
        return apply_transition(
            case=locked, action="review", actor=actor, context=context,
            text=_("Ditinjau: %(note)s") % {"note": _clean(note)},
            params={"note": _clean(note)}, updates={"last_reviewed_at": timezone.now()},
        )  # fmt: skip


def case_close(
    *,
    case: Case,
    outcome: str,
    note: str = "",
    actor: User | None,
    context: AuditContext = SYSTEM,
    at: dt.datetime | None = None,
) -> Case:
    """Close with an outcome. ``recovered`` only when the recovery rule marked the case ready
    (``suggested_outcome``); a suspected case only as moved, died, lost or pregnancy ended."""
    _check_scope(case, actor)
    with transaction.atomic():
        locked = _locked(case)
        action = "close_unverified" if locked.status == CaseStatus.SUSPECTED else "close"
        now = at or timezone.now()
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        text = _("Kasus ditutup: %(outcome)s.") % {"outcome": label}
        if note.strip():
            text = f"{text} {_clean(note)}"
        return apply_transition(
            case=locked, action=action, actor=actor, context=context, text=text, at=now,
            params={"outcome": outcome},
            updates={"outcome": outcome, "closed_at": now, "closed_by": actor,
                     "close_note": _clean(note)},
            data={"outcome": outcome},
        )  # fmt: skip


def case_reopen(
    *, case: Case, reason: str, actor: User | None, context: AuditContext = SYSTEM
) -> Case:
    """Reopen a closed or rejected case (back to verified when it had been verified, else
    suspected). Refused while another case of the same child and kind is open."""
    _check_scope(case, actor)
    with transaction.atomic():
        locked = _locked(case)
        target = CaseStatus.VERIFIED if locked.verified_at else CaseStatus.SUSPECTED
        try:
            with transaction.atomic():
                return apply_transition(
                    case=locked, action="reopen", actor=actor, context=context,
                    text=_("Dibuka kembali: %(reason)s") % {"reason": _clean(reason)},
                    params={"reason": _clean(reason)}, target=target,
                    updates={"outcome": "", "closed_at": None, "closed_by": None,
                             "reopened_count": locked.reopened_count + 1,
                             "suggested_outcome": "", "suggested_at": None},
                )  # fmt: skip
        except IntegrityError as exc:
            raise TransitionError(
                _(
                    "Sudah ada kasus terbuka dengan jenis yang sama untuk anak/kehamilan ini; "
                    "lanjutkan kasus itu."
                )
            ) from exc


def case_event_add(
    *,
    case: Case,
    kind: str,
    text: str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    context: AuditContext = SYSTEM,
) -> CaseEvent:
    """Append a free line to the timeline (partners: ``contribution``, ``visit``; anyone
    who works on the case: ``note``). Transitions are not written through this."""
    allowed = {EventKind.NOTE, EventKind.CONTRIBUTION, EventKind.VISIT, EventKind.REFERRAL}
    if kind not in allowed:
        raise CaseInputError(
            _("Jenis catatan tidak dapat ditambahkan langsung: %(kind)s.") % {"kind": kind},
            field="kind",
        )
    if not text.strip():
        raise CaseInputError(_("Isi catatan tidak boleh kosong."), field="text")
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case,
            at=at or timezone.now(),
            kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            text=_clean(text),
            data=dict(data or {}),
        )
        audit_object(
            actor=actor,
            action=Action.CREATE,
            obj=event,
            detail={"case": case.pk, "kind": kind},
            context=context,
        )
    return event
