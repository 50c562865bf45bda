"""The tidy CSV export writes each period as EES would, from the indicator's year type."""

import csv
import io

import pytest

from slihub.indicators import periods
from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.models import Indicator, Value
from tests.integration import progress_bank


def time(label: str, year_type: str) -> tuple[str, str]:
    return periods.tidy_time(periods.parse_label(label), year_type)


@pytest.mark.parametrize(
    "label, year_type, expected",
    [
        # LAIT names an academic year by the year it ends in: '2025' is 2024/25.
        ("2025", "Academic Year", ("202425", "Academic year")),
        ("2025 (Rev)", "Academic Year", ("202425", "Academic year")),
        ("2025 (prov)", "Academic Year", ("202425", "Academic year")),
        ("2016-17", "Academic Year", ("201617", "Academic year")),  # LAIT writes some with a dash
        ("2015/16", "Academic Year", ("201516", "Academic year")),
        # ... and a financial year too: '2025' is the year to 31 March 2025.
        ("2025", "Financial Year", ("202425", "Financial year")),
        ("2016-17 (OT)", "Financial Year", ("201617", "Financial year")),
        ("2013/14-15/16", "Financial Year", ("2013/14-15/16", "Financial year")),  # no EES format for ranges
        ("2024", "Calendar Year", ("2024", "Calendar year")),
        ("2014-16", "Calendar Year", ("2014-16", "Calendar year")),
        # Snapshots on a day of the year are DfE's 'Reporting year'.
        ("2025", "Annual", ("2025", "Reporting year")),
        ("2025", "Annual (31 March)", ("2025", "Reporting year")),
        ("2025", "Annual (year to 31 March)", ("2025", "Reporting year")),
        ("2025", "Annual (end of Sept)", ("2025", "Reporting year")),
        ("2025", "Annual (end of September)", ("2025", "Reporting year")),
        ("2024", "Annual (mid-year, 30 June)", ("2024", "Reporting year")),
        ("2025", "Annual - January", ("2025", "January")),  # the January school census
        # A two-year label under a one-year type: the label decides.
        ("2024-25", "Annual", ("202425", "Financial year")),
        # Without a year type the label's kind decides, as before.
        ("2025", "", ("2025", "Reporting year")),
        ("2024/25", "", ("202425", "Academic year")),
        ("2024-25", "not a year type", ("202425", "Financial year")),
        ("0", "Academic Year", ("0", "Unspecified")),
    ],
)
def test_the_time_identifier_follows_the_year_type(label, year_type, expected):
    assert time(label, year_type) == expected


def test_every_mapping_writes_its_periods_as_its_file_does():
    # Each mapped file's rows: (time_period, time_identifier) -> the same pair back out.
    samples = {"Academic year": "202425", "Reporting year": "2025"}
    for mapping in MAPPINGS.values():
        identifier = periods.YEAR_TYPES[mapping.year_type.lower()]
        period = periods.parse_tidy(samples[identifier], identifier)
        assert periods.tidy_time(period, mapping.year_type) == (samples[identifier], identifier), mapping.name


@pytest.fixture
def flagged(places):
    made = progress_bank.make_periods(["2024", "2025 (prov)"])
    indicator = progress_bank.make_indicator(
        "KS1P_all", "Phonics, all pupils", "high", "schools", "enjoy_achieve", 0
    )
    Indicator.objects.filter(id=indicator.id).update(year_type="Academic Year")
    Value.objects.bulk_create(
        [
            Value(indicator=indicator, period=made["2024"], area_type="england", value=80.0),
            Value(indicator=indicator, period=made["2025 (prov)"], area_type="england", value=81.0),
            Value(
                indicator=indicator,
                period=made["2025 (prov)"],
                area_type="la",
                authority=places.camden,
                status="c",
            ),
        ]
    )
    return Indicator.objects.get(id=indicator.id)


def test_the_export_uses_the_year_type_and_puts_flags_in_a_version_column(client, flagged):
    response = client.get(f"/indicators/{flagged.slug}/tidy.csv")
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert reader.fieldnames[-2:] == ["version", "KS1P_all"]
    rows = [
        (r["time_period"], r["time_identifier"], r["geographic_level"], r["version"], r["KS1P_all"])
        for r in reader
    ]
    assert rows == [
        ("202324", "Academic year", "National", "Not stated", "80"),
        ("202425", "Academic year", "National", "Provisional", "81"),
        ("202425", "Academic year", "Local authority", "Provisional", "c"),
    ]


def test_an_export_without_flags_has_no_version_column(client, flagged):
    Value.objects.filter(period__label="2025 (prov)").delete()
    response = client.get(f"/indicators/{flagged.slug}/tidy.csv")
    header = response.content.decode().splitlines()[0].split(",")
    assert "version" not in header
    assert response.content.decode().splitlines()[1].startswith("202324,Academic year,National,")
