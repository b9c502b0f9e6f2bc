"""Reference data as files, loaded idempotently (``manage.py load_reference``):

* the OPD of the city (``organisations/data/kota_bogor.json``: dinas and badan, the water
  utility) plus one office per kecamatan and kelurahan from the wilayah tree already loaded;
* the needs catalogue (``cases/data/needs.csv``: code, name, specific/sensitive, usual owner,
  unit, unit costs, source).

Rows are matched by ``code``; a second run changes nothing. Administrators edit the rows in
the admin afterwards; a reload only fills rows that are missing and refreshes the fields the
file carries (names, sources), never deactivates what an administrator added.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from tumbuh.audit.context import SYSTEM
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record
from tumbuh.cases.models import NeedCategory, NeedKind
from tumbuh.organisations.models import Kind, OpdType, Organisation
from tumbuh.wilayah.models import Level, Region

NEEDS_FILE = Path(__file__).parent / "data" / "needs.csv"
ORGANISATIONS_DIR = Path(__file__).resolve().parents[1] / "organisations" / "data"
KEMENDAGRI = "Kemendagri (pohon wilayah, load_wilayah)"


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


@transaction.atomic
def organisations_load(*, region_code: str = "32.71") -> LoadCounts:
    """The city's OPD and its kecamatan and kelurahan offices."""
    counts = LoadCounts()
    path = ORGANISATIONS_DIR / "kota_bogor.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    city = Region.objects.filter(code=region_code).first()
    rows: list[dict[str, object]] = []
    if data["region"] == region_code:
        for item in data["agencies"]:
            rows.append(
                {
                    "code": item["code"],
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "opd_type": item.get("opd_type", OpdType.AGENCY),
                    "region": city,
                    "is_demo": bool(item.get("is_demo", True)),
                    "source": data["source"][:200],
                }
            )
    if city is not None:
        for region in Region.objects.filter(
            code__startswith=region_code + ".", level__in=[Level.DISTRICT, Level.VILLAGE]
        ).order_by("code"):
            district = region.level == Level.DISTRICT
            rows.append(
                {
                    "code": ("kec-" if district else "kel-") + region.code.replace(".", "-"),
                    "name": ("Kantor Kecamatan " if district else "Kantor Kelurahan ")
                    + region.name,
                    "short_name": ("Kec. " if district else "Kel. ") + region.name,
                    "opd_type": OpdType.KECAMATAN_OFFICE if district else OpdType.KELURAHAN_OFFICE,
                    "region": region,
                    "is_demo": False,
                    "source": KEMENDAGRI,
                }
            )
    existing = {o.code: o for o in Organisation.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        org = existing.get(str(row["code"]))
        if org is None:
            Organisation.objects.create(kind=Kind.OPD, **row)  # type: ignore[arg-type]
            counts.created += 1
            continue
        changed = [k for k, v in row.items() if k != "code" and getattr(org, k) != v]
        if changed:
            for key in changed:
                setattr(org, key, row[key])
            org.save(update_fields=[*changed, "updated_at"])
            counts.updated += 1
    if counts.created or counts.updated:
        audit_record(
            actor=None, action=Action.IMPORT, object_type="organisations.organisation",
            detail={"created": counts.created, "updated": counts.updated, "file": path.name},
            context=SYSTEM,
        )  # fmt: skip
    return counts


@transaction.atomic
def needs_load(*, path: Path = NEEDS_FILE) -> LoadCounts:
    """The needs catalogue from ``needs.csv`` (the usual owner by organisation code, when that
    organisation is loaded)."""
    counts = LoadCounts()
    with path.open(encoding="utf-8", newline="") as handle:
        items = list(csv.DictReader(handle))
    owners = {o.code: o for o in Organisation.objects.filter(kind=Kind.OPD)}
    existing = {n.code: n for n in NeedCategory.objects.all()}
    for item in items:
        if item["kind"] not in NeedKind.values:
            raise ValueError(f"{path.name}: jenis tidak dikenal {item['kind']!r} ({item['code']})")
        values: dict[str, object] = {
            "name": item["name"].strip(),
            "kind": item["kind"],
            "unit": item["unit"].strip(),
            "unit_cost_min_rupiah": _int(item["unit_cost_min_rupiah"]),
            "unit_cost_max_rupiah": _int(item["unit_cost_max_rupiah"]),
            "partner_can_help": item["partner_can_help"].strip() == "1",
            "sort_order": _int(item["sort_order"]) or 100,
            "description": item["description"].strip(),
            "source": item["source"].strip()[:250],
        }
        owner = owners.get(item["default_owner"].strip())
        if owner is not None:
            values["default_owner"] = owner
        need = existing.get(item["code"])
        if need is None:
            NeedCategory.objects.create(code=item["code"], **values)  # type: ignore[arg-type]
            counts.created += 1
            continue
        changed = [k for k, v in values.items() if getattr(need, k) != v]
        if changed:
            for key in changed:
                setattr(need, key, values[key])
            need.save(update_fields=changed)
            counts.updated += 1
    if counts.created or counts.updated:
        audit_record(
            actor=None, action=Action.IMPORT, object_type="cases.needcategory",
            detail={"created": counts.created, "updated": counts.updated, "file": path.name},
            context=SYSTEM,
        )  # fmt: skip
    return counts
