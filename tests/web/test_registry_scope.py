"""Role and area scoping: every role sees exactly its area, posyandu or assigned children, and a
by-id request outside it is a 404 with a ``denied`` audit row (ADR 0011)."""

from __future__ import annotations

import pytest

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.registry.selectors import (
    child_search,
    children_visible_to,
    families_visible_to,
    measurements_visible_to,
    mothers_visible_to,
    pregnancies_visible_to,
)

ALL = {"child_a", "child_a2", "child_b", "child_x"}
#: role -> children it must see (everything else must stay hidden).
EXPECTED = {
    "admin": ALL,
    "tpps": ALL,
    "kecamatan": {"child_a", "child_a2"},  # address in Bogor Tengah
    "kelurahan": {"child_a"},  # address in Sempur
    "tenaga_gizi": {"child_a", "child_x"},  # service area Sempur + posyandu of Puskesmas Sempur
    "kader": {"child_a", "child_x"},  # registered at Posyandu Mawar
    "opd": set(),
    "partner": {"child_b"},  # assigned
    "parent": {"child_a"},  # own child
    "tpps_no_area": set(),  # fail closed
    "kader_no_posyandu": set(),
    "inactive_tpps": set(),
}


def _names(world, queryset) -> set[str]:  # type: ignore[no-untyped-def]
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, child in world.children.items() if child.pk in ids}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_children_visible_per_role(world, role):  # type: ignore[no-untyped-def]
    assert _names(world, children_visible_to(world.users[role])) == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_mothers_families_measurements_follow_the_same_scope(world, role):  # type: ignore[no-untyped-def]
    user = world.users[role]
    mothers = set(mothers_visible_to(user).values_list("pk", flat=True))
    families = set(families_visible_to(user).values_list("pk", flat=True))
    for name, child in world.children.items():
        visible = name in EXPECTED[role]
        if role != "partner":  # a partner sees assigned children only, never their mothers
            assert (child.mother_id in mothers) == visible, (role, name)
            assert (child.person.family_id in families) == visible, (role, name)
        else:
            assert child.mother_id not in mothers
    assert measurements_visible_to(user).count() == 0  # nobody measured yet
    assert pregnancies_visible_to(user).count() == 0


def test_anonymous_sees_nothing(world):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    assert not children_visible_to(AnonymousUser()).exists()
    assert not children_visible_to(None).exists()
    assert not mothers_visible_to(None).exists()
    assert not families_visible_to(None).exists()


def test_kelurahan_officer_at_rw_level_sees_only_that_rw(world):  # type: ignore[no-untyped-def]
    from tumbuh.wilayah.services import rw_rt_ensure

    rw1, rt1 = rw_rt_ensure(kelurahan=world.kel_a, rw=1, rt=2)
    rw2, _ = rw_rt_ensure(kelurahan=world.kel_a, rw=2)
    family = world.child_a.person.family
    family.rw, family.rt = rw1, rt1
    family.save()
    user = world.users["kelurahan"]
    user.region = rw1
    assert _names(world, children_visible_to(user)) == {"child_a"}
    user.region = rt1
    assert _names(world, children_visible_to(user)) == {"child_a"}
    user.region = rw2
    assert _names(world, children_visible_to(user)) == set()


def test_ended_assignment_hides_the_child_from_the_partner(world):  # type: ignore[no-untyped-def]
    import datetime as dt

    partner = world.users["partner"]
    partner.child_assignments.update(ended_on=dt.date(2026, 11, 1))
    assert not children_visible_to(partner).exists()


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_child_page_by_id_outside_scope_is_404_and_audited(world, client_for, role):  # type: ignore[no-untyped-def]
    client = client_for(role)
    if role == "inactive_tpps":  # the session of a deactivated user no longer logs it in
        before = AuditEvent.objects.count()
        assert client.get(f"/anak/{world.child_a.pk}/").status_code == 302
        assert AuditEvent.objects.count() == before
        return
    for name, child in world.children.items():
        before = AuditEvent.objects.count()
        response = client.get(f"/anak/{child.pk}/")
        event = AuditEvent.objects.order_by("-id").first()
        assert AuditEvent.objects.count() == before + 1
        assert event.object_type == "registry.child"
        assert event.object_id == str(child.pk)
        assert event.actor == world.users[role]
        if name in EXPECTED[role]:
            assert response.status_code == 200, (role, name)
            assert event.action == Action.VIEW
        else:
            assert response.status_code == 404, (role, name)
            assert event.action == Action.DENIED
            assert child.person.name not in response.content.decode()
        assert event.ip_address == "10.1.2.3"
        assert event.user_agent == "pytest-agent/1.0"


def test_unknown_id_is_404_and_audited(world, client_for):  # type: ignore[no-untyped-def]
    response = client_for("tpps").get("/anak/999999/")
    assert response.status_code == 404
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id) == (Action.DENIED, "999999")


def test_search_stays_inside_the_scope(world):  # type: ignore[no-untyped-def]
    kader = world.users["kader"]
    name_b = world.child_b.person.name
    assert not child_search(kader, query=name_b).exists()
    assert child_search(world.users["tpps"], query=name_b).get() == world.child_b


def test_search_by_kelurahan_name(world):
    found = set(child_search(world.users["tpps"], query="batu tulis"))
    assert found == {world.child_b, world.child_x}
