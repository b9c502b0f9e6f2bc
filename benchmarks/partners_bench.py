"""Partners benchmark (issue 8): the patron portal and the open-needs list.

Targets: ``/mitra/anak-asuh/`` for a bapak asuh with 20 children and two years of monthly
weighings answers in p95 < 150 ms; the open-needs list (page and API) at city scale (Kota
Bogor: ~1,500 stunted children with an open case, three assessed needs each) p95 < 200 ms.

Run by ``make bench`` (or ``.venv/bin/python benchmarks/partners_bench.py``). It builds a fresh
SQLite database in a temporary folder (migrations, Kota Bogor's wilayah) and bulk-creates the
synthetic records (families in every kelurahan, children, cases, needs, measurements with
stored z-scores, patronages with fortnightly visits). Each page is fetched 5 times to warm up
and then 50 times with Django's test client, timed one by one; prints median, p95, SQL queries
and PASS/FAIL per target. The temporary folder is removed at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHILDREN = 1500
NEEDS_PER_CASE = 3
PATRON_CHILDREN = 20
MONTHS = 24
WARMUP = 5
RUNS = 50
TARGETS = {"portal": 150.0, "needs_page": 200.0, "needs_api": 200.0}


def _setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'partners_bench.sqlite3'}"
    os.environ["TUMBUH_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
    os.environ["SECRET_KEY"] = "partners-bench-only-" + "x" * 40
    os.environ["DEBUG"] = "0"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def build() -> dict[str, Any]:
    from django.utils import timezone

    from tumbuh.accounts.models import Role, User
    from tumbuh.cases.models import Case, CaseKind, CaseNeed, CaseStatus, NeedCategory
    from tumbuh.organisations.models import Kind, Membership, Organisation
    from tumbuh.partners.models import Patronage, Visit
    from tumbuh.registry.models import (
        Child,
        ChildAssignment,
        Family,
        Measurement,
        Person,
        Relationship,
    )
    from tumbuh.wilayah.models import Level, Region
    from tumbuh.wilayah.services import region_load

    rng = random.Random(8)
    today = timezone.localdate()
    region_load(code="32.71")
    kota = Region.objects.get(code="32.71")
    kelurahan = list(Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71."))
    cats = [
        NeedCategory.objects.create(
            code=f"bench-{i}",
            name=f"Bantuan {i}",
            kind="specific",
            unit_cost_min_rupiah=60000 * (i + 1),
            partner_can_help=True,
        )
        for i in range(NEEDS_PER_CASE)
    ]
    families = Family.objects.bulk_create(
        [
            Family(kelurahan=kelurahan[i % len(kelurahan)], address_line=f"Jl. Bench {i}")
            for i in range(CHILDREN)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"Anak Bench {i}",
                sex=1 + i % 2,
                family=families[i],
                relationship=Relationship.CHILD,
                birth_date=today - dt.timedelta(days=rng.randint(200, 1700)),
            )
            for i in range(CHILDREN)
        ]
    )
    children = Child.objects.bulk_create([Child(person=p) for p in people])
    now = timezone.now()
    cases = Case.objects.bulk_create(
        [
            Case(
                kind=CaseKind.STUNTING,
                status=CaseStatus.ASSESSED,
                child=c,
                kelurahan=families[i].kelurahan,
                opened_at=now,
            )
            for i, c in enumerate(children)
        ]
    )
    CaseNeed.objects.bulk_create(
        [
            CaseNeed(case=case, category=cat, quantity="1 paket", period_months=3, assessed_at=now)
            for case in cases
            for cat in cats
        ]
    )
    company = Organisation.objects.create(
        code="bench-pt", name="PT Bench", kind=Kind.COMPANY, region=kota
    )
    dprd = Organisation.objects.create(
        code="bench-dprd", name="DPRD Bench", kind=Kind.DPRD, region=kota
    )
    users = {}
    for username, org in (("company", company), ("patron", dprd)):
        user = User.objects.create(username=f"bench-{username}", role=Role.PARTNER)
        Membership.objects.create(user=user, organisation=org, is_head=True)
        users[username] = user
    patron = users["patron"]
    start = _months_after(today, -MONTHS)
    measurements, visits = [], []
    for child in children[:PATRON_CHILDREN]:
        assignment = ChildAssignment.objects.create(child=child, user=patron, started_on=start)
        patronage = Patronage.objects.create(
            assignment=assignment,
            child=child,
            patron=patron,
            organisation=dprd,
            pseudonym=f"Anak asuh Bench-{child.pk}",
            consent_by_name="Ibu",
            consent_relationship="ibu",
            consent_method="written",
            consent_on=start,
            started_on=start,
        )
        birth = child.person.birth_date
        z = rng.uniform(-3.2, -2.1)
        for m in range(MONTHS):
            on = _months_after(start, m)
            measurements.append(
                Measurement(
                    child=child,
                    measured_on=on,
                    age_days=max(0, (on - birth).days),
                    zlen=z + 0.02 * m,
                    weight_kg="9.0",
                    length_cm="75.0",
                    position="l",
                    source="form",
                    standard="WHO 2006",
                    engine="bench",
                    tables="bench",
                )
            )
            visits += [
                Visit(
                    patronage=patronage,
                    visited_on=on + dt.timedelta(days=d),
                    visitor=patron,
                    child_seen=True,
                )
                for d in (0, 14)
                if on + dt.timedelta(days=d) <= today
            ]
    Measurement.objects.bulk_create(measurements)
    Visit.objects.bulk_create(visits)
    return users


def _time(client: Any, path: str) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return times, len(queries), len(response.content)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory(prefix="partners-bench-") as folder:
        _setup_django(Path(folder))
        from django.test import Client
        from django.test.utils import setup_test_environment

        from tumbuh.api.services import token_create

        setup_test_environment()
        t0 = time.perf_counter()
        users = build()
        print(
            f"data: {CHILDREN} cases x {NEEDS_PER_CASE} needs, patron with {PATRON_CHILDREN} "
            f"children x {MONTHS} weighings ({time.perf_counter() - t0:.1f} s)"
        )
        patron, company = Client(), Client()
        patron.force_login(users["patron"])
        company.force_login(users["company"])
        _token, raw = token_create(actor=users["company"], user=users["company"], name="bench")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        ok = True
        for name, client, path in (
            ("portal", patron, "/mitra/anak-asuh/"),
            ("needs_page", company, "/mitra/kebutuhan/"),
            ("needs_api", api, "/api/v1/needs?open=true&page_size=100"),
        ):
            times, queries, size = _time(client, path)
            p95 = statistics.quantiles(times, n=20)[-1]
            passed = p95 < TARGETS[name]
            ok &= passed
            print(
                f"{name:11s} {path:40s} median {statistics.median(times):6.1f} ms  "
                f"p95 {p95:6.1f} ms  (target p95 < {TARGETS[name]:.0f})  {queries} queries  "
                f"{size // 1024} KiB  {'PASS' if passed else 'FAIL'}"
            )
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
