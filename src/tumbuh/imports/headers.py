"""Which spreadsheet column means what: e-PPGBM's Indonesian headers and our English names.

Matching ignores letter case, spaces, dots, underscores, hyphens, slashes and anything in
parentheses (units such as ``(kg)`` or ``(cm)``, hints such as ``(L/P)``), so ``Tgl. Lahir``,
``TGL_LAHIR`` and ``tgl lahir (dd/mm/yyyy)`` are one header. The table is documented in
docs/import-eppgbm.md; keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Field(StrEnum):
    """What a column holds (English identifiers; the labels are what people see)."""

    NIK = "nik"
    NAME = "name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    BIRTH_ORDER = "birth_order"
    BIRTH_WEIGHT = "birth_weight_kg"
    BIRTH_LENGTH = "birth_length_cm"
    KK_NUMBER = "kk_number"
    MOTHER_NAME = "mother_name"
    MOTHER_NIK = "mother_nik"
    FATHER_NAME = "father_name"
    PHONE = "phone"
    ADDRESS = "address"
    RT = "rt"
    RW = "rw"
    KELURAHAN = "kelurahan"
    KECAMATAN = "kecamatan"
    PUSKESMAS = "puskesmas"
    POSYANDU = "posyandu"
    MEASURED_ON = "measured_on"
    WEIGHT = "weight_kg"
    LENGTH = "length_cm"
    POSITION = "position"
    HEAD = "head_circumference_cm"
    ARM = "arm_circumference_cm"
    OEDEMA = "oedema"
    MEASURED_BY = "measured_by_name"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[Field, str] = {
    Field.NIK: "NIK anak",
    Field.NAME: "Nama anak",
    Field.SEX: "Jenis kelamin",
    Field.BIRTH_DATE: "Tanggal lahir",
    Field.BIRTH_ORDER: "Anak ke-",
    Field.BIRTH_WEIGHT: "Berat lahir",
    Field.BIRTH_LENGTH: "Panjang lahir",
    Field.KK_NUMBER: "Nomor KK",
    Field.MOTHER_NAME: "Nama ibu/orang tua",
    Field.MOTHER_NIK: "NIK ibu/orang tua",
    Field.FATHER_NAME: "Nama ayah",
    Field.PHONE: "Nomor HP",
    Field.ADDRESS: "Alamat",
    Field.RT: "RT",
    Field.RW: "RW",
    Field.KELURAHAN: "Kelurahan/desa",
    Field.KECAMATAN: "Kecamatan",
    Field.PUSKESMAS: "Puskesmas",
    Field.POSYANDU: "Posyandu",
    Field.MEASURED_ON: "Tanggal pengukuran",
    Field.WEIGHT: "Berat badan",
    Field.LENGTH: "Panjang/tinggi badan",
    Field.POSITION: "Cara ukur",
    Field.HEAD: "Lingkar kepala",
    Field.ARM: "LiLA",
    Field.OEDEMA: "Edema",
    Field.MEASURED_BY: "Nama petugas",
}

#: Accepted headers per field, as people write them (normalised by :func:`header_key`).
ALIASES: dict[Field, tuple[str, ...]] = {
    Field.NIK: ("NIK", "NIK Anak", "NIK Balita", "child_nik"),
    Field.NAME: ("Nama Anak", "Nama Balita", "Nama", "Nama Lengkap", "name", "child_name"),
    Field.SEX: ("JK", "Jenis Kelamin", "Kelamin", "L/P", "sex", "gender"),
    Field.BIRTH_DATE: ("Tgl Lahir", "Tanggal Lahir", "Tgl Lhr", "birth_date", "dob"),
    Field.BIRTH_ORDER: ("Anak Ke", "Anak Ke-", "birth_order"),
    Field.BIRTH_WEIGHT: ("BB Lahir", "Berat Lahir", "birth_weight", "birth_weight_kg"),
    Field.BIRTH_LENGTH: (
        "TB Lahir",
        "PB Lahir",
        "Panjang Lahir",
        "birth_length",
        "birth_length_cm",
    ),
    Field.KK_NUMBER: ("No KK", "Nomor KK", "KK", "kk", "kk_number"),
    Field.MOTHER_NAME: (
        "Nama Ortu",
        "Nama Orang Tua",
        "Nama Ibu",
        "Nama Ibu Kandung",
        "mother_name",
        "mother",
    ),
    Field.MOTHER_NIK: ("NIK Ortu", "NIK Ibu", "NIK Orang Tua", "mother_nik"),
    Field.FATHER_NAME: ("Nama Ayah", "father_name"),
    Field.PHONE: ("No HP", "Nomor HP", "No Telp", "Telepon", "HP", "phone"),
    Field.ADDRESS: ("Alamat", "Alamat Lengkap", "address", "address_line"),
    Field.RT: ("RT", "rt"),
    Field.RW: ("RW", "rw"),
    Field.KELURAHAN: (
        "Kelurahan",
        "Desa",
        "Kelurahan/Desa",
        "Desa/Kelurahan",
        "Kel",
        "Kel/Desa",
        "village",
    ),
    Field.KECAMATAN: ("Kecamatan", "Kec", "district"),
    Field.PUSKESMAS: ("Puskesmas", "Nama Puskesmas", "Pkm"),
    Field.POSYANDU: ("Posyandu", "Nama Posyandu"),
    Field.MEASURED_ON: (
        "Tanggal Pengukuran",
        "Tgl Pengukuran",
        "Tanggal Ukur",
        "Tgl Ukur",
        "Tanggal Penimbangan",
        "Tgl Penimbangan",
        "Tgl Timbang",
        "measured_on",
        "visit_date",
        "measurement_date",
    ),
    Field.WEIGHT: ("Berat", "BB", "Berat Badan", "weight", "weight_kg"),
    Field.LENGTH: (
        "Tinggi",
        "TB",
        "PB",
        "Tinggi Badan",
        "Panjang Badan",
        "TB/PB",
        "PB/TB",
        "lenhei",
        "length_cm",
        "length",
        "height",
    ),
    Field.POSITION: ("Cara Ukur", "Posisi Ukur", "Posisi", "measure", "position"),
    Field.HEAD: ("Lingkar Kepala", "LK", "headc", "head_circumference_cm"),
    Field.ARM: ("LiLA", "Lingkar Lengan Atas", "armc", "arm_circumference_cm"),
    Field.OEDEMA: ("Edema", "Oedema", "oedema"),
    Field.MEASURED_BY: ("Petugas", "Nama Petugas", "Pengukur", "measured_by", "measured_by_name"),
}

#: e-PPGBM columns we read past on purpose: computed results (we compute our own with the
#: growth engine), administrative numbering, programme fields not stored yet.
IGNORED: tuple[str, ...] = (
    "No",
    "Nomor",
    "No Urut",
    "Prov",
    "Provinsi",
    "Kab/Kota",
    "Kabupaten/Kota",
    "Kota",
    "Usia",
    "Usia Saat Ukur",
    "Umur",
    "Umur (bulan)",
    "Bulan",
    "Tahun",
    "BB/U",
    "ZS BB/U",
    "TB/U",
    "PB/U",
    "ZS TB/U",
    "BB/TB",
    "BB/PB",
    "ZS BB/TB",
    "IMT/U",
    "ZS IMT/U",
    "Status Gizi",
    "Naik Berat Badan",
    "N/T",
    "NIK Ayah",
    "Vit A",
    "Jml Vit A",
    "ASI Eksklusif",
    "PMT",
    "KPSP",
    "KIA",
    "Pekerjaan",
    "Keterangan",
)

#: Fields a file must have a column for; and groups of which at least one is needed.
REQUIRED: tuple[Field, ...] = (
    Field.NAME,
    Field.SEX,
    Field.BIRTH_DATE,
    Field.MOTHER_NAME,
    Field.KELURAHAN,
    Field.MEASURED_ON,
)
ONE_OF: tuple[tuple[Field, ...], ...] = ((Field.WEIGHT, Field.LENGTH),)

#: Length headers that say how the child was measured (used when "Cara Ukur" is empty).
LYING_HEADERS = frozenset({"pb", "panjangbadan", "length"})
STANDING_HEADERS = frozenset({"tb", "tinggibadan", "tinggi", "height"})

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOISE = re.compile(r"[\s._\-/:'\"]+")


def header_key(text: object) -> str:
    """``'Tgl. Lahir (dd/mm/yyyy)'`` -> ``'tgllahir'``."""
    return _NOISE.sub("", _PARENS.sub("", str(text or "")).lower())


_BY_KEY: dict[str, Field] = {}
for _field, _names in ALIASES.items():
    for _name in _names:
        _BY_KEY.setdefault(header_key(_name), _field)
_IGNORED_KEYS = frozenset(header_key(name) for name in IGNORED)


@dataclass
class HeaderMatch:
    """Column positions per field, and what could not be used."""

    columns: dict[Field, int] = field(default_factory=dict)
    header_keys: dict[Field, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    clashes: list[tuple[Field, str, str]] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        out = [f.label for f in REQUIRED if f not in self.columns]
        for group in ONE_OF:
            if not any(f in self.columns for f in group):
                out.append(" atau ".join(f.label for f in group))
        return out

    @property
    def ok(self) -> bool:
        return not self.missing and not self.clashes


def match_headers(header: Sequence[object]) -> HeaderMatch:
    """Map each header cell to a field; report unknown, ignored and doubled columns."""
    match = HeaderMatch()
    names: dict[Field, str] = {}
    for position, cell in enumerate(header):
        text = str(cell or "").strip()
        key = header_key(text)
        if not key:
            continue
        found = _BY_KEY.get(key)
        if found is None:
            (match.ignored if key in _IGNORED_KEYS else match.unknown).append(text)
            continue
        if found in match.columns:
            match.clashes.append((found, names[found], text))
            continue
        match.columns[found] = position
        match.header_keys[found] = key
        names[found] = text
    return match


def documented_table() -> list[tuple[str, str, str]]:
    """(field, label, accepted headers) rows, for the documentation and its test."""
    return [(f.value, f.label, ", ".join(ALIASES[f])) for f in Field]
