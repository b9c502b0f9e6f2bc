"""Prevention benchmark: how many future stunting cases the berisiko list flagged ahead of time.

Run by ``make bench`` (or ``.venv/bin/python benchmarks/prevention_bench.py [--children N]``).
It builds a fresh SQLite database in a temporary folder, seeds the demo city
(``registry.demo.seed_demo``, fixed seed and day, ``small`` scale by default) and replays its
history: for each cut-off day M (12, 9 and 6 months before the seed's day) it runs the very
evaluator the page uses (``cases.prevention.evaluate_child``) on each child's weighings up to M,
and then looks at what happened next.

* population at M: children under five at M, with a valid length-for-age z on or before M that
  is not below -2 SD (not yet stunted), and weighed again within the horizon after M (so that
  the outcome is known);
* future case: a valid length-for-age z below -2 SD within the horizon (6 months) after M;
* flagged: listed by at least one child rule at M.

Prints, per cut-off and pooled: population, future cases (base rate), flagged, precision
(flagged that became cases / flagged), recall (future cases flagged / future cases), and the
lift (precision / base rate); then the same per rule. Nothing is gated: the figures describe
the rules on synthetic data (their growth is a personal z with a slow drift and noise,
``registry.demo.seed``) and say nothing yet about real children.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# This checkout's sources first (a second work tree may share the virtualenv).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SEED_DAY = dt.date(2026, 11, 15)
CUTOFF_MONTHS = (12, 9, 6)
HORIZON_DAYS = 183


def _setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'prevention_bench.sqlite3'}"
    os.environ["TUMBUH_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
    os.environ["SECRET_KEY"] = "prevention-bench-only-" + "x" * 40
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@dataclass
class Tally:
    population: int = 0
    cases: int = 0
    flagged: int = 0
    hits: int = 0
    by_rule: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, other: Tally) -> None:
        self.population += other.population
        self.cases += other.cases
        self.flagged += other.flagged
        self.hits += other.hits
        for code, (n, tp) in other.by_rule.items():
            self.by_rule[code][0] += n
            self.by_rule[code][1] += tp


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f} %" if den else "   —   "


def _line(label: str, t: Tally) -> str:
    base = t.cases / t.population if t.population else 0.0
    precision = t.hits / t.flagged if t.flagged else 0.0
    lift = f"{precision / base:4.1f}x" if base else "  — "
    return (
        f"  {label:<12} population {t.population:5d}  future cases {t.cases:4d} "
        f"({_pct(t.cases, t.population)})  flagged {t.flagged:5d}  "
        f"precision {_pct(t.hits, t.flagged)}  recall {_pct(t.hits, t.cases)}  lift {lift}"
    )


def replay(children: int) -> tuple[dict[dt.date, Tally], float]:
    from tumbuh.cases.prevention import ChildFacts, GrowthPoint, evaluate_child
    from tumbuh.registry.demo.seed import seed_demo
    from tumbuh.registry.models import Child, Measurement

    started = time.perf_counter()
    seed_demo(children=children, today=SEED_DAY)
    seeded = time.perf_counter() - started
    facts: dict[int, ChildFacts] = {}
    for pk, born, bw, bl in Child.objects.values_list(
        "pk", "person__birth_date", "birth_weight_kg", "birth_length_cm"
    ):
        facts[pk] = ChildFacts(
            born, float(bw) if bw is not None else None, float(bl) if bl is not None else None
        )
    series: dict[int, list[GrowthPoint]] = defaultdict(list)
    for child_id, day, zlen, flen, trend, two_t in (
        Measurement.objects.order_by("child_id", "measured_on")
        .values_list("child_id", "measured_on", "zlen", "flen", "trend", "two_t")
        .iterator(chunk_size=5000)
    ):
        series[child_id].append(GrowthPoint(day, zlen, flen, trend, two_t))
    out: dict[dt.date, Tally] = {}
    for months in CUTOFF_MONTHS:
        cut = SEED_DAY - dt.timedelta(days=round(months * 30.4375))
        end = cut + dt.timedelta(days=HORIZON_DAYS)
        tally = Tally()
        for child_id, points in series.items():
            f = facts[child_id]
            if not 0 <= (cut - f.birth_date).days < 1826:
                continue
            before = [
                p for p in points if p.measured_on <= cut and p.zlen is not None and not p.flagged
            ]
            after = [
                p for p in points
                if cut < p.measured_on <= end and p.zlen is not None and not p.flagged
            ]  # fmt: skip
            if not before or not after or (before[-1].zlen or 0.0) < -2:
                continue
            tally.population += 1
            became = any((p.zlen or 0.0) < -2 for p in after)
            tally.cases += became
            hits = evaluate_child(f, points, today=cut)
            if hits:
                tally.flagged += 1
                tally.hits += became
            for code in {h.code for h in hits}:
                tally.by_rule[code][0] += 1
                tally.by_rule[code][1] += became
        out[cut] = tally
    return out, seeded


def time_selector(runs: int = 5) -> list[tuple[str, int, float]]:
    """Milliseconds (median of ``runs``) for the scoped selector behind the page and the API:
    a TPPS user (the whole city) and the kader of the largest posyandu, on the seed day."""
    import statistics

    from django.db.models import Count

    from tumbuh.accounts.models import Role, User
    from tumbuh.cases.prevention import prevention_children
    from tumbuh.registry.models import Child
    from tumbuh.wilayah.models import Region

    kota = Region.objects.get(code="32.71")
    biggest = (
        Child.objects.values("posyandu_id").annotate(n=Count("pk")).order_by("-n").first() or {}
    )
    users = [
        ("tpps (kota)", User.objects.create(username="bench-tpps", role=Role.TPPS, region=kota)),
        ("kader", User.objects.create(username="bench-kader", role=Role.KADER,
                                      posyandu_id=biggest.get("posyandu_id"))),
    ]  # fmt: skip
    out = []
    for label, user in users:
        times, listed = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            listed = len(prevention_children(user, today=SEED_DAY))
            times.append((time.perf_counter() - started) * 1000)
        out.append((label, listed, statistics.median(times)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1400, help="demo children (1400)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tumbuh-prevention-bench-") as tmp:
        _setup_django(Path(tmp))
        results, seeded = replay(args.children)
        timings = time_selector()
    print(
        f"Prevention list (berisiko) on the demo city: {args.children} children, seed day "
        f"{SEED_DAY}, seeded in {seeded:.1f} s; future case = TB/U < -2 SD within "
        f"{HORIZON_DAYS} days after the cut-off"
    )
    pooled = Tally()
    for cut, tally in results.items():
        print(_line(f"M={cut}", tally))
        pooled.add(tally)
    print(_line("pooled", pooled))
    print("  per rule (pooled): listed, of whom became cases, precision, share of all future cases")
    for code, (n, tp) in sorted(pooled.by_rule.items(), key=lambda kv: -kv[1][0]):
        print(
            f"    {code:<20} {n:5d} listed  {tp:4d} became cases  precision {_pct(tp, n)}  "
            f"recall {_pct(tp, pooled.cases)}"
        )
    for label, listed, ms in timings:
        print(f"  selector prevention_children, {label}: {listed} listed in {ms:.0f} ms (median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
