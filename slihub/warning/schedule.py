"""How soon Ofsted is likely to inspect each council again, from how long councils with the same last
grade have waited: Ofsted's schedule depends on the last grade (a council judged Inadequate is monitored
and inspected again when ready; one judged Good or Outstanding gets a short inspection about three years
on), so the risk of a poor judgment matters most where an inspection is near.

Only what was public on the day is used: a wait ends when the next inspection's report is published,
and a wait still open on the day (or when the council ceased to exist) counts as "not yet".
"""

from collections import defaultdict
from datetime import date

from slihub.stats.survival import Survival, kaplan_meier

HORIZON_YEARS = 1.0
YEAR = 365.25


def waits_by_grade(outcomes, day: date, ended: dict[int, date | None]) -> dict[str, Survival]:
    """For each overall grade, the time from an inspection so graded to the start of the council's next,
    from the inspections published before `day`."""
    by_authority = defaultdict(list)
    for o in outcomes:
        if o.published_on < day:
            by_authority[o.authority_id].append(o)
    durations, observed = defaultdict(list), defaultdict(list)
    for authority_id, inspections in by_authority.items():
        inspections.sort(key=lambda o: o.start_date)
        for first, then in zip(inspections, inspections[1:], strict=False):
            durations[first.overall].append((then.start_date - first.start_date).days / YEAR)
            observed[first.overall].append(True)
        last = inspections[-1]
        until = min(day, ended.get(authority_id) or day)
        durations[last.overall].append(max((until - last.start_date).days, 0) / YEAR)
        observed[last.overall].append(False)
    return {grade: kaplan_meier(durations[grade], observed[grade]) for grade in durations}


def inspection_soon(survival: dict[str, Survival], last, day: date) -> float | None:
    """The chance that the council's next graded inspection begins within HORIZON_YEARS of `day`, given
    its last one (a LastInspection, its predecessor's for a successor); None before any, or where no
    council with that grade waited as long."""
    if last is None or last.overall not in survival:
        return None
    return survival[last.overall].within((day - last.start_date).days / YEAR, HORIZON_YEARS)
