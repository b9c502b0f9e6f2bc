"""Issue 12 item 12: a demo that looks alive (weighings in the current month, relative to
today, also for a demo seeded months ago)."""

from __future__ import annotations

import datetime as dt

import pytest

from tumbuh.registry.demo.extend import demo_extend
from tumbuh.registry.demo.seed import seed_demo
from tumbuh.registry.models import Child, Measurement

SEEDED = dt.date(2026, 9, 2)  # before most posyandu days of the month


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return seed_demo(children=140, months=4, seed=11, today=SEEDED)


def test_the_seeded_current_month_has_weighings(demo) -> None:
    this_month = Measurement.objects.filter(measured_on__gte=SEEDED.replace(day=1))
    assert this_month.count() > 50  # ~85 % of the under-fives, not only posyandu days 1-2
    assert not Measurement.objects.filter(measured_on__gt=SEEDED).exists()


def test_an_old_demo_is_extended_to_the_current_month(demo) -> None:
    today = dt.date(2026, 12, 4)
    before = Measurement.objects.count()
    added = demo_extend(today=today)
    assert added == Measurement.objects.count() - before > 0
    december = Measurement.objects.filter(measured_on__gte=dt.date(2026, 12, 1))
    assert december.count() > 50
    assert not Measurement.objects.filter(measured_on__gt=today).exists()
    days = Measurement.objects.filter(measured_on__gt=SEEDED).values_list("measured_on", flat=True)
    months = {(d.year, d.month) for d in days}
    # (September only for a child whose latest weighing was still in August.)
    assert {(2026, 10), (2026, 11), (2026, 12)} <= months <= {(2026, m) for m in (9, 10, 11, 12)}
    fresh = Child.objects.filter(latest_measurement__measured_on__gte=dt.date(2026, 12, 1))
    assert fresh.count() == december.count()
    # Continuing each child's own curve: no implausible jump was created.
    new = Measurement.objects.filter(measured_on__gt=SEEDED)
    assert not new.filter(fwei=True).exists() and not new.filter(flen=True).exists()
    assert demo_extend(today=today) == 0  # idempotent within the month


def test_the_documented_demo_otp_login_works(demo) -> None:
    from tumbuh.chatbot import interfaces as bot
    from tumbuh.messaging.verification import MemoryCodeSender, OtpVerifier
    from tumbuh.registry.demo.seed import DEMO_PARENT_PHONE, DEMO_PATRON_PHONE
    from tumbuh.registry.models import Person

    verifier = OtpVerifier(sender=MemoryCodeSender())
    assert verifier.start(DEMO_PARENT_PHONE)
    parent = verifier.check(DEMO_PARENT_PHONE, "123456")
    assert parent is not None and parent.role is bot.Role.PARENT
    assert verifier.start(DEMO_PATRON_PHONE)
    patron = verifier.check("+62 812-0000-0002", "123456")
    assert patron is not None and patron.role is bot.Role.BAPAK_ASUH
    # A real (non-demo) person never gets the demo code.
    person = Person.objects.filter(mother__isnull=False).exclude(phone=DEMO_PARENT_PHONE).first()
    assert person is not None
    Person.objects.filter(pk=person.pk).update(is_demo=False, phone="081299998888")
    assert verifier.start("081299998888")
    assert verifier.check("081299998888", "123456") is None  # random code (1 in a million)
