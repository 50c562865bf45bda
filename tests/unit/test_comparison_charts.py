"""The authority-against-comparators charts: gaps for suppressed values, labelled axes, a marked focus."""

import re
import xml.etree.ElementTree as ET

import pytest

from slihub.stats.comparison_charts import Bar, Series, bar_svg, nice_ticks, tick_text, time_series_svg

NS = "{http://www.w3.org/2000/svg}"
PERIODS = ["2021", "2022", "2023", "2024", "2025"]


def lines():
    return [
        Series("Camden", [50.0, None, 52.0, 54.0, 53.0]),
        Series("Statistical neighbours' average", [40.0, 41.0, 42.0, 43.0, 44.0]),
        Series("London", [45.0, 45.5, None, 46.0, 47.0]),
        Series("England", [70.0, 71.0, 70.5, 70.0, 69.0]),
    ]


def chart(**options):
    return time_series_svg(
        PERIODS,
        lines(),
        title="Children looked after: Camden",
        description="A line for each.",
        y_label="Rate per 10,000",
        markers=["", "c", "", "", ""],
        **options,
    )


def test_a_suppressed_value_breaks_the_line_and_its_marker_is_written_on_the_axis():
    root = ET.fromstring(chart())
    camden = [p for p in root.iter(f"{NS}polyline") if p.get("stroke") == "#1d70b8"]
    # 2021 stands alone (a point, no line); 2023 to 2025 are joined.
    assert len(camden) == 1 and len(camden[0].get("points").split()) == 3
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "c" in texts
    assert texts.count("2021") == 1 and "2025" in texts


def test_the_chart_has_a_title_a_description_axes_and_a_key():
    svg = chart()
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "time-series-title time-series-desc"
    assert root.find(f"{NS}title").text == "Children looked after: Camden"
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {"Camden", "Statistical neighbours' average", "London", "England"} <= texts
    assert {"Period", "Rate per 10,000"} <= texts
    assert "style=" not in svg and "<script" not in svg  # the Content-Security-Policy allows neither
    assert chart() == svg  # deterministic


def test_series_differ_by_dash_and_shape_not_colour_alone():
    root = ET.fromstring(chart())
    dashes = {p.get("stroke-dasharray") for p in root.iter(f"{NS}polyline")}
    assert len(dashes) == 4  # solid (None) and three dash patterns
    assert root.find(f"{NS}rect") is not None and root.find(f"{NS}polygon") is not None


def test_lengths_must_match():
    with pytest.raises(ValueError):
        time_series_svg(PERIODS[:2], lines(), title="t", description="d", y_label="y")
    with pytest.raises(ValueError):
        time_series_svg(PERIODS, lines(), title="t", description="d", y_label="y", markers=["c"])


def test_many_long_periods_are_labelled_without_overlap():
    periods = [f"20{y:02d}-{y + 1:02d} (OT)" for y in range(5, 25)]
    svg = time_series_svg(
        periods, [Series("A", [float(i) for i in range(20)])], title="t", description="d", y_label="y"
    )
    labels = [t for t in re.findall(r">(20\d\d-\d\d \(OT\))<", svg)]
    assert "2024-25 (OT)" in labels and len(labels) < len(periods)


def test_bars_mark_the_focus_and_show_a_marker_instead_of_a_bar():
    bars = [
        Bar("Islington", None, "c"),
        Bar("Camden", 62.0, "62.0", "focus"),
        Bar("Leeds", -3.0, "-3.0"),
        Bar("England", 48.0, "48.0", "area"),
    ]
    svg = bar_svg(bars, title="Neighbours", description="A bar each.", x_label="Rate per 10,000")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "\u25b6 Camden" in texts and "c" in texts and "Rate per 10,000" in texts
    bold = [t.text for t in root.iter(f"{NS}text") if t.get("font-weight") == "bold"]
    assert "\u25b6 Camden" in bold
    assert len(list(root.iter(f"{NS}rect"))) == 3  # no bar for the suppressed value
    assert "\u221220" in texts  # the axis reaches below zero


def test_ticks_are_round_and_cover_the_range():
    assert nice_ticks(12.3, 48.9) == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert nice_ticks(5.0, 5.0)[0] <= 5.0 <= nice_ticks(5.0, 5.0)[-1]
    assert tick_text(-2.5) == "\u22122.5" and tick_text(1500.0) == "1,500"


def test_a_row_sized_sparkline_draws_the_neighbours_average_on_the_same_scale():
    from slihub.stats.charts import sparkline_svg

    svg = sparkline_svg(
        ["2023", "2024", "2025"],
        [10.0, None, 30.0],
        title="t",
        comparator=[20.0, 22.0, None],
        comparator_name="Statistical neighbours' average",
    )
    root = ET.fromstring(svg)
    dashed = [p for p in root.iter(f"{NS}polyline") if p.get("stroke-dasharray")]
    assert len(dashed) == 1 and len(dashed[0].get("points").split()) == 2
    assert "Statistical neighbours' average (dashed line): 2023: 20; 2024: 22; 2025: no value." in (
        root.find(f"{NS}desc").text
    )
    with pytest.raises(ValueError):
        sparkline_svg(["a"], [1.0], title="t", comparator=[1.0, 2.0])


def test_a_reference_line_crosses_the_bars_with_its_name_and_widens_the_scale():
    bars = [Bar("Camden", 30.0, "30.0", "focus"), Bar("Islington", 12.0, "12.0")]
    plain = bar_svg(bars, title="t", description="d", x_label="%")
    svg = bar_svg(bars, title="t", description="d", x_label="%", row=20.0, reference=("England 42.0", 42.0))
    root = ET.fromstring(svg)
    dashed = [
        el for el in root.iter("{http://www.w3.org/2000/svg}line") if el.get("stroke-dasharray") == "6 3"
    ]
    assert len(dashed) == 1
    assert "England 42.0" in [el.text for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert ">60</text>" in svg and ">60</text>" not in plain  # the scale reaches past the 42
    assert bar_svg(bars, title="t", description="d", x_label="%", reference=("England", None)) == plain
