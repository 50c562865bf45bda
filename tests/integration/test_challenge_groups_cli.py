"""`slihub alliances challenge-groups`: a self-contained instance, a bad file refused whole, and a
region grouped from the hub's data."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from slihub.alliances.grouping_instances import read_instance
from slihub.alliances.models import Alliance, ChallengeGroup, Cycle
from slihub.inspections.models import Inspection
from slihub.stats.grouping import exhaustive
from tests import factories

SMALL = Path(__file__).parents[1] / "fixtures" / "challenge_groups_small.json"


def run(*args) -> str:
    out = StringIO()
    call_command("alliances", "challenge-groups", *args, stdout=out)
    return out.getvalue()


def test_it_groups_an_instance_and_prints_parts_that_add_up():
    document = json.loads(run("--instance", str(SMALL), "--json"))
    assert document["status"] == "OPTIMAL"
    best, _ = exhaustive(read_instance(SMALL))
    assert round(document["total"] * 1000) == best
    members = sorted(code for g in document["groups"] for code in g["members"])
    assert members == sorted(c["code"] for c in json.loads(SMALL.read_text())["councils"])
    for group in document["groups"]:
        assert group["score"] == pytest.approx(group["complement"] - group["repeat"] - group["travel"])
        inside = [p for p in document["pairs"] if set(p["councils"]) <= set(group["members"])]
        assert group["score"] == pytest.approx(sum(p["score"] for p in inside))
    assert document["total"] == pytest.approx(sum(g["score"] for g in document["groups"]))


def test_it_prints_groups_with_reasons_in_plain_words():
    text = run("--instance", str(SMALL))
    assert "Group 1:" in text and "is strong in" in text and "furthest apart" in text
    assert "Status: OPTIMAL" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["councils"][3]["strengths"].update(care_leavers=3),
            "councils[3] (code '213'): strength",
        ),
        (lambda d: d.update(councils=d["councils"][:5], last_year=[]), "sizes: 5 councils cannot be split"),
        (lambda d: d["councils"][0].update(colour="red"), "councils[0] (code '202'): unknown field 'colour'"),
        (lambda d: d["last_year"].append(["202", "999"]), "last_year[2]: unknown council '999'"),
        (lambda d: d.update(sizes=[3, 4, 9]), "sizes: must be"),
        (lambda d: d["weights"].update(travel=-1), "weights.travel: must not be negative"),
        (lambda d: d["councils"][1]["strengths"].update(resilience=1), "unknown area 'resilience'"),
        (lambda d: d["councils"].append(dict(d["councils"][0])), "'202' is listed twice"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_item(tmp_path, change, message):
    document = json.loads(SMALL.read_text())
    change(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="Nothing was grouped") as raised:
        run("--instance", str(path))
    assert message in str(raised.value)
    assert raised.value.returncode == 2


def test_a_bad_file_exits_with_status_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    done = subprocess.run(
        [sys.executable, "-m", "slihub.cli", "alliances", "challenge-groups", "--instance", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "not valid JSON at line 1" in done.stderr


@pytest.mark.django_db
def test_it_groups_a_region_from_the_hubs_data(places):
    london = places.london
    extra = [
        factories.authority(
            str(300 + k), f"E090000{50 + k}", f"Borough {k}", "OLB", london, corner=(-0.4 + 0.05 * k, 51.4)
        )
        for k in range(5)
    ]
    alliance = Alliance.objects.create(region=london, name="London alliance")
    Inspection.objects.create(
        authority=places.camden,
        kind="standard",
        start_date="2024-01-01",
        published_on="2024-02-01",
        overall_effectiveness="Outstanding",
        impact_of_leaders="Outstanding",
        help_and_protection="Good",
        children_in_care="Outstanding",
        care_leavers="Outstanding",
    )
    Inspection.objects.create(
        authority=extra[0],
        kind="standard",
        start_date="2024-01-01",
        published_on="2024-02-01",
        overall_effectiveness="Inadequate",
        impact_of_leaders="Inadequate",
        help_and_protection="Inadequate",
        children_in_care="Inadequate",
        care_leavers="Inadequate",
    )
    last = Cycle.objects.create(
        alliance=alliance,
        year=2025,
        self_assessment_opens="2025-11-01",
        self_assessment_due="2025-12-15",
        challenge_opens="2026-01-05",
        challenge_closes="2026-02-27",
        plan_due="2026-03-31",
        delivery_starts="2026-04-01",
    )
    group = ChallengeGroup.objects.create(cycle=last, number=1)
    group.authorities.set([places.camden, places.islington, extra[1]])
    document = json.loads(run("--region", "E12000007", "--year", "2026", "--json"))
    assert document["status"] == "OPTIMAL"
    groups = [set(g["members"]) for g in document["groups"]]
    assert sorted(c for g in groups for c in g) == sorted(["202", "206", *(a.code for a in extra)])
    camden_with_weak = next(g for g in groups if "202" in g)
    assert extra[0].code in camden_with_weak  # the Outstanding council is grouped with the Inadequate one
    pairs = {tuple(p["councils"]): p for p in document["pairs"]}
    assert pairs[("202", "206")]["met_last_year"]


@pytest.mark.django_db
def test_a_region_without_an_alliance_is_refused(places):
    with pytest.raises(CommandError, match="no alliance for the region") as raised:
        run("--region", "E12000099", "--year", "2026")
    assert raised.value.returncode == 2
