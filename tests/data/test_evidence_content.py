"""The library's own transcriptions (slihub/evidence/content/reviews) reproduce what their sources print.

For every synthesis whose source printed its pooled estimate ("published"), the hub pools the transcribed
studies with the source's model and must give the printed estimate and confidence limits to within one
unit of the last printed decimal (slihub.evidence.synthesis.reproduction). A synthesis the file marks as
knowingly not reproducing ("reproduces": false, with the reason in its note) must not reproduce, and once
loaded it has reproduces False and no recommendation. One test per synthesis, named by file and index.
The files are the shipped ones (SLIHUB_EVIDENCE_CONTENT_DIR may name a copy being checked).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from slihub.evidence import content
from slihub.evidence.models import Synthesis
from slihub.evidence.services import load_evidence
from slihub.evidence.synthesis import MIN_STUDIES, check_transcribed
from slihub.sources import DataFileError

pytestmark = pytest.mark.django_db


def _published():
    """The shipped syntheses with a printed pool, read at collection (or why they cannot be read)."""
    try:
        found = content.read_content(settings.EVIDENCE_CONTENT_DIR)
    except DataFileError as error:
        return [pytest.param(str(error), id="content-files-are-invalid")]
    return [pytest.param(s, id=s.label) for s in found.syntheses if s.published]


PUBLISHED = _published()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, data_dir):
    """The starter content and the shipped transcriptions, loaded once for the module and rolled back."""
    evidence = Path(os.environ.get("SLIHUB_EVIDENCE_DIR") or data_dir.parent / "evidence")
    with django_db_blocker.unblock(), transaction.atomic():
        load_evidence(evidence, content_dir=settings.EVIDENCE_CONTENT_DIR)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("item", PUBLISHED)
def test_the_hub_reproduces_the_sources_pooled_result(item, loaded):
    if isinstance(item, str):
        pytest.fail(f"The content files do not load: {item}")
    checked, pooled = check_transcribed(item)
    assert checked is not None, f"{item.label}: no study estimates an effect, so nothing can be checked"
    stored = Synthesis.objects.filter(practice__slug=item.practice, outcome__slug=item.outcome).first()
    pooled_by_the_hub = sum(e["yi"] is not None for e in item.effects) >= MIN_STUDIES
    if item.published.get("reproduces") is False:
        assert not checked.reproduces, (
            f"{item.label} is marked as not reproducing, but it does now: remove the mark. {checked.words}"
        )
        if pooled_by_the_hub:
            assert stored is not None and stored.reproduces is False
            assert (stored.recommendation, stored.rule) == ("", "not-reproduced")
        return
    assert checked.reproduces, f"{item.label}: {checked.words}"
    if pooled_by_the_hub:
        assert stored is not None, f"{item.label} was not pooled on loading"
        assert (stored.reproduces, stored.method) == (True, item.published["method"])
        assert stored.reproduction == checked.words
