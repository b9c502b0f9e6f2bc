"""The rakor pack (coordination meeting): one :class:`~tumbuh.komando.overview.Overview` as a
PDF (WeasyPrint, charts as inline SVG, system fonts only) or an Excel workbook (openpyxl, one
sheet per table). Both read the overview the page shows, so their numbers are the page's.

Sheets: Ringkasan (every indicator with denominator and share), Cakupan Perpres, Tren,
Kecamatan, Kelurahan, e-PPGBM bulanan (posyandu SKDN and status, the monthly aggregate
e-PPGBM asks for), Tugas terlambat, Rapor OPD, Rapor mitra, Apresiasi, Tindak lanjut.
"""

from __future__ import annotations

import datetime as dt
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tumbuh.komando.overview import Overview
from tumbuh.komando.selectors import Area, SubArea

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: Columns of the area tables: (header, indicator, show the share too).
AREA_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("S", "s", False),
    ("D", "d", True),
    ("N", "n", True),
    ("2T", "t2", False),
    ("BGM", "bgm", False),
    ("Diukur TB", "measured_h", False),
    ("Stunting", "stunted", True),
    ("Wasting", "wasted", True),
    ("Underweight", "underweight", True),
    ("Kasus baru", "cases_new", False),
    ("Kasus terbuka", "cases_open", False),
    ("Pulih", "cases_recovered", False),
    ("Hilang", "cases_lost", False),
    ("Ibu hamil", "preg", False),
    ("KEK", "preg_kek", False),
)
SCORE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Jatuh tempo", "due"),
    ("Tepat waktu", "on_time"),
    ("Selesai", "done"),
    ("Median hari", "median_days"),
    ("Terlambat", "overdue"),
    ("Eskalasi", "escalated"),
    ("Skor", "score"),
)

PARTNER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Kiriman terjadwal", "deliveries_due"),
    ("Tepat waktu", "on_time"),
    ("Terverifikasi %", "verified_share"),
    ("Kepatuhan kunjungan %", "adherence"),
    ("Anak asuh", "children"),
    ("Membaik", "improved"),
    ("Skor", "score"),
)


def filename(area: Area, month: dt.date, fmt: str) -> str:
    return f"rakor-{area.code.replace('.', '')}-{month:%Y-%m}.{fmt}"


def render(ov: Overview, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(ov)
    if fmt == "xlsx":
        return render_xlsx(ov)
    raise ValueError(f"format {fmt!r}: pakai pdf atau xlsx")


def area_cells(sub: SubArea) -> list[object]:
    cells: list[object] = []
    for _header, code, with_share in AREA_COLUMNS:
        cells.append(sub.value(code))
        if with_share:
            cells.append(sub.share(code))
    return cells


def area_headers() -> list[str]:
    out: list[str] = []
    for header, _code, with_share in AREA_COLUMNS:
        out.append(header)
        if with_share:
            out.append(f"{header} %")
    return out


def render_pdf(ov: Overview) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "komando/rakor.html",
        {
            "ov": ov,
            "headers": area_headers(),
            "kecamatan": [(s, area_cells(s)) for s in ov.kecamatan_rows],
            "kelurahan": [(s, area_cells(s)) for s in ov.kelurahan_rows],
            "score_columns": SCORE_COLUMNS,
            "partner_columns": PARTNER_COLUMNS,
        },
    )
    return bytes(HTML(string=html).write_pdf())


def render_xlsx(ov: Overview) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: list[list[object]], first: bool = False):  # type: ignore[no-untyped-def]
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(headers)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        return ws

    title = f"{ov.area.name} {ov.month:%Y-%m}"
    sheet(
        _("Ringkasan"),
        [_("Kelompok"), _("Kode"), _("Indikator"), _("Jumlah"), _("Penyebut"), "%", title],
        [
            [group, f.indicator.code, str(f.indicator.label), f.value, f.denominator, f.share]
            for group, figs in ov.groups
            for f in figs
        ],
        first=True,
    )
    sheet(
        _("Cakupan Perpres"),
        [
            "No",
            _("Indikator"),
            _("Target %"),
            _("Capaian %"),
            _("Jumlah"),
            _("Penyebut"),
            _("Sumber"),
        ],
        [
            [
                c.number,
                c.label,
                c.target_percent,
                c.figure.share if c.figure else None,
                c.figure.value if c.figure else None,
                c.figure.denominator if c.figure else None,
                c.source if c.figure else _("belum dicatat di Tumbuh"),
            ]
            for c in ov.coverage
        ],
    )
    codes = sorted(ov.trends)
    months = [p.month for p in ov.trends[codes[0]]] if codes else []
    sheet(
        _("Tren"),
        [_("Bulan"), _("Bulan penimbangan")]
        + [f"{c} {h}" for c in codes for h in ("jumlah", "penyebut", "%")],
        [
            [f"{m:%Y-%m}", "ya" if m.month in (2, 8) else ""]
            + [
                x
                for c in codes
                for x in (ov.trends[c][i].value, ov.trends[c][i].denominator, ov.trends[c][i].share)
            ]
            for i, m in enumerate(months)
        ],
    )
    for name, rows in ((_("Kecamatan"), ov.kecamatan_rows), (_("Kelurahan"), ov.kelurahan_rows)):
        sheet(
            name,
            [_("Kode"), _("Nama"), _("Induk"), *area_headers()],
            [[s.code, s.name, s.parent_code, *area_cells(s)] for s in rows],
        )
    sheet(
        _("e-PPGBM bulanan"),
        [
            _("Posyandu"),
            _("Kelurahan"),
            "S",
            "D",
            "N",
            "2T",
            "BGM",
            _("Stunting"),
            _("Wasting"),
            _("Underweight"),
        ],
        [
            [
                s.name,
                s.parent_code,
                s.value("s"),
                s.value("d"),
                s.value("n"),
                s.value("t2"),
                s.value("bgm"),
                s.value("stunted"),
                s.value("wasted"),
                s.value("underweight"),
            ]
            for s in ov.posyandu_rows
        ],
    )
    from tumbuh.komando.indicators import AKSI, AKSI_SOURCE

    aksi_rows: list[list[object]] = []
    for a in AKSI:
        figs = [ov.figures[c] for c in a.indicators if c in ov.figures]
        if not figs:
            aksi_rows.append([a.number, a.name, str(a.evidence), "", None, None])
        for f in figs:
            aksi_rows.append(
                [a.number, a.name, str(a.evidence), str(f.indicator.label), f.value, f.denominator]
            )
    aksi = sheet(
        _("8 Aksi Konvergensi"),
        ["Aksi", _("Nama"), _("Bukti di Tumbuh"), _("Indikator"), _("Jumlah"), _("Penyebut")],
        aksi_rows,
    )
    aksi.append([])
    aksi.append([AKSI_SOURCE])
    sheet(
        _("Tugas terlambat"),
        [_("Penanggung jawab"), _("Tugas terlambat")],
        [[o.name, o.overdue] for o in ov.overdue],
    )
    for name, cards, columns, rule in (
        (_("Rapor OPD"), ov.opd, SCORE_COLUMNS, ov.score_rule),
        (_("Rapor mitra"), ov.partners, PARTNER_COLUMNS, ov.partner_rule),
    ):
        ws = sheet(
            name,
            [_("Organisasi"), *[h for h, _k in columns], _("Kandidat apresiasi")],
            [
                [c.name, *[c.get(k) for _h, k in columns], "ya" if c.candidate else ""]
                for c in cards
            ],
        )
        ws.append([])
        ws.append([rule])
    sheet(
        _("Apresiasi"),
        [_("Organisasi"), _("Skor")],
        [[c.name, c.get("score")] for c in ov.candidates],
    )
    sheet(
        _("Tindak lanjut"),
        [_("Tindakan"), _("Dasar")],
        [[a.text, a.reason] for a in ov.actions],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
