"""The audit log in the Django admin: browse and filter only (no add, change or delete), with a
link to the CSV export."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tumbuh.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_username",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("action", "object_type", "actor_role", "at")
    search_fields = ("actor_username", "object_id", "object_type", "ip_address")
    date_hierarchy = "at"
    change_list_template = "admin/audit/auditevent/change_list.html"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
