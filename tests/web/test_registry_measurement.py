"""measurement_record: the growth engine's verdict stored once with provenance; impossible
input refused field by field with nothing written; trend (N/T, 2T) and corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.growth import assess, provenance, zscores
from tumbuh.registry.models import Measurement
from tumbuh.registry.services import NeedsConfirmation, measurement_correct, measurement_record
from tumbuh.registry.services.measurements import engine_fields, engine_fields_batch

TODAY = dt.date(2026, 11, 15)


def record(world, user="kader", **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "actor": world.users[user],
        "child": world.child_a,
        "measured_on": dt.date(2026, 11, 10),
        "weight_kg": "9,4",
        "length_cm": "78.5",
        "position": "l",
        "today": TODAY,
    }
    values.update(kwargs)
    return measurement_record(**values)


def test_engine_verdict_is_stored_with_provenance(world):
    result = record(world, head_circumference_cm="46", arm_circumference_cm=Decimal("14.2"))
    m = result.measurement
    m.refresh_from_db()
    birth = world.child_a.person.birth_date
    expected = assess(
        sex=1,
        birth_date=birth,
        visit_date=dt.date(2026, 11, 10),
        weight=9.4,
        lenhei=78.5,
        measure="l",
        headc=46.0,
        armc=14.2,
    )
    assert m.weight_kg == Decimal("9.40") and m.length_cm == Decimal("78.5")
    assert m.age_days == (dt.date(2026, 11, 10) - birth).days
    assert m.zlen == expected["zlen"].z and m.zwei == expected["zwei"].z
    assert m.zwfl == expected["zwfl"].z and m.zbmi == expected["zbmi"].z
    assert m.zhc == expected["zhc"].z and m.zac == expected["zac"].z
    assert m.clenhei == pytest.approx(expected.clenhei)
    assert m.category_tbu == expected["zlen"].category.value
    assert m.category_bbu == expected["zwei"].category.value
    assert m.is_stunted == expected.is_stunted
    assert m.engine == provenance().engine and m.tables == provenance().tables
    assert m.provenance == provenance().as_dict()
    assert m.standard == "WHO Child Growth Standards 2006"
    assert m.trend == "B" and not m.two_t
    assert m.measured_by == world.users["kader"] and m.posyandu == world.pos_a
    world.child_a.refresh_from_db()
    assert world.child_a.latest_measurement == m
    event = AuditEvent.objects.filter(object_type="registry.measurement").get()
    assert (event.action, event.object_id) == (Action.CREATE, str(m.pk))
    assert {"weight_kg", "length_cm", "measured_on"} <= set(event.changed_fields)


def test_stunted_child_gets_the_warning(world):
    result = record(world, weight_kg="8.0", length_cm="72.0")
    assert result.measurement.is_stunted
    assert result.measurement.category_tbu in ("stunted", "severely_stunted")
    assert any("Stunting" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"weight_kg": "0"}, "weight_kg", "tidak mungkin"),
        ({"weight_kg": "200"}, "weight_kg", "antara 0,3 dan 50"),
        ({"weight_kg": "94"}, "weight_kg", "tidak mungkin"),
        ({"weight_kg": "abc"}, "weight_kg", "harus angka"),
        ({"weight_kg": "nan"}, "weight_kg", "angka biasa"),
        ({"length_cm": "10"}, "length_cm", "tidak mungkin"),
        ({"length_cm": "785"}, "length_cm", "tidak mungkin"),
        ({"head_circumference_cm": "460"}, "head_circumference_cm", "tidak mungkin"),
        ({"arm_circumference_cm": "1"}, "arm_circumference_cm", "tidak mungkin"),
        ({"measured_on": dt.date(2026, 11, 16)}, "measured_on", "belum terjadi"),
        ({"measured_on": dt.date(2024, 12, 31)}, "measured_on", "sebelum tanggal lahir"),
        ({"measured_on": None}, "measured_on", "wajib"),
        ({"weight_kg": None, "length_cm": None}, "weight_kg", "Isi berat badan"),
        ({"position": ""}, "position", "cara ukur"),
        ({"position": "x"}, "position", "cara ukur"),
    ],
)
def test_impossible_input_is_refused_and_nothing_is_written(world, changes, field, fragment):
    before = (Measurement.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        record(world, **changes)
    messages = info.value.message_dict
    assert field in messages, messages
    assert any(fragment in m for m in messages[field]), messages
    assert (Measurement.objects.count(), AuditEvent.objects.count()) == before
    world.child_a.refresh_from_db()
    assert world.child_a.latest_measurement is None


def test_standing_under_nine_months_is_refused(world):
    baby = world.child_a.person
    baby.birth_date = dt.date(2026, 5, 1)
    baby.save()
    with pytest.raises(ValidationError) as info:
        record(world, position="h", length_cm="65")
    assert "berbaring" in info.value.message_dict["position"][0]
    assert not Measurement.objects.exists()


def test_two_measurements_on_one_day_are_refused(world):
    record(world)
    with pytest.raises(ValidationError) as info:
        record(world, weight_kg="9.5")
    assert "Sudah ada pengukuran" in info.value.message_dict["measured_on"][0]
    assert Measurement.objects.count() == 1


def test_all_errors_are_reported_at_once(world):
    with pytest.raises(ValidationError) as info:
        record(world, weight_kg="0", length_cm="999", measured_on=dt.date(2027, 1, 1))
    assert set(info.value.message_dict) == {"weight_kg", "length_cm", "measured_on"}


def test_weight_trend_gives_t_and_2t(world):
    record(world, measured_on=dt.date(2026, 8, 10), weight_kg="9.4")
    r2 = record(world, measured_on=dt.date(2026, 9, 10), weight_kg="9.4")
    assert r2.measurement.trend == "T" and not r2.measurement.two_t
    r3 = record(world, measured_on=dt.date(2026, 10, 10), weight_kg="9.5")
    assert r3.measurement.trend == "T" and r3.measurement.two_t
    assert any("2T" in w for w in r3.warnings)
    r4 = record(world, measured_on=dt.date(2026, 11, 10), weight_kg="10.0")
    assert r4.measurement.trend == "N"
    # a weighing inserted before the others is judged and the series re-judged
    r0 = record(world, measured_on=dt.date(2026, 7, 10), weight_kg="9.0")
    assert r0.measurement.trend == "B"
    trends = list(Measurement.objects.order_by("measured_on").values_list("trend", flat=True))
    assert trends == ["B", "N", "T", "T", "N"]
    world.child_a.refresh_from_db()
    assert world.child_a.latest_measurement == r4.measurement


def test_implausible_but_possible_values_are_stored_with_a_warning_once_confirmed(world):
    record(world, measured_on=dt.date(2026, 10, 10), weight_kg="9.4")
    with pytest.raises(NeedsConfirmation) as refused:
        record(world, measured_on=dt.date(2026, 11, 1), weight_kg="7.9")
    assert any("turun" in w for w in refused.value.warnings)
    assert Measurement.objects.count() == 1
    result = record(world, measured_on=dt.date(2026, 11, 1), weight_kg="7.9", confirmed=True)
    assert result.measurement.pk
    assert any("turun" in w for w in result.warnings)
    assert any("turun" in w for w in result.measurement.confirmed_warnings)


def test_correction_is_judged_again_and_audited(world):
    m = record(world, weight_kg="8.0", length_cm="72.0").measurement
    assert m.is_stunted
    result = measurement_correct(
        actor=world.users["kader"],
        measurement=m,
        changes={"length_cm": "85.5"},
        reason="salah baca papan ukur",
        today=TODAY,
    )
    m.refresh_from_db()
    assert not m.is_stunted and m.length_cm == Decimal("85.5")
    assert result.measurement.zlen == m.zlen
    event = AuditEvent.objects.filter(action=Action.UPDATE).get()
    assert event.changed_fields == ["length_cm"]
    with pytest.raises(ValueError, match="cannot change"):
        measurement_correct(actor=None, measurement=m, changes={"zlen": 0})


def test_roles_that_do_not_record_are_refused_and_audited(world):
    with pytest.raises(PermissionDenied):
        record(world, user="opd")
    event = AuditEvent.objects.filter(action=Action.DENIED).get()
    assert event.actor == world.users["opd"]
    assert not Measurement.objects.exists()


def test_batch_verdict_equals_single_verdict():
    """The demo loader's batch path stores the same numbers as measurement_record."""
    rows = [
        (1, dt.date(2024, 3, 1), dt.date(2026, 1, 5), 10.2, 80.1, "l", 47.0, np.nan),
        (2, dt.date(2022, 1, 31), dt.date(2026, 11, 1), 14.0, 95.0, "h", np.nan, 15.0),
        (2, dt.date(2020, 6, 1), dt.date(2026, 6, 2), 19.5, 112.0, "h", np.nan, np.nan),
        (1, dt.date(2025, 9, 1), dt.date(2026, 3, 1), 6.0, 62.0, "l", np.nan, np.nan),
    ]
    columns = dict(
        zip(
            ["sex", "birth_date", "visit_date", "weight", "lenhei", "measure", "headc", "armc"],
            map(list, zip(*rows, strict=True)),
            strict=True,
        )
    )
    batch = engine_fields_batch(zscores(columns))
    for row, got in zip(rows, batch, strict=True):
        sex, birth, visit, weight, lenhei, measure, headc, armc = row
        single = engine_fields(
            assess(
                sex=sex,
                birth_date=birth,
                visit_date=visit,
                weight=weight,
                lenhei=lenhei,
                measure=measure,
                headc=None if np.isnan(headc) else headc,
                armc=None if np.isnan(armc) else armc,
            )
        )
        assert got == single
