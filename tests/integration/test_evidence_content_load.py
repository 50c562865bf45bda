"""Loading the library's own transcriptions with the starter content: atomic, idempotent, keeping what
reviews attach to an EIF programme when the EIF reloads, pooling with the source's model and checking
the source's printed result."""

import json
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from slihub.evidence.models import EffectEstimate, Outcome, Practice, PublishedPool, Study, Synthesis
from slihub.evidence.services import load_evidence
from slihub.places.importers import DataFileError
from tests.integration.evidence_fixtures import PROGRAMMES, bcg_review, write_content, write_evidence

pytestmark = pytest.mark.django_db

OUTCOMES = (
    "slug,name,problem,higher_is_better\n"
    "child-maltreatment,Child maltreatment (substantiated or reported),child_protection,false\n"
)
# two trials of the EIF fixture's programme, as a Cochrane review prints them: 10 of 20 against 5 of 20,
# and 6 of 30 against 3 of 30; its "M-H, Fixed" odds ratio, as printed: 2.633 (0.972 to 7.132)
TRIALS = [("trial-a", 10, 20, 5, 20), ("trial-b", 6, 30, 3, 30)]
PRINTED = {"estimate": 2.633, "ci_lb": 0.972, "ci_ub": 7.132, "decimals": 3, "k": 2, "place": "Analysis 1.1"}


def eif_review(method="MH", **published):
    return {
        "key": "eif-programme-review",
        "citation": "A Cochrane review of Happy Parents Group (2020)",
        "url": "https://example.org/cochrane",
        "type": "systematic review",
        "practices": [],
        "syntheses": [
            {
                "practice": "happy-parents-group",
                "outcome": "child-maltreatment",
                "measure": "OR",
                "effect_size": "revman",
                "place": "Analysis 1.1 (forest plot)",
                "published": {"method": method, **PRINTED, **published},
                "studies": [
                    {
                        "key": key,
                        "citation": f"{key} (2010)",
                        "year": 2010,
                        "design": "rct",
                        "data": {"events1": a, "n1": n1, "events2": c, "n2": n2},
                    }
                    for key, a, n1, c, n2 in TRIALS
                ],
            }
        ],
    }


def content_folder(settings) -> Path:
    return Path(settings.EVIDENCE_CONTENT_DIR)


def load(tmp_path, settings, *reviews, **overrides):
    folder = write_evidence(tmp_path, **overrides)
    write_content(content_folder(settings), bcg_review(), *reviews, outcomes=OUTCOMES)
    return load_evidence(folder)


def counts():
    return tuple(
        m.objects.count() for m in (Practice, Study, EffectEstimate, Outcome, Synthesis, PublishedPool)
    )


def test_loading_twice_changes_nothing_and_an_eif_reload_keeps_the_reviews_studies(tmp_path, settings):
    assert load(tmp_path, settings, eif_review()).changed
    programme = Practice.objects.get(slug="happy-parents-group")
    assert programme.source == "eif"
    review_studies = set(
        programme.studies.filter(source="review:eif-programme-review").values_list("key", flat=True)
    )
    assert review_studies == {"trial-a", "trial-b"}
    before = counts()
    assert not load(tmp_path, settings, eif_review()).changed
    assert counts() == before
    # the EIF file changes (a new summary, its own study withdrawn): the review's studies stay
    changed = [{**PROGRAMMES[0], "eif_population_description": "Groups for parents of young children"}]
    assert load(
        tmp_path / "again", settings, eif_review(), programmes=changed + PROGRAMMES[1:], effects=[]
    ).changed
    programme.refresh_from_db()
    assert programme.summary == "Groups for parents of young children"
    assert set(programme.studies.values_list("key", flat=True)) == review_studies  # the EIF study went
    assert Synthesis.objects.get(practice=programme).k == 2


def test_the_sources_model_reproduces_its_printed_pool(tmp_path, settings):
    load(tmp_path, settings, eif_review())
    synthesis = Synthesis.objects.get(practice__slug="happy-parents-group")
    assert (synthesis.method, synthesis.measure, synthesis.k, synthesis.reproduces) == ("MH", "OR", 2, True)
    assert synthesis.reproduction == (
        "The source reports 2.633 (0.972 to 7.132); the hub's pooling of its 2 studies gives "
        "2.633 (0.972 to 7.132)."
    )
    assert synthesis.recommendation and synthesis.rule != "not-reproduced"
    pool = PublishedPool.objects.get()
    assert (pool.practice.slug, pool.outcome.slug, pool.method) == (
        "happy-parents-group",
        "child-maltreatment",
        "MH",
    )
    effect = EffectEstimate.objects.get(study__key="trial-a")
    assert effect.inputs == {"events1": 10, "n1": 20, "events2": 5, "n2": 20}
    assert effect.source_place == "Analysis 1.1 (forest plot)"
    assert (effect.intervention_value, effect.comparison_value) == ("10 of 20", "5 of 20")
    # a synthesis without a printed pool is pooled by REML and not checked
    bcg = Synthesis.objects.get(practice__slug__startswith="bcg")
    assert (bcg.method, bcg.reproduces, bcg.reproduction) == ("REML", None, "")


def test_a_pool_that_does_not_reproduce_gets_no_recommendation(tmp_path, settings):
    # inverse-variance random effects gives 2.638 (0.974 to 7.145): more than 0.001 from what is printed
    load(tmp_path, settings, eif_review(method="DL"))
    synthesis = Synthesis.objects.get(practice__slug="happy-parents-group")
    assert (synthesis.method, synthesis.reproduces) == ("DL", False)
    assert (synthesis.recommendation, synthesis.rule) == ("", "not-reproduced")
    assert "does not reproduce the source's printed result" in synthesis.rule_reason
    assert synthesis.reproduction.startswith("The source reports 2.633 (0.972 to 7.132); the hub's pooling")
    assert synthesis.reproduction.endswith("They differ by more than the last printed decimal.")


def test_a_review_practice_keeps_its_other_names(tmp_path, settings):
    review = bcg_review()
    review["practices"][0].update(synonyms=["BCG", "tuberculosis vaccine", "BCG"], uk_tested=True)
    load(tmp_path, settings, review)
    bcg = Practice.objects.get(slug__startswith="bcg")
    assert (bcg.source, bcg.aliases, bcg.uk_tested, bcg.uk_available) == (
        "review",
        "BCG\ntuberculosis vaccine",
        True,
        None,
    )
    assert bcg.links[0]["url"] == "https://github.com/wviechtb/metadat"
    assert bcg.studies.count() == 4


def test_a_file_replaces_its_own_rows_and_a_file_no_longer_there_leaves_them(tmp_path, settings):
    from tests.integration.evidence_fixtures import BCG_ROWS

    load(tmp_path, settings, eif_review())
    write_content(content_folder(settings), bcg_review(BCG_ROWS[:3]), outcomes=OUTCOMES)
    assert load_evidence(tmp_path / "evidence").changed
    assert set(Study.objects.filter(practice__slug__startswith="bcg").values_list("key", flat=True)) == {
        "trial-1",
        "trial-2",
        "trial-3",
    }
    assert Study.objects.filter(source="review:eif-programme-review").count() == 2  # kept: history
    assert PublishedPool.objects.count() == 1
    # the review no longer prints a pool (the analysis it came from was withdrawn): the pool goes
    review = eif_review()
    del review["syntheses"][0]["published"]
    write_content(content_folder(settings), bcg_review(BCG_ROWS[:3]), review, outcomes=OUTCOMES)
    assert load_evidence(tmp_path / "evidence").changed
    assert not PublishedPool.objects.exists()
    synthesis = Synthesis.objects.get(practice__slug="happy-parents-group")
    assert (synthesis.method, synthesis.reproduces) == ("REML", None)


def test_a_bad_file_changes_nothing_and_the_load_is_audited(tmp_path, settings):
    load(tmp_path, settings, eif_review())
    before = counts()
    study_type = ContentType.objects.get_for_model(Study)
    assert LogEntry.objects.filter(content_type=study_type, object_repr="trial-a (2010)").exists()
    bad = eif_review()
    bad["syntheses"][0]["studies"][1]["data"]["events2"] = 31
    with pytest.raises(DataFileError) as error:
        load(tmp_path, settings, bad)
    assert str(error.value) == (
        "eif-programme-review.json: syntheses[0].studies[1].data.events2: must be between 0 and n2 (30)"
    )
    assert counts() == before


def test_the_commands_load_and_check_the_content(tmp_path, settings):
    folder = write_evidence(tmp_path)
    write_content(content_folder(settings), bcg_review(), eif_review(), outcomes=OUTCOMES)
    out = StringIO()
    call_command("import-evidence", evidence_dir=str(folder), stdout=out)
    assert "Loaded the evidence library." in out.getvalue()
    assert Synthesis.objects.get(practice__slug="happy-parents-group").reproduces
    out = StringIO()
    call_command("import-evidence", evidence_dir=str(folder), stdout=out)
    assert "Already loaded: nothing changed." in out.getvalue()
    settings.EVIDENCE_DIR = str(folder)
    out = StringIO()
    call_command("evidence", "check-content", stdout=out)
    text = out.getvalue()
    assert "eif-programme-review.json syntheses[0]: happy-parents-group / child-maltreatment" in text
    assert "  hub:    2.633 (0.972 to 7.132)\n  source: 2.633 (0.972 to 7.132)\n  REPRODUCES" in text
    assert "NOT CHECKED: the source printed no pooled result" in text  # the BCG file prints none
    out = StringIO()
    call_command("evidence", "check-content", "--studies", stdout=out)
    assert (
        "    trial-a" in out.getvalue() and " 3.000 (0.786 to 11.445)\n" in out.getvalue()
    )  # OR 10/20 vs 5/20
    out = StringIO()
    call_command("evidence", "check-content", "--json", stdout=out)
    rows = {row["file"]: row for row in json.loads(out.getvalue())}
    assert rows["eif-programme-review.json"]["reproduces"] is True
    assert rows["bcg-reference.json"]["reproduces"] is None
    bad = eif_review()
    del bad["syntheses"][0]["place"]
    write_content(content_folder(settings), bad, outcomes=OUTCOMES)
    with pytest.raises(CommandError) as error:
        call_command("evidence", "check-content")
    assert error.value.returncode == 2
    assert str(error.value) == "eif-programme-review.json: syntheses[0]: needs place"


def test_the_migration_takes_the_teaching_datasets_out_of_the_library(tmp_path, settings):
    import importlib

    from django.apps import apps

    load(tmp_path, settings, eif_review())
    tb = Outcome.objects.create(slug="tuberculosis-cases-old", name="Tuberculosis cases (old)")
    meta = Practice.objects.create(slug="bcg-old", name="BCG (reference dataset)", source="meta")
    study = Study.objects.create(practice=meta, key="trial-1", citation="Aronson (1948)")
    EffectEstimate.objects.create(study=study, outcome=tb, measure="RR", yi=-0.9, vi=0.3)
    writing = Outcome.objects.create(slug="academic-achievement", name="Academic achievement")
    before = counts()
    migration = importlib.import_module("slihub.evidence.migrations.0010_remove_teaching_datasets")
    migration.delete_teaching_datasets(apps, None)
    assert not Practice.objects.filter(source="meta").exists()
    assert not Outcome.objects.filter(slug="academic-achievement").exists()  # a dataset's, now unused
    assert Outcome.objects.filter(pk=tb.pk).exists()  # not one of the datasets' own slugs: kept
    assert counts() == (before[0] - 1, before[1] - 1, before[2] - 1, before[3] - 1, *before[4:])
    assert Practice.objects.filter(source="review").exists() and writing.pk
