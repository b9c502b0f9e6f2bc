"""Forms for the kader's phone: plain fields whose text is kept as typed when the service
refuses it. Numbers are text fields (``inputmode=decimal``) so that ``9,5`` and ``9.5`` both
reach the service, which parses and judges them and names the field in its message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumbuh.registry.dates import impossible_date
from tumbuh.registry.models import (
    BreastfeedingKind,
    ConsentMethod,
    Position,
    PregnancyOutcome,
    Sex,
)
from tumbuh.wilayah.models import Posyandu, Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class DateField(forms.DateField):
    """A date field whose refusal of a readable but impossible date says what is wrong
    ("31/02/2024 bukan tanggal yang ada: Februari 2024 hanya sampai tanggal 29.")."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            message = impossible_date(str(value)) if isinstance(value, str) else None
            if message:
                raise ValidationError(message, code="invalid") from None
            raise


def _number_text_field(
    label: str, help_text: str, *, required: bool, inputmode: str
) -> forms.CharField:
    """A number typed as text (``24,5`` is fine; the service parses and judges it), with the
    phone keyboard for numbers."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": inputmode, "autocomplete": "off"}),
    )


def decimal_field(label: str, help_text: str = "", required: bool = False) -> forms.CharField:
    return _number_text_field(label, help_text, required=required, inputmode="decimal")


class MeasurementForm(forms.Form):
    measured_on = DateField(label=_("Tanggal ukur"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    weight_kg = decimal_field(_("Berat badan (kg)"), _("Contoh: 9,4"))
    length_cm = decimal_field(
        _("Panjang/tinggi badan (cm)"), _("Contoh: 74,5. Di bawah 2 tahun: berbaring.")
    )
    position = forms.ChoiceField(
        label=_("Cara ukur"),
        choices=Position.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    head_circumference_cm = decimal_field(_("Lingkar kepala (cm)"))
    arm_circumference_cm = decimal_field(_("Lingkar lengan atas / LiLA (cm)"))
    oedema = forms.BooleanField(
        label=_("Ada edema (bengkak) di kedua punggung kaki"), required=False
    )
    measured_by_name = forms.CharField(label=_("Nama pengukur"), required=False, max_length=150)

    def __init__(self, *args: Any, age_days: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("measured_on", timezone.localdate())
        if age_days is not None:
            kwargs["initial"].setdefault(
                "position", Position.LYING if age_days < 731 else Position.STANDING
            )
        super().__init__(*args, **kwargs)


class MeasurementCorrectForm(MeasurementForm):
    """The stored values, changed where wrong, and why."""

    reason = forms.CharField(
        label=_("Alasan perbaikan"),
        max_length=300,
        help_text=_("Mis. salah ketik berat, salah baca papan ukur."),
    )


class MeasurementWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penarikan"),
        max_length=300,
        help_text=_("Mis. tercatat untuk anak lain, timbangan rusak."),
    )


class ChildRegisterForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap anak"), max_length=150)
    sex = forms.TypedChoiceField(
        label=_("Jenis kelamin"), choices=Sex.choices, coerce=int, widget=forms.RadioSelect
    )
    birth_date = DateField(label=_("Tanggal lahir"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    over_five_confirmed = forms.BooleanField(
        label=_("Anak memang berumur 5 tahun atau lebih (bukan balita)"), required=False
    )
    nik = forms.CharField(
        label=_("NIK anak"),
        required=False,
        max_length=24,
        help_text=_("16 angka, dari KK. Boleh kosong untuk bayi yang belum punya NIK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kk_number = forms.CharField(
        label=_("Nomor KK"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    mother_name = forms.CharField(label=_("Nama ibu kandung"), max_length=150)
    mother_nik = forms.CharField(
        label=_("NIK ibu"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    father_name = forms.CharField(label=_("Nama ayah"), required=False, max_length=150)
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), queryset=Region.objects.none())
    rw = forms.IntegerField(label=_("RW"), required=False, min_value=1, max_value=999)
    rt = forms.IntegerField(label=_("RT"), required=False, min_value=1, max_value=999)
    address_line = forms.CharField(
        label=_("Alamat (jalan, gang, nomor rumah)"), required=False, max_length=250
    )
    phone = forms.CharField(label=_("Nomor HP keluarga"), required=False, max_length=20)
    posyandu = forms.ModelChoiceField(
        label=_("Posyandu"), queryset=Posyandu.objects.none(), required=False
    )
    birth_weight_kg = decimal_field(_("Berat lahir (kg)"))
    birth_length_cm = decimal_field(_("Panjang lahir (cm)"))
    consent_given_by = forms.CharField(
        label=_("Nama orang tua/wali yang menyetujui"), max_length=150
    )
    consent_relationship = forms.CharField(
        label=_("Hubungan dengan anak"), max_length=60, initial=_("Ibu")
    )
    consent_method = forms.ChoiceField(
        label=_("Cara persetujuan"), choices=ConsentMethod.choices, initial=ConsentMethod.WRITTEN
    )
    not_duplicate = forms.BooleanField(
        label=_("Ini anak lain, bukan anak yang sudah terdaftar"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "Orang tua/wali telah dijelaskan tujuan pencatatan dan menyetujui data anak "
            "dicatat untuk pemantauan pertumbuhan (UU 27/2022)."
        )
    )

    def __init__(
        self,
        *args: Any,
        kelurahan_qs: Any = None,
        posyandu_qs: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if kelurahan_qs is not None:
            self.fields["kelurahan"].queryset = kelurahan_qs
        if posyandu_qs is not None:
            self.fields["posyandu"].queryset = posyandu_qs

    def clean_birth_weight_kg(self) -> Any:
        return _decimal_or_none(self.cleaned_data["birth_weight_kg"], _("Berat lahir"))

    def clean_birth_length_cm(self) -> Any:
        return _decimal_or_none(self.cleaned_data["birth_length_cm"], _("Panjang lahir"))


class ChildEditForm(forms.Form):
    """A child's identity and the family's address (inside the same kelurahan)."""

    name = forms.CharField(label=_("Nama lengkap anak"), max_length=150)
    sex = forms.TypedChoiceField(
        label=_("Jenis kelamin"), choices=Sex.choices, coerce=int, widget=forms.RadioSelect
    )
    birth_date = DateField(label=_("Tanggal lahir"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    nik = forms.CharField(
        label=_("NIK anak"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_place = forms.CharField(label=_("Tempat lahir"), required=False, max_length=100)
    posyandu = forms.ModelChoiceField(
        label=_("Posyandu"), queryset=Posyandu.objects.none(), required=False
    )
    address_line = forms.CharField(
        label=_("Alamat (jalan, gang, nomor rumah)"),
        required=False,
        max_length=250,
        help_text=_("Alamat berlaku untuk seluruh keluarga (KK) anak ini."),
    )
    rw = forms.IntegerField(label=_("RW"), required=False, min_value=1, max_value=999)
    rt = forms.IntegerField(label=_("RT"), required=False, min_value=1, max_value=999)
    phone = forms.CharField(label=_("Nomor HP keluarga"), required=False, max_length=20)

    def __init__(self, *args: Any, posyandu_qs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if posyandu_qs is not None:
            self.fields["posyandu"].queryset = posyandu_qs


class BreastfeedingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis menyusui"), choices=BreastfeedingKind.choices, widget=forms.RadioSelect
    )
    started_on = DateField(label=_("Mulai"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    ended_on = DateField(
        label=_("Selesai"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        help_text=_("Kosongkan bila masih berlangsung."),
    )


class PregnancyOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hasil kehamilan"), choices=PregnancyOutcome.choices, widget=forms.RadioSelect
    )
    ended_on = DateField(
        label=_("Tanggal berakhir (lahir/keguguran)"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
    )


def count_field(label: str, help_text: str = "") -> forms.CharField:
    return _number_text_field(label, help_text, required=False, inputmode="numeric")


class PregnancyCheckForm(forms.Form):
    """A pregnancy check (pemeriksaan ibu hamil): opens the pregnancy or updates the ongoing
    one. LiLA and Hb reach the service as typed (it parses ``24,5`` and judges the range);
    the counts are parsed here only to whole numbers, and the service judges their range."""

    hpht = DateField(
        label=_("HPHT (hari pertama haid terakhir)"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        help_text=_("HPL dihitung dari HPHT (HPHT + 280 hari)."),
        error_messages={
            "invalid": _("Tanggal HPHT tidak terbaca; isi TTTT-BB-HH."),
            "required": _("Isi HPHT (hari pertama haid terakhir) untuk kehamilan baru."),
        },
    )
    lila_cm = decimal_field(_("LiLA (cm)"), _("Contoh: 24,5. KEK bila di bawah 23,5 cm."))
    hb_g_dl = decimal_field(_("Hb (g/dL)"), _("Contoh: 11,2. Anemia bila di bawah 11 g/dL."))
    iron_tablets_taken = count_field(
        _("Tablet tambah darah (TTD) yang sudah diminum"),
        _("Jumlah sejak awal kehamilan; minimal 90 tablet selama hamil."),
    )
    anc_visits = count_field(
        _("Jumlah kunjungan ANC"),
        _("Jumlah pemeriksaan kehamilan sejauh ini; minimal 6 kali selama hamil."),
    )

    def __init__(self, *args: Any, new_pregnancy: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new pregnancy needs its HPHT; an ongoing one keeps the recorded HPHT/HPL when empty.
        self.fields["hpht"].required = new_pregnancy

    def clean_iron_tablets_taken(self) -> int | None:
        return _int_or_none(self.cleaned_data["iron_tablets_taken"], _("Jumlah TTD"))

    def clean_anc_visits(self) -> int | None:
        return _int_or_none(self.cleaned_data["anc_visits"], _("Jumlah kunjungan ANC"))


def _int_or_none(text: str, label: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise ValidationError(f"{label} harus bilangan bulat, mis. 4.") from exc


def _decimal_or_none(text: str, label: str) -> Any:
    from decimal import Decimal, InvalidOperation

    if not text:
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(f"{label} harus angka, mis. 3,1.") from exc


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields (unknown fields: on the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
