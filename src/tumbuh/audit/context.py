"""Where a request came from, as the audit log records it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class AuditContext:
    """The client side of an action: IP address, user agent, page. Empty for system jobs."""

    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        return cls(
            ip_address=client_ip(request),
            user_agent=request.headers.get("user-agent", "")[:300],
            path=request.get_full_path()[:300],
        )


SYSTEM = AuditContext()


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the first X-Forwarded-For hop behind a trusted proxy; None if invalid."""
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "TUMBUH_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            candidate = forwarded.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
