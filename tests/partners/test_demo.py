"""The partners demo: every partner kind, pledges and deliveries in every state, a DPRD bapak
asuh with visits on time, overdue and missed, and the two demo logins; run twice, made once."""

from __future__ import annotations

import pytest

from tests.partners.conftest import TODAY, Town, _case, _need
from tests.web.factories import ChildFactory
from tumbuh.accounts.models import User
from tumbuh.organisations.models import PARTNER_KINDS, Organisation
from tumbuh.partners.demo import seed_partners_demo
from tumbuh.partners.models import Delivery, PartnerApplication, Pledge
from tumbuh.partners.portal import patron_children
from tumbuh.registry.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state(town: Town) -> None:
    for _ in range(4):
        child = ChildFactory(person__family__kelurahan=town.kel_a, posyandu=town.pos_a)
        _need(_case(child, town.kel_a), town.eggs)
    lines = seed_partners_demo(today=TODAY)
    assert lines[0].startswith("Mitra demo")
    kinds = set(
        Organisation.objects.filter(is_demo=True, status="active").values_list("kind", flat=True)
    )
    assert kinds == set(PARTNER_KINDS)
    assert set(PartnerApplication.objects.values_list("status", flat=True)) == {
        "pending",
        "rejected",
    }
    assert {"pending", "approved", "completed", "rejected", "cancelled"} <= set(
        Pledge.objects.values_list("status", flat=True)
    )
    assert {"verified", "missed", "recorded", "scheduled"} <= set(
        Delivery.objects.values_list("status", flat=True)
    )
    patron = User.objects.get(username="demo-bapak-asuh")
    company = User.objects.get(username="demo-perusahaan")
    assert patron.check_password(DEMO_PASSWORD) and company.check_password(DEMO_PASSWORD)
    assert patron.membership.organisation.kind == "dprd"
    states = {c.plan.state.value for c in patron_children(patron, today=TODAY, with_growth=False)}
    assert {"scheduled", "overdue", "missed"} <= states
    assert seed_partners_demo(today=TODAY) == ["Data demo mitra sudah ada."]
    assert Organisation.objects.filter(code="demo-pt-sehat").count() == 1
