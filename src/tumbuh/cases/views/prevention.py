"""``/kasus/berisiko/``: the prevention worklist (children heading for stunting, pregnancies at
risk), each entry with its reasons. Scoped by ``cases.prevention``; every listing audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases import prevention
from tumbuh.registry import presenters
from tumbuh.registry.models import Child, Pregnancy
from tumbuh.registry.views import _kelurahan_options

PAGE_SIZE = 25


@login_required
def prevention_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not prevention.can_see_prevention(user):
        raise PermissionDenied(_("Peran Anda tidak melihat daftar anak berisiko."))
    today = timezone.localdate()
    subject = "pregnancy" if request.GET.get("subjek") == "ibu" else "child"
    options = _kelurahan_options(user)
    kelurahan = None
    kel_id = request.GET.get("kelurahan", "")
    if kel_id.isdigit():
        kelurahan = next((k for k in options if k.pk == int(kel_id)), None)
    rules = [r for r in prevention.RULES if r.subject == subject]
    rule = request.GET.get("aturan", "")
    if rule not in {r.code for r in rules}:
        rule = ""
    kel_pk = kelurahan.pk if kelurahan else None
    entries: list[prevention.ChildEntry] | list[prevention.PregnancyEntry]
    too_large = ""
    if subject == "child":
        try:
            entries = prevention.prevention_children(
                user, today=today, kelurahan_id=kel_pk, rule=rule
            )
        except prevention.ScopeTooLarge as exc:
            entries, too_large = [], exc.message
    else:
        entries = prevention.prevention_pregnancies(
            user, today=today, kelurahan_id=kel_pk, rule=rule
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    if subject == "child":
        prevention.load_children(page.object_list)
    rows = []
    for entry in page.object_list:
        if isinstance(entry, prevention.ChildEntry):
            assert entry.child is not None
            rows.append(
                {
                    "child": entry.child,
                    "name": presenters.display_name(user, entry.child),
                    "age": presenters.age_text(entry.child.birth_date, today),
                    "hits": entry.hits,
                    "zlen": entry.latest_zlen,
                }
            )
        else:
            rows.append(
                {
                    "pregnancy": entry.pregnancy,
                    "name": entry.pregnancy.mother.person.name,
                    "weeks": entry.weeks,
                    "hits": entry.hits,
                }
            )
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Child if subject == "child" else Pregnancy),
        detail={
            "list": True,
            "prevention": True,
            "ids": [
                e.child_id if isinstance(e, prevention.ChildEntry) else e.pregnancy.pk
                for e in page.object_list
            ],
            "filtered": bool(kelurahan or rule),
        },
        context=AuditContext.from_request(request),
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/prevention.html",
        {
            "subject": subject,
            "rows": rows,
            "page": page,
            "rules": rules,
            "rule": rule,
            "kelurahan_options": options,
            "kelurahan": kelurahan,
            "querystring": params.urlencode(),
            "too_large": too_large,
        },
    )
