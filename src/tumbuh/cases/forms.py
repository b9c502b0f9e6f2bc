"""Forms of the cases pages. They only shape input; every rule (order of steps, due dates,
owners, the same intervention twice) is checked by ``cases.services``, whose errors come back
on the field they name (:func:`apply_case_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tumbuh.cases.errors import CaseError
from tumbuh.cases.models import NeedCategory, NeedKind, Outcome, ReferralStatus
from tumbuh.organisations.models import Organisation, Status
from tumbuh.wilayah.models import Puskesmas

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_case_error(form: forms.Form, exc: CaseError) -> None:
    """Put a service's Indonesian message on the field it is about (or on the whole form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class VerifyForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("Hasil verifikasi"),
        choices=[
            ("1", _("Terkonfirmasi (diukur ulang, hasilnya sama)")),
            ("0", _("Ditolak: salah ukur")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan (wajib bila ditolak: sebutkan alasannya)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Penyebab dan kebutuhan"),
        required=False,  # "nothing ticked" is refused by the service with its own message
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Catatan penilaian"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, exclude: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = NeedCategory.objects.filter(is_active=True).order_by("sort_order", "code")
        kinds = dict(NeedKind.choices)
        self.groups: list[tuple[str, list[tuple[str, str]]]] = []
        choices: list[tuple[str, str]] = []
        for kind in (NeedKind.SPECIFIC, NeedKind.SENSITIVE):
            entries = [
                (n.code, n.name)
                for n in catalogue
                if n.kind == kind and n.code not in (exclude or ())
            ]
            if entries:
                self.groups.append((str(kinds[kind]), entries))
                choices += entries
        self.fields["needs"].choices = choices


class InterventionForm(forms.Form):
    need = forms.ChoiceField(label=_("Kebutuhan yang ditangani"))
    owner = forms.ModelChoiceField(
        label=_("Penanggung jawab (OPD atau mitra)"),
        queryset=Organisation.objects.none(),
        empty_label=_("— pilih —"),
    )
    due_date = forms.DateField(label=_("Tenggat"), widget=DATE)
    package = forms.CharField(
        label=_("Jumlah / paket (mis. PMT 90 hari)"), required=False, max_length=200
    )
    note = forms.CharField(
        label=_("Uraian tugas"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, needs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = needs
        self.fields["owner"].queryset = Organisation.objects.filter(status=Status.ACTIVE).order_by(
            "kind", "name"
        )


class ReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan rujukan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    to_puskesmas = forms.ModelChoiceField(
        label=_("Ke puskesmas"),
        queryset=Puskesmas.objects.order_by("name"),
        required=False,
        empty_label=_("— tidak —"),
    )
    to_facility = forms.CharField(label=_("Atau ke rumah sakit / faskes lain"), required=False)
    referred_on = forms.DateField(label=_("Tanggal rujuk"), widget=DATE)


class ReferralOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status rujukan"),
        choices=[(v, label) for v, label in ReferralStatus.choices if v != ReferralStatus.SENT],
    )
    outcome = forms.CharField(
        label=_("Hasil dari faskes (wajib bila selesai)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome_on = forms.DateField(label=_("Tanggal hasil"), widget=DATE)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan tinjauan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil akhir"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Catatan penutupan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan dibuka kembali"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan menolak tugas"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Laporan kemajuan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Apa yang sudah diberikan/dikerjakan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_file = forms.FileField(
        label=_("Bukti (foto atau berkas, tidak wajib)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
