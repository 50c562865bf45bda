"""The tidy-file importer refuses implausible files whole, and reports the rows it does not read.

Each finding of the outside probe is reproduced with a small file made here: a negative rate, a
percentage over 100, a period that has not ended (2031), an authority's DfE code with another
authority's ONS code, rows of a kind the mapping does not read (ignored without a word), and an
unterminated quote reported on the wrong line. A refused file changes nothing: no values, no
comparisons, no record of the load, and early-warning scores are not recomputed.
"""

import importlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from slihub.indicators import importers, periods
from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.models import Comparison, ImportedSource, Value
from slihub.indicators.services import import_tidy_file
from slihub.places.importers import DataFileError
from slihub.warning.models import RiskScore

COMMAND = importlib.import_module("slihub.web.management.commands.import-indicators")
HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,"
    "no_further_action_percent"
)
COLUMN = {name: number for number, name in enumerate(HEADER.split(","), 1)}
ONS = {"202": "E09000007", "206": "E09000019", "383": "E08000035"}


def row(year, level, code="", *, ons=None, region="", percent="20", count="100", category=None):
    ons = ONS.get(code, "") if ons is None else ons
    category = category or "Referrals and Re-referrals"
    return (
        f"{year},Reporting year,{level},E92000001,England,{region},,{code},{ons},,{category},"
        f"{count},10,{percent},5"
    )


def good_rows():
    """Lines 2 to 16: three years of England, London and three authorities."""
    lines = []
    for year in ("2022", "2023", "2024"):
        lines += [
            row(year, "National", percent="22"),
            row(year, "Regional", region="E12000007", percent="24"),
            row(year, "Local authority", "202", region="E12000007", percent="18"),
            row(year, "Local authority", "206", region="E12000007", percent="30"),
            row(year, "Local authority", "383", region="E12000003", percent="26"),
        ]
    return lines


def write(tmp_path, lines, name="c1_referrals.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def replace_line(lines, line, text):
    """`lines` with file line `line` (the header is line 1) replaced."""
    return [text if number == line else old for number, old in enumerate(lines, 2)]


def snapshot():
    return (
        sorted(
            map(repr, Value.objects.values_list("indicator__code", "period__label", "area_type", "value"))
        ),
        sorted(map(repr, Comparison.objects.values_list("indicator__code", "period__label", "rank"))),
        sorted(ImportedSource.objects.values_list("source", "fingerprint")),
        RiskScore.objects.count(),
    )


@pytest.fixture
def scores(monkeypatch):
    """Records each recomputation of the early-warning scores by the import-indicators command."""
    calls = []
    monkeypatch.setattr(COMMAND, "compute_risk_scores", lambda progress: calls.append(1) or 0)
    return calls


@pytest.fixture
def loaded(places, tmp_path, scores):
    """A good file already imported (scores recomputed once), and the database as it then was."""
    call_command(
        "import-indicators", str(write(tmp_path, good_rows(), name="good.csv")), "--mapping", "cin_referrals"
    )
    assert scores == [1]
    return snapshot()


def refuse(tmp_path, lines, **where):
    """Import `lines` with the command; it must be refused, naming the file and `where`."""
    path = write(tmp_path, lines, name="bad.csv")
    with pytest.raises(CommandError) as refused:
        call_command("import-indicators", str(path), "--mapping", "cin_referrals")
    message = str(refused.value)
    assert "bad.csv, line {line}, column {column}:".format(**where) in message
    assert "Nothing was changed." in message
    return message


def assert_unchanged(before, scores):
    assert snapshot() == before
    assert scores == [1], "early-warning scores were recomputed after a refused import"


# Values outside what the measure can be ----------------------------------------------------------


def test_a_negative_rate_is_refused_and_nothing_changes(loaded, tmp_path, scores):
    lines = replace_line(
        good_rows(), 5, row("2022", "Local authority", "206", region="E12000007", percent="-4.5")
    )
    message = refuse(tmp_path, lines, line=5, column=COLUMN["rereferral_percent"])
    assert (
        "-4.5 is impossible for dfe:rereferral_percent (% of referrals): it can only be 0 to 100" in message
    )
    assert_unchanged(loaded, scores)


def test_a_percentage_over_100_is_refused(loaded, tmp_path, scores):
    lines = replace_line(
        good_rows(), 16, row("2024", "Local authority", "383", region="E12000003", percent="100.1")
    )
    message = refuse(tmp_path, lines, line=16, column=COLUMN["rereferral_percent"])
    assert "it can only be 0 to 100" in message
    assert_unchanged(loaded, scores)


def test_a_negative_count_is_refused(loaded, tmp_path, scores):
    lines = replace_line(good_rows(), 2, row("2022", "National", count="-1"))
    message = refuse(tmp_path, lines, line=2, column=COLUMN["referral_count"])
    assert "-1 is impossible for dfe:referrals (Number): it can only be 0 or more" in message
    assert_unchanged(loaded, scores)


def test_the_limits_themselves_and_markers_are_accepted(places, tmp_path):
    lines = replace_line(
        good_rows(), 4, row("2022", "Local authority", "202", region="E12000007", percent="100")
    )
    lines = replace_line(
        lines, 5, row("2022", "Local authority", "206", region="E12000007", percent="0", count="0")
    )
    lines = replace_line(
        lines, 6, row("2022", "Local authority", "383", region="E12000003", percent="c", count="x")
    )
    import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    stored = dict(
        Value.objects.filter(
            indicator__code="dfe:rereferral_percent", period__label="2022", area_type="la"
        ).values_list("authority__code", "value")
    )
    assert stored == {"202": 100.0, "206": 0.0, "383": None}
    marker = Value.objects.get(indicator__code="dfe:referrals", period__label="2022", authority__code="383")
    assert (marker.value, marker.status) == (None, "x")


def test_the_limits_come_from_the_measures_unit():
    limits = {m.code: m.limits for mapping in MAPPINGS.values() for m in mapping.measures}
    assert limits["dfe:rereferral_percent"] == (0, 100)
    assert limits["dfe:cla_rate_31_march"] == (0, 10_000)
    assert limits["dfe:cla_count_31_march"] == (0, None)
    assert limits["dfe:sw_caseload"] == (0, None)
    assert limits["dfe:ks4_attainment8_cla"] == (0, 90)
    # Progress 8 below zero is below the national average, not an error; turnover can pass 100%.
    assert limits["dfe:ks4_progress8_cla"] == (None, None)
    assert limits["dfe:sw_turnover_rate"] == (0, None)
    assert all(low is not None for code, (low, _) in limits.items() if "progress8" not in code)


# Periods that have not ended ---------------------------------------------------------------------


def test_a_year_in_the_future_is_refused(loaded, tmp_path, scores):
    future = str(date.today().year + 5)  # the probe's 2031
    lines = good_rows() + [row(future, "Local authority", "202", region="E12000007")]
    message = refuse(tmp_path, lines, line=17, column=COLUMN["time_period"])
    assert f"{future} (Reporting year) ends on 31 March {future}, after today" in message
    assert_unchanged(loaded, scores)


def test_a_period_is_refused_until_its_last_day(places, tmp_path):
    """cin_referrals counts the year to 31 March: 2026 can be loaded from 31 March 2026."""
    path = write(tmp_path, [row("2026", "Local authority", "202", region="E12000007")])
    mapping, codes = MAPPINGS["cin_referrals"], {"202", "206", "383"}
    with pytest.raises(DataFileError, match="ends on 31 March 2026, after today"):
        importers.read_tidy(path, mapping, codes, today=date(2026, 3, 30))
    assert importers.read_tidy(path, mapping, codes, today=date(2026, 3, 31)).records


def test_each_year_type_ends_on_its_own_day():
    year, academic = (
        periods.parse_tidy("2025", "Reporting year"),
        periods.parse_tidy("202425", "Academic year"),
    )
    assert importers.period_end(year, "Annual (end of September)") == date(2025, 9, 30)
    assert importers.period_end(year, "Annual (mid-year, 30 June)") == date(2025, 6, 30)
    assert importers.period_end(year, "Annual (31 March)") == date(2025, 3, 31)
    assert importers.period_end(year, "", "Calendar year") == date(2025, 12, 31)
    assert importers.period_end(academic, "Academic Year") == date(2025, 8, 31)


# DfE code and ONS code of different authorities --------------------------------------------------


def test_a_dfe_code_with_another_authoritys_ons_code_is_refused(loaded, tmp_path, scores):
    # Camden's DfE code, Islington's ONS code
    lines = replace_line(
        good_rows(), 9, row("2023", "Local authority", "202", ons="E09000019", region="E12000007")
    )
    message = refuse(tmp_path, lines, line=9, column=COLUMN["new_la_code"])
    assert "E09000019 is the ONS code of Islington (206), not of Camden (202) (old_la_code 202)" in message
    assert_unchanged(loaded, scores)


def test_a_successor_with_its_predecessors_ons_code_is_refused(loaded, tmp_path, scores):
    # Cumberland (942) under Cumbria's code: another authority, even though Cumberland succeeded it.
    lines = good_rows() + [row("2024", "Local authority", "942", ons="E10000006", region="E12000002")]
    message = refuse(tmp_path, lines, line=17, column=COLUMN["new_la_code"])
    assert "E10000006 is the ONS code of Cumbria (909), not of Cumberland (942)" in message
    assert_unchanged(loaded, scores)


def test_an_authoritys_former_ons_code_and_a_joint_return_are_accepted(places, tmp_path):
    lines = good_rows() + [
        row(
            "2022", "Local authority", "815", ons="E10000023", region="E12000003"
        ),  # North Yorkshire before 2023
        row("2024", "Local authority", "815", ons="E06000065", region="E12000003"),
        row("2022", "Local authority", "909", ons="E10000006", region="E12000002"),  # Cumbria
        row("2021", "Local authority", "380 / 383", ons="E08000032 / E08000035", region="E12000003"),
    ]
    report = import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert report.changed and not [w for w in report.warnings if "new_la_code" in w]
    assert Value.objects.filter(authority__code="815", indicator__code="dfe:referrals").count() == 2


def test_a_joint_return_with_a_third_authoritys_ons_code_is_refused(places, tmp_path):
    lines = good_rows() + [row("2021", "Local authority", "380 / 383", ons="E08000032 / E09000007")]
    with pytest.raises(DataFileError) as refused:
        import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert (refused.value.line, refused.value.column) == (17, COLUMN["new_la_code"])
    assert (
        "E09000007 is the ONS code of Camden (202), not of Bradford (380) / Leeds (383)"
        in refused.value.message
    )
    assert not Value.objects.exists()


def test_an_ons_code_the_reference_data_lacks_is_stored_with_a_warning(places, tmp_path):
    lines = replace_line(
        good_rows(), 4, row("2022", "Local authority", "202", ons="E09000099", region="E12000007")
    )
    report = import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert (
        "c1_referrals.csv, line 4: new_la_code E09000099 (with old_la_code 202, 1 row) is not an ONS code "
        "in the reference data; the values are stored under DfE code 202"
    ) in report.warnings
    assert Value.objects.filter(authority__code="202", period__label="2022").count() == 3


def test_something_that_is_not_an_ons_code_is_refused(places, tmp_path):
    lines = replace_line(
        good_rows(), 4, row("2022", "Local authority", "202", ons="Camden", region="E12000007")
    )
    with pytest.raises(DataFileError, match="'Camden' is not an ONS code") as refused:
        import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert (refused.value.line, refused.value.column) == (4, COLUMN["new_la_code"])


# Rows the mapping does not read ------------------------------------------------------------------


def test_rows_the_mapping_does_not_read_are_counted_by_kind_and_reported(places, tmp_path, capsys, scores):
    districts = [
        row(year, "Local authority district", "", ons="", region="E12000007")
        for year in ("2023", "2024") * 20
    ]
    other = [row("2024", "Local authority", "202", region="E12000007", category="Assessments")] * 3
    lines = good_rows() + districts + other
    call_command("import-indicators", str(write(tmp_path, lines)), "--mapping", "cin_referrals")
    out = capsys.readouterr().out
    assert (
        "Warning: c1_referrals.csv, line 17: 40 rows with geographic_level 'Local authority district' not "
        "read (the cin_referrals mapping does not read them)"
    ) in out
    assert (
        "Warning: c1_referrals.csv, line 57: 3 rows with category 'Assessments' not read (the cin_referrals "
        "mapping does not read them)"
    ) in out
    assert "with 2 warnings, above" in out
    assert (
        Value.objects.filter(area_type="la").count() == 27
    )  # three measures, three authorities, three years


def test_the_import_service_returns_the_warnings(places, tmp_path):
    lines = good_rows() + [row("2024", "Ward", region="E12000007")] * 2
    report = import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert report.warnings == [
        "c1_referrals.csv, line 17: 2 rows with geographic_level 'Ward' not read (the cin_referrals mapping "
        "does not read them)"
    ]


def test_rows_no_measure_reads_are_reported_by_the_measures_filters(places, tmp_path):
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "old_la_code,new_la_code,la_name,population_type,children_count,rate_per_10000"
    )
    lines = [
        f"2024,Reporting year,Local authority,E92000001,England,E12000007,,202,E09000007,,{kind},100,50"
        for kind in (
            "Children looked after on 31 March each year",
            "Children starting to be looked after each year",
            "Children ceasing to be looked after each year",
            "Children ceasing to be looked after each year",
        )
    ]
    report = import_tidy_file(write(tmp_path, lines, header=header), mapping="cla_rate")
    assert report.warnings == [
        "c1_referrals.csv, line 4: 2 rows with population_type 'Children ceasing to be looked after each "
        "year' not read (the cla_rate mapping does not read them)"
    ]


def test_a_geographic_level_ees_does_not_have_is_refused(places, tmp_path):
    lines = replace_line(good_rows(), 4, row("2022", "Local Authority", "202", region="E12000007"))
    with pytest.raises(DataFileError, match="'Local Authority' is not one of") as refused:
        import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert (refused.value.line, refused.value.column) == (4, COLUMN["geographic_level"])
    assert not Value.objects.exists()


def test_many_kinds_are_summed_after_the_first_twelve(places, tmp_path):
    other = [row("2024", "National", category=f"Kind {k:02d}") for k in range(15)]
    report = import_tidy_file(write(tmp_path, good_rows() + other), mapping="cin_referrals")
    assert len(report.warnings) == 13
    assert report.warnings[-1] == (
        "c1_referrals.csv: 3 rows of 3 more kinds not read (the cin_referrals mapping does not read them)"
    )


# Line numbers of a malformed file ----------------------------------------------------------------


def test_an_unterminated_quote_is_reported_on_the_line_it_starts(loaded, tmp_path, scores):
    """The probe's file: multi-line quoted cells before line 408, where a quote is never closed."""
    # 133 records of three lines each (a name with two line breaks in it) on lines 2 to 400, then
    # seven plain ones; rows of another category, so that the mapping reads none of them.
    three_lines = row("2022", "National", category="Assessments").replace(
        ",,Assess", ',"England\nall\nareas",Assess'
    )
    lines = [three_lines] * 133 + [row("2022", "National", category="Assessments")] * 7
    lines += ['2022,Reporting year,National,E92000001,"England,,,,,,Referrals and Re-referrals,1,1,1,1']
    lines += good_rows() * 16  # 240 more lines after the broken one: the file ends on line 648
    path = write(tmp_path, lines, name="bad.csv")
    assert path.read_text().splitlines()[407].startswith('2022,Reporting year,National,E92000001,"England')
    with pytest.raises(CommandError) as refused:
        call_command("import-indicators", str(path), "--mapping", "cin_referrals")
    assert "bad.csv, line 408: a quoted cell that starts in this record is never closed" in str(refused.value)
    assert_unchanged(loaded, scores)


def test_a_row_with_too_many_cells_after_quoted_line_breaks_is_reported_on_its_line(places, tmp_path):
    multi_line = row("2022", "National", category="Assessments").replace(
        ",,Assess", ',"England\nall areas",Assess'
    )
    lines = [multi_line, multi_line, row("2022", "Regional", region="E12000007") + ",extra"]
    with pytest.raises(DataFileError) as refused:
        import_tidy_file(write(tmp_path, lines), mapping="cin_referrals")
    assert refused.value.line == 6 and "expected 15 cells, found 16" in refused.value.message
