"""Synthetic demo data: every kelurahan, plausible weighings judged by the engine, one demo
login per role, all marked demo, NIK/KK numbers in a valid format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tumbuh.accounts.models import Role, User
from tumbuh.growth import assess
from tumbuh.registry.demo.seed import DEMO_PASSWORD, demo_logins, seed_demo
from tumbuh.registry.identity import check_kk, check_nik
from tumbuh.registry.models import Child, Family, Measurement, Person
from tumbuh.registry.selectors import children_visible_to
from tumbuh.wilayah.models import Level, Posyandu, Region

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return seed_demo(children=170, months=6, seed=7, today=TODAY)


def test_every_kelurahan_has_demo_children(demo):
    assert demo.children == Child.objects.count() == 170
    kelurahan = Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.")
    with_children = kelurahan.filter(families__members__child__isnull=False).distinct()
    assert with_children.count() == 68
    assert Posyandu.objects.filter(is_demo=True).count() == demo.posyandu >= 68
    assert not Child.objects.filter(is_demo=False).exists()
    assert not Person.objects.filter(is_demo=False).exists()
    assert not Measurement.objects.exclude(source="demo").exists()


def test_weighings_are_monthly_plausible_and_judged_by_the_engine(demo):
    assert demo.measurements == Measurement.objects.count() > 170 * 3
    m = Measurement.objects.select_related("child__person").order_by("?").first()
    single = assess(
        sex=m.child.person.sex,
        birth_date=m.child.person.birth_date,
        visit_date=m.measured_on,
        weight=float(m.weight_kg),
        lenhei=float(m.length_cm),
        measure=m.position,
        headc=float(m.head_circumference_cm) if m.head_circumference_cm else None,
        armc=float(m.arm_circumference_cm) if m.arm_circumference_cm else None,
    )
    assert m.zlen == single["zlen"].z and m.zwei == single["zwei"].z
    assert m.is_stunted == single.is_stunted
    assert not Measurement.objects.filter(measured_on__gt=TODAY).exists()
    assert set(Measurement.objects.values_list("trend", flat=True)) <= {"B", "N", "T", "O"}
    share = demo.stunted / demo.weighed
    assert 0 <= share < 0.1
    for child in Child.objects.filter(latest_measurement__isnull=False)[:20]:
        assert child.latest_measurement == child.measurements.order_by("measured_on").last()


def test_numbers_have_a_valid_structure(demo):
    for person in Person.objects.filter(nik__isnull=False)[:200]:
        check = check_nik(person.nik, sex=person.sex, birth_date=person.birth_date, today=TODAY)
        assert check.valid, (person.nik, check.errors)
        assert int(person.nik[12:]) >= 9000  # demo serial range
    for family in Family.objects.filter(kk_number__isnull=False)[:100]:
        assert check_kk(family.kk_number).valid
        assert family.phone.startswith("0000-")


def test_one_demo_login_per_role(demo):
    logins = demo_logins()
    roles = {role for _, _, role in logins}
    assert {str(r.label) for r in Role} | {"administrator"} == roles
    for username, password, _ in logins:
        user = User.objects.get(username=username)
        assert user.is_demo and password == DEMO_PASSWORD
    for username in ("demo-kader", "demo-kelurahan", "demo-gizi", "demo-kecamatan", "demo-tpps"):
        assert children_visible_to(User.objects.get(username=username)).exists(), username
    assert children_visible_to(User.objects.get(username="demo-orangtua")).exists()
    assert not children_visible_to(User.objects.get(username="demo-opd")).exists()


def test_commands(db, capsys):
    call_command("seed_demo", "--children", "68", "--months", "2")
    out = capsys.readouterr().out
    assert "Data DEMO: 68 anak" in out
    with pytest.raises(CommandError, match="sudah berisi anak"):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert "tidak dibuat lagi" in capsys.readouterr().out
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "DEMO  demo-kader" in out and DEMO_PASSWORD in out
