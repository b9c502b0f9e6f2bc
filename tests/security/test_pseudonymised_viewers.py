"""Findings 2 and 3 of issue 11: a partner (bapak asuh) sees its children as initials; it may
search, filter and sort only on what it sees, and never sees the mother's pregnancy, the
address, the phone or the KK, even when the family agreed to show the child's name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tumbuh.registry.models import Pregnancy
from tumbuh.registry.selectors import child_search, initials_key

TODAY = dt.date(2026, 11, 15)
NIK_B = "3271015505250004"


@pytest.fixture
def hidden(world):  # type: ignore[no-untyped-def]
    """child_b, assigned to the partner without consent to show the name: "T. S."."""
    person = world.child_b.person
    person.name = "Tiara Salsabila"
    person.nik = NIK_B
    person.save()
    mother = world.child_b.mother.person
    mother.name = "Rahmawati Kusuma"
    mother.save()
    return world.child_b


def _ids(world, query: str, **kwargs) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        child_search(world.users["partner"], query=query, **kwargs).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "query", ["Tiara", "tia", "Salsa", "Tiara Salsabila", "Rahma", "Kusuma", NIK_B, "a"]
)
def test_partner_cannot_match_a_hidden_name_nik_or_mother(world, hidden, query):
    assert _ids(world, query) == []
    # the same queries find the child for an officer who sees the names
    if query != "a":
        assert hidden.pk in list(
            child_search(world.users["tpps"], query=query).values_list("pk", flat=True)
        )


@pytest.mark.parametrize("query", ["T. S.", "ts", "T", "t.s"])
def test_partner_finds_a_hidden_child_by_the_initials_it_sees(world, hidden, query):
    assert _ids(world, query) == [hidden.pk]


def test_initials_key():
    assert initials_key("T. S.") == "TS" == initials_key("ts")


def test_a_child_shown_by_name_matches_on_that_name_only(world, hidden):
    assignment = world.users["partner"].child_assignments.get(child=hidden)
    assignment.show_name = True
    assignment.save()
    assert _ids(world, "Tiara") == [hidden.pk]
    assert _ids(world, NIK_B) == []  # no NIK lookup for partners
    assert _ids(world, "Rahma") == []  # nor the mother's name


def test_partner_list_is_not_sorted_by_hidden_names(world, hidden):
    from factories import ChildFactory

    # a second assigned child whose name sorts before "Tiara" but who is younger
    other = ChildFactory(
        person__name="Ahmad Zaki",
        person__birth_date=dt.date(2025, 9, 1),
        person__family__kelurahan=world.kel_b,
        posyandu=world.pos_b,
    )
    world.users["partner"].child_assignments.create(child=other, started_on=TODAY)
    hidden.person.birth_date = dt.date(2025, 1, 10)
    hidden.person.save()
    assert _ids(world, "") == [hidden.pk, other.pk]  # birth date order, not name order


def test_api_search_does_not_reidentify(world, hidden, api_for):
    api = api_for("partner")
    for query in ("Tiara", "Salsabila", "Rahma", NIK_B):
        body = api.get("/api/v1/children", {"q": query}).json()
        assert body["count"] == 0, query
    body = api.get("/api/v1/children", {"q": "T. S."}).json()
    assert [i["id"] for i in body["items"]] == [hidden.pk]
    assert body["items"][0]["name"] == "T. S."


def test_page_search_does_not_reidentify(world, hidden, client_for):
    text = client_for("partner").get("/anak/", {"q": "Tiara"}).content.decode()
    assert "T. S." not in text


@pytest.fixture
def named_with_pregnancy(world, hidden):  # type: ignore[no-untyped-def]
    assignment = world.users["partner"].child_assignments.get(child=hidden)
    assignment.show_name = True
    assignment.save()
    family = hidden.person.family
    family.phone = "081277770000"
    family.address_line = "Jl. Rahasia No. 9"
    family.kk_number = "3271011203200009"
    family.save()
    Pregnancy.objects.create(
        mother=hidden.mother,
        hpht=dt.date(2026, 6, 1),
        lila_cm=Decimal("21.5"),
        hb_g_dl=Decimal("9.4"),
        is_kek=True,
        is_anaemic=True,
    )
    return hidden


def test_partner_never_sees_pregnancy_address_or_phone(world, named_with_pregnancy, client_for):
    child = named_with_pregnancy
    page = client_for("partner").get(f"/anak/{child.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tiara Salsabila" in text  # the family agreed to show the name
    for secret in (
        "081277770000",
        "Jl. Rahasia",
        "Kehamilan ibu",
        ">9,4<",
        ">21,5<",
        "KEK",
        "Anemia",
    ):
        assert secret not in text, secret
    # an officer of the area still sees them
    officer = client_for("tpps").get(f"/anak/{child.pk}/").content.decode()
    assert "081277770000" in officer and "Kehamilan ibu" in officer


def test_partner_api_detail_has_no_address(world, named_with_pregnancy, api_for):
    body = api_for("partner").get(f"/api/v1/children/{named_with_pregnancy.pk}").json()
    assert body["name"] == "Tiara Salsabila"
    assert body["address"] is None


def test_partner_api_gives_a_hidden_child_age_in_months_not_the_birth_date(world, hidden, api_for):
    born = hidden.person.birth_date
    body = api_for("partner").get(f"/api/v1/children/{hidden.pk}").json()
    assert body["birth_date"] is None and body["name"] == "T. S."
    assert isinstance(body["age_months"], int) and body["age_months"] >= 0
    listed = api_for("partner").get("/api/v1/children").json()["items"]
    assert all(item["birth_date"] is None for item in listed if item["pseudonymised"])
    assert born.isoformat() not in str(listed)
    officer = api_for("tpps").get(f"/api/v1/children/{hidden.pk}").json()
    assert officer["birth_date"] == born.isoformat()
    assert officer["age_months"] == body["age_months"]
