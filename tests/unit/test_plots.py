"""slihub.stats.plots: forest and funnel SVGs parse, are accessible, and are deterministic."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from slihub.stats.meta_analysis import meta_analysis
from slihub.stats.plots import forest_rows, forest_svg, funnel_svg

NS = "{http://www.w3.org/2000/svg}"
LABELS = ["Aronson 1948", "Ferguson & Simes 1949", "Rosenthal <1960>", "Hart 1977", "Frimodt 1973"]
YI = [-0.89, -1.59, -1.35, -1.44, -0.22]
VI = [0.33, 0.19, 0.42, 0.02, 0.05]


@pytest.fixture(scope="module")
def result():
    return meta_analysis(YI, VI, method="DL")


def _accessible(root: ET.Element, prefix: str) -> None:
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and title.get("id") == f"{prefix}-title" and title.text
    assert desc is not None and desc.get("id") == f"{prefix}-desc" and desc.text


def test_forest_rows_weights_and_pooled_row(result):
    rows = forest_rows(LABELS, YI, VI, result)
    assert len(rows) == len(LABELS) + 1
    assert sum(r.weight_pct for r in rows[:-1]) == pytest.approx(100)
    assert [r.weight_pct for r in rows[:-1]] == pytest.approx(list(result.weights))
    assert rows[-1].pooled and rows[-1].estimate == result.estimate
    assert rows[0].ci_lb == pytest.approx(YI[0] - 1.959964 * VI[0] ** 0.5, abs=1e-5)


def test_forest_svg_parses_with_labels_and_is_deterministic(result):
    svg = forest_svg(LABELS, YI, VI, result, title="BCG trials")
    assert svg == forest_svg(LABELS, YI, VI, result, title="BCG trials")
    root = ET.fromstring(svg)
    _accessible(root, "forest")
    assert root.find(f"{NS}title").text == "BCG trials"
    texts = ["".join(t.itertext()) for t in root.iter(f"{NS}text")]
    for label in LABELS:
        assert label in texts  # escaped in the markup, intact once parsed
    assert len(root.findall(f".//{NS}rect")) == len(LABELS)
    assert len(root.findall(f".//{NS}polygon")) == 1  # the pooled diamond
    assert "Effect size" in texts


def test_funnel_svg_parses_and_has_one_point_per_study(result):
    svg = funnel_svg(YI, VI, result, id_prefix="f1")
    assert svg == funnel_svg(YI, VI, result, id_prefix="f1")
    root = ET.fromstring(svg)
    _accessible(root, "f1")
    circles = root.findall(f".//{NS}circle")
    assert len(circles) == len(YI)
    assert all(c.find(f"{NS}title") is not None for c in circles)
    assert "Standard error" in ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_plots_reject_bad_input(result):
    with pytest.raises(ValueError, match="labels"):
        forest_rows(LABELS[:2], YI, VI, result)
    with pytest.raises(ValueError, match="same length"):
        funnel_svg(YI, VI[:2], result)
    with pytest.raises(ValueError, match="positive"):
        funnel_svg([0.1], [0.0], result)


def test_a_ratio_forest_plot_has_a_log_axis_of_ratios_favours_labels_and_the_prediction_interval(result):
    svg = forest_svg(
        LABELS,
        YI,
        VI,
        result,
        ratio=True,
        favours=("Favours BCG", "Favours comparison"),
        prediction=(result.pi_lb, result.pi_ub),
        xlabel="Risk ratio (log scale; 1 means no difference)",
    )
    root = ET.fromstring(svg)
    assert root.get("width") == "100%" and root.get("height") is None and root.get("viewBox")
    texts = {"".join(t.itertext()): t for t in root.iter(f"{NS}text")}
    assert "1" in texts and any(tick in texts for tick in ("0.1", "0.2", "0.5"))  # ratio ticks, never logs
    assert not any(label.startswith("\u2212") for label in texts if label.replace("\u2212", "").isdigit())
    assert float(texts["\u2190 Favours BCG"].get("x")) < float(texts["Favours comparison \u2192"].get("x"))
    pooled = f"{math.exp(result.estimate):.2f} [{math.exp(result.ci_lb):.2f}, {math.exp(result.ci_ub):.2f}]"
    assert any(label.startswith(pooled) for label in texts)
    titles = ["".join(t.itertext()) for t in root.iter(f"{NS}title")]
    assert f"95% prediction interval: {math.exp(result.pi_lb):.2f} to {math.exp(result.pi_ub):.2f}" in titles
    assert "prediction interval" in root.find(f"{NS}desc").text


def test_favours_labels_near_an_edge_do_not_overlap(result):
    # every study far right of no effect: the line of no effect sits at the left edge
    svg = forest_svg(
        LABELS,
        [2.0, 2.2, 2.1, 2.4, 2.3],
        VI,
        result,
        favours=("Favours a long practice name", "Favours comparison"),
    )
    texts = {"".join(t.itertext()): t for t in ET.fromstring(svg).iter(f"{NS}text")}
    left, right = texts["\u2190 Favours a long practice name"], texts["Favours comparison \u2192"]
    assert float(left.get("x")) > 4 and (
        float(left.get("x")) < float(right.get("x")) or left.get("y") != right.get("y")
    )
