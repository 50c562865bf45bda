"""bench/compare_d2i.py without the Data to Insight package: it skips with a clear message, and the hub's
half (the upload path's parser and counts, then the engine) runs on synthetic files."""

import importlib.util
from pathlib import Path

from tests.ssda903_files import returns

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "compare_d2i.py"


def load():
    spec = importlib.util.spec_from_file_location("compare_d2i", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_the_package_it_says_how_to_install_it_and_exits_0(monkeypatch, capsys):
    compare = load()
    monkeypatch.setattr(compare, "find_d2i", lambda given: None)
    monkeypatch.setattr("sys.argv", ["compare_d2i.py"])
    assert compare.main() == 0
    out = capsys.readouterr().out
    assert "skipped: cs-demand-model is not installed" in out and "pip install cs-demand-model==0.5.1" in out


def test_the_hubs_half_reads_the_files_as_an_upload_does_and_forecasts(tmp_path):
    headers, episodes = returns((2022, 2023, 2024, 2025))
    for name, content in headers + episodes:
        (tmp_path / name).write_bytes(content)
    ours = load().our_part(tmp_path)
    assert [r["year"] for r in ours["rows"]] == [2021, 2022, 2023, 2024, 2025]
    assert ours["origin"] == 2025 and [h["year"] for h in ours["forecast"]] == [2026, 2027, 2028]
    assert abs(sum(ours["shares"]["by_placement"].values()) - 1) < 1e-9
    assert abs(sum(ours["shares"]["by_age"].values()) - 1) < 1e-9
