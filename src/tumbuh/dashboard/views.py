"""The landing page: counts for the user's own area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role
from tumbuh.dashboard.selectors import area_counts
from tumbuh.komando.selectors import lands_on_komando


def scope_label(user) -> str:  # type: ignore[no-untyped-def]
    """How the page names the user's scope (``Kelurahan Sempur``, ``Posyandu Melati 3``)."""
    if user.is_superuser:
        return _("semua wilayah")
    if user.role in (Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER) and user.region:
        return str(user.region)
    if user.role == Role.NUTRITION_OFFICER and user.puskesmas:
        return str(user.puskesmas)
    if user.role == Role.KADER and user.posyandu:
        return str(user.posyandu)
    if user.role == Role.PARTNER:
        return _("anak dampingan Anda")
    if user.role == Role.PARENT:
        return _("anak Anda")
    return _("Anda")


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: for the public, the citizen chatbot (seed article 000) and the way in
    for officers; for a signed-in user, the counts of their area."""
    if not request.user.is_authenticated:
        from tumbuh.messaging.views import chat

        return chat(request)
    return _area_home(request)


@login_required
def _area_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if lands_on_komando(user):  # TPPS and area officers land on the command centre (issue 9)
        return redirect("komando:home")
    counts = None if user.role == Role.OPD and not user.is_superuser else area_counts(user)
    return render(
        request, "dashboard/home.html", {"counts": counts, "scope_label": scope_label(user)}
    )
