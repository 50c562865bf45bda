"""slihub.stats.risk against scikit-learn (a test-only reference) and hand-computed cases."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn import metrics as skm
from sklearn.linear_model import LogisticRegression

from slihub.stats import risk


def problem(n=400, p=6, seed=0, missing=0.1, base=-1.0):
    """Correlated features on different scales, some missing, outcomes from a true logistic model."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) * np.arange(1, p + 1) + 10 * np.arange(p)
    beta = rng.normal(0, 0.5, p) / X.std(axis=0)
    eta = base + (X - X.mean(axis=0)) @ beta
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    X[rng.random((n, p)) < missing] = np.nan
    return X, y, rng.uniform(0, 2, n)


def names(p):
    return [f"f{j}" for j in range(p)]


def sklearn_fit(Z, y, w, penalty):
    return LogisticRegression(C=1 / penalty, solver="newton-cg", tol=1e-12, max_iter=10_000).fit(
        Z, y, sample_weight=w
    )


# ---------------------------------------------------------------------------------------------
# The model


@pytest.mark.parametrize("seed, penalty", [(0, 1.0), (1, 0.3), (2, 10.0), (3, 100.0)])
def test_fit_matches_sklearn_penalised_weighted(seed, penalty):
    X, y, w = problem(seed=seed)
    model = risk.fit_logistic(X, y, feature_names=names(6), weights=w, penalty=penalty)
    Z = model.standardise(X)
    reference = sklearn_fit(Z, y, w, penalty)
    np.testing.assert_allclose(model.coef, reference.coef_[0], atol=1e-6, rtol=0)
    assert model.intercept == pytest.approx(reference.intercept_[0], abs=1e-6)
    np.testing.assert_allclose(model.predict(X), reference.predict_proba(Z)[:, 1], atol=1e-6, rtol=0)
    # lbfgs, scikit-learn's default solver, reaches the same optimum
    lbfgs = LogisticRegression(C=1 / penalty, tol=1e-12, max_iter=10_000).fit(Z, y, sample_weight=w)
    np.testing.assert_allclose(model.coef, lbfgs.coef_[0], atol=1e-6, rtol=0)


def test_standardisation_uses_weighted_moments_and_imputes_missing_at_the_mean():
    X, y, w = problem(seed=4)
    model = risk.fit_logistic(X, y, feature_names=names(6), weights=w)
    for j in range(6):
        present = ~np.isnan(X[:, j])
        mean = np.average(X[present, j], weights=w[present])
        sd = math.sqrt(np.average((X[present, j] - mean) ** 2, weights=w[present]))
        assert model.means[j] == pytest.approx(mean, rel=1e-12)
        assert model.scales[j] == pytest.approx(sd, rel=1e-12)
    row = X[0].copy()
    row[2] = np.nan
    filled = row.copy()
    filled[2] = model.means[2]
    assert model.predict(row) == pytest.approx(model.predict(filled), abs=1e-15)
    assert model.contributions(row)[2] == 0.0


def test_unweighted_fit_is_the_all_ones_weighted_fit():
    X, y, _ = problem(seed=5, missing=0)
    plain = risk.fit_logistic(X, y, feature_names=names(6))
    ones = risk.fit_logistic(X, y, feature_names=names(6), weights=np.ones(len(y)))
    np.testing.assert_allclose(plain.coef, ones.coef, atol=1e-12)
    reference = sklearn_fit(plain.standardise(X), y, None, 1.0)
    np.testing.assert_allclose(plain.coef, reference.coef_[0], atol=1e-6)


def test_zero_weights_are_the_same_as_dropping_the_rows():
    X, y, w = problem(seed=6)
    w[::3] = 0.0
    model = risk.fit_logistic(X, y, feature_names=names(6), weights=w)
    keep = w > 0
    dropped = risk.fit_logistic(X[keep], y[keep], feature_names=names(6), weights=w[keep])
    np.testing.assert_allclose(model.means, dropped.means, rtol=1e-12)
    np.testing.assert_allclose(model.scales, dropped.scales, rtol=1e-12)
    np.testing.assert_allclose(model.coef, dropped.coef, atol=1e-9)


def test_constant_and_all_missing_columns_get_scale_one_and_no_coefficient():
    X, y, w = problem(seed=7, p=3)
    X = np.column_stack([X, np.full(len(y), 4.2), np.full(len(y), np.nan)])
    model = risk.fit_logistic(X, y, feature_names=names(5), weights=w)
    assert model.scales[3] == 1.0 and model.scales[4] == 1.0
    assert model.means[3] == pytest.approx(4.2) and model.means[4] == 0.0
    assert model.coef[3] == 0.0 and model.coef[4] == 0.0
    three = risk.fit_logistic(X[:, :3], y, feature_names=names(3), weights=w)
    np.testing.assert_allclose(model.coef[:3], three.coef, atol=1e-9)


def test_no_penalty_is_maximum_likelihood_even_with_a_constant_column():
    X, y, _ = problem(seed=8, p=3, missing=0)
    X = np.column_stack([X, np.ones(len(y))])
    model = risk.fit_logistic(X, y, feature_names=names(4), penalty=0.0)
    reference = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, max_iter=10_000).fit(
        model.standardise(X)[:, :3], y
    )
    np.testing.assert_allclose(model.coef[:3], reference.coef_[0], atol=1e-6)
    assert model.coef[3] == 0.0


def test_contributions_add_up_to_the_log_odds():
    X, y, w = problem(seed=9)
    model = risk.fit_logistic(X, y, feature_names=names(6), weights=w)
    for row in X[:5]:
        total = model.intercept + model.contributions(row).sum()
        assert 1 / (1 + math.exp(-total)) == pytest.approx(float(model.predict(row)), abs=1e-14)
    assert model.predict(X[:5]).shape == (5,)


@pytest.mark.parametrize("y", [[0, 0, 0, 0], [1, 1, 1, 1]])
def test_one_class_is_refused(y):
    with pytest.raises(ValueError, match="one class"):
        risk.fit_logistic(np.eye(4), y, feature_names=names(4))


def test_all_weight_on_one_class_is_refused():
    with pytest.raises(ValueError, match="one class"):
        risk.fit_logistic(np.eye(4), [0, 1, 0, 1], feature_names=names(4), weights=[1, 0, 1, 0])


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="0/1"):
        risk.fit_logistic(np.eye(3), [0, 2, 1], feature_names=names(3))
    with pytest.raises(ValueError, match="feature names"):
        risk.fit_logistic(np.eye(3), [0, 1, 1], feature_names=names(2))
    with pytest.raises(ValueError, match="non-negative"):
        risk.fit_logistic(np.eye(3), [0, 1, 1], feature_names=names(3), weights=[1, -1, 1])
    with pytest.raises(ValueError, match="penalty"):
        risk.fit_logistic(np.eye(3), [0, 1, 1], feature_names=names(3), penalty=-1)


def test_separable_data_without_penalty_does_not_pretend_to_converge():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(risk.ConvergenceError):
        risk.fit_logistic(X, [0, 0, 1, 1], feature_names=["x"], penalty=0.0)
    assert risk.fit_logistic(X, [0, 0, 1, 1], feature_names=["x"], penalty=1.0).coef[0] > 0


def test_round_trip_through_json_is_exact():
    X, y, w = problem(seed=10)
    model = risk.fit_logistic(X, y, feature_names=names(6), weights=w, penalty=3.0)
    data = json.loads(json.dumps(model.to_dict(), allow_nan=False))
    again = risk.LogisticModel.from_dict(data)
    assert again.to_dict() == model.to_dict()
    assert again.feature_names == model.feature_names
    assert np.array_equal(again.predict(X), model.predict(X))
    with pytest.raises(ValueError):
        model.coef[0] = 1.0  # the arrays are read-only, like the dataclass


# ---------------------------------------------------------------------------------------------
# Weights and the penalty


def test_decay_weights():
    np.testing.assert_allclose(risk.decay_weights([0, 2, 4, 1], 2.0), [1, 0.5, 0.25, 2**-0.5])
    with pytest.raises(ValueError, match="negative"):
        risk.decay_weights([1, -0.1], 2.0)
    with pytest.raises(ValueError, match="half_life"):
        risk.decay_weights([1], 0)


def held_out_loss(X, y, groups, w, penalty):
    """The leave-one-group-out loss written out plainly with scikit-learn."""
    losses, weights = [], []
    for g in np.unique(groups):
        test = groups == g
        model = risk.fit_logistic(X[~test], y[~test], feature_names=names(X.shape[1]), weights=w[~test])
        Z_train, Z_test = model.standardise(X[~test]), model.standardise(X[test])
        reference = sklearn_fit(Z_train, y[~test], w[~test], penalty)
        p = reference.predict_proba(Z_test)[:, 1]
        losses.append(skm.log_loss(y[test], p, sample_weight=w[test], labels=[0, 1]) * w[test].sum())
        weights.append(w[test].sum())
    return sum(losses) / sum(weights)


def random_scores(seed, n=200, ties=False):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.2).astype(int)
    p = 1 / (1 + np.exp(-(rng.normal(size=n) + y)))
    if ties:
        p = np.clip(np.round(p, 1), 0.05, 0.95)  # away from 0/1, where scikit-learn clips at float eps
    return y, p


@pytest.mark.parametrize("seed, ties", [(0, False), (1, True), (2, False), (3, True)])
def test_metrics_match_sklearn(seed, ties):
    y, p = random_scores(seed, ties=ties)
    assert risk.roc_auc(y, p) == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)
    assert risk.average_precision(y, p) == pytest.approx(skm.average_precision_score(y, p), abs=1e-12)
    assert risk.brier(y, p) == pytest.approx(skm.brier_score_loss(y, p), abs=1e-12)
    assert risk.log_loss(y, p) == pytest.approx(skm.log_loss(y, p), abs=1e-12)
    w = np.random.default_rng(seed).uniform(0, 3, len(y))
    assert risk.log_loss(y, p, w) == pytest.approx(skm.log_loss(y, p, sample_weight=w), abs=1e-12)


def test_auc_with_ties_by_hand():
    # positives 0.8, 0.4; negatives 0.4, 0.2, 0.1: pairs won 3 + (half of 1 tie) + 2 = 5.5 of 6
    y = [1, 1, 0, 0, 0]
    p = [0.8, 0.4, 0.4, 0.2, 0.1]
    assert risk.roc_auc(y, p) == pytest.approx(5.5 / 6)
    assert risk.roc_auc([1, 0], [0.3, 0.3]) == 0.5


def test_average_precision_by_hand():
    # ranked: 1 (P=1, R=1/2), 0, 1 (P=2/3, R=1): AP = 1/2 * 1 + 1/2 * 2/3
    assert risk.average_precision([1, 0, 1], [0.9, 0.5, 0.1]) == pytest.approx(0.5 + 1 / 3)
    # a tie between a positive and a negative is one threshold: P = 1/2 at R = 1
    assert risk.average_precision([1, 0], [0.5, 0.5]) == pytest.approx(0.5)


def test_one_class_metrics_are_nan_or_defined():
    assert math.isnan(risk.roc_auc([0, 0, 0], [0.1, 0.2, 0.3]))
    assert math.isnan(risk.roc_auc([1, 1], [0.1, 0.2]))
    assert math.isnan(risk.average_precision([0, 0], [0.1, 0.2]))
    assert risk.average_precision([1, 1], [0.1, 0.2]) == 1.0
    assert risk.brier([1, 0], [1.0, 0.0]) == 0.0
    assert all(math.isnan(v) for v in risk.calibration_intercept_slope([0, 0, 0], [0.1, 0.2, 0.3]))


def test_log_loss_clips():
    assert risk.log_loss([1], [0.0]) == pytest.approx(-math.log(1e-15))
    assert risk.log_loss([0, 1], [0.0, 1.0]) == pytest.approx(
        (-math.log1p(-1e-15) - math.log(1 - 1e-15)) / 2, rel=1e-9
    )


def test_nan_predictions_are_refused():
    with pytest.raises(ValueError, match="NaN"):
        risk.roc_auc([0, 1], [0.1, np.nan])


def test_calibration_intercept_slope():
    rng = np.random.default_rng(12)
    p = rng.uniform(0.02, 0.6, 20_000)
    y = (rng.random(p.size) < p).astype(int)
    a, b = risk.calibration_intercept_slope(y, p)
    assert abs(a) < 0.1 and abs(b - 1) < 0.1  # calibrated by construction
    logits = np.log(p / (1 - p))
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(logits[:, None], y)
    assert a == pytest.approx(reference.intercept_[0], abs=1e-6)
    assert b == pytest.approx(reference.coef_[0, 0], abs=1e-6)
    # predictions twice as extreme on the log-odds scale are recalibrated by a slope of one half
    doubled = 1 / (1 + np.exp(-2 * logits))
    assert risk.calibration_intercept_slope(y, doubled)[1] == pytest.approx(b / 2, rel=1e-6)
    # perfect separation has no finite recalibration
    assert all(math.isnan(v) for v in risk.calibration_intercept_slope([0, 0, 1], [0.1, 0.2, 0.9]))


def test_calibration_table():
    y, p = random_scores(13, n=103)
    table = risk.calibration_table(y, p, bins=5)
    assert len(table) == 5
    assert sum(row["n"] for row in table) == 103
    assert all(abs(row["n"] - 103 / 5) <= 1 for row in table)
    assert all(a["upper"] < b["lower"] for a, b in zip(table, table[1:], strict=False))
    for row in table:
        inside = (p >= row["lower"]) & (p <= row["upper"])
        assert row["mean_predicted"] == pytest.approx(p[inside].mean())
        assert row["observed"] == pytest.approx(y[inside].mean())


def test_calibration_table_keeps_equal_predictions_together():
    table = risk.calibration_table([0, 1, 0, 1, 1, 0], [0.1, 0.1, 0.1, 0.1, 0.5, 0.5], bins=5)
    assert [(row["lower"], row["upper"], row["n"], row["observed"]) for row in table] == [
        (0.1, 0.1, 4, 0.5),
        (0.5, 0.5, 2, 0.5),
    ]
    assert risk.calibration_table([1, 0], [0.3, 0.3]) == [
        {"lower": 0.3, "upper": 0.3, "n": 2, "mean_predicted": 0.3, "observed": 0.5}
    ]
    assert risk.calibration_table([], []) == []


def test_precision_recall_flagged_and_flag_top():
    y = [1, 0, 1, 0, 1]
    flagged = risk.flag_top([0.9, 0.8, 0.1, 0.3, 0.7], 2)
    assert flagged.tolist() == [True, True, False, False, False]
    assert risk.precision_recall_flagged(y, flagged) == (0.5, 1 / 3)
    assert math.isnan(risk.precision_recall_flagged(y, [False] * 5)[0])
    assert math.isnan(risk.precision_recall_flagged([0, 0], [True, False])[1])
    assert skm.precision_score(y, flagged) == 0.5 and skm.recall_score(y, flagged) == pytest.approx(1 / 3)


# ---------------------------------------------------------------------------------------------
# Bootstrap and evaluate


def test_bootstrap_is_deterministic_and_ignores_nan():
    values = np.random.default_rng(14).normal(size=50)
    first = risk.bootstrap_interval(lambda i: values[i].mean(), 50, n_boot=300, seed=3)
    assert first == risk.bootstrap_interval(lambda i: values[i].mean(), 50, n_boot=300, seed=3)
    assert first != risk.bootstrap_interval(lambda i: values[i].mean(), 50, n_boot=300, seed=4)
    assert first[2] == 300
    # NaN when the resample misses item 0: only the others count
    low, high, used = risk.bootstrap_interval(
        lambda i: values[i].mean() if 0 in i else math.nan, 50, n_boot=300
    )
    assert 0 < used < 300
    assert math.isnan(risk.bootstrap_interval(lambda i: math.nan, 5, n_boot=10)[0])


def test_bootstrap_interval_covers_the_mean_about_as_often_as_it_says():
    # 200 samples of 40 from N(1, 1): a 90% percentile interval should cover 1 in roughly 90% of them
    rng = np.random.default_rng(15)
    covered = 0
    for k in range(200):
        sample = rng.normal(1.0, 1.0, 40)
        low, high, _ = risk.bootstrap_interval(
            lambda i, s=sample: s[i].mean(), 40, n_boot=400, level=0.9, seed=k
        )
        covered += low <= 1.0 <= high
    assert 0.8 <= covered / 200 <= 0.97
    # and its width is close to the normal theory one, 2 * 1.645 / sqrt(40)
    low, high, _ = risk.bootstrap_interval(lambda i: sample[i].mean(), 40, n_boot=4000, level=0.9)
    assert high - low == pytest.approx(2 * 1.645 * sample.std() / math.sqrt(40), rel=0.15)


def test_evaluate():
    y, p = random_scores(16, n=150)
    flagged = risk.flag_top(p, 15)
    result = risk.evaluate(y, p, flagged, n_boot=200, seed=1)
    assert result.n == 150 and result.positives == int(y.sum())
    assert result.roc_auc == risk.roc_auc(y, p)
    assert result.pr_auc == risk.average_precision(y, p)
    assert result.brier == risk.brier(y, p)
    assert (result.precision_top, result.recall_top) == risk.precision_recall_flagged(y, flagged)
    assert (result.calibration_intercept, result.calibration_slope) == risk.calibration_intercept_slope(y, p)
    for name in ("roc_auc", "pr_auc", "brier", "precision_top", "recall_top", "calibration_slope"):
        low, high = result.intervals[name]
        assert low <= getattr(result, name) <= high, name
    # each interval is the one bootstrap_interval gives with the same seed (shared resamples)
    alone = risk.bootstrap_interval(lambda i: risk.roc_auc(y[i], p[i]), 150, n_boot=200, seed=1)
    assert result.intervals["roc_auc"] == alone[:2] and result.resamples["roc_auc"] == alone[2]
    assert risk.evaluate(y, p, flagged, n_boot=200, seed=1) == result
    json.dumps(result.to_dict(), allow_nan=False)


def test_evaluate_with_few_positives_reports_how_many_resamples_counted():
    y = np.zeros(60, dtype=int)
    y[[3, 40]] = 1
    p = np.linspace(0.01, 0.5, 60)
    result = risk.evaluate(y, p, risk.flag_top(p, 15), n_boot=300, seed=2)
    assert result.positives == 2
    assert result.resamples["roc_auc"] < 300  # resamples without a positive have no AUC
    assert result.resamples["brier"] == 300


def test_winsorising_holds_a_freak_value_at_the_limit_in_fits_and_scores():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + rng.normal(size=200) > 0).astype(float)
    X[0, 0] = 1e6  # a figure returned by mistake
    model = risk.fit_logistic(X, y, feature_names=("a", "b"), penalty=1.0, winsor=3.0)
    z = model.standardise(np.array([[1e9, 0.0], [-1e9, 0.0]]))
    assert z[0, 0] == 3.0 and z[1, 0] == -3.0
    assert risk.LogisticModel.from_dict(model.to_dict()).to_dict() == model.to_dict()
    assert model.to_dict()["winsor"] == 3.0
    assert risk.fit_logistic(X, y, feature_names=("a", "b")).to_dict()["winsor"] is None
