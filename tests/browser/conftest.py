"""Browser tests: headless Chromium (Debian's) against pytest-django's live server.

The live server needs transactional database access, which empties every table after
each test, so the public reference data is loaded again (about 0.4 s) whenever a test
finds the Authority table empty. That works the same on SQLite and PostgreSQL.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.support import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from
# the tests (loading data, making users) are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
DATA_DIR = os.environ.get("SLIHUB_DATA_DIR", "")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if not DATA_DIR:
        reason = "SLIHUB_DATA_DIR is not set: browser tests need the public data files"
    elif not Path(DATA_DIR, "derived_la_reference.csv").is_file():
        reason = f"SLIHUB_DATA_DIR={DATA_DIR} does not hold the public data files"
    elif not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM}"
    for item in items:
        if reason and here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def reference_data(transactional_db):
    """The real authorities, regions, neighbours, boundaries and Ofsted inspections, loaded if the database
    has none (the indicator bank is left out: no page shows it yet, and it takes a minute to load)."""
    from slihub.inspections.services import load_inspections
    from slihub.places.models import Authority
    from slihub.places.services import load_reference_data

    if not Authority.objects.exists():
        load_reference_data(DATA_DIR)
        load_inspections(DATA_DIR)


@pytest.fixture
def site(live_server, reference_data):
    """The base address of a live server with the reference data loaded."""
    return live_server.url


def _person(username, role, code):
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Authority

    user, _ = ensure_user(
        username=username,
        full_name=username.replace(".", " ").title(),
        password=PASSWORD,
        role=role,
        authority=Authority.objects.get(code=code),
    )
    return user


@pytest.fixture
def camden_admin(reference_data):
    from slihub.accounts.models import Role

    return _person("camden.admin", Role.COUNCIL_ADMIN, "202")


@pytest.fixture
def camden_member(reference_data):
    from slihub.accounts.models import Role

    return _person("camden.member", Role.COUNCIL_MEMBER, "202")


@pytest.fixture
def london_coordinator(reference_data):
    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.places.models import Region

    user, _ = ensure_user(
        username="london.coordinator",
        full_name="London Coordinator",
        password=PASSWORD,
        role=Role.ALLIANCE_COORDINATOR,
        region=Region.objects.get(slug="london"),
    )
    return user


@pytest.fixture(scope="session")
def axe():
    return Axe()


# Chromium reports each thing the Content-Security-Policy blocks (an inline script or style, a file from
# elsewhere) as a console error beginning "Refused to ...": a test fails on any such report.
CSP_VIOLATION = "Content Security Policy"


@pytest.fixture
def context(context, request):
    """Every page of the test's browser context, watched for Content-Security-Policy violations."""
    violations = request.node.csp_violations = []

    def on_console(message):
        if message.type == "error" and CSP_VIOLATION in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    violations = getattr(item, "csp_violations", [])
    assert not violations, "The Content-Security-Policy blocked something:\n" + "\n".join(violations)
    return result
