"""CSV export of the audit log, for administrators only; the export itself is audited."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from tumbuh.audit.context import AuditContext, mask_query
from tumbuh.audit.exports import safe_row
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.audit.selectors import events_filtered
from tumbuh.audit.services import audit_record, object_type_of

COLUMNS = (
    "id",
    "at",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "changed_fields",
    "ip_address",
    "user_agent",
    "path",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(events: Iterator[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for e in events:
        yield writer.writerow(
            safe_row(
                [
                    e.pk,
                    e.at.isoformat(),
                    e.actor_username,
                    e.actor_role,
                    e.action,
                    e.object_type,
                    e.object_id,
                    " ".join(e.changed_fields),
                    e.ip_address or "",
                    e.user_agent,
                    e.path,
                ]
            )
        )


@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    context = AuditContext.from_request(request)
    if not request.user.is_superuser:
        audit_record(
            actor=request.user,
            action=Action.DENIED,
            object_type=object_type_of(AuditEvent),
            detail={"export": True},
            context=context,
        )
        raise PermissionDenied("Hanya administrator yang boleh mengekspor log audit.")
    events = events_filtered(request.user, request.GET)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type=object_type_of(AuditEvent),
        detail={"filters": mask_query(request.GET), "rows": events.count()},
        context=context,
    )
    response = StreamingHttpResponse(
        _rows(events.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
