"""Forms of the accounts app."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with a plain Indonesian message for a wrong name or password
    (Django's own Indonesian text repeats the field name)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa huruf besar/kecil lalu coba lagi."
        ),
    }
