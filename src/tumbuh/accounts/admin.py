from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tumbuh.accounts.models import User


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
