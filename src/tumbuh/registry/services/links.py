"""The link queue (finding 1 of issue 11): a new child whose KK number or mother's NIK names
a record outside the registering user's area is registered on its own, and the link waits
for an officer who may see both records (``registry.links``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.registry.links import LinkKind, LinkRequest, LinkStatus
from tumbuh.registry.models import Child, Family, Mother
from tumbuh.wilayah.models import Level, Region


def decision_region(a: Region, b: Region) -> Region:
    """The smallest wilayah holding both ``a`` and ``b`` (their lowest common ancestor)."""
    above_a: list[Region] = []
    node: Region | None = a
    while node is not None:
        above_a.append(node)
        node = node.parent
    ids = {r.pk for r in above_a}
    node = b
    while node is not None:
        if node.pk in ids:
            return node
        node = node.parent
    return above_a[-1]


def _kelurahan_of(family: Family) -> Region:
    region = family.kelurahan
    while region.level > Level.VILLAGE and region.parent is not None:
        region = region.parent
    return region


def link_request_open(
    *,
    actor: User | None,
    child: Child,
    family: Family | None = None,
    mother: Mother | None = None,
    context: AuditContext = SYSTEM,
) -> LinkRequest:
    """Queue the link of new ``child`` to an existing ``family`` or ``mother`` (exactly one)
    for the officers of the smallest wilayah holding both (call inside the registering
    transaction)."""
    if (family is None) == (mother is None):
        raise ValueError("link_request_open needs exactly one of family and mother")
    target_family = family if family is not None else mother.person.family  # type: ignore[union-attr]
    region = decision_region(_kelurahan_of(child.person.family), _kelurahan_of(target_family))
    link = LinkRequest.objects.create(
        kind=LinkKind.FAMILY if family is not None else LinkKind.MOTHER,
        child=child,
        family=family,
        mother=mother,
        region=region,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_object(
        actor=actor,
        action=Action.CREATE,
        obj=link,
        detail={"child": child.pk, "kind": link.kind, "region": region.code},
        context=context,
    )
    return link


def link_notice(link: LinkRequest) -> str:
    """What the registering user is told (no detail of the other record)."""
    what = (
        _("Nomor KK ini tercatat untuk keluarga di luar wilayah Anda")
        if link.kind == LinkKind.FAMILY
        else _("NIK ibu ini tercatat untuk ibu di luar wilayah Anda")
    )
    return _(
        "%(what)s. Anak didaftarkan tanpa ditautkan ke data itu; permintaan penautan "
        "dikirim ke petugas %(region)s untuk diperiksa (keluarga mungkin pindah)."
    ) % {"what": what, "region": str(link.region)}


@transaction.atomic
def link_request_decide(
    *,
    actor: User,
    link: LinkRequest,
    accept: bool,
    note: str = "",
    context: AuditContext = SYSTEM,
) -> LinkRequest:
    """Link (``accept``) or dismiss an open request. ``actor`` must see both records (the
    queue from ``link_requests_visible_to``); accepting moves the child into the registered
    family, or gives it the registered mother."""
    from tumbuh.registry.selectors import link_requests_visible_to

    if not link_requests_visible_to(actor).filter(pk=link.pk).exists():
        raise PermissionDenied(_("Permintaan ini bukan untuk wilayah Anda."))
    link = LinkRequest.objects.select_for_update().get(pk=link.pk)
    if link.status != LinkStatus.OPEN:
        raise ValidationError({"status": [_("Permintaan ini sudah diputuskan.")]})
    changed: list[str] = []
    if accept:
        child = Child.objects.select_related("person").get(pk=link.child_id)
        if link.kind == LinkKind.FAMILY:
            assert link.family is not None
            person = child.person
            person.family = link.family
            person.save(update_fields=["family", "updated_at"])
            changed.append("family")
        else:
            child.mother = link.mother
            child.save(update_fields=["mother", "updated_at"])
            changed.append("mother")
        audit_object(
            actor=actor, action=Action.UPDATE, obj=child, changed_fields=changed, context=context
        )
    link.status = LinkStatus.LINKED if accept else LinkStatus.DISMISSED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.note = note.strip()[:300]
    link.save()
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=link,
        changed_fields=["status"],
        detail={"child": link.child_id, "status": link.status},
        context=context,
    )
    return link
