"""A priority tracked over time from the progress-map data (the Comparison table, published data only).

For each indicator the priority names: the region's figure against England's for every period, the
change since the period current when the priority was agreed (the baseline: the latest period ending
in a year before the agreement, stats.tracking.baseline_index), and which of the region's councils
improved or worsened between the baseline and the latest period, in the direction of the indicator's
polarity (rose or fell where it has none).

Reads: the indicators, the region's current councils and their comparison rows for those indicators
(every period): three queries, whatever the number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slihub.alliances.models import Priority
from slihub.indicators import formatting
from slihub.indicators.models import Basis, Comparison, Indicator, Polarity
from slihub.places.models import Authority
from slihub.stats import tracking
from slihub.stats.comparison_charts import Series, time_series_svg

WORDS = {
    tracking.IMPROVED: "Improved",
    tracking.WORSENED: "Worsened",
    tracking.ROSE: "Rose",
    tracking.FELL: "Fell",
    tracking.UNCHANGED: "Unchanged",
}


@dataclass
class PeriodFigures:
    label: str
    region: float | None
    region_mean: bool  # the region's figure is the mean of its councils' values (none published)
    england: float | None
    region_text: str
    england_text: str


@dataclass
class CouncilMove:
    authority: Authority
    before: float
    after: float
    change: float
    direction: str
    before_text: str
    after_text: str
    change_text: str


@dataclass
class TrackedIndicator:
    indicator: Indicator
    periods: list[PeriodFigures]
    baseline: int | None  # index into periods
    latest: int | None
    region_change: float | None = None
    england_change: float | None = None
    region_direction: str | None = None
    moves: dict[str, list[CouncilMove]] = field(default_factory=dict)  # direction -> councils, largest first
    not_compared: list[Authority] = field(default_factory=list)  # no figure in one of the two periods
    chart: str = ""

    @property
    def has_polarity(self) -> bool:
        return self.indicator.polarity != Polarity.NONE

    @property
    def baseline_period(self) -> PeriodFigures | None:
        return None if self.baseline is None else self.periods[self.baseline]

    @property
    def latest_period(self) -> PeriodFigures | None:
        return None if self.latest is None else self.periods[self.latest]

    @property
    def compared(self) -> bool:
        """There is a baseline and a later period to compare it with."""
        return self.baseline is not None and self.latest is not None and self.latest > self.baseline

    def _change_text(self, value):
        unit = self.indicator.unit
        return formatting.change_text(value, self.indicator.decimal_places, unit) if value is not None else ""

    @property
    def region_change_text(self) -> str:
        return self._change_text(self.region_change)

    @property
    def england_change_text(self) -> str:
        return self._change_text(self.england_change)

    @property
    def region_direction_words(self) -> str:
        return WORDS.get(self.region_direction or "", "")

    @property
    def improved(self) -> list[CouncilMove]:
        return self.moves.get(tracking.IMPROVED if self.has_polarity else tracking.FELL, [])

    @property
    def worsened(self) -> list[CouncilMove]:
        return self.moves.get(tracking.WORSENED if self.has_polarity else tracking.ROSE, [])

    @property
    def unchanged(self) -> list[CouncilMove]:
        return self.moves.get(tracking.UNCHANGED, [])

    @property
    def y_label(self) -> str:
        unit = self.indicator.unit.strip()
        return unit or "Value"


_FIELDS = (
    "indicator_id",
    "authority_id",
    "period__label",
    "period__sort_key",
    "period__end_year",
    "value",
    "status",
    "region_value",
    "region_basis",
    "england_value",
    "england_basis",
)


def _text(indicator: Indicator, value: float | None, status: str = "") -> str:
    return formatting.value_text(value, status, indicator.decimal_places, indicator.unit)


def _series(indicator: Indicator, rows: list[tuple]) -> tuple[list[PeriodFigures], list[int], list[dict]]:
    """(the periods' region and England figures oldest first, their end years, each period's councils'
    (value, status) by authority id)."""
    by_period: dict[tuple[int, str], dict] = {}
    for row in rows:
        key = (row[3], row[2])
        entry = by_period.setdefault(
            key, {"end": row[4], "region": None, "mean": False, "england": None, "la": {}}
        )
        entry["la"][row[1]] = (row[5], row[6])
        if entry["region"] is None and row[8] and row[7] is not None:
            entry["region"], entry["mean"] = row[7], row[8] == Basis.MEAN
        if entry["england"] is None and row[10] and row[9] is not None:
            entry["england"] = row[9]
    periods, ends, councils = [], [], []
    for (_, label), entry in sorted(by_period.items()):
        periods.append(
            PeriodFigures(
                label=label,
                region=entry["region"],
                region_mean=entry["mean"],
                england=entry["england"],
                region_text=_text(indicator, entry["region"]) or "–",
                england_text=_text(indicator, entry["england"]) or "–",
            )
        )
        ends.append(entry["end"])
        councils.append(entry["la"])
    return periods, ends, councils


def _chart(tracked: TrackedIndicator, region_name: str) -> str:
    """The region's line against England's (the chart the authority and indicator page draws), with every
    figure and the period current when the priority was agreed in its description."""
    periods = tracked.periods
    region = ", ".join(f"{p.label}: {p.region_text}" for p in periods)
    england = ", ".join(f"{p.label}: {p.england_text}" for p in periods)
    agreed = tracked.baseline_period
    words = f"{region_name}: {region}. England: {england}. " + (
        f"When the priority was agreed, the latest period was {agreed.label}."
        if agreed
        else "No period ended before the priority was agreed."
    )
    return time_series_svg(
        [p.label for p in periods],
        [Series(region_name, [p.region for p in periods]), Series("England", [p.england for p in periods])],
        title=f"{tracked.indicator.name}: {region_name} against England",
        description=words,
        y_label=tracked.y_label,
        id_prefix=f"chart-{tracked.indicator.slug}",
    )


def _track(priority: Priority, indicator: Indicator, rows, authorities, region_name: str) -> TrackedIndicator:
    periods, ends, councils = _series(indicator, rows)
    baseline = tracking.baseline_index(ends, priority.agreed_on.year)
    latest = len(periods) - 1 if periods else None
    tracked = TrackedIndicator(indicator=indicator, periods=periods, baseline=baseline, latest=latest)
    if tracked.compared:
        first, last = periods[baseline], periods[latest]
        tracked.region_change = tracking.change(first.region, last.region)
        tracked.england_change = tracking.change(first.england, last.england)
        tracked.region_direction = tracking.direction(first.region, last.region, indicator.polarity)
        before, after = councils[baseline], councils[latest]
        pairs = [
            (a.code, before.get(a.id, (None, ""))[0], after.get(a.id, (None, ""))[0]) for a in authorities
        ]
        by_code = {a.code: a for a in authorities}
        moved = tracking.movers(pairs, indicator.polarity)
        tracked.moves = {
            way: [
                CouncilMove(
                    authority=by_code[m.key],
                    before=m.before,
                    after=m.after,
                    change=m.change,
                    direction=way,
                    before_text=_text(indicator, m.before),
                    after_text=_text(indicator, m.after),
                    change_text=tracked._change_text(m.change),
                )
                for m in moves
            ]
            for way, moves in moved.items()
        }
        seen = {m.key for moves in moved.values() for m in moves}
        tracked.not_compared = [a for a in authorities if a.code not in seen]
    if periods:
        tracked.chart = _chart(tracked, region_name)
    return tracked


def track(priority: Priority) -> tuple[list[TrackedIndicator], list[str]]:
    """(each loaded indicator of the priority, tracked; the slugs not loaded)."""
    alliance = priority.alliance
    slugs = list(priority.indicators or [])
    found = {i.slug: i for i in Indicator.objects.filter(slug__in=slugs)}
    indicators = [found[s] for s in slugs if s in found]
    authorities = list(
        Authority.objects.current()
        .filter(region_id=alliance.region_id)
        .order_by("name")
        .only("id", "code", "name")
    )
    rows_by: dict[int, list[tuple]] = {i.id: [] for i in indicators}
    if indicators and authorities:
        for row in (
            Comparison.objects.filter(authority__in=[a.id for a in authorities], indicator__in=list(rows_by))
            .values_list(*_FIELDS)
            .order_by()
        ):
            rows_by[row[0]].append(row)
    region_name = alliance.region.name
    tracked = [_track(priority, i, rows_by[i.id], authorities, region_name) for i in indicators]
    return tracked, [s for s in slugs if s not in found]
