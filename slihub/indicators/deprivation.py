"""MHCLG's English indices of deprivation 2019 for today's authorities: one edition, one file.

bengoodair_imd19.csv holds MHCLG's summaries for upper-tier authorities in 2019's geography (151
areas). Each row is joined to an authority by its ONS code, current or former (North Yorkshire's and
Somerset's county codes, Buckinghamshire's before its unitary council of 2020, which covers the same
area). Two counties were split after 2019: the councils that replaced them (North and West
Northamptonshire; Cumberland, Westmorland and Furness) have no figure of their own, so each is given
its county's, an approximation the indicator's description names. The counties keep their own
figure, as every defunct authority keeps its series.

A row whose code is no authority's, a current authority left without a figure, or one with two
predecessors' figures to choose from is refused, naming the line or the authority: the file is read
whole before anything is stored (services.load_indicator_data). No database here: the reference
data comes in as plain dictionaries.
"""

from dataclasses import dataclass
from pathlib import Path

from slihub.indicators import markers
from slihub.indicators.importers import ONS_AREA_CODE, OTHER_ONS_CODES, IndicatorRecord, ValueRecord
from slihub.sources import DataFileError, csv_rows

SOURCE = "imd2019"  # Indicator.source and ImportedSource.source
FILENAME = "bengoodair_imd19.csv"
LABEL = "2019"  # the edition: MHCLG published it on 26 September 2019, mostly from 2015/16 data
CODE, NAME = (
    "Upper Tier Local Authority District code (2019)",
    "Upper Tier Local Authority District name (2019)",
)
PUBLISHER = "MHCLG, English indices of deprivation 2019"
LINK = "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"


@dataclass(frozen=True)
class ImdMeasure:
    code: str
    column: str  # the file's column (MHCLG's headers end in a space)
    name: str
    unit: str
    decimal_places: int
    scale: float  # the stored value is the file's times this (a proportion becomes a percentage)
    bounds: tuple[float, float]  # the file's values that are possible, before scaling
    why: str


NO_DIRECTION = (
    "Neither: deprivation is the context a council works in, not its performance (higher is more deprived)."
)
MEASURES = (
    ImdMeasure(
        "mhclg:imd2019_average_score",
        "IMD - Average score ",
        "Index of multiple deprivation 2019, average score (higher is more deprived)",
        "Average score",
        1,
        1,
        (0, 100),
        NO_DIRECTION,
    ),
    ImdMeasure(
        "mhclg:imd2019_most_deprived_10_percent",
        "IMD - Proportion of LSOAs in most deprived 10% nationally ",
        "Neighbourhoods (LSOAs) among the 10% most deprived in England, 2019, %",
        "% of neighbourhoods",
        1,
        100,
        (0, 1),
        NO_DIRECTION,
    ),
)
DESCRIPTION = (
    "MHCLG's English indices of deprivation 2019, summarised for each upper-tier authority: the average "
    "score is the population-weighted mean of its neighbourhoods' (LSOAs') scores. One edition, published "
    "on 26 September 2019, in 2019's boundaries; the next edition replaces it"
)


@dataclass
class ImdFile:
    records: list[ValueRecord]
    inherited: dict[str, str]  # successor's DfE code -> the predecessor's whose figure it has
    description: str  # the indicators' description, naming the approximations

    def indicators(self) -> dict[str, IndicatorRecord]:
        return {
            m.code: IndicatorRecord(
                code=m.code,
                source=SOURCE,
                name=m.name,
                short_name=m.column.strip(),
                topic="Economic Factors",
                description=f"{self.description}.\n{m.why}",
                polarity="none",
                unit=m.unit,
                decimal_places=m.decimal_places,
                quartiles=True,
                theme="families",
                outcome="economic_wellbeing",
                publisher=PUBLISHER,
                methodology="",
                link=LINK,
                year_type="Calendar year",
            )
            for m in MEASURES
        }


def read_imd(
    path: Path,
    ons_codes: dict[str, str],
    current: set[str],
    successors: dict[str, list[str]],
    names: dict[str, str],
) -> ImdFile:
    """Today's authorities' figures from the file.

    `ons_codes`: ONS code -> DfE code, current and former codes (Buckinghamshire's county code is
    added here); `current`: the DfE codes of today's authorities; `successors`: a predecessor's DfE
    code -> its successors'; `names`: DfE code -> name, for the messages."""
    known = {**OTHER_ONS_CODES, **ons_codes}
    own: dict[str, dict[str, float]] = {}  # DfE code -> measure code -> value
    first_line: dict[str, int] = {}
    for line, row, header in csv_rows(path, [CODE, NAME, *(m.column for m in MEASURES)]):

        def fail(column, message, line=line, header=header):
            raise DataFileError(path, message, line=line, column=header.index(column) + 1)

        ons = row[CODE].strip()
        if not ONS_AREA_CODE.match(ons):
            fail(CODE, f"{ons!r} is not an ONS code")
        code = known.get(ons)
        if code is None:
            fail(
                CODE,
                f"{ons} ({row[NAME]}) is not the ONS code of an authority the hub knows, current or "
                f"former: add it to the reference data (or importers.OTHER_ONS_CODES) before loading",
            )
        if code in own:
            fail(
                CODE,
                f"{ons} ({row[NAME]}) is {names.get(code, code)} again (first on line {first_line[code]})",
            )
        values = {}
        for m in MEASURES:
            try:
                value, status = markers.parse_cell(row[m.column].strip())
            except ValueError as error:
                fail(m.column, str(error))
            if value is None:
                fail(m.column, f"{row[NAME]} has no {m.name.lower()} ({status!r}): every area has one")
            low, high = m.bounds
            if not low <= value <= high:
                fail(
                    m.column,
                    f"{row[m.column].strip()} is impossible for {m.name.lower()}: {low:g} to {high:g}",
                )
            values[m.code] = round(value * m.scale, 6)  # 0.3621 -> 36.21, not 36.209999999999994
        own[code], first_line[code] = values, line
    if not own:
        raise DataFileError(path, "no areas in the file")

    inherited = {}
    for code in sorted(current - own.keys()):
        held = [p for p, after in successors.items() if code in after and p in own]
        who = f"{names.get(code, code)} ({code})"
        if not held:
            raise DataFileError(
                path,
                f"no figure for {who}: the file has no row for it or for an authority it replaced",
            )
        if len(held) > 1:
            raise DataFileError(
                path,
                f"{who} replaced {' and '.join(names.get(p, p) for p in held)}, each with its own figure: "
                f"the file's figures cannot be combined without their populations",
            )
        inherited[code] = held[0]
    records: list[ValueRecord] = [
        (measure, LABEL, "la", code, value, None)
        for code, values in sorted({**own, **{s: own[p] for s, p in inherited.items()}}.items())
        for measure, value in values.items()
    ]
    return ImdFile(records, inherited, _description(inherited, names))


def _description(inherited: dict[str, str], names: dict[str, str]) -> str:
    """The description, with the authorities that have their predecessor's figure named."""
    by_predecessor: dict[str, list[str]] = {}
    for successor, predecessor in sorted(inherited.items()):
        by_predecessor.setdefault(predecessor, []).append(names.get(successor, successor))
    if not by_predecessor:
        return DESCRIPTION
    parts = [
        f"{names.get(before, before)}'s figure is given to {' and to '.join(after)}"
        for before, after in sorted(by_predecessor.items(), key=lambda item: names.get(item[0], item[0]))
    ]
    return (
        f"{DESCRIPTION}. Approximations: {'; '.join(parts)}, since each of these councils covers only part "
        f"of the county MHCLG summarised"
    )


def signature(successors: dict[str, list[str]]) -> str:
    """Changes when what the file is read with changes: the measures, and the successions that give a
    split county's figure to its successors."""
    return repr((MEASURES, DESCRIPTION, sorted((p, sorted(s)) for p, s in successors.items())))
