"""Reading the public reference files: every cell checked before anything is stored.

Parsers return plain records and raise DataFileError naming file, line and
column, so a bad file is refused whole before the database is touched.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from slihub.places.reorganisations import FORMER_AUTHORITIES
from slihub.sources import DataFileError, csv_rows, plain_digits
from slihub.sources import not_utf8 as _not_utf8
from slihub.stats import svgmap

# The one CSV reader (slihub/sources.py), under the name the importers have used.
_rows = csv_rows

ENGLISH_REGIONS = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
LONDON = "E12000007"
LONDON_PARTS = {"E13000001": "Inner London", "E13000002": "Outer London"}
LA_TYPES = {"ILB", "OLB", "MD", "UA", "SC"}
CLOSENESS = {"extremely close", "very close", "close", "somewhat close", "not close"}
NEIGHBOUR_MODELS = {"2021 (April 2021)": "2021", "2025 (May 2025)": "2025"}

DFE_CODE = re.compile(r"^[0-9]{3}$")
ONS_CODE = re.compile(r"^E(06|08|09|10)[0-9]{6}$")


@dataclass(frozen=True)
class AuthorityRecord:
    code: str
    ons_code: str
    name: str
    la_type: str
    region_code: str  # one of ENGLISH_REGIONS
    sub_region_code: str | None  # Inner or Outer London
    ofsted_region: str
    ofsted_urn: str


@dataclass(frozen=True)
class NeighbourRecord:
    model: str
    code: str
    rank: int
    neighbour_code: str
    closeness: str


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(ok: bool, path: Path, line: int, header: list[str], column: str, message: str) -> None:
    if not ok:
        raise DataFileError(path, f"{column}: {message}", line=line, column=header.index(column) + 1)


def read_authorities(path: Path) -> list[AuthorityRecord]:
    """The current authorities from derived_la_reference.csv."""
    columns = [
        "old_la_code",
        "new_la_code",
        "la_name",
        "region_code",
        "region_name",
        "la_type",
        "ofsted_region",
        "ofsted_la_urn",
    ]
    records: list[AuthorityRecord] = []
    seen: dict[str, int] = {}
    for line, row, header in _rows(path, columns):

        def check(ok, column, message, line=line, header=header):
            _check(ok, path, line, header, column, message)

        code, ons_code, region_code = (
            row["old_la_code"].strip(),
            row["new_la_code"].strip(),
            row["region_code"],
        )
        check(bool(DFE_CODE.match(code)), "old_la_code", f"{code!r} is not a 3-digit DfE code")
        check(code not in seen, "old_la_code", f"{code} is listed twice (first on line {seen.get(code)})")
        check(
            bool(ONS_CODE.match(ons_code)),
            "new_la_code",
            f"{ons_code!r} is not an English upper-tier ONS code",
        )
        check(bool(row["la_name"].strip()), "la_name", "the name is empty")
        check(
            row["la_type"] in LA_TYPES,
            "la_type",
            f"{row['la_type']!r} is not one of {', '.join(sorted(LA_TYPES))}",
        )
        known = ENGLISH_REGIONS | LONDON_PARTS
        check(
            region_code in known,
            "region_code",
            f"{region_code!r} is not an English region or Inner/Outer London",
        )
        check(
            known.get(region_code) == row["region_name"],
            "region_name",
            f"{row['region_name']!r} does not match region {region_code} ({known.get(region_code)})",
        )
        check(plain_digits(row["ofsted_la_urn"]) or not row["ofsted_la_urn"], "ofsted_la_urn", "not a number")
        seen[code] = line
        in_london = region_code in LONDON_PARTS
        records.append(
            AuthorityRecord(
                code=code,
                ons_code=ons_code,
                name=row["la_name"].strip(),
                la_type=row["la_type"],
                region_code=LONDON if in_london else region_code,
                sub_region_code=region_code if in_london else None,
                ofsted_region=row["ofsted_region"].strip(),
                ofsted_urn=row["ofsted_la_urn"].strip(),
            )
        )
    if not records:
        raise DataFileError(path, "no authorities in the file")
    return records


def read_neighbours(path: Path, known_codes: set[str]) -> list[NeighbourRecord]:
    """Both DfE models from derived_statistical_neighbours_long.csv.

    A '-' row means the authority has no neighbours in that model (Cumberland in 2021)."""
    records: list[NeighbourRecord] = []
    seen: set[tuple[str, str, int]] = set()
    for line, row, header in _rows(path, ["model", "la_code", "rank", "sn_la_code", "closeness_norm"]):

        def check(ok, column, message, line=line, header=header):
            _check(ok, path, line, header, column, message)

        check(row["model"] in NEIGHBOUR_MODELS, "model", f"unknown model {row['model']!r}")
        check(row["la_code"] in known_codes, "la_code", f"unknown authority code {row['la_code']!r}")
        if row["sn_la_code"] == "-":
            continue
        check(
            plain_digits(row["rank"]) and 1 <= int(row["rank"]) <= 10,
            "rank",
            f"{row['rank']!r} is not 1 to 10",
        )
        check(row["sn_la_code"] in known_codes, "sn_la_code", f"unknown authority code {row['sn_la_code']!r}")
        check(row["sn_la_code"] != row["la_code"], "sn_la_code", "an authority cannot neighbour itself")
        check(
            row["closeness_norm"] in CLOSENESS,
            "closeness_norm",
            f"unknown closeness {row['closeness_norm']!r}",
        )
        key = (NEIGHBOUR_MODELS[row["model"]], row["la_code"], int(row["rank"]))
        check(key not in seen, "rank", f"rank {key[2]} of {key[1]} in the {key[0]} model is listed twice")
        seen.add(key)
        records.append(NeighbourRecord(key[0], key[1], key[2], row["sn_la_code"], row["closeness_norm"]))
    return records


def read_boundaries(path: Path, ons_codes: set[str]) -> dict[str, dict]:
    """ONS code -> GeoJSON geometry, for exactly the authorities in `ons_codes`."""
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataFileError(
            path, f"malformed JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    except UnicodeDecodeError as error:
        raise _not_utf8(path, error) from None
    try:
        areas = svgmap.read_geojson(collection)
    except ValueError as error:
        raise DataFileError(path, str(error)) from None
    geometries = {
        feature["properties"]["CTYUA23CD"]: feature["geometry"] for feature in collection["features"]
    }
    unknown = sorted({area.code for area in areas} - ons_codes)
    if unknown:
        raise DataFileError(path, f"areas that are not children's services authorities: {', '.join(unknown)}")
    missing = sorted(ons_codes - set(geometries))
    if missing:
        raise DataFileError(path, f"no boundary for {', '.join(missing)}")
    return geometries


def former_authority_records() -> list[AuthorityRecord]:
    return [
        AuthorityRecord(
            code=f.code,
            ons_code=f.ons_code,
            name=f.name,
            la_type=f.la_type,
            region_code=f.region_code,
            sub_region_code=None,
            ofsted_region="",
            ofsted_urn="",
        )
        for f in FORMER_AUTHORITIES
    ]
