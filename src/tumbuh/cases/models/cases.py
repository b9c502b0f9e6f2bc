"""Needs catalogue, cases, their timeline and assessed needs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def actor_fk(verbose_name: str) -> models.ForeignKey:  # type: ignore[type-arg]
    """The user who did something, kept when the account is deleted (no reverse accessor)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )


class NeedKind(models.TextChoices):
    SPECIFIC = "specific", _("spesifik (gizi dan kesehatan)")
    SENSITIVE = "sensitive", _("sensitif (lingkungan, sosial, administrasi)")


class NeedCategory(models.Model):
    """The catalogue of causes and needs (data, editable by administrators)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=NeedKind.choices)
    description = models.TextField(_("keterangan"), blank=True)
    default_owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("OPD penanggung jawab biasa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_needs",
    )
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    unit_cost_min_rupiah = models.PositiveIntegerField(
        _("biaya satuan min (Rp)"), null=True, blank=True
    )
    unit_cost_max_rupiah = models.PositiveIntegerField(
        _("biaya satuan maks (Rp)"), null=True, blank=True
    )
    partner_can_help = models.BooleanField(
        _("dapat dibantu mitra"),
        default=False,
        help_text=_("Kebutuhan ini tampil di daftar kebutuhan terbuka untuk mitra."),
    )
    source = models.CharField(_("sumber"), max_length=250, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("katalog kebutuhan")
        verbose_name_plural = _("katalog kebutuhan")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CaseKind(models.TextChoices):
    STUNTING = "stunting", _("stunting (TB/U < -2 SD)")
    WASTING = "wasting", _("gizi kurang / gizi buruk (BB/TB < -2 SD)")
    UNDERWEIGHT = "underweight", _("berat badan kurang (BB/U < -2 SD)")
    FALTERING = "faltering", _("berat badan tidak naik (2T / BGM)")
    PREGNANCY_KEK = "pregnancy_kek", _("ibu hamil KEK (LiLA < 23,5 cm)")
    PREGNANCY_ANAEMIA = "pregnancy_anaemia", _("ibu hamil anemia")
    PREGNANCY_ANC = "pregnancy_anc", _("kunjungan ANC kurang")
    PREGNANCY_TTD = "pregnancy_ttd", _("konsumsi TTD kurang")


#: Kinds whose subject is a pregnancy (the others are about a child).
PREGNANCY_KINDS = frozenset(
    {
        CaseKind.PREGNANCY_KEK,
        CaseKind.PREGNANCY_ANAEMIA,
        CaseKind.PREGNANCY_ANC,
        CaseKind.PREGNANCY_TTD,
    }
)


class Severity(models.TextChoices):
    MODERATE = "moderate", _("sedang")
    SEVERE = "severe", _("berat")


class CaseStatus(models.TextChoices):
    SUSPECTED = "suspected", _("terduga")
    VERIFIED = "verified", _("terverifikasi")
    ASSESSED = "assessed", _("kebutuhan dinilai")
    IN_INTERVENTION = "in_intervention", _("dalam intervensi")
    CLOSED = "closed", _("ditutup")
    REJECTED = "rejected", _("ditolak (salah ukur)")


#: Statuses of a case that is still being handled.
OPEN_STATUSES = frozenset(
    {
        CaseStatus.SUSPECTED,
        CaseStatus.VERIFIED,
        CaseStatus.ASSESSED,
        CaseStatus.IN_INTERVENTION,
    }
)


class Outcome(models.TextChoices):
    RECOVERED = "recovered", _("pulih")
    STILL_STUNTED_AT_5 = "still_stunted_at_5", _("masih stunting pada umur 5 tahun")
    MOVED_AWAY = "moved_away", _("pindah domisili")
    LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("hilang dari pemantauan")
    DIED = "died", _("meninggal")
    PREGNANCY_ENDED = "pregnancy_ended", _("kehamilan berakhir")


class Case(models.Model):
    """One child's (or one pregnancy's) problem of one kind, handled until an outcome."""

    kind = models.CharField(_("jenis kasus"), max_length=20, choices=CaseKind.choices)
    severity = models.CharField(
        _("tingkat"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.SUSPECTED,
        db_index=True,
    )
    outcome = models.CharField(_("hasil akhir"), max_length=20, choices=Outcome.choices, blank=True)
    child = models.ForeignKey(
        "registry.Child",
        verbose_name=_("anak"),
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
    )
    pregnancy = models.ForeignKey(
        "registry.Pregnancy",
        verbose_name=_("kehamilan"),
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
    )
    # Where the subject lives, copied from the family when the case opens and refreshed by the
    # services: lists filter and sort by area without joining the registry.
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    posyandu = models.ForeignKey(
        "wilayah.Posyandu",
        verbose_name=_("posyandu"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    rule = models.CharField(_("aturan pembuka"), max_length=40, blank=True)
    trigger_measurement = models.ForeignKey(
        "registry.Measurement",
        verbose_name=_("pengukuran pemicu"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    last_measured_on = models.DateField(_("terakhir diukur"), null=True, blank=True)
    latest_measurement = models.ForeignKey(
        "registry.Measurement",
        verbose_name=_("pengukuran terakhir yang dicatat di riwayat"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    suggested_outcome = models.CharField(
        _("usulan hasil akhir"),
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Diisi aturan (mis. pulih: dua pengukuran berturut-turut di atas -2 SD)."),
    )
    suggested_at = models.DateTimeField(_("diusulkan"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("prioritas"), default=0, db_index=True, help_text=_("Makin tinggi makin mendesak.")
    )
    opened_at = models.DateTimeField(_("dibuka"), db_index=True)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    verified_by = actor_fk(_("diverifikasi oleh"))
    assessed_at = models.DateTimeField(_("kebutuhan dinilai"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("terakhir ditinjau"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True, db_index=True)
    closed_by = actor_fk(_("ditutup oleh"))
    close_note = models.TextField(_("catatan penutupan"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("dibuka kembali"), default=0)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        ordering = ["-priority", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"],
                condition=Q(status__in=["suspected", "verified", "assessed", "in_intervention"])
                & Q(child__isnull=False),
                name="case_one_open_per_child_kind",
            ),
            models.UniqueConstraint(
                fields=["pregnancy", "kind"],
                condition=Q(status__in=["suspected", "verified", "assessed", "in_intervention"])
                & Q(pregnancy__isnull=False),
                name="case_one_open_per_pregnancy_kind",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(pregnancy__isnull=False),
                name="case_has_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kelurahan"], name="case_status_kelurahan"),
            models.Index(fields=["kind", "status"], name="case_kind_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    OPENED = "opened", _("kasus dibuka")
    MEASUREMENT = "measurement", _("pengukuran")
    REMEASURE = "remeasure", _("perlu ukur ulang")
    READY_TO_CLOSE = "ready_to_close", _("siap ditutup")
    VERIFIED = "verified", _("diverifikasi")
    REJECTED = "rejected", _("ditolak")
    ASSESSED = "assessed", _("kebutuhan dinilai")
    INTERVENTION = "intervention", _("intervensi")
    REFERRAL = "referral", _("rujukan")
    TASK = "task", _("tugas OPD")
    ESCALATION = "escalation", _("eskalasi")
    CONTRIBUTION = "contribution", _("kontribusi mitra")
    VISIT = "visit", _("kunjungan bapak asuh")
    REVIEWED = "reviewed", _("ditinjau")
    CLOSED = "closed", _("ditutup")
    REOPENED = "reopened", _("dibuka kembali")
    NOTE = "note", _("catatan")


class CaseEvent(models.Model):
    """One line of a case's timeline (append-only; written by the services)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("waktu"), db_index=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=EventKind.choices)
    actor = actor_fk(_("oleh"))
    text = models.TextField(_("keterangan"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("riwayat kasus")
        verbose_name_plural = _("riwayat kasus")
        ordering = ["at", "pk"]


class NeedStatus(models.TextChoices):
    OPEN = "open", _("belum ditangani")
    PLANNED = "planned", _("direncanakan")
    COVERED = "covered", _("terpenuhi")
    DROPPED = "dropped", _("tidak lagi diperlukan")


class CaseNeed(models.Model):
    """A need assessed on a case (one per case and catalogue entry)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    category = models.ForeignKey(
        NeedCategory, verbose_name=_("kebutuhan"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    quantity = models.CharField(_("jumlah / paket"), max_length=120, blank=True)
    period_months = models.PositiveSmallIntegerField(_("lama (bulan)"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    assessed_at = models.DateTimeField(_("dinilai"))
    assessed_by = actor_fk(_("dinilai oleh"))

    class Meta:
        verbose_name = _("kebutuhan kasus")
        verbose_name_plural = _("kebutuhan kasus")
        constraints = [
            models.UniqueConstraint(fields=["case", "category"], name="case_need_once"),
        ]
