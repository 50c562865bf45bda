"""A share the hub calculates from a tidy file's counts (the factors identified at the end of assessment):
its value and markers, and a bad file refused whole."""

import pytest

from slihub.indicators.importers import share
from slihub.indicators.models import ImportedSource, Value
from slihub.indicators.services import import_tidy_file
from slihub.places.importers import DataFileError
from tests import factories

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,category,Episodes_with_assessment_factor,Domestic_Abuse_parent,"
    "Mental_Health_parent,Neglect"
)
CATEGORY = "Factors identified at the end of assessment"


def row(year, level, code="", region="", total="1000", abuse="317", health="250", neglect="160"):
    return (
        f"{year},Reporting year,{level},E92000001,England,{region},,{code},,,{CATEGORY},"
        f"{total},{abuse},{health},{neglect}"
    )


def good_rows():
    return [
        row("2024", "National", total="506370", abuse="160600", health="165480", neglect="83380"),
        row("2024", "Local authority", "202", "E12000007", total="1500", abuse="483", neglect="c"),
        row("2024", "Local authority", "206", "E12000007", total="x", abuse="x", health="x", neglect="x"),
        row("2024", "Local authority", "383", "E12000003", total="0", abuse="0", health="0", neglect="0"),
    ]


def write(tmp_path, lines):
    path = tmp_path / "c3_factors.csv"
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


def stored(code, authority=None):
    value = Value.objects.get(
        indicator__code=code,
        period__label="2024",
        area_type="la" if authority else "england",
        authority=authority,
    )
    return value.value, value.status


def test_each_share_is_the_count_over_the_episodes_with_factors(places, tmp_path):
    import_tidy_file(write(tmp_path, good_rows()), mapping="assessment_factors")
    # 160,600 of 506,370 episodes: 31.716...%, stored to one decimal place as DfE writes its shares
    assert stored("dfe:factor_domestic_abuse_parent_percent") == (31.7, "")
    assert stored("dfe:factor_neglect_percent") == (16.5, "")
    assert stored("dfe:factor_domestic_abuse_parent_percent", places["camden"]) == (32.2, "")
    assert stored("dfe:assessment_factor_episodes", places["camden"]) == (1500, "")


def test_a_marker_in_the_count_or_the_total_is_the_shares_marker_and_a_zero_total_not_applicable(
    places, tmp_path
):
    import_tidy_file(write(tmp_path, good_rows()), mapping="assessment_factors")
    assert stored("dfe:factor_neglect_percent", places["camden"]) == (None, "c")
    assert stored("dfe:factor_domestic_abuse_parent_percent", places["islington"]) == (None, "x")
    assert stored("dfe:factor_neglect_percent", places["leeds"]) == (None, "z")
    assert share(None, None, 10.0, None) == (None, None)  # never a share of an empty cell


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (dict(abuse="1600"), 13, "1600 of 1500 (106.7%) is impossible"),  # more episodes than the total
        (dict(abuse="-5"), 13, "-5 of 1500 (-0.3%) is impossible"),
        (dict(total="-5", abuse="1"), 12, "-5 is impossible for dfe:assessment_factor_episodes"),
        (dict(total="many"), 12, "'many' is neither a number nor a marker"),
    ],
)
def test_a_bad_count_is_refused_whole_naming_line_and_column(places, tmp_path, bad, column, message):
    import_tidy_file(write(tmp_path, good_rows()), mapping="assessment_factors")
    before = sorted(
        map(repr, Value.objects.values_list("indicator__code", "authority__code", "value", "status"))
    )
    fingerprint = ImportedSource.objects.get(source="assessment_factors").fingerprint
    lines = good_rows()
    lines[1] = row("2024", "Local authority", "202", "E12000007", **{"total": "1500", **bad})
    with pytest.raises(DataFileError) as refused:
        import_tidy_file(write(tmp_path, lines), mapping="assessment_factors")
    assert (refused.value.line, refused.value.column) == (3, column)
    assert message in refused.value.message
    after = Value.objects.values_list("indicator__code", "authority__code", "value", "status")
    assert sorted(map(repr, after)) == before
    assert ImportedSource.objects.get(source="assessment_factors").fingerprint == fingerprint
