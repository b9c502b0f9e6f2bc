"""Checking every row of a file before anything is written.

The result is a :class:`Checked` file: the rows that passed, each with its values parsed, and
every problem found (row, column, value, Indonesian reason). Numbers, dates and the spellings
of sex, measuring position and oedema are read by the growth engine's parsers
(``tumbuh.growth.inputs``); NIK and KK by the registry's ``identity`` module; the measurement
limits are the registry's one table (``registry.limits``, by age, as the form and the API
use it); anything the growth
engine refuses (for example standing under 9 months) is refused here as the registry's
measurement service refuses it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from tumbuh.accounts.models import Role, User
from tumbuh.growth import zscores
from tumbuh.growth.inputs import ProblemLog, parse_dates, parse_number, read_inputs
from tumbuh.growth.reasons import Problem
from tumbuh.imports.headers import (
    LYING_HEADERS,
    STANDING_HEADERS,
    Field,
    HeaderMatch,
    match_headers,
)
from tumbuh.imports.reader import ImportFileError, Sheet, cell_text
from tumbuh.registry import limits
from tumbuh.registry.dates import impossible_date
from tumbuh.registry.identity import NumberCheck, check_kk, check_nik, clean_digits
from tumbuh.registry.limits import MAX_AGE_DAYS, PLACES
from tumbuh.registry.models import Position, Sex
from tumbuh.registry.services import can_record
from tumbuh.wilayah.models import Level, Posyandu, Region

#: Text cells that a spreadsheet would run as a formula when the value is written back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Most problems kept for the report (the count is always exact).
MAX_ERRORS = 50_000
#: How alike two names must be (difflib ratio) to call two records a probable duplicate.
SIMILAR_NAME = 0.8
SIMILAR_MOTHER = 0.8

Progress = Callable[[int], None]

_EPOCH = np.datetime64("1970-01-01", "D")
_NAME_NOISE = re.compile(r"[^0-9a-z ]+")
_REGION_PREFIX = re.compile(r"^(kelurahan|kel|desa|kecamatan|kec|posyandu|pos)\.?\s+")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem, located as a person finds it in the spreadsheet (row 1 is the header)."""

    row: int
    column: str
    value: str
    reason: str


@dataclass(slots=True)
class Row:
    """One row that passed every check."""

    number: int
    nik: str | None
    name: str
    sex: int
    birth_date: dt.date
    birth_order: int | None
    birth_weight_kg: Decimal | None
    birth_length_cm: Decimal | None
    kk_number: str | None
    mother_name: str
    mother_nik: str | None
    father_name: str
    phone: str
    address: str
    rw: int | None
    rt: int | None
    kelurahan: Region
    posyandu: Posyandu | None
    measured_on: dt.date
    weight_kg: Decimal | None
    length_cm: Decimal | None
    position: str
    head_circumference_cm: Decimal | None
    arm_circumference_cm: Decimal | None
    oedema: bool
    measured_by_name: str

    @property
    def identity(self) -> tuple[str, dt.date, str, int]:
        """Name, birth date, mother and kelurahan: who a child is when there is no NIK."""
        return (normal_name(self.name), self.birth_date, normal_name(self.mother_name),
                self.kelurahan.pk)  # fmt: skip

    @property
    def values(self) -> tuple[object, ...]:
        return (self.weight_kg, self.length_cm, self.position, self.head_circumference_cm,
                self.arm_circumference_cm, self.oedema)  # fmt: skip


@dataclass
class Checked:
    """A whole file after checking."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    total_rows: int = 0
    headers: HeaderMatch | None = None
    column_names: dict[Field, str] = field(default_factory=dict)
    """Header text as written in the file, per field (for locating problems)."""

    def add(self, row: int, column: str, value: object, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, _shown(value), reason))


def normal_name(text: str) -> str:
    """Names compared for matching: lower case, letters, digits and single spaces only."""
    return " ".join(_NAME_NOISE.sub(" ", text.lower()).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normal_name(a), normal_name(b)).ratio()


def _shown(value: object) -> str:
    text = cell_text(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _region_key(text: str) -> str:
    return _REGION_PREFIX.sub("", " ".join(str(text).lower().split())).strip()


def _closest(word: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, names, n=3, cutoff=0.6)
    if not close:
        return ""
    return " Mungkin maksudnya: " + ", ".join(close) + "."


# -- wilayah and posyandu ------------------------------------------------------------------


class Places:
    """The loaded kecamatan, kelurahan and posyandu, looked up by name or code."""

    def __init__(self) -> None:
        self.kecamatan: dict[str, list[Region]] = {}
        self.kelurahan: dict[str, list[Region]] = {}
        self.by_code: dict[str, Region] = {}
        regions = Region.objects.filter(level__in=(Level.DISTRICT, Level.VILLAGE))
        districts = {r.pk: r for r in regions if r.level == Level.DISTRICT}
        for region in regions:
            self.by_code[region.code] = region
            self.by_code[region.nik_prefix] = region
            target = self.kecamatan if region.level == Level.DISTRICT else self.kelurahan
            target.setdefault(_region_key(region.name), []).append(region)
            if region.level == Level.VILLAGE and region.parent_id in districts:
                region.parent = districts[region.parent_id]
        self._posyandu: dict[int, dict[str, Posyandu]] | None = None

    def posyandu_in(self, kelurahan: Region) -> dict[str, Posyandu]:
        if self._posyandu is None:
            self._posyandu = {}
            for post in Posyandu.objects.filter(is_active=True).select_related("puskesmas"):
                self._posyandu.setdefault(post.kelurahan_id, {})[_region_key(post.name)] = post
        return self._posyandu.get(kelurahan.pk, {})

    def find_kecamatan(self, text: str) -> tuple[Region | None, str]:
        key = _region_key(text)
        found = self.by_code.get(key.replace(" ", ""))
        if found is not None and found.level == Level.DISTRICT:
            return found, ""
        matches = self.kecamatan.get(key, [])
        if len(matches) == 1:
            return matches[0], ""
        if len(matches) > 1:
            return None, "Ada lebih dari satu kecamatan bernama ini; tulis kodenya (mis. 32.71.03)."
        names = sorted({r.name for rs in self.kecamatan.values() for r in rs})
        return None, "Kecamatan tidak dikenal." + _closest(text.strip().title(), names)

    def find_kelurahan(self, text: str, kecamatan: Region | None) -> tuple[Region | None, str]:
        key = _region_key(text)
        found = self.by_code.get(key.replace(" ", ""))
        if found is not None and found.level == Level.VILLAGE:
            if kecamatan is not None and found.parent_id != kecamatan.pk:
                return None, f"Kode kelurahan ini tidak berada di Kecamatan {kecamatan.name}."
            return found, ""
        matches = self.kelurahan.get(key, [])
        inside = [r for r in matches if kecamatan is None or r.parent_id == kecamatan.pk]
        if len(inside) == 1:
            return inside[0], ""
        if len(inside) > 1:
            return None, (
                "Ada lebih dari satu kelurahan bernama ini; isi kolom Kecamatan atau tulis kode "
                "kelurahannya (mis. 32.71.03.1006)."
            )
        if matches and kecamatan is not None:
            where = ", ".join(sorted({r.parent.name for r in matches if r.parent}))
            return None, (
                f"Kelurahan ini tidak berada di Kecamatan {kecamatan.name} (ada di Kecamatan "
                f"{where}). Periksa kolom Kelurahan atau Kecamatan."
            )
        pool = [
            r.name
            for rs in self.kelurahan.values()
            for r in rs
            if kecamatan is None or r.parent_id == kecamatan.pk
        ]
        where = f" di Kecamatan {kecamatan.name}" if kecamatan is not None else ""
        return None, f"Kelurahan tidak dikenal{where}." + _closest(text.strip().title(), pool)

    def find_posyandu(self, text: str, kelurahan: Region) -> tuple[Posyandu | None, str]:
        posts = self.posyandu_in(kelurahan)
        found = posts.get(_region_key(text))
        if found is not None:
            return found, ""
        if not posts:
            return None, (
                f"Belum ada posyandu terdaftar di Kelurahan {kelurahan.name}; kosongkan kolom "
                "Posyandu atau minta admin mendaftarkannya."
            )
        names = sorted(p.name for p in posts.values())
        return None, (
            f"Posyandu tidak dikenal di Kelurahan {kelurahan.name}."
            + (_closest(text.strip().title(), names) or " Yang terdaftar: " + ", ".join(names[:8]))
        )


# -- scope -----------------------------------------------------------------------------------


class Scope:
    """Where ``user`` may register children: the registry's scoping rules
    (``registry.selectors.children_visible_to``) asked of a row that is not stored yet. The
    import service checks the stored result with the selector itself before it commits."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.served: frozenset[int] = frozenset()
        if user is not None and user.role == Role.NUTRITION_OFFICER and user.puskesmas_id:
            self.served = frozenset(
                user.puskesmas.service_area.values_list("pk", flat=True)  # type: ignore[union-attr]
            )

    @property
    def unlimited(self) -> bool:
        return self.user is None or self.user.is_superuser

    def default_posyandu(self) -> Posyandu | None:
        if self.user is not None and self.user.role == Role.KADER:
            return self.user.posyandu
        return None

    def refusal(
        self, kelurahan: Region, rw: int | None, rt: int | None, posyandu: Posyandu | None
    ) -> str:
        """'' when the row is inside the user's area, otherwise why not."""
        user = self.user
        if user is None or user.is_superuser:
            return ""
        if user.role == Role.KADER:
            if posyandu is not None and posyandu.pk == user.posyandu_id:
                return ""
            return "Kader hanya dapat mengimpor anak di posyandunya sendiri."
        if user.role == Role.NUTRITION_OFFICER:
            if posyandu is not None and posyandu.puskesmas_id == user.puskesmas_id:
                return ""
            if kelurahan.pk in self.served:
                return ""
            return "Kelurahan/posyandu ini di luar wilayah kerja puskesmas Anda."
        if user.role == Role.KELURAHAN_OFFICER and user.region is not None:
            region = user.region
            code = kelurahan.code
            if rw is not None:
                code += f".{rw:03d}"
                if rt is not None:
                    code += f".{rt:03d}"
            if region.level <= Level.VILLAGE and region.contains(kelurahan):
                return ""
            if region.level > Level.VILLAGE and (
                code == region.code or code.startswith(region.code + ".")
            ):
                return ""
            return "Alamat ini di luar wilayah tugas Anda."
        return "Peran Anda tidak dapat mengimpor data anak."


def file_refusal(user: User | None) -> str:
    """'' when ``user`` may import at all (the registry's recording roles, or the system)."""
    if user is None or can_record(user):
        return ""
    return (
        "Peran Anda tidak dapat mengimpor data anak. Impor dilakukan oleh tenaga gizi "
        "puskesmas, petugas kelurahan atau kader."
    )


# -- the checks ------------------------------------------------------------------------------


def header_problem(match: HeaderMatch) -> str:
    """One Indonesian paragraph on what is wrong with the header row ('' when usable)."""
    parts = []
    if match.missing:
        parts.append("Kolom wajib tidak ditemukan: " + "; ".join(match.missing) + ".")
    for fld, first, second in match.clashes:
        parts.append(f"Kolom '{first}' dan '{second}' sama-sama berarti {fld.label}; hapus satu.")
    if parts and match.unknown:
        parts.append("Judul kolom yang tidak dikenali: " + ", ".join(match.unknown[:20]) + ".")
    if parts:
        parts.append("Lihat daftar judul kolom yang diterima di panduan impor e-PPGBM.")
    return " ".join(parts)


def _column(sheet: Sheet, index: int | None) -> npt.NDArray[np.object_]:
    out = np.empty(len(sheet.rows), dtype=object)
    if index is None:
        out[:] = None
        return out
    out[:] = [row[index] if index < len(row) else None for row in sheet.rows]
    return out


def _days_to_dates(days: npt.NDArray[np.float64]) -> list[dt.date | None]:
    out: list[dt.date | None] = [None] * days.shape[0]
    ok = ~np.isnan(days)
    if ok.any():
        converted = (_EPOCH + days[ok].astype(np.int64)).tolist()
        for i, value in zip(np.flatnonzero(ok), converted, strict=True):
            out[int(i)] = value
    return out


def _decimal(value: float, places: Decimal) -> Decimal:
    """Quantised as the registry's measurement service does (half up, from the typed value)."""
    return Decimal(repr(value)).quantize(places, rounding=ROUND_HALF_UP)


class _Checker:
    def __init__(self, sheet: Sheet, match: HeaderMatch, user: User | None, today: dt.date) -> None:
        self.sheet = sheet
        self.match = match
        self.today = today
        self.scope = Scope(user)
        self.places = Places()
        self.out = Checked(total_rows=len(sheet.rows), headers=match)
        self.header = {f: sheet.header[i] for f, i in match.columns.items()}
        self.out.column_names = self.header
        self._nik_cache: dict[tuple[str, int, dt.date | None], NumberCheck] = {}

    def col(self, fld: Field) -> npt.NDArray[np.object_]:
        return _column(self.sheet, self.match.columns.get(fld))

    def name_of(self, fld: Field) -> str:
        return self.header.get(fld, fld.label)

    def log_problems(self, log: ProblemLog, fields: dict[str, Field], bad: set[int]) -> None:
        for problem in log.problems():
            fld = fields[problem.column]
            message = problem.message[0].upper() + problem.message[1:] + "."
            if problem.problem is Problem.UNREADABLE_DATE:
                message = impossible_date(cell_text(problem.value)) or message
            self.out.add(self.sheet.row_number(problem.row), self.name_of(fld), problem.value,
                         message)  # fmt: skip
            bad.add(problem.row)

    def run(self, progress: Progress | None) -> Checked:
        n = len(self.sheet.rows)
        bad: set[int] = set()
        log = ProblemLog()
        numbers: dict[Field, npt.NDArray[np.float64]] = {}
        names: dict[str, Field] = {}
        for fld in (
            Field.WEIGHT, Field.LENGTH, Field.HEAD, Field.ARM, Field.BIRTH_WEIGHT,
            Field.BIRTH_LENGTH, Field.RW, Field.RT, Field.BIRTH_ORDER,
        ):  # fmt: skip
            if fld in self.match.columns:
                names[fld.value] = fld
                numbers[fld], _ = parse_number(self.col(fld), fld.value, log)
        dates: dict[Field, list[dt.date | None]] = {}
        for fld in (Field.BIRTH_DATE, Field.MEASURED_ON):
            names[fld.value] = fld
            days, _ = parse_dates(self.col(fld), fld.value, log)
            dates[fld] = _days_to_dates(days)
        codes: dict[str, Any] = {"sex": self.col(Field.SEX)}
        names["sex"] = Field.SEX
        for key, fld in (("measure", Field.POSITION), ("oedema", Field.OEDEMA)):
            if fld in self.match.columns:
                codes[key] = self.col(fld)
                names[key] = fld
        parsed = read_inputs(codes)
        self.log_problems(log, names, bad)
        self.log_problems(parsed.problems, names, bad)

        text = {fld: self.col(fld) for fld in Field if fld in self.match.columns}
        length_key = self.match.header_keys.get(Field.LENGTH, "")
        header_position = (
            Position.LYING if length_key in LYING_HEADERS
            else Position.STANDING if length_key in STANDING_HEADERS
            else ""
        )  # fmt: skip
        if Field.NIK in text and any(isinstance(v, float) for v in text[Field.NIK][:1000]):
            self.out.warnings.append(
                "Kolom NIK tersimpan sebagai angka di Excel. Excel hanya menyimpan 15 angka "
                "penting, jadi angka terakhir NIK bisa berubah; format kolom NIK sebagai Teks."
            )
        for i in range(n):
            if progress is not None and i % 5000 == 0:
                progress(i)
            row = self.check_row(i, text, numbers, dates, parsed, header_position, i in bad)
            if row is not None:
                self.out.rows.append(row)
        self.engine_problems()
        # One list in the order a person reads the file: by row, then as found in the row.
        self.out.errors.sort(key=lambda e: e.row)
        return self.out

    # one row ---------------------------------------------------------------------------

    def text(self, cols: dict[Field, npt.NDArray[np.object_]], fld: Field, i: int) -> str:
        column = cols.get(fld)
        return "" if column is None else " ".join(cell_text(column[i]).split())

    def check_row(
        self,
        i: int,
        cols: dict[Field, npt.NDArray[np.object_]],
        numbers: dict[Field, npt.NDArray[np.float64]],
        dates: dict[Field, list[dt.date | None]],
        parsed: Any,
        header_position: str,
        already_bad: bool,
    ) -> Row | None:
        number = self.sheet.row_number(i)
        raw = self.sheet.rows[i]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            return None  # a blank line inside the data: nothing to import, nothing wrong
        errors_before = self.out.error_count

        def err(fld: Field, reason: str, value: object = None) -> None:
            if value is None:
                column = cols.get(fld)
                value = column[i] if column is not None else ""
            self.out.add(number, self.name_of(fld), value, reason)

        def textual(fld: Field, *, required: bool = False, label: str = "") -> str:
            value = self.text(cols, fld, i)
            if value == "-":
                value = ""
            if value.startswith(FORMULA_STARTS) and not (fld == Field.PHONE and value[0] == "+"):
                err(fld, "Sel berisi rumus atau diawali tanda =, +, -, @; tulis nilainya saja.")
                return ""
            if required and len(value) < 2:
                err(fld, f"{label or fld.label} wajib diisi.")
            if len(value) > 150:
                err(fld, f"{fld.label} terlalu panjang (lebih dari 150 huruf).")
                return ""
            return value

        name = textual(Field.NAME, required=True, label="Nama anak")
        mother_name = textual(Field.MOTHER_NAME, required=True, label="Nama ibu kandung")
        father_name = textual(Field.FATHER_NAME)
        address = textual(Field.ADDRESS)
        phone = textual(Field.PHONE)[:20]
        measured_by = textual(Field.MEASURED_BY)

        sex = int(parsed.sex[i])
        if sex == 0 and not parsed.invalid["sex"][i]:
            err(Field.SEX, "Jenis kelamin wajib diisi (L/P).")
        birth = dates[Field.BIRTH_DATE][i]
        measured_on = dates[Field.MEASURED_ON][i]
        column_birth = cols[Field.BIRTH_DATE][i]
        column_measured = cols[Field.MEASURED_ON][i]
        if birth is None and cell_text(column_birth) == "":
            err(Field.BIRTH_DATE, "Tanggal lahir wajib diisi.")
        if measured_on is None and cell_text(column_measured) == "":
            err(Field.MEASURED_ON, "Tanggal pengukuran wajib diisi.")
        if birth is not None and birth > self.today:
            err(Field.BIRTH_DATE, f"Tanggal lahir {birth:%d-%m-%Y} belum terjadi.")
            birth = None
        if measured_on is not None and measured_on > self.today:
            err(
                Field.MEASURED_ON,
                f"Tanggal ukur {measured_on:%d-%m-%Y} belum terjadi "
                f"(hari ini {self.today:%d-%m-%Y}).",
            )
            measured_on = None
        if birth is not None and measured_on is not None:
            if measured_on < birth:
                err(
                    Field.MEASURED_ON,
                    f"Tanggal ukur {measured_on:%d-%m-%Y} sebelum tanggal lahir {birth:%d-%m-%Y}.",
                )
            elif (measured_on - birth).days > MAX_AGE_DAYS:
                err(Field.MEASURED_ON, "Anak sudah berumur 19 tahun atau lebih pada tanggal ukur.")

        nik = self.identity_number(i, cols, Field.NIK, err, sex=sex or None, birth=birth)
        mother_nik = self.identity_number(i, cols, Field.MOTHER_NIK, err, sex=Sex.FEMALE)
        kk = None
        kk_text = self.text(cols, Field.KK_NUMBER, i)
        if kk_text and kk_text != "-":
            check = check_kk(kk_text)
            for message in check.errors:
                err(Field.KK_NUMBER, message)
            kk = check.digits if check.valid else None
        if nik is not None and mother_nik == nik:
            err(Field.MOTHER_NIK, "NIK ibu sama dengan NIK anak.")

        measures: dict[str, Decimal | None] = {}
        refused_measure = False
        for fld in (Field.WEIGHT, Field.LENGTH, Field.HEAD, Field.ARM):
            value = numbers[fld][i] if fld in numbers else np.nan
            if np.isnan(value):
                measures[fld.value] = None
                continue
            amount = _decimal(float(value), PLACES[fld.value])
            known = birth is not None and measured_on is not None
            age_days = (measured_on - birth).days if known else None  # type: ignore[operator]
            refusal = limits.out_of_limits(fld.value, amount, age_days)
            if refusal:
                err(fld, refusal)
                refused_measure = True
                measures[fld.value] = None
            else:
                measures[fld.value] = amount
        weight, length = measures[Field.WEIGHT.value], measures[Field.LENGTH.value]
        if weight is None and length is None and not already_bad and not refused_measure:
            err(Field.WEIGHT, "Isi berat badan atau panjang/tinggi badan (sebaiknya keduanya).")
        measure_code = int(parsed.measure[i])
        position = {1: Position.LYING, 2: Position.STANDING}.get(measure_code, header_position)
        if length is None:
            position = ""
        elif not position:
            err(
                Field.POSITION if Field.POSITION in cols else Field.LENGTH,
                "Isi cara ukur: berbaring (PB, panjang badan) atau berdiri (TB, tinggi badan).",
                self.text(cols, Field.POSITION, i),
            )
        oedema = bool(parsed.oedema[i])

        birth_weight = self.birth_number(i, numbers, Field.BIRTH_WEIGHT, err, "0.3", "7", "kg")
        birth_length = self.birth_number(i, numbers, Field.BIRTH_LENGTH, err, "20", "65", "cm")
        rw = self.small_int(i, numbers, Field.RW, err, 999)
        rt = self.small_int(i, numbers, Field.RT, err, 999)
        order = self.small_int(i, numbers, Field.BIRTH_ORDER, err, 30)
        if rt is not None and rw is None:
            err(Field.RW, "Isi nomor RW bila RT diisi.")

        kecamatan = None
        kec_text = self.text(cols, Field.KECAMATAN, i)
        if kec_text:
            kecamatan, why = self.places.find_kecamatan(kec_text)
            if why:
                err(Field.KECAMATAN, why)
        kel_text = self.text(cols, Field.KELURAHAN, i)
        kelurahan = None
        if not kel_text:
            err(Field.KELURAHAN, "Kelurahan/desa wajib diisi.")
        elif not (kec_text and kecamatan is None):
            kelurahan, why = self.places.find_kelurahan(kel_text, kecamatan)
            if why:
                err(Field.KELURAHAN, why)
        posyandu = None
        post_text = self.text(cols, Field.POSYANDU, i)
        if kelurahan is not None:
            if post_text:
                posyandu, why = self.places.find_posyandu(post_text, kelurahan)
                if why:
                    err(Field.POSYANDU, why)
            else:
                posyandu = self.scope.default_posyandu()
            if self.out.error_count == errors_before:
                refusal = self.scope.refusal(kelurahan, rw, rt, posyandu)
                if refusal:
                    fld = Field.POSYANDU if Field.POSYANDU in cols else Field.KELURAHAN
                    err(fld, refusal)

        if already_bad or self.out.error_count != errors_before:
            return None
        assert birth is not None and measured_on is not None and kelurahan is not None
        return Row(
            number=number, nik=nik, name=name, sex=sex, birth_date=birth,
            birth_order=order, birth_weight_kg=birth_weight, birth_length_cm=birth_length,
            kk_number=kk, mother_name=mother_name, mother_nik=mother_nik,
            father_name=father_name, phone=phone, address=address, rw=rw, rt=rt,
            kelurahan=kelurahan, posyandu=posyandu, measured_on=measured_on, weight_kg=weight,
            length_cm=length, position=position,
            head_circumference_cm=measures[Field.HEAD.value],
            arm_circumference_cm=measures[Field.ARM.value], oedema=oedema,
            measured_by_name=measured_by,
        )  # fmt: skip

    def identity_number(
        self,
        i: int,
        cols: dict[Field, npt.NDArray[np.object_]],
        fld: Field,
        err: Callable[..., None],
        *,
        sex: int | None,
        birth: dt.date | None = None,
    ) -> str | None:
        raw = self.text(cols, fld, i)
        if not raw or raw == "-":
            return None
        digits = clean_digits(raw)
        key = (digits, sex or 0, birth)
        check = self._nik_cache.get(key)
        if check is None:
            check = check_nik(digits, sex=sex, birth_date=birth, today=self.today)
            self._nik_cache[key] = check
        for message in check.errors:
            err(fld, message)
        return check.digits if check.valid else None

    def birth_number(
        self,
        i: int,
        numbers: dict[Field, npt.NDArray[np.float64]],
        fld: Field,
        err: Callable[..., None],
        low: str,
        high: str,
        unit: str,
    ) -> Decimal | None:
        if fld not in numbers or np.isnan(numbers[fld][i]):
            return None
        places = Decimal("0.01") if fld == Field.BIRTH_WEIGHT else Decimal("0.1")
        amount = _decimal(float(numbers[fld][i]), places)
        if not Decimal(low) <= amount <= Decimal(high):
            err(fld, f"{fld.label} harus antara {low.replace('.', ',')} dan {high} {unit}.")
            return None
        return amount

    def small_int(
        self,
        i: int,
        numbers: dict[Field, npt.NDArray[np.float64]],
        fld: Field,
        err: Callable[..., None],
        high: int,
    ) -> int | None:
        if fld not in numbers or np.isnan(numbers[fld][i]):
            return None
        value = float(numbers[fld][i])
        if not value.is_integer() or not 1 <= value <= high:
            err(fld, f"{fld.label} harus bilangan bulat 1 sampai {high}.")
            return None
        return int(value)

    # the growth engine's own refusals ------------------------------------------------------

    def engine_problems(self) -> None:
        rows = self.out.rows
        if not rows:
            return
        result = zscores(engine_columns(rows))
        if not result.problem_count:
            return
        refused: set[int] = set()
        for problem in result.problems():
            row = rows[problem.row]
            fld = ENGINE_FIELDS.get(problem.column, Field.MEASURED_ON)
            message = problem.message
            if problem.problem.name == "STANDING_UNDER_9_MONTHS":
                message = "anak di bawah 9 bulan harus diukur berbaring (panjang badan)"
            self.out.add(row.number, self.name_of(fld), problem.value,
                         message[0].upper() + message[1:] + ".")  # fmt: skip
            refused.add(problem.row)
        self.out.rows = [r for j, r in enumerate(rows) if j not in refused]


#: Engine input column -> our field, for locating the engine's problems.
ENGINE_FIELDS: dict[str, Field] = {
    "sex": Field.SEX,
    "birth_date": Field.BIRTH_DATE,
    "visit_date": Field.MEASURED_ON,
    "weight": Field.WEIGHT,
    "lenhei": Field.LENGTH,
    "measure": Field.POSITION,
    "headc": Field.HEAD,
    "armc": Field.ARM,
    "oedema": Field.OEDEMA,
}


def _float_or_nan(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def engine_columns(rows: Sequence[Row]) -> dict[str, Any]:
    """The growth engine's input columns for ``rows`` (the values the registry would store)."""
    return {
        "sex": np.array([r.sex for r in rows], dtype=np.int64),
        "birth_date": np.array([r.birth_date for r in rows], dtype="datetime64[D]"),
        "visit_date": np.array([r.measured_on for r in rows], dtype="datetime64[D]"),
        "weight": np.array([_float_or_nan(r.weight_kg) for r in rows]),
        "lenhei": np.array([_float_or_nan(r.length_cm) for r in rows]),
        "measure": np.array([r.position or "" for r in rows], dtype=object),
        "headc": np.array([_float_or_nan(r.head_circumference_cm) for r in rows]),
        "armc": np.array([_float_or_nan(r.arm_circumference_cm) for r in rows]),
        "oedema": np.array(["y" if r.oedema else "n" for r in rows], dtype=object),
    }


def check_sheet(
    sheet: Sheet,
    *,
    user: User | None,
    today: dt.date,
    progress: Progress | None = None,
) -> Checked:
    """Every row of ``sheet`` checked; raises :class:`ImportFileError` when the file as a
    whole cannot be used (role, headers)."""
    refusal = file_refusal(user)
    if refusal:
        raise ImportFileError(refusal)
    match = match_headers(sheet.header)
    problem = header_problem(match)
    if problem:
        raise ImportFileError(problem)
    checked = _Checker(sheet, match, user, today).run(progress)
    if match.unknown:
        checked.warnings.append(
            "Kolom yang tidak dikenali dan tidak dibaca: " + ", ".join(match.unknown[:20]) + "."
        )
    return checked


__all__ = [
    "FORMULA_STARTS",
    "MAX_ERRORS",
    "Checked",
    "Row",
    "RowError",
    "Scope",
    "check_sheet",
    "engine_columns",
    "normal_name",
    "similarity",
]
