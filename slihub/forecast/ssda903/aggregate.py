"""A 903 return's yearly figures, as DfE publishes them: children looked after at 31 March (in total, by
placement type and by age band), and the children who started and ceased to be looked after in each year
to 31 March. These figures, and nothing about any child, are what the hub keeps of an upload.

A child is looked after on a day when one of their episodes has started by then and has not ceased before
it (an episode ceasing on 31 March is not open at 31 March). A period of care is a run of episodes with no
day out of care between them; a child starts (ceases) in a year when a period of care starts (ends) in it,
counted once however many times it happens, as DfE counts them.

Framework-free, like parse.py.
"""

from collections import defaultdict
from datetime import date

from slihub.forecast.ssda903.parse import Episode, Return903, year_of

# DfE's placement groups (the 903 guide's PLACE codes), in the order DfE's tables give them.
PLACEMENT_GROUPS = {
    "fostering": ("Foster placements", ("U1", "U2", "U3", "U4", "U5", "U6")),
    "adoption": ("Placed for adoption", ("A3", "A4", "A5", "A6")),
    "parents": ("Placed with parents", ("P1",)),
    "independent": ("Independent living and supported accommodation", ("P2", "H5")),
    "residential": ("Children's homes and secure units", ("K1", "K2", "R1")),
    "other_residential": (
        "Residential schools and other residential settings",
        ("S1", "R2", "R3", "R5", "P3"),
    ),
    "other": ("Other placements", ("Z1", "T0", "T1", "T2", "T3", "T4")),
}
GROUP_OF = {code: group for group, (_, codes) in PLACEMENT_GROUPS.items() for code in codes}
AGE_BANDS = {  # DfE's age bands at 31 March: (label, youngest, oldest)
    "under_1": ("Under 1", 0, 0),
    "1_to_4": ("1 to 4", 1, 4),
    "5_to_9": ("5 to 9", 5, 9),
    "10_to_15": ("10 to 15", 10, 15),
    "16_and_over": ("16 and over", 16, 200),
}


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def age_band(age: int) -> str:
    return next(band for band, (_, low, high) in AGE_BANDS.items() if low <= age <= high)


def _periods(episodes: list[Episode]) -> list[tuple[date, date | None]]:
    """A child's periods of care: episodes merged where one starts by the day after another ends."""
    periods: list[list] = []
    for e in sorted(episodes, key=lambda e: e.decom):
        last = periods[-1] if periods else None
        if last and (last[1] is None or e.decom <= last[1]):
            if last[1] is not None and (e.dec is None or e.dec > last[1]):
                last[1] = e.dec
        else:
            periods.append([e.decom, e.dec])
    return [(start, end) for start, end in periods]


def _open_on(episodes: list[Episode], day: date) -> Episode | None:
    """The child's episode open on that day (the latest to start, if the return has them overlapping)."""
    found = [e for e in episodes if e.decom <= day and (e.dec is None or e.dec > day)]
    return max(found, key=lambda e: e.decom) if found else None


def yearly(data: Return903) -> list[dict]:
    """Oldest first: the 31 March before the first return's year (stock only: its return's episodes are
    all those open on 1 April), then each year a return covers, with its starts and ceases."""
    if not data.years:
        return []
    by_child: dict[str, list[Episode]] = defaultdict(list)
    for e in data.episodes:
        by_child[e.child].append(e)
    first, last = data.years[0], data.years[-1]
    rows = {
        y: {
            "year": y,
            "looked_after": 0,
            "starts": 0 if y >= first else None,
            "ceases": 0 if y >= first else None,
            "by_placement": {g: 0 for g in PLACEMENT_GROUPS},
            "by_age": {b: 0 for b in AGE_BANDS},
        }
        for y in range(first - 1, last + 1)
    }
    for child, episodes in by_child.items():
        dob = data.children[child].dob
        for year, row in rows.items():
            episode = _open_on(episodes, date(year, 3, 31))
            if episode is not None:
                row["looked_after"] += 1
                row["by_placement"][GROUP_OF[episode.place]] += 1
                row["by_age"][age_band(max(age_on(dob, date(year, 3, 31)), 0))] += 1
        periods = _periods(episodes)
        for y in {year_of(start) for start, _ in periods} & set(range(first, last + 1)):
            rows[y]["starts"] += 1
        for y in {year_of(end) for _, end in periods if end is not None} & set(range(first, last + 1)):
            rows[y]["ceases"] += 1
    return [rows[y] for y in sorted(rows)]
