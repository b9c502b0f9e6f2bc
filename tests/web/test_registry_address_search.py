"""Child search by address (issue 7, part 8): the street ("Veteran" finds the child on
Jl. Veteran), RT and RW numbers, and the two together; still scoped by role and area."""

from __future__ import annotations

import pytest

from tumbuh.registry.selectors import child_search, split_rt_rw
from tumbuh.wilayah.services import rw_rt_ensure


@pytest.fixture
def addressed(world):  # type: ignore[no-untyped-def]
    family = world.child_a.person.family
    rw, rt = rw_rt_ensure(kelurahan=world.kel_a, rw=3, rt=2)
    family.address_line = "Jl. Veteran No. 12"
    family.rw, family.rt = rw, rt
    family.save()
    other = world.child_b.person.family  # another kecamatan, also on a Jl. Veteran
    rw_b, rt_b = rw_rt_ensure(kelurahan=world.kel_b, rw=5, rt=2)
    other.address_line = "Jl. Veteran II No. 3"
    other.rw, other.rt = rw_b, rt_b
    other.save()
    return world


@pytest.mark.parametrize(
    ("text", "rest", "filters"),
    [
        ("Veteran", "Veteran", {}),
        ("RT 2", "", {"person__family__rt__name": "002"}),
        ("rw 003", "", {"person__family__rw__name": "003"}),
        (
            "Veteran RT 02/RW 3",
            "Veteran",
            {"person__family__rt__name": "002", "person__family__rw__name": "003"},
        ),
        ("RT.5", "", {"person__family__rt__name": "005"}),
        ("Arta", "Arta", {}),  # "rt" inside a word is not an RT
    ],
)
def test_split_rt_rw(text: str, rest: str, filters: dict[str, str]) -> None:
    assert split_rt_rw(text) == (rest, filters)


def ids(qs):  # type: ignore[no-untyped-def]
    return set(qs.values_list("pk", flat=True))


def test_street_name_finds_the_child(addressed) -> None:  # type: ignore[no-untyped-def]
    w = addressed
    tpps = w.users["tpps"]
    assert ids(child_search(tpps, query="Veteran")) == {w.child_a.pk, w.child_b.pk}
    assert ids(child_search(tpps, query="veteran ii")) == {w.child_b.pk}
    assert ids(child_search(tpps, query="Jl. Mawar")) == set()


def test_rt_rw_numbers(addressed) -> None:  # type: ignore[no-untyped-def]
    w = addressed
    tpps = w.users["tpps"]
    assert ids(child_search(tpps, query="RW 3")) == {w.child_a.pk}
    assert ids(child_search(tpps, query="RT 002")) == {w.child_a.pk, w.child_b.pk}
    assert ids(child_search(tpps, query="Veteran RT 2/RW 5")) == {w.child_b.pk}
    assert ids(child_search(tpps, query="RW 9")) == set()


def test_address_search_stays_in_scope(addressed) -> None:  # type: ignore[no-untyped-def]
    w = addressed
    assert ids(child_search(w.users["kecamatan"], query="Veteran")) == {w.child_a.pk}
    assert ids(child_search(w.users["kader"], query="Veteran")) == {w.child_a.pk}
    assert ids(child_search(w.users["opd"], query="Veteran")) == set()


def test_search_page_finds_by_street(addressed, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("kelurahan").get("/anak/", {"q": "Veteran"})
    assert response.status_code == 200
    body = response.content.decode()
    assert addressed.child_a.person.name in body
    assert addressed.child_b.person.name not in body
