"""Scenarios on the children-in-care forecast: changed entry rates, exit shares and placement mix.

A scenario edits the forecast engine's fitted rates (slihub.stats.forecast.Fit) and the placement mix,
never the simulated flows themselves, so every simulated year still draws Poisson starts and binomial
ceases from those at risk: ceases never exceed those who could leave and no count is ever negative.

Rules that keep a scenario's flows possible:
- **Entry rate** (children starting care per 10,000 aged 0 to 17): the central rate becomes
  rate x times + plus, and a result below zero is taken as zero (nobody starts care). The engine's
  year-to-year variation stays proportional to the rate (it is drawn on the log scale).
- **Exit share** (the share of those in care during the year who leave it): the central share becomes
  share x times + plus / 100, then is clipped to between 1% and 99% (the bounds the engine itself
  calibrates the share within; a baseline share already outside them is the bound instead). The
  engine's variation is on the logit scale, so every simulated share stays strictly between 0 and 1:
  whatever the edit, some of the children in care leave each year in expectation, and nobody leaves
  who is not in care. (The Data to Insight / Social Finance demand model's scenario adjustment blanks
  most transition rates, so its adjusted forecast has nobody leaving care; this rule is the guard.)
- **Placement mix** (shares of children in fostering, residential care and other placements): a move
  takes a percentage of one type's children to another type, so the shares still add up to 1 and none
  goes below zero. Moves apply in the order given. The engine counts children, not placements, so the
  mix changes cost, never the number of children.

Paired draws: the baseline is the engine's own simulate_flows (so it equals the published forecast),
and the scenario is simulated alongside it, child by child as far as the counts allow, so that the
difference between them, taken simulation by simulation, carries the change and not unrelated noise:
- its rate paths are the baseline's normal draws moved to the scenario's levels;
- its starts are the baseline's starts thinned (a lower mean: each kept with probability m2/m1) or
  topped up with a Poisson draw of the extra mean m2 - m1;
- its leavers: of the children at risk in both runs (a random subset when the scenario has fewer), those
  who left in the baseline, thinned to the scenario's share (p2/p1) or joined by stayers who now leave
  ((p2 - p1)/(1 - p1)); children at risk only in the scenario leave with its share.
Each step keeps the scenario's own distribution exactly (Poisson thinning and superposition; a random
subset of independent leavers), so the scenario's simulations are as simulate_flows would draw them
(tested), but their difference from the baseline has no counting noise beyond what the change causes.
A scenario that changes nothing leaves the fit untouched and so gives exactly the baseline.

Framework-free (NumPy only), like forecast.py and spend.py.
"""

import math
from dataclasses import dataclass, field, replace

import numpy as np

from slihub.stats.forecast import PATH_YEARS, Fit, _paths, _people, simulate_flows

FOSTERING, RESIDENTIAL, OTHER = "fostering", "residential", "other"
PLACEMENTS = (FOSTERING, RESIDENTIAL, OTHER)
MIN_SHARE, MAX_SHARE = 0.01, 0.99  # bounds of an edited exit share: the engine's own calibration bounds
MAX_TIMES = 100.0  # a multiplier beyond this is surely a typo
LEVELS = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}


def _number(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return number


@dataclass(frozen=True)
class Move:
    """Move `percent` per cent of the children in `source` placements to `target` placements."""

    percent: float
    source: str
    target: str

    def __post_init__(self):
        percent = _number(self.percent, "the percentage of children moved")
        if not 0 < percent <= 100:
            raise ValueError(
                f"a move takes between 0% and 100% of a placement type's children, not {percent:g}%"
            )
        for name in (self.source, self.target):
            if name not in PLACEMENTS:
                raise ValueError(f"{name!r} is not a placement type: use one of {', '.join(PLACEMENTS)}")
        if self.source == self.target:
            raise ValueError(f"a move needs two different placement types, not {self.source} to itself")
        object.__setattr__(self, "percent", percent)

    @classmethod
    def parse(cls, text: str) -> "Move":
        """'10:residential:fostering' (10% of residential to fostering)."""
        parts = str(text).split(":")
        if len(parts) != 3:
            raise ValueError(
                f"a move is written PERCENT:FROM:TO, for example 10:residential:fostering, not {text!r}"
            )
        percent, source, target = (p.strip() for p in parts)
        return cls(
            _number(percent.removesuffix("%"), "the percentage of children moved"),
            source.lower(),
            target.lower(),
        )

    def describe(self) -> str:
        return f"{self.percent:g}% of {self.source} placements moved to {self.target}"


@dataclass(frozen=True)
class Scenario:
    """Edits to the baseline: entry rate times/plus (per 10,000 children aged 0 to 17), exit share
    times/plus (percentage points), and placement moves."""

    entries_times: float = 1.0
    entries_plus: float = 0.0
    exits_times: float = 1.0
    exits_plus: float = 0.0
    moves: tuple[Move, ...] = field(default_factory=tuple)
    name: str = ""

    def __post_init__(self):
        for attribute, what in (
            ("entries_times", "the entry rate's multiplier"),
            ("exits_times", "the exit share's multiplier"),
        ):
            value = _number(getattr(self, attribute), what)
            if not 0 <= value <= MAX_TIMES:
                raise ValueError(f"{what} must be between 0 and {MAX_TIMES:g}, not {value:g}")
            object.__setattr__(self, attribute, value)
        entries_plus = _number(self.entries_plus, "the change in the entry rate")
        if abs(entries_plus) > 10_000:
            raise ValueError(
                f"the entry rate is per 10,000 children, so a change of {entries_plus:g} is impossible"
            )
        exits_plus = _number(self.exits_plus, "the change in the exit share")
        if not -100 <= exits_plus <= 100:
            raise ValueError(
                f"the exit share changes by percentage points between -100 and 100, not {exits_plus:g}"
            )
        object.__setattr__(self, "entries_plus", entries_plus)
        object.__setattr__(self, "exits_plus", exits_plus)
        moves = tuple(self.moves)
        if not all(isinstance(m, Move) for m in moves):
            raise ValueError("each placement move must be a Move")
        object.__setattr__(self, "moves", moves)

    @property
    def changes_entries(self) -> bool:
        return self.entries_times != 1 or self.entries_plus != 0

    @property
    def changes_exits(self) -> bool:
        return self.exits_times != 1 or self.exits_plus != 0

    @property
    def is_null(self) -> bool:
        return not (self.changes_entries or self.changes_exits or self.moves)

    def describe(self) -> list[str]:
        words = []
        for changed, what, times, plus, unit in (
            (
                self.changes_entries,
                "entry rate",
                self.entries_times,
                self.entries_plus,
                "per 10,000 children",
            ),
            (self.changes_exits, "exit share", self.exits_times, self.exits_plus, "percentage points"),
        ):
            if changed:
                parts = [f"x {times:g}"] if times != 1 else []
                parts += [f"{'+' if plus > 0 else '-'} {abs(plus):g} {unit}"] if plus else []
                words.append(f"{what} {' then '.join(parts)}")
        words += [m.describe() for m in self.moves]
        return words or ["no change (the baseline)"]

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "entries_times": self.entries_times,
            "entries_plus": self.entries_plus,
            "exits_times": self.exits_times,
            "exits_plus": self.exits_plus,
            "moves": [{"percent": m.percent, "from": m.source, "to": m.target} for m in self.moves],
            "description": self.describe(),
        }


def start_rate(rate: float, scenario: Scenario) -> float:
    """The scenario's central entry rate per 10,000: rate x times + plus, never below zero."""
    if not scenario.changes_entries:
        return rate
    return max(rate * scenario.entries_times + scenario.entries_plus, 0.0)


def exit_share(share: float, scenario: Scenario) -> float:
    """The scenario's central exit share: share x times + plus/100, kept within [1%, 99%] (or the
    baseline share where it is already outside those bounds), so strictly between 0 and 1."""
    if not scenario.changes_exits:
        return share
    low, high = min(MIN_SHARE, share), max(MAX_SHARE, share)
    return float(np.clip(share * scenario.exits_times + scenario.exits_plus / 100, low, high))


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def rates(f: Fit) -> dict[str, float]:
    """A fit's central entry rate per 10,000 and exit share."""
    return {"starts_per_10000": math.exp(f.starts.level), "ceases_share": _logistic(f.ceases.level)}


def adjust(f: Fit, scenario: Scenario) -> Fit:
    """The fit with the scenario's entry rate and exit share; untouched parts are the same objects."""
    adjusted = f
    if scenario.changes_entries:
        rate = start_rate(math.exp(f.starts.level), scenario)
        level = math.log(rate) if rate > 0 else -math.inf  # a zero rate: every simulated year has no starts
        adjusted = replace(adjusted, starts=replace(f.starts, level=level))
    if scenario.changes_exits:
        share = exit_share(_logistic(f.ceases.level), scenario)
        adjusted = replace(adjusted, ceases=replace(f.ceases, level=math.log(share / (1 - share))))
    return adjusted


def mix(shares: dict[str, float], scenario: Scenario) -> dict[str, float]:
    """The placement mix after the scenario's moves. shares: type -> share (0..1), adding up to 1."""
    if set(shares) != set(PLACEMENTS):
        raise ValueError(f"a placement mix needs a share for each of {', '.join(PLACEMENTS)}")
    out = {t: _number(shares[t], f"the share of {t} placements") for t in PLACEMENTS}
    if any(v < 0 for v in out.values()) or not math.isclose(sum(out.values()), 1.0, abs_tol=1e-9):
        raise ValueError("placement shares must be between 0 and 1 and add up to 1")
    for move in scenario.moves:
        moved = out[move.source] * move.percent / 100
        out[move.source] = max(out[move.source] - moved, 0.0)
        out[move.target] += moved
    return out


def unit_cost_of(shares: dict[str, float], unit_costs: dict[str, float]) -> float:
    """The cost per child-year of a placement mix: the sum of share x unit cost over the types."""
    return float(sum(shares[t] * unit_costs[t] for t in PLACEMENTS))


def simulate_pair(
    f: Fit, scenario: Scenario, horizons: int = 5, sims: int = 1000, seed: int = 0, population=None
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The baseline's and the scenario's simulated flows (stock, starts, at_risk, ceases; each
    (sims, horizons)), from the same seed. population: a projected path, as simulate_flows takes."""
    baseline = simulate_flows(f, horizons, sims, seed, population)
    if not (scenario.changes_entries or scenario.changes_exits):  # counts unchanged: the baseline's
        return baseline, {name: values.copy() for name, values in baseline.items()}
    people = _people(f, horizons, population)
    return baseline, _coupled(f, adjust(f, scenario), baseline, horizons, sims, seed, people)


def _rate_paths(f: Fit, horizons: int, sims: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A fit's simulated entry rates and exit shares, from the same normal draws as simulate_flows."""
    rng, width = np.random.default_rng(seed), max(horizons, PATH_YEARS)
    start_rates = np.exp(_paths(f.starts, width, sims, rng))
    return start_rates, 1 / (1 + np.exp(-_paths(f.ceases, width, sims, rng)))


def _coupled(
    f: Fit, g: Fit, baseline: dict, horizons: int, sims: int, seed: int, people: np.ndarray
) -> dict[str, np.ndarray]:
    """Scenario g's flows drawn alongside f's simulated baseline (see the module's note on pairing)."""
    rng = np.random.default_rng([seed, 1])  # the coupling's own stream: the baseline's stays untouched
    rates1, shares1 = _rate_paths(f, horizons, sims, seed)
    rates2, shares2 = _rate_paths(g, horizons, sims, seed)
    out = {name: np.empty((sims, horizons)) for name in ("stock", "starts", "at_risk", "ceases")}
    stock = np.full(sims, g.stock)
    for h in range(horizons):
        m1, m2 = rates1[:, h] * people[h] / 10_000, rates2[:, h] * people[h] / 10_000
        starts1 = baseline["starts"][:, h].astype(np.int64)
        keep = np.divide(m2, m1, out=np.zeros(sims), where=m1 > 0).clip(0, 1)
        extra = rng.poisson(np.maximum(m2 - m1, 0))
        starts = np.where(m2 <= m1, rng.binomial(starts1, keep), starts1 + extra)
        at_risk = (stock + starts).astype(np.int64)
        n1, c1 = baseline["at_risk"][:, h].astype(np.int64), baseline["ceases"][:, h].astype(np.int64)
        p1, p2 = shares1[:, h], shares2[:, h]
        shared = np.minimum(n1, at_risk)
        left = np.where(at_risk >= n1, c1, rng.hypergeometric(c1, n1 - c1, shared))
        thin = np.divide(p2, p1, out=np.zeros(sims), where=p1 > 0).clip(0, 1)
        join = ((p2 - p1) / (1 - p1)).clip(0, 1)
        ceases = np.where(p2 <= p1, rng.binomial(left, thin), left + rng.binomial(shared - left, join))
        ceases = ceases + rng.binomial(at_risk - shared, p2)  # children at risk only in the scenario
        stock = np.maximum(at_risk - ceases + np.rint(g.gap), 0)
        for name, value in (("stock", stock), ("starts", starts), ("at_risk", at_risk), ("ceases", ceases)):
            out[name][:, h] = value
    return out


def summary(values: np.ndarray) -> list[dict]:
    """Each year's median and 50% and 80% intervals of (sims, horizons) values."""
    q = {name: np.quantile(values, level, axis=0) for name, level in LEVELS.items()}
    return [
        {
            "median": float(q["median"][h]),
            "interval_50": [float(q["p25"][h]), float(q["p75"][h])],
            "interval_80": [float(q["p10"][h]), float(q["p90"][h])],
        }
        for h in range(values.shape[1])
    ]


def difference(baseline: np.ndarray, scenario: np.ndarray) -> list[dict]:
    """Scenario minus baseline, simulation by simulation: each year's median and 80% interval."""
    paired = np.asarray(scenario, dtype=float) - np.asarray(baseline, dtype=float)
    q = {name: np.quantile(paired, LEVELS[name], axis=0) for name in ("p10", "median", "p90")}
    return [
        {"median": float(q["median"][h]), "interval_80": [float(q["p10"][h]), float(q["p90"][h])]}
        for h in range(paired.shape[1])
    ]
