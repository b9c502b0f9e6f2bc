"""Safe cells for every CSV or spreadsheet Tumbuh hands out (issue 11, finding 5).

A cell that starts with ``= + - @`` (or a tab or carriage return) is a formula to Excel,
LibreOffice and Google Sheets: ``=HYPERLINK(...)`` typed as a User-Agent would run on the
administrator's machine when the audit export is opened. Such text gets a leading apostrophe
(OWASP "CSV injection"); the apostrophe is shown, nothing runs. Exports call
:func:`safe_row` on every row they write; XLSX writers also turn ``strings_to_formulas`` off.
"""

from __future__ import annotations

from collections.abc import Iterable

#: What makes a spreadsheet read a cell as a formula (the import refuses these too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    """:func:`safe_cell` for every cell of a row."""
    return [safe_cell(v) for v in values]
