"""Specialist matching at national scale: 153 councils, 3,000 specialists, 800 requests (seeded).

Prints the time to build the instance, the solve time (median of 3: candidates, min-cost flow,
explanations and the greedy baseline), and the quality of the optimum against the greedy baseline.
Run alone with .venv/bin/python bench/run.py matching. Figures are printed, never asserted.
"""

import statistics
import time
from collections import Counter

from slihub.stats import matching

COUNCILS, SPECIALISTS, REQUESTS, SEED = 153, 3000, 800, 2025


def _timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def main() -> None:
    instance, build = _timed(
        lambda: matching.generate_instance(
            councils=COUNCILS, specialists=SPECIALISTS, requests=REQUESTS, seed=SEED
        )
    )
    print(f"   instance: {COUNCILS} councils, {SPECIALISTS:,} specialists, {REQUESTS} requests (seed {SEED})")
    print(f"   build time: {build:.2f} s")

    runs = [_timed(matching.solve, instance) for _ in range(3)]
    result = runs[0][0]
    table = result.table
    flows = [_timed(matching._flow_solution, table)[1] for _ in range(3)]
    print(f"   feasible pairs: {len(table):,}")
    print(
        f"   solve time (median of 3): {statistics.median(t for _, t in runs):.2f} s "
        f"(of which min-cost flow {statistics.median(flows):.2f} s)"
    )

    greedy = result.greedy
    print(f"   assigned: optimum {len(result.assignments)} of {REQUESTS}, greedy {len(greedy.pairs)}")
    print(
        f"   total fit: optimum {result.total_fit:,.3f}, greedy {greedy.total_fit:,.3f}, "
        f"ratio {result.total_fit / greedy.total_fit:.4f}"
    )
    print(
        f"   objective (fit - spreading penalty): optimum {result.objective:,.3f} "
        f"(penalty {result.spreading_penalty:,.3f}), greedy {greedy.objective:,.3f} "
        f"(penalty {greedy.spreading_penalty:,.3f}), ratio {result.objective / greedy.objective:.4f}"
    )
    codes = [c.code for c in instance.councils]
    lender_of = {s.id: s.council for s in instance.specialists}
    for name, lent in (
        ("optimum", Counter(a.lender for a in result.assignments)),
        ("greedy", Counter(lender_of[s] for _, s in greedy.pairs)),
    ):
        loans = [lent[c] for c in codes]
        print(
            f"   lending ({name}): {sum(1 for x in loans if x)} councils lend, top 10% lend "
            f"{matching.top_share(loans):.1%}, Gini {matching.gini(loans):.3f}"
        )


if __name__ == "__main__":
    main()
