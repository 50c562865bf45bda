"""The sparkline: valid, accessible, deterministic SVG that shows gaps, never zeros, for missing values."""

import xml.etree.ElementTree as ET

import pytest

from slihub.stats.charts import sparkline_description, sparkline_svg

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["2021", "2022", "2023", "2024", "2025"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_it_is_valid_svg_with_a_title_and_a_description():
    root = parse(sparkline_svg(LABELS, [1, 2, 3, 4, 5], title="Rate & <trend>", id_prefix="s1"))
    assert root.tag == f"{SVG}svg"
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == "s1-title s1-desc"
    assert root.find(f"{SVG}title").attrib["id"] == "s1-title"
    assert root.find(f"{SVG}title").text == "Rate & <trend>"
    assert (
        root.find(f"{SVG}desc").text
        == "Values by period, oldest first: 2021: 1; 2022: 2; 2023: 3; 2024: 4; 2025: 5."
    )


def test_it_is_deterministic():
    values = [1.123456, None, 2.5, 3.75, 0.1]
    assert sparkline_svg(LABELS, values, title="t") == sparkline_svg(LABELS, list(values), title="t")


def test_a_missing_value_breaks_the_line():
    root = parse(sparkline_svg(LABELS, [1, None, 3, 4, 5], title="t"))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 1
    assert len(lines[0].attrib["points"].split()) == 3  # 2023 to 2025; 2021 stands alone
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 2  # the lone 2021 and the latest value


def test_the_words_say_what_the_page_shows_for_a_suppressed_value():
    texts = ["10", "c (suppressed)", "12", "13", "14"]
    root = parse(sparkline_svg(LABELS, [10, None, 12, 13, 14], title="t", texts=texts))
    assert "2022: c (suppressed)" in root.find(f"{SVG}desc").text


def test_every_value_missing_draws_no_line():
    root = parse(sparkline_svg(["2024", "2025"], [None, None], title="t"))
    assert root.findall(f"{SVG}polyline") == [] and root.findall(f"{SVG}circle") == []
    assert root.find(f"{SVG}desc").text == "Values by period, oldest first: 2024: no value; 2025: no value."


def test_a_flat_series_and_a_single_value_sit_in_the_middle():
    flat = parse(sparkline_svg(["a", "b", "c"], [5, 5, 5], title="t", height=36))
    assert {p.split(",")[1] for p in flat.find(f"{SVG}polyline").attrib["points"].split()} == {"18"}
    single = parse(sparkline_svg(["a"], [7], title="t", width=120, height=36))
    circle = single.find(f"{SVG}circle")
    assert (circle.attrib["cx"], circle.attrib["cy"]) == ("60", "18")


def test_higher_values_are_drawn_higher():
    root = parse(sparkline_svg(["a", "b"], [1, 2], title="t"))
    (first, second) = root.find(f"{SVG}polyline").attrib["points"].split()
    assert float(second.split(",")[1]) < float(first.split(",")[1])


def test_non_finite_values_are_gaps():
    root = parse(sparkline_svg(["a", "b", "c"], [1, float("nan"), float("inf")], title="t"))
    assert root.findall(f"{SVG}polyline") == []
    assert "b: no value" in root.find(f"{SVG}desc").text


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        sparkline_svg(["a"], [1, 2], title="t")
    with pytest.raises(ValueError):
        sparkline_svg(["a", "b"], [1, 2], title="t", texts=["1"])


def test_an_empty_series_is_described():
    assert sparkline_description([], []) == "No values to show."
    assert parse(sparkline_svg([], [], title="t")).find(f"{SVG}desc").text == "No values to show."
