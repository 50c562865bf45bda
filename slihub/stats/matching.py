"""Matching specialists to help requests: the framework-free engine of the specialist exchange.

Councils lend each other specialists for up to six months. Given every open request and every
available specialist at once, `solve` proposes the loans that maximise

    total fit of the proposed loans  -  spreading penalty over lending councils

subject to the hard rules (expertise overlap, availability covering the whole request, the six-month
limit, days per week, remote/on-site mode, never a council's own specialist, never a declined pair),
each specialist on at most one loan, each request served at most once, and a cap on how much of each
council's bank is out at once.

The formulation is a min-cost flow (OR-Tools SimpleMinCostFlow):

    request r  --(cap 1, cost -fit(r, s))-->  specialist s  --(cap 1, 0)-->  lender council L
    lender L   --(k = 1..cap(L): parallel arcs, cap 1, cost penalty_L(k))-->  sink
    request r  --(cap 1, cost 0: "unassigned")-->  sink
    supply +1 at every request, demand at the sink for all of them.

penalty_L(k), the extra cost of L's k-th loan out at once, is non-decreasing in k (the total penalty
is convex), so the cheapest parallel arcs fill first and the flow's cost is exactly
-(total fit - spreading penalty). Fits and penalties are integers in thousandths of a point
(`SCALE`), so the optimum is exact and anyone can recompute it from the printed candidates and
schedules. `solve_milp` states the same objective as a 0/1 programme for SciPy's HiGHS; the tests
check that both agree. `greedy` is the baseline (highest fit first, same rules).

Two simplifications, both on the safe side: the loans of one run count as out at the same time for
the cap and the penalty (even when their dates do not overlap), and a specialist gets at most one
loan per run (a second, later loan waits for the next run).

No Django here, and nothing of slihub beyond slihub.stats: plain data in, plain data out. `gini` and
`top_share` live in slihub/stats/concentration.py (the alliances' watch uses them too).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import numpy as np

from slihub.stats.concentration import gini, top_share

SIX_MONTHS_DAYS = 183  # the longest a loan may last, extensions included (a hard rule)
MODES = frozenset({"remote", "on_site"})
SCALE = 1000  # fits and penalties are whole thousandths of a point
EARTH_RADIUS_KM = 6371.0088
COMPONENTS = ("expertise", "seniority", "availability", "distance", "urgency", "reciprocity")


# --------------------------------------------------------------------------------------------------
# Input data


def _days(start: date, end: date) -> int:
    """Calendar days from start to end, both included."""
    return (end - start).days + 1


def _check_days_per_week(what: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 7:
        raise ValueError(f"{what}: days_per_week must be a number above 0 and at most 7, not {value!r}")


@dataclass(frozen=True)
class Council:
    """A lending or borrowing council. balance_days: days lent minus days borrowed so far (the
    reciprocity ledger); bank_size: specialists in its bank; on_loan: how many are out already."""

    code: str
    name: str
    lat: float
    lon: float
    balance_days: float = 0.0
    bank_size: int = 0
    on_loan: int = 0

    def __post_init__(self):
        if not isinstance(self.code, str) or not self.code:
            raise ValueError(f"council {self.code!r}: the code must be a non-empty string")
        if not -90 <= self.lat <= 90 or not -180 <= self.lon <= 180:
            raise ValueError(f"council {self.code!r}: lat/lon ({self.lat}, {self.lon}) are not on Earth")
        for name in ("bank_size", "on_loan"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"council {self.code!r}: {name} must be a whole number >= 0, not {value!r}")
        if self.on_loan > self.bank_size:
            raise ValueError(
                f"council {self.code!r}: on_loan {self.on_loan} is more than its bank_size {self.bank_size}"
            )


@dataclass(frozen=True)
class Specialist:
    """A specialist offered by their council. available: windows (start, end), both days included."""

    id: str
    council: str
    role: str
    seniority: int
    expertise: frozenset[str]
    available: tuple[tuple[date, date], ...]
    days_per_week: float
    modes: frozenset[str]

    def __post_init__(self):
        object.__setattr__(self, "expertise", frozenset(self.expertise))
        object.__setattr__(self, "modes", frozenset(self.modes))
        object.__setattr__(self, "available", tuple(sorted((s, e) for s, e in self.available)))
        what = f"specialist {self.id!r}"
        if (
            isinstance(self.seniority, bool)
            or not isinstance(self.seniority, int)
            or not 1 <= self.seniority <= 5
        ):
            raise ValueError(f"{what}: seniority must be a whole number from 1 to 5, not {self.seniority!r}")
        if not self.expertise:
            raise ValueError(f"{what}: needs at least one area of expertise")
        if not self.modes or not self.modes <= MODES:
            raise ValueError(
                f"{what}: modes must be a non-empty subset of {sorted(MODES)}, not {sorted(self.modes)}"
            )
        if not self.available:
            raise ValueError(f"{what}: needs at least one availability window")
        for start, end in self.available:
            if end < start:
                raise ValueError(f"{what}: availability window ends {end} before it starts {start}")
        _check_days_per_week(what, self.days_per_week)

    def windows(self) -> list[tuple[date, date]]:
        """The availability windows with overlapping or touching ones merged."""
        merged: list[list[date]] = []
        for start, end in self.available:
            if merged and start <= merged[-1][1] + timedelta(days=1):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return [(s, e) for s, e in merged]


@dataclass(frozen=True)
class Request:
    """A council's request for help: from start to end (both included), at most six months."""

    id: str
    council: str
    expertise_needed: frozenset[str]
    start: date
    end: date
    days_per_week: float
    mode: str
    urgency: int

    def __post_init__(self):
        object.__setattr__(self, "expertise_needed", frozenset(self.expertise_needed))
        what = f"request {self.id!r}"
        if self.end < self.start:
            raise ValueError(f"{what}: ends {self.end} before it starts {self.start}")
        if self.days > SIX_MONTHS_DAYS:
            raise ValueError(
                f"{what}: lasts {self.days} days ({self.start} to {self.end}), over the six-month limit "
                f"of {SIX_MONTHS_DAYS} days including extensions"
            )
        if not self.expertise_needed:
            raise ValueError(f"{what}: needs at least one area of expertise")
        if self.mode not in MODES:
            raise ValueError(f"{what}: mode must be one of {sorted(MODES)}, not {self.mode!r}")
        if isinstance(self.urgency, bool) or self.urgency not in (1, 2, 3):
            raise ValueError(f"{what}: urgency must be 1, 2 or 3, not {self.urgency!r}")
        _check_days_per_week(what, self.days_per_week)

    @property
    def days(self) -> int:
        return _days(self.start, self.end)


@dataclass(frozen=True)
class Settings:
    """Weights (points: a perfect candidate scores their sum, 100 by default) and the lending rules.

    cap_share: at most this share of a council's bank out at once (rounded down, at least 1).
    Spreading penalty: the k-th loan out at once from the same council costs
    spread_penalty * (k - 1) ** spread_exponent points, so a first loan is free and each further one
    costs more (non-decreasing, hence convex in total: the problem stays a min-cost flow).
    """

    weight_expertise: float = 40.0
    weight_seniority: float = 15.0
    weight_availability: float = 10.0
    weight_distance: float = 15.0
    weight_urgency: float = 10.0
    weight_reciprocity: float = 10.0
    distance_scale_km: float = 300.0  # on site: no distance points at this distance or beyond
    reciprocity_scale_days: float = 60.0  # a balance of +/- this many days gives full / no points
    cap_share: float = 0.34
    spread_penalty: float = 5.0
    spread_exponent: float = 1.0
    alternatives: int = 3  # runner-up candidates shown with each proposal

    def __post_init__(self):
        for name in (
            "weight_expertise",
            "weight_seniority",
            "weight_availability",
            "weight_distance",
            "weight_urgency",
            "weight_reciprocity",
            "spread_penalty",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1e6:
                raise ValueError(f"settings: {name} must be a number from 0 to 1,000,000, not {value!r}")
        for name in ("distance_scale_km", "reciprocity_scale_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"settings: {name} must be a number above 0, not {value!r}")
        if isinstance(self.cap_share, bool) or not isinstance(self.cap_share, int | float):
            raise ValueError(f"settings: cap_share must be a number, not {self.cap_share!r}")
        if not 0 < self.cap_share <= 1:
            raise ValueError(f"settings: cap_share must be above 0 and at most 1, not {self.cap_share!r}")
        exponent = self.spread_exponent
        if isinstance(exponent, bool) or not isinstance(exponent, int | float) or not 1 <= exponent <= 4:
            # Below 1 the marginal penalty still rises, but we keep the schedule clearly convex and
            # bounded so the integer costs stay small.
            raise ValueError(f"settings: spread_exponent must be from 1 to 4, not {exponent!r}")
        if (
            isinstance(self.alternatives, bool)
            or not isinstance(self.alternatives, int)
            or self.alternatives < 0
        ):
            raise ValueError(f"settings: alternatives must be a whole number >= 0, not {self.alternatives!r}")

    def cap(self, council: Council) -> int:
        """How many of the council's specialists may be out at once (at least 1)."""
        return max(1, math.floor(self.cap_share * council.bank_size + 1e-9))


@dataclass(frozen=True)
class Instance:
    """Everything one matching run needs. declined: (request id, specialist id) pairs never to propose."""

    councils: tuple[Council, ...]
    specialists: tuple[Specialist, ...]
    requests: tuple[Request, ...]
    declined: frozenset[tuple[str, str]] = frozenset()
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self):
        object.__setattr__(self, "councils", tuple(self.councils))
        object.__setattr__(self, "specialists", tuple(self.specialists))
        object.__setattr__(self, "requests", tuple(self.requests))
        object.__setattr__(self, "declined", frozenset((r, s) for r, s in self.declined))
        for kind, items, key in (
            ("council", self.councils, "code"),
            ("specialist", self.specialists, "id"),
            ("request", self.requests, "id"),
        ):
            seen = Counter(getattr(item, key) for item in items)
            duplicates = sorted(k for k, n in seen.items() if n > 1)
            if duplicates:
                raise ValueError(f"{kind} {duplicates[0]!r} appears {seen[duplicates[0]]} times")
        codes = {c.code for c in self.councils}
        for item, kind in [(s, "specialist") for s in self.specialists] + [
            (r, "request") for r in self.requests
        ]:
            if item.council not in codes:
                raise ValueError(f"{kind} {item.id!r}: council {item.council!r} is not among the councils")
        listed = Counter(s.council for s in self.specialists)
        for council in self.councils:
            if listed[council.code] > council.bank_size:
                raise ValueError(
                    f"council {council.code!r}: bank_size {council.bank_size} is smaller than the "
                    f"{listed[council.code]} specialists listed for it"
                )
        request_ids = {r.id for r in self.requests}
        specialist_ids = {s.id for s in self.specialists}
        for request_id, specialist_id in sorted(self.declined):
            if request_id not in request_ids:
                raise ValueError(
                    f"declined pair [{request_id!r}, {specialist_id!r}]: no request {request_id!r}"
                )
            if specialist_id not in specialist_ids:
                raise ValueError(
                    f"declined pair [{request_id!r}, {specialist_id!r}]: no specialist {specialist_id!r}"
                )

    @cached_property
    def council_by_code(self) -> dict[str, Council]:
        return {c.code: c for c in self.councils}

    @cached_property
    def specialist_by_id(self) -> dict[str, Specialist]:
        return {p.id: p for p in self.specialists}

    @cached_property
    def request_by_id(self) -> dict[str, Request]:
        return {r.id: r for r in self.requests}

    def remaining_cap(self, code: str) -> int:
        council = self.council_by_code[code]
        return max(0, self.settings.cap(council) - council.on_loan)

    def penalty_units(self, code: str) -> list[int]:
        """Extra cost (thousandths of a point) of this run's 1st, 2nd, ... loan from council `code`.

        Loans already out count: the run's first loan is the council's (on_loan + 1)-th at once.
        Rounding keeps a non-decreasing sequence non-decreasing, so the schedule stays convex.
        """
        council = self.council_by_code[code]
        s = self.settings
        return [
            round(SCALE * s.spread_penalty * (council.on_loan + k - 1) ** s.spread_exponent)
            for k in range(1, self.remaining_cap(code) + 1)
        ]


# --------------------------------------------------------------------------------------------------
# Candidates: every feasible (request, specialist) pair with its fit


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (works elementwise on NumPy arrays)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class Candidate:
    """A feasible pair. score and components are in points (multiples of 0.001); the components add
    up to the score exactly."""

    request: str
    specialist: str
    lender: str
    borrower: str
    score_units: int
    component_units: Mapping[str, int]
    distance_km: float | None  # between council centroids, for on-site requests only

    @property
    def score(self) -> float:
        return self.score_units / SCALE

    @property
    def components(self) -> dict[str, float]:
        return {name: units / SCALE for name, units in self.component_units.items()}


class CandidateTable:
    """The feasible pairs of an instance, as NumPy arrays (one row per pair)."""

    def __init__(self, instance: Instance, *, block: int = 256):
        self.instance = instance
        requests, specialists, councils = instance.requests, instance.specialists, instance.councils
        s = instance.settings
        council_index = {c.code: i for i, c in enumerate(councils)}
        self.request_council = np.array([council_index[r.council] for r in requests], dtype=np.int64)
        self.specialist_council = np.array([council_index[p.council] for p in specialists], dtype=np.int64)

        vocabulary = sorted(
            set().union(*(p.expertise for p in specialists), *(r.expertise_needed for r in requests))
        )
        term = {t: i for i, t in enumerate(vocabulary)}
        need = np.zeros((len(requests), len(vocabulary)), dtype=np.float32)
        for i, r in enumerate(requests):
            need[i, [term[t] for t in r.expertise_needed]] = 1
        offer = np.zeros((len(specialists), len(vocabulary)), dtype=np.float32)
        for j, p in enumerate(specialists):
            offer[j, [term[t] for t in p.expertise]] = 1

        r_start = np.array([r.start.toordinal() for r in requests], dtype=np.int64)
        r_end = np.array([r.end.toordinal() for r in requests], dtype=np.int64)
        r_dpw = np.array([r.days_per_week for r in requests], dtype=float)
        r_on_site = np.array([r.mode == "on_site" for r in requests], dtype=bool)
        p_dpw = np.array([p.days_per_week for p in specialists], dtype=float)
        p_remote = np.array(["remote" in p.modes for p in specialists], dtype=bool)
        p_on_site = np.array(["on_site" in p.modes for p in specialists], dtype=bool)
        windows = [p.windows() for p in specialists]
        width = max((len(w) for w in windows), default=1)
        w_start = np.full((len(specialists), width), 1, dtype=np.int64)  # padding: an empty window
        w_end = np.zeros((len(specialists), width), dtype=np.int64)
        for j, ws in enumerate(windows):
            for k, (a, b) in enumerate(ws):
                w_start[j, k], w_end[j, k] = a.toordinal(), b.toordinal()
        declined: dict[int, list[int]] = defaultdict(list)
        request_index = {r.id: i for i, r in enumerate(requests)}
        specialist_index = {p.id: j for j, p in enumerate(specialists)}
        for request_id, specialist_id in instance.declined:
            declined[request_index[request_id]].append(specialist_index[specialist_id])

        rows, cols, matched, window_days = [], [], [], []
        for lo in range(0, len(requests), block):
            hi = min(lo + block, len(requests))
            overlap = need[lo:hi] @ offer.T  # expertise areas in common
            ok = overlap > 0.5
            ok &= self.request_council[lo:hi, None] != self.specialist_council[None, :]  # never one's own
            ok &= r_dpw[lo:hi, None] <= p_dpw[None, :] + 1e-9
            ok &= np.where(r_on_site[lo:hi, None], p_on_site[None, :], p_remote[None, :])
            covered = np.zeros(ok.shape, dtype=bool)
            span = np.zeros(ok.shape, dtype=np.int64)  # length of the (merged) window covering it
            for k in range(width):
                inside = (w_start[None, :, k] <= r_start[lo:hi, None]) & (
                    w_end[None, :, k] >= r_end[lo:hi, None]
                )
                span = np.where(inside & ~covered, w_end[None, :, k] - w_start[None, :, k] + 1, span)
                covered |= inside
            ok &= covered
            for i in range(lo, hi):
                if i in declined:
                    ok[i - lo, declined[i]] = False
            r_idx, s_idx = np.nonzero(ok)
            rows.append(r_idx + lo)
            cols.append(s_idx)
            matched.append(np.rint(overlap[r_idx, s_idx]).astype(np.int64))
            window_days.append(span[r_idx, s_idx])
        self.r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        self.s = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        matched = np.concatenate(matched) if matched else np.zeros(0, dtype=np.int64)
        window_days = np.concatenate(window_days) if window_days else np.zeros(0, dtype=np.int64)
        r, p = self.r, self.s
        self.lender = self.specialist_council[p]
        self.borrower = self.request_council[r]

        # The fit, component by component (each a share of its weight, in thousandths of a point).
        n_needed = need.sum(axis=1).astype(np.int64)
        seniority = np.array([x.seniority for x in specialists], dtype=float)
        urgency = np.array([x.urgency for x in requests], dtype=float)
        r_days = (r_end - r_start + 1).astype(float)
        lat = np.array([c.lat for c in councils], dtype=float)
        lon = np.array([c.lon for c in councils], dtype=float)
        balance = np.array([c.balance_days for c in councils], dtype=float)
        distance = haversine_km(lat[self.borrower], lon[self.borrower], lat[self.lender], lon[self.lender])
        self.distance_km = np.where(r_on_site[r], distance, np.nan)
        shares = {
            # Share of the needed areas the specialist covers.
            "expertise": matched / np.maximum(n_needed[r], 1),
            # Seniority 1 scores nothing, 5 scores in full.
            "seniority": (seniority[p] - 1) / 4,
            # Covering the whole request is a hard rule; this rewards a close fit: the share of the
            # offered time (covering window x days a week) that the loan would use, so specialists
            # offering long windows are kept for the requests that need them.
            "availability": np.minimum(
                1.0, (r_days[r] * r_dpw[r]) / np.maximum(window_days * p_dpw[p], 1e-9)
            ),
            # On site: full points next door, none at distance_scale_km or beyond (between the two
            # councils' boundary centroids). Remote: nobody travels, so full points.
            "distance": np.where(r_on_site[r], np.clip(1 - distance / s.distance_scale_km, 0.0, 1.0), 1.0),
            "urgency": (urgency[r] - 1) / 2,
            # Reciprocity looks at the BORROWER's balance (days lent minus days borrowed): councils
            # that have given more than they took are served first among equals, which is what
            # keeps lending worthwhile. The lender's balance is deliberately left out: lending is
            # voluntary, the cap and the spreading penalty already protect lenders, and rewarding
            # lenders in credit would lean on them even more.
            "reciprocity": (1 + np.clip(balance[self.borrower] / s.reciprocity_scale_days, -1.0, 1.0)) / 2,
        }
        weights = {name: getattr(s, f"weight_{name}") for name in COMPONENTS}
        self.components = np.stack(
            [np.rint(SCALE * weights[name] * shares[name]).astype(np.int64) for name in COMPONENTS], axis=1
        ).reshape(len(r), len(COMPONENTS))
        self.score = self.components.sum(axis=1)

    def __len__(self) -> int:
        return len(self.r)

    def candidate(self, k: int) -> Candidate:
        return self.candidates([k])[0]

    def candidates(self, rows: Sequence[int] | None = None) -> list[Candidate]:
        """Candidate objects for the given rows (all of them by default)."""
        rows = np.arange(len(self)) if rows is None else np.asarray(rows, dtype=np.int64)
        inst = self.instance
        request_ids = [r.id for r in inst.requests]
        specialist_ids = [p.id for p in inst.specialists]
        codes = [c.code for c in inst.councils]
        distances = np.round(self.distance_km[rows], 1)
        return [
            Candidate(
                request=request_ids[r],
                specialist=specialist_ids[s],
                lender=codes[lender],
                borrower=codes[borrower],
                score_units=score,
                component_units=dict(zip(COMPONENTS, parts, strict=True)),
                distance_km=None if math.isnan(distance) else distance,
            )
            for r, s, lender, borrower, score, parts, distance in zip(
                self.r[rows].tolist(),
                self.s[rows].tolist(),
                self.lender[rows].tolist(),
                self.borrower[rows].tolist(),
                self.score[rows].tolist(),
                self.components[rows].tolist(),
                distances.tolist(),
                strict=True,
            )
        ]


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Alternative:
    specialist: str
    lender: str
    score: float
    why_not: str


@dataclass(frozen=True)
class Assignment:
    request: str
    specialist: str
    lender: str
    borrower: str
    score: float
    components: dict[str, float]
    explanation: str
    considered: int  # feasible specialists for this request
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Baseline:
    """The greedy baseline: highest fit first under the same rules."""

    pairs: tuple[tuple[str, str], ...]
    total_fit: float
    spreading_penalty: float
    objective: float


@dataclass
class MatchResult:
    instance: Instance
    table: CandidateTable
    assignments: tuple[Assignment, ...]
    unassigned: tuple[tuple[str, str], ...]  # (request id, reason)
    objective_units: int
    fit_units: int
    penalty_units: int
    schedule_units: dict[str, list[int]]
    greedy: Baseline

    @property
    def objective(self) -> float:
        return self.objective_units / SCALE

    @property
    def total_fit(self) -> float:
        return self.fit_units / SCALE

    @property
    def spreading_penalty(self) -> float:
        return self.penalty_units / SCALE

    @property
    def penalty_schedule(self) -> dict[str, list[float]]:
        return {code: [u / SCALE for u in units] for code, units in self.schedule_units.items()}

    @cached_property
    def candidates(self) -> tuple[Candidate, ...]:
        return tuple(self.table.candidates())


def _penalty_for_counts(instance: Instance, counts: Mapping[str, int]) -> int:
    return sum(sum(instance.penalty_units(code)[:n]) for code, n in counts.items())


# --------------------------------------------------------------------------------------------------
# Solvers


def _flow_solution(table: CandidateTable) -> np.ndarray:
    """Indices (into the table) of the chosen pairs, by min-cost flow."""
    from ortools.graph.python import min_cost_flow

    inst = table.instance
    n_r, n_s, n_c = len(inst.requests), len(inst.specialists), len(inst.councils)
    sink = n_r + n_s + n_c
    tails, heads, caps, costs = [table.r], [n_r + table.s], [np.ones(len(table), np.int64)], [-table.score]
    used = np.unique(table.s)
    tails.append(n_r + used)
    heads.append(n_r + n_s + table.specialist_council[used])
    caps.append(np.ones(len(used), np.int64))
    costs.append(np.zeros(len(used), np.int64))
    lender_tails, lender_costs = [], []
    for ci in np.unique(table.specialist_council[used]):
        schedule = inst.penalty_units(inst.councils[ci].code)
        lender_tails += [n_r + n_s + ci] * len(schedule)
        lender_costs += schedule
    tails.append(np.array(lender_tails, np.int64))
    heads.append(np.full(len(lender_tails), sink, np.int64))
    caps.append(np.ones(len(lender_tails), np.int64))
    costs.append(np.array(lender_costs, np.int64))
    tails.append(np.arange(n_r, dtype=np.int64))  # "unassigned"
    heads.append(np.full(n_r, sink, np.int64))
    caps.append(np.ones(n_r, np.int64))
    costs.append(np.zeros(n_r, np.int64))

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n_r] = 1
    supplies[sink] = -n_r
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover - the "unassigned" arcs make it always feasible
        raise RuntimeError(f"min-cost flow did not find an optimum (status {status})")
    chosen = np.nonzero(flow.flows(np.arange(len(table), dtype=np.int64)) > 0)[0]
    return chosen


def solve(instance: Instance) -> MatchResult:
    """The proposals that maximise total fit minus the spreading penalty, with their explanations."""
    table = CandidateTable(instance)
    chosen = _flow_solution(table)
    return _result(instance, table, chosen)


def greedy_choice(table: CandidateTable) -> np.ndarray:
    """Highest fit first (ties: request then specialist order), under the same rules."""
    inst = table.instance
    order = np.lexsort((table.s, table.r, -table.score))
    room = {ci: inst.remaining_cap(c.code) for ci, c in enumerate(inst.councils)}
    request_done: set[int] = set()
    specialist_done: set[int] = set()
    chosen = []
    r_all, s_all, lender_all = table.r.tolist(), table.s.tolist(), table.lender.tolist()
    for k in order.tolist():
        r, s, lender = r_all[k], s_all[k], lender_all[k]
        if r in request_done or s in specialist_done or room[lender] <= 0:
            continue
        request_done.add(r)
        specialist_done.add(s)
        room[lender] -= 1
        chosen.append(k)
    return np.array(sorted(chosen), dtype=np.int64)


def greedy(instance: Instance, table: CandidateTable | None = None) -> Baseline:
    table = table or CandidateTable(instance)
    chosen = greedy_choice(table)
    fit = int(table.score[chosen].sum())
    counts = Counter(instance.councils[ci].code for ci in table.lender[chosen])
    penalty = _penalty_for_counts(instance, counts)
    pairs = tuple((instance.requests[table.r[k]].id, instance.specialists[table.s[k]].id) for k in chosen)
    return Baseline(
        pairs=pairs,
        total_fit=fit / SCALE,
        spreading_penalty=penalty / SCALE,
        objective=(fit - penalty) / SCALE,
    )


def solve_milp(instance: Instance) -> tuple[int, list[tuple[str, str]]]:
    """The same objective as an exact 0/1 programme for SciPy's HiGHS, for verification.

    Variables: x[p] = 1 if candidate pair p is proposed; y[L, k] = 1 if lender L has at least k loans
    in this run (y[L, k+1] <= y[L, k], so the k-th penalty is paid exactly when there is a k-th loan,
    whatever the shape of the schedule). Returns (objective in thousandths of a point, chosen pairs).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    table = CandidateTable(instance)
    n = len(table)
    lenders = sorted(set(table.lender.tolist()))
    slots = [
        (ci, k, cost)
        for ci in lenders
        for k, cost in enumerate(instance.penalty_units(instance.councils[ci].code))
    ]
    n_vars = n + len(slots)
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add_row(entries, lo, hi):
        row = len(lower)
        for col, val in entries:
            rows.append(row)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)

    for r in range(len(instance.requests)):
        add_row([(p, 1) for p in np.nonzero(table.r == r)[0]], -np.inf, 1)
    for s in range(len(instance.specialists)):
        add_row([(p, 1) for p in np.nonzero(table.s == s)[0]], -np.inf, 1)
    for ci in lenders:
        mine = [n + q for q, slot in enumerate(slots) if slot[0] == ci]
        add_row([(p, 1) for p in np.nonzero(table.lender == ci)[0]] + [(q, -1) for q in mine], 0, 0)
        for a, b in zip(mine, mine[1:], strict=False):
            add_row([(b, 1), (a, -1)], -np.inf, 0)
    c = np.concatenate([-table.score.astype(float), np.array([cost for _, _, cost in slots], dtype=float)])
    if n_vars == 0:
        return 0, []
    constraints = []
    if lower:
        matrix = coo_matrix((vals, (rows, cols)), shape=(len(lower), n_vars)).tocsr()
        constraints.append(LinearConstraint(matrix, lower, upper))
    # mip_rel_gap 0: HiGHS would otherwise stop within 0.01% of the optimum, not at it.
    result = milp(
        c,
        integrality=np.ones(n_vars),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"mip_rel_gap": 0},
    )
    if not result.success:  # pragma: no cover
        raise RuntimeError(f"MILP failed: {result.message}")
    x = np.rint(result.x[:n]).astype(bool)
    pairs = [
        (instance.requests[table.r[p]].id, instance.specialists[table.s[p]].id) for p in np.nonzero(x)[0]
    ]
    return -round(result.fun), pairs


def objective_units(instance: Instance, pairs: Iterable[tuple[str, str]]) -> int:
    """Total fit minus spreading penalty of a set of (request, specialist) pairs, from scratch."""
    table = CandidateTable(instance)
    index = {
        (instance.requests[r].id, instance.specialists[s].id): k
        for k, (r, s) in enumerate(zip(table.r.tolist(), table.s.tolist(), strict=True))
    }
    chosen = [index[pair] for pair in pairs]
    counts = Counter(instance.councils[table.lender[k]].code for k in chosen)
    return int(table.score[chosen].sum()) - _penalty_for_counts(instance, counts)


# --------------------------------------------------------------------------------------------------
# Explanations


def _per_week(days: float) -> str:
    return f"{days:g} day{'' if days == 1 else 's'} a week"


def _describe(instance: Instance, candidate: Candidate, considered: int) -> str:
    specialist = instance.specialist_by_id[candidate.specialist]
    request = instance.request_by_id[candidate.request]
    lender = instance.council_by_code[candidate.lender]
    covered = sorted(specialist.expertise & request.expertise_needed)
    place = (
        f"on site, {candidate.distance_km:.0f} km between council centroids"
        if candidate.distance_km is not None
        else "remote"
    )
    window = next(w for w in specialist.windows() if w[0] <= request.start and w[1] >= request.end)
    parts = ", ".join(f"{name} {value:g}" for name, value in candidate.components.items())
    return (
        f"{specialist.id} ({specialist.role}, seniority {specialist.seniority}, from {lender.name}) covers "
        f"{len(covered)} of {len(request.expertise_needed)} needed areas ({', '.join(covered)}); "
        f"available {window[0]} to {window[1]}, {_per_week(specialist.days_per_week)} "
        f"for {_per_week(request.days_per_week)} needed; {place}. "
        f"Fit {candidate.score:g} = {parts}. "
        f"Chosen from {considered} feasible specialist{'s' if considered != 1 else ''} as part of the "
        f"plan with the highest total fit after the spreading penalty."
    )


def _result(instance: Instance, table: CandidateTable, chosen: np.ndarray) -> MatchResult:
    fit = int(table.score[chosen].sum())
    codes = [c.code for c in instance.councils]
    counts = Counter(codes[ci] for ci in table.lender[chosen].tolist())
    penalty = _penalty_for_counts(instance, counts)
    schedules = {code: instance.penalty_units(code) for code in codes}
    caps = {code: len(schedule) for code, schedule in schedules.items()}
    rows_r, rows_s, rows_lender = table.r.tolist(), table.s.tolist(), table.lender.tolist()
    assigned_request = {rows_r[k]: k for k in chosen.tolist()}
    assigned_specialist = {rows_s[k]: rows_r[k] for k in chosen.tolist()}
    by_request: dict[int, list[int]] = defaultdict(list)
    for k in np.lexsort((table.s, -table.score)).tolist():
        by_request[rows_r[k]].append(k)

    wanted = {}
    for r, k in assigned_request.items():
        wanted[k] = None
        for other in [o for o in by_request[r] if o != k][: instance.settings.alternatives]:
            wanted[other] = None
    objects = dict(zip(wanted, table.candidates(list(wanted)), strict=True))

    assignments = []
    for r, k in sorted(assigned_request.items()):
        cand = objects[k]
        alternatives = []
        for other in [o for o in by_request[r] if o != k][: instance.settings.alternatives]:
            alt = objects[other]
            s = rows_s[other]
            if s in assigned_specialist:
                why = f"proposed for request {instance.requests[assigned_specialist[s]].id} instead"
            elif counts[alt.lender] >= caps[alt.lender]:
                why = f"{alt.lender} already lends its cap of {caps[alt.lender]} in this run"
            elif alt.score_units > cand.score_units:
                # Swapping would gain the fit difference but pay the next loan's penalty at the
                # alternative's council and save the last loan's penalty at the chosen one's.
                extra = (
                    schedules[alt.lender][counts[alt.lender]]
                    - schedules[cand.lender][counts[cand.lender] - 1]
                )
                why = (
                    f"higher fit by {(alt.score_units - cand.score_units) / SCALE:g}, but it would be loan "
                    f"{counts[alt.lender] + 1} from {alt.lender} in this run: the spreading penalty would "
                    f"rise by {extra / SCALE:g}"
                )
            else:
                why = f"lower fit ({alt.score:g} against {cand.score:g})"
            alternatives.append(Alternative(alt.specialist, alt.lender, alt.score, why))
        assignments.append(
            Assignment(
                request=cand.request,
                specialist=cand.specialist,
                lender=cand.lender,
                borrower=cand.borrower,
                score=cand.score,
                components=cand.components,
                explanation=_describe(instance, cand, len(by_request[r])),
                considered=len(by_request[r]),
                alternatives=tuple(alternatives),
            )
        )
    unassigned = []
    for r, request in enumerate(instance.requests):
        if r in assigned_request:
            continue
        options = by_request.get(r, [])
        if not options:
            reason = (
                "no feasible specialist (expertise, dates, days a week, mode, another council, not declined)"
            )
        elif all(
            rows_s[k] in assigned_specialist or counts[codes[rows_lender[k]]] >= caps[codes[rows_lender[k]]]
            for k in options
        ):
            reason = (
                f"all {len(options)} feasible specialists are proposed elsewhere or their councils are at cap"
            )
        else:
            reason = "the spreading penalty of the free specialists' councils outweighs their fit"
        unassigned.append((request.id, reason))

    lending = {p.council for p in instance.specialists}
    schedules = {code: schedule for code, schedule in schedules.items() if code in lending}
    return MatchResult(
        instance=instance,
        table=table,
        assignments=tuple(assignments),
        unassigned=tuple(unassigned),
        objective_units=fit - penalty,
        fit_units=fit,
        penalty_units=penalty,
        schedule_units=schedules,
        greedy=greedy(instance, table),
    )


# --------------------------------------------------------------------------------------------------
# A generated instance (for the benchmark and the tests)

EXPERTISE_AREAS = (
    "child protection",
    "children in care",
    "fostering",
    "adoption",
    "care leavers",
    "SEND",
    "youth justice",
    "early help",
    "front door and MASH",
    "edge of care",
    "residential care",
    "quality assurance",
    "workforce development",
    "exploitation",
    "disabled children",
    "data and performance",
)
ROLES = (
    "social worker",
    "senior practitioner",
    "team manager",
    "service manager",
    "independent reviewing officer",
    "principal social worker",
    "performance analyst",
)


def generate_instance(
    *,
    councils: int = 153,
    specialists: int = 3000,
    requests: int = 800,
    seed: int = 0,
    declined: int = 0,
    settings: Settings | None = None,
    start: date = date(2025, 4, 1),
) -> Instance:
    """A random but plausible instance: a few strong councils hold large banks of senior, broad
    specialists (the "high performers" lending would lean on); requests come mostly from the rest."""
    rng = np.random.default_rng(seed)
    strength = rng.beta(2, 5, councils)  # a few strong councils
    lat = rng.uniform(50.2, 55.5, councils)
    lon = rng.uniform(-4.5, 1.6, councils)
    weights = 0.3 + 4 * strength**2
    homes = rng.choice(councils, size=specialists, p=weights / weights.sum())
    listed = np.bincount(homes, minlength=councils)
    codes = [f"{200 + i:03d}" for i in range(councils)]
    on_loan = rng.binomial(1, 0.2, councils) * rng.integers(0, 3, councils)
    council_list = [
        Council(
            code=codes[i],
            name=f"Council {codes[i]}",
            lat=float(lat[i]),
            lon=float(lon[i]),
            balance_days=float(np.round(rng.normal(0, 60), 1)),
            bank_size=int(listed[i] + on_loan[i] + rng.integers(0, 4)),
            on_loan=int(on_loan[i]),
        )
        for i in range(councils)
    ]
    n_areas = len(EXPERTISE_AREAS)
    specialist_list = []
    for j in range(specialists):
        home = int(homes[j])
        seniority = int(np.clip(np.rint(1 + 4 * rng.beta(2 + 4 * strength[home], 2.5)), 1, 5))
        areas = rng.choice(n_areas, size=int(rng.integers(1, 4 + int(3 * strength[home]))), replace=False)
        windows = []
        first = start + timedelta(days=int(rng.integers(0, 120)))
        windows.append((first, first + timedelta(days=int(rng.integers(90, 365)))))
        if rng.random() < 0.3:
            later = windows[-1][1] + timedelta(days=int(rng.integers(30, 120)))
            windows.append((later, later + timedelta(days=int(rng.integers(60, 240)))))
        modes = ["remote", "on_site"] if rng.random() < 0.6 else [rng.choice(["remote", "on_site"])]
        specialist_list.append(
            Specialist(
                id=f"S{j + 1:05d}",
                council=codes[home],
                role=ROLES[min(len(ROLES) - 1, seniority + int(rng.integers(0, 3)) - 1)],
                seniority=seniority,
                expertise=frozenset(EXPERTISE_AREAS[a] for a in areas),
                available=tuple(windows),
                days_per_week=float(rng.choice([1, 2, 2.5, 3, 4, 5])),
                modes=frozenset(str(m) for m in modes),
            )
        )
    need_weights = 1.2 - strength
    borrowers = rng.choice(councils, size=requests, p=need_weights / need_weights.sum())
    request_list = []
    for i in range(requests):
        begin = start + timedelta(days=int(rng.integers(0, 180)))
        length = int(rng.integers(14, SIX_MONTHS_DAYS + 1))
        areas = rng.choice(n_areas, size=int(rng.integers(1, 4)), replace=False)
        request_list.append(
            Request(
                id=f"R{i + 1:04d}",
                council=codes[int(borrowers[i])],
                expertise_needed=frozenset(EXPERTISE_AREAS[a] for a in areas),
                start=begin,
                end=begin + timedelta(days=length - 1),
                days_per_week=float(rng.choice([1, 1.5, 2, 3])),
                mode=str(rng.choice(["remote", "on_site"], p=[0.45, 0.55])),
                urgency=int(rng.choice([1, 2, 3], p=[0.4, 0.4, 0.2])),
            )
        )
    declined_pairs = set()
    while len(declined_pairs) < declined:
        declined_pairs.add(
            (request_list[int(rng.integers(requests))].id, specialist_list[int(rng.integers(specialists))].id)
        )
    return Instance(
        councils=tuple(council_list),
        specialists=tuple(specialist_list),
        requests=tuple(request_list),
        declined=frozenset(declined_pairs),
        settings=settings or Settings(),
    )


# --------------------------------------------------------------------------------------------------
# Concentration of lending


@dataclass(frozen=True)
class Loan:
    """A loan as it happened (or is planned): the lending council and its dates (both included).

    `weight` is what one calendar day on loan counts for: 1 measures lending in loan-days; days a
    week / 7 measures it in specialist-days, the ledger's unit (a loan of 1 day a week then counts a
    fifth of one of 5 days a week)."""

    lender: str
    start: date
    end: date
    weight: float = 1.0

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"loan from {self.lender!r}: ends {self.end} before it starts {self.start}")
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"loan from {self.lender!r}: weight must be a positive number")


@dataclass(frozen=True)
class QuarterConcentration:
    quarter: str  # calendar quarter, e.g. "2025-Q2" (April to June)
    start: date
    end: date
    loan_days: int  # calendar days on loan within the quarter, all councils together
    lenders: int  # councils that lent at all in the quarter
    councils: int  # councils counted (those that lent nothing included)
    top_share: float | None  # share of lending by the top 10% of councils; None if no lending
    gini: float | None  # Gini index of lending over all councils; None if no lending
    lent: float = 0.0  # lending measured as the loans' weights say (loan-days by default)


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_bounds(year: int, q: int) -> tuple[date, date]:
    first = date(year, 3 * q - 2, 1)
    nxt = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return first, nxt - timedelta(days=1)


def concentration_by_quarter(
    loans: Iterable[Loan], councils: Iterable[str], *, share: float = 0.1
) -> list[QuarterConcentration]:
    """Per calendar quarter touched by any loan: how concentrated lending is over councils.

    Lending is measured in loan-days (calendar days a loan overlaps the quarter), each day counted at
    its loan's weight (see Loan: specialist-days when weights are days a week / 7). Every council in
    `councils` counts, including those that lent nothing, so the Gini index and the top-10% share
    describe the whole sector, not just the lenders.
    """
    codes = list(dict.fromkeys(councils))
    position = {code: i for i, code in enumerate(codes)}
    loans = list(loans)
    for loan in loans:
        if loan.lender not in position:
            raise ValueError(f"loan from {loan.lender!r}: not among the councils")
    if not loans:
        return []
    year, q = _quarter_of(min(loan.start for loan in loans))
    last = _quarter_of(max(loan.end for loan in loans))
    report = []
    while (year, q) <= last:
        first, end = _quarter_bounds(year, q)
        days, lent = 0, np.zeros(len(codes))
        for loan in loans:
            overlap = (min(loan.end, end) - max(loan.start, first)).days + 1
            if overlap > 0:
                days += overlap
                lent[position[loan.lender]] += overlap * loan.weight
        report.append(
            QuarterConcentration(
                quarter=f"{year}-Q{q}",
                start=first,
                end=end,
                loan_days=days,
                lenders=int((lent > 0).sum()),
                councils=len(codes),
                top_share=top_share(lent, share) if days else None,
                gini=gini(lent) if days else None,
                lent=float(lent.sum()),
            )
        )
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return report
