"""Recording a measurement: validate, let the growth engine judge it once, store the verdict.

``measurement_record`` refuses impossible input with one Indonesian message per field (the
engine's input problems, values outside broad physical limits, a date before birth or in the
future, a second measurement on the same day) and then stores nothing. The limits are the one
table in :mod:`tumbuh.registry.limits`, shared with the import.

Implausible but possible values (a WHO flag, weight changing by more than 10 % within about a
month, length going down: the growth engine's judgement) are stored only when the caller says
the value was checked (``confirmed=True``); otherwise :class:`NeedsConfirmation` (a
``ValidationError`` on the field ``confirmed``) carries the warnings and nothing is stored. The
form shows them as a second step that keeps what was typed; the API answers 422 with them.

A stored measurement is corrected (``measurement_correct``) or withdrawn
(``measurement_withdraw``, soft: it stays in the database and the audit log, readers use
``Measurement.objects.active()``), each with a reason, audited, with the series (trend, 2T,
the child's latest measurement) recomputed and ``measurements_changed`` sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.growth import Assessment, Indicator, ZScoreResult, assess
from tumbuh.growth import categories as growth_categories
from tumbuh.growth.reasons import Problem, Reason
from tumbuh.growth.trend import PlausibilityWarning, Visit, plausibility, weight_trend
from tumbuh.registry import limits
from tumbuh.registry.models import Child, Measurement, Position, Source
from tumbuh.registry.services.people import can_record, recording_service
from tumbuh.registry.signals import measurements_changed
from tumbuh.registry.warnings import measurement_warnings
from tumbuh.wilayah.models import Posyandu

#: Kept for callers that read the broad limits as (low, high, unit) tuples.
LIMITS: Mapping[str, tuple[Decimal, Decimal, str]] = {
    name: (lim.low, lim.high, lim.unit) for name, lim in limits.limits_for(None).items()
}
UNDER_FIVE_DAYS = limits.UNDER_FIVE_DAYS
PLACES = limits.PLACES
LABELS = limits.LABELS
MAX_AGE_DAYS = limits.MAX_AGE_DAYS
#: Longest reason kept for a correction or a withdrawal.
REASON_MAX = 300
#: Engine input column -> our field name, for turning engine problems into field errors.
ENGINE_FIELD = {
    "weight": "weight_kg",
    "lenhei": "length_cm",
    "headc": "head_circumference_cm",
    "armc": "arm_circumference_cm",
    "measure": "position",
    "visit_date": "measured_on",
    "birth_date": "measured_on",
    "age_days": "measured_on",
    "oedema": "oedema",
    "sex": "measured_on",
}
#: Stored z column, flag column and Permenkes index of each indicator kept on the row.
STORED: tuple[tuple[Indicator, str, str | None], ...] = (
    (Indicator.LENGTH_HEIGHT_FOR_AGE, "flen", "tbu"),
    (Indicator.WEIGHT_FOR_AGE, "fwei", "bbu"),
    (Indicator.WEIGHT_FOR_LENGTH_HEIGHT, "fwfl", "bbtb"),
    (Indicator.BMI_FOR_AGE, "fbmi", "imtu"),
    (Indicator.HEAD_CIRCUMFERENCE_FOR_AGE, "fhc", None),
    (Indicator.ARM_CIRCUMFERENCE_FOR_AGE, "fac", None),
)
MEASURED_FIELDS = (
    "measured_on",
    "weight_kg",
    "length_cm",
    "position",
    "head_circumference_cm",
    "arm_circumference_cm",
    "oedema",
)


@dataclass(frozen=True, slots=True)
class MeasurementResult:
    """The stored measurement and what the kader should be told at once."""

    measurement: Measurement
    warnings: tuple[str, ...]


class NeedsConfirmation(ValidationError):
    """The values are possible but implausible for this child; nothing was stored. Send them
    again with ``confirmed=True`` once they were checked (weighed again, the birth date
    verified). ``warnings``: what the kader must check, in Indonesian."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = tuple(warnings)
        super().__init__(
            {
                "confirmed": [
                    "Nilai ini tidak wajar untuk anak ini: "
                    + " ".join(warnings)
                    + " Bila sudah diperiksa dan benar, kirim lagi dengan konfirmasi."
                ]
            }
        )


_id = limits.id_number


def _decimal(
    name: str,
    value: Any,
    errors: dict[str, list[str]],
    age_days: int | None,
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors.setdefault(name, []).append(
            f"{LABELS[name]} harus angka, mis. 9,5 atau 9.5; yang tertulis {value!r}."
        )
        return None
    if not number.is_finite():
        errors.setdefault(name, []).append(f"{LABELS[name]} harus angka biasa.")
        return None
    refusal = limits.out_of_limits(name, number, age_days)
    if refusal:
        errors.setdefault(name, []).append(refusal)
        return None
    return limits.quantize(name, number)


def _validated(
    *,
    child: Child,
    measured_on: Any,
    values: Mapping[str, Any],
    position: str,
    today: dt.date,
    exclude_pk: int | None = None,
) -> tuple[dt.date, dict[str, Decimal | None], str]:
    errors: dict[str, list[str]] = {}
    if not isinstance(measured_on, dt.date) or isinstance(measured_on, dt.datetime):
        raise ValidationError({"measured_on": ["Tanggal ukur wajib diisi (TTTT-BB-HH)."]})
    birth = child.person.birth_date
    if birth is None:
        errors["measured_on"] = ["Tanggal lahir anak belum diisi; lengkapi data anak dahulu."]
    elif measured_on < birth:
        errors["measured_on"] = [
            f"Tanggal ukur {measured_on:%d-%m-%Y} sebelum tanggal lahir {birth:%d-%m-%Y}."
        ]
    elif (measured_on - birth).days > MAX_AGE_DAYS:
        errors["measured_on"] = ["Anak sudah berumur 19 tahun atau lebih pada tanggal ukur."]
    if measured_on > today:
        errors["measured_on"] = [
            f"Tanggal ukur {measured_on:%d-%m-%Y} belum terjadi (hari ini {today:%d-%m-%Y})."
        ]
    age_days = (measured_on - birth).days if birth is not None else None
    numbers = {name: _decimal(name, values.get(name), errors, age_days) for name in limits.FIELDS}
    if values.get("weight_kg") in (None, "") and values.get("length_cm") in (None, ""):
        errors.setdefault("weight_kg", []).append(
            "Isi berat badan atau panjang/tinggi badan (sebaiknya keduanya)."
        )
    if numbers["length_cm"] is not None and position not in Position.values:
        errors["position"] = ["Pilih cara ukur: berbaring (panjang) atau berdiri (tinggi)."]
    if numbers["length_cm"] is None and position:
        position = ""
    same_day = child.measurements.active().filter(measured_on=measured_on)
    if exclude_pk is not None:
        same_day = same_day.exclude(pk=exclude_pk)
    if "measured_on" not in errors and same_day.exists():
        errors["measured_on"] = [
            f"Sudah ada pengukuran anak ini pada {measured_on:%d-%m-%Y}; "
            "perbaiki pengukuran itu (tombol Perbaiki di halaman anak), jangan mencatat dua kali."
        ]
    if errors:
        raise ValidationError(errors)
    return measured_on, numbers, position


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _assess(
    child: Child,
    measured_on: dt.date,
    numbers: Mapping[str, Decimal | None],
    position: str,
    oedema: bool,
) -> Assessment:
    assessment = assess(
        sex=child.person.sex,
        birth_date=child.person.birth_date,
        visit_date=measured_on,
        weight=_float(numbers["weight_kg"]),
        lenhei=_float(numbers["length_cm"]),
        measure=position or None,
        headc=_float(numbers["head_circumference_cm"]),
        armc=_float(numbers["arm_circumference_cm"]),
        oedema=oedema,
    )
    if assessment.problems:
        errors: dict[str, list[str]] = {}
        for problem in assessment.problems:
            name = ENGINE_FIELD.get(problem.column, "measured_on")
            message = problem.message
            if problem.problem is Problem.STANDING_UNDER_9_MONTHS:
                message = "Anak di bawah 9 bulan harus diukur berbaring (panjang badan)."
            errors.setdefault(name, []).append(message[0].upper() + message[1:] + ".")
        raise ValidationError(errors)
    return assessment


def engine_fields(assessment: Assessment) -> dict[str, Any]:
    """The stored verdict of one assessment (the row's engine columns)."""
    out: dict[str, Any] = {"clenhei": assessment.clenhei, "cbmi": assessment.cbmi}
    reasons: dict[str, str] = {}
    for indicator, flag, index in STORED:
        result = assessment[indicator]
        out[indicator.value] = result.z
        out[flag] = result.flagged
        if result.reason is not Reason.OK:
            reasons[indicator.value] = result.reason.code
        if index is not None:
            out[f"category_{index}"] = result.category.value if result.category else ""
    provenance = assessment.provenance
    out.update(
        # A WHO flag nobody confirmed yet; the recording services clear it on confirmation.
        needs_review=any(out[flag] for _ind, flag, _idx in STORED),
        reasons=reasons,
        is_stunted=assessment.is_stunted,
        standard=assessment.standard,
        engine=provenance.engine,
        tables=provenance.tables,
        provenance=provenance.as_dict(),
    )
    return out


def engine_fields_batch(result: ZScoreResult) -> list[dict[str, Any]]:
    """``engine_fields`` for every row of a batch ``zscores`` result: the same numbers as
    ``assess`` row by row (both run the same engine), for bulk loads such as the demo data."""
    n = result.rows
    months = result.age_months
    provenance = result.provenance
    columns: dict[str, Any] = {}
    for indicator, flag, index in STORED:
        z = result[indicator.value]
        flags = result[flag] == 1.0
        columns[indicator.value] = z
        columns[flag] = flags
        if index is not None:
            pmk = growth_categories.Index(index)
            codes = growth_categories.classify(pmk, z, months, flags)
            order = growth_categories.CATEGORY_ORDER[pmk]
            columns[f"category_{index}"] = [order[c].value if c >= 0 else "" for c in codes]
    stunted = np.isin(
        np.array(columns["category_tbu"], dtype=object),
        [growth_categories.Category.STUNTED.value, growth_categories.Category.SEVERELY_STUNTED],
    )

    # Column-wise to Python lists first: indexing NumPy arrays element by element is slow.
    def floats(values: Any) -> list[float | None]:
        return [None if v != v else v for v in np.asarray(values, dtype=float).tolist()]

    as_lists: dict[str, list[Any]] = {
        "clenhei": floats(result["clenhei"]),
        "cbmi": floats(result["cbmi"]),
    }
    for indicator, flag, index in STORED:
        as_lists[indicator.value] = floats(columns[indicator.value])
        as_lists[flag] = np.asarray(columns[flag], dtype=bool).tolist()
        if index is not None:
            as_lists[f"category_{index}"] = columns[f"category_{index}"]
    reason_lists = {ind.value: result.reason_codes[ind.value].tolist() for ind, _f, _i in STORED}
    reason_text = {int(r): r.code for r in Reason}
    stunted_list = stunted.tolist()
    over5_list = (np.nan_to_num(months, nan=0.0) >= 60).tolist()
    as_dict = provenance.as_dict()
    keys = list(as_lists)
    flag_names = [flag for _ind, flag, _idx in STORED]
    rows: list[dict[str, Any]] = []
    for i in range(n):
        row: dict[str, Any] = {key: as_lists[key][i] for key in keys}
        row["reasons"] = {
            name: reason_text[codes[i]] for name, codes in reason_lists.items() if codes[i]
        }
        row["is_stunted"] = stunted_list[i]
        # A WHO flag nobody confirmed (imports, bulk loads): stored, marked for review.
        row["needs_review"] = any(as_lists[flag][i] for flag in flag_names)
        row["standard"] = provenance.standard_over5 if over5_list[i] else provenance.standard_under5
        row["engine"] = provenance.engine
        row["tables"] = provenance.tables
        row["provenance"] = as_dict
        rows.append(row)
    return rows


def refresh_series(child: Child) -> None:
    """Recompute the weight trend (N/T/O/B, 2T) of every measurement of ``child`` and point
    ``child.latest_measurement`` at the newest one. Cheap: one child's series."""
    rows = list(
        child.measurements.active()
        .order_by("measured_on")
        .only("id", "measured_on", "weight_kg", "trend", "two_t")
    )
    visits = [
        Visit(date=m.measured_on, weight_kg=float(m.weight_kg) if m.weight_kg else None)
        for m in rows
    ]
    points = {p.date: p for p in weight_trend(child.birth_date, visits)}
    changed = []
    for m in rows:
        point = points.get(m.measured_on)
        trend = point.status.value if point else ""
        two_t = bool(point and point.two_t)
        if (m.trend, m.two_t) != (trend, two_t):
            m.trend, m.two_t = trend, two_t
            changed.append(m)
    if changed:
        Measurement.objects.bulk_update(changed, ["trend", "two_t"])
    latest_id = rows[-1].pk if rows else None
    if child.latest_measurement_id != latest_id:
        Child.objects.filter(pk=child.pk).update(latest_measurement_id=latest_id)
        child.latest_measurement_id = latest_id


def _today() -> dt.date:
    return timezone.localdate()


#: Z columns whose WHO flag needs a confirmation, with the index name the kader knows.
FLAG_NAMES = (
    ("zlen", "flen", "PB/U-TB/U"),
    ("zwei", "fwei", "BB/U"),
    ("zwfl", "fwfl", "BB/PB-BB/TB"),
    ("zbmi", "fbmi", "IMT/U"),
    ("zhc", "fhc", "LK/U"),
    ("zac", "fac", "LiLA/U"),
)


def implausible(
    *,
    child: Child,
    measured_on: dt.date,
    weight_kg: Decimal | None,
    assessment: Assessment,
    exclude_pk: int | None = None,
) -> list[str]:
    """What looks wrong in these values for this child, before anything is stored: the WHO
    flags of the assessment and the engine's plausibility rules over the child's active
    series with this visit in it (weight down more than 10 % within 45 days, length down more
    than 1 cm, growth faster than any child grows). Empty when nothing needs a confirmation."""
    fields = engine_fields(assessment)
    texts: list[str] = []
    for z_name, flag, label in FLAG_NAMES:
        if fields[flag]:
            z = fields[z_name]
            shown = f" ({z:+.2f})".replace(".", ",") if z is not None else ""
            texts.append(
                f"Z-score {label}{shown} di luar batas wajar WHO: periksa kembali pengukuran "
                "dan tanggal lahir."
            )
    others = child.measurements.active().exclude(measured_on=measured_on)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    visits = [
        Visit(
            date=m.measured_on,
            weight_kg=float(m.weight_kg) if m.weight_kg is not None else None,
            length_height_cm=m.clenhei,
        )
        for m in others.only("measured_on", "weight_kg", "clenhei")
    ]
    visits.append(
        Visit(
            date=measured_on,
            weight_kg=float(weight_kg) if weight_kg is not None else None,
            length_height_cm=assessment.clenhei,
        )
    )
    found: list[PlausibilityWarning] = plausibility(child.birth_date, visits)
    texts += [w.message for w in found if measured_on in w.dates]
    return texts


def _require_confirmation(warnings: list[str], confirmed: bool) -> list[str]:
    """The warnings to store as confirmed; raises :class:`NeedsConfirmation` when some were
    not confirmed."""
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    return warnings


def _reason(reason: str, what: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) < 5:
        raise ValidationError(
            {"reason": [f"Tulis alasan {what} (paling sedikit 5 huruf), mis. 'salah ketik berat'."]}
        )
    return text[:REASON_MAX]


@recording_service
def measurement_record(
    *,
    actor: User | None,
    child: Child,
    measured_on: dt.date,
    weight_kg: Decimal | float | str | None = None,
    length_cm: Decimal | float | str | None = None,
    position: str = "",
    head_circumference_cm: Decimal | float | str | None = None,
    arm_circumference_cm: Decimal | float | str | None = None,
    oedema: bool = False,
    posyandu: Posyandu | None = None,
    measured_by_name: str = "",
    source: Source = Source.FORM,
    confirmed: bool = False,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> MeasurementResult:
    """Store one measurement of ``child`` with the growth engine's verdict.

    ``child`` must come from ``children_visible_to(actor)``. Raises ``ValidationError``
    (field -> messages) and stores nothing when the input is impossible,
    :class:`NeedsConfirmation` when it is implausible and ``confirmed`` is false, and
    ``PermissionDenied`` when ``actor``'s role does not record measurements.
    """
    locked = Child.objects.select_for_update().select_related("person").get(pk=child.pk)
    measured_on, numbers, position = _validated(
        child=locked,
        measured_on=measured_on,
        values={
            "weight_kg": weight_kg,
            "length_cm": length_cm,
            "head_circumference_cm": head_circumference_cm,
            "arm_circumference_cm": arm_circumference_cm,
        },
        position=position,
        today=today or _today(),
    )
    assessment = _assess(locked, measured_on, numbers, position, oedema)
    seen = _require_confirmation(
        implausible(
            child=locked,
            measured_on=measured_on,
            weight_kg=numbers["weight_kg"],
            assessment=assessment,
        ),
        confirmed,
    )
    birth = locked.birth_date
    measurement = Measurement.objects.create(
        confirmed_warnings=seen,
        child=locked,
        measured_on=measured_on,
        age_days=(measured_on - birth).days,
        position=position,
        oedema=oedema,
        posyandu=posyandu or locked.posyandu,
        measured_by=actor if actor is not None and actor.is_authenticated else None,
        measured_by_name=measured_by_name or (actor.get_full_name() if actor else ""),
        source=source,
        **numbers,
        **{**engine_fields(assessment), "needs_review": False},
    )
    refresh_series(locked)
    measurement.refresh_from_db(fields=["trend", "two_t"])
    audit_object(
        actor=actor,
        action=Action.CREATE,
        obj=measurement,
        changed_fields=[k for k in MEASURED_FIELDS if getattr(measurement, k) not in (None, "")],
        detail={"child": locked.pk, **({"confirmed_warnings": seen} if seen else {})},
        context=context,
    )
    measurements_changed.send(
        sender=Measurement, child_ids=[locked.pk], actor=actor, context=context, source=source
    )
    series = list(locked.measurements.active().order_by("measured_on"))
    return MeasurementResult(measurement, measurement_warnings(measurement, series, locked))


@recording_service
def measurement_correct(
    *,
    actor: User | None,
    measurement: Measurement,
    changes: Mapping[str, Any],
    reason: str = "",
    confirmed: bool = False,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> MeasurementResult:
    """Correct a stored measurement (``changes``: any of ``MEASURED_FIELDS``) with a
    ``reason``; the engine judges it again and the child's series is recomputed. Same
    refusals (and the same confirmation of implausible values) as :func:`measurement_record`;
    a withdrawn measurement cannot be corrected. ``measurement`` must come from a scoped read
    (``measurement_open``)."""
    unknown = set(changes) - set(MEASURED_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} through measurement_correct")
    why = _reason(reason, "perbaikan")
    child = Child.objects.select_for_update().select_related("person").get(pk=measurement.child_id)
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if measurement.is_withdrawn:
        raise ValidationError({"measurement": ["Pengukuran ini sudah ditarik; catat yang baru."]})
    current = {k: getattr(measurement, k) for k in MEASURED_FIELDS}
    wanted = {**current, **changes}
    measured_on, numbers, position = _validated(
        child=child,
        measured_on=wanted["measured_on"],
        values={k: wanted[k] for k in limits.FIELDS},
        position=wanted["position"] or "",
        today=today or _today(),
        exclude_pk=measurement.pk,
    )
    oedema = bool(wanted["oedema"])
    assessment = _assess(child, measured_on, numbers, position, oedema)
    seen = _require_confirmation(
        implausible(
            child=child,
            measured_on=measured_on,
            weight_kg=numbers["weight_kg"],
            assessment=assessment,
            exclude_pk=measurement.pk,
        ),
        confirmed,
    )
    new_values: dict[str, Any] = {
        "measured_on": measured_on,
        "position": position,
        "oedema": oedema,
        **numbers,
    }
    changed = [k for k, v in new_values.items() if current[k] != v]
    before = {k: _plain(current[k]) for k in changed}
    for key, value in {**new_values, **engine_fields(assessment), "needs_review": False}.items():
        setattr(measurement, key, value)
    measurement.age_days = (measured_on - child.birth_date).days
    measurement.confirmed_warnings = seen
    measurement.save()
    refresh_series(child)
    measurement.refresh_from_db(fields=["trend", "two_t"])
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=measurement,
        changed_fields=changed,
        detail={
            "child": child.pk,
            "reason": why,
            "before": before,
            **({"confirmed_warnings": seen} if seen else {}),
        },
        context=context,
    )
    measurements_changed.send(
        sender=Measurement, child_ids=[child.pk], actor=actor, context=context, source="correct"
    )
    series = list(child.measurements.active().order_by("measured_on"))
    return MeasurementResult(measurement, measurement_warnings(measurement, series, child))


@recording_service
def measurement_withdraw(
    *,
    actor: User | None,
    measurement: Measurement,
    reason: str,
    context: AuditContext = SYSTEM,
    now: dt.datetime | None = None,
) -> Measurement:
    """Withdraw a stored measurement (a wrong child, a broken scale): it stays in the database
    and the audit log but no longer counts anywhere (``Measurement.objects.active()``); the
    child's trend, latest measurement and cases are recomputed. ``measurement`` must come from
    a scoped read (``measurement_open``)."""
    why = _reason(reason, "penarikan")
    child = Child.objects.select_for_update().select_related("person").get(pk=measurement.child_id)
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if measurement.is_withdrawn:
        raise ValidationError({"measurement": ["Pengukuran ini sudah ditarik."]})
    measurement.withdrawn_at = now or timezone.now()
    measurement.withdrawn_by = actor if actor is not None and actor.is_authenticated else None
    measurement.withdrawal_reason = why
    measurement.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    refresh_series(child)
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=measurement,
        changed_fields=["withdrawn_at"],
        detail={"child": child.pk, "reason": why, "withdrawn": True},
        context=context,
    )
    measurements_changed.send(
        sender=Measurement, child_ids=[child.pk], actor=actor, context=context, source="withdraw"
    )
    return measurement


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (the audit row's ``before``)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def recompute_child(child: Child) -> None:
    """Judge every measurement of ``child`` again (after a change of birth date or sex)."""
    for m in child.measurements.order_by("measured_on"):
        numbers = {k: getattr(m, k) for k in limits.FIELDS}
        assessment = _assess(child, m.measured_on, numbers, m.position, m.oedema)
        for key, value in engine_fields(assessment).items():
            setattr(m, key, value)
        m.age_days = (m.measured_on - child.birth_date).days
        m.save()
    refresh_series(child)


__all__ = [
    "LIMITS",
    "MeasurementResult",
    "NeedsConfirmation",
    "can_record",
    "engine_fields",
    "engine_fields_batch",
    "implausible",
    "measurement_correct",
    "measurement_record",
    "measurement_withdraw",
    "recompute_child",
    "refresh_series",
]
