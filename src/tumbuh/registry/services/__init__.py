"""Writes to the registry. Each function takes keyword-only typed arguments, validates them,
runs in ``transaction.atomic`` and writes an audit row; a bad input raises ``ValidationError``
with one Indonesian message per field and stores nothing.

* :mod:`.people`: families, children, mothers, pregnancies, breastfeeding, consent.
* :mod:`.measurements`: ``measurement_record``, ``measurement_correct`` and
  ``measurement_withdraw`` (growth engine; implausible values need ``confirmed=True``).
* :mod:`.access`: ``child_open`` / ``mother_open`` / ``measurement_open``, the audited way to
  fetch one record.
"""

from tumbuh.registry.services.access import child_open, measurement_open, mother_open
from tumbuh.registry.services.measurements import (
    MeasurementResult,
    NeedsConfirmation,
    measurement_correct,
    measurement_record,
    measurement_withdraw,
)
from tumbuh.registry.services.people import (
    breastfeeding_record,
    can_record,
    child_register,
    child_update,
    consent_record,
    consent_withdraw,
    mother_register,
    pregnancy_record,
    pregnancy_update,
)

__all__ = [
    "MeasurementResult",
    "NeedsConfirmation",
    "breastfeeding_record",
    "can_record",
    "child_open",
    "child_register",
    "child_update",
    "consent_record",
    "consent_withdraw",
    "measurement_correct",
    "measurement_open",
    "measurement_record",
    "measurement_withdraw",
    "mother_open",
    "mother_register",
    "pregnancy_record",
    "pregnancy_update",
]
