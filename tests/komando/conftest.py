"""A hand-built city for the command centre: children, weighings, cases, pregnancies and OPD
tasks in three kelurahan of two kecamatan, with every expected count written down in
``EXPECTED`` (August 2026, a weighing month)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from factories import ChildFactory, MotherFactory, UserFactory

from tumbuh.accounts.models import Role, User
from tumbuh.cases.models import (
    Case,
    CaseKind,
    CaseNeed,
    CaseStatus,
    Intervention,
    InterventionStatus,
    NeedCategory,
    NeedKind,
    Outcome,
    Task,
    TaskStatus,
    TaskUpdate,
    TaskUpdateKind,
)
from tumbuh.organisations.models import Kind, Organisation
from tumbuh.registry.models import (
    BreastfeedingKind,
    BreastfeedingPeriod,
    Child,
    ChildStatus,
    Measurement,
    Pregnancy,
    PregnancyOutcome,
    Source,
)
from tumbuh.wilayah.models import Posyandu, Region
from tumbuh.wilayah.services import region_load

MONTH = dt.date(2026, 8, 1)
TODAY = dt.date(2026, 9, 10)
KOTA, KEC_A, KEC_B = "32.71", "32.71.03", "32.71.01"
KEL_A, KEL_A2, KEL_B = "32.71.03.1006", "32.71.03.1005", "32.71.01.1001"

#: area -> indicator -> (value, denominator); every other indicator is 0.
EXPECTED: dict[str, dict[str, tuple[int, int | None]]] = {
    KEL_A: {
        "s": (3, None),
        "d": (2, 3),
        "n": (1, 2),
        "t2": (1, 2),
        "bgm": (1, 2),
        "measured_h": (2, 3),
        "stunted": (1, 2),
        "measured_wh": (2, 3),
        "wasted": (1, 2),
        "severely_wasted": (1, 2),
        "sw_managed": (1, 1),
        "measured_w": (2, 3),
        "underweight": (2, 2),
        "cases_open": (1, None),
        "cases_closed": (1, None),
        "cases_recovered": (1, 1),
        "preg": (1, None),
        "preg_kek": (1, 1),
        "preg_anc_few": (1, 1),
    },
    KEL_A2: {
        "s": (1, None),
        "d": (1, 1),
        "n": (1, 1),
        "measured_h": (1, 1),
        "stunted": (1, 1),
        "measured_wh": (1, 1),
        "wasted": (1, 1),
        "moderate_wasted": (1, 1),
        "mw_fed": (1, 1),
        "measured_w": (1, 1),
        "cases_new": (1, None),
        "cases_open": (1, None),
    },
    KEL_B: {
        "s": (2, None),
        "d": (2, 2),
        "measured_h": (2, 2),
        "measured_wh": (2, 2),
        "measured_w": (2, 2),
        "under6m": (1, 2),
        "exclusive_bf": (1, 1),
        "preg": (1, None),
        "preg_anaemia": (1, 1),
        "preg_late": (1, 1),
        "preg_ttd_few": (1, 1),
        "preg_ended": (1, None),
        "preg_ttd90": (1, 1),
    },
}


def expected_sum(codes: list[str]) -> dict[str, tuple[int, int | None]]:
    """What a kecamatan or the city must read: the sum of its kelurahan."""
    from tumbuh.komando.indicators import BY_CODE

    total: dict[str, int] = {}
    for code in codes:
        for indicator, (value, _d) in EXPECTED[code].items():
            total[indicator] = total.get(indicator, 0) + value
    out: dict[str, tuple[int, int | None]] = {}
    for indicator, value in total.items():
        den = BY_CODE[indicator].denominator
        out[indicator] = (value, total.get(den, 0) if den else None)
    return out


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        region_load(code="32.71")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def weigh(child: Child, day: dt.date, **fields: object) -> Measurement:
    values: dict[str, object] = {
        "weight_kg": 10,
        "length_cm": 80,
        "category_bbu": "normal_weight",
        "category_tbu": "normal_height",
        "category_bbtb": "normal",
        "trend": "",
        "two_t": False,
    }
    values.update(fields)
    age = (day - child.person.birth_date).days
    return Measurement.objects.create(
        child=child, measured_on=day, age_days=age, source=Source.DEMO, **values
    )


@dataclass
class City:
    kel: dict[str, Region]
    pos: dict[str, Posyandu]
    children: dict[str, Child]
    users: dict[str, User]
    dinkes: Organisation
    dinsos: Organisation


def _child(kel: Region, pos: Posyandu | None, **kw: object) -> Child:
    return ChildFactory(person__family__kelurahan=kel, posyandu=pos, **kw)


@pytest.fixture
def city(db) -> City:  # type: ignore[no-untyped-def]
    kel = {c: Region.objects.get(code=c) for c in (KEL_A, KEL_A2, KEL_B)}
    pos = {
        "a": Posyandu.objects.create(name="Mawar", kelurahan=kel[KEL_A]),
        "a2": Posyandu.objects.create(name="Melati", kelurahan=kel[KEL_A2]),
        "b": Posyandu.objects.create(name="Anggrek", kelurahan=kel[KEL_B]),
    }
    c = {
        "a1": _child(kel[KEL_A], pos["a"]),
        "a2": _child(kel[KEL_A], pos["a"]),
        "a3": _child(kel[KEL_A], pos["a"]),
        "a5": _child(kel[KEL_A], pos["a"], status=ChildStatus.MOVED),
        "a4": _child(kel[KEL_A2], pos["a2"]),
        "b1": _child(kel[KEL_B], pos["b"]),
        "b2": _child(kel[KEL_B], pos["b"], person__birth_date=dt.date(2021, 1, 1)),
        "b3": _child(kel[KEL_B], pos["b"], person__birth_date=dt.date(2026, 5, 1)),
    }
    weigh(
        c["a1"], dt.date(2026, 8, 5), category_tbu="stunted", category_bbu="underweight", trend="N"
    )
    weigh(c["a2"], dt.date(2026, 8, 1), category_tbu="stunted")
    weigh(
        c["a2"],
        dt.date(2026, 8, 3),
        category_bbtb="severely_wasted",
        category_bbu="severely_underweight",
        trend="T",
        two_t=True,
    )
    weigh(c["a3"], dt.date(2026, 7, 20), category_tbu="stunted")
    weigh(c["a5"], dt.date(2026, 8, 6), category_tbu="stunted")
    weigh(
        c["a4"],
        dt.date(2026, 8, 7),
        category_tbu="severely_stunted",
        category_bbtb="wasted",
        trend="N",
    )
    weigh(c["b1"], dt.date(2026, 8, 8), trend="O")
    weigh(c["b2"], dt.date(2026, 8, 8), category_tbu="stunted")
    weigh(c["b3"], dt.date(2026, 8, 9))
    BreastfeedingPeriod.objects.create(
        child=c["b3"], kind=BreastfeedingKind.EXCLUSIVE, started_on=dt.date(2026, 5, 1)
    )
    # Cases: a2's wasting case (July, still open), a4's new wasting case with food delivered,
    # a1's stunting case closed as recovered in August, a rejected case that counts nowhere.
    dinkes = Organisation.objects.create(code="dinkes-uji", name="Dinas Kesehatan", kind=Kind.OPD)
    dinsos = Organisation.objects.create(code="dinsos-uji", name="Dinas Sosial", kind=Kind.OPD)
    need = NeedCategory.objects.create(code="pmt-uji", name="PMT", kind=NeedKind.SPECIFIC)
    Case.objects.create(
        kind=CaseKind.WASTING,
        child=c["a2"],
        kelurahan=kel[KEL_A],
        opened_at=at(dt.date(2026, 7, 4)),
    )
    case_a4 = Case.objects.create(
        kind=CaseKind.WASTING,
        child=c["a4"],
        kelurahan=kel[KEL_A2],
        status=CaseStatus.IN_INTERVENTION,
        opened_at=at(dt.date(2026, 8, 10)),
    )
    case_need = CaseNeed.objects.create(
        case=case_a4, category=need, assessed_at=at(dt.date(2026, 8, 11))
    )
    Intervention.objects.create(
        case=case_a4,
        need=case_need,
        owner=dinkes,
        due_date=dt.date(2026, 8, 20),
        status=InterventionStatus.DELIVERED,
        delivered_on=dt.date(2026, 8, 18),
    )
    Case.objects.create(
        kind=CaseKind.STUNTING,
        child=c["a1"],
        kelurahan=kel[KEL_A],
        status=CaseStatus.CLOSED,
        outcome=Outcome.RECOVERED,
        opened_at=at(dt.date(2026, 3, 1)),
        closed_at=at(dt.date(2026, 8, 20)),
    )
    Case.objects.create(
        kind=CaseKind.STUNTING,
        child=c["a3"],
        kelurahan=kel[KEL_A],
        status=CaseStatus.REJECTED,
        opened_at=at(dt.date(2026, 8, 2)),
    )
    # Pregnancies.
    Pregnancy.objects.create(
        mother=c["a1"].mother,
        hpht=dt.date(2026, 1, 1),
        lila_cm=22,
        is_kek=True,
        anc_visits=2,
        iron_tablets_taken=40,
    )
    Pregnancy.objects.create(
        mother=c["b1"].mother,
        hpht=dt.date(2025, 11, 1),
        iron_tablets_taken=95,
        anc_visits=6,
        outcome=PregnancyOutcome.LIVE_BIRTH,
        ended_on=dt.date(2026, 8, 8),
    )
    other = MotherFactory(person__family__kelurahan=kel[KEL_B])
    Pregnancy.objects.create(
        mother=other,
        hpht=dt.date(2025, 12, 1),
        hb_g_dl=10,
        is_anaemic=True,
        anc_visits=6,
        iron_tablets_taken=50,
    )

    # Tasks to Dinkes: one on time, one late, one overdue in August, one overdue from July and
    # escalated to the TPPS in August. Dinsos: three on time.
    def task(owner: Organisation, due: dt.date, done: dt.date | None, assigned: dt.date) -> Task:
        return Task.objects.create(
            case=case_a4,
            owner=owner,
            title="Uji",
            due_date=due,
            status=TaskStatus.DONE if done else TaskStatus.OPEN,
            assigned_at=at(assigned),
            completed_at=at(done) if done else None,
        )

    task(dinkes, dt.date(2026, 8, 10), dt.date(2026, 8, 8), dt.date(2026, 8, 1))
    task(dinkes, dt.date(2026, 8, 15), dt.date(2026, 8, 20), dt.date(2026, 8, 1))
    task(dinkes, dt.date(2026, 8, 20), None, dt.date(2026, 8, 1))
    late = task(dinkes, dt.date(2026, 7, 1), None, dt.date(2026, 6, 20))
    TaskUpdate.objects.create(
        task=late, at=at(dt.date(2026, 8, 2)), kind=TaskUpdateKind.ESCALATED_TPPS
    )
    for day in (5, 12, 19):
        task(dinsos, dt.date(2026, 8, day), dt.date(2026, 8, day - 1), dt.date(2026, 8, 1))
    kota = Region.objects.get(code=KOTA)
    users = {
        "tpps": UserFactory(username="k-tpps", role=Role.TPPS, region=kota),
        "kecamatan": UserFactory(
            username="k-kec", role=Role.KECAMATAN_OFFICER, region=Region.objects.get(code=KEC_A)
        ),
        "kelurahan": UserFactory(username="k-kel", role=Role.KELURAHAN_OFFICER, region=kel[KEL_B]),
        "kader": UserFactory(username="k-kader", role=Role.KADER, posyandu=pos["a"]),
        "admin": UserFactory(username="k-admin", is_superuser=True, is_staff=True),
    }
    return City(kel, pos, c, users, dinkes, dinsos)


@pytest.fixture
def refreshed(city: City) -> City:
    from tumbuh.komando.services import stats_refresh_month

    stats_refresh_month(month=MONTH, city_code=KOTA, today=TODAY)
    return city


@pytest.fixture
def client_for(city: City):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        client = Client()
        client.force_login(city.users[name])
        return client

    return make
