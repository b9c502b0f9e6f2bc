"""Reads of reference data (not personal data: no role scoping needed)."""

from __future__ import annotations

from django.db.models import QuerySet

from tumbuh.wilayah.models import Level, Posyandu, Puskesmas, Region


def regions_within(region: Region, *, level: Level | None = None) -> QuerySet[Region]:
    """``region`` and every node below it, optionally only those at ``level``."""
    qs = Region.objects.filter(region.within_q())
    return qs.filter(level=level) if level is not None else qs


def kelurahan_within(region: Region) -> QuerySet[Region]:
    """The kelurahan/desa inside ``region`` (itself if it is one; its kelurahan if RW/RT)."""
    if region.level >= Level.VILLAGE:
        code = ".".join(region.code.split(".")[:4])
        return Region.objects.filter(code=code, level=Level.VILLAGE)
    return regions_within(region, level=Level.VILLAGE)


def kelurahan_choices(region: Region | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent")
    return qs.filter(region.within_q()) if region is not None else qs


def posyandu_within(region: Region) -> QuerySet[Posyandu]:
    return Posyandu.objects.filter(kelurahan__in=kelurahan_within(region))


def puskesmas_for_kelurahan(kelurahan: Region) -> QuerySet[Puskesmas]:
    return Puskesmas.objects.filter(service_area=kelurahan)
