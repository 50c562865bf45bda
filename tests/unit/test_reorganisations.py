"""The reviewed table of local government reorganisations (no database)."""

from datetime import date, timedelta

import pytest

from slihub.places.reorganisations import (
    FORMER_AUTHORITIES,
    FORMER_ONS_CODES,
    REORGANISATIONS,
    current_codes_for,
    predecessors_of,
    successors_of,
)

CUMBRIA_DAY = date(2023, 4, 1)
DORSET_DAY = date(2019, 4, 1)
NORTHAMPTONSHIRE_DAY = date(2021, 4, 1)


@pytest.mark.parametrize(
    ("former", "successors"),
    [
        ("909", ("942", "943")),  # Cumbria: Cumberland, Westmorland and Furness
        ("928", ("940", "941")),  # Northamptonshire: North and West Northamptonshire
        ("835", ("838", "839")),  # Dorset (Pre LG): Dorset, Bournemouth Christchurch and Poole
        ("836", ("838", "839")),  # Poole
        ("837", ("838", "839")),  # Bournemouth
    ],
)
def test_it_names_the_successors_of_a_former_authority(former, successors):
    assert successors_of(former) == successors


@pytest.mark.parametrize("current", ["202", "383", "942", "838", "815", "999", ""])
def test_a_current_or_unknown_authority_has_no_successors(current):
    assert successors_of(current) == ()


@pytest.mark.parametrize(
    ("current", "predecessors"),
    [
        ("942", ("909",)),
        ("943", ("909",)),
        ("940", ("928",)),
        ("941", ("928",)),
        ("838", ("835", "836", "837")),
        ("839", ("835", "836", "837")),
    ],
)
def test_it_names_the_predecessors_of_a_successor(current, predecessors):
    assert predecessors_of(current) == predecessors


@pytest.mark.parametrize("code", ["202", "909", "835", "815"])
def test_an_authority_that_replaced_nobody_has_no_predecessors(code):
    assert predecessors_of(code) == ()


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        # Cumbria is itself until the day before, its successors from the day itself.
        ("909", CUMBRIA_DAY - timedelta(days=1), ("909",)),
        ("909", CUMBRIA_DAY, ("942", "943")),
        ("909", date(2030, 1, 1), ("942", "943")),
        ("909", date(2010, 3, 31), ("909",)),
        # The Dorset chain: three former councils, two new ones.
        ("835", DORSET_DAY - timedelta(days=1), ("835",)),
        ("835", DORSET_DAY, ("838", "839")),
        ("836", DORSET_DAY, ("838", "839")),
        ("837", date(2018, 3, 31), ("837",)),
        ("837", date(2024, 3, 31), ("838", "839")),
        # Northamptonshire.
        ("928", NORTHAMPTONSHIRE_DAY - timedelta(days=1), ("928",)),
        ("928", NORTHAMPTONSHIRE_DAY, ("940", "941")),
        # Successors and unaffected authorities are always themselves.
        ("942", date(2020, 1, 1), ("942",)),
        ("942", date(2025, 1, 1), ("942",)),
        ("838", date(2025, 1, 1), ("838",)),
        ("202", date(2025, 1, 1), ("202",)),
        # North Yorkshire changed its ONS code, not its DfE code: no reorganisation here.
        ("815", CUMBRIA_DAY, ("815",)),
    ],
)
def test_it_attaches_a_statistic_to_the_authorities_current_on_its_date(code, on, expected):
    assert current_codes_for(code, on) == expected


def test_the_table_is_consistent():
    former_codes = {f.code for f in FORMER_AUTHORITIES}
    predecessors = {code for r in REORGANISATIONS for code in r.predecessors}
    successors = {code for r in REORGANISATIONS for code in r.successors}
    # Every predecessor is a listed former authority and vice versa; no successor has ended since.
    assert predecessors == former_codes
    assert not successors & former_codes
    # Codes are DfE's three digits; dates are the 1 April reorganisations happen on.
    assert all(len(code) == 3 and code.isdigit() for code in predecessors | successors)
    assert all((r.effective.month, r.effective.day) == (4, 1) for r in REORGANISATIONS)
    assert all(r.note for r in REORGANISATIONS)
    # A renamed ONS code belongs to an authority that carried on.
    assert {code for code, _ in FORMER_ONS_CODES.values()} == {"815", "933"}
    assert not {code for code, _ in FORMER_ONS_CODES.values()} & former_codes


def test_former_authorities_have_former_ons_codes_and_english_regions():
    for former in FORMER_AUTHORITIES:
        assert former.ons_code.startswith(("E06", "E10")), former
        assert former.region_code.startswith("E12"), former
        assert former.la_type in {"SC", "UA"}, former
