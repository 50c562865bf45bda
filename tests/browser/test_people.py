"""People and accounts in the browser, with axe on every page: a national admin invites someone, who
follows the emailed link, sets a name and password and signs in; a council admin removes a member;
a forgotten password is reset by email from the sign-in page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, check_accessibility, check_reflow, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a long and quiet river 42"


def path_in(message, pattern: str) -> str:
    """The path of the link in an email (links point at settings.SITE_URL, not the test's server)."""
    return re.search(rf"https?://[^/\s]+({pattern})", message.body)[1]


@pytest.fixture
def national_admin(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user

    user, _ = ensure_user(
        username="national.admin", full_name="National Admin", password=PASSWORD, role=Role.NATIONAL_ADMIN
    )
    return user


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_national_admin_invites_someone_who_accepts_and_signs_in(page, site, axe, national_admin):
    mail.outbox.clear()
    sign_in(page, site, "national.admin")
    page.goto(site + "/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address")
    expect(summary).to_contain_text("Choose a role")
    check_accessibility(axe, page)

    page.get_by_label("Email address").fill("priya.shah@camden.example.gov.uk")
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Council member", exact=True).check()
    page.get_by_label("Council", exact=True).select_option(label="Camden")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "An invitation was sent to priya.shah@camden.example.gov.uk"
    )
    expect(page.get_by_role("row").filter(has_text="priya.shah@camden.example.gov.uk")).to_contain_text(
        "Council member for Camden"
    )
    check_accessibility(axe, page)
    sign_out(page)

    [message] = mail.outbox
    page.goto(site + path_in(message, r"/accounts/invitation/[^/\s]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    expect(page.locator("main")).to_contain_text("a council member for Camden")
    check_accessibility(axe, page)
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Confirm your password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Password must be 12 characters or more")
    check_accessibility(axe, page)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your account is ready")
    check_accessibility(axe, page)

    sign_in(page, site, "priya.shah@camden.example.gov.uk", NEW_PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(site + "/authorities/202/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")  # a Camden member now


def test_a_council_admin_removes_a_member(page, site, axe, camden_admin, camden_member):
    sign_in(page, site, "camden.admin")
    page.goto(site + "/authorities/202/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    check_accessibility(axe, page)
    check_reflow(page)
    page.get_by_role("link", name="Remove Camden Member as council member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure Camden Member should no longer be council member for Camden?"
    )
    check_accessibility(axe, page)
    page.get_by_role("button", name="Remove role").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Camden Member is no longer council member for Camden"
    )
    expect(page.get_by_role("row").filter(has_text="Camden Member")).to_have_count(0)
    check_accessibility(axe, page)

    # and cannot remove themselves: Camden would have no admin left
    page.get_by_role("link", name="Remove Camden Admin as council admin").click()
    page.get_by_role("button", name="Remove role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("You are Camden's only council admin")
    check_accessibility(axe, page)


def test_a_forgotten_password_is_reset_by_email(page, site, axe, camden_member):
    camden_member.email = "camden.member@camden.example.gov.uk"
    camden_member.save()
    mail.outbox.clear()
    page.goto(site + "/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_accessibility(axe, page)
    page.get_by_label("Email address").fill("camden.member@camden.example.gov.uk")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(axe, page)

    [message] = mail.outbox
    page.goto(site + path_in(message, r"/accounts/password-reset/[^/\s]+/[^/\s]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_accessibility(axe, page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm your new password").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the same password in both boxes")
    check_accessibility(axe, page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm your new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    check_accessibility(axe, page)

    sign_in(page, site, "camden.member", NEW_PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_national_admin_changes_a_role_and_deactivates_an_account(
    page, site, axe, national_admin, camden_admin, camden_member
):
    sign_in(page, site, "national.admin")
    page.goto(site + "/people/?council=202")
    page.get_by_role("link", name="Camden Member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camden Member")
    check_accessibility(axe, page)
    check_reflow(page)

    page.get_by_role("link", name="Change Council member, Camden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a role")
    check_accessibility(axe, page)
    page.get_by_label("Alliance coordinator", exact=True).check()
    page.get_by_role("button", name="Save role").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the region for an alliance coordinator")
    check_accessibility(axe, page)
    page.get_by_label("Council", exact=True).select_option(label="Choose a council")
    page.get_by_label("Region", exact=True).select_option(label="London")
    page.get_by_role("button", name="Save role").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Camden Member is now alliance coordinator for London"
    )

    page.get_by_role("button", name="Add a role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a role")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Back").click()

    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to deactivate this account?"
    )
    check_accessibility(axe, page)
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("they can no longer sign in")
    expect(page.locator("main")).to_contain_text("This account is deactivated")
    check_accessibility(axe, page)
    page.get_by_role("button", name="Reactivate account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("they can sign in again")


def test_a_council_admin_invites_then_withdraws_and_the_link_explains_itself(page, site, axe, camden_admin):
    mail.outbox.clear()
    sign_in(page, site, "camden.admin")
    page.goto(site + "/authorities/202/people/")
    page.get_by_role("button", name="Invite someone").click()
    check_accessibility(axe, page)
    expect(page.get_by_label("National admin", exact=True)).to_have_count(0)  # never a national role
    page.get_by_label("Email address").fill("sam@camden.example.gov.uk")
    page.get_by_label("Chief executive", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The link works until")
    page.get_by_role("link", name="Withdraw the invitation to sam@camden.example.gov.uk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to withdraw this invitation?"
    )
    check_accessibility(axe, page)
    page.get_by_role("button", name="Withdraw invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("was withdrawn")
    sign_out(page)

    [message] = mail.outbox
    page.goto(site + path_in(message, r"/accounts/invitation/[^/\s]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has been withdrawn.")
    check_accessibility(axe, page)
