from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tumbuh.imports.reader import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas e-PPGBM (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Uji coba saja: periksa semua baris tanpa menyimpan"), required=False
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Pilih berkas .xlsx atau .csv."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas lebih besar dari %(mb)d MB; pecah per kecamatan atau per bulan.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            ("keep_existing", _("Satu anak: gabungkan, simpan data lama")),
            ("keep_incoming", _("Satu anak: gabungkan, simpan data baru")),
            ("dismiss", _("Dua anak berbeda: biarkan keduanya")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
