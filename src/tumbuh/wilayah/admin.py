from django.contrib import admin

from tumbuh.wilayah.models import Posyandu, Puskesmas, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "postal_code", "is_official", "is_demo")
    list_filter = ("level", "kind", "is_official", "is_demo")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Puskesmas)
class PuskesmasAdmin(admin.ModelAdmin):
    list_display = ("name", "kecamatan", "code", "opening_hours", "phone", "is_demo")
    list_filter = ("kecamatan", "is_demo")
    search_fields = ("name", "code")
    filter_horizontal = ("service_area",)


@admin.register(Posyandu)
class PosyanduAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kelurahan",
        "rw",
        "puskesmas",
        "meeting_week",
        "meeting_weekday",
        "meeting_day",
        "is_active",
        "is_demo",
    )
    list_filter = ("is_active", "is_demo", "puskesmas")
    search_fields = ("name", "kelurahan__name")
    raw_id_fields = ("kelurahan", "rw")
