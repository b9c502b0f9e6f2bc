"""The prevention worklist (*berisiko*): children heading for stunting before they cross -2 SD,
and pregnancies at risk, each with the reasons it is listed (issue 7, part 2; seed 000: "no new
case").

The rules are data: :data:`RULES` names each one, its subject, its thresholds and its source,
and one evaluator per subject applies them (:func:`evaluate_child`, :func:`evaluate_pregnancy`).
The evaluators are pure (plain values in, hits out, the day as ``today``), so the page, the API
and the benchmark (``benchmarks/prevention_bench.py``, which replays the demo city's history)
all use the same code. The scoped selectors are :func:`prevention_children` and
:func:`prevention_pregnancies`: they narrow the candidates in SQL with exactly the thresholds of
the table and then run the evaluator on each candidate's recent weighings.

A child already below -2 SD height-for-age on its latest valid weighing is not listed: it is a
case (``cases.rules``). A z-score the growth engine flagged as implausible (WHO flag) is never
used by these rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tumbuh.accounts.models import Role, User
from tumbuh.registry import risks
from tumbuh.registry.models import Child, ChildStatus, Measurement, Pregnancy, PregnancyOutcome
from tumbuh.registry.selectors import children_visible_to, pregnancies_visible_to

DAYS_PER_MONTH = 30.4375
UNDER_FIVE_DAYS = 1826
STUNTING_BELOW = -2.0


@dataclass(frozen=True, slots=True)
class PreventionRule:
    """One row of the table: what is checked, on whom, with which numbers, from where."""

    code: str
    subject: Literal["child", "pregnancy"]
    title: str
    description: str
    source: str
    priority: int  # higher first on the worklist


RULES: tuple[PreventionRule, ...] = (
    PreventionRule(
        code="haz_falling",
        subject="child",
        title=gettext_lazy("TB/U turun, menuju stunting"),
        description=gettext_lazy(
            "TB/U (z) turun pada 3 penimbangan terakhir dalam 6 bulan dan garis lurusnya "
            "menembus -2 SD dalam 3 bulan setelah penimbangan terakhir."
        ),
        source="Issue 7; WHO Training Course on Child Growth Assessment (tren menuju garis).",
        priority=50,
    ),
    PreventionRule(
        code="haz_borderline_t",
        subject="child",
        title=gettext_lazy("TB/U di antara -2 dan -1 SD dengan berat T/2T"),
        description=gettext_lazy(
            "TB/U terakhir di antara -2 SD dan -1 SD dan berat badan tidak naik (T atau 2T) "
            "pada penimbangan terakhir."
        ),
        source="Permenkes 2/2020 (batas -2 SD); Buku KIA 2023 (N/T, 2T dirujuk).",
        priority=40,
    ),
    PreventionRule(
        code="low_birth_weight",
        subject="child",
        title=gettext_lazy("Berat lahir rendah"),
        description=gettext_lazy("Berat lahir di bawah 2.500 g (BBLR), anak di bawah 2 tahun."),
        source="WHO (BBLR < 2.500 g); Perpres 72/2021 (baduta sasaran prioritas).",
        priority=30,
    ),
    PreventionRule(
        code="short_birth_length",
        subject="child",
        title=gettext_lazy("Panjang lahir pendek"),
        description=gettext_lazy("Panjang lahir di bawah 48 cm, anak di bawah 2 tahun."),
        source="Kemenkes (panjang lahir < 48 cm, indikator Stranas PPS).",
        priority=30,
    ),
    PreventionRule(
        code="missed_weighings",
        subject="child",
        title=gettext_lazy("Tidak ditimbang 2 bulan"),
        description=gettext_lazy(
            "Balita tanpa penimbangan dalam 62 hari terakhir (dua bulan posyandu terlewat), "
            "atau belum pernah ditimbang sejak umur 2 bulan."
        ),
        source="Siklus posyandu bulanan (S/K/D/N/T/O), DOMAIN.md 2.6.",
        priority=20,
    ),
    PreventionRule(
        code="pregnancy_kek",
        subject="pregnancy",
        title=gettext_lazy("Ibu hamil KEK"),
        description=gettext_lazy("LiLA di bawah 23,5 cm."),
        source="Kemenkes; Perpres 72/2021 Lampiran (DOMAIN.md 2.7).",
        priority=50,
    ),
    PreventionRule(
        code="pregnancy_anaemia",
        subject="pregnancy",
        title=gettext_lazy("Ibu hamil anemia"),
        description=gettext_lazy("Hb di bawah 11 g/dL."),
        source="Kemenkes / WHO (DOMAIN.md 2.7).",
        priority=45,
    ),
    PreventionRule(
        code="pregnancy_anc",
        subject="pregnancy",
        title=gettext_lazy("Kunjungan ANC kurang"),
        description=gettext_lazy(
            "Kurang dari 1 kunjungan setelah 14 minggu, 3 setelah 28 minggu, 6 setelah 40 minggu."
        ),
        source="Permenkes 21/2021 (minimal 6 kali ANC); registry.risks.",
        priority=35,
    ),
    PreventionRule(
        code="pregnancy_ttd",
        subject="pregnancy",
        title=gettext_lazy("Tablet tambah darah kurang"),
        description=gettext_lazy(
            "Tablet tambah darah tertinggal dari 1 tablet sehari sejak minggu ke-16: kurang dari "
            "28 tablet setelah 20 minggu, 84 setelah 28 minggu, 90 setelah 36 minggu."
        ),
        source="Kemenkes: minimal 90 tablet selama kehamilan (DOMAIN.md 2.7).",
        priority=30,
    ),
    PreventionRule(
        code="pregnancy_age",
        subject="pregnancy",
        title=gettext_lazy("Usia ibu terlalu muda atau terlalu tua"),
        description=gettext_lazy("Ibu berumur di bawah 20 atau di atas 35 tahun saat HPHT."),
        source="BKKBN keluarga berisiko stunting, '4 Terlalu' (DOMAIN.md 2.2).",
        priority=20,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}

# --- thresholds (named once; the table's texts above say the same numbers) ---------------
#: haz_falling: this many valid length-for-age z-scores, all within this many days.
FALLING_POINTS = 3
FALLING_WINDOW_DAYS = 183
#: ... projected this many days past the latest weighing.
FALLING_HORIZON_DAYS = 91
#: ... only from a latest z below this (a fall from higher up to -2 in 3 months is not growth
#: but a measuring error; the plausibility checks handle it).
FALLING_FROM_BELOW = -0.5
BORDERLINE_LOW, BORDERLINE_HIGH = -2.0, -1.0
LOW_BIRTH_WEIGHT_KG = 2.5
SHORT_BIRTH_LENGTH_CM = 48.0
BIRTH_RULES_UNDER_DAYS = 731
MISSED_AFTER_DAYS = 62
TTD_MINIMUM_BY_WEEK = ((20, 28), (28, 84), (36, 90))
MOTHER_TOO_YOUNG, MOTHER_TOO_OLD = 20, 35


@dataclass(frozen=True, slots=True)
class GrowthPoint:
    """What the rules read of one stored measurement."""

    measured_on: dt.date
    zlen: float | None
    flagged: bool = False  # the engine's WHO flag on length-for-age
    trend: str = ""  # N/T/O/B
    two_t: bool = False


@dataclass(frozen=True, slots=True)
class ChildFacts:
    birth_date: dt.date
    birth_weight_kg: float | None = None
    birth_length_cm: float | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule that lists a subject, with the reason in words for this subject."""

    code: str
    reason: str

    @property
    def rule(self) -> PreventionRule:
        return RULES_BY_CODE[self.code]


def _fmt(z: float) -> str:
    return f"{z:.2f}".replace(".", ",")


def _dec(value: object) -> str:
    return str(value).replace(".", ",")


def _valid(series: Sequence[GrowthPoint], today: dt.date) -> list[GrowthPoint]:
    return [
        p
        for p in sorted(series, key=lambda p: p.measured_on)
        if p.measured_on <= today and p.zlen is not None and not p.flagged
    ]


def _slope_per_day(points: Sequence[GrowthPoint]) -> float:
    """Least-squares slope of z against days."""
    xs = [(p.measured_on - points[0].measured_on).days for p in points]
    ys = [float(p.zlen or 0.0) for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def evaluate_child(
    facts: ChildFacts, series: Sequence[GrowthPoint], *, today: dt.date
) -> list[Hit]:
    """The prevention rules that list this child on ``today`` (weighings after ``today`` are
    ignored, so the benchmark can replay history). Empty for a child under -2 SD (a case), a
    child not yet born or five years and older."""
    age_days = (today - facts.birth_date).days
    if age_days < 0 or age_days >= UNDER_FIVE_DAYS:
        return []
    valid = _valid(series, today)
    latest = valid[-1] if valid else None
    if latest is not None and latest.zlen is not None and latest.zlen < STUNTING_BELOW:
        return []
    hits: list[Hit] = []
    # haz_falling
    if latest is not None and latest.zlen is not None and latest.zlen < FALLING_FROM_BELOW:
        recent = [
            p for p in valid if (latest.measured_on - p.measured_on).days <= FALLING_WINDOW_DAYS
        ][-FALLING_POINTS:]
        if len(recent) == FALLING_POINTS:
            falling = all(
                float(b.zlen or 0) < float(a.zlen or 0) for a, b in itertools.pairwise(recent)
            )
            slope = _slope_per_day(recent)
            projected = latest.zlen + slope * FALLING_HORIZON_DAYS
            if falling and slope < 0 and projected < STUNTING_BELOW:
                hits.append(
                    Hit(
                        "haz_falling",
                        _(
                            "TB/U turun dari %(first)s ke %(last)s SD dalam %(n)d penimbangan; "
                            "perkiraan %(proj)s SD dalam 3 bulan."
                        )
                        % {
                            "first": _fmt(float(recent[0].zlen or 0)),
                            "last": _fmt(latest.zlen),
                            "n": len(recent),
                            "proj": _fmt(projected),
                        },
                    )
                )
    # haz_borderline_t
    if latest is not None and latest.zlen is not None:
        last_weighing = max(
            (p for p in series if p.measured_on <= today), key=lambda p: p.measured_on
        )
        if BORDERLINE_LOW <= latest.zlen < BORDERLINE_HIGH and (
            last_weighing.trend == "T" or last_weighing.two_t
        ):
            hits.append(
                Hit(
                    "haz_borderline_t",
                    _("TB/U %(z)s SD dan berat badan %(t)s pada %(day)s.")
                    % {
                        "z": _fmt(latest.zlen),
                        "t": "2T" if last_weighing.two_t else "T",
                        "day": last_weighing.measured_on.strftime("%d-%m-%Y"),
                    },
                )
            )
    if age_days < BIRTH_RULES_UNDER_DAYS:
        if facts.birth_weight_kg is not None and facts.birth_weight_kg < LOW_BIRTH_WEIGHT_KG:
            hits.append(
                Hit(
                    "low_birth_weight",
                    _("Berat lahir %(g)d g (di bawah 2.500 g).")
                    % {"g": round(facts.birth_weight_kg * 1000)},
                )
            )
        if facts.birth_length_cm is not None and facts.birth_length_cm < SHORT_BIRTH_LENGTH_CM:
            hits.append(
                Hit(
                    "short_birth_length",
                    _("Panjang lahir %(cm)s cm (di bawah 48 cm).")
                    % {"cm": f"{facts.birth_length_cm:.1f}".replace(".", ",")},
                )
            )
    weighed = [p.measured_on for p in series if p.measured_on <= today]
    if weighed:
        gap = (today - max(weighed)).days
        if gap > MISSED_AFTER_DAYS:
            hits.append(
                Hit(
                    "missed_weighings",
                    _("Terakhir ditimbang %(day)s (%(n)d hari lalu).")
                    % {"day": max(weighed).strftime("%d-%m-%Y"), "n": gap},
                )
            )
    elif age_days > MISSED_AFTER_DAYS:
        hits.append(Hit("missed_weighings", _("Belum pernah ditimbang.")))
    return hits


def evaluate_pregnancy(pregnancy: Pregnancy, *, today: dt.date) -> list[Hit]:
    """The rules that list an ongoing pregnancy (KEK, anaemia, ANC, TTD, the mother's age)."""
    if pregnancy.outcome != PregnancyOutcome.ONGOING:
        return []
    hits: list[Hit] = []
    if pregnancy.is_kek and pregnancy.lila_cm is not None:
        hits.append(Hit("pregnancy_kek", _("LiLA %(v)s cm.") % {"v": _dec(pregnancy.lila_cm)}))
    if pregnancy.is_anaemic and pregnancy.hb_g_dl is not None:
        hits.append(Hit("pregnancy_anaemia", _("Hb %(v)s g/dL.") % {"v": _dec(pregnancy.hb_g_dl)}))
    weeks = risks.gestational_weeks(pregnancy, today)
    if risks.anc_too_few(pregnancy, today):
        hits.append(
            Hit(
                "pregnancy_anc",
                _("%(n)d kunjungan ANC pada minggu ke-%(w)s.")
                % {"n": pregnancy.anc_visits, "w": weeks},
            )
        )
    if weeks is not None and any(
        weeks >= w and pregnancy.iron_tablets_taken < n for w, n in TTD_MINIMUM_BY_WEEK
    ):
        hits.append(
            Hit(
                "pregnancy_ttd",
                _("%(n)d tablet tambah darah pada minggu ke-%(w)d.")
                % {"n": pregnancy.iron_tablets_taken, "w": weeks},
            )
        )
    born = pregnancy.mother.person.birth_date
    start = pregnancy.hpht or (
        pregnancy.due_date - dt.timedelta(days=risks.PREGNANCY_DAYS) if pregnancy.due_date else None
    )
    if born is not None and start is not None:
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        if age < MOTHER_TOO_YOUNG or age > MOTHER_TOO_OLD:
            hits.append(Hit("pregnancy_age", _("Ibu berumur %(a)d tahun saat HPHT.") % {"a": age}))
    return hits


# --- scoped selectors ---------------------------------------------------------------------

#: Roles that work the prevention list (OPD, partners and parents do not).
PREVENTION_ROLES = frozenset(
    {
        Role.TPPS,
        Role.KECAMATAN_OFFICER,
        Role.KELURAHAN_OFFICER,
        Role.NUTRITION_OFFICER,
        Role.KADER,
    }
)


def can_see_prevention(user: User | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in PREVENTION_ROLES


#: More candidate children than this in one request (a whole city): the page and the API ask
#: for a kelurahan first (the rules read each candidate's recent weighings, about 0.1-0.2 ms a
#: child on SQLite: benchmarks/prevention_bench.py). Counts per area are the command centre's.
MAX_CANDIDATES = 3000


class ScopeTooLarge(Exception):
    """Too many children to evaluate in one request; choose a kelurahan."""

    def __init__(self, candidates: int) -> None:
        super().__init__(candidates)
        self.candidates = candidates
        self.message = _(
            "Wilayah Anda terlalu luas untuk satu daftar (%(n)d anak perlu diperiksa); "
            "pilih satu kelurahan."
        ) % {"n": candidates}


@dataclass(slots=True)
class ChildEntry:
    """A listed child: its id, name (for sorting), reasons and latest valid z. ``child`` is
    loaded only for the entries shown (:func:`load_children`), not for the whole list."""

    child_id: int
    name: str
    hits: list[Hit]
    latest_zlen: float | None
    child: Child | None = None

    @property
    def priority(self) -> int:
        return sum(h.rule.priority for h in self.hits)


@dataclass(frozen=True, slots=True)
class PregnancyEntry:
    pregnancy: Pregnancy
    hits: list[Hit]
    weeks: int | None

    @property
    def priority(self) -> int:
        return sum(h.rule.priority for h in self.hits)


def _child_candidates_q(today: dt.date) -> Q:
    """The SQL superset of :func:`evaluate_child` with the same thresholds: under five, not
    stunted on the latest weighing, and at least one rule's precondition true."""
    young = today - dt.timedelta(days=BIRTH_RULES_UNDER_DAYS)
    zlen = "latest_measurement__zlen"
    return (
        Q(person__birth_date__gt=today - dt.timedelta(days=UNDER_FIVE_DAYS))
        & Q(person__birth_date__lte=today)
        & Q(status=ChildStatus.ACTIVE)
        & (
            Q(**{f"{zlen}__lt": FALLING_FROM_BELOW, f"{zlen}__gte": STUNTING_BELOW})
            | Q(person__birth_date__gt=young, birth_weight_kg__lt=LOW_BIRTH_WEIGHT_KG)
            | Q(person__birth_date__gt=young, birth_length_cm__lt=SHORT_BIRTH_LENGTH_CM)
            | Q(latest_measurement__isnull=True)
            | Q(latest_measurement__measured_on__lt=today - dt.timedelta(days=MISSED_AFTER_DAYS))
            # a flagged latest z-score: the rules read the last valid one instead
            | Q(latest_measurement__flen=True)
            | Q(**{f"{zlen}__isnull": True})
        )
    )


def prevention_children(
    user: User,
    *,
    today: dt.date,
    kelurahan_id: int | None = None,
    posyandu_id: int | None = None,
    rule: str = "",
    max_candidates: int | None = None,
) -> list[ChildEntry]:
    """The children ``user`` may see that the rules list on ``today``, most urgent first
    (sum of the rules' priorities, then the lowest z). Empty for roles that do not work the
    list. :class:`ScopeTooLarge` when, without a kelurahan or posyandu, more than
    ``max_candidates`` children would have to be evaluated."""
    if not can_see_prevention(user):
        return []
    qs: QuerySet[Child] = children_visible_to(user).filter(_child_candidates_q(today))
    if kelurahan_id is not None:
        qs = qs.filter(person__family__kelurahan_id=kelurahan_id)
    if posyandu_id is not None:
        qs = qs.filter(posyandu_id=posyandu_id)
    if kelurahan_id is None and posyandu_id is None:
        candidates = qs.count()
        if candidates > (MAX_CANDIDATES if max_candidates is None else max_candidates):
            raise ScopeTooLarge(candidates)
    facts_rows = qs.values_list(
        "pk",
        "person__name",
        "person__birth_date",
        "birth_weight_kg",
        "birth_length_cm",
        "latest_measurement__measured_on",
        "latest_measurement__zlen",
        "latest_measurement__flen",
        "latest_measurement__trend",
        "latest_measurement__two_t",
    )
    since = today - dt.timedelta(days=FALLING_WINDOW_DAYS + 62)
    points: dict[int, list[GrowthPoint]] = defaultdict(list)
    rows = (
        Measurement.objects.filter(child__in=qs, measured_on__gte=since, measured_on__lte=today)
        .order_by("child_id", "measured_on")
        .values_list("child_id", "measured_on", "zlen", "flen", "trend", "two_t")
    )
    for child_id, measured_on, zlen, flen, trend, two_t in rows:
        points[child_id].append(GrowthPoint(measured_on, zlen, flen, trend, two_t))
    entries = []
    for pk, name, born, bw, bl, last_on, last_z, last_f, last_t, last_2t in facts_rows:
        series = points.get(pk, [])
        if not series and last_on is not None:
            series = [GrowthPoint(last_on, last_z, bool(last_f), last_t or "", bool(last_2t))]
        facts = ChildFacts(
            birth_date=born,
            birth_weight_kg=float(bw) if bw else None,
            birth_length_cm=float(bl) if bl else None,
        )
        hits = evaluate_child(facts, series, today=today)
        if rule and not any(h.code == rule for h in hits):
            continue
        if hits:
            valid = _valid(series, today)
            entries.append(ChildEntry(pk, name, hits, valid[-1].zlen if valid else None))
    entries.sort(
        key=lambda e: (
            -e.priority,
            e.latest_zlen if e.latest_zlen is not None else 0.0,
            e.name,
            e.child_id,
        )
    )
    return entries


def load_children(entries: Sequence[ChildEntry]) -> list[ChildEntry]:
    """Fill ``child`` (with person, family, kelurahan, posyandu) for the entries shown, e.g. one
    page; the ids come from the scoped selector."""
    wanted = {e.child_id for e in entries}
    loaded = Child.objects.select_related(
        "person", "person__family__kelurahan", "posyandu", "mother__person"
    ).in_bulk(wanted)
    for entry in entries:
        entry.child = loaded[entry.child_id]
    return list(entries)


def prevention_pregnancies(
    user: User, *, today: dt.date, kelurahan_id: int | None = None, rule: str = ""
) -> list[PregnancyEntry]:
    """Ongoing pregnancies ``user`` may see that the rules list on ``today``, most urgent first."""
    if not can_see_prevention(user):
        return []
    qs = pregnancies_visible_to(user).filter(outcome=PregnancyOutcome.ONGOING)
    if kelurahan_id is not None:
        qs = qs.filter(mother__person__family__kelurahan_id=kelurahan_id)
    entries = []
    for pregnancy in qs.select_related("mother__person__family__kelurahan", "mother__posyandu"):
        hits = evaluate_pregnancy(pregnancy, today=today)
        if rule and not any(h.code == rule for h in hits):
            continue
        if hits:
            entries.append(
                PregnancyEntry(pregnancy, hits, risks.gestational_weeks(pregnancy, today))
            )
    entries.sort(key=lambda e: (-e.priority, e.pregnancy.mother.person.name, e.pregnancy.pk))
    return entries
