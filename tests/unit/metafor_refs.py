"""Loads metafor's published reference results (../shared/data/meta) for the meta-analysis tests.

Nothing here is hand-copied: the expected numbers come from the JSON files, the inputs from the CSVs.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

META_DIR = Path(__file__).resolve().parents[2].parent / "shared/data/meta"
DATASETS = ("dat_bcg", "dat_bangertdrowns2004")
AVAILABLE = all((META_DIR / f"{name}.json").exists() for name in DATASETS)
SKIP_REASON = f"metafor reference data not found in {META_DIR}"


def load(name: str) -> dict:
    return json.loads((META_DIR / f"{name}.json").read_text())


def columns(name: str) -> dict[str, list[str]]:
    """The CSV as raw strings per column (missing values stay '')."""
    with (META_DIR / f"{name}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {key: [row[key] for row in rows] for key in rows[0]}


def numeric(values: list[str]) -> list[float]:
    return [float(v) if v.strip() else math.nan for v in values]


def shown_decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def flatten(values: dict, prefix: str = "") -> list[tuple[str, object]]:
    """{"tau2": [a, b, c], "coef": {"x": [...]}} -> [("tau2[0]", a), ..., ("coef.x[0]", ...)]."""
    out: list[tuple[str, object]] = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(flatten(value, f"{name}."))
        elif isinstance(value, list):
            out.extend((f"{name}[{i}]", item) for i, item in enumerate(value))
        else:
            out.append((name, value))
    return out
