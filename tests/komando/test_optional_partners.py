"""Visit adherence, contributions delivered and the partner scorecard, from the partners app's
tables. Runs where the partners app is installed (after merging issue 8), skipped before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from tests.komando.conftest import KEL_A, KEL_A2, KOTA, MONTH, TODAY
from tumbuh.komando.models import AreaMonthStat, OrgMonthStat
from tumbuh.komando.selectors import area_open, drill_ids
from tumbuh.komando.services import stats_refresh_month

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("tumbuh.partners"), reason="aplikasi mitra (issue 8) belum terpasang"
    ),
]


def _patronage(city, child, org, patron, started):  # type: ignore[no-untyped-def]
    from tumbuh.registry.models import ChildAssignment

    patronage_model = apps.get_model("partners", "Patronage")
    assignment = ChildAssignment.objects.create(child=child, user=patron, started_on=started)
    return patronage_model.objects.create(
        assignment=assignment,
        child=child,
        patron=patron,
        organisation=org,
        pseudonym="Anak A",
        consent_by_name="Ibu",
        consent_relationship="Ibu kandung",
        consent_method="verbal",
        consent_on=started,
        started_on=started,
        visit_every_days=14,
    )


def test_visits_contributions_and_partner_scorecard(city):  # type: ignore[no-untyped-def]
    from tests.web.factories import UserFactory
    from tumbuh.accounts.models import Role
    from tumbuh.cases.models import CaseNeed
    from tumbuh.organisations.models import Kind, Organisation

    visit_model = apps.get_model("partners", "Visit")
    pledge_model = apps.get_model("partners", "Pledge")
    delivery_model = apps.get_model("partners", "Delivery")
    org = Organisation.objects.create(code="pt-uji", name="PT Uji Peduli", kind=Kind.COMPANY)
    patron = UserFactory(username="bapak-asuh", role=Role.PARTNER)
    # a4 from 18 July: windows closing in August end 14 and 28 Aug; only the first is visited.
    p4 = _patronage(city, city.children["a4"], org, patron, dt.date(2026, 7, 18))
    visit_model.objects.create(
        patronage=p4, visited_on=dt.date(2026, 8, 5), visitor=patron, child_seen=True
    )
    # a1 from 1 August: both windows (ending 14 and 28 Aug) visited.
    p1 = _patronage(city, city.children["a1"], org, patron, dt.date(2026, 8, 1))
    for day in (10, 20):
        visit_model.objects.create(
            patronage=p1, visited_on=dt.date(2026, 8, day), visitor=patron, child_seen=True
        )
    need = CaseNeed.objects.get(case__child=city.children["a4"])
    pledge = pledge_model.objects.create(
        partner=org, need=need, category=need.category, description="Telur", amount_rupiah=100000
    )
    delivery_model.objects.create(
        pledge=pledge,
        sequence=1,
        scheduled_on=dt.date(2026, 8, 10),
        status="verified",
        delivered_on=dt.date(2026, 8, 9),
    )
    delivery_model.objects.create(pledge=pledge, sequence=2, scheduled_on=dt.date(2026, 8, 24))

    stats_refresh_month(month=MONTH, city_code=KOTA, today=TODAY)

    def stat(area, code):  # type: ignore[no-untyped-def]
        row = AreaMonthStat.objects.get(area_code=area, month=MONTH, indicator=code)
        return row.value, row.denominator

    assert stat(KEL_A, "visits_due") == (1, None) and stat(KEL_A, "visits_done") == (1, 1)
    assert stat(KEL_A2, "visits_due") == (1, None) and stat(KEL_A2, "visits_done") == (0, 1)
    assert stat(KOTA, "visits_done") == (1, 2)
    assert stat(KEL_A2, "contributions_due") == (2, None)
    assert stat(KEL_A2, "contributions_delivered") == (1, 2)
    card = dict(
        OrgMonthStat.objects.filter(organisation=org, month=MONTH).values_list("indicator", "value")
    )
    assert card["deliveries_due"] == 2 and card["on_time"] == 1 and card["verified_share"] == 100.0
    assert card["adherence"] == 75.0  # 3 of 4 windows visited
    assert card["score"] == 75.0  # mean of 50 %, 100 %, 75 %
    tpps = city.users["tpps"]
    _ind, ids = drill_ids(area_open(tpps, KOTA), MONTH, "visits_done")
    assert ids == [city.children["a1"].pk]
