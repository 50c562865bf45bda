"""Reads of a paired indicator (series.PAIRS) as one series: its own cells, its DfE twin's for the
years it lacks, each point naming its publisher."""

from __future__ import annotations

from collections.abc import Iterable

from slihub.indicators.models import AreaType, Indicator, Value
from slihub.indicators.series import PAIRS, Point, source_name, stitch


def partner(indicator: Indicator) -> Indicator | None:
    """DfE's indicator of the same statistic, when the hub holds it (one query; none for other indicators)."""
    code = PAIRS.get(indicator.code)
    return Indicator.objects.filter(code=code).first() if code else None


def _by_year(rows: Iterable[tuple]) -> dict[int, tuple]:
    found: dict[int, tuple] = {}
    for row in rows:  # ordered by period: a later release of the same year (revised, final) wins
        found[row[1]] = row
    return found


def area_series(
    indicator: Indicator,
    *,
    area_type: str = AreaType.AUTHORITY,
    authority_id: int | None = None,
    region_id: int | None = None,
) -> list[Point]:
    """One series of an area (an authority, a region or England), oldest first: the indicator's own
    cells, with its DfE twin's cells for the years it lacks. Two queries for a paired indicator."""
    twin = partner(indicator)
    ids = [indicator.id] + ([twin.id] if twin else [])
    rows = Value.objects.filter(indicator_id__in=ids, area_type=area_type)
    if area_type == AreaType.AUTHORITY:
        rows = rows.filter(authority_id=authority_id)
    elif area_type == AreaType.REGION:
        rows = rows.filter(region_id=region_id)
    rows = rows.order_by("period__sort_key").values_list(
        "indicator_id", "period__end_year", "period__label", "value", "status"
    )
    own, theirs = [], []
    for row in rows:
        (own if row[0] == indicator.id else theirs).append(row)
    stitched = stitch(_by_year(own), _by_year(theirs))
    names = {
        indicator.id: source_name(indicator.source),
        **({twin.id: source_name(twin.source)} if twin else {}),
    }
    return [
        Point(label, year, value, status, names[indicator_id])
        for (indicator_id, year, label, value, status), _ in stitched.values()
    ]
