"""Reads for the progress profile (/authorities/<code>/profile/) and the compare page (/compare/).

Everything comes from the Comparison table, which the importer fills once per load: an
authority's profile reads all its rows in one query (the latest row of each indicator gives the
figures, the last SERIES_LENGTH rows the small chart), the indicators' metadata in a second, and a
user-chosen comparator group's values in a third. Nothing is computed per row in templates.

All of it is published data: no user scoping is needed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe

from slihub.indicators import breakdowns, formatting, headline, highlights, markers
from slihub.indicators.classification import FrameworkArea, Outcome, Theme
from slihub.indicators.models import Basis, Comparison, Indicator, Polarity, Trend
from slihub.indicators.series import DFE, PAIRS
from slihub.places.models import DEFAULT_NEIGHBOUR_MODEL, Authority, NeighbourModel
from slihub.stats import charts

SERIES_LENGTH = 6  # periods in each indicator's small chart and table
MAX_COMPARATORS = 20  # authorities in a user-chosen comparator group
MAX_COMPARE = 10  # authorities side by side on the compare page
MAX_COMPARE_INDICATORS = 30

GROUPINGS = {"theme": "Theme", "outcome": "Every Child Matters outcome"}
GROUPING_NOUNS = {"theme": "theme", "outcome": "Every Child Matters outcome"}  # within a sentence
DEFAULT_GROUPING = "theme"

# The compare page's default: headline indicators of children's services, one per line; where
# LAIT's indicator is not loaded, DfE's tidy-file equivalent stands in.
HEADLINE_INDICATORS: tuple[tuple[str, ...], ...] = (
    ("LAC", "dfe:cla_rate_31_march"),  # children looked after, rate per 10,000
    ("CIN",),  # children in need, rate per 10,000
    ("CPP_rate",),  # child protection plans, rate per 10,000
    ("ReReferral", "dfe:rereferral_percent"),  # re-referrals within 12 months, %
    ("PrevRegCPR", "dfe:cpp_subsequent_percent"),  # second or subsequent child protection plans, %
    ("Work_Force_TO_Rate", "dfe:sw_turnover_rate"),  # social worker turnover, %
    ("Work_Force_Agecy_Rate", "dfe:sw_agency_rate"),  # agency social workers, %
    ("Work_Force_Vac_Rate", "dfe:sw_vacancy_rate"),  # social worker vacancies, %
    ("CareLeaverAcc", "dfe:care_leavers_suitable_19_21"),  # care leavers in suitable accommodation, %
    ("CareLeaverEET", "dfe:care_leavers_eet_19_21"),  # care leavers in education, employment or training, %
)

_INDICATOR_FIELDS = [
    "id",
    "code",
    "slug",
    "name",
    "unit",
    "polarity",
    "quartiles",
    "decimal_places",
    "theme",
    "outcome",
    "topic",
]

_COMPARISON_FIELDS = [
    "indicator_id",
    "period__label",
    "period__sort_key",
    "period_id",
    "value",
    "status",
    "neighbours_2025",
    "neighbours_2025_count",
    "neighbours_2021",
    "neighbours_2021_count",
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
]
(
    I_INDICATOR,
    I_LABEL,
    I_SORT,
    I_PERIOD,
    I_VALUE,
    I_STATUS,
    I_N25,
    I_N25_COUNT,
    I_N21,
    I_N21_COUNT,
    I_REGION,
    I_REGION_BASIS,
    I_ENGLAND,
    I_ENGLAND_BASIS,
    I_RANK,
    I_RANKED,
    I_QUARTILE,
    I_CHANGE,
    I_TREND_3,
    I_TREND_5,
) = range(len(_COMPARISON_FIELDS))

_TREND_LABELS = dict(Trend.choices)
_POLARITY_LABELS = dict(Polarity.choices)


# Numbers as the page shows them -------------------------------------------------------------


def format_number(value: float | None, decimal_places: int | None, *, average: bool = False) -> str:
    """A figure as the indicator pages show it (formatting.number: the indicator's decimal places, or
    up to two when none are published); an average gets at least one decimal."""
    if value is None or not math.isfinite(value):
        return ""
    if average and decimal_places is not None:
        decimal_places = max(decimal_places, 1)
    return formatting.number(value, decimal_places)


def format_change(value: float | None, decimal_places: int | None) -> str:
    text = format_number(value, decimal_places)
    if not text or value is None:
        return ""
    if float(text.replace(",", "")) == 0:
        return "0" if decimal_places in (None, 0) else text.lstrip("-")
    return text if text.startswith("-") else f"+{text}"


@dataclass(frozen=True)
class Figure:
    """One published figure as DfE shows it: a number, or its marker with the marker's meaning."""

    value: float | None
    text: str  # the number, or the marker ('c', '-', ...); '' when there is no figure at all
    marker: str = ""
    meaning: str = ""

    @classmethod
    def of(cls, value: float | None, status: str, decimal_places: int | None) -> Figure:
        if value is None:
            return cls(None, status, status, markers.describe(status) or "no figure")
        return cls(value, format_number(value, decimal_places))

    @property
    def spoken(self) -> str:
        """The figure for a chart's description: the marker followed by its meaning."""
        if self.marker:
            return f"{self.marker} ({self.meaning})"
        return self.text or "no figure"


@dataclass(frozen=True)
class Average:
    text: str  # '' when no member had a value
    note: str = ""  # how it was made: 'mean of 9 neighbours', "mean of the region's authorities"
    estimated: bool = False  # a mean of authorities' values where no figure is published


def published_average(value: float | None, basis: str, decimal_places: int | None, what: str) -> Average:
    text = format_number(value, decimal_places, average=basis == Basis.MEAN)
    if basis == Basis.MEAN:
        return Average(text, f"not published: mean of {what}'s authorities' values", True)
    return Average(text, "published figure" if text else "")


def _group_mean(values: Iterable[float | None], decimal_places: int | None) -> Average:
    present = [v for v in values if v is not None]
    if not present:
        return Average("", "no authority of the group has a figure")
    count = len(present)
    return Average(
        format_number(sum(present) / count, decimal_places, average=True),
        f"mean of {count} authorit{'y' if count == 1 else 'ies'}",
    )


def _indicator_urls(authority: Authority | None = None) -> Callable[[str], str]:
    """slug -> the indicator's map page, or this authority's page of it; reversing the route once
    rather than once per row."""
    placeholder = "indicator-slug"
    if authority is None:
        pattern = reverse("indicator-map", args=[placeholder])
    else:
        pattern = reverse("authority-indicator", args=[authority.code, placeholder])
    return lambda slug: pattern.replace(placeholder, slug, 1) if slug else ""


# The profile -------------------------------------------------------------------------------
#
# A profile has some 450 indicators: on one page that is nearly 2 MB. So it is paged by section
# (a theme, or an outcome when grouped by outcome). The first view is the summary: strengths,
# concerns and each section with its counts, beside the latest Ofsted judgments (in the
# template); each section is a page of its own with its rows, charts and their tables; ALL puts
# everything on one page for printing the whole profile, with each row's figures table but not its
# small chart (the same figures again: 485 charts made that page 2 MB and 26,000 elements; the
# sections' pages keep them). Every indicator's latest figures are
# read for the counts and the summary; only the rows shown get their averages and charts made.

ALL = "all"  # the section parameter that shows every section on one page
# A section's page shows at most this many rows (a theme of 200 indicators with their charts would be
# some 800 KB): longer sections run over numbered parts, in the same order (by name).
PART_ROWS = 60


class UnknownSection(ValueError):
    """A section that is neither a theme nor an outcome."""


class OtherGrouping(ValueError):
    """A section of the other grouping: a theme asked for while grouping by outcome, or the reverse."""


@dataclass(frozen=True)
class SeriesPoint:
    period: str
    figure: Figure


@dataclass
class ProfileRow:
    indicator: dict  # id, code, name, unit, polarity, decimal_places, theme, outcome, topic (, slug)
    url: str
    period: str
    figure: Figure
    neighbours: Average
    group: Average | None
    region: Average
    england: Average
    rank: int | None
    ranked: int
    quartile: str
    change: str
    trend_3: str
    trend_5: str
    series: list[SeriesPoint]
    chart: str
    change_since: str = ""  # the period the change is measured from

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator['id']}"

    @property
    def polarity_label(self) -> str:
        return _POLARITY_LABELS.get(self.indicator["polarity"], "")

    @property
    def trend_3_label(self) -> str:
        return _TREND_LABELS.get(self.trend_3, "") if self.trend_3 else ""

    @property
    def trend_5_label(self) -> str:
        return _TREND_LABELS.get(self.trend_5, "") if self.trend_5 else ""


def _is_strength(quartile: str, trend_3: str) -> bool:
    """In the top quartile (band A) and improving over the last three periods."""
    return quartile == "A" and trend_3 == Trend.IMPROVING


def _is_concern(quartile: str, trend_3: str) -> bool:
    """In the bottom quartile (band D) and declining over the last three periods."""
    return quartile == "D" and trend_3 == Trend.DECLINING


@dataclass(frozen=True)
class Highlight:
    """A strength or a concern in the summary: enough to name it and link to its row."""

    indicator_id: int
    name: str
    section: str  # the key of the section its row is on
    period: str
    figure: Figure
    code: str = ""
    words: str = ""  # the figure against its comparator, in words (highlights.gap_words)
    distance: float | None = None  # how far better (+) or worse (-) than the comparator
    headline: bool = False  # in the headline set
    breakdown: str = ""  # the group of a breakdown ('Chinese'), '' for a measure of its own
    parent_code: str = ""
    children: list[Highlight] = field(default_factory=list)  # its breakdowns, when listed too
    part: int = 1  # the part of its section's page its row is on

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator_id}"


@dataclass
class RowGroup:
    """A section of the profile: a theme or an outcome, with its rows when it is shown."""

    key: str
    label: str
    count: int = 0  # indicators with figures in this section
    strengths: int = 0
    concerns: int = 0
    rows: list[ProfileRow] = field(default_factory=list)  # filled only when the section is shown

    @property
    def anchor(self) -> str:
        return f"group-{self.key}"


@dataclass(frozen=True)
class HeadlineRow:
    """An indicator of the headline set at its latest period, beside its neighbours and England."""

    name: str
    url: str  # the authority's page of the indicator
    period: str
    unit: str
    figure: Figure
    neighbours: Average
    england: Average
    quartile: str
    no_band: str  # what the band cell says without a band: 'No band' or '–', as the map says it
    trend: str  # the three-period trend's label, '' when there is not enough data
    source: str = ""  # series.DFE when DfE's twin gives a year LAIT does not hold yet


@dataclass(frozen=True)
class HeadlineGroup:
    area: FrameworkArea
    rows: list[HeadlineRow]

    @property
    def anchor(self) -> str:
        return f"headline-{self.area.value.replace('_', '-')}"


@dataclass
class Profile:
    authority: Authority
    grouping: str
    model: str
    sections: list[RowGroup]  # every section with indicators, in the grouping's order
    strengths: list[Highlight]
    concerns: list[Highlight]
    shown: str = ""  # '' for the summary, a section's key, or ALL
    part: int = 1  # the part of the section shown
    comparators: list[Authority] = field(default_factory=list)
    headline: list[HeadlineGroup] = field(default_factory=list)  # on the summary only

    @property
    def groups(self) -> list[RowGroup]:
        """The sections whose rows this page shows."""
        if self.shown == ALL:
            return self.sections
        return [self.section] if self.section else []

    @property
    def section(self) -> RowGroup | None:
        """The one section shown (None on the summary and on the page of every section); a section
        without indicators for this authority is shown empty."""
        if self.shown in ("", ALL):
            return None
        found = [s for s in self.sections if s.key == self.shown]
        return found[0] if found else RowGroup(self.shown, _section_labels(self.grouping)[self.shown])

    @property
    def parts(self) -> int:
        """How many parts the section shown runs over (1 on the summary and on the page of every section)."""
        return max(1, math.ceil(self.section.count / PART_ROWS)) if self.section else 1

    @property
    def part_rows(self) -> tuple[int, int]:
        """The first and last row numbers of the part shown."""
        first = (self.part - 1) * PART_ROWS + 1
        return first, min(self.section.count, first + PART_ROWS - 1) if self.section else first

    @property
    def row_count(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def grouping_label(self) -> str:
        return GROUPINGS[self.grouping]

    @property
    def grouping_noun(self) -> str:
        return GROUPING_NOUNS[self.grouping]

    @property
    def model_label(self) -> str:
        return NeighbourModel(self.model).label

    def neighbouring_sections(self) -> tuple[RowGroup | None, RowGroup | None]:
        """(previous, next) section of the one shown, for the pagination at its foot."""
        keys = [s.key for s in self.sections]
        if self.shown not in keys:
            return None, None
        at = keys.index(self.shown)
        previous = self.sections[at - 1] if at > 0 else None
        following = self.sections[at + 1] if at + 1 < len(keys) else None
        return previous, following


def grouping(value: str | None) -> str:
    """A valid grouping from a query parameter (theme by default); ValueError when unknown."""
    if not value:
        return DEFAULT_GROUPING
    if value not in GROUPINGS:
        raise ValueError(f"group must be one of {', '.join(GROUPINGS)}, not {value!r}")
    return value


def _section_labels(grouping: str) -> dict[str, str]:
    return dict(Theme.choices if grouping == "theme" else Outcome.choices)


def section(value: str | None, grouping: str) -> str:
    """The section a query parameter asks for: '' (the summary), ALL, or a key of the grouping.

    OtherGrouping for a key of the other grouping (the options form keeps the section while the
    grouping changes); UnknownSection for anything else."""
    value = (value or "").strip()
    if not value or value == ALL:
        return value
    if value in _section_labels(grouping):
        return value
    other = "outcome" if grouping == "theme" else "theme"
    if value in _section_labels(other):
        raise OtherGrouping(
            f"{_section_labels(other)[value]} is a {GROUPING_NOUNS[other]}: the indicators are now "
            f"grouped by {GROUPING_NOUNS[grouping]}"
        )
    raise UnknownSection(
        f"There is no {GROUPING_NOUNS[grouping]} called {value[:40]!r}: choose one from the list"
    )


def _comparator_means(
    comparators: Sequence[Authority], latest: dict[int, int]
) -> dict[int, list[float | None]]:
    """indicator id -> the comparators' values in the profile's latest period of that indicator.

    One query: the latest (indicator, period) pairs grouped by period, so only the needed rows come back."""
    if not comparators or not latest:
        return {}
    by_period: dict[int, list[int]] = defaultdict(list)
    for indicator_id, period_id in latest.items():
        by_period[period_id].append(indicator_id)
    pairs = Q()
    for period_id, indicator_ids in by_period.items():
        pairs |= Q(period_id=period_id, indicator_id__in=indicator_ids)
    found: dict[int, list[float | None]] = defaultdict(list)
    rows = Comparison.objects.filter(pairs, authority__in=[a.id for a in comparators]).values_list(
        "indicator_id", "value"
    )
    for indicator_id, value in rows:
        found[indicator_id].append(value)
    return found


def _chart(
    indicator: dict, authority: Authority, series: list[SeriesPoint], neighbours: list[float | None]
) -> str:
    # Safe: sparkline_svg escapes every text it puts in the SVG.
    return mark_safe(
        charts.sparkline_svg(
            [p.period for p in series],
            [p.figure.value for p in series],
            texts=[p.figure.spoken for p in series],
            title=f"{indicator['name']}, {authority.name}: the last {len(series)} periods, "
            "with the statistical neighbours' average",
            id_prefix=f"chart-{indicator['id']}",
            comparator=neighbours,
            comparator_name="Statistical neighbours' average",
        )
    )


def _row(
    indicator: dict,
    rows: list[tuple],
    authority: Authority,
    *,
    use_2021: bool,
    comparator_values: list[float | None] | None,
    url: str,
    with_chart: bool = True,
) -> ProfileRow:
    """The full row of one indicator: its latest figures beside the averages, and its small chart
    (none, '', without with_chart)."""
    places = indicator["decimal_places"]
    last = rows[-1]
    series = [
        SeriesPoint(r[I_LABEL], Figure.of(r[I_VALUE], r[I_STATUS], places)) for r in rows[-SERIES_LENGTH:]
    ]
    mean, count = (last[I_N21], last[I_N21_COUNT]) if use_2021 else (last[I_N25], last[I_N25_COUNT])
    return ProfileRow(
        indicator=indicator,
        url=url,
        period=last[I_LABEL],
        figure=series[-1].figure,
        neighbours=Average(
            format_number(mean, places, average=True),
            f"mean of {count} neighbour{'' if count == 1 else 's'}" if count else "",
        ),
        group=None if comparator_values is None else _group_mean(comparator_values, places),
        region=published_average(last[I_REGION], last[I_REGION_BASIS], places, "the region"),
        england=published_average(last[I_ENGLAND], last[I_ENGLAND_BASIS], places, "England"),
        rank=last[I_RANK],
        ranked=last[I_RANKED],
        quartile=last[I_QUARTILE],
        change=format_change(last[I_CHANGE], places),
        change_since=rows[-2][I_LABEL] if len(rows) > 1 else "",
        trend_3=last[I_TREND_3],
        trend_5=last[I_TREND_5],
        series=series,
        chart=_chart(
            indicator, authority, series, [r[I_N21 if use_2021 else I_N25] for r in rows[-SERIES_LENGTH:]]
        )
        if with_chart
        else "",
    )


_HEADLINE_SLUGS = frozenset(headline.SLUGS + headline.STAND_INS)


def _highlight(
    indicator: dict,
    key: str,
    last: tuple,
    *,
    use_2021: bool,
    names: dict[str, str],
    codes: set[str],
    part: int,
) -> Highlight:
    """A strength or concern: its figure against the neighbours' average (England's without one)."""
    places = indicator["decimal_places"]
    comparator, what = (last[I_N21] if use_2021 else last[I_N25]), "the statistical neighbours' average"
    if comparator is None:
        comparator, what = last[I_ENGLAND], "England's figure"
    split = breakdowns.breakdown(indicator["code"], indicator["name"], names, codes)
    return Highlight(
        indicator["id"],
        indicator["name"],
        key,
        last[I_LABEL],
        Figure.of(last[I_VALUE], last[I_STATUS], places),
        code=indicator["code"],
        words=highlights.gap_words(
            last[I_VALUE], comparator, what, indicator["unit"], places, indicator["polarity"]
        ),
        distance=highlights.distance(last[I_VALUE], comparator, indicator["polarity"]),
        headline=indicator["slug"] in _HEADLINE_SLUGS,
        breakdown=split.group if split else "",
        parent_code=split.parent_code if split else "",
        part=part,
    )


def _headline(
    indicators: dict[int, dict], by_indicator: dict[int, list[tuple]], url, *, use_2021: bool
) -> list[HeadlineGroup]:
    """The headline set's indicators with figures for the authority, grouped by the framework's
    outcomes and enablers (from the rows the profile has already read: no query)."""
    by_slug = {indicator["slug"]: indicator for indicator in indicators.values()}
    groups = []
    for area, entries in headline.areas():
        rows = []
        for entry in entries:
            indicator = next((by_slug[s] for s in entry.slugs if s in by_slug), None)
            if indicator is None:
                continue  # no figure for this authority
            places, last = indicator["decimal_places"], by_indicator[indicator["id"]][-1]
            twin = by_slug.get(entry.stand_in)
            source = ""
            if twin and PAIRS.get(indicator["code"]) == twin["code"]:
                twin_last = by_indicator[twin["id"]][-1]
                if twin_last[I_SORT] // 100 > last[I_SORT] // 100:  # sort keys lead with the end year
                    last, source = twin_last, DFE  # the same statistic, a year LAIT lacks
            mean = last[I_N21] if use_2021 else last[I_N25]
            rows.append(
                HeadlineRow(
                    name=indicator["name"],
                    url=url(indicator["slug"]),
                    period=last[I_LABEL],
                    unit=indicator["unit"],
                    figure=Figure.of(last[I_VALUE], last[I_STATUS], places),
                    neighbours=Average(format_number(mean, places, average=True)),
                    england=published_average(last[I_ENGLAND], last[I_ENGLAND_BASIS], places, "England"),
                    quartile=last[I_QUARTILE],
                    no_band=formatting.band_placeholder(indicator["polarity"], indicator["quartiles"]),
                    trend=_TREND_LABELS.get(last[I_TREND_3], "") if last[I_TREND_3] else "",
                    source=source,
                )
            )
        if rows:
            groups.append(HeadlineGroup(area, rows))
    return groups


def profile(
    authority: Authority,
    *,
    grouping: str = DEFAULT_GROUPING,
    model: str = DEFAULT_NEIGHBOUR_MODEL,
    comparators: Sequence[Authority] = (),
    section: str = "",
    part: int = 1,
) -> Profile:
    """Every indicator with a figure for the authority, at its latest period, in sections by theme or
    outcome; full rows (averages, charts) for the part of the section shown, or for every section when
    ALL. A part beyond the section's last shows its last part."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    labels = _section_labels(grouping)
    if section not in ("", ALL) and section not in labels:
        raise UnknownSection(f"unknown section {section!r} when grouping by {grouping}")
    by_indicator: dict[int, list[tuple]] = defaultdict(list)
    for row in Comparison.objects.filter(authority=authority).values_list(*_COMPARISON_FIELDS):
        by_indicator[row[I_INDICATOR]].append(row)
    indicators = {
        i["id"]: i for i in Indicator.objects.filter(id__in=list(by_indicator)).values(*_INDICATOR_FIELDS)
    }
    for rows in by_indicator.values():
        rows.sort(key=lambda r: (r[I_SORT], r[I_LABEL]))
    order = sorted(by_indicator, key=lambda i: (indicators[i]["name"].casefold(), indicators[i]["code"]))

    sections = {key: RowGroup(key, label) for key, label in labels.items()}
    use_2021 = model == NeighbourModel.APRIL_2021
    names = {i["name"].casefold(): i["code"] for i in indicators.values()}
    codes = {i["code"] for i in indicators.values()}
    strengths: list[Highlight] = []
    concerns: list[Highlight] = []
    parts: dict[int, int] = {}  # indicator id: the part of its section's page its row is on
    for indicator_id in order:
        indicator, last = indicators[indicator_id], by_indicator[indicator_id][-1]
        key = indicator[grouping]
        counts = sections[key]
        counts.count += 1
        parts[indicator_id] = (counts.count - 1) // PART_ROWS + 1
        quartile, trend = last[I_QUARTILE], last[I_TREND_3]
        strong, weak = _is_strength(quartile, trend), _is_concern(quartile, trend)
        if strong or weak:
            (strengths if strong else concerns).append(
                _highlight(
                    indicator,
                    key,
                    last,
                    use_2021=use_2021,
                    names=names,
                    codes=codes,
                    part=parts[indicator_id],
                )
            )
            counts.strengths += strong
            counts.concerns += weak

    if section not in ("", ALL):
        part = max(1, min(part, math.ceil(sections[section].count / PART_ROWS)))
    shown = [
        i
        for i in order
        if section == ALL or (section and indicators[i][grouping] == section and parts[i] == part)
    ]
    comparators = [a for a in comparators if a.id != authority.id]
    group_values = _comparator_means(comparators, {i: by_indicator[i][-1][I_PERIOD] for i in shown})
    indicator_url = _indicator_urls(authority)
    for indicator_id in shown:
        indicator = indicators[indicator_id]
        sections[indicator[grouping]].rows.append(
            _row(
                indicator,
                by_indicator[indicator_id],
                authority,
                use_2021=use_2021,
                comparator_values=group_values.get(indicator_id, []) if comparators else None,
                url=indicator_url(indicator["slug"]),
                with_chart=section != ALL,
            )
        )
    return Profile(
        authority=authority,
        grouping=grouping,
        model=model,
        sections=[s for s in sections.values() if s.count],
        strengths=highlights.arrange(strengths, better_first=True),
        concerns=highlights.arrange(concerns, better_first=False),
        shown=section,
        part=part if section not in ("", ALL) else 1,
        comparators=list(comparators),
        headline=[] if section else _headline(indicators, by_indicator, indicator_url, use_2021=use_2021),
    )


# Choosing authorities and indicators --------------------------------------------------------


def current_authorities() -> list[Authority]:
    """Every current authority with its region, by region then name (for the forms' choices)."""
    return list(Authority.objects.current().select_related("region").order_by("region__name", "name"))


def resolve_authorities(codes: Iterable[str], *, limit: int) -> tuple[list[Authority], list[str]]:
    """The current authorities with these DfE or ONS codes, in the order given, duplicates dropped,
    at most `limit`; and an error message for each code that names none (or a former authority)."""
    wanted: list[str] = []
    for code in codes:
        code = code.replace("\x00", "").strip().upper()
        if code and code not in wanted:
            wanted.append(code)
    if not wanted:
        return [], []
    found = Authority.objects.select_related("region").filter(Q(code__in=wanted) | Q(ons_code__in=wanted))
    by_code: dict[str, Authority] = {}
    for authority in found:
        by_code[authority.code] = by_code[authority.ons_code] = authority
    chosen: list[Authority] = []
    errors: list[str] = []
    for code in wanted:
        authority = by_code.get(code)
        if authority is None:
            errors.append(f"No authority has the code {code[:20]!r}: use a DfE code such as 202 (Camden)")
        elif not authority.is_current:
            errors.append(f"{authority.name} ({authority.code}) is a former authority: choose a current one")
        elif authority not in chosen:
            chosen.append(authority)
    if len(chosen) > limit:
        errors.append(f"Choose up to {limit} authorities: only the first {limit} are shown")
        chosen = chosen[:limit]
    return chosen, errors


def indicator_choices() -> list[dict]:
    """Every indicator with any comparison, by theme then name (for the compare page's form)."""
    return list(Indicator.objects.order_by("theme", "name", "code").values("id", "code", "name", "theme"))


def headline_indicators() -> list[Indicator]:
    """The compare page's default indicators: the first of each line of HEADLINE_INDICATORS that is loaded."""
    codes = [code for line in HEADLINE_INDICATORS for code in line]
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    chosen = []
    for line in HEADLINE_INDICATORS:
        for code in line:
            if code in found:
                chosen.append(found[code])
                break
    return chosen


def resolve_indicators(keys: Iterable[str], *, limit: int) -> tuple[list[Indicator], list[str]]:
    """Indicators named by id, slug (when indicators have slugs) or code, in the order given."""
    wanted: list[str] = []
    for key in keys:
        key = key.replace("\x00", "").strip()
        if key and key not in wanted:
            wanted.append(key)
    if not wanted:
        return [], []
    ids = [int(k) for k in wanted if k.isascii() and k.isdigit() and len(k) < 10]
    found = list(Indicator.objects.filter(Q(code__in=wanted) | Q(slug__in=wanted) | Q(id__in=ids)))
    keyed: dict[str, Indicator] = {}
    for indicator in found:
        keyed[indicator.slug] = indicator
    for indicator in found:  # a code or an id wins over another indicator's equal slug
        keyed[indicator.code] = keyed[str(indicator.id)] = indicator
    chosen: list[Indicator] = []
    errors: list[str] = []
    for key in wanted:
        indicator = keyed.get(key)
        if indicator is None:
            errors.append(f"No indicator has the code, name in its address or number {key[:40]!r}")
        elif indicator not in chosen:
            chosen.append(indicator)
    if len(chosen) > limit:
        errors.append(f"Choose up to {limit} indicators: only the first {limit} are shown")
        chosen = chosen[:limit]
    return chosen, errors
