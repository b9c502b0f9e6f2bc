"""An OpenAPI document that says what the API really answers (issue 11, finding 12), so that
schema-driven tests (schemathesis, ``make test-security``) and client generators can rely on
it. Every operation is completed after the routers are mounted, so routers added later (cases,
partners, ...) are covered without doing anything:

* 401 for every operation behind the bearer token, 403 for a role that may not act;
* 404 for every operation with an id in its path, body or filters (missing, or outside the
  user's area);
* 409 for every write (a step out of order, a record that already exists);
* 422 for every operation that takes parameters or a body (bad values, Indonesian messages);
* the body rules pydantic cannot express, as JSON Schema (:data:`BODY_RULES`): a measurement
  needs a weight or a length; a decimal sent as text must be numeric text.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Pesan dalam bahasa Indonesia"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        }
    },
    "required": ["detail"],
}
#: Status -> (description, component name).
STANDARD = {
    401: ("Token tidak ada, tidak dikenal atau sudah dicabut.", "Error"),
    403: ("Peran Anda tidak dapat melakukan ini.", "Error"),
    404: ("Tidak ditemukan, atau di luar wilayah Anda (percobaan dicatat di log audit).", "Error"),
    409: ("Konflik: langkah tidak berurutan atau data sudah ada.", "Error"),
    422: ("Nilai tidak sah; satu pesan per kolom.", "FieldErrors"),
}
WRITES = frozenset({"post", "put", "patch", "delete"})

#: Component schema name -> JSON Schema keywords to add (rules between fields).
BODY_RULES: dict[str, dict[str, Any]] = {
    "MeasurementIn": {
        "description": (
            "Satu pengukuran. Wajib ada berat (weight_kg) atau panjang/tinggi (length_cm), "
            "boleh keduanya; panjang memerlukan position (l berbaring, h berdiri)."
        ),
        "anyOf": [
            {"required": ["weight_kg"], "properties": {"weight_kg": {"not": {"type": "null"}}}},
            {"required": ["length_cm"], "properties": {"length_cm": {"not": {"type": "null"}}}},
        ],
    },
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the standard error answers and the body rules to an OpenAPI document (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            wanted: set[int] = set()
            if operation.get("security"):
                wanted |= {401, 403}
            # An id in the path, the body or a filter can name an object that does not exist
            # or lies outside the user's area: 404 (found by the fuzz: POST /patronages).
            if "{" in path or operation.get("requestBody") or operation.get("parameters"):
                wanted.add(404)
            if method in WRITES:
                wanted.add(409)
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.add(422)
            responses = operation["responses"]
            for status in sorted(wanted):
                if status in responses or str(status) in responses:
                    continue
                description, component = STANDARD[status]
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": _ref(component)}},
                }
    for component in components.values():
        _decimal_strings(component)
    for name, rule in BODY_RULES.items():
        if name in components:
            components[name].update(rule)
    return schema


#: What a decimal typed as text must look like (pydantic's own schema allows any text).
DECIMAL_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"


def _decimal_strings(component: dict[str, Any]) -> None:
    """A number field that also takes text (``Decimal``) takes only numeric text."""
    for prop in (component.get("properties") or {}).values():
        branches = prop.get("anyOf") if isinstance(prop, dict) else None
        if not branches:
            continue
        kinds = {b.get("type") for b in branches if isinstance(b, dict)}
        if {"number", "string"} <= kinds:
            for branch in branches:
                if branch.get("type") == "string" and "pattern" not in branch:
                    branch["pattern"] = DECIMAL_TEXT


class TumbuhAPI(NinjaAPI):
    """``NinjaAPI`` whose OpenAPI document is :func:`complete`."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return complete(super().get_openapi_schema(*args, **kwargs))
