"""Loading the evidence starter content: every cell checked, atomic, idempotent."""

import os
from pathlib import Path

import pytest

from slihub.evidence import search
from slihub.evidence.models import EffectEstimate, Outcome, Practice, Study, Synthesis
from slihub.evidence.services import load_evidence
from slihub.places.importers import DataFileError
from slihub.places.services import DataFolderError
from tests.integration.evidence_fixtures import (
    PROGRAMMES,
    STRANDS,
    TRIALS,
    bcg_review,
    write_content,
    write_evidence,
)

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Practice, Study, EffectEstimate, Outcome, Synthesis))


def test_it_loads_practices_studies_and_pools_the_reference_dataset(tmp_path):
    report = load_evidence(write_evidence(tmp_path))
    assert report.changed
    happy = Practice.objects.get(slug="happy-parents-group")
    assert happy.eif_rating == "3+" and happy.cost_rating == 2
    assert happy.themes.split() == ["parents_carers_families", "early_years"]
    assert happy.age_groups.split() == ["0-4", "5-11"]
    assert happy.ecm_outcomes.split() == ["positive_contribution", "stay_safe"]
    assert happy.studies.get().effects.get().statement.startswith("10-point improvement")
    reading = Practice.objects.get(slug="eef-teaching-and-learning-reading-comprehension")
    assert reading.eef_months == 6 and reading.eef_padlocks == 4  # the newest version wins
    trial = Study.objects.get(practice__slug="family-meetings")
    assert (trial.design, trial.n_total, trial.year) == ("rct", 2000, 2023)
    assert trial.effects.get().significant is True
    bcg = Synthesis.objects.get(practice__slug__startswith="bcg")
    assert bcg.k == 4 and bcg.measure == "RR" and bcg.estimate < 0
    assert bcg.certainty_reasons and bcg.recommendation and bcg.rule
    assert search.search_ids("parenting")[0] == happy.pk  # the name and summary outrank a theme label
    assert search.search_ids("mentoring young") == [Practice.objects.get(slug="teen-mentoring").pk]


def test_loading_twice_changes_nothing(tmp_path):
    folder = write_evidence(tmp_path)
    load_evidence(folder)
    before = counts()
    ids = list(Practice.objects.order_by("pk").values_list("pk", flat=True))
    report = load_evidence(folder)
    assert not report.changed
    assert counts() == before
    assert list(Practice.objects.order_by("pk").values_list("pk", flat=True)) == ids


def test_a_changed_file_updates_and_removes(tmp_path):
    load_evidence(write_evidence(tmp_path))
    load_evidence(write_evidence(tmp_path, programmes=PROGRAMMES[:1], trials=[]))
    assert not Practice.objects.filter(slug="teen-mentoring").exists()
    assert not Practice.objects.filter(slug="family-meetings").exists()
    assert search.search_ids("mentoring") == []


BAD_CELLS = [
    ("programmes", 0, "eif_evidence_rating", "5", "eif_guidebook_programmes.csv, line 2, column 2"),
    ("programmes", 0, "eif_cost_rating", "six", "eif_guidebook_programmes.csv, line 2, column 5"),
    (
        "programmes",
        1,
        "age_as_evaluated_foundations",
        "teenagers",
        "eif_guidebook_programmes.csv, line 3, column 8",
    ),
    ("programmes", 0, "eif_url", "not a url", "eif_guidebook_programmes.csv, line 2, column 18"),
    ("programmes", 0, "level_of_need", "Everyone", "eif_guidebook_programmes.csv, line 2, column 9"),
    ("strands", 1, "impact_months", "+5.5", "eef_toolkit_strands.csv, line 3, column 4"),
    ("strands", 0, "toolkit_version", "2030 edition", "eef_toolkit_strands.csv, line 2, column 3"),
    ("strands", 0, "evidence_padlocks_1to5", "9", "eef_toolkit_strands.csv, line 2, column 10"),
    ("trials", 0, "design", "Case study", "wwcsc_trials.csv, line 2, column 3"),
    ("trials", 0, "statistically_significant", "maybe", "wwcsc_trials.csv, line 2, column 15"),
]


@pytest.mark.parametrize(("file", "index", "column", "value", "where"), BAD_CELLS)
def test_a_bad_cell_is_refused_with_file_line_and_column_and_nothing_changes(
    tmp_path, file, index, column, value, where
):
    load_evidence(write_evidence(tmp_path / "good"))
    before = counts()
    rows = {"programmes": PROGRAMMES, "strands": STRANDS, "trials": TRIALS}[file]
    bad = [dict(row) for row in rows]
    bad[index][column] = value
    with pytest.raises(DataFileError) as error:
        load_evidence(write_evidence(tmp_path / "bad", **{file: bad}))
    assert str(error.value).startswith(where), str(error.value)
    assert column in str(error.value)
    assert counts() == before


def test_an_effect_for_an_unknown_programme_is_refused(tmp_path):
    effects = [{"programme_name": "Nobody", "outcome_domain": "x", "outcome": "y", "statement": "z"}]
    with pytest.raises(DataFileError, match=r"eif_guidebook_outcome_effects.csv, line 2, column 1"):
        load_evidence(write_evidence(tmp_path, effects=effects))
    assert counts() == (0, 0, 0, 0, 0)


def test_a_bad_transcription_is_refused_with_its_file_and_path_and_nothing_changes(tmp_path, settings):
    load_evidence(write_evidence(tmp_path / "good"))
    before = counts()
    folder = write_evidence(tmp_path / "bad")
    review = bcg_review()
    review["syntheses"][0]["studies"][1]["data"]["events1"] = 500  # of 306
    write_content(Path(settings.EVIDENCE_CONTENT_DIR), review)
    with pytest.raises(DataFileError) as error:
        load_evidence(folder)
    assert str(error.value) == (
        "bcg-reference.json: syntheses[0].studies[1].data.events1: must be between 0 and n1 (306)"
    )
    assert counts() == before


def test_the_teaching_datasets_beside_the_folder_are_not_loaded(tmp_path):
    folder = write_evidence(tmp_path)
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "dat_bcg.json").write_text('{"dataset": "dat.bcg", "csv": "dat_bcg.csv"}')
    load_evidence(folder)
    assert not Practice.objects.filter(source="meta").exists()
    assert set(Practice.objects.values_list("source", flat=True)) == {"eif", "eef", "wwcsc", "review"}


def test_a_missing_file_or_folder_is_named(tmp_path, settings):
    folder = write_evidence(tmp_path)
    (folder / "eef_toolkit_strands.csv").unlink()
    with pytest.raises(DataFileError, match="eef_toolkit_strands.csv: the file is missing"):
        load_evidence(folder)
    settings.EVIDENCE_DIR = ""
    with pytest.raises(DataFolderError, match="SLIHUB_EVIDENCE_DIR"):
        load_evidence()
    with pytest.raises(DataFolderError, match="does not exist"):
        load_evidence(tmp_path / "nowhere")


def test_given_the_public_data_folder_it_reads_the_evidence_folder_beside_it(tmp_path):
    write_evidence(tmp_path)
    (tmp_path / "raw").mkdir()
    assert load_evidence(tmp_path / "raw").changed
    assert Practice.objects.filter(slug="happy-parents-group").exists()


def test_a_row_with_too_many_cells_is_refused(tmp_path):
    folder = write_evidence(tmp_path)
    path = folder / "wwcsc_trials.csv"
    path.write_text(path.read_text() + "a,b\n")
    with pytest.raises(DataFileError, match=r"wwcsc_trials.csv, line 3: 2 cells"):
        load_evidence(folder)


STARTER = Path(
    os.environ.get("SLIHUB_EVIDENCE_DIR")
    or Path(os.environ.get("SLIHUB_DATA_DIR", "/nowhere")).parent / "evidence"
)


@pytest.mark.skipif(
    not (STARTER / "eif_guidebook_programmes.csv").is_file(), reason="no starter content folder"
)
def test_the_real_starter_content_loads_once():
    progress = []
    assert load_evidence(STARTER, progress=progress.append).changed
    assert progress[0].startswith(f"Read {STARTER}: ")
    assert Practice.objects.filter(source="eif").count() == 24
    assert Practice.objects.get(slug="incredible-years-preschool").eif_rating == "4+"
    # R's teaching datasets beside it are not evidence about children's services
    assert not Practice.objects.filter(source="meta").exists()
    assert not Practice.objects.filter(slug__startswith="bcg").exists()
    before = counts()
    assert not load_evidence(STARTER).changed
    assert counts() == before
