"""Cases open from every path (form, API, import, correction, pregnancy records),
idempotently, and never from a flagged value."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.cases.conftest import TODAY, weigh
from tests.web.factories import MotherFactory
from tests.web.importing import csv_bytes, row, run
from tumbuh.cases.models import Case, CaseEvent, CaseKind, CaseStatus, EventKind, Outcome
from tumbuh.cases.selectors import case_list
from tumbuh.cases.services import cases_update_for_children
from tumbuh.registry.models import Child, Measurement, PregnancyOutcome
from tumbuh.registry.services import measurement_correct, pregnancy_record, pregnancy_update

pytestmark = pytest.mark.django_db


def test_api_weighing_opens_a_case(cw, api_for):
    body = {"measured_on": "2026-11-01", "weight_kg": "9.6", "length_cm": "78.0",
            "position": "l"}  # fmt: skip
    r = api_for("kader").post(f"/api/v1/children/{cw.child_a.pk}/measurements",
                              data=json.dumps(body), content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    case = Case.objects.get(child=cw.child_a)
    assert case.kind == CaseKind.STUNTING and case.status == CaseStatus.SUSPECTED
    opened = case.events.get(kind=EventKind.OPENED)
    assert opened.actor == cw.users["kader"] and "TB/U" in opened.text


def test_import_opens_cases_once_and_a_reimport_adds_nothing(cw):
    rows = [
        row(**{"Tanggal Pengukuran": "2026-10-05", "Tinggi (cm)": "72.0", "Berat (kg)": "8,0",
               "ZS TB/U": ""}),
        row(**{"No": 2, "NIK": "3271035003250002", "Nama Balita": "Sari", "JK": "P",
               "Nama Ortu": "Rina", "Tinggi (cm)": "79.0", "Berat (kg)": "9,5", "ZS TB/U": ""}),
    ]  # fmt: skip
    job = run(csv_bytes(rows), None)
    assert job.status == "done", job.message
    stunted = Child.objects.get(person__name="Budi Santoso")
    assert set(Case.objects.values_list("child_id", "kind")) >= {(stunted.pk, "stunting")}
    assert not Case.objects.filter(child__person__name="Sari", kind="stunting").exists()
    counts = (Case.objects.count(), CaseEvent.objects.count())
    again = run(csv_bytes(rows), None)
    assert again.status == "done" and again.measurements_created == 0
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts
    # the signal twice for the same measurement adds nothing either
    cases_update_for_children(child_ids=[stunted.pk], source="import")
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts
    # a later weighing of the same child adds a line to the same case
    later = [row(**{"Tanggal Pengukuran": "2026-11-05", "Tinggi (cm)": "72.5", "ZS TB/U": "",
                    "Berat (kg)": "8,1"})]  # fmt: skip
    assert run(csv_bytes(later), None).status == "done"
    case = Case.objects.get(child=stunted, kind="stunting")
    assert case.events.filter(kind=EventKind.MEASUREMENT).count() == 1
    assert Case.objects.filter(child=stunted, kind="stunting").count() == 1


def _flag_unchecked(m: Measurement) -> None:
    """Make ``m`` a WHO-flagged length nobody has checked yet (as an import stores it)."""
    values: dict[str, object] = {"flen": True, "zlen": -6.5}
    if any(f.name == "needs_review" for f in Measurement._meta.get_fields()):
        values["needs_review"] = True
    Measurement.objects.filter(pk=m.pk).update(**values)


def test_flagged_value_opens_nothing_and_asks_to_remeasure_an_open_case(cw):
    m = weigh(cw.child_b, dt.date(2026, 10, 1), length="84.0", weight="11.0")
    Case.objects.filter(child=cw.child_b).delete()
    _flag_unchecked(m)
    cases_update_for_children(child_ids=[cw.child_b.pk], source="import")
    assert not Case.objects.filter(child=cw.child_b, kind=CaseKind.STUNTING).exists()
    weigh(cw.child_a, dt.date(2026, 10, 20), length="78.5", weight="9.6")
    case = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    later = weigh(cw.child_a, dt.date(2026, 11, 5), length="84.0", weight="9.7")
    before = case.events.count()
    # the newest weighing turns out flagged and unchecked: a re-measure line, nothing else
    case.events.filter(data__measurement=later.pk).delete()
    Case.objects.filter(pk=case.pk).update(latest_measurement=None)
    _flag_unchecked(later)
    cases_update_for_children(child_ids=[cw.child_a.pk], source="import")
    kinds = list(case.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds[-1] == EventKind.REMEASURE and len(kinds) == before
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPECTED and case.suggested_outcome == ""


def test_correction_updates_the_case(cw):
    m = weigh(cw.child_a, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    case = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    measurement_correct(actor=None, measurement=m, changes={"length_cm": Decimal("84.0")},
                        today=TODAY)  # fmt: skip
    line = case.events.filter(kind=EventKind.MEASUREMENT).get()
    assert "tidak lagi di bawah ambang" in line.text


def test_severity_rises_on_a_worse_weighing(cw):
    weigh(cw.child_a, dt.date(2026, 10, 1), length="78.0", weight="9.6")
    case = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    assert case.severity == "moderate"
    weigh(cw.child_a, dt.date(2026, 11, 1), length="75.0", weight="9.6")
    case.refresh_from_db()
    assert case.severity == "severe" and case.priority > 60


def test_pregnancy_record_opens_kek_and_ending_closes_it(cw):
    mother = MotherFactory(person__family__kelurahan=cw.kel_a, posyandu=cw.pos_a)
    p = pregnancy_record(actor=None, mother=mother, hpht=dt.date.today() - dt.timedelta(weeks=10),
                         lila_cm=Decimal("22.0"), anc_visits=1, today=dt.date.today())  # fmt: skip
    case = Case.objects.get(pregnancy=p)
    assert (case.kind, case.rule, case.kelurahan) == (CaseKind.PREGNANCY_KEK, "kek", cw.kel_a)
    pregnancy_update(actor=None, pregnancy=p, changes={"lila_cm": Decimal("24.0")},
                     today=dt.date.today())  # fmt: skip
    case.refresh_from_db()
    assert case.suggested_outcome == Outcome.RECOVERED
    pregnancy_update(actor=None, pregnancy=p, today=dt.date.today(),
                     changes={"outcome": PregnancyOutcome.LIVE_BIRTH,
                              "ended_on": dt.date.today()})  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.PREGNANCY_ENDED)


def test_case_list_filters_and_address_search(cw):
    weigh(cw.child_a, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    weigh(cw.child_b, dt.date(2026, 11, 1), length="75.0", weight="9.6")
    tpps = cw.users["tpps"]
    assert [c.child_id for c in case_list(tpps, query="Veteran")] == [cw.child_a.pk]
    assert [c.child_id for c in case_list(tpps, kelurahan=cw.kel_b.code)] == [cw.child_b.pk]
    assert [c.child_id for c in case_list(tpps, kecamatan="32.71.03")] == [cw.child_a.pk]
    ordered = list(case_list(tpps, kind="stunting"))
    assert ordered[0].child_id == cw.child_b.pk  # severe first
    assert not case_list(tpps, status="closed").exists()
