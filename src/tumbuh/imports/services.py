"""Writing a checked, matched file into the registry in one transaction, and deciding on the
probable duplicates it queued.

Why a bulk writer here and not ``child_register`` / ``measurement_record`` row by row: those
run about ten queries and one growth-engine call per measurement (a few hundred rows a
second); a 100,000-row file must go at thousands a second. :func:`import_write` stores exactly
the fields those services store: the same Family / Person / Mother / Child rows, measurements
with the growth engine's verdict from ``registry.services.measurements.engine_fields_batch``
(the registry's own batch form of ``engine_fields``; z-scores come from one
``tumbuh.growth.zscores`` call per chunk), the weight trend from ``tumbuh.growth.trend``, the
child's latest measurement, and one audit row per created record. Before it commits it asks
``children_visible_to(actor)`` whether every child touched is inside the actor's area; if not,
everything is rolled back.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.audit.services import audit_object, audit_record, object_type_of
from tumbuh.growth import zscores
from tumbuh.growth.trend import Visit, weight_trend
from tumbuh.imports.fastinsert import insert, insert_values
from tumbuh.imports.matching import ChildPlan, Plan, chunks
from tumbuh.imports.models import DuplicateCandidate, DuplicateStatus, ImportJob
from tumbuh.imports.validation import Row, engine_columns, normal_name
from tumbuh.registry.models import (
    BreastfeedingPeriod,
    Child,
    ChildAssignment,
    Consent,
    Family,
    Measurement,
    Mother,
    Person,
    Pregnancy,
    Relationship,
    Sex,
    Source,
)
from tumbuh.registry.selectors import (
    children_visible_to,
    families_visible_to,
    mothers_visible_to,
)
from tumbuh.registry.services import can_record
from tumbuh.registry.services.links import link_request_open
from tumbuh.registry.services.measurements import (
    MEASURED_FIELDS,
    engine_fields_batch,
    recompute_child,
)
from tumbuh.registry.signals import measurements_changed
from tumbuh.wilayah.services import rw_rt_ensure

#: Rows per call of the growth engine and per bulk insert.
ENGINE_CHUNK = 20_000
BATCH = 2_000

Progress = Callable[[int], None]


class ImportScopeError(PermissionDenied):
    """A child written by the import is not visible to the importing user (rolled back)."""


@dataclass(frozen=True, slots=True)
class WriteCounts:
    children_created: int
    children_matched: int
    measurements_created: int
    measurements_skipped: int
    duplicates_queued: int
    links_queued: int = 0
    """Rows whose KK or mother's NIK named a record outside the user's area (not linked)."""


class _Auditor:
    """Audit rows for records created in bulk: the same fields ``audit_record`` writes."""

    def __init__(self, actor: User | None, context: AuditContext, job: ImportJob | None) -> None:
        self.user = actor if actor is not None and actor.is_authenticated else None
        self.context = context
        self.job_id = job.pk if job is not None else None
        self.rows: list[dict[str, Any]] = []
        user = self.user
        self.base = {
            "actor_id": user.pk if user else None,
            "actor_username": user.get_username() if user else "",
            "actor_role": (user.role or ("admin" if user.is_superuser else "")) if user else "",
            "action": str(Action.CREATE),
            "ip_address": context.ip_address,
            "user_agent": context.user_agent,
            "path": context.path,
        }

    def created(
        self, objects: Iterable[Model], *, fields: Callable[[Any], list[str]] | None = None,
        child_of: Callable[[Any], int | None] | None = None,
    ) -> None:  # fmt: skip
        for obj in objects:
            self.ids(object_type_of(obj), [obj.pk], fields=[fields(obj)] if fields else None,
                     children=[child_of(obj)] if child_of else None)  # fmt: skip

    def ids(
        self, object_type: str, ids: Sequence[int], *, fields: Sequence[list[str]] | None = None,
        children: Sequence[int | None] | None = None,
    ) -> None:  # fmt: skip
        source = str(Source.IMPORT)
        for i, pk in enumerate(ids):
            detail: dict[str, Any] = {"source": source, "import_job": self.job_id}
            if children is not None:
                detail["child"] = children[i]
            self.rows.append(
                {
                    **self.base,
                    "object_type": object_type,
                    "object_id": str(pk),
                    "changed_fields": sorted(set(fields[i])) if fields is not None else [],
                    "detail": detail,
                }
            )

    def flush(self) -> None:
        insert_values(AuditEvent, self.rows)
        self.rows = []


def _family_key(row: Row) -> tuple[Any, ...]:
    if row.kk_number:
        return ("kk", row.kk_number)
    if row.mother_nik:
        return ("mother_nik", row.mother_nik)
    return ("mother", normal_name(row.mother_name), row.kelurahan.pk, row.rw, row.rt)


def _mother_key(row: Row) -> tuple[Any, ...]:
    if row.mother_nik:
        return ("nik", row.mother_nik)
    return ("name", normal_name(row.mother_name), _family_key(row))


class _Writer:
    def __init__(
        self, plan: Plan, actor: User | None, context: AuditContext, job: ImportJob | None,
        progress: Progress | None,
    ) -> None:  # fmt: skip
        self.plan = plan
        self.actor = actor
        self.creator = actor if actor is not None and actor.is_authenticated else None
        self.audit = _Auditor(actor, context, job)
        self.progress = progress
        self.context = context
        self.link_targets: list[tuple[int, str, int]] = []
        """(index in the new rows, "family" or "mother", pk) of links queued, not made."""
        self.new_children: dict[int, int] = {}
        """Index of the ChildPlan -> the id of the Child created for it."""

    # people -------------------------------------------------------------------------------

    def _places(self, plans: Sequence[ChildPlan]) -> dict[tuple[int, int, int | None], Any]:
        nodes: dict[tuple[int, int, int | None], Any] = {}
        for plan in plans:
            row = plan.first
            if row.rw is None:
                continue
            key = (row.kelurahan.pk, row.rw, row.rt)
            if key not in nodes:
                nodes[key] = rw_rt_ensure(kelurahan=row.kelurahan, rw=row.rw, rt=row.rt)
        return nodes

    def people(self) -> None:
        """Families, mothers, fathers and children of the new children, as
        ``child_register`` makes them (one family per KK, else per mother; a mother found by
        NIK is reused), inserted in bulk."""
        new = [(i, c) for i, c in enumerate(self.plan.children) if c.existing_id is None]
        if not new:
            return
        rows = [c.first for _, c in new]
        nodes = self._places([c for _, c in new])
        creator = self.creator.pk if self.creator else None
        known_families = {
            kk: pk
            for part in chunks(sorted({r.kk_number for r in rows if r.kk_number}))
            for kk, pk in Family.objects.filter(kk_number__in=part).values_list("kk_number", "pk")
        }
        known_mothers = {
            nik: (pk, family_id)
            for nik, pk, family_id in Mother.objects.filter(
                pk__in=set(self.plan.mothers_by_nik.values())
            ).values_list("person__nik", "pk", "person__family_id")
        }
        # A KK or mother's NIK outside the importing user's area is never linked (finding 1
        # of issue 11): the row gets a family or mother of its own and the link is queued.
        hidden_kk: set[str] = set()
        hidden_nik: set[str] = set()
        if self.creator is not None:
            visible_families = set(
                families_visible_to(self.creator)
                .filter(pk__in=set(known_families.values()))
                .values_list("pk", flat=True)
            )
            visible_mothers = set(
                mothers_visible_to(self.creator)
                .filter(pk__in={m[0] for m in known_mothers.values()})
                .values_list("pk", flat=True)
            )
            hidden_kk = {kk for kk, pk in known_families.items() if pk not in visible_families}
            hidden_nik = {nik for nik, m in known_mothers.items() if m[0] not in visible_mothers}
            for index, row in enumerate(rows):
                if row.kk_number in hidden_kk:
                    self.link_targets.append((index, "family", known_families[row.kk_number]))
                if row.mother_nik in hidden_nik:
                    self.link_targets.append((index, "mother", known_mothers[row.mother_nik][0]))
            known_families = {k: v for k, v in known_families.items() if k not in hidden_kk}
            known_mothers = {k: v for k, v in known_mothers.items() if k not in hidden_nik}
        family_keys: list[tuple[Any, ...]] = []
        family_rows: list[dict[str, Any]] = []
        families: dict[tuple[Any, ...], int | None] = {}
        for row in rows:
            key = _family_key(row)
            if key in families:
                continue
            mother = known_mothers.get(row.mother_nik or "")
            found = known_families.get(row.kk_number or "")
            if found is None and mother is not None and mother[1]:
                found = mother[1]
            families[key] = found
            if found is None:
                rw, rt = nodes.get((row.kelurahan.pk, row.rw or 0, row.rt), (None, None))
                family_keys.append(key)
                family_rows.append(
                    {
                        "kk_number": None if row.kk_number in hidden_kk else row.kk_number,
                        "head_name": row.father_name or row.mother_name,
                        "kelurahan_id": row.kelurahan.pk,
                        "rw_id": rw.pk if rw else None,
                        "rt_id": rt.pk if rt else None,
                        "address_line": row.address,
                        "phone": row.phone,
                        "created_by_id": creator,
                    }
                )
        family_ids = insert_values(Family, family_rows)
        families.update(zip(family_keys, family_ids, strict=True))
        self.audit.ids(object_type_of(Family), family_ids)

        mothers: dict[tuple[Any, ...], int] = {}
        mother_keys: list[tuple[Any, ...]] = []
        pending_mothers: set[tuple[Any, ...]] = set()
        mother_people: list[dict[str, Any]] = []
        mother_posyandu: list[int | None] = []
        for row in rows:
            key = _mother_key(row)
            if key in mothers or key in pending_mothers:
                continue
            known = known_mothers.get(row.mother_nik or "")
            if known is not None:
                mothers[key] = known[0]
                continue
            mother_keys.append(key)
            pending_mothers.add(key)
            mother_posyandu.append(row.posyandu.pk if row.posyandu else None)
            mother_people.append(
                {
                    "nik": None if row.mother_nik in hidden_nik else row.mother_nik,
                    "name": row.mother_name,
                    "sex": int(Sex.FEMALE),
                    "family_id": families[_family_key(row)],
                    "relationship": str(
                        Relationship.WIFE if row.father_name else Relationship.HEAD
                    ),
                    "created_by_id": creator,
                }
            )
        father_keys: list[tuple[Any, ...]] = []
        seen_fathers: set[tuple[Any, ...]] = set()
        father_people: list[dict[str, Any]] = []
        for row in rows:
            key = (_family_key(row), normal_name(row.father_name))
            if row.father_name and key not in seen_fathers:
                seen_fathers.add(key)
                father_keys.append(key)
                father_people.append(
                    {
                        "name": row.father_name,
                        "sex": int(Sex.MALE),
                        "family_id": families[_family_key(row)],
                        "relationship": str(Relationship.HEAD),
                        "created_by_id": creator,
                    }
                )
        adult_ids = insert_values(Person, mother_people + father_people)
        mother_person_ids = adult_ids[: len(mother_people)]
        fathers = dict(zip(father_keys, adult_ids[len(mother_people) :], strict=True))
        mother_ids = insert_values(
            Mother,
            [
                {"person_id": pid, "posyandu_id": post, "created_by_id": creator}
                for pid, post in zip(mother_person_ids, mother_posyandu, strict=True)
            ],
        )
        mothers.update(zip(mother_keys, mother_ids, strict=True))
        self.audit.ids(object_type_of(Person), adult_ids)
        self.audit.ids(object_type_of(Mother), mother_ids)

        child_person_ids = insert_values(
            Person,
            [
                {
                    "nik": row.nik if plan.keep_nik else None,
                    "name": row.name,
                    "sex": row.sex,
                    "birth_date": row.birth_date,
                    "family_id": families[_family_key(row)],
                    "relationship": str(Relationship.CHILD),
                    "created_by_id": creator,
                }
                for row, (_, plan) in zip(rows, new, strict=True)
            ],
        )
        child_ids = insert_values(
            Child,
            [
                {
                    "person_id": person_id,
                    "mother_id": mothers[_mother_key(row)],
                    "father_id": fathers.get((_family_key(row), normal_name(row.father_name))),
                    "posyandu_id": row.posyandu.pk if row.posyandu else None,
                    "birth_weight_kg": row.birth_weight_kg,
                    "birth_length_cm": row.birth_length_cm,
                    "birth_order": row.birth_order,
                    "created_by_id": creator,
                }
                for row, person_id in zip(rows, child_person_ids, strict=True)
            ],
        )
        for (index, _plan), child_id in zip(new, child_ids, strict=True):
            self.new_children[index] = child_id
        self.audit.ids(object_type_of(Person), child_person_ids)
        self.audit.ids(object_type_of(Child), child_ids)
        self.audit.flush()
        self._queue_links(child_ids)

    def _queue_links(self, child_ids: Sequence[int]) -> None:
        if not self.link_targets:
            return
        children = Child.objects.select_related("person__family__kelurahan").in_bulk(
            [child_ids[i] for i, _, _ in self.link_targets]
        )
        mothers = Mother.objects.select_related("person__family__kelurahan").in_bulk(
            [pk for _, kind, pk in self.link_targets if kind == "mother"]
        )
        families = Family.objects.select_related("kelurahan").in_bulk(
            [pk for _, kind, pk in self.link_targets if kind == "family"]
        )
        for index, kind, pk in self.link_targets:
            link_request_open(
                actor=self.creator,
                child=children[child_ids[index]],
                family=families[pk] if kind == "family" else None,
                mother=mothers[pk] if kind == "mother" else None,
                context=self.context,
            )

    def child_id(self, index: int) -> int:
        plan = self.plan.children[index]
        if plan.existing_id is not None:
            return plan.existing_id
        return self.new_children[index]

    # measurements -------------------------------------------------------------------------

    def measurements(self) -> list[dict[str, Any]]:
        pairs = [(i, row) for i, c in enumerate(self.plan.children) for row in c.new_rows]
        created: list[dict[str, Any]] = []
        posyandu_of: dict[int, int | None] = {}
        if any(c.existing_id is not None for c in self.plan.children):
            ids = [c.existing_id for c in self.plan.children if c.existing_id is not None]
            for part in chunks(ids):
                posyandu_of.update(
                    Child.objects.filter(pk__in=part).values_list("pk", "posyandu_id")
                )
        measured_by_name = self.creator.get_full_name() if self.creator else ""
        for start in range(0, len(pairs), ENGINE_CHUNK):
            part = pairs[start : start + ENGINE_CHUNK]
            rows = [row for _, row in part]
            verdicts = engine_fields_batch(zscores(engine_columns(rows)))
            for (index, row), verdict in zip(part, verdicts, strict=True):
                child_id = self.child_id(index)
                posyandu_id = row.posyandu.pk if row.posyandu else posyandu_of.get(child_id)
                verdict.update(
                    child_id=child_id,
                    measured_on=row.measured_on,
                    age_days=(row.measured_on - row.birth_date).days,
                    weight_kg=row.weight_kg,
                    length_cm=row.length_cm,
                    position=row.position,
                    head_circumference_cm=row.head_circumference_cm,
                    arm_circumference_cm=row.arm_circumference_cm,
                    oedema=row.oedema,
                    posyandu_id=posyandu_id,
                    measured_by_id=self.creator.pk if self.creator else None,
                    measured_by_name=row.measured_by_name or measured_by_name,
                    source=str(Source.IMPORT),
                )
                created.append(verdict)
            if self.progress is not None:
                self.progress(start + len(part))
        self._trends(created)
        for start in range(0, len(created), BATCH * 5):
            part = created[start : start + BATCH * 5]
            ids = insert_values(Measurement, part)
            self.audit.ids(
                object_type_of(Measurement), ids,
                fields=[[k for k in MEASURED_FIELDS if m[k] not in (None, "")] for m in part],
                children=[m["child_id"] for m in part],
            )  # fmt: skip
            self.audit.flush()
        self._latest(created)
        return created

    def _trends(self, created: list[dict[str, Any]]) -> None:
        """KMS N/T/O/B and 2T over each touched child's whole series (stored and new): new
        rows get theirs before they are inserted, stored rows are updated when it changed."""
        new: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for m in created:
            new[m["child_id"]].append(m)
        stored: dict[int, list[Measurement]] = defaultdict(list)
        matched = [c.existing_id for c in self.plan.children if c.existing_id is not None]
        for part in chunks(matched):
            for m in (
                Measurement.objects.active()
                .filter(child_id__in=part)
                .only("id", "child_id", "measured_on", "weight_kg", "trend", "two_t")
            ):
                stored[m.child_id].append(m)
        births = {self.child_id(i): c.first.birth_date for i, c in enumerate(self.plan.children)}
        changed: list[Measurement] = []
        for child_id in set(new) | set(stored):
            visits = sorted(
                [(m["measured_on"], m["weight_kg"]) for m in new.get(child_id, [])]
                + [(m.measured_on, m.weight_kg) for m in stored.get(child_id, [])]
            )
            points = {
                p.date: p
                for p in weight_trend(
                    births[child_id],
                    [Visit(date=d, weight_kg=float(w) if w else None) for d, w in visits],
                )
            }
            for row in new.get(child_id, []):
                point = points.get(row["measured_on"])
                row["trend"] = point.status.value if point else ""
                row["two_t"] = bool(point and point.two_t)
            for m in stored.get(child_id, []):
                point = points.get(m.measured_on)
                trend = point.status.value if point else ""
                two_t = bool(point and point.two_t)
                if (m.trend, m.two_t) != (trend, two_t):
                    m.trend, m.two_t = trend, two_t
                    changed.append(m)
        if changed:
            Measurement.objects.bulk_update(changed, ["trend", "two_t"], batch_size=BATCH)

    def _latest(self, created: list[dict[str, Any]]) -> None:
        """Point each touched child at its newest measurement (as ``refresh_series`` does),
        in one UPDATE per chunk of children."""
        child = connection.ops.quote_name(Child._meta.db_table)
        measurement = connection.ops.quote_name(Measurement._meta.db_table)
        ids = sorted({m["child_id"] for m in created})
        with connection.cursor() as cursor:
            for part in chunks(ids):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"UPDATE {child} SET latest_measurement_id = (SELECT m.id FROM "
                    f"{measurement} m WHERE m.child_id = {child}.id AND m.withdrawn_at IS NULL "
                    f"ORDER BY m.measured_on DESC LIMIT 1) WHERE id IN ({marks})",
                    list(part),
                )

    # duplicates ---------------------------------------------------------------------------

    def duplicates(self, job: ImportJob | None) -> int:
        pairs: list[DuplicateCandidate] = []
        for index, plan in enumerate(self.plan.children):
            dup = plan.duplicate
            if dup is None or index not in self.new_children:
                continue
            existing = dup.existing_id
            if existing is None and dup.other_group is not None:
                existing = self.child_id(dup.other_group)
            if existing is None:
                continue
            pairs.append(
                DuplicateCandidate(
                    existing_id=existing,
                    incoming_id=self.child_id(index),
                    reason=dup.reason,
                    score=dup.score,
                    import_job=job,
                    detail={**dup.detail, "row": plan.first.number},
                )
            )
        insert(DuplicateCandidate, pairs)
        self.audit.created(pairs)
        self.audit.flush()
        return len(pairs)

    def check_scope(self) -> None:
        actor = self.actor
        if actor is None or actor.is_superuser:
            return
        ids = [self.child_id(i) for i in range(len(self.plan.children))]
        visible = 0
        for part in chunks(ids):
            visible += children_visible_to(actor).filter(pk__in=part).count()
        if visible != len(ids):
            raise ImportScopeError(
                "Sebagian anak dalam berkas akan berada di luar wilayah Anda; tidak ada yang "
                "disimpan."
            )


#: Children written per transaction (ADR 0051): each commit holds SQLite's single writer for
#: seconds, not for the whole file, so weighings and chat messages keep being saved meanwhile.
COMMIT_CHILDREN = 2_000


def _commit_groups(plan: Plan, size: int) -> list[list[int]]:
    """The plan's child indices in groups of about ``size``, a family (KK, mother's NIK or
    mother) never split between two groups, so one transaction creates each family once."""
    by_family: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, child in enumerate(plan.children):
        by_family[_family_key(child.first)].append(index)
    groups: list[list[int]] = [[]]
    for members in by_family.values():
        if groups[-1] and len(groups[-1]) + len(members) > size:
            groups.append([])
        groups[-1].extend(members)
    return [sorted(g) for g in groups if g]


def _sub_plan(plan: Plan, indices: list[int], first: bool) -> Plan:
    """The children at ``indices`` as a plan of their own (probable duplicates are queued
    after every group is written, with the ids of the whole file)."""
    children = [replace(plan.children[i], duplicate=None) for i in indices]
    niks = sorted({c.first.mother_nik for c in children if c.first.mother_nik})
    mothers = {
        nik: pk
        for part in chunks(niks)
        for nik, pk in Mother.objects.filter(person__nik__in=part).values_list("person__nik", "pk")
    }
    return Plan(children=children, skipped=plan.skipped if first else 0, mothers_by_nik=mothers)


def import_write(
    *,
    plan: Plan,
    actor: User | None,
    job: ImportJob | None = None,
    context: AuditContext = SYSTEM,
    progress: Progress | None = None,
    commit_children: int | None = None,
) -> WriteCounts:
    """Store a matched plan (from a file with no errors), audited, in transactions of about
    ``commit_children`` children each (ADR 0051; a file up to that size is one transaction, as
    ADR 0030 describes). Probable duplicates, the scope check and the import's own audit row
    come in a last transaction. Should a later transaction fail, the earlier ones stay; the
    same file imported again adds only what is missing (ADR 0030, idempotency)."""
    if actor is not None and not can_record(actor):
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data anak.")
    groups = _commit_groups(plan, max(1, commit_children or COMMIT_CHILDREN))
    # A file of one group is one transaction, all or nothing, exactly as before.
    whole = transaction.atomic() if len(groups) == 1 else contextlib.nullcontext()
    with whole:
        new_children: dict[int, int] = {}
        created_total = 0
        links_total = 0
        done = 0
        for number, indices in enumerate(groups):
            part = _sub_plan(plan, indices, first=number == 0)
            offset = done

            def chunk_progress(count: int, offset: int = offset) -> None:
                if progress is not None:
                    progress(offset + count)

            with transaction.atomic():
                writer = _Writer(part, actor, context, job, chunk_progress)
                writer.people()
                created = writer.measurements()
                writer.check_scope()
                measurements_changed.send(
                    sender=Measurement,
                    child_ids=sorted({row["child_id"] for row in created}),
                    actor=actor,
                    context=context,
                    source=str(Source.IMPORT),
                )
            for local, child_id in writer.new_children.items():
                new_children[indices[local]] = child_id
            created_total += len(created)
            links_total += len(writer.link_targets)
            done += part.measurements_new
        with transaction.atomic():
            writer = _Writer(plan, actor, context, job, None)
            writer.new_children = new_children
            queued = writer.duplicates(job)
            counts = WriteCounts(
                children_created=plan.children_new,
                children_matched=plan.children_matched,
                measurements_created=created_total,
                measurements_skipped=plan.skipped,
                duplicates_queued=queued,
                links_queued=links_total,
            )
            audit_record(
                actor=actor,
                action=Action.IMPORT,
                object_type=object_type_of(ImportJob),
                object_id=job.pk if job is not None else "",
                detail={
                    "file": job.file_name if job is not None else "",
                    "checksum": job.checksum if job is not None else "",
                    "children_created": counts.children_created,
                    "children_matched": counts.children_matched,
                    "measurements_created": counts.measurements_created,
                    "measurements_skipped": counts.measurements_skipped,
                    "duplicates_queued": counts.duplicates_queued,
                    "transactions": len(groups) + 1,
                },
                context=context,
            )
    return counts


# -- deciding on a probable duplicate ----------------------------------------------------------

#: Roles that may merge or dismiss probable duplicates (besides administrators).
DECIDING_ROLES = frozenset({Role.NUTRITION_OFFICER, Role.KELURAHAN_OFFICER})


def can_decide(user: User | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in DECIDING_ROLES


def _require_decider(actor: User, candidate: DuplicateCandidate, context: AuditContext) -> None:
    visible = children_visible_to(actor).filter(
        pk__in=[candidate.existing_id, candidate.incoming_id]
    )
    if not can_decide(actor) or visible.count() != 2:
        audit_record(
            actor=actor,
            action=Action.DENIED,
            object_type=object_type_of(DuplicateCandidate),
            object_id=candidate.pk,
            context=context,
        )
        raise PermissionDenied("Anda tidak dapat memutuskan data ganda ini.")
    if candidate.status != DuplicateStatus.OPEN:
        raise ValidationError({"status": ["Data ganda ini sudah diputuskan."]})


def duplicate_dismiss(
    *, actor: User, candidate: DuplicateCandidate, note: str = "",
    context: AuditContext = SYSTEM,
) -> DuplicateCandidate:  # fmt: skip
    """Two different children: keep both records."""
    _require_decider(actor, candidate, context)
    with transaction.atomic():
        candidate.status = DuplicateStatus.DISMISSED
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.note = note.strip()[:300]
        candidate.save()
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=candidate,
            changed_fields=["status"],
            detail={"status": "dismissed"},
            context=context,
        )
    return candidate


def _same(a: Measurement, b: Measurement) -> bool:
    return (a.weight_kg, a.length_cm, a.position) == (b.weight_kg, b.length_cm, b.position)


def duplicate_merge(
    *, actor: User, candidate: DuplicateCandidate, keep: str, note: str = "",
    context: AuditContext = SYSTEM,
) -> Child:  # fmt: skip
    """One child recorded twice: move everything of the other record onto the kept one
    (``keep`` is ``"existing"`` or ``"incoming"``), judge its measurements again with the kept
    birth date and sex, and remove the other record. Refused when both records have a
    measurement on the same day with different results (correct one of them first)."""
    if keep not in ("existing", "incoming"):
        raise ValueError("keep must be 'existing' or 'incoming'")
    _require_decider(actor, candidate, context)
    with transaction.atomic():
        ids = sorted([candidate.existing_id or 0, candidate.incoming_id or 0])
        locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=ids)}
        kept = locked[candidate.existing_id if keep == "existing" else candidate.incoming_id]
        gone = locked[candidate.incoming_id if keep == "existing" else candidate.existing_id]
        kept_days = {m.measured_on: m for m in kept.measurements.active()}
        drop: list[int] = []
        for m in gone.measurements.active():
            twin = kept_days.get(m.measured_on)
            if twin is None:
                continue
            if not _same(twin, m):
                raise ValidationError(
                    {
                        "keep": [
                            f"Kedua data punya pengukuran pada {m.measured_on:%d-%m-%Y} dengan "
                            "hasil berbeda. Perbaiki salah satunya dahulu, lalu gabungkan."
                        ]
                    }
                )
            drop.append(m.pk)
        Child.objects.filter(pk=gone.pk).update(latest_measurement=None)
        Measurement.objects.filter(pk__in=drop).delete()
        moved = Measurement.objects.filter(child=gone).update(child=kept)
        BreastfeedingPeriod.objects.filter(child=gone).update(child=kept)
        Pregnancy.objects.filter(child=gone).update(child=kept)
        Consent.objects.filter(subject_id=gone.person_id).update(subject_id=kept.person_id)
        for assignment in ChildAssignment.objects.filter(child=gone):
            if ChildAssignment.objects.filter(
                child=kept, user_id=assignment.user_id, ended_on__isnull=True
            ).exists():
                assignment.ended_on = assignment.ended_on or timezone.localdate()
            assignment.child = kept
            assignment.save()
        kept_person = Person.objects.get(pk=kept.person_id)
        gone_person = Person.objects.get(pk=gone.person_id)
        changed = ["measurements"]
        if not kept_person.nik and gone_person.nik:
            nik = gone_person.nik
            gone_person.nik = None
            gone_person.save(update_fields=["nik"])
            kept_person.nik = nik
            kept_person.save(update_fields=["nik"])
            changed.append("nik")
        (
            DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
            .exclude(pk=candidate.pk)
            .filter(existing=gone)
            .update(existing=kept)
        )
        (
            DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
            .exclude(pk=candidate.pk)
            .filter(incoming=gone)
            .update(incoming=kept)
        )
        gone_id, gone_person_id = gone.pk, gone.person_id
        from tumbuh.cases.services import cases_move_child  # the cases follow the kept child

        cases_move_child(gone_id=gone.pk, kept=kept, actor=actor, context=context)
        try:
            gone.delete()
            gone_person.delete()
        except ProtectedError as error:
            raise ValidationError(
                {"keep": ["Data yang digabung masih dipakai di tempat lain; hubungi admin."]}
            ) from error
        kept = Child.objects.select_related("person").get(pk=kept.pk)
        recompute_child(kept)
        if candidate.existing_id == gone_id:
            candidate.existing = None
        else:
            candidate.incoming = None
        candidate.status = DuplicateStatus.MERGED
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.note = note.strip()[:300]
        candidate.detail = {**candidate.detail, "kept": kept.pk, "removed": gone_id}
        candidate.save()
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=kept,
            changed_fields=changed,
            detail={"merged_from": gone_id, "measurements_moved": moved, "duplicate": candidate.pk},
            context=context,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type=object_type_of(Child),
            object_id=gone_id,
            changed_fields=["merged_into"],
            detail={"merged_into": kept.pk, "removed": True, "person": gone_person_id},
            context=context,
        )
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=candidate,
            changed_fields=["status"],
            detail={"status": "merged"},
            context=context,
        )
    return kept


__all__ = [
    "ImportScopeError",
    "WriteCounts",
    "can_decide",
    "duplicate_dismiss",
    "duplicate_merge",
    "import_write",
]
