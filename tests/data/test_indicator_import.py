"""Every cell imported from LAIT's bank and the mapped tidy files equals its source cell."""

import csv

import pyarrow.parquet as pq
import pytest

from slihub.indicators import periods
from slihub.indicators.importers import LAIT_AREAS
from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.models import Comparison, Indicator, Period, Value
from slihub.indicators.services import load_indicator_data
from slihub.places.models import Authority

pytestmark = pytest.mark.django_db


def stored(source: str) -> dict:
    rows = Value.objects.filter(indicator__source=source).values_list(
        "indicator__code", "period__label", "area_type", "authority__code", "region__code", "value", "status"
    )
    return {
        (code, label, area_type, la or region or ""): (value, status)
        for code, label, area_type, la, region, value, status in rows
    }


def same(cell: str, value, status) -> bool:
    if status:
        return value is None and status == cell
    return value is not None and value == float(cell)


def published_share(count: str, total: str) -> str:
    """A share the hub calculates from two of the file's cells, as the cell it would be: the count's
    marker, else the total's; 'z' for a total of nought; else the percentage to one decimal place."""
    for cell in (count, total):
        if not cell.replace(".", "", 1).isdigit():
            return cell
    return "z" if float(total) == 0 else str(round(100 * float(count) / float(total), 1))


def test_every_lait_cell_is_stored_as_published(data_dir):
    table = pq.read_table(data_dir / "lait_bds_long_0.parquet").to_pydict()
    values = stored("lait")
    assert len(values) == len(table["Values"]) == 641070
    wrong = []
    for code, label, number, cell in zip(
        table["Short Desc"], table["Years"], table["LA Number"], table["Values"], strict=True
    ):
        number = int(number)
        if number in LAIT_AREAS:
            area_type, area = ("england" if number == 970 else "region"), LAIT_AREAS[number][0]
        else:
            area_type, area = "la", f"{number:03d}"
        value, status = values[(code, label, area_type, area)]
        if not same(cell, value, status):
            wrong.append((code, label, number, cell, value, status))
    assert wrong == []


@pytest.mark.parametrize("name", list(MAPPINGS))
def test_every_mapped_tidy_cell_is_stored_as_published(data_dir, name):
    mapping = MAPPINGS[name]
    values = stored(name)
    levels = {"National": "england", "Regional": "region", "Local authority": "la"}
    compared, wrong = 0, []
    with (data_dir / mapping.filename).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if any(row[c] != v for c, v in mapping.filters.items()):
                continue
            level = levels[row["geographic_level"]]
            label = row["time_period"]
            if row["time_identifier"] == "Academic year":
                label = f"{label[:4]}/{label[4:]}"
            elif row["time_identifier"] == "Financial year":
                label = f"{label[:4]}-{label[4:]}"
            areas = (
                [""]
                if level == "england"
                else [row["region_code"]]
                if level == "region"
                else [c.strip() for c in row["old_la_code"].split("/")]
            )
            for measure in mapping.measures:
                if any(row[c] != v for c, v in measure.filters.items()):
                    continue
                cell = row[measure.column]
                if measure.denominator:
                    cell = published_share(cell, row[measure.denominator])
                for area in areas:
                    compared += 1
                    value, status = values[(measure.code, label, level, area)]
                    if not same(cell, value, status):
                        wrong.append((measure.code, label, area, cell, value, status))
    assert compared == len(values) > 0
    assert wrong == []


def test_suppressed_cells_keep_their_marker_and_are_never_zero():
    markers = set(Value.objects.exclude(status="").values_list("status", flat=True))
    assert {"-", "c", "x"} <= markers
    assert not Value.objects.exclude(status="").filter(value__isnull=False).exists()


def test_defunct_authorities_keep_their_own_series():
    cumbria = Authority.objects.get(code="909")
    assert not cumbria.is_current
    assert Value.objects.filter(authority=cumbria, value__isnull=False).exists()
    # comparisons are for the 153 current authorities only
    assert not Comparison.objects.filter(authority=cumbria).exists()
    assert Comparison.objects.values("authority").distinct().count() == 153


def test_indicators_carry_polarity_units_and_classification():
    assert Indicator.objects.filter(source="lait").count() == 434
    assert set(Indicator.objects.values_list("polarity", flat=True)) == {"high", "low", "none"}
    assert Indicator.objects.exclude(theme="unclassified").count() > 300
    assert Period.objects.get(label="2025 (prov)").flag == "provisional"


def test_ranks_and_bands_cover_the_authorities_with_a_value():
    indicator = Indicator.objects.get(code="dfe:rereferral_percent")
    rows = Comparison.objects.filter(indicator=indicator, period__label="2025")
    ranked = rows.exclude(rank=None)
    assert ranked.count() == ranked.first().ranked
    assert ranked.filter(rank=1).first().quartile == "A"
    assert ranked.order_by("value").first().rank == 1  # lower is better
    assert rows.filter(region_basis="published").count() == rows.count()


def test_a_second_load_changes_nothing(data_dir):
    before = Value.objects.count(), Comparison.objects.count()
    report = load_indicator_data(data_dir)
    assert not report.changed
    assert (Value.objects.count(), Comparison.objects.count()) == before


# The tidy export's periods -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(MAPPINGS))
def test_a_mapped_files_periods_are_exported_as_the_file_writes_them(data_dir, name):
    mapping = MAPPINGS[name]
    with (data_dir / mapping.filename).open(encoding="utf-8-sig", newline="") as handle:
        stamps = {(row["time_period"], row["time_identifier"]) for row in csv.DictReader(handle)}
    for time_period, identifier in stamps:
        period = periods.parse_tidy(time_period, identifier)
        assert periods.tidy_time(period, mapping.year_type) == (time_period, identifier)


def test_every_lait_year_type_is_known_and_each_export_row_is_unique():
    year_types = set(Indicator.objects.filter(source="lait").values_list("year_type", flat=True))
    assert {y.lower() for y in year_types} <= set(periods.YEAR_TYPES)
    rows = Value.objects.filter(indicator__source="lait").values_list(
        "indicator_id", "indicator__year_type", "period__label", "area_type", "authority_id", "region_id"
    )
    keys, parsed = set(), {}
    for indicator_id, year_type, label, area_type, authority_id, region_id in rows.iterator():
        period = parsed.setdefault(label, periods.parse_label(label))
        key = (
            indicator_id,
            *periods.tidy_time(period, year_type),
            period.flag,
            area_type,
            authority_id,
            region_id,
        )
        assert key not in keys, key
        keys.add(key)


@pytest.mark.parametrize(
    "lait, tidy, same_time",
    [
        # LAIT's academic '2025' is DfE's 202425: both export ('202425', 'Academic year').
        ("LAC_KS2_ExpStd_RWM", "dfe:ks2_rwm_cla", True),
        ("LAC_KS4_AVG_Attain8", "dfe:ks4_attainment8_cla", True),
        ("LAC_Pers_Abs", "dfe:absence_persistent_cla", True),
        # LAIT's financial '2025' is the year to 31 March 2025 ('202425', 'Financial year'), which
        # DfE's CLA files call the reporting year 2025.
        ("CareLeaverAcc", "dfe:care_leavers_suitable_19_21", False),
        ("LACStable_2016on", "dfe:cla_3_placements_year", False),
    ],
)
def test_lait_and_dfe_series_of_one_measure_are_exported_for_the_same_years(lait, tidy, same_time):
    def exported(code):
        indicator = Indicator.objects.get(code=code)
        found = Value.objects.filter(indicator=indicator, area_type="england").select_related("period")
        return {
            periods.tidy_time(v.period, indicator.year_type): v.value for v in found if v.value is not None
        }

    def by_end_year(series):
        return {int(time[:4]) + (len(time) == 6): value for (time, _), value in series.items()}

    from_lait, from_dfe = exported(lait), exported(tidy)
    if same_time:
        assert len(from_lait.keys() & from_dfe.keys()) >= 3
    years = by_end_year(from_lait).keys() & by_end_year(from_dfe).keys()
    assert len(years) >= 3
    assert {y: by_end_year(from_lait)[y] for y in years} == {y: by_end_year(from_dfe)[y] for y in years}


def test_the_new_mappings_give_the_published_headline_figures():
    def england(code, label):
        return Value.objects.get(indicator__code=code, period__label=label, area_type="england").value

    assert england("dfe:ks2_rwm_cla", "2024/25") == 35
    assert england("dfe:ks4_attainment8_cla", "2024/25") == 17.3
    assert england("dfe:absence_persistent_cla", "2024/25") == 20.3
    assert england("dfe:care_leavers_eet_19_21", "2025") == 54
    assert england("dfe:cla_long_term_stability", "2025") == 69
    assert england("dfe:population_0_17", "2024") == 12183016
    # A better placement record ranks first: lower is better for 3 or more placements.
    rows = Comparison.objects.filter(indicator__code="dfe:cla_3_placements_year", period__label="2025")
    assert rows.exclude(rank=None).order_by("value").first().rank == 1
