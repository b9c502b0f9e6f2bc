"""40 ordinary questions that name danger words (bleeding, tablets, fever, pain...) as topics.

Written for issue 10 to measure the precision of the danger rules: none of them describes a
symptom happening now, so none may get the urgent referral. Run from the repository root:
``python eval/chatbot/src/topic_danger.py`` writes ``eval/chatbot/topic_danger.jsonl``.
"""

import json

ITEMS = [
    ("ttd buat bumil diminum berapa tablet selama hamil", "ttd-ibu-hamil"),
    ("ibu hamil harus minum tablet tambah darah berapa banyak", "ttd-ibu-hamil"),
    ("berapa tablet fe yang harus diminum bumil sampai melahirkan", "ttd-ibu-hamil"),
    ("tablet tambah darah diminum pagi atau malam bagusnya", "ttd-cara-minum"),
    ("kenapa ttd bikin mual dan bab hitam, wajar gak", "ttd-cara-minum"),
    ("remaja putri minum ttd seminggu sekali itu buat apa", "ttd-remaja-putri"),
    ("apa saja tanda bahaya kehamilan yang harus diwaspadai", "tanda-bahaya-kehamilan"),
    ("perdarahan saat hamil termasuk tanda bahaya ya", "tanda-bahaya-kehamilan"),
    ("mau tanya tanda tanda bahaya pada bayi baru lahir apa aja", "tanda-bahaya-anak"),
    ("tanda bahaya anak sakit yang harus segera dibawa ke puskesmas apa saja", "tanda-bahaya-anak"),
    ("kenapa anemia waktu hamil bisa bikin perdarahan pas melahirkan", "anemia-ibu-hamil"),
    ("biasanya demam setelah imunisasi berapa lama", "imunisasi-demam-setelahnya"),
    ("habis imunisasi dpt anak biasanya panas ya, itu normal?", "imunisasi-demam-setelahnya"),
    ("apakah anak yang sering demam dan sakit bisa jadi stunting", "infeksi-dan-gizi"),
    ("hubungan diare dengan stunting apa", "infeksi-dan-gizi"),
    ("diare pada balita bisa dicegah dengan apa saja", "diare-pencegahan"),
    ("cara mencegah anak cacingan gimana", "cacingan"),
    ("obat cacing diberikan tiap berapa bulan di posyandu", "cacingan"),
    ("anemia pada remaja putri penyebabnya apa", "anemia-remaja"),
    ("kenapa ibu hamil harus periksa kehamilan minimal 6 kali", "anc-pemeriksaan-kehamilan"),
    ("sakit apa saja yang bisa dicegah dengan imunisasi dasar", "imunisasi-dasar"),
    ("kalau anak pernah sakit lama apa pertumbuhannya bisa terganggu", "infeksi-dan-gizi"),
    ("apakah nyeri saat menyusui bikin asi sedikit", None),
    ("kenapa persalinan harus di fasilitas kesehatan bukan di rumah", "persalinan-faskes"),
    ("gizi buruk itu tandanya apa saja", "gizi-buruk-penanganan"),
    ("anak gizi buruk ditangani seperti apa di puskesmas", "gizi-buruk-penanganan"),
    ("bengkak pada kaki anak gizi buruk itu maksudnya apa", None),
    ("kenapa asap rokok bahaya untuk bayi", "asap-rokok"),
    ("ibu hamil kek itu bahaya gak buat bayinya", "kek-lila"),
    ("apa itu preeklamsia dan bagaimana mencegahnya", None),
    ("kenapa jarak kehamilan terlalu dekat berisiko", "jarak-kehamilan-kb"),
    ("apakah demam tinggi pada anak selalu harus ke dokter", None),
    ("kalau nanti anak kejang karena demam, apa yang harus disiapkan orang tua", None),
    ("bumil boleh minum paracetamol gak kalau pusing", None),
    ("vitamin a dosis merah dan biru bedanya apa", "vitamin-a"),
    ("how many iron tablets should a pregnant woman take", "ttd-ibu-hamil"),
    ("what are the danger signs in pregnancy", "tanda-bahaya-kehamilan"),
    ("is fever after vaccination normal", "imunisasi-demam-setelahnya"),
    ("what are the danger signs of a sick child", "tanda-bahaya-anak"),
    ("why does anemia in pregnancy cause bleeding risk", "anemia-ibu-hamil"),
]

if __name__ == "__main__":
    with open("eval/chatbot/topic_danger.jsonl", "w", encoding="utf-8") as fh:
        for i, (text, topic) in enumerate(ITEMS, start=1):
            expect = {"behaviour": "not_urgent"}
            if topic:
                expect["topic_optional"] = topic
            case = {"id": f"topic-danger-{i}", "kind": "topic-danger", "text": text}
            fh.write(json.dumps({**case, "expect": expect}, ensure_ascii=False) + "\n")
    print(len(ITEMS))
