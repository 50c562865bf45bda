"""Reading, checking and counting a council's 903 return, on tiny synthetic files (tests/ssda903_files)."""

from datetime import date

import pytest

from slihub.forecast.ssda903 import aggregate, parse
from tests.ssda903_files import EPISODES, HEADER, episodes_file, header_file, returns


def read(headers, episodes):
    return parse.read_return(headers, episodes)


def problems(headers, episodes) -> list[str]:
    with pytest.raises(parse.Invalid903) as caught:
        read(headers, episodes)
    return [str(p) for p in caught.value.problems]


def test_it_reads_three_years_and_counts_them_as_dfe_does():
    data = read(*returns())
    assert data.years == [2023, 2024, 2025]
    assert data.header_rows == 15 and data.episode_rows == 3 + 4 + 3
    rows = aggregate.yearly(data)
    assert [r["year"] for r in rows] == [2022, 2023, 2024, 2025]
    assert [r["looked_after"] for r in rows] == [2, 2, 2, 2]
    assert [r["starts"] for r in rows] == [None, 1, 1, 1]  # A1's change of placement is not a start
    assert [r["ceases"] for r in rows] == [None, 1, 1, 1]
    assert rows[2]["by_placement"]["residential"] == 1 and rows[2]["by_placement"]["independent"] == 1
    assert rows[3]["by_placement"] == {
        **{g: 0 for g in aggregate.PLACEMENT_GROUPS},
        "fostering": 1,
        "residential": 1,
    }
    assert rows[3]["by_age"]["10_to_15"] == 1 and rows[3]["by_age"]["5_to_9"] == 1  # A1 is 14, D4 is 5
    assert sum(rows[0]["by_age"].values()) == rows[0]["looked_after"]


def test_an_episode_open_at_a_years_end_is_counted_once_across_returns():
    data = read(*returns())
    assert sum(1 for e in data.episodes if e.child == "A1") == 2
    ended = next(e for e in data.episodes if e.child == "B2")
    assert ended.dec is not None and ended.year == 2024  # the later return's row, with its end


def test_an_episode_ending_on_31_march_is_not_open_at_31_march():
    headers = [("h.csv", header_file({"Z9": ("1", date(2012, 1, 1))}))]
    eps = EPISODES + "Z9,01/05/2023,S,C2,N1,U1,PR1,31/03/2024,E13,,,,\n"
    rows = aggregate.yearly(read(headers, [("e.csv", eps.encode())]))
    assert [(r["year"], r["looked_after"], r["starts"], r["ceases"]) for r in rows] == [
        (2023, 0, None, None),
        (2024, 0, 1, 1),
    ]


def test_bad_rows_are_listed_with_their_file_and_line():
    bad = EPISODES + (
        "A1,31/02/2023,S,C2,N1,U1,PR1,,,,,,\n"  # no such date
        "B2,01/07/2022,Q,C2,N1,U9,PR1,,,,,,\n"  # RNE and PLACE not codes
        "C3,05/05/2023,S,V2,N1,H5,PR1,01/05/2023,E8,,,,\n"  # ends before it starts
        "ZZ,05/05/2023,S,V2,N1,H5,PR1,,,,,,\n"  # no header row
        "E5,2023-05-05,S,V2,N1,H5,PR1,01/06/2023,,,,,\n"  # ISO date; DEC without REC
    )
    found = problems([("h.csv", header_file())], [("eps.csv", bad.encode())])
    assert "eps.csv, line 2: DECOM (date episode commenced) must be a date written DD/MM/YYYY" in found
    assert "eps.csv, line 3: RNE 'Q' is not a reason for new episode (rule 143)" in found
    assert "eps.csv, line 3: PLACE 'U9' is not a placement type (rule 146)" in found
    assert "eps.csv, line 4: DEC (date episode ceased) is before DECOM (date episode commenced)" in found
    assert "eps.csv, line 5: this CHILD has no row in the header files (integrity check INT01)" in found
    assert any(p.startswith("eps.csv, line 6: DECOM") for p in found)
    assert "eps.csv, line 6: an episode with a DEC needs a REC (reason episode ceased)" in found


def test_header_problems_are_listed_too():
    bad = (
        HEADER
        + "A1,3,01/05/2010,WBRI,,,\nB2,2,15-01-2020,WBRI,,,\nA1,1,01/05/2010,WBRI,,,\n,1,01/01/2015,,,,\n"
    )
    found = problems([("head.csv", bad.encode())], [("e.csv", episodes_file(2024))])
    assert "head.csv, line 2: SEX must be 1 (male) or 2 (female) (rule 101)" in found
    assert "head.csv, line 3: DOB must be a date written DD/MM/YYYY, like 05/11/2012 (rule 102)" in found
    assert "head.csv, line 5: has no CHILD identifier" in found


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "e.csv: is empty"),
        (b"CHILD,DECOM,PLACE\nA1,01/01/2024,U1\n", "e.csv, line 1: has no column RNE, LS, DEC, REC"),
        (b"\x00\x01\x02", "e.csv: is not a CSV text file"),
        (EPISODES.encode(), "e.csv: has no episodes"),
    ],
)
def test_a_file_that_is_not_an_episodes_file_says_why(content, expected):
    found = problems([("h.csv", header_file())], [("e.csv", content)])
    assert any(p.startswith(expected) for p in found), found


def test_a_missing_year_between_returns_is_refused():
    headers, episodes = returns((2023, 2025))
    assert any("no return for the year to 31 March 2024" in p for p in problems(headers, episodes))


def test_two_files_for_one_year_are_refused():
    headers, episodes = returns((2024, 2024))
    assert any("same year (to 31 March 2024)" in p for p in problems(headers, episodes))


def test_no_files_is_refused_with_what_to_choose():
    found = problems([], [])
    assert any("choose the header file" in p for p in found) and any(
        "choose the episodes file" in p for p in found
    )


def test_the_errors_listed_are_capped_and_the_rest_counted():
    rows = "".join(f"A{i},01/01/2024,S,C2,N1,XX,PR1,,,,,,\n" for i in range(150))
    with pytest.raises(parse.Invalid903) as caught:
        read([("h.csv", header_file())], [("e.csv", (EPISODES + rows).encode())])
    assert len(caught.value.problems) == parse.MAX_ERRORS and caught.value.more == 50


def test_the_collection_year_is_the_year_of_most_end_dates():
    assert parse.year_of(date(2024, 3, 31)) == 2024
    assert parse.year_of(date(2024, 4, 1)) == 2025
    assert read(*returns((2024,))).years == [2024]
