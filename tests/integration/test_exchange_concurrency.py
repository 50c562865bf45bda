"""A specialist is never on two overlapping loans, even when many bookings race (PostgreSQL only:
SQLite takes one writer at a time, so it cannot race)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from slihub.exchange import services
from slihub.exchange.models import Loan
from tests.integration import exchange_helpers as ex

BOOKINGS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL"),
]


def test_twenty_concurrent_bookings_of_one_specialist_agree_exactly_one(places, leeds_admin):
    camden_admin = ex.camden_admin(places)
    person = ex.specialist(places, camden_admin)
    loans = []
    for i in range(BOOKINGS):
        request = ex.help_request(places, leeds_admin, start=date(2030, 1, 7 + i), end=date(2030, 4, 1 + i))
        loan = services.propose_loan(request=request, specialist=person)
        loans.append(services.accept_loan(user=camden_admin, loan=loan))  # the lender's side first
    barrier = threading.Barrier(BOOKINGS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(loan):
        try:
            barrier.wait()
            services.accept_loan(user=leeds_admin, loan=loan)
            result = "agreed"
        except ValidationError as error:
            result = "refused" if "already on an agreed loan" in str(error) else f"other: {error}"
        except Exception as error:  # noqa: BLE001 - any other failure is reported, not swallowed
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(loan,)) for loan in loans]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["agreed"] + ["refused"] * (BOOKINGS - 1)
    assert Loan.objects.filter(specialist=person, status__in=Loan.AGREED).count() == 1


def _has_exclusion_constraint() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = 'loan_specialist_no_overlap'")
        return cursor.fetchone() is not None


def test_the_database_itself_refuses_overlapping_agreed_loans(places, leeds_admin):
    if not _has_exclusion_constraint():
        pytest.skip(
            "the exclusion constraint comes from migration exchange 0002 (run without --nomigrations)"
        )
    camden_admin = ex.camden_admin(places)
    first = ex.agreed_loan(places, leeds_admin, camden_admin)
    request = ex.help_request(places, leeds_admin, start=date(2030, 2, 1), end=date(2030, 3, 1))
    second = services.propose_loan(request=request, specialist=first.specialist)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=second.pk).update(status=Loan.Status.ACCEPTED)


def test_concurrent_redemptions_never_spend_more_than_the_credit(places, leeds_admin):
    """Ten redemptions of a day each race for three days of credit: three succeed, the balance is 0."""
    camden_admin = ex.camden_admin(places)
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="3", on=date(2030, 1, 10))
    attempts = 10
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []
    lock = threading.Lock()

    def redeem():
        try:
            barrier.wait()
            services.redeem_credit(user=camden_admin, authority=places.camden, days="1", memo="Race")
            result = "redeemed"
        except ValidationError as error:
            result = (
                "refused" if "fewer than the 1" in str(error) or "no credit" in str(error) else f"{error}"
            )
        except Exception as error:  # noqa: BLE001 - any other failure is reported, not swallowed
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=redeem) for _ in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["redeemed"] * 3 + ["refused"] * (attempts - 3)
    assert services.balance_of(places.camden) == 0
