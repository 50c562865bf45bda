"""No overbooking when many register at once: 50 people registering together for 20 places get exactly 20
places and 30 places on the waitlist, in the order the database let them in.

PostgreSQL only: it is where requests run truly in parallel (register() locks the event's row with
SELECT ... FOR UPDATE). SQLite serialises every write transaction anyway (BEGIN IMMEDIATE), and its
in-memory test database is not shared between threads. Run it with, for example,
DATABASE_URL=postgres://postgres@127.0.0.1:5432/workshops \
    pytest tests/integration/test_workshop_concurrency.py
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from slihub.accounts.models import Role
from slihub.workshops import services
from slihub.workshops.models import Event, Registration
from tests import factories
from tests.integration.test_workshops import make_event

PEOPLE, PLACES = 50, 20


def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (set DATABASE_URL); the database here is {connection.vendor}")


@pytest.mark.django_db(transaction=True)
def test_fifty_people_registering_at_once_for_twenty_places(places, people):
    _postgresql()
    event = make_event(people["london_coordinator"], places.london, capacity=PLACES)
    users = [
        factories.user(
            f"rush.{i}", Role.COUNCIL_MEMBER, authority=places.camden, email=f"rush{i}@example.gov.uk"
        )
        for i in range(PEOPLE)
    ]
    start = threading.Barrier(PEOPLE)

    def register(user):
        try:
            start.wait(timeout=30)  # all at once
            return services.register(user=user, event=Event.objects.get(pk=event.pk)).status
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = list(pool.map(register, users))

    assert statuses.count("booked") == PLACES
    assert statuses.count("waitlisted") == PEOPLE - PLACES
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status="booked").count() == PLACES
    assert stored.filter(status="waitlisted").count() == PEOPLE - PLACES
    assert stored.values("user").distinct().count() == PEOPLE
    # the waitlist's order is the order people joined it
    waiting = list(stored.filter(status="waitlisted").order_by("waitlisted_at", "id"))
    assert all(a.waitlisted_at <= b.waitlisted_at for a, b in zip(waiting, waiting[1:], strict=False))


@pytest.mark.django_db(transaction=True)
def test_cancellations_at_once_promote_each_waitlisted_person_once(places, people):
    _postgresql()
    event = make_event(people["london_coordinator"], places.london, capacity=10)
    users = [
        factories.user(
            f"rush.{i}", Role.COUNCIL_MEMBER, authority=places.camden, email=f"rush{i}@example.gov.uk"
        )
        for i in range(20)
    ]
    for user in users:
        services.register(user=user, event=event)
    leaving = users[:10]  # every booked person cancels at once; the ten waitlisted take their places
    start = threading.Barrier(len(leaving))

    def cancel(user):
        try:
            start.wait(timeout=30)
            _, promoted = services.cancel_registration(user=user, event=Event.objects.get(pk=event.pk))
            return promoted.user_id if promoted else None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(leaving)) as pool:
        promoted = list(pool.map(cancel, leaving))

    assert sorted(promoted) == sorted(u.pk for u in users[10:])
    assert Registration.objects.filter(event=event, status="booked").count() == 10
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 0
