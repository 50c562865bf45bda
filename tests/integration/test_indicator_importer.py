"""The tidy-file importer on small files made here: values, markers, bad inputs, atomicity, idempotency."""

import pytest
from django.core.management import CommandError, call_command

from slihub.indicators.models import Comparison, ImportedSource, Indicator, Value
from slihub.indicators.services import import_tidy_file
from slihub.places.importers import DataFileError
from tests import factories

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,"
    "no_further_action_percent"
)


def row(year, level, code="", region="", percent="20", count="100"):
    return (
        f"{year},Reporting year,{level},E92000001,England,{region},,{code},,,Referrals and Re-referrals,"
        f"{count},10,{percent},5"
    )


def good_rows():
    lines = []
    for year, (camden, islington, leeds) in zip(
        ["2022", "2023", "2024"], [("20", "30", "25"), ("18", "c", "26"), ("16", "31", "27")], strict=True
    ):
        lines += [
            row(year, "National", percent="22"),
            row(year, "Regional", region="E12000007", percent="24"),
            row(year, "Local authority", "202", "E12000007", camden),
            row(year, "Local authority", "206", "E12000007", islington),
            row(year, "Local authority", "383", "E12000003", leeds),
        ]
    return lines


def write(tmp_path, lines, name="c1_referrals.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def places(empty_places):
    london = factories.region("E12000007", "London")
    yorkshire = factories.region("E12000003", "Yorkshire and The Humber")
    return {
        "camden": factories.authority("202", "E09000007", "Camden", "ILB", london),
        "islington": factories.authority("206", "E09000019", "Islington", "ILB", london),
        "leeds": factories.authority("383", "E08000035", "Leeds", "MD", yorkshire),
    }


def snapshot():
    values = Value.objects.values_list(
        "indicator__code", "period__label", "authority__code", "value", "status"
    )
    comparisons = Comparison.objects.values_list(
        "indicator__code", "period__label", "authority__code", "rank"
    )
    return (
        sorted(map(repr, values)),
        sorted(map(repr, comparisons)),
        list(ImportedSource.objects.values_list("source", "fingerprint")),
    )


def test_it_loads_values_and_keeps_markers(places, tmp_path):
    import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    value = Value.objects.get(
        indicator__code="dfe:rereferral_percent", period__label="2023", authority=places["camden"]
    )
    assert (value.value, value.status) == (18.0, "")
    suppressed = Value.objects.get(
        indicator__code="dfe:rereferral_percent", period__label="2023", authority=places["islington"]
    )
    assert (suppressed.value, suppressed.status) == (None, "c")
    assert Value.objects.filter(indicator__code="dfe:rereferral_percent", area_type="england").count() == 3
    assert Indicator.objects.get(code="dfe:rereferral_percent").polarity == "low"


def test_it_compares_with_polarity(places, tmp_path):
    import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    camden = Comparison.objects.get(
        indicator__code="dfe:rereferral_percent", period__label="2024", authority=places["camden"]
    )
    # lower is better: Camden 16 beats Leeds 27 and Islington 31
    assert (camden.rank, camden.ranked, camden.quartile) == (1, 3, "A")
    assert (camden.region_value, camden.region_basis) == (24.0, "published")
    assert (camden.england_value, camden.england_basis) == (22.0, "published")
    assert camden.change == -2.0
    assert camden.trend_3 == "improving"
    islington = Comparison.objects.get(
        indicator__code="dfe:rereferral_percent", period__label="2023", authority=places["islington"]
    )
    assert (islington.value, islington.status, islington.rank, islington.quartile) == (None, "c", None, "")
    assert (
        Comparison.objects.get(
            indicator__code="dfe:rereferral_percent", period__label="2024", authority=places["islington"]
        ).trend_3
        == ""
    )


def test_loading_twice_changes_nothing(places, tmp_path):
    path = write(tmp_path, good_rows())
    assert import_tidy_file(path, mapping="cin_referrals").changed
    before = snapshot()
    report = import_tidy_file(path, mapping="cin_referrals")
    assert not report.changed and report.skipped == ["cin_referrals"]
    assert snapshot() == before


def test_next_years_release_adds_its_year_to_the_mappings_values(places, tmp_path):
    import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    newer = good_rows() + [row("2025", "Local authority", "202", "E12000007", "15")]
    import_tidy_file(write(tmp_path, newer, name="c1_2025.csv"), mapping="cin_referrals")
    assert Value.objects.filter(indicator__code="dfe:rereferral_percent", period__label="2025").count() == 1
    assert Value.objects.filter(indicator__code="dfe:rereferral_percent").count() == 16


@pytest.mark.parametrize(
    "change, line, column, message",
    [
        (
            lambda lines: [line.replace("206,", "999,") for line in lines],
            5,
            8,
            "'999' is not a known authority",
        ),
        (
            lambda lines: lines[:2] + [lines[2].replace(",20,5", ",2O,5")] + lines[3:],
            4,
            14,
            "neither a number",
        ),
        (lambda lines: lines + [lines[2]], 17, 12, "a second dfe:referrals value"),
        (
            lambda lines: [lines[0].replace("Reporting year", "Week")] + lines[1:],
            2,
            2,
            "unknown time_identifier",
        ),
        # A level EES does not have (a typo) is refused; another EES level ('Ward') is only reported.
        (lambda lines: [lines[0].replace("National", "Nationl")] + lines[1:], 2, 3, "is not one of"),
    ],
)
def test_a_bad_file_is_refused_whole_with_line_and_column(places, tmp_path, change, line, column, message):
    import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    before = snapshot()
    with pytest.raises(DataFileError) as refused:
        import_tidy_file(write(tmp_path, change(good_rows()), name="bad.csv"), mapping="cin_referrals")
    assert (refused.value.line, refused.value.column) == (line, column)
    assert message in refused.value.message and "bad.csv" in str(refused.value)
    assert snapshot() == before


def test_missing_columns_are_refused(places, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER.replace("rereferral_percent", "rereferral_pct") + "\n" + good_rows()[0] + "\n")
    with pytest.raises(DataFileError, match="missing column"):
        import_tidy_file(path, mapping="cin_referrals")
    assert not Value.objects.exists()


def test_the_command_lists_mappings_and_refuses_a_bad_file(places, tmp_path, capsys):
    call_command("import-indicators", "--list")
    assert "cla_rate" in capsys.readouterr().out
    bad = write(tmp_path, [line.replace("206,", "999,") for line in good_rows()])
    with pytest.raises(CommandError, match="line 5, column 8"):
        call_command("import-indicators", str(bad), "--mapping", "cin_referrals")
    call_command("import-indicators", str(write(tmp_path, good_rows())), "--mapping", "cin_referrals")
    assert Value.objects.exists()
