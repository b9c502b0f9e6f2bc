"""Forms of the partners pages: input shape only; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumbuh.organisations.models import PARTNER_KINDS, Kind
from tumbuh.partners.models import Visibility
from tumbuh.registry.models import ConsentMethod
from tumbuh.wilayah.models import Level, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _kelurahan_choices() -> list[tuple[str, str]]:
    return [
        (r.code, f"{r.name} ({r.parent.name if r.parent else ''})")
        for r in Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.")
        .select_related("parent")
        .order_by("parent__name", "name")
    ]


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Nama organisasi / nama lengkap"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Jenis mitra"),
        choices=[(k, label) for k, label in Kind.choices if k in PARTNER_KINDS],
    )
    contact_name = forms.CharField(label=_("Nama kontak"), max_length=150)
    contact_phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    kelurahan = forms.MultipleChoiceField(
        label=_("Kelurahan yang ingin dibantu"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Tahan Ctrl (atau sentuh lama di HP) untuk memilih lebih dari satu."),
    )
    description = forms.CharField(
        label=_("Bantuan yang ingin diberikan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    username = forms.CharField(label=_("Nama pengguna untuk masuk"), max_length=150)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)
    public_listing = forms.BooleanField(
        label=_("Saya bersedia nama organisasi dan jumlah bantuan tampil di halaman penghargaan"),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kelurahan"].choices = _kelurahan_choices()  # type: ignore[attr-defined]


class PledgeForm(forms.Form):
    description = forms.CharField(
        label=_("Apa yang akan Anda berikan"),
        max_length=250,
        help_text=_("Mis. telur 1 butir sehari, paket makanan bergizi BAAS."),
    )
    amount_rupiah = forms.IntegerField(label=_("Nilai seluruhnya (Rp)"), min_value=1)
    quantity = forms.CharField(label=_("Jumlah / paket"), max_length=120, required=False)
    period_months = forms.IntegerField(
        label=_("Lama (bulan)"), min_value=1, max_value=24, required=False
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan / alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AllocateForm(forms.Form):
    need = forms.IntegerField(label=_("Nomor kebutuhan"), min_value=1)
    amount_rupiah = forms.IntegerField(label=_("Nilai (Rp)"), min_value=1)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Tanggal diantar"), widget=DATE)
    quantity = forms.CharField(label=_("Apa dan berapa yang diantar"), max_length=120)
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["delivered_on"].initial = timezone.localdate()


class VerifyForm(forms.Form):
    received = forms.TypedChoiceField(
        label=_("Diterima keluarga?"),
        choices=[("1", _("Ya, diterima")), ("0", _("Tidak diterima"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    eaten = forms.TypedChoiceField(
        label=_("Untuk makanan: dikonsumsi anak?"),
        choices=[("", _("Bukan makanan / tidak tahu")), ("1", _("Ya")), ("0", _("Belum"))],
        coerce=lambda v: {"1": True, "0": False}.get(v),
        empty_value=None,
        required=False,
    )
    note = forms.CharField(
        label=_("Catatan bukti"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photo = forms.ImageField(label=_("Foto bukti"), required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Tanggal kunjungan"), widget=DATE)
    child_seen = forms.TypedChoiceField(
        label=_("Anak ditemui?"),
        choices=[("1", _("Ya")), ("0", _("Tidak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    companions = forms.CharField(label=_("Yang ikut datang"), max_length=250, required=False)
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photo = forms.ImageField(label=_("Foto (lokasi di foto dihapus otomatis)"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["visited_on"].initial = timezone.localdate()


class AssignForm(forms.Form):
    child = forms.IntegerField(label=_("Nomor anak (dari halaman anak)"), min_value=1)
    patron = forms.CharField(label=_("Nama pengguna bapak asuh"), max_length=150)
    visibility = forms.ChoiceField(label=_("Yang boleh dilihat"), choices=Visibility.choices)
    consent_by_name = forms.CharField(label=_("Persetujuan dari (nama)"), max_length=150)
    consent_relationship = forms.CharField(label=_("Hubungan dengan anak"), max_length=60)
    consent_method = forms.ChoiceField(label=_("Cara persetujuan"), choices=ConsentMethod.choices)
    consent_on = forms.DateField(label=_("Tanggal persetujuan"), widget=DATE)
    started_on = forms.DateField(label=_("Mulai diasuh"), widget=DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan / siapa yang menarik persetujuan"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
