"""Unit tests for slihub.stats.matching (pure Python, no Django needed)."""

import math
import random
from collections import Counter
from datetime import date, timedelta

import pytest

from slihub.stats import matching as m
from slihub.stats.matching import (
    SIX_MONTHS_DAYS,
    Council,
    Instance,
    Loan,
    Request,
    Settings,
    Specialist,
)

D0 = date(2025, 4, 1)
AREAS = ("child protection", "fostering", "SEND", "youth justice")


def council(code, lat=52.0, lon=-1.0, *, bank=5, balance=0.0, on_loan=0):
    return Council(code, f"Council {code}", lat, lon, balance_days=balance, bank_size=bank, on_loan=on_loan)


def specialist(
    sid, home, *, seniority=3, expertise=("child protection",), window=(0, 300), dpw=3, modes=("remote",)
):
    start, end = window
    return Specialist(
        id=sid,
        council=home,
        role="social worker",
        seniority=seniority,
        expertise=frozenset(expertise),
        available=((D0 + timedelta(days=start), D0 + timedelta(days=end)),),
        days_per_week=dpw,
        modes=frozenset(modes),
    )


def request(rid, home, *, needs=("child protection",), start=10, days=90, dpw=2, mode="remote", urgency=2):
    return Request(
        id=rid,
        council=home,
        expertise_needed=frozenset(needs),
        start=D0 + timedelta(days=start),
        end=D0 + timedelta(days=start + days - 1),
        days_per_week=dpw,
        mode=mode,
        urgency=urgency,
    )


def random_small_instance(seed: int) -> Instance:
    """A small, dense random instance: few areas, so many pairs are feasible and they compete."""
    rng = random.Random(seed)
    n_councils = rng.randint(3, 6)
    specialists, requests = [], []
    listed = Counter()
    for j in range(rng.randint(5, 14)):
        home = f"C{rng.randrange(n_councils)}"
        listed[home] += 1
        windows = []
        first = rng.randint(0, 40)
        windows.append((D0 + timedelta(days=first), D0 + timedelta(days=first + rng.randint(120, 360))))
        if rng.random() < 0.3:  # a second window touching the first: merged
            after = windows[0][1] + timedelta(days=1)
            windows.append((after, after + timedelta(days=rng.randint(10, 90))))
        specialists.append(
            Specialist(
                id=f"S{j}",
                council=home,
                role="practitioner",
                seniority=rng.randint(1, 5),
                expertise=frozenset(rng.sample(AREAS, rng.randint(1, 3))),
                available=tuple(windows),
                days_per_week=rng.choice([1, 2, 3, 5]),
                modes=frozenset(
                    rng.choice([("remote",), ("on_site",), ("remote", "on_site"), ("remote", "on_site")])
                ),
            )
        )
    for i in range(rng.randint(3, 10)):
        start = rng.randint(0, 100)
        requests.append(
            Request(
                id=f"R{i}",
                council=f"C{rng.randrange(n_councils)}",
                expertise_needed=frozenset(rng.sample(AREAS, rng.randint(1, 2))),
                start=D0 + timedelta(days=start),
                end=D0 + timedelta(days=start + rng.randint(7, 120)),
                days_per_week=rng.choice([1, 1, 2, 3]),
                mode=rng.choice(["remote", "on_site"]),
                urgency=rng.randint(1, 3),
            )
        )
    councils = [
        Council(
            f"C{c}",
            f"Council {c}",
            rng.uniform(50.5, 55),
            rng.uniform(-4, 1.5),
            balance_days=rng.uniform(-90, 90),
            bank_size=listed[f"C{c}"] + rng.randint(0, 8),
            on_loan=0,
        )
        for c in range(n_councils)
    ]
    declined = {(r.id, s.id) for r in requests for s in specialists if rng.random() < 0.05}
    settings = Settings(
        cap_share=rng.choice([0.1, 0.25, 0.34, 0.5, 1.0]),
        spread_penalty=rng.choice([0, 2, 5, 12.5, 30]),
        spread_exponent=rng.choice([1, 1.5, 2]),
    )
    return Instance(tuple(councils), tuple(specialists), tuple(requests), frozenset(declined), settings)


def feasible(inst: Instance, r: Request, s: Specialist) -> bool:
    """The hard rules, restated independently of the engine."""
    windows = sorted(s.available)
    merged = []
    for a, b in windows:
        if merged and a <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return (
        bool(r.expertise_needed & s.expertise)
        and any(a <= r.start and r.end <= b for a, b in merged)
        and (r.end - r.start).days + 1 <= SIX_MONTHS_DAYS
        and r.days_per_week <= s.days_per_week
        and r.mode in s.modes
        and r.council != s.council
        and (r.id, s.id) not in inst.declined
    )


def check_constraints(inst: Instance, pairs) -> None:
    requests = {r.id: r for r in inst.requests}
    specialists = {s.id: s for s in inst.specialists}
    councils = {c.code: c for c in inst.councils}
    assert len({r for r, _ in pairs}) == len(pairs), "a request served twice"
    assert len({s for _, s in pairs}) == len(pairs), "a specialist on two loans"
    for r, s in pairs:
        assert feasible(inst, requests[r], specialists[s]), (r, s)
        assert requests[r].council != specialists[s].council, "self-lending"
        assert (r, s) not in inst.declined
    out = Counter(specialists[s].council for _, s in pairs)
    for code, n in out.items():
        c = councils[code]
        cap = max(1, math.floor(inst.settings.cap_share * c.bank_size + 1e-9))
        assert n + c.on_loan <= cap, f"{code} lends {n} with {c.on_loan} out already, cap {cap}"


# --- optimality --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_it_matches_the_exact_milp_optimum(seed):
    inst = random_small_instance(seed)
    result = m.solve(inst)
    milp_objective, milp_pairs = m.solve_milp(inst)
    assert result.objective_units == milp_objective
    pairs = [(a.request, a.specialist) for a in result.assignments]
    check_constraints(inst, pairs)
    check_constraints(inst, milp_pairs)
    assert m.objective_units(inst, pairs) == result.objective_units == result.fit_units - result.penalty_units
    assert result.greedy.objective <= result.objective + 1e-9


def test_the_candidates_are_exactly_the_feasible_pairs():
    for seed in range(10):
        inst = random_small_instance(seed)
        table = m.CandidateTable(inst)
        found = {(c.request, c.specialist) for c in table.candidates()}
        expected = {(r.id, s.id) for r in inst.requests for s in inst.specialists if feasible(inst, r, s)}
        assert found == expected


def test_the_objective_can_be_recomputed_from_candidates_and_schedules():
    inst = random_small_instance(3)
    result = m.solve(inst)
    score = {(c.request, c.specialist): c.score_units for c in result.candidates}
    lent = Counter(a.lender for a in result.assignments)
    schedule = result.schedule_units
    recomputed = sum(score[(a.request, a.specialist)] for a in result.assignments) - sum(
        sum(schedule[code][:n]) for code, n in lent.items()
    )
    assert recomputed == result.objective_units
    for c in result.candidates:
        assert sum(c.component_units.values()) == c.score_units


# --- constraints at national scale ---------------------------------------------------------------


@pytest.fixture(scope="module")
def national():
    inst = m.generate_instance(councils=153, specialists=3000, requests=800, seed=11)
    return inst, m.solve(inst)


def test_every_constraint_holds_on_a_national_instance(national):
    inst, result = national
    pairs = [(a.request, a.specialist) for a in result.assignments]
    assert len(pairs) > 600
    check_constraints(inst, pairs)
    check_constraints(inst, list(result.greedy.pairs))
    assert {r for r, _ in result.unassigned} | {r for r, _ in pairs} == {r.id for r in inst.requests}
    assert result.objective >= result.greedy.objective
    assert len(set(Counter(a.lender for a in result.assignments))) > 100


def test_declined_pairs_are_never_proposed_again(national):
    inst, result = national
    declined = frozenset((a.request, a.specialist) for a in result.assignments[:200])
    again = m.solve(Instance(inst.councils, inst.specialists, inst.requests, declined, inst.settings))
    proposed = {(a.request, a.specialist) for a in again.assignments}
    assert not proposed & declined
    table = again.table
    candidates = {
        (inst.requests[r].id, inst.specialists[s].id)
        for r, s in zip(table.r.tolist(), table.s.tolist(), strict=True)
    }
    assert len(candidates) == len(table) > 100_000
    assert not candidates & declined
    check_constraints(again.instance, list(proposed))


# --- the spreading penalty and the cap -------------------------------------------------------------


def one_strong_council(spread_penalty: float, cap_share: float = 0.34) -> Instance:
    """Council A has three excellent specialists; B, C, D one good one each; E asks for three."""
    councils = [council("A", bank=9), council("B", bank=1), council("C", bank=1), council("D", bank=1)]
    councils.append(council("E", bank=0))
    specialists = [specialist(f"A{i}", "A", seniority=5) for i in range(3)]
    specialists += [specialist(f"{c}1", c, seniority=3) for c in "BCD"]
    requests = [request(f"R{i}", "E") for i in range(3)]
    settings = Settings(spread_penalty=spread_penalty, cap_share=cap_share)
    return Instance(tuple(councils), tuple(specialists), tuple(requests), settings=settings)


def test_without_the_penalty_one_council_lends_everything():
    result = m.solve(one_strong_council(spread_penalty=0))
    assert Counter(a.lender for a in result.assignments) == {"A": 3}


def test_the_penalty_spreads_lending_over_councils():
    inst = one_strong_council(spread_penalty=10)  # A's 2nd loan costs 10 > its 7.5-point seniority edge
    result = m.solve(inst)
    lenders = Counter(a.lender for a in result.assignments)
    assert lenders["A"] == 1 and sum(lenders.values()) == 3
    assert result.penalty_schedule["A"] == [0.0, 10.0, 20.0]
    assert result.objective_units == m.solve_milp(inst)[0]
    # Greedy takes the best scores first and leans on A.
    assert Counter(m.solve(inst).greedy.pairs[i][1][0] for i in range(3)) == {"A": 3}
    assert result.objective > result.greedy.objective
    # And the alternatives say why A's other specialists were not chosen.
    whys = [x.why_not for a in result.assignments for x in a.alternatives if x.lender == "A"]
    assert any("spreading penalty" in why for why in whys)


def test_the_cap_limits_how_much_of_a_bank_is_out_at_once():
    assert Settings().cap(council("X", bank=1)) == 1
    assert Settings().cap(council("X", bank=0)) == 1
    assert Settings().cap(council("X", bank=3)) == 1
    assert Settings().cap(council("X", bank=6)) == 2
    assert Settings().cap(council("X", bank=9)) == 3
    inst = one_strong_council(spread_penalty=0, cap_share=0.25)  # A: floor(0.25 x 9) = 2
    lenders = Counter(a.lender for a in m.solve(inst).assignments)
    assert lenders["A"] == 2 and sum(lenders.values()) == 3


def test_specialists_already_out_count_towards_the_cap_and_the_penalty():
    base = one_strong_council(spread_penalty=4)
    councils = tuple(council("A", bank=9, on_loan=2) if c.code == "A" else c for c in base.councils)
    inst = Instance(councils, base.specialists, base.requests, settings=base.settings)
    result = m.solve(inst)
    assert result.penalty_schedule["A"] == [8.0]  # cap 3, two out: one more, its 3rd at once
    assert Counter(a.lender for a in result.assignments)["A"] <= 1


# --- scores and explanations -----------------------------------------------------------------------


def test_the_fit_is_a_sum_of_named_components():
    councils = (council("N", lat=53.0, lon=-1.0, balance=30), council("S", lat=52.0, lon=-1.0, balance=-10))
    s = specialist(
        "S1", "N", seniority=4, expertise=("fostering", "SEND"), window=(0, 199), dpw=4, modes=("on_site",)
    )
    r = request(
        "R1",
        "S",
        needs=("fostering", "SEND", "youth justice"),
        start=0,
        days=100,
        dpw=2,
        mode="on_site",
        urgency=3,
    )
    inst = Instance(councils, (s,), (r,))
    (cand,) = m.CandidateTable(inst).candidates()
    km = 6371.0088 * math.pi / 180  # one degree of latitude
    expected = {
        "expertise": 40 * 2 / 3,
        "seniority": 15 * 3 / 4,
        "availability": 10 * (100 * 2) / (200 * 4),
        "distance": 15 * (1 - km / 300),
        "urgency": 10.0,
        "reciprocity": 10 * (1 - 10 / 60) / 2,  # the borrower's balance, not the lender's
    }
    assert cand.components == pytest.approx(expected, abs=0.0005)
    assert cand.distance_km == pytest.approx(km, abs=0.05)
    assert cand.score_units == sum(cand.component_units.values())


def test_each_proposal_explains_itself():
    inst = one_strong_council(spread_penalty=10)
    result = m.solve(inst)
    for a in result.assignments:
        assert a.specialist in a.explanation and "covers 1 of 1" in a.explanation
        assert set(a.components) == set(m.COMPONENTS)
        assert a.score == pytest.approx(sum(a.components.values()))
        assert a.considered == 6
        assert len(a.alternatives) == 3
        assert all(x.why_not for x in a.alternatives)


def test_unmatched_requests_say_why():
    inst = Instance(
        (council("A"), council("B")),
        (specialist("S1", "A"),),
        (request("R1", "B"), request("R2", "B", needs=("SEND",)), request("R3", "A")),
    )
    result = m.solve(inst)
    assert [(a.request, a.specialist) for a in result.assignments] == [("R1", "S1")]
    reasons = dict(result.unassigned)
    assert reasons["R2"].startswith("no feasible specialist")
    assert reasons["R3"].startswith("no feasible specialist")  # S1 is A's own


def test_an_empty_instance_proposes_nothing():
    result = m.solve(Instance((council("A"),), (), ()))
    assert result.assignments == () and result.objective == 0 and result.greedy.total_fit == 0


# --- bad instances ----------------------------------------------------------------------------------


def test_a_request_over_six_months_is_refused():
    with pytest.raises(ValueError, match=r"request 'R1': lasts 184 days .* six-month limit of 183 days"):
        request("R1", "A", days=184)
    request("R1", "A", days=183)  # exactly six months is fine


def test_a_request_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match=r"request 'R1': ends 2025-04-05 before it starts 2025-04-11"):
        Request("R1", "A", frozenset({"SEND"}), date(2025, 4, 11), date(2025, 4, 5), 1, "remote", 1)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: specialist("S1", "A", seniority=6),
            "specialist 'S1': seniority must be a whole number from 1 to 5",
        ),
        (lambda: specialist("S1", "A", modes=("hybrid",)), "specialist 'S1': modes must be"),
        (lambda: specialist("S1", "A", window=(10, 5)), "specialist 'S1': availability window ends"),
        (lambda: request("R1", "A", urgency=4), "request 'R1': urgency must be 1, 2 or 3"),
        (lambda: request("R1", "A", dpw=0), "request 'R1': days_per_week must be"),
        (lambda: Instance((council("A"),), (specialist("S1", "Z"),), ()), "specialist 'S1': council 'Z'"),
        (lambda: Instance((council("A"), council("A")), (), ()), "council 'A' appears 2 times"),
        (lambda: Instance((council("A", bank=0),), (specialist("S1", "A"),), ()), "bank_size 0 is smaller"),
        (
            lambda: Instance((council("A"),), (), (), frozenset({("R9", "S1")})),
            "declined pair .* no request 'R9'",
        ),
        (lambda: Settings(cap_share=0), "cap_share must be above 0"),
        (lambda: Settings(spread_exponent=0.5), "spread_exponent must be from 1 to 4"),
    ],
)
def test_bad_items_are_refused_with_a_clear_message(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# --- concentration of lending ----------------------------------------------------------------------


def test_gini_on_known_cases():
    assert m.gini([1, 1, 1, 1]) == 0
    assert m.gini([0, 0, 0, 1]) == pytest.approx(0.75)  # (n - 1) / n: one council lends everything
    assert m.gini([1, 2, 3, 4]) == pytest.approx(0.25)  # sum |xi - xj| = 20 over 2 n^2 mean = 80
    with pytest.raises(ValueError, match="every value is zero"):
        m.gini([0, 0])


def test_top_share_on_known_cases():
    assert m.top_share([4, 3, 2, 1]) == pytest.approx(0.4)  # the top 10% of 4 is one council
    assert m.top_share([5] + [0] * 19) == 1.0  # the top 2 of 20 hold everything
    assert m.top_share([1] * 20) == pytest.approx(0.1)
    assert m.top_share([1] * 11) == pytest.approx(2 / 11)  # ceil(1.1) = 2 councils


def test_concentration_by_quarter_counts_councils_that_lent_nothing():
    loans = [
        Loan("A", date(2025, 1, 1), date(2025, 3, 31)),  # 90 days in Q1
        Loan("B", date(2025, 3, 1), date(2025, 4, 30)),  # 31 in Q1, 30 in Q2
    ]
    q1, q2 = m.concentration_by_quarter(loans, ["A", "B", "C", "D"])
    assert (q1.quarter, q1.start, q1.end) == ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31))
    assert (q1.loan_days, q1.lenders, q1.councils) == (121, 2, 4)
    assert q1.top_share == pytest.approx(90 / 121)
    assert q1.gini == pytest.approx(2 * (59 + 2 * 90 + 2 * 31) / (2 * 16 * 121 / 4))
    assert (q2.quarter, q2.loan_days, q2.lenders) == ("2025-Q2", 30, 1)
    assert q2.top_share == 1.0 and q2.gini == pytest.approx(0.75)


def test_concentration_over_a_gap_reports_empty_quarters():
    loans = [Loan("A", date(2025, 1, 10), date(2025, 1, 20)), Loan("A", date(2025, 10, 1), date(2025, 10, 2))]
    report = m.concentration_by_quarter(loans, ["A", "B"])
    assert [q.quarter for q in report] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert report[1].gini is None and report[1].top_share is None and report[1].loan_days == 0
    with pytest.raises(ValueError, match="'Z': not among the councils"):
        m.concentration_by_quarter([Loan("Z", date(2025, 1, 1), date(2025, 1, 2))], ["A"])


def test_the_penalty_lowers_concentration_on_a_national_instance():
    base = m.generate_instance(councils=153, specialists=1500, requests=500, seed=5)
    codes = [c.code for c in base.councils]

    def gini_of(spread_penalty):
        inst = Instance(
            base.councils, base.specialists, base.requests, settings=Settings(spread_penalty=spread_penalty)
        )
        result = m.solve(inst)
        lent = Counter(a.lender for a in result.assignments)
        return m.gini([lent[c] for c in codes])

    assert gini_of(5) < gini_of(0)
