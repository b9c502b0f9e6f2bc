"""The city's directory and a verified person's own data, read from wilayah and the registry.

``person_id`` values handed to the engine are opaque: ``p<Person pk>`` for a parent found in
the registry, ``u<User pk>`` for a bapak asuh (a partner user with child assignments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tumbuh.accounts.models import Role, User
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.chatbot import interfaces as bot
from tumbuh.messaging.store import kelurahan_named
from tumbuh.registry.models import Child, ChildAssignment, ChildStatus, Measurement
from tumbuh.registry.presenters import age_text, initials
from tumbuh.registry.selectors import children_visible_to
from tumbuh.wilayah.models import Level, Posyandu, Puskesmas, Region

__all__ = ["VISIT_EVERY_DAYS", "RegistryPersonalData", "WilayahDirectory"]

VISIT_EVERY_DAYS = 14
VISITS_AHEAD_DAYS = 7


DEMO_NOTE = (
    "Sebagian data di direktori ini adalah data contoh (demo), bukan data resmi kota. "
    "Pastikan jadwal dan jam layanan kepada kader atau puskesmas."
)


def _posyandu_service(p: Posyandu) -> bot.Service:
    where = p.address or (f"RW {p.rw.name}" if p.rw else "")
    name = f"{p} (demo)" if p.is_demo and "demo" not in p.name.lower() else str(p)
    return bot.Service(kind="posyandu", name=name, address=where, schedule=p.schedule_text())


def _puskesmas_service(p: Puskesmas) -> bot.Service:
    name = f"{p} (demo)" if p.is_demo and "demo" not in p.name.lower() else str(p)
    return bot.Service(
        kind="puskesmas",
        name=name,
        address=p.address,
        phone=p.phone,
        hours=p.opening_hours,
        area=f"Kecamatan {p.kecamatan.name}",
    )


class WilayahDirectory:
    """Posyandu and puskesmas per kelurahan and per kecamatan, only as the wilayah tables
    hold them: meeting day, address, opening hours and phone are shown when recorded and
    never made up; demo rows are marked as such."""

    def kelurahan_names(self) -> Sequence[str]:
        names = Region.objects.filter(level=Level.VILLAGE).order_by("code")
        return tuple(dict.fromkeys(names.values_list("name", flat=True)))

    def kecamatan_names(self) -> Sequence[str]:
        names = Region.objects.filter(level=Level.DISTRICT).order_by("code")
        return tuple(dict.fromkeys(names.values_list("name", flat=True)))

    def services_for(self, kelurahan: str) -> bot.AreaServices | None:
        region = kelurahan_named(kelurahan)
        if region is None:
            return None
        rows = list(Posyandu.objects.filter(kelurahan=region, is_active=True).select_related("rw"))
        posyandu = tuple(_posyandu_service(p) for p in rows)
        serving = list(Puskesmas.objects.filter(service_area=region).select_related("kecamatan"))
        note = ""
        if not serving and region.parent_id:
            serving = list(
                Puskesmas.objects.filter(kecamatan_id=region.parent_id).select_related("kecamatan")
            )
            if serving:
                note = (
                    "Puskesmas di kecamatan Anda; wilayah kerja per kelurahan belum tercatat. "
                    "Tanyakan kepada kader atau RW puskesmas mana yang melayani Anda."
                )
        if any(p.is_demo for p in rows) or any(p.is_demo for p in serving):
            note = f"{note} {DEMO_NOTE}".strip()
        return bot.AreaServices(
            kelurahan=region.name,
            kecamatan=region.parent.name if region.parent else "",
            posyandu=posyandu,
            puskesmas=tuple(_puskesmas_service(p) for p in serving),
            note=note,
        )

    def services_in_kecamatan(self, kecamatan: str) -> bot.AreaServices | None:
        region = (
            Region.objects.filter(level=Level.DISTRICT, name__iexact=kecamatan)
            .order_by("code")
            .first()
        )
        if region is None:
            return None
        serving = list(Puskesmas.objects.filter(kecamatan=region).select_related("kecamatan"))
        note = DEMO_NOTE if any(p.is_demo for p in serving) else ""
        return bot.AreaServices(
            kelurahan="",
            kecamatan=region.name,
            puskesmas=tuple(_puskesmas_service(p) for p in serving),
            note=note,
        )


def _label(code: str, field: str) -> str:
    if not code:
        return ""
    choices = dict(Measurement._meta.get_field(field).choices or [])
    return str(choices.get(code, code))


def _summary(m: Measurement) -> bot.MeasurementSummary:
    return bot.MeasurementSummary(
        date=m.measured_on,
        age_months=m.age_days / 30.4375,
        weight_kg=float(m.weight_kg) if m.weight_kg is not None else None,
        lenhei_cm=float(m.length_cm) if m.length_cm is not None else None,
        tbu_label=_label(m.category_tbu, "category_tbu"),
        bbtb_label=_label(m.category_bbtb, "category_bbtb"),
        bbu_label=_label(m.category_bbu, "category_bbu"),
    )


def _pk(person_id: str, prefix: str) -> int | None:
    if not person_id.startswith(prefix) or not person_id[1:].isdigit():
        return None
    return int(person_id[1:])


class RegistryPersonalData:
    """A verified parent's own children through the registry's own scoping rule
    (``children_visible_to`` for a parent), every read written to the audit log."""

    def children_of(self, person_id: str) -> Sequence[bot.ChildSummary]:
        pk = _pk(person_id, "p")
        if pk is None:
            return ()
        parent = User(role=Role.PARENT, person_id=pk, is_active=True)  # never saved
        children = (
            children_visible_to(parent)
            .filter(status=ChildStatus.ACTIVE)
            .select_related("person", "posyandu")
            .order_by("person__birth_date", "pk")
        )
        out = []
        for child in children:
            audit_record(
                actor=None,
                action=Action.VIEW,
                object_type=object_type_of(Child),
                object_id=child.pk,
                detail={"via": "chatbot", "person": person_id},
            )
            out.append(self._child(child))
        return tuple(out)

    def _child(self, child: Child) -> bot.ChildSummary:
        series = list(child.measurements.order_by("-measured_on")[:2])
        latest = series[0] if series else None
        trend = latest.trend if latest is not None and latest.trend in ("N", "T") else ""
        birth = child.person.birth_date or dt.date.min
        return bot.ChildSummary(
            child_ref=f"c{child.pk}",
            name=child.person.name.split()[0] if child.person.name else "",
            sex=child.person.sex,
            birth_date=birth,
            posyandu=str(child.posyandu) if child.posyandu else "",
            latest=_summary(latest) if latest is not None else None,
            previous=_summary(series[1]) if len(series) > 1 else None,
            weight_trend=trend,
            next_posyandu=child.posyandu.next_meeting(dt.date.today())
            if child.posyandu is not None
            else None,
        )

    def due_visits(self, person_id: str, today: dt.date) -> Sequence[bot.DueVisit]:
        pk = _pk(person_id, "u")
        if pk is None:
            return ()
        assignments = (
            ChildAssignment.objects.filter(
                user_id=pk, user__role=Role.PARTNER, ended_on__isnull=True
            )
            .select_related("child__person__family__kelurahan")
            .order_by("started_on", "pk")
        )
        out = []
        for a in assignments:
            elapsed = max(0, (today - a.started_on).days)
            steps = -(-elapsed // VISIT_EVERY_DAYS) or 1
            due = a.started_on + dt.timedelta(days=VISIT_EVERY_DAYS * steps)
            if due > today + dt.timedelta(days=VISITS_AHEAD_DAYS):
                continue
            person = a.child.person
            name = person.name if a.show_name else initials(person.name)
            sex = "laki-laki" if person.sex == 1 else "perempuan"
            age = age_text(person.birth_date, today) if person.birth_date else "?"
            family = person.family
            out.append(
                bot.DueVisit(
                    child_label=f"Anak {name} ({sex}, {age})",
                    kelurahan=family.kelurahan.name if family else "",
                    due=due,
                    last_visit=None,  # no visit log yet (the partners app will add it)
                )
            )
        return tuple(out)
