"""Finding 12 of issue 11 and the bounded fuzz of ``make test-security``: schemathesis
generates requests from ``/api/v1/openapi.json`` for every operation (routers added later are
covered by themselves) and checks each answer: never a server error, only statuses and shapes
the document declares. Runs with ``TUMBUH_FUZZ=1`` (``make test-security``); ``make test``
keeps only the quick checks of the document below."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from tumbuh.api.api import api

FUZZ = os.environ.get("TUMBUH_FUZZ") == "1"
EXAMPLES = int(os.environ.get("TUMBUH_FUZZ_EXAMPLES", "60"))


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def test_every_operation_declares_its_error_answers():
    for path, operations in _schema()["paths"].items():
        for method, operation in operations.items():
            declared = {int(s) for s in operation["responses"]}
            if operation.get("security"):
                assert {401, 403} <= declared, (method, path)
            if "{" in path:
                assert 404 in declared, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert 409 in declared, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert 422 in declared, (method, path)


def test_a_measurement_needs_a_weight_or_a_length():
    body = _schema()["components"]["schemas"]["MeasurementIn"]
    required = [set(rule["required"]) for rule in body["anyOf"]]
    assert {"weight_kg"} in required and {"length_cm"} in required
    assert "berat" in body["description"] and "panjang" in body["description"]


def test_a_measurement_without_weight_and_length_is_422(world, api_for):
    response = api_for("kader").post(
        f"/api/v1/children/{world.child_a.pk}/measurements",
        data={"measured_on": "2026-11-01"},
        content_type="application/json",
    )
    assert response.status_code == 422


def _excluded() -> list[Any]:
    from schemathesis.checks import negative_data_rejection, positive_data_acceptance

    # The API refuses, with 422, values no schema can call wrong (a date in the future, an
    # impossible weight): "schema-valid data rejected" is then the right answer.
    return [positive_data_acceptance, negative_data_rejection]


def _operations():  # type: ignore[no-untyped-def]
    import schemathesis

    loaded = schemathesis.openapi.from_dict(_schema())
    loaded.app = get_wsgi_application()
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.mark.fuzz
@pytest.mark.skipif(not FUZZ, reason="fuzz: make test-security (TUMBUH_FUZZ=1)")
@pytest.mark.parametrize("role", ["tpps", "kader", "partner"])
def test_fuzz_api_v1_has_no_server_errors(world, api_for, role):  # type: ignore[no-untyped-def]
    from tumbuh.api.services import token_create

    user = world.users[role]
    _token, raw = token_create(actor=user, user=user, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    failures: list[str] = []
    calls = 0
    excluded = _excluded()
    for operation in _operations():

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            try:
                case.call_and_validate(headers=headers, excluded_checks=excluded)
            except Exception as exc:  # collected, reported together
                failures.append(f"{case.method} {case.path}: {exc}"[:600])

        run()
    print(f"fuzz {role}: {calls} requests")
    assert calls > 0
    assert not failures, "\n\n".join(failures[:10])
