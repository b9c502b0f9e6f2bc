from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "tumbuh.organisations"
    label = "organisations"
    verbose_name = _("Organisasi (OPD dan mitra)")
    default_auto_field = "django.db.models.BigAutoField"
