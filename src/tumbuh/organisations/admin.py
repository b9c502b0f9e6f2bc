"""OPD and partners as editable reference data (administrators; changes audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.organisations.models import Membership, Organisation


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_object(
            actor=request.user,  # type: ignore[arg-type]  # the admin requires a staff user
            action=Action.UPDATE if change else Action.CREATE,
            obj=obj,
            changed_fields=form.changed_data,
            context=AuditContext.from_request(request),
        )


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "name", "short_name", "kind", "opd_type", "status", "is_demo")
    list_filter = ("kind", "opd_type", "status", "is_demo")
    search_fields = ("code", "name", "short_name")
    filter_horizontal = ("covers",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "is_head", "title")
    list_filter = ("is_head",)
    search_fields = ("user__username", "organisation__name")
