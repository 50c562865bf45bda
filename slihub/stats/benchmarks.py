"""Benchmarking figures for the progress maps: ranks, quartile bands, trends, group means.

Pure NumPy, no Django. Missing or suppressed values are NaN: they are never ranked,
banded or averaged, and a trend needs every value of its window.

Polarity is 'high' (higher is better), 'low' (lower is better) or 'none'.
- Ranks: 1 is the best (the highest value when polarity is 'none'); ties share the
  lowest rank of their group ('min' ranking: 1, 2, 2, 4).
- Quartile bands: the quartiles Q1, Q2, Q3 of the values present (linear interpolation,
  NumPy's default); with 'high', A is >= Q3, B >= Q2, C >= Q1, D below; with 'low' the
  mirror image (A is <= Q1). A value on a boundary goes to the better band. 'none' has no bands.
- Trends over a window of n consecutive periods ending at a period: the least-squares
  slope over positions 0..n-1; the fitted change across the window (slope x (n-1)) is
  'stable' when its size is at most TREND_TOLERANCE (5%) of the window's mean absolute
  value, else improving or declining as polarity says ('rising'/'falling' for 'none').
"""

import numpy as np

TREND_TOLERANCE = 0.05
HIGH, LOW, NONE = "high", "low", "none"


def _check(polarity: str) -> None:
    if polarity not in (HIGH, LOW, NONE):
        raise ValueError(f"polarity must be high, low or none, not {polarity!r}")


def as_array(values) -> np.ndarray:
    """Floats with None as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def ranks(values, polarity: str) -> np.ndarray:
    """Rank of each value among those present (1 = best), NaN for a missing value."""
    _check(polarity)
    data = as_array(values) if not isinstance(values, np.ndarray) else values.astype(float)
    out = np.full(data.shape, np.nan)
    present = ~np.isnan(data)
    if not present.any():
        return out
    keyed = data[present] if polarity == LOW else -data[present]
    # min ranking: 1 + the number of values strictly better
    ordered = np.sort(keyed)
    out[present] = np.searchsorted(ordered, keyed, side="left") + 1
    return out


def quartile_bands(values, polarity: str) -> list[str]:
    """'A'..'D' for each value (A best), '' for a missing value or when polarity is 'none'."""
    _check(polarity)
    data = as_array(values) if not isinstance(values, np.ndarray) else values.astype(float)
    present = ~np.isnan(data)
    if polarity == NONE or not present.any():
        return [""] * len(data)
    q1, q2, q3 = np.percentile(data[present], [25, 50, 75])
    bands = []
    for value in data:
        if np.isnan(value):
            bands.append("")
        elif polarity == HIGH:
            bands.append("A" if value >= q3 else "B" if value >= q2 else "C" if value >= q1 else "D")
        else:
            bands.append("A" if value <= q1 else "B" if value <= q2 else "C" if value <= q3 else "D")
    return bands


def changes(matrix: np.ndarray) -> np.ndarray:
    """Change since the previous period along the last axis (NaN in the first period or if missing)."""
    matrix = np.asarray(matrix, dtype=float)
    out = np.full(matrix.shape, np.nan)
    out[..., 1:] = matrix[..., 1:] - matrix[..., :-1]
    return out


def trend_labels(matrix: np.ndarray, window: int, polarity: str, tolerance: float = TREND_TOLERANCE):
    """Trend of each (row, period) over the `window` periods ending there: an array of labels.

    '' where the window is incomplete (too early, or a value missing or suppressed)."""
    _check(polarity)
    if window < 2:
        raise ValueError("a trend needs a window of at least two periods")
    matrix = np.atleast_2d(np.asarray(matrix, dtype=float))
    rows, columns = matrix.shape
    labels = np.full(matrix.shape, "", dtype=object)
    if columns < window:
        return labels
    positions = np.arange(window, dtype=float)
    centred = positions - positions.mean()
    # windows[:, j, :] holds the values of periods j .. j + window - 1
    windows = np.lib.stride_tricks.sliding_window_view(matrix, window, axis=1)
    complete = ~np.isnan(windows).any(axis=2)
    with np.errstate(invalid="ignore"):
        slopes = (windows * centred).sum(axis=2) / (centred**2).sum()
        fitted_change = slopes * (window - 1)
        scale = np.abs(windows).mean(axis=2)
    stable = np.abs(fitted_change) <= tolerance * scale
    up = fitted_change > 0
    if polarity == HIGH:
        up_label, down_label = "improving", "declining"
    elif polarity == LOW:
        up_label, down_label = "declining", "improving"
    else:
        up_label, down_label = "rising", "falling"
    judged = np.where(stable, "stable", np.where(up, up_label, down_label)).astype(object)
    judged[~complete] = ""
    labels[:, window - 1 :] = judged
    return labels


def trend(values, polarity: str, tolerance: float = TREND_TOLERANCE) -> str:
    """The trend of one series over all its values (oldest first): '' if any is missing."""
    data = as_array(values)
    return str(trend_labels(data[np.newaxis, :], len(data), polarity, tolerance)[0, -1])


def group_means(matrix: np.ndarray, groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """For each group of row indices, the mean over its rows of each column, ignoring NaN.

    Returns (means, counts): NaN mean where no member has a value."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=float))
    membership = np.zeros((len(groups), matrix.shape[0]))
    for index, members in enumerate(groups):
        membership[index, members] = 1.0
    present = ~np.isnan(matrix)
    sums = membership @ np.where(present, matrix, 0.0)
    counts = membership @ present.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return means, counts.astype(int)
