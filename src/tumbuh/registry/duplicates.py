"""The duplicate check of the web registration form: the import's rule (same birth date,
same kelurahan, a similar child's name and a similar mother's name, or the same NIK), with the
import's own comparison and thresholds (``imports.validation.similarity``, ``SIMILAR_NAME``,
``SIMILAR_MOTHER``), so a child typed on the form and the same child in a file are judged
alike."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from tumbuh.registry.models import Child
from tumbuh.wilayah.models import Region


class PossibleDuplicate(ValidationError):
    """The child may be registered already; nothing was stored. ``children``: the candidates
    (the caller shows only those the user may see)."""

    def __init__(self, children: list[Child]) -> None:
        self.children = children
        super().__init__(
            {
                "not_duplicate": [
                    "Anak ini mungkin sudah terdaftar (nama, tanggal lahir, ibu dan kelurahan "
                    "mirip). Buka data yang ada; bila memang anak lain, centang 'Ini anak lain' "
                    "lalu kirim lagi."
                ]
            }
        )


def possible_duplicates(
    *,
    name: str,
    birth_date: dt.date,
    mother_name: str,
    kelurahan: Region | None,
    nik: str | None = None,
) -> list[Child]:
    """Registered children that are probably this one (any area: the caller scopes what it
    shows)."""
    from tumbuh.imports.validation import SIMILAR_MOTHER, SIMILAR_NAME, similarity

    found: dict[int, Child] = {}
    if nik:
        for child in Child.objects.filter(person__nik=nik).select_related("person"):
            found[child.pk] = child
    if kelurahan is not None:
        same_place = Child.objects.filter(
            person__birth_date=birth_date, person__family__kelurahan=kelurahan
        ).select_related("person", "mother__person")
        for child in same_place:
            mother = child.mother.person.name if child.mother else ""
            if (
                similarity(child.person.name, name) >= SIMILAR_NAME
                and similarity(mother, mother_name) >= SIMILAR_MOTHER
            ):
                found[child.pk] = child
    return sorted(found.values(), key=lambda c: c.pk)


__all__ = ["PossibleDuplicate", "possible_duplicates"]
