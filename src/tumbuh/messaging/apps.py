from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tumbuh.messaging"
    label = "messaging"
    verbose_name = _("Pesan dan chatbot")

    def ready(self) -> None:
        from tumbuh.messaging.leads import close_leads_after_measurement
        from tumbuh.registry.signals import measurements_changed

        measurements_changed.connect(
            close_leads_after_measurement, dispatch_uid="messaging.close_leads_after_measurement"
        )
