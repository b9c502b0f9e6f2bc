from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tumbuh.audit"
    label = "audit"
    verbose_name = "Log audit"
