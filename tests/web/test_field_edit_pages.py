"""Issue 12 item 8: edit pages for a child's identity and address, a breastfeeding period and
a pregnancy's outcome, through the existing services, audited, scoped."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.registry.models import BreastfeedingPeriod, PregnancyOutcome
from tumbuh.registry.services import measurement_record, pregnancy_record


def test_child_identity_and_address_are_edited_and_z_scores_recomputed(world, client_for):
    child = world.child_a
    m = measurement_record(
        actor=None, child=child, measured_on=dt.date(2026, 11, 1), weight_kg="10",
        length_cm="80", position="l", today=dt.date(2026, 11, 15),
    ).measurement  # fmt: skip
    client = client_for("kader")
    page = client.get(f"/anak/{child.pk}/ubah/")
    assert page.status_code == 200 and child.person.name in page.content.decode()
    data = {
        "name": "Nama Baru Anak", "sex": "1", "birth_date": "2025-03-10", "nik": "",
        "birth_place": "Bogor", "posyandu": world.pos_a.pk, "address_line": "Gg. Baru 7",
        "rw": "4", "rt": "2", "phone": "0812 1111 2222",
    }  # fmt: skip
    bad = client.post(f"/anak/{child.pk}/ubah/", {**data, "phone": "abc"})
    assert bad.status_code == 422 and "tidak sah" in bad.content.decode()
    child.person.refresh_from_db()
    assert child.person.name != "Nama Baru Anak"  # nothing half-written
    done = client.post(f"/anak/{child.pk}/ubah/", data)
    assert done.status_code == 302
    child.person.refresh_from_db()
    family = child.person.family
    family.refresh_from_db()
    assert child.person.name == "Nama Baru Anak"
    assert child.person.birth_date == dt.date(2025, 3, 10)
    assert family.address_line == "Gg. Baru 7" and family.phone == "081211112222"
    assert (family.rw.name, family.rt.name) == ("004", "002")
    m.refresh_from_db()
    assert m.age_days == (dt.date(2026, 11, 1) - dt.date(2025, 3, 10)).days  # judged again
    updated = set(
        AuditEvent.objects.filter(action=Action.UPDATE).values_list("object_type", flat=True)
    )
    assert "registry.family" in updated and updated & {"registry.person", "registry.child"}


def test_another_areas_child_cannot_be_edited(world, client_for):
    response = client_for("kader").get(f"/anak/{world.child_b.pk}/ubah/")
    assert response.status_code == 404
    assert client_for("tpps").get(f"/anak/{world.child_a.pk}/ubah/").status_code == 403


def test_breastfeeding_period_is_recorded(world, client_for):
    client = client_for("kader")
    url = f"/anak/{world.child_a.pk}/menyusui/"
    bad = client.post(url, {"kind": "exclusive", "started_on": "2024-01-01"})
    assert bad.status_code == 422 and "sebelum tanggal lahir" in bad.content.decode()
    done = client.post(
        url, {"kind": "exclusive", "started_on": "2025-01-10", "ended_on": "2025-07-10"}
    )
    assert done.status_code == 302
    period = BreastfeedingPeriod.objects.get(child=world.child_a)
    assert period.ended_on == dt.date(2025, 7, 10)


def test_pregnancy_outcome_is_recorded(world, client_for):
    mother = world.child_a.mother
    pregnancy = pregnancy_record(
        actor=None, mother=mother, hpht=timezone.localdate() - dt.timedelta(weeks=39)
    )
    client = client_for("kader")
    url = f"/ibu/{mother.pk}/hamil/{pregnancy.pk}/hasil/"
    assert client.get(url).status_code == 200
    missing = client.post(url, {"outcome": PregnancyOutcome.LIVE_BIRTH})
    assert missing.status_code == 422 and "tanggal berakhirnya" in missing.content.decode()
    done = client.post(
        url,
        {"outcome": PregnancyOutcome.LIVE_BIRTH, "ended_on": timezone.localdate().isoformat()},
    )
    assert done.status_code == 302
    pregnancy.refresh_from_db()
    assert pregnancy.outcome == PregnancyOutcome.LIVE_BIRTH
    assert client_for("kader").get(f"/ibu/{mother.pk}/hamil/999999/hasil/").status_code == 404
