"""One statistic published twice, read as one series.

LAIT republishes some of DfE's statistics that DfE's tidy files (slihub import-indicators) also
hold. Where the two are proved equal on every cell they share (tests/data/test_signal_equivalents.py:
every shared authority and England cell, more than 500 of them), a LAIT indicator is read with its
DfE twin: LAIT's cells for the periods LAIT publishes, DfE's for the periods LAIT does not hold yet
(usually the latest year, out in DfE's release before LAIT's refresh). Stored values are never
rewritten: each publisher's cells stay as published, and each point says which one it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

# LAIT's code -> DfE's tidy-file code of the same statistic. Add a pair only with the data test's proof.
PAIRS: dict[str, str] = {
    "LAC": "dfe:cla_rate_31_march",
    "ReReferral": "dfe:rereferral_percent",
    "PrevRegCPR": "dfe:cpp_subsequent_percent",
    "LACStable_2016on": "dfe:cla_3_placements_year",
    "CareLeaverAcc": "dfe:care_leavers_suitable_19_21",
    "CareLeaverEET": "dfe:care_leavers_eet_19_21",
    "Work_Force_Agecy_Rate": "dfe:sw_agency_rate",
    "Work_Force_AvgNumCase_SW": "dfe:sw_caseload",
    "Work_Force_SWAbsence": "dfe:sw_absence_rate",
    "Work_Force_TO_Rate": "dfe:sw_turnover_rate",
    "Work_Force_Vac_Rate": "dfe:sw_vacancy_rate",
    "LAC_Start_Rate": "dfe:cla_starting_rate",
    "LAC_LongStable%": "dfe:cla_long_term_stability",
    "LAC_KS4_AVG_Attain8": "dfe:ks4_attainment8_cla",
    "CIN_Refferals_NFA": "dfe:referral_nfa_percent",
    "CIN_Avg_Attain8_KS4": "dfe:ks4_attainment8_cino",
    "CINPermAbsent_3Term": "dfe:absence_persistent_cino",
    "Stability_School": "dfe:cla_school_midyear_move",
}
LAIT_OF: dict[str, str] = {dfe: lait for lait, dfe in PAIRS.items()}

LAIT = "LAIT"
DFE = "DfE statistics"

T = TypeVar("T")


def source_name(source: str) -> str:
    """The publisher's name as a page shows it beside a period, from Indicator.source."""
    return LAIT if source == "lait" else DFE


def stitch(primary: Mapping[int, T], filling: Mapping[int, T]) -> dict[int, tuple[T, bool]]:
    """Per year: the primary source's item, else the filling source's; True marks a filled year.

    A year the primary source holds is never filled, even when its cell is suppressed: the
    publisher's marker is the figure of that year, and DfE's number for it is the same
    (suppressed) statistic, so showing it would undo LAIT's suppression."""
    years = sorted(primary.keys() | filling.keys())
    return {y: (primary[y], False) if y in primary else (filling[y], True) for y in years}


@dataclass(frozen=True)
class Point:
    period: str  # the label as its publisher gives it
    end_year: int
    value: float | None
    status: str  # the publisher's marker, '' for a number
    source: str  # LAIT or DFE


def sources_text(points: Iterable[tuple[str, str]]) -> str:
    """'2019 to 2023 from LAIT; 2024 from DfE statistics' from (period, source) pairs, oldest first."""
    runs: list[list] = []
    for period, source in points:
        if runs and runs[-1][0] == source:
            runs[-1][2] = period
        else:
            runs.append([source, period, period])
    return "; ".join(f"{a} from {s}" if a == b else f"{a} to {b} from {s}" for s, a, b in runs)
