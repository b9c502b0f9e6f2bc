"""The user of Tumbuh: one role, and the area (wilayah, puskesmas, posyandu) it works in.

Scoping rules live in one place per entity (``registry.selectors``); this model only holds
the facts they read. See docs/decisions/0011-role-and-area-scoping.md.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does in the task force (ARCHITECTURE.md, "Who uses it")."""

    TPPS = "tpps", _("TPPS (komando kota)")
    KECAMATAN_OFFICER = "kecamatan", _("Petugas kecamatan")
    KELURAHAN_OFFICER = "kelurahan", _("Petugas kelurahan")
    NUTRITION_OFFICER = "tenaga_gizi", _("Tenaga gizi puskesmas")
    KADER = "kader", _("Kader posyandu")
    OPD = "opd", _("OPD (perangkat daerah)")
    PARTNER = "partner", _("Mitra / bapak asuh")
    PARENT = "parent", _("Orang tua")


#: Roles whose scope is a wilayah node (kota, kecamatan, kelurahan).
AREA_ROLES = frozenset({Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER})


class User(AbstractUser):
    """A person who logs in. ``role`` plus one of ``region``/``puskesmas``/``posyandu`` give
    the scope; superusers (administrators) see everything and use the Django admin."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("wilayah tugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Untuk TPPS, petugas kecamatan dan kelurahan: wilayah yang boleh dilihat."),
    )
    puskesmas = models.ForeignKey(
        "wilayah.Puskesmas",
        verbose_name=_("puskesmas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    posyandu = models.ForeignKey(
        "wilayah.Posyandu",
        verbose_name=_("posyandu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    organisation = models.CharField(
        _("instansi / organisasi"),
        max_length=200,
        blank=True,
        help_text=_("Untuk OPD dan mitra, mis. Dinas Kesehatan."),
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("data diri (orang tua)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        help_text=_("Untuk peran orang tua: orang tua terverifikasi yang melihat anaknya."),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("akun demo"), default=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def role_enum(self) -> Role | None:
        return Role(self.role) if self.role else None
