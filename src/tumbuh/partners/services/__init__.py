"""Writes of the partners area: each in one transaction with its audit row."""

from tumbuh.partners.errors import TransitionError
from tumbuh.partners.services.deliveries import (
    delivery_record,
    delivery_verify,
    flag_missed_deliveries,
)
from tumbuh.partners.services.patronage import (
    consent_withdraw,
    new_pseudonym,
    patron_assign,
    patronage_for_child,
    send_visit_reminders,
    visit_log,
)
from tumbuh.partners.services.pledges import (
    pledge_approve,
    pledge_create,
    pledge_reject,
    pool_allocate,
    pool_remaining,
    suggestions,
)
from tumbuh.partners.services.signup import (
    applications_for,
    partner_approve,
    partner_reject,
    partner_signup,
)

__all__ = [
    "TransitionError",
    "applications_for",
    "consent_withdraw",
    "delivery_record",
    "delivery_verify",
    "flag_missed_deliveries",
    "new_pseudonym",
    "partner_approve",
    "partner_reject",
    "partner_signup",
    "patron_assign",
    "patronage_for_child",
    "pledge_approve",
    "pledge_create",
    "pledge_reject",
    "pool_allocate",
    "pool_remaining",
    "send_visit_reminders",
    "suggestions",
    "visit_log",
]
