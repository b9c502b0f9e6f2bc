"""System checks run by manage.py (runserver, migrate, check)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def secret_key_is_set(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to run without a real SECRET_KEY unless DEBUG is on (laptop/demo)."""
    insecure = getattr(settings, "INSECURE_DEV_SECRET_KEY", None) == settings.SECRET_KEY
    if insecure and not settings.DEBUG:
        return [
            Error(
                "SECRET_KEY is not set and DEBUG is off.",
                hint="Set SECRET_KEY in the environment (a long random string), or DEBUG=1 "
                "for a local demo.",
                id="tumbuh.E001",
            )
        ]
    return []
