"""Personas and a handful of places for the integration tests.

Five personas, after healthchecks' alice/bob/charlie: a Camden analyst (council member),
a Leeds admin (council admin), a London alliance coordinator, a national admin and an
anonymous visitor. `as_persona(name)` gives a test client signed in as one of them.
"""

import pytest
from django.db.models import ProtectedError, RestrictedError

from slihub.accounts.models import Contact
from slihub.places import maps
from slihub.places.models import (
    Authority,
    Boundary,
    FormerOnsCode,
    Region,
    SourceFile,
    StatisticalNeighbour,
    Succession,
)
from tests import factories

PERSONAS = (
    "anonymous",
    "camden_analyst",
    "leeds_admin",
    "london_coordinator",
    "national_admin",
    "evidence_editor",
    "no_membership",
    "camden_chief_executive",
)
# made only where a test asks for its fixture (a director is a council member, and other tests count those)
EXTRA_PERSONAS = ("camden_director",)


def pytest_collection_modifyitems(items):
    # Whitenoise warns that `collectstatic` has not been run; these tests do not need it.
    quiet = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(quiet)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_map_layout():
    """The map layout is cached per boundary file version; each test draws its own squares."""
    maps._layout.cache_clear()
    yield
    maps._layout.cache_clear()


@pytest.fixture(autouse=True)
def _own_evidence_content(settings, tmp_path):
    """The library's transcriptions come from the test's own folder (evidence_fixtures.write_evidence writes
    a small review there), never from the content shipped with the hub, which names real programmes."""
    settings.EVIDENCE_CONTENT_DIR = str(tmp_path / "evidence-content")
    from tests.integration.evidence_fixtures import write_content

    write_content(tmp_path / "evidence-content")


@pytest.fixture
def empty_places(db):
    """No reference data, whatever an earlier session-wide fixture (tests/data) left in the database.

    The deletions happen inside the test's transaction and are rolled back with it."""
    if Authority.objects.exists() or Region.objects.exists() or SourceFile.objects.exists():
        try:
            Contact.objects.all().delete()
            for model in (StatisticalNeighbour, Boundary, Succession, FormerOnsCode, Authority, SourceFile):
                model.objects.all().delete()
            Region.objects.exclude(parent=None).delete()
            Region.objects.all().delete()
        except (ProtectedError, RestrictedError) as error:
            pytest.fail(
                "The test database holds public data that other records protect (loaded for the whole "
                "session by tests/data/conftest.py?). Run tests/integration before tests/data, or in its "
                f"own pytest process: {error}"
            )


@pytest.fixture
def places(empty_places) -> factories.Places:
    return factories.build_places()


@pytest.fixture
def people(places) -> dict:
    return factories.build_people(places)


@pytest.fixture
def camden_analyst(people):
    return people["camden_analyst"]


@pytest.fixture
def leeds_admin(people):
    return people["leeds_admin"]


@pytest.fixture
def london_coordinator(people):
    return people["london_coordinator"]


@pytest.fixture
def national_admin(people):
    return people["national_admin"]


@pytest.fixture
def evidence_editor(people):
    return people["evidence_editor"]


@pytest.fixture
def camden_chief_executive(people):
    """Camden's chief executive: reads its improvement cycle, read-only, and no other private record."""
    return people["camden_chief_executive"]


@pytest.fixture
def camden_director(people, places):
    """Camden's director of children's services: a council admin who answers the annual survey."""
    director = factories.director(places.camden, username="camden.director")
    people["camden_director"] = director
    return director


@pytest.fixture
def no_membership(people):
    """Signed in, with no membership at all: a new account, or one whose memberships were removed."""
    return people["no_membership"]


@pytest.fixture
def contacts(places) -> dict[str, Contact]:
    return {
        "202": factories.contact(places.camden, "Ada Camden", phone="020 7974 4444"),
        "383": factories.contact(places.leeds, "Lee Leeds", notes="Ask about the edge of care team"),
        "206": factories.contact(places.islington, "Iris Islington"),
    }


@pytest.fixture
def as_persona(client, people):
    """as_persona("leeds_admin") -> the test client, signed in as that persona (or not, for anonymous)."""

    def sign_in(name: str):
        assert name in PERSONAS + EXTRA_PERSONAS, name
        if name != "anonymous":
            client.force_login(people[name])
        return client

    return sign_in
