"""Partners' records: sign-up applications, pledges against assessed needs (or a pool TPPS
allocates), scheduled and verified deliveries, patron (bapak asuh) assignments with the
family's consent, visits and visit reminders.

Organisations and their members live in ``tumbuh.organisations``; the child a patron may see
is opened through ``registry.ChildAssignment`` (the one scoping function reads it), and
:class:`Patronage` records the consent and the visibility level on top of it
(docs/decisions/0070-partners-ledger-and-patronage.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumbuh.cases.models.cases import actor_fk


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("menunggu persetujuan TPPS")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


class PartnerApplication(models.Model):
    """A sign-up from the public page (or the chatbot): the organisation is created pending;
    the user account is created when TPPS approves, with the password the applicant chose
    (stored hashed here until then)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisasi"),
        on_delete=models.CASCADE,
        related_name="application",
    )
    username = models.CharField(_("nama pengguna"), max_length=150)
    password_hash = models.CharField(max_length=128, editable=False)
    channel = models.CharField(_("didaftarkan lewat"), max_length=12, default="web")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    public_listing = models.BooleanField(
        _("bersedia tampil di halaman penghargaan publik"), default=False
    )
    submitted_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("ditinjau"), null=True, blank=True)
    reviewed_by = actor_fk(_("ditinjau oleh"))
    review_note = models.TextField(_("catatan peninjauan"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_application",
    )

    class Meta:
        verbose_name = _("pendaftaran mitra")
        verbose_name_plural = _("pendaftaran mitra")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["username"],
                condition=Q(status="pending"),
                name="partner_application_username_pending_once",
            )
        ]


class PartnerProfile(models.Model):
    """What only a partner has beyond the organisation record: the public-listing opt-in."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisasi"),
        on_delete=models.CASCADE,
        related_name="partner_profile",
    )
    public_listing = models.BooleanField(_("tampil di halaman penghargaan publik"), default=False)
    joined_on = models.DateField(_("bergabung"), null=True, blank=True)

    class Meta:
        verbose_name = _("profil mitra")
        verbose_name_plural = _("profil mitra")


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("menunggu persetujuan TPPS")
    APPROVED = "approved", _("disetujui, berjalan")
    COMPLETED = "completed", _("selesai")
    REJECTED = "rejected", _("ditolak")
    CANCELLED = "cancelled", _("dibatalkan")


#: A pledge in these statuses holds its need: nobody else may pledge it.
ACTIVE_PLEDGE_STATUSES = ("pending", "approved", "completed")


class Pledge(models.Model):
    """A partner's promise: for one assessed need (``need``), or a pool (``need`` empty, with
    the kind of help offered in ``category``) that TPPS allocates to needs; each allocation is
    a pledge of its own with ``pool`` set."""

    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    need = models.ForeignKey(
        "cases.CaseNeed",
        verbose_name=_("kebutuhan"),
        on_delete=models.PROTECT,
        related_name="pledges",
        null=True,
        blank=True,
    )
    category = models.ForeignKey(
        "cases.NeedCategory",
        verbose_name=_("jenis bantuan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    pool = models.ForeignKey(
        "self",
        verbose_name=_("dari dana bersama"),
        on_delete=models.PROTECT,
        related_name="allocations",
        null=True,
        blank=True,
    )
    description = models.CharField(_("uraian"), max_length=250)
    amount_rupiah = models.PositiveBigIntegerField(_("nilai (Rp)"))
    quantity = models.CharField(_("jumlah / paket"), max_length=120, blank=True)
    period_months = models.PositiveSmallIntegerField(_("lama (bulan)"), default=1)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PledgeStatus.choices,
        default=PledgeStatus.PENDING,
        db_index=True,
    )
    intervention = models.OneToOneField(
        "cases.Intervention",
        verbose_name=_("intervensi kasus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledge",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = actor_fk(_("dibuat oleh"))
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = actor_fk(_("diputuskan oleh"))
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("janji bantuan")
        verbose_name_plural = _("janji bantuan")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A need is pledged once: a second pledge for a covered (or already pledged) need
            # is refused by the database even if two requests race past the service check.
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(need__isnull=False) & Q(status__in=ACTIVE_PLEDGE_STATUSES),
                name="pledge_once_per_need",
            ),
            models.CheckConstraint(
                condition=Q(pool__isnull=True) | Q(need__isnull=False),
                name="pledge_allocation_has_need",
            ),
        ]
        indexes = [models.Index(fields=["partner", "status"], name="pledge_partner_status")]

    def __str__(self) -> str:
        return f"{self.description} ({self.partner})"

    @property
    def is_pool(self) -> bool:
        return self.need_id is None


class DeliveryStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("terjadwal")
    RECORDED = "recorded", _("diantar, menunggu verifikasi")
    VERIFIED = "verified", _("diterima (terverifikasi)")
    NOT_RECEIVED = "not_received", _("tidak diterima")
    MISSED = "missed", _("terlewat")


class Delivery(models.Model):
    """One scheduled handover of a pledge, then recorded (what, how much, when, by whom) and
    verified by the kader or the puskesmas (received; for food, eaten; a photo or a note)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="deliveries")
    sequence = models.PositiveSmallIntegerField(_("ke-"))
    scheduled_on = models.DateField(_("jadwal"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.SCHEDULED,
        db_index=True,
    )
    delivered_on = models.DateField(_("tanggal diantar"), null=True, blank=True)
    quantity = models.CharField(_("jumlah"), max_length=120, blank=True)
    amount_rupiah = models.PositiveBigIntegerField(_("nilai (Rp)"), default=0)
    note = models.TextField(_("catatan pengantaran"), blank=True)
    recorded_at = models.DateTimeField(_("dicatat"), null=True, blank=True)
    recorded_by = actor_fk(_("dicatat oleh"))
    received = models.BooleanField(_("diterima keluarga"), null=True, blank=True)
    eaten = models.BooleanField(_("dikonsumsi anak"), null=True, blank=True)
    verify_note = models.TextField(_("catatan verifikasi"), blank=True)
    evidence_photo = models.ImageField(
        _("foto bukti"), upload_to="partners/deliveries/%Y/%m/", blank=True
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    verified_by = actor_fk(_("diverifikasi oleh"))
    missed_at = models.DateTimeField(_("ditandai terlewat"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengantaran")
        verbose_name_plural = _("pengantaran")
        ordering = ["scheduled_on", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "sequence"], name="delivery_sequence_once")
        ]


class Visibility(models.TextChoices):
    PSEUDONYM = "pseudonym", _("nama samaran saja")
    NAME = "name", _("nama anak")
    NAME_ADDRESS = "name_address", _("nama anak dan alamat")


class Patronage(models.Model):
    """A child in a bapak asuh's care, with the family's consent: who agreed, when, how, and
    what the patron may see. Opens (and on withdrawal closes) the ``ChildAssignment`` that
    the registry's scoping reads."""

    assignment = models.OneToOneField(
        "registry.ChildAssignment",
        verbose_name=_("penugasan"),
        on_delete=models.PROTECT,
        related_name="patronage",
    )
    child = models.ForeignKey(
        "registry.Child", verbose_name=_("anak"), on_delete=models.PROTECT, related_name="+"
    )
    patron = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bapak asuh"),
        on_delete=models.PROTECT,
        related_name="patronages",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="patronages",
        null=True,
        blank=True,
    )
    pseudonym = models.CharField(_("nama samaran"), max_length=40)
    visibility = models.CharField(
        _("yang boleh dilihat"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PSEUDONYM,
    )
    consent_by_name = models.CharField(_("persetujuan dari"), max_length=150)
    consent_relationship = models.CharField(_("hubungan dengan anak"), max_length=60)
    consent_method = models.CharField(_("cara persetujuan"), max_length=10)
    consent_on = models.DateField(_("tanggal persetujuan"))
    recorded_by = actor_fk(_("dicatat oleh"))
    started_on = models.DateField(_("mulai"))
    visit_every_days = models.PositiveSmallIntegerField(_("kunjungan tiap (hari)"), default=14)
    ended_on = models.DateField(_("selesai"), null=True, blank=True, db_index=True)
    end_reason = models.TextField(_("alasan selesai"), blank=True)
    consent_withdrawn = models.BooleanField(_("persetujuan ditarik"), default=False)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("anak asuh")
        verbose_name_plural = _("anak asuh")
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "patron"],
                condition=Q(ended_on__isnull=True),
                name="patronage_one_open",
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Visit(models.Model):
    """A bapak asuh's visit: when, who came, whether the child was seen, notes, a photo with
    its location data stripped, optionally the measurement the accompanying kader took."""

    patronage = models.ForeignKey(Patronage, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("tanggal kunjungan"), db_index=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    companions = models.CharField(_("yang ikut datang"), max_length=250, blank=True)
    child_seen = models.BooleanField(_("anak ditemui"))
    note = models.TextField(_("catatan"), blank=True)
    photo = models.ImageField(_("foto"), upload_to="partners/visits/%Y/%m/", blank=True)
    measurement = models.ForeignKey(
        "registry.Measurement",
        verbose_name=_("pengukuran oleh kader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        ordering = ["-visited_on", "-pk"]


class VisitReminder(models.Model):
    """A reminder sent (in-app, and by e-mail or WhatsApp when configured) before a visit is
    due; one per patronage, due date and kind, so the daily job can run twice safely."""

    KIND_DUE = "due"
    KIND_OVERDUE = "overdue"

    patronage = models.ForeignKey(Patronage, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(_("jatuh tempo"))
    kind = models.CharField(_("jenis"), max_length=8, default=KIND_DUE)
    sent_at = models.DateTimeField(_("dikirim"))
    channels = models.JSONField(_("saluran"), default=list)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengingat kunjungan")
        verbose_name_plural = _("pengingat kunjungan")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patronage", "due_on", "kind"], name="visit_reminder_once"
            )
        ]
