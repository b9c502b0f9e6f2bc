"""Signals the registry sends after its writes, inside the writing transaction.

Other apps (cases, partners, the command centre) react to stored facts without the registry
importing them: a receiver runs in the same transaction as the write, so what it derives is
stored with the write or not at all.

* ``measurements_changed``: one or more children's measurements were created, corrected or
  withdrawn. Keyword arguments: ``child_ids`` (a list of child primary keys), ``actor`` (the
  user or ``None``), ``context`` (the audit context), ``source`` ("form", "api", "import",
  "correct", "withdraw", ...).
* ``pregnancy_changed``: a pregnancy was recorded or updated. Keyword arguments:
  ``pregnancy_ids``, ``actor``, ``context``.
"""

from __future__ import annotations

from django.dispatch import Signal

measurements_changed = Signal()
pregnancy_changed = Signal()

__all__ = ["measurements_changed", "pregnancy_changed"]
