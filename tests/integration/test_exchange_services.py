"""The exchange's rules: the six-month limit, no overlapping loans, registration numbers, the ledger,
matching against the database (declines feed the next run) and who may do what."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from slihub.exchange import selectors, services
from slihub.exchange.models import Decline, HelpRequest, LedgerEntry, Loan, MatchRun, Specialist
from slihub.exchange.runs import build_instance, centroid, run_matching
from tests import factories
from tests.integration import exchange_helpers as ex

pytestmark = pytest.mark.django_db


@pytest.fixture
def camden_admin(places):
    return ex.camden_admin(places)


def test_a_seven_month_request_is_refused_with_a_clear_message(places, leeds_admin):
    with pytest.raises(ValidationError) as refused:
        ex.help_request(places, leeds_admin, end=date(2030, 8, 6))
    assert "within six months of the start date" in str(refused.value)
    assert "extensions included" in str(refused.value)
    assert not HelpRequest.objects.exists()


def test_a_request_starting_in_the_past_is_refused_whichever_way_it_comes(places, leeds_admin):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        ex.help_request(places, leeds_admin, start=yesterday, end=yesterday + timedelta(days=30))
    assert refused.value.message_dict == {"start": ["Start date must be today or in the future"]}
    assert not HelpRequest.objects.exists()
    today = timezone.localdate()
    assert ex.help_request(places, leeds_admin, start=today, end=today + timedelta(days=30)).start == today


def test_the_database_refuses_a_request_over_six_months_too(places):
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpRequest.objects.create(
            authority=places.leeds,
            title="x",
            description="x",
            start=date(2030, 1, 1),
            end=date(2030, 7, 3),
            days_per_week=1,
            mode="remote",
        )
    HelpRequest.objects.create(
        authority=places.leeds,
        title="x",
        description="x",
        start=date(2030, 1, 1),
        end=date(2030, 7, 2),  # 183 days, both ends included
        days_per_week=1,
        mode="remote",
    )


@pytest.mark.parametrize("number", ["123456", "sw-12", "SWX1", "SW", "AB123"])
def test_a_registration_number_of_the_wrong_shape_is_refused(places, camden_admin, number):
    with pytest.raises(ValidationError) as refused:
        ex.specialist(places, camden_admin, swe_number=number)
    assert "SW followed by digits" in str(refused.value)
    assert not Specialist.objects.exists()


def test_an_unknown_area_of_expertise_is_refused(places, camden_admin):
    with pytest.raises(ValidationError, match="Unknown area of expertise: astrology"):
        ex.specialist(places, camden_admin, expertise=["astrology"])


def test_only_the_councils_admins_manage_its_bank(places, camden_analyst, leeds_admin, national_admin):
    for person in (camden_analyst, leeds_admin):
        with pytest.raises(PermissionDenied):
            ex.specialist(places, person)
    assert ex.specialist(places, national_admin).authority == places.camden


def test_an_overlapping_second_loan_is_refused_and_changes_nothing(places, leeds_admin, camden_admin):
    first = ex.agreed_loan(places, leeds_admin, camden_admin)
    assert first.status == Loan.Status.ACCEPTED
    second_request = ex.help_request(places, leeds_admin, start=date(2030, 3, 1), end=date(2030, 6, 1))
    second = services.propose_loan(request=second_request, specialist=first.specialist)
    services.accept_loan(user=camden_admin, loan=second)
    with pytest.raises(ValidationError, match="already on an agreed loan from 7 January 2030 to 6 May 2030"):
        services.accept_loan(user=leeds_admin, loan=second)
    second.refresh_from_db()
    assert second.status == Loan.Status.PROPOSED
    assert Loan.objects.filter(status__in=Loan.AGREED).count() == 1


def test_a_loan_is_agreed_only_when_both_councils_accept(places, leeds_admin, camden_admin, national_admin):
    request = ex.help_request(places, leeds_admin)
    loan = services.propose_loan(request=request, specialist=ex.specialist(places, camden_admin))
    with pytest.raises(PermissionDenied):
        services.accept_loan(user=national_admin, loan=loan)
    assert services.accept_loan(user=leeds_admin, loan=loan).status == Loan.Status.PROPOSED
    assert services.accept_loan(user=camden_admin, loan=loan).status == Loan.Status.ACCEPTED
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.MATCHED


def test_extensions_count_towards_six_months(places, leeds_admin, camden_admin):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    with pytest.raises(ValidationError, match="within six months"):
        services.extend_loan(user=leeds_admin, loan=loan, end=date(2030, 7, 9))
    # 7 January to 8 July is 183 days, both included: the longest a loan may last.
    assert services.extend_loan(user=leeds_admin, loan=loan, end=date(2030, 7, 8)).end == date(2030, 7, 8)


def test_delivered_days_credit_the_lender_and_debit_the_borrower(places, leeds_admin, camden_admin):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="2", on=date(2030, 1, 8))
    services.record_delivery(user=camden_admin, loan=loan, days="1.5", on=date(2030, 1, 15))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACTIVE
    totals = selectors.balances()
    assert totals[places.camden.id] == Decimal("3.5")
    assert totals[places.leeds.id] == Decimal("-3.5")
    assert sum(totals.values()) == 0
    with pytest.raises(ValidationError, match="whole or half days"):
        services.record_delivery(user=leeds_admin, loan=loan, days="0.3", on=date(2030, 1, 8))
    with pytest.raises(ValidationError, match="within the loan"):
        services.record_delivery(user=leeds_admin, loan=loan, days="1", on=date(2031, 1, 8))
    with pytest.raises(ValidationError, match="more than the loan has left"):
        services.record_delivery(user=leeds_admin, loan=loan, days="400", on=date(2030, 1, 8))


def test_redemption_keeps_the_books_balanced(places, leeds_admin, camden_admin, national_admin):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="4", on=date(2030, 1, 8))
    with pytest.raises(PermissionDenied, match="Only Camden's council admins and national admins"):
        services.redeem_credit(user=leeds_admin, authority=places.camden, days="1", memo="x")
    with pytest.raises(ValidationError, match="Camden has 4 days of credit, fewer than the 5 you asked"):
        services.redeem_credit(user=national_admin, authority=places.camden, days="5", memo="Peer review")
    with pytest.raises(
        ValidationError, match="Leeds has no credit to redeem: its balance is 4 days in debit"
    ):
        services.redeem_credit(user=leeds_admin, authority=places.leeds, days="1", memo="Peer review")
    with pytest.raises(ValidationError, match="Enter what the credit is redeemed for"):
        services.redeem_credit(user=camden_admin, authority=places.camden, days="1", memo="  ")
    services.redeem_credit(user=national_admin, authority=places.camden, days="2", memo="National review")
    services.redeem_credit(
        user=camden_admin, authority=places.camden, days="1", on=date(2030, 2, 1), memo="Audit"
    )
    totals = selectors.balances()
    assert totals[places.camden.id] == 1 and totals[None] == 3
    assert sum(LedgerEntry.objects.values_list("days", flat=True)) == 0


def test_backfill_is_recorded_by_the_lender(places, leeds_admin, camden_admin):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    with pytest.raises(PermissionDenied):
        services.record_backfill(
            user=leeds_admin, loan=loan, acting_up="X", acting_role="Y", start=loan.start, end=loan.end
        )
    backfill = services.record_backfill(
        user=camden_admin,
        loan=loan,
        acting_up="Pat Deputy",
        acting_role="Team manager",
        start=loan.start,
        end=loan.end,
    )
    assert list(selectors.backfills(camden_admin, loan)) == [backfill]
    assert list(selectors.backfills(leeds_admin, loan)) == []


def test_ending_early_shortens_the_loan_and_keeps_feedback(places, leeds_admin, camden_admin):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    ended = services.end_loan(
        user=leeds_admin,
        loan=loan,
        on=date(2030, 3, 1),
        feedback="Great",
        outcome_notes="Front door redesigned",
    )
    assert ended.status == Loan.Status.ENDED_EARLY and ended.end == date(2030, 3, 1)
    assert ended.outcome_notes == "Front door redesigned"


def test_personal_details_only_for_own_council_and_agreed_borrowers(
    places, camden_analyst, leeds_admin, london_coordinator, camden_admin
):
    person = ex.specialist(places, camden_admin)
    assert selectors.profile(camden_analyst, person)["name"] == "Sam Specialist"
    assert selectors.profile(leeds_admin, person)["name"] is None
    assert selectors.profile(leeds_admin, person)["swe_number"] is None
    assert selectors.profile(london_coordinator, person)["name"] is None
    ex.agreed_loan(places, leeds_admin, camden_admin, specialist_obj=person)
    assert selectors.profile(leeds_admin, person)["swe_number"] == "SW123456"


def test_unlisted_specialists_stay_within_their_council(places, camden_analyst, leeds_admin, camden_admin):
    ex.specialist(places, camden_admin, consent_to_list=False)
    assert Specialist.objects.visible_to(camden_analyst).count() == 1
    assert Specialist.objects.visible_to(leeds_admin).count() == 0


def test_centroid_of_a_square():
    lat, lon = centroid({"type": "Polygon", "coordinates": [[[0, 50], [2, 50], [2, 52], [0, 52], [0, 50]]]})
    assert (round(lat, 6), round(lon, 6)) == (51, 1)


def test_matching_proposes_camdens_specialist_with_reasons(places, leeds_admin, camden_admin, national_admin):
    person = ex.specialist(places, camden_admin)
    request = ex.help_request(places, leeds_admin)
    run, result = run_matching(user=national_admin)
    (loan,) = Loan.objects.filter(run=run)
    assert (loan.specialist, loan.request, loan.status) == (person, request, Loan.Status.PROPOSED)
    assert f"{person.reference} (Team manager, seniority 3, from Camden)" in loan.explanation
    assert "covers 1 of 1 needed areas (Front door and MASH)" in loan.explanation
    assert "km between council centroids" in loan.explanation
    assert loan.score == result.assignments[0].score > 0
    # Waiting for answers: the next run proposes nothing new.
    run2, _ = run_matching(user=national_admin)
    assert not Loan.objects.filter(run=run2).exists()


def test_declines_feed_the_next_run(places, leeds_admin, camden_admin, national_admin):
    ex.specialist(places, camden_admin)
    other = ex.specialist(places, camden_admin, name="Alex Other", seniority=1, swe_number="SW9")
    ex.help_request(places, leeds_admin)
    run, _ = run_matching(user=national_admin)
    (first,) = Loan.objects.filter(run=run)
    services.decline_loan(user=leeds_admin, loan=first, reason="Not this time")
    assert Decline.objects.count() == 1
    run2, _ = run_matching(user=national_admin)
    (second,) = Loan.objects.filter(run=run2)
    assert second.specialist != first.specialist and second.specialist == other
    assert run2.declined_pairs == 1


def test_agreed_loans_are_cut_out_of_availability(places, leeds_admin, camden_admin):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    instance, _, _ = build_instance()
    (engine_specialist,) = instance.specialists
    assert all(not (s <= loan.start <= e) for s, e in engine_specialist.available)


def test_only_national_admins_and_coordinators_run_matching(places, camden_analyst, leeds_admin):
    for person in (camden_analyst, leeds_admin):
        with pytest.raises(PermissionDenied):
            run_matching(user=person)


def test_the_command_matches_against_the_database(places, leeds_admin, camden_admin):
    ex.specialist(places, camden_admin)
    ex.help_request(places, leeds_admin)
    out = StringIO()
    call_command("exchange", "match", "--dry-run", stdout=out)
    assert "from Camden" in out.getvalue() and "Dry run: nothing was stored." in out.getvalue()
    assert not MatchRun.objects.exists() and not Loan.objects.exists()
    out = StringIO()
    call_command("exchange", "match", stdout=out)
    assert "Stored as matching run" in out.getvalue()
    assert Loan.objects.filter(status=Loan.Status.PROPOSED).count() == 1


def test_visible_to_scopes_loans_and_ledgers(places, leeds_admin, camden_admin, london_coordinator, people):
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="2", on=date(2030, 1, 8))
    assert Loan.objects.visible_to(london_coordinator).count() == 1
    bradford = factories.user("bradford.member", "council_member", authority=places.bradford)
    assert Loan.objects.visible_to(bradford).count() == 0
    assert LedgerEntry.objects.visible_to(bradford).count() == 0
    assert LedgerEntry.objects.visible_to(london_coordinator).count() == 1  # Camden's side only
    with pytest.raises(PermissionDenied):
        selectors.statement(bradford, places.leeds)
