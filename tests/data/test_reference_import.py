"""Every cell the reference import stores equals its source cell in the public files."""

import csv
import json

import pytest

from slihub.places.models import Authority, Boundary, Region, StatisticalNeighbour, Succession
from slihub.places.reorganisations import FORMER_AUTHORITIES, REORGANISATIONS
from slihub.places.services import load_reference_data

pytestmark = pytest.mark.django_db

MODELS = {"2021 (April 2021)": "2021", "2025 (May 2025)": "2025"}


def read_csv(path):
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_every_current_authority_matches_its_row(data_dir):
    rows = read_csv(data_dir / "derived_la_reference.csv")
    stored = {a.code: a for a in Authority.objects.select_related("region", "sub_region")}
    assert len(rows) == 153
    assert Authority.objects.current().count() == 153
    for row in rows:
        authority = stored[row["old_la_code"]]
        assert authority.ons_code == row["new_la_code"]
        assert authority.name == row["la_name"]
        assert authority.la_type == row["la_type"]
        assert authority.ofsted_region == row["ofsted_region"]
        assert authority.ofsted_urn == row["ofsted_la_urn"]
        assert authority.is_current and authority.ended_on is None
        # Inner/Outer London are kept as the sub-region; London is the region.
        where = authority.sub_region or authority.region
        assert (where.code, where.name) == (row["region_code"], row["region_name"])


def test_the_nine_regions_and_both_parts_of_london_are_there():
    english = Region.objects.filter(parent=None)
    assert english.count() == 9
    assert set(Region.objects.filter(parent__code="E12000007").values_list("name", flat=True)) == {
        "Inner London",
        "Outer London",
    }
    assert Authority.objects.current().filter(region__code="E12000007").count() == 33


def test_former_authorities_are_kept_with_their_successors():
    for former in FORMER_AUTHORITIES:
        authority = Authority.objects.get(code=former.code)
        assert not authority.is_current and authority.ended_on is not None
        assert authority.ons_code == former.ons_code
    links = {(s.predecessor.code, s.successor.code) for s in Succession.objects.select_related()}
    expected = {(p, s) for r in REORGANISATIONS for p in r.predecessors for s in r.successors}
    assert links == expected
    assert ("909", "942") in links and ("928", "941") in links


def test_every_neighbour_link_matches_its_row(data_dir):
    rows = read_csv(data_dir / "derived_statistical_neighbours_long.csv")
    stored = {
        (n.model, n.authority.code, n.rank): (n.neighbour.code, n.closeness)
        for n in StatisticalNeighbour.objects.select_related("authority", "neighbour")
    }
    expected = {
        (MODELS[r["model"]], r["la_code"], int(r["rank"])): (r["sn_la_code"], r["closeness_norm"])
        for r in rows
        if r["sn_la_code"] != "-"
    }
    assert stored == expected
    # Cumberland and Westmorland and Furness did not exist for the 2021 model.
    assert not StatisticalNeighbour.objects.filter(model="2021", authority__code__in=["942", "943"]).exists()
    assert StatisticalNeighbour.objects.filter(model="2025", authority__code="942").count() == 10


def test_every_current_authority_has_ten_neighbours_in_the_2025_model():
    for authority in Authority.objects.current():
        assert authority.neighbour_links.filter(model="2025").count() == 10, authority


def test_every_boundary_matches_its_feature(data_dir):
    collection = json.loads((data_dir / "derived_ctyua_may2023_england_buc_wgs84.geojson").read_text())
    features = {f["properties"]["CTYUA23CD"]: f["geometry"] for f in collection["features"]}
    stored = {b.authority.ons_code: b.geometry for b in Boundary.objects.select_related("authority")}
    assert stored == features
    assert len(stored) == 153


def test_loading_again_changes_nothing(data_dir):
    def dump():
        return (
            list(Authority.objects.order_by("code").values()),
            list(StatisticalNeighbour.objects.order_by("model", "authority__code", "rank").values()),
            list(Boundary.objects.order_by("authority__code").values("authority__code", "geometry")),
        )

    before = dump()
    report = load_reference_data(data_dir)
    assert not report.changed
    assert dump() == before
