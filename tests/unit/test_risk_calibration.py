"""Forward-chained choice of the penalty, recalibration to a recent rate, and council-level intervals."""

import numpy as np
import pytest
from scipy.special import expit

from slihub.stats import risk

BETA = np.array([0.8, -0.5, 0.3, 0.0, 0.0])


def names(p):
    return [f"x{i}" for i in range(p)]


def simulate(n, intercept, seed):
    """Outcomes from a known logistic model on standardised features."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, BETA.size))
    y = (rng.random(n) < expit(intercept + X @ BETA)).astype(float)
    return X, y


def folds_from(years):
    """Forward chaining: each year predicted from all the years before it."""
    folds = []
    for k in range(1, len(years)):
        X_train = np.vstack([X for X, _ in years[:k]])
        y_train = np.concatenate([y for _, y in years[:k]])
        folds.append(risk.Fold(X_train, y_train, np.ones(y_train.size), *years[k]))
    return folds


def test_forward_chained_choice_of_a_wide_grid_is_interior_and_calibrated_on_a_known_model():
    years = [simulate(400, -2.0, seed) for seed in range(6)]
    grid = tuple(10 ** (k / 2) for k in range(-2, 9))
    held = risk.forward_chained_losses(folds_from(years), feature_names=names(5), grid=grid)
    best = min(held, key=lambda penalty: held[penalty].log_loss)
    assert best < 100  # a true signal: a penalty that lets the model learn it
    # the chosen model, trained on every year, is calibrated on fresh data from the same model
    X = np.vstack([X for X, _ in years])
    y = np.concatenate([y for _, y in years])
    model = risk.fit_logistic(X, y, feature_names=names(5), penalty=best)
    X_new, y_new = simulate(20_000, -2.0, seed=99)
    intercept, slope = risk.calibration_intercept_slope(y_new, model.predict(X_new))
    assert 0.8 <= slope <= 1.25  # the aim for calibration
    assert intercept == pytest.approx(0.0, abs=0.15)


def test_forward_chained_losses_are_the_held_out_log_loss_of_each_penalty():
    years = [simulate(200, -1.0, seed) for seed in range(3)]
    folds = folds_from(years)
    held = risk.forward_chained_losses(folds, feature_names=names(5), grid=(1.0, 1000.0))
    by_hand = []
    for f in folds:
        model = risk.fit_logistic(f.X_train, f.y_train, feature_names=names(5), penalty=1.0)
        by_hand.append(model.predict(f.X_test))
    y = np.concatenate([f.y_test for f in folds])
    assert held[1.0].log_loss == pytest.approx(risk.log_loss(y, np.concatenate(by_hand)))
    assert list(held[1.0].y) == list(y)
    # a penalty that forbids learning does worse on a model with real effects
    assert held[1000.0].log_loss > held[1.0].log_loss


def test_a_fold_without_both_classes_in_training_is_skipped_and_none_usable_is_refused():
    X, y = simulate(50, 0.0, 1)
    one_class = risk.Fold(X[:10], np.zeros(10), np.ones(10), X[10:], y[10:])
    good = risk.Fold(X[:40], y[:40], np.ones(40), X[40:], y[40:])
    held = risk.forward_chained_losses([one_class, good], feature_names=names(5), grid=(1.0,))
    assert held[1.0].y.size == 10
    with pytest.raises(ValueError, match="both classes"):
        risk.forward_chained_losses([one_class], feature_names=names(5), grid=(1.0,))


def test_recalibration_moves_a_model_trained_at_one_rate_to_the_recent_rate():
    """Trained when one in four were positive; recently one in twenty: the shifted risks average the
    recent rate, and on fresh data at that rate they are calibrated in the large."""
    X, y = simulate(5_000, -1.2, seed=3)
    model = risk.fit_logistic(X, y, feature_names=names(5), penalty=1.0)
    X_recent, y_recent = simulate(3_000, -3.2, seed=4)
    rate = y_recent.mean()
    shift = risk.shift_to_rate(model.log_odds(X_recent), rate)
    assert shift < 0
    assert expit(model.log_odds(X_recent) + shift).mean() == pytest.approx(rate, abs=1e-9)
    X_new, y_new = simulate(20_000, -3.2, seed=5)
    p = expit(model.log_odds(X_new) + shift)
    assert p.mean() == pytest.approx(y_new.mean(), abs=0.01)
    assert risk.calibration_intercept_slope(y_new, p)[1] == pytest.approx(1.0, abs=0.12)


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1])
def test_a_shift_needs_a_rate_strictly_between_0_and_1(rate):
    with pytest.raises(ValueError, match="strictly between"):
        risk.shift_to_rate([0.0, 1.0], rate)


def test_resampling_clusters_draws_whole_clusters_and_widens_intervals_for_alike_items():
    rng = np.random.default_rng(0)
    # 40 councils, each inspected five times with the same outcome and nearly the same prediction
    clusters = np.repeat(np.arange(40), 5)
    y = np.repeat(rng.random(40) < 0.3, 5).astype(float)
    p = np.clip(np.repeat(rng.random(40), 5) * 0.5 + 0.25 * y, 0, 1)
    flagged = p > 0.5
    items = risk.evaluate(y, p, flagged, n_boot=500, seed=1)
    councils = risk.evaluate(y, p, flagged, n_boot=500, seed=1, clusters=clusters)
    assert councils.roc_auc == items.roc_auc  # the same point estimate
    width = lambda m: m.intervals["brier"][1] - m.intervals["brier"][0]  # noqa: E731
    assert width(councils) > 1.5 * width(items)  # five alike inspections are not five independent ones

    draw = risk._resampler(y.size, clusters)
    index = draw(np.random.default_rng(2))
    counts = np.bincount(clusters[index], minlength=40)
    assert set(counts) <= {0, 5, 10, 15, 20, 25}  # whole councils, never part of one
    with pytest.raises(ValueError, match="one entry per item"):
        risk._resampler(y.size, clusters[:-1])


def test_compare_gives_each_predictor_its_metrics_and_paired_differences():
    rng = np.random.default_rng(5)
    y = (rng.random(300) < 0.2).astype(float)
    good = np.clip(0.1 + 0.5 * y + rng.normal(0, 0.15, 300), 0.01, 0.99)
    noise = np.clip(rng.random(300), 0.01, 0.99)
    metrics, differences = risk.compare(
        y,
        {
            "model": (good, risk.flag_top(good, 30)),
            "same": (good, risk.flag_top(good, 30)),
            "noise": (noise, risk.flag_top(noise, 30)),
        },
        reference="model",
        n_boot=300,
        clusters=np.arange(300) // 3,
    )
    assert metrics["model"].roc_auc == pytest.approx(risk.roc_auc(y, good))
    same = differences["same"]["roc_auc"]
    assert (same.point, same.low, same.high) == (0.0, 0.0, 0.0)  # paired: identical predictors never differ
    better = differences["noise"]["roc_auc"]
    assert better.point == pytest.approx(metrics["model"].roc_auc - metrics["noise"].roc_auc)
    assert better.low > 0  # a real advantage is told apart from chance
    assert differences["noise"]["brier"].high < 0  # lower Brier is better: the model's is lower
    with pytest.raises(ValueError, match="reference"):
        risk.compare(y, {"a": (good, good > 0.5)}, reference="model")


def test_compare_ranks_a_baseline_by_its_own_score_when_given_one():
    y = np.array([0, 0, 1, 1, 0, 1], dtype=float)
    flat = np.full(6, 0.5)  # its probability says nothing ...
    score = np.array([0.1, 0.2, 0.8, 0.9, 0.3, 0.7])  # ... its score ranks perfectly
    metrics, _ = risk.compare(
        y, {"model": (flat, flat > 1), "score": (flat, flat > 1, score)}, reference="model", n_boot=100
    )
    assert metrics["model"].roc_auc == 0.5
    assert metrics["score"].roc_auc == 1.0
    assert metrics["score"].brier == metrics["model"].brier  # probability measures read the probability


def test_a_fit_started_from_another_penalty_s_solution_reaches_the_same_optimum():
    X, y = simulate(500, -1.5, seed=8)
    strong = risk.fit_logistic(X, y, feature_names=names(5), penalty=100.0)
    cold = risk.fit_logistic(X, y, feature_names=names(5), penalty=1.0)
    warm = risk.fit_logistic(X, y, feature_names=names(5), penalty=1.0, start=strong)
    assert np.allclose(warm.coef, cold.coef, atol=1e-8) and warm.intercept == pytest.approx(cold.intercept)
