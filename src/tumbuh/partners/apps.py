from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "tumbuh.partners"
    label = "partners"
    verbose_name = _("Mitra dan bapak asuh")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tumbuh.partners import tasks  # noqa: F401  (registers the daily huey tasks)
