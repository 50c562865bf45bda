"""Early warning end to end: an alliance coordinator opens the watchlist, opens an authority, reads why
it is flagged, and raises a help request from a suggestion; the public gets no access to risk scores.
axe runs on every early-warning page."""

from datetime import date

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def scored(reference_data):
    """Seeded figures for the real authorities (Camden's front door clearly struggling), the real Ofsted
    history, and the scores of the last few months."""
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.indicators.models import Value
    from slihub.inspections.models import Inspection
    from slihub.places.models import Authority, Region
    from slihub.warning import services
    from tests.browser.support import PASSWORD
    from tests.integration.warning_fixtures import CODES, indicator, period

    rng = np.random.default_rng(3)
    base = {"CIN": 330.0, "ReReferral": 22.0, "Continue_Assess_Comp": 82.0, "Work_Force_Agecy_Rate": 16.0}
    # Re-referrals run higher where Ofsted found weakness, so that the model learns they matter.
    weak: dict[int, list[bool]] = {}
    for authority_id, grade in Inspection.objects.graded().values_list(
        "authority_id", "overall_effectiveness"
    ):
        weak.setdefault(authority_id, []).append(grade in ("Inadequate", "Requires improvement to be good"))
    rows = []
    for year in range(2016, 2025):
        p = period(year)
        for code in CODES:
            ind = indicator(code)
            rows.append(Value(indicator=ind, period=p, area_type="england", value=base[code]))
            for authority in Authority.objects.current():
                value = base[code] * (1 + rng.normal(0, 0.12))
                if code == "ReReferral":
                    history = weak.get(authority.id, [False])
                    value = (
                        45.0
                        if authority.code == "202"
                        else 16 + 14 * sum(history) / len(history) + rng.normal(0, 2)
                    )
                rows.append(
                    Value(indicator=ind, period=p, area_type="la", authority=authority, value=round(value, 1))
                )
    Value.objects.bulk_create(rows)
    services.refresh_scores(first=date(2025, 9, 1), through=date(2025, 12, 1))
    ensure_user(
        username="london.coordinator",
        full_name="London Coordinator",
        password=PASSWORD,
        role=Role.ALLIANCE_COORDINATOR,
        region=Region.objects.get(slug="london"),
    )


def test_the_public_gets_no_risk_scores(page, site, scored):
    page.goto(site + "/warning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    response = page.request.get(site + "/api/v1/warning/scores")
    assert response.status == 401
    assert page.request.get(site + "/api/v1/authorities/202/risk").status == 401
    page.goto(site + "/")
    expect(page.get_by_role("link", name="Early warning")).to_have_count(0)


def test_a_coordinator_reads_why_camden_is_flagged_and_asks_the_exchange_for_help(page, site, axe, scored):
    from slihub.exchange.models import HelpRequest

    sign_in(page, site, "london.coordinator")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Early warning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early warning watchlist")
    rows = page.locator("#watchlist tbody tr")
    expect(rows).to_have_count(33)  # London's boroughs and the City, no one else
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name="Camden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk of a poor next inspection")
    expect(page.get_by_role("heading", name="What raised the risk")).to_be_visible()
    raising = page.locator("#raising")
    expect(raising).to_contain_text("Re-referrals within 12 months, against neighbours")
    expect(raising).to_contain_text("45.0%")
    expect(raising).to_contain_text("Raised the risk, and a concern: higher than its statistical neighbours")
    expect(page.locator("#lowering")).not_to_contain_text("Concern")
    expect(page.locator("#trend tbody tr")).to_have_count(4)
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name="Ask the exchange for a specialist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help")
    expect(page.get_by_label("The problem")).to_have_value("Support with re-referrals within 12 months")
    expect(page.get_by_label("Front door and MASH")).to_be_checked()
    page.get_by_label("Remote").check()
    page.get_by_role("button", name="Ask for help").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("request for help was published")

    request = HelpRequest.objects.get()
    assert request.authority.code == "202"
    assert request.created_by.username == "london.coordinator"
    assert "front_door_mash" in request.expertise_needed
    assert "Re-referrals" in request.linked_indicators


@pytest.mark.parametrize("path", ["/warning/backtest/", "/warning/directors/"])
def test_national_pages_pass_axe(page, site, axe, scored, path):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.warning import services
    from tests.browser.support import PASSWORD

    ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )
    services.save_backtest(services.backtest(n_boot=100, through=date(2025, 12, 1)))
    sign_in(page, site, "national.admin")
    page.goto(site + path)
    assert page.get_by_role("heading", level=1).count() == 1
    check_accessibility(axe, page)
    check_reflow(page)
    if path == "/warning/directors/":
        page.get_by_role("button", name="Record the change").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the council")
        check_accessibility(axe, page)
