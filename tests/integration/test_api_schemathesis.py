"""A bounded schemathesis run against the live OpenAPI of the Django WSGI app, anonymous and signed in.

For every operation in /api/v1/openapi.json, schemathesis generates requests that fit the schema
(positive) and requests that do not (negative: wrong types, missing fields, out-of-range numbers,
strange strings), sends them to the app in this process, and checks each answer: never a 5xx, a status
the operation documents, JSON, and a body that matches the documented schema for that status.

Bounded and deterministic, so that CI is stable: a fixed number of examples per operation, persona and
mode, derandomised (the same requests every run). About a minute on two cores.
"""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration import exchange_helpers

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 6}
CSRF = "schemathesiscsrftoken00000000000"  # 32 characters: Django's unmasked token length


@pytest.fixture
def app(settings):
    """The project's WSGI app, called in this process so that it sees the test's database. Django's test
    client does the same: it keeps connections open across requests (they are the test's transaction)."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records(places, people, contacts):
    """Something in every private list: a specialist, a help request, an agreed loan, contacts."""
    camden_admin = exchange_helpers.camden_admin(places)
    loan = exchange_helpers.agreed_loan(places, people["leeds_admin"], camden_admin)
    open_request = exchange_helpers.help_request(places, people["leeds_admin"], title="Still open")
    return {"camden_admin": camden_admin, "loan": loan, "request": open_request}


def known_path(operation, records) -> dict | None:
    """Path parameters that name real records (Camden, the loan, the open request), so that generated
    queries and bodies reach the routes' own rules, not only their 404s."""
    label = operation.label
    ids = {
        "/exchange/specialists/": records["loan"].specialist_id,
        "/exchange/requests/": records["request"].pk,
        "/exchange/loans/": records["loan"].pk,
    }
    known = {"code": "202", "slug": "no-such-practice", "key": "no-such-indicator", "practice_id": 1}
    known["assessment_id"] = 1  # a self-assessment: none in these records, so 404 alike for everyone
    known["region"] = "london"  # an alliance: none made in these records, so 404 alike for everyone
    known["challenge_id"] = 1  # a peer challenge: none in these records, so 404 alike for everyone
    known["ask_id"] = 1  # an ask on the menu of support: none in these records, so 404 alike for everyone
    known["priority_id"] = 1  # a priority: none in these records, so 404 alike for everyone
    known["agreement_id"] = 1  # a support agreement: none in these records, so 404 alike for everyone
    known["token"] = "no-such-group"  # a saved comparator group: none in these records, so 404 alike
    known["workshop_id"] = 1  # a workshop: none in these records, so 404 alike for everyone
    known["scenario_id"] = 1  # a council's scenario: none in these records, so 404 alike for everyone
    known["year"] = 2026  # a support year (April 2026 to March 2027): Camden's capacity, read and declared
    names = re.findall(r"{(\w+)}", label)
    if not names:
        return None
    if "pk" in names:
        known["pk"] = next((pk for prefix, pk in ids.items() if prefix in label), None)
    return {name: known[name] for name in names}


def session_cookies(client, user) -> dict:
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 25, [op.label for op in found]
    return found


def run(operation, mode, cookies, path_parameters=None):
    headers = {"X-CSRFToken": CSRF} if cookies else {}
    failures = []

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def check(case):
        response = case.call(cookies=cookies, headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as failure:  # schemathesis raises a FailureGroup, an AssertionError
            failures.append(f"{operation.label} ({mode}): {failure}")
            raise

    try:
        check()
    except AssertionError:
        pass
    except Unsatisfiable:  # nothing to get wrong: an operation without parameters has no negative case
        assert mode == GenerationMode.NEGATIVE, operation.label
    return failures


@pytest.mark.parametrize("persona", ["anonymous", "national_admin", "camden_admin", "no_membership"])
def test_every_operation_answers_as_documented_and_never_5xx(app, client, people, records, persona):
    user = {"anonymous": None, "camden_admin": records["camden_admin"]}.get(persona, people.get(persona))
    cookies = session_cookies(client, user) if user else {}
    failures = []
    for operation in operations(app):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += run(operation, mode, cookies)
        known = known_path(operation, records)
        if known:  # the same operation on real records: its queries and bodies reach its own rules
            failures += run(operation, GenerationMode.POSITIVE, cookies, path_parameters=known)
    assert not failures, "\n\n".join(failures)
