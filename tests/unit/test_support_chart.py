"""The capacity chart: a round axis in days, each year's figures in its description, no style attribute
(the Content-Security-Policy refuses inline styles), and the days beyond capacity in their own colour."""

from dataclasses import dataclass

from slihub.alliances.support_chart import BEYOND, USED, capacity_svg, nice_max


@dataclass
class Row:
    label: str
    capacity: int | None
    agreed: int


def test_the_axis_ends_on_a_round_number_at_or_above_the_largest_figure():
    assert [nice_max(v) for v in (0, 3, 5, 7, 10, 11, 40, 230, 1000)] == [5, 5, 5, 10, 10, 20, 50, 500, 1000]


def test_the_chart_states_every_figure_and_has_an_axis_with_its_unit():
    svg = capacity_svg(
        [Row("April 2026 to March 2027", 10, 13), Row("April 2025 to March 2026", None, 4)], title="Camden"
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "April 2026 to March 2027: 13 days agreed, 10 days declared" in svg
    assert "April 2025 to March 2026: 4 days agreed, no capacity declared" in svg
    assert "Days of support" in svg and ">20</text>" in svg  # the axis runs 0 to 20 days
    assert f'fill="{USED}"' in svg and f'fill="{BEYOND}"' in svg
    assert "style=" not in svg


def test_nothing_to_draw_draws_nothing():
    assert capacity_svg([], title="Camden") == ""


def test_within_capacity_nothing_is_drawn_beyond_it():
    svg = capacity_svg([Row("April 2026 to March 2027", 10, 4)], title="Camden")
    assert f'fill="{BEYOND}"' not in svg
