"""The needs catalogue is edited here by administrators (data, not code; changes audited).
Cases and tasks are read only in the admin: their changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.cases.models import Case, NeedCategory, Task


@admin.register(NeedCategory)
class NeedCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "default_owner", "unit", "unit_cost_min_rupiah",
                    "unit_cost_max_rupiah", "partner_can_help", "is_active")  # fmt: skip
    list_filter = ("kind", "partner_can_help", "is_active")
    search_fields = ("code", "name")

    def save_model(self, request: HttpRequest, obj: NeedCategory, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_object(
            actor=request.user,  # type: ignore[arg-type]  # the admin requires a staff user
            action=Action.UPDATE if change else Action.CREATE,
            obj=obj,
            changed_fields=form.changed_data,
            context=AuditContext.from_request(request),
        )


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("pk", "kind", "severity", "status", "outcome", "kelurahan", "opened_at")
    list_filter = ("kind", "status", "outcome", "is_demo")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("pk", "title", "owner", "due_date", "status", "escalation_level")
    list_filter = ("status", "escalation_level", "is_demo")
