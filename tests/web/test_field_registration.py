"""Issue 12 item 7: registration checks say what is wrong: a phone that is no number, a child
of five years or more, a readable but impossible date; the import's errors in row order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from importing import csv_bytes, report_rows, row, run

from tumbuh.registry.dates import impossible_date
from tumbuh.registry.models import Child
from tumbuh.registry.services import child_register
from tumbuh.registry.services.people import phone_check

TODAY = dt.date(2026, 11, 15)


def _form(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "name": "Tiara Kusuma", "sex": "2", "birth_date": "2025-03-10", "mother_name": "Iis",
        "kelurahan": world.kel_a.pk, "rw": "1", "rt": "4", "phone": "",
        "posyandu": world.pos_a.pk, "consent_given_by": "Iis", "consent_relationship": "Ibu",
        "consent_method": "written", "consent": "on",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0812-3456-7890", "081234567890"), ("+62 812 3456 7890", "081234567890"), ("", "")],
)
def test_phone_numbers_are_normalised(typed: str, stored: str) -> None:
    assert phone_check(typed) == (stored, "")


@pytest.mark.parametrize("typed", ["abc", "12", "0812 abc", "99999999999999999"])
def test_phone_that_is_no_number_is_refused(typed: str) -> None:
    clean, message = phone_check(typed)
    assert clean == "" and "tidak sah" in message and "0812 3456 7890" in message


def test_registration_refuses_a_bad_phone_and_an_older_child(world, client_for) -> None:
    client = client_for("kader")
    bad_phone = client.post("/anak/daftar/", _form(world, phone="abc"))
    assert bad_phone.status_code == 422
    assert "Nomor HP &#x27;abc&#x27; tidak sah" in bad_phone.content.decode()
    eleven = client.post("/anak/daftar/", _form(world, birth_date="2015-06-01"))
    assert eleven.status_code == 422
    text = eleven.content.decode()
    assert "Anak berumur 11 tahun (lahir 01-06-2015), bukan balita" in text
    assert not Child.objects.filter(person__name="Tiara Kusuma").exists()
    confirmed = client.post(
        "/anak/daftar/",
        _form(world, birth_date="2015-06-01", over_five_confirmed="on", phone="0812 3456 7890"),
    )
    assert confirmed.status_code == 302
    child = Child.objects.get(person__name="Tiara Kusuma")
    assert child.person.family.phone == "081234567890"


def test_an_impossible_date_on_the_form_says_so(world, client_for) -> None:
    page = client_for("kader").post("/anak/daftar/", _form(world, birth_date="31/02/2024"))
    assert page.status_code == 422
    assert "31/02/2024 bukan tanggal yang ada: Februari 2024 hanya sampai tanggal 29." in (
        page.content.decode()
    )


def test_service_refuses_over_five_without_confirmation(world) -> None:
    with pytest.raises(ValidationError) as refused:
        child_register(
            actor=world.users["kader"], name="Anak Besar", sex=1,
            birth_date=dt.date(2019, 1, 1), mother_name="Ibu Besar", kelurahan=world.kel_a,
            consent_given_by="Ibu Besar", consent_relationship="Ibu", today=TODAY,
        )  # fmt: skip
    assert "bukan balita" in refused.value.message_dict["birth_date"][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/02/2024", "31/02/2024 bukan tanggal yang ada: Februari 2024 hanya sampai tanggal 29."),
        ("29-02-2025", "29-02-2025 bukan tanggal yang ada: Februari 2025 hanya sampai tanggal 28."),
        ("2024-04-31", "2024-04-31 bukan tanggal yang ada: April 2024 hanya sampai tanggal 30."),
        ("10/13/2024", "10/13/2024 bukan tanggal yang ada: bulan 13 tidak ada (1 sampai 12)."),
        ("kemarin", None),
        ("10/03/2024", None),
    ],
)
def test_impossible_date_messages(text: str, expected: str | None) -> None:
    assert impossible_date(text) == expected


def test_import_names_the_impossible_date_and_orders_errors_by_row(world) -> None:
    rows = [
        row(),
        row(NIK="", **{"Nama Balita": "Hadi", "Berat (kg)": "900"}),
        row(NIK="", **{"Nama Balita": "Intan", "Tgl Lahir": "31/02/2024"}),
        row(NIK="", **{"Nama Balita": "Joko", "Tanggal Pengukuran": "2027-01-01"}),
        row(NIK="", **{"Nama Balita": "Kiki", "Tanggal Pengukuran": "kemarin"}),
    ]
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    report = report_rows(job)
    numbers = [int(r[0]) for r in report]
    assert numbers == sorted(numbers)
    reasons = {(r[0], r[1]): r[3] for r in report}
    assert reasons[("4", "Tgl Lahir")].startswith("31/02/2024 bukan tanggal yang ada")
    assert "tidak dapat dibaca" in reasons[("6", "Tanggal Pengukuran")]


def test_the_web_form_offers_the_existing_child_instead_of_a_second_one(world, client_for) -> None:
    client = client_for("kader")
    first = client.post("/anak/daftar/", _form(world, name="Tiara Kusuma", mother_name="Iis"))
    assert first.status_code == 302
    existing = Child.objects.get(person__name="Tiara Kusuma")
    again = client.post("/anak/daftar/", _form(world, name="Tiara  Kusumah", mother_name="Iis"))
    assert again.status_code == 422
    page = again.content.decode()
    assert "Anak ini mungkin sudah terdaftar" in page
    assert f'href="/anak/{existing.pk}/"' in page
    assert f'href="/anak/{existing.pk}/timbang/"' in page
    assert Child.objects.filter(person__name__startswith="Tiara").count() == 1
    other = client.post(
        "/anak/daftar/",
        _form(world, name="Tiara  Kusumah", mother_name="Iis", not_duplicate="on"),
    )
    assert other.status_code == 302
    assert Child.objects.filter(person__name__startswith="Tiara").count() == 2


def test_the_service_finds_a_similar_child_in_another_area(world) -> None:
    from tumbuh.registry.duplicates import PossibleDuplicate

    theirs = world.child_b  # Batu Tulis, posyandu B: not the kader's
    with pytest.raises(PossibleDuplicate) as found:
        child_register(
            actor=world.users["tenaga_gizi"], name=theirs.person.name, sex=theirs.person.sex,
            birth_date=theirs.person.birth_date, mother_name=theirs.mother.person.name,
            kelurahan=world.kel_b, consent_given_by="Ibu", consent_relationship="Ibu",
            today=TODAY,
        )  # fmt: skip
    assert theirs.pk in [c.pk for c in found.value.children]
