from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KomandoConfig(AppConfig):
    name = "tumbuh.komando"
    label = "komando"
    verbose_name = _("Pusat komando (rakor)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tumbuh.komando import receivers  # noqa: F401  (connects the signal receivers)
