"""Case-opening rules as data (DHIS2 program-rule style) and the one evaluator every path uses.

Each :class:`Rule` names an indicator of a stored fact (a child's measurement, or a pregnancy),
a comparison and a threshold, the case kind and severity it opens, and its source. The
evaluator (:func:`evaluate_child`, :func:`evaluate_pregnancy`) is the only code that reads the
table; the form, the import and the API reach it through ``cases.services`` (the registry's
``measurements_changed`` and ``pregnancy_changed`` signals). ADR 0054 explains the choices.

A measurement whose indicator the growth engine flagged as implausible (WHO flags: ``flen``,
``fwei``, ``fwfl``) never opens a case by itself: the evaluator returns a hit with
``action == "remeasure"`` instead, and the services add a "perlu ukur ulang" line to an open
case of that kind, or do nothing. Once the value was checked and confirmed by whoever recorded
it (the registry clears ``Measurement.needs_review``), the flag no longer stops the rule: the
case opens as suspected and the puskesmas verifies it as any other.

Recovery (:data:`RECOVERY`): a child case is *ready to close as recovered* when the indicator
that opened it is back at or above -2 SD on the two latest consecutive non-flagged
measurements taken after the case was opened (for faltering: the two latest weighings are
both "N", weight up). The services mark it on the timeline; a person closes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tumbuh.cases.models import CaseKind, Severity
from tumbuh.registry.models import Measurement, Pregnancy, PregnancyOutcome
from tumbuh.registry.risks import gestational_weeks

Subject = Literal["child", "pregnancy"]
Op = Literal["lt", "true"]
Action = Literal["open", "remeasure"]

#: Child rules apply below this age (WHO 2006 standards; Permenkes 2/2020 0-60 months).
CHILD_RULES_BELOW_AGE_DAYS = 1826

PMK_2_2020 = "Permenkes 2/2020 Standar Antropometri Anak, Pasal 4 dan Lampiran (0-60 bulan)"
KIA_2T = "Buku KIA 2023 dan modul kader (2T: berat badan tidak naik dua kali berturut-turut)"
WHO_SAM = "WHO 2013 Guideline: updates on the management of severe acute malnutrition (edema)"
KEK_SOURCE = "Kemenkes/BKKBN: KEK bila LiLA < 23,5 cm (DOMAIN.md 2.7)"
HB_SOURCE = (
    "WHO/Depkes (buku ajar kebidanan): anemia ibu hamil Hb < 11 g/dL trimester I dan III, "
    "< 10,5 g/dL trimester II (DOMAIN.md 2.7)"
)
ANC_SOURCE = "Permenkes 21/2021: minimal 6 kali ANC (tonggak per trimester: registry.risks)"
TTD_SOURCE = (
    "Kemenkes: minimal 90 tablet tambah darah selama kehamilan; tonggak antara adalah "
    "tafsiran Tumbuh (ADR 0054)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """If ``indicator`` ``op`` ``threshold`` (and the gestational week is in ``weeks``), then
    the subject has a problem of ``kind`` with ``severity``. ``flag`` is the WHO plausibility
    flag of the indicator: when set, the rule asks for re-measurement instead."""

    code: str
    kind: CaseKind
    severity: Severity
    subject: Subject
    indicator: str
    op: Op
    threshold: float
    description: str
    source: str
    flag: str = ""
    #: completed gestational weeks [from, to) the rule applies in (pregnancy rules only);
    #: ``None``: always; ``(-1, -1)``: only when the gestational age is unknown.
    weeks: tuple[int, int] | None = None


M, S = Severity.MODERATE, Severity.SEVERE
K = CaseKind

#: The table. One test per rule at its boundary: tests/cases/test_core_rules.py.
RULES: tuple[Rule, ...] = (
    # --- children (stored z-scores, 2 decimals as WHO reports them) ------------------------
    Rule("stunting", K.STUNTING, M, "child", "zlen", "lt", -2.0,
         "Pendek: TB/U atau PB/U < -2 SD", PMK_2_2020, flag="flen"),
    Rule("stunting_severe", K.STUNTING, S, "child", "zlen", "lt", -3.0,
         "Sangat pendek: TB/U atau PB/U < -3 SD", PMK_2_2020, flag="flen"),
    Rule("wasting", K.WASTING, M, "child", "zwfl", "lt", -2.0,
         "Gizi kurang: BB/PB atau BB/TB < -2 SD", PMK_2_2020, flag="fwfl"),
    Rule("wasting_severe", K.WASTING, S, "child", "zwfl", "lt", -3.0,
         "Gizi buruk: BB/PB atau BB/TB < -3 SD", PMK_2_2020, flag="fwfl"),
    Rule("wasting_oedema", K.WASTING, S, "child", "oedema", "true", 1.0,
         "Gizi buruk: edema pada kedua punggung kaki", WHO_SAM),
    Rule("underweight", K.UNDERWEIGHT, M, "child", "zwei", "lt", -2.0,
         "Berat badan kurang: BB/U < -2 SD", PMK_2_2020, flag="fwei"),
    Rule("underweight_severe", K.UNDERWEIGHT, S, "child", "zwei", "lt", -3.0,
         "Berat badan sangat kurang: BB/U < -3 SD (di bawah garis merah KMS, BGM)",
         PMK_2_2020, flag="fwei"),
    Rule("faltering_2t", K.FALTERING, M, "child", "two_t", "true", 1.0,
         "2T: berat badan tidak naik dua kali berturut-turut", KIA_2T),
    # --- pregnancies ------------------------------------------------------------------------
    Rule("kek", K.PREGNANCY_KEK, M, "pregnancy", "lila_cm", "lt", 23.5,
         "KEK: LiLA < 23,5 cm", KEK_SOURCE),
    Rule("anaemia_tm1", K.PREGNANCY_ANAEMIA, M, "pregnancy", "hb_g_dl", "lt", 11.0,
         "Anemia trimester I: Hb < 11 g/dL", HB_SOURCE, weeks=(0, 14)),
    Rule("anaemia_tm2", K.PREGNANCY_ANAEMIA, M, "pregnancy", "hb_g_dl", "lt", 10.5,
         "Anemia trimester II: Hb < 10,5 g/dL", HB_SOURCE, weeks=(14, 28)),
    Rule("anaemia_tm3", K.PREGNANCY_ANAEMIA, M, "pregnancy", "hb_g_dl", "lt", 11.0,
         "Anemia trimester III: Hb < 11 g/dL", HB_SOURCE, weeks=(28, 99)),
    Rule("anaemia_unknown_age", K.PREGNANCY_ANAEMIA, M, "pregnancy", "hb_g_dl", "lt", 11.0,
         "Anemia (umur kehamilan tidak diketahui): Hb < 11 g/dL", HB_SOURCE, weeks=(-1, -1)),
    Rule("anaemia_severe", K.PREGNANCY_ANAEMIA, S, "pregnancy", "hb_g_dl", "lt", 7.0,
         "Anemia berat: Hb < 7 g/dL", "WHO 2011 Haemoglobin concentrations (anemia berat < 7)"),
    Rule("anc_by_14", K.PREGNANCY_ANC, M, "pregnancy", "anc_visits", "lt", 1,
         "ANC kurang: belum 1 kali kunjungan pada 14 minggu", ANC_SOURCE, weeks=(14, 99)),
    Rule("anc_by_28", K.PREGNANCY_ANC, M, "pregnancy", "anc_visits", "lt", 3,
         "ANC kurang: belum 3 kali kunjungan pada 28 minggu", ANC_SOURCE, weeks=(28, 99)),
    Rule("anc_by_40", K.PREGNANCY_ANC, M, "pregnancy", "anc_visits", "lt", 6,
         "ANC kurang: belum 6 kali kunjungan pada 40 minggu", ANC_SOURCE, weeks=(40, 99)),
    Rule("ttd_by_28", K.PREGNANCY_TTD, M, "pregnancy", "iron_tablets_taken", "lt", 30,
         "TTD kurang: belum 30 tablet pada 28 minggu", TTD_SOURCE, weeks=(28, 99)),
    Rule("ttd_by_34", K.PREGNANCY_TTD, M, "pregnancy", "iron_tablets_taken", "lt", 60,
         "TTD kurang: belum 60 tablet pada 34 minggu", TTD_SOURCE, weeks=(34, 99)),
    Rule("ttd_by_40", K.PREGNANCY_TTD, M, "pregnancy", "iron_tablets_taken", "lt", 90,
         "TTD kurang: belum 90 tablet pada 40 minggu", TTD_SOURCE, weeks=(40, 99)),
)  # fmt: skip

RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class Recovery:
    """When a case of ``kind`` counts as recovered (see the module text)."""

    kind: CaseKind
    indicator: str
    at_least: float
    flag: str
    description: str


RECOVERY: dict[str, Recovery] = {
    r.kind: r
    for r in (
        Recovery(K.STUNTING, "zlen", -2.0, "flen",
                 "TB/U >= -2 SD pada dua pengukuran berturut-turut yang tidak ditandai"),
        Recovery(K.WASTING, "zwfl", -2.0, "fwfl",
                 "BB/TB >= -2 SD pada dua pengukuran berturut-turut yang tidak ditandai"),
        Recovery(K.UNDERWEIGHT, "zwei", -2.0, "fwei",
                 "BB/U >= -2 SD pada dua pengukuran berturut-turut yang tidak ditandai"),
        Recovery(K.FALTERING, "trend", 0.0, "",
                 "berat badan naik (N) pada dua penimbangan berturut-turut"),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: Rule
    value: float | None
    action: Action = "open"

    @property
    def kind(self) -> CaseKind:
        return self.rule.kind

    @property
    def severity(self) -> Severity:
        return self.rule.severity


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # Decimal, int or float from the model
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN is "no value"


def _compare(rule: Rule, raw: object) -> tuple[bool, float | None]:
    if rule.op == "true":
        return bool(raw), (1.0 if raw else 0.0)
    value = _number(raw)
    return (value is not None and value < rule.threshold), value


def evaluate_child(child: object, measurements: Sequence[Measurement]) -> list[RuleHit]:
    """The rules the newest of ``measurements`` (in date order) crosses. ``child`` is kept
    for rules that will read the child itself (birth weight...); none do yet."""
    if not measurements:
        return []
    latest = measurements[-1]
    if latest.age_days >= CHILD_RULES_BELOW_AGE_DAYS:
        return []
    hits = []
    for rule in RULES:
        if rule.subject != "child":
            continue
        crossed, value = _compare(rule, getattr(latest, rule.indicator, None))
        if not crossed:
            continue
        flagged = bool(rule.flag and getattr(latest, rule.flag, False))
        # A flag the kader has already checked and confirmed (``needs_review`` cleared by the
        # recording service) no longer asks for re-measurement; unknown means unchecked.
        unchecked = bool(getattr(latest, "needs_review", True))
        hits.append(RuleHit(rule, value, "remeasure" if flagged and unchecked else "open"))
    return hits


def _weeks_match(rule: Rule, weeks: int | None) -> bool:
    if rule.weeks is None:
        return True
    if rule.weeks == (-1, -1):
        return weeks is None
    return weeks is not None and rule.weeks[0] <= weeks < rule.weeks[1]


def evaluate_pregnancy(pregnancy: Pregnancy, *, today: dt.date | None = None) -> list[RuleHit]:
    """The rules an ongoing pregnancy crosses on ``today`` (gestational age from HPHT, or
    from HPL - 280 days). The Hb and LiLA values are the latest recorded on the pregnancy."""
    if pregnancy.outcome != PregnancyOutcome.ONGOING:
        return []
    on = today or dt.date.today()
    weeks = gestational_weeks(pregnancy, on)
    hits = []
    for rule in RULES:
        if rule.subject != "pregnancy" or not _weeks_match(rule, weeks):
            continue
        crossed, value = _compare(rule, getattr(pregnancy, rule.indicator, None))
        if crossed:
            hits.append(RuleHit(rule, value))
    return hits


def worst_by_kind(hits: Sequence[RuleHit]) -> dict[CaseKind, RuleHit]:
    """One hit per kind among those that open a case: the severe one when there is one."""
    best: dict[CaseKind, RuleHit] = {}
    for hit in hits:
        if hit.action != "open":
            continue
        current = best.get(hit.kind)
        if current is None or (hit.severity == S and current.severity != S):
            best[hit.kind] = hit
    return best


def is_recovered(kind: str, measurements: Sequence[Measurement]) -> bool:
    """The recovery rule of ``kind`` on ``measurements`` (those taken since the case opened,
    in date order): the two latest usable ones both meet it."""
    recovery = RECOVERY.get(kind)
    if recovery is None:
        return False
    usable = []
    for m in measurements:
        if recovery.indicator == "trend":
            if m.trend:
                usable.append(m.trend == "N")
            continue
        if recovery.flag and getattr(m, recovery.flag, False):
            continue
        value = _number(getattr(m, recovery.indicator, None))
        if value is not None:
            usable.append(value >= recovery.at_least)
    return len(usable) >= 2 and usable[-1] and usable[-2]


#: Priority of an open case in lists (higher first): by kind and severity.
PRIORITY: dict[tuple[str, str], int] = {
    (K.WASTING, S): 95,
    (K.UNDERWEIGHT, S): 80,
    (K.STUNTING, S): 75,
    (K.PREGNANCY_ANAEMIA, S): 75,
    (K.WASTING, M): 70,
    (K.STUNTING, M): 60,
    (K.PREGNANCY_KEK, M): 60,
    (K.FALTERING, M): 50,
    (K.UNDERWEIGHT, M): 45,
    (K.PREGNANCY_ANAEMIA, M): 45,
    (K.PREGNANCY_ANC, M): 35,
    (K.PREGNANCY_TTD, M): 30,
}


def priority_of(kind: str, severity: str) -> int:
    return PRIORITY.get((kind, severity), 40)
