"""Where a request came from, as the audit log records it."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

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
            path=masked_path(request)[:300],
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


#: Query parameters that carry what a person typed to find someone (names, NIK, KK): the log
#: keeps them masked (issue 11, finding 4). Any other value has long digit runs masked.
SEARCH_PARAMETERS = frozenset({"q", "query", "cari", "search", "nik", "kk", "nama", "name"})
_DIGITS = re.compile(r"\d{10,}")
"""A NIK, KK or phone number (10 digits or more) anywhere in a path or parameter."""
_SEARCH_DIGITS = re.compile(r"\d{6,}")


def _mask_digits(match: re.Match[str]) -> str:
    digits = match.group(0)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def mask_term(text: str) -> str:
    """What was searched for, masked: each word keeps its first letter and length
    ("Tiara Salsabila" -> "T**** S********"), a number its first 4 and last 2 digits
    ("3271035003250001" -> "3271**********01")."""
    words = []
    for word in text.split():
        if sum(ch.isdigit() for ch in word) >= 6:
            words.append(_SEARCH_DIGITS.sub(_mask_digits, word))
        else:
            words.append(word[0] + "*" * (len(word) - 1))
    return " ".join(words)


def mask_digits(text: str) -> str:
    """``text`` with every run of 10 or more digits (NIK, KK, phone) masked."""
    return _DIGITS.sub(_mask_digits, text)


def mask_query(params: Mapping[str, str]) -> dict[str, str]:
    """Query parameters as the audit log keeps them (search terms masked)."""
    out = {}
    for key, value in params.items():
        text = str(value)
        out[key] = mask_term(text) if key in SEARCH_PARAMETERS else _DIGITS.sub(_mask_digits, text)
    return out


def masked_path(request: HttpRequest) -> str:
    """The request path with its query string masked (:func:`mask_query`); digit runs in
    the path itself (a NIK in a URL) are masked too."""
    path = _DIGITS.sub(_mask_digits, request.path)
    if not request.GET:
        return path
    pairs = [
        (key, mask_term(v) if key in SEARCH_PARAMETERS else _DIGITS.sub(_mask_digits, v))
        for key, values in request.GET.lists()
        for v in values
    ]
    return path + "?" + urlencode(pairs, safe="*")
