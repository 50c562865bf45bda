"""Builders for the exchange tests: a Camden specialist, a Leeds help request, an agreed loan."""

from datetime import date

from slihub.accounts.models import Role
from slihub.exchange import services
from slihub.exchange.models import HelpRequest, Loan, Specialist
from tests import factories

START = date(2030, 1, 7)
FOUR_MONTHS_END = date(2030, 5, 6)


def camden_admin(places):
    return factories.user("camden.admin", Role.COUNCIL_ADMIN, authority=places.camden)


def specialist(places, admin=None, **fields) -> Specialist:
    admin = admin or camden_admin(places)
    values = (
        dict(
            name="Sam Specialist",
            email="sam@example.gov.uk",
            role="Team manager",
            seniority=3,
            expertise=["front_door_mash", "child_protection"],
            days_per_week=3,
            swe_number="SW123456",
            remote=True,
            on_site=True,
            consent_to_list=True,
            windows=[(date(2030, 1, 1), date(2030, 12, 31))],
        )
        | fields
    )
    return services.add_specialist(user=admin, authority=places.camden, **values)


def help_request(places, leeds_admin, **fields) -> HelpRequest:
    values = (
        dict(
            title="Our front door",
            expertise_needed=["front_door_mash"],
            description="Re-referrals are rising; we need help redesigning the front door.",
            start=START,
            end=FOUR_MONTHS_END,
            days_per_week=2,
            mode="on_site",
            urgency=3,
        )
        | fields
    )
    return services.create_help_request(user=leeds_admin, authority=places.leeds, **values)


def agreed_loan(places, leeds_admin, camden_admin_user, specialist_obj=None, **request_fields) -> Loan:
    specialist_obj = specialist_obj or specialist(places, camden_admin_user)
    request = help_request(places, leeds_admin, **request_fields)
    loan = services.propose_loan(request=request, specialist=specialist_obj)
    services.accept_loan(user=camden_admin_user, loan=loan)
    return services.accept_loan(user=leeds_admin, loan=loan)
