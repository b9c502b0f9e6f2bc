"""Registry pages: search, the child page, registration and the weighing form; the list of
pregnant women, the mother's page and the pregnancy check. Thin: scoping is in ``selectors``,
audited fetching and every write in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.registry import presenters
from tumbuh.registry.duplicates import PossibleDuplicate
from tumbuh.registry.forms import (
    ChildRegisterForm,
    PregnancyCheckForm,
    apply_service_errors,
)
from tumbuh.registry.models import Child, Mother, PregnancyOutcome
from tumbuh.registry.selectors import (
    child_measurements,
    child_search,
    child_withdrawn_measurements,
    children_visible_to,
    mother_children,
    mothers_visible_to,
    pregnancy_search,
)
from tumbuh.registry.services import (
    can_record,
    child_open,
    child_register,
    mother_open,
    pregnancy_record,
    pregnancy_update,
)
from tumbuh.registry.services.links import link_notice
from tumbuh.registry.warnings import child_notices
from tumbuh.wilayah.models import Level, Posyandu, Region

PAGE_SIZE = 25


def page_of(qs, number):  # type: ignore[no-untyped-def]
    """One page of a list, paginated on ids: the sort (by name) and the count run on narrow
    rows, and only the page's rows are fetched with their joins (issue 12 item 3: lists at
    city scale)."""
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = {obj.pk: obj for obj in qs.filter(pk__in=ids)}
    page.object_list = [rows[i] for i in ids if i in rows]
    return page


def _kelurahan_options(user) -> list[Region]:  # type: ignore[no-untyped-def]
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent")
    if not user.is_superuser and user.role in (
        Role.TPPS,
        Role.KECAMATAN_OFFICER,
        Role.KELURAHAN_OFFICER,
    ):
        if user.region is None:
            return []
        if user.region.level >= Level.VILLAGE:
            return list(qs.filter(code=".".join(user.region.code.split(".")[:4])))
        qs = qs.filter(code__startswith=user.region.code + ".")
    elif not user.is_superuser:
        # Other roles (kader, tenaga gizi, partner, parent): only kelurahan where the children
        # they may see live, from the one scoping function.
        qs = qs.filter(pk__in=children_visible_to(user).values("person__family__kelurahan"))
    return list(qs.order_by("parent__name", "name"))


def _posyandu_options(user):  # type: ignore[no-untyped-def]
    qs = Posyandu.objects.filter(is_active=True).select_related("kelurahan")
    if user.is_superuser:
        return qs
    if user.role == Role.KADER:
        return qs.filter(pk=user.posyandu_id)
    if user.role == Role.NUTRITION_OFFICER:
        return qs.filter(puskesmas_id=user.puskesmas_id)
    if user.role == Role.KELURAHAN_OFFICER and user.region is not None:
        code = ".".join(user.region.code.split(".")[:4])
        return qs.filter(kelurahan__code=code)
    return qs.none()


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    """Search by name, NIK, KK, mother's name, kelurahan; NIK masked in the list."""
    user = request.user
    if not user.is_superuser and user.role == Role.OPD:
        # OPD work on tasks and see no child records (ADR 0011): say so instead of an empty list.
        raise PermissionDenied(
            _("OPD tidak melihat daftar anak. Tugas untuk instansi Anda ada di Beranda.")
        )
    query = request.GET.get("q", "").strip()[:100]
    options = _kelurahan_options(user)
    kelurahan = None
    kel_id = request.GET.get("kelurahan", "")
    if kel_id.isdigit():
        kelurahan = next((k for k in options if k.pk == int(kel_id)), None)
    stunted_only = request.GET.get("stunting") == "1"
    results = child_search(user, query=query, kelurahan=kelurahan, stunted_only=stunted_only)
    page = page_of(results, request.GET.get("page"))
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Child),
        detail={
            "list": True,
            "ids": [c.pk for c in page.object_list],
            "filtered": bool(query or kelurahan or stunted_only),
        },
        context=AuditContext.from_request(request),
    )
    rows = [
        {
            "child": c,
            "name": presenters.display_name(user, c),
            "pseudonymised": presenters.pseudonymised(user, c),
            "age": presenters.age_text(c.person.birth_date, timezone.localdate()),
            "tbu": presenters.category_tag(
                c.latest_measurement.category_tbu if c.latest_measurement else ""
            ),
        }
        for c in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registry/child_list.html",
        {
            "rows": rows,
            "page": page,
            "query": query,
            "kelurahan_options": options,
            "kelurahan": kelurahan,
            "stunted_only": stunted_only,
            "querystring": params.urlencode(),
        },
    )


@login_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    user = request.user
    child = child_open(actor=user, child_id=child_id, context=AuditContext.from_request(request))
    series = child_measurements(child)
    hidden = presenters.pseudonymised(user, child)
    family_details = presenters.sees_family_details(user)
    mother = child.mother
    mother_visible = (
        mother is not None and not hidden and mothers_visible_to(user).filter(pk=mother.pk).exists()
    )
    return render(
        request,
        "registry/child_detail.html",
        {
            "child": child,
            "name": presenters.display_name(user, child),
            "pseudonymised": hidden,
            "person": child.person,
            "family": child.person.family,
            "mother": mother,
            "mother_visible": mother_visible,
            "age": presenters.age_text(child.birth_date, timezone.localdate()),
            "rows": presenters.measurement_rows(child, series),
            "notices": child_notices(child, series),
            "charts": presenters.charts(child, series, today=timezone.localdate()),
            "family_details": family_details,
            "pregnancies": (
                list(mother.pregnancies.order_by("-hpht")) if mother and family_details else []
            ),
            "breastfeeding": list(child.breastfeeding.order_by("started_on")),
            "consents": list(child.person.consents.order_by("given_on")),
            "can_weigh": can_record(user),
            "withdrawn": child_withdrawn_measurements(child),
        },
    )


@login_required
def weigh(request: HttpRequest) -> HttpResponse:
    """The kader's start screen: find the child (own posyandu first) or register a new one."""
    if not can_record(request.user):
        raise PermissionDenied(_("Peran Anda tidak mencatat penimbangan."))
    query = request.GET.get("q", "").strip()[:100]
    results = child_search(request.user, query=query)
    page = page_of(results, request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type=object_type_of(Child),
        detail={"list": True, "ids": [c.pk for c in page.object_list], "filtered": bool(query)},
        context=AuditContext.from_request(request),
    )
    today = timezone.localdate()
    rows = [
        {
            "child": c,
            "age": presenters.age_text(c.person.birth_date, today),
            "weighed_this_month": bool(
                c.latest_measurement and c.latest_measurement.measured_on >= today.replace(day=1)
            ),
        }
        for c in page.object_list
    ]
    return render(request, "registry/weigh.html", {"rows": rows, "page": page, "query": query})


@login_required
def child_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_record(user):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan anak."))
    kelurahan_qs = Region.objects.filter(pk__in=[k.pk for k in _kelurahan_options(user)])
    posyandu_qs = _posyandu_options(user)
    initial = {}
    if user.role == Role.KADER and user.posyandu is not None:
        initial = {"posyandu": user.posyandu, "kelurahan": user.posyandu.kelurahan}
    duplicates: dict[str, object] = {}
    form = ChildRegisterForm(
        request.POST or None,
        initial=initial,
        kelurahan_qs=kelurahan_qs,
        posyandu_qs=posyandu_qs,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = child_register(
                actor=user,
                name=data["name"],
                sex=data["sex"],
                birth_date=data["birth_date"],
                nik=data["nik"] or None,
                kk_number=data["kk_number"] or None,
                mother_name=data["mother_name"],
                mother_nik=data["mother_nik"] or None,
                father_name=data["father_name"],
                kelurahan=data["kelurahan"],
                rw=data["rw"],
                rt=data["rt"],
                address_line=data["address_line"],
                phone=data["phone"],
                posyandu=data["posyandu"],
                birth_weight_kg=data["birth_weight_kg"],
                birth_length_cm=data["birth_length_cm"],
                consent_given_by=data["consent_given_by"],
                consent_relationship=data["consent_relationship"],
                consent_method=data["consent_method"],
                over_five_confirmed=data["over_five_confirmed"],
                not_duplicate=data["not_duplicate"],
                context=AuditContext.from_request(request),
            )
        except PossibleDuplicate as exc:
            visible = set(
                children_visible_to(user)
                .filter(pk__in=[c.pk for c in exc.children])
                .values_list("pk", flat=True)
            )
            duplicates = {
                "visible": [
                    {"child": c, "age": presenters.age_text(c.birth_date, timezone.localdate())}
                    for c in exc.children
                    if c.pk in visible
                ],
                "hidden": len([c for c in exc.children if c.pk not in visible]),
            }
            apply_service_errors(form, exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Anak terdaftar. Catat pengukurannya sekarang."))
            for link in child.link_requests.select_related("region"):
                messages.warning(request, link_notice(link))
            return redirect("registry:measurement_create", child_id=child.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "registry/child_form.html",
        {"form": form, "duplicates": duplicates, "can_weigh": can_record(user)},
        status=status,
    )


@login_required
def mother_list(request: HttpRequest) -> HttpResponse:
    """Pregnant women in the user's area: search by name or NIK, filter those at risk (KEK,
    anaemia, too few ANC visits); NIK masked."""
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    at_risk_only = request.GET.get("berisiko") == "1"
    today = timezone.localdate()
    results = pregnancy_search(user, query=query, at_risk_only=at_risk_only, today=today)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Mother),
        detail={
            "list": True,
            "ids": [p.mother_id for p in page.object_list],
            "filtered": bool(query or at_risk_only),
        },
        context=AuditContext.from_request(request),
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registry/mother_list.html",
        {
            "rows": [presenters.pregnancy_row(p, today) for p in page.object_list],
            "page": page,
            "query": query,
            "at_risk_only": at_risk_only,
            "querystring": params.urlencode(),
        },
    )


@login_required
def mother_detail(request: HttpRequest, mother_id: int) -> HttpResponse:
    user = request.user
    context = AuditContext.from_request(request)
    mother = mother_open(actor=user, mother_id=mother_id, context=context)
    today = timezone.localdate()
    person = mother.person
    pregnancies = mother.pregnancies.order_by(F("hpht").desc(nulls_last=True), "-pk")
    children = mother_children(user, mother)
    return render(
        request,
        "registry/mother_detail.html",
        {
            "mother": mother,
            "person": person,
            "family": person.family,
            "age": presenters.age_text(person.birth_date, today) if person.birth_date else "",
            "pregnancies": [presenters.pregnancy_row(p, today) for p in pregnancies],
            "children": [
                {"child": c, "age": presenters.age_text(c.birth_date, today)} for c in children
            ],
            "breastfeeding": [(c, b) for c in children for b in c.breastfeeding.all()],
            "can_check": can_record(user),
        },
    )


@login_required
def pregnancy_check(request: HttpRequest, mother_id: int) -> HttpResponse:
    """Record a pregnancy check: opens a pregnancy, or updates the ongoing one."""
    user = request.user
    if not can_record(user):
        raise PermissionDenied(_("Peran Anda tidak mencatat pemeriksaan kehamilan."))
    context = AuditContext.from_request(request)
    mother = mother_open(actor=user, mother_id=mother_id, context=context)
    ongoing = mother.pregnancies.filter(outcome=PregnancyOutcome.ONGOING).order_by("-pk").first()
    initial: dict[str, object] = {}
    if ongoing is not None:
        initial = {
            "hpht": ongoing.hpht,
            "lila_cm": ongoing.lila_cm,
            "hb_g_dl": ongoing.hb_g_dl,
            "iron_tablets_taken": ongoing.iron_tablets_taken,
            "anc_visits": ongoing.anc_visits,
        }
    form = PregnancyCheckForm(request.POST or None, initial=initial, new_pregnancy=ongoing is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if ongoing is None:
                pregnancy_record(
                    actor=user,
                    mother=mother,
                    hpht=data["hpht"],
                    lila_cm=data["lila_cm"] or None,
                    hb_g_dl=data["hb_g_dl"] or None,
                    iron_tablets_taken=data["iron_tablets_taken"] or 0,
                    anc_visits=data["anc_visits"] or 0,
                    context=context,
                )
            else:
                changes: dict[str, object] = {
                    "lila_cm": data["lila_cm"] or None,
                    "hb_g_dl": data["hb_g_dl"] or None,
                }
                for name in ("iron_tablets_taken", "anc_visits"):
                    if data[name] is not None:
                        changes[name] = data[name]
                # HPL is derived from HPHT: send HPHT only when it changed, so that a recorded
                # HPL is not recomputed by an unchanged HPHT.
                if data["hpht"] is not None and data["hpht"] != ongoing.hpht:
                    changes["hpht"] = data["hpht"]
                pregnancy_update(actor=user, pregnancy=ongoing, changes=changes, context=context)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pemeriksaan kehamilan tersimpan."))
            return redirect("registry:mother_detail", mother_id=mother.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "registry/pregnancy_form.html",
        {"mother": mother, "form": form, "ongoing": ongoing},
        status=status,
    )
