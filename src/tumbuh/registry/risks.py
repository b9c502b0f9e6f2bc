"""Kemenkes risk rules for a pregnancy (DOMAIN.md 2.7), for one row and for a query.

* KEK: LiLA < 23.5 cm, anaemia: Hb < 11 g/dL. Derived by the pregnancy services and stored
  (``Pregnancy.is_kek``, ``is_anaemic``); the thresholds live in ``registry.models``.
* Too few ANC visits (*ANC kurang*): Permenkes 21/2021 asks for at least 6 visits. How they
  are spread over the trimesters is not settled (1-2-3 or 2-1-3; DOMAIN.md open point 4), and
  trimester boundaries are drawn at 12/24 or 13/27 weeks depending on the source. So a
  pregnancy is flagged only when it is behind under *every* reading: fewer than 1 visit once
  14 weeks are completed (the first trimester is over under any boundary), fewer than 3 once
  28 weeks are completed (the second trimester is over; both splits need 3 by then), fewer
  than 6 once 40 weeks are completed (HPL reached). The "2 visits with a doctor" part of the
  rule cannot be checked: the registry does not record who did the visit.

Gestational age is counted from HPHT; a pregnancy with only an HPL is counted from
HPL - 280 days (Naegele's rule, the same rule the services use to derive HPL).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from tumbuh.registry.models import PREGNANCY_DAYS, Pregnancy, PregnancyOutcome

#: (completed weeks, fewest ANC visits by then): behind under every reading of PMK 21/2021.
ANC_MINIMUM_BY_WEEK = ((14, 1), (28, 3), (40, 6))


def gestational_days(pregnancy: Pregnancy, on: dt.date) -> int | None:
    """Days since HPHT (or since HPL - 280 days) on ``on``; None without either date."""
    if pregnancy.hpht is not None:
        return (on - pregnancy.hpht).days
    if pregnancy.due_date is not None:
        return PREGNANCY_DAYS - (pregnancy.due_date - on).days
    return None


def gestational_weeks(pregnancy: Pregnancy, on: dt.date) -> int | None:
    """Completed weeks of pregnancy on ``on`` (None without HPHT/HPL or before HPHT)."""
    days = gestational_days(pregnancy, on)
    return days // 7 if days is not None and days >= 0 else None


def anc_too_few(pregnancy: Pregnancy, on: dt.date) -> bool:
    """Fewer ANC visits than the minimum for the completed weeks (see the module text)."""
    if pregnancy.outcome != PregnancyOutcome.ONGOING:
        return False
    weeks = gestational_weeks(pregnancy, on)
    if weeks is None:
        return False
    return any(weeks >= w and pregnancy.anc_visits < n for w, n in ANC_MINIMUM_BY_WEEK)


def is_at_risk(pregnancy: Pregnancy, on: dt.date) -> bool:
    """KEK, anaemia or too few ANC visits."""
    return pregnancy.is_kek or pregnancy.is_anaemic or anc_too_few(pregnancy, on)


def anc_too_few_q(on: dt.date, prefix: str = "") -> Q:
    """``anc_too_few`` as a filter on pregnancies (at lookup path ``prefix``, e.g.
    ``"pregnancies__"``); ongoing pregnancies only."""
    rule = Q(pk__in=[])
    for weeks, fewest in ANC_MINIMUM_BY_WEEK:
        hpht_by = on - dt.timedelta(weeks=weeks)
        reached = Q(**{f"{prefix}hpht__lte": hpht_by}) | Q(
            **{
                f"{prefix}hpht__isnull": True,
                f"{prefix}due_date__lte": hpht_by + dt.timedelta(days=PREGNANCY_DAYS),
            }
        )
        rule |= reached & Q(**{f"{prefix}anc_visits__lt": fewest})
    return rule & Q(**{f"{prefix}outcome": PregnancyOutcome.ONGOING})


def at_risk_q(on: dt.date, prefix: str = "") -> Q:
    """``is_at_risk`` as a filter on pregnancies."""
    return (
        Q(**{f"{prefix}is_kek": True})
        | Q(**{f"{prefix}is_anaemic": True})
        | anc_too_few_q(on, prefix)
    )
