"""NIK and KK numbers: validation (DOMAIN.md section 5) and masking for lists.

NIK: 16 digits = province (2) + kab/kota (2) + kecamatan (2) of *first registration* +
DDMMYY birth date (day + 40 for women) + serial (4, from 0001). We check the structure: 16
digits, a Kemendagri 6-digit prefix that exists, a real date, serial not 0000; and, when the
person's sex and birth date are known, that the NIK agrees with them. The prefix is never used
as an address (people move; the NIK keeps its first code).

KK: 16 digits = issuing kecamatan (6) + date (DDMMYY, 6) + serial (4). The date component is
not confirmed against the Permendagri yet (DOMAIN.md open point 10), so an impossible date is
only a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lokal import nik as lokal_nik
from lokal import wilayah as lokal_wilayah

_NON_DIGIT_SEPARATORS = re.compile(r"[\s.\-]")
_SIXTEEN = re.compile(r"[0-9]{16}")


@dataclass(frozen=True, slots=True)
class NumberCheck:
    """The result of checking a NIK or KK: the 16 digits (or None), errors and warnings,
    each an Indonesian sentence that says what is wrong and how to fix it."""

    digits: str | None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    birth_date: dt.date | None = None
    sex: int | None = None
    region_code: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class _Builder:
    digits: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def done(
        self,
        *,
        birth_date: dt.date | None = None,
        sex: int | None = None,
        region_code: str | None = None,
    ) -> NumberCheck:
        return NumberCheck(
            self.digits,
            tuple(self.errors),
            tuple(self.warnings),
            birth_date=birth_date,
            sex=sex,
            region_code=region_code,
        )


def clean_digits(value: str) -> str:
    """Remove spaces, dots and dashes people type inside long numbers."""
    return _NON_DIGIT_SEPARATORS.sub("", str(value))


def _region_known(code6: str) -> str | None:
    dotted = f"{code6[0:2]}.{code6[2:4]}.{code6[4:6]}"
    return dotted if lokal_wilayah.wilayah_name(dotted) else None


def check_nik(
    value: str,
    *,
    sex: int | None = None,
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> NumberCheck:
    """Check a NIK; ``sex`` (1/2) and ``birth_date`` are compared when given."""
    b = _Builder()
    digits = clean_digits(value)
    if not _SIXTEEN.fullmatch(digits):
        b.errors.append(
            f"NIK harus 16 angka; yang tertulis {len(digits)} karakter. "
            "Salin NIK dari KK atau KTP tanpa spasi."
        )
        return b.done()
    b.digits = digits
    region = _region_known(digits[:6])
    if region is None:
        b.errors.append(
            f"6 angka pertama NIK ({digits[:6]}) bukan kode kecamatan Kemendagri. "
            "Periksa kembali NIK di KK."
        )
    reference = today or dt.date.today()
    parsed = lokal_nik.parse_nik(digits, reference_date=reference)
    nik_date = dt.date.fromisoformat(parsed.birth_date) if parsed.birth_date else None
    nik_sex = {"L": 1, "P": 2}.get(parsed.gender or "")
    if nik_date is None:
        b.errors.append(
            f"Angka ke-7 sampai 12 NIK ({digits[6:12]}) bukan tanggal lahir yang sah "
            "(tanggal 01-31, atau 41-71 untuk perempuan; bulan 01-12)."
        )
    if digits[12:] == "0000":
        b.errors.append("4 angka terakhir NIK tidak boleh 0000.")
    if nik_date is not None and birth_date is not None:
        same_day = (nik_date.day, nik_date.month, nik_date.year % 100) == (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        )
        if not same_day:
            b.errors.append(
                f"Tanggal lahir di NIK ({nik_date:%d-%m-%y}) tidak sama dengan tanggal lahir "
                f"yang diisi ({birth_date:%d-%m-%Y}). Periksa NIK atau tanggal lahir."
            )
    if nik_sex is not None and sex is not None and nik_sex != sex:
        b.errors.append(
            "Jenis kelamin di NIK (tanggal lahir +40 untuk perempuan) tidak sama dengan "
            "jenis kelamin yang diisi. Periksa NIK atau jenis kelamin."
        )
    return b.done(birth_date=nik_date, sex=nik_sex, region_code=region)


def check_kk(value: str) -> NumberCheck:
    """Check a Kartu Keluarga number."""
    b = _Builder()
    digits = clean_digits(value)
    if not _SIXTEEN.fullmatch(digits):
        b.errors.append(
            f"Nomor KK harus 16 angka; yang tertulis {len(digits)} karakter. "
            "Salin dari Kartu Keluarga tanpa spasi."
        )
        return b.done()
    b.digits = digits
    region = _region_known(digits[:6])
    if region is None:
        b.errors.append(
            f"6 angka pertama nomor KK ({digits[:6]}) bukan kode kecamatan Kemendagri. "
            "Periksa kembali nomor KK."
        )
    if digits[12:] == "0000":
        b.errors.append("4 angka terakhir nomor KK tidak boleh 0000.")
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    try:
        dt.date(2000 + year, month, day)
    except ValueError:
        b.warnings.append(
            f"Angka ke-7 sampai 12 nomor KK ({digits[6:12]}) bukan tanggal; periksa kembali."
        )
    return b.done(region_code=region)


def mask_nik(value: str | None) -> str:
    """``3271065507150001`` -> ``3271********0001``; '' for no number."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
