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
        sex_word=_sex_word(messages, slots.sex),
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


def check(slots: GrowthSlots, messages: Messages) -> GrowthOutcome:
    """Judge the slots: ask for what is missing, question doubtful values, or give the result."""
    if slots.age_months is None and slots.age_without_unit is not None:
        value = _number(slots.age_without_unit)
        return GrowthOutcome(
            Outcome.AGE_UNIT, messages.text("growth_age_unit", value=value), missing=("age",)
        )
    missing = slots.missing()
    if missing:
        return _ask_missing(messages, missing)
    assert slots.age_months is not None and slots.weight_kg is not None
    assert slots.lenhei_cm is not None
    if slots.age_months >= MAX_AGE_MONTHS:
        age = describe_age(slots.age_months)
        slots.clear()
        return GrowthOutcome(Outcome.TOO_OLD, messages.text("growth_too_old", age=age))
    bad_weight = not WEIGHT_RANGE[0] <= slots.weight_kg <= WEIGHT_RANGE[1]
    bad_lenhei = not LENHEI_RANGE[0] <= slots.lenhei_cm <= LENHEI_RANGE[1]
    if bad_weight or bad_lenhei:
        return _implausible(messages, slots, bad_weight, bad_lenhei)

    assumed = slots.measure is None
    measure = slots.measure or ("l" if slots.age_months < 24 else "h")
    if measure == "h" and slots.age_months < 9:
        measure = "l"  # WHO: a child under 9 months measured standing is not usable
    result = assess(
        sex=slots.sex,
        age_months=slots.age_months,
        weight=slots.weight_kg,
        lenhei=slots.lenhei_cm,
        measure=measure,
    )
    flag_len = result[Indicator.LENGTH_HEIGHT_FOR_AGE].flagged
    flag_wei = result[Indicator.WEIGHT_FOR_AGE].flagged
    flag_wfl = result[Indicator.WEIGHT_FOR_LENGTH_HEIGHT].flagged
    if flag_len or flag_wei or flag_wfl:
        return _implausible(
            messages,
            slots,
            bad_weight=flag_wei or (flag_wfl and not flag_len),
            bad_lenhei=flag_len or (flag_wfl and not flag_wei),
        )
    return _result(messages, slots, result, measure, assumed)


def _result(
    messages: Messages, slots: GrowthSlots, result: Assessment, measure: str, assumed: bool
) -> GrowthOutcome:
    assert slots.age_months is not None and slots.weight_kg is not None
    assert slots.lenhei_cm is not None
    if assumed:
        key = "measure_assumed_lying" if measure == "l" else "measure_assumed_standing"
    else:
        key = "measure_lying" if measure == "l" else "measure_standing"
    lines = [
        messages.text(
            "growth_result_head",
            sex_word=_sex_word(messages, slots.sex),
            age=describe_age(slots.age_months),
            weight=_number(slots.weight_kg),
            lenhei_word=messages.text("lenhei_length" if measure == "l" else "lenhei_height"),
            lenhei=_number(slots.lenhei_cm),
            measure_word=messages.text(key),
        )
    ]
    cats: dict[str, Category] = {}
    for name, indicator in _SHOWN:
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
    text = "\n".join(lines) + "\n\n" + steps + "\n\n" + messages.text("growth_disclaimer")
    return GrowthOutcome(
        Outcome.RESULT,
        text,
        categories=cats,
        urgent=urgent,
        stunted=result.is_stunted,
    )
