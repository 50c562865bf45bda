"""The catalogue and its search over the real bank: LAIT's and DfE's series of one statistic are found by
every name practitioners use for it, and the list opens on the social care measures."""

import pytest

from slihub.indicators import catalogue_selectors, headline

pytestmark = pytest.mark.django_db

LOOKED_AFTER_RATE = {"lac", "dfe-cla-rate-31-march"}


@pytest.fixture(scope="module")
def found(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        built = catalogue_selectors.build()  # once for the module: the bank is read only

    def slugs(q: str, **filters) -> list[str]:
        return [row.slug for row in built.find(q=q, **filters)]

    slugs.rows = built.rows
    return slugs


def test_looked_after_rate_finds_lait_and_dfe_series_first(found):
    assert set(found("looked after rate")[:2]) == LOOKED_AFTER_RATE


@pytest.mark.parametrize("query", ["CLA", "children in care", "looked after children", "LAC"])
def test_other_names_of_children_looked_after_find_both(found, query):
    top = found(query)[:10]
    assert LOOKED_AFTER_RATE <= set(top), top


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("re-referrals", {"rereferral", "dfe-rereferral-percent"}),
        ("agency social workers", {"work-force-agecy-rate", "dfe-sw-agency-rate"}),
        ("caseload", {"dfe-sw-caseload"}),
        ("section 47", {"section-47"}),
        ("turnover", {"work-force-to-rate", "dfe-sw-turnover-rate"}),
        ("vacancies", {"work-force-vac-rate", "dfe-sw-vacancy-rate"}),
        ("care leavers in education employment or training", {"careleavereet"}),
    ],
)
def test_practitioners_words_find_the_headline_series(found, query, expected):
    top = found(query)[:5]
    assert expected <= set(top), top


def test_the_list_opens_on_the_headline_set_not_he_entry(found):
    first = [row.slug for row in found.rows[:5]]
    assert first[0] == headline.HEADLINE[0].slug
    assert all(row.theme == "vulnerable_children" for row in found.rows[:20])


def test_every_row_names_its_latest_period_and_authorities(found):
    with_figures = [row for row in found.rows if row.latest]
    assert len(with_figures) > 0.9 * len(found.rows)
    assert all(0 < row.authorities <= 153 for row in with_figures if row.slug in headline.SLUGS)
