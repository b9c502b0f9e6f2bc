"""Issue 12 items 4 and 5: one limits table for form, import and API; implausible values need
an explicit confirmation; a stored measurement is corrected or withdrawn with a reason,
audited, with everything that depends on it recomputed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from importing import csv_bytes, report_rows, row, run

from tumbuh.api.services import token_create
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.imports.models import JobStatus
from tumbuh.registry.models import Child, Measurement
from tumbuh.registry.selectors import child_measurements
from tumbuh.registry.services import measurement_record
from tumbuh.registry.signals import measurements_changed

TODAY = dt.date(2026, 11, 15)
DAY = "2026-11-10"


@pytest.fixture
def api_for(world):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        user = world.users[name]
        _token, raw = token_create(actor=user, user=user, name="tes")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_USER_AGENT="api-test/1.0")

    return make


@pytest.fixture
def signals():  # type: ignore[no-untyped-def]
    sent: list[dict[str, object]] = []

    def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(kwargs)

    measurements_changed.connect(receiver, weak=False)
    yield sent
    measurements_changed.disconnect(receiver)


def _post(client: Client, url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _weigh(world, day: dt.date, weight: str, length: str = "80.0", **kw):  # type: ignore[no-untyped-def]
    return measurement_record(
        actor=world.users["kader"], child=world.child_a, measured_on=day, weight_kg=weight,
        length_cm=length, position="l", today=TODAY, **kw,
    ).measurement  # fmt: skip


# -- one table of limits, three paths ----------------------------------------------------------

BAD = {"weight_kg": "120", "length_cm": "200"}  # a child under five at 120 kg / 200 cm


def test_the_same_impossible_values_are_refused_by_form_import_and_api(
    world, client_for, api_for
) -> None:
    child = world.child_a  # born 2025-01-10: 22 months on the day
    form = client_for("kader").post(
        f"/anak/{child.pk}/timbang/",
        {"measured_on": DAY, "position": "l", **BAD},
    )
    assert form.status_code == 422
    page = form.content.decode()
    assert "Berat badan 120 kg tidak mungkin untuk anak di bawah 5 tahun" in page
    assert "isi antara 0,3 dan 50 kg" in page
    assert "Panjang/tinggi badan 200 cm tidak mungkin" in page

    api = _post(
        api_for("kader"),
        f"/api/v1/children/{child.pk}/measurements",
        {"measured_on": DAY, "position": "l", **BAD},
    )
    assert api.status_code == 422
    messages = {d["field"]: d["message"] for d in api.json()["detail"]}
    assert "tidak mungkin untuk anak di bawah 5 tahun" in messages["weight_kg"]
    assert "isi antara 25 dan 150 cm" in messages["length_cm"]

    job = run(
        csv_bytes([row(**{"Berat (kg)": BAD["weight_kg"], "Tinggi (cm)": BAD["length_cm"]})]),
        world.users["tenaga_gizi"],
    )
    assert job.status == JobStatus.REJECTED
    reasons = {(r[0], r[1]): r[3] for r in report_rows(job)}
    assert "tidak mungkin untuk anak di bawah 5 tahun" in reasons[("2", "Berat (kg)")]
    assert "isi antara 0,3 dan 50 kg" in reasons[("2", "Berat (kg)")]
    assert "isi antara 25 dan 150 cm" in reasons[("2", "Tinggi (cm)")]
    assert not Measurement.objects.exists()


def test_limits_table_is_by_age() -> None:
    from tumbuh.registry.limits import limits_for, out_of_limits

    assert limits_for(100)["weight_kg"].high == Decimal("50")
    assert limits_for(3000)["weight_kg"].high == Decimal("150")
    assert out_of_limits("weight_kg", Decimal("60"), 3000) is None
    assert "di bawah 5 tahun" in (out_of_limits("weight_kg", Decimal("60"), 1000) or "")


# -- confirmation of implausible values ----------------------------------------------------------


def test_api_answers_422_with_warnings_unless_confirmed(world, api_for) -> None:
    client = api_for("kader")
    url = f"/api/v1/children/{world.child_a.pk}/measurements"
    body = {"measured_on": DAY, "weight_kg": "1.16", "length_cm": "80.0", "position": "l"}
    refused = _post(client, url, body)
    assert refused.status_code == 422
    data = refused.json()
    assert data["needs_confirmation"] is True
    assert any("BB/U" in w and "batas wajar WHO" in w for w in data["warnings"])
    assert data["detail"][0]["field"] == "confirmed"
    assert not Measurement.objects.exists()

    stored = _post(client, url, {**body, "confirmed": True})
    assert stored.status_code == 201
    m = Measurement.objects.get()
    assert m.weight_kg == Decimal("1.16") and m.fwei
    assert any("BB/U" in w for w in m.confirmed_warnings)
    assert not m.needs_review
    assert stored.json()["measurement"]["confirmed_warnings"] == m.confirmed_warnings


def test_weight_drop_and_length_decrease_need_confirmation(world) -> None:
    from tumbuh.registry.services import NeedsConfirmation

    _weigh(world, dt.date(2026, 10, 10), "10.0", "80.0")
    with pytest.raises(NeedsConfirmation) as drop:
        _weigh(world, dt.date(2026, 11, 10), "8.8", "80.5")
    assert any("turun 12,0 %" in w for w in drop.value.warnings)
    with pytest.raises(NeedsConfirmation) as shorter:
        _weigh(world, dt.date(2026, 11, 10), "10.2", "77.5")
    assert any("Panjang/tinggi badan turun" in w for w in shorter.value.warnings)
    assert Measurement.objects.count() == 1
    assert _weigh(world, dt.date(2026, 11, 10), "10.2", "80.6").pk  # plausible: no question


def test_form_second_step_keeps_the_values_and_stores_only_when_confirmed(
    world, client_for
) -> None:
    client = client_for("kader")
    url = f"/anak/{world.child_a.pk}/timbang/"
    typed = {"measured_on": DAY, "weight_kg": "1,16", "length_cm": "80", "position": "l"}
    first = client.post(url, typed)
    assert first.status_code == 200
    page = first.content.decode()
    assert "Periksa dulu" in page and "batas wajar WHO" in page
    assert 'value="1,16"' in page  # what was typed is kept
    token = first.context["confirm"]["token"]
    assert not Measurement.objects.exists()

    # Changed values with the old confirmation: judged again, not stored.
    changed = client.post(url, {**typed, "weight_kg": "1,2", "confirm_token": token})
    assert changed.status_code == 200 and "Periksa dulu" in changed.content.decode()
    assert not Measurement.objects.exists()

    confirmed = client.post(url, {**typed, "confirm_token": token})
    assert confirmed.status_code == 302
    m = Measurement.objects.get()
    assert m.weight_kg == Decimal("1.16") and m.confirmed_warnings
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="registry.measurement")
    assert event.detail["confirmed_warnings"] == m.confirmed_warnings


def test_import_stores_flagged_rows_marked_for_review(world) -> None:
    job = run(csv_bytes([row(**{"Berat (kg)": "1,2"})]), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)
    m = Measurement.objects.get()
    assert m.fwei and m.needs_review and m.confirmed_warnings == []


# -- correct and withdraw ---------------------------------------------------------------------


def test_api_correct_recomputes_audits_and_signals(world, api_for, signals) -> None:
    m = _weigh(world, dt.date(2026, 11, 10), "10.0", "72.0")
    assert m.is_stunted
    client = api_for("kader")
    no_reason = _post(
        client, f"/api/v1/measurements/{m.pk}/correct", {"reason": "", "length_cm": "85.5"}
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["field"] == "reason"
    signals.clear()
    answer = _post(
        client,
        f"/api/v1/measurements/{m.pk}/correct",
        {"reason": "salah baca papan ukur", "length_cm": "85.5"},
    )
    assert answer.status_code == 200, answer.content
    m.refresh_from_db()
    assert m.length_cm == Decimal("85.5") and not m.is_stunted
    assert answer.json()["measurement"]["is_stunted"] is False
    event = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="registry.measurement"
    ).get()
    assert event.detail["reason"] == "salah baca papan ukur"
    assert event.detail["before"] == {"length_cm": "72.0"}
    assert [s["source"] for s in signals] == ["correct"]

    flagged = _post(client, f"/api/v1/measurements/{m.pk}/correct",
                    {"reason": "timbang ulang", "weight_kg": "1.16"})  # fmt: skip
    assert flagged.status_code == 422 and flagged.json()["needs_confirmation"] is True


def test_api_withdraw_takes_the_measurement_out_of_every_reader(world, api_for, signals) -> None:
    first = _weigh(world, dt.date(2026, 10, 10), "9.8", "79.0")
    second = _weigh(world, dt.date(2026, 11, 10), "10.1", "80.0")
    child = Child.objects.get(pk=world.child_a.pk)
    assert child.latest_measurement_id == second.pk
    client = api_for("kader")
    signals.clear()
    answer = _post(client, f"/api/v1/measurements/{second.pk}/withdraw", {"reason": "anak lain"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["measurement"]["withdrawn"] is True
    second.refresh_from_db()
    assert second.withdrawn_at and second.withdrawn_by == world.users["kader"]
    assert second.withdrawal_reason == "anak lain"
    child.refresh_from_db()
    assert child.latest_measurement_id == first.pk
    assert [m.pk for m in child_measurements(child)] == [first.pk]
    detail = client.get(f"/api/v1/children/{child.pk}").json()
    assert [m["id"] for m in detail["measurements"]] == [first.pk]
    assert [s["source"] for s in signals] == ["withdraw"]
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="registry.measurement", detail__withdrawn=True
    ).exists()
    again = _post(client, f"/api/v1/measurements/{second.pk}/withdraw", {"reason": "anak lain"})
    assert again.status_code == 422
    # The day is free again for the right weighing.
    assert _weigh(world, dt.date(2026, 11, 10), "10.0", "80.0").pk


def test_another_areas_measurement_is_404_and_audited(world, api_for) -> None:
    m = measurement_record(
        actor=None, child=world.child_b, measured_on=dt.date(2026, 11, 10), weight_kg="10",
        length_cm="80", position="l", today=TODAY,
    ).measurement  # fmt: skip
    client = api_for("kader")  # posyandu A: child_b is not theirs
    for action in ("correct", "withdraw"):
        answer = _post(client, f"/api/v1/measurements/{m.pk}/{action}", {"reason": "coba coba"})
        assert answer.status_code == 404
    assert (
        AuditEvent.objects.filter(
            action=Action.DENIED, object_type="registry.measurement", object_id=str(m.pk)
        ).count()
        == 2
    )
    m.refresh_from_db()
    assert m.withdrawn_at is None


def test_correct_and_withdraw_pages(world, client_for) -> None:
    m = _weigh(world, dt.date(2026, 11, 10), "10.0", "80.0")
    client = client_for("kader")
    base = f"/anak/{world.child_a.pk}/pengukuran/{m.pk}"
    page = client.get(f"{base}/perbaiki/")
    assert page.status_code == 200 and 'value="10,00"' in page.content.decode()
    missing = client.post(f"{base}/perbaiki/", {"measured_on": "2026-11-10", "weight_kg": "10,4",
                                               "length_cm": "80", "position": "l"})  # fmt: skip
    assert missing.status_code == 422
    done = client.post(f"{base}/perbaiki/", {"measured_on": "2026-11-10", "weight_kg": "10,4",
                                            "length_cm": "80", "position": "l",
                                            "reason": "salah ketik berat"})  # fmt: skip
    assert done.status_code == 302
    m.refresh_from_db()
    assert m.weight_kg == Decimal("10.4")
    gone = client.post(f"{base}/tarik/", {"reason": "timbangan rusak"})
    assert gone.status_code == 302
    m.refresh_from_db()
    assert m.withdrawn_at is not None
    child_page = client.get(f"/anak/{world.child_a.pk}/").content.decode()
    assert "1 pengukuran ditarik" in child_page and "timbangan rusak" in child_page
    assert client.get(f"{base}/perbaiki/").status_code == 404
