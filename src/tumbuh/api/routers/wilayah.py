"""Reference data: the wilayah tree and the kelurahan list (no personal data, no scoping)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from tumbuh.wilayah.models import Level, Region

router = Router(tags=["wilayah"])


class RegionNode(Schema):
    code: str
    name: str
    level: int
    kind: str
    children: list[RegionNode] = []


class Kelurahan(Schema):
    id: int
    code: str
    name: str
    kind: str
    kecamatan_code: str
    kecamatan_name: str


def _default_roots(request: HttpRequest) -> list[Region]:
    region = getattr(request.user, "region", None)
    if region is not None and region.level >= Level.REGENCY:
        regency = Region.objects.filter(code=".".join(region.code.split(".")[:2])).first()
        if regency is not None:
            return [regency]
    return list(Region.objects.filter(level=Level.REGENCY).order_by("code"))


@router.get("/tree", response=list[RegionNode], summary="Pohon wilayah sampai kelurahan")
def tree(request: HttpRequest, root: str | None = None) -> list[RegionNode]:
    """Kota/kabupaten > kecamatan > kelurahan/desa. ``root``: a Kemendagri code (``32.71``);
    without it, the user's kota (or every loaded kota/kabupaten)."""
    if root:
        roots = list(Region.objects.filter(code=root.strip(), level__lte=Level.VILLAGE))
    else:
        roots = _default_roots(request)
    if not roots:
        return []
    below = Q()
    for r in roots:
        below |= Q(code__startswith=r.code + ".")
    regions = list(Region.objects.filter(below, level__lte=Level.VILLAGE).order_by("level", "code"))
    nodes: dict[int, RegionNode] = {}
    for region in [*roots, *regions]:
        nodes[region.pk] = RegionNode(
            code=region.code, name=region.name, level=region.level, kind=region.kind
        )
        parent = nodes.get(region.parent_id or 0)
        if parent is not None and region not in roots:
            parent.children.append(nodes[region.pk])
    return [nodes[r.pk] for r in roots]


@router.get("/kelurahan", response=list[Kelurahan], summary="Daftar kelurahan/desa")
def kelurahan(
    request: HttpRequest, kecamatan: str | None = None, q: str | None = None
) -> list[Kelurahan]:
    """Kelurahan/desa, optionally in one kecamatan (its code) or matching a name."""
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent").order_by("code")
    if kecamatan:
        qs = qs.filter(parent__code=kecamatan.strip())
    if q:
        qs = qs.filter(name__icontains=q.strip()[:60])
    return [
        Kelurahan(
            id=r.pk,
            code=r.code,
            name=r.name,
            kind=r.kind,
            kecamatan_code=r.parent.code if r.parent else "",
            kecamatan_name=r.parent.name if r.parent else "",
        )
        for r in qs[:5000]
    ]
