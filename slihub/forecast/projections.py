"""The population a forecast's starts are a rate of: ONS's projected children aged 0 to 17 where a user
has loaded a sub-national projections file for the council (slihub.places.projections), else the last
mid-year estimate held.

The projection's growth is applied to the latest estimate (the path for 31 March Y is the estimate of
mid-year origin-1 times projected(Y-1) / projected(origin-1)), because the rates were fitted on
estimates and a projection made years earlier starts from a different level; a year past the
projection's last is held at its last figure.
"""

from slihub.places import projections
from slihub.stats import forecast as engine

ESTIMATE = "ONS mid-year estimate of children aged 0 to 17, held at its latest figure"


def path_for(
    series: engine.Series, years: list[int], loaded: dict[int, tuple[int, str]] | None
) -> tuple[list[float] | None, dict]:
    """(path, description): the population for each forecast year, None to hold the last estimate."""
    latest = float(series.population[-1])
    held = {"used": "estimate", "source": ESTIMATE, "latest_estimate": int(latest)}
    if not loaded:
        return None, held
    base_year = int(series.years[-1]) - 1  # a year to 31 March is paired with the mid-year before it
    if base_year not in loaded:
        return None, held | {
            "projection_not_used": f"the loaded projection has no figure for mid-{base_year}, the year of "
            "the latest estimate, to measure growth from"
        }
    base = loaded[base_year][0]
    last = max(loaded)
    path, rows = [], []
    for year in years:
        mid = max(y for y in loaded if y <= min(year - 1, last))  # a file may skip years: the latest before
        value = latest * loaded[mid][0] / base if base > 0 else latest
        path.append(value)
        rows.append({"year": year, "mid_year": mid, "population_0_17": round(value)})
    return path, {
        "used": "projection",
        "source": loaded[base_year][1],
        "latest_estimate": int(latest),
        "base_year": base_year,
        "path": rows,
    }


def loaded_for(authority_ids) -> dict[int, dict[int, tuple[int, str]]]:
    return projections.paths(authority_ids)
