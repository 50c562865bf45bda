"""Loading the reference files: idempotent, all or nothing, and precise about what is wrong.

The fixture files are small copies of the real ones' layout, written here; one test
at the end corrupts a copy of the real files when SLIHUB_DATA_DIR names them.
"""

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from slihub.places.importers import DataFileError
from slihub.places.models import (
    Authority,
    Boundary,
    FormerOnsCode,
    Region,
    SourceFile,
    StatisticalNeighbour,
    Succession,
)
from slihub.places.services import DataFolderError, load_reference_data
from tests.factories import square

LA_FILE = "derived_la_reference.csv"
NEIGHBOURS_FILE = "derived_statistical_neighbours_long.csv"
BOUNDARIES_FILE = "derived_ctyua_may2023_england_buc_wgs84.geojson"
FILES = (LA_FILE, NEIGHBOURS_FILE, BOUNDARIES_FILE)
PUBLISHER_PAGE = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"

LA_HEADER = [
    "old_la_code",
    "new_la_code",
    "la_name",
    "region_code",
    "region_name",
    "lait_la_name",
    "lait_region",
    "la_type",
    "ofsted_region",
    "ofsted_la_urn",
    "ons_la_type",
    "in_ctyua2023_geojson",
]
YORKSHIRE = ("E12000003", "Yorkshire and The Humber")
OFSTED_NE = "North East, Yorkshire and the Humber"
# Lines 2 onwards, as (code, ONS code, name, region code, region name, type, Ofsted region, URN, ONS type).
# Every successor of a reorganisation and every authority with a former ONS code must be present.
LA_ROWS = [
    ("202", "E09000007", "Camden", "E13000001", "Inner London", "ILB", "London", "80491", "London Borough"),
    (
        "206",
        "E09000019",
        "Islington",
        "E13000001",
        "Inner London",
        "ILB",
        "London",
        "80505",
        "London Borough",
    ),
    ("380", "E08000032", "Bradford", *YORKSHIRE, "MD", OFSTED_NE, "80449", "Metropolitan District"),
    ("383", "E08000035", "Leeds", *YORKSHIRE, "MD", OFSTED_NE, "80481", "Metropolitan District"),
    ("815", "E06000065", "North Yorkshire", *YORKSHIRE, "SC", OFSTED_NE, "80530", "County"),
    (
        "838",
        "E06000059",
        "Dorset",
        "E12000009",
        "South West",
        "UA",
        "South West",
        "2532283",
        "Unitary Authority",
    ),
    (
        "839",
        "E06000058",
        "Bournemouth, Christchurch and Poole",
        "E12000009",
        "South West",
        "UA",
        "South West",
        "2532287",
        "Unitary Authority",
    ),
    (
        "933",
        "E06000066",
        "Somerset",
        "E12000009",
        "South West",
        "SC",
        "South West",
        "80555",
        "Unitary Authority",
    ),
    (
        "940",
        "E06000061",
        "North Northamptonshire",
        "E12000004",
        "East Midlands",
        "UA",
        "East Midlands",
        "2637539",
        "",
    ),
    (
        "941",
        "E06000062",
        "West Northamptonshire",
        "E12000004",
        "East Midlands",
        "UA",
        "East Midlands",
        "2637548",
        "",
    ),
    ("942", "E06000063", "Cumberland", "E12000002", "North West", "UA", "North West", "2733690", "County"),
    (
        "943",
        "E06000064",
        "Westmorland and Furness",
        "E12000002",
        "North West",
        "UA",
        "North West",
        "2733698",
        "",
    ),
]


def la_line(row) -> list[str]:
    """The real file's twelve columns from a short row (the LAIT name and region repeat the DfE ones)."""
    code, ons_code, name, region_code, region_name, la_type, ofsted_region, urn, ons_type = row
    return [
        code,
        ons_code,
        name,
        region_code,
        region_name,
        name,
        region_name,
        la_type,
        ofsted_region,
        urn,
    ] + [
        ons_type,
        "True",
    ]


NEIGHBOURS_HEADER = "model,la_code,la_name,rank,sn_la_code,sn_la_name,closeness,closeness_norm"
NEIGHBOURS_ROWS = [
    "2025 (May 2025),202,Camden,1,206,Islington,Extremely close,extremely close",
    "2025 (May 2025),202,Camden,2,383,Leeds,Close,close",
    "2025 (May 2025),383,Leeds,1,380,Bradford,Very close,very close",
    "2025 (May 2025),942,Cumberland,1,943,Westmorland and Furness,Close,close",
    "2021 (April 2021),202,Camden,1,383,Leeds,Somewhat close,somewhat close",
    "2021 (April 2021),383,Leeds,1,909,Cumbria,Not close,not close",
    "2021 (April 2021),942,Cumberland,1,-,,-,",
]


def write_la_file(folder: Path, rows=LA_ROWS):
    with (folder / LA_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LA_HEADER)
        writer.writerows(la_line(row) for row in rows)


def write_files(folder: Path) -> Path:
    write_la_file(folder)
    (folder / NEIGHBOURS_FILE).write_text("\n".join([NEIGHBOURS_HEADER, *NEIGHBOURS_ROWS]) + "\n")
    features = []
    for i, (_, ons_code, name, *_) in enumerate(LA_ROWS):
        features.append(
            {
                "type": "Feature",
                "properties": {"CTYUA23CD": ons_code, "CTYUA23NM": name},
                "geometry": square(-3 + i * 0.3, 51 + i * 0.2),
            }
        )
    # One feature per line, like a hand-written file, so that a fault has a line of its own.
    text = '{"type": "FeatureCollection", "features": [\n'
    text += ",\n".join(json.dumps(feature) for feature in features) + "\n]}\n"
    (folder / BOUNDARIES_FILE).write_text(text)
    return folder


@pytest.fixture
def folder(tmp_path, empty_places) -> Path:
    return write_files(tmp_path)


def dump() -> dict[str, list[dict]]:
    """Every row of every reference table, to compare whole databases."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Region,
            Authority,
            FormerOnsCode,
            Succession,
            StatisticalNeighbour,
            Boundary,
            SourceFile,
        )
    }


def replace_line(path: Path, line: int, old: str, new: str):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- a good load


def test_it_loads_the_authorities_neighbours_and_boundaries(folder):
    report = load_reference_data(folder)

    assert report.changed
    current = dict(Authority.objects.current().values_list("code", "name"))
    assert len(current) == 12
    assert current["839"] == "Bournemouth, Christchurch and Poole"
    camden = Authority.objects.get(code="202")
    assert (camden.region.code, camden.sub_region.code, camden.la_type) == ("E12000007", "E13000001", "ILB")
    # The former authorities come from the reviewed table of reorganisations.
    cumbria = Authority.objects.get(code="909")
    assert (cumbria.is_current, str(cumbria.ended_on)) == (False, "2023-04-01")
    assert sorted(
        Succession.objects.filter(predecessor=cumbria).values_list("successor__code", flat=True)
    ) == [
        "942",
        "943",
    ]
    assert Authority.objects.by_code("E10000023").code == "815"
    assert list(
        StatisticalNeighbour.objects.filter(authority__code="202", model="2025").values_list(
            "rank", "neighbour__code", "closeness"
        )
    ) == [(1, "206", "extremely close"), (2, "383", "close")]
    assert not StatisticalNeighbour.objects.filter(authority__code="942", model="2021").exists()
    assert Boundary.objects.count() == 12
    assert Region.objects.filter(parent=None).count() == 9
    assert sorted(SourceFile.objects.values_list("filename", "rows")) == [
        (BOUNDARIES_FILE, 12),
        (LA_FILE, 12),
        (NEIGHBOURS_FILE, 7),
    ]


def test_loading_twice_changes_nothing(folder):
    load_reference_data(folder)
    first = dump()

    report = load_reference_data(folder)

    assert not report.changed
    assert all(not changes for changes in report.changes.values()), report.changes
    assert dump() == first


def test_loading_a_changed_file_changes_only_what_differs(folder):
    load_reference_data(folder)
    before = dump()
    replace_line(folder / LA_FILE, 2, ",Camden,", ",London Borough of Camden,")

    report = load_reference_data(folder)

    assert (report.changes["authorities"].created, report.changes["authorities"].updated) == (0, 1)
    after = dump()
    assert Authority.objects.get(code="202").name == "London Borough of Camden"
    assert after["StatisticalNeighbour"] == before["StatisticalNeighbour"]
    assert [row["id"] for row in after["Authority"]] == [row["id"] for row in before["Authority"]]


def test_it_reports_progress(folder):
    said = []
    load_reference_data(folder, progress=said.append)
    assert f"Read {LA_FILE}: 12 authorities" in said
    assert f"Read {BOUNDARIES_FILE}: 12 boundaries" in said


# ---------------------------------------------------------------- bad files


def corrupt_bad_code(folder):
    replace_line(folder / LA_FILE, 4, "380,", "38O,")


def corrupt_cell_count(folder):
    replace_line(folder / LA_FILE, 7, ",South West,2532283,", ",2532283,")


def corrupt_bad_ons_code(folder):
    replace_line(folder / LA_FILE, 3, "E09000019", "W06000001")


def corrupt_bad_type(folder):
    replace_line(folder / LA_FILE, 13, ",UA,", ",XX,")


def corrupt_bad_region(folder):
    replace_line(folder / LA_FILE, 2, "E13000001,Inner London,Camden", "E13000001,Outer London,Camden")


def corrupt_duplicate(folder):
    replace_line(folder / LA_FILE, 3, "206,", "202,")


def corrupt_not_utf8(folder):
    path = folder / LA_FILE
    lines = path.read_bytes().split(b"\n")
    lines[8] = lines[8].replace(b"Somerset,", b"Somerset \xff\xfe,", 1)
    path.write_bytes(b"\n".join(lines))


def corrupt_neighbour_rank(folder):
    replace_line(folder / NEIGHBOURS_FILE, 3, ",2,383,", ",11,383,")


def corrupt_neighbour_code(folder):
    replace_line(folder / NEIGHBOURS_FILE, 4, ",380,Bradford", ",999,Bradford")


def corrupt_json(folder):
    replace_line(folder / BOUNDARIES_FILE, 4, '{"type": "Feature",', '{"type": "Feature"')


def corrupt_geometry(folder):
    replace_line(folder / BOUNDARIES_FILE, 3, '"type": "Polygon"', '"type": "Point"')


def corrupt_missing_boundary(folder):
    path = folder / BOUNDARIES_FILE
    lines = path.read_text().split("\n")
    del lines[2]  # Islington's feature
    path.write_text("\n".join(lines))


@pytest.mark.parametrize(
    ("corrupt", "filename", "line", "column", "words"),
    [
        (corrupt_bad_code, LA_FILE, 4, 1, "old_la_code: '38O' is not a 3-digit DfE code"),
        (corrupt_cell_count, LA_FILE, 7, None, "expected 12 cells, found 11"),
        (corrupt_bad_ons_code, LA_FILE, 3, 2, "'W06000001' is not an English upper-tier ONS code"),
        (corrupt_bad_type, LA_FILE, 13, 8, "la_type: 'XX' is not one of"),
        (corrupt_bad_region, LA_FILE, 2, 5, "'Outer London' does not match region E13000001 (Inner London)"),
        (corrupt_duplicate, LA_FILE, 3, 1, "202 is listed twice (first on line 2)"),
        (corrupt_not_utf8, LA_FILE, 9, 24, "not UTF-8 text (invalid start byte)"),
        (corrupt_neighbour_rank, NEIGHBOURS_FILE, 3, 4, "rank: '11' is not 1 to 10"),
        (corrupt_neighbour_code, NEIGHBOURS_FILE, 4, 5, "sn_la_code: unknown authority code '999'"),
        (corrupt_json, BOUNDARIES_FILE, 4, 20, "malformed JSON"),
        (corrupt_geometry, BOUNDARIES_FILE, None, None, "feature 1: unsupported or empty geometry 'Point'"),
        (corrupt_missing_boundary, BOUNDARIES_FILE, None, None, "no boundary for E09000019"),
    ],
    ids=lambda value: value.__name__.removeprefix("corrupt_") if callable(value) else None,
)
def test_it_refuses_a_bad_file_whole_naming_where_and_changes_nothing(
    folder, tmp_path_factory, corrupt, filename, line, column, words
):
    # A good load first, from another copy, so there is something that must not change.
    load_reference_data(write_files(tmp_path_factory.mktemp("good")))
    before = dump()
    corrupt(folder)

    with pytest.raises(DataFileError) as refused:
        load_reference_data(folder)

    error = refused.value
    assert (error.path.name, error.line, error.column) == (filename, line, column)
    message = str(error)
    assert message.startswith(filename)
    where = "".join([f", line {line}" if line else "", f", column {column}" if column else ""])
    assert message.startswith(f"{filename}{where}: "), message
    assert words in message
    assert dump() == before


def test_a_refused_first_load_leaves_the_database_empty(folder):
    corrupt_bad_code(folder)
    with pytest.raises(DataFileError):
        load_reference_data(folder)
    assert dump() == {name: [] for name in dump()}


def test_a_non_utf8_byte_deep_in_a_large_file_is_placed_on_its_line(folder):
    """Text is decoded in chunks: the position must be counted from the start of the file."""
    camden = LA_ROWS[0]
    filler = [(f"{500 + i}", f"E09{100000 + i}", f"Filler {i}", *camden[3:]) for i in range(1, 300)]
    last = ("999", "E09000999", "Caf\xe9", *camden[3:])
    write_la_file(folder, [*LA_ROWS, *filler, last])
    path = folder / LA_FILE
    path.write_bytes(path.read_bytes().replace("Caf\xe9".encode(), b"Caf\xe9"))
    with pytest.raises(DataFileError) as refused:
        load_reference_data(folder)
    assert (refused.value.line, refused.value.column) == (len(LA_ROWS) + 300 + 1, 18)


# ---------------------------------------------------------------- missing folder and files


def test_a_missing_folder_is_named_with_what_it_should_hold(tmp_path, empty_places):
    missing = tmp_path / "nowhere"
    with pytest.raises(DataFolderError) as refused:
        load_reference_data(missing)
    message = str(refused.value)
    assert f"The data folder {missing} does not exist" in message
    for name in FILES:
        assert name in message
    assert PUBLISHER_PAGE in message
    assert "https://geoportal.statistics.gov.uk/" in message


def test_no_folder_at_all_says_how_to_name_one(settings, empty_places):
    settings.DATA_DIR = ""
    with pytest.raises(DataFolderError) as refused:
        load_reference_data(None)
    assert "give --data-dir or set SLIHUB_DATA_DIR" in str(refused.value)


@pytest.mark.parametrize(
    ("filename", "page"),
    [
        (LA_FILE, PUBLISHER_PAGE),
        (NEIGHBOURS_FILE, PUBLISHER_PAGE),
        (BOUNDARIES_FILE, "https://geoportal.statistics.gov.uk/"),
    ],
)
def test_a_missing_file_is_named_with_its_publisher_page(folder, filename, page):
    (folder / filename).unlink()
    with pytest.raises(DataFolderError) as refused:
        load_reference_data(folder)
    message = str(refused.value)
    assert message.startswith(f"{filename} is missing from {folder}")
    assert page in message
    assert not Authority.objects.exists()


# ---------------------------------------------------------------- the real files


def test_a_corrupted_copy_of_the_real_reference_file_is_refused_at_its_line(tmp_path, folder):
    real = os.environ.get("SLIHUB_DATA_DIR")
    if not real or not all((Path(real) / name).is_file() for name in FILES):
        pytest.skip("SLIHUB_DATA_DIR does not name the folder of public files")
    load_reference_data(folder)  # the small files, so there is something that must not change
    before = dump()
    copy = tmp_path / "real"
    copy.mkdir()
    for name in FILES:
        shutil.copyfile(Path(real) / name, copy / name)
    lines = (copy / LA_FILE).read_text(encoding="utf-8").split("\n")
    line = 77
    code = lines[line - 1].split(",")[0]
    assert code.isdigit()
    replace_line(copy / LA_FILE, line, f"{code},", "7X7,")

    with pytest.raises(DataFileError) as refused:
        load_reference_data(copy)

    assert str(refused.value).startswith(f"{LA_FILE}, line {line}, column 1: old_la_code: '7X7'")
    assert dump() == before
