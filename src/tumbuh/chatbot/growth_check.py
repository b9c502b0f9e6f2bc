"""Growth check from free text: fill the slots, judge with the growth engine, say it plainly.

Only :func:`tumbuh.growth.assess` computes z-scores and categories (ARCHITECTURE.md). This
module checks that the numbers are plausible first (impossible values are questioned, never
classified), then turns the Permenkes 2/2020 categories into plain words and next steps. Any
category of severity SEVERE (sangat pendek, gizi buruk, berat badan sangat kurang, obesitas)
always carries the urgent referral.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from tumbuh.chatbot.messages import Messages
from tumbuh.chatbot.normalise import Measures
from tumbuh.chatbot.state import GrowthSlots
from tumbuh.growth import Assessment, Category, Indicator, Reason, assess
from tumbuh.growth.categories import Severity

__all__ = ["GrowthOutcome", "Outcome", "check", "describe_age", "merge"]

#: Balita only: the 0-60 month tables (Permenkes 2/2020).
MAX_AGE_MONTHS: Final = 60.0
#: Hard limits before the engine is even asked: outside them a value is a typo or a unit slip.
WEIGHT_RANGE: Final = (0.5, 40.0)
LENHEI_RANGE: Final = (38.0, 130.0)

_SHOWN: Final = (
    ("tbu", Indicator.LENGTH_HEIGHT_FOR_AGE),
    ("bbtb", Indicator.WEIGHT_FOR_LENGTH_HEIGHT),
    ("bbu", Indicator.WEIGHT_FOR_AGE),
)
_STUNTED: Final = frozenset({Category.STUNTED, Category.SEVERELY_STUNTED})
_WASTED: Final = frozenset({Category.WASTED, Category.SEVERELY_WASTED})
_UNDERWEIGHT: Final = frozenset({Category.UNDERWEIGHT, Category.SEVERELY_UNDERWEIGHT})
_HEAVY: Final = frozenset({Category.POSSIBLE_RISK_OVERWEIGHT, Category.OVERWEIGHT, Category.OBESE})


class Outcome(StrEnum):
    MISSING = "missing"
    AGE_UNIT = "age_unit"
    TOO_OLD = "too_old"
    IMPLAUSIBLE = "implausible"
    RESULT = "result"


@dataclass(frozen=True, slots=True)
class GrowthOutcome:
    outcome: Outcome
    text: str
    missing: tuple[str, ...] = ()
    categories: dict[str, Category] = field(default_factory=dict)
    urgent: bool = False
    stunted: bool = False


def merge(slots: GrowthSlots, measures: Measures, *, bare_number: float | None = None) -> None:
    """Fill slots from one message (later values win); a bare number fills the one gap."""
    if measures.sex is not None:
        slots.sex = measures.sex
    if measures.age_months is not None:
        slots.age_months = measures.age_months
        slots.age_without_unit = None
    if measures.age_without_unit is not None and slots.age_months is None:
        slots.age_without_unit = measures.age_without_unit
    if measures.weight_kg is not None:
        slots.weight_kg = measures.weight_kg
    if measures.lenhei_cm is not None:
        slots.lenhei_cm = measures.lenhei_cm
    if measures.measure is not None:
        slots.measure = measures.measure
    if bare_number is not None:
        gaps = slots.missing()
        gaps = [g for g in gaps if g != "sex"]
        if len(gaps) == 1:
            if gaps[0] == "weight":
                slots.weight_kg = bare_number / 1000.0 if bare_number >= 300 else bare_number
            elif gaps[0] == "lenhei":
                slots.lenhei_cm = bare_number * 100.0 if bare_number < 3 else bare_number
            elif gaps[0] == "age" and slots.age_without_unit is None:
                if bare_number > 6:
                    slots.age_months = bare_number
                else:
                    slots.age_without_unit = bare_number


def describe_age(months: float) -> str:
    whole = round(months, 1)
    if whole < 1:
        days = round(months * 30.4375)
        return f"{days} hari"
    years, rest = divmod(round(months), 12)
    if years and rest:
        return f"{years} tahun {rest} bulan"
    if years:
        return f"{years} tahun"
    return f"{round(months)} bulan"


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _sex_word(messages: Messages, sex: int | None) -> str:
    return messages.text("sex_male" if sex == 1 else "sex_female")


def _ask_missing(messages: Messages, missing: list[str]) -> GrowthOutcome:
    if missing == ["sex"]:
        return GrowthOutcome(Outcome.MISSING, messages.text("growth_ask_sex"), missing=("sex",))
    names = [messages.text(f"slot_{m}") for m in missing]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " dan " + names[-1]
    text = messages.text(
        "growth_ask_missing", missing=joined, example=messages.text("growth_example")
    )
    return GrowthOutcome(Outcome.MISSING, text, missing=tuple(missing))


def _implausible(
    messages: Messages, slots: GrowthSlots, bad_weight: bool, bad_lenhei: bool
) -> GrowthOutcome:
    assert slots.age_months is not None
    if not bad_weight and not bad_lenhei:
        bad_weight = slots.weight_kg is not None
        bad_lenhei = slots.lenhei_cm is not None
    values = []
    which = []
    if slots.weight_kg is not None:
        values.append(f"berat {_number(slots.weight_kg)} kg")
    if slots.lenhei_cm is not None:
        values.append(f"panjang/tinggi {_number(slots.lenhei_cm)} cm")
    if bad_weight:
        which.append(messages.text("slot_weight"))
    if bad_lenhei:
        which.append(messages.text("slot_lenhei"))
    text = messages.text(
        "growth_implausible",
        child=messages.text("child_of_sex", sex_word=_sex_word(messages, slots.sex))
        if slots.sex
        else messages.text("child_no_sex"),
        age=describe_age(slots.age_months),
        values=", ".join(values),
        which=" dan ".join(which),
    )
    # Forget the doubtful values so the next message can correct them.
    if bad_weight:
        slots.weight_kg = None
    if bad_lenhei:
        slots.lenhei_cm = None
    return GrowthOutcome(Outcome.IMPLAUSIBLE, text)


def _next_steps(messages: Messages, cats: dict[str, Category]) -> tuple[str, bool]:
    values = set(cats.values())
    urgent = any(c.severity is Severity.SEVERE for c in values)
    parts = []
    if urgent:
        parts.append(messages.text("next_urgent"))
    if values & _STUNTED:
        parts.append(messages.text("next_stunted"))
    elif values & _WASTED:
        parts.append(messages.text("next_wasted"))
    elif values & _UNDERWEIGHT:
        parts.append(messages.text("next_underweight"))
    elif values & _HEAVY or Category.RISK_OVERWEIGHT in values:
        parts.append(messages.text("next_overweight"))
    elif not urgent:
        parts.append(messages.text("next_normal"))
    return "\n\n".join(parts), urgent


def _bad_ranges(slots: GrowthSlots) -> tuple[bool, bool]:
    bad_weight = slots.weight_kg is not None and not (
        WEIGHT_RANGE[0] <= slots.weight_kg <= WEIGHT_RANGE[1]
    )
    bad_lenhei = slots.lenhei_cm is not None and not (
        LENHEI_RANGE[0] <= slots.lenhei_cm <= LENHEI_RANGE[1]
    )
    return bad_weight, bad_lenhei


def _measure(slots: GrowthSlots) -> tuple[str, bool]:
    assert slots.age_months is not None
    assumed = slots.measure is None
    measure = slots.measure or ("l" if slots.age_months < 24 else "h")
    if measure == "h" and slots.age_months < 9:
        measure = "l"  # WHO: a child under 9 months measured standing is not usable
    return measure, assumed


def _assess(slots: GrowthSlots, sex: int | None, measure: str) -> Assessment:
    return assess(
        sex=sex,
        age_months=slots.age_months,
        weight=slots.weight_kg,
        lenhei=slots.lenhei_cm,
        measure=measure,
    )


def _flags(result: Assessment, slots: GrowthSlots) -> tuple[bool, bool]:
    """(weight doubtful, length doubtful) from the engine's WHO plausibility flags."""
    flag_len = slots.lenhei_cm is not None and result[Indicator.LENGTH_HEIGHT_FOR_AGE].flagged
    flag_wei = slots.weight_kg is not None and result[Indicator.WEIGHT_FOR_AGE].flagged
    flag_wfl = (
        slots.weight_kg is not None
        and slots.lenhei_cm is not None
        and result[Indicator.WEIGHT_FOR_LENGTH_HEIGHT].flagged
    )
    return flag_wei or (flag_wfl and not flag_len), flag_len or (flag_wfl and not flag_wei)


def check(slots: GrowthSlots, messages: Messages) -> GrowthOutcome:
    """Judge the slots: question doubtful values, answer what the values allow, ask the rest.

    Order: an age without a unit is asked first; impossible values are named as probably
    mistyped before anything is asked; with age and one measurement, only a missing sex is
    asked; with sex, age and length the TB/U (stunting) is answered at once, with sex, age and
    weight the BB/U; the reply says what the missing value would add.
    """
    if slots.age_months is None and slots.age_without_unit is not None:
        value = _number(slots.age_without_unit)
        return GrowthOutcome(
            Outcome.AGE_UNIT, messages.text("growth_age_unit", value=value), missing=("age",)
        )
    if slots.age_months is not None and slots.age_months >= MAX_AGE_MONTHS:
        age = describe_age(slots.age_months)
        slots.clear()
        return GrowthOutcome(Outcome.TOO_OLD, messages.text("growth_too_old", age=age))
    bad_weight, bad_lenhei = _bad_ranges(slots)
    if (bad_weight or bad_lenhei) and slots.age_months is not None:
        return _implausible(messages, slots, bad_weight, bad_lenhei)
    has_measure = slots.weight_kg is not None or slots.lenhei_cm is not None
    if slots.age_months is None or not has_measure:
        missing = [m for m in slots.missing() if m not in ("weight", "lenhei")]
        if not has_measure:
            missing.append("lenhei" if slots.weight_kg is None else "weight")
        if slots.age_months is None and not has_measure and slots.sex is None:
            missing = slots.missing()
        return _ask_missing(messages, missing)
    measure, assumed = _measure(slots)
    if slots.sex is None:
        # Impossible for a boy and for a girl alike: a typo, whatever the sex.
        both = [_flags(_assess(slots, sex, measure), slots) for sex in (1, 2)]
        if all(w or h for w, h in both):
            return _implausible(
                messages, slots, both[0][0] and both[1][0], both[0][1] and both[1][1]
            )
        return _ask_missing(messages, ["sex"])
    result = _assess(slots, slots.sex, measure)
    doubt_weight, doubt_lenhei = _flags(result, slots)
    if doubt_weight or doubt_lenhei:
        return _implausible(messages, slots, doubt_weight, doubt_lenhei)
    return _result(messages, slots, result, measure, assumed)


def _result(
    messages: Messages, slots: GrowthSlots, result: Assessment, measure: str, assumed: bool
) -> GrowthOutcome:
    assert slots.age_months is not None
    if assumed:
        key = "measure_assumed_lying" if measure == "l" else "measure_assumed_standing"
    else:
        key = "measure_lying" if measure == "l" else "measure_standing"
    values = []
    if slots.weight_kg is not None:
        values.append(messages.text("value_weight", weight=_number(slots.weight_kg)))
    if slots.lenhei_cm is not None:
        values.append(
            messages.text(
                "value_lenhei",
                lenhei_word=messages.text("lenhei_length" if measure == "l" else "lenhei_height"),
                lenhei=_number(slots.lenhei_cm),
                measure_word=messages.text(key),
            )
        )
    lines = [
        messages.text(
            "growth_result_head",
            sex_word=_sex_word(messages, slots.sex),
            age=describe_age(slots.age_months),
            values=", ".join(values),
        )
    ]
    cats: dict[str, Category] = {}
    for name, indicator in _SHOWN:
        if (name in ("bbtb", "bbu") and slots.weight_kg is None) or (
            name in ("tbu", "bbtb") and slots.lenhei_cm is None
        ):
            continue
        item = result[indicator]
        if item.category is None:
            reason = item.reason.message if item.reason is not Reason.OK else "-"
            lines.append(
                messages.text(
                    "growth_line_missing", index=messages.text(f"index_{name}"), reason=reason
                )
            )
            continue
        cats[name] = item.category
        lines.append(
            messages.text(
                f"growth_line_{name}",
                label=item.category.label,
                meaning=messages.text(f"meaning_{item.category.value}"),
            )
        )
    steps, urgent = _next_steps(messages, cats)
    parts = ["\n".join(lines), steps]
    missing: tuple[str, ...] = ()
    if slots.weight_kg is None:
        parts.append(messages.text("growth_add_weight"))
        missing = ("weight",)
    elif slots.lenhei_cm is None:
        parts.append(messages.text("growth_add_lenhei"))
        missing = ("lenhei",)
    parts.append(messages.text("growth_disclaimer"))
    return GrowthOutcome(
        Outcome.RESULT,
        "\n\n".join(p for p in parts if p),
        missing=missing,
        categories=cats,
        urgent=urgent,
        stunted=result.is_stunted if slots.lenhei_cm is not None else False,
    )
