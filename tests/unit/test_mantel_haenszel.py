"""Mantel-Haenszel pooling against metafor's rma.mh (its help page's printed output for dat.bcg) and an
exact small case worked by hand."""

import math

import pytest

from slihub.stats import effect_sizes as es
from slihub.stats.mantel_haenszel import mantel_haenszel, study_effect
from tests.unit.metafor_refs import AVAILABLE, SKIP_REASON, columns, numeric

# metafor 4.7-4, ?rma.mh examples: rma.mh(measure=..., ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg),
# printed to 4 decimals (docs/reference/rma.mh.html in wviechtb/metafor)
RMA_MH = {
    "OR": {
        "estimate": -0.4734,
        "se": 0.0410,
        "ci_lb": -0.5538,
        "ci_ub": -0.3930,
        "Q": 163.9426,
        "I2": 92.68,
        "ratio": (0.6229, 0.5748, 0.6750),
    },
    "RR": {
        "estimate": -0.4537,
        "se": 0.0393,
        "ci_lb": -0.5308,
        "ci_ub": -0.3766,
        "Q": 152.5676,
        "I2": 92.13,
        "ratio": (0.6353, 0.5881, 0.6862),
    },
}


def bcg_tables():
    cols = {k: numeric(v) for k, v in columns("dat_bcg").items() if k in ("tpos", "tneg", "cpos", "cneg")}
    return [
        (a, a + b, c, c + d)
        for a, b, c, d in zip(cols["tpos"], cols["tneg"], cols["cpos"], cols["cneg"], strict=True)
    ]


@pytest.mark.skipif(not AVAILABLE, reason=SKIP_REASON)
@pytest.mark.parametrize("measure", ["OR", "RR"])
def test_the_fixed_effect_matches_metafors_rma_mh_on_dat_bcg(measure):
    ref = RMA_MH[measure]
    result = mantel_haenszel(bcg_tables(), measure, add=0)  # rma.mh adds nothing in the M-H sums
    assert result.k == 13 and result.tau2 == 0
    for name in ("estimate", "se", "ci_lb", "ci_ub", "Q"):
        assert round(getattr(result, name), 4) == pytest.approx(ref[name], abs=1e-9), name
    assert round(result.I2, 2) == ref["I2"]
    ratios = tuple(round(math.exp(x), 4) for x in (result.estimate, result.ci_lb, result.ci_ub))
    assert ratios == ref["ratio"]
    assert sum(result.weights) == pytest.approx(100)


@pytest.mark.skipif(not AVAILABLE, reason=SKIP_REASON)
def test_revmans_random_effects_takes_tau2_from_q_around_the_mh_estimate():
    # RevMan 5's "M-H, Random": DerSimonian-Laird with Q about the M-H estimate (rma.mh prints that Q),
    # inverse-variance weights of the studies' own log risk ratios (escalc, checked against metafor)
    sizes = es.log_risk_ratio(*zip(*[(a, n1 - a, c, n2 - c) for a, n1, c, n2 in bcg_tables()], strict=True))
    w = 1 / sizes.vi
    tau2 = (RMA_MH["RR"]["Q"] - 12) / (w.sum() - (w**2).sum() / w.sum())
    ws = 1 / (sizes.vi + tau2)
    expected = float((ws * sizes.yi).sum() / ws.sum())
    result = mantel_haenszel(bcg_tables(), "RR", random=True, add=0)
    assert result.tau2 == pytest.approx(tau2, rel=1e-6)  # Q printed to 4 decimals
    assert result.estimate == pytest.approx(expected, rel=1e-6)
    assert result.se == pytest.approx(math.sqrt(1 / ws.sum()), rel=1e-6)
    assert result.pi_ub - result.pi_lb > result.ci_ub - result.ci_lb  # tau2 > 0 widens the prediction


# Two tables worked by hand: 10/20 vs 5/20 and 6/30 vs 3/30 (a, n1, c, n2).
HAND = [(10, 20, 5, 20), (6, 30, 3, 30)]


def test_the_odds_ratio_and_its_robins_breslow_greenland_variance_by_hand():
    # R = 10*15/40 + 6*27/60 = 6.45; S = 10*5/40 + 24*3/60 = 2.45
    # P = (25/40, 33/60), Q = (15/40, 27/60); sums PR = 3.82875, PS + QR = 4.0625, QS = 1.00875
    r, s = 6.45, 2.45
    variance = 3.82875 / (2 * r * r) + 4.0625 / (2 * r * s) + 1.00875 / (2 * s * s)
    result = mantel_haenszel(HAND, "OR")
    assert result.estimate == pytest.approx(math.log(r / s), abs=1e-12)
    assert result.se**2 == pytest.approx(variance, abs=1e-12)
    assert result.weights == pytest.approx((100 * 1.25 / s, 100 * 1.2 / s))  # M-H weights b c / N


def test_the_risk_ratio_and_its_greenland_robins_variance_by_hand():
    # R = 10*20/40 + 6*30/60 = 8; S = 5*20/40 + 3*30/60 = 4; both tables have RR 2
    # sum((n1 n2 (a + c) - a c N) / N^2) = (6000 - 2000)/1600 + (8100 - 1080)/3600 = 2.5 + 1.95
    result = mantel_haenszel(HAND, "RR")
    assert math.exp(result.estimate) == pytest.approx(2.0, abs=1e-12)
    assert result.se**2 == pytest.approx(4.45 / (8 * 4), abs=1e-12)
    assert result.Q == pytest.approx(0, abs=1e-12) and result.I2 == 0
    # no heterogeneity: the random-effects model is the inverse-variance mean, vi = 0.2 and 0.4333...
    random = mantel_haenszel(HAND, "RR", random=True)
    assert random.tau2 == 0
    assert random.se**2 == pytest.approx(1 / (1 / 0.2 + 1 / (1 / 6 - 1 / 30 + 1 / 3 - 1 / 30)), abs=1e-12)


def test_zero_cells_add_a_half_and_a_table_without_events_is_left_out():
    tables = [(0, 10, 3, 10), (0, 12, 0, 12), (2, 15, 5, 15)]
    result = mantel_haenszel(tables, "OR")
    assert result.k == 2 and result.weights[1] == 0
    assert study_effect("OR", 0, 10, 3, 10) == pytest.approx(
        (math.log(0.5 * 7.5 / (10.5 * 3.5)), 1 / 0.5 + 1 / 10.5 + 1 / 3.5 + 1 / 7.5)
    )
    r = 0.5 * 7.5 / 22 + 2 * 10 / 30  # the first table as 0.5, 10.5, 3.5, 7.5: N = 22
    s = 10.5 * 3.5 / 22 + 13 * 5 / 30
    assert result.estimate == pytest.approx(math.log(r / s))


@pytest.mark.parametrize(
    ("tables", "measure", "message"),
    [
        ([(1, 10, 2, 10)], "SMD", "not 'SMD'"),
        ([(11, 10, 2, 10)], "OR", "table 1: events must lie between 0 and the group's size"),
        ([(0, 10, 0, 10)], "RR", "nothing to pool"),
        ([(1, 0, 2, 10)], "RR", "table 1: a group has no participants"),
    ],
)
def test_bad_tables_are_refused(tables, measure, message):
    with pytest.raises(ValueError, match=message):
        mantel_haenszel(tables, measure)
