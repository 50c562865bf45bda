"""Challenge groups: the CP-SAT solver reaches the optimum that exhaustive search finds, and every
printed part adds up."""

import random
from itertools import combinations

import pytest

from slihub.stats.grouping import (
    SCALE,
    Area,
    Council,
    GroupingError,
    Instance,
    Weights,
    exhaustive,
    pair_scores,
    partitions,
    result_groups,
    score_groups,
    size_mixes,
    solve,
)


def random_instance(n, *, seed, sizes=(3, 4), areas=4, weights=None, last_year_share=0.3):
    rng = random.Random(seed)
    area_list = tuple(Area(f"a{k}", f"area {k}") for k in range(areas))
    councils = tuple(
        Council(
            code=f"c{i}",
            name=f"Council {i}",
            lat=51.3 + rng.random(),
            lon=-1.0 + rng.random(),
            strengths={a.code: rng.choice([0, 1 / 3, 2 / 3, 1]) for a in area_list if rng.random() > 0.15},
        )
        for i in range(n)
    )
    pairs = [frozenset((a.code, b.code)) for a, b in combinations(councils, 2)]
    last = frozenset(p for p in pairs if rng.random() < last_year_share)
    weights = weights or Weights(
        complement=rng.choice([0, 5, 10]), repeat=rng.choice([0, 10, 40]), travel=rng.choice([0, 0.05, 0.5])
    )
    return Instance(councils=councils, areas=area_list, last_year=last, sizes=sizes, weights=weights)


CASES = [
    (n, sizes, seed)
    for seed in range(6)
    for n, sizes in [(6, (3, 4)), (7, (3, 4)), (8, (3, 4)), (9, (3, 4)), (10, (3, 4)), (8, (2, 3)), (9, (3,))]
]


@pytest.mark.parametrize(("n", "sizes", "seed"), CASES)
def test_solver_reaches_the_optimum_of_exhaustive_search(n, sizes, seed):
    instance = random_instance(n, seed=seed, sizes=sizes)
    best, _ = exhaustive(instance)
    result = solve(instance, time_limit_s=60)
    assert result.status == "OPTIMAL"
    assert result.total == best
    assert result.bound == best


@pytest.mark.parametrize("method", ["set", "pairs"])
def test_both_formulations_agree_with_exhaustive_search(method):
    for seed in range(5):
        instance = random_instance(9, seed=100 + seed)
        result = solve(instance, method=method, time_limit_s=60)
        assert result.status == "OPTIMAL"
        assert result.total == exhaustive(instance)[0]


def test_every_council_is_in_exactly_one_group_of_an_allowed_size():
    instance = random_instance(14, seed=3)
    result = solve(instance, time_limit_s=30)
    members = sorted(i for g in result.groups for i in g.members)
    assert members == list(range(14))
    assert all(len(g.members) in (3, 4) for g in result.groups)


def test_printed_parts_add_up_to_each_group_score_and_to_the_total():
    instance = random_instance(10, seed=7, weights=Weights(complement=10, repeat=25, travel=0.05))
    result = solve(instance, time_limit_s=30)
    table = pair_scores(instance)
    rows = result_groups(result)
    for row, group in zip(rows, result.groups, strict=True):
        assert row["score"] == pytest.approx(row["complement"] - row["repeat"] - row["travel"])
        pairs = [table[p] for p in combinations(group.members, 2)]
        assert group.complement == sum(p.complement for p in pairs)
        assert group.repeat == sum(p.repeat for p in pairs)
        assert group.travel == sum(p.travel for p in pairs)
        assert row["repeat_pairs"] * round(SCALE * 25) == group.repeat
    assert sum(g.score for g in result.groups) == result.total


def test_pair_parts_follow_the_documented_formula():
    a = Council("a", "Alpha", 51.5, -0.1, {"x": 1, "y": 0.25})
    b = Council("b", "Beta", 51.5, -0.1, {"x": 0, "y": 0.75, "z": 1})
    c = Council("c", "Gamma", 52.5, -0.1, {})
    instance = Instance(
        councils=(a, b, c),
        areas=(Area("x", "X"), Area("y", "Y"), Area("z", "Z")),
        last_year=frozenset({frozenset(("a", "b"))}),
        sizes=(3,),
        weights=Weights(complement=10, repeat=25, travel=0.5),
    )
    table = pair_scores(instance)
    ab = table[(0, 1)]
    # |1 - 0| + |0.25 - 0.75| = 1.5 (z unknown for Alpha), times 10 points, in thousandths
    assert ab.complement == 15_000
    assert ab.repeat == 25_000
    assert ab.travel == 0
    ac = table[(0, 2)]
    assert ac.complement == 0  # nothing known about Gamma
    # one degree of latitude is 111.195 km on the sphere of radius 6371.0088 km
    assert ac.km == pytest.approx(111.195, abs=0.01)
    assert ac.travel == round(SCALE * 0.5 * ac.km)


def test_sizes_that_cannot_make_up_the_councils_are_refused():
    with pytest.raises(GroupingError, match="5 councils cannot be split into groups of 3 or 4"):
        random_instance(5, seed=1)
    with pytest.raises(GroupingError, match="cannot be split"):
        random_instance(7, seed=1, sizes=(4,))


def test_size_mixes_and_partition_counts():
    assert size_mixes(10, (3, 4)) == [{3: 2, 4: 1}]
    assert size_mixes(12, (3, 4)) == [{3: 4}, {4: 3}]
    # 9 councils into three triads: 9! / (3!^3 3!) = 280
    assert sum(1 for _ in partitions(9, (3,))) == 280


def test_repeats_are_avoided_when_weighted():
    # Six councils at one place, alike in strength: only last year's pairs tell groupings apart.
    councils = tuple(Council(f"c{i}", f"C{i}", 51.5, 0.0, {"x": 0.5}) for i in range(6))
    last = frozenset(frozenset(p) for p in [("c0", "c1"), ("c2", "c3"), ("c4", "c5")])
    instance = Instance(councils, (Area("x", "X"),), last, (3,), Weights(complement=10, repeat=25, travel=0))
    result = solve(instance, time_limit_s=10)
    assert result.status == "OPTIMAL"
    assert all(g.repeats == 0 for g in result.groups)
    assert result.total == 0
    unweighted = Instance(councils, (Area("x", "X"),), last, (3,), Weights(complement=10, repeat=0, travel=0))
    assert solve(unweighted, time_limit_s=10).total == 0


def test_weak_is_grouped_with_strong_and_the_reason_says_so():
    areas = (Area("leavers", "care leavers"),)
    councils = (
        Council("1", "Camden", 51.55, -0.16, {"leavers": 1}),
        Council("2", "Hackney", 51.55, -0.06, {"leavers": 0}),
        Council("3", "Barnet", 51.62, -0.20, {"leavers": 1}),
        Council("4", "Brent", 51.56, -0.27, {"leavers": 0}),
        Council("5", "Ealing", 51.51, -0.31, {"leavers": 1}),
        Council("6", "Enfield", 51.65, -0.08, {"leavers": 0}),
    )
    instance = Instance(councils, areas, frozenset(), (3,), Weights(complement=10, repeat=25, travel=0.01))
    result = solve(instance, time_limit_s=10)
    for group in result.groups:
        strengths = {councils[i].strengths["leavers"] for i in group.members}
        assert strengths == {0, 1}
    text = result_groups(result)[0]["reason"]
    assert "is strong in care leavers where" in text and "is weak" in text
    assert "none of these were paired last year" in text
    assert "furthest apart" in text


def test_hand_edited_groups_are_scored_the_same_way():
    instance = random_instance(6, seed=5, sizes=(3,))
    groups = [["c0", "c1", "c2"], ["c3", "c4", "c5"]]
    scored = score_groups(instance, groups)
    table = pair_scores(instance)
    assert sum(g.score for g in scored) == sum(
        table[p].score for g in ([0, 1, 2], [3, 4, 5]) for p in combinations(g, 2)
    )


def test_bad_data_is_refused():
    with pytest.raises(GroupingError, match="strength in 'x' must be a number from 0 to 1"):
        Instance((Council("a", "A", 0, 0, {"x": 2}),) * 1, (Area("x", "X"),), sizes=(2,))
    with pytest.raises(GroupingError, match="listed twice"):
        Instance((Council("a", "A", 0, 0), Council("a", "B", 0, 0)), (), sizes=(2,))
    with pytest.raises(GroupingError, match="weight repeat must not be negative"):
        Weights(repeat=-1)
