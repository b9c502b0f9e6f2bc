"""AuditEvent: one row per create, change, view, denied attempt, export or import.

Append-only. The model refuses ``save()`` on an existing row and ``delete()``; its queryset
refuses ``update()`` and ``delete()``; database triggers (migration 0002) refuse UPDATE on
SQLite and PostgreSQL and DELETE on PostgreSQL. Rows hold identifiers and field *names*, never
the personal data itself, so the log does not become a second copy of the registry.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class Action(models.TextChoices):
    CREATE = "create", _("buat")
    UPDATE = "update", _("ubah")
    VIEW = "view", _("lihat")
    DENIED = "denied", _("ditolak")
    EXPORT = "export", _("ekspor")
    IMPORT = "import", _("impor")
    LOGIN = "login", _("masuk")
    LOGIN_FAILED = "loginfail", _("gagal masuk")
    LOGOUT = "logout", _("keluar")
    LOCKOUT = "lockout", _("dikunci (terlalu banyak gagal masuk)")
    UNLOCK = "unlock", _("buka kunci masuk")
    VERIFY = "verify", _("verifikasi dua langkah")
    PURGE = "purge", _("hapus (retensi)")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self) -> NoReturn:  # type: ignore[override]  # never returns: refused
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be updated")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        help_text=_("Kosong untuk proses sistem (mis. pemuatan data rujukan)."),
    )
    actor_username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    actor_role = models.CharField(_("peran"), max_length=20, blank=True)
    action = models.CharField(_("tindakan"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("jenis objek"), max_length=60)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("kolom yang berubah"), default=list, blank=True)
    detail = models.JSONField(_("keterangan"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("kejadian audit")
        verbose_name_plural = _("log audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        who = self.actor_username or "sistem"
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")
