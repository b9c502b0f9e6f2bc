"""The command centre pages: ``/komando/?area=CODE&period=YYYY-MM``, the list behind a number
and the rakor pack downloads. Thin: scope in ``selectors``, figures in ``overview``, files in
``rakor``; every list of children and every export is audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.komando import rakor
from tumbuh.komando.indicators import BY_CODE, Subject
from tumbuh.komando.models import AreaMonthStat
from tumbuh.komando.overview import overview
from tumbuh.komando.selectors import (
    PUBLIC_INDICATORS,
    Area,
    area_open,
    breadcrumbs,
    drill_ids,
    months_up_to,
    parse_period,
    public_rows,
    root_area,
)
from tumbuh.registry import presenters
from tumbuh.registry.models import Child, Pregnancy
from tumbuh.registry.selectors import children_visible_to, pregnancies_visible_to
from tumbuh.wilayah.models import Region

PAGE_SIZE = 25


def _period(request: HttpRequest, root: Area) -> dt.date:
    text = request.GET.get("period", "").strip()
    if text:
        try:
            return parse_period(text)
        except ValueError as error:
            raise Http404(str(error)) from error
    latest = (
        AreaMonthStat.objects.filter(area_code=root.code)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return latest or timezone.localdate().replace(day=1)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = AuditContext.from_request(request)
    root = root_area(user)
    area = area_open(user, request.GET.get("area"), context=context)
    month = _period(request, root)
    ov = overview(area, month, today=timezone.localdate())
    return render(
        request,
        "komando/home.html",
        {
            "ov": ov,
            "area": area,
            "root": root,
            "trail": breadcrumbs(area, root),
            "period": f"{month:%Y-%m}",
            "periods": [f"{m:%Y-%m}" for m in reversed(months_up_to(month, 24))],
        },
    )


@login_required
def drill(request: HttpRequest) -> HttpResponse:
    """The children, cases or pregnant women counted by one number of the page."""
    user = request.user
    context = AuditContext.from_request(request)
    root = root_area(user)
    area = area_open(user, request.GET.get("area"), context=context)
    month = _period(request, root)
    indicator, ids = drill_ids(area, month, request.GET.get("indicator", ""))
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    rows: list[dict[str, object]] = []
    object_type = "cases.case"
    if indicator.subject == Subject.CHILD:
        object_type = object_type_of(Child)
        children = {
            c.pk: c
            for c in children_visible_to(user)
            .filter(pk__in=page_ids)
            .select_related("person__family__kelurahan", "posyandu", "latest_measurement")
        }
        for pk in page_ids:
            child = children.get(pk)
            if child is None:
                continue
            rows.append(
                {
                    "url": reverse("registry:child_detail", args=[child.pk]),
                    "name": presenters.display_name(user, child),
                    "age": presenters.age_text(child.birth_date, timezone.localdate()),
                    "kelurahan": child.person.family.kelurahan.name if child.person.family else "",
                    "posyandu": child.posyandu.name if child.posyandu else "",
                }
            )
    elif indicator.subject == Subject.PREGNANCY:
        object_type = object_type_of(Pregnancy)
        found = {
            p.pk: p
            for p in pregnancies_visible_to(user)
            .filter(pk__in=page_ids)
            .select_related("mother__person__family__kelurahan", "mother__posyandu")
        }
        for pk in page_ids:
            p = found.get(pk)
            if p is None:
                continue
            family = p.mother.person.family
            rows.append(
                {
                    "url": reverse("registry:mother_detail", args=[p.mother_id]),
                    "name": p.mother.person.name,
                    "age": f"HPL {p.due_date:%d-%m-%Y}" if p.due_date else "",
                    "kelurahan": family.kelurahan.name if family else "",
                    "posyandu": p.mother.posyandu.name if p.mother.posyandu else "",
                }
            )
    else:
        from tumbuh.cases.models import Case

        visible_children = set(
            children_visible_to(user).filter(cases__pk__in=page_ids).values_list("pk", flat=True)
        )
        for case in Case.objects.filter(pk__in=page_ids).select_related(
            "child__person", "kelurahan", "posyandu"
        ):
            child = case.child
            rows.append(
                {
                    "url": reverse("registry:child_detail", args=[child.pk])
                    if child and child.pk in visible_children
                    else "",
                    "name": f"{case.get_kind_display()} #{case.pk}"
                    + (
                        f" — {presenters.display_name(user, child)}"
                        if child and child.pk in visible_children
                        else ""
                    ),
                    "age": case.get_status_display()
                    + (f" ({case.get_outcome_display()})" if case.outcome else ""),
                    "kelurahan": case.kelurahan.name if case.kelurahan else "",
                    "posyandu": case.posyandu.name if case.posyandu else "",
                }
            )
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type,
        detail={
            "list": True,
            "komando": indicator.code,
            "area": area.code,
            "period": f"{month:%Y-%m}",
            "ids": page_ids,
        },
        context=context,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "komando/drill.html",
        {
            "area": area,
            "indicator": indicator,
            "period": f"{month:%Y-%m}",
            "page": page,
            "rows": rows,
            "hidden": len(page_ids) - len(rows),
            "querystring": params.urlencode(),
        },
    )


@login_required
def rakor_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The rakor pack of the area and month as PDF or Excel (audited ``export``)."""
    if fmt not in rakor.FORMATS:
        raise Http404("format tidak dikenal")
    user = request.user
    context = AuditContext.from_request(request)
    root = root_area(user)
    area = area_open(user, request.GET.get("area"), context=context)
    month = _period(request, root)
    ov = overview(area, month, today=timezone.localdate())
    content = rakor.render(ov, fmt)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="komando.rakor",
        object_id=area.code,
        detail={"period": f"{month:%Y-%m}", "format": fmt, "bytes": len(content)},
        context=context,
    )
    response = HttpResponse(content, content_type=rakor.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{rakor.filename(area, month, fmt)}"'
    return response


def public_stats(request: HttpRequest) -> HttpResponse:
    """Aggregate figures by kecamatan for the public, only for the cities listed in
    ``KOMANDO_PUBLIC_CITIES``; counts below 5 are shown as "< 5" and their shares hidden."""
    cities = getattr(settings, "KOMANDO_PUBLIC_CITIES", [])
    code = request.GET.get("kota", cities[0] if cities else "")
    if code not in cities:
        raise Http404("statistik publik tidak diaktifkan")
    city = Region.objects.filter(code=code).first()
    if city is None:
        raise Http404("wilayah tidak ditemukan")
    months = list(
        AreaMonthStat.objects.filter(area_code=code)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()[:24]
    )
    month = months[0] if months else timezone.localdate().replace(day=1)
    if request.GET.get("period"):
        try:
            month = parse_period(request.GET["period"])
        except ValueError as error:
            raise Http404(str(error)) from error
    headers: list[str] = []
    for indicator in PUBLIC_INDICATORS:
        headers.append(str(BY_CODE[indicator].label))
        if BY_CODE[indicator].denominator:
            headers.append("%")
    return render(
        request,
        "komando/public.html",
        {
            "city": city,
            "month": month,
            "headers": headers,
            "rows": public_rows(code, month),
            "periods": [f"{m:%Y-%m}" for m in months],
            "period": f"{month:%Y-%m}",
        },
    )
