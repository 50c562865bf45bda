"""Reads for the compare page (/compare/): authorities side by side, a small bar chart per indicator.

Everything is published data (the Comparison table, filled once per import): no user scoping. The
page reads the chosen authorities, the chosen indicators and their comparisons in one query each;
the one-action additions (the first authority's statistical neighbours, a whole region) one more
each. Saved comparator groups are in compare_groups.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from slihub.indicators.models import Comparison, Indicator, Trend
from slihub.indicators.profile_selectors import (
    Average,
    Figure,
    _indicator_urls,
    published_average,
)
from slihub.places.models import DEFAULT_NEIGHBOUR_MODEL, Authority, Region, StatisticalNeighbour
from slihub.stats import comparison_charts as charts

# London has 33 authorities: a whole region, plus a few others, fits.
MAX_AUTHORITIES = 40
MAX_INDICATORS = 30
CHART_WIDTH = 640.0
CHART_ROW = 20.0  # px per bar: compact, so that several charts fit on a screen

_TREND_LABELS = dict(Trend.choices)


@dataclass(frozen=True)
class CompareCell:
    authority: Authority
    figure: Figure  # text '' when the authority has no row in the period
    rank: int | None
    ranked: int
    quartile: str
    trend: str  # the three-period trend's label, '' when there is not enough data
    focus: bool = False  # the first authority chosen: highlighted in the chart and the table


@dataclass
class CompareRow:
    indicator: Indicator
    url: str
    period: str  # the latest period in which any chosen authority has a figure ('' if none has)
    cells: list[CompareCell]  # in the order chosen
    england: Average
    england_value: float | None = None
    chart: str = ""
    remove_url: str = ""  # the page without this indicator (set by the view)

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.id}"

    @property
    def ranked_cells(self) -> list[CompareCell]:
        """Highest figure first, then those without a figure, as the chart draws them."""
        with_value = sorted(
            (c for c in self.cells if c.figure.value is not None), key=lambda c: -c.figure.value
        )
        return with_value + [c for c in self.cells if c.figure.value is None]


@dataclass(frozen=True)
class Additions:
    """The one-action additions offered for the first authority chosen."""

    authority: Authority
    neighbours: list[Authority] = field(default_factory=list)  # DfE's May 2025 model, by rank
    region: Region | None = None
    region_members: list[Authority] = field(default_factory=list)


def neighbours_of(authority: Authority) -> list[Authority]:
    links = (
        StatisticalNeighbour.objects.filter(authority=authority, model=DEFAULT_NEIGHBOUR_MODEL)
        .select_related("neighbour__region")
        .order_by("rank")
    )
    return [link.neighbour for link in links if link.neighbour.is_current]


def region_members(region: Region) -> list[Authority]:
    return list(Authority.objects.current().filter(region=region).select_related("region").order_by("name"))


def additions(authority: Authority) -> Additions:
    return Additions(authority, neighbours_of(authority), authority.region, region_members(authority.region))


def regions() -> list[Region]:
    """England's nine regions, for 'add a whole region'."""
    return list(Region.objects.filter(parent=None).order_by("name"))


def region_by_key(key: str) -> Region | None:
    key = key.replace("\x00", "").strip()
    if not key:
        return None
    return Region.objects.filter(parent=None).filter(slug=key.lower()).first() or (
        Region.objects.filter(parent=None, code=key.upper()).first()
    )


def _chart(row: CompareRow) -> str:
    indicator = row.indicator
    unit = indicator.unit or "Value"
    ranked = row.ranked_cells
    bars = [
        charts.Bar(
            cell.authority.name,
            cell.figure.value,
            cell.figure.text or "no figure",
            "focus" if cell.focus else "authority",
        )
        for cell in ranked
    ]
    spoken = "; ".join(
        f"{cell.authority.name}{' (highlighted)' if cell.focus else ''} {cell.figure.spoken}"
        for cell in ranked
    )
    england = f" England {row.england.text}, the dashed line." if row.england_value is not None else ""
    reference = None if row.england_value is None else (f"England {row.england.text}", row.england_value)
    svg = charts.bar_svg(
        bars,
        title=f"{indicator.name}, {row.period}",
        description=f"{unit}, highest first: {spoken}.{england}",
        x_label=unit,
        id_prefix=f"chart-{indicator.id}",
        width=CHART_WIDTH,
        row=CHART_ROW,
        reference=reference,
    )
    return mark_safe(svg)  # noqa: S308 - comparison_charts escapes every text it writes


def compare(authorities: Sequence[Authority], indicators: Sequence[Indicator]) -> list[CompareRow]:
    """Each indicator's latest figures for the authorities, with England and a bar chart: one query."""
    rows_by: dict[int, list[tuple]] = defaultdict(list)
    if authorities and indicators:
        found = Comparison.objects.filter(
            authority__in=[a.id for a in authorities], indicator__in=[i.id for i in indicators]
        ).values_list(
            "indicator_id",
            "authority_id",
            "period__label",
            "period__sort_key",
            "value",
            "status",
            "rank",
            "ranked",
            "quartile",
            "trend_3",
            "england_value",
            "england_basis",
        )
        for row in found:
            rows_by[row[0]].append(row)
    out = []
    indicator_url = _indicator_urls()
    focus_id = authorities[0].id if authorities else None
    for indicator in indicators:
        places = indicator.decimal_places
        rows = rows_by.get(indicator.id, [])
        period, england, england_value, in_period = "", Average(""), None, {}
        if rows:
            latest_key = max((r[3], r[2]) for r in rows)
            period = latest_key[1]
            in_period = {r[1]: r for r in rows if (r[3], r[2]) == latest_key}
            sample = next(iter(in_period.values()))
            england = published_average(sample[10], sample[11], places, "England")
            england_value = sample[10]
        cells = []
        for authority in authorities:
            row = in_period.get(authority.id)
            focus = authority.id == focus_id
            if row is None:
                cells.append(CompareCell(authority, Figure(None, ""), None, 0, "", "", focus))
                continue
            cells.append(
                CompareCell(
                    authority,
                    Figure.of(row[4], row[5], places),
                    row[6],
                    row[7],
                    row[8],
                    _TREND_LABELS.get(row[9], "") if row[9] else "",
                    focus,
                )
            )
        compared = CompareRow(indicator, indicator_url(indicator.slug), period, cells, england, england_value)
        if rows:
            compared.chart = _chart(compared)
        out.append(compared)
    return out
