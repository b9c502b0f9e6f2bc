"""What the chatbot platform stores: conversation state, channel contacts and processed
deliveries, chat consent, the (consented) conversation log, handoffs, one-time codes, the
knowledge base edited in the admin, evaluation cases made from logged messages, and the
kader-visit leads from worrying growth checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ConversationState(models.Model):
    """The engine's :class:`tumbuh.chatbot.state.ConversationState` as JSON, one row per
    conversation, so every web process sees the same state (ADR 0040)."""

    conversation_id = models.CharField(_("percakapan"), max_length=120, unique=True)
    channel = models.CharField(_("kanal"), max_length=20, blank=True)
    data = models.JSONField(_("keadaan"), default=dict)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("keadaan percakapan")
        verbose_name_plural = _("keadaan percakapan")

    def __str__(self) -> str:
        return self.conversation_id


class Contact(models.Model):
    """Where a conversation is reached: its channel address, when the person last wrote
    (WhatsApp's 24-hour window) and answers waiting to be delivered."""

    conversation_id = models.CharField(_("percakapan"), max_length=120, unique=True)
    channel = models.CharField(_("kanal"), max_length=20)
    address = models.CharField(
        _("alamat kanal"), max_length=64, blank=True, help_text=_("Nomor WhatsApp / chat id.")
    )
    last_inbound_at = models.DateTimeField(_("pesan terakhir dari pengguna"), null=True)
    pending = models.JSONField(
        _("jawaban menunggu dikirim"),
        default=list,
        blank=True,
        help_text=_("Jawaban petugas yang belum bisa dikirim (di luar jendela 24 jam, atau web)."),
    )

    class Meta:
        verbose_name = _("kontak kanal")
        verbose_name_plural = _("kontak kanal")

    def __str__(self) -> str:
        return self.conversation_id


class ProcessedMessage(models.Model):
    """A channel delivery already handled (WhatsApp message id, Telegram update_id): a
    replayed delivery hits the unique constraint and is skipped."""

    channel = models.CharField(max_length=20)
    message_id = models.CharField(max_length=190)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pesan yang sudah diproses")
        verbose_name_plural = _("pesan yang sudah diproses")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "message_id"], name="messaging_processed_once"
            )
        ]


class ChatConsent(models.Model):
    """One yes or no, with the exact question answered. Append-only: the latest row for a
    subject and purpose is the current answer. (The registry's ``Consent`` is a parent's
    consent about a registered person; a chat subject may be an anonymous conversation.)"""

    subject = models.CharField(_("subjek"), max_length=160, db_index=True)
    purpose = models.CharField(_("tujuan"), max_length=30)
    granted = models.BooleanField(_("setuju"))
    channel = models.CharField(_("kanal"), max_length=20, blank=True)
    wording = models.TextField(_("pertanyaan yang dijawab"), blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("persetujuan chat")
        verbose_name_plural = _("persetujuan chat")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "purpose", "-id"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.purpose} {'ya' if self.granted else 'tidak'}"


class LoggedMessage(models.Model):
    """One message and its reply, kept only with the person's consent (conversation_log)."""

    conversation_id = models.CharField(_("percakapan"), max_length=120, db_index=True)
    channel = models.CharField(_("kanal"), max_length=20)
    at = models.DateTimeField(_("waktu"))
    text = models.TextField(_("pesan"))
    reply = models.TextField(_("jawaban"))
    intent = models.CharField(_("intent"), max_length=40)
    topics = models.JSONField(_("topik"), default=list, blank=True)
    confidence = models.FloatField(_("keyakinan"), default=0.0)

    class Meta:
        verbose_name = _("pesan tercatat")
        verbose_name_plural = _("pesan tercatat (dengan persetujuan)")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class HandoffStatus(models.TextChoices):
    OPEN = "open", _("Menunggu petugas")
    CLAIMED = "claimed", _("Ditangani petugas")
    CLOSED = "closed", _("Selesai")


class HandoffRequest(models.Model):
    """A conversation passed to a kader or nutrition officer of the person's kelurahan."""

    conversation_id = models.CharField(_("percakapan"), max_length=120, db_index=True)
    channel = models.CharField(_("kanal"), max_length=20)
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    kelurahan_name = models.CharField(_("kelurahan (dari percakapan)"), max_length=120, blank=True)
    reason = models.TextField(_("pesan terakhir"), blank=True)
    transcript = models.JSONField(_("riwayat percakapan"), default=list, blank=True)
    person_id = models.CharField(_("orang terverifikasi"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HandoffStatus.choices, default=HandoffStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("diambil"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = _("alih ke petugas")
        verbose_name_plural = _("alih ke petugas")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation_id"],
                condition=~Q(status="closed"),
                name="messaging_one_active_handoff",
            )
        ]

    def __str__(self) -> str:
        return f"H{self.pk:05d}" if self.pk else "H-"

    @property
    def ticket(self) -> str:
        return str(self)


class HandoffMessage(models.Model):
    """A message in a handoff: the person's (forwarded by the bot) or the officer's answer."""

    class Author(models.TextChoices):
        USER = "user", _("Pengguna")
        AGENT = "agent", _("Petugas")

    handoff = models.ForeignKey(HandoffRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=5, choices=Author.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    at = models.DateTimeField()
    delivery = models.CharField(
        _("pengiriman"),
        max_length=12,
        blank=True,
        help_text=_("sent, template (di luar jendela 24 jam), pending (web) atau failed."),
    )

    class Meta:
        ordering = ["at", "id"]


class OneTimeCode(models.Model):
    """A verification code sent to a phone known to the registry: only its HMAC is stored;
    it expires, allows a few attempts and is used once."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode verifikasi")
        verbose_name_plural = _("kode verifikasi")


class KnowledgeEntry(models.Model):
    """One curated chatbot answer, edited in the admin; validated by the engine's own rules
    (:func:`tumbuh.chatbot.knowledge.parse_entry`). While the table has no published entry the
    bot uses the files shipped with the package."""

    entry_id = models.SlugField(_("id"), max_length=80, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    questions = models.TextField(_("contoh pertanyaan"), help_text=_("Satu pertanyaan per baris."))
    answer = models.TextField(_("jawaban"))
    sources = models.JSONField(
        _("sumber"),
        default=list,
        help_text=_('Daftar {"organisation", "document", "year", "url"?, "note"?}.'),
    )
    reviewed = models.DateField(_("ditinjau"))
    tags = models.CharField(_("tag"), max_length=300, blank=True, help_text=_("Pisahkan koma."))
    related = models.CharField(
        _("entri terkait"), max_length=300, blank=True, help_text=_("Id entri, pisahkan koma.")
    )
    audience = models.CharField(_("sasaran"), max_length=200, blank=True)
    published = models.BooleanField(_("terbit"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("entri pengetahuan chatbot")
        verbose_name_plural = _("pengetahuan chatbot")
        ordering = ["entry_id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.title}"


class EvalCase(models.Model):
    """A logged message a reviewer turned into an evaluation case (eval/chatbot format)."""

    case_id = models.CharField(_("id kasus"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=30, default="clean")
    text = models.TextField(_("pesan"))
    expect = models.JSONField(
        _("harapan"),
        default=dict,
        help_text=_('Mis. {"topic": "mpasi-kapan-mulai"} atau {"behaviour": "urgent"}.'),
    )
    source = models.ForeignKey(
        LoggedMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kasus evaluasi")
        verbose_name_plural = _("kasus evaluasi chatbot")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.case_id

    def as_case(self) -> dict[str, object]:
        """One line of ``eval/chatbot/*.jsonl``."""
        return {
            "id": self.case_id,
            "kind": self.kind,
            "text": self.text,
            "expect": self.expect,
            "from": "conversation log (admin review)",
        }


class LeadStatus(models.TextChoices):
    NEW = "new", _("Baru")
    CONTACTED = "contacted", _("Sudah dihubungi")
    MEASURED = "measured", _("Sudah diukur di posyandu")
    NOT_FOUND = "not_found", _("Tidak ditemukan")
    WITHDRAWN = "withdrawn", _("Persetujuan ditarik")


#: Statuses in which a lead is still open (the kader has work to do).
OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED)


class LeadReason(models.TextChoices):
    STUNTED = "stunted", _("Pendek/sangat pendek (TB/U)")
    SEVERELY_WASTED = "severely_wasted", _("Gizi buruk (BB/TB)")
    FALLING = "falling", _("Berat tidak naik (kata orang tua)")


class VisitLead(models.Model):
    """A worrying chatbot growth check the parent agreed to pass on: a kader should visit.

    Only what the parent typed in the chat (phone, kelurahan, sex, age, weight, length and the
    growth engine's categories) plus the consent row. ``child`` is set when the registry
    already knows the child (same phone and birth date), so it is not entered twice; the
    person chatting is never told either way (issue 10).
    """

    conversation_id = models.CharField(_("percakapan"), max_length=120, db_index=True)
    channel = models.CharField(_("kanal"), max_length=20)
    phone = models.CharField(_("nomor HP"), max_length=20)
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="visit_leads",
    )
    reason = models.CharField(_("alasan"), max_length=20, choices=LeadReason.choices)
    sex = models.PositiveSmallIntegerField(_("jenis kelamin"), null=True, blank=True)
    age_months = models.FloatField(_("umur (bulan, dari chat)"), null=True, blank=True)
    weight_kg = models.FloatField(_("berat (kg, dari chat)"), null=True, blank=True)
    lenhei_cm = models.FloatField(_("panjang/tinggi (cm, dari chat)"), null=True, blank=True)
    categories = models.JSONField(_("kategori (cek chatbot)"), default=dict, blank=True)
    consent = models.ForeignKey(
        ChatConsent,
        verbose_name=_("persetujuan"),
        on_delete=models.PROTECT,
        related_name="visit_leads",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    child = models.ForeignKey(
        "registry.Child",
        verbose_name=_("anak di registri"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_leads",
    )
    measurement = models.ForeignKey(
        "registry.Measurement",
        verbose_name=_("pengukuran yang menutup"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_leads",
    )
    note = models.TextField(_("catatan kader"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditangani oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_leads",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan kunjungan kader")
        verbose_name_plural = _("permintaan kunjungan kader")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kelurahan", "status"], name="messaging_lead_area")]

    def __str__(self) -> str:
        return f"K{self.pk:05d}" if self.pk else "K-"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LEAD_STATUSES
