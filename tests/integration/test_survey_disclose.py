"""`slihub survey disclose`: the published tables of a file of responses (text and JSON), and bad files
refused with their line named."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from slihub.stats.disclosure import SUPPRESSED, feasible_ranges

HEADER = "respondent,region,question,answer\n"


def responses() -> str:
    """Two questions. North East: 3 Yes, 9 No (the 3 must be hidden, and something with it); London by
    name and code, 7 Yes, 6 No; South West by a lower-case name, 12 Yes, 0 No."""
    rows = []
    for k in range(3):
        rows.append(f"ne{k},North East,Family hub?,Yes")
    for k in range(9):
        rows.append(f"ne{k + 3},E12000001,Family hub?,No")
    for k in range(7):
        rows.append(f"ldn{k},London,Family hub?,Yes")
    for k in range(6):
        rows.append(f"ldn{k + 7},E12000007,Family hub?,No")
    for k in range(12):
        rows.append(f"sw{k},south west,Family hub?,Yes")
    for k in range(6):
        rows.append(f'ne{k},North East,"Staff, in post",{"Enough" if k % 2 else "Too few"}')
    return HEADER + "\n".join(rows) + "\n"


def write(tmp_path, text: str, name="responses.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("survey", "disclose", *args, stdout=out)
    return out.getvalue()


def published_table(question: dict) -> list[list]:
    rows = [[*region["counts"].values(), region["total"]] for region in question["regions"]]
    return [*rows, [*question["england"]["counts"].values(), question["england"]["total"]]]


def test_json_shows_the_counts_with_the_small_ones_hidden(tmp_path):
    document = json.loads(run("--csv", str(write(tmp_path, responses())), "--json"))
    assert document["threshold"] == 5
    hub, staff = document["questions"]
    assert hub["question"] == "Family hub?" and hub["answers"] == ["Yes", "No"]
    regions = {region["name"]: region for region in hub["regions"]}
    assert len(regions) == 9
    assert regions["North East"]["counts"]["Yes"] == SUPPRESSED
    assert regions["North East"]["total"] == 12
    # The 3 needs a partner in its row (the 9) and its column (the smallest there, London's 7), and
    # then London's 6 completes the rectangle; the totals stay shown.
    assert regions["North East"]["counts"]["No"] == SUPPRESSED
    assert regions["London"]["counts"] == {"Yes": SUPPRESSED, "No": SUPPRESSED}
    assert regions["London"]["total"] == 13
    assert regions["South West"]["counts"] == {"Yes": 12, "No": 0}
    assert regions["North West"]["counts"] == {"Yes": 0, "No": 0} and regions["North West"]["total"] == 0
    assert hub["england"]["total"] == 37
    table = published_table(hub)
    for value in (v for row in table for v in row):
        assert value == SUPPRESSED or value == 0 or value >= 5
    ranges = feasible_ranges(table)
    assert ranges and all(least < most for least, most in ranges.values())
    # Six answers from the North East, 3 and 3: every count but 6 is hidden.
    assert staff["question"] == "Staff, in post"
    assert staff["england"]["total"] == 6
    assert staff["england"]["counts"] == {"Too few": SUPPRESSED, "Enough": SUPPRESSED}


def test_a_higher_threshold_hides_more(tmp_path):
    path = str(write(tmp_path, responses()))
    default = json.loads(run("--csv", path, "--json"))["questions"][0]
    higher = json.loads(run("--csv", path, "--json", "--threshold", "13"))["questions"][0]
    south_west = next(region for region in higher["regions"] if region["name"] == "South West")
    assert south_west["counts"]["Yes"] == SUPPRESSED and south_west["total"] == SUPPRESSED
    for value in (v for row in published_table(higher) for v in row):
        assert value == SUPPRESSED or value == 0 or value >= 13
    assert str(published_table(higher)).count(SUPPRESSED) > str(published_table(default)).count(SUPPRESSED)


def test_text_is_a_plain_table_per_question(tmp_path):
    text = run("--csv", str(write(tmp_path, responses())), "--ranges")
    assert "Question: Family hub?" in text and "Question: Staff, in post" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Region"))
    assert header.split() == ["Region", "Yes", "No", "Total"]
    south_west = next(line for line in lines if line.startswith("South West"))
    assert south_west.split() == ["South", "West", "12", "0", "12"]
    north_east = next(line for line in lines if line.startswith("North East"))
    assert north_east.split()[2] == SUPPRESSED and north_east.split()[-1] == "12"
    assert "North East, Yes: 1 to" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("respondent,region,answer\na,London,Yes\n", "line 1: missing column question"),
        (HEADER + "a,London,Q,Yes\nb,,Q,No\n", "line 3, column 2: region: the cell is empty"),
        (HEADER + "a,London,Q,Yes\nb,Wessex,Q,No\n", "line 3, column 2: region: 'Wessex' is not one of"),
        (HEADER + "a,London,Q,Yes\nb,London,Q,No\na,London,Q,No\n", "line 4, column 3: question: respondent"),
        (HEADER + 'a,London,Q,Yes\nb,London,"Q,No\n', "line 3: a quoted cell"),
        (HEADER + "a,London,Q,Yes\nb,London,Q\n", "line 3: expected 4 cells, found 3"),
        (HEADER, "no responses in the file"),
    ],
)
def test_a_bad_file_is_refused_naming_its_line(tmp_path, content, message):
    with pytest.raises(CommandError, match="Nothing was published") as raised:
        run("--csv", str(write(tmp_path, content)))
    assert message in str(raised.value)
    assert raised.value.returncode == 2


def test_twice_names_the_first_line_too(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("--csv", str(write(tmp_path, HEADER + "a,London,Q,Yes\nb,London,Q,No\na,London,Q,No\n")))
    assert "answered 'Q' twice (first on line 2)" in str(raised.value)


def test_a_file_that_is_not_utf8_exits_2_naming_the_line(tmp_path):
    path = write(tmp_path, (HEADER + "a,London,Q,Yes\nb,London,Q,Très\n").encode("latin-1"))
    done = subprocess.run(
        [sys.executable, "-m", "slihub.cli", "survey", "disclose", "--csv", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "line 3, column 14: not UTF-8" in done.stderr
