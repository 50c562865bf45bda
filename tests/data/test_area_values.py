"""The API serves regions' and England's published cells as the publisher shows them: LAIT's 970 and
980-990 rows and DfE's national and regional rows, checked cell by cell against the real files."""

import csv

import pyarrow.parquet as pq
import pytest

from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.models import Indicator

pytestmark = pytest.mark.django_db

# Indicators with numbers and the publisher's '-' in their England and region rows.
LAIT_CODES = ["RTA", "PriTotAbs", "CareApplications", "InfMort"]
LAIT_AREAS = {"970": "E92000001", "980": "E12000001", "986": "E12000007", "987": "E13000001"}


def served(client, slug: str, **query) -> dict:
    """period -> (value, status) of every item the values API gives for one area."""
    body = client.get(f"/api/v1/indicators/{slug}/values", {"limit": 500, **query}).json()
    assert body["count"] == len(body["items"]) < 500
    return {item["period"]: (item["value"], item["status"]) for item in body["items"]}


def as_published(cell: str) -> tuple[float | None, str | None]:
    try:
        return float(cell), None
    except ValueError:
        return None, cell


@pytest.fixture(scope="module")
def lait_cells(data_dir) -> dict:
    """(code, LAIT area number) -> period -> (value, status), for LAIT_CODES' England and region rows."""
    table = pq.read_table(data_dir / "lait_bds_long_0.parquet").to_pydict()
    cells: dict = {}
    for code, label, number, cell in zip(
        table["Short Desc"], table["Years"], table["LA Number"], table["Values"], strict=True
    ):
        area = str(int(number))
        if code in LAIT_CODES and area in LAIT_AREAS:
            cells.setdefault((code, area), {})[label] = as_published(cell)
    return cells


@pytest.mark.parametrize("code", LAIT_CODES)
def test_laits_england_and_region_rows_are_served_as_published(client, lait_cells, code):
    slug = Indicator.objects.get(code=code).slug
    for number, ons in LAIT_AREAS.items():
        published = lait_cells[code, number]
        assert served(client, slug, la=number) == published
        assert served(client, slug, area=ons) == published
    markers = {status for (c, _), cells in lait_cells.items() if c == code for _, status in cells.values()}
    if code != "InfMort":
        assert "-" in markers, "a suppressed regional or national cell keeps the publisher's marker"


def test_dfes_national_and_regional_rows_are_served_as_published(client, data_dir):
    mapping = MAPPINGS["cla_rate"]
    measure = mapping.measures[0]  # the rate at 31 March
    wanted: dict = {}
    with (data_dir / mapping.filename).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if any(row[c] != v for c, v in measure.filters.items()):
                continue
            if row["geographic_level"] == "National":
                wanted.setdefault("E92000001", {})[row["time_period"]] = as_published(row[measure.column])
            elif row["geographic_level"] == "Regional":
                wanted.setdefault(row["region_code"], {})[row["time_period"]] = as_published(
                    row[measure.column]
                )
    slug = Indicator.objects.get(code=measure.code).slug
    assert {"E92000001", "E12000001", "E12000007"} <= set(wanted)
    for area, cells in wanted.items():
        assert served(client, slug, area=area) == cells, area
    england = client.get(f"/api/v1/indicators/{slug}/values", {"level": "england", "period": "2025"}).json()
    assert england["items"] == [
        {
            "la": "970",
            "area_type": "england",
            "area_code": "E92000001",
            "area_name": "England",
            "period": "2025",
            "value": 67.0,
            "status": None,
        }
    ]
