"""Fixtures for the Django platform tests: Kota Bogor loaded once per session, and a small
two-kecamatan world with one user per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from factories import ChildFactory, UserFactory  # tests/web is on sys.path (rootdir mode)

from tumbuh.accounts.models import Role, User
from tumbuh.registry.models import Child
from tumbuh.wilayah.models import Posyandu, Puskesmas, Region
from tumbuh.wilayah.services import region_load

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Kota Bogor's wilayah tree and puskesmas, loaded once into the test database."""
    with django_db_blocker.unblock():
        region_load(code="32.71")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """PBKDF2 costs ~0.3 s a user; tests need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    kota: Region
    kec_a: Region  # Bogor Tengah
    kec_b: Region  # Bogor Selatan
    kel_a: Region  # Sempur
    kel_a2: Region  # Babakan
    kel_b: Region  # Batu Tulis
    pusk_a: Puskesmas
    pusk_b: Puskesmas
    pos_a: Posyandu
    pos_a2: Posyandu
    pos_b: Posyandu
    child_a: Child  # lives in Sempur, posyandu A
    child_a2: Child  # lives in Babakan, posyandu A2
    child_b: Child  # lives in Batu Tulis, posyandu B
    child_x: Child  # lives in Batu Tulis, weighed at posyandu A
    users: dict[str, User]

    @property
    def children(self) -> dict[str, Child]:
        return {
            "child_a": self.child_a,
            "child_a2": self.child_a2,
            "child_b": self.child_b,
            "child_x": self.child_x,
        }


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    r = Region.objects.get
    kota, kec_a, kec_b = r(code="32.71"), r(code="32.71.03"), r(code="32.71.01")
    kel_a, kel_a2, kel_b = r(code="32.71.03.1006"), r(code="32.71.03.1005"), r(code="32.71.01.1001")
    pusk_a = Puskesmas.objects.get(name="Sempur")
    pusk_b = Puskesmas.objects.get(name="Bogor Selatan")
    pusk_a.service_area.add(kel_a)
    pusk_b.service_area.add(kel_b)
    belong = Puskesmas.objects.get(name="Belong")
    belong.service_area.add(kel_a2)
    pos_a = Posyandu.objects.create(name="Mawar", kelurahan=kel_a, puskesmas=pusk_a)
    pos_a2 = Posyandu.objects.create(name="Melati", kelurahan=kel_a2, puskesmas=belong)
    pos_b = Posyandu.objects.create(name="Anggrek", kelurahan=kel_b, puskesmas=pusk_b)
    child_a = ChildFactory(person__family__kelurahan=kel_a, posyandu=pos_a)
    child_a2 = ChildFactory(person__family__kelurahan=kel_a2, posyandu=pos_a2)
    child_b = ChildFactory(person__family__kelurahan=kel_b, posyandu=pos_b)
    child_x = ChildFactory(person__family__kelurahan=kel_b, posyandu=pos_a)
    partner = UserFactory(username="partner", role=Role.PARTNER)
    partner.child_assignments.create(child=child_b, started_on=TODAY)
    users = {
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True, role=""),
        "tpps": UserFactory(username="tpps", role=Role.TPPS, region=kota),
        "kecamatan": UserFactory(username="kecamatan", role=Role.KECAMATAN_OFFICER, region=kec_a),
        "kelurahan": UserFactory(username="kelurahan", role=Role.KELURAHAN_OFFICER, region=kel_a),
        "tenaga_gizi": UserFactory(username="gizi", role=Role.NUTRITION_OFFICER, puskesmas=pusk_a),
        "kader": UserFactory(username="kader", role=Role.KADER, posyandu=pos_a),
        "opd": UserFactory(username="opd", role=Role.OPD, organisation="Dinas Kesehatan"),
        "partner": partner,
        "parent": UserFactory(username="parent", role=Role.PARENT, person=child_a.mother.person),
        "tpps_no_area": UserFactory(username="tpps0", role=Role.TPPS),
        "kader_no_posyandu": UserFactory(username="kader0", role=Role.KADER),
        "inactive_tpps": UserFactory(username="gone", role=Role.TPPS, region=kota, is_active=False),
    }
    return World(
        kota,
        kec_a,
        kec_b,
        kel_a,
        kel_a2,
        kel_b,
        pusk_a,
        pusk_b,
        pos_a,
        pos_a2,
        pos_b,
        child_a,
        child_a2,
        child_b,
        child_x,
        users,
    )


@pytest.fixture
def client_for(world: World):  # type: ignore[no-untyped-def]
    """A logged-in test client for one of the world's users."""

    def make(name: str) -> Client:
        client = Client(HTTP_USER_AGENT="pytest-agent/1.0", REMOTE_ADDR="10.1.2.3")
        client.force_login(world.users[name])
        return client

    return make
