"""Values every page template needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tumbuh.registry.selectors import can_see_mothers
from tumbuh.registry.services import can_record


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": "Tumbuh",
        "can_record": can_record(user) if user is not None else False,
        "can_see_mothers": can_see_mothers(user),
    }
