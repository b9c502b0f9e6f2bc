"""Cases, needs, interventions, referrals and tasks (ARCHITECTURE.md, part 3 and contracts).

A case belongs to one child (or one pregnancy) and one kind; at most one case per subject and
kind is open at a time (a partial unique constraint). Every change of state is a service in
``cases.services`` that writes a :class:`CaseEvent` (the timeline) and an audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    priority = models.PositiveSmallIntegerField(
        _("prioritas"), default=0, db_index=True, help_text=_("Makin tinggi makin mendesak.")
    )
    opened_at = models.DateTimeField(_("dibuka"), db_index=True)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    assessed_at = models.DateTimeField(_("kebutuhan dinilai"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("terakhir ditinjau"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditutup oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
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
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dinilai oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("kebutuhan kasus")
        verbose_name_plural = _("kebutuhan kasus")
        constraints = [
            models.UniqueConstraint(fields=["case", "category"], name="case_need_once"),
        ]


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("direncanakan")
    IN_PROGRESS = "in_progress", _("berjalan")
    DELIVERED = "delivered", _("diberikan")
    NOT_DELIVERED = "not_delivered", _("tidak diberikan")


class Intervention(models.Model):
    """What is done for one assessed need, by one owner (an OPD, or a partner), by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    need = models.ForeignKey(
        CaseNeed,
        verbose_name=_("kebutuhan"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    package = models.CharField(_("jumlah / paket"), max_length=200, blank=True)
    due_date = models.DateField(_("tenggat"))
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=InterventionStatus.choices,
        default=InterventionStatus.PLANNED,
    )
    reason = models.TextField(_("alasan (bila tidak diberikan)"), blank=True)
    note = models.TextField(_("catatan"), blank=True)
    evidence_note = models.TextField(_("bukti (catatan)"), blank=True)
    evidence_file = models.FileField(
        _("bukti (berkas/foto)"), upload_to="evidence/%Y/%m/", blank=True
    )
    delivered_on = models.DateField(_("tanggal diberikan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("intervensi")
        verbose_name_plural = _("intervensi")
        ordering = ["due_date", "pk"]
        constraints = [
            # The same need is not given to the same owner twice while one is still planned
            # or running ("the same intervention twice" is refused).
            models.UniqueConstraint(
                fields=["need", "owner"],
                condition=Q(status__in=["planned", "in_progress"]),
                name="intervention_once_per_need_owner",
            )
        ]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("dirujuk")
    ARRIVED = "arrived", _("diterima faskes")
    COMPLETED = "completed", _("selesai, ada hasil")
    NOT_ARRIVED = "not_arrived", _("tidak datang")


class Referral(models.Model):
    """A referral to a puskesmas or hospital, with its reason and the outcome that came back."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to_puskesmas = models.ForeignKey(
        "wilayah.Puskesmas",
        verbose_name=_("ke puskesmas"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_facility = models.CharField(_("ke fasilitas lain (RS)"), max_length=200, blank=True)
    reason = models.TextField(_("alasan rujukan"))
    referred_on = models.DateField(_("tanggal rujuk"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    outcome = models.TextField(_("hasil rujukan"), blank=True)
    outcome_on = models.DateField(_("tanggal hasil"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["referred_on", "pk"]


class TaskStatus(models.TextChoices):
    OPEN = "open", _("baru")
    ACCEPTED = "accepted", _("diterima")
    DONE = "done", _("selesai")
    REJECTED = "rejected", _("ditolak")


class Task(models.Model):
    """A task from the command (TPPS) or the puskesmas to an organisation, with a deadline.

    Most tasks carry out an intervention; ``escalation_level`` is the highest step of the
    escalation ladder (settings.TASK_ESCALATION) already taken."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    intervention = models.OneToOneField(
        Intervention,
        verbose_name=_("intervensi"),
        on_delete=models.CASCADE,
        related_name="task",
        null=True,
        blank=True,
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("OPD / organisasi"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField(_("tugas"), max_length=250)
    description = models.TextField(_("uraian"), blank=True)
    due_date = models.DateField(_("tenggat"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditugaskan oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    assigned_at = models.DateTimeField(_("ditugaskan"))
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    completion_note = models.TextField(_("catatan penyelesaian"), blank=True)
    evidence_file = models.FileField(_("bukti"), upload_to="evidence/%Y/%m/", blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("tugas")
        verbose_name_plural = _("tugas")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="task_owner_status")]


class TaskUpdateKind(models.TextChoices):
    ASSIGNED = "assigned", _("ditugaskan")
    ACCEPTED = "accepted", _("diterima")
    REJECTED = "rejected", _("ditolak")
    PROGRESS = "progress", _("laporan kemajuan")
    DONE = "done", _("selesai")
    REMINDER = "reminder", _("pengingat tenggat")
    ESCALATED_HEAD = "escalated_head", _("eskalasi ke pimpinan OPD")
    ESCALATED_TPPS = "escalated_tpps", _("eskalasi ke TPPS")


class TaskUpdate(models.Model):
    """One step in a task's life: assignment, acceptance, progress, completion, reminders and
    escalations (visible on the task and, through the case timeline, on the case)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("waktu"))
    kind = models.CharField(_("jenis"), max_length=16, choices=TaskUpdateKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    text = models.TextField(_("keterangan"), blank=True)
    notified = models.JSONField(_("diberi tahu"), default=list, blank=True)

    class Meta:
        verbose_name = _("riwayat tugas")
        verbose_name_plural = _("riwayat tugas")
        ordering = ["at", "pk"]
        constraints = [
            # An escalation step is taken once per task (jobs are safe to run twice).
            models.UniqueConstraint(
                fields=["task", "kind"],
                condition=Q(kind__in=["reminder", "escalated_head", "escalated_tpps"]),
                name="task_escalation_once",
            )
        ]
