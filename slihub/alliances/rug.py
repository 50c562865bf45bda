"""The tartan rug: an alliance's councils (rows) against its core indicators (columns), each cell the
council's latest published value, coloured by its quartile band among all England's authorities in the
direction of the indicator's polarity.

Everything comes from the Comparison table, which the indicator import fills once per load (values,
bands, region and England figures): the page reads the members, the indicators and the comparisons in
three queries, whatever the size of the rug. Published data only: no user scoping.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from slihub.alliances.models import Alliance
from slihub.indicators import formatting
from slihub.indicators.models import Basis, Comparison, Indicator, Polarity
from slihub.places.models import Authority

# The band's words, also read aloud: the colour never carries the meaning alone.
BAND_WORDS = {
    "A": "Q1 (best quarter)",
    "B": "Q2 (second best quarter)",
    "C": "Q3 (third quarter)",
    "D": "Q4 (worst quarter)",
}
BAND_SHORT = {"A": "Q1", "B": "Q2", "C": "Q3", "D": "Q4"}
NOT_BANDED = "Not banded"


@dataclass
class Column:
    indicator: Indicator
    period: str  # the latest period with any member's figure ('' when none has one)
    banded: bool  # polarity and quartiles: cells are coloured

    @property
    def polarity_label(self) -> str:
        return self.indicator.get_polarity_display()

    @property
    def why_not_banded(self) -> str:
        if self.indicator.polarity == Polarity.NONE:
            return "higher is neither better nor worse"
        return "the publisher shows no quartile bands"


@dataclass
class Cell:
    text: str  # the value as published ('' when there is no row, the marker when suppressed)
    band: str  # 'A'..'D' or ''

    @property
    def band_words(self) -> str:
        return BAND_WORDS.get(self.band, "")

    @property
    def band_short(self) -> str:
        return BAND_SHORT.get(self.band, "")

    def html(self) -> str:
        """The table cell, made here rather than in the template: a rug has a thousand of them."""
        css = f" app-rug__cell--{self.band.lower()}" if self.band else ""
        if self.text:
            inner = format_html("{}", self.text)
        else:
            inner = mark_safe('<span class="govuk-visually-hidden">No figure</span>–')
        if self.band:
            inner += format_html(
                '<abbr class="app-rug__band" title="{}"><span aria-hidden="true">{}</span>'
                '<span class="govuk-visually-hidden">{}</span></abbr>',
                self.band_words,
                self.band_short,
                self.band_words,
            )
        return format_html('<td class="govuk-table__cell govuk-table__cell--numeric{}">{}</td>', css, inner)


@dataclass
class Row:
    authority: Authority
    cells: list[Cell]

    def cells_html(self) -> str:
        return mark_safe("".join(cell.html() for cell in self.cells))


@dataclass
class Rug:
    alliance: Alliance
    columns: list[Column]
    rows: list[Row]
    region: list[str] = field(default_factory=list)  # the region's figure per column
    region_notes: list[str] = field(default_factory=list)  # 'mean' where the region figure is a mean
    england: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # core indicator slugs not loaded

    @property
    def band_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BAND_WORDS, 0)
        for row in self.rows:
            for cell in row.cells:
                if cell.band in counts:
                    counts[cell.band] += 1
        return counts


def _text(value, status, indicator: Indicator) -> str:
    return formatting.value_text(value, status, indicator.decimal_places, indicator.unit)


def tartan_rug(alliance: Alliance) -> Rug:
    """The alliance's rug: four queries (indicators, members, the periods, the latest ones' comparisons)."""
    slugs = list(alliance.core_indicators or [])
    found = {i.slug: i for i in Indicator.objects.filter(slug__in=slugs)}
    indicators = [found[s] for s in slugs if s in found]
    authorities = list(
        Authority.objects.current()
        .filter(region_id=alliance.region_id)
        .order_by("name")
        .only("id", "code", "name")
    )
    rows_by = {i.id: [] for i in indicators}
    if indicators and authorities:
        ids = [a.id for a in authorities]
        indicator_ids = [i.id for i in indicators]
        # The latest period of each indicator with any member's figure, from the distinct (indicator,
        # period) pairs of the members' rows; then only those periods' rows, a small share of the table.
        latest: dict[int, tuple[int, str, int]] = {}
        for indicator_id, period_id, sort_key, label in (
            Comparison.objects.filter(authority__in=ids, indicator__in=indicator_ids)
            .values_list("indicator_id", "period_id", "period__sort_key", "period__label")
            .order_by()
            .distinct()
        ):
            if indicator_id not in latest or (sort_key, label) > latest[indicator_id][:2]:
                latest[indicator_id] = (sort_key, label, period_id)
        wanted = {(indicator_id, key[2]) for indicator_id, key in latest.items()}
        for row in (
            Comparison.objects.filter(
                authority__in=ids, indicator__in=indicator_ids, period__in=sorted({p for _, p in wanted})
            )
            .values_list(
                "indicator_id",
                "authority_id",
                "period_id",
                "value",
                "status",
                "quartile",
                "region_value",
                "region_basis",
                "england_value",
                "england_basis",
            )
            .order_by()
        ):
            if (row[0], row[2]) in wanted:
                rows_by[row[0]].append(row)
    columns, by_column = [], []
    region, region_notes, england = [], [], []
    for indicator in indicators:
        rows = rows_by[indicator.id]
        banded = indicator.polarity != Polarity.NONE and indicator.quartiles
        if rows:
            in_period = {r[1]: r for r in rows}
            period = latest[indicator.id][1]
            sample = rows[0]
            region.append(_text(sample[6], "", indicator) if sample[7] else "")
            region_notes.append("mean" if sample[7] == Basis.MEAN else "")
            england.append(_text(sample[8], "", indicator) if sample[9] else "")
        else:
            in_period, period = {}, ""
            region.append("")
            region_notes.append("")
            england.append("")
        columns.append(Column(indicator, period, banded))
        by_column.append(in_period)
    out_rows = []
    for authority in authorities:
        cells = []
        for column, in_period in zip(columns, by_column, strict=True):
            row = in_period.get(authority.id)
            if row is None:
                cells.append(Cell("", ""))
            else:
                cells.append(Cell(_text(row[3], row[4], column.indicator), row[5] if column.banded else ""))
        out_rows.append(Row(authority, cells))
    return Rug(
        alliance=alliance,
        columns=columns,
        rows=out_rows,
        region=region,
        region_notes=region_notes,
        england=england,
        missing=[s for s in slugs if s not in found],
    )


def rug_csv(rug: Rug) -> str:
    """The rug as CSV: one line per council (then the region and England), a value and a band column
    per indicator."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["area", "code"]
    for column in rug.columns:
        label = f"{column.indicator.name} ({column.period})" if column.period else column.indicator.name
        header += [label, f"{column.indicator.code} band"]
    writer.writerow(header)
    for row in rug.rows:
        line = [row.authority.name, row.authority.code]
        for cell in row.cells:
            line += [cell.text, cell.band_words]
        writer.writerow(line)
    for name, figures in ((rug.alliance.region.name, rug.region), ("England", rug.england)):
        line = [name, ""]
        for figure in figures:
            line += [figure, ""]
        writer.writerow(line)
    return out.getvalue()
