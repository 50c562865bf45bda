"""Median time of a full REML synthesis of one practice with 200 studies (50 repeats).

A synthesis here is what the evidence library runs for a practice page: REML random-effects model
with the Q-profile CI for tau^2 (and I^2/H^2), Egger's regression test and trim-and-fill (L0).
The studies are generated with a fixed seed (true effect 0.2, tau = 0.15, n per arm 20-400).
"""

import statistics
import time

import numpy as np

from slihub.stats.effect_sizes import smd
from slihub.stats.meta_analysis import egger_test, meta_analysis, trim_and_fill

STUDIES = 200
REPEATS = 50


def practice(k: int = STUDIES, seed: int = 2004):
    rng = np.random.default_rng(seed)
    n1 = rng.integers(20, 400, k)
    n2 = rng.integers(20, 400, k)
    delta = rng.normal(0.2, 0.15, k)
    m1 = delta + rng.normal(0, 1, k) / np.sqrt(n1)
    m2 = rng.normal(0, 1, k) / np.sqrt(n2)
    sd1 = np.sqrt(rng.chisquare(n1 - 1) / (n1 - 1))
    sd2 = np.sqrt(rng.chisquare(n2 - 1) / (n2 - 1))
    return smd(m1, sd1, n1, m2, sd2, n2)


def synthesis(yi, vi):
    result = meta_analysis(yi, vi, method="REML", tau2_ci=True)
    egger = egger_test(yi, vi, method="REML")
    filled = trim_and_fill(yi, vi, method="REML")
    return result, egger, filled


def main() -> None:
    es = practice()
    synthesis(es.yi, es.vi)  # warm-up
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        result, egger, filled = synthesis(es.yi, es.vi)
        times.append(time.perf_counter() - started)
    print(
        f"   REML synthesis of {STUDIES} studies (Q-profile CI, Egger, trim-and-fill): "
        f"median {statistics.median(times) * 1000:.1f} ms over {REPEATS} repeats "
        f"(estimate {result.estimate:.3f}, tau2 {result.tau2:.4f}, k0 {filled.k0})"
    )


if __name__ == "__main__":
    main()
