"""NIK and KK validation (DOMAIN.md section 5) and masking."""

from __future__ import annotations

import datetime as dt

import pytest

from tumbuh.registry.identity import check_kk, check_nik, mask_nik

# The synthetic example of DOMAIN.md 5: Kota Bogor, Tanah Sareal, girl born 15-07-2015.
EXAMPLE = "3271065507150001"
TODAY = dt.date(2026, 11, 15)


def test_domain_example_is_valid_and_decoded():
    check = check_nik(EXAMPLE, today=TODAY)
    assert check.valid, check.errors
    assert check.birth_date == dt.date(2015, 7, 15)
    assert check.sex == 2
    assert check.region_code == "32.71.06"


def test_separators_are_ignored():
    assert check_nik("3271 0655 0715 0001", today=TODAY).digits == EXAMPLE
    assert check_nik("3271-0655-0715-0001", today=TODAY).valid


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("327106550715000", "16 angka"),  # 15 digits
        ("32710655071500011", "16 angka"),  # 17 digits
        ("3271O65507150001", "16 angka"),  # letter O
        ("9971065507150001", "kode kecamatan"),  # no province 99
        ("3271995507150001", "kode kecamatan"),  # no kecamatan 32.71.99
        ("3271063207150001", "tanggal lahir"),  # day 32
        ("3271067207150001", "tanggal lahir"),  # day 72 (= 32 + 40)
        ("3271061513150001", "tanggal lahir"),  # month 13
        ("3271067102150001", "tanggal lahir"),  # 31 February (woman)
        ("3271065507150000", "0000"),
    ],
)
def test_invalid_nik_says_what_is_wrong(nik, fragment):
    check = check_nik(nik, today=TODAY)
    assert not check.valid
    assert any(fragment in e for e in check.errors), check.errors


def test_nik_must_agree_with_sex_and_birth_date():
    assert check_nik(EXAMPLE, sex=2, birth_date=dt.date(2015, 7, 15), today=TODAY).valid
    wrong_sex = check_nik(EXAMPLE, sex=1, today=TODAY)
    assert any("Jenis kelamin" in e for e in wrong_sex.errors)
    wrong_date = check_nik(EXAMPLE, birth_date=dt.date(2015, 7, 16), today=TODAY)
    assert any("Tanggal lahir di NIK" in e for e in wrong_date.errors)


def test_kk_number():
    assert check_kk("3271061203200001").valid
    assert not check_kk("32710612032000").valid
    unknown = check_kk("3299061203200001")
    assert any("kode kecamatan" in e for e in unknown.errors)
    odd_date = check_kk("3271064513200001")  # day 45: only a warning (format unconfirmed)
    assert odd_date.valid and odd_date.warnings
    assert not check_kk("3271061203200000").valid


def test_mask_keeps_first_and_last_four():
    assert mask_nik(EXAMPLE) == "3271********0001"
    assert mask_nik(None) == ""
    assert mask_nik("") == ""
    assert mask_nik("1234") == "****"
