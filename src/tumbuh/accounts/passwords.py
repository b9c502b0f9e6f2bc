"""Password rules for staff accounts (issue 11, finding 7).

Django's validators pass "Bogor2026" and "kader123" once the length allows: a local word with
digits or symbols around it is what an attacker tries first. :class:`LocalWordPasswordValidator`
refuses a password that, without its digits and symbols, is one of those words (or nothing).
With ``MinimumLengthValidator(min_length=12)`` in settings.
"""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Words a guesser tries first for this platform: the city, the programme, the roles, the
#: app, Indonesian and English words for "password", the months. Kept as data.
LOCAL_WORDS: frozenset[str] = frozenset(
    [
        "bogor",
        "kotabogor",
        "jabar",
        "jawabarat",
        "indonesia",
        "tumbuh",
        "stunting",
        "cegahstunting",
        "tpps",
        "posyandu",
        "puskesmas",
        "kader",
        "kaderposyandu",
        "bidan",
        "gizi",
        "dinkes",
        "dinas",
        "kelurahan",
        "kecamatan",
        "admin",
        "administrator",
        "password",
        "passw0rd",
        "sandi",
        "katasandi",
        "rahasia",
        "masuk",
        "login",
        "qwerty",
        "asdf",
        "januari",
        "februari",
        "maret",
        "april",
        "mei",
        "juni",
        "juli",
        "agustus",
        "september",
        "oktober",
        "november",
        "desember",
        "merdeka",
        "bismillah",
        "sayang",
        "anak",
        "balita",
        "ibu",
    ]
)


def _core(password: str) -> str:
    """The letters of a password, lower case, without the digits and symbols around it and
    with l33t digits inside read as letters ("P0syandu2026!" -> "posyandu")."""
    leet = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
    inner = password.lower().strip(string.digits + string.punctuation + string.whitespace)
    letters = inner.translate(leet)
    return "".join(ch for ch in letters if ch.isalpha())


def only_local_words(core: str) -> bool:
    """Is ``core`` empty, or made only of ``LOCAL_WORDS`` ("bogorkader", "tppstpps")?"""
    reachable = [True] + [False] * len(core)
    for end in range(1, len(core) + 1):
        reachable[end] = any(
            reachable[end - len(word)] and core.endswith(word, 0, end)
            for word in LOCAL_WORDS
            if len(word) <= end
        )
    return reachable[len(core)]


class LocalWordPasswordValidator:
    """Refuse a password made only of local words (``LOCAL_WORDS``) plus digits and symbols:
    "Bogor2026", "kader123", "P0syandu!2026", "bogorkader26"."""

    def validate(self, password: str, user: Any = None) -> None:
        plain = "".join(ch for ch in password.lower() if ch.isalpha())
        if only_local_words(plain) or only_local_words(_core(password)):
            raise ValidationError(
                _(
                    "Kata sandi ini mudah ditebak: kata umum (mis. nama kota, peran atau "
                    "aplikasi) ditambah angka. Pakai kalimat pendek yang hanya Anda "
                    "ketahui, minimal 12 karakter, mis. 'kopi pagi di teras rumah'."
                ),
                code="password_local_word",
            )

    def get_help_text(self) -> str:
        return _(
            "Kata sandi bukan nama kota, peran, atau aplikasi yang ditambah angka (mis. Bogor2026)."
        )
