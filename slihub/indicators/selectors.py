"""Reads of the indicator bank for the catalogue, the progress maps, their downloads and the API.

Everything here is published data: no user scoping. The map page reads the precomputed
Comparison rows of one indicator and period (one query) and the current authorities (one
query); nothing is ranked or averaged per request except the value quartiles of an indicator
without polarity bands, a percentile of 153 numbers.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Q, QuerySet, When
from django.http import Http404

from slihub.indicators import formatting, markers
from slihub.indicators.importers import ENGLAND, LAIT_AREAS
from slihub.indicators.models import AreaType, Comparison, Indicator, Period, Value
from slihub.places.models import Authority, Region
from slihub.stats import benchmarks


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()  # PostgreSQL refuses NUL characters in text


def catalogue(*, q: str = "", theme: str = "", outcome: str = "", source: str = "") -> QuerySet[Indicator]:
    """Indicators matching a search of name, code and description, filtered by theme, outcome and source."""
    found = Indicator.objects.all()
    term = _clean(q)
    if term:
        found = found.filter(
            Q(name__icontains=term)
            | Q(code__icontains=term)
            | Q(short_name__icontains=term)
            | Q(description__icontains=term)
        )
    if theme:
        found = found.filter(theme=theme)
    if outcome:
        found = found.filter(outcome=outcome)
    if source:
        found = found.filter(source=_clean(source))
    return found


def sources() -> list[str]:
    """The sources of the bank: 'lait' and the tidy mappings' names."""
    return list(Indicator.objects.order_by("source").values_list("source", flat=True).distinct())


def indicator(key: str) -> Indicator:
    """The indicator with this slug (or numeric id), or 404."""
    key = _clean(str(key))
    query = Q(slug=key) | Q(id=int(key)) if key.isascii() and key.isdigit() and len(key) < 18 else Q(slug=key)
    found = Indicator.objects.filter(query).first()
    if found is None:
        raise Http404(f"No indicator has the slug or id {key!r}.")
    return found


def map_periods(indicator: Indicator) -> list[Period]:
    """The periods with authorities' values (Comparison rows) for this indicator, latest first."""
    ids = Comparison.objects.filter(indicator=indicator).values("period_id")
    return list(Period.objects.filter(id__in=ids).order_by("-sort_key", "-label"))


def value_periods(indicator: Indicator) -> QuerySet[Period]:
    """The periods with a published value (authority, region or England) of this indicator, latest first."""
    ids = Value.objects.filter(indicator=indicator).values("period_id")
    return Period.objects.filter(id__in=ids).order_by("-sort_key", "-label")


def period(label: str) -> Period:
    found = None if "\x00" in label else Period.objects.filter(label=label.strip()).first()
    if found is None:
        raise Http404(f"No period is labelled {label!r}.")
    return found


# ------------------------------------------------------------------ the map table

SORT_KEYS = ("name", "region", "value", "rank", "band", "neighbours", "change", "trend")


@dataclass
class MapRow:
    authority: Authority
    value: float | None = None
    status: str = ""
    published: bool = False  # False: no cell at all for this authority and period
    rank: int | None = None
    ranked: int = 0
    band: str = ""  # the Comparison's band: A best .. D worst; '' without polarity bands
    quarter: str = ""  # the map's colour: the band, or without bands the quarter of the values
    neighbours: float | None = None
    neighbours_count: int = 0
    neighbours_2021: float | None = None
    region_value: float | None = None
    england_value: float | None = None
    change: float | None = None
    trend_3: str = ""
    trend_5: str = ""


@dataclass
class AreaSummary:
    name: str
    code: str
    value: float | None
    basis: str  # 'published', 'mean' or ''


@dataclass
class MapTable:
    indicator: Indicator
    period: Period
    rows: list[MapRow]
    by_polarity: bool  # bands A-D from polarity; else value quartiles (no better/worse)
    england: AreaSummary | None = None
    regions: list[AreaSummary] = field(default_factory=list)
    change_from: str = ""  # the period the change is measured from ('' in the first period)
    trend_periods: list[str] = field(default_factory=list)  # the 3-period trend's window, oldest first

    @property
    def markers(self) -> list[tuple[str, str]]:
        """The markers shown in the table, with their meanings."""
        shown = sorted({row.status for row in self.rows if row.status})
        return [(marker, markers.describe(marker)) for marker in shown]

    def band_label(self, band: str) -> str:
        """A colour of the map's key (a band, or a quarter of the values)."""
        return formatting.band_label(band, self.by_polarity)

    def band_text(self, row: "MapRow") -> str:
        """The row's band in the words of the profile and the authority's page ('No band' without)."""
        return formatting.band_text(row.band, self.indicator.polarity, self.indicator.quartiles)

    @property
    def change_words(self) -> str:
        if not self.change_from:
            return f"none, {self.period.label} is the first period"
        return f"from {self.change_from} to {self.period.label}"

    @property
    def trend_words(self) -> str:
        if len(self.trend_periods) < 3:
            return f"over three periods (not enough before {self.period.label})"
        return f"over the three periods {formatting.periods_text(self.trend_periods)}"


COMPARISON_FIELDS = (
    "authority_id",
    "value",
    "status",
    "rank",
    "ranked",
    "quartile",
    "neighbours_2025",
    "neighbours_2025_count",
    "neighbours_2021",
    "region_value",
    "region_basis",
    "england_value",
    "england_basis",
    "change",
    "trend_3",
    "trend_5",
)


def period_window(periods: list[Period], period: Period) -> tuple[str, list[str]]:
    """The period a change is measured from and the 3-period trend's window (oldest first), from the
    indicator's periods (latest first)."""
    at = periods.index(period)
    change_from = periods[at + 1].label if at + 1 < len(periods) else ""
    return change_from, [p.label for p in reversed(periods[at : at + 3])]


def map_table(indicator: Indicator, period: Period, periods: list[Period] | None = None) -> MapTable:
    """Every current authority with its comparison row for this indicator and period (two queries).

    With the indicator's periods (latest first), the table names those its change and trend cover."""
    authorities = list(Authority.objects.current().select_related("region").order_by("name"))
    found = {
        row["authority_id"]: row
        for row in Comparison.objects.filter(indicator=indicator, period=period).values(*COMPARISON_FIELDS)
    }
    by_polarity = indicator.quartiles and indicator.polarity in ("high", "low")
    rows, regions, england = [], {}, None
    for authority in authorities:
        data = found.get(authority.id)
        if data is None:
            rows.append(MapRow(authority=authority))
            continue
        rows.append(
            MapRow(
                authority=authority,
                value=data["value"],
                status=data["status"],
                published=True,
                rank=data["rank"],
                ranked=data["ranked"],
                band=data["quartile"],
                quarter=data["quartile"] if by_polarity else "",
                neighbours=data["neighbours_2025"],
                neighbours_count=data["neighbours_2025_count"],
                neighbours_2021=data["neighbours_2021"],
                region_value=data["region_value"],
                england_value=data["england_value"],
                change=data["change"],
                trend_3=data["trend_3"],
                trend_5=data["trend_5"],
            )
        )
        region = authority.region
        if region.code not in regions and data["region_basis"]:
            regions[region.code] = AreaSummary(
                region.name, region.code, data["region_value"], data["region_basis"]
            )
        if england is None and data["england_basis"]:
            england = AreaSummary("England", "E92000001", data["england_value"], data["england_basis"])
    if not by_polarity:
        bands = benchmarks.quartile_bands([row.value for row in rows], "high")
        for row, band in zip(rows, bands, strict=True):
            row.quarter = band
    change_from, trend_periods = period_window(periods, period) if periods else ("", [])
    return MapTable(
        indicator=indicator,
        period=period,
        rows=rows,
        by_polarity=by_polarity,
        england=england,
        regions=sorted(regions.values(), key=lambda r: r.name),
        change_from=change_from,
        trend_periods=trend_periods,
    )


_BAND_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


def sort_rows(rows: list[MapRow], key: str, descending: bool = False) -> list[MapRow]:
    """Rows sorted on one column; rows with nothing in that column always come last."""
    getters = {
        "name": lambda r: r.authority.name.lower(),
        "region": lambda r: (r.authority.region.name, r.authority.name.lower()),
        "value": lambda r: r.value,
        "rank": lambda r: r.rank,
        "band": lambda r: _BAND_ORDER.get(r.band),
        "neighbours": lambda r: r.neighbours,
        "change": lambda r: r.change,
        "trend": lambda r: r.trend_3 or None,
    }
    get = getters[key]
    present = [r for r in rows if get(r) is not None]
    missing = [r for r in rows if get(r) is None]
    by_name = sorted(present, key=lambda r: r.authority.name.lower())
    return sorted(by_name, key=get, reverse=descending) + sorted(missing, key=lambda r: r.authority.name)


# ------------------------------------------------------------------ the API and the tidy export


# LAIT's area numbers for England and the regions (970, 980 to 990), by ONS code ('' is England).
LAIT_NUMBERS = {code: str(number) for number, (code, _) in LAIT_AREAS.items()}
AREA_CODES_HELP = (
    "give an authority's DfE or ONS code, a region's ONS code (E12..., E13... for Inner or Outer "
    f"London), {ENGLAND} for England, or LAIT's area number (970 England, 980 to 990 the regions)"
)


@dataclass(frozen=True)
class Area:
    """Where a published value is for: an authority, a region (or Inner/Outer London), or England."""

    area_type: str  # AreaType
    authority: Authority | None = None
    region: Region | None = None


def area(code: str) -> Area:
    """The area a code names: an authority (DfE, ONS or former ONS code), a region (ONS code),
    England (E92000001), or one of LAIT's area numbers (970 England, 980 to 990); 404 if none."""
    text = code.strip().upper()
    if "\x00" in text:  # PostgreSQL refuses NUL characters in text; no code has one
        text = ""
    if text.isdigit() and int(text) in LAIT_AREAS:
        text = LAIT_AREAS[int(text)][0] or ENGLAND
    if text == ENGLAND:
        return Area(AreaType.ENGLAND)
    if text:
        region = Region.objects.filter(code=text).first()
        if region is not None:
            return Area(AreaType.REGION, region=region)
        try:
            return Area(AreaType.AUTHORITY, authority=Authority.objects.by_code(text))
        except Authority.DoesNotExist:
            pass
    raise Http404(f"No area has the code {code!r}: {AREA_CODES_HELP}.")


LEVELS = ("la", "region", "england", "all")  # the `level` of the values API: area types, or all


def values(
    indicator: Indicator,
    *,
    period: Period | None = None,
    authority: Authority | None = None,
    area: Area | None = None,
    level: str = AreaType.AUTHORITY,
):
    """An indicator's published values, oldest period first; within a period England, then the
    regions, then the authorities by DfE code. `area` chooses one area's series; else `level` one
    type of area (authorities by default) or 'all'."""
    if authority is not None:
        area = Area(AreaType.AUTHORITY, authority=authority)
    found = Value.objects.filter(indicator=indicator)
    if period is not None:
        found = found.filter(period=period)
    if area is not None:
        found = found.filter(area_type=area.area_type, authority=area.authority, region=area.region)
    elif level != "all":
        found = found.filter(area_type=level)
    order = Case(
        When(area_type=AreaType.ENGLAND, then=models.Value(0)),
        When(area_type=AreaType.REGION, then=models.Value(1)),
        default=models.Value(2),
    )
    return found.select_related("period", "authority", "region").order_by(
        "period__sort_key", order, "region__code", "authority__code"
    )


def tidy_values(indicator: Indicator) -> QuerySet[Value]:
    """Every published value of an indicator (England, regions, authorities) in DfE's tidy order."""
    return (
        Value.objects.filter(indicator=indicator)
        .select_related("period", "region", "authority", "authority__region")
        .order_by("period__sort_key", "period__label", "authority__code", "region__code")
    )


def comparisons(
    authority: Authority, *, indicator: Indicator | None = None, period: Period | None = None
) -> QuerySet[Comparison]:
    found = Comparison.objects.filter(authority=authority)
    if indicator is not None:
        found = found.filter(indicator=indicator)
    if period is not None:
        found = found.filter(period=period)
    return found.select_related("indicator", "period").order_by("indicator__name", "period__sort_key")
