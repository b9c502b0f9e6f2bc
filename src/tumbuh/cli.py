"""The ``tumbuh`` command line (console script ``tumbuh = tumbuh.cli:main``).

Subcommands are registered in :data:`COMMANDS` by import path and loaded only when they run,
so ``tumbuh growth ...`` imports the growth engine and nothing else (never Django), and
``tumbuh --help`` imports no subcommand at all. To add one, write a click command or group
in its own module and add a line to :data:`COMMANDS`::

    "chat": ("tumbuh.chatbot.cli:chat", "Bercakap dengan chatbot stunting di terminal."),

Messages are Bahasa Indonesia. A problem with the user's files ends with one line on standard
error and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

import tumbuh

if TYPE_CHECKING:
    from tumbuh.growth import fileio

#: Subcommand name -> ("module:attribute" of a click command, one-line help for the listing).
COMMANDS: dict[str, tuple[str, str]] = {
    "growth": ("tumbuh.cli:growth", "Pertumbuhan anak: z-score WHO untuk berkas CSV/XLSX."),
    "import": ("tumbuh.imports.cli:import_command", "Impor berkas e-PPGBM (XLSX/CSV) ke registri."),
    "chat": ("tumbuh.chatbot.cli:chat", "Bercakap dengan chatbot stunting di terminal."),
    "report": ("tumbuh.komando.cli:report", "Laporan pusat komando: bahan rakor PDF/XLSX."),
}

#: Exit code for a problem with the user's input or output (click uses 2 for usage errors).
EXIT_INPUT = 2
#: Exit code for an unexpected internal error.
EXIT_INTERNAL = 1
#: Problems listed on standard error; the ``.errors.csv`` report has all of them.
SHOWN_PROBLEMS = 20
#: Set to show the traceback of an unexpected internal error.
DEBUG_VARIABLE = "TUMBUH_DEBUG"

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HELP_OPTION_TEXT = "Tampilkan bantuan ini lalu keluar."


class LazyGroup(click.Group):
    """A click group whose subcommands are imported by path only when they are used."""

    def __init__(
        self, *args: object, lazy: Mapping[str, tuple[str, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # click's own signature
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = self.lazy[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[cmd_name][0]} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List subcommands with their registered help, importing none of them."""
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            if name in self.lazy:
                rows.append((name, self.lazy[name][1]))
            else:
                command = self.commands[name]
                if not command.hidden:
                    rows.append((name, command.get_short_help_str(limit=80)))
        if rows:
            with formatter.section("Perintah"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings=CONTEXT_SETTINGS)
@click.help_option("-h", "--help", help=HELP_OPTION_TEXT)
@click.version_option(
    tumbuh.__version__,
    "-V",
    "--version",
    prog_name="tumbuh",
    message="%(prog)s %(version)s",
    help="Tampilkan versi lalu keluar.",
)
def main() -> None:
    """Tumbuh: satu komando penanganan stunting.

    Jalankan 'tumbuh PERINTAH --help' untuk bantuan tiap perintah.
    """


@click.group(context_settings=CONTEXT_SETTINGS)
@click.help_option("-h", "--help", help=HELP_OPTION_TEXT)
def growth() -> None:
    """Pertumbuhan anak: z-score WHO dan kategori Permenkes 2/2020."""


@growth.command("zscore", context_settings=CONTEXT_SETTINGS)
@click.help_option("-h", "--help", help=HELP_OPTION_TEXT)
@click.argument("source", metavar="IN", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    metavar="OUT",
    type=click.Path(path_type=Path),
    help="Berkas keluaran (.csv atau .xlsx, menurut akhiran namanya).",
)
@click.option(
    "--overwrite-columns",
    is_flag=True,
    help="Ganti kolom keluaran (zlen, cat_tbu, ...) yang sudah ada di berkas masukan.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Tampilkan/sembunyikan bilah kemajuan untuk berkas besar "
    "(bawaan: tampil bila stderr adalah terminal).",
)
@click.option("--chunk-rows", type=click.IntRange(min=1), default=None, hidden=True)
def zscore_command(
    source: Path | None,
    target: Path | None,
    overwrite_columns: bool,
    progress: bool | None,
    chunk_rows: int | None,
) -> None:
    """Hitung z-score WHO untuk setiap baris berkas IN dan tulis hasilnya ke OUT.

    IN dan OUT berupa .csv atau .xlsx. Kolom masukan (huruf besar/kecil bebas): sex;
    age_days, age_months, atau birth_date + visit_date; weight (kg), lenhei (cm), measure
    (l/h), headc, armc (cm), triskin, subskin (mm), oedema (y/n). Semua kolom masukan ditulis
    ulang apa adanya, lalu clenhei, cbmi, z-score dan flag WHO, kategori Permenkes 2/2020,
    alasan untuk setiap z-score yang kosong, dan c9mo.

    Baris yang bermasalah tetap ditulis; masalahnya dicetak (20 pertama) dan semuanya
    disimpan di OUT.errors.csv. Kode keluar: 0 selesai (juga bila ada baris bermasalah),
    2 berkas atau perintah tidak dapat diproses, 1 kesalahan internal.
    """
    if source is None:
        _fail("berkas masukan belum disebut; contoh: tumbuh growth zscore data.csv -o hasil.csv")
    if target is None:
        _fail("berkas keluaran belum disebut; tambahkan -o hasil.csv (atau -o hasil.xlsx)")
    from tumbuh.growth import fileio

    show_progress = progress if progress is not None else _stderr_is_terminal()
    options = {} if chunk_rows is None else {"chunk_rows": chunk_rows}
    try:
        summary = fileio.zscore_file(
            source,
            target,
            overwrite_columns=overwrite_columns,
            progress=show_progress,
            **options,
        )
    except fileio.FileError as error:
        _fail(str(error))
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        click.echo(
            f"Kesalahan internal: {type(error).__name__}: {error}. Jalankan lagi dengan "
            f"{DEBUG_VARIABLE}=1 untuk rinciannya, dan laporkan ke pengembang Tumbuh.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    _report(summary)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _fail(message: str) -> NoReturn:
    click.echo(f"Kesalahan: {message}", err=True)
    sys.exit(EXIT_INPUT)


def _report(summary: fileio.Summary) -> None:
    rows = _number(summary.rows)
    click.echo(f"Selesai: {rows} baris ditulis ke {summary.output}.", err=True)
    if not summary.problem_count:
        return
    click.echo(
        f"{_number(summary.problem_count)} masalah masukan pada {_number(summary.problem_rows)} "
        "baris; baris-baris itu tetap ada di keluaran dengan z-score kosong bila perlu.",
        err=True,
    )
    shown = summary.first_problems[:SHOWN_PROBLEMS]
    if summary.problem_count > len(shown):
        click.echo(f"{len(shown)} masalah pertama:", err=True)
    for item in shown:
        click.echo(
            f"  baris {item.row}, kolom {item.column!r}, nilai {item.value!r}: {item.message}",
            err=True,
        )
    click.echo(f"Daftar lengkap: {summary.errors_path}", err=True)


def _number(value: int) -> str:
    """A count as Indonesians write it: 1.000.000."""
    return f"{value:,}".replace(",", ".")


if __name__ == "__main__":  # pragma: no cover - python -m tumbuh.cli
    main()
