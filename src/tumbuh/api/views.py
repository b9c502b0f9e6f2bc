"""The token page: a user makes and revokes their own API tokens (administrators also in the
Django admin). The raw token is shown once, right after it is made."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tumbuh.api.models import ApiToken
from tumbuh.api.services import token_create, token_revoke
from tumbuh.audit.context import AuditContext


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama token"), max_length=100)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("name", message)
        else:
            form = TokenForm()
    listed = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": listed, "raw": raw},
        status=422 if request.method == "POST" and raw is None else 200,
    )


@login_required
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("api_tokens:list")
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404(_("Token tidak ditemukan."))
    token_revoke(actor=request.user, token=token, context=AuditContext.from_request(request))
    messages.success(request, _("Token dicabut; aplikasi yang memakainya tidak dapat masuk lagi."))
    return redirect("api_tokens:list")
