"""The table of real DfE release dates and how the risk model uses it, without a database."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from slihub.warning.features import snapshot
from slihub.warning.lags import CIN_CENSUS, CLA_RETURN, COLLECTIONS, WORKFORCE, Collection
from slihub.warning.panel import Panel
from slihub.warning.releases import BY_KEY_YEAR, RELEASES, _check, period_end, published_on, release_table

COLLECTION_BY_KEY = {c.key: c for c in COLLECTIONS if c.key}


def test_the_2020_looked_after_figures_wait_for_their_release_on_10_december_2020():
    assert published_on("cla", 2020) == date(2020, 12, 10)
    # Published at 9:30 on 10 December: usable from the next day, so in the score for 1 January.
    assert CLA_RETURN.available_on(2020) == date(2020, 12, 11)
    england = {2019: 65.0, 2020: 67.0}
    panel = Panel(values={"LAC": {1: {2019: 70.0, 2020: 75.0}}}, england={"LAC": england})
    assert snapshot(panel, 1, date(2020, 12, 1)).readings["LAC"].year == 2019
    assert snapshot(panel, 1, date(2020, 12, 10)).readings["LAC"].year == 2019
    assert snapshot(panel, 1, date(2021, 1, 1)).readings["LAC"].year == 2020


def test_a_known_date_is_used_even_where_it_is_earlier_than_the_rule():
    # Children in need 2021 came out on 28 October 2021: used from the November score, not December's.
    assert CIN_CENSUS.rule_on(2021) == date(2021, 12, 1)
    assert CIN_CENSUS.available_on(2021) == date(2021, 10, 29)
    # The delayed 2020 release (26 November 2020) still came before the rule's 1 December.
    assert CIN_CENSUS.available_on(2020) == date(2020, 11, 27)
    # A year not in the table keeps the rule.
    assert published_on("workforce", 2018) is None
    assert WORKFORCE.available_on(2018) == date(2019, 3, 1)


def test_a_collection_without_a_key_keeps_its_rule():
    other = Collection(
        "Some return", "Y is the year to 31 March Y", "published in May of Y", month=6, years_after=0
    )
    assert other.available_on(2020) == other.rule_on(2020) == date(2020, 6, 1)


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: f"{r.key}-{r.year}")
def test_every_release_is_a_real_date_after_its_period_with_a_source(release):
    assert release.key in COLLECTION_BY_KEY
    assert period_end(release.key, release.year) < release.published < date.today()
    assert release.source.startswith("https://") and release.title


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: f"{r.key}-{r.year}")
def test_a_figure_is_used_only_after_its_release_and_the_rule_is_never_earlier(release):
    collection = COLLECTION_BY_KEY[release.key]
    assert collection.available_on(release.year) == release.published + timedelta(days=1)
    # The rule stands in for the years not in the table, so it must not be earlier than any known
    # release: the looked-after rule moved from 1 December to 1 January for 10 December 2020.
    assert collection.rule_on(release.year) > release.published


def test_every_collection_has_releases_in_the_table():
    assert {key for key, _ in BY_KEY_YEAR} == set(COLLECTION_BY_KEY)


def test_an_impossible_table_entry_is_refused_with_a_clear_error():
    good = RELEASES[0]
    with pytest.raises(ValueError, match="not after the period"):
        _check([replace(good, published=date(good.year, 3, 31))])
    with pytest.raises(ValueError, match="no source"):
        _check([replace(good, source=" ")])
    with pytest.raises(ValueError, match="listed twice"):
        _check([good, good])
    with pytest.raises(ValueError, match="unknown collection key"):
        _check([replace(good, key="census")])


def test_the_release_table_shows_when_each_figure_was_first_used():
    rows = release_table()
    assert len(rows) == len(COLLECTIONS) * len(range(2017, 2026))
    cla_2020 = next(r for r in rows if r.collection == CLA_RETURN.name and r.year == 2020)
    assert (cla_2020.published, cla_2020.used_from) == (date(2020, 12, 10), date(2020, 12, 11))
    assert "fenews" in cla_2020.source and "Used from 1 January of year Y+1" in cla_2020.rule
    cla_2024 = next(r for r in rows if r.collection == CLA_RETURN.name and r.year == 2024)
    assert (cla_2024.published, cla_2024.source, cla_2024.used_from) == (None, "", date(2025, 1, 1))
