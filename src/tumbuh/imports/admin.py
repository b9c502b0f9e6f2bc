from django.contrib import admin

from tumbuh.audit.admin_mixins import AuditedChangelistMixin
from tumbuh.imports.models import DuplicateCandidate, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(AuditedChangelistMixin, admin.ModelAdmin):
    list_display = (
        "file_name", "created_by", "created_at", "status", "rows_total", "error_count",
        "children_created", "measurements_created", "duplicates_queued",
    )  # fmt: skip
    list_filter = ("status", "dry_run")
    search_fields = ("file_name", "checksum")
    exclude = ("content", "error_report")
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name not in ("content",)]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(AuditedChangelistMixin, admin.ModelAdmin):
    list_display = ("pk", "reason", "score", "status", "existing_id", "incoming_id", "created_at")
    list_filter = ("status", "reason")
    readonly_fields = [f.name for f in DuplicateCandidate._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
