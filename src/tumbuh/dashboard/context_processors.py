"""Values every page template needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tumbuh.accounts.models import Role
from tumbuh.dashboard.menu import menu_for
from tumbuh.registry.selectors import can_see_mothers
from tumbuh.registry.services import can_record


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": "Tumbuh",
        "menu": menu_for(user, request.path),
        "can_record": can_record(user) if user is not None else False,
        "can_see_mothers": can_see_mothers(user),
        # OPD work on tasks and see no child records (ADR 0011): no child search for them.
        "can_see_children": bool(
            user is not None
            and user.is_authenticated
            and (user.is_superuser or user.role != Role.OPD)
        ),
    }
