"""History kept on the real files: DfE's latest year alone after the full file; LAIT's bank over itself."""

import csv

import pytest

from slihub.indicators.mappings import MAPPINGS
from slihub.indicators.models import Comparison, ImportedSource, Value
from slihub.indicators.services import import_tidy_file, load_indicator_data

pytestmark = pytest.mark.django_db


def cells(source: str) -> dict:
    rows = Value.objects.filter(indicator__source=source).values_list(
        "indicator__code", "period__label", "area_type", "authority__code", "region__code", "value", "status"
    )
    return {row[:5]: row[5:] for row in rows}


def test_the_latest_year_alone_after_the_full_file_keeps_every_earlier_value(data_dir, tmp_path):
    mapping = MAPPINGS["cla_rate"]
    before = cells("cla_rate")
    with (data_dir / mapping.filename).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        latest = [row for row in reader if row[0] == "2025"]
    path = tmp_path / "cla_2025_only.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *latest])
    report = import_tidy_file(path, mapping="cla_rate")
    assert cells("cla_rate") == before, "every value stays, the 2025 ones unchanged"
    assert not report.changed and not report.values_removed
    years = {label for _, label, area_type, *_ in before if area_type == "la"}
    assert years > {"2025"}
    compared = Comparison.objects.filter(indicator__source="cla_rate").values_list("period__label", flat=True)
    assert set(compared) == years, "every kept year keeps its comparisons"


def test_laits_bank_loaded_again_over_itself_changes_no_value(data_dir):
    before = Value.objects.filter(indicator__source="lait").count()
    ImportedSource.objects.filter(source="lait").update(fingerprint="an older importer's")
    report = load_indicator_data(data_dir, mapping_names=[])
    assert report.skipped == [] and not report.changes["lait"]
    assert Value.objects.filter(indicator__source="lait").count() == before == 641070
