"""Runs every benchmark in this folder (each bench_*.py has a main() that prints its figures).

Usage: make bench, or .venv/bin/python bench/run.py [NAME ...] to run only bench_NAME.py.
Figures are printed, never asserted: speed is measured here, not in the tests.
"""

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> None:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    for script in scripts:
        spec = importlib.util.spec_from_file_location(script.stem, script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {script.stem.removeprefix('bench_')}", flush=True)
        started = time.perf_counter()
        module.main()
        print(f"   ({time.perf_counter() - started:.1f} s in all)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
