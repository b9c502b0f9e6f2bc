"""Registry records in the Django admin: administrators browse them read-only (every record
opened is audited as a view); changes go through the services and the pages that use them.
Partner assignments are managed here (audited on save)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from tumbuh.audit.admin_mixins import AuditedChangelistMixin
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object, audit_record, object_type_of
from tumbuh.registry.models import (
    BreastfeedingPeriod,
    Child,
    ChildAssignment,
    Consent,
    Family,
    LinkRequest,
    Measurement,
    Mother,
    Person,
    Pregnancy,
)


class AuditedReadOnlyAdmin(AuditedChangelistMixin, admin.ModelAdmin):
    """View-only admin whose list and detail pages write a ``view`` audit event."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            object_type=object_type_of(self.model),
            object_id=object_id,
            detail={"via": "admin"},
            context=AuditContext.from_request(request),
        )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.display(description=_("KK (disamarkan)"))
def kk_masked(obj: Family) -> str:
    return obj.kk_masked


@admin.display(description=_("NIK (disamarkan)"))
def nik_masked(obj: Person) -> str:
    return obj.nik_masked


@admin.display(description=_("ditarik"), boolean=True)
def withdrawn(obj: Measurement) -> bool:
    return obj.withdrawn_at is not None


@admin.register(Family)
class FamilyAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "head_name", kk_masked, "kelurahan", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("head_name", "kk_number")
    # The detail page shows the KK masked, like every other page (issue 11, finding 8).
    exclude = ("kk_number",)
    readonly_fields = ("kk_masked",)


@admin.register(Person)
class PersonAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "name", nik_masked, "sex", "birth_date", "is_demo")
    list_filter = ("sex", "is_demo")
    search_fields = ("name", "nik")
    exclude = ("nik",)
    readonly_fields = ("nik_masked",)


@admin.register(Child)
class ChildAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "person", "posyandu", "status", "is_demo")
    list_filter = ("status", "is_demo")
    search_fields = ("person__name", "person__nik")
    list_select_related = ("person", "posyandu")


@admin.register(Mother)
class MotherAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "person", "posyandu", "is_demo")
    search_fields = ("person__name", "person__nik")
    list_select_related = ("person", "posyandu")


@admin.register(Pregnancy)
class PregnancyAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "mother", "hpht", "due_date", "is_kek", "is_anaemic", "outcome")
    list_filter = ("outcome", "is_kek", "is_anaemic")


@admin.register(Measurement)
class MeasurementAdmin(AuditedReadOnlyAdmin):
    list_display = (
        "id", "child", "measured_on", "weight_kg", "length_cm", "zlen", "trend",
        "needs_review", withdrawn,
    )  # fmt: skip
    list_filter = ("is_stunted", "two_t", "source", "needs_review")
    date_hierarchy = "measured_on"
    raw_id_fields = ("child",)


@admin.register(BreastfeedingPeriod)
class BreastfeedingAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "child", "kind", "started_on", "ended_on")


@admin.register(Consent)
class ConsentAdmin(AuditedReadOnlyAdmin):
    list_display = ("id", "subject", "purpose", "given_by_name", "given_on", "withdrawn_on")
    list_filter = ("purpose", "method")


@admin.register(ChildAssignment)
class ChildAssignmentAdmin(admin.ModelAdmin):
    list_display = ("id", "child", "user", "started_on", "ended_on", "show_name")
    raw_id_fields = ("child", "user")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_object(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            obj=obj,
            changed_fields=form.changed_data,
            context=AuditContext.from_request(request),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LinkRequest)
class LinkRequestAdmin(AuditedReadOnlyAdmin):
    """The link queue (issue 11, finding 1), read-only here; officers decide on their page."""

    list_display = ("id", "kind", "child", "region", "status", "requested_by", "created_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("child", "family", "mother")
