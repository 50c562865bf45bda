"""Time to an event with some waits still open: the Kaplan-Meier estimate and what it implies ahead.

Framework-free (NumPy only). Used for the time between one Ofsted inspection and the next: a council
inspected three years ago and not since is a wait still open (censored), which counts as "not yet"
for three years and says nothing after.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Survival:
    """S(t), the share still waiting at time t: a step function falling at each event time."""

    times: np.ndarray  # the distinct event times, increasing
    surviving: np.ndarray  # S just after each of those times
    waits: int  # how many waits it was estimated from
    events: int  # how many of them ended in the event

    def at(self, t: float) -> float:
        """S(t): 1 before the first event time."""
        i = np.searchsorted(self.times, t, side="right")
        return 1.0 if i == 0 else float(self.surviving[i - 1])

    def within(self, elapsed: float, horizon: float) -> float | None:
        """The chance the event comes within `horizon` of now, having waited `elapsed` so far:
        1 - S(elapsed + horizon) / S(elapsed). None where nobody in the data waited that long."""
        now = self.at(elapsed)
        return None if now <= 0 else 1.0 - self.at(elapsed + horizon) / now


def kaplan_meier(durations, observed) -> Survival:
    """The product-limit estimate from waits (`durations`) that ended in the event (`observed` true) or
    are still open; an open wait as long as an event time counts as still waiting at it, as usual."""
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    if durations.shape != observed.shape or durations.ndim != 1:
        raise ValueError("durations and observed must be one-dimensional and of one length")
    if np.any(~np.isfinite(durations)) or np.any(durations < 0):
        raise ValueError("durations must be finite and not negative")
    times = np.unique(durations[observed])
    surviving, s = [], 1.0
    for t in times:
        at_risk = np.sum(durations >= t)
        s *= 1.0 - np.sum((durations == t) & observed) / at_risk
        surviving.append(s)
    return Survival(times, np.array(surviving), int(durations.size), int(observed.sum()))
