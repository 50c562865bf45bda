"""The concentration and polarisation watch (reads): nationally or for one region, per year April to
March, how concentrated support between councils is; how far apart the best and worst quarters of
councils are on the headline indicators; how often councils change their director of children's services.

Who sees what:
- the headline-indicator gap is published data: everyone, signed in or not;
- the support and director figures (totals, shares, Gini, counts) are for signed-in council, chief
  executive and lead member, alliance and national users (`can_see_aggregates`);
- which councils gave or received support, and their days, only national admins and, for their own
  region's councils, its coordinators (`names_visible`).

Everything is read in a handful of aggregated queries (values_list), never one per council.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.alliances.models import DirectorAppointment, SupportAgreement, support_year
from slihub.indicators import formatting, headline
from slihub.indicators.models import Comparison, Indicator, Period, Polarity
from slihub.places import releases
from slihub.places.models import Authority, Region
from slihub.stats.concentration import direction, gini, quartile_gap, top_share

TOP_SHARE = 0.1  # the top 10% of councils by support days given
DIRECTOR_YEARS = 5  # the window for counting directors' changes
MANY_CHANGES = 3  # councils with this many appointments or more in the window are listed
GAP_PERIODS = 8  # the latest periods of each indicator shown in the gap charts


def can_see_aggregates(user) -> bool:
    scope = scope_of(user)
    return bool(scope.national or scope.member_of or scope.leads or scope.coordinates)


def names_visible(user, region_id: int) -> bool:
    """May the user see which of this region's councils gave or received support, and how much?"""
    scope = scope_of(user)
    return scope.national or region_id in scope.coordinates


def year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


def short_year(year: int) -> str:
    return f"{year} to {str(year + 1)[-2:]}"


@dataclass
class SupportYear:
    year: int
    councils: int  # the area's councils, all of them counted in the share and the Gini
    days: int = 0  # support days given by the area's councils (agreements not cancelled)
    given: dict[int, int] = field(default_factory=dict)  # authority id -> days given
    received: dict[int, int] = field(default_factory=dict)  # authority id -> days received
    both: list[Authority] = field(default_factory=list)  # gave and received support this year

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def short_label(self) -> str:
        return short_year(self.year)

    @property
    def supporters(self) -> int:
        return sum(1 for days in self.given.values() if days > 0)

    def _spread(self) -> list[int]:
        # Every council of the area, zeros included: the measures describe the whole area.
        return list(self.given.values()) + [0] * (self.councils - len(self.given))

    @property
    def top_share(self) -> float | None:
        return top_share(self._spread(), TOP_SHARE) if self.days else None

    @property
    def gini(self) -> float | None:
        return gini(self._spread()) if self.days else None

    @property
    def top_count(self) -> int:
        """How many councils make the top 10%: a tenth of the area's councils, rounded up."""
        return max(1, -(-self.councils // 10))


@dataclass
class GapPoint:
    period: str
    councils: int
    per_quarter: int
    best: str  # formatted like the indicator's published values
    worst: str
    gap: float
    gap_text: str


@dataclass
class GapIndicator:
    indicator: Indicator
    points: list[GapPoint]  # oldest first: of the latest GAP_PERIODS periods, those with four figures or more
    area: str = ""  # the national framework's outcome or enabler it belongs to

    @property
    def direction(self) -> str:
        if len(self.points) < 2:
            return ""
        return direction(self.points[0].gap, self.points[-1].gap)

    @property
    def first(self) -> GapPoint | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> GapPoint | None:
        return self.points[-1] if self.points else None


@dataclass
class DirectorCount:
    authority: Authority
    permanent: int
    interim: int

    @property
    def total(self) -> int:
        return self.permanent + self.interim


@dataclass
class Directors:
    since: date  # appointments starting after this day and up to today count
    councils_recorded: int  # area's councils with any appointment recorded, at any date
    councils: int
    permanent: int
    interim: int
    counts: list[DirectorCount]  # councils with any appointment in the window, most first
    many: list[DirectorCount]  # those with MANY_CHANGES or more


@dataclass
class Watch:
    region: Region | None
    councils: list[Authority]
    gaps: list[GapIndicator]
    aggregates: bool  # the viewer may see support and director figures
    years: list[SupportYear] = field(default_factory=list)
    directors: Directors | None = None
    names: frozenset[int] = frozenset()  # authority ids whose names and days the viewer may see

    @property
    def area(self) -> str:
        return self.region.name if self.region else "England"

    def named(self, authorities) -> list[Authority]:
        return [a for a in authorities if a.id in self.names]

    def support_table(self) -> list[tuple[Authority, list[int], list[int]]]:
        """(council, days given per year, days received per year) for the councils the viewer may name
        that gave or received any support, by name."""
        rows = []
        for authority in self.named(self.councils):
            given = [y.given.get(authority.id, 0) for y in self.years]
            received = [y.received.get(authority.id, 0) for y in self.years]
            if any(given) or any(received):
                rows.append((authority, given, received))
        return rows

    @property
    def hidden_both(self) -> int:
        """Councils giving and receiving, in any year, whose names the viewer may not see."""
        return sum(len(y.both) - len(self.named(y.both)) for y in self.years)


def _councils(region: Region | None) -> list[Authority]:
    found = Authority.objects.current().only("id", "code", "ons_code", "name", "region_id").order_by("name")
    return list(found if region is None else found.filter(region=region))


def support_years(region: Region | None, councils: list[Authority]) -> list[SupportYear]:
    """Each year April to March from the first agreement touching the area to the last: one query."""
    ids = {a.id for a in councils}
    agreements = SupportAgreement.objects.counting()
    if region is not None:
        agreements = agreements.filter(Q(supporting__in=ids) | Q(supported__in=ids))
    by_year: dict[int, SupportYear] = {}
    for supporting, supported, starts_on, days in agreements.values_list(
        "supporting_id", "supported_id", "starts_on", "days"
    ).order_by():
        year = by_year.setdefault(support_year(starts_on), SupportYear(support_year(starts_on), len(ids)))
        if supporting in ids:
            year.given[supporting] = year.given.get(supporting, 0) + days
            year.days += days
        if supported in ids:
            year.received[supported] = year.received.get(supported, 0) + days
    if not by_year:
        return []
    by_id = {a.id: a for a in councils}
    years = []
    for number in range(min(by_year), max(by_year) + 1):
        year = by_year.get(number) or SupportYear(number, len(ids))
        year.both = [
            by_id[i] for i in sorted(year.given.keys() & year.received.keys(), key=lambda i: by_id[i].name)
        ]
        years.append(year)
    return years


def _five_years_before(today: date) -> date:
    try:
        return today.replace(year=today.year - DIRECTOR_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - DIRECTOR_YEARS, day=28)


def directors(councils: list[Authority], today: date) -> Directors:
    """Appointments of directors recorded in the hub that started in the last five years: two queries."""
    ids = [a.id for a in councils]
    by_id = {a.id: a for a in councils}
    since = _five_years_before(today)
    permanent: dict[int, int] = defaultdict(int)
    interim: dict[int, int] = defaultdict(int)
    for authority_id, is_interim in (
        DirectorAppointment.objects.filter(authority__in=ids, started_on__gt=since, started_on__lte=today)
        .values_list("authority_id", "interim")
        .order_by()
    ):
        (interim if is_interim else permanent)[authority_id] += 1
    recorded = DirectorAppointment.objects.filter(authority__in=ids).values("authority_id").distinct().count()
    counts = sorted(
        (DirectorCount(by_id[i], permanent[i], interim[i]) for i in set(permanent) | set(interim)),
        key=lambda c: (-c.total, c.authority.name),
    )
    return Directors(
        since=since,
        councils_recorded=recorded,
        councils=len(ids),
        permanent=sum(permanent.values()),
        interim=sum(interim.values()),
        counts=counts,
        many=[c for c in counts if c.total >= MANY_CHANGES],
    )


def _text(value: float, indicator: Indicator) -> str:
    return formatting.value_text(value, "", indicator.decimal_places, indicator.unit)


def headline_set() -> list[tuple[str, Indicator]]:
    """(outcome or enabler, indicator) for each indicator of the headline set (indicators/headline.py) that
    is loaded and has a polarity: LAIT's series, or DfE's stand-in where LAIT's is not loaded. One query."""
    found = {i.slug: i for i in Indicator.objects.filter(slug__in=headline.SLUGS + headline.STAND_INS)}
    chosen, seen = [], set()
    for entry in headline.HEADLINE:
        indicator = next((found[s] for s in entry.slugs if s in found), None)
        if indicator is None or indicator.polarity == Polarity.NONE or indicator.id in seen:
            continue
        seen.add(indicator.id)
        chosen.append((entry.area.label, indicator))
    return chosen


def _latest_periods(rows, indicator_ids) -> dict[int, list[tuple[int, str, int]]]:
    """Each indicator's latest GAP_PERIODS periods with any cell, as (sort key, label, id), oldest first.
    The distinct (indicator, period) pairs come from the comparisons' unique index alone (no join, no
    value read), then the periods' rows: two small queries, so that only those periods' values are read."""
    pairs = list(rows.values_list("indicator_id", "period_id").order_by().distinct())
    periods = {
        pk: (sort_key, label)
        for pk, sort_key, label in Period.objects.filter(id__in={p for _, p in pairs}).values_list(
            "id", "sort_key", "label"
        )
    }
    by_indicator: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for indicator_id, period_id in pairs:
        by_indicator[indicator_id].append((*periods[period_id], period_id))
    return {i: sorted(by_indicator[i])[-GAP_PERIODS:] for i in indicator_ids if by_indicator.get(i)}


def _point(found, indicator: Indicator, label: str) -> GapPoint:
    return GapPoint(
        period=label,
        councils=found.councils,
        per_quarter=found.per_quarter,
        best=_text(found.best, indicator),
        worst=_text(found.worst, indicator),
        gap=found.gap,
        gap_text=formatting.number(found.gap, indicator.decimal_places)
        + (" points" if formatting.is_percent(indicator.unit) else ""),
    )


def gaps(region: Region | None) -> list[GapIndicator]:
    """For each headline indicator with a polarity: per period, the median of the best quarter of the
    area's councils minus the median of the worst, from their published values (suppressed cells left
    out). Four queries: the indicators, their periods (two), the latest periods' values."""
    chosen = headline_set()
    if not chosen:
        return []
    ids = [indicator.id for _, indicator in chosen]
    rows = Comparison.objects.filter(indicator__in=ids)
    if region is not None:  # comparisons are made for current councils only
        rows = rows.filter(authority__region=region)
    latest = _latest_periods(rows, ids)
    if not latest:
        return [GapIndicator(indicator, [], area) for area, indicator in chosen]
    # The chosen periods' values, read along the unique index (indicator, period, authority), so they come
    # grouped; a period chosen for one indicator may bring another's older rows too, never looked up.
    found = (
        rows.filter(
            period__in={period[2] for periods in latest.values() for period in periods}, value__isnull=False
        )
        .values_list("indicator_id", "period_id", "value")
        .order_by("indicator_id", "period_id")
    )
    values = {key: [row[2] for row in group] for key, group in groupby(found, key=itemgetter(0, 1))}
    out = []
    for area, indicator in chosen:
        higher_is_better = indicator.polarity == Polarity.HIGH
        points = []
        for _, label, period_id in latest.get(indicator.id, []):
            gap = quartile_gap(values.get((indicator.id, period_id), []), higher_is_better=higher_is_better)
            if gap is not None:
                points.append(_point(gap, indicator, label))
        out.append(GapIndicator(indicator, points, area))
    return out


# The gap is published data: worked out once per release of the indicators (or the places), then cached.
GAP_RELEASES = (releases.INDICATORS, releases.REFERENCE, releases.EVERYTHING)


def published_gaps(region: Region | None) -> list[GapIndicator]:
    """`gaps(region)`, from the cache while the data it reads is unchanged (afresh, page cache off)."""
    if not getattr(settings, "PAGE_CACHE", True):
        return gaps(region)
    versions = releases.versions(GAP_RELEASES)
    key = f"slihub:watch-gap:{region.id if region else 'england'}:" + ":".join(
        str(versions[name]) for name in GAP_RELEASES
    )
    found = cache.get(key)
    if found is None:
        found = gaps(region)
        cache.set(key, found, timeout=getattr(settings, "PAGE_CACHE_SECONDS", 24 * 60 * 60))
    return found


def watch(user, region: Region | None = None, *, today: date | None = None) -> Watch:
    """The watch as this user may see it, for England (region None) or one region."""
    today = today or timezone.localdate()
    councils = _councils(region)
    result = Watch(
        region=region,
        councils=councils,
        gaps=published_gaps(region),
        aggregates=can_see_aggregates(user),
    )
    if result.aggregates:
        result.years = support_years(region, councils)
        result.directors = directors(councils, today)
        result.names = frozenset(a.id for a in councils if names_visible(user, a.region_id))
    return result


def appointments(authority: Authority) -> list[DirectorAppointment]:
    """A council's recorded directors, latest first (signed-in users only: the views check)."""
    return list(DirectorAppointment.objects.filter(authority=authority).order_by("-started_on", "-id"))
