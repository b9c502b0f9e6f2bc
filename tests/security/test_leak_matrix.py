"""The role x endpoint leak matrix of ``make test-security`` (issue 11): every page and API
route that takes an id, enumerated from the URL configuration (so the routes the cases,
partners and other work add are covered by themselves), is called by every role with the ids
of records it must not see, by GET and by POST. Nothing may answer 5xx, no answer may carry
the hidden family's personal data, and no POST may change those records.

The hidden family lives in Batu Tulis (Bogor Selatan). The partner is assigned its child
without consent to show the name: it may open the child, pseudonymised, and nothing else."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tumbuh.api.models import ApiToken
from tumbuh.api.services import token_create
from tumbuh.imports import jobs
from tumbuh.imports.models import DuplicateCandidate, DuplicateReason
from tumbuh.messaging.models import HandoffRequest
from tumbuh.registry.models import (
    Child,
    Consent,
    Family,
    LinkRequest,
    Measurement,
    Mother,
    Person,
    Pregnancy,
)
from tumbuh.registry.services import measurement_record

#: Roles that must not see the hidden family at all (and the partner, pseudonymised only).
ROLES = ["kecamatan", "kelurahan", "tenaga_gizi", "kader", "opd", "parent", "partner", None]
SECRETS = {
    "name": "Zulaikha Rahmadani",
    "nik": "3271015505250009",
    "mother": "Wulandari Kusumawati",
    "address": "Gang Rahasia Nomor 77",
    "phone": "081311112222",
    "kk": "3271011203209999",
}
PARAM_WORDS = {"action": ["claim", "answer", "close", "zz"]}
SKIP = re.compile(r"^(admin/|static/|media/|__)")


def _routes() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern

    seen = set()
    for route, pattern in walk(get_resolver().url_patterns, ""):
        if "<" in route and not SKIP.match(route) and route not in seen:
            seen.add(route)
            yield route, pattern


ID_ROUTES = sorted(route for route, _ in _routes())


def _fill(route: str, value: object) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(2)
        return str(PARAM_WORDS.get(name, [value])[0] if name in PARAM_WORDS else value)

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", one, route)


def _variants(route: str, value: object) -> list[str]:
    urls = [_fill(route, value)]
    for name, words in PARAM_WORDS.items():
        if f":{name}>" in route or f"<{name}>" in route:
            base = urls[0]
            urls = [base.replace(f"/{words[0]}/", f"/{w}/") for w in words]
    return urls


@pytest.fixture
def hidden(world):  # type: ignore[no-untyped-def]
    """The hidden family (child_b's) with every kind of record, and the ids to probe."""
    child = world.child_b
    person = child.person
    person.name, person.nik = SECRETS["name"], SECRETS["nik"]
    person.save()
    family = person.family
    family.address_line, family.phone, family.kk_number = (
        SECRETS["address"], SECRETS["phone"], SECRETS["kk"],
    )  # fmt: skip
    family.save()
    mother = child.mother
    mother.person.name = SECRETS["mother"]
    mother.person.save()
    pregnancy = Pregnancy.objects.create(
        mother=mother, hpht=dt.date(2026, 6, 1), lila_cm=Decimal("21.1"), hb_g_dl=Decimal("8.7")
    )
    measurement = measurement_record(
        actor=None, child=child, measured_on=dt.date(2026, 10, 1),
        weight_kg=Decimal("8.9"), length_cm=Decimal("76.0"), position="l",
    ).measurement  # fmt: skip
    officer_b = world.users["tpps"]
    job = jobs.job_create(actor=officer_b, file_name="b.csv", data=b"x")
    duplicate = DuplicateCandidate.objects.create(
        existing=child, incoming=world.child_x, reason=DuplicateReason.SIMILAR, score=0.9
    )
    token, _raw = token_create(actor=officer_b, user=officer_b, name="milik tpps")
    handoff = HandoffRequest.objects.create(
        conversation_id="wa:6281311112222", channel="whatsapp", kelurahan=world.kel_b,
        reason=f"anak {SECRETS['name']}", transcript=[["user", SECRETS["phone"], "2026"]],
    )  # fmt: skip
    ids = {
        child.pk, person.pk, family.pk, mother.pk, mother.person.pk, pregnancy.pk,
        measurement.pk, job.pk, duplicate.pk, token.pk, handoff.pk, 999_999,
    }  # fmt: skip
    return {"ids": sorted(ids), "token": token, "child": child}


def _snapshot() -> dict[str, int]:
    models = (Child, Person, Family, Mother, Pregnancy, Measurement, Consent, LinkRequest)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["tokens_active"] = ApiToken.objects.filter(revoked_at__isnull=True).count()
    counts["handoffs_open"] = HandoffRequest.objects.filter(status="open").count()
    return counts


def _client(world, role: str | None, api: bool) -> Client:  # type: ignore[no-untyped-def]
    if role is None:
        return Client(raise_request_exception=False)
    user = world.users[role]
    if api:
        _token, raw = token_create(actor=user, user=user, name="matriks")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_matrix_covers_the_id_routes():
    assert len(ID_ROUTES) >= 12
    assert any(r.startswith("anak/") for r in ID_ROUTES)
    assert any(r.startswith("api/v1/children") for r in ID_ROUTES)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_no_route_leaks_another_areas_records(world, hidden, role):
    clients = {api: _client(world, role, api) for api in (False, True)}
    before = _snapshot()
    problems: list[str] = []
    for route in ID_ROUTES:
        client = clients[route.startswith("api/")]
        for value in hidden["ids"]:
            for url in _variants(route, value):
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    if response.status_code >= 500:
                        problems.append(f"{method.upper()} {url}: {response.status_code}")
                        continue
                    body = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else (response.content)
                    )
                    text = body.decode("utf-8", "replace")
                    leaked = [k for k, v in SECRETS.items() if v in text]
                    if leaked:
                        problems.append(f"{method.upper()} {url}: {response.status_code} {leaked}")
    assert not problems, "\n".join(problems[:30])
    after = _snapshot()
    after.pop("Consent")
    before.pop("Consent")
    assert after == before
    assert ApiToken.objects.get(pk=hidden["token"].pk).revoked_at is None


def test_the_partner_sees_its_child_pseudonymised(world, hidden, client_for):
    page = client_for("partner").get(f"/anak/{hidden['child'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Z. R." in text
    assert not [k for k, v in SECRETS.items() if v in text]


def test_admin_pages_are_for_staff_only(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["tpps"])
    for route in ("admin/registry/person/", "admin/registry/family/", "admin/audit/auditevent/"):
        assert client.get("/" + route).status_code == 302
