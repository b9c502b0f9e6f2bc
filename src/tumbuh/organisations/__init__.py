"""Organisations: the city's OPD (agencies and offices) and partners, as first-class records.

Cases assign tasks to an organisation; partners pledge and deliver as one; users belong to
one through :class:`~tumbuh.organisations.models.Membership`.
"""
