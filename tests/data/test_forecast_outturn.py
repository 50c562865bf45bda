"""The revenue outturn workbooks in SLIHUB_DATA_DIR, read cell by cell against values seen in the files, and
the unit costs the hub works out from them and the published counts.

Expected values below were seen in the workbooks through a separate quick parse of their content.xml
(the cell at the named sheet, row and column, as a spreadsheet numbers them), and
the counts of children looked after from lait_bds_long_0.parquet (Short Desc LACnum)."""

import pytest

from slihub.forecast import costs, outturn
from slihub.places.models import Authority

RO3_SHEET, RSX_SHEET = "RO3_LA_Data_202425", "RSX_LA_Data_202425"

# (ONS code, line, measure, sheet row, column, GBP thousand as published or the marker)
RO3_CELLS = [
    ("E09000007", outturn.LOOKED_AFTER, outturn.GROSS, 59, "Q", 36491),  # Camden
    ("E09000007", outturn.LOOKED_AFTER, outturn.NET, 59, "U", 34256),
    ("E09000007", outturn.RESIDENTIAL, outturn.GROSS, 59, "X", 4495),
    ("E09000007", outturn.FOSTERING, outturn.GROSS, 59, "AE", 8570),
    ("E09000007", outturn.ASYLUM, outturn.GROSS, 59, "AL", 3869),
    ("E09000007", outturn.OTHER, outturn.GROSS, 59, "AS", 19557),
    ("E09000007", outturn.CHILDREN_SOCIAL_CARE, outturn.GROSS, 59, "CP", 100754),
    ("E09000019", outturn.LOOKED_AFTER, outturn.GROSS, 183, "Q", 36463.7),  # Islington
    ("E09000019", outturn.FOSTERING, outturn.GROSS, 183, "AE", 11681.07),
    ("E08000035", outturn.LOOKED_AFTER, outturn.GROSS, 200, "Q", 146619),  # Leeds
    ("E08000035", outturn.RESIDENTIAL, outturn.GROSS, 200, "X", 66527),
    ("E08000035", outturn.LOOKED_AFTER, outturn.NET, 200, "U", 142183),
    ("E08000037", outturn.LOOKED_AFTER, outturn.GROSS, 138, "Q", 41170.99959),  # Gateshead
    ("E08000037", outturn.RESIDENTIAL, outturn.GROSS, 138, "X", "[note 4]"),
    ("E06000063", outturn.LOOKED_AFTER, outturn.GROSS, 84, "Q", "[x]"),  # Cumberland: not received
    ("E92000001", outturn.LOOKED_AFTER, outturn.GROSS, 418, "Q", 8917040.34614),  # England
    ("E92000001", outturn.FOSTERING, outturn.GROSS, 418, "AE", 2161304.60023),
    ("E92000001", outturn.CHILDREN_SOCIAL_CARE, outturn.NET, 418, "CT", 15556137.15471),
]
RSX_CELLS = [
    ("E09000007", outturn.GROSS, 59, "X", 100754),
    ("E09000007", outturn.NET, 59, "AB", 92206),
    ("E08000035", outturn.GROSS, 200, "X", 305280),
    ("E92000001", outturn.GROSS, 418, "X", 16878876.02917),
]


@pytest.fixture(scope="session")
def ro3(data_dir):
    return outturn.read(outturn.RO3, outturn.find_file(outturn.RO3, data_dir))


@pytest.fixture(scope="session")
def rsx(data_dir):
    return outturn.read(outturn.RSX, outturn.find_file(outturn.RSX, data_dir))


@pytest.mark.parametrize("ons, line, measure, row, column, published", RO3_CELLS)
def test_the_ro3_reader_gives_each_cell_as_published(ro3, ons, line, measure, row, column, published):
    figure = ro3[ons].lines[line][measure]
    assert figure.place == f"sheet {RO3_SHEET}, row {row}, column {column}"
    if isinstance(published, str):
        assert (figure.thousands, figure.status) == (None, published)
    else:
        assert (figure.thousands, figure.status) == (pytest.approx(published, abs=1e-6), "")


@pytest.mark.parametrize("ons, measure, row, column, published", RSX_CELLS)
def test_the_rsx_reader_gives_each_cell_as_published(rsx, ons, measure, row, column, published):
    figure = rsx[ons].lines[outturn.CHILDREN_SOCIAL_CARE][measure]
    assert figure.place == f"sheet {RSX_SHEET}, row {row}, column {column}"
    assert figure.thousands == pytest.approx(published, abs=1e-6)


def test_the_workbooks_hold_153_childrens_services_authorities_and_england(ro3, rsx):
    for table in (ro3, rsx):
        assert len(table) == 154
        assert sum(o.authority_class == outturn.ENGLAND_CLASS for o in table.values()) == 1
        assert {o.year for o in table.values()} == {"2024-25"}
    assert ro3["E06000063"].notes == "M"  # Cumberland's return was not received


def test_markers_carry_their_meaning_from_the_notes_sheet(ro3):
    not_received = ro3["E06000063"].lines[outturn.LOOKED_AFTER][outturn.GROSS]
    assert not_received.meaning == "Data not received in time for publication"
    gateshead = ro3["E08000037"].lines[outturn.FOSTERING][outturn.GROSS]
    assert gateshead.meaning.startswith("Gateshead were unable to provide a breakdown of line 13")


def test_ro3s_children_social_care_total_is_rsxs_for_every_authority(ro3, rsx):
    assert set(ro3) == set(rsx)
    for ons, row in ro3.items():
        for measure in (outturn.GROSS, outturn.NET):
            a = row.lines[outturn.CHILDREN_SOCIAL_CARE][measure]
            b = rsx[ons].lines[outturn.CHILDREN_SOCIAL_CARE][measure]
            assert (a.thousands, a.status) == (b.thousands, b.status), (row.name, a.place, b.place)


def test_the_parts_of_children_looked_after_add_up_to_its_total(ro3):
    parts = (outturn.RESIDENTIAL, outturn.FOSTERING, outturn.ASYLUM, outturn.OTHER)
    added = 0
    for row in ro3.values():
        total = row.lines[outturn.LOOKED_AFTER][outturn.GROSS].thousands
        values = [row.lines[p][outturn.GROSS].thousands for p in parts]
        if total is None or None in values:
            continue
        assert sum(values) == pytest.approx(total, abs=1.0), row.name  # GBP thousand, rounding
        added += 1
    assert added == 150  # of 154 rows: three returns not received ([x]) and Gateshead ([note 4])


@pytest.mark.django_db
def test_every_current_council_has_a_row_by_its_ons_code(ro3):
    missing = [a.name for a in Authority.objects.filter(is_current=True) if a.ons_code not in ro3]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, spend_thousands, count_2024, count_2025",
    [("202", 36491, 214, 205), (None, 8917040.34614, 83530, 81770), ("383", 146619, None, None)],
)
def test_the_unit_cost_on_real_data_is_ro3_spend_per_child_year(
    ro3, settings, data_dir, code, spend_thousands, count_2024, count_2025
):
    settings.DATA_DIR = str(data_dir)
    result = costs.unit_costs(code, ro3)
    counts = {c["year"]: c["looked_after"] for c in result["children"]["counts"]}
    if count_2024 is not None:
        assert counts == {2024: count_2024, 2025: count_2025}
    assert result["unit_cost"] == pytest.approx(spend_thousands * 1000 / ((counts[2024] + counts[2025]) / 2))
    assert result["source"]["year"] == "2024-25"


@pytest.mark.django_db
def test_a_council_whose_ro3_return_was_not_received_is_costed_from_section_251_or_refused(ro3):
    try:
        result = costs.unit_costs("942", ro3)  # Cumberland: [x] in RO3
    except costs.CostError as error:
        assert "[x]" in str(error) and "row 84, column Q" in str(error)
    else:
        assert "section 251" in result["source"]["name"]


@pytest.mark.django_db
def test_englands_projection_runs_on_real_data_with_its_reference_points(ro3):
    result = costs.projection(None, years=2, simulations=200, ro3=ro3)
    first = result["years"][0]
    assert first["year"] == "2025-26"
    low, high = first["interval_80"]
    assert low < first["median"] < high
    assert len(result["reference_points"]) >= 1
