"""Who is who: the checked rows grouped into children, each matched to the registry.

A row belongs to a child already registered when (a) its NIK is that child's NIK and birth
date and sex agree, or else (b) name, birth date, mother's name and kelurahan are the same
(compared after :func:`~tumbuh.imports.validation.normal_name`). A measurement on a date the
child already has is the same measurement: it is skipped. That is what makes a second import
of the same file create nothing.

A *probable* duplicate is never merged: the row becomes a new child and the pair goes to the
queue (``DuplicateCandidate``) for a person to decide. See docs/decisions/0031.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from tumbuh.accounts.models import User
from tumbuh.imports.headers import Field
from tumbuh.imports.models import DuplicateReason
from tumbuh.imports.validation import (
    SIMILAR_MOTHER,
    SIMILAR_NAME,
    Checked,
    Row,
    normal_name,
    similarity,
)
from tumbuh.registry.models import Child, Measurement, Person
from tumbuh.registry.selectors import children_visible_to

T = TypeVar("T")
CHUNK = 500


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Duplicate:
    reason: DuplicateReason
    score: float
    existing_id: int | None = None
    """A child in the registry, or None when the other record is new in this file too."""
    other_group: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChildPlan:
    """One child of the file: its rows (one per measurement date) and what to do with it."""

    rows: list[Row]
    existing_id: int | None = None
    keep_nik: bool = True
    duplicate: Duplicate | None = None
    new_rows: list[Row] = field(default_factory=list)

    @property
    def first(self) -> Row:
        return self.rows[0]


@dataclass
class Plan:
    children: list[ChildPlan] = field(default_factory=list)
    skipped: int = 0
    mothers_by_nik: dict[str, int] = field(default_factory=dict)
    """Registered mothers (Mother pk) by their NIK, for the mothers' NIKs in the file."""

    @property
    def children_new(self) -> int:
        return sum(1 for c in self.children if c.existing_id is None)

    @property
    def children_matched(self) -> int:
        return sum(1 for c in self.children if c.existing_id is not None)

    @property
    def measurements_new(self) -> int:
        return sum(len(c.new_rows) for c in self.children)

    @property
    def duplicates(self) -> int:
        return sum(1 for c in self.children if c.duplicate is not None)


def _same_values(a: Row, b: Row) -> bool:
    return a.values == b.values


def _group(checked: Checked, header: dict[Field, str]) -> list[ChildPlan]:
    """Rows grouped per child; duplicate rows and contradictions inside the file are errors."""
    groups: dict[tuple[Any, ...], ChildPlan] = {}
    for row in checked.rows:
        key: tuple[Any, ...] = ("nik", row.nik) if row.nik else ("id", *row.identity)
        plan = groups.get(key)
        if plan is None:
            groups[key] = ChildPlan(rows=[row])
            continue
        first = plan.first
        if row.nik and (row.birth_date, row.sex) != (first.birth_date, first.sex):
            checked.add(
                row.number,
                header.get(Field.NIK, "NIK"),
                row.nik,
                f"NIK ini juga ada di baris {first.number} dengan tanggal lahir atau jenis "
                "kelamin lain. Satu NIK adalah satu anak; periksa kedua baris.",
            )
            continue
        twin = next((r for r in plan.rows if r.measured_on == row.measured_on), None)
        if twin is not None:
            date_column = header.get(Field.MEASURED_ON, "Tanggal Pengukuran")
            if _same_values(twin, row):
                reason = f"Baris ini sama dengan baris {twin.number} (data ganda dalam berkas)."
            else:
                reason = (
                    f"Anak ini sudah diukur pada tanggal yang sama di baris {twin.number} dengan "
                    "hasil lain; satu anak satu pengukuran per hari."
                )
            checked.add(row.number, date_column, row.measured_on.isoformat(), reason)
            continue
        plan.rows.append(row)
    for plan in groups.values():
        plan.rows.sort(key=lambda r: r.measured_on)
    return list(groups.values())


@dataclass(frozen=True, slots=True)
class _Known:
    child_id: int
    nik: str | None
    name: str
    mother: str
    birth_date: dt.date
    kelurahan_id: int


def _known_children(plans: Sequence[ChildPlan]) -> dict[tuple[dt.date, int], list[_Known]]:
    """Registered children born on a date of the file and living in one of its kelurahan."""
    births = sorted({p.first.birth_date for p in plans})
    kelurahan = sorted({p.first.kelurahan.pk for p in plans})
    out: dict[tuple[dt.date, int], list[_Known]] = defaultdict(list)
    for part in chunks(births):
        rows = Child.objects.filter(
            person__birth_date__in=part, person__family__kelurahan_id__in=kelurahan
        ).values_list(
            "pk", "person__nik", "person__name", "mother__person__name", "person__birth_date",
            "person__family__kelurahan_id",
        )  # fmt: skip
        for pk, nik, name, mother, birth, kel in rows:
            known = _Known(pk, nik, normal_name(name), normal_name(mother or ""), birth, kel)
            out[(birth, kel)].append(known)
    return out


def match(checked: Checked, *, user: User | None) -> Plan:
    """Group ``checked.rows`` per child and match each child to the registry. Problems found
    here (a NIK that belongs to an adult, a registered child outside the user's area) are
    added to ``checked``."""
    names = checked.column_names
    plan = Plan(children=_group(checked, names))
    if not plan.children:
        return plan
    by_nik: dict[str, tuple[int | None, dt.date | None, int]] = {}
    niks = sorted({c.first.nik for c in plan.children if c.first.nik})
    for part in chunks(niks):
        for nik, child_id, birth, sex in Person.objects.filter(nik__in=part).values_list(
            "nik", "child__pk", "birth_date", "sex"
        ):
            by_nik[nik] = (child_id, birth, sex)
    known = _known_children(plan.children)
    _mothers(checked, plan)

    for child in plan.children:
        first = child.first
        hit = by_nik.get(first.nik or "")
        if hit is not None:
            child_id, birth, sex = hit
            if child_id is None:
                for row in child.rows:
                    checked.add(
                        row.number, names.get(Field.NIK, "NIK"), row.nik,
                        "NIK ini terdaftar untuk orang dewasa (bukan anak). Periksa NIK anak.",
                    )  # fmt: skip
                continue
            if (birth, sex) == (first.birth_date, first.sex):
                child.existing_id = child_id
                continue
        name, birth_date, mother, kel = first.identity
        same_place = known.get((birth_date, kel), [])
        exact = [k for k in same_place if (k.name, k.mother) == (name, mother)]
        if exact:
            found = exact[0]
            if first.nik and found.nik and found.nik != first.nik:
                child.duplicate = Duplicate(
                    DuplicateReason.NIK_DIFFERS, 1.0, existing_id=found.child_id,
                    detail={"nik_in_file": first.nik},
                )  # fmt: skip
            else:
                child.existing_id = found.child_id
            continue
        if hit is not None:  # the NIK is a registered child whose birth date or sex differ
            child.keep_nik = False
            child.duplicate = Duplicate(
                DuplicateReason.SAME_NIK, 1.0, existing_id=hit[0],
                detail={"nik_in_file": first.nik},
            )  # fmt: skip
            continue
        best: tuple[float, _Known] | None = None
        for other in same_place:
            a = similarity(name, other.name)
            b = similarity(mother, other.mother)
            if a >= SIMILAR_NAME and b >= SIMILAR_MOTHER:
                score = round((a + b) / 2, 3)
                if best is None or score > best[0]:
                    best = (score, other)
        if best is not None:
            child.duplicate = Duplicate(
                DuplicateReason.SIMILAR, best[0], existing_id=best[1].child_id
            )
    _similar_within_file(plan.children)
    _check_scope(checked, plan, user)
    _existing_measurements(checked, plan)
    return plan


def _mothers(checked: Checked, plan: Plan) -> None:
    """Mothers already registered, found by NIK; a NIK of someone who is not a mother is an
    error (as in the registry's ``child_register``)."""
    niks = sorted({c.first.mother_nik for c in plan.children if c.first.mother_nik})
    not_mothers: set[str] = set()
    for part in chunks(niks):
        for nik, mother_id in Person.objects.filter(nik__in=part).values_list("nik", "mother__pk"):
            if mother_id is None:
                not_mothers.add(nik)
            else:
                plan.mothers_by_nik[nik] = mother_id
    if not not_mothers:
        return
    column = checked.column_names.get(Field.MOTHER_NIK, "NIK Ibu")
    for child in plan.children:
        if child.first.mother_nik in not_mothers:
            for row in child.rows:
                checked.add(
                    row.number, column, row.mother_nik,
                    "NIK ibu terdaftar untuk orang lain (bukan ibu). Periksa NIK ibu.",
                )  # fmt: skip


def _similar_within_file(children: Sequence[ChildPlan]) -> None:
    """Two new children of the same file that look like one child (no NIK to tell)."""
    places: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    for index, child in enumerate(children):
        if child.existing_id is not None or child.duplicate is not None:
            continue
        first = child.first
        for other in places[(first.birth_date, first.kelurahan.pk)]:
            theirs = children[other].first
            if first.nik and theirs.nik:
                continue  # two different NIKs: two children
            a = similarity(first.name, theirs.name)
            b = similarity(first.mother_name, theirs.mother_name)
            if a >= SIMILAR_NAME and b >= SIMILAR_MOTHER:
                child.duplicate = Duplicate(
                    DuplicateReason.SIMILAR, round((a + b) / 2, 3), other_group=other
                )
                break
        places[(first.birth_date, first.kelurahan.pk)].append(index)


def _check_scope(checked: Checked, plan: Plan, user: User | None) -> None:
    matched = [c.existing_id for c in plan.children if c.existing_id is not None]
    if user is None or user.is_superuser or not matched:
        return
    visible: set[int] = set()
    for part in chunks(matched):
        visible.update(children_visible_to(user).filter(pk__in=part).values_list("pk", flat=True))
    for child in plan.children:
        if child.existing_id is not None and child.existing_id not in visible:
            for row in child.rows:
                checked.add(
                    row.number, checked.column_names.get(Field.NAME, "Nama"), row.name,
                    "Anak ini sudah terdaftar di luar wilayah Anda; minta petugas wilayahnya "
                    "mengimpor pengukurannya.",
                )  # fmt: skip


def _decimal_or_none(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _existing_measurements(checked: Checked, plan: Plan) -> None:
    ids = [c.existing_id for c in plan.children if c.existing_id is not None]
    stored: dict[int, dict[dt.date, tuple[Decimal | None, Decimal | None]]] = defaultdict(dict)
    for part in chunks(ids):
        for child_id, day, weight, length in (
            Measurement.objects.active()
            .filter(child_id__in=part)
            .values_list("child_id", "measured_on", "weight_kg", "length_cm")
        ):
            stored[child_id][day] = (_decimal_or_none(weight), _decimal_or_none(length))
    differing = 0
    for child in plan.children:
        have = stored.get(child.existing_id or 0, {})
        for row in child.rows:
            old = have.get(row.measured_on)
            if old is None:
                child.new_rows.append(row)
                continue
            plan.skipped += 1
            if old != (row.weight_kg, row.length_cm):
                differing += 1
                if differing <= 20:
                    checked.warnings.append(
                        f"Baris {row.number}: {row.name} sudah punya pengukuran pada "
                        f"{row.measured_on:%d-%m-%Y} dengan hasil lain; baris ini dilewati. "
                        "Perbaiki lewat halaman anak bila perlu."
                    )
    if differing > 20:
        checked.warnings.append(
            f"... dan {differing - 20} baris lain yang tanggal ukurnya sudah ada dengan hasil lain."
        )


def rows_of(plans: Iterable[ChildPlan]) -> list[Row]:
    return [row for plan in plans for row in plan.new_rows]
