from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tumbuh.accounts.lockout import unlock
from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "get_full_name",
        "role",
        "region",
        "puskesmas",
        "posyandu",
        "is_demo",
    )
    list_filter = ("role", "is_demo", "is_staff", "is_active")
    actions = ("unlock_sign_in",)
    search_fields = ("username", "first_name", "last_name", "email", "organisation")
    autocomplete_fields = ("region", "puskesmas", "posyandu", "person")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Peran dan wilayah tugas"),
            {
                "fields": (
                    "role",
                    "region",
                    "puskesmas",
                    "posyandu",
                    "organisation",
                    "person",
                    "phone",
                    "is_demo",
                )
            },
        ),
    )

    @admin.action(description=_("Buka kunci masuk (setelah terlalu banyak kata sandi salah)"))
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        context = AuditContext.from_request(request)
        for user in queryset:
            unlock(actor=request.user, user=user, context=context)  # type: ignore[arg-type]
        self.message_user(
            request,
            _("Kunci masuk dibuka untuk %(n)d pengguna.") % {"n": queryset.count()},
            messages.SUCCESS,
        )
