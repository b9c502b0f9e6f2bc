"""Loaded by huey's Django integration (it imports every app's ``tasks`` module): the
cases app's periodic jobs live in :mod:`tumbuh.cases.jobs`."""

from tumbuh.cases.jobs import daily_case_jobs

__all__ = ["daily_case_jobs"]
