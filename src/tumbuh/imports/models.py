"""Import jobs and the queue of probable duplicates (fields and constraints only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    VALIDATING = "validating", _("Memeriksa baris")
    WRITING = "writing", _("Menyimpan")
    REJECTED = "rejected", _("Ditolak: ada kesalahan")
    DONE = "done", _("Selesai")
    CHECKED = "checked", _("Selesai diperiksa (uji coba, tidak disimpan)")
    CRASHED = "crashed", _("Gagal (kesalahan sistem)")


FINISHED = frozenset({JobStatus.REJECTED, JobStatus.DONE, JobStatus.CHECKED, JobStatus.CRASHED})


class ImportJob(models.Model):
    """One uploaded file and what became of it. The file's bytes are kept only until the job
    has run (``content`` is emptied then): the registry is the one copy of people's data."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
        help_text=_("Kosong untuk impor sistem dari baris perintah."),
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("ukuran (byte)"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("isi berkas"), default=b"", editable=False)
    dry_run = models.BooleanField(_("uji coba (tanpa menyimpan)"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(_("jumlah baris"), default=0)
    rows_done = models.PositiveIntegerField(_("baris diproses"), default=0)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    children_created = models.PositiveIntegerField(_("anak baru"), default=0)
    children_matched = models.PositiveIntegerField(_("anak sudah terdaftar"), default=0)
    measurements_created = models.PositiveIntegerField(_("pengukuran baru"), default=0)
    measurements_skipped = models.PositiveIntegerField(_("pengukuran sudah ada"), default=0)
    duplicates_queued = models.PositiveIntegerField(_("dugaan data ganda"), default=0)
    message = models.TextField(_("keterangan"), blank=True)
    warnings = models.JSONField(_("peringatan"), default=list, blank=True)
    error_report = models.TextField(
        _("laporan kesalahan (CSV)"), blank=True, help_text=_("baris, kolom, nilai, alasan")
    )

    class Meta:
        verbose_name = _("impor berkas")
        verbose_name_plural = _("impor berkas")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))


class DuplicateReason(models.TextChoices):
    SAME_NIK = "same_nik", _("NIK sama, data diri berbeda")
    NIK_DIFFERS = "nik_differs", _("Nama, tanggal lahir, ibu dan kelurahan sama; NIK berbeda")
    SIMILAR = "similar", _("Nama dan nama ibu mirip; tanggal lahir dan kelurahan sama")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Menunggu keputusan")
    MERGED = "merged", _("Digabung")
    DISMISSED = "dismissed", _("Bukan data ganda")


class DuplicateCandidate(models.Model):
    """Two child records that may be one child. A person decides; nothing merges by itself.

    ``existing`` was in the registry first; ``incoming`` came with ``import_job``. After a
    merge the record that was folded in is gone (its id stays in ``detail``)."""

    existing = models.ForeignKey(
        "registry.Child",
        verbose_name=_("data lama"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    incoming = models.ForeignKey(
        "registry.Child",
        verbose_name=_("data baru"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("alasan"), max_length=12, choices=DuplicateReason.choices)
    score = models.FloatField(_("kemiripan"), help_text=_("0 sampai 1"))
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    import_job = models.ForeignKey(
        ImportJob,
        verbose_name=_("impor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    detail = models.JSONField(_("keterangan"), default=dict, blank=True)
    created_at = models.DateTimeField(_("ditemukan"), auto_now_add=True)
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
        verbose_name = _("dugaan data ganda")
        verbose_name_plural = _("dugaan data ganda")
        ordering = ["status", "-score", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["existing", "incoming"],
                condition=Q(existing__isnull=False, incoming__isnull=False),
                name="imports_duplicate_pair_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.existing_id} / {self.incoming_id})"
