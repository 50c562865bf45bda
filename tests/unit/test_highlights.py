"""Strengths and concerns in order, and breakdowns under their parent measure (no database)."""

from dataclasses import dataclass, field

from slihub.indicators.breakdowns import breakdown
from slihub.indicators.highlights import arrange, distance, gap_words

NAMES = {
    "AVG_Prog8_Score": "Average Progress 8 score per pupil",
    "AVG_Prog8_Score_Chine": "Average Progress 8 score per pupil - Chinese",
    "FSM_AVG_Prog8_Score": "Average Progress 8 score per pupil eligible for FSM",
    "FSP_NEW_GOODDEV": "Foundation Stage - % achieving a good level of development",
    "FSP_Gooddev_FSM": "Foundation Stage - % Achieving Good Level of Development - FSM",
    "DAP_KS4_Prog8": "KS4 Progress 8 - disadvantaged pupils",
    "CINFSM": "% of school-age Children in Need eligible for FSM",
    "LAC_Other_Res_Settings": "% of CLA in other residential settings",
    "Ever6_FSM_Prim": "Primary Free School Meals 6",
}
BY_NAME = {name.casefold(): code for code, name in NAMES.items()}


def split(code):
    return breakdown(code, NAMES[code], BY_NAME, NAMES)


def test_breakdowns_find_their_parent_by_name_code_or_the_reviewed_table():
    assert split("AVG_Prog8_Score_Chine").parent_code == "AVG_Prog8_Score"
    assert split("AVG_Prog8_Score_Chine").group == "Chinese"
    assert split("FSM_AVG_Prog8_Score").parent_code == "AVG_Prog8_Score"
    assert split("FSP_Gooddev_FSM").parent_code == "FSP_NEW_GOODDEV"
    assert split("DAP_KS4_Prog8").parent_code == "AVG_Prog8_Score"


def test_measures_of_their_own_are_not_breakdowns():
    for code in ["AVG_Prog8_Score", "CINFSM", "LAC_Other_Res_Settings", "Ever6_FSM_Prim", "FSP_NEW_GOODDEV"]:
        assert split(code) is None, code


def test_distance_follows_the_polarity():
    assert distance(30.0, 20.0, "high") == 0.5
    assert distance(30.0, 20.0, "low") == -0.5
    assert distance(30.0, None, "low") is None and distance(30.0, 20.0, "none") is None


def test_words_give_the_value_the_comparator_and_the_unit():
    assert gap_words(30.0, 20.0, "the neighbours' average", "Rate per 10,000", 1, "low") == (
        "against the neighbours' average of 20.0 (Rate per 10,000): 50% higher (lower is better)"
    )
    assert gap_words(30.0, 14.0, "England's figure", "% of referrals", 1, "low").endswith(
        ": 16.0 points higher (lower is better)"
    )
    assert gap_words(-0.3, 0.15, "the neighbours' average", "Score", 2, "high").endswith(
        ": 0.45 lower (higher is better)"
    )


@dataclass
class Item:
    code: str
    distance: float | None
    headline: bool = False
    breakdown: str = ""
    parent_code: str = ""
    children: list = field(default_factory=list)


def test_headline_first_then_furthest_with_breakdowns_under_their_parent():
    items = [
        Item("a", 0.1),
        Item("b", 0.5),
        Item("h", 0.05, headline=True),
        Item("b-chinese", 0.9, breakdown="Chinese", parent_code="b"),
        Item("orphan", 2.0, breakdown="FSM", parent_code="not-listed"),
        Item("none", None),
    ]
    strengths = arrange(items, better_first=True)
    assert [i.code for i in strengths] == ["h", "b", "a", "none", "orphan"]
    assert [c.code for c in strengths[1].children] == ["b-chinese"]
    concerns = arrange([Item("x", -0.1), Item("y", -0.6)], better_first=False)
    assert [i.code for i in concerns] == ["y", "x"]
