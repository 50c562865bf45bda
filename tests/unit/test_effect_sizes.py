"""slihub.stats.effect_sizes: metafor escalc equivalents, checked against the published yi/vi."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import gamma

from slihub.stats import effect_sizes as es

from .metafor_refs import AVAILABLE, SKIP_REASON, columns, load, numeric

needs_refs = pytest.mark.skipif(not AVAILABLE, reason=SKIP_REASON)


def _bcg_cases() -> list:
    if not AVAILABLE:
        return []
    block = load("dat_bcg")["effect_size"]
    cases = []
    for name in ("yi", "vi"):
        for i, value in enumerate(block[f"published_{name}"]):
            cases.append(pytest.param(name, i, value, block["decimals"], id=f"dat_bcg-{name}[{i}]"))
    return cases


@needs_refs
@pytest.mark.parametrize(("name", "index", "expected", "decimals"), _bcg_cases())
def test_log_risk_ratio_matches_published_bcg(name, index, expected, decimals):
    cols = {
        key: numeric(values)
        for key, values in columns("dat_bcg").items()
        if key in ("tpos", "tneg", "cpos", "cneg")
    }
    rr = es.log_risk_ratio(cols["tpos"], cols["tneg"], cols["cpos"], cols["cneg"])
    actual = getattr(rr, name)[index]
    assert actual == pytest.approx(expected, abs=0.5 * 10.0**-decimals * (1 + 1e-9))


def _bangert_cases() -> list:
    if not AVAILABLE:
        return []
    block = load("dat_bangertdrowns2004")["effect_size"]["published_first10"]
    return [
        pytest.param(i, y, v, id=f"dat_bangertdrowns2004[{i}]")
        for i, (y, v) in enumerate(zip(block["yi"], block["vi"], strict=True))
    ]


@needs_refs
@pytest.mark.parametrize(("index", "published_yi", "published_vi"), _bangert_cases())
def test_smd_variance_matches_published_bangert_drowns(index, published_yi, published_vi):
    """The CSV holds the published yi/vi; with equal groups (n1 = n2 = ni/2, as the metadat recipe
    assumes), metafor's SMD variance for that g, rounded to 3 dp, is the published vi."""
    cols = columns("dat_bangertdrowns2004")
    yi, vi, ni = (numeric(cols[key])[index] for key in ("yi", "vi", "ni"))
    assert (yi, vi) == (published_yi, published_vi)
    n1 = n2 = ni / 2
    # means chosen so that Hedges' g equals the published yi exactly
    correction = es.hedges_correction(ni - 2)
    result = es.smd([yi / correction], [1.0], [n1], [0.0], [1.0], [n2])
    assert result.yi[0] == pytest.approx(published_yi, abs=1e-12)
    assert round(float(result.vi[0]), 3) == pytest.approx(published_vi, abs=1e-9)


def test_hedges_correction_is_the_exact_gamma_ratio():
    for m in (2, 5, 10, 38, 200):
        exact = gamma(m / 2) / (math.sqrt(m / 2) * gamma((m - 1) / 2))
        assert es.hedges_correction(m) == pytest.approx(exact, rel=1e-12)
        if m >= 10:  # the familiar approximation is close only for moderate m
            assert es.hedges_correction(m) == pytest.approx(1 - 3 / (4 * m - 1), abs=1e-3)


def test_smd_by_hand():
    r = es.smd([10.0], [2.0], [20], [8.0], [3.0], [25])
    sdp = math.sqrt((19 * 4 + 24 * 9) / 43)
    g = es.hedges_correction(43) * 2 / sdp
    assert r.yi[0] == pytest.approx(g)
    assert r.vi[0] == pytest.approx(1 / 20 + 1 / 25 + g**2 / 90)
    assert r.measure == "SMD"


def test_md_by_hand():
    r = es.md([10.0, 5.0], [2.0, 1.0], [20, 10], [8.0, 6.0], [3.0, 2.0], [25, 10])
    assert r.yi.tolist() == pytest.approx([2.0, -1.0])
    assert r.vi.tolist() == pytest.approx([4 / 20 + 9 / 25, 1 / 10 + 4 / 10])


def test_two_by_two_adds_half_only_to_studies_with_a_zero_cell():
    r = es.log_odds_ratio([0, 10], [20, 90], [5, 20], [15, 80])
    assert r.yi[0] == pytest.approx(math.log((0.5 / 20.5) / (5.5 / 15.5)))
    assert r.vi[0] == pytest.approx(1 / 0.5 + 1 / 20.5 + 1 / 5.5 + 1 / 15.5)
    assert r.yi[1] == pytest.approx(math.log((10 / 90) / (20 / 80)))
    rr = es.log_risk_ratio([0, 10], [20, 90], [5, 20], [15, 80])
    assert rr.yi[0] == pytest.approx(math.log((0.5 / 21) / (5.5 / 21)))
    assert rr.vi[1] == pytest.approx(1 / 10 - 1 / 100 + 1 / 20 - 1 / 100)


def test_fisher_z():
    r = es.fisher_z([0.5, -0.2], [28, 103])
    assert r.yi.tolist() == pytest.approx([math.atanh(0.5), math.atanh(-0.2)])
    assert r.vi.tolist() == pytest.approx([1 / 25, 1 / 100])


def test_from_confidence_interval_round_trips_a_wald_interval():
    se = 0.2
    est = 0.3
    z = 1.959963984540054
    r = es.from_confidence_interval([est], [est - z * se], [est + z * se])
    assert r.vi[0] == pytest.approx(se**2)
    ratio = es.from_confidence_interval([2.0], [1.2], [3.3333333], log=True)
    assert ratio.yi[0] == pytest.approx(math.log(2.0))
    assert ratio.vi[0] == pytest.approx(((math.log(3.3333333) - math.log(1.2)) / (2 * z)) ** 2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: es.smd([1], [1], [10], [0], [1], None), "n2i is required"),
        (lambda: es.smd([1, 2], [1], [10], [0], [1], [10]), "sd1i has 1 values but the other inputs have 2"),
        (lambda: es.smd([1], [-1], [10], [0], [1], [10]), "sd1i must not be negative"),
        (lambda: es.smd([1], [1], [1], [0], [1], [2]), "at least 4"),
        (lambda: es.smd([1], [0], [10], [0], [0], [10]), "pooled standard deviation is 0"),
        (lambda: es.smd(["x"], [1], [10], [0], [1], [10]), "m1i must contain only numbers"),
        (lambda: es.md([1], [1], [0], [0], [1], [10]), "n1i must be at least 1"),
        (lambda: es.log_odds_ratio([1], [-2], [3], [4]), "bi must not be negative"),
        (lambda: es.log_odds_ratio([0], [2], [3], [4], add=0), "empty cell"),
        (lambda: es.log_risk_ratio([0], [2], [3], [4], add=0), "no events"),
        (lambda: es.log_risk_ratio([1, np.nan], [2, 2], [3, 3], [4, 4]), "ai has a missing"),
        (lambda: es.fisher_z([1.0], [30]), "between -1 and 1"),
        (lambda: es.fisher_z([0.3], [4]), "more than 4"),
        (lambda: es.from_confidence_interval([1], [2], [3]), "inside its confidence interval"),
        (lambda: es.from_confidence_interval([1], [3], [2]), "ci_lb must be below ci_ub"),
        (lambda: es.from_confidence_interval([1], [0], [2], log=True), "positive"),
        (lambda: es.from_confidence_interval([1], [0], [2], level=0), "level"),
        (lambda: es.fisher_z([[0.1]], [30]), "one-dimensional"),
        (lambda: es.fisher_z([], []), "empty"),
    ],
)
def test_bad_input_raises_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
