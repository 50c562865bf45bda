"""Saved comparator groups: a signed-in user names a comparison and shares it by link; anyone with the
link reads it; only its owner renames or deletes it; every write is audited."""

import pytest
from auditlog.models import LogEntry

from slihub.accounts import comparator_groups as groups
from slihub.accounts.models import ComparatorGroup
from tests.integration import progress_bank
from tests.integration.conftest import PERSONAS
from tests.integration.html import page

NEW = "/compare/groups/new/"
LIST = "/compare/groups/"


@pytest.fixture
def bank(places):
    return progress_bank.build_bank(places)


@pytest.fixture
def group(bank, places, people):
    return groups.create_group(
        user=people["camden_analyst"],
        name="Camden and friends",
        authorities=[places.camden, places.islington, places.leeds],
        indicators=[bank.indicators["ReReferral"]],
    )


def url(group, action=""):
    return f"/compare/groups/{group.token}/{action + '/' if action else ''}"


def test_a_signed_in_user_saves_the_comparison_and_gets_a_link(as_persona, bank):
    client = as_persona("camden_analyst")
    query = "?la=202&la=206&indicator=ReReferral"
    form = page(client.get(NEW + query))
    assert [li.text for li in form.one("ul", id="group-authorities").find_all("li")] == [
        "Camden",
        "Islington",
    ]
    response = client.post(NEW + query, {"name": "  Inner London  pair "})
    saved = ComparatorGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == url(saved)
    assert saved.name == "Inner London pair"
    assert saved.authority_codes == ["202", "206"] and saved.indicator_codes == ["ReReferral"]
    assert len(saved.token) >= 20
    entry = LogEntry.objects.get_for_object(saved).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor.username == "camden.analyst"


def test_the_headline_indicators_are_saved_as_no_indicators(as_persona, bank):
    as_persona("leeds_admin").post(NEW + "?la=383", {"name": "Leeds alone"})
    assert ComparatorGroup.objects.get().indicator_codes == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the group"),
        ("   ", "Enter a name for the group"),
        ("x" * 101, "Name of the group must be 100 characters or less"),
        ("a\x00b", "must not include control characters"),
    ],
)
def test_a_bad_name_gets_an_error_summary_and_saves_nothing(as_persona, bank, name, message):
    response = as_persona("camden_analyst").post(NEW + "?la=202", {"name": name})
    assert response.status_code == 400
    document = page(response)
    summary = document.one("div", class_="govuk-error-summary")
    assert message in summary.text
    assert summary.find("a").attrs["href"] == "#id_name"
    assert not ComparatorGroup.objects.exists()


def test_nothing_to_save_without_authorities(as_persona, bank):
    client = as_persona("camden_analyst")
    assert "There are no authorities to save" in page(client.get(NEW + "?la=ZZZ")).text
    assert client.post(NEW, {"name": "Empty"}).status_code == 400
    assert not ComparatorGroup.objects.exists()


def test_saving_needs_a_sign_in(as_persona, bank):
    response = as_persona("anonymous").get(NEW + "?la=202")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_with_the_link_sees_the_comparison_the_name_and_the_owner(as_persona, group, persona):
    response = as_persona(persona).get(url(group))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    document = page(response)
    assert document.one("h1").text == "Camden and friends"
    assert "Saved by Camden Analyst" in document.one("p", id="group-owner").text
    assert [li.find("a").text for li in document.one("ul", id="compared").find_all("li")] == [
        "Camden",
        "Islington",
        "Leeds",
    ]
    assert document.find("svg", role="img") is not None
    owner_links = {a.text for a in document.find_all("a")} & {
        "Rename Camden and friends",
        "Delete Camden and friends",
    }
    assert bool(owner_links) == (persona == "camden_analyst")


@pytest.mark.parametrize("token", ["nope", "x" * 500, "%00", "a%20b"])
def test_an_unknown_link_is_not_found(client, bank, token):
    assert client.get(f"/compare/groups/{token}/").status_code == 404


# Who may rename and delete: the owner only. Others get 404 (not theirs to change); anonymous signs in.
EXPECTED = {persona: 404 for persona in PERSONAS} | {"camden_analyst": 302, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_owner_renames(as_persona, group, persona):
    client = as_persona(persona)
    assert client.get(url(group, "rename")).status_code == (
        200 if persona == "camden_analyst" else EXPECTED[persona]
    )
    response = client.post(url(group, "rename"), {"name": "Renamed"})
    assert response.status_code == EXPECTED[persona]
    group.refresh_from_db()
    if persona == "camden_analyst":
        assert response["Location"] == url(group) and group.name == "Renamed"
        actions = [e.action for e in LogEntry.objects.get_for_object(group).order_by("id")]
        assert actions == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    else:
        assert group.name == "Camden and friends"
        if persona == "anonymous":
            assert response["Location"].startswith("/accounts/login/")


def test_a_bad_new_name_keeps_the_old_one(as_persona, group):
    response = as_persona("camden_analyst").post(url(group, "rename"), {"name": ""})
    assert response.status_code == 400
    assert "Enter a name for the group" in page(response).one("div", class_="govuk-error-summary").text
    group.refresh_from_db()
    assert group.name == "Camden and friends"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_owner_deletes(as_persona, group, persona):
    client = as_persona(persona)
    assert client.get(url(group, "delete")).status_code == (
        200 if persona == "camden_analyst" else EXPECTED[persona]
    )
    response = client.post(url(group, "delete"))
    assert response.status_code == EXPECTED[persona]
    exists = ComparatorGroup.objects.filter(pk=group.pk).exists()
    assert exists == (persona != "camden_analyst")
    if persona == "camden_analyst":
        assert response["Location"] == LIST
        assert client.get(url(group)).status_code == 404
        assert LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(group.pk)).exists()


def test_the_service_refuses_anyone_but_the_owner(group, people):
    from django.core.exceptions import PermissionDenied

    for name in ("leeds_admin", "national_admin"):
        with pytest.raises(PermissionDenied):
            groups.rename_group(user=people[name], group=group, name="Mine now")
        with pytest.raises(PermissionDenied):
            groups.delete_group(user=people[name], group=group)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_shows_each_user_only_their_own_groups(as_persona, group, people, places, persona):
    groups.create_group(
        user=people["leeds_admin"], name="Leeds set", authorities=[places.leeds], indicators=[]
    )
    response = as_persona(persona).get(LIST)
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        return
    assert response.status_code == 200
    document = page(response)
    table = document.find("table", id="groups")
    names = [tr.find("a").text for tr in table.find("tbody").find_all("tr")] if table else []
    expected = {"camden_analyst": ["Camden and friends"], "leeds_admin": ["Leeds set"]}.get(persona, [])
    assert names == expected
    if not expected:
        assert document.find("p", id="no-groups") is not None


def test_the_list_reads_a_fixed_number_of_queries(
    as_persona, people, places, bank, django_assert_max_num_queries
):
    client = as_persona("camden_analyst")
    for n in range(12):
        groups.create_group(
            user=people["camden_analyst"], name=f"G{n}", authorities=[places.camden], indicators=[]
        )
    with django_assert_max_num_queries(6):
        client.get(LIST)


def test_a_code_that_no_longer_names_an_authority_is_reported_not_lost(client, group):
    ComparatorGroup.objects.filter(pk=group.pk).update(authority_codes=["202", "999"])
    document = page(client.get(url(group)))
    assert "No authority has the code '999'" in document.one("div", class_="govuk-error-summary").text


# The API: public by link ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_reads_a_group_by_its_link_for_anyone(as_persona, group, persona):
    response = as_persona(persona).get(f"/api/v1/comparator-groups/{group.token}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Camden and friends" and body["owner"] == "Camden Analyst"
    assert [a["code"] for a in body["authorities"]] == ["202", "206", "383"]
    assert body["headline_indicators"] is False and body["problems"] == []
    (rereferral,) = body["comparison"]
    assert rereferral["indicator"]["code"] == "ReReferral" and rereferral["period"] == "2025"
    assert rereferral["england_value"] == 22.4
    camden = rereferral["values"][0]
    assert camden["authority"]["name"] == "Camden" and camden["value"] == 30.0 and camden["band"] == "D"


def test_the_api_gives_a_suppressed_figure_as_its_marker(client, bank, people, places):
    made = groups.create_group(
        user=people["leeds_admin"],
        name="CIN",
        authorities=[places.camden],
        indicators=[bank.indicators["CIN"]],
    )
    (cin,) = client.get(f"/api/v1/comparator-groups/{made.token}").json()["comparison"]
    assert cin["values"][0]["value"] is None and cin["values"][0]["status"] == "c"


@pytest.mark.parametrize("token", ["nope", "x" * 101, "x" * 40, "a%00b"])
def test_the_api_answers_an_unknown_link_with_a_reason(client, bank, token):
    response = client.get(f"/api/v1/comparator-groups/{token}")
    assert response.status_code in (404, 422)
    assert response.json()["detail"]
