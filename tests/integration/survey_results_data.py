"""A survey with submitted responses for the results tests: more councils than build_places makes (so that
some counts reach 5), a single choice, a scale, a multiple choice, a number and a free-text question."""

import random

from django.utils import timezone

from slihub.places.importers import ENGLISH_REGIONS
from slihub.places.models import Authority, Region
from slihub.survey.models import Answer, Question, Response, Section, SurveyVersion
from tests import factories

OPTIONS = ["Yes", "Partly", "No"]
TOOLS = ["Peer review", "Mentoring", "Data packs"]


# councils made in each region, in code order (North East first): some regions stay under 5 answers
PER_REGION = [3, 6, 5, 8, 4, 7, 6, 10, 5]


def councils(places, per_region=PER_REGION) -> list[Authority]:
    """build_places' current councils and `per_region` more in England's nine regions."""
    regions = {region.code: region for region in Region.objects.filter(code__in=ENGLISH_REGIONS)}
    for code, name in ENGLISH_REGIONS.items():
        if code not in regions:
            regions[code] = factories.region(code, name)
    made = []
    number = 0
    for code, count in zip(sorted(ENGLISH_REGIONS), per_region, strict=True):
        for _ in range(count):
            number += 1
            made.append(
                factories.authority(
                    str(500 + number), f"E0690{number:04d}", f"Test council {number:03d}", "UA", regions[code]
                )
            )
    return list(Authority.objects.current().order_by("name"))


def version(year: int, status: str = SurveyVersion.Status.CLOSED, *, codes=None) -> SurveyVersion:
    """A version with a question of each kind (codes: staffing, confidence, tools, caseload, comments)."""
    made = SurveyVersion.objects.create(
        year=year, title=f"Directors' survey {year}", status=status, closed_at=timezone.now()
    )
    section = Section.objects.create(version=made, position=1, title="Your service")
    specs = [
        dict(code="staffing", text="Is your workforce stable?", kind="single", options=OPTIONS),
        dict(
            code="confidence",
            text="How confident are you about next year?",
            kind="scale",
            scale_min=1,
            scale_max=5,
            scale_min_label="Not at all",
            scale_max_label="Very",
        ),
        dict(code="tools", text="Which improvement tools do you use?", kind="multiple", options=TOOLS),
        dict(code="caseload", text="Average caseload per social worker", kind="number", unit="children"),
        dict(code="comments", text="Anything else?", kind="text", required=False),
    ]
    for position, spec in enumerate(specs, start=1):
        if codes is None or spec["code"] in codes:
            Question.objects.create(version=made, section=section, position=position, **spec)
    return made


def answer_all(made: SurveyVersion, authorities, *, seed: int = 1, status=Response.Status.SUBMITTED):
    """Every council in `authorities` answers every question of `made` (at random, repeatably)."""
    rng = random.Random(seed)
    questions = list(made.questions.all())
    for authority in authorities:
        response = Response.objects.create(
            version=made, authority=authority, status=status, submitted_at=timezone.now()
        )
        for question in questions:
            if question.kind == "single":
                value = rng.choice(question.options)
            elif question.kind == "scale":
                value = rng.randint(question.scale_min, question.scale_max)
            elif question.kind == "multiple":
                value = [option for option in question.options if rng.random() < 0.5]
            elif question.kind == "number":
                value = str(rng.randint(10, 30))
            else:
                value = f"Words from {authority.name}"
            Answer.objects.create(response=response, question=question, value=value)
    return made
