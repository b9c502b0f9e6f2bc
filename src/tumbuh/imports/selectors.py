"""Scoped reads of import jobs and of the duplicates queue."""

from __future__ import annotations

from django.db.models import QuerySet

from tumbuh.accounts.models import User
from tumbuh.imports.models import DuplicateCandidate, DuplicateStatus, ImportJob
from tumbuh.registry.selectors import children_visible_to


def jobs_visible_to(user: User | None) -> QuerySet[ImportJob]:
    """A user's own import jobs; every job for an administrator."""
    qs = ImportJob.objects.defer("content", "error_report")
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(created_by=user)


def duplicates_visible_to(
    user: User | None, *, status: str | None = DuplicateStatus.OPEN
) -> QuerySet[DuplicateCandidate]:
    """Pairs whose two children are both visible to ``user`` (the registry's scoping)."""
    visible = children_visible_to(user).values("pk")
    qs = DuplicateCandidate.objects.filter(existing__in=visible, incoming__in=visible)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(
        "existing__person",
        "existing__person__family__kelurahan",
        "existing__mother__person",
        "incoming__person",
        "incoming__person__family__kelurahan",
        "incoming__mother__person",
        "import_job",
    )
