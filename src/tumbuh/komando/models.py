"""The command centre's aggregate tables (docs/decisions/0080-komando-aggregates.md).

``AreaMonthStat`` holds one count per area x month x indicator, with the count's denominator
beside it when the indicator is a share. Areas are the wilayah codes of the kota, kecamatan and
kelurahan, and ``pos-<id>`` for a posyandu (children registered there). Only counts are stored:
shares are derived on reading, so kelurahan rows add up exactly to their kecamatan and city.
The page, the rakor PDF and Excel file and the API read these rows and nothing else.

``OrgMonthStat`` holds the OPD (and partner) scorecard figures per organisation x month.
``DirtyArea`` lists kelurahan whose facts changed since their rows were last computed; the
periodic job recomputes them (incremental refresh).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.IntegerChoices):
    CITY = 2, _("kota")
    KECAMATAN = 3, _("kecamatan")
    KELURAHAN = 4, _("kelurahan")
    POSYANDU = 7, _("posyandu")


class AreaMonthStat(models.Model):
    area_code = models.CharField(_("kode wilayah"), max_length=40)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=AreaLevel.choices)
    parent_code = models.CharField(_("kode induk"), max_length=40, blank=True)
    month = models.DateField(_("bulan"), help_text=_("Hari pertama bulan."))
    indicator = models.CharField(_("indikator"), max_length=40)
    value = models.PositiveIntegerField(_("jumlah"))
    denominator = models.PositiveIntegerField(_("penyebut"), null=True, blank=True)
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        verbose_name = _("statistik wilayah per bulan")
        verbose_name_plural = _("statistik wilayah per bulan")
        constraints = [
            models.UniqueConstraint(
                fields=["area_code", "month", "indicator"], name="komando_stat_unique"
            )
        ]
        indexes = [
            models.Index(fields=["month", "parent_code"], name="komando_stat_month_parent"),
            models.Index(fields=["indicator", "area_code", "month"], name="komando_stat_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.month:%Y-%m} {self.indicator}={self.value}"


class OrgMonthStat(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisasi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("bulan"))
    indicator = models.CharField(_("indikator"), max_length=40)
    value = models.FloatField(_("nilai"), null=True, blank=True)
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        verbose_name = _("rapor organisasi per bulan")
        verbose_name_plural = _("rapor organisasi per bulan")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "indicator"], name="komando_orgstat_unique"
            )
        ]
        indexes = [models.Index(fields=["month"], name="komando_orgstat_month")]


class DirtyArea(models.Model):
    """A kelurahan (or ``*`` for the organisations' scorecards) to recompute for a month."""

    area_code = models.CharField(_("kode wilayah"), max_length=40)
    month = models.DateField(_("bulan"))
    marked_at = models.DateTimeField(_("ditandai"), auto_now=True)

    class Meta:
        verbose_name = _("wilayah perlu dihitung ulang")
        verbose_name_plural = _("wilayah perlu dihitung ulang")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "month"], name="komando_dirty_unique")
        ]
