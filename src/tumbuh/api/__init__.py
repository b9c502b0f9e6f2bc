"""The JSON API under ``/api/v1`` (django-ninja): bearer tokens, the registry's scoping and
audit, OpenAPI at ``/api/v1/openapi.json``."""
