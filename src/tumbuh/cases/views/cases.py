"""Case pages: the list (by name, address, case; filtered and sorted by priority), the case
page (timeline beside the growth chart) and the forms of each step. Thin: scoping and the
allowed steps come from ``cases.selectors``, every write from ``cases.services``; a case out
of scope answers 404 after an audited ``denied`` (``case_open``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases import forms as case_forms
from tumbuh.cases.errors import CaseError, TransitionError
from tumbuh.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    EventKind,
    Intervention,
    NeedStatus,
    Referral,
    ReferralStatus,
    Task,
)
from tumbuh.cases.selectors import (
    allowed_transitions,
    case_list,
    case_timeline,
    is_overdue,
    overdue_q,
)
from tumbuh.cases.services import (
    case_assess,
    case_close,
    case_open,
    case_reopen,
    case_review,
    case_verify,
    intervention_plan,
    referral_create,
    referral_outcome,
)
from tumbuh.organisations.models import Organisation
from tumbuh.registry import presenters
from tumbuh.registry.selectors import child_measurements, split_rt_rw
from tumbuh.registry.views import _kelurahan_options, _posyandu_options
from tumbuh.wilayah.models import Level, Region

PAGE_SIZE = 25


def _is_opd(user: User) -> bool:
    return not user.is_superuser and user.role == Role.OPD


def subject_name(user: User, case: Case) -> str:
    """The child's name as ``user`` may see it, or the mother's for a pregnancy case."""
    if case.child_id:
        return presenters.display_name(user, case.child)
    if case.pregnancy_id:
        return case.pregnancy.mother.person.name
    return "—"


def _address(case: Case) -> str:
    person = case.child.person if case.child_id else case.pregnancy.mother.person
    return person.family.address if person.family_id else ""


@login_required
def case_index(request: HttpRequest) -> HttpResponse:
    """``/kasus/``: cases by name, address or case, with the area, kind, status, overdue and
    owner filters; most urgent first. An OPD works from its inbox instead."""
    user = request.user
    if _is_opd(user):
        return redirect("cases:task_list")
    if not user.is_superuser and user.role in (Role.PARTNER, Role.PARENT, ""):
        raise PermissionDenied(_("Peran Anda tidak melihat daftar kasus."))
    today = timezone.localdate()
    get = request.GET
    query = get.get("q", "").strip()[:100]
    kelurahan_opts = _kelurahan_options(user)
    kecamatan_opts = sorted({k.parent for k in kelurahan_opts if k.parent}, key=lambda r: r.name)
    kel = get.get("kelurahan", "").strip()
    kel = kel if kel in {k.code for k in kelurahan_opts} else ""
    kec = get.get("kecamatan", "").strip()
    kec = kec if kec in {k.code for k in kecamatan_opts} else ""
    rw = get.get("rw", "").strip()
    rw_opts: list[Region] = []
    if kel:
        rw_opts = list(Region.objects.filter(level=Level.RW, parent__code=kel).order_by("name"))
    rw = rw if rw in {r.code for r in rw_opts} else ""
    posyandu_opts = list(_posyandu_options(user).order_by("name"))
    pos = get.get("posyandu", "")
    posyandu = int(pos) if pos.isdigit() and int(pos) in {p.pk for p in posyandu_opts} else None
    kind = get.get("jenis", "")
    kind = kind if kind in CaseKind.values else ""
    status = get.get("status", "")
    status = status if status in CaseStatus.values or status == "terbuka" else ""
    overdue = {"1": True, "0": False}.get(get.get("terlambat", ""))
    owner_opts = list(Organisation.objects.filter(status="active").order_by("kind", "name"))
    own = get.get("pemilik", "")
    owner = int(own) if own.isdigit() and int(own) in {o.pk for o in owner_opts} else None
    text, rt_rw = split_rt_rw(query)  # "Veteran RT 2/RW 5": the street, then the numbers
    results = case_list(
        user,
        query=text,
        kecamatan=kec or None,
        kelurahan=kel or None,
        rw=rw or None,
        posyandu=posyandu,
        kind=kind or None,
        status=status if status and status != "terbuka" else None,
        open_only=status == "terbuka",
        overdue=overdue,
        owner=owner,
        today=today,
    ).select_related("child__person__family__kelurahan", "pregnancy__mother__person__family")
    for key, value in rt_rw.items():
        results = results.filter(
            Q(**{f"child__{key}": value}) | Q(**{f"pregnancy__mother__{key}": value})
        )
    page = Paginator(results, PAGE_SIZE).get_page(get.get("page"))
    # open and late tasks of the cases on this page only (one grouped query)
    counts = {
        row["case_id"]: row
        for row in Task.objects.filter(case_id__in=[c.pk for c in page.object_list])
        .values("case_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=["open", "accepted"])),
            late=Count("pk", filter=overdue_q(today)),
        )
    }
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Case),
        detail={
            "list": True,
            "ids": [c.pk for c in page.object_list],
            "filtered": bool(query or kec or kel or rw or posyandu or kind or status or owner)
            or overdue is not None,
        },
        context=AuditContext.from_request(request),
    )
    rows = [
        {
            "case": c,
            "name": subject_name(user, c),
            "age": presenters.age_text(c.child.person.birth_date, today) if c.child_id else "",
            "open_tasks": counts.get(c.pk, {}).get("open", 0),
            "late_tasks": counts.get(c.pk, {}).get("late", 0),
        }
        for c in page.object_list
    ]
    params = get.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "rows": rows,
            "page": page,
            "query": query,
            "kecamatan_options": kecamatan_opts,
            "kelurahan_options": kelurahan_opts,
            "rw_options": rw_opts,
            "posyandu_options": posyandu_opts,
            "owner_options": owner_opts,
            "kinds": CaseKind.choices,
            "statuses": CaseStatus.choices,
            "f": {
                "kecamatan": kec, "kelurahan": kel, "rw": rw, "posyandu": posyandu,
                "jenis": kind, "status": status, "terlambat": get.get("terlambat", ""),
                "pemilik": owner,
            },
            "querystring": params.urlencode(),
        },
    )  # fmt: skip


def _need_choices(case: Case, *, open_only: bool) -> list[tuple[str, str]]:
    return [
        (n.category.code, f"{n.category.name} ({n.get_status_display()})")
        for n in case.needs.select_related("category").order_by("category__sort_order")
        if not open_only or n.status in (NeedStatus.OPEN, NeedStatus.PLANNED)
    ]


def _form(case: Case, which: str, data: Any = None, files: Any = None) -> Any:
    """One step's form (bound to ``data`` when given)."""
    prefix = {"prefix": which}
    if which == "verify":
        return case_forms.VerifyForm(data, **prefix)
    if which == "needs":
        have = set(case.needs.values_list("category__code", flat=True))
        return case_forms.NeedsForm(data, exclude=have if data is None else set(), **prefix)
    if which == "intervention":
        needs = _need_choices(case, open_only=data is None)
        return case_forms.InterventionForm(data, needs=needs, **prefix)
    if which == "referral":
        return case_forms.ReferralForm(data, **prefix)
    if which == "review":
        return case_forms.ReviewForm(data, **prefix)
    if which == "close":
        return case_forms.CloseForm(data, **prefix)
    return case_forms.ReopenForm(data, **prefix)


#: Which form the page offers for each allowed action of ``selectors.allowed_transitions``.
ACTION_FORMS = (
    ("verify", {"verify", "reject"}),
    ("needs", {"assess", "reassess"}),
    ("intervention", {"plan"}),
    ("referral", {"plan", "review", "assess"}),
    ("review", {"review"}),
    ("close", {"close", "close_unverified"}),
    ("reopen", {"reopen"}),
)


def _case_forms(case: Case, actions: list[str]) -> dict[str, Any]:
    """The (unbound) forms of the steps ``actions`` allows now."""
    out: dict[str, Any] = {}
    for which, needed in ACTION_FORMS:
        if needed & set(actions):
            if which == "intervention" and not _need_choices(case, open_only=True):
                continue
            out[which] = _form(case, which)
    return out


def _render_case(
    request: HttpRequest, case: Case, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    if _is_opd(user):
        return _render_case_for_opd(request, case)
    actions = allowed_transitions(case, user)
    shown = _case_forms(case, actions)
    shown.update(forms or {})
    child = case.child if case.child_id else None
    series = child_measurements(child) if child is not None else []
    tasks = list(
        case.tasks.select_related("owner").prefetch_related("updates").order_by("due_date", "pk")
    )
    kinds = dict(EventKind.choices)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "name": subject_name(user, case),
            "child": child,
            "pseudonymised": presenters.pseudonymised(user, child) if child else False,
            "age": presenters.age_text(child.birth_date, today) if child else "",
            "address": _address(case),
            "timeline": [{"e": e, "label": kinds.get(e.kind, e.kind)} for e in case_timeline(case)],
            "charts": presenters.charts(child, series, today=today)[:1] if child else [],
            "latest": series[-1] if series else None,
            "needs": list(case.needs.select_related("category").order_by("category__sort_order")),
            "interventions": list(
                Intervention.objects.filter(case=case).select_related("need__category", "owner")
            ),
            "referrals": [
                {
                    "r": r,
                    "form": (forms or {}).get(f"referral-{r.pk}")
                    or case_forms.ReferralOutcomeForm(prefix=f"referral-{r.pk}"),
                    "open": r.status in (ReferralStatus.SENT, ReferralStatus.ARRIVED),
                }
                for r in case.referrals.select_related("to_puskesmas")
            ],
            "can_refer": bool(set(actions) & {"plan", "review", "assess"}) or user.is_superuser,
            "tasks": [{"t": t, "overdue": is_overdue(t, today)} for t in tasks],
            "forms": shown,
            "actions": actions,
        },
        status=status,
    )


def _render_case_for_opd(request: HttpRequest, case: Case) -> HttpResponse:
    """What an OPD sees of a case it has a task on: who and where (to reach the family), and
    its own tasks; no measurements, no clinical timeline (UU PDP minimisation)."""
    user = request.user
    org = getattr(getattr(user, "membership", None), "organisation_id", None)
    tasks = list(case.tasks.filter(owner_id=org).select_related("owner").order_by("due_date"))
    return render(
        request,
        "cases/case_opd.html",
        {
            "case": case,
            "name": subject_name(user, case),
            "address": _address(case),
            "tasks": [{"t": t, "overdue": is_overdue(t)} for t in tasks],
        },
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_open(
        actor=request.user, case_id=case_id, context=AuditContext.from_request(request)
    )
    return _render_case(request, case)


def _run_step(request: HttpRequest, case: Case, which: str) -> HttpResponse:
    user = request.user
    context = AuditContext.from_request(request)
    form = _form(case, which, request.POST)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            if which == "verify":
                case_verify(case=case, actor=user, confirmed=d["confirmed"], note=d["note"],
                            context=context)  # fmt: skip
                done = _("Verifikasi tersimpan.")
            elif which == "needs":
                case_assess(case=case, actor=user, needs=d["needs"], note=d["note"],
                            context=context)  # fmt: skip
                done = _("Kebutuhan tersimpan.")
            elif which == "intervention":
                intervention_plan(
                    case=case, need=d["need"], owner=d["owner"], due_date=d["due_date"],
                    package=d["package"], note=d["note"], actor=user, context=context,
                )  # fmt: skip
                done = _("Intervensi direncanakan dan tugas dikirim ke %(owner)s.") % {
                    "owner": d["owner"]
                }
            elif which == "referral":
                referral_create(
                    case=case, reason=d["reason"], to_puskesmas=d["to_puskesmas"],
                    to_facility=d["to_facility"], referred_on=d["referred_on"], actor=user,
                    context=context,
                )  # fmt: skip
                done = _("Rujukan tersimpan.")
            elif which == "review":
                case_review(case=case, actor=user, note=d["note"], context=context)
                done = _("Tinjauan tersimpan.")
            elif which == "close":
                case_close(case=case, outcome=d["outcome"], note=d["note"], actor=user,
                           context=context)  # fmt: skip
                done = _("Kasus ditutup.")
            else:  # reopen
                case_reopen(case=case, reason=d["reason"], actor=user, context=context)
                done = _("Kasus dibuka kembali.")
        except CaseError as exc:
            # a step out of order answers 409 (as the API does), a bad value 422
            status = 409 if isinstance(exc, TransitionError) else 422
            case_forms.apply_case_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:case_detail", case_id=case.pk)
    case.refresh_from_db()
    return _render_case(request, case, forms={which: form}, status=status)


def _step_view(which: str):  # type: ignore[no-untyped-def]
    @login_required
    @require_POST
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        case = case_open(
            actor=request.user, case_id=case_id, context=AuditContext.from_request(request)
        )
        if _is_opd(request.user):
            raise PermissionDenied(_("OPD bekerja dari kotak tugasnya."))
        return _run_step(request, case, which)

    view.__name__ = f"case_{which}"
    return view


@login_required
@require_POST
def referral_outcome_view(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    """The outcome that came back from the puskesmas or hospital."""
    user = request.user
    context = AuditContext.from_request(request)
    case = case_open(actor=user, case_id=case_id, context=context)
    if _is_opd(user):
        raise PermissionDenied(_("OPD bekerja dari kotak tugasnya."))
    referral = get_object_or_404(Referral, pk=referral_id, case=case)
    name = f"referral-{referral.pk}"
    form = case_forms.ReferralOutcomeForm(request.POST, prefix=name)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            referral_outcome(
                referral=referral, status=d["status"], outcome=d["outcome"],
                outcome_on=d["outcome_on"], actor=user, context=context,
            )  # fmt: skip
        except CaseError as exc:
            status = 409 if isinstance(exc, TransitionError) else 422
            case_forms.apply_case_error(form, exc)
        else:
            messages.success(request, _("Hasil rujukan tersimpan."))
            return redirect("cases:case_detail", case_id=case.pk)
    return _render_case(request, case, forms={name: form}, status=status)


case_verify_view = _step_view("verify")
case_needs_view = _step_view("needs")
case_intervention_view = _step_view("intervention")
case_referral_view = _step_view("referral")
case_review_view = _step_view("review")
case_close_view = _step_view("close")
case_reopen_view = _step_view("reopen")
