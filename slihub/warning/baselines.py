"""The two simple references the early-warning model is measured against, as one figure each.

Both are fixed in advance, not fitted to the test years: the previous overall grade on Ofsted's
four-point scale (0 Outstanding to 3 Inadequate; Good before a first ILACS inspection), and a
points score that adds to it one point for each signal with a direction (re-referrals, agency staff,
care leavers in suitable accommodation...) whose latest figure is worse than its comparator.
"""

from slihub.warning.features import Snapshot, is_worse

PREVIOUS_GRADE, POINTS = "baseline:previous_grade", "baseline:points"
GRADE_POINTS = {"Outstanding": 0, "Good": 1, "Requires improvement to be good": 2, "Inadequate": 3}
UNINSPECTED_POINTS = 1  # a council not yet inspected under ILACS counts as Good


def previous_grade(snap: Snapshot) -> float:
    last = snap.last_inspection
    return float(GRADE_POINTS[last.overall] if last else UNINSPECTED_POINTS)


def points(snap: Snapshot) -> float:
    worse = sum(is_worse(feature, snap) is True for feature in snap.values if ":" in feature)
    return previous_grade(snap) + worse


def as_order(score: float) -> float:
    """A score of 0 or more mapped into [0, 1) with its order kept: what the rank metrics read."""
    return score / (1 + score)


def with_baselines(snap: Snapshot) -> Snapshot:
    """The snapshot with both references among its values (never among the model's features)."""
    if POINTS not in snap.values:
        snap.values[PREVIOUS_GRADE] = previous_grade(snap)
        snap.values[POINTS] = points(snap)
    return snap
