"""`slihub evidence pool` end to end: the console script in a subprocess, on metafor's dat.bcg.

The expected numbers are metafor's published REML results, read from ../shared/data/meta.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
META_DIR = REPO.parent / "shared/data/meta"
BCG_CSV = META_DIR / "dat_bcg.csv"
SLIHUB = Path(sys.executable).with_name("slihub")

pytestmark = pytest.mark.skipif(
    not BCG_CSV.exists(), reason=f"metafor reference data not found in {META_DIR}"
)

RR_ARGS = ["--measure", "RR", "--ai", "tpos", "--bi", "tneg", "--ci", "cpos", "--di", "cneg"]
KEYS = {"estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "I2", "H2", "Q", "Q_p", "k"}


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SLIHUB_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(SLIHUB), "evidence", "pool", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def published(ref_id: str) -> dict:
    refs = json.loads((META_DIR / "dat_bcg.json").read_text())["reference_results"]
    return next(r["values"] for r in refs if r["id"] == ref_id)


def test_json_output_matches_metafor_published_reml(tmp_path):
    proc = run(tmp_path, "--csv", str(BCG_CSV), *RR_ARGS, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == KEYS
    ref = published("RR_RE_REML")
    for key in ("estimate", "se", "ci_lb", "ci_ub", "tau2", "Q"):
        assert out[key] == pytest.approx(ref[key], abs=2e-4), key
    assert out["I2"] == pytest.approx(ref["I2_pct"], abs=0.05)
    assert out["H2"] == pytest.approx(ref["H2"], abs=0.005)
    assert out["Q_p"] < ref["Q_p_lt"]
    assert out["k"] == 13
    pred = published("RR_RE_REML_predict_log")
    assert out["pi_lb"] == pytest.approx(pred["pi_lb"], abs=0.005)
    assert out["pi_ub"] == pytest.approx(pred["pi_ub"], abs=0.005)


def test_given_yi_vi_and_other_methods(tmp_path):
    csv = tmp_path / "given.csv"
    csv.write_text("study,g,v\nA,0.1,0.02\nB,0.5,0.03\nC,-0.2,0.05\nD,0.8,0.04\n")
    proc = run(
        tmp_path, "--csv", str(csv), "--yi", "g", "--vi", "v", "--method", "DL", "--test", "knha", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["k"] == 4


def test_text_output_lists_every_figure(tmp_path):
    proc = run(tmp_path, "--csv", str(BCG_CSV), *RR_ARGS, "--method", "EE")
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(None, 1) for line in proc.stdout.strip().splitlines())
    assert set(lines) == KEYS
    assert float(lines["estimate"]) == pytest.approx(published("RR_EE")["estimate"], abs=5e-5)


@pytest.mark.parametrize(
    ("make_csv", "args", "message"),
    [
        (None, ["--ai", "tposx", "--bi", "tneg", "--ci", "cpos", "--di", "cneg", "--measure", "RR"], "tposx"),
        (
            "study,yi,vi\nA,0.1,0.02\nB,abc,0.03\n",
            ["--yi", "yi", "--vi", "vi"],
            "line 3: column 'yi' has 'abc'",
        ),
        ("study,yi,vi\nA,0.1,0.02\nB,,0.03\n", ["--yi", "yi", "--vi", "vi"], "not a number"),
        ("study,yi,vi\nA,0.1,0.02\n", ["--yi", "yi", "--vi", "vi"], "at least two studies"),
        ("study,yi,vi\n", ["--yi", "yi", "--vi", "vi"], "at least two studies"),
        ("study,yi,vi\nA,0.1,0.02\nB,0.2,0.03\n", ["--yi", "yi"], "needs --vi"),
        (None, ["--measure", "RR", "--ai", "tpos"], "needs --bi --ci --di"),
        ("study,yi,vi\nA,0.1,0.02\nB,0.2,-1\n", ["--yi", "yi", "--vi", "vi"], "vi must be positive"),
    ],
)
def test_bad_input_exits_with_status_2_and_a_clear_message(tmp_path, make_csv, args, message):
    if make_csv is None:
        path = BCG_CSV
    else:
        path = tmp_path / "studies.csv"
        path.write_text(make_csv)
    proc = run(tmp_path, "--csv", str(path), *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_exits_with_status_2(tmp_path):
    proc = run(tmp_path, "--csv", str(tmp_path / "nope.csv"), "--yi", "yi", "--vi", "vi")
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr
