"""Public pages: partner sign-up and the opt-in recognition page (aggregates only)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tumbuh.partners.forms import SignupForm
from tumbuh.partners.portal import public_recognition, rupiah
from tumbuh.partners.services import partner_signup
from tumbuh.partners.views.common import ctx
from tumbuh.registry.forms import apply_service_errors


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner_signup(
                name=data["name"],
                kind=data["kind"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                description=data["description"],
                kelurahan_codes=data["kelurahan"],
                username=data["username"],
                password=data["password"],
                public_listing=data["public_listing"],
                context=ctx(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("partners:signup_done")
    return render(request, "partners/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/signup_done.html")


def recognition(request: HttpRequest) -> HttpResponse:
    rows = public_recognition()
    return render(
        request,
        "partners/recognition.html",
        {"rows": [(r, rupiah(r.delivered_rupiah)) for r in rows]},
    )
