"""Errors of the partners services beyond Django's ``ValidationError`` (422) and
``PermissionDenied`` (403)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A step out of order (API 409): approving twice, verifying before recording..."""
