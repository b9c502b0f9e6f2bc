"""The command centre's indicators, coverage targets and scoring rule, as data.

Each :class:`Indicator` is counted per area and month by ``komando.facts`` (one flag per
subject: a child, a case or a pregnancy) and stored by ``komando.services``. A share is always
``value / denominator`` where the denominator is another indicator of the same area and month:
the page shows both numbers. Definitions follow DOMAIN.md 2.1 (Perpres 72/2021), 2.6 (the
posyandu SKDN cycle) and 2.7 (pregnancy risk rules). These are **weighing counts** of children
actually measured, by name by address; survey prevalence (SSGI/SKI) is a different measure and
is never computed or shown beside them (DOMAIN.md 3.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Subject(StrEnum):
    CHILD = "child"
    CASE = "case"
    PREGNANCY = "pregnancy"
    OTHER = "other"  # counted by an optional provider (partners); no drill list here


class Group(StrEnum):
    WEIGHING = "weighing"
    STATUS = "status"
    CASES = "cases"
    PREGNANCY = "pregnancy"
    PREVENTION = "prevention"
    PARTNERS = "partners"


GROUP_LABELS: dict[Group, Promise] = {
    Group.WEIGHING: _("Penimbangan (SKDN)"),
    Group.STATUS: _("Status gizi balita yang diukur bulan ini"),
    Group.CASES: _("Kasus"),
    Group.PREGNANCY: _("Ibu hamil"),
    Group.PREVENTION: _("Pencegahan"),
    Group.PARTNERS: _("Mitra dan bapak asuh"),
}


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    label: Promise
    group: Group
    subject: Subject
    denominator: str | None = None
    definition: Promise | str = ""
    #: True when a higher share is worse (red in the tile grid and the ranking).
    higher_is_worse: bool = False


INDICATORS: tuple[Indicator, ...] = (
    # --- SKDN (DOMAIN.md 2.6) ------------------------------------------------------------------
    Indicator(
        "s",
        _("S: balita di wilayah"),
        Group.WEIGHING,
        Subject.CHILD,
        definition=_("Anak aktif umur 0-59 bulan pada akhir bulan, menurut alamat keluarga."),
    ),
    Indicator(
        "d",
        _("D: balita ditimbang"),
        Group.WEIGHING,
        Subject.CHILD,
        "s",
        _("Balita S yang ditimbang (berat badan dicatat) dalam bulan ini. D/S = partisipasi."),
    ),
    Indicator(
        "n",
        _("N: berat badan naik"),
        Group.WEIGHING,
        Subject.CHILD,
        "d",
        _("Penimbangan terakhir bulan ini bertanda N (naik) menurut KMS. N/D = keberhasilan."),
    ),
    Indicator(
        "t2",
        _("2T: tidak naik dua kali berturut-turut"),
        Group.WEIGHING,
        Subject.CHILD,
        "d",
        _("Rujuk ke puskesmas."),
        higher_is_worse=True,
    ),
    Indicator(
        "bgm",
        _("BGM: bawah garis merah"),
        Group.WEIGHING,
        Subject.CHILD,
        "d",
        _("BB/U < -3 SD (berat badan sangat kurang), garis merah KMS. Rujuk ke puskesmas."),
        higher_is_worse=True,
    ),
    # --- Nutritional status among those measured (Permenkes 2/2020) ----------------------------
    Indicator(
        "measured_h",
        _("Diukur panjang/tinggi badan"),
        Group.STATUS,
        Subject.CHILD,
        "s",
        _("Balita S dengan kategori PB/U-TB/U dari pengukuran bulan ini."),
    ),
    Indicator(
        "stunted",
        _("Stunting (pendek + sangat pendek)"),
        Group.STATUS,
        Subject.CHILD,
        "measured_h",
        _("PB/U-TB/U < -2 SD pada pengukuran terakhir bulan ini."),
        higher_is_worse=True,
    ),
    Indicator(
        "measured_wh",
        _("Diukur BB/PB-BB/TB"),
        Group.STATUS,
        Subject.CHILD,
        "s",
        _("Balita S dengan kategori BB/PB-BB/TB dari pengukuran bulan ini."),
    ),
    Indicator(
        "wasted",
        _("Gizi kurang + gizi buruk (wasting)"),
        Group.STATUS,
        Subject.CHILD,
        "measured_wh",
        _("BB/PB-BB/TB < -2 SD."),
        higher_is_worse=True,
    ),
    Indicator(
        "severely_wasted",
        _("Gizi buruk"),
        Group.STATUS,
        Subject.CHILD,
        "measured_wh",
        _("BB/PB-BB/TB < -3 SD."),
        higher_is_worse=True,
    ),
    Indicator(
        "measured_w",
        _("Diukur BB/U"),
        Group.STATUS,
        Subject.CHILD,
        "s",
        _("Balita S dengan kategori BB/U dari pengukuran bulan ini."),
    ),
    Indicator(
        "underweight",
        _("Berat badan kurang + sangat kurang (underweight)"),
        Group.STATUS,
        Subject.CHILD,
        "measured_w",
        _("BB/U < -2 SD."),
        higher_is_worse=True,
    ),
    Indicator(
        "under6m",
        _("Bayi umur 0-5 bulan"),
        Group.PREVENTION,
        Subject.CHILD,
        "s",
        _("Balita S yang belum genap 6 bulan pada akhir bulan."),
    ),
    Indicator(
        "exclusive_bf",
        _("Bayi < 6 bulan ASI eksklusif"),
        Group.PREVENTION,
        Subject.CHILD,
        "under6m",
        _("Masa ASI eksklusif tercatat yang mencakup akhir bulan."),
    ),
    Indicator(
        "sw_managed",
        _("Gizi buruk dalam tata laksana kasus"),
        Group.PREVENTION,
        Subject.CHILD,
        "severely_wasted",
        _("Anak gizi buruk bulan ini yang mempunyai kasus gizi kurang/buruk yang ditangani."),
    ),
    Indicator(
        "moderate_wasted",
        _("Gizi kurang (tanpa gizi buruk)"),
        Group.STATUS,
        Subject.CHILD,
        "measured_wh",
        _("-3 SD <= BB/PB-BB/TB < -2 SD."),
        higher_is_worse=True,
    ),
    Indicator(
        "mw_fed",
        _("Gizi kurang yang menerima makanan tambahan"),
        Group.PREVENTION,
        Subject.CHILD,
        "moderate_wasted",
        _("Kasus gizi kurang dengan intervensi yang sudah diberikan sampai akhir bulan."),
    ),
    Indicator(
        "prevention_list",
        _("Anak dalam daftar pencegahan"),
        Group.PREVENTION,
        Subject.CHILD,
        "s",
        _("Dihitung bila modul daftar pencegahan (tumbuh.cases.prevention) terpasang."),
        higher_is_worse=True,
    ),
    # --- Cases (tumbuh.cases) ------------------------------------------------------------------
    Indicator(
        "cases_new",
        _("Kasus baru"),
        Group.CASES,
        Subject.CASE,
        definition=_("Kasus (semua jenis, kecuali yang ditolak) yang dibuka bulan ini."),
        higher_is_worse=True,
    ),
    Indicator(
        "cases_open",
        _("Kasus masih ditangani (akhir bulan)"),
        Group.CASES,
        Subject.CASE,
        definition=_("Kasus yang terbuka pada akhir bulan."),
    ),
    Indicator(
        "cases_closed",
        _("Kasus ditutup"),
        Group.CASES,
        Subject.CASE,
        definition=_("Kasus yang ditutup bulan ini, apa pun hasilnya."),
    ),
    Indicator(
        "cases_recovered",
        _("Pulih"),
        Group.CASES,
        Subject.CASE,
        "cases_closed",
        _("Ditutup bulan ini dengan hasil pulih."),
    ),
    Indicator(
        "cases_still_stunted",
        _("Masih stunting pada umur 5 tahun"),
        Group.CASES,
        Subject.CASE,
        "cases_closed",
        _("Ditutup bulan ini dengan hasil masih stunting pada umur 5 tahun."),
        higher_is_worse=True,
    ),
    Indicator(
        "cases_lost",
        _("Hilang dari pemantauan"),
        Group.CASES,
        Subject.CASE,
        "cases_closed",
        _("Ditutup bulan ini dengan hasil hilang dari pemantauan."),
        higher_is_worse=True,
    ),
    # --- Pregnancy (DOMAIN.md 2.7) -------------------------------------------------------------
    Indicator(
        "preg",
        _("Ibu hamil"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        definition=_("Kehamilan yang berlangsung pada akhir bulan."),
    ),
    Indicator(
        "preg_kek",
        _("Ibu hamil KEK"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg",
        _("LiLA < 23,5 cm."),
        higher_is_worse=True,
    ),
    Indicator(
        "preg_anaemia",
        _("Ibu hamil anemia"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg",
        _("Hb < 11 g/dL."),
        higher_is_worse=True,
    ),
    Indicator(
        "preg_anc_few",
        _("Kunjungan ANC kurang"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg",
        _("Tertinggal dari minimal 6 kunjungan (PMK 21/2021) menurut umur kehamilan."),
        higher_is_worse=True,
    ),
    Indicator(
        "preg_late",
        _("Ibu hamil umur kehamilan >= 36 minggu"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg",
    ),
    Indicator(
        "preg_ttd_few",
        _("TTD kurang (< 90 tablet pada >= 36 minggu)"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg_late",
        higher_is_worse=True,
    ),
    Indicator(
        "preg_kek_fed",
        _("Ibu hamil KEK yang menerima makanan tambahan"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg_kek",
        _("Kasus KEK dengan intervensi yang sudah diberikan sampai akhir bulan."),
    ),
    Indicator(
        "preg_ended",
        _("Persalinan bulan ini"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        definition=_("Kehamilan yang berakhir bulan ini (lahir hidup atau lahir mati)."),
    ),
    Indicator(
        "preg_ttd90",
        _("Persalinan dengan >= 90 TTD selama hamil"),
        Group.PREGNANCY,
        Subject.PREGNANCY,
        "preg_ended",
    ),
    # --- Partners (optional: the partners app) ---------------------------------------------------
    Indicator(
        "visits_due",
        _("Anak asuh dengan jadwal kunjungan bapak asuh"),
        Group.PARTNERS,
        Subject.CHILD,
        definition=_(
            "Anak dalam asuhan bapak asuh dengan sedikitnya satu jendela kunjungan 14 hari yang "
            "berakhir bulan ini. Dihitung bila aplikasi mitra terpasang."
        ),
    ),
    Indicator(
        "visits_done",
        _("Dikunjungi sesuai jadwal (tiap 14 hari)"),
        Group.PARTNERS,
        Subject.CHILD,
        "visits_due",
        _("Setiap jendela 14 hari yang berakhir bulan ini ada kunjungannya."),
    ),
    Indicator(
        "contributions_due",
        _("Kiriman kontribusi mitra terjadwal"),
        Group.PARTNERS,
        Subject.OTHER,
        definition=_("Kiriman yang dijadwalkan bulan ini. Dihitung bila aplikasi mitra terpasang."),
    ),
    Indicator(
        "contributions_delivered",
        _("Kontribusi mitra tersalurkan"),
        Group.PARTNERS,
        Subject.OTHER,
        "contributions_due",
        _("Diantar (dicatat atau terverifikasi) sampai akhir bulan."),
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
#: Indicators that need an optional module; hidden from the page when it is absent.
OPTIONAL = {
    "prevention_list": "tumbuh.cases.prevention",
    "visits_due": "tumbuh.partners",
    "visits_done": "tumbuh.partners",
    "contributions_due": "tumbuh.partners",
    "contributions_delivered": "tumbuh.partners",
}


@dataclass(frozen=True, slots=True)
class Target:
    """A Perpres 72/2021 specific-intervention indicator and its 2024 target (Lampiran)."""

    number: int
    label: Promise
    target_percent: float
    numerator: str | None  # None: Tumbuh does not record it (yet)
    source: str


PERPRES_SOURCE = "Perpres 72/2021, Lampiran (target 2024); DOMAIN.md 2.1"

#: The nine specific-intervention indicators (DOMAIN.md 2.1). The denominator of each is the
#: numerator indicator's own denominator.
TARGETS: tuple[Target, ...] = (
    Target(
        1, _("Ibu hamil KEK yang mendapat tambahan asupan gizi"), 90, "preg_kek_fed", PERPRES_SOURCE
    ),
    Target(
        2,
        _("Ibu hamil yang mengonsumsi >= 90 TTD selama kehamilan"),
        80,
        "preg_ttd90",
        PERPRES_SOURCE,
    ),
    Target(3, _("Remaja putri yang mengonsumsi TTD"), 58, None, PERPRES_SOURCE),
    Target(4, _("Bayi < 6 bulan mendapat ASI eksklusif"), 80, "exclusive_bf", PERPRES_SOURCE),
    Target(5, _("Anak 6-23 bulan yang mendapat MP-ASI"), 80, None, PERPRES_SOURCE),
    Target(
        6,
        _("Balita gizi buruk yang mendapat tata laksana gizi buruk"),
        90,
        "sw_managed",
        PERPRES_SOURCE,
    ),
    Target(
        7, _("Balita yang dipantau pertumbuhan dan perkembangannya (D/S)"), 90, "d", PERPRES_SOURCE
    ),
    Target(
        8, _("Balita gizi kurang yang mendapat tambahan asupan gizi"), 90, "mw_fed", PERPRES_SOURCE
    ),
    Target(9, _("Balita yang memperoleh imunisasi dasar lengkap"), 90, None, PERPRES_SOURCE),
)

# --- OPD scorecard (shown on the page and in the rakor pack) -----------------------------------
SCORE_OVERDUE_PENALTY = 5
SCORE_APPRECIATION_MIN = 90
SCORE_APPRECIATION_MIN_TASKS = 3
SCORE_RULE = _(
    "Skor = 100 × (tugas yang selesai tepat waktu ÷ tugas yang jatuh tempo bulan ini) "
    "− 5 × tugas terlambat yang masih terbuka pada akhir bulan (paling rendah 0). "
    "Kandidat apresiasi: skor ≥ 90 dengan sedikitnya 3 tugas jatuh tempo. "
    "Tanpa tugas jatuh tempo: tidak dinilai."
)


def opd_score(*, due: int, on_time: int, overdue: int) -> float | None:
    """The scoring rule above, as one function (tests check its edges)."""
    if due <= 0:
        return None
    return max(0.0, round(100.0 * on_time / due - SCORE_OVERDUE_PENALTY * overdue, 1))


def is_appreciation_candidate(*, score: float | None, due: int) -> bool:
    return (
        score is not None
        and score >= SCORE_APPRECIATION_MIN
        and due >= SCORE_APPRECIATION_MIN_TASKS
    )


# --- 8 aksi konvergensi (Kemendagri Bangda; DOMAIN.md 2.1) ---------------------------------------


@dataclass(frozen=True, slots=True)
class Aksi:
    number: int
    name: str
    evidence: Promise
    indicators: tuple[str, ...]  # figures from this table that document the action


AKSI_SOURCE = "Bimtek 8 Aksi Konvergensi (Kemendagri Ditjen Bina Bangda); DOMAIN.md 2.1"
AKSI: tuple[Aksi, ...] = (
    Aksi(
        1,
        "Analisis situasi",
        _("Sebaran stunting per kelurahan dan cakupan layanan"),
        ("stunted", "measured_h", "d", "s"),
    ),
    Aksi(
        2,
        "Penyusunan rencana kegiatan",
        _("Tindak lanjut bulan berikutnya (lembar Tindak lanjut)"),
        (),
    ),
    Aksi(3, "Rembuk stunting", _("Bahan rakor ini"), ()),
    Aksi(4, "Perbup/Perwali peran desa/kelurahan", _("Di luar Tumbuh"), ()),
    Aksi(
        5,
        "Pembinaan pelaku dan pemerintahan desa/kelurahan",
        _("Rapor OPD dan tugas terlambat"),
        (),
    ),
    Aksi(
        6,
        "Sistem manajemen data stunting",
        _("Data by name by address: kasus dan intervensi"),
        ("cases_new", "cases_open", "cases_closed"),
    ),
    Aksi(
        7,
        "Pengukuran dan publikasi data stunting",
        _("Penimbangan bulanan (SKDN) dan status gizi"),
        ("s", "d", "stunted", "wasted", "underweight"),
    ),
    Aksi(
        8,
        "Reviu kinerja tahunan",
        _("Tren 12 bulan dan cakupan Perpres 72/2021"),
        ("cases_recovered", "cases_lost"),
    ),
)
