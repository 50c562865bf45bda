"""Peer challenge groups: partition a region's councils into small groups, solved exactly.

Every council goes into exactly one group, and every group's size is one of the allowed sizes (triads
and groups of four by default). A grouping is scored pair by pair: two councils in the same group
form a pair, and each pair {i, j} has a fixed score

    pair_score(i, j) = complement(i, j) - repeat(i, j) - travel(i, j)

    complement(i, j) = round(SCALE x weight_complement x sum over areas a of |s(i, a) - s(j, a)|)
    repeat(i, j)     = round(SCALE x weight_repeat)      if i and j were in a group together last year,
                       0                                  otherwise
    travel(i, j)     = round(SCALE x weight_travel x km(i, j))

where s(i, a) is council i's strength in area a, from 0 (weakest) to 1 (strongest); an area where
either council's strength is unknown adds nothing; km(i, j) is the great-circle (haversine) distance
between the councils' coordinates on a sphere of radius 6371.0088 km; and round() is Python's
(to the nearest whole number, halves to even). Every part is a whole number of thousandths of a point
(`SCALE` = 1000), so the sums below are exact integers.

    group score = sum of pair_score over the pairs inside the group (3 pairs in a triad, 6 in a four)
    total       = sum of the group scores

and the proposal maximises the total. So a pair with a weak and a strong council in the same area
gains, pairs that met last year lose weight_repeat each, and distance costs weight_travel a km. Since
a group of four holds six pairs and a triad three, the weights decide which sizes pay off; every
allowed size is available to the solver.

Solving: `solve` states the problem for OR-Tools CP-SAT. With at most `SET_PARTITION_LIMIT` possible
groups (about 16 councils in triads and fours) it uses the set-partitioning form: one boolean per
possible group, each council covered exactly once. Above that, a clique partition over pair variables
y[i, j] (i and j share a group): transitivity (y[i, j] and y[j, k] imply y[i, k]) makes "same group" an
equivalence, and each council's number of groupmates must be an allowed size less one; each partition
has exactly one y, so the model has no symmetry to break. Both forms have the same optimum and start
from a local-search grouping (moves and swaps until nothing gains). The status says whether the optimum
was proven (OPTIMAL) or only found (FEASIBLE) within the time limit, which covers the whole solve, with
the best proven upper bound: CP-SAT's, or the linear relaxation of the set-partitioning form (HiGHS),
whichever is lower.

Honestly: small instances (up to about 16 councils) are proven optimal in well under a second, and the
tests check them against `exhaustive`, which enumerates every partition. A region of 33 councils is not
proven optimal within 2 s (nor within 30 s): the answer is FEASIBLE, and the linear relaxation bounds
the gap, typically 5 to 10% of the bound on random instances (bench/bench_grouping.py prints it).

No Django and no slihub imports here: plain data in, plain data out.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from time import perf_counter

SCALE = 1000  # scores are whole thousandths of a point
EARTH_RADIUS_KM = 6371.0088
SET_PARTITION_LIMIT = 5_000  # candidate groups, above which CP-SAT gets the pair form
LP_BOUND_LIMIT = 250_000  # candidate groups, up to which the set-partitioning LP bound is computed
DEFAULT_TIME_LIMIT_S = 10.0


class GroupingError(ValueError):
    """The instance cannot be grouped (bad data, or sizes that cannot make up the councils)."""


@dataclass(frozen=True)
class Area:
    code: str
    name: str


@dataclass(frozen=True)
class Council:
    """A council, its coordinates (degrees) and its strength in each area (0 weakest to 1 strongest;
    an area left out is unknown)."""

    code: str
    name: str
    lat: float
    lon: float
    strengths: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    complement: float = 10.0  # points per unit of strength difference, per area, per pair
    repeat: float = 25.0  # points lost per pair that was together last year
    travel: float = 0.05  # points lost per km between the two councils of a pair

    def __post_init__(self):
        for name in ("complement", "repeat", "travel"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise GroupingError(f"weight {name} must be a number, not {value!r}")
            if value < 0:
                raise GroupingError(f"weight {name} must not be negative, not {value!r}")


@dataclass(frozen=True)
class Instance:
    councils: tuple[Council, ...]
    areas: tuple[Area, ...]
    last_year: frozenset[frozenset[str]] = frozenset()  # pairs of council codes grouped last year
    sizes: tuple[int, ...] = (3, 4)
    weights: Weights = Weights()

    def __post_init__(self):
        codes = [c.code for c in self.councils]
        seen = set()
        for code in codes:
            if code in seen:
                raise GroupingError(f"council {code!r} is listed twice")
            seen.add(code)
        areas = [a.code for a in self.areas]
        if len(set(areas)) != len(areas):
            raise GroupingError("an area is listed twice")
        for council in self.councils:
            for area, value in council.strengths.items():
                if area not in areas:
                    raise GroupingError(f"council {council.code!r}: unknown area {area!r}")
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                    raise GroupingError(
                        f"council {council.code!r}: strength in {area!r} must be a number from 0 to 1, "
                        f"not {value!r}"
                    )
        for pair in self.last_year:
            for code in pair:
                if code not in seen:
                    raise GroupingError(f"last year's pair names unknown council {code!r}")
        if not self.sizes or any(isinstance(s, bool) or not isinstance(s, int) or s < 2 for s in self.sizes):
            raise GroupingError(f"group sizes must be whole numbers of at least 2, not {list(self.sizes)!r}")
        if len(set(self.sizes)) != len(self.sizes):
            raise GroupingError(f"group sizes are listed twice: {list(self.sizes)!r}")
        check_sizes(len(self.councils), self.sizes)


def check_sizes(n: int, sizes: Sequence[int]) -> None:
    """GroupingError unless n councils can be split into groups of the given sizes."""
    if n == 0:
        raise GroupingError("there are no councils to group")
    if not size_mixes(n, sizes):
        allowed = " or ".join(str(s) for s in sorted(sizes))
        raise GroupingError(f"{n} councils cannot be split into groups of {allowed}")


def size_mixes(n: int, sizes: Sequence[int]) -> list[dict[int, int]]:
    """Every way of writing n as a sum of the allowed sizes: [{size: how many groups}, ...]."""
    sizes = sorted(set(sizes))
    mixes: list[dict[int, int]] = []

    def walk(k: int, left: int, chosen: dict[int, int]):
        if left == 0:
            mixes.append({s: c for s, c in chosen.items() if c})
            return
        if k == len(sizes):
            return
        size = sizes[k]
        for count in range(left // size, -1, -1):
            walk(k + 1, left - count * size, chosen | {size: count})

    walk(0, n, {})
    return mixes


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --------------------------------------------------------------------------------------------------
# Scores


@dataclass(frozen=True)
class PairScore:
    """The fixed score of councils i and j (indices into Instance.councils) sharing a group."""

    i: int
    j: int
    complement: int  # thousandths of a point
    repeat: int
    travel: int
    km: float
    met_last_year: bool
    # per area: (area code, strength difference, stronger council index), only where both are known
    contrasts: tuple[tuple[str, float, int], ...]

    @property
    def score(self) -> int:
        return self.complement - self.repeat - self.travel


def pair_scores(instance: Instance) -> dict[tuple[int, int], PairScore]:
    """Every pair's score, keyed by (i, j) with i < j."""
    w = instance.weights
    councils = instance.councils
    areas = [a.code for a in instance.areas]
    table = {}
    for i, j in combinations(range(len(councils)), 2):
        a, b = councils[i], councils[j]
        contrasts = []
        for area in areas:
            if area in a.strengths and area in b.strengths:
                diff = a.strengths[area] - b.strengths[area]
                contrasts.append((area, abs(diff), i if diff >= 0 else j))
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        met = frozenset((a.code, b.code)) in instance.last_year
        table[(i, j)] = PairScore(
            i=i,
            j=j,
            complement=round(SCALE * w.complement * sum(d for _, d, _ in contrasts)),
            repeat=round(SCALE * w.repeat) if met else 0,
            travel=round(SCALE * w.travel * km),
            km=km,
            met_last_year=met,
            contrasts=tuple(contrasts),
        )
    return table


@dataclass(frozen=True)
class GroupScore:
    members: tuple[int, ...]  # council indices, ascending
    complement: int
    repeat: int
    travel: int
    repeats: int  # pairs that were together last year
    km_total: float
    km_max: float

    @property
    def score(self) -> int:
        return self.complement - self.repeat - self.travel


def group_score(members: Sequence[int], table: Mapping[tuple[int, int], PairScore]) -> GroupScore:
    members = tuple(sorted(members))
    pairs = [table[p] for p in combinations(members, 2)]
    return GroupScore(
        members=members,
        complement=sum(p.complement for p in pairs),
        repeat=sum(p.repeat for p in pairs),
        travel=sum(p.travel for p in pairs),
        repeats=sum(p.met_last_year for p in pairs),
        km_total=sum(p.km for p in pairs),
        km_max=max((p.km for p in pairs), default=0.0),
    )


def total_score(groups: Sequence[Sequence[int]], table) -> int:
    return sum(group_score(g, table).score for g in groups)


# --------------------------------------------------------------------------------------------------
# Exhaustive search (small instances)


def partitions(n: int, sizes: Sequence[int]) -> Iterator[list[tuple[int, ...]]]:
    """Every partition of 0..n-1 into groups of the allowed sizes, each once: the lowest council
    left always starts the next group."""
    sizes = sorted(set(sizes))

    def walk(left: tuple[int, ...]):
        if not left:
            yield []
            return
        first, rest = left[0], left[1:]
        for size in sizes:
            if size - 1 > len(rest):
                break
            for mates in combinations(rest, size - 1):
                taken = set(mates)
                remaining = tuple(x for x in rest if x not in taken)
                for tail in walk(remaining):
                    yield [(first, *mates), *tail]

    yield from walk(tuple(range(n)))


def exhaustive(instance: Instance) -> tuple[int, list[tuple[int, ...]]]:
    """The best total and one partition reaching it, by trying every partition. Only for small
    instances: 12 councils in triads and fours already have 611,325 partitions."""
    table = pair_scores(instance)
    group_cache: dict[tuple[int, ...], int] = {}
    best, best_groups = None, None
    for groups in partitions(len(instance.councils), instance.sizes):
        total = 0
        for g in groups:
            if g not in group_cache:
                group_cache[g] = group_score(g, table).score
            total += group_cache[g]
        if best is None or total > best:
            best, best_groups = total, groups
    if best is None:
        check_sizes(len(instance.councils), instance.sizes)
    return best, best_groups


# --------------------------------------------------------------------------------------------------
# Exact solver


@dataclass
class Result:
    instance: Instance
    groups: list[GroupScore]
    total: int  # thousandths of a point
    status: str  # "OPTIMAL" (proven), "FEASIBLE" (best found in the time limit)
    # a proven upper bound on the total (equals total when OPTIMAL): the better of CP-SAT's bound and
    # the set-partitioning linear relaxation; None when neither is known
    bound: int | None
    method: str  # "set partitioning" or "pair clique partition"
    seconds: float
    table: dict[tuple[int, int], PairScore]

    @property
    def gap(self) -> int | None:
        return None if self.bound is None else self.bound - self.total


def _count_candidates(n: int, sizes: Sequence[int]) -> int:
    return sum(math.comb(n, s) for s in set(sizes) if s <= n)


def solve(
    instance: Instance,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    workers: int = 8,
    method: str | None = None,
    seed: int = 0,
    lp_bound_when_unproven: bool = True,
) -> Result:
    """The grouping that maximises the total, by CP-SAT. `method`: None (choose), "set" or "pairs".

    When the time limit stops the search before optimality is proven, the status is FEASIBLE and
    `bound` is the best proven upper bound (CP-SAT's, tightened by the set-partitioning linear
    relaxation unless `lp_bound_when_unproven` is False, which takes about 4 s at 33 councils)."""
    from ortools.sat.python import cp_model

    started = perf_counter()
    n = len(instance.councils)
    check_sizes(n, instance.sizes)
    table = pair_scores(instance)
    if method is None:
        method = "set" if _count_candidates(n, instance.sizes) <= SET_PARTITION_LIMIT else "pairs"
    if method not in ("set", "pairs"):
        raise ValueError(f"unknown method {method!r}")

    model = cp_model.CpModel()
    if method == "set":
        candidates = [g for s in sorted(set(instance.sizes)) if s <= n for g in combinations(range(n), s)]
        scores = [group_score(g, table).score for g in candidates]
        x = [model.NewBoolVar("") for _ in candidates]
        covering: list[list] = [[] for _ in range(n)]
        for var, g in zip(x, candidates, strict=True):
            for i in g:
                covering[i].append(var)
        for i in range(n):
            model.AddExactlyOne(covering[i])
        model.Maximize(sum(s * v for s, v in zip(scores, x, strict=True)))
    else:
        y = {(i, j): model.NewBoolVar(f"y{i}_{j}") for i, j in combinations(range(n), 2)}

        def pair(a, b):
            return y[(a, b)] if a < b else y[(b, a)]

        for i, j, k in combinations(range(n), 3):
            # any two of the three pairs in a group force the third
            model.AddBoolOr([pair(i, j).Not(), pair(j, k).Not(), pair(i, k)])
            model.AddBoolOr([pair(i, j).Not(), pair(i, k).Not(), pair(j, k)])
            model.AddBoolOr([pair(i, k).Not(), pair(j, k).Not(), pair(i, j)])
        domain = cp_model.Domain.FromValues(sorted(s - 1 for s in instance.sizes))
        for i in range(n):
            model.AddLinearExpressionInDomain(sum(pair(i, j) for j in range(n) if j != i), domain)
        # The number of pairs is fixed by the mix of group sizes: sum over groups of s(s-1)/2.
        pair_totals = sorted(
            {sum(c * s * (s - 1) // 2 for s, c in mix.items()) for mix in size_mixes(n, instance.sizes)}
        )
        model.AddLinearExpressionInDomain(sum(y.values()), cp_model.Domain.FromValues(pair_totals))
        model.Maximize(sum(table[p].score * v for p, v in y.items()))

    # Start from a good grouping found by local search, so that a time limit still leaves one.
    start = local_search(n, instance.sizes, table, seed=seed)
    if method == "set":
        chosen_start = {tuple(sorted(g)) for g in start}
        for g, v in zip(candidates, x, strict=True):
            model.AddHint(v, g in chosen_start)
    else:
        same = {p for g in start for p in combinations(sorted(g), 2)}
        for p, v in y.items():
            model.AddHint(v, p in same)

    solver = cp_model.CpSolver()
    # the limit covers the whole solve: building the model and the local search count against it
    solver.parameters.max_time_in_seconds = max(0.05, float(time_limit_s) - (perf_counter() - started))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    code = solver.Solve(model)
    start_total = total_score(start, table)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if method == "set":
            chosen = [g for g, v in zip(candidates, x, strict=True) if solver.Value(v)]
        else:
            chosen = _components(n, [p for p, v in y.items() if solver.Value(v)])
        if code != cp_model.OPTIMAL and total_score(chosen, table) < start_total:
            chosen = start
    elif code == cp_model.INFEASIBLE:
        raise GroupingError(f"no grouping satisfies the sizes allowed ({solver.StatusName(code)})")
    else:  # the time ran out before the solver held a grouping of its own
        chosen = start
    groups = sorted((group_score(g, table) for g in chosen), key=lambda g: g.members)
    total = sum(g.score for g in groups)
    status = "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"
    if status == "OPTIMAL":
        bound = total
    else:
        bounds = [lp_bound(n, instance.sizes, table) if lp_bound_when_unproven else None]
        if code == cp_model.FEASIBLE:
            bounds.append(math.floor(solver.BestObjectiveBound()))
        bound = (
            max(total, min(b for b in bounds if b is not None))
            if any(b is not None for b in bounds)
            else None
        )
    return Result(
        instance=instance,
        groups=groups,
        total=total,
        status=status,
        bound=bound,
        method="set partitioning" if method == "set" else "pair clique partition",
        seconds=perf_counter() - started,
        table=table,
    )


def lp_bound(n: int, sizes: Sequence[int], table) -> int | None:
    """An upper bound on the best total: the linear relaxation of the set-partitioning form (each
    possible group a variable from 0 to 1, each council covered exactly once), by HiGHS. None if
    there are too many possible groups."""
    if _count_candidates(n, sizes) > LP_BOUND_LIMIT:
        return None
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    candidates = [g for s in sorted(set(sizes)) if s <= n for g in combinations(range(n), s)]
    scores = np.array([group_score(g, table).score for g in candidates], dtype=float)
    rows = [i for g in candidates for i in g]
    cols = [k for k, g in enumerate(candidates) for _ in g]
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(candidates)))
    found = linprog(-scores, A_eq=matrix, b_eq=np.ones(n), bounds=(0, 1), method="highs")
    if found.status != 0:
        return None
    return math.floor(-found.fun + 1e-6)


def local_search(n: int, sizes: Sequence[int], table, *, seed: int = 0) -> list[tuple[int, ...]]:
    """A good (not necessarily best) grouping: the best of a few mixes of sizes, each improved by
    moving one council or swapping two until nothing gains. Used as the solver's starting point."""
    import random

    rng = random.Random(seed)

    def pair(a, b):
        return table[(a, b) if a < b else (b, a)].score

    def gain_with(member, group):
        return sum(pair(member, o) for o in group if o != member)

    best_groups, best_total = None, None
    allowed = set(sizes)
    for mix in size_mixes(n, sizes):
        order = list(range(n))
        rng.shuffle(order)
        groups, k = [], 0
        for size, count in sorted(mix.items()):
            for _ in range(count):
                groups.append(order[k : k + size])
                k += size
        improved = True
        while improved:
            improved = False
            for a in range(len(groups)):
                for b in range(a + 1, len(groups)):
                    ga, gb = groups[a], groups[b]
                    for u in list(ga):
                        for v in list(gb):  # swap u and v
                            if u not in ga or v not in gb:
                                continue
                            rest_a = [m for m in ga if m != u]
                            rest_b = [m for m in gb if m != v]
                            delta = (
                                gain_with(v, rest_a)
                                + gain_with(u, rest_b)
                                - gain_with(u, ga)
                                - gain_with(v, gb)
                            )
                            if delta > 0:
                                ga[ga.index(u)], gb[gb.index(v)] = v, u
                                improved = True
                    for src, dst in ((ga, gb), (gb, ga)):  # move one council
                        if len(src) - 1 in allowed and len(dst) + 1 in allowed:
                            for u in list(src):
                                if not (len(src) - 1 in allowed and len(dst) + 1 in allowed):
                                    break
                                delta = gain_with(u, dst) - gain_with(u, src)
                                if delta > 0:
                                    src.remove(u)
                                    dst.append(u)
                                    improved = True
        total = sum(gain_with(m, g) for g in groups for m in g) // 2
        if best_total is None or total > best_total:
            best_total, best_groups = total, [tuple(sorted(g)) for g in groups]
    return best_groups


def _components(n: int, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, ...]]:
    parent = list(range(n))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in pairs:
        parent[find(i)] = find(j)
    found: dict[int, list[int]] = {}
    for i in range(n):
        found.setdefault(find(i), []).append(i)
    return [tuple(g) for g in found.values()]


def score_groups(instance: Instance, groups: Sequence[Sequence[str]]) -> list[GroupScore]:
    """The scores of a grouping given by council codes (for groups edited by hand)."""
    index = {c.code: k for k, c in enumerate(instance.councils)}
    table = pair_scores(instance)
    return [group_score([index[code] for code in g], table) for g in groups]


# --------------------------------------------------------------------------------------------------
# Reasons in plain words


def _km(value: float) -> str:
    return f"{value:.0f} km"


def reason(instance: Instance, group: GroupScore, table: Mapping[tuple[int, int], PairScore]) -> str:
    """Why this group, in plain words: its strongest weak-strong contrast, last year's pairs, the travel."""
    councils, names = instance.councils, {a.code: a.name for a in instance.areas}
    best = None  # (difference, area, stronger, weaker)
    for i, j in combinations(group.members, 2):
        for area, diff, stronger in table[(i, j)].contrasts:
            if best is None or diff > best[0]:
                best = (diff, area, stronger, j if stronger == i else i)
    parts = []
    if best is not None and best[0] > 0:
        _, area, stronger, weaker = best
        parts.append(
            f"{councils[stronger].name} is strong in {names[area]} where {councils[weaker].name} is weak"
        )
    elif best is None:
        parts.append("no strengths are known to compare")
    else:
        parts.append("their strengths are alike")
    if group.repeats == 0:
        parts.append("none of these were paired last year")
    elif group.repeats == 1:
        parts.append("one pair met last year")
    else:
        parts.append(f"{group.repeats} pairs met last year")
    parts.append(f"furthest apart {_km(group.km_max)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def result_groups(result: Result) -> list[dict]:
    """The groups with their members, parts, score and reason, as plain data (points, not thousandths)."""
    councils = result.instance.councils
    return [
        {
            "number": k,
            "members": [councils[i].code for i in g.members],
            "names": [councils[i].name for i in g.members],
            "complement": g.complement / SCALE,
            "repeat_pairs": g.repeats,
            "repeat": g.repeat / SCALE,
            "km_total": round(g.km_total, 3),
            "km_max": round(g.km_max, 3),
            "travel": g.travel / SCALE,
            "score": g.score / SCALE,
            "reason": reason(result.instance, g, result.table),
        }
        for k, g in enumerate(result.groups, start=1)
    ]
