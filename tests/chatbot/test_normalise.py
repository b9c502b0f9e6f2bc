"""Numbers and units first, then the domain table, then the slang lexicon."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.chatbot.normalise import normalise, parse_measures


@pytest.mark.parametrize(
    ("text", "weight", "lenhei", "age", "sex"),
    [
        ("anak laki2 1 thn 8 bln tinggi 78 cm bb 9,5 kg", 9.5, 78.0, 20.0, 1),
        ("bayi cewek 900 gr umur 3 minggu", 0.9, None, 3 * 7 / 30.4375, 2),
        ("tinggi 0,8 m berat 11 kilo umur 2,5 thn", 11.0, 80.0, 30.0, None),
        ("78cm 9.2kg 18bln perempuan", 9.2, 78.0, 18.0, 2),
        ("umur 1 tahun setengah bb 9,2 pb 76", 9.2, 76.0, 18.0, None),
        ("usia 20 bulan berat 9 koma 8 tinggi 80", 9.8, 80.0, 20.0, None),
        ("my son is 15 months old, weight 9 kg, length 73 cm", 9.0, 73.0, 15.0, 1),
        ("bbnya 8100 gr panjangnya 72 cm umurnya 14 bln", 8.1, 72.0, 14.0, None),
    ],
)
def test_measures_from_free_text(
    text: str, weight: float | None, lenhei: float | None, age: float | None, sex: int | None
) -> None:
    m = normalise(text).measures
    assert m.weight_kg == pytest.approx(weight) if weight is not None else m.weight_kg is None
    assert m.lenhei_cm == pytest.approx(lenhei) if lenhei is not None else m.lenhei_cm is None
    assert m.age_months == pytest.approx(age) if age is not None else m.age_months is None
    assert m.sex == sex


def test_birth_weight_and_pregnancy_are_not_the_childs_measurements() -> None:
    m = normalise("lahir 2500 gram, sekarang 3 bulan bb 5,1 kg").measures
    assert m.birth_weight_kg == pytest.approx(2.5)
    assert m.weight_kg == pytest.approx(5.1)
    m = normalise("bumil 7 bulan bb 60 kg").measures
    assert m.pregnancy_months == 7.0
    assert m.age_months is None


def test_arm_circumference_is_not_a_length() -> None:
    assert normalise("lila saya 22 cm").measures.lenhei_cm is None
    assert normalise("lingkar lengan atas 22,5 cm").measures.lenhei_cm is None


def test_bare_age_without_unit_is_kept_as_ambiguous() -> None:
    m = normalise("umur 2 tinggi 85").measures
    assert m.age_months is None and m.age_without_unit == 2.0
    assert normalise("umur 20 tinggi 80").measures.age_months == 20.0


def test_measure_position_words() -> None:
    assert normalise("diukur berdiri 85 cm").measures.measure == "h"
    assert normalise("diukur berbaring 70 cm").measures.measure == "l"
    assert normalise("tinggi 70 cm").measures.measure is None


def test_domain_table_wins_over_the_slang_lexicon() -> None:
    n = normalise("gmn mpasi yg bener utk anak2, mkn brp kali? bumil minum ttd")
    assert "makanan pendamping asi" in n.text
    assert "makan" in n.tokens and "makin" not in n.tokens  # Kamus Alay says "makin"
    assert "tablet tambah darah" in n.text
    assert "ibu hamil" in n.text
    assert "bagaimana" in n.tokens and "yang" in n.tokens


def test_units_are_read_before_slang_rewrites_them() -> None:
    # indonlp maps "cm" to "cuma" and "th" to "tahu": the parser must see them first.
    m = normalise("tinggi 80 cm umur 2 th").measures
    assert m.lenhei_cm == 80.0 and m.age_months == 24.0


def test_elongation_and_english() -> None:
    assert "stunting" in normalise("stanting tu apaaa sih").text
    n = normalise("What is exclusive breastfeeding?")
    assert n.english
    assert "asi eksklusif" in n.text
    assert not normalise("anak saya susah makan").english


weights = st.decimals(min_value="0.5", max_value="35", places=1).map(float)


@given(weights)
def test_weight_in_kg_with_comma_or_point(w: float) -> None:
    comma = f"{w:.1f}".replace(".", ",")
    assert parse_measures(f"bb {comma} kg")[0].weight_kg == pytest.approx(w)
    assert parse_measures(f"berat {w:.1f}kg")[0].weight_kg == pytest.approx(w)


@given(st.integers(min_value=500, max_value=35000))
def test_weight_in_grams(grams: int) -> None:
    assert parse_measures(f"berat {grams} gr")[0].weight_kg == pytest.approx(grams / 1000)
    assert parse_measures(f"bb {grams} gram")[0].weight_kg == pytest.approx(grams / 1000)


@given(st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=11))
def test_age_in_years_and_months(years: int, months: int) -> None:
    text = f"umur {years} thn {months} bln" if years else f"umur {months} bln"
    assert parse_measures(text)[0].age_months == years * 12 + months


@given(st.decimals(min_value="40", max_value="125", places=1).map(float))
def test_length_in_cm_and_metres(cm: float) -> None:
    assert parse_measures(f"tinggi {cm:.1f} cm")[0].lenhei_cm == pytest.approx(cm)
    metres = f"{cm / 100:.3f}".rstrip("0").replace(".", ",")
    assert parse_measures(f"tinggi {metres} m")[0].lenhei_cm == pytest.approx(cm, abs=0.01)


@given(st.text(max_size=80))
def test_normalise_never_raises(text: str) -> None:
    n = normalise(text)
    assert isinstance(n.text, str)
