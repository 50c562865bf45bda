"""`slihub exchange match`, run as a user runs it: the console script in a subprocess, no database."""

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from slihub.exchange.instances import InstanceError, read_instance

REPO = Path(__file__).resolve().parents[2]
SLIHUB = Path(sys.executable).with_name("slihub")
FIXTURE = REPO / "tests" / "fixtures" / "exchange_instance_small.json"


def run(*args, var_dir):
    env = {**os.environ, "SLIHUB_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(SLIHUB), "exchange", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
    )


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def output(var_dir):
    done = run("match", "--instance", str(FIXTURE), "--json", var_dir=var_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def units(x: float) -> int:
    """Scores and penalties are multiples of 0.001: whole numbers of thousandths."""
    return round(x * 1000)


def test_it_prints_the_proposals_as_json(output):
    assert set(output) >= {
        "assignments",
        "total_fit",
        "objective",
        "greedy_total_fit",
        "candidates",
        "penalty_schedule",
    }
    proposals = {a["request"]: a["specialist"] for a in output["assignments"]}
    assert proposals == {"R1": "S1", "R2": "S2", "R3": "S4", "R4": "S6"}
    for a in output["assignments"]:
        assert set(a) >= {
            "request",
            "specialist",
            "lender",
            "borrower",
            "score",
            "components",
            "alternatives",
        }
        assert a["specialist"] in a["explanation"]
        assert units(a["score"]) == sum(units(v) for v in a["components"].values())
        assert a["lender"] != a["borrower"]
    assert [u["request"] for u in output["unassigned"]] == ["R5"]
    assert output["unassigned"][0]["reason"].startswith("no feasible specialist")
    # Leeds: cap 3 of 9 with one already out, so this run's loans are its 2nd and 3rd at once.
    assert output["penalty_schedule"]["383"] == [5.0, 10.0]
    assert output["penalty_schedule"]["352"] == [0.0]
    assert output["greedy_total_fit"] == pytest.approx(output["total_fit"])


def test_the_declined_pair_is_not_a_candidate(output):
    pairs = {(c["request"], c["specialist"]) for c in output["candidates"]}
    assert ("R3", "S3") not in pairs
    assert all(c["lender"] != c["borrower"] for c in output["candidates"])


def test_the_objective_can_be_recomputed_from_the_printed_candidates_and_schedules(output):
    score = {(c["request"], c["specialist"]): units(c["score"]) for c in output["candidates"]}
    lender = {c["specialist"]: c["lender"] for c in output["candidates"]}
    schedule = {code: [units(x) for x in costs] for code, costs in output["penalty_schedule"].items()}

    def objective(pairs):
        lent = Counter(lender[s] for _, s in pairs)
        return sum(score[p] for p in pairs) - sum(sum(schedule[code][:n]) for code, n in lent.items())

    printed = [(a["request"], a["specialist"]) for a in output["assignments"]]
    assert objective(printed) == units(output["objective"])
    assert units(output["total_fit"]) - units(output["spreading_penalty"]) == units(output["objective"])

    # And no other plan does better: every set of candidates that respects the rules, by brute force.
    best = 0
    candidates = sorted(score)
    for size in range(1, len(output["assignments"]) + 2):
        for plan in itertools.combinations(candidates, size):
            requests, specialists = Counter(r for r, _ in plan), Counter(s for _, s in plan)
            lent = Counter(lender[s] for _, s in plan)
            if max(requests.values()) > 1 or max(specialists.values()) > 1:
                continue
            if any(n > len(schedule[code]) for code, n in lent.items()):
                continue
            best = max(best, objective(plan))
    assert best == units(output["objective"])


def test_it_prints_a_readable_report(var_dir):
    done = run("match", "--instance", str(FIXTURE), var_dir=var_dir)
    assert done.returncode == 0, done.stderr
    assert "R1 (908) <- S1 from 383" in done.stdout
    assert "R5: not matched: no feasible specialist" in done.stdout
    assert "Requests matched: 4 of 5" in done.stdout
    assert "Greedy baseline" in done.stdout


def test_without_an_instance_it_matches_the_database_and_asks_for_migrations_first(tmp_path):
    # (Matching against a migrated database: tests/integration/test_exchange_services.py.)
    done = run("match", "--dry-run", var_dir=tmp_path)
    assert done.returncode == 2
    assert "needs a migrated database" in done.stderr and "slihub migrate" in done.stderr
    assert done.stdout == ""


def test_dry_run_is_refused_with_an_instance(var_dir):
    done = run("match", "--instance", str(FIXTURE), "--dry-run", var_dir=var_dir)
    assert done.returncode == 2 and "--instance never stores" in done.stderr


def bad_instance(tmp_path, change):
    document = json.loads(FIXTURE.read_text())
    change(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set(["requests", 1, "end"], "2026-01-31"),
            "requests[1]: request 'R2': lasts 244 days (2025-06-02 to 2026-01-31), over the six-month limit",
        ),
        (
            _set(["requests", 0, "end"], "2025-04-01"),
            "requests[0]: request 'R1': ends 2025-04-01 before it starts",
        ),
        (_set(["requests", 2, "council"], "999"), "request 'R3': council '999' is not among the councils"),
        (_set(["specialists", 0, "seniority"], 7), "specialists[0]: specialist 'S1': seniority must be"),
        (
            _set(["specialists", 3, "available"], [["2025-04-31", "2025-06-01"]]),
            "specialists[3] (id 'S4'): available[0]",
        ),
        (_set(["specialists", 1, "expertize"], ["x"]), "specialists[1] (id 'S2'): unknown field 'expertize'"),
        (_set(["councils", 2, "lat"], "north"), "councils[2] (code '352'): lat must be a number"),
        (_set(["declined"], [["R3"]]), "declined[0]: must be a pair"),
        (_set(["declined"], [["R3", "S99"]]), "no specialist 'S99'"),
        (_set(["settings", "cap_share"], 2), "settings: cap_share must be above 0 and at most 1"),
        (lambda d: d.pop("requests"), "'requests' must be a list, and it is missing"),
    ],
)
def test_a_bad_instance_is_refused_naming_the_item(tmp_path, change, message):
    # The same reader the command uses, in-process (a subprocess per case would be slow).
    with pytest.raises(InstanceError) as refused:
        read_instance(bad_instance(tmp_path, change))
    assert message in str(refused.value)
    assert str(refused.value).startswith(f"{tmp_path / 'bad.json'}: ")


def test_a_bad_instance_exits_with_status_2_and_changes_nothing(tmp_path, var_dir):
    path = bad_instance(tmp_path, _set(["requests", 1, "end"], "2026-01-31"))
    done = run("match", "--instance", str(path), "--json", var_dir=var_dir)
    assert done.returncode == 2, done.stdout
    assert "requests[1]: request 'R2': lasts 244 days (2025-06-02 to 2026-01-31)" in done.stderr
    assert "six-month limit of 183 days including extensions" in done.stderr
    assert "Nothing was matched." in done.stderr
    assert done.stdout == ""


def test_unreadable_files_are_refused_with_exit_status_2(tmp_path, var_dir):
    broken = tmp_path / "broken.json"
    broken.write_text('{"councils": [\n  {"code": "202",}\n]}')
    done = run("match", "--instance", str(broken), var_dir=var_dir)
    assert done.returncode == 2
    assert "not valid JSON at line 2, column" in done.stderr
    done = run("match", "--instance", str(tmp_path / "missing.json"), var_dir=var_dir)
    assert done.returncode == 2 and "missing.json: no such file" in done.stderr
