"""Unit costs and projected spend on children in care (`slihub forecast-costs`), on a small world: published
counts for England and three councils, and a small RO3 workbook made here."""

import json
import zipfile
from io import StringIO
from xml.sax.saxutils import escape

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from slihub.forecast import costs, outturn, references, selectors
from slihub.indicators import periods
from slihub.indicators.models import Indicator, Period, Value
from slihub.sources import DataFileError
from slihub.stats import forecast as engine

YEARS = range(2016, 2026)
OUTTURN = "2024-25 (OT)"
MEASURES = [  # each line's columns, in the workbook's order
    "Employees (C1)",
    "Running Expenses (C2)",
    "Total Expenditure (C3 = C1 + C2)",
    "Sales, Fees and Charges (C4)",
    "Other Income (C5)",
    "Total Income (C6 = C4 + C5)",
    "Net Current Expenditure (C7 = C3 - C6)",
]
SURE_START = "Children's social care: Sure start children's centres and early years"


# ---------------------------------------------------------------------------------------------------
# A small RO3 workbook: the real file's layout (title rows, header on row 7, a row per authority, England)


def header() -> list[str]:
    columns = ["E-code", "ONS Code", "Local authority", "Notes", "Class", "Detailed Class", "Certification"]
    for label in [SURE_START, *outturn.LINES[outturn.RO3].values()]:
        columns += [f"{label} - {measure}" for measure in MEASURES]
    return columns


def data_row(ecode, ons, name, cls, lines: dict[str, tuple], notes="") -> list:
    """lines: line -> (gross, net) in GBP thousand, or a marker string for both."""
    row = [ecode, ons, name, notes, cls, cls, "Y", *[0] * len(MEASURES)]
    for line in outturn.LINES[outturn.RO3]:
        gross, net = lines.get(line, (0, 0))
        row += [0, 0, gross, 0, 0, 0, net]
    return row


def cell(value) -> str:
    if isinstance(value, int | float):
        opening = f'<table:table-cell office:value-type="float" office:value="{value}">'
    else:
        opening = '<table:table-cell office:value-type="string">'
    return f"{opening}<text:p>{escape(str(value))}</text:p></table:table-cell>"


BLANK_ROWS = (
    '<table:table-row table:number-rows-repeated="2">'
    '<table:table-cell table:number-columns-repeated="9"/></table:table-row>'
)


def table(name: str, rows: list[list]) -> str:
    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" if row else BLANK_ROWS
        for row in rows
    )
    return f'<table:table table:name="{name}">{body}</table:table>'


def write_ods(path, sheet: str, rows: list[list]) -> None:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        + table("Notes", [["Notes"], ["Note number", "Note text"], ["[x]", "Data not received in time"]])
        + table(sheet, rows)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)


CAMDEN_LINES = {
    outturn.LOOKED_AFTER: (36491, 34256),
    outturn.RESIDENTIAL: (4495, 4400),
    outturn.FOSTERING: (8570, 8500),
    outturn.ASYLUM: (3869, 3000),
    outturn.OTHER: (19557, 18356),
    outturn.CHILDREN_SOCIAL_CARE: (100754, 92206),
}


def ro3_rows(camden=CAMDEN_LINES) -> list[list]:
    x = {line: ("[x]", "[x]") for line in outturn.LINES[outturn.RO3]}
    return [
        ["Worksheet 2: Revenue Outturn (RO) 2024-25: Social Care and Public Health (RO3) data"],
        ["This worksheet contains two tables. Data are reported in £ thousand."],
        [],  # two blank rows: rows 3 and 4
        ["Row 431 is hidden."],
        ["Source: Ministry of Housing, Communities & Local Government"],
        header(),  # row 7
        ["E3831", "E07000223", "Adur", "", "SD", "SD", "Y"],
        data_row("E5011", "E09000007", "Camden", "LB", camden),
        data_row("E5015", "E09000019", "Islington", "LB", x, notes="M"),
        data_row("E4704", "E08000035", "Leeds", "MD", {outturn.LOOKED_AFTER: (146619, 142183)}),
        data_row(
            "Eng",
            "E92000001",
            "ENGLAND",
            "Eng",
            {
                outturn.LOOKED_AFTER: (8917040.34614, 8434512.29579),
                outturn.CHILDREN_SOCIAL_CARE: (16878876, 1),
            },
        ),
        [],
        ["E-code", "ONS Code", "Local authority", "Notes", "Class"],
        ["[Y]", "E08", "Metropolitan Districts", "", "MD"],
    ]


HEADER_AT = 5  # ro3_rows()[5] is the header


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = str(tmp_path)
    write_ods(tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425", ro3_rows())
    return tmp_path


# ---------------------------------------------------------------------------------------------------
# Published counts


def period(label: str) -> Period:
    p = periods.parse_label(label)
    return Period.objects.get_or_create(
        label=label,
        defaults={
            "kind": p.kind,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "flag": p.flag,
            "sort_key": p.sort_key,
        },
    )[0]


def indicator(code: str) -> Indicator:
    return Indicator.objects.get_or_create(
        code=code,
        defaults={"slug": code.lower().replace("_", "-").replace(":", "-"), "source": "lait", "name": code},
    )[0]


def add_area(rows: list, seed: int, stock: int, population: int, last: dict | None = None, **where) -> None:
    """Published flows from constant rates, and the last two stocks as given."""
    rng = np.random.default_rng(seed)
    codes = {c: indicator(c) for c in selectors.CODES}
    n = stock
    for year in YEARS:
        starts = rng.poisson(30 * population / 10_000)
        ceases = rng.binomial(n + starts, 1 / 3)
        n = n + starts - ceases
        if last and year in last:
            n = last[year]
        for code, value in {selectors.STOCK: n, selectors.STARTS: starts, selectors.CEASES: ceases}.items():
            rows.append(Value(indicator=indicator(code), period=period(str(year)), value=value, **where))
        rows.append(
            Value(
                indicator=codes[selectors.POPULATION], period=period(str(year - 1)), value=population, **where
            )
        )


def add(rows: list, code: str, label: str, value, **where) -> None:
    status = "" if value is not None else "-"
    rows.append(Value(indicator=indicator(code), period=period(label), value=value, status=status, **where))


@pytest.fixture
def world(places, data_dir):
    rows: list = []
    add_area(rows, 1, 80_000, 12_000_000, {2024: 83_530, 2025: 81_770}, area_type="england")
    camden = dict(area_type="la", authority=places.camden)
    add_area(rows, 2, 200, 36_000, {2024: 214, 2025: 205}, **camden)
    add_area(rows, 3, 300, 50_000, {2024: 300, 2025: 310}, area_type="la", authority=places.islington)
    add_area(rows, 4, 1_300, 170_000, {2025: 1_320}, area_type="la", authority=places.leeds)
    add(rows, "LAC_Foster_Placements", "2024", 56, **camden)
    add(rows, "LAC_Foster_Placements", "2025", 63, **camden)
    add(rows, "LAC_SecHome_And_ChildHome", "2024", 15, **camden)
    add(rows, "LAC_SecHome_And_ChildHome", "2025", None, **camden)  # suppressed
    add(rows, "LACFinance", "2016-17 (OT)", 2400, **camden)
    add(rows, "LACFinance", OUTTURN, 3715, **camden)
    add(rows, costs.LAIT_SPEND, OUTTURN, 41_000_000, area_type="la", authority=places.islington)
    Value.objects.bulk_create(rows)
    return places


pytestmark = pytest.mark.django_db


def test_it_gives_a_councils_unit_cost_as_ro3_spend_per_child_year_with_its_place(world):
    result = costs.unit_costs("202")
    assert result["year"] == "2024-25"
    assert result["source"]["spend"] == 36_491_000
    assert result["source"]["place"] == "sheet RO3_LA_Data_202425, row 9, column Q"
    assert result["source"]["net_spend"] == 34_256_000
    assert result["children"]["child_years"] == (214 + 205) / 2
    assert result["children"]["method"].startswith("mean of the counts")
    assert result["unit_cost"] == pytest.approx(36_491_000 / 209.5)
    assert result["unit_cost_weekly"] == pytest.approx(36_491_000 / 209.5 / (365 / 7))


def test_it_uses_the_count_at_31_march_alone_when_the_year_before_is_not_held(world):
    Value.objects.filter(
        authority=world.leeds, indicator__code=selectors.STOCK, period__label="2024"
    ).delete()
    result = costs.unit_costs("383")
    assert result["children"]["child_years"] == 1_320
    assert "only" in result["children"]["method"]
    assert result["unit_cost"] == pytest.approx(146_619_000 / 1_320)


def test_it_takes_section_251_outturn_when_the_ro3_return_was_not_received_and_says_so(world):
    result = costs.unit_costs("206")
    assert result["source"]["spend"] == 41_000_000
    assert "section 251" in result["source"]["name"]
    assert "[x] (Data not received in time)" in result["source"]["name"]
    assert result["unit_cost"] == pytest.approx(41_000_000 / 305)


def test_it_refuses_a_council_with_no_published_spending_naming_the_cell(world):
    Value.objects.filter(indicator__code=costs.LAIT_SPEND).delete()
    with pytest.raises(costs.CostError, match=r"\[x\].*row 10, column Q"):
        costs.unit_costs("206")


def test_it_refuses_a_council_the_workbook_does_not_hold(world):
    with pytest.raises(costs.CostError, match="Bradford has no row"):
        costs.unit_costs("380")


def test_fostering_and_residential_get_unit_costs_only_where_a_count_is_held(world):
    kinds = {k["type"]: k for k in costs.unit_costs("202")["placement_types"]}
    foster_years = (0.56 * 214 + 0.63 * 205) / 2
    assert kinds["fostering"]["child_years"] == pytest.approx(foster_years)
    assert kinds["fostering"]["unit_cost"] == pytest.approx(8_570_000 / foster_years)
    assert kinds["fostering"]["place"] == "sheet RO3_LA_Data_202425, row 9, column AE"
    # The share in children's homes at 31 March 2025 is suppressed: no unit cost, and why.
    assert kinds["residential"]["unit_cost"] is None
    assert "not held" in kinds["residential"]["note"]
    assert kinds["residential"]["spend"] == 4_495_000
    for kind in ("asylum", "other"):
        assert kinds[kind]["unit_cost"] is None and kinds[kind]["note"].startswith("no unit cost")
    assert sum(k["spend"] for k in kinds.values()) == 36_491_000


def test_projected_spend_is_the_forecasts_simulations_times_the_unit_cost(world):
    result = costs.projection("202", years=3, simulations=500)
    series = selectors.authority(world.camden)
    simulated = engine.forecast(series, 3, 500, 0).simulations
    unit = 36_491_000 / 209.5
    before = np.column_stack([np.full(500, 205.0), simulated[:, :-1]])
    expected = (before + simulated) / 2 * unit
    assert [y["year"] for y in result["years"]] == ["2025-26", "2026-27", "2027-28"]
    for h, year in enumerate(result["years"]):
        assert year["median"] == pytest.approx(np.median(expected[:, h]))
        assert year["interval_80"] == pytest.approx(np.quantile(expected[:, h], [0.1, 0.9]).tolist())
        assert year["unit_cost"] == pytest.approx(unit)
    assert result["inflation"] == 0 and result["inflation_from"] == "2024-25"


def test_inflation_raises_the_unit_cost_yearly_from_the_outturn_year(world):
    flat = costs.projection("202", years=2, simulations=200)
    rising = costs.projection("202", years=2, inflation=0.03, simulations=200)
    for h, (a, b) in enumerate(zip(flat["years"], rising["years"], strict=True)):
        assert b["unit_cost"] == pytest.approx(a["unit_cost"] * 1.03 ** (h + 1))
        assert b["median"] == pytest.approx(a["median"] * 1.03 ** (h + 1))


@pytest.mark.parametrize("inflation", [0.5001, -0.5, 3.0])
def test_it_refuses_inflation_out_of_range(world, inflation):
    with pytest.raises(costs.CostError, match="Inflation"):
        costs.projection("202", inflation=inflation)


def test_only_the_national_projection_comes_with_published_reference_points(world):
    england = costs.projection(None, years=1, simulations=200)
    assert england["unit_cost"]["unit_cost"] == pytest.approx(8_917_040_346.14 / ((83_530 + 81_770) / 2))
    assert len(england["reference_points"]) == len(references.POINTS)
    for point in england["reference_points"]:
        assert point["address"].startswith("https://") and point["quote"] and point["place"]
    assert england["childrens_social_care"]["spend"] == 16_878_876_000
    assert "reference_points" not in costs.projection("202", years=1, simulations=200)


def test_every_reference_points_figure_appears_in_its_quote():
    for point in references.POINTS:
        billions = f"£{point.figure / 1e9:g}"
        assert f"{billions} billion" in point.quote or f"{billions}bn" in point.quote, point


def test_the_command_prints_the_unit_cost_its_year_source_and_the_inflation(world):
    out = StringIO()
    call_command("forecast-costs", "--la", "202", "--years", "2", "--simulations", "200", stdout=out)
    text = out.getvalue()
    assert "Camden: a child looked after cost £174,181 a year" in text
    assert "in 2024-25" in text and "RO3 2024-25" in text and "row 9, column Q" in text
    assert "inflation 0% a year" in text
    assert "2025-26" in text and "2026-27" in text and "2027-28" not in text
    assert "Published estimates" not in text


def test_the_command_states_a_chosen_inflation_and_shows_references_for_england(world):
    out = StringIO()
    call_command("forecast-costs", "--inflation", "3", "--years", "1", "--simulations", "200", stdout=out)
    text = out.getvalue()
    assert "rising 3.0% a year from 2024-25" in text
    assert "Published estimates" in text and "£2 billion funding gap" in text


def test_the_command_prints_json(world):
    out = StringIO()
    call_command(
        "forecast-costs", "--la", "E09000007", "--years", "1", "--simulations", "200", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["area"] == {"code": "202", "name": "Camden"}
    assert data["unit_cost"]["source"]["year"] == "2024-25"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--la", "999"], "No council has the code"),
        (["--years", "9"], "1 to 5 years"),
        (["--inflation", "80"], "Inflation"),
    ],
)
def test_the_command_refuses_bad_settings_plainly(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("forecast-costs", *args, stdout=StringIO())


def test_the_command_says_where_the_workbook_should_be_when_it_is_missing(world, settings, tmp_path):
    settings.DATA_DIR = str(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=r"No RO3 outturn workbook \(RO3_LA_Data_<year>_data_by_LA.ods\)"):
        call_command("forecast-costs", "--la", "202", stdout=StringIO())


# ---------------------------------------------------------------------------------------------------
# The reader refuses a bad workbook whole, naming file, sheet, row and column


def test_the_reader_names_the_cell_that_is_neither_a_number_nor_a_marker(tmp_path):
    lines = dict(CAMDEN_LINES, fostering=("about 8m", 1))
    path = tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods"
    write_ods(path, "RO3_LA_Data_202425", ro3_rows(lines))
    with pytest.raises(DataFileError, match=r"sheet RO3_LA_Data_202425, row 9, column AE: 'about 8m'"):
        outturn.read(outturn.RO3, path)


@pytest.mark.parametrize("text", ["about 8m", "inf", "nan"])
def test_the_reader_refuses_text_and_infinities(tmp_path, text):
    path = tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods"
    write_ods(path, "RO3_LA_Data_202425", ro3_rows(dict(CAMDEN_LINES, residential=(text, 1))))
    with pytest.raises(DataFileError, match=r"row 9, column X: .* is neither a number"):
        outturn.read(outturn.RO3, path)


def test_the_reader_names_a_missing_column(tmp_path):
    rows = ro3_rows()
    rows[HEADER_AT] = [
        c for c in rows[HEADER_AT] if "of which fostering services - Total Expenditure" not in c
    ]
    path = tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods"
    write_ods(path, "RO3_LA_Data_202425", rows)
    with pytest.raises(DataFileError, match=r"row 7: no column .*fostering services - Total Expenditure"):
        outturn.read(outturn.RO3, path)


def test_the_reader_names_a_missing_sheet(tmp_path):
    path = tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods"
    write_ods(path, "Sheet1", ro3_rows())
    with pytest.raises(DataFileError, match="no sheet RO3_LA_Data_202425"):
        outturn.read(outturn.RO3, path)


def test_the_reader_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods"
    path.write_text("E-code,ONS Code\n")
    with pytest.raises(DataFileError, match="not an OpenDocument spreadsheet"):
        outturn.read(outturn.RO3, path)


def test_the_reader_keeps_markers_as_published_and_skips_districts(tmp_path):
    path = tmp_path / "RO3_LA_Data_2024-25_data_by_LA.ods"
    write_ods(path, "RO3_LA_Data_202425", ro3_rows())
    table = outturn.read(outturn.RO3, path)
    assert set(table) == {"E09000007", "E09000019", "E08000035", "E92000001"}
    islington = table["E09000019"]
    assert islington.notes == "M"
    figure = islington.lines[outturn.LOOKED_AFTER][outturn.GROSS]
    assert figure.thousands is None and figure.status == "[x]"
    assert figure.meaning == "Data not received in time"  # from the Notes sheet


def test_it_shows_how_fast_dfes_own_weekly_unit_cost_has_risen_as_a_guide_to_inflation(world):
    history = costs.unit_costs("202")["history"]
    assert history["first"] == {"year": "2016-17", "weekly": 2400}
    assert history["latest"] == {"year": "2024-25", "weekly": 3715}
    assert history["yearly_rise"] == pytest.approx((3715 / 2400) ** (1 / 8) - 1)
    assert costs.unit_costs("206")["history"] == {}  # one year or none: no rise to give


def test_a_council_too_new_to_forecast_still_gets_its_unit_cost_and_the_reason_for_no_projection(world):
    Value.objects.filter(
        authority=world.camden, period__label__in=["2016", "2017", "2018", "2019", "2020", "2021"]
    ).delete()
    result = costs.projection("202", years=2, simulations=200)
    assert result["unit_cost"]["unit_cost"] == pytest.approx(36_491_000 / 209.5)
    assert result["years"] == [] and "too few published years" in result["no_projection"]
    out = StringIO()
    call_command("forecast-costs", "--la", "202", stdout=out)
    assert "No projection of spending: Camden has too few published years" in out.getvalue()


def test_a_suppressed_count_is_named_as_published_not_blamed_on_a_missing_load(world):
    Value.objects.filter(
        authority=world.camden, indicator__code=selectors.STOCK, period__label="2025"
    ).update(value=None, status="-")
    with pytest.raises(costs.CostError, match="published as '-'"):
        costs.unit_costs("202")
    Value.objects.filter(
        authority=world.camden, indicator__code=selectors.STOCK, period__label="2025"
    ).delete()
    with pytest.raises(costs.CostError, match="run load-public-data"):
        costs.unit_costs("202")


def test_every_council_is_costed_and_the_sum_of_their_medians_stands_beside_englands(world):
    result = costs.councils(years=2, simulations=200)
    by_code = {row["code"]: row for row in result["councils"]}
    # Camden and Leeds from RO3, Islington from section 251 (its RO3 return was not received).
    assert by_code["202"]["source"] == "RO3" and by_code["206"]["source"] == "section 251 (LAIT)"
    assert {r["name"] for r in result["left_out"]} >= {"Bradford", "North Yorkshire", "Cumberland"}
    camden = costs.projection("202", years=2, simulations=200)
    assert by_code["202"]["years"][0]["median"] == camden["years"][0]["median"]
    projected = [r for r in result["councils"] if r["years"]]
    for h, total in enumerate(result["sum_of_council_medians"]):
        assert total["councils"] == len(projected) == 3
        assert total["sum"] == pytest.approx(sum(r["years"][h]["median"] for r in projected))
        assert total["england_median"] == result["england"]["years"][h]["median"]


def test_the_command_lists_every_council(world):
    out = StringIO()
    call_command("forecast-costs", "--all", "--years", "1", "--simulations", "200", stdout=out)
    text = out.getvalue()
    assert "Camden" in text and "£174,181" in text
    assert "the 3 councils' medians add up to" in text
    assert "Left out of the sum: Bradford" in text


def test_the_command_refuses_a_council_and_all_together(world):
    with pytest.raises(CommandError):
        call_command("forecast-costs", "--all", "--la", "202", stdout=StringIO())
