"""Published pages cached per data release: served again without the database, made afresh by the import
that changes their data (and only by it), never for a signed-in user, keyed by the parameters read."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slihub.evidence.models import Practice
from slihub.evidence.services import load_evidence
from slihub.indicators.models import Indicator
from slihub.indicators.services import import_tidy_file
from slihub.places import releases
from slihub.places.importers import DataFileError
from slihub.places.models import DataRelease
from slihub.places.page_cache import HEADER
from tests.integration.evidence_fixtures import BCG_ROWS, write_evidence
from tests.integration.indicator_fixtures import build_bank
from tests.integration.test_evidence_local_practice import decide, in_review, others, submitted  # noqa: F401
from tests.integration.test_indicator_importer import good_rows, row, write

pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def bank(places):
    return build_bank(places)


@pytest.fixture
def library(tmp_path, db):
    load_evidence(write_evidence(tmp_path))
    return Practice.objects.order_by("slug").first()


def pages(bank, library) -> list[str]:
    return [
        "/",
        "/data-sources/",
        "/map/",
        "/map/?colour=type",
        "/regions/",
        "/regions/london/",
        "/authorities/",
        "/authorities/?region=london",
        "/authorities/202/",
        "/authorities/202/profile/",
        "/authorities/202/profile/?section=vulnerable_children",
        "/authorities/202/profile/?section=vulnerable_children&part=2",
        "/compare/?la=202&la=206",
        "/indicators/",
        bank["rate"].get_absolute_url(),
        bank["rate"].get_absolute_url() + "?sort=value&order=desc",
        "/evidence/",
        f"/evidence/{library.slug}/",
    ]


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def test_a_second_anonymous_request_is_served_without_the_database(client, bank, library):
    for path in pages(bank, library):
        first = get(client, path)
        assert first[HEADER] == "miss", path
        with CaptureQueriesContext(connection) as queries:
            second = get(client, path)
        assert len(queries) == 0, (path, [q["sql"] for q in queries])
        assert second[HEADER] == "hit", path
        assert second.content == first.content, path
        assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_sets_no_cookie_and_keeps_the_security_headers(client, bank):
    get(client, "/map/")
    second = get(client, "/map/")
    assert second[HEADER] == "hit"
    assert not second.cookies
    assert second["X-Frame-Options"] == "DENY"
    assert second["X-Content-Type-Options"] == "nosniff"
    assert "Cookie" in second["Vary"]  # a signed-in visitor gets another page: no proxy may share it


def test_an_indicator_import_makes_the_indicator_pages_afresh_and_leaves_the_others_cached(
    client, places, bank, library, tmp_path, django_capture_on_commit_callbacks
):
    rate_map = bank["rate"].get_absolute_url()
    kept = ["/map/", "/authorities/202/", "/evidence/", f"/evidence/{library.slug}/", rate_map]
    made_again = ["/indicators/", "/authorities/202/profile/", "/compare/?la=202&la=206"]
    for path in kept + made_again:
        get(client, path)

    with django_capture_on_commit_callbacks(execute=True):  # as when the import commits
        report = import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    assert report.changed

    for path in kept:
        assert get(client, path)[HEADER] == "hit", path
    for path in made_again:
        assert get(client, path)[HEADER] == "miss", path
    catalogue = get(client, "/indicators/").content.decode()
    new = Indicator.objects.filter(source="cin_referrals").order_by("name").first()
    assert new.name in catalogue  # the fresh page shows the imported indicators


def test_an_indicators_own_page_is_made_afresh_when_its_data_changes(
    client, places, tmp_path, django_capture_on_commit_callbacks
):
    import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    url = Indicator.objects.get(code="dfe:rereferral_percent").get_absolute_url()
    assert get(client, url)[HEADER] == "miss"
    assert get(client, url)[HEADER] == "hit"

    newer = good_rows() + [row("2025", "Local authority", "202", "E12000007", "15")]
    with django_capture_on_commit_callbacks(execute=True):
        import_tidy_file(write(tmp_path, newer, name="c1_2025.csv"), mapping="cin_referrals")

    fresh = get(client, url)
    assert fresh[HEADER] == "miss"
    assert "2025" in fresh.content.decode()


def test_an_import_that_changes_nothing_bumps_nothing(places, tmp_path):
    path = write(tmp_path, good_rows())
    import_tidy_file(path, mapping="cin_referrals")
    before = dict(DataRelease.objects.values_list("dataset", "version"))
    assert before[releases.INDICATORS] >= 1
    assert not import_tidy_file(path, mapping="cin_referrals").changed
    assert dict(DataRelease.objects.values_list("dataset", "version")) == before


def test_an_evidence_load_makes_the_library_afresh_and_leaves_the_indicator_pages_cached(
    client, bank, library, tmp_path, django_capture_on_commit_callbacks
):
    get(client, "/evidence/")
    get(client, "/indicators/")
    with django_capture_on_commit_callbacks(execute=True):
        load_evidence(write_evidence(tmp_path / "again", bcg=BCG_ROWS[:3]))  # a trial withdrawn
    assert get(client, "/evidence/")[HEADER] == "miss"
    assert get(client, "/indicators/")[HEADER] == "hit"


def test_a_failed_import_bumps_nothing(client, places, tmp_path):
    get(client, "/authorities/202/profile/")
    before = dict(DataRelease.objects.values_list("dataset", "version"))
    bad = write(tmp_path, [line.replace("206,", "999,") for line in good_rows()])
    with pytest.raises(DataFileError):
        import_tidy_file(bad, mapping="cin_referrals")
    assert dict(DataRelease.objects.values_list("dataset", "version")) == before
    assert get(client, "/authorities/202/profile/")[HEADER] == "hit"


@pytest.mark.parametrize("persona", ["camden_analyst", "national_admin"])
def test_signed_in_users_are_never_served_a_cached_page(as_persona, client, bank, persona):
    anonymous = get(client, "/map/")  # cached for signed-out visitors
    assert get(client, "/map/")[HEADER] == "hit"
    signed_in = as_persona(persona)
    for _ in range(2):
        response = get(signed_in, "/map/")
        assert HEADER not in response
        body = response.content.decode()
        assert "Sign out" in body and "Sign out" not in anonymous.content.decode()


def test_a_page_rendered_for_a_signed_in_user_is_not_served_to_visitors(as_persona, bank):
    client = as_persona("camden_analyst")
    get(client, "/authorities/202/profile/")
    client.logout()
    client.cookies.clear()
    response = get(client, "/authorities/202/profile/")
    assert response[HEADER] == "miss"
    assert "Sign out" not in response.content.decode()


def test_a_query_parameter_the_page_reads_changes_the_key(client, bank):
    by_region = get(client, "/map/")
    by_type = get(client, "/map/?colour=type")
    assert by_type[HEADER] == "miss"
    assert by_type.content != by_region.content
    assert get(client, "/map/?colour=type")[HEADER] == "hit"
    url = bank["rate"].get_absolute_url()
    get(client, url + "?sort=value")
    assert get(client, url + "?sort=value&order=desc")[HEADER] == "miss"
    assert get(client, url + "?order=desc&sort=value")[HEADER] == "hit"  # the order of parameters aside


def test_an_unknown_query_parameter_is_rendered_without_the_cache(client, bank):
    for _ in range(2):
        response = get(client, "/map/?utm_source=newsletter")
        assert HEADER not in response
    assert get(client, "/map/")[HEADER] == "miss"  # and took no entry of the plain page


def test_error_pages_and_posts_are_not_cached(client, bank):
    for _ in range(2):
        assert client.get("/authorities/999/").status_code == 404
        assert client.get("/indicators/no-such-indicator/").status_code == 404
    assert HEADER not in client.get("/authorities/999/")
    assert HEADER not in client.post("/map/")


def test_a_visitor_with_a_message_to_show_gets_the_page_made_for_them(client, bank):
    get(client, "/regions/")
    client.cookies["messages"] = "anything"
    assert HEADER not in get(client, "/regions/")


def test_bumping_a_release_in_a_transaction_that_rolls_back_changes_nothing(
    client, bank, django_capture_on_commit_callbacks
):
    from django.db import transaction

    get(client, "/")
    with pytest.raises(RuntimeError), transaction.atomic():
        releases.bump(releases.REFERENCE)
        raise RuntimeError
    assert get(client, "/")[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        releases.bump(releases.REFERENCE)
    assert get(client, "/")[HEADER] == "miss"


def test_a_local_cache_rereads_the_releases_from_the_database(client, bank, settings):
    """Another process's import cannot clear this process's memory: the versions are read again after
    RELEASE_CHECK_SECONDS (here: at once, as the cached versions are dropped)."""
    get(client, "/")
    DataRelease.objects.update_or_create(dataset=releases.REFERENCE, defaults={"version": 99})
    assert get(client, "/")[HEADER] == "hit"  # the version read a moment ago is trusted for a while
    cache.delete(releases.CACHE_PREFIX + releases.REFERENCE)  # ... until it expires
    assert get(client, "/")[HEADER] == "miss"


def test_the_page_cache_can_be_turned_off(client, bank, settings):
    settings.PAGE_CACHE = False
    get(client, "/map/")
    assert HEADER not in get(client, "/map/")


def test_publishing_local_practice_makes_the_library_afresh(
    client,
    in_review,  # noqa: F811 (the fixture imported above)
    leeds_admin,
    others,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    search_page = "/evidence/?q=conferences"
    assert "Family group conferences" not in get(client, search_page).content.decode()
    assert get(client, search_page)[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, leeds_admin, in_review)
    assert get(client, search_page)[HEADER] == "hit"  # one approval publishes nothing
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, others["bradford"], in_review, comment="Agreed")
    fresh = get(client, search_page)
    assert fresh[HEADER] == "miss"
    assert "Family group conferences" in fresh.content.decode()


def test_bumping_everything_makes_every_page_afresh_even_after_a_restore_brought_back_old_versions(
    client, bank, django_capture_on_commit_callbacks
):
    for path in ("/", "/map/", "/indicators/"):
        get(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        releases.bump_everything()
    for path in ("/", "/map/", "/indicators/"):
        assert get(client, path)[HEADER] == "miss", path
    used = DataRelease.objects.get(dataset=releases.EVERYTHING).version
    DataRelease.objects.filter(dataset=releases.EVERYTHING).update(version=0)  # as a restore may
    with django_capture_on_commit_callbacks(execute=True):
        releases.bump_everything()
    assert DataRelease.objects.get(dataset=releases.EVERYTHING).version not in (0, used)


def test_a_head_request_is_answered_from_the_cached_page(client, bank):
    get(client, "/regions/")
    response = client.head("/regions/")
    assert response.status_code == 200 and response[HEADER] == "hit"
