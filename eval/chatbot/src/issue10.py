"""Issue-10 evaluation cases (dev set: written while fixing, used for tuning).

Run from the repository root: ``python eval/chatbot/src/issue10.py`` writes
``eval/chatbot/issue10.jsonl``. Growth cases carry only the values the parent gave
(``values``); the expected categories are computed by ``tumbuh.growth`` when the set is
loaded (``tumbuh.chatbot.evaluate.expected_growth``), never typed by hand.
"""

import json

CASES: list[dict] = []


def growth(i, turns, sex, age, weight=None, lenhei=None, expect=None):
    CASES.append(
        {
            "id": f"i10-growth-{i}",
            "kind": "growth-conv",
            "turns": turns,
            "values": {"sex": sex, "age": age, "weight": weight, "lenhei": lenhei},
            "expect": expect or {},
        }
    )


def case(i, kind, turns, expect):
    CASES.append({"id": f"i10-{i}", "kind": kind, "turns": turns, "expect": expect})


ASK_SEX = {"behaviour": "ask_sex"}
# 40 multi-turn growth conversations (partial and full), as parents write on WhatsApp.
growth(1, ["anak sy 18 bln tinggi 74cm normal ga", "cowok"], 1, 18, lenhei=74)
growth(2, ["bun anak 2 thn pnjg 80 cm", "perempuan"], 2, 24, lenhei=80)
growth(3, ["cek tinggi anak dong", "laki2, umur 14 bulan", "70 cm"], 1, 14, lenhei=70)
growth(4, ["anak cewe 9 bln bb 6,5 kg"], 2, 9, weight=6.5)
growth(5, ["bayi laki 4 bln berat 5 kg kurang ga"], 1, 4, weight=5)
growth(6, ["mau nanya anak sy umur 3 tahun tingginya 88", "laki laki"], 1, 36, lenhei=88)
growth(7, ["anak perempuan 1 thn 3 bln", "tinggi 71 cm"], 2, 15, lenhei=71)
growth(8, ["my son is 2 years old and 82 cm"], 1, 24, lenhei=82)
growth(9, ["my daughter is 10 months old, 7 kg"], 2, 10, weight=7)
growth(10, ["baby boy 6 months 64 cm"], 1, 6, lenhei=64)
growth(11, ["anak sy 20 bln tb 78 cm", "cewe", "beratnya 9 kg"], 2, 20, weight=9, lenhei=78)
growth(12, ["anak laki2 2,5 thn tinggi 85 cm"], 1, 30, lenhei=85)
growth(13, ["cucu sy perempuan 4 thn tinggi 95cm"], 2, 48, lenhei=95)
growth(14, ["anak cowo 11 bulan bb 8,2"], 1, 11, weight=8.2)
growth(15, ["anakku 1 thn 8 bln pb 76", "laki"], 1, 20, lenhei=76)
growth(16, ["balita perempuan 3 th bb 12 kg tb 90 cm"], 2, 36, weight=12, lenhei=90)
growth(17, ["cek gizi anak", "perempuan", "2 tahun", "tinggi 79 cm berat 10 kg"], 2, 24, 10, 79)
growth(18, ["anak sy 7 bln pnjang 63 cm", "perempuan"], 2, 7, lenhei=63)
growth(19, ["anak lelaki 16 bln tinggi 75"], 1, 16, lenhei=75)
growth(20, ["bayi cewek 5 bulan berat 6 kg", "panjangnya 62 cm"], 2, 5, 6, 62)
growth(21, ["anak sy 2 thn 3 bln bb 10,5 kg", "laki2"], 1, 27, weight=10.5)
growth(22, ["anak perempuan umur 13 bulan tinggi 72 cm bb 8 kg"], 2, 13, 8, 72)
growth(23, ["is my son stunted? 3 years, 89 cm"], 1, 36, lenhei=89)
growth(24, ["girl 18 months 76 cm 9 kg"], 2, 18, 9, 76)
growth(25, ["anak sy 4 thn 6 bln tinggi 98 cm", "cowok"], 1, 54, lenhei=98)
growth(26, ["bayi laki2 3 bln pb 58 cm bb 5,5"], 1, 3, 5.5, 58)
growth(27, ["anak cewe 2 thn tb 84"], 2, 24, lenhei=84)
growth(28, ["anakku cowo 10 bln tinggi 70", "beratnya 8,5 kg"], 1, 10, 8.5, 70)
growth(29, ["anak sy 1 thn tinggi 71 cm", "laki-laki"], 1, 12, lenhei=71)
growth(30, ["adik perempuan 8 bulan bb 6 kg pb 65"], 2, 8, 6, 65)
growth(31, ["anak 3,5 thn tinggi 92", "perempuan"], 2, 42, lenhei=92)
growth(32, ["anak laki2 umur 2 tahun 82cm"], 1, 24, lenhei=82)
growth(33, ["balita cowok 4 tahun bb 13 kg"], 1, 48, weight=13)
growth(34, ["anak perempuan 19 bln tinggi 73 cm", "berat 8 kg"], 2, 19, 8, 73)
growth(35, ["tolong cek anak cewek 6 bln", "bb 7 kg", "pb 66 cm"], 2, 6, 7, 66)
growth(36, ["anak sy 15 bln tb 72 cm", "laki2", "bb 9 kg"], 1, 15, 9, 72)
growth(37, ["my baby girl is 4 months, weight 6 kg"], 2, 4, weight=6)
growth(38, ["anak laki laki 3 thn 2 bln tingginya 90 cm"], 1, 38, lenhei=90)
growth(39, ["anak sy umur 22 bln pb 80 cm", "cewek"], 2, 22, lenhei=80)
growth(40, ["bayi perempuan 1 thn bb 7,5 kg", "tinggi 70 cm"], 2, 12, 7.5, 70)
# asking only for sex
growth(41, ["anak sy umur 18 bln tingginya 74 cm normal gak?"], None, 18, lenhei=74, expect=ASK_SEX)
growth(42, ["my kid is 2 years old and 85 cm"], None, 24, lenhei=85, expect=ASK_SEX)
growth(43, ["anak 9 bln bb 7 kg"], None, 9, weight=7, expect=ASK_SEX)
# impossible values: named as probably mistyped, never a slot question or a z-score
for i, text in enumerate(
    [
        "anak sy 2 thn tinggi 150 cm",
        "bayi 6 bln berat 70 kg",
        "anak perempuan 1 thn tb 10 cm",
        "anak 3 thn bb 0,2 kg tinggi 90",
        "my son is 2 years old and 180 cm",
        "anak laki2 18 bln bb 60 kg tinggi 80 cm",
    ],
    start=1,
):
    case(f"implausible-{i}", "growth-conv", [text], {"behaviour": "question_values"})
# knowledge questions about short children are not the growth form
for i, (text, topic) in enumerate(
    [
        ("apakah anak pendek pasti stunting", "stunting-bukan-sekadar-pendek"),
        ("anak yang pendek selalu stunting ya bu", "stunting-bukan-sekadar-pendek"),
        ("kenapa anak bisa pendek", "stunting-penyebab"),
    ],
    start=1,
):
    case(f"knowledge-{i}", "clean", [text], {"topic": topic})
# greetings and small talk, in kind
for i, text in enumerate(
    [
        "assalamualaikum",
        "assalamualaikum, mau tanya bu",
        "pagi kak",
        "siang bu bidan",
        "halo min",
        "permisi kak mau nanya",
        "selamat sore",
        "punten",
    ],
    start=1,
):
    case(f"greeting-{i}", "greeting", [text], {"intent": "greeting"})
case("greeting-salam", "greeting", ["assalamualaikum wr wb"], {"contains": "alaikumsalam"})
case("greeting-pagi", "greeting", ["pagi kak"], {"contains": "Selamat pagi"})
for i, text in enumerate(
    ["makasih ya", "makasih ya bu", "terima kasih banyak kak", "ok makasih"], 1
):
    case(f"thanks-{i}", "greeting", [text], {"intent": "thanks"})
case(
    "greeting-question",
    "greeting",
    ["assalamualaikum bu, asi eksklusif itu sampai umur berapa"],
    {"contains": "alaikumsalam", "intent": "question"},
)
# local services from the directory
case(
    "services-1",
    "services",
    ["puskesmas di kecamatan bogor utara apa saja"],
    {"contains": "Puskesmas Warung Jambu"},
)
case(
    "services-2",
    "services",
    ["jadwal posyandu kelurahan tegal gundil"],
    {"contains": "Rabu minggu ke-1"},
)
case("services-3", "services", ["nomor telepon puskesmas sempur"], {"contains": "belum tercatat"})
case("services-4", "services", ["jam buka puskesmas tegal gundil"], {"contains": "belum tercatat"})
case("services-5", "services", ["posyandu di kel batu tulis kapan"], {"contains": "belum tercatat"})
# the lead offer
case("lead-1", "lead", ["anak cewek 3 thn tb 85 cm"], {"offer_visit": True})
case("lead-2", "lead", ["anak laki2 2 thn tinggi 86 cm"], {"offer_visit": False})
case(
    "lead-3", "lead", ["anak perempuan 10 bulan panjang 70 cm berat 5,8 kg"], {"offer_visit": True}
)
case(
    "lead-4",
    "lead",
    ["anak cewek 3 thn tb 85 cm", "ya", "081234567890", "Sempur"],
    {"intent": "visit_lead", "contains": "sudah diteruskan"},
)
case(
    "lead-5",
    "lead",
    ["anak cewek 3 thn tb 85 cm", "tidak"],
    {"intent": "visit_lead", "not_contains": "sudah diteruskan"},
)
case("lead-6", "lead", ["berat badan anak saya tidak naik 2 bulan"], {"offer_visit": True})

if __name__ == "__main__":
    with open("eval/chatbot/issue10.jsonl", "w", encoding="utf-8") as fh:
        for c in CASES:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(len(CASES))
