"""Fixtures for the cases tests: Kota Bogor loaded once, a small world with one user per
role, two OPD (Dinkes with a head and an officer, Dinsos), the needs catalogue, and a helper
that records weighings through the registry's own service (so the signals run)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from inspect import signature

import pytest
from django.test import Client

from tests.web.factories import ChildFactory, UserFactory
from tumbuh.accounts.models import Role, User
from tumbuh.cases.reference import needs_load
from tumbuh.organisations.models import Kind, Membership, OpdType, Organisation
from tumbuh.registry.models import Child, Measurement
from tumbuh.registry.services import measurement_record
from tumbuh.wilayah.models import Posyandu, Puskesmas, Region
from tumbuh.wilayah.services import region_load

TODAY = dt.date(2026, 11, 15)
BIRTH = dt.date(2025, 1, 10)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        region_load(code="32.71")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class CasesWorld:
    kota: Region
    kel_a: Region  # Sempur (Bogor Tengah)
    kel_b: Region  # Batu Tulis (Bogor Selatan)
    pusk_a: Puskesmas
    pusk_b: Puskesmas
    pos_a: Posyandu
    pos_b: Posyandu
    child_a: Child
    child_b: Child
    dinkes: Organisation
    dinsos: Organisation
    users: dict[str, User]


@pytest.fixture
def cw(db) -> CasesWorld:  # type: ignore[no-untyped-def]
    r = Region.objects.get
    kota, kec_a = r(code="32.71"), r(code="32.71.03")
    kel_a, kel_b = r(code="32.71.03.1006"), r(code="32.71.01.1001")
    pusk_a = Puskesmas.objects.get(name="Sempur")
    pusk_b = Puskesmas.objects.get(name="Bogor Selatan")
    pusk_a.service_area.add(kel_a)
    pusk_b.service_area.add(kel_b)
    pos_a = Posyandu.objects.create(name="Mawar", kelurahan=kel_a, puskesmas=pusk_a)
    pos_b = Posyandu.objects.create(name="Anggrek", kelurahan=kel_b, puskesmas=pusk_b)
    child_a = ChildFactory(
        person__family__kelurahan=kel_a,
        person__family__address_line="Jl. Veteran No. 5",
        person__birth_date=BIRTH,
        posyandu=pos_a,
    )
    child_b = ChildFactory(
        person__family__kelurahan=kel_b, person__birth_date=BIRTH, posyandu=pos_b
    )
    needs_load()
    dinkes = Organisation.objects.create(
        code="dinkes-uji", name="Dinas Kesehatan", short_name="Dinkes", kind=Kind.OPD,
        opd_type=OpdType.AGENCY, region=kota,
    )  # fmt: skip
    dinsos = Organisation.objects.create(
        code="dinsos-uji", name="Dinas Sosial", short_name="Dinsos", kind=Kind.OPD,
        opd_type=OpdType.AGENCY, region=kota,
    )  # fmt: skip
    users = {
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True, role=""),
        "tpps": UserFactory(username="tpps", role=Role.TPPS, region=kota),
        "kecamatan": UserFactory(username="kecamatan", role=Role.KECAMATAN_OFFICER, region=kec_a),
        "kelurahan": UserFactory(username="kelurahan", role=Role.KELURAHAN_OFFICER, region=kel_a),
        "tenaga_gizi": UserFactory(username="gizi", role=Role.NUTRITION_OFFICER, puskesmas=pusk_a),
        "gizi_b": UserFactory(username="gizi_b", role=Role.NUTRITION_OFFICER, puskesmas=pusk_b),
        "kader": UserFactory(username="kader", role=Role.KADER, posyandu=pos_a),
        "opd": UserFactory(username="opd", role=Role.OPD),
        "opd_head": UserFactory(username="opd_head", role=Role.OPD),
        "opd_other": UserFactory(username="opd_dinsos", role=Role.OPD),
        "partner": UserFactory(username="partner", role=Role.PARTNER),
        "parent": UserFactory(username="parent", role=Role.PARENT, person=child_a.mother.person),
        "tpps_no_area": UserFactory(username="tpps0", role=Role.TPPS),
    }
    Membership.objects.create(user=users["opd"], organisation=dinkes)
    Membership.objects.create(user=users["opd_head"], organisation=dinkes, is_head=True)
    Membership.objects.create(user=users["opd_other"], organisation=dinsos)
    return CasesWorld(
        kota, kel_a, kel_b, pusk_a, pusk_b, pos_a, pos_b, child_a, child_b, dinkes, dinsos,
        users,
    )  # fmt: skip


def weigh(
    child: Child,
    on: dt.date,
    *,
    length: str,
    weight: str,
    actor: User | None = None,
    position: str = "l",
) -> Measurement:
    """A weighing through ``measurement_record`` (form path), as the system or ``actor``; an
    implausible value is stored as checked when the service asks for that (``confirmed``)."""
    extra = {"confirmed": True} if "confirmed" in signature(measurement_record).parameters else {}
    result = measurement_record(
        actor=actor,
        child=child,
        measured_on=on,
        weight_kg=Decimal(weight),
        length_cm=Decimal(length),
        position=position,
        today=TODAY,
        **extra,
    )
    return result.measurement


@pytest.fixture
def api_for(cw: CasesWorld):  # type: ignore[no-untyped-def]
    """A client with a bearer token for one of the world's users."""
    from tumbuh.api.services import token_create

    def make(name: str) -> Client:
        _token, secret = token_create(actor=cw.users[name], user=cw.users[name], name="uji")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_USER_AGENT="pytest-agent/1.0")

    return make
