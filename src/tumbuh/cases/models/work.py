"""Interventions, referrals and tasks to OPD: the work done on a case's assessed needs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumbuh.cases.models.cases import Case, CaseNeed, actor_fk


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
    created_by = actor_fk(_("dibuat oleh"))
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
    created_by = actor_fk(_("dibuat oleh"))
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
    assigned_by = actor_fk(_("ditugaskan oleh"))
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
    actor = actor_fk(_("oleh"))
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
