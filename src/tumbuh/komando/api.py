"""``GET /api/v1/komando/indicators?area=&period=``: the command centre's figures, scoped
exactly like the page (another area: 404 and an audited ``denied``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from tumbuh.audit.context import AuditContext
from tumbuh.komando.models import AreaMonthStat
from tumbuh.komando.selectors import area_open, coverage, figures, parse_period, root_area

router = Router(tags=["komando"])


class IndicatorOut(Schema):
    code: str
    label: str
    group: str
    value: int
    denominator: int | None
    denominator_code: str | None
    share_percent: float | None = Field(description="value / denominator x 100, 1 desimal")


class CoverageOut(Schema):
    number: int
    label: str
    target_percent: float
    indicator: str | None
    share_percent: float | None
    source: str


class IndicatorsOut(Schema):
    area: str
    area_name: str
    level: int
    period: str
    computed: bool
    items: list[IndicatorOut]
    coverage: list[CoverageOut]


class NotFoundOut(Schema):
    detail: str


# An area code that does not exist, or lies outside the user's area, is a 404 (audited).
@router.get("/indicators", response={200: IndicatorsOut, 404: NotFoundOut})
def indicators(request: HttpRequest, area: str = "", period: str = "") -> IndicatorsOut:
    user = request.user
    root = root_area(user)  # type: ignore[arg-type]  # the bearer token's active user
    where = area_open(user, area or None, context=AuditContext.from_request(request))  # type: ignore[arg-type]
    if period:
        try:
            month = parse_period(period)
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from error
    else:
        latest = (
            AreaMonthStat.objects.filter(area_code=root.code)
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
        )
        month = latest or timezone.localdate().replace(day=1)
    figs = figures(where.code, month)
    return IndicatorsOut(
        area=where.code,
        area_name=where.name,
        level=int(where.level),
        period=f"{month:%Y-%m}",
        computed=AreaMonthStat.objects.filter(area_code=where.code, month=month).exists(),
        items=[
            IndicatorOut(
                code=f.indicator.code,
                label=str(f.indicator.label),
                group=f.indicator.group.value,
                value=f.value,
                denominator=f.denominator if f.indicator.denominator else None,
                denominator_code=f.indicator.denominator,
                share_percent=f.share,
            )
            for f in figs.values()
        ],
        coverage=[
            CoverageOut(
                number=c.number,
                label=c.label,
                target_percent=c.target_percent,
                indicator=c.figure.indicator.code if c.figure else None,
                share_percent=c.figure.share if c.figure else None,
                source=c.source,
            )
            for c in coverage(figs)
        ],
    )
