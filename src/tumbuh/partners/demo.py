"""Demo data of the partners area (synthetic, marked demo), relative to ``today``: partners
of every kind, sign-ups pending and rejected, pledges in every state with deliveries
scheduled, recorded, verified and missed, a DPRD bapak asuh with visits on time, overdue and
missed, and the demo logins ``demo-perusahaan`` (company) and ``demo-bapak-asuh`` (DPRD).

Run after the registry's demo (``seed_demo``) so that stunted demo children exist; it opens
assessed cases for some of them when the cases demo has not made any.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseKind,
    CaseNeed,
    CaseStatus,
    NeedCategory,
    NeedStatus,
)
from tumbuh.organisations.models import Kind, Membership, Organisation, Status
from tumbuh.partners.models import (
    Delivery,
    DeliveryStatus,
    PartnerApplication,
    PartnerProfile,
    Patronage,
    Pledge,
    PledgeStatus,
    Visit,
)
from tumbuh.partners.services import (
    delivery_record,
    delivery_verify,
    new_pseudonym,
    patron_assign,
    pledge_approve,
    pledge_create,
    pledge_reject,
)
from tumbuh.registry.demo.seed import DEMO_PASSWORD
from tumbuh.registry.models import Child, ChildAssignment
from tumbuh.wilayah.models import Level, Region

#: Catalogue entries partners give (created when the cases catalogue has none of them).
#: Catalogue entries partners give: the cases catalogue's codes (``cases/data/needs.csv`` on
#: the cases branch); created with these values only when the catalogue is not loaded.
CATEGORIES = [
    (
        "egg_a_day",
        "Satu telur sehari",
        60000,
        60000,
        "butir per bulan (30)",
        "Pesan BKKBN 2023: satu telur sehari sekitar Rp60.000 sebulan",
    ),
    (
        "protein_food",
        "Makanan sumber protein hewani (telur/ikan) atau paket BAAS",
        450000,
        500000,
        "paket per bulan",
        "BKKBN, Panduan Bapak Asuh Anak Stunting 2022",
    ),
    (
        "pmt",
        "PMT pemulihan balita (makanan tambahan)",
        300000,
        450000,
        "paket 90 hari",
        "Perpres 72/2021 Lampiran",
    ),
]

PARTNERS = [
    ("demo-pt-sehat", "PT Sehat Sentosa (demo)", Kind.COMPANY),
    ("demo-bumd-air", "BUMD Air Bersih Kota (demo)", Kind.BUMN_BUMD),
    ("demo-komunitas", "Komunitas Peduli Gizi (demo)", Kind.COMMUNITY),
    ("demo-asosiasi", "Ikatan Bidan Cabang (demo)", Kind.ASSOCIATION),
    ("demo-perorangan", "Hamba Allah (demo)", Kind.INDIVIDUAL),
    ("demo-dprd", "H. Budi Santoso, Anggota DPRD (demo)", Kind.DPRD),
    ("demo-asn", "Kepala Dinas (Basuh Anting, demo)", Kind.ASN),
    ("demo-kampus", "Universitas Pakuan Gizi (demo)", Kind.UNIVERSITY),
    ("demo-masjid", "Baznas Kelurahan (demo)", Kind.RELIGIOUS),
]


def _user(username: str, first: str, org: Organisation, email: str = "") -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.PARTNER,
            "first_name": first,
            "organisation": org.name,
            "is_demo": True,
            "email": email,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, defaults={"organisation": org, "is_head": True})
    return user


def _open_cases(kota: Region, tpps: User | None, n: int, verifier: User | None) -> list[Case]:
    """Assessed demo cases with open needs partners can help with (made if missing)."""
    cats = [
        NeedCategory.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": "specific",
                "unit_cost_min_rupiah": lo,
                "unit_cost_max_rupiah": hi,
                "unit": unit,
                "source": source,
                "partner_can_help": True,
            },
        )[0]
        for code, name, lo, hi, unit, source in CATEGORIES
    ]
    existing = list(
        Case.objects.filter(
            kelurahan__code__startswith=kota.code + ".",
            status__in=list(OPEN_STATUSES),
            child__isnull=False,
            needs__category__partner_can_help=True,
        ).distinct()[:n]
    )
    if len(existing) >= n:
        return existing
    used = Case.objects.filter(child__isnull=False).values("child_id")
    stunted = (
        Child.objects.filter(
            latest_measurement__is_stunted=True,
            is_demo=True,
            person__family__kelurahan__code__startswith=kota.code + ".",
        )
        .exclude(pk__in=used)
        .select_related("person__family")
        .order_by("pk")
    )
    # the demo kader's posyandu first, so the demo kader can verify these deliveries
    children: list[Any] = []
    if verifier is not None and verifier.posyandu_id:
        children = list(stunted.filter(posyandu_id=verifier.posyandu_id)[: n - len(existing)])
    children += list(
        stunted.exclude(pk__in=[c.pk for c in children])[: n - len(existing) - len(children)]
    )
    now = timezone.now()
    for i, child in enumerate(children):
        family = child.person.family
        case = Case.objects.create(
            kind=CaseKind.STUNTING,
            status=CaseStatus.ASSESSED,
            child=child,
            kelurahan=family.kelurahan if family else None,
            posyandu=child.posyandu,
            rule="demo",
            opened_at=now - dt.timedelta(days=40),
            assessed_at=now,
            is_demo=True,
        )
        for cat in (cats[i % 3], cats[(i + 1) % 3]):
            CaseNeed.objects.create(
                case=case,
                category=cat,
                quantity="1 paket/bulan",
                period_months=3,
                assessed_at=now,
                assessed_by=tpps,
            )
        existing.append(case)
    return existing


def _open_needs(cases: list[Case], *, want: int = 6) -> list[CaseNeed]:
    """Open partner needs of ``cases``; when the cases demo left too few open, the demo
    assesses one more partner need (from :data:`CATEGORIES`) on cases still in handling."""
    held = Pledge.objects.filter(status__in=("pending", "approved", "completed")).values("need")
    open_now = CaseNeed.objects.filter(
        case__in=cases, status=NeedStatus.OPEN, category__partner_can_help=True
    ).exclude(pk__in=held)
    if open_now.count() < want:
        cats = list(NeedCategory.objects.filter(code__in=[c[0] for c in CATEGORIES]))
        now = timezone.now()
        added = 0
        for case in cases:
            if added + open_now.count() >= want:
                break
            if case.status not in (CaseStatus.ASSESSED, CaseStatus.IN_INTERVENTION):
                continue
            have = set(case.needs.values_list("category_id", flat=True))
            for cat in cats:
                if cat.pk not in have:
                    CaseNeed.objects.create(
                        case=case,
                        category=cat,
                        quantity="1 paket/bulan",
                        period_months=3,
                        assessed_at=now,
                    )
                    added += 1
                    break
    return list(
        CaseNeed.objects.filter(
            case__in=cases, status=NeedStatus.OPEN, category__partner_can_help=True
        )
        .exclude(pk__in=held)
        .select_related("case", "category")
        .order_by("pk")
    )


def seed_partners_demo(*, today: dt.date | None = None) -> list[str]:
    """Create the demo once (idempotent: nothing happens when it exists). Lines to print."""
    today = today or timezone.localdate()
    if Organisation.objects.filter(code="demo-pt-sehat").exists():
        return ["Data demo mitra sudah ada."]
    kota = Region.objects.filter(level=Level.REGENCY, code="32.71").first()
    if kota is None:
        return ["Wilayah Kota Bogor belum dimuat; jalankan load_wilayah 32.71 dulu."]
    tpps = User.objects.filter(role=Role.TPPS, region=kota, is_active=True).order_by("pk").first()
    if tpps is None:
        tpps = User.objects.create(
            username="demo-tpps-mitra",
            role=Role.TPPS,
            region=kota,
            is_demo=True,
            password=make_password(DEMO_PASSWORD),
        )
    kelurahan = list(Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.")[:6])
    with transaction.atomic():
        orgs = {}
        for code, name, kind in PARTNERS:
            org = Organisation.objects.create(
                code=code,
                name=name,
                kind=kind,
                region=kota,
                status=Status.ACTIVE,
                is_demo=True,
                contact_name="Kontak demo",
            )
            org.covers.set(kelurahan[:3])
            PartnerProfile.objects.create(
                organisation=org,
                public_listing=kind != Kind.INDIVIDUAL,
                joined_on=today - dt.timedelta(days=200),
            )
            orgs[code] = org
        for code, name, status in (
            ("demo-daftar-baru", "CV Pangan Sehat (demo)", "pending"),
            ("demo-daftar-tolak", "Toko Mainan (demo)", "rejected"),
        ):
            org = Organisation.objects.create(
                code=code,
                name=name,
                kind=Kind.COMPANY,
                region=kota,
                status=status,
                is_demo=True,
                contact_name="Demo",
                description="Pendaftaran demo",
            )
            org.covers.set(kelurahan[:1])
            PartnerApplication.objects.create(
                organisation=org,
                username=code,
                status=status,
                password_hash=make_password(DEMO_PASSWORD) if status == "pending" else "",
                review_note=""
                if status == "pending"
                else "Bantuan mainan bukan kebutuhan yang dinilai.",
            )
        company = _user(
            "demo-perusahaan", "PT Sehat Sentosa", orgs["demo-pt-sehat"], "csr@demo.invalid"
        )
        patron = _user("demo-bapak-asuh", "H. Budi Santoso", orgs["demo-dprd"], "budi@demo.invalid")
        others = {
            code: _user(f"mitra-{code[5:]}-demo", org.name[:30], org)
            for code, org in orgs.items()
            if code not in ("demo-pt-sehat", "demo-dprd")
        }

        verifier = (
            User.objects.filter(username="demo-kader").first()
            or User.objects.filter(role=Role.KADER, is_active=True).order_by("pk").first()
        )
        cases = _open_cases(kota, tpps, 12, verifier)
        needs = _open_needs(cases)
        approve_on = today - dt.timedelta(days=70)
        lines = []

        def pledge(org_user: User, org: Organisation, need: CaseNeed, months: int) -> Pledge:
            cost = need.category.unit_cost_max_rupiah or 60000
            return pledge_create(
                actor=org_user,
                partner=org,
                need=need,
                description=need.category.name,
                amount_rupiah=cost * months,
                period_months=months,
            )

        if needs:
            done = pledge(company, orgs["demo-pt-sehat"], needs.pop(0), 2)
            pledge_approve(pledge=done, actor=tpps, today=approve_on)
            for d in done.deliveries.order_by("sequence"):
                rec = delivery_record(
                    pledge=done,
                    actor=company,
                    delivered_on=d.scheduled_on,
                    quantity="1 paket",
                    today=today,
                )
                _verify(rec, verifier, done)
            lines.append(f"janji #{done.pk}: selesai")
        if needs:
            running = pledge(company, orgs["demo-pt-sehat"], needs.pop(0), 3)
            pledge_approve(pledge=running, actor=tpps, today=approve_on)
            first = running.deliveries.order_by("sequence").first()
            assert first is not None
            rec = delivery_record(
                pledge=running,
                actor=company,
                delivered_on=first.scheduled_on,
                quantity="1 paket",
                today=today,
            )
            _verify(rec, verifier, running)
            # the second is overdue by more than a week: flagged missed by the daily job
            Delivery.objects.filter(pledge=running, sequence=2).update(
                status=DeliveryStatus.MISSED, missed_at=timezone.now()
            )
            lines.append(f"janji #{running.pk}: berjalan, satu pengantaran terlewat")
        if needs:
            waiting = pledge(others["demo-komunitas"], orgs["demo-komunitas"], needs.pop(0), 3)
            pledge_approve(pledge=waiting, actor=tpps, today=today - dt.timedelta(days=10))
            delivery_record(
                pledge=waiting,
                actor=others["demo-komunitas"],
                delivered_on=today - dt.timedelta(days=1),
                quantity="30 butir telur",
                today=today,
            )
            lines.append(f"janji #{waiting.pk}: pengantaran menunggu verifikasi kader")
        if needs:
            pending = pledge(others["demo-kampus"], orgs["demo-kampus"], needs.pop(0), 3)
            lines.append(f"janji #{pending.pk}: menunggu persetujuan TPPS")
        if needs:
            rejected = pledge(others["demo-asn"], orgs["demo-asn"], needs.pop(0), 1)
            pledge_reject(pledge=rejected, actor=tpps, reason="Sudah ditangani Dinsos (demo).")
        Pledge.objects.create(
            partner=orgs["demo-bumd-air"],
            category=NeedCategory.objects.get(code="egg_a_day"),
            description="Dana bersama telur (demo)",
            amount_rupiah=1800000,
            period_months=3,
            status=PledgeStatus.APPROVED,
            created_by=tpps,
            decided_by=tpps,
            decided_at=timezone.now(),
            is_demo=True,
        )
        Pledge.objects.create(
            partner=orgs["demo-masjid"],
            category=NeedCategory.objects.get(code="pmt"),
            description="PMT lokal (dibatalkan, demo)",
            amount_rupiah=300000,
            status=PledgeStatus.CANCELLED,
            created_by=tpps,
            is_demo=True,
        )

        # the DPRD bapak asuh: four children, visits on time, overdue and missed
        # one child can have several open cases (stunting and wasting): each child once
        kids = list({c.child_id: c.child for c in cases if c.child is not None}.values())[:4]
        plans = [(60, [4, 18, 32, 46, 58]), (60, [4, 18, 32]), (60, [4]), (10, [])]
        for child, (started_days, visit_days) in zip(kids, plans, strict=False):
            start = today - dt.timedelta(days=started_days)
            patronage = patron_assign(
                actor=tpps,
                child=child,
                patron=patron,
                visibility="pseudonym",
                consent_by_name="Ibu (demo)",
                consent_relationship="ibu",
                consent_method="written",
                consent_on=start,
                started_on=start,
                today=today,
            )
            Patronage.objects.filter(pk=patronage.pk).update(is_demo=True)
            Visit.objects.bulk_create(
                [
                    Visit(
                        patronage=patronage,
                        visited_on=start + dt.timedelta(days=d),
                        visitor=patron,
                        companions="Kader posyandu",
                        child_seen=d % 3 != 1,
                        note="Kunjungan demo",
                        is_demo=True,
                    )
                    for d in visit_days
                ]
            )
        # the registry's older demo partner: its three children now have a consent record
        old = User.objects.filter(username="demo-mitra").first()
        if old is not None:
            org = orgs["demo-perorangan"]
            Membership.objects.get_or_create(user=old, defaults={"organisation": org})
            for a in ChildAssignment.objects.filter(user=old, ended_on__isnull=True):
                Patronage.objects.get_or_create(
                    assignment=a,
                    defaults={
                        "child": a.child,
                        "patron": old,
                        "organisation": org,
                        "pseudonym": new_pseudonym(),
                        "consent_by_name": "Ibu (demo)",
                        "consent_relationship": "ibu",
                        "consent_method": "verbal",
                        "consent_on": a.started_on,
                        "started_on": a.started_on,
                        "is_demo": True,
                    },
                )
    lines.insert(
        0,
        f"Mitra demo: {len(PARTNERS)} mitra aktif, 2 pendaftaran, "
        f"{len(kids)} anak asuh untuk demo-bapak-asuh.",
    )
    return lines


def _verify(delivery: Delivery, verifier: User | None, pledge: Pledge) -> None:
    """Verified through the service by the demo kader when it sees the child, else the demo
    tenaga gizi, else an administrator (the demo has one kader for one posyandu)."""
    from tumbuh.registry.selectors import children_visible_to

    assert pledge.need is not None
    candidates = [
        verifier,
        User.objects.filter(role=Role.NUTRITION_OFFICER, is_active=True).order_by("pk").first(),
        User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first(),
    ]
    for user in candidates:
        if (
            user is not None
            and children_visible_to(user).filter(pk=pledge.need.case.child_id).exists()
        ):
            delivery_verify(
                delivery=delivery,
                actor=user,
                received=True,
                eaten=True,
                note="Diterima ibu (demo)",
            )
            return


__all__ = ["seed_partners_demo"]
