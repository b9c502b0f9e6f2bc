"""Generate a synthetic city: posyandu, families, children, mothers, pregnancies and two
years of monthly weighings, with every z-score from the growth engine (batch API).

Sizes: ``small`` (the ``make run`` default, about 1,400 children: a quick start) and ``city``
(about 84,000 under-fives, as Kota Bogor has; DOMAIN.md 3.1). Growth is drawn from the WHO
tables: each child keeps a personal length-for-age z (mean -0.1, SD 0.85, so that about 2 % of
weighed under-fives are stunted, near the city's recent weighing-month counts, DOMAIN.md 3.4),
with a slow drift and measurement noise; weight follows a correlated weight-for-age z.

Everything generated is marked ``is_demo``; names come from ``names.py``; NIK and KK numbers
have a valid structure with serials from 9000 up; phone numbers start with ``0000``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record
from tumbuh.growth import zscores
from tumbuh.growth.lms import value_at
from tumbuh.growth.tables import Table, load
from tumbuh.growth.trend import Visit, weight_trend
from tumbuh.registry.demo import names
from tumbuh.registry.models import (
    BreastfeedingKind,
    BreastfeedingPeriod,
    Child,
    ChildAssignment,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Family,
    Measurement,
    Mother,
    Person,
    Position,
    Pregnancy,
    Relationship,
    Sex,
    Source,
)
from tumbuh.registry.services.measurements import engine_fields_batch
from tumbuh.wilayah.models import Kind, Level, Posyandu, Puskesmas, Region
from tumbuh.wilayah.services import region_load

SCALES = {"small": 1400, "city": 84000}
DEMO_PASSWORD = "tumbuh-demo"
#: The chatbot's documented demo verification (docs/chatbot.md): the demo parent's and the demo
#: bapak asuh's phone numbers; their one-time code is ``messaging.verification.DEMO_CODE``.
DEMO_PARENT_PHONE = "081200000001"
DEMO_PATRON_PHONE = "081200000002"
HEIGHT_Z_MEAN = -0.1
HEIGHT_Z_SD = 0.85
CHILDREN_PER_POSYANDU = 90
CHILDREN_PER_RW = 100
ATTENDANCE = 0.85
UNDER_FIVE_DAYS = 1826


@dataclass
class DemoReport:
    children: int = 0
    families: int = 0
    mothers: int = 0
    measurements: int = 0
    posyandu: int = 0
    pregnancies: int = 0
    stunted: int = 0
    weighed: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        share = 100 * self.stunted / self.weighed if self.weighed else 0.0
        return (
            f"Data DEMO: {self.children} anak, {self.families} keluarga, {self.mothers} ibu "
            f"({self.pregnancies} sedang hamil), {self.posyandu} posyandu, "
            f"{self.measurements} pengukuran; stunting {self.stunted} dari {self.weighed} "
            f"balita yang ditimbang ({share:.1f} %)."
        )


class _Numbers:
    """Structurally valid NIK/KK numbers with demo serials (9000+), unique per run."""

    def __init__(self) -> None:
        self.used: dict[str, int] = defaultdict(lambda: 9000)
        taken = set(Person.objects.filter(nik__isnull=False).values_list("nik", flat=True))
        taken |= set(
            Family.objects.filter(kk_number__isnull=False).values_list("kk_number", flat=True)
        )
        self.taken = taken

    def _next(self, prefix: str) -> str:
        while True:
            self.used[prefix] += 1
            serial = self.used[prefix]
            if serial > 9999:
                raise RuntimeError(f"demo serials exhausted for {prefix}")
            number = f"{prefix}{serial:04d}"
            if number not in self.taken:
                self.taken.add(number)
                return number

    def nik(self, kecamatan_code: str, birth: dt.date, sex: int) -> str:
        day = birth.day + (40 if sex == Sex.FEMALE else 0)
        return self._next(f"{kecamatan_code.replace('.', '')}{day:02d}{birth:%m%y}")

    def kk(self, kecamatan_code: str, issued: dt.date) -> str:
        return self._next(f"{kecamatan_code.replace('.', '')}{issued:%d%m%y}")


def _assign_service_areas(kota: Region) -> dict[int, Puskesmas]:
    """Demo assumption (no official list yet): each kelurahan is served by one puskesmas of
    its kecamatan: the one named like it, otherwise the least loaded. Existing areas are kept."""
    served: dict[int, Puskesmas] = {}
    for kecamatan in Region.objects.filter(parent=kota, level=Level.DISTRICT).order_by("code"):
        puskesmas = list(Puskesmas.objects.filter(kecamatan=kecamatan).order_by("name"))
        kelurahan = list(Region.objects.filter(parent=kecamatan).order_by("code"))
        if not puskesmas:
            continue
        load_count = {p.pk: p.service_area.count() for p in puskesmas}
        for kel in kelurahan:
            existing = kel.served_by.first()
            if existing is not None:
                served[kel.pk] = existing
                continue
            key = kel.name.replace(" ", "").lower()
            match = next((p for p in puskesmas if p.name.replace(" ", "").lower() == key), None)
            chosen = match or min(puskesmas, key=lambda p: (load_count[p.pk], p.name))
            chosen.service_area.add(kel)
            load_count[chosen.pk] += 1
            served[kel.pk] = chosen
    return served


def _lms(table: Table, sex: np.ndarray, index: np.ndarray, z: np.ndarray) -> np.ndarray:
    t = load(table)
    i = np.clip(index - t.first, 0, t.size - 1)
    s = sex - 1
    return value_at(z, t.l[s, i], t.m[s, i], t.s[s, i])


def _month_days(start: dt.date, today: dt.date, weigh_day: int) -> list[dt.date]:
    out = []
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        day = min(weigh_day, 28)
        if (year, month) == (today.year, today.month):
            # This month's posyandu day may still be ahead: weigh by today, so the demo's
            # current month is never empty ("Ditimbang <bulan ini>: 0").
            day = min(day, today.day)
        out.append(dt.date(year, month, day))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def _kelurahan_allocation(rng: random.Random, kelurahan: list[Region], total: int) -> list[int]:
    weights = [rng.uniform(0.7, 1.3) for _ in kelurahan]
    scale = total / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    i = 0
    while sum(counts) < total:
        counts[i % len(counts)] += 1
        i += 1
    while sum(counts) > total:
        j = max(range(len(counts)), key=lambda k: counts[k])
        counts[j] -= 1
    return counts


def seed_demo(
    *,
    children: int = SCALES["small"],
    months: int = 24,
    seed: int = 2025,
    region_code: str = "32.71",
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Create the demo city and the demo users; returns counts. Run on an empty registry."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    report = DemoReport()
    region_load(code=region_code)
    kota = Region.objects.get(code=region_code)
    with transaction.atomic():
        served = _assign_service_areas(kota)
        numbers = _Numbers()
        kelurahan = list(
            Region.objects.filter(level=Level.VILLAGE, code__startswith=kota.code + ".")
            .select_related("parent")
            .order_by("code")
        )
        allocation = _kelurahan_allocation(rng, kelurahan, children)
        for n, (kel, count) in enumerate(zip(kelurahan, allocation, strict=True), start=1):
            _seed_kelurahan(
                kel, count, served.get(kel.pk), rng, np_rng, numbers, months, today, report
            )
            if progress and (n % 10 == 0 or n == len(kelurahan)):
                progress(f"  {n}/{len(kelurahan)} kelurahan, {report.children} anak")
        report.users = _demo_users(kota, rng)
        audit_record(
            actor=None,
            action=Action.IMPORT,
            object_type="registry.demo",
            object_id=region_code,
            detail={
                "children": report.children,
                "measurements": report.measurements,
                "seed": seed,
            },
        )
    return report


def _seed_kelurahan(
    kel: Region,
    count: int,
    puskesmas: Puskesmas | None,
    rng: random.Random,
    np_rng: np.random.Generator,
    numbers: _Numbers,
    months: int,
    today: dt.date,
    report: DemoReport,
) -> None:
    kecamatan_code = kel.parent.code if kel.parent else kel.code[:8]
    n_rw = max(2, round(count / CHILDREN_PER_RW))
    rws = []
    rts: dict[int, list[Region]] = {}
    for r in range(1, n_rw + 1):
        rw, _ = Region.objects.get_or_create(
            code=f"{kel.code}.{r:03d}",
            defaults={
                "name": f"{r:03d}",
                "level": Level.RW,
                "kind": Kind.RW,
                "parent": kel,
                "is_official": False,
                "is_demo": True,
            },
        )
        rws.append(rw)
        rts[rw.pk] = []
        for t in range(1, rng.randint(4, 8) + 1):
            rt, _ = Region.objects.get_or_create(
                code=f"{rw.code}.{t:03d}",
                defaults={
                    "name": f"{t:03d}",
                    "level": Level.RT,
                    "kind": Kind.RT,
                    "parent": rw,
                    "is_official": False,
                    "is_demo": True,
                },
            )
            rts[rw.pk].append(rt)
    n_pos = max(1, round(count / CHILDREN_PER_POSYANDU))
    posyandu = []
    # Named like real posyandu ("Melati Sempur"), the flower varying from kelurahan to
    # kelurahan, so a kader's "Posyandu ..." says where it is.
    offset = int(kel.code.rsplit(".", 1)[-1])
    for p in range(n_pos):
        flower = names.FLOWERS[(p + offset) % len(names.FLOWERS)]
        name = f"{flower} {kel.name}"
        if n_pos > len(names.FLOWERS):
            name += f" {p // len(names.FLOWERS) + 1:02d}"
        post, _ = Posyandu.objects.get_or_create(
            kelurahan=kel,
            name=f"{name} (demo)",
            defaults={"rw": rws[p % len(rws)], "puskesmas": puskesmas, "is_demo": True},
        )
        posyandu.append(post)
    report.posyandu += len(posyandu)
    weigh_day = {p.pk: rng.randint(3, 25) for p in posyandu}
    # The chatbot's directory answers "kapan posyandu di ...?" from these (demo-marked).
    for post in posyandu:
        Posyandu.objects.filter(pk=post.pk).update(
            meeting_day=weigh_day[post.pk], meeting_time="08.00-11.00"
        )

    # --- families, people, children ------------------------------------------------------
    plans: list[dict[str, Any]] = []
    remaining = count
    while remaining > 0:
        k = 2 if remaining > 1 and rng.random() < 0.3 else 1
        remaining -= k
        rw = rng.choice(rws)
        plans.append(
            {
                "k": k,
                "rw": rw,
                "rt": rng.choice(rts[rw.pk]),
                "posyandu": posyandu[rws.index(rw) % len(posyandu)],
            }
        )
    families = []
    for plan in plans:
        issued = today - dt.timedelta(days=rng.randint(200, 4000))
        families.append(
            Family(
                kk_number=numbers.kk(kecamatan_code, issued) if rng.random() < 0.9 else None,
                head_name="",
                kelurahan=kel,
                rw=plan["rw"],
                rt=plan["rt"],
                address_line=names.address_line(rng),
                phone=names.phone(rng),
                is_demo=True,
            )
        )
    mothers_p, fathers_p = [], []
    for fam in families:
        m_birth = today - dt.timedelta(days=rng.randint(19 * 365, 40 * 365))
        f_birth = m_birth - dt.timedelta(days=rng.randint(0, 8 * 365))
        mother_name = names.adult_name(rng, Sex.FEMALE)
        father_name = names.adult_name(rng, Sex.MALE)
        fam.head_name = father_name
        mothers_p.append(
            Person(
                nik=numbers.nik(kecamatan_code, m_birth, Sex.FEMALE),
                name=mother_name,
                sex=Sex.FEMALE,
                birth_date=m_birth,
                family=fam,
                relationship=Relationship.WIFE,
                phone=fam.phone,
                is_demo=True,
            )
        )
        fathers_p.append(
            Person(
                nik=numbers.nik(kecamatan_code, f_birth, Sex.MALE),
                name=father_name,
                sex=Sex.MALE,
                birth_date=f_birth,
                family=fam,
                relationship=Relationship.HEAD,
                is_demo=True,
            )
        )
    Family.objects.bulk_create(families, batch_size=1000)
    Person.objects.bulk_create(mothers_p + fathers_p, batch_size=1000)
    mothers = [
        Mother(person=p, posyandu=plan["posyandu"], is_demo=True)
        for p, plan in zip(mothers_p, plans, strict=True)
    ]
    Mother.objects.bulk_create(mothers, batch_size=1000)
    report.families += len(families)
    report.mothers += len(mothers)

    child_people, child_meta = [], []
    for fam, mother, father, plan in zip(families, mothers, fathers_p, plans, strict=True):
        ages = sorted(rng.randint(1, UNDER_FIVE_DAYS - 1) for _ in range(plan["k"]))
        if plan["k"] == 2 and ages[1] - ages[0] < 300:
            ages[1] = min(UNDER_FIVE_DAYS - 1, ages[0] + 300 + rng.randint(0, 300))
        for order, age in enumerate(ages, start=1):
            sex = rng.choice((Sex.MALE, Sex.FEMALE))
            birth = today - dt.timedelta(days=age)
            has_nik = age > 60 and rng.random() < 0.92
            child_people.append(
                Person(
                    nik=numbers.nik(kecamatan_code, birth, sex) if has_nik else None,
                    name=names.child_name(rng, sex),
                    sex=sex,
                    birth_date=birth,
                    family=fam,
                    relationship=Relationship.CHILD,
                    is_demo=True,
                )
            )
            child_meta.append((mother, father, plan["posyandu"], order))
    Person.objects.bulk_create(child_people, batch_size=1000)
    kids = [
        Child(
            person=p,
            mother=m,
            father=f,
            posyandu=post,
            birth_order=order,
            is_demo=True,
            birth_weight_kg=round(min(5.0, max(1.5, float(np_rng.normal(3.1, 0.45)))), 2),
            birth_length_cm=round(min(56.0, max(40.0, float(np_rng.normal(49, 2)))), 1),
        )
        for p, (m, f, post, order) in zip(child_people, child_meta, strict=True)
    ]
    Child.objects.bulk_create(kids, batch_size=1000)
    report.children += len(kids)
    Consent.objects.bulk_create(
        [
            Consent(
                subject=k.person,
                purpose=ConsentPurpose.REGISTRY,
                given_by_name=k.mother.person.name,
                given_by_relationship="Ibu",
                method=ConsentMethod.WRITTEN,
                given_on=k.person.birth_date,
                is_demo=True,
            )
            for k in kids
        ],
        batch_size=1000,
    )

    _seed_pregnancies(mothers, rng, np_rng, today, report)
    _seed_breastfeeding(kids, rng, today)
    _seed_measurements(kids, weigh_day, np_rng, rng, months, today, report)


def _seed_pregnancies(
    mothers: list[Mother],
    rng: random.Random,
    np_rng: np.random.Generator,
    today: dt.date,
    report: DemoReport,
) -> None:
    rows = []
    for mother in mothers:
        if rng.random() >= 0.09:
            continue
        hpht = today - dt.timedelta(days=rng.randint(30, 270))
        lila = round(float(np_rng.normal(26.0, 2.3)), 1)
        hb = round(float(np_rng.normal(11.8, 1.1)), 1)
        weeks = (today - hpht).days // 7
        rows.append(
            Pregnancy(
                mother=mother,
                hpht=hpht,
                due_date=hpht + dt.timedelta(days=280),
                gravida=rng.randint(1, 4),
                lila_cm=lila,
                hb_g_dl=hb,
                iron_tablets_taken=min(90, max(0, weeks * 7 - rng.randint(0, 60))),
                anc_visits=min(6, max(1, weeks // 6)),
                is_kek=lila < 23.5,
                is_anaemic=hb < 11.0,
                is_demo=True,
            )
        )
    Pregnancy.objects.bulk_create(rows, batch_size=1000)
    report.pregnancies += len(rows)


def _seed_breastfeeding(kids: list[Child], rng: random.Random, today: dt.date) -> None:
    rows = []
    for kid in kids:
        birth = kid.person.birth_date
        exclusive_end = birth + dt.timedelta(days=rng.randint(60, 183))
        rows.append(
            BreastfeedingPeriod(
                child=kid,
                kind=BreastfeedingKind.EXCLUSIVE,
                started_on=birth,
                ended_on=exclusive_end if exclusive_end < today else None,
                is_demo=True,
            )
        )
        if exclusive_end < today:
            end = birth + dt.timedelta(days=rng.randint(365, 760))
            rows.append(
                BreastfeedingPeriod(
                    child=kid,
                    kind=BreastfeedingKind.PARTIAL,
                    started_on=exclusive_end,
                    ended_on=end if end < today else None,
                    is_demo=True,
                )
            )
    BreastfeedingPeriod.objects.bulk_create(rows, batch_size=2000)


def _seed_measurements(
    kids: list[Child],
    weigh_day: dict[int, int],
    np_rng: np.random.Generator,
    rng: random.Random,
    months: int,
    today: dt.date,
    report: DemoReport,
) -> None:
    start = (today.replace(day=1) - dt.timedelta(days=months * 30.4375)).replace(day=1)
    rows: list[tuple[int, dt.date]] = []
    for i, kid in enumerate(kids):
        birth = kid.person.birth_date
        day = weigh_day[kid.posyandu_id]
        for date in _month_days(max(start, birth), today, day):
            if birth < date <= today and rng.random() < ATTENDANCE:
                rows.append((i, date))
    if not rows:
        return
    n = len(kids)
    z_len0 = np_rng.normal(HEIGHT_Z_MEAN, HEIGHT_Z_SD, n)
    z_len_drift = np_rng.normal(0.0, 0.1, n)
    z_wt0 = 0.6 * z_len0 + np_rng.normal(0.15, 0.65, n)
    z_hc0 = np_rng.normal(0.0, 0.9, n)
    z_ac0 = np_rng.normal(0.0, 0.9, n)
    idx = np.array([r[0] for r in rows])
    dates = [r[1] for r in rows]
    births = [kids[i].person.birth_date for i in idx]
    age = np.array([(d - b).days for d, b in zip(dates, births, strict=True)])
    sex = np.array([kids[i].person.sex for i in idx])
    years = age / 365.25
    z_len = z_len0[idx] + z_len_drift[idx] * years + np_rng.normal(0, 0.12, len(rows))
    z_wt = z_wt0[idx] + np_rng.normal(0, 0.08, len(rows))
    length = np.round(_lms(Table.LHFA, sex, age, z_len), 1)
    weight = np.round(_lms(Table.WFA, sex, age, z_wt), 1)
    position = np.where(age < 731, Position.LYING.value, Position.STANDING.value)
    headc = np.where(
        (age < 731) & (np_rng.random(len(rows)) < 0.4),
        np.round(_lms(Table.HCFA, sex, age, z_hc0[idx] + np_rng.normal(0, 0.1, len(rows))), 1),
        np.nan,
    )
    armc = np.where(
        (age >= 183) & (np_rng.random(len(rows)) < 0.25),
        np.round(_lms(Table.ACFA, sex, age, z_ac0[idx] + np_rng.normal(0, 0.1, len(rows))), 1),
        np.nan,
    )
    result = zscores(
        {
            "sex": sex,
            "birth_date": births,
            "visit_date": dates,
            "weight": weight,
            "lenhei": length,
            "measure": position,
            "headc": headc,
            "armc": armc,
        }
    )
    if result.problem_count:
        raise RuntimeError(f"demo data produced engine problems: {result.problems()[:3]}")
    verdicts = engine_fields_batch(result)

    by_child: dict[int, list[int]] = defaultdict(list)
    for row, i in enumerate(idx):
        by_child[int(i)].append(row)
    trend: dict[int, tuple[str, bool]] = {}
    for i, row_ids in by_child.items():
        points = weight_trend(
            kids[i].person.birth_date,
            [Visit(date=dates[r], weight_kg=float(weight[r])) for r in row_ids],
        )
        for r, p in zip(row_ids, points, strict=True):
            trend[r] = (p.status.value, p.two_t)

    def dec(value: float) -> float | None:
        return None if math.isnan(value) else float(value)

    objects = [
        Measurement(
            child=kids[int(i)],
            measured_on=dates[r],
            age_days=int(age[r]),
            weight_kg=float(weight[r]),
            length_cm=float(length[r]),
            position=str(position[r]),
            head_circumference_cm=dec(headc[r]),
            arm_circumference_cm=dec(armc[r]),
            oedema=False,
            posyandu_id=kids[int(i)].posyandu_id,
            source=Source.DEMO,
            measured_by_name="Kader (demo)",
            trend=trend[r][0],
            two_t=trend[r][1],
            **verdicts[r],
        )
        for r, i in enumerate(idx)
    ]
    Measurement.objects.bulk_create(objects, batch_size=2000)
    report.measurements += len(objects)
    latest: dict[int, Measurement] = {}
    for m in objects:
        latest[m.child_id] = m  # rows are in date order per child
    for kid in kids:
        m = latest.get(kid.pk)
        kid.latest_measurement = m
        if m is not None:
            report.weighed += 1
            report.stunted += int(m.is_stunted)
    Child.objects.bulk_update(kids, ["latest_measurement"], batch_size=1000)


def _demo_users(kota: Region, rng: random.Random) -> list[tuple[str, str, str]]:
    """One demo login per role, in Kecamatan Bogor Tengah where it can be chosen."""
    kecamatan = (
        Region.objects.filter(parent=kota, level=Level.DISTRICT, name="Bogor Tengah").first()
        or Region.objects.filter(parent=kota, level=Level.DISTRICT).order_by("code").first()
    )
    assert kecamatan is not None
    kelurahan = (
        Region.objects.filter(parent=kecamatan, name="Sempur").first()
        or Region.objects.filter(parent=kecamatan).order_by("code").first()
    )
    assert kelurahan is not None
    post = Posyandu.objects.filter(kelurahan=kelurahan).order_by("pk").first()
    puskesmas = kelurahan.served_by.first() or Puskesmas.objects.filter(kecamatan=kecamatan).first()
    parent_mother = (
        Mother.objects.filter(person__family__kelurahan=kelurahan, children__isnull=False)
        .order_by("pk")
        .first()
    )
    specs: list[tuple[str, Role | None, str, dict[str, Any]]] = [
        ("demo-admin", None, "Administrator (demo)", {"is_superuser": True, "is_staff": True}),
        ("demo-tpps", Role.TPPS, "Sekretariat TPPS (demo)", {"region": kota}),
        (
            "demo-kecamatan",
            Role.KECAMATAN_OFFICER,
            "Petugas Kecamatan (demo)",
            {"region": kecamatan},
        ),
        (
            "demo-kelurahan",
            Role.KELURAHAN_OFFICER,
            "Petugas Kelurahan (demo)",
            {"region": kelurahan},
        ),
        ("demo-gizi", Role.NUTRITION_OFFICER, "Tenaga Gizi (demo)", {"puskesmas": puskesmas}),
        ("demo-kader", Role.KADER, "Kader Posyandu (demo)", {"posyandu": post}),
        ("demo-opd", Role.OPD, "Dinas Kesehatan (demo)", {"organisation": "Dinas Kesehatan"}),
        (
            "demo-mitra",
            Role.PARTNER,
            "Bapak Asuh (demo)",
            {"organisation": "Mitra demo", "phone": DEMO_PATRON_PHONE},
        ),
        (
            "demo-orangtua",
            Role.PARENT,
            "Orang Tua (demo)",
            {"person": parent_mother.person if parent_mother else None},
        ),
    ]
    if parent_mother is not None:
        Person.objects.filter(pk=parent_mother.person_id).update(phone=DEMO_PARENT_PHONE)
    out = []
    for username, role, full_name, extra in specs:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role or "",
                "first_name": first,
                "last_name": last,
                "is_demo": True,
                **extra,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        out.append((username, DEMO_PASSWORD, str(role.label) if role else "administrator"))
    partner = User.objects.get(username="demo-mitra")
    if not partner.child_assignments.exists():
        stunted = list(
            Child.objects.filter(latest_measurement__is_stunted=True, is_demo=True).order_by("pk")[
                :3
            ]
        )
        ChildAssignment.objects.bulk_create(
            [
                ChildAssignment(
                    child=c, user=partner, started_on=timezone.localdate(), is_demo=True
                )
                for c in stunted
            ]
        )
    return out


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, role) of the demo users that exist."""
    role_label = {r.value: str(r.label) for r in Role}
    users = User.objects.filter(is_demo=True, username__startswith="demo-").order_by("username")
    return [(u.username, DEMO_PASSWORD, role_label.get(u.role, "administrator")) for u in users]
