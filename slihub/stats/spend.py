"""What children in care cost: unit costs from published spending and projected spend from a forecast.

A unit cost is a year's spending on children looked after divided by the child-years of care in that
year. Councils report spending for a financial year (April to March) but DfE counts children on one
day, 31 March, so the child-years of care in the year to 31 March Y are taken as the mean of the counts
at 31 March Y-1 and 31 March Y (the trapezium rule: the number in care is assumed to move in a
straight line between the two counts). Where only the count at 31 March Y is held, that count is used
and the method says so; DfE's own weekly unit costs in LAIT divide by the count at 31 March.

Projected spend in the year to 31 March Y is the unit cost times that year's child-years (from the
forecast's stocks at 31 March Y-1 and Y, the first from the published count), times (1 + inflation)
to the power of the years since the outturn year: inflation compounds yearly from the outturn year.
Each simulated path gives a spend, so the spend's median and intervals come from the same simulations
as the forecast's.

Framework-free (NumPy only), like forecast.py.
"""

from dataclasses import dataclass

import numpy as np

MEAN_OF_COUNTS = "mean of the counts at 31 March of the year before and of the year"
COUNT_AT_END = "the count at 31 March of the year only (the year before's count is not held)"
# Quantiles reported for projected spend: the median and the 80% interval.
LEVELS = {"p10": 0.10, "median": 0.50, "p90": 0.90}


@dataclass(frozen=True)
class ChildYears:
    value: float
    method: str  # MEAN_OF_COUNTS or COUNT_AT_END


def child_years(count_before: float | None, count_at_end: float | None) -> ChildYears:
    """The child-years of care in the year to 31 March, from the counts at its two ends."""
    if count_at_end is None:
        raise ValueError("the count of children looked after at 31 March of the year is needed")
    if count_at_end < 0 or (count_before is not None and count_before < 0):
        raise ValueError("a count of children cannot be negative")
    if count_before is None:
        return ChildYears(float(count_at_end), COUNT_AT_END)
    return ChildYears((float(count_before) + float(count_at_end)) / 2, MEAN_OF_COUNTS)


def unit_cost(spend: float, years_of_care: float) -> float:
    """Spend per child-year of care."""
    if years_of_care <= 0:
        raise ValueError("a unit cost needs at least some children in care (child-years above zero)")
    return float(spend) / float(years_of_care)


def inflation_factors(year_ends: list[int], outturn_year_end: int, rate: float) -> np.ndarray:
    """(1 + rate) ** (years after the outturn year) for each year ending 31 March in year_ends."""
    if rate <= -1:
        raise ValueError("inflation must be above -100%")
    steps = np.asarray(year_ends, dtype=float) - outturn_year_end
    return (1.0 + rate) ** steps


def projected_spend(
    stock_at_origin: float,
    stocks: np.ndarray,
    cost_per_child_year: float,
    year_ends: list[int],
    outturn_year_end: int,
    inflation: float = 0.0,
) -> np.ndarray:
    """(sims, horizons) spend in each year to 31 March year_ends[h], from (sims, horizons) simulated
    stocks at those 31 Marches and the published stock at the 31 March before the first."""
    stocks = np.asarray(stocks, dtype=float)
    if stocks.ndim != 2 or stocks.shape[1] != len(year_ends):
        raise ValueError("one simulated stock per year and simulation is needed")
    before = np.concatenate([np.full((stocks.shape[0], 1), float(stock_at_origin)), stocks[:, :-1]], axis=1)
    years_of_care = (before + stocks) / 2
    return years_of_care * cost_per_child_year * inflation_factors(year_ends, outturn_year_end, inflation)


def summarise(spend: np.ndarray) -> list[dict[str, float]]:
    """Each year's median and 80% interval (10th and 90th percentiles) of simulated spend."""
    q = {name: np.quantile(spend, level, axis=0) for name, level in LEVELS.items()}
    return [
        {"median": float(q["median"][h]), "interval_80": [float(q["p10"][h]), float(q["p90"][h])]}
        for h in range(spend.shape[1])
    ]
