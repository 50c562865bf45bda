"""Reads for one authority and one indicator (/authorities/<code>/indicators/<slug>/).

Everything comes from the Comparison rows the importer derives once per load (values, the
neighbours', region's and England's averages, rank, band, change, trends): the authority's rows
of the indicator in one query, the indicator's periods in a second, its ten statistical
neighbours in a third and their figures in the latest period in a fourth. Nothing is ranked or
averaged per request. All of it is published data: no user scoping is needed.

A LAIT indicator with a DfE twin (series.PAIRS) is one series: LAIT's periods, then DfE's rows for
the years LAIT does not hold yet, each row naming its publisher (one more query, for the twin).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.safestring import mark_safe

from slihub.indicators import formatting, selectors, series, series_selectors
from slihub.indicators.models import Comparison, Indicator, Period, Polarity, Trend, Value
from slihub.indicators.profile_selectors import Average, Figure, format_number, published_average
from slihub.places import selectors as places
from slihub.places.models import DEFAULT_NEIGHBOUR_MODEL, Authority
from slihub.stats import comparison_charts as charts

_TREND_LABELS = dict(Trend.choices)
_FIELDS = (
    "period_id",
    "value",
    "status",
    "neighbours_2025",
    "neighbours_2025_count",
    "region_value",
    "region_basis",
    "england_value",
    "england_basis",
    "rank",
    "ranked",
    "quartile",
    "change",
    "trend_3",
    "trend_5",
)


def url(code: str, slug: str) -> str:
    return reverse("authority-indicator", args=[code, slug])


def url_pattern() -> tuple[str, str, str]:
    """The page's address with placeholders, to fill in per row without reversing each time."""
    return reverse("authority-indicator", args=["CODE", "indicator-slug"]), "CODE", "indicator-slug"


@dataclass(frozen=True)
class PeriodRow:
    """One period of the time series: the authority's figure beside its comparators'."""

    period: str
    figure: Figure  # text '' when the authority has no cell in this period
    neighbours: Average
    neighbours_value: float | None
    region: Average
    region_value: float | None
    england: Average
    england_value: float | None
    rank: int | None
    ranked: int
    band: str
    change: str
    change_value: float | None = None
    source: str = ""  # the publisher of this period's figures: series.LAIT or series.DFE


@dataclass(frozen=True)
class NeighbourRow:
    name: str
    code: str
    kind: str  # 'focus', 'authority' or 'area'
    figure: Figure
    rank: int | None = None
    ranked: int = 0
    band: str = ""
    url: str = ""


@dataclass
class AuthorityIndicator:
    authority: Authority
    indicator: Indicator
    rows: list[PeriodRow]  # oldest first
    latest: PeriodRow | None
    neighbours: list[NeighbourRow] = field(default_factory=list)  # the bar chart's rows, in its order
    statements: list[tuple[str, str]] = field(default_factory=list)  # (what, in words)
    suppressed: list[PeriodRow] = field(default_factory=list)  # the authority's periods with a marker
    sources: str = ""  # which periods come from which publisher, when a DfE twin fills some
    time_chart: str = ""
    bar_chart: str = ""

    @property
    def unit_suffix(self) -> str:
        unit = self.indicator.unit
        return f" ({unit})" if unit else ""


def _band_sentence(indicator: Indicator, quartile: str, period: str) -> str:
    if quartile:
        return (
            f"Band {quartile}: the {formatting.POLARITY_BANDS[quartile].split(': ', 1)[1]} of authorities "
            f"in {period} (A is the best quarter, D the worst)."
        )
    reason = formatting.no_band_reason(indicator.polarity, indicator.quartiles)  # as the map says it
    if reason:
        return f"{reason}."
    return f"No band in {period}: {indicator.name} has no figure for the authority."


def _rank_sentence(indicator: Indicator, rank: int | None, ranked: int, period: str) -> str:
    if not rank:
        return f"Not ranked in {period}: no figure for the authority."
    order = {
        Polarity.HIGH: "1 is the highest, and higher is better",
        Polarity.LOW: "1 is the lowest, and lower is better",
    }.get(indicator.polarity, "1 is the highest; higher is neither better nor worse")
    return f"{rank} of {ranked} authorities with a figure in {period} ({order})."


def _change_sentence(indicator: Indicator, change: float | None, previous: str, period: str) -> str:
    if not previous:
        return f"No change to show: {period} is the first period published."
    if change is None:
        return f"No change from {previous} to {period}: a figure is missing or suppressed."
    size = formatting.number(abs(change), indicator.decimal_places)
    if float(size.replace(",", "")) == 0:
        return f"No change from {previous} to {period}."
    text = size + (" points" if formatting.is_percent(indicator.unit) else "")
    direction = "Up" if change > 0 else "Down"
    judged = ""
    if indicator.polarity in (Polarity.HIGH, Polarity.LOW):
        better = (change > 0) == (indicator.polarity == Polarity.HIGH)
        judged = f", which is {'better' if better else 'worse'}"
    return f"{direction} {text} from {previous} to {period}{judged}."


def _periods_text(labels: list[str]) -> str:
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else "".join(labels)


def _trend_sentence(trend: str, window: list[str], size: int) -> str:
    if len(window) < size:
        return f"Not enough periods for a trend over {size} periods: only {len(window)} published."
    if not trend:
        return f"No trend over the {size} periods {_periods_text(window)}: a figure is missing or suppressed."
    return f"{_TREND_LABELS[trend]} over the {size} periods {_periods_text(window)}."


def _period_row(indicator: Indicator, label: str, data: dict | None, source: str = "") -> PeriodRow:
    dp = indicator.decimal_places
    if data is None:
        empty = Average("")
        return PeriodRow(
            label, Figure(None, ""), empty, None, empty, None, empty, None, None, 0, "", "", source=source
        )
    count = data["neighbours_2025_count"]
    return PeriodRow(
        period=label,
        figure=Figure.of(data["value"], data["status"], dp),
        neighbours=Average(
            format_number(data["neighbours_2025"], dp, average=True),
            f"mean of {count} neighbour{'' if count == 1 else 's'}" if count else "",
        ),
        neighbours_value=data["neighbours_2025"],
        region=published_average(data["region_value"], data["region_basis"], dp, "the region"),
        region_value=data["region_value"],
        england=published_average(data["england_value"], data["england_basis"], dp, "England"),
        england_value=data["england_value"],
        rank=data["rank"],
        ranked=data["ranked"],
        band=data["quartile"],
        change=formatting.change_text(data["change"], dp, indicator.unit),
        change_value=data["change"],
        source=source,
    )


def _neighbour_rows(
    authority: Authority, indicator: Indicator, latest: PeriodRow, period_id: int, read_id: int
):
    """The authority and its ten neighbours in the latest period, highest first, then region and England;
    their figures read from indicator `read_id` (the DfE twin when the latest period is DfE's)."""
    links = places.neighbours(authority, DEFAULT_NEIGHBOUR_MODEL)
    members = [authority, *(link.neighbour for link in links)]
    found = {
        row["authority_id"]: row
        for row in Comparison.objects.filter(
            indicator_id=read_id, period_id=period_id, authority__in=[a.id for a in members]
        ).values("authority_id", "value", "status", "rank", "ranked", "quartile")
    }
    pattern, code_key, slug_key = url_pattern()
    rows = []
    for member in members:
        data = found.get(member.id)
        figure = (
            Figure.of(data["value"], data["status"], indicator.decimal_places) if data else Figure(None, "")
        )
        rows.append(
            NeighbourRow(
                name=member.name,
                code=member.code,
                kind="focus" if member.id == authority.id else "authority",
                figure=figure,
                rank=data and data["rank"],
                ranked=data["ranked"] if data else 0,
                band=data["quartile"] if data else "",
                url=pattern.replace(code_key, member.code).replace(slug_key, indicator.slug),
            )
        )
    rows.sort(key=lambda r: (r.figure.value is None, -(r.figure.value or 0.0), r.name))
    areas = [(authority.region.name, authority.region.code, latest.region_value, latest.region)]
    areas.append(("England", "E92000001", latest.england_value, latest.england))
    for name, code, value, average in areas:
        figure = Figure(value, average.text) if average.text else Figure(None, "")
        rows.append(NeighbourRow(name=name, code=code, kind="area", figure=figure))
    return rows


def _stitched_periods(indicator: Indicator, twin: Indicator | None) -> list[tuple[Period, int]]:
    """(period, indicator id to read it from), oldest first: the indicator's own periods, then the
    twin's periods of the years it does not hold. A year the indicator holds is never filled, even
    where this authority's cell is suppressed or missing: the publisher's marker stays the figure."""
    if twin is None:
        return [(p, indicator.id) for p in reversed(selectors.value_periods(indicator))]
    periods = (
        Period.objects.filter(
            id__in=Value.objects.filter(indicator__in=[indicator, twin]).values("period_id")
        )
        .annotate(own=Exists(Value.objects.filter(indicator=indicator, period=OuterRef("pk"))))
        .order_by("sort_key", "label")
    )
    own_years = {p.end_year for p in periods if p.own}
    return [(p, indicator.id if p.own else twin.id) for p in periods if p.own or p.end_year not in own_years]


def authority_indicator(code: str, slug: str) -> AuthorityIndicator:
    """The page's figures, sentences and charts; 404 for an unknown authority or indicator."""
    authority = places.authority(code)
    indicator = selectors.indicator(slug)
    twin = series_selectors.partner(indicator)
    names = {i.id: series.source_name(i.source) for i in (indicator, twin) if i}
    found = {
        (row["indicator_id"], row["period_id"]): row
        for row in Comparison.objects.filter(authority=authority, indicator_id__in=list(names)).values(
            "indicator_id", *_FIELDS
        )
    }
    periods = _stitched_periods(indicator, twin)
    held = [i for i, (p, read_id) in enumerate(periods) if (read_id, p.id) in found]
    periods = periods[held[0] : held[-1] + 1] if held else []
    rows = [
        _period_row(indicator, p.label, found.get((read_id, p.id)), names[read_id]) for p, read_id in periods
    ]
    page = AuthorityIndicator(authority, indicator, rows, rows[-1] if rows else None)
    if not rows:
        return page
    latest, labels = rows[-1], [p.label for p, _ in periods]
    latest_period, latest_read = periods[-1]
    data = found[(latest_read, latest_period.id)]
    if any(read_id != indicator.id for _, read_id in periods):
        page.sources = series.sources_text((r.period, r.source) for r in rows)
    page.suppressed = [r for r in rows if r.figure.marker]
    page.neighbours = _neighbour_rows(authority, indicator, latest, latest_period.id, latest_read)
    previous = labels[-2] if len(labels) > 1 else ""
    page.statements = [
        (
            "Latest figure",
            f"{latest.figure.spoken if latest.figure.marker else latest.figure.text} in {latest.period}.",
        ),
        ("Rank", _rank_sentence(indicator, latest.rank, latest.ranked, latest.period)),
        ("Band", _band_sentence(indicator, latest.band, latest.period)),
        ("Change", _change_sentence(indicator, data["change"], previous, latest.period)),
        ("Trend over 3 periods", _trend_sentence(data["trend_3"], labels[-3:], 3)),
        ("Trend over 5 periods", _trend_sentence(data["trend_5"], labels[-5:], 5)),
    ]
    page.time_chart = _time_chart(page, labels)
    page.bar_chart = _bar_chart(page)
    return page


def _time_chart(page: AuthorityIndicator, labels: list[str]) -> str:
    authority, indicator, rows = page.authority, page.indicator, page.rows
    series = [
        charts.Series(authority.name, [r.figure.value for r in rows]),
        charts.Series("Statistical neighbours' average", [r.neighbours_value for r in rows]),
        charts.Series(authority.region.name, [r.region_value for r in rows]),
        charts.Series("England", [r.england_value for r in rows]),
    ]
    gaps = (
        f" {len(page.suppressed)} of its figures are suppressed or missing: gaps in its line."
        if page.suppressed
        else ""
    )
    # Safe: time_series_svg escapes every text it puts in the SVG.
    return mark_safe(
        charts.time_series_svg(
            labels,
            series,
            title=f"{indicator.name}: {authority.name} against its statistical neighbours' average, "
            f"{authority.region.name} and England, {labels[0]} to {labels[-1]}",
            description=f"A line for each, one point per period.{gaps} The table below gives every figure.",
            y_label=indicator.unit or "Value",
            markers=[r.figure.marker for r in rows],
            id_prefix="time-series",
        )
    )


def _bar_chart(page: AuthorityIndicator) -> str:
    authority, indicator, latest = page.authority, page.indicator, page.latest
    bars = [charts.Bar(r.name, r.figure.value, r.figure.text, r.kind) for r in page.neighbours]
    return mark_safe(
        charts.bar_svg(
            bars,
            title=f"{indicator.name}, {latest.period}: {authority.name} (marked with an arrow) and its ten "
            f"statistical neighbours, highest first, then {authority.region.name} and England",
            description="A bar for each area; an area without a figure shows its marker instead. "
            "The table below gives every figure.",
            x_label=indicator.unit or "Value",
            id_prefix="neighbour-bars",
        )
    )
