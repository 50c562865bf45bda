"""The menu of support's matching: which offers fit an ask, in what order, and why (no database)."""

from slihub.alliances.menu_matching import (
    CLOSE,
    GROUP,
    NONE,
    SAME,
    AskFacts,
    OfferFacts,
    area_fit,
    best_matches,
    match,
)

LONDON, YORKSHIRE = 1, 2


def ask(**fields):
    return AskFacts(
        **({"id": 1, "authority_id": 10, "region_id": LONDON, "area": "children_in_care"} | fields)
    )


def offer(id, authority_id, region_id=LONDON, area="children_in_care", **fields):
    name = fields.pop("authority_name", f"Council {authority_id}")
    return OfferFacts(
        id=id, authority_id=authority_id, authority_name=name, region_id=region_id, area=area, **fields
    )


def test_area_fit_same_related_either_way_same_group_and_none():
    assert area_fit("children_in_care", "children_in_care") == SAME
    assert area_fit("ofsted_in_care", "children_in_care") == CLOSE
    assert area_fit("children_in_care", "ofsted_in_care") == CLOSE
    assert area_fit("children_in_care", "send") == GROUP  # both practice areas, not closely related
    assert area_fit("children_in_care", "early_years") == NONE
    assert area_fit("children_in_care", "no_such_area") == NONE


def test_a_council_never_matches_itself():
    assert match(ask(), offer(5, authority_id=10)) is None


def test_the_area_outranks_everything_else():
    same = offer(1, 20, region_id=YORKSHIRE, days_given=200)
    close = offer(2, 21, region_id=YORKSHIRE, area="permanence_adoption")
    group = offer(3, 22, region_id=YORKSHIRE, area="send", indicators=("a",), strengths={"a": (True, True)})
    _, national = best_matches(ask(indicators=("a",)), [group, close, same])
    assert [m.offer_id for m in national] == [1, 2, 3]


def test_shared_indicators_then_strength_then_load_order_offers_of_the_same_area():
    need = ask(indicators=("a", "b"))
    sharing = offer(1, 20, region_id=YORKSHIRE, indicators=("a",))
    strong = offer(2, 21, region_id=YORKSHIRE, strengths={"b": (True, False)})
    improving = offer(3, 22, region_id=YORKSHIRE, strengths={"b": (False, True)})
    busy = offer(4, 23, region_id=YORKSHIRE, days_given=10)
    idle = offer(5, 24, region_id=YORKSHIRE)
    _, national = best_matches(need, [busy, idle, improving, strong, sharing], limit=5)
    assert [m.offer_id for m in national] == [1, 2, 3, 5, 4]


def test_load_is_capped_so_it_never_outweighs_an_indicator():
    need = ask(indicators=("a",))
    very_busy_but_strong = offer(1, 20, region_id=YORKSHIRE, days_given=1000, strengths={"a": (True, False)})
    idle = offer(2, 21, region_id=YORKSHIRE)
    _, national = best_matches(need, [idle, very_busy_but_strong])
    assert [m.offer_id for m in national] == [1, 2]


def test_regional_and_national_lists_are_separate_and_limited():
    offers = [offer(i, 20 + i, region_id=LONDON if i % 2 else YORKSHIRE) for i in range(1, 9)]
    regional, national = best_matches(ask(), offers, limit=3)
    assert [m.offer_id for m in regional] == [1, 3, 5]
    assert [m.offer_id for m in national] == [2, 4, 6]
    assert all(m.same_region for m in regional) and not any(m.same_region for m in national)


def test_ties_go_to_the_council_giving_fewer_days_then_the_older_offer():
    a = offer(7, 20, days_given=0)
    b = offer(3, 21, days_given=0)
    regional, _ = best_matches(ask(), [a, b])
    assert [m.offer_id for m in regional] == [3, 7]


def test_reasons_in_plain_words():
    need = ask(indicators=("cin", "rr"))
    found = match(
        need,
        offer(
            1,
            20,
            region_id=YORKSHIRE,
            authority_name="Leeds",
            area="ofsted_in_care",
            indicators=("cin",),
            strengths={"rr": (True, True)},
            days_given=1,
        ),
        names={"cin": "Children in need rate", "rr": "Re-referrals"},
    )
    assert found.reasons == (
        "A closely related area: Ofsted: the experiences and progress of children in care",
        "Both name 1 indicator: Children in need rate",
        "Leeds is in England's top quartile for Re-referrals",
        "Leeds is improving on Re-referrals",
        "In another region",
        "Leeds already gives 1 agreed day of support this year",
    )
    weak = match(ask(), offer(2, 21, area="send", authority_name="Camden"))
    assert weak.reasons == (
        "A broadly related area (practice areas): SEND",
        "In the same region",
        "Camden gives no agreed support days yet this year",
    )
