"""The published figures a forecast is made from, as the hub holds them in its indicator table.

DfE's LAIT gives each area's children looked after at 31 March, and the children starting and
ceasing to be looked after in the year, from 2016 (the DfE file the hub also loads starts in 2021 and
gives no counts of starts and ceases); ONS mid-year estimates of children aged 0 to 17 give the
population. A year ending 31 March is paired with the mid-year estimate of the June before it, as
DfE's own rates per 10,000 are.
"""

from collections import defaultdict

from slihub.indicators.models import Value
from slihub.places.models import Authority
from slihub.stats.forecast import Series

STOCK, STARTS, CEASES, POPULATION = "LACnum", "LACnum_Start", "LACceased", "dfe:population_0_17"
CODES = (STOCK, STARTS, CEASES, POPULATION)
ENGLAND = "england"


def _year(label: str) -> int | None:
    return int(label) if label.isdigit() else None


def _series(values: dict[str, dict[int, float]], as_of_year: int | None) -> Series | None:
    """The longest run of consecutive years with every figure, ending at the latest such year
    up to as_of_year; None when there is no such year."""
    years = {
        y
        for y in values[STOCK]
        if y in values[STARTS] and y in values[CEASES] and y - 1 in values[POPULATION]
    }
    if as_of_year is not None:
        years = {y for y in years if y <= as_of_year}
    if not years:
        return None
    last = max(years)
    run = [last]
    while run[-1] - 1 in years:
        run.append(run[-1] - 1)
    run.reverse()
    return Series.of(
        run,
        [values[STOCK][y] for y in run],
        [values[STARTS][y] for y in run],
        [values[CEASES][y] for y in run],
        [values[POPULATION][y - 1] for y in run],
    )


def _values(area_type: str, authority_ids=None) -> dict:
    rows = Value.objects.filter(
        indicator__code__in=CODES, area_type=area_type, value__isnull=False
    ).values_list("authority_id", "indicator__code", "period__label", "value")
    if authority_ids is not None:
        rows = rows.filter(authority_id__in=authority_ids)
    found: dict = defaultdict(lambda: {code: {} for code in CODES})
    for authority_id, code, label, value in rows:
        year = _year(label)
        if year is not None:
            found[authority_id][code][year] = value
    return found


def latest_year() -> int | None:
    """The latest year for which England's stock is held."""
    labels = Value.objects.filter(indicator__code=STOCK, area_type=ENGLAND, value__isnull=False).values_list(
        "period__label", flat=True
    )
    years = [y for y in map(_year, labels) if y is not None]
    return max(years, default=None)


def england(as_of_year: int | None = None) -> Series | None:
    found = _values(ENGLAND)
    return _series(found[None], as_of_year) if found else None


def authority(authority: Authority, as_of_year: int | None = None) -> Series | None:
    found = _values("la", [authority.id])
    return _series(found[authority.id], as_of_year) if found else None


def councils(as_of_year: int | None = None) -> dict[Authority, Series]:
    """Every current council with enough of a series, by authority."""
    current = {a.id: a for a in Authority.objects.current()}
    found = _values("la", list(current))
    result = {}
    for authority_id, values in found.items():
        series = _series(values, as_of_year)
        if series is not None:
            result[current[authority_id]] = series
    return dict(sorted(result.items(), key=lambda item: item[0].name))
