"""Two records of one child merged (the import's duplicate queue): the removed record's cases
move to the kept child, so nothing of the case history is lost and the registry can delete
the duplicate (``Case.child`` is protected)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, EventKind
from tumbuh.registry.models import Child


def cases_move_child(
    *, gone_id: int, kept: Child, actor: User | None, context: AuditContext = SYSTEM
) -> int:
    """Move every case of child ``gone_id`` to ``kept``. An open case of a kind the kept child
    also has open is rejected as a duplicate record, with a line pointing to the kept case;
    the others simply change child. Returns the number of cases moved."""
    with transaction.atomic():
        now = timezone.now()
        user = actor if actor is not None and actor.is_authenticated else None
        kept_open = {
            c.kind: c
            for c in Case.objects.select_for_update().filter(child=kept, status__in=OPEN_STATUSES)
        }
        moved = 0
        for case in Case.objects.select_for_update().filter(child_id=gone_id).order_by("pk"):
            twin = kept_open.get(case.kind)
            changed = ["child"]
            if case.status in OPEN_STATUSES and twin is not None:
                case.status = CaseStatus.REJECTED
                case.closed_at = now
                case.close_note = _("Data anak ganda digabung; dilanjutkan di kasus #%(pk)s.") % {
                    "pk": twin.pk
                }
                changed += ["status", "closed_at", "close_note"]
            case.child = kept
            case.save(update_fields=changed)
            CaseEvent.objects.create(
                case=case, at=now, kind=EventKind.NOTE, actor=user,
                text=case.close_note if "status" in changed
                else _("Data anak ganda digabung ke anak #%(pk)s.") % {"pk": kept.pk},
                data={"merged_from": gone_id, "merged_into": kept.pk},
            )  # fmt: skip
            audit_object(actor=actor, action=Action.UPDATE, obj=case, changed_fields=changed,
                         detail={"merged_from": gone_id}, context=context)  # fmt: skip
            moved += 1
    return moved
