from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tumbuh.cases"
    label = "cases"
    verbose_name = _("Kasus dan satu komando")
    default_auto_field = "django.db.models.BigAutoField"
