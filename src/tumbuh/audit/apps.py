from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tumbuh.audit"
    label = "audit"
    verbose_name = "Log audit"

    def ready(self) -> None:
        from tumbuh.audit import signals  # noqa: F401  (connects the sign-in receivers)
