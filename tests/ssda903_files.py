"""Tiny synthetic 903 returns for the tests: children invented here, never anyone's data.

`returns(years)` writes each year's header and episodes files as a council would: an episode is in a
year's return when it was open at some time in the year, with its DEC and REC left blank if it ended
after the year."""

from datetime import date

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
CHILDREN = {  # CHILD: (SEX, DOB)
    "A1": ("1", date(2010, 5, 1)),
    "B2": ("2", date(2020, 1, 15)),
    "C3": ("2", date(2007, 3, 20)),
    "D4": ("1", date(2020, 2, 2)),
    "E5": ("1", date(2012, 3, 3)),
}
# CHILD, DECOM, RNE, LS, PLACE, DEC, REC
EPISODE_ROWS = [
    ("A1", date(2021, 6, 10), "S", "C2", "U1", date(2023, 9, 1), "X1"),
    ("A1", date(2023, 9, 1), "P", "C2", "K2", None, ""),
    ("B2", date(2022, 7, 1), "S", "C2", "U3", date(2024, 2, 10), "E11"),
    ("C3", date(2023, 5, 5), "S", "V2", "H5", date(2025, 3, 20), "E8"),
    ("D4", date(2024, 12, 1), "S", "V2", "U1", None, ""),
    ("E5", date(2020, 1, 1), "S", "C2", "U4", date(2022, 6, 15), "E13"),
]


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def header_file(children=None) -> bytes:
    rows = [f"{c},{sex},{dmy(dob)},WBRI,,," for c, (sex, dob) in (children or CHILDREN).items()]
    return (HEADER + "\n".join(rows) + "\n").encode()


def episodes_file(year: int, episodes=None) -> bytes:
    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    lines = []
    for child, decom, rne, ls, place, dec, rec in episodes or EPISODE_ROWS:
        if decom > end or (dec is not None and dec < start):
            continue
        if dec is not None and dec > end:
            dec, rec = None, ""
        lines.append(f"{child},{dmy(decom)},{rne},{ls},N1,{place},PR1,{dmy(dec)},{rec},,,,")
    return (EPISODES + "\n".join(lines) + "\n").encode()


def returns(years=(2023, 2024, 2025)) -> tuple[list, list]:
    headers = [(f"{y}-header.csv", header_file()) for y in years]
    episodes = [(f"{y}-episodes.csv", episodes_file(y)) for y in years]
    return headers, episodes
