"""The progress map: England's authorities coloured by quartile band, from the cached layout."""

from slihub.indicators import formatting
from slihub.indicators.authority_indicator_selectors import url_pattern
from slihub.indicators.selectors import MapTable
from slihub.places import maps
from slihub.stats import svgmap


def authority_urls(table: MapTable) -> dict[str, str]:
    """DfE code -> the authority's page for the table's indicator (where a click on the map leads)."""
    pattern, code_key, slug_key = url_pattern()
    base = pattern.replace(slug_key, table.indicator.slug)
    return {row.authority.code: base.replace(code_key, row.authority.code) for row in table.rows}


def area_title(table: MapTable, row, chosen: str = "") -> str:
    """'Camden: 62.0 (Rate per 10,000), A: best quarter'; without bands the quarter of the values
    ('highest quarter of values'); the chosen authority's says so ('Your authority, Camden: ...')."""
    indicator = table.indicator
    text = formatting.value_with_unit(row.value, row.status, indicator.decimal_places, indicator.unit)
    title = f"{row.authority.name}: {text}"
    if row.quarter:
        label = table.band_label(row.quarter)
        title += f", {label}" if table.by_polarity else f", {label.lower()} of values"
    return f"{chosen}, {title}" if chosen else title


def legend(table: MapTable) -> list[dict]:
    """The key: each band with its colour and count, then the markers and 'no data' if any are shown."""
    counts = {}
    for row in table.rows:
        counts[row.quarter] = counts.get(row.quarter, 0) + 1
    key = [
        {
            "label": table.band_label(band),
            "fill": colour,
            "count": counts.get(band, 0),
        }
        for band, colour in formatting.BAND_COLOURS.items()
    ]
    for marker, meaning in table.markers:
        count = sum(1 for row in table.rows if row.status == marker)
        key.append(
            # The map's own hatching pattern (formatting.HATCH_DEFS), which the page always includes.
            {"label": f"{marker}: {meaning}", "fill": formatting.HATCH_FILL, "count": count}
        )
    missing = sum(1 for row in table.rows if not row.published)
    if missing:
        key.append(
            {
                "label": "No data published",
                "fill": formatting.NO_DATA_COLOUR,
                "count": missing,
            }
        )
    return key


def fill(row) -> str:
    if row.quarter:
        return formatting.BAND_COLOURS[row.quarter]
    if row.status:
        return formatting.HATCH_FILL
    return formatting.NO_DATA_COLOUR


def progress_map(table: MapTable, chosen=None) -> str:
    """The SVG choropleth, each area a link to the authority's page of this indicator; '' while no
    boundaries are loaded. The chosen authority (a chosen.Chosen) is outlined, marked and named."""
    geometry = maps.layout()
    if geometry is None:
        return ""
    kind = "quartile band" if table.by_polarity else "value quartile"
    marked = chosen.authority.code if chosen else ""
    description = (
        "Each area links to the authority's page of this indicator. London's boroughs are "
        "shown enlarged in the inset. The table below gives every authority's value."
    )
    if chosen:
        description += (
            f" {chosen.label}, {chosen.authority.name}, is outlined in black and marked with a ring."
        )
    return svgmap.render(
        geometry,
        title=f"Map of {table.indicator.name}, {table.period.label}, by {kind}",
        description=description,
        fills={row.authority.code: fill(row) for row in table.rows},
        labels={
            row.authority.code: area_title(table, row, chosen.label if row.authority.code == marked else "")
            for row in table.rows
        },
        hrefs=authority_urls(table),
        highlight=[marked] if marked else (),
        marker=marked,
        defs=formatting.HATCH_DEFS,
        default_fill=formatting.NO_DATA_COLOUR,
        id_prefix="indicator-map",
    )
