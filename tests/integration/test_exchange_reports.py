"""The national overview of exchange flows (a map of who lends to whom, with its table) and the
concentration report per quarter, on their pages and in the API, for national admins and coordinators."""

from datetime import date
from decimal import Decimal

import pytest

from slihub.exchange import flowmap, selectors, services
from slihub.exchange.models import HelpRequest, Loan, Specialist
from slihub.places import maps
from slihub.places.models import Boundary
from tests.integration import exchange_helpers as ex
from tests.integration.html import page, table_rows

pytestmark = pytest.mark.django_db


def _specialist(authority, name) -> Specialist:
    return Specialist.objects.create(
        authority=authority, name=name, role="Practice lead", seniority=3, expertise=["send"], days_per_week=5
    )


def _loan(specialist, borrower, start, end, days_per_week, status=Loan.Status.ACCEPTED) -> Loan:
    request = HelpRequest.objects.create(
        authority=borrower,
        title=f"Help for {borrower.name}",
        description="x",
        expertise_needed=["send"],
        start=start,
        end=end,
        days_per_week=days_per_week,
        mode="remote",
    )
    return Loan.objects.create(
        specialist=specialist,
        request=request,
        lender=specialist.authority,
        borrower=borrower,
        start=start,
        end=end,
        days_per_week=days_per_week,
        status=status,
    )


@pytest.fixture
def flows(places, leeds_admin):
    """Camden lends Sam to Leeds (2 days a week, 7 Jan to 6 May 2030, 3 days delivered); Leeds lends to
    Bradford (5 days a week, February and March 2030); Islington lends to Camden (1 day a week, March);
    a declined proposal from Bradford to Leeds counts for nothing."""
    camden_admin = ex.camden_admin(places)
    loan = ex.agreed_loan(places, leeds_admin, camden_admin)
    services.record_delivery(user=leeds_admin, loan=loan, days="3", on=date(2030, 1, 10))
    _loan(_specialist(places.leeds, "Lou Leeds"), places.bradford, date(2030, 2, 1), date(2030, 3, 31), 5)
    _loan(
        _specialist(places.islington, "Iz Islington"), places.camden, date(2030, 3, 1), date(2030, 3, 31), 1
    )
    _loan(
        _specialist(places.bradford, "Bo Bradford"),
        places.leeds,
        date(2030, 1, 1),
        date(2030, 2, 1),
        5,
        status=Loan.Status.DECLINED,
    )
    return loan


def gini(values):
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


# ---------------------------------------------------------------- flows


def test_flows_sum_agreed_loans_largest_first(flows, national_admin):
    rows = [
        (f["lender"].name, f["borrower"].name, f["loans"], f["agreed"], f["delivered"])
        for f in selectors.flows(national_admin)
    ]
    # Planned days: weeks x days a week, to the half day (120 days x 2/7 = 34.3 -> 34.5).
    assert rows == [
        ("Leeds", "Bradford", 1, Decimal("42"), Decimal(0)),
        ("Camden", "Leeds", 1, Decimal("34.5"), Decimal(3)),
        ("Islington", "Camden", 1, Decimal("4.5"), Decimal(0)),
    ]


def test_a_coordinator_sees_the_flows_that_touch_their_region(flows, london_coordinator):
    rows = [(f["lender"].name, f["borrower"].name) for f in selectors.flows(london_coordinator)]
    assert rows == [("Camden", "Leeds"), ("Islington", "Camden")]  # Leeds to Bradford is not London's


def test_the_overview_page_draws_the_flows_on_a_map_with_a_table(flows, as_persona):
    document = page(as_persona("national_admin").get("/exchange/overview/"))
    svg = document.one("svg", class_="app-map")
    assert svg.attrs["role"] == "img"
    assert document.one("title", id="flows-title").text == "Map of specialist loans between councils"
    lines = {g.one("title").text: g for g in svg.find_all("g", class_="app-flow")}
    assert set(lines) == {
        "Leeds to Bradford: 1 loan, 42 specialist-days agreed, 0 delivered",
        "Camden to Leeds: 1 loan, 34.5 specialist-days agreed, 3 delivered",
        "Islington to Camden: 1 loan, 4.5 specialist-days agreed, 0 delivered",
    }
    widths = {
        title.split(":")[0]: float(g.find_all("path")[0].attrs["stroke-width"]) for title, g in lines.items()
    }
    assert widths["Leeds to Bradford"] == flowmap.MAX_WIDTH
    assert widths["Camden to Leeds"] == pytest.approx(8 * 34.5 / 42, abs=0.05)
    assert widths["Islington to Camden"] == flowmap.MIN_WIDTH  # 0.86 would be too thin to see
    assert table_rows(document.one("table", id="flows")) == [
        ["Leeds", "Bradford", "1", "42", "0"],
        ["Camden", "Leeds", "1", "34.5", "3"],
        ["Islington", "Camden", "1", "4.5", "0"],
    ]
    legend = document.one("ul", class_="app-legend").text
    assert "4.5 specialist-days agreed" in legend and "42 specialist-days agreed" in legend
    assert "The arrowhead points to the borrowing council" in legend


def test_a_flow_between_london_boroughs_is_drawn_in_the_inset(flows, as_persona):
    layout = maps.layout()
    x0, y0, x1, y1 = layout.inset_frame
    svg = page(as_persona("national_admin").get("/exchange/overview/")).one("svg", class_="app-map")
    inset = svg.one("g", class_="app-map__inset")
    (london,) = inset.find_all("g", class_="app-flow")
    assert london.one("title").text.startswith("Islington to Camden")
    start = london.find_all("path")[0].attrs["d"][1:].split("Q")[0]
    x, y = map(float, start.split(","))
    assert x0 <= x <= x1 and y0 <= y <= y1
    assert len(svg.find_all("g", class_="app-flow")) == 3


def test_a_coordinator_sees_their_regions_councils_picked_out(flows, as_persona):
    document = page(as_persona("london_coordinator").get("/exchange/overview/"))
    svg = document.one("svg", class_="app-map")
    titles = [g.one("title").text.split(":")[0] for g in svg.find_all("g", class_="app-flow")]
    assert sorted(titles) == ["Camden to Leeds", "Islington to Camden"]
    filled = {p.one("title").text for p in svg.find_all("path", fill=flowmap.REGION_FILL)}
    assert filled == {"Camden", "Islington"}
    assert "Councils of London" in document.one("ul", class_="app-legend").text
    assert "Loans between councils of other regions are private" in document.one("main").text
    assert "Bradford" not in document.one("table", id="flows").text


def test_without_boundaries_the_overview_is_a_table(flows, as_persona):
    Boundary.objects.all().delete()
    maps._layout.cache_clear()
    document = page(as_persona("national_admin").get("/exchange/overview/"))
    assert not document.find_all("svg", class_="app-map")
    assert len(table_rows(document.one("table", id="flows"))) == 3


def test_the_overview_reads_in_a_fixed_number_of_queries(flows, as_persona, django_assert_max_num_queries):
    client = as_persona("national_admin")
    client.get("/exchange/overview/")  # the map's layout is cached after the first page
    with django_assert_max_num_queries(12):
        client.get("/exchange/overview/")


def test_the_flows_api(flows, as_persona):
    body = as_persona("london_coordinator").get("/api/v1/exchange/flows").json()
    assert body["count"] == 2
    assert body["items"][0] == {
        "lender": "202",
        "lender_name": "Camden",
        "borrower": "383",
        "borrower_name": "Leeds",
        "loans": 1,
        "agreed_days": 34.5,
        "delivered_days": 3.0,
    }


# ---------------------------------------------------------------- the map's geometry


def test_a_flow_bows_to_the_right_of_its_direction_and_stops_at_its_arrowhead():
    line, arrow = flowmap.curve((0, 0), (100, 0), 2)
    assert line.startswith("M0,0Q50,18 ")
    base = tuple(map(float, line.split(" ")[1].split(",")))
    tip = tuple(map(float, arrow[1:].split("L")[0].split(",")))
    assert 96 < tip[0] < 100  # a little short of the borrower's centroid
    assert base[0] < tip[0]
    back_line, _ = flowmap.curve((100, 0), (0, 0), 2)
    assert back_line.startswith("M100,0Q50,-18 ")  # the return flow bows the other way
    assert flowmap.curve((5, 5), (5, 5), 2) == ("", "")


def test_widths_are_proportional_with_a_visible_minimum():
    assert flowmap.width(40, 40) == flowmap.MAX_WIDTH
    assert flowmap.width(20, 40) == 4
    assert flowmap.width(1, 40) == flowmap.MIN_WIDTH
    assert flowmap.legend_widths([4.5, 42, 34.5]) == [(4.5, 1.5), (42, 8.0)]
    assert flowmap.legend_widths([]) == []


# ---------------------------------------------------------------- concentration


def test_concentration_counts_specialist_days_over_every_council(flows, national_admin):
    (england,) = selectors.concentration(national_admin)
    assert (england["area"], england["councils"], england["top_councils"]) == ("England", 6, 1)
    q1, q2 = england["quarters"]
    # Q1 2030: Camden 84 days x 2/7 = 24, Leeds 59 x 5/7, Islington 31 x 1/7; Bradford, North Yorkshire
    # and Cumberland lent nothing but count.
    lent = [24, 59 * 5 / 7, 31 / 7, 0, 0, 0]
    assert q1.quarter == "2030-Q1" and q1.lent == pytest.approx(sum(lent))
    assert (q1.lenders, q1.councils, q1.loan_days) == (3, 6, 84 + 59 + 31)
    assert q1.top_share == pytest.approx(max(lent) / sum(lent))
    assert q1.gini == pytest.approx(gini(lent))
    # Q2: only Camden, 1 April to 6 May (36 days).
    assert q2.lent == pytest.approx(36 * 2 / 7) and q2.top_share == 1 and q2.gini == pytest.approx(5 / 6)


def test_a_coordinator_gets_england_and_their_region(flows, london_coordinator):
    england, london = selectors.concentration(london_coordinator)
    assert england["area"] == "England" and england["quarters"][0].lenders == 3
    assert (london["area"], london["councils"], london["top_councils"]) == ("London", 2, 1)
    q1 = london["quarters"][0]
    lent = [24, 31 / 7]  # Camden and Islington
    assert q1.lent == pytest.approx(sum(lent))
    assert q1.top_share == pytest.approx(24 / sum(lent))
    assert q1.gini == pytest.approx(gini(lent))


def test_the_concentration_page_shows_each_quarter_in_a_table(flows, as_persona):
    document = page(as_persona("london_coordinator").get("/exchange/concentration/"))
    assert [h.text for h in document.one("main").find_all("h2")] == ["England", "London"]
    tables = document.find_all("table")
    england = [
        [cell.text for cell in row.iter() if cell.tag in ("th", "td")]
        for row in tables[0].one("tbody").find_all("tr")
    ]
    lent = [24, 59 * 5 / 7, 31 / 7, 0, 0, 0]
    assert england[0] == [
        "2030-Q1",
        "1 January 2030 to 31 March 2030",
        f"{sum(lent):.1f}",
        "3",
        f"{100 * max(lent) / sum(lent):.1f}%",
        f"{gini(lent):.3f}",
    ]
    charts = document.find_all("svg", class_="app-sparkline")
    assert len(charts) == 4 and all(c.attrs["role"] == "img" for c in charts)


def test_no_lending_says_so(places, as_persona):
    document = page(as_persona("national_admin").get("/exchange/concentration/"))
    assert "No agreed loans yet." in document.one("main").text
    body = as_persona("national_admin").get("/api/v1/exchange/concentration").json()
    assert body["items"][0]["quarters"] == []


def test_the_concentration_api(flows, as_persona):
    body = as_persona("london_coordinator").get("/api/v1/exchange/concentration").json()
    assert [item["area"] for item in body["items"]] == ["England", "London"]
    q1 = body["items"][0]["quarters"][0]
    lent = [24, 59 * 5 / 7, 31 / 7, 0, 0, 0]
    assert set(q1) == {
        "quarter",
        "start",
        "end",
        "specialist_days",
        "loan_days",
        "lenders",
        "councils",
        "top_share",
        "gini",
    }
    assert (q1["quarter"], q1["start"], q1["end"], q1["lenders"], q1["councils"]) == (
        "2030-Q1",
        "2030-01-01",
        "2030-03-31",
        3,
        6,
    )
    assert q1["specialist_days"] == pytest.approx(sum(lent), abs=1e-3)
    assert q1["gini"] == pytest.approx(gini(lent))
