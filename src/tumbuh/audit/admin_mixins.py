"""Audited admin pages (issue 11, finding 8): a list or search page in the Django admin is
a view of people's records like any other, so it writes a ``view`` event with the ids shown
(the search term masked in the path, ``audit.context.masked_path``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of

#: At most this many ids of a list page go into its audit row.
MAX_LISTED_IDS = 200


class AuditedChangelistMixin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Audit every change list (list, search, filter) as a ``view`` of the rows shown."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        ids: list[int] = []
        if isinstance(response, TemplateResponse) and response.context_data:
            changelist = response.context_data.get("cl")
            if changelist is not None:
                ids = [obj.pk for obj in changelist.result_list[:MAX_LISTED_IDS]]
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.VIEW,
            object_type=object_type_of(self.model),
            detail={"list": True, "via": "admin", "ids": ids, "filtered": bool(request.GET)},
            context=AuditContext.from_request(request),
        )
        return response
