"""The hub's forecast from a 903 return beside the Data to Insight demand model's (cs-demand-model 0.5.1),
on the synthetic sample 903 data that package ships (its `sample://` data): same files, same start date
(31 March of the last year they cover), one to three years ahead.

    .venv/bin/python bench/compare_d2i.py [--d2i-python /tmp/d2i-venv/bin/python] [--window-years 1] [--json]

cs-demand-model pins numpy<2 and pandas<2, so it cannot sit in the hub's venv (numpy 2, pandas 3): install
it in a throwaway one (python3 -m venv /tmp/d2i-venv && /tmp/d2i-venv/bin/pip install cs-demand-model==0.5.1)
and point --d2i-python (or D2I_PYTHON) at it. This script runs D2I's part in that interpreter and the hub's
part here; without the package it says so and exits 0. The sample is read from the installed package and
never copied into the repository. It is not a runtime dependency of the hub, nor part of `make bench`
(D2I's daily simulation of three years takes about half a minute).

The hub's part is the upload path itself: slihub.forecast.ssda903.parse and .aggregate read the sample's
header and episodes files into yearly figures, and slihub.stats.forecast forecasts from them. The sample is
synthetic and of no place, so it has no ONS population: a constant population is used, under which the
hub's start rate per 10,000 cancels out (starts are the mean of the fitted years' starts).
"""

import argparse
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "combined"  # the sample's per-year CSV files: 2017-header.csv, 2017-episodes.csv, ...
HORIZONS = 3
POPULATION = 100_000  # the synthetic sample has no place; any constant gives the same forecast
D2I_AGES = ["BIRTH_TO_ONE", "ONE_TO_FIVE", "FIVE_TO_TEN", "TEN_TO_SIXTEEN", "SIXTEEN_TO_EIGHTEEN"]
OUR_AGES = ["under_1", "1_to_4", "5_to_9", "10_to_15", "16_and_over"]  # the same bands, DfE's names
# D2I's placement categories (its standard-v1 configuration) and the hub's groups that hold those codes
D2I_PLACEMENTS = {
    "FOSTERING": ["fostering"],  # U1-U6 in both
    "RESIDENTIAL": ["residential"],  # D2I: K2, R1; the hub's group also has K1 (secure children's homes)
    "SUPPORTED": ["independent"],  # H5, P2 in both
    "OTHER": ["adoption", "parents", "other_residential", "other"],
}


# ---------------------------------------------------------------------------------------------------
# D2I's part: runs in the interpreter that has cs-demand-model (numpy<2, pandas<2)


def d2i_part(origin: int, window_years: float) -> dict:
    import cs_demand_model_samples
    import pandas as pd
    from cs_demand_model import Config, DemandModellingDataContainer, ModelPredictor, PopulationStats
    from cs_demand_model.datastore import fs_datastore
    from dateutil.relativedelta import relativedelta

    config = Config()
    container = DemandModellingDataContainer(fs_datastore(f"sample://{SAMPLE}"), config)
    stats = PopulationStats(container.enriched_view, config)
    start = pd.Timestamp(date(origin, 3, 31))
    window_start = start - relativedelta(months=int(window_years * 12))
    predictor = ModelPredictor.from_model(stats, window_start, start, prediction_start=start)
    days = (pd.Timestamp(date(origin + HORIZONS, 3, 31)) - start).days
    predicted = predictor.predict(days)

    def split(population) -> dict:
        by_age, by_place = {a: 0.0 for a in D2I_AGES}, {p: 0.0 for p in D2I_PLACEMENTS}
        left = 0.0
        for key, n in population.items():
            if not isinstance(key, tuple) or len(key) != 2 or key[1] not in by_place:
                left += float(n)  # D2I's NOT_IN_CARE states: not looked after
                continue
            by_age[key[0]] += float(n)
            by_place[key[1]] += float(n)
        return {
            "total": sum(by_place.values()),
            "by_age": by_age,
            "by_placement": by_place,
            "not_in_care": left,
        }

    years = {}
    for h in range(1, HORIZONS + 1):
        day = pd.Timestamp(date(origin + h, 3, 31))
        row = predicted.index.get_indexer([day], method="nearest")[0]
        years[origin + h] = split(predicted.iloc[row])
    return {
        "sample_dir": str(Path(cs_demand_model_samples.__file__).parent / SAMPLE),
        "data_end": str(container.end_date.date()),
        "window": [str(window_start.date()), str(start.date())],
        "start": {origin: split(stats.stock_at(start))},
        "years": years,
    }


# ---------------------------------------------------------------------------------------------------
# The hub's part


def our_part(sample_dir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from slihub.forecast.ssda903 import aggregate, parse
    from slihub.stats import forecast as engine

    def files(kind: str) -> list[tuple[str, bytes]]:
        return [(p.name, p.read_bytes()) for p in sorted(sample_dir.glob(f"*-{kind}.csv"))]

    data = parse.read_return(files("header"), files("episodes"))
    rows = aggregate.yearly(data)
    series = engine.Series.of(
        [r["year"] for r in rows],
        [r["looked_after"] for r in rows],
        [r["starts"] or 0 for r in rows],  # the first year is the stock before: its flows are never read
        [r["ceases"] or 0 for r in rows],
        [POPULATION] * len(rows),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        result = engine.forecast(series, HORIZONS, 1000, 0)
    last = rows[-1]
    shares = {
        "by_age": {a: last["by_age"][a] / last["looked_after"] for a in OUR_AGES},
        "by_placement": {
            p: sum(last["by_placement"][g] for g in groups) / last["looked_after"]
            for p, groups in D2I_PLACEMENTS.items()
        },
    }
    return {
        "rows": rows,
        "warnings": [str(w) for w in data.warnings],
        "fit": {
            "starts_per_year": round(float(np.exp(result.fit.starts.level)) * POPULATION / 10_000, 1),
            "ceases_share": round(float(1 / (1 + np.exp(-result.fit.ceases.level))), 3),
            "ceases_share_published": round(result.fit.ceases_published, 3),
            "gap_per_year": round(result.fit.gap, 1),
        },
        "origin": result.origin,
        "forecast": result.to_dict()["horizons"],
        "shares": shares,
    }


# ---------------------------------------------------------------------------------------------------


def find_d2i(given: str | None) -> str | None:
    candidates = [given, os.environ.get("D2I_PYTHON"), "/tmp/d2i-venv/bin/python", sys.executable]
    for python in filter(None, candidates):
        if Path(python).exists():
            ok = subprocess.run(
                [python, "-c", "import cs_demand_model, cs_demand_model_samples"], capture_output=True
            )
            if ok.returncode == 0:
                return python
    return None


def compare(ours: dict, d2i: dict) -> dict:
    origin = ours["origin"]
    rows = []
    for h in ours["forecast"]:
        theirs = d2i["years"][str(h["year"])]
        rows.append(
            {
                "year": h["year"],
                "ours_median": round(h["median"], 1),
                "ours_80": [round(v, 1) for v in h["interval_80"]],
                "d2i": round(theirs["total"], 1),
                "difference": round(theirs["total"] - h["median"], 1),
                "d2i_inside_our_80": h["interval_80"][0] <= theirs["total"] <= h["interval_80"][1],
                "by_placement": {
                    p: {"ours": round(h["median"] * s, 1), "d2i": round(theirs["by_placement"][p], 1)}
                    for p, s in ours["shares"]["by_placement"].items()
                },
                "by_age": {
                    ours_band: {
                        "ours": round(h["median"] * ours["shares"]["by_age"][ours_band], 1),
                        "d2i": round(theirs["by_age"][their_band], 1),
                    }
                    for ours_band, their_band in zip(OUR_AGES, D2I_AGES, strict=True)
                },
            }
        )
    start = d2i["start"][str(origin)]
    last = ours["rows"][-1]
    return {
        "origin": origin,
        "d2i_window": d2i["window"],
        "d2i_data_end": d2i["data_end"],
        "start": {"ours": last["looked_after"], "d2i": round(start["total"], 1)},
        # the same files counted by each: a check of the hub's parser against D2I's reading of them
        "start_by_placement": {
            p: {
                "ours": sum(last["by_placement"][g] for g in groups),
                "d2i": round(start["by_placement"][p], 1),
            }
            for p, groups in D2I_PLACEMENTS.items()
        },
        # D2I bands a child by their age when the episode started; the hub by their age at 31 March
        "start_by_age": {
            ours_band: {"ours": last["by_age"][ours_band], "d2i": round(start["by_age"][their_band], 1)}
            for ours_band, their_band in zip(OUR_AGES, D2I_AGES, strict=True)
        },
        "our_fit": ours["fit"],
        "our_years": [{k: r[k] for k in ("year", "looked_after", "starts", "ceases")} for r in ours["rows"]],
        "years": rows,
        "warnings": len(ours["warnings"]),
    }


def show(result: dict) -> None:
    print(f"Sample: cs-demand-model 0.5.1 sample://{SAMPLE}; start 31 March {result['origin']}")
    print(
        f"D2I reference window {result['d2i_window'][0]} to {result['d2i_window'][1]} (data end "
        f"{result['d2i_data_end']}); the hub: the last {min(5, len(result['our_years']) - 1)} years' flows"
    )
    print("The hub's yearly figures from the sample:")
    for r in result["our_years"]:
        print(f"  {r['year']}: looked after {r['looked_after']}, started {r['starts']}, ceased {r['ceases']}")
    print(f"Looked after at the start: hub {result['start']['ours']}, D2I {result['start']['d2i']}")
    for key in ("start_by_placement", "start_by_age"):
        cells = ", ".join(f"{k} {v['ours']}/{v['d2i']:.0f}" for k, v in result[key].items())
        print(f"  {key.replace('_', ' ')} hub/D2I: {cells}")
    print(f"The hub's fitted flows: {result['our_fit']}")
    print(f"{'31 March':>9} {'hub middle':>11} {'hub 80%':>15} {'D2I':>8} {'D2I - hub':>10}")
    for r in result["years"]:
        low, high = r["ours_80"]
        print(
            f"{r['year']:>9} {r['ours_median']:>11.1f} {f'{low:.0f} to {high:.0f}':>15} {r['d2i']:>8.1f} "
            f"{r['difference']:>10.1f}"
        )
    for key in ("by_placement", "by_age"):
        print(f"{key.replace('_', ' ')} (the hub's total split by the latest year's shares):")
        for r in result["years"]:
            cells = ", ".join(f"{k} {v['ours']:.0f}/{v['d2i']:.0f}" for k, v in r[key].items())
            print(f"  {r['year']} hub/D2I: {cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--d2i-python", help="a Python with cs-demand-model installed")
    parser.add_argument("--window-years", type=float, default=1.0, help="D2I's reference window")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--d2i-part", type=int, help=argparse.SUPPRESS)  # origin: run D2I's part here
    args = parser.parse_args()
    if args.d2i_part:
        print(json.dumps(d2i_part(args.d2i_part, args.window_years)))
        return 0
    python = find_d2i(args.d2i_python)
    if python is None:
        print(
            "compare_d2i: skipped: cs-demand-model is not installed. It pins numpy<2 and pandas<2: install "
            "it in its own venv (python3 -m venv /tmp/d2i-venv && /tmp/d2i-venv/bin/pip install "
            "cs-demand-model==0.5.1) and give --d2i-python /tmp/d2i-venv/bin/python."
        )
        return 0
    where = subprocess.run(
        [
            python,
            "-c",
            "import cs_demand_model_samples, pathlib; "
            f"print(pathlib.Path(cs_demand_model_samples.__file__).parent / {SAMPLE!r})",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = our_part(Path(where.stdout.strip()))
    run = subprocess.run(
        [python, __file__, "--d2i-part", str(ours["origin"]), "--window-years", str(args.window_years)],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        print(f"compare_d2i: D2I's model failed on its own sample:\n{run.stderr[-2000:]}")
        return 1
    result = compare(ours, json.loads(run.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        show(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
