"""The alliance cycle's steps in the browser, shared by the journey test and the tests of each part.
Each step starts from a signed-in page and runs axe on every page it visits."""

from playwright.sync_api import expect

from tests.browser.support import check_accessibility


def _saved(page):
    """Waits for the autosave that the action inside the `with` starts (htmx posts to save/, answering 204),
    so that the page's own Continue never races it."""
    return page.expect_response(lambda r: r.url.endswith("/save/") and r.status == 204)


def _type_into(page, field, text):
    with _saved(page):
        field.fill(text)


def _fill_date(group, day, month, year):
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def complete_self_assessment(page, axe, base, code="202", name="Camden"):
    """The council completes its self-assessment from its overview at `base`, with its data pack beside
    it (typing saves as it goes), checks its answers and submits."""
    from slihub.alliances.models import SelfAssessment

    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-assessment")
    check_accessibility(axe, page)
    page.get_by_role("link", name=f"{name}'s data pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data pack")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    expect(page.get_by_role("heading", name="Ofsted")).to_be_visible()
    check_accessibility(axe, page)
    page.go_back()

    page.get_by_role("button", name="Start the self-assessment").click()
    answer = page.get_by_label("What do you know about the quality and impact of social work practice?")
    check_accessibility(axe, page)
    # Typing saves without leaving the page (htmx posts to the save address, which answers 204).
    with _saved(page):
        answer.press_sequentially("Practice is improving", delay=20)
    assert SelfAssessment.objects.get(authority__code=code).quality == "Practice is improving"
    expect(page.get_by_text("You have", exact=False).first).to_be_visible()  # the character count
    page.get_by_role("button", name="Save and continue").click()

    _type_into(page, page.get_by_label("How do you know it?"), "Monthly audits and what children tell us.")
    page.get_by_role("button", name="Save and continue").click()
    _type_into(
        page, page.get_by_label("What are your plans for the next 12 months?"), "Stabilise the workforce."
    )
    page.get_by_role("button", name="Save and continue").click()

    for number in range(5):
        expect(page.get_by_text(f"judgment area {number + 1} of 5")).to_be_visible()
        if number == 0:
            check_accessibility(axe, page)
            # A problem in what is typed is said in the page's status line as soon as it is saved.
            documents = page.get_by_label("Documents")
            with page.expect_response(lambda r: r.url.endswith("/save/") and r.status == 400):
                documents.fill("our plan")
            expect(page.locator("#autosave-status")).to_contain_text("is not a web address")
            _type_into(page, documents, "https://www.camden.gov.uk/children-plan")
        with _saved(page):  # one save a second after the last change
            page.get_by_label("Good", exact=True).check()
            page.get_by_label("Why this grade").fill("Audits and the last focused visit.")
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    expect(page.locator(".govuk-summary-list__actions a")).to_have_count(8)
    check_accessibility(axe, page)
    page.get_by_role("button", name="Submit the self-assessment").click()
    expect(page.locator("#status")).to_have_text("Submitted")
    check_accessibility(axe, page)


def assign_moderator(page, axe, moderator="Islington Member"):
    """The coordinator, on the self-assessment's overview, assigns a moderator from another council."""
    page.get_by_label("Moderator, from another council of London").select_option(label=moderator)
    page.get_by_role("button", name="Assign the moderator").click()
    expect(page.get_by_text(f"Moderator: {moderator}")).to_be_visible()
    check_accessibility(axe, page)


def moderate(page, axe, comments):
    """The moderator, on the self-assessment's overview, sends comments."""
    page.get_by_role("link", name="Moderate it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate the self-assessment")
    check_accessibility(axe, page)
    page.get_by_label("Your comments").fill(comments)
    page.get_by_role("button", name="Send your comments").click()
    expect(page.locator("#status")).to_have_text("Moderated")
    expect(page.get_by_text(comments).first).to_be_visible()
    check_accessibility(axe, page)


def propose_and_save_groups(page, axe, site, year):
    """The coordinator has the hub propose challenge groups for the cycle and saves them; moving a
    council out of a triad is refused with an error summary."""
    from slihub.alliances.models import ChallengeGroup

    page.goto(f"{site}/alliances/london/{year}/challenge-groups/")
    expect(page.get_by_role("heading", name="Challenge groups", exact=True)).to_be_visible()
    check_accessibility(axe, page)

    page.get_by_role("button", name="Propose groups").click()
    expect(page.get_by_role("heading", name="Proposed groups")).to_be_visible()
    expect(page.locator("#proposed-groups")).to_contain_text("furthest apart")
    check_accessibility(axe, page)

    page.get_by_role("button", name="Save these groups").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Challenge groups saved")
    expect(page.locator("#saved-groups")).to_be_visible()
    check_accessibility(axe, page)
    groups = ChallengeGroup.objects.filter(cycle__year=year)
    assert groups.count() >= 8  # 33 councils in threes and fours

    # Moving a council out of a triad leaves two: refused with a GOV.UK error summary
    triad = next(g for g in groups if g.authorities.count() == 3)
    other = groups.exclude(pk=triad.pk).first()
    page.get_by_label("Council", exact=True).select_option(label=triad.authorities.first().name)
    page.get_by_label("Move to group").select_option(value=str(other.number))
    page.get_by_role("button", name="Move council").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a group has 3 or 4")
    check_accessibility(axe, page)


def record_challenge_with_action(page, axe, site, year):
    """The coordinator records a challenge of Camden by Islington and Hackney, then an agreed action."""
    from slihub.alliances.models import AgreedAction

    page.goto(f"{site}/alliances/london/{year}/challenges/")
    check_accessibility(axe, page)
    page.get_by_role("link", name="Record a challenge").click()
    check_accessibility(axe, page)
    _fill_date(page, 20, 1, year + 1)
    page.get_by_label("Host council").select_option(label="Camden")
    page.get_by_label("Islington").check()
    page.get_by_label("Hackney").check()
    page.get_by_label("The experiences and progress of care leavers").check()
    page.get_by_label("Notes").fill("Care leavers in suitable accommodation: Camden explains its offer.")
    page.get_by_role("button", name="Record the challenge").click()
    expect(page.get_by_role("heading", name="Challenge of Camden")).to_be_visible()
    check_accessibility(axe, page)

    page.get_by_label("Action", exact=True).fill("Audit pathway plans for 19 to 21 year olds")
    page.get_by_label("Owning council").select_option(label="Camden")
    page.get_by_label("Owner's name").fill("Ada Camden")
    _fill_date(page, 31, 3, year + 1)
    page.get_by_role("button", name="Add action").click()
    card = page.locator(".govuk-summary-card")
    expect(card).to_contain_text("Audit pathway plans")
    expect(card).to_contain_text(f"31 March {year + 1}")
    check_accessibility(axe, page)
    assert AgreedAction.objects.get().owner_name == "Ada Camden"


def open_asks_and_offers(page, axe, site):
    """Camden's asks and offers, reached from its strengths page."""
    page.goto(f"{site}/alliances/strengths/202/")
    page.get_by_role("link", name="Camden's asks and offers on the menu of support").click()
    expect(page.locator("h1")).to_have_text("Asks and offers")
    check_accessibility(axe, page)


def post_offer(page, axe, *, area, title, strength, details=None):
    """On the offer form: an offer in `area` backed by the strength labelled `strength`, posted."""
    page.get_by_label("Area of support").select_option(label=area)
    page.get_by_label("Title").fill(title)
    if details is not None:
        page.get_by_label("Details (optional)").fill(details)
    page.get_by_label(strength).check()
    page.get_by_role("button", name="Post the offer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Offer posted: {title}")
    expect(page.locator("#offers-heading ~ div").first).to_contain_text("Backed by its strength on")
    check_accessibility(axe, page)


def offer_support(page, axe, site, *, area, title, strength):
    """Camden, from its strengths page, posts an offer in `area` backed by the strength labelled
    `strength`, and sees it among its asks and offers."""
    open_asks_and_offers(page, axe, site)
    page.get_by_role("link", name="Post an offer").click()
    check_accessibility(axe, page)
    post_offer(page, axe, area=area, title=title, strength=strength)


def open_capacity_form(page, axe, site):
    """Camden's support page, reached from its strengths page, then its capacity form."""
    page.goto(f"{site}/alliances/strengths/202/")
    page.get_by_role("link", name="Support agreements Camden gives and receives").click()
    expect(page.get_by_role("heading", name="Support given and received")).to_be_visible()
    check_accessibility(axe, page)
    page.get_by_role("link", name="Declare capacity").click()


def submit_capacity(page, *, year, days):
    """The capacity form, filled in and sent (days as typed, so a mistake can be tried)."""
    page.get_by_label("Year, from April").fill(str(year))
    page.get_by_label("Days the council can give other councils that year").fill(str(days))
    page.get_by_role("button", name="Save capacity").click()


def declare_capacity(page, axe, site, *, year, days):
    """Camden's admin declares the days it can give other councils in the year from April."""
    open_capacity_form(page, axe, site)
    submit_capacity(page, year=year, days=days)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Capacity saved: {days} days")
    check_accessibility(axe, page)


def fill_agreement(page, *, supported, area, form, starts, ends, days, outcomes):
    """The support agreement form, filled in (dates as (day, month, year))."""
    page.get_by_label("Council receiving the support").select_option(label=supported)
    page.get_by_label("Area of support").select_option(label=area)
    page.get_by_label("Form of support").select_option(label=form)
    for field, (day, month, year) in (("starts_on", starts), ("ends_on", ends)):
        page.locator(f"#{field}-day").fill(str(day))
        page.locator(f"#{field}-month").fill(str(month))
        page.locator(f"#{field}-year").fill(str(year))
    page.get_by_label("Days of support").fill(str(days))
    page.get_by_label("Outcomes expected").fill(outcomes)
    page.get_by_label("Status").select_option(label="Agreed")
