"""How the indicator pages show numbers, markers, bands and trends (no database here).

Numbers use the indicator's decimal places (at most two when the publisher gives none) and a
thousands separator; a '%' unit puts a '%' after the number. A suppressed or missing cell shows
its marker exactly as the publisher does ('c', 'x', '-'), never a zero.
"""

from slihub.indicators import markers

# Colour-blind-safe sequential scheme (ColorBrewer YlGnBu, 4 classes): darkest is A (best, or highest).
BAND_COLOURS = {"A": "#225ea8", "B": "#41b6c4", "C": "#a1dab4", "D": "#ffffcc"}
NO_DATA_COLOUR = "#b1b4b6"
HATCH_ID = "indicator-map-hatch"
HATCH_FILL = f"url(#{HATCH_ID})"
HATCH_DEFS = (
    f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="5" height="5" '
    'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
    '<rect width="2" height="5" fill="#505a5f"/></pattern></defs>'
)

POLARITY_BANDS = {
    "A": "A: best quarter",
    "B": "B: second quarter",
    "C": "C: third quarter",
    "D": "D: worst quarter",
}
VALUE_BANDS = {
    "A": "Highest quarter",
    "B": "Second highest quarter",
    "C": "Second lowest quarter",
    "D": "Lowest quarter",
}
TREND_ARROWS = {"improving": "↑", "declining": "↓", "rising": "↗", "falling": "↘", "stable": "→"}


def number(value: float | None, decimal_places: int | None) -> str:
    if value is None:
        return ""
    places = decimal_places if decimal_places is not None else 2
    text = f"{value:,.{places}f}"
    if decimal_places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "-0.0", "-0.00") else text


def is_percent(unit: str) -> bool:
    return unit.strip().startswith("%")


def value_text(value: float | None, status: str, decimal_places: int | None, unit: str) -> str:
    """'62', '12.3%', or the publisher's marker ('c'); '' for no published cell at all."""
    if value is None:
        return status or ""
    return number(value, decimal_places) + ("%" if is_percent(unit) else "")


def change_text(change: float | None, decimal_places: int | None, unit: str) -> str:
    if change is None:
        return ""
    sign = "+" if change > 0 else ""
    suffix = " points" if is_percent(unit) else ""
    return f"{sign}{number(change, decimal_places)}{suffix}"


def value_with_unit(value: float | None, status: str, decimal_places: int | None, unit: str) -> str:
    """For a map area's title: '62 (Rate per 10,000)', '12.3%', 'c (suppressed to protect ...)'."""
    if value is None:
        if not status:
            return "no data published"
        meaning = markers.describe(status)
        return f"{status} ({meaning})" if meaning else status
    text = value_text(value, status, decimal_places, unit)
    if unit and not is_percent(unit):
        text += f" ({unit})"
    return text


def band_label(band: str, by_polarity: bool) -> str:
    """The map's colour key: a band by polarity, or (without bands) a quarter of the values."""
    if not band:
        return ""
    return (POLARITY_BANDS if by_polarity else VALUE_BANDS)[band]


def no_band_reason(polarity: str, quartiles: bool) -> str:
    """Why an indicator has no bands at all ('' when it has them): the one wording of map,
    downloads and the authority's page."""
    if polarity == "none":
        return "No band: higher is neither better nor worse for this indicator"
    if not quartiles or polarity not in ("high", "low"):
        return "No band: the publisher shows no quartile bands for this indicator"
    return ""


def band_placeholder(polarity: str, quartiles: bool) -> str:
    """What a band cell says without a band: 'No band' for an indicator without bands, '–' for an
    authority without a figure."""
    return "No band" if no_band_reason(polarity, quartiles) else "–"


def band_text(band: str, polarity: str, quartiles: bool) -> str:
    """An authority's band as the precomputed Comparison gives it: 'A: best quarter', 'No band' for
    an indicator without bands, '' for an authority without a figure."""
    if band:
        return POLARITY_BANDS[band]
    return "No band" if no_band_reason(polarity, quartiles) else ""


def periods_text(labels: list[str]) -> str:
    """'2022, 2023 and 2024'."""
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else "".join(labels)
