"""The ``tumbuh`` console script and ``tumbuh growth zscore`` (ARCHITECTURE.md contracts).

Exit codes: 0 done (bad rows are reported, not fatal), 2 a problem with the files or the
command line, 1 an unexpected internal error. Every error is one Indonesian line on standard
error, never a traceback. One test runs the installed script in a real process.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from tumbuh import __version__, cli
from tumbuh.growth import OUTPUT_COLUMNS, fileio

INPUT = "nama,sex,age_days,weight,lenhei,measure\nAni,2,400,9.1,75.2,l\nBudi,x,400,abc,75,l\n"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.main, list(args), env=env)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(result: Result, code: int, fragment: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert fragment in lines[0]
    assert result.stdout == ""


# -- tumbuh growth zscore ------------------------------------------------------------------


def test_zscore_writes_the_output_and_reports_bad_rows(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    result = run("growth", "zscore", str(source), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    err = result.stderr
    assert f"Selesai: 2 baris ditulis ke {tmp_path / 'out.csv'}." in err
    assert "2 masalah masukan pada 1 baris" in err
    assert "  baris 3, kolom 'sex', nilai 'x': jenis kelamin tidak dikenal" in err
    assert "  baris 3, kolom 'weight', nilai 'abc': bukan angka" in err
    assert f"Daftar lengkap: {tmp_path / 'out.csv.errors.csv'}" in err
    assert "masalah pertama" not in err
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["nama", "sex", "age_days", "weight", "lenhei", "measure", *OUTPUT_COLUMNS]
    assert rows[2][:6] == ["Budi", "x", "400", "abc", "75", "l"]
    report = (tmp_path / "out.csv.errors.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "row,column,value,code,message"
    assert report[1].startswith("3,sex,x,unknown_sex,")


def test_a_clean_file_prints_only_the_summary(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT.splitlines()[0] + "\n" + INPUT.splitlines()[1])
    result = run("growth", "zscore", str(source), "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        f"Selesai: 1 baris ditulis ke {tmp_path / 'out.xlsx'}."
    ]


def test_many_problems_show_the_first_twenty(tmp_path: Path) -> None:
    lines = ["sex,age_days,lenhei"] + ["q,100,60"] * 1500
    source = write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    result = run("growth", "zscore", str(source), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0
    err = result.stderr
    assert "1.500 baris ditulis" in err
    assert "1.500 masalah masukan pada 1.500 baris" in err
    assert "20 masalah pertama:" in err
    assert err.count("  baris ") == 20
    assert "  baris 21, " in err and "  baris 22, " not in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("nope.csv", "-o", "out.csv"), "Kesalahan: berkas masukan 'nope.csv' tidak ditemukan"),
        (("in.csv", "-o", "in.csv"), "sama dengan berkas masukan"),
        (("in.csv", "-o", "out.json"), "berformat .json"),
        (("in.csv",), "Kesalahan: berkas keluaran belum disebut"),
        ((), "Kesalahan: berkas masukan belum disebut"),
        (("empty.csv", "-o", "out.csv"), "kosong"),
        (("garbage.xlsx", "-o", "out.csv"), "bukan XLSX yang sah"),
        (("nosex.csv", "-o", "out.csv"), "kolom wajib tidak ada: sex"),
        (("in.csv", "-o", "missing/out.csv"), "folder keluaran 'missing' tidak ada"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], fragment: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "in.csv", INPUT)
    write(tmp_path / "empty.csv", "")
    (tmp_path / "garbage.xlsx").write_bytes(b"\x00\x01garbage" * 10)
    write(tmp_path / "nosex.csv", "age_days,lenhei\n400,75\n")
    assert_one_line_error(run("growth", "zscore", *args), 2, fragment)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "empty.csv", "garbage.xlsx", "in.csv", "nosex.csv"
    ]  # fmt: skip


def test_existing_output_columns_need_the_overwrite_flag(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert run("growth", "zscore", str(source), "-o", str(first)).exit_code == 0
    again = run("growth", "zscore", str(first), "-o", str(second))
    assert_one_line_error(again, 2, "pakai --overwrite-columns")
    forced = run("growth", "zscore", str(first), "-o", str(second), "--overwrite-columns")
    assert forced.exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_an_internal_error_is_one_line_with_exit_code_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path / "in.csv", INPUT)

    def broken(*args: Any, **kwargs: Any) -> fileio.Summary:
        raise RuntimeError("boom")

    monkeypatch.setattr(fileio, "zscore_file", broken)
    result = run("growth", "zscore", str(source), "-o", str(tmp_path / "out.csv"))
    assert_one_line_error(result, 1, "Kesalahan internal: RuntimeError: boom. Jalankan lagi")
    debug = run(
        "growth", "zscore", str(source), "-o", str(tmp_path / "o.csv"), env={"TUMBUH_DEBUG": "1"}
    )
    assert isinstance(debug.exception, RuntimeError)


@pytest.mark.parametrize(
    ("flags", "tty", "expected"),
    [
        ((), False, False),
        ((), True, True),
        (("--progress",), False, True),
        (("--no-progress",), True, False),
    ],
)
def test_progress_follows_the_flags_then_the_terminal(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: tuple[str, ...],
    tty: bool,
    expected: bool,
) -> None:
    seen: dict[str, Any] = {}

    def record(source: Path, target: Path, **options: Any) -> fileio.Summary:
        seen.update(options)
        return fileio.Summary(target, 0, 0, 0, (), None)

    monkeypatch.setattr(fileio, "zscore_file", record)
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: tty)
    result = run("growth", "zscore", "in.csv", "-o", str(tmp_path / "out.csv"), *flags)
    assert result.exit_code == 0, result.output
    assert seen["progress"] is expected
    assert "chunk_rows" not in seen


def test_stderr_is_terminal_asks_the_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stream:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Stream())
    assert cli._stderr_is_terminal() is True


def test_the_hidden_chunk_option_reaches_the_file_layer(tmp_path: Path) -> None:
    lines = ["sex,age_days,lenhei"] + ["1,100,60"] * 30
    source = write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    args = ("growth", "zscore", str(source), "-o", str(tmp_path / "out.csv"))
    result = run(*args, "--chunk-rows", "7", "--progress")
    assert result.exit_code == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 31
    refused = run(*args, "--chunk-rows", "0")  # a usage error, in click's own words
    assert refused.exit_code == 2
    assert "Traceback" not in refused.output


# -- the top-level group -------------------------------------------------------------------


def test_help_lists_the_registered_commands_in_indonesian() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Tumbuh: satu komando penanganan stunting." in result.output
    assert "Perintah:" in result.output
    assert "growth  Pertumbuhan anak: z-score WHO untuk berkas CSV/XLSX." in result.output
    assert "Tampilkan bantuan ini lalu keluar." in result.output
    zscore_help = run("growth", "zscore", "-h")
    assert zscore_help.exit_code == 0
    assert "Hitung z-score WHO" in zscore_help.output
    assert "--overwrite-columns" in zscore_help.output
    assert "--chunk-rows" not in zscore_help.output
    assert "zscore" in run("growth", "--help").output


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"tumbuh {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    result = run("nope")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_lazy_group_imports_only_the_command_that_runs() -> None:
    @click.command()
    def visible() -> None:
        """Sebuah perintah biasa."""

    @click.command(hidden=True)
    def secret() -> None:
        """Tersembunyi."""

    group = cli.LazyGroup(
        name="t",
        lazy={
            "later": ("tumbuh.cli:growth", "Dimuat saat dipakai."),
            "wrong": ("tumbuh.cli:EXIT_INPUT", "Bukan perintah."),
        },
    )
    group.add_command(visible)
    group.add_command(secret)
    ctx = click.Context(group)
    assert group.list_commands(ctx) == ["later", "secret", "visible", "wrong"]
    assert group.get_command(ctx, "later") is cli.growth
    assert group.get_command(ctx, "visible") is visible
    assert group.get_command(ctx, "absent") is None
    with pytest.raises(TypeError, match="is not a click command"):
        group.get_command(ctx, "wrong")
    text = group.get_help(ctx)
    assert "later    Dimuat saat dipakai." in text
    assert "visible  Sebuah perintah biasa." in text
    assert "secret" not in text
    empty = cli.LazyGroup(name="e")
    assert "Perintah" not in empty.get_help(click.Context(empty))


def test_registered_commands_resolve_to_click_commands() -> None:
    ctx = click.Context(cli.main)
    for name in cli.COMMANDS:
        assert isinstance(cli.main.get_command(ctx, name), click.Command)


# -- the installed script, in a real process -----------------------------------------------


def installed_script() -> Path:
    script = Path(sys.executable).parent / "tumbuh"
    if not script.exists():  # pragma: no cover - only without an installed package
        pytest.skip("the tumbuh console script is not installed")
    return script


def test_the_installed_script_runs_and_fails_cleanly(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    done = subprocess.run(
        [str(installed_script()), "growth", "zscore", str(source), "-o", str(tmp_path / "o.xlsx")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Selesai: 2 baris" in done.stderr
    assert (tmp_path / "o.xlsx").stat().st_size > 0
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    failed = subprocess.run(
        [str(installed_script()), "growth", "zscore", str(tmp_path / "bad.xlsx"), "-o", "x.csv"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("Kesalahan: berkas ")
    assert len(failed.stderr.strip().splitlines()) == 1


def test_the_growth_path_never_imports_django(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", INPUT)
    code = (
        "import sys\n"
        "from tumbuh.cli import main\n"
        f"main(['growth', 'zscore', {str(source)!r}, '-o', {str(tmp_path / 'o.csv')!r}],"
        " standalone_mode=False)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'tumbuh_web'))\n"
        "bad += sorted(m for m in sys.modules if m.startswith('tumbuh.') and not "
        "m.startswith(('tumbuh.growth', 'tumbuh.cli')))\n"
        "print(bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_help_imports_no_subcommand_module() -> None:
    code = (
        "import sys\n"
        "from tumbuh.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('tumbuh.growth')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
