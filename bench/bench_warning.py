"""The early warning on the real data (reference, inspections, the LAIT bank): loading its panel, one
month's training and scoring, recomputing every month since 2019 as an import does, the watchlist and
one council's risk page (median of 11 requests after a warm-up; the watchlist's budget is 150 ms), and the
backtest with 2,000 bootstrap resamples. Figures printed, never asserted."""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fixtures  # noqa: E402

PAGE_REPEATS = 11


def seconds(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    if not _fixtures.load_public_data(inspections=True):
        return
    from django.test import Client

    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.warning import services

    took, scorer = seconds(services.Scorer)
    print(f"   panel loaded in {took * 1000:.0f} ms: {len(scorer.panel.outcomes)} graded inspections")
    took, _ = seconds(lambda: services.score_on(scorer, date(2025, 1, 1)))
    print(
        f"   one month (both targets trained, penalty chosen, 153 authorities scored): {took * 1000:.0f} ms"
    )
    took, count = seconds(lambda: services.refresh_scores(scorer=services.Scorer()))
    print(f"   every month since 2019 recomputed and stored: {took:.1f} s ({count:,} scores)")

    user, _ = ensure_user(
        username="bench.national", full_name="Bench", password="x-bench-9f2", role=Role.NATIONAL_ADMIN
    )
    client = Client()
    client.force_login(user)
    # After one warm-up request (templates compiled, caches filled), as a running server answers.
    for label, url in (
        ("GET /warning/ (national admin, every council)", "/warning/"),
        ("GET /warning/authorities/202/ (Camden, with support suggestions)", "/warning/authorities/202/"),
    ):
        client.get(url)
        times, response = [], None
        for _ in range(PAGE_REPEATS):
            took, response = seconds(lambda url=url: client.get(url))
            times.append(took * 1000)
        print(f"   {label}: median {statistics.median(times):.0f} ms, {len(response.content) / 1e3:.0f} kB")

    took, results = seconds(lambda: services.backtest(services.Scorer(), n_boot=2000))
    print(f"   backtest (rolling and leave-one-year-out, two targets, 2,000 resamples): {took:.1f} s")
    for target, splits in results["targets"].items():
        rolling = splits["rolling"]
        if not rolling.get("evaluated", True):
            print(f"   {target}: nothing to evaluate")
            continue
        # The model and each baseline the backtest holds (services.PREDICTORS), as they stand in it.
        figures = "; ".join(
            f"{name} ROC AUC {rolling[name]['roc_auc']:.3f}, PR AUC {rolling[name]['pr_auc']:.3f}"
            for name in services.PREDICTORS
            if rolling.get(name) and rolling[name].get("roc_auc") is not None
        )
        print(f"   {target}: {rolling['inspections']} since 2022, {rolling['positives']} positive: {figures}")


if __name__ == "__main__":
    main()
