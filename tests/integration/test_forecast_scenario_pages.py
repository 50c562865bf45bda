"""A council's saved scenarios: saving works the results out once, editing works them out again, the
form's refusals, and who sees and changes what (every persona against every page, shared and not)."""

import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from slihub.accounts.models import Role
from slihub.forecast import scenario_services as services
from slihub.forecast.models import Scenario
from slihub.indicators.models import Value
from tests import factories
from tests.integration.test_forecast_costs import data_dir  # noqa: F401 (a fixture)
from tests.integration.test_forecast_scenario import world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
FOSTER_MORE = [{"percent": 10, "from": "residential", "to": "fostering"}]


@pytest.fixture(autouse=True)
def _few_simulations(monkeypatch):
    monkeypatch.setattr(services, "SIMULATIONS", 200)


@pytest.fixture
def islington_member(places):
    return factories.user("islington.member", Role.COUNCIL_MEMBER, authority=places.islington)


@pytest.fixture
def saved(world, camden_director):  # noqa: F811
    return services.save_scenario(
        user=camden_director, authority=world.camden, name="Foster more", moves=FOSTER_MORE
    )


def test_saving_works_the_results_out_once(saved):
    stored = Scenario.objects.get(pk=saved.pk)
    assert stored.moves == FOSTER_MORE
    assert len(stored.results["years"]) == 5
    assert stored.results["baseline"]["looked_after"] == stored.results["scenario_result"]["looked_after"]
    savings = [d["median"] for d in stored.results["difference"]["spend"]]
    assert all(s < 0 for s in savings)  # fostering costs less than residential care in the small RO3


def test_editing_works_the_results_out_again(saved, camden_analyst):
    before = saved.results["scenario_result"]["looked_after"][-1]["median"]
    services.update_scenario(
        user=camden_analyst,
        scenario=saved,
        name="Foster more, fewer entries",
        entries_times=0.5,
        moves=FOSTER_MORE,
    )
    stored = Scenario.objects.get(pk=saved.pk)
    assert stored.name == "Foster more, fewer entries"
    assert stored.entries_times == 0.5
    assert stored.results["scenario_result"]["looked_after"][-1]["median"] < before


def test_a_data_load_works_saved_scenarios_out_again(saved, world):  # noqa: F811
    load = importlib.import_module("slihub.web.management.commands.load-public-data")
    assert services.recompute_saved in load.DERIVED.values()
    before = saved.results["baseline"]["looked_after"][0]["median"]
    latest = Value.objects.filter(authority=world.camden, indicator__code="LACnum", period__label="2025")
    assert latest.update(value=300) == 1
    updated, kept = services.recompute_saved(progress=lambda _: None)
    stored = Scenario.objects.get(pk=saved.pk)
    assert (updated, kept) == (1, [])
    assert stored.results["baseline"]["looked_after"][0]["median"] > before


def test_a_scenario_that_can_no_longer_be_worked_out_keeps_its_results(saved, monkeypatch):
    def refused(*args, **kwargs):
        raise services.scenarios.ScenarioError("Camden's placement types cannot be costed")

    monkeypatch.setattr(services.scenarios, "run_scenario", refused)
    updated, kept = services.recompute_saved(progress=lambda _: None)
    assert updated == 0 and "cannot be costed" in kept[0]
    assert Scenario.objects.get(pk=saved.pk).results == saved.results


def test_leavers_never_vanish_from_stored_results(world, camden_analyst):  # noqa: F811
    saved = services.save_scenario(
        user=camden_analyst, authority=world.camden, name="Nobody leaves", exits_times=0
    )
    assert all(y["median"] > 0 for y in saved.results["scenario_result"]["ceases"])


@pytest.mark.parametrize(
    "given, message",
    [
        ({"name": ""}, "Enter a name"),
        ({"name": "Foster more"}, "already has a scenario called"),
        ({"name": "x", "entries_times": -1}, "must be between 0 and 100"),
        ({"name": "x", "moves": [{"percent": 120, "from": "residential", "to": "fostering"}]}, "between 0%"),
        (
            {"name": "x", "moves": [{"percent": 10, "from": "residential", "to": "residential"}]},
            "two different",
        ),
        ({"name": "x", "exits_plus": 200}, "percentage points"),
    ],
)
def test_it_refuses_impossible_settings_with_plain_words(saved, camden_director, given, message):
    with pytest.raises(ValidationError, match=message):
        services.save_scenario(user=camden_director, authority=saved.authority, **given)
    assert Scenario.objects.count() == 1


def test_the_form_shows_its_errors_and_saves_nothing(saved, as_persona):
    client = as_persona("camden_director")
    response = client.post(
        "/forecast/202/scenarios/new/",
        {"name": "Odd", "entries_percent": "ten", "move_from": "residential", "move_to": "fostering"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "must be a number" in response.content.decode()
    response = client.post(
        "/forecast/202/scenarios/new/",
        {"name": "Odd", "move_percent": "10", "move_from": "residential", "move_to": "residential"},
    )
    assert "two different placement types" in response.content.decode()
    response = client.post(
        "/forecast/202/scenarios/new/",
        {"name": "Odd", "entries_percent": "-150", "move_from": "residential", "move_to": "fostering"},
    )
    assert "cannot fall by more than 100%" in response.content.decode()
    assert Scenario.objects.count() == 1


def test_the_form_saves_a_scenario_and_the_page_shows_its_cost(world, as_persona, camden_director):  # noqa: F811
    client = as_persona("camden_director")
    response = client.post(
        "/forecast/202/scenarios/new/",
        {
            "name": "Foster more",
            "move_percent": "10",
            "move_from": "residential",
            "move_to": "fostering",
            "shared": "yes",
        },
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response.url == f"/forecast/202/scenarios/{scenario.pk}/"
    assert scenario.shared_with_alliance
    page = client.get(response.url)
    text = page.content.decode()
    assert "10% of residential placements moved to fostering" in text
    assert 'id="spend-table"' in text and "Shared with the London alliance" in text
    assert "private" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


# ---------------------------------------------------------------------------------------------------
# Who sees and changes what

READERS_ALWAYS = {"camden_analyst", "camden_director", "national_admin"}
READERS_SHARED = READERS_ALWAYS | {"london_coordinator"}
PERSONAS = [
    "anonymous",
    "camden_analyst",
    "leeds_admin",
    "london_coordinator",
    "national_admin",
    "evidence_editor",
    "no_membership",
    "camden_chief_executive",
    "camden_director",
]


def expected_read(persona: str, shared: bool) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in (READERS_SHARED if shared else READERS_ALWAYS) else 404


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_a_scenario(saved, as_persona, persona, shared):
    saved.shared_with_alliance = shared
    saved.save()
    client = as_persona(persona)
    assert client.get(f"/forecast/202/scenarios/{saved.pk}/").status_code == expected_read(persona, shared)
    listed = saved.name in client.get("/forecast/202/").content.decode()
    assert listed == (expected_read(persona, shared) == 200)


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("camden_analyst", 200),
        ("camden_director", 200),
        ("leeds_admin", 403),
        ("london_coordinator", 403),
        ("national_admin", 403),  # national admins read every scenario but make none for a council
        ("evidence_editor", 403),
        ("no_membership", 403),
        ("camden_chief_executive", 403),
    ],
)
def test_who_opens_the_new_scenario_form(world, as_persona, camden_director, persona, expected):  # noqa: F811
    assert as_persona(persona).get("/forecast/202/scenarios/new/").status_code == expected


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("camden_analyst", 403),  # members edit, only admins and the director share
        ("camden_director", 302),
        ("leeds_admin", 404),
        ("london_coordinator", 403),  # sees it once shared, never shares it
        ("national_admin", 403),
        ("evidence_editor", 404),
        ("no_membership", 404),
        ("camden_chief_executive", 404),
    ],
)
def test_who_shares_and_unshares(saved, as_persona, persona, expected):
    saved.shared_with_alliance = persona == "london_coordinator"
    saved.save()
    response = as_persona(persona).post(f"/forecast/202/scenarios/{saved.pk}/share/", {"shared": "no"})
    assert response.status_code == expected
    saved.refresh_from_db()
    assert saved.shared_with_alliance == (persona == "london_coordinator")  # only the director unshared


@pytest.mark.parametrize(
    "persona, get_status, post_status",
    [
        ("anonymous", 302, 302),
        ("camden_analyst", 403, 403),
        ("camden_director", 200, 302),
        ("leeds_admin", 404, 404),
        ("national_admin", 403, 403),
        ("no_membership", 404, 404),
        ("camden_chief_executive", 404, 404),
    ],
)
def test_who_deletes(saved, as_persona, persona, get_status, post_status):
    client = as_persona(persona)
    assert client.get(f"/forecast/202/scenarios/{saved.pk}/delete/").status_code == get_status
    assert client.post(f"/forecast/202/scenarios/{saved.pk}/delete/").status_code == post_status
    assert Scenario.objects.filter(pk=saved.pk).exists() == (persona != "camden_director")


def test_an_analyst_edits_but_a_coordinator_does_not(saved, as_persona):
    saved.shared_with_alliance = True
    saved.save()
    assert (
        as_persona("london_coordinator").get(f"/forecast/202/scenarios/{saved.pk}/edit/").status_code == 403
    )
    client = as_persona("camden_analyst")
    response = client.post(
        f"/forecast/202/scenarios/{saved.pk}/edit/",
        {"name": "Foster more", "move_percent": "20", "move_from": "residential", "move_to": "fostering"},
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.moves[0]["percent"] == 20


def test_a_member_of_another_london_council_sees_it_only_once_shared(saved, islington_member, leeds_admin):
    assert not Scenario.objects.visible_to(islington_member).exists()
    services.share_scenario(user=saved.created_by, scenario=saved)
    assert list(Scenario.objects.visible_to(islington_member)) == [saved]
    assert not Scenario.objects.visible_to(leeds_admin).exists()


def test_only_admins_and_the_director_share_through_the_service(saved, camden_analyst):
    with pytest.raises(PermissionDenied):
        services.share_scenario(user=camden_analyst, scenario=saved)
    with pytest.raises(PermissionDenied):
        services.save_scenario(
            user=camden_analyst, authority=saved.authority, name="Shared", shared_with_alliance=True
        )


# ---------------------------------------------------------------------------------------------------
# The API

API_LIST = {  # persona -> (status when not shared, status when shared)
    "anonymous": (401, 401),
    "camden_analyst": (200, 200),
    "camden_director": (200, 200),
    "leeds_admin": (403, 403),
    "london_coordinator": (200, 200),  # the list answers, empty until a scenario is shared
    "national_admin": (200, 200),
    "evidence_editor": (403, 403),
    "no_membership": (403, 403),
    "camden_chief_executive": (403, 403),
}


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_scenarios_through_the_api(saved, as_persona, persona, shared):
    saved.shared_with_alliance = shared
    saved.save()
    client = as_persona(persona)
    listing = client.get("/api/v1/forecasts/202/scenarios")
    assert listing.status_code == API_LIST[persona][shared]
    assert "detail" in listing.json() if listing.status_code != 200 else True
    sees = expected_read(persona, shared) == 200
    if listing.status_code == 200:
        assert [s["name"] for s in listing.json()] == (["Foster more"] if sees else [])
    one = client.get(f"/api/v1/forecasts/202/scenarios/{saved.pk}")
    assert one.status_code == (401 if persona == "anonymous" else 200 if sees else 404)
    if sees:
        body = one.json()
        assert body["moves"] == FOSTER_MORE
        assert len(body["results"]["difference"]["spend"]) == 5
        assert body["may_share"] == (persona == "camden_director")


@pytest.mark.parametrize(
    "persona, body, expected",
    [
        ("anonymous", {"name": "API"}, 401),
        ("leeds_admin", {"name": "API"}, 403),
        ("london_coordinator", {"name": "API"}, 403),
        ("national_admin", {"name": "API"}, 403),
        ("camden_analyst", {"name": "API", "shared_with_alliance": True}, 403),
        ("camden_analyst", {"name": "API", "entries_times": 0.9}, 201),
        ("camden_director", {"name": "API", "shared_with_alliance": True, "moves": FOSTER_MORE}, 201),
        ("camden_director", {"name": "Foster more"}, 400),
        (
            "camden_director",
            {"name": "API", "moves": [{"percent": 10, "from": "nowhere", "to": "fostering"}]},
            400,
        ),
        ("camden_director", {"name": "API", "exits_times": 1e300}, 400),
        ("camden_director", {"entries_times": 2}, 422),
    ],
)
def test_who_saves_a_scenario_through_the_api(saved, as_persona, persona, body, expected):
    response = as_persona(persona).post(
        "/api/v1/forecasts/202/scenarios", body, content_type="application/json"
    )
    assert response.status_code == expected, response.content
    assert Scenario.objects.filter(name="API").exists() == (expected == 201)
    if expected == 201:
        assert response.json()["results"]["years"]
    else:
        assert "detail" in response.json()


def test_the_api_answers_404_for_an_unknown_council_or_scenario(saved, as_persona):
    client = as_persona("camden_analyst")
    assert client.get("/api/v1/forecasts/999/scenarios").status_code == 404
    assert client.get(f"/api/v1/forecasts/383/scenarios/{saved.pk}").status_code == 404


def test_every_write_is_audited(saved, camden_analyst):
    from auditlog.models import LogEntry

    services.update_scenario(user=camden_analyst, scenario=saved, name="Renamed", moves=FOSTER_MORE)
    services.share_scenario(user=saved.created_by, scenario=saved)
    services.delete_scenario(user=saved.created_by, scenario=saved)
    assert LogEntry.objects.get_for_model(Scenario).count() == 4  # created, edited, shared, deleted


def test_without_the_outturn_workbook_the_page_says_spending_is_missing(  # noqa: F811
    world,  # noqa: F811
    camden_analyst,
    as_persona,
    settings,
    tmp_path_factory,  # noqa: F811
):
    settings.DATA_DIR = str(tmp_path_factory.mktemp("empty"))
    with pytest.raises(ValidationError, match="placement mix needs costs"):
        services.save_scenario(user=camden_analyst, authority=world.camden, name="M", moves=FOSTER_MORE)
    saved = services.save_scenario(
        user=camden_analyst, authority=world.camden, name="Fewer", entries_times=0.9
    )
    assert saved.results["no_spend"] and "spend" not in saved.results["difference"]
    page = as_persona("camden_analyst").get(f"/forecast/202/scenarios/{saved.pk}/").content.decode()
    assert 'id="no-spend"' in page and 'id="looked-after-table"' in page


def test_editing_in_the_page_keeps_the_moves_beyond_the_forms_one(world, camden_analyst, as_persona):  # noqa: F811
    two = [*FOSTER_MORE, {"percent": 5, "from": "other", "to": "fostering"}]
    saved = services.save_scenario(user=camden_analyst, authority=world.camden, name="Two", moves=two)
    client = as_persona("camden_analyst")
    assert (
        "5% of other placements moved to fostering"
        in client.get(f"/forecast/202/scenarios/{saved.pk}/edit/").content.decode()
    )
    client.post(
        f"/forecast/202/scenarios/{saved.pk}/edit/",
        {"name": "Two", "move_percent": "20", "move_from": "residential", "move_to": "fostering"},
    )
    saved.refresh_from_db()
    assert saved.moves == [{"percent": 20, "from": "residential", "to": "fostering"}, two[1]]
    assert 'id="other-caution"' in client.get(f"/forecast/202/scenarios/{saved.pk}/").content.decode()
