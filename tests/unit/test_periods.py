import pytest

from slihub.indicators import markers, periods


@pytest.mark.parametrize(
    "label, kind, start, end, flag",
    [
        ("2025", periods.YEAR, 2025, 2025, ""),
        ("2025 (prov)", periods.YEAR, 2025, 2025, periods.PROVISIONAL),
        ("2018 (Rev)", periods.YEAR, 2018, 2018, periods.REVISED),
        ("2020 (Final)", periods.YEAR, 2020, 2020, periods.FINAL),
        ("2024-25", periods.FINANCIAL, 2024, 2025, ""),
        ("2016-17 (OT)", periods.FINANCIAL, 2016, 2017, periods.OUTTURN),
        ("1999-00", periods.FINANCIAL, 1999, 2000, ""),
        ("2015/16", periods.ACADEMIC, 2015, 2016, ""),
        ("2014-16", periods.MULTI_YEAR, 2014, 2016, ""),
        ("2021/22-23/24", periods.MULTI_ACADEMIC, 2021, 2024, ""),
        ("0", periods.UNSPECIFIED, 0, 0, ""),
    ],
)
def test_it_parses_every_label_lait_uses(label, kind, start, end, flag):
    period = periods.parse_label(label)
    assert (period.label, period.kind, period.start_year, period.end_year, period.flag) == (
        label,
        kind,
        start,
        end,
        flag,
    )


@pytest.mark.parametrize(
    "label", ["", " 2025", "2025 (draft)", "25", "2024-2025", "2024/26", "2021/22-22/23x", "2025-24", "abc"]
)
def test_it_refuses_labels_dfe_does_not_use(label):
    with pytest.raises(ValueError):
        periods.parse_label(label)


def test_provisional_is_marked():
    assert periods.parse_label("2025 (prov)").provisional
    assert not periods.parse_label("2025").provisional


def test_periods_order_by_the_year_they_end_then_flag_then_length():
    labels = ["2025 (prov)", "2023/24", "2021/22-23/24", "2016-17 (OT)", "2014-16", "2024", "2018 (Rev)", "0"]
    ordered = [p.label for p in periods.ordered(periods.parse_label(x) for x in labels)]
    assert ordered == [
        "0",
        "2014-16",
        "2016-17 (OT)",
        "2018 (Rev)",
        "2024",
        "2023/24",
        "2021/22-23/24",
        "2025 (prov)",
    ]


def test_a_provisional_figure_sorts_before_the_revised_one_of_the_same_year():
    assert periods.parse_label("2025 (prov)").sort_key < periods.parse_label("2025 (Rev)").sort_key


@pytest.mark.parametrize(
    "time_period, identifier, label",
    [
        ("2025", "Reporting year", "2025"),
        ("2024", "Calendar year", "2024"),
        ("202425", "Academic year", "2024/25"),
        ("202425", "Financial year", "2024-25"),
        ("199900", "Financial year", "1999-00"),
    ],
)
def test_tidy_periods_get_the_labels_lait_uses(time_period, identifier, label):
    assert periods.parse_tidy(time_period, identifier).label == label


@pytest.mark.parametrize(
    "time_period, identifier",
    [("2025", "Week"), ("202425", "Reporting year"), ("2024", "Academic year"), ("202426", "Financial year")],
)
def test_it_refuses_tidy_periods_that_do_not_fit_their_identifier(time_period, identifier):
    with pytest.raises(ValueError):
        periods.parse_tidy(time_period, identifier)


@pytest.mark.parametrize("marker", ["c", "x", "z", "u", "k", "low", "-"])
def test_markers_are_kept_never_turned_into_zero(marker):
    assert markers.parse_cell(marker) == (None, marker)


@pytest.mark.parametrize(
    "text, value",
    [
        ("62", 62.0),
        ("9.3699999999999992", 9.37),
        ("-7.0000000000000007E-2", -0.07),
        ("0", 0.0),
        ("8.931E-2", 0.08931),
    ],
)
def test_numbers_are_stored_as_the_float_their_text_names(text, value):
    parsed, status = markers.parse_cell(text)
    assert status is None and parsed == float(text) and parsed == pytest.approx(value)


@pytest.mark.parametrize("text", ["", " 5", "5 ", "1,000", "nan", "inf", "C", "12%", "--"])
def test_other_cells_are_refused(text):
    with pytest.raises(ValueError):
        markers.parse_cell(text)
