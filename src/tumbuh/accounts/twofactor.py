"""Two-step sign-in with TOTP (an authenticator app; django-otp), issue 11, finding 7.

Administrators (staff) and TPPS must pass the second step when ``TWO_FACTOR_REQUIRED`` is on
(by default whenever DEBUG is off); others may turn it on for themselves at the same page.
Demo accounts are let in without it only where ``TWO_FACTOR_EXEMPT_DEMO`` is set (a public
demo). The first visit shows the secret as a QR code and as text; the code typed confirms it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record

#: Paths a signed-in user reaches before the second step (the step itself, signing out,
#: static files) and paths that never use the session (token API, webhooks, public chat).
OPEN_PREFIXES = ("/akun/dua-langkah/", "/akun/keluar/", "/static/", "/api/", "/webhooks/")


def needs_two_factor(user: User) -> bool:
    """Must ``user`` pass the second step before using any page?"""
    if not getattr(settings, "TWO_FACTOR_REQUIRED", False):
        return False
    if not (user.is_superuser or user.is_staff or user.role == Role.TPPS):
        return False
    return not (getattr(settings, "TWO_FACTOR_EXEMPT_DEMO", False) and user.is_demo)


class RequireTwoFactorMiddleware:
    """Send a signed-in user who must pass the second step, and has not, to the step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_two_factor(user)
            and not user.is_verified()
        ):
            return redirect(
                f"{reverse('accounts:two_factor')}?next={quote(request.get_full_path())}"
            )
        return self.get_response(request)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard:home")


def _secret_text(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (first time) or pass the second step."""
    user = request.user
    assert isinstance(user, User)
    context = AuditContext.from_request(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="Aplikasi autentikator", confirmed=False
            )
    error = ""
    if request.method == "POST":
        token = "".join(ch for ch in request.POST.get("otp_token", "") if ch.isdigit())
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            error = _("Terlalu banyak kode salah. Tunggu sebentar, lalu coba lagi.")
        elif len(token) == 6 and device.verify_token(token):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(
                actor=user, action=Action.VERIFY, object_type="accounts.user", object_id=user.pk,
                detail={"ok": True, "setup": setting_up}, context=context,
            )  # fmt: skip
            return redirect(_next(request))
        else:
            error = _(
                "Kode salah atau sudah kedaluwarsa. Ketik 6 angka yang tampil sekarang di aplikasi."
            )
        audit_record(
            actor=user, action=Action.VERIFY, object_type="accounts.user", object_id=user.pk,
            detail={"ok": False, "setup": setting_up}, context=context,
        )  # fmt: skip
    qr = (
        segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937")
        if setting_up
        else ""
    )
    return render(
        request,
        "registration/two_factor.html",
        {
            "setting_up": setting_up,
            "qr": qr,
            "secret": _secret_text(device) if setting_up else "",
            "error": error,
            "next": _next(request),
        },
        status=422 if error else 200,
    )
