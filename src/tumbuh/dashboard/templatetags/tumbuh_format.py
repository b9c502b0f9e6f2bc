"""``{{ value|angka }}``: a count or amount with Indonesian separators (``200.000``,
``1.234,5``), whatever ``USE_THOUSAND_SEPARATOR`` says (it stays off so ids in forms and URLs
are never grouped)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def angka(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return number_format(value, force_grouping=True)
    except (TypeError, ValueError):
        return str(value)
