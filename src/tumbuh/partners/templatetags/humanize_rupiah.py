"""``{{ value|rupiah }}``: ``Rp 450.000`` (Indonesian thousands separator)."""

from __future__ import annotations

from django import template

from tumbuh.partners.portal import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    return _rupiah(value)
