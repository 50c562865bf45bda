"""The early-warning model's choices: forward-chained penalty and memory, recalibration to the recent rate,
what it learns from, and that none of it looks ahead."""

from datetime import date

import numpy as np
import pytest
from scipy.special import expit

from slihub.warning import services
from slihub.warning.features import FEATURES, RECORD_ONLY
from slihub.warning.models import RiskModel, RiskScore
from tests.integration.warning_fixtures import add_inspection, build_world

AS_OF = date(2024, 6, 1)


@pytest.fixture
def world(places):
    build_world(places)
    return places


def test_visits_and_directors_are_shown_but_not_learnt_from():
    assert not set(RECORD_ONLY) & set(FEATURES)


def test_the_sets_of_signals_are_nested_from_ofsted_s_record_to_every_signal():
    record, performance, every = services.FEATURE_SETS.values()
    assert set(record) < set(performance) < set(every) == set(FEATURES)
    assert "prev_inadequate" in record and "ReReferral:gap" in performance and "CIN:gap" not in performance


def test_the_month_s_risks_average_the_rate_of_the_last_24_months_published_inspections(world):
    scorer = services.Scorer()
    trained = scorer.fit(scorer.known_outcomes(AS_OF), "below_good", as_of=AS_OF)
    recent = [o for o in scorer.panel.outcomes if date(2022, 6, 1) <= o.published_on < AS_OF]
    assert trained.model.feature_names == services.FEATURE_SETS[trained.choice.features]
    assert trained.recalibration.inspections == len(recent) > 0
    positives = sum(o.below_good for o in recent)
    assert trained.recalibration.positives == positives
    X = scorer.matrix([(o.authority_id, o.month) for o in recent], trained.model.feature_names)
    mean = float(np.mean(trained.model.predict(X)))
    assert mean == pytest.approx((positives + 0.5) / (len(recent) + 1), abs=1e-9)
    # the recalibration only moves the level: the order of the risks is the unshifted model's
    unshifted = trained.model.log_odds(X) - trained.recalibration.shift
    assert list(np.argsort(expit(unshifted))) == list(np.argsort(trained.model.predict(X)))


def test_the_choice_is_made_in_january_from_what_was_published_before_it(world):
    before = services.Scorer().choice("below_good", AS_OF)
    assert before.penalty in services.PENALTY_GRID and before.half_life in services.HALF_LIVES
    assert before.held_out > 0 and before.log_loss is not None
    assert before.features in services.FEATURE_SETS
    # a report published in February 2024 cannot change the choice made in January 2024 ...
    add_inspection(world.islington, date(2024, 1, 8), "Inadequate", published=date(2024, 2, 20))
    assert services.Scorer().choice("below_good", AS_OF) == before
    # ... and one published in 2023 may (it joins the years the choice is judged on)
    add_inspection(world.islington, date(2023, 3, 6), "Inadequate", published=date(2023, 4, 20))
    assert services.Scorer().choice("below_good", AS_OF).held_out == before.held_out + 1


def test_before_any_year_can_be_held_out_the_model_learns_almost_nothing(world):
    choice = services.Scorer().choice("below_good", date(2019, 3, 1))
    assert choice == services.NO_HISTORY
    assert choice.penalty == max(services.PENALTY_GRID)


def test_each_month_stores_how_its_model_was_chosen_and_recalibrated(world):
    services.refresh_scores(first=AS_OF, through=AS_OF)
    stored = RiskModel.objects.get(month=AS_OF, target="below_good")
    choice = stored.parameters["choice"]
    assert choice["penalty"] in services.PENALTY_GRID
    assert stored.parameters["recalibration"]["since"] == "2022-06-01"
    assert 0 < stored.parameters["recalibration"]["rate"] < 1


def test_the_chance_of_an_inspection_soon_reads_only_reports_published_by_the_day(world):
    before = services.inspections_soon(services.Scorer(), AS_OF)
    assert set(before) >= {world.camden.id, world.leeds.id}
    assert all(v is None or 0 <= v <= 1 for v in before.values())
    # a report published after the day changes nothing ...
    add_inspection(world.camden, date(2024, 5, 13), "Inadequate", published=date(2024, 7, 4))
    assert services.inspections_soon(services.Scorer(), AS_OF) == before
    # ... and the stored scores carry the same figure
    services.refresh_scores(first=AS_OF, through=AS_OF)
    camden = RiskScore.objects.get(month=AS_OF, target="below_good", authority=world.camden)
    assert camden.inspection_soon == before[world.camden.id]
