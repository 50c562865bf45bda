"""The headline set (slihub/indicators/headline.py) against the real bank: every slug names a loaded
indicator with authorities' figures, and the set covers each outcome and enabler of the framework."""

import pytest
from django.db.models import Count

from slihub.indicators import headline
from slihub.indicators.classification import FrameworkArea
from slihub.indicators.models import Comparison, Indicator

pytestmark = pytest.mark.django_db


def test_the_set_is_about_forty_indicators_over_every_outcome_and_enabler():
    assert 30 <= len(headline.HEADLINE) <= 40
    assert len(set(headline.SLUGS)) == len(headline.SLUGS)
    assert [area for area, entries in headline.areas() if entries] == list(FrameworkArea)


def test_every_headline_slug_is_in_the_bank_with_authorities_figures():
    every = headline.SLUGS + headline.STAND_INS
    found = set(Indicator.objects.filter(slug__in=every).values_list("slug", flat=True))
    assert set(every) - found == set()
    with_values = dict(
        Comparison.objects.filter(indicator__slug__in=every, value__isnull=False)
        .values_list("indicator__slug")
        .annotate(authorities=Count("authority", distinct=True))
        .values_list("indicator__slug", "authorities")
    )
    thin = {slug: with_values.get(slug, 0) for slug in every if with_values.get(slug, 0) < 100}
    assert thin == {}, f"headline indicators with figures for fewer than 100 authorities: {thin}"
