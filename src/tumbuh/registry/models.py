"""Registry data: fields, constraints and cheap properties only.

Writes go through ``registry.services`` (validation, the growth engine, audit); reads of
people's data go through ``registry.selectors`` (scoped by role and area). A ``Person`` is an
identity (name, NIK, family); ``Child`` and ``Mother`` are the roles a person has here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumbuh.growth.categories import Category
from tumbuh.registry.identity import mask_nik
from tumbuh.wilayah.models import Level

#: Pregnancy risk rules (DOMAIN.md 2.7, Kemenkes): KEK below this LiLA, anaemia below this Hb.
KEK_LILA_BELOW_CM = 23.5
ANAEMIA_HB_BELOW_G_DL = 11.0
#: Naegele's rule: HPL = HPHT + 280 days.
PREGNANCY_DAYS = 280


class Sex(models.IntegerChoices):
    """WHO's coding: 1 boy, 2 girl."""

    MALE = 1, _("Laki-laki")
    FEMALE = 2, _("Perempuan")


class Source(models.TextChoices):
    """How a record came in."""

    FORM = "form", _("formulir")
    IMPORT = "import", _("impor berkas")
    API = "api", _("API")
    DEMO = "demo", _("data demo")


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(
        _("data demo"), default=False, help_text=_("Data sintetis: bukan orang sungguhan.")
    )

    class Meta:
        abstract = True


class Family(Timestamped):
    """A household, ideally with its Kartu Keluarga (KK) number, and its domicile address."""

    kk_number = models.CharField(_("nomor KK"), max_length=16, null=True, blank=True, unique=True)
    head_name = models.CharField(_("nama kepala keluarga"), max_length=150, blank=True)
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan/desa"),
        on_delete=models.PROTECT,
        related_name="families",
        limit_choices_to={"level": Level.VILLAGE},
    )
    rw = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("RW"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="families_in_rw",
        limit_choices_to={"level": Level.RW},
    )
    rt = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("RT"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="families_in_rt",
        limit_choices_to={"level": Level.RT},
    )
    address_line = models.CharField(
        _("alamat (jalan, gang, nomor rumah)"), max_length=250, blank=True
    )
    phone = models.CharField(_("nomor HP keluarga"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        constraints = [
            models.CheckConstraint(
                condition=Q(kk_number__isnull=True) | Q(kk_number__regex=r"^[0-9]{16}$"),
                name="registry_family_kk_16_digits",
            )
        ]

    def __str__(self) -> str:
        return f"Keluarga {self.head_name or self.pk}"

    @property
    def kk_masked(self) -> str:
        return mask_nik(self.kk_number)

    @property
    def address(self) -> str:
        """``Jl. Mawar 3, RT 002/RW 003, Kel. Sempur, Kec. Bogor Tengah``."""
        parts = [self.address_line] if self.address_line else []
        if self.rt_id and self.rw_id:
            parts.append(f"RT {self.rt.name}/RW {self.rw.name}")
        elif self.rw_id:
            parts.append(f"RW {self.rw.name}")
        parts.append(f"Kel. {self.kelurahan.name}")
        if self.kelurahan.parent_id:
            parts.append(f"Kec. {self.kelurahan.parent.name}")
        return ", ".join(parts)


class Relationship(models.TextChoices):
    """Hubungan dalam keluarga (as printed on the KK)."""

    HEAD = "kepala", _("Kepala keluarga")
    WIFE = "istri", _("Istri")
    HUSBAND = "suami", _("Suami")
    CHILD = "anak", _("Anak")
    OTHER = "lainnya", _("Lainnya")


class Person(Timestamped):
    """An identity: name, NIK (optional: newborns often have none yet), sex, birth date."""

    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    name = models.CharField(_("nama lengkap"), max_length=150, db_index=True)
    sex = models.PositiveSmallIntegerField(_("jenis kelamin"), choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    family = models.ForeignKey(
        Family,
        verbose_name=_("keluarga"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    relationship = models.CharField(
        _("hubungan dalam keluarga"), max_length=10, choices=Relationship.choices, blank=True
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"),
                name="registry_person_nik_16_digits",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)


class Mother(Timestamped):
    """A woman followed for pregnancy and breastfeeding (ibu hamil, ibu menyusui)."""

    person = models.OneToOneField(
        Person, verbose_name=_("orang"), on_delete=models.PROTECT, related_name="mother"
    )
    posyandu = models.ForeignKey(
        "wilayah.Posyandu",
        verbose_name=_("posyandu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mothers",
    )

    class Meta:
        verbose_name = _("ibu")
        verbose_name_plural = _("ibu")

    def __str__(self) -> str:
        return self.person.name


class ChildStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    MOVED = "moved", _("Pindah")
    DECEASED = "deceased", _("Meninggal")


class Child(Timestamped):
    """A child followed by the registry (under-fives above all)."""

    person = models.OneToOneField(
        Person, verbose_name=_("orang"), on_delete=models.PROTECT, related_name="child"
    )
    mother = models.ForeignKey(
        Mother,
        verbose_name=_("ibu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    father = models.ForeignKey(
        Person,
        verbose_name=_("ayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fathered",
    )
    posyandu = models.ForeignKey(
        "wilayah.Posyandu",
        verbose_name=_("posyandu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    birth_weight_kg = models.DecimalField(
        _("berat lahir (kg)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    birth_length_cm = models.DecimalField(
        _("panjang lahir (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    birth_order = models.PositiveSmallIntegerField(_("anak ke-"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChildStatus.choices, default=ChildStatus.ACTIVE
    )
    latest_measurement = models.ForeignKey(
        "Measurement",
        verbose_name=_("pengukuran terakhir"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("anak")
        verbose_name_plural = _("anak")

    def __str__(self) -> str:
        return self.person.name

    @property
    def birth_date(self) -> dt.date:
        assert self.person.birth_date is not None  # children always have one (service rule)
        return self.person.birth_date


class PregnancyOutcome(models.TextChoices):
    ONGOING = "ongoing", _("Sedang hamil")
    LIVE_BIRTH = "live_birth", _("Lahir hidup")
    STILLBIRTH = "stillbirth", _("Lahir mati")
    MISCARRIAGE = "miscarriage", _("Keguguran")


class Pregnancy(Timestamped):
    """One pregnancy with the figures the Kemenkes risk rules read (DOMAIN.md 2.7).

    ``is_kek`` (LiLA < 23.5 cm) and ``is_anaemic`` (Hb < 11 g/dL) are derived by the service
    from ``lila_cm`` and ``hb_g_dl`` and stored so that lists can filter on them.
    """

    mother = models.ForeignKey(
        Mother, verbose_name=_("ibu"), on_delete=models.PROTECT, related_name="pregnancies"
    )
    hpht = models.DateField(_("HPHT (hari pertama haid terakhir)"), null=True, blank=True)
    due_date = models.DateField(_("HPL (hari perkiraan lahir)"), null=True, blank=True)
    gravida = models.PositiveSmallIntegerField(_("kehamilan ke-"), null=True, blank=True)
    lila_cm = models.DecimalField(
        _("LiLA (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hb_g_dl = models.DecimalField(
        _("Hb (g/dL)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    iron_tablets_taken = models.PositiveSmallIntegerField(
        _("tablet tambah darah diminum"), default=0
    )
    anc_visits = models.PositiveSmallIntegerField(_("kunjungan ANC"), default=0)
    is_kek = models.BooleanField(_("KEK"), default=False, editable=False)
    is_anaemic = models.BooleanField(_("anemia"), default=False, editable=False)
    outcome = models.CharField(
        _("hasil"),
        max_length=12,
        choices=PregnancyOutcome.choices,
        default=PregnancyOutcome.ONGOING,
    )
    ended_on = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    child = models.ForeignKey(
        Child,
        verbose_name=_("anak yang lahir"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kehamilan")
        verbose_name_plural = _("kehamilan")
        constraints = [
            models.CheckConstraint(
                condition=Q(hpht__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gt=models.F("hpht")),
                name="registry_pregnancy_due_after_hpht",
            )
        ]

    def __str__(self) -> str:
        return f"Kehamilan {self.mother} (HPL {self.due_date or '-'})"


class BreastfeedingKind(models.TextChoices):
    EXCLUSIVE = "exclusive", _("ASI eksklusif")
    PARTIAL = "partial", _("ASI dengan makanan/minuman lain")


class BreastfeedingPeriod(Timestamped):
    """A span of breastfeeding of one child (exclusive for the first six months, ideally)."""

    child = models.ForeignKey(
        Child, verbose_name=_("anak"), on_delete=models.PROTECT, related_name="breastfeeding"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=BreastfeedingKind.choices)
    started_on = models.DateField(_("mulai"))
    ended_on = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("masa menyusui")
        verbose_name_plural = _("masa menyusui")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="registry_breastfeeding_end_after_start",
            )
        ]


class Position(models.TextChoices):
    """How length/height was measured (WHO ``measure``)."""

    LYING = "l", _("berbaring (panjang badan)")
    STANDING = "h", _("berdiri (tinggi badan)")


CATEGORY_CHOICES = [(c.value, c.label) for c in Category]


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def active(self) -> MeasurementQuerySet:
        """Measurements that count: not withdrawn. Every reader of measurements (growth chart,
        lists, dashboard, API, cases) starts here."""
        return self.filter(withdrawn_at__isnull=True)


class Measurement(models.Model):
    """One anthropometric measurement, with the growth engine's verdict stored once.

    The z-scores (rounded to 2 decimals as WHO reports them), flags, Permenkes 2/2020 category
    codes (``tumbuh.growth.Category`` values), the reason for every empty z-score and the
    provenance are written by ``measurement_record``; nothing else computes them. ``trend`` and
    ``two_t`` (KMS N/T/O/B, 2T) depend on the child's whole series and are refreshed by the
    service whenever the series changes.
    """

    child = models.ForeignKey(
        Child, verbose_name=_("anak"), on_delete=models.PROTECT, related_name="measurements"
    )
    measured_on = models.DateField(_("tanggal ukur"))
    age_days = models.PositiveIntegerField(_("umur (hari)"))
    weight_kg = models.DecimalField(
        _("berat badan (kg)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    length_cm = models.DecimalField(
        _("panjang/tinggi badan (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    position = models.CharField(_("cara ukur"), max_length=1, choices=Position.choices, blank=True)
    head_circumference_cm = models.DecimalField(
        _("lingkar kepala (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    arm_circumference_cm = models.DecimalField(
        _("LiLA (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    oedema = models.BooleanField(_("edema"), default=False)
    posyandu = models.ForeignKey(
        "wilayah.Posyandu",
        verbose_name=_("posyandu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
    )
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diukur oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements_taken",
    )
    measured_by_name = models.CharField(_("nama pengukur"), max_length=150, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    # --- computed once by tumbuh.growth --------------------------------------------------
    clenhei = models.FloatField(_("panjang/tinggi terkoreksi (cm)"), null=True, blank=True)
    cbmi = models.FloatField(_("IMT"), null=True, blank=True)
    zlen = models.FloatField("z PB/U-TB/U", null=True, blank=True)
    zwei = models.FloatField("z BB/U", null=True, blank=True)
    zwfl = models.FloatField("z BB/PB-BB/TB", null=True, blank=True)
    zbmi = models.FloatField("z IMT/U", null=True, blank=True)
    zhc = models.FloatField("z LK/U", null=True, blank=True)
    zac = models.FloatField("z LiLA/U", null=True, blank=True)
    flen = models.BooleanField(default=False)
    fwei = models.BooleanField(default=False)
    fwfl = models.BooleanField(default=False)
    fbmi = models.BooleanField(default=False)
    fhc = models.BooleanField(default=False)
    fac = models.BooleanField(default=False)
    category_bbu = models.CharField("BB/U", max_length=32, choices=CATEGORY_CHOICES, blank=True)
    category_tbu = models.CharField(
        "PB/U-TB/U", max_length=32, choices=CATEGORY_CHOICES, blank=True
    )
    category_bbtb = models.CharField(
        "BB/PB-BB/TB", max_length=32, choices=CATEGORY_CHOICES, blank=True
    )
    category_imtu = models.CharField("IMT/U", max_length=32, choices=CATEGORY_CHOICES, blank=True)
    reasons = models.JSONField(
        _("alasan z-score kosong"), default=dict, blank=True, help_text="{zlen: reason code}"
    )
    is_stunted = models.BooleanField(_("stunting"), default=False, db_index=True)
    standard = models.CharField(_("standar WHO"), max_length=60)
    engine = models.CharField(_("versi mesin"), max_length=40)
    tables = models.CharField(_("tabel"), max_length=80)
    provenance = models.JSONField(_("asal perhitungan"), default=dict)
    trend = models.CharField(_("tren BB (N/T/O/B)"), max_length=1, blank=True)
    two_t = models.BooleanField(_("2T"), default=False)

    # --- trust: confirmation of implausible values, withdrawal (ADR 0053) ------------------
    confirmed_warnings = models.JSONField(
        _("peringatan yang dikonfirmasi"),
        default=list,
        blank=True,
        help_text=_("Peringatan nilai tidak wajar yang dilihat dan dikonfirmasi pencatat."),
    )
    needs_review = models.BooleanField(
        _("perlu diperiksa"),
        default=False,
        db_index=True,
        help_text=_("Nilai tidak wajar (tanda WHO) dari impor, belum dikonfirmasi seseorang."),
    )
    withdrawn_at = models.DateTimeField(_("ditarik pada"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditarik oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements_withdrawn",
    )
    withdrawal_reason = models.CharField(_("alasan penarikan"), max_length=300, blank=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengukuran")
        verbose_name_plural = _("pengukuran")
        ordering = ["child_id", "measured_on"]
        constraints = [
            # One counting measurement a day; a withdrawn one does not block its replacement.
            models.UniqueConstraint(
                fields=["child", "measured_on"],
                condition=Q(withdrawn_at__isnull=True),
                name="registry_measurement_one_active_per_day",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=False) | Q(length_cm__isnull=False),
                name="registry_measurement_weight_or_length",
            ),
        ]
        indexes = [models.Index(fields=["measured_on"])]

    def __str__(self) -> str:
        return f"{self.child} {self.measured_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def category(self, index: str) -> Category | None:
        value = getattr(self, f"category_{index}")
        return Category(value) if value else None

    @property
    def age_months(self) -> float:
        return self.age_days / 30.4375


class ConsentPurpose(models.TextChoices):
    REGISTRY = "registry", _("Pencatatan dan pemantauan pertumbuhan")
    CASE_HANDLING = "case", _("Penanganan kasus oleh TPPS dan puskesmas")
    PARTNER_SHARING = "partner", _("Dibagikan (tersamar) kepada mitra/bapak asuh")
    MESSAGES = "messages", _("Pesan pengingat lewat WhatsApp/SMS")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Tertulis (ditandatangani)")
    VERBAL = "verbal", _("Lisan, disaksikan petugas")
    DIGITAL = "digital", _("Digital (aplikasi/pesan)")


class Consent(Timestamped):
    """Consent of the parent or guardian to process a person's data for one purpose
    (UU 27/2022 Pasal 20-25: children's data need the parent's or guardian's consent)."""

    subject = models.ForeignKey(
        Person, verbose_name=_("data milik"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("tujuan"), max_length=10, choices=ConsentPurpose.choices)
    given_by_name = models.CharField(_("diberikan oleh"), max_length=150)
    given_by_relationship = models.CharField(_("hubungan"), max_length=60)
    method = models.CharField(_("cara"), max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField(_("tanggal persetujuan"))
    withdrawn_on = models.DateField(_("ditarik pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {self.given_by_name}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class ChildAssignment(Timestamped):
    """A child assigned to a user outside the area roles: a partner / bapak asuh (who sees
    the child pseudonymised unless the family agreed otherwise). The partners app will hang
    pledges and the fortnightly visit plan on this."""

    child = models.ForeignKey(
        Child, verbose_name=_("anak"), on_delete=models.PROTECT, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.PROTECT,
        related_name="child_assignments",
    )
    started_on = models.DateField(_("mulai"))
    ended_on = models.DateField(_("selesai"), null=True, blank=True)
    show_name = models.BooleanField(
        _("keluarga setuju nama ditampilkan"),
        default=False,
        help_text=_("Jika tidak, mitra hanya melihat inisial dan umur."),
    )

    class Meta:
        verbose_name = _("penugasan anak")
        verbose_name_plural = _("penugasan anak")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"],
                condition=Q(ended_on__isnull=True),
                name="registry_assignment_one_open",
            )
        ]


# The link queue (issue 11, finding 1) lives in its own module; Django finds it here.
from tumbuh.registry.links import LinkKind, LinkRequest, LinkStatus  # noqa: E402, F401
