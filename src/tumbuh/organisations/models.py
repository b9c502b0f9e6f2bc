"""Organisations (OPD of the city and partners of every kind) and who works for them.

``kind`` is ``opd`` for every body of the local government (dinas, badan, kecamatan and
kelurahan offices, the city's water utility): the ARCHITECTURE.md contract for
``GET /api/v1/organisations``. Every other kind is a partner kind (partners app).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    OPD = "opd", _("OPD / perangkat daerah")
    COMPANY = "company", _("Perusahaan (CSR)")
    BUMN_BUMD = "bumn_bumd", _("BUMN / BUMD")
    COMMUNITY = "community", _("Komunitas / organisasi masyarakat")
    ASSOCIATION = "association", _("Asosiasi / perhimpunan profesi")
    INDIVIDUAL = "individual", _("Perorangan")
    DPRD = "dprd", _("Anggota DPRD")
    ASN = "asn", _("Pejabat OPD / ASN (Basuh Anting)")
    UNIVERSITY = "university", _("Perguruan tinggi")
    RELIGIOUS = "religious", _("Lembaga keagamaan")


#: Kinds that are partners (everything except the city's own agencies).
PARTNER_KINDS = frozenset(k for k in Kind.values if k != Kind.OPD)


class OpdType(models.TextChoices):
    """What kind of government body an OPD is (blank for partners)."""

    AGENCY = "agency", _("Dinas / badan")
    KECAMATAN_OFFICE = "kecamatan", _("Kantor kecamatan")
    KELURAHAN_OFFICE = "kelurahan", _("Kantor kelurahan")
    UTILITY = "utility", _("BUMD layanan (air minum)")


class Status(models.TextChoices):
    PENDING = "pending", _("menunggu persetujuan TPPS")
    ACTIVE = "active", _("aktif")
    SUSPENDED = "suspended", _("dihentikan")
    REJECTED = "rejected", _("ditolak")


class Organisation(models.Model):
    """An OPD or a partner. Reference data: administrators edit it; OPD rows not confirmed
    with the city are marked ``is_demo``."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    opd_type = models.CharField(_("jenis OPD"), max_length=12, choices=OpdType.choices, blank=True)
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text=_("Kota untuk dinas; kecamatan atau kelurahan untuk kantor wilayah."),
    )
    covers = models.ManyToManyField(
        "wilayah.Region",
        verbose_name=_("kelurahan yang dibantu"),
        related_name="covering_organisations",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    contact_name = models.CharField(_("nama kontak"), max_length=150, blank=True)
    contact_phone = models.CharField(_("HP kontak"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    source = models.CharField(
        _("sumber data"),
        max_length=200,
        blank=True,
        help_text=_("Dari mana data ini berasal (mis. Perwali SOTK)."),
    )
    is_demo = models.BooleanField(_("data demo / belum diverifikasi"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_opd(self) -> bool:
        return self.kind == Kind.OPD

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS


class Membership(models.Model):
    """A user working for an organisation (an OPD officer, a partner's staff, a bapak asuh
    for their own person-organisation). ``is_head`` marks whom overdue tasks escalate to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasi"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_head = models.BooleanField(_("pimpinan"), default=False)
    title = models.CharField(_("jabatan"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("anggota organisasi")
        verbose_name_plural = _("anggota organisasi")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_head=True),
                name="organisation_one_head",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
