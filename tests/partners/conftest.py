"""Fixtures for the partners area: Kota Bogor loaded once, a second city made by hand, a small
town with one assessed case, a company partner, a DPRD bapak asuh and one user per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from tests.web.factories import ChildFactory, UserFactory
from tumbuh.accounts.models import Role, User
from tumbuh.api.services import token_create
from tumbuh.cases.models import Case, CaseKind, CaseNeed, CaseStatus, NeedCategory
from tumbuh.organisations.models import Kind, Membership, Organisation
from tumbuh.partners.models import Patronage
from tumbuh.partners.services import patron_assign
from tumbuh.registry.models import Child
from tumbuh.wilayah.models import Kind as RegionKind
from tumbuh.wilayah.models import Level, Posyandu, Puskesmas, Region
from tumbuh.wilayah.services import region_load

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        region_load(code="32.71")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class Town:
    kota: Region
    kel_a: Region
    kel_b: Region
    pos_a: Posyandu
    child_a: Child  # Sempur, posyandu A: stunted, case assessed, needs open
    child_b: Child  # Batu Tulis: another case
    child_far: Child  # another city (Kota Sukabumi, made by hand)
    case_a: Case
    case_b: Case
    case_far: Case
    eggs: NeedCategory
    baas: NeedCategory
    immunisation: NeedCategory
    need_eggs: CaseNeed
    need_baas: CaseNeed
    need_immunisation: CaseNeed
    need_b: CaseNeed
    need_far: CaseNeed
    company: Organisation
    dprd: Organisation
    patronage: Patronage
    users: dict[str, User] = field(default_factory=dict)


def _category(code: str, name: str, *, partner: bool, low: int, high: int) -> NeedCategory:
    cat, _ = NeedCategory.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": "specific",
            "unit": "bulan",
            "unit_cost_min_rupiah": low,
            "unit_cost_max_rupiah": high,
            "partner_can_help": partner,
        },
    )
    return cat


def _case(child: Child, kelurahan: Region) -> Case:
    return Case.objects.create(
        kind=CaseKind.STUNTING,
        status=CaseStatus.ASSESSED,
        child=child,
        kelurahan=kelurahan,
        posyandu=child.posyandu,
        opened_at=timezone.now(),
    )


def _need(case: Case, category: NeedCategory) -> CaseNeed:
    return CaseNeed.objects.create(
        case=case,
        category=category,
        quantity="1 paket/bulan",
        period_months=3,
        assessed_at=timezone.now(),
    )


def _partner(
    code: str, name: str, kind: str, kota: Region, username: str
) -> tuple[Organisation, User]:
    org = Organisation.objects.create(code=code, name=name, kind=kind, region=kota)
    user = UserFactory(username=username, role=Role.PARTNER, first_name=name[:30])
    Membership.objects.create(user=user, organisation=org, is_head=True)
    return org, user


@pytest.fixture
def town(db) -> Town:  # type: ignore[no-untyped-def]
    if not Region.objects.filter(code="32.71").exists():  # emptied by a live-server test
        region_load(code="32.71")
    r = Region.objects.get
    kota, kel_a, kel_b = r(code="32.71"), r(code="32.71.03.1006"), r(code="32.71.01.1001")
    prov = kota.parent
    far_city = Region.objects.create(
        code="32.72", name="Kota Sukabumi", level=Level.REGENCY, kind=RegionKind.KOTA, parent=prov
    )
    far_kec = Region.objects.create(
        code="32.72.01",
        name="Baros",
        level=Level.DISTRICT,
        kind=RegionKind.KECAMATAN,
        parent=far_city,
    )
    far_kel = Region.objects.create(
        code="32.72.01.1001",
        name="Sudajaya Hilir",
        level=Level.VILLAGE,
        kind="kelurahan",
        parent=far_kec,
    )
    pusk_a = Puskesmas.objects.get(name="Sempur")
    pusk_a.service_area.add(kel_a)
    pos_a = Posyandu.objects.create(name="Mawar", kelurahan=kel_a, puskesmas=pusk_a)
    pos_b = Posyandu.objects.create(
        name="Anggrek", kelurahan=kel_b, puskesmas=Puskesmas.objects.get(name="Bogor Selatan")
    )
    child_a = ChildFactory(
        person__family__kelurahan=kel_a,
        posyandu=pos_a,
        person__name="Siti Rahmawati",
        person__nik="3271034101250001",
        person__family__address_line="Jl. Rahasia No. 7",
    )
    child_b = ChildFactory(person__family__kelurahan=kel_b, posyandu=pos_b)
    child_far = ChildFactory(person__family__kelurahan=far_kel)
    eggs = _category("uji-telur", "Telur satu butir sehari", partner=True, low=60000, high=60000)
    baas = _category("uji-paket-baas", "Paket BAAS", partner=True, low=450000, high=500000)
    imm = _category("uji-imunisasi", "Imunisasi kejar", partner=False, low=0, high=0)
    case_a, case_b, case_far = (
        _case(child_a, kel_a),
        _case(child_b, kel_b),
        _case(child_far, far_kel),
    )
    company, company_user = _partner(
        "uji-pt-sehat", "PT Sehat Sentosa", Kind.COMPANY, kota, "company"
    )
    dprd, patron = _partner(
        "uji-dprd-budi", "Budi Santoso, anggota DPRD", Kind.DPRD, kota, "patron"
    )
    _other_org, other_partner = _partner(
        "uji-komunitas", "Komunitas Peduli", Kind.COMMUNITY, kota, "partner2"
    )
    users = {
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
        "tpps": UserFactory(username="tpps", role=Role.TPPS, region=kota),
        "tpps_far": UserFactory(username="tpps_far", role=Role.TPPS, region=far_city),
        "kecamatan": UserFactory(
            username="kecamatan", role=Role.KECAMATAN_OFFICER, region=kel_a.parent
        ),
        "kelurahan": UserFactory(username="kelurahan", role=Role.KELURAHAN_OFFICER, region=kel_a),
        "tenaga_gizi": UserFactory(username="gizi", role=Role.NUTRITION_OFFICER, puskesmas=pusk_a),
        "kader": UserFactory(username="kader", role=Role.KADER, posyandu=pos_a),
        "kader_b": UserFactory(username="kader_b", role=Role.KADER, posyandu=pos_b),
        "opd": UserFactory(username="opd", role=Role.OPD),
        "parent": UserFactory(username="parent", role=Role.PARENT, person=child_a.mother.person),
        "company": company_user,
        "patron": patron,
        "partner2": other_partner,
        "partner_no_org": UserFactory(username="lonely", role=Role.PARTNER),
    }
    patronage = patron_assign(
        actor=users["tpps"],
        child=child_a,
        patron=patron,
        visibility="pseudonym",
        consent_by_name="Ibu Siti",
        consent_relationship="ibu",
        consent_method="written",
        consent_on=TODAY - dt.timedelta(days=30),
        started_on=TODAY - dt.timedelta(days=30),
        today=TODAY,
    )
    return Town(
        kota=kota,
        kel_a=kel_a,
        kel_b=kel_b,
        pos_a=pos_a,
        child_a=child_a,
        child_b=child_b,
        child_far=child_far,
        case_a=case_a,
        case_b=case_b,
        case_far=case_far,
        eggs=eggs,
        baas=baas,
        immunisation=imm,
        need_eggs=_need(case_a, eggs),
        need_baas=_need(case_a, baas),
        need_immunisation=_need(case_a, imm),
        need_b=_need(case_b, eggs),
        need_far=_need(case_far, eggs),
        company=company,
        dprd=dprd,
        patronage=patronage,
        users=users,
    )


@pytest.fixture
def client_for(town: Town):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        client = Client(HTTP_USER_AGENT="pytest-agent/1.0", REMOTE_ADDR="10.1.2.3")
        client.force_login(town.users[name])
        return client

    return make


@pytest.fixture
def api_for(town: Town):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        user = town.users[name]
        _token, raw = token_create(actor=user, user=user, name="tes")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_USER_AGENT="api-test/1.0")

    return make
