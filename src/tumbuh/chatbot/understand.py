"""What does the message ask for? Intents by explicit rules first, retrieval for questions.

Order (ADR 0022): safety rules (danger signs, privacy, injection, medicine) are checked by
:mod:`tumbuh.chatbot.safety` before this module; then the rules here pick the
conversational intents (greeting, growth check, my child, where to go, handoff...); whatever
is left is a question for the knowledge base, answered only above the confidence threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Final

from tumbuh.chatbot.normalise import Normalised, wordset

__all__ = [
    "Intent",
    "find_kelurahan",
    "is_no",
    "is_yes",
    "rule_intent",
]


class Intent(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    MENU = "menu"
    QUESTION = "question"
    GROWTH_CHECK = "growth_check"
    MY_CHILD = "my_child"
    VISITS_DUE = "visits_due"
    WHERE_TO_GO = "where_to_go"
    HOW_TO_HELP = "how_to_help"
    HANDOFF = "handoff"
    WITHDRAW_CONSENT = "withdraw_consent"
    LOG_CONSENT = "log_consent"
    VERIFY = "verify"
    ANSWER = "answer"
    """A reply to what the bot asked (a slot, yes/no, a code, a number from a list)."""
    UNSURE = "unsure"
    OUT_OF_SCOPE = "out_of_scope"
    DANGER = "danger"
    PRIVACY = "privacy"
    INJECTION = "injection"
    IDENTIFIER = "identifier"
    MEDICINE = "medicine"
    DIAGNOSIS = "diagnosis"
    VISIT_LEAD = "visit_lead"
    """The kader-visit offer after a worrying growth check: consent, phone, kelurahan."""
    SILENT = "silent"
    """A person holds the conversation: the bot says nothing."""


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_GREETING: Final = _rx(
    r"^(halo+|hallo+|hai+|hi+|hello+|hey+|helo+|pagi|siang|sore|malam"
    r"|selamat (pagi|siang|sore|malam)|assalamualaikum|assalamu alaikum|salam|permisi|punten"
    r"|p|tes|test|good (morning|afternoon|evening))"
    r"( (kak|min|admin|bu|pak|bot|semua|dok|bunda|sis|gan|ibu|bapak|bos))?"
    r"( wr wb| warahmatullahi.*)?$",
)
_THANKS: Final = _rx(
    r"^(oke |ok |baik |sip |siap |wah |oh )?(terima kasih|terimakasih|thanks?|thank you|thx|"
    r"hatur nuhun|nuhun|matur nuwun|makasih|oke|ok|sip|siap|mantap|baik|noted|paham|mengerti)"
    r"( (banyak|ya|yah|kak|min|bu|pak|infonya|informasinya|atas infonya|sekali|banget|"
    r"jawabannya|penjelasannya|so much|very much|dok))*( ya| yah| kak| min)?$",
    r"^(dadah|bye|sampai jumpa|sampai nanti|see you|selamat tinggal)$",
)
_MENU: Final = _rx(
    r"^(menu|bantuan|help|tolong|mulai|start|/start|fitur|info|informasi)$",
    r"^(kamu|anda|bot ini|layanan ini) bisa (apa|bantu apa)( saja)?$",
)
_HANDOFF: Final = _rx(
    r"\b(bicara|ngobrol|chat|berbicara|hubungi|hubungkan|sambungkan|disambungkan|dihubungkan|"
    r"konsultasi|konsul|tanya|minta|mau|ingin|butuh|perlu|tolong)( langsung)?"
    r" (dengan |sama |ke |kepada |ama )?"
    r"(petugas|manusia|orang|admin|operator|kader|bidan|ahli gizi|petugas gizi|tenaga gizi|"
    r"nutrisionis|cs|customer service|orang asli|staf|staff)\b",
    r"^(petugas|manusia|operator|admin|agen|cs|human|agent)( saja| aja| dong| please| ya)?$",
    r"\b(talk|speak|chat) (to|with) (a |an |the )?(human|person|agent|real person|someone|officer)",
    r"\b(real person|human agent|live agent)\b",
    r"\b(bukan|jangan) (dengan |sama )?(robot|bot|mesin)\b",
)
_WITHDRAW: Final = _rx(
    r"\b(tarik|cabut|batalkan|membatalkan|menarik) (semua )?(persetujuan|izin|consent)",
    r"\b(hapus|hapuskan|delete) (semua )?(data|percakapan|chat)( saya| kami)?\b",
    r"\bjangan (simpan|menyimpan) (data|percakapan|chat)",
    r"\b(withdraw|revoke) (my )?consent",
)
_LOG_CONSENT: Final = _rx(
    r"^(saya )?(setuju|boleh|izinkan|mengizinkan) (percakapan|chat|obrolan)( ini)? (di)?simpan",
    r"^setuju simpan$",
)
_VERIFY: Final = _rx(r"^(verifikasi|verify|kode otp|otp|login|masuk)( nomor( hp)?)?$")
_MY_CHILD: Final = _rx(
    r"\b(lihat|cek|tampilkan|tunjukkan|buka|minta|kirimkan|berapa|mana)\w*\W+(\w+\W+){0,2}"
    r"(data|hasil|catatan|riwayat|grafik|timbangan|penimbangan|pengukuran|kms)\w*\W+(\w+\W+){0,2}"
    r"(anak|bayi|balita) (saya|kami|ku)\b",
    r"^(data|hasil|catatan|riwayat)\w*( (timbang|penimbangan|ukur|pengukuran|posyandu|terakhir|"
    r"pertumbuhan))* (anak|bayi|balita) (saya|kami|ku)$",
    r"\b(hasil|data)\w* (timbang|penimbangan|ukur|pengukuran)\w* terakhir",
    r"\b(anak|bayi|balita) (saya|kami|ku) (terakhir|kemarin|bulan lalu) (ditimbang|diukur)",
    r"\b(kapan|jadwal) (posyandu|penimbangan|timbang)\w* (berikutnya |selanjutnya )?(untuk )?"
    r"(anak|bayi|balita) (saya|kami|ku)",
    r"\b(posyandu|penimbangan|timbang)\w* (berikutnya|selanjutnya) (anak|bayi|balita) (saya|kami)",
    r"\bmy (child|baby|son|daughter).s (record|data|last weighing|measurement)",
)
_VISITS: Final = _rx(
    r"\b(jadwal|daftar|agenda) kunjungan\b",
    r"\bkunjungan (saya|berikutnya|selanjutnya|yang (jatuh tempo|harus|belum))",
    r"\b(anak|balita) asuh (saya|kami)\b",
    r"\bsiapa (saja )?yang (harus|perlu) saya kunjungi",
    r"\b(kapan|kemana) saya (harus )?(berkunjung|mengunjungi|kunjungan)",
    r"\b(visits?|visit schedule) (due|are due)\b",
)
_WHERE: Final = _rx(
    r"\b(di ?mana|dimana|mana|lokasi|alamat|letak|kapan|jadwal|jam buka|buka)\w* (ada )?"
    r"(posyandu|puskesmas|pustu|bidan|klinik)\b",
    r"\b(posyandu|puskesmas|pustu)\w* (terdekat|dekat|di mana|dimana|mana|yang dekat|"
    r"wilayah|buka|kapan|jadwal|alamat|untuk kelurahan|di kelurahan|kelurahan)",
    r"\b(periksa|timbang|imunisasi|ke posyandu|ke puskesmas) (di ?mana|dimana|kemana)\b",
    r"^(posyandu|puskesmas)( terdekat)?$",
    r"\bwhere (is|are|can i find) (the )?(nearest )?(posyandu|puskesmas|health cent)",
)
_HOW_TO_HELP: Final = _rx(
    r"\b(saya|kami|perusahaan|komunitas|kantor|organisasi|yayasan|kelompok)\w* (ingin|mau|bisa|"
    r"akan|berniat|pengen|tertarik) (ikut )?(membantu|bantu|berdonasi|donasi|menyumbang|"
    r"sumbang|menjadi bapak asuh|jadi bapak asuh|jadi mitra|menjadi mitra|menjadi relawan|"
    r"jadi relawan|berkontribusi|menyalurkan)",
    r"\b(cara|bagaimana) (membantu|bantu|berdonasi|donasi|menyumbang|jadi bapak asuh|menjadi "
    r"bapak asuh|jadi mitra|menjadi mitra|berkontribusi)\b",
    r"\b(how can i|i want to|we want to) (help|donate|sponsor|volunteer)",
)
_GROWTH: Final = _rx(
    r"\b(cek|periksa|hitung|nilai|lihat)\w* (status )?(gizi|pertumbuhan|stunting|tinggi|"
    r"berat|z ?score|tumbuh)",
    r"\b(apa|apakah) (anak|bayi|balita)(ku| saya| kami| ku)( ini)? (stunting|pendek|normal|"
    r"kurus|gizi buruk|gizi kurang|kurang gizi|gemuk|obesitas)",
    r"\b(anak|bayi|balita)\w* (saya|ku|kami) (stunting|pendek|normal|kurus|gizi buruk|"
    r"kurang gizi|gemuk) (tidak|atau tidak|atau tidak ya|bukan|ya|kah|nggak|gak)\b",
    r"\b(tinggi|berat|panjang)( badan)? (anak|bayi|balita)\w* (saya|ku|kami) (sudah )?"
    r"(normal|cukup|kurang|sesuai|ideal|bagus) ?(tidak|atau tidak|atau belum|belum|ya|kah|"
    r"bukan|nggak)?\s*$",
    r"\bis my (child|baby|son|daughter) (stunted|short|normal|underweight|too short)",
    r"\bcheck my (child|baby|son|daughter)",
)
#: Words that make "anak pendek ... stunting" a question about stunting, not a measurement
#: ("apakah anak pendek pasti stunting?", issue 10).
_KNOWLEDGE: Final = _rx(
    r"\b(pasti|selalu|semua|setiap|artinya|maksudnya|bedanya|beda|perbedaan|berarti|disebut|"
    r"dikatakan|termasuk|ciri|cirinya|penyebab|sebab|kenapa|mengapa|apa itu|always|every|mean)\b"
)
_CHILD_WORDS: Final = _rx(
    r"\b(anak|bayi|balita|batita|baduta|putra|putri|si kecil|adik|laki-laki|perempuan|cucu)"
)
_PREGNANCY_WORDS: Final = _rx(r"\b(hamil|kehamilan|kandungan|janin|ibu hamil|trimester)")
_YES: Final = _rx(
    r"^(ya+|iya+|iy|y|yes|yup|yap|setuju|saya setuju|boleh|oke|ok|okay|baik|mau|bersedia|"
    r"lanjut|siap|betul|benar|tentu|silakan|sip|gas)( (saya )?(setuju|boleh|bersedia|dong|deh|"
    r"kak|min|silakan|lanjut))*$"
)
_NO: Final = _rx(
    r"^(tidak+|tdk|tak|no|nope|jangan|tolak|batal|batalkan|nanti saja|nanti aja|"
    r"tidak setuju|saya tidak setuju|tidak mau|tidak usah|enggak|cancel|stop|berhenti)"
    r"( (dulu|deh|dong|saja|kak|min|terima kasih))*$"
)


def is_yes(text: str) -> bool:
    return bool(_YES.match(text.strip()))


def is_no(text: str) -> bool:
    return bool(_NO.match(text.strip()))


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@lru_cache(maxsize=8)
def _keys(names: tuple[str, ...]) -> dict[str, str]:
    return {_key(name): name for name in names if len(_key(name)) >= 4}


def find_kelurahan(raw: str, names: Sequence[str]) -> str | None:
    """The kelurahan named in a message ("kel. Tegal lega", "di Bubulak"), longest name first."""
    keys = _keys(tuple(names))
    words = re.findall(r"[a-z]+", raw.lower())
    # Windows of one to three words, squashed, so "Tegal lega" finds "Tegallega".
    found = [
        keys[w]
        for w in {"".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words))}
        if w in keys
    ]
    return max(found, key=lambda name: len(_key(name))) if found else None


_SLOT_WORDS: Final = wordset(
    "anak bayi balita saya ku kami laki-laki laki perempuan umur usia berumur tahun bulan hari "
    "minggu jenis kelamin putra putri adik si kecil yang dan ini namanya baru sekarang lahir "
    "berat badan tinggi panjang cm kg sentimeter kilogram gram ukur diukur berdiri berbaring "
    "nya ya kak bu min pak dia cucu cek periksa tolong dong mau nanya tanya lelaki cowok cewek"
)
_WHERE_WORDS: Final = wordset(
    "posyandu puskesmas pustu bidan klinik di mana lokasi alamat letak kapan jadwal jam buka "
    "terdekat dekat yang wilayah kelurahan kel kecamatan rumah saya kami untuk ada ke dari sini "
    "tempat timbang imunisasi periksa hari ini besok bulan ya kak min bu pak tolong info cari "
    "mau ingin tahu nearest where is the can find health centre center a i tinggal"
)


def _leftover(n: Normalised, allowed: frozenset[str], extra: frozenset[str]) -> int:
    return sum(1 for t in n.tokens if t not in allowed and t not in extra and not t.isdigit())


def rule_intent(n: Normalised, place_words: frozenset[str] = frozenset()) -> Intent | None:
    """The intent given by explicit rules, or None (a question for the knowledge base).

    ``place_words`` are the words of a kelurahan named in the message (they count as part of
    a "where is my posyandu" request, not as a different question).
    """
    text = n.text.strip()
    raw = n.raw.lower().strip(" ?!.,")
    if not text and not n.measures.any:
        if _GREETING.match(raw):
            return Intent.GREETING
        return None
    short = len(n.tokens) <= 6
    if short and (_GREETING.match(text) or _GREETING.match(raw)):
        return Intent.GREETING
    if short and (_THANKS.match(text) or _THANKS.match(raw)):
        return Intent.THANKS
    if short and (_MENU.match(text) or _MENU.match(raw)):
        return Intent.MENU
    if _WITHDRAW.search(text):
        return Intent.WITHDRAW_CONSENT
    if _LOG_CONSENT.search(text):
        return Intent.LOG_CONSENT
    if _VERIFY.match(text):
        return Intent.VERIFY
    if _HANDOFF.search(text) or _HANDOFF.search(raw):
        return Intent.HANDOFF
    if _VISITS.search(text):
        return Intent.VISITS_DUE
    if _MY_CHILD.search(text) and not n.measures.has_measurement:
        return Intent.MY_CHILD
    pregnancy_only = _PREGNANCY_WORDS.search(text) and not _CHILD_WORDS.search(text)
    if n.measures.has_measurement and not pregnancy_only:
        return Intent.GROWTH_CHECK
    if _GROWTH.search(text) and not pregnancy_only and not _KNOWLEDGE.search(text):
        return Intent.GROWTH_CHECK
    if (
        n.measures.any
        and not pregnancy_only
        and (n.measures.age_months is not None or n.measures.sex is not None)
        and _leftover(n, _SLOT_WORDS, place_words) <= 1
    ):
        return Intent.GROWTH_CHECK
    if _WHERE.search(text) and _leftover(n, _WHERE_WORDS, place_words) <= 1:
        return Intent.WHERE_TO_GO
    if _HOW_TO_HELP.search(text):
        return Intent.HOW_TO_HELP
    return None
