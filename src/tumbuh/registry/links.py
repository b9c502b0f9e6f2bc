"""Requests to link a new record to a family or mother outside the registering user's area
(issue 11, finding 1; docs/decisions/0060-linking-outside-scope.md).

A kader who types the KK number of a family, or the NIK of a mother, that lives in another
area must not gain sight of that family through the link. The child is registered with a
family or mother of its own, and a ``LinkRequest`` goes to the officers who may see both
records (the smallest wilayah holding both), who link them or dismiss the request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    FAMILY = "family", _("keluarga (nomor KK)")
    MOTHER = "mother", _("ibu (NIK ibu)")


class LinkStatus(models.TextChoices):
    OPEN = "open", _("menunggu keputusan")
    LINKED = "linked", _("ditautkan")
    DISMISSED = "dismissed", _("ditolak")


class LinkRequest(models.Model):
    """A link the registering user asked for but may not make: ``child`` (new) to ``family``
    or ``mother`` (existing, outside the user's area). ``region`` is the smallest wilayah that
    holds both; the officers of that region or above decide."""

    kind = models.CharField(_("jenis"), max_length=8, choices=LinkKind.choices)
    child = models.ForeignKey(
        "registry.Child",
        verbose_name=_("anak baru"),
        on_delete=models.CASCADE,
        related_name="link_requests",
    )
    family = models.ForeignKey(
        "registry.Family",
        verbose_name=_("keluarga terdaftar"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    mother = models.ForeignKey(
        "registry.Mother",
        verbose_name=_("ibu terdaftar"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("wilayah yang memutuskan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("permintaan penautan")
        verbose_name_plural = _("permintaan penautan")
        ordering = ["status", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="family", family__isnull=False, mother__isnull=True)
                    | models.Q(kind="mother", mother__isnull=False, family__isnull=True)
                ),
                name="registry_linkrequest_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.child_id}, {self.get_status_display()})"
