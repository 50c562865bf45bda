"""Pooling effect sizes from a CSV file: the reading and checking behind `slihub evidence pool`.

Framework-free so it can be tested and reused without Django: ``pool_csv`` returns the headline
numbers of a meta-analysis (slihub.stats.meta_analysis) as a plain dict, and raises ``PoolingError``
(a ValueError) with a message fit to show a person when a column is missing, a cell is not a number,
or there are fewer than two studies.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from pathlib import Path

from slihub.stats import effect_sizes, meta_analysis

#: the keys of ``pool_csv``'s result, in printing order
OUTPUT_KEYS = ("estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "I2", "H2", "Q", "Q_p", "k")

#: the columns each input form needs, by the escalc argument they feed
MEASURE_COLUMNS = {
    "OR": ("ai", "bi", "ci", "di"),
    "RR": ("ai", "bi", "ci", "di"),
    "SMD": ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),
    "MD": ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),
    "ZCOR": ("ri", "ni"),
}


class PoolingError(ValueError):
    """Bad input for pooling: the message says what and where."""


def read_numeric_columns(path: Path | str, columns: Mapping[str, str]) -> dict[str, list[float]]:
    """Reads the named CSV columns as numbers: ``columns`` maps a role (e.g. "yi") to a header.

    Raises PoolingError for an unreadable file, a missing column, or a blank/non-numeric cell
    (reported with its CSV line number).
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [name for name in columns.values() if name not in header]
            if missing:
                available = ", ".join(header) if header else "none"
                raise PoolingError(
                    f"{path.name}: no column named {', '.join(repr(m) for m in missing)} "
                    f"(columns: {available})"
                )
            values: dict[str, list[float]] = {role: [] for role in columns}
            for row in reader:
                line = reader.line_num
                for role, name in columns.items():
                    cell = (row.get(name) or "").strip()
                    try:
                        number = float(cell)
                    except ValueError:
                        raise PoolingError(
                            f"{path.name} line {line}: column {name!r} has {cell!r}, which is not a number"
                        ) from None
                    if not math.isfinite(number):
                        raise PoolingError(
                            f"{path.name} line {line}: column {name!r} has {cell!r}, not a finite number"
                        )
                    values[role].append(number)
    except OSError as exc:
        raise PoolingError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise PoolingError(f"{path.name} is not a UTF-8 text file") from exc
    return values


def _require_two(path: Path | str, k: int) -> None:
    if k < 2:
        raise PoolingError(f"{Path(path).name}: at least two studies are needed to pool, found {k}")


def effect_sizes_from_csv(
    path: Path | str, *, measure: str | None = None, columns: Mapping[str, str]
) -> effect_sizes.EffectSizes:
    """yi/vi from a CSV: given directly (``measure=None``, columns "yi" and "vi") or computed from the
    raw columns a measure needs (see MEASURE_COLUMNS)."""
    if measure is None:
        data = read_numeric_columns(path, {"yi": columns["yi"], "vi": columns["vi"]})
        return effect_sizes.EffectSizes(yi=data["yi"], vi=data["vi"], measure="GEN")
    if measure not in MEASURE_COLUMNS:
        raise PoolingError(f"unknown measure {measure!r}: use one of {', '.join(MEASURE_COLUMNS)}")
    needed = {role: columns[role] for role in MEASURE_COLUMNS[measure]}
    data = read_numeric_columns(path, needed)
    _require_two(path, len(next(iter(data.values()))))
    compute = {
        "OR": effect_sizes.log_odds_ratio,
        "RR": effect_sizes.log_risk_ratio,
        "SMD": effect_sizes.smd,
        "MD": effect_sizes.md,
        "ZCOR": effect_sizes.fisher_z,
    }[measure]
    try:
        return compute(*(data[role] for role in MEASURE_COLUMNS[measure]))
    except ValueError as exc:
        raise PoolingError(f"{Path(path).name}: {exc}") from exc


def pool_csv(
    path: Path | str,
    *,
    columns: Mapping[str, str],
    measure: str | None = None,
    method: str = "REML",
    test: str = "z",
) -> dict[str, float | int]:
    """Pools the studies in a CSV and returns OUTPUT_KEYS -> value (I2 in percent)."""
    sizes = effect_sizes_from_csv(path, measure=measure, columns=columns)
    _require_two(path, len(sizes.yi))
    try:
        result = meta_analysis.meta_analysis(sizes.yi, sizes.vi, method=method, test=test, tau2_ci=False)
    except (ValueError, ArithmeticError) as exc:
        raise PoolingError(f"{Path(path).name}: {exc}") from exc
    values = result.as_dict()
    return {key: values[key] for key in OUTPUT_KEYS}
