"""Challenge groups for a region of 33 councils (target: under 2 s), in triads and fours.

A seeded random instance (London-sized: 33 councils in a 50 km box, 4 areas with strengths in quartile
steps, last year's triads), then London from the hub's data when SLIHUB_DATA_DIR is set. Prints the
median time of the solve the page runs (a 1.5 s search limit), its status, total and the gap to the
upper bound proven by the set-partitioning linear relaxation (computed apart, also timed), and what a
30 s search reaches. Figures are printed, never asserted.
"""

import os
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slihub.stats import grouping  # noqa: E402

COUNCILS, AREAS, SEED, REPEATS, PAGE_LIMIT_S = 33, 4, 2026, 3, 1.5


def random_instance(seed: int = SEED) -> grouping.Instance:
    rng = random.Random(seed)
    areas = tuple(grouping.Area(f"area{k}", f"area {k}") for k in range(AREAS))
    councils = tuple(
        grouping.Council(
            code=f"{200 + i}",
            name=f"Council {i}",
            lat=51.3 + 0.4 * rng.random(),
            lon=-0.5 + 0.7 * rng.random(),
            strengths={a.code: rng.choice([0, 1 / 3, 2 / 3, 1]) for a in areas if rng.random() > 0.1},
        )
        for i in range(COUNCILS)
    )
    codes = [c.code for c in councils]
    rng.shuffle(codes)
    last = {frozenset(p) for k in range(0, COUNCILS - 2, 3) for p in combinations(codes[k : k + 3], 2)}
    return grouping.Instance(councils=councils, areas=areas, last_year=frozenset(last))


def measure(label: str, instance: grouping.Instance) -> None:
    times, result = [], None
    for k in range(REPEATS):
        started = time.perf_counter()
        result = grouping.solve(instance, time_limit_s=PAGE_LIMIT_S, seed=k, lp_bound_when_unproven=False)
        times.append(time.perf_counter() - started)
    table = grouping.pair_scores(instance)
    started = time.perf_counter()
    bound = grouping.lp_bound(len(instance.councils), instance.sizes, table)
    lp_time = time.perf_counter() - started
    total = result.total / grouping.SCALE
    print(f"   {label}: {len(instance.councils)} councils, sizes {list(instance.sizes)}")
    print(
        f"     page solve (limit {PAGE_LIMIT_S:g} s): median {statistics.median(times):.2f} s "
        f"over {REPEATS}, status {result.status}, total {total:g} ({result.method})"
    )
    if result.status == "OPTIMAL":
        print("     proven optimal")
    elif bound is not None:
        gap = bound / grouping.SCALE - total
        print(
            f"     LP upper bound {bound / grouping.SCALE:g} ({lp_time:.1f} s): gap at most {gap:g} "
            f"({100 * gap / max(abs(bound / grouping.SCALE), 1e-9):.1f}% of the bound)"
        )
    longer = grouping.solve(instance, time_limit_s=30)
    gap = "unknown" if longer.gap is None else f"{longer.gap / grouping.SCALE:g}"
    print(
        f"     30 s search: status {longer.status}, total {longer.total / grouping.SCALE:g}, "
        f"gap at most {gap}"
    )


def london_instance():
    import _django

    _django.setup()
    from django.conf import settings

    from slihub.alliances.challenges import region_instance
    from slihub.alliances.models import Alliance
    from slihub.alliances.services import ensure_alliances
    from slihub.indicators.services import load_indicator_data
    from slihub.places.services import load_reference_data

    folder = Path(settings.DATA_DIR)
    load_reference_data(folder)
    load_indicator_data(folder)
    ensure_alliances()
    london = Alliance.objects.select_related("region").get(region__slug="london")
    return region_instance(london, 2026)


def main() -> None:
    measure(f"random (seed {SEED})", random_instance())
    if os.environ.get("SLIHUB_DATA_DIR"):
        try:
            measure("London from the hub's data", london_instance())
        except Exception as error:  # a bench reports, it does not stop the others
            print(f"   London from the hub's data: not measured ({error})")
    else:
        print("   London from the hub's data: skipped (SLIHUB_DATA_DIR is not set)")


if __name__ == "__main__":
    main()
