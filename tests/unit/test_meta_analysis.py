"""slihub.stats.meta_analysis against metafor 5.1's published results (../shared/data/meta).

Every number under ``reference_results`` in both JSON files is a parametrised case, read from the
JSON at collection time; the inputs come from the CSVs. Tolerances follow the JSON's conventions:
half a unit in the last printed digit for closed-form quantities; for iteratively estimated ones
(REML and everything derived from it) at least 2e-4 on the effect scale and 0.05 points on I^2.
``derived_unpublished`` blocks are checked as secondary cases at the tolerances they state.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest

from slihub.stats import effect_sizes as es
from slihub.stats import meta_analysis as ma

from .metafor_refs import AVAILABLE, SKIP_REASON, columns, flatten, load, numeric, shown_decimals

needs_refs = pytest.mark.skipif(not AVAILABLE, reason=SKIP_REASON)

# reference ids whose numbers come from closed-form computations (everything else involves REML)
CLOSED_FORM = {"RR_EE", "RR_RE_DL", "OR_EE", "OR_RE_DL", "trimfill_EE_L0", "trimfill_EE_R0", "ranktest"}


# ---------------------------------------------------------------------------------------------
# Computing the quantities each reference result names


@cache
def bcg() -> tuple[es.EffectSizes, es.EffectSizes, dict[str, list[float]]]:
    cols = {
        key: numeric(values) for key, values in columns("dat_bcg").items() if key not in ("author", "alloc")
    }
    cells = (cols["tpos"], cols["tneg"], cols["cpos"], cols["cneg"])
    return es.log_risk_ratio(*cells), es.log_odds_ratio(*cells), cols


@cache
def bangert() -> dict[str, list[float]]:
    return {
        key: numeric(values)
        for key, values in columns("dat_bangertdrowns2004").items()
        if key not in ("author", "subject")
    }


def _model_values(r: ma.MetaResult) -> dict[str, float]:
    return {
        "tau2": r.tau2,
        "se_tau2": r.se_tau2,
        "tau": r.tau,
        "I2_pct": r.I2,
        "H2": r.H2,
        "Q": r.Q,
        "Q_df": r.Q_df,
        "Q_p_lt": r.Q_p,
        "estimate": r.estimate,
        "pred": r.estimate,
        "se": r.se,
        "zval": r.zval,
        "pval": r.pval,
        "p_lt": r.pval,
        "ci_lb": r.ci_lb,
        "ci_ub": r.ci_ub,
        "pi_lb": r.pi_lb,
        "pi_ub": r.pi_ub,
        "k": r.k,
    }


def _exp_values(r: ma.MetaResult) -> dict[str, float]:
    return {
        "pred": math.exp(r.estimate),
        "ci_lb": math.exp(r.ci_lb),
        "ci_ub": math.exp(r.ci_ub),
        "pi_lb": math.exp(r.pi_lb),
        "pi_ub": math.exp(r.pi_ub),
    }


def _regression_values(r: ma.MetaRegressionResult) -> dict[str, float]:
    values: dict[str, float] = {
        "k": r.k,
        "tau2": r.tau2,
        "se_tau2": r.se_tau2,
        "I2_pct": r.I2,
        "H2": r.H2,
        "R2_pct": r.R2,
        "QE": r.QE,
        "QE_df": r.QE_df,
        "QE_p": r.QE_p,
        "QM": r.QM,
        "QM_df": r.QM_df,
        "QM_p": r.QM_p,
    }
    for coef in r.coefficients:
        for i, value in enumerate((coef.estimate, coef.se, coef.zval, coef.pval, coef.ci_lb, coef.ci_ub)):
            values[f"coef.{coef.name}[{i}]"] = value
    return values


def _trimfill_values(t: ma.TrimFillResult) -> dict[str, object]:
    values: dict[str, object] = _model_values(t.result)
    values.update({"side": t.side, "k0": t.k0, "se_k0": t.se_k0, "p_k0": t.p_k0})
    for i, (y, v) in enumerate(zip(t.filled_yi, t.filled_vi, strict=True)):
        values[f"filled_yi[{i}]"] = y
        values[f"filled_vi[{i}]"] = v
    return values


def _confint_values(r: ma.MetaResult) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, est, ci in (
        ("tau2", r.tau2, r.tau2_ci),
        ("tau", r.tau, tuple(math.sqrt(x) for x in r.tau2_ci)),
        ("I2_pct", r.I2, r.I2_ci),
        ("H2", r.H2, r.H2_ci),
    ):
        out[f"{name}[0]"], out[f"{name}[1]"], out[f"{name}[2]"] = est, ci[0], ci[1]
    return out


@cache
def computed(dataset: str, ref_id: str) -> dict[str, object]:
    """Our value for every key a reference result states (flattened like metafor_refs.flatten)."""
    if dataset == "dat_bcg":
        rr, orr, cols = bcg()
        if ref_id == "RR_RE_REML":
            return _model_values(ma.meta_analysis(rr.yi, rr.vi))
        if ref_id in ("RR_RE_REML_predict_log",):
            return _model_values(ma.meta_analysis(rr.yi, rr.vi))
        if ref_id == "RR_RE_REML_predict_exp":
            return _exp_values(ma.meta_analysis(rr.yi, rr.vi))
        if ref_id == "RR_RE_REML_confint_heterogeneity":
            return _confint_values(ma.meta_analysis(rr.yi, rr.vi))
        if ref_id in ("RR_EE", "RR_RE_DL", "OR_EE", "OR_RE_DL"):
            data = rr if ref_id.startswith("RR") else orr
            r = ma.meta_analysis(data.yi, data.vi, method="EE" if ref_id.endswith("EE") else "DL")
            values: dict[str, object] = _model_values(r)
            values.update({f"exp.{key}": value for key, value in _exp_values(r).items()})
            return values
        if ref_id == "RR_meta_regression_ablat_year":
            mods = np.column_stack([cols["ablat"], cols["year"]])
            return _regression_values(ma.meta_regression(rr.yi, rr.vi, mods, names=["ablat", "year"]))
        if ref_id == "trimfill_EE_L0":
            return _trimfill_values(ma.trim_and_fill(rr.yi, rr.vi, method="EE"))
        if ref_id == "trimfill_EE_R0":
            return _trimfill_values(ma.trim_and_fill(rr.yi, rr.vi, method="EE", estimator="R0"))
        if ref_id == "trimfill_RE_REML_L0":
            return _trimfill_values(ma.trim_and_fill(rr.yi, rr.vi))
        if ref_id == "trimfill_equal_random":
            filled = ma.trim_and_fill(rr.yi, rr.vi, method="EE")
            yi = np.concatenate([rr.yi, filled.filled_yi])
            vi = np.concatenate([rr.vi, filled.filled_vi])
            return _model_values(ma.meta_analysis(yi, vi))
        if ref_id == "ranktest":
            t = ma.rank_correlation_test(rr.yi, rr.vi)
            return {"kendall_tau": t.tau, "pval": t.pval}
    if dataset == "dat_bangertdrowns2004":
        cols = bangert()
        yi, vi = np.array(cols["yi"]), np.array(cols["vi"])
        if ref_id == "RE_REML":
            return _model_values(ma.meta_analysis(yi, vi))
        if ref_id == "mod_grade_factor":
            grade = np.array(cols["grade"])
            levels = sorted(set(grade.tolist()))
            mods = np.column_stack([(grade == level).astype(float) for level in levels[1:]])
            names = [f"grade{level:g}" for level in levels[1:]]
            return _regression_values(ma.meta_regression(yi, vi, mods, names=names))
        if ref_id == "mod_length":
            return _regression_values(ma.meta_regression(yi, vi, np.array(cols["length"]), names=["length"]))
    raise KeyError(f"no computation for {dataset}/{ref_id}")


# ---------------------------------------------------------------------------------------------
# The parametrised published cases


def _published_cases() -> list:
    if not AVAILABLE:
        return []
    cases = []
    for dataset in ("dat_bcg", "dat_bangertdrowns2004"):
        for ref in load(dataset)["reference_results"]:
            for key, expected in flatten({k: v for k, v in ref.items() if k in ("values", "exp")}):
                key = key.removeprefix("values.")
                cases.append(
                    pytest.param(
                        dataset,
                        ref["id"],
                        key,
                        expected,
                        ref.get("decimals", 4),
                        ref.get("I2_decimals"),
                        ref.get("H2_decimals"),
                        id=f"{dataset}-{ref['id']}-{key}",
                    )
                )
    return cases


def tolerance(ref_id: str, key: str, expected: float, decimals: int) -> float:
    decimals = max(decimals, shown_decimals(expected))
    half_unit = 0.5 * 10.0**-decimals
    if ref_id in CLOSED_FORM:
        return half_unit * (1 + 1e-9)
    if key.startswith(("I2", "R2")):
        return max(half_unit, 0.05)
    return max(half_unit, 2e-4)


@needs_refs
@pytest.mark.parametrize(
    ("dataset", "ref_id", "key", "expected", "decimals", "i2_dec", "h2_dec"), _published_cases()
)
def test_matches_metafor_published(dataset, ref_id, key, expected, decimals, i2_dec, h2_dec):
    values = computed(dataset, ref_id)
    assert key in values, f"{ref_id}: no computed value for {key!r}"
    actual = values[key]
    if isinstance(expected, str):
        assert actual == expected
        return
    if key.endswith("_lt"):  # printed as "<.0001"
        assert actual < expected
        return
    # metafor prints I^2, H^2 and R^2 with 2 decimals in model summaries (confint prints 4)
    if key in ("I2_pct", "R2_pct"):
        decimals = i2_dec or 2
    if key == "H2":
        decimals = h2_dec or 2
    if isinstance(expected, int) and key in ("k", "k0", "Q_df", "QE_df", "QM_df"):
        assert actual == expected
        return
    assert actual == pytest.approx(expected, abs=tolerance(ref_id, key, expected, decimals))


def _derived_cases() -> list:
    if not AVAILABLE:
        return []
    cases = []
    for dataset in ("dat_bcg", "dat_bangertdrowns2004"):
        for name, values in load(dataset)["derived_unpublished"]["results"].items():
            method, test = name.split("_")
            for key, expected in values.items():
                cases.append(pytest.param(dataset, method, test, key, expected, id=f"{dataset}-{name}-{key}"))
    return cases


@cache
def derived_fit(dataset: str, method: str, test: str) -> ma.MetaResult:
    if dataset == "dat_bcg":
        yi, vi = bcg()[0].yi, bcg()[0].vi
    else:
        yi, vi = bangert()["yi"], bangert()["vi"]
    # the derived values are exact optima, so converge REML tightly here
    return ma.meta_analysis(yi, vi, method=method, test=test, threshold=1e-10, tau2_ci=False)


@needs_refs
@pytest.mark.parametrize(("dataset", "method", "test", "key", "expected"), _derived_cases())
def test_matches_derived_unpublished(dataset, method, test, key, expected):
    result = derived_fit(dataset, method, test)
    tol = 1e-4 if method in ("PM", "REML") else 1e-6
    assert getattr(result, key) == pytest.approx(expected, abs=tol)


@needs_refs
def test_metafor_stop_rule_differs_from_the_exact_optimum_by_about_its_threshold():
    rr = bcg()[0]
    emulated = ma.meta_analysis(rr.yi, rr.vi, tau2_ci=False)
    exact = ma.meta_analysis(rr.yi, rr.vi, threshold=1e-10, tau2_ci=False)
    assert emulated.iterations < exact.iterations
    assert abs(emulated.tau2 - exact.tau2) < 1e-5
    assert exact.tau2 == pytest.approx(
        load("dat_bcg")["derived_unpublished"]["results"]["REML_z"]["tau2"], abs=1e-9
    )


@needs_refs
def test_exact_q_profile_interval_is_within_unirroot_tolerance():
    rr = bcg()[0]
    default = ma.heterogeneity_ci(rr.yi, rr.vi)
    exact = ma.heterogeneity_ci(rr.yi, rr.vi, tol=1e-12)
    assert default.tau2 == pytest.approx(exact.tau2, abs=ma.UNIROOT_TOL)
    # at the limits the generalised Q equals the chi^2 quantiles
    q = ma._generalised_q
    y, v, X = rr.yi, rr.vi, np.ones((rr.yi.size, 1))
    from scipy import stats

    assert q(exact.tau2[0], y, v, X) == pytest.approx(stats.chi2.isf(0.025, 12), rel=1e-9)
    assert q(exact.tau2[1], y, v, X) == pytest.approx(stats.chi2.ppf(0.025, 12), rel=1e-9)


# ---------------------------------------------------------------------------------------------
# Properties


@pytest.fixture
def homogeneous():
    """Studies whose spread is smaller than their sampling error: every tau^2 estimator gives 0."""
    yi = np.array([0.30, 0.31, 0.29, 0.30, 0.32, 0.28])
    vi = np.array([0.04, 0.05, 0.03, 0.06, 0.05, 0.04])
    return yi, vi


@pytest.mark.parametrize("method", ["DL", "REML", "ML", "PM", "HE"])
def test_random_effects_equal_equal_effects_when_tau2_is_zero(homogeneous, method):
    ee = ma.meta_analysis(*homogeneous, method="EE")
    re = ma.meta_analysis(*homogeneous, method=method)
    assert re.tau2 == 0
    assert re.estimate == pytest.approx(ee.estimate, abs=1e-12)
    assert re.se == pytest.approx(ee.se, abs=1e-12)
    assert (re.ci_lb, re.ci_ub) == pytest.approx((ee.ci_lb, ee.ci_ub), abs=1e-12)
    assert (re.pi_lb, re.pi_ub) == pytest.approx((re.ci_lb, re.ci_ub), abs=1e-12)
    assert re.I2 == 0 and re.H2 == 1
    assert re.tau2_ci[0] == 0


def test_dl_and_ee_share_q_based_i2():
    yi = [0.1, 0.5, -0.2, 0.8, 0.3]
    vi = [0.02, 0.03, 0.05, 0.04, 0.01]
    ee = ma.meta_analysis(yi, vi, method="EE")
    dl = ma.meta_analysis(yi, vi, method="DL")
    assert dl.I2 == pytest.approx(ee.I2, abs=1e-9)
    assert dl.H2 == pytest.approx(ee.H2, abs=1e-9)


def test_weights_sum_to_100_and_ci_contains_estimate():
    r = ma.meta_analysis([0.1, 0.5, -0.2, 0.8, 0.3], [0.02, 0.03, 0.05, 0.04, 0.01])
    assert sum(r.weights) == pytest.approx(100)
    assert r.ci_lb < r.estimate < r.ci_ub
    assert r.pi_lb <= r.ci_lb and r.pi_ub >= r.ci_ub
    assert r.tau2_ci[0] <= r.tau2 <= r.tau2_ci[1]
    assert r.I2_ci[0] <= r.I2 <= r.I2_ci[1]


def test_knha_uses_t_with_k_minus_1_df():
    r = ma.meta_analysis([0.1, 0.5, -0.2, 0.8, 0.3], [0.02, 0.03, 0.05, 0.04, 0.01], test="knha")
    assert r.df == 4
    from scipy import stats

    assert r.ci_ub - r.estimate == pytest.approx(stats.t.isf(0.025, 4) * r.se)


def test_reml_tight_threshold_reaches_the_score_root():
    yi = np.array([0.1, 0.5, -0.2, 0.8, 0.3, 0.05, 0.6])
    vi = np.array([0.02, 0.03, 0.05, 0.04, 0.01, 0.02, 0.03])
    r = ma.meta_analysis(yi, vi, threshold=1e-10, tau2_ci=False)
    w = 1 / (vi + r.tau2)
    Py, trP, _, _, _ = ma._projection(np.ones((yi.size, 1)), yi, w)
    assert float(Py @ Py) - trP == pytest.approx(0, abs=1e-7)


def test_pm_solves_generalised_q_equal_to_df():
    yi = np.array([0.1, 0.5, -0.2, 0.8, 0.3])
    vi = np.array([0.02, 0.03, 0.05, 0.04, 0.01])
    r = ma.meta_analysis(yi, vi, method="PM", tau2_ci=False)
    assert ma._generalised_q(r.tau2, yi, vi, np.ones((5, 1))) == pytest.approx(4, abs=1e-9)


def test_leave_one_out_gives_k_results_each_without_one_study():
    yi = [0.1, 0.5, -0.2, 0.8, 0.3, 0.4]
    vi = [0.02, 0.03, 0.05, 0.04, 0.01, 0.02]
    results = ma.leave_one_out(yi, vi, method="DL")
    assert len(results) == len(yi)
    assert all(r.k == len(yi) - 1 for r in results)
    direct = ma.meta_analysis(yi[1:], vi[1:], method="DL")
    assert results[0].estimate == pytest.approx(direct.estimate)


def test_subgroups_fit_separately_and_q_between_matches_hand_computation():
    yi = [0.1, 0.5, -0.2, 0.8, 0.3, 0.4, 0.9, 1.1]
    vi = [0.02, 0.03, 0.05, 0.04, 0.01, 0.02, 0.03, 0.02]
    groups = ["a", "a", "a", "b", "b", "b", "b", "b"]
    res = ma.subgroup_analysis(yi, vi, groups, method="DL")
    a, b = res.group("a"), res.group("b")
    assert (a.k, b.k) == (3, 5)
    assert a.estimate == pytest.approx(ma.meta_analysis(yi[:3], vi[:3], method="DL").estimate)
    w = np.array([1 / a.se**2, 1 / b.se**2])
    est = np.array([a.estimate, b.estimate])
    pooled = np.sum(w * est) / np.sum(w)
    assert res.Q_between == pytest.approx(np.sum(w * (est - pooled) ** 2))
    assert res.Q_between_df == 1
    assert 0 <= res.Q_between_p <= 1


def test_meta_regression_with_a_dummy_equals_the_subgroup_contrast_under_ee():
    yi = np.array([0.1, 0.5, -0.2, 0.8, 0.3, 0.4])
    vi = np.array([0.02, 0.03, 0.05, 0.04, 0.01, 0.02])
    dummy = np.array([0, 0, 0, 1, 1, 1.0])
    reg = ma.meta_regression(yi, vi, dummy, names=["b"], method="EE")
    a = ma.meta_analysis(yi[:3], vi[:3], method="EE")
    b = ma.meta_analysis(yi[3:], vi[3:], method="EE")
    assert reg.coefficient("b").estimate == pytest.approx(b.estimate - a.estimate)
    assert reg.QE == pytest.approx(a.Q + b.Q)


def test_trim_and_fill_of_a_symmetric_funnel_fills_nothing():
    yi = [0.0, 0.2, -0.2, 0.4, -0.4, 0.1, -0.1]
    vi = [0.01, 0.04, 0.04, 0.09, 0.09, 0.02, 0.02]
    t = ma.trim_and_fill(yi, vi, method="EE")
    assert t.k0 == 0 and t.filled_yi == ()
    assert t.result.k == 7


def test_egger_lm_matches_ordinary_regression_of_standardised_effects():
    # classic Egger: y/se regressed on 1/se; its intercept is the slope of the weighted model
    yi = np.array([0.1, 0.5, -0.2, 0.8, 0.3, 0.4, 0.9])
    vi = np.array([0.02, 0.03, 0.05, 0.04, 0.01, 0.02, 0.09])
    sei = np.sqrt(vi)
    X = np.column_stack([np.ones(7), 1 / sei])
    z = yi / sei
    beta, *_ = np.linalg.lstsq(X, z, rcond=None)
    resid = z - X @ beta
    cov = np.linalg.inv(X.T @ X) * (resid @ resid) / 5
    egger = ma.egger_test(yi, vi, model="lm")
    assert egger.slope == pytest.approx(beta[0])
    assert egger.zval == pytest.approx(beta[0] / math.sqrt(cov[0, 0]))
    assert egger.df == 5


def test_single_study_is_its_own_estimate():
    r = ma.meta_analysis([0.4], [0.04], tau2_ci=False)
    assert r.estimate == pytest.approx(0.4) and r.se == pytest.approx(0.2)
    assert r.tau2 == 0 and r.Q == 0 and r.Q_p == 1


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("yi", "vi", "kwargs", "message"),
    [
        ([0.1, 0.2], [0.01], {}, "yi has 2 values but vi has 1"),
        ([], [], {}, "no studies"),
        ([0.1, float("nan")], [0.01, 0.02], {}, "yi has a missing"),
        ([0.1, 0.2], [0.01, 0.0], {}, "vi must be positive"),
        ([0.1, 0.2], [0.01, -1], {}, "vi must be positive"),
        (["a", "b"], [0.01, 0.02], {}, "yi must contain only numbers"),
        ([0.1, 0.2], [0.01, 0.02], {"method": "SJ"}, "unknown method"),
        ([0.1, 0.2], [0.01, 0.02], {"test": "t"}, "unknown test"),
        ([0.1, 0.2], [0.01, 0.02], {"level": 150}, "level"),
    ],
)
def test_bad_input_raises_clear_value_error(yi, vi, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ma.meta_analysis(yi, vi, **kwargs)


def test_bad_regression_and_helpers_input():
    with pytest.raises(ValueError, match="one row per study"):
        ma.meta_regression([0.1, 0.2, 0.3], [0.01, 0.02, 0.03], [1, 2])
    with pytest.raises(ValueError, match="collinear"):
        ma.meta_regression([0.1, 0.2, 0.3, 0.4], [0.01] * 4, np.column_stack([[1, 2, 3, 4], [2, 4, 6, 8]]))
    with pytest.raises(ValueError, match="at least 3 studies"):
        ma.meta_regression([0.1, 0.2], [0.01, 0.02], [1, 2])
    with pytest.raises(ValueError, match="at least two groups"):
        ma.subgroup_analysis([0.1, 0.2], [0.01, 0.02], ["a", "a"])
    with pytest.raises(ValueError, match="labels"):
        ma.subgroup_analysis([0.1, 0.2], [0.01, 0.02], ["a"])
    with pytest.raises(ValueError, match="estimator"):
        ma.trim_and_fill([0.1, 0.2, 0.3], [0.01, 0.02, 0.03], estimator="Q9")
    with pytest.raises(ValueError, match="model must be"):
        ma.egger_test([0.1, 0.2, 0.3], [0.01, 0.02, 0.03], model="glm")
