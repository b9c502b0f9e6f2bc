"""Issue 10: local services answered from the registry's directory (wilayah): posyandu
meeting day, puskesmas address, hours and phone, by kelurahan, kecamatan or puskesmas name;
nothing invented when a fact is missing; demo rows marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.messaging.conftest import PARENT_PHONE
from tumbuh.messaging.directory import RegistryPersonalData, WilayahDirectory
from tumbuh.messaging.verification import user_for_phone
from tumbuh.wilayah.models import Posyandu, Puskesmas, Weekday, meeting_date

pytestmark = pytest.mark.django_db


def say(client: Client, text: str, conversation: str = "dir-1") -> str:
    response = client.post(
        "/api/v1/chat",
        data={"conversation": conversation, "text": text},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["reply"])


def test_meeting_dates_follow_the_monthly_rule() -> None:
    # December 2026 starts on a Tuesday: the 2nd Tuesday is the 8th, the 5th Thursday none
    # (the last Thursday, the 31st, stands in), a fixed day past the month's end is its last day.
    assert meeting_date(2026, 12, None, 2, Weekday.TUESDAY) == dt.date(2026, 12, 8)
    assert meeting_date(2026, 12, None, 5, Weekday.THURSDAY) == dt.date(2026, 12, 31)
    assert meeting_date(2027, 2, 31, None, None) == dt.date(2027, 2, 28)
    assert meeting_date(2026, 12, None, None, None) is None
    p = Posyandu(name="X", meeting_week=2, meeting_weekday=Weekday.TUESDAY, meeting_time="08.00")
    assert p.next_meeting(dt.date(2026, 12, 8)) == dt.date(2026, 12, 8)
    assert p.next_meeting(dt.date(2026, 12, 9)) == dt.date(2027, 1, 12)
    assert p.schedule_text() == "Selasa minggu ke-2 setiap bulan, 08.00"
    assert (
        Posyandu(name="Y").schedule_text() == ""
        and Posyandu(name="Y").next_meeting(dt.date(2026, 12, 1)) is None
    )


def test_directory_gives_schedule_hours_and_phone_only_when_recorded(town) -> None:  # type: ignore[no-untyped-def]
    town.mawar.meeting_week, town.mawar.meeting_weekday = 2, Weekday.TUESDAY
    town.mawar.meeting_time, town.mawar.is_demo = "08.00-11.00", True
    town.mawar.save()
    sempur = Puskesmas.objects.get(name="Sempur")
    sempur.opening_hours, sempur.phone, sempur.is_demo = "Senin-Kamis 07.30-14.00", "0251-000", True
    sempur.save()
    directory = WilayahDirectory()
    area = directory.services_for("Sempur")
    assert area is not None
    assert area.posyandu[0].schedule == "Selasa minggu ke-2 setiap bulan, 08.00-11.00"
    assert area.posyandu[0].name.endswith("(demo)") and "data contoh" in area.note
    assert area.puskesmas[0].hours == "Senin-Kamis 07.30-14.00"
    assert area.puskesmas[0].phone == "0251-000"
    assert "Bogor Tengah" in directory.kecamatan_names()
    kec = directory.services_in_kecamatan("bogor tengah")
    assert kec is not None and "Puskesmas Sempur (demo)" in [s.name for s in kec.puskesmas]
    assert directory.services_in_kecamatan("Atlantis") is None


def test_the_bot_answers_from_the_directory_and_invents_nothing(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    reply = say(client, "jadwal posyandu di kelurahan sempur kapan ya")
    assert "Posyandu Mawar" in reply and "belum tercatat" in reply  # no schedule recorded yet
    town.mawar.meeting_day, town.mawar.meeting_time = 15, "09.00-12.00"
    town.mawar.save()
    reply = say(client, "jadwal posyandu di kelurahan sempur kapan ya", "dir-2")
    assert "tanggal 15 setiap bulan, 09.00-12.00" in reply and "Jadwal posyandu" not in reply
    reply = say(client, "puskesmas di kec bogor tengah apa aja", "dir-3")
    assert "Kecamatan Bogor Tengah" in reply and "Puskesmas Sempur" in reply
    reply = say(client, "no telp puskesmas sempur berapa", "dir-4")
    assert "Puskesmas Sempur" in reply and "belum tercatat" in reply
    assert not any(ch.isdigit() for ch in reply.split("Puskesmas Sempur", 1)[1].split("\n")[0])
    sempur = Puskesmas.objects.get(name="Sempur")
    sempur.phone, sempur.opening_hours = "(0251) 8312345", "Senin-Sabtu 08.00-14.00"
    sempur.save()
    reply = say(client, "puskesmas sempur buka jam brp, no telp nya?", "dir-5")
    assert "(0251) 8312345" in reply and "Senin-Sabtu 08.00-14.00" in reply
    assert "belum tercatat" not in reply


def test_a_verified_parent_sees_the_next_posyandu_day(town) -> None:  # type: ignore[no-untyped-def]
    town.mawar.meeting_week, town.mawar.meeting_weekday = 1, Weekday.MONDAY
    town.mawar.save()
    mother = user_for_phone(PARENT_PHONE)
    assert mother is not None
    [child] = RegistryPersonalData().children_of(mother.person_id)
    assert child.next_posyandu is not None
    assert child.next_posyandu.weekday() == Weekday.MONDAY and child.next_posyandu.day <= 7
