"""A national admin reads the early-warning watchlist and Camden's risk page while Camden is under an
improvement notice: the flag beside the score names it, when it started and its source. axe runs on both
pages, and the Content-Security-Policy blocks nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def scored(reference_data):
    """Risk scores made directly for London's councils (no model is trained), and Camden's notice."""
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.inspections.models import Intervention
    from slihub.places.models import Authority
    from slihub.warning.models import RiskScore

    ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )
    london = list(Authority.objects.current().filter(region__slug="london").order_by("code"))
    RiskScore.objects.bulk_create(
        RiskScore(
            authority=a,
            month=date(2026, 11, 1),
            target="inadequate",
            probability=0.05 + i / 100,
            rank=len(london) - i,
            scored=len(london),
            signals=[],
        )
        for i, a in enumerate(london)
    )
    Intervention.objects.create(
        authority=Authority.objects.get(code="202"),
        kind="improvement notice",
        started_on=date(2025, 2, 3),
        source_url="https://www.gov.uk/government/publications/notice",
    )


def test_the_intervention_flag_beside_the_score_is_accessible(page, site, axe, scored):
    sign_in(page, site, "national.admin")
    page.goto(f"{site}/warning/")
    camden = (
        page.locator("#watchlist")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name="Camden", exact=True))
    )
    expect(camden).to_contain_text("Statutory intervention")
    expect(camden).to_contain_text("Improvement notice in force on 1 November 2026, since 3 February 2025")
    check_accessibility(axe, page)

    page.goto(f"{site}/warning/authorities/202/")
    expect(page.locator("#interventions")).to_contain_text("since 3 February 2025")
    check_accessibility(axe, page)
