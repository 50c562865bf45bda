"""Statistical disclosure control for a table of counts (regions by answers), as DfE publishes them.

The table is held *extended*: R region rows and C answer columns of cells, then a last column of row
totals, a last row of column totals and, in the corner, the England total. Every line of the extended
table says "the first entries add up to the last one": row i (cells plus its total), column j (cells
plus its total), the row of column totals (they add up to England) and the column of row totals (ditto).

Primary suppression: any entry, cell or total, of 1 to threshold - 1 (default 1 to 4) is shown as `c`.
0 is shown as 0, so a `c` never stands for 0: a reader knows every `c` is at least 1.

Secondary suppression: a `c` must not be recoverable from what is shown. Its feasible range is the
least and the most it can be given everything published: minimise and maximise it by linear
programming (HiGHS) over the unknown entries, each at least 1, every line adding up. The lines of a
two-way table with its margins form a transportation problem, whose constraint matrix is totally
unimodular, so the bounds are whole numbers and the relaxation loses nothing. A `c` is protected when
its range is at least `protection` wide (max - min >= protection, default 1: at least two values are
possible). Suppression proceeds, deterministically:

1. primary suppression;
2. the quick rule: while some line holds exactly one `c`, also hide that line's smallest non-zero shown
   entry (cells before totals, then by count, then by position) - otherwise subtraction along that
   line gives it away;
3. the exact rule: while some `c` (in row-major order) has too narrow a range, hide the shown non-zero
   entry of its row or column that protects it on its own (cells before totals, smallest count first);
   if none does alone, hide the smallest such cell anyway (the next rounds complete the rectangle);
   entries further away are the last resort.

Zeros are never hidden (they would make `c` ambiguous with 0). Entries the reader knows already from
elsewhere (`known`: a region's number of councils beside its responses) are never hidden either: the
rules protect each `c` with other entries. When everything that could be hidden is and a `c` is still
too narrow (only in tiny tables), `safe` is False and the table is published with every entry as `c`.
Everything here is plain Python and NumPy/SciPy, no Django.
"""

import math
import statistics
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

DEFAULT_THRESHOLD = 5
DEFAULT_PROTECTION = 1
SUPPRESSED = "c"


@dataclass
class Suppression:
    """A table's counts and which entries are hidden. Extended arrays are (R+1) x (C+1)."""

    values: np.ndarray  # the counts with all totals, int
    hidden: np.ndarray  # bool: shown as `c`
    primary: np.ndarray  # bool: hidden because the count itself is 1 to threshold - 1
    threshold: int
    protection: int
    ranges: dict = field(default_factory=dict)  # (i, j) -> (min, max) of each hidden entry

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.values.shape
        return rows - 1, columns - 1

    def published(self) -> list[list]:
        """The extended table as published: ints, and SUPPRESSED where hidden (everywhere if not safe)."""
        return _published(self.values, self.hidden if self.safe else np.ones(self.values.shape, dtype=bool))

    @property
    def secondary(self) -> np.ndarray:
        return self.hidden & ~self.primary

    @property
    def safe(self) -> bool:
        """Every `c` is protected. False only when everything that could be hidden is, and some `c` is
        still too narrow (a tiny table, or totals fixed by other tables): then withhold the table."""
        return all(_wide_enough(span, self.protection) for span in self.ranges.values())


def extend(counts) -> np.ndarray:
    """The counts (R x C) with a column of row totals, a row of column totals and the grand total."""
    cells = np.asarray(counts, dtype=np.int64).reshape(len(counts), -1 if len(counts) else 0)
    if (cells < 0).any():
        raise ValueError("counts must not be negative")
    rows, columns = cells.shape
    table = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    table[:rows, :columns] = cells
    table[:rows, columns] = cells.sum(axis=1)
    table[rows, :columns] = cells.sum(axis=0)
    table[rows, columns] = cells.sum()
    return table


def _lines(rows: int, columns: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Each line of the extended table: (the entries that add up, the entry they add up to)."""
    lines = [([(i, j) for j in range(columns)], (i, columns)) for i in range(rows + 1)]
    lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(columns + 1)]
    return lines


def feasible_ranges(published, targets=None) -> dict[tuple[int, int], tuple[int, float]]:
    """The least and most each `c` can be, given the published extended table.

    `published` is (R+1) x (C+1): cells, then totals, with SUPPRESSED (or None) where hidden. Every
    hidden entry is at least 1 (0 is always shown). `targets`: only these entries (default all
    hidden). The max is math.inf when nothing shown bounds the entry."""
    return dict(_ranges(published, targets))


def _ranges(published, targets=None):
    """(entry, (least, most)) for each target in turn, so that a caller can stop at the first it needs."""
    rows, columns = len(published) - 1, len(published[0]) - 1
    unknown = [
        (i, j)
        for i in range(rows + 1)
        for j in range(columns + 1)
        if published[i][j] is None or published[i][j] == SUPPRESSED
    ]
    if not unknown:
        return
    index = {entry: k for k, entry in enumerate(unknown)}
    equations, constants = [], []
    for parts, total in _lines(rows, columns):
        row = np.zeros(len(unknown))
        constant = 0.0
        for sign, entry in [(1, part) for part in parts] + [(-1, total)]:
            if entry in index:
                row[index[entry]] += sign
            else:
                constant -= sign * published[entry[0]][entry[1]]
        if row.any():
            equations.append(row)
            constants.append(constant)
    a_eq = np.array(equations) if equations else None
    b_eq = np.array(constants) if equations else None
    bounds = [(1, None)] * len(unknown)
    for entry in targets if targets is not None else unknown:
        objective = np.zeros(len(unknown))
        objective[index[entry]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 2:
            raise ValueError("the published table is inconsistent (no counts fit it)")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        # The lines form a transportation problem (totally unimodular), so the optima are whole numbers.
        yield entry, (round(low.fun), math.inf if high.status == 3 else round(-high.fun))


def _published(values: np.ndarray, hidden: np.ndarray) -> list[list]:
    return [
        [SUPPRESSED if hide else int(value) for value, hide in zip(row, hidden_row, strict=True)]
        for row, hidden_row in zip(values, hidden, strict=True)
    ]


def _order(entry: tuple[int, int], values: np.ndarray) -> tuple:
    """Which shown entry to hide first: cells, then row/column totals, then England; then smallest."""
    rows, columns = values.shape[0] - 1, values.shape[1] - 1
    i, j = entry
    kind = (i == rows) + (j == columns)
    return (kind, int(values[i, j]), i, j)


def _candidates(values, hidden, entries, known) -> list[tuple[int, int]]:
    shown = [entry for entry in entries if not hidden[entry] and not known[entry] and values[entry] > 0]
    return sorted(set(shown), key=lambda entry: _order(entry, values))


def _wide_enough(span: tuple[int, float], protection: int) -> bool:
    least, most = span
    return most - least >= protection


def suppress(
    counts,
    threshold: int = DEFAULT_THRESHOLD,
    protection: int = DEFAULT_PROTECTION,
    known=None,
) -> Suppression:
    """Primary and secondary suppression of a regions x answers table of counts (see the module).

    `known`: a boolean (R+1) x (C+1) mask of the extended table's entries the reader knows from elsewhere
    (a region's number of councils), shown whatever their size."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    if protection < 1:
        raise ValueError("the protection must be at least 1")
    values = extend(counts)
    rows, columns = values.shape[0] - 1, values.shape[1] - 1
    known = _mask(known, values.shape)
    primary = (values >= 1) & (values < threshold) & ~known
    hidden = primary.copy()
    lines = _lines(rows, columns)

    # The quick rule: a line with a single `c` gives it away by subtraction.
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            line = parts + [total]
            if sum(bool(hidden[entry]) for entry in line) == 1:
                options = _candidates(values, hidden, line, known)
                if options:
                    hidden[options[0]] = True
                    changed = True

    # The exact rule, checked by linear programming.
    while True:
        ranges, exposed = {}, None
        for entry, span in _ranges(_published(values, hidden)):
            ranges[entry] = span
            if not _wide_enough(span, protection):
                exposed = entry
                break
        if exposed is None:
            break
        i, j = exposed
        near = _candidates(
            values,
            hidden,
            [(i, col) for col in range(columns + 1)] + [(row, j) for row in range(rows + 1)],
            known,
        )
        choice = None
        for option in near:
            trial = hidden.copy()
            trial[option] = True
            span = feasible_ranges(_published(values, trial), targets=[exposed])[exposed]
            if _wide_enough(span, protection):
                choice = option
                break
        if choice is None:
            cells = [entry for entry in near if entry[0] < rows and entry[1] < columns]
            anywhere = _candidates(
                values, hidden, [(a, b) for a in range(rows + 1) for b in range(columns + 1)], known
            )
            fallback = cells or near or anywhere
            if not fallback:  # every non-zero entry is hidden already: nothing more can be done
                ranges = feasible_ranges(_published(values, hidden))
                break
            choice = fallback[0]
        hidden[choice] = True
    return Suppression(
        values=values,
        hidden=hidden,
        primary=primary,
        threshold=threshold,
        protection=protection,
        ranges=ranges,
    )


def _mask(mask, shape: tuple[int, int]) -> np.ndarray:
    if mask is None:
        return np.zeros(shape, dtype=bool)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != shape:
        raise ValueError(f"known must be {shape[0]} x {shape[1]}: the table with its totals")
    return mask


@dataclass(frozen=True)
class Spread:
    count: int
    lower_quartile: float
    median: float
    upper_quartile: float


def spread_if_enough(numbers, threshold: int = DEFAULT_THRESHOLD) -> Spread | None:
    """Median and quartiles of councils' numbers, or None when fewer than `threshold` answered.

    Quartiles by the inclusive method (statistics.quantiles(method="inclusive"), as a spreadsheet's
    QUARTILE.INC), so they lie within the answers given."""
    values = [float(number) for number in numbers if number is not None]
    if len(values) < max(threshold, 2):
        return None
    lower, middle, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(count=len(values), lower_quartile=lower, median=middle, upper_quartile=upper)
