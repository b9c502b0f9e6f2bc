"""Registering children (family, mother, consent), changing them, pregnancies (KEK, anaemia),
breastfeeding: validation first, nothing half-written, every write audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.registry.models import (
    Child,
    Consent,
    ConsentPurpose,
    Family,
    Measurement,
    Mother,
    Person,
    PregnancyOutcome,
)
from tumbuh.registry.services import (
    breastfeeding_record,
    child_register,
    child_update,
    consent_withdraw,
    measurement_record,
    mother_register,
    pregnancy_record,
    pregnancy_update,
)

TODAY = dt.date(2026, 11, 15)
NIK_GIRL = "3271035003250001"  # Bogor Tengah, girl born 10-03-2025
KK = "3271031203200001"


def register(world, user="kader", **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "actor": world.users[user],
        "name": "Salsa  Rahayu",
        "sex": 2,
        "birth_date": dt.date(2025, 3, 10),
        "nik": NIK_GIRL,
        "kk_number": KK,
        "kelurahan": world.kel_a,
        "rw": 3,
        "rt": 2,
        "address_line": "Gg. Uji No. 5",
        "mother_name": "Euis Sundari",
        "father_name": "Asep",
        "consent_given_by": "Euis Sundari",
        "consent_relationship": "Ibu",
        "today": TODAY,
    }
    values.update(kwargs)
    return child_register(**values)


def test_register_creates_family_mother_child_and_consent(world):
    child = register(world)
    person = child.person
    assert person.name == "Salsa Rahayu" and person.nik == NIK_GIRL
    family = person.family
    assert family.kk_number == KK and family.kelurahan == world.kel_a
    assert (family.rw.name, family.rt.name) == ("003", "002")
    assert "RT 002/RW 003, Kel. Sempur, Kec. Bogor Tengah" in family.address
    assert child.mother.person.name == "Euis Sundari" and child.mother.person.family == family
    assert child.father.name == "Asep"
    assert child.posyandu == world.pos_a  # the kader's own posyandu
    consent = Consent.objects.get(subject=person)
    assert consent.purpose == ConsentPurpose.REGISTRY and consent.given_on == TODAY
    created = set(
        AuditEvent.objects.filter(action=Action.CREATE).values_list("object_type", flat=True)
    )
    assert created == {
        "registry.family",
        "registry.person",
        "registry.mother",
        "registry.child",
        "registry.consent",
    }


def test_a_second_child_joins_the_family_by_kk_and_mother_by_nik(world):
    first = register(world, mother_nik="3271034505950001", mother_birth_date=dt.date(1995, 5, 5))
    second = register(
        world,
        name="Bayi Ny. Euis",
        nik=None,
        sex=1,
        birth_date=dt.date(2026, 10, 1),
        mother_name="",
        mother_nik="3271034505950001",
        father_name="",
    )
    assert second.person.family == first.person.family
    assert second.mother == first.mother
    assert Family.objects.filter(kk_number=KK).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"sex": 3}, "sex"),
        ({"birth_date": dt.date(2026, 12, 1)}, "birth_date"),
        ({"nik": "123"}, "nik"),
        ({"nik": "3271031003250001"}, "nik"),  # a boy's NIK for a girl
        ({"kk_number": "12345"}, "kk_number"),
        ({"kk_number": None, "kelurahan": None}, "kelurahan"),
        ({"rw": None}, "rw"),  # RT without RW
        ({"mother_name": ""}, "mother_name"),
        ({"mother_nik": "3271031003950001"}, "mother_nik"),  # a man's NIK
        ({"consent_given_by": ""}, "consent_given_by"),
        ({"consent_relationship": ""}, "consent_relationship"),
        ({"consent_method": "telepati"}, "consent_method"),
    ],
)
def test_bad_registration_is_refused_and_nothing_is_written(world, changes, field):
    counts = (Person.objects.count(), Family.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        register(world, **changes)
    assert field in info.value.message_dict, info.value.message_dict
    assert (Person.objects.count(), Family.objects.count(), AuditEvent.objects.count()) == counts


def test_duplicate_nik_is_refused(world):
    register(world)
    with pytest.raises(ValidationError) as info:
        register(world, kk_number=None)
    assert "sudah terdaftar" in info.value.message_dict["nik"][0]


def test_a_child_outside_the_actors_area_is_not_stored(world):
    counts = (Child.objects.count(), Family.objects.count())
    with pytest.raises(ValidationError) as info:
        register(world, user="kelurahan", kelurahan=world.kel_b, posyandu=world.pos_b)
    assert "di luar wilayah" in info.value.message_dict["posyandu"][0]
    assert (Child.objects.count(), Family.objects.count()) == counts


def test_kader_registers_a_child_living_elsewhere_at_own_posyandu(world):
    child = register(world, kelurahan=world.kel_b, kk_number=None)
    assert child.posyandu == world.pos_a and child.person.family.kelurahan == world.kel_b


def test_update_with_new_birth_date_rejudges_measurements(world):
    child = register(world)
    measurement_record(
        actor=world.users["kader"],
        child=child,
        measured_on=dt.date(2026, 11, 1),
        weight_kg="9",
        length_cm="76",
        position="l",
        today=TODAY,
    )
    before = Measurement.objects.get().zlen
    child_update(
        actor=world.users["kader"],
        child=child,
        changes={"birth_date": dt.date(2025, 6, 10), "nik": "3271035006250001"},
    )
    m = Measurement.objects.get()
    assert m.zlen != before and m.age_days == (dt.date(2026, 11, 1) - dt.date(2025, 6, 10)).days
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_type="registry.child").get()
    assert event.changed_fields == ["birth_date", "nik"]


def test_update_refuses_a_nik_that_contradicts_the_birth_date(world):
    child = register(world)
    with pytest.raises(ValidationError) as info:
        child_update(
            actor=world.users["kader"], child=child, changes={"birth_date": dt.date(2025, 3, 11)}
        )
    assert "nik" in info.value.message_dict
    child.person.refresh_from_db()
    assert child.person.birth_date == dt.date(2025, 3, 10)


def test_pregnancy_derives_due_date_kek_and_anaemia(world):
    mother = world.child_a.mother
    pregnancy = pregnancy_record(
        actor=world.users["kader"],
        mother=mother,
        hpht=dt.date(2026, 6, 1),
        lila_cm="22,9",
        hb_g_dl="10.8",
        iron_tablets_taken=40,
        anc_visits=3,
        today=TODAY,
    )
    assert pregnancy.due_date == dt.date(2027, 3, 8)  # HPHT + 280 days
    assert pregnancy.is_kek and pregnancy.is_anaemic
    pregnancy_update(
        actor=world.users["kader"],
        pregnancy=pregnancy,
        changes={"lila_cm": "23.5", "hb_g_dl": "11"},
        today=TODAY,
    )
    assert not pregnancy.is_kek and not pregnancy.is_anaemic  # cut-offs are strict "<"
    with pytest.raises(ValidationError) as info:
        pregnancy_record(actor=None, mother=mother, hpht=dt.date(2026, 9, 1), today=TODAY)
    assert "masih tercatat hamil" in info.value.message_dict["hpht"][0]
    with pytest.raises(ValidationError) as info:
        pregnancy_update(
            actor=None, pregnancy=pregnancy, changes={"outcome": PregnancyOutcome.LIVE_BIRTH}
        )
    assert "ended_on" in info.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hpht": dt.date(2026, 12, 1)}, "hpht"),
        ({"hpht": dt.date(2025, 1, 1)}, "hpht"),
        ({"hpht": None}, "hpht"),
        ({"lila_cm": "5"}, "lila_cm"),
        ({"hb_g_dl": "x"}, "hb_g_dl"),
        ({"anc_visits": -1}, "anc_visits"),
    ],
)
def test_bad_pregnancy_figures_are_refused(world, kwargs, field):
    values = {"hpht": dt.date(2026, 6, 1), **kwargs}
    with pytest.raises(ValidationError) as info:
        pregnancy_record(actor=None, mother=world.child_a.mother, today=TODAY, **values)
    assert field in info.value.message_dict


def test_mother_and_breastfeeding_and_consent_withdrawal(world):
    family = world.child_a.person.family
    mother = mother_register(actor=world.users["kader"], name="Neneng", family=family)
    assert isinstance(mother, Mother) and mother.person.family == family
    period = breastfeeding_record(
        actor=None,
        child=world.child_a,
        kind="exclusive",
        started_on=dt.date(2025, 1, 10),
        ended_on=dt.date(2025, 7, 10),
    )
    assert period.pk
    with pytest.raises(ValidationError):
        breastfeeding_record(
            actor=None, child=world.child_a, kind="exclusive", started_on=dt.date(2024, 1, 1)
        )
    consent = Consent.objects.create(
        subject=world.child_a.person,
        purpose="partner",
        given_by_name="Ibu",
        given_by_relationship="Ibu",
        method="verbal",
        given_on=TODAY,
    )
    consent_withdraw(actor=None, consent=consent, on=TODAY)
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY and not consent.is_active
    assert AuditEvent.objects.filter(object_type="registry.consent", action="update").exists()


def test_decimal_birth_weight_limits(world):
    with pytest.raises(ValidationError) as info:
        register(world, birth_weight_kg=Decimal("12"))
    assert "birth_weight_kg" in info.value.message_dict
