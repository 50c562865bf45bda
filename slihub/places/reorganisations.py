"""Local government reorganisations that changed children's services authorities.

A reviewed table, not a data file: no published file states who succeeded whom.
DfE 3-digit codes survive renaming (North Yorkshire 815, Somerset 933 kept
theirs when their ONS codes changed in 2023), so statistics are joined on them;
a series published under a former authority's code attaches to its successors
through `successors_of`.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FormerAuthority:
    code: str  # DfE 3-digit code
    ons_code: str
    name: str  # as DfE's tables name it
    la_type: str
    region_code: str


@dataclass(frozen=True)
class Reorganisation:
    effective: date
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    note: str


FORMER_AUTHORITIES = (
    FormerAuthority("835", "E10000009", "Dorset (Pre LG)", "SC", "E12000009"),
    FormerAuthority("836", "E06000029", "Poole (Pre LG)", "UA", "E12000009"),
    FormerAuthority("837", "E06000028", "Bournemouth (Pre LG)", "UA", "E12000009"),
    FormerAuthority("928", "E10000021", "Northamptonshire", "SC", "E12000004"),
    FormerAuthority("909", "E10000006", "Cumbria", "SC", "E12000002"),
)

REORGANISATIONS = (
    Reorganisation(
        date(2019, 4, 1),
        predecessors=("835", "836", "837"),
        successors=("838", "839"),
        note="Dorset County Council and the unitary councils of Bournemouth and Poole were replaced by "
        "Dorset Council and Bournemouth, Christchurch and Poole Council.",
    ),
    Reorganisation(
        date(2021, 4, 1),
        predecessors=("928",),
        successors=("940", "941"),
        note="Northamptonshire County Council was replaced by North Northamptonshire and "
        "West Northamptonshire councils.",
    ),
    Reorganisation(
        date(2023, 4, 1),
        predecessors=("909",),
        successors=("942", "943"),
        note="Cumbria County Council was replaced by Cumberland and Westmorland and Furness councils.",
    ),
)

# ONS codes that changed while the authority (and its DfE code) carried on.
FORMER_ONS_CODES = {
    "E10000023": ("815", date(2023, 4, 1)),  # North Yorkshire became a unitary council
    "E10000027": ("933", date(2023, 4, 1)),  # Somerset became a unitary council
}


def successors_of(code: str) -> tuple[str, ...]:
    """The current authorities that took over `code`'s area, following chains; () if it is current."""
    for reorganisation in REORGANISATIONS:
        if code in reorganisation.predecessors:
            return tuple(
                current
                for successor in reorganisation.successors
                for current in successors_of(successor) or (successor,)
            )
    return ()


def predecessors_of(code: str) -> tuple[str, ...]:
    """The former authorities whose area `code` took over, nearest first."""
    found: list[str] = []
    for reorganisation in REORGANISATIONS:
        if code in reorganisation.successors:
            for former in reorganisation.predecessors:
                found += [former, *predecessors_of(former)]
    return tuple(found)


def current_codes_for(code: str, on: date) -> tuple[str, ...]:
    """The authorities a statistic published under `code` belongs to on `on`.

    Before its reorganisation a former authority is itself; after it, its successors.
    """
    for reorganisation in REORGANISATIONS:
        if code in reorganisation.predecessors and on >= reorganisation.effective:
            return tuple(c for s in reorganisation.successors for c in current_codes_for(s, on))
    return (code,)
