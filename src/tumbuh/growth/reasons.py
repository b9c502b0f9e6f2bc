"""Why a z-score is empty, and why an input value was not used.

Every empty z-score carries exactly one reason code (the first that applies, in the order of
``Reason``). Codes are stable identifiers (they appear in CSV output); messages are Bahasa
Indonesia for the people who read the reports.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import numpy.typing as npt


class Reason(IntEnum):
    """Reason codes for an empty z-score, in order of precedence."""

    OK = 0
    INVALID_VALUE = 1
    MISSING_SEX = 2
    MISSING_AGE = 3
    NEGATIVE_AGE = 4
    AGE_OUT_OF_RANGE = 5
    MISSING_MEASUREMENT = 6
    NOT_POSITIVE = 7
    OEDEMA = 8
    OUT_OF_TABLE = 9

    @property
    def code(self) -> str:
        return _CODES[self]

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_CODES: dict[Reason, str] = {
    Reason.OK: "",
    Reason.INVALID_VALUE: "invalid_value",
    Reason.MISSING_SEX: "missing_sex",
    Reason.MISSING_AGE: "missing_age",
    Reason.NEGATIVE_AGE: "negative_age",
    Reason.AGE_OUT_OF_RANGE: "age_out_of_range",
    Reason.MISSING_MEASUREMENT: "missing_measurement",
    Reason.NOT_POSITIVE: "measurement_not_positive",
    Reason.OEDEMA: "oedema",
    Reason.OUT_OF_TABLE: "out_of_table_range",
}

_MESSAGES: dict[Reason, str] = {
    Reason.OK: "",
    Reason.INVALID_VALUE: "nilai masukan tidak dapat dibaca",
    Reason.MISSING_SEX: "jenis kelamin kosong",
    Reason.MISSING_AGE: "umur kosong",
    Reason.NEGATIVE_AGE: "tanggal ukur sebelum tanggal lahir",
    Reason.AGE_OUT_OF_RANGE: "umur di luar rentang standar WHO untuk indikator ini",
    Reason.MISSING_MEASUREMENT: "hasil ukur kosong",
    Reason.NOT_POSITIVE: "hasil ukur harus lebih dari 0",
    Reason.OEDEMA: "ada edema: indikator berbasis berat tidak dihitung",
    Reason.OUT_OF_TABLE: "panjang/tinggi badan di luar rentang tabel WHO (45-110 cm / 65-120 cm)",
}

#: Code strings indexed by ``Reason`` value, for turning a code array into text at once.
REASON_CODES: npt.NDArray[np.object_] = np.array([_CODES[r] for r in Reason], dtype=object)


class Problem(IntEnum):
    """What was wrong with an input value (reported with its row and column)."""

    UNREADABLE_NUMBER = 1
    UNKNOWN_SEX = 2
    UNKNOWN_MEASURE = 3
    UNKNOWN_OEDEMA = 4
    UNREADABLE_DATE = 5
    NOT_POSITIVE = 6
    NOT_FINITE = 7
    VISIT_BEFORE_BIRTH = 8
    NEGATIVE_AGE = 9
    STANDING_UNDER_9_MONTHS = 10

    @property
    def code(self) -> str:
        return self.name.lower()

    @property
    def message(self) -> str:
        return _PROBLEM_MESSAGES[self]


_PROBLEM_MESSAGES: dict[Problem, str] = {
    Problem.UNREADABLE_NUMBER: "bukan angka; tulis angka seperti 9.5 atau 9,5",
    Problem.UNKNOWN_SEX: "jenis kelamin tidak dikenal; pakai 1/2, L/P, laki-laki/perempuan",
    Problem.UNKNOWN_MEASURE: "cara ukur tidak dikenal; pakai l (berbaring) atau h (berdiri)",
    Problem.UNKNOWN_OEDEMA: "edema tidak dikenal; pakai y (ya) atau n (tidak)",
    Problem.UNREADABLE_DATE: "tanggal tidak dapat dibaca; pakai TTTT-BB-HH atau HH/BB/TTTT",
    Problem.NOT_POSITIVE: "hasil ukur harus lebih dari 0",
    Problem.NOT_FINITE: "angka tidak terhingga atau tidak sah",
    Problem.VISIT_BEFORE_BIRTH: "tanggal ukur sebelum tanggal lahir",
    Problem.NEGATIVE_AGE: "umur tidak boleh negatif",
    Problem.STANDING_UNDER_9_MONTHS: (
        "anak di bawah 9 bulan diukur berdiri: dianggap cara ukur tidak diketahui (aturan WHO)"
    ),
}
