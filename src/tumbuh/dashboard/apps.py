from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tumbuh.dashboard"
    label = "dashboard"
    verbose_name = "Dasbor"

    def ready(self) -> None:
        from tumbuh.dashboard import checks  # noqa: F401  (registers the system checks)
