"""Errors the cases services raise: an Indonesian ``message`` for a person and the ``field``
it is about ("" when it is about the whole request).

* :class:`TransitionError`: the case or task is not in a state where this step is allowed
  (the API answers 409);
* :class:`CaseInputError`: a value is wrong (the API answers 422).
"""

from __future__ import annotations


class CaseError(Exception):
    """Base class: ``message`` says what is wrong, where and how to fix it."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class TransitionError(CaseError):
    """A step out of order (e.g. planning an intervention before the needs are assessed)."""


class CaseInputError(CaseError):
    """A bad value (a due date in the past, an unknown owner, no need ticked...)."""
