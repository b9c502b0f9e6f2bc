from django.contrib import admin
from django.utils import timezone

from tumbuh.api.models import ApiToken
from tumbuh.api.services import token_revoke
from tumbuh.audit.context import AuditContext


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "created_by", "last_used_at",
                       "revoked_at")  # fmt: skip
    actions = ["revoke"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are made on the token page, where the raw token is shown once

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request, queryset):  # type: ignore[no-untyped-def]
        context = AuditContext.from_request(request)
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(actor=request.user, token=token, context=context)
        self.message_user(request, f"Token dicabut ({timezone.localtime():%H:%M}).")
