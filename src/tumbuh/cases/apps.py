from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_measurements(sender: object, **kwargs: Any) -> None:
    from tumbuh.cases.services import cases_update_for_children

    cases_update_for_children(
        child_ids=kwargs.get("child_ids") or [],
        actor=kwargs.get("actor"),
        context=kwargs["context"],
        source=str(kwargs.get("source") or ""),
    )


def _on_pregnancy(sender: object, **kwargs: Any) -> None:
    from tumbuh.cases.services import cases_update_for_pregnancies

    cases_update_for_pregnancies(
        pregnancy_ids=kwargs.get("pregnancy_ids") or [],
        actor=kwargs.get("actor"),
        context=kwargs["context"],
    )


class CasesConfig(AppConfig):
    name = "tumbuh.cases"
    label = "cases"
    verbose_name = _("Kasus dan satu komando")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The registry sends these inside its write transaction (every path: form, import,
        # API, corrections): cases open with the measurement or not at all.
        from tumbuh.registry.signals import measurements_changed, pregnancy_changed

        measurements_changed.connect(_on_measurements, dispatch_uid="cases.measurements")
        pregnancy_changed.connect(_on_pregnancy, dispatch_uid="cases.pregnancy")
