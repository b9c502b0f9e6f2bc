"""``{% child_cases child %}``: the cases of a child that the viewer may see, as links (for the
child page and the weighing result). Scoped by ``cases.selectors.cases_visible_to``."""

from __future__ import annotations

from typing import Any

from django import template

from tumbuh.cases.models import OPEN_STATUSES
from tumbuh.cases.selectors import cases_visible_to

register = template.Library()


@register.inclusion_tag("cases/_child_cases.html", takes_context=True)
def child_cases(context: dict[str, Any], child: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    cases = []
    if child is not None and user is not None and user.is_authenticated:
        cases = list(
            cases_visible_to(user)
            .filter(child=child, status__in=list(OPEN_STATUSES))
            .order_by("-priority", "opened_at")
        )
    return {"cases": cases}
