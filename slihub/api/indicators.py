"""The indicator bank: the catalogue, published values, periods and authorities' comparisons."""

from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, Code, InputSchema, QueryText
from slihub.indicators import selectors
from slihub.indicators.classification import Outcome, Theme
from slihub.places import selectors as places

router = Router(tags=["indicators"])

ThemeCode = Literal[tuple(Theme.values)]
OutcomeCode = Literal[tuple(Outcome.values)]


class IndicatorOut(Schema):
    id: int
    slug: str
    code: str
    name: str
    short_name: str
    source: str
    topic: str
    description: str
    polarity: str
    unit: str
    decimal_places: int | None
    quartiles: bool
    theme: str
    theme_name: str
    outcome: str
    outcome_name: str
    publisher: str
    methodology: str
    link: str
    year_type: str
    url: str

    @staticmethod
    def resolve_theme_name(obj):
        return obj.get_theme_display()

    @staticmethod
    def resolve_outcome_name(obj):
        return obj.get_outcome_display()

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class PeriodOut(Schema):
    label: str
    kind: str
    start_year: int
    end_year: int
    flag: str
    provisional: bool


class ValueOut(Schema):
    la: str  # an authority's DfE code; for a region or England, LAIT's area number (970, 980 to 990)
    area_type: str  # 'la', 'region' (a region, or Inner or Outer London) or 'england'
    area_code: str  # the ONS code: E06..E10 an authority, E12/E13 a region, E92000001 England
    area_name: str
    period: str
    value: float | None
    status: str | None  # the publisher's marker ('c', 'x', ...) when the value is missing

    @staticmethod
    def resolve_la(obj):
        if obj.authority is not None:
            return obj.authority.code
        return selectors.LAIT_NUMBERS[obj.region.code if obj.region else ""]

    @staticmethod
    def resolve_area_code(obj):
        if obj.authority is not None:
            return obj.authority.ons_code
        return obj.region.code if obj.region else selectors.ENGLAND

    @staticmethod
    def resolve_area_name(obj):
        place = obj.authority or obj.region
        return place.name if place else "England"

    @staticmethod
    def resolve_period(obj):
        return obj.period.label

    @staticmethod
    def resolve_status(obj):
        return obj.status or None


class IndicatorRef(Schema):
    id: int
    slug: str
    code: str
    name: str


class ComparisonOut(Schema):
    indicator: IndicatorRef
    period: str
    value: float | None
    status: str | None
    rank: int | None  # 1 is the best (the highest where the indicator has no polarity)
    ranked: int  # how many current authorities have a value
    quartile: str | None  # A best .. D worst; null without polarity bands
    neighbours_2025: float | None
    neighbours_2025_count: int
    neighbours_2021: float | None
    neighbours_2021_count: int
    region_value: float | None
    region_basis: str | None  # 'published', or 'mean' of the region's authorities
    england_value: float | None
    england_basis: str | None
    change: float | None
    trend_3: str | None
    trend_5: str | None

    @staticmethod
    def resolve_period(obj):
        return obj.period.label

    @staticmethod
    def resolve_status(obj):
        return obj.status or None

    @staticmethod
    def resolve_quartile(obj):
        return obj.quartile or None

    @staticmethod
    def resolve_region_basis(obj):
        return obj.region_basis or None

    @staticmethod
    def resolve_england_basis(obj):
        return obj.england_basis or None

    @staticmethod
    def resolve_trend_3(obj):
        return obj.trend_3 or None

    @staticmethod
    def resolve_trend_5(obj):
        return obj.trend_5 or None


class IndicatorFilters(InputSchema):
    q: QueryText = ""
    theme: ThemeCode | None = None
    outcome: OutcomeCode | None = None
    source: QueryText = ""


@router.get("/indicators", response={200: list[IndicatorOut], **INVALID}, summary="List indicators")
@paginate(Pagination)
def list_indicators(request, filters: Query[IndicatorFilters]):
    """The catalogue: search name, code and definition with `q`; filter by `theme`, Every Child Matters
    `outcome` and `source` (`lait`, or a DfE tidy file's mapping such as `cla_rate`)."""
    return selectors.catalogue(
        q=filters.q, theme=filters.theme or "", outcome=filters.outcome or "", source=filters.source
    )


@router.get(
    "/indicators/{key}", response={200: IndicatorOut, **NOT_FOUND, **INVALID}, summary="One indicator"
)
def get_indicator(request, key: Code):
    """An indicator by its slug (`dfe-cla-rate-31-march`) or numeric id."""
    return selectors.indicator(key)


@router.get(
    "/indicators/{key}/periods",
    response={200: list[PeriodOut], **NOT_FOUND, **INVALID},
    summary="The periods with an indicator's values",
)
@paginate(Pagination)
def list_periods(request, key: Code):
    """Every period with a published value (an authority's, a region's or England's), latest first."""
    return selectors.value_periods(selectors.indicator(key))


class ValueFilters(InputSchema):
    period: QueryText = ""
    area: QueryText = ""
    la: QueryText = ""
    level: Literal[selectors.LEVELS] = "la"


@router.get(
    "/indicators/{key}/values",
    response={200: list[ValueOut], **NOT_FOUND, **INVALID},
    summary="An indicator's published values: authorities', regions' and England's",
)
@paginate(Pagination)
def list_values(request, key: Code, filters: Query[ValueFilters]):
    """Published values, oldest period first. A suppressed or missing cell has `value` null and the
    publisher's marker in `status` (`c`, `x`, `z`, `u`, `k`, `low`, `-`). Filter by `period` (a label
    from `/periods`) and by one area with `area` (or its synonym `la`): an authority's DfE or ONS code,
    a region's ONS code (`E12000007` London, `E13000001` Inner London), `E92000001` England, or LAIT's
    area number (`970` England, `980` to `990` the regions). Without an area, `level` chooses
    authorities (`la`, the default), `region`, `england`, or `all` of them."""
    indicator = selectors.indicator(key)
    if filters.area and filters.la and filters.area != filters.la:
        raise HttpError(422, "Give the area as area or la, not both.")
    chosen = selectors.period(filters.period) if filters.period else None
    if chosen is not None and not selectors.value_periods(indicator).filter(pk=chosen.pk).exists():
        raise Http404(f"{indicator.code} has no values for the period {chosen.label!r}.")
    code = filters.area or filters.la
    where = selectors.area(code) if code else None
    return selectors.values(indicator, period=chosen, area=where, level=filters.level)


@router.get(
    "/authorities/{code}/comparisons",
    response={200: list[ComparisonOut], **NOT_FOUND, **INVALID},
    summary="An authority's comparisons",
)
@paginate(Pagination)
def list_comparisons(request, code: Code, indicator: QueryText = "", period: QueryText = ""):
    """For each indicator and period with the authority's published value (suppressed ones too): its
    rank, quartile band, statistical neighbours' averages (both DfE models), region and England figures,
    change and trends. Filter by `indicator` (slug or id) and `period` (label)."""
    authority = places.authority(code)
    chosen = selectors.indicator(indicator) if indicator else None
    when = selectors.period(period) if period else None
    return selectors.comparisons(authority, indicator=chosen, period=when)
