"""The evidence library: practices (searchable and filterable), one practice with its studies and pooled
results, the rules that produce the judgements, and local practice. All public, except local practice
before it is validated: that is seen by the submitting council, its region's alliance coordinator,
national admins and its assigned validators (LocalPractice.objects.visible_to)."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, Code, InputSchema, QueryText
from slihub.evidence import selectors
from slihub.evidence import selectors as evidence_selectors
from slihub.evidence.models import AGE_LABELS, PROBLEM_LABELS, THEME_LABELS, LocalPractice
from slihub.stats import evidence_rating as er

router = Router(tags=["evidence"])

OUTCOME_PROBLEM = (
    "the problem the outcome bears on, in the words early warning and the alliances' priorities use: "
    "workforce, front_door, child_protection, children_in_care, care_leavers, education, behaviour, "
    'offending or parents; "" for none'
)

ThemeCode = Literal[tuple(THEME_LABELS)]
AgeCode = Literal[tuple(AGE_LABELS)]
CertaintyCode = Literal[er.CERTAINTY_LEVELS]
RecommendationCode = Literal[selectors.RECOMMENDATIONS]


ProblemCode = Literal[tuple(PROBLEM_LABELS)]
CostRating = Annotated[int, Field(ge=1, le=5)]
ANY_OF = "Repeat the parameter to choose several: a practice matching any of them is kept."


class PracticeFilters(InputSchema):
    q: QueryText = Field(
        "",
        description="full-text search over practices (their names, other names, studies and outcomes): "
        "every word must match, as a stem or a prefix; words naming one thing in different sources' terms "
        "find each other (parenting and parent training, looked after and in care)",
    )
    theme: list[ThemeCode] = Field(default_factory=list, max_length=10, description=f"a theme. {ANY_OF}")
    outcome: QueryText = Field("", max_length=120, description="an outcome slug")
    problem: list[ProblemCode] = Field(
        default_factory=list,
        max_length=10,
        description="what problem: a practice with a pooled result, or a study, on an outcome bearing on it. "
        + ANY_OF,
    )
    age: list[AgeCode] = Field(default_factory=list, max_length=10, description=f"an age group. {ANY_OF}")
    certainty: list[CertaintyCode] = Field(
        default_factory=list, max_length=10, description=f"the certainty of a pooled result. {ANY_OF}"
    )
    cost_rating: list[CostRating] = Field(
        default_factory=list, max_length=10, description=f"a cost rating band, 1 to 5. {ANY_OF}"
    )
    recommendation: list[RecommendationCode] = Field(
        default_factory=list,
        max_length=10,
        description="the recommendation of a pooled result (with problem and certainty, the same pooled "
        f"result must match them all). {ANY_OF}",
    )


class SynthesisOut(Schema):
    outcome: str = Field(..., alias="outcome.name")
    outcome_slug: str = Field(..., alias="outcome.slug")
    outcome_problem: str = Field(..., alias="outcome.problem", description=OUTCOME_PROBLEM)
    measure: str
    k: int
    total_n: int | None
    estimate: float
    se: float
    ci_lb: float
    ci_ub: float
    pi_lb: float
    pi_ub: float
    tau2: float
    i2: float = Field(..., description="I² in percent")
    egger_p: float | None
    certainty: str
    certainty_start: str
    certainty_reasons: list[dict]
    eif_level: str
    padlocks: int
    months: int | None
    impact: str
    recommendation: str
    rule: str
    rule_reason: str
    cost_per_unit_effect: float | None


class PracticeOut(Schema):
    slug: str
    name: str
    kind: str
    summary: str
    themes: list[str]
    ecm_outcomes: list[str]
    age_groups: list[str]
    cost_rating: int | None
    eif_rating: str
    eef_months: int | None
    recommendation: str = Field(
        ..., description='its best pooled result\'s recommendation, or "No recommendation yet"'
    )
    certainty: str = Field(..., description='that result\'s certainty, or "not rated"')
    effect: str = Field(..., description="that result's effect in words, or the publisher's own rating")
    study_count: int
    syntheses: list[SynthesisOut]

    @staticmethod
    def resolve_recommendation(obj):
        return selectors.headline(obj).recommendation

    @staticmethod
    def resolve_certainty(obj):
        return selectors.headline(obj).certainty

    @staticmethod
    def resolve_effect(obj):
        return selectors.headline(obj).effect

    @staticmethod
    def resolve_study_count(obj):
        count = getattr(obj, "study_count", None)
        return count if count is not None else obj.studies.count()

    @staticmethod
    def resolve_themes(obj):
        return obj.themes.split()

    @staticmethod
    def resolve_ecm_outcomes(obj):
        return obj.ecm_outcomes.split()

    @staticmethod
    def resolve_age_groups(obj):
        return obj.age_groups.split()

    @staticmethod
    def resolve_syntheses(obj):
        return list(obj.syntheses.all())


class EffectOut(Schema):
    outcome: str = Field(..., alias="outcome.name")
    outcome_problem: str = Field(..., alias="outcome.problem", description=OUTCOME_PROBLEM)
    measure: str
    yi: float | None
    vi: float | None
    statement: str
    intervention_value: str
    comparison_value: str
    significant: bool | None
    timeframe: str
    primary: bool


class StudyOut(Schema):
    key: str
    citation: str
    year: int | None
    country: str
    design: str
    maryland: int | None
    n_intervention: int | None
    n_comparison: int | None
    n_total: int | None
    risk_of_bias: str = Field(..., description='low, some or high; "" when not assessed')
    risk_of_bias_basis: str = Field(..., description="where the risk-of-bias judgement comes from")
    url: str
    effects: list[EffectOut]

    @staticmethod
    def resolve_effects(obj):
        return list(obj.effects.all())


class PracticeDetailOut(PracticeOut):
    setting: str
    delivery_model: str
    level_of_need: str
    cost_per_child: float | None
    cost_year: int | None
    cost_source: str
    cost_statement: str = Field(..., description="the cost in the source's words, where not a single figure")
    eef_padlocks: int | None
    links: list[dict]
    source_note: str
    details: dict
    aliases: list[str] = Field(..., description="other names it is known by")
    rating_history: list[dict] = Field(
        ...,
        description="an EEF strand's ratings across toolkit versions, newest first: version, strand (the "
        "name in that version), months, cost (1 to 5), evidence (padlocks), headline, url",
    )
    studies: list[StudyOut]

    @staticmethod
    def resolve_aliases(obj):
        return [a for a in obj.aliases.split("\n") if a.strip()]

    @staticmethod
    def resolve_studies(obj):
        return list(obj.studies.all())


class RuleOut(Schema):
    code: str
    recommendation: str
    when: str


class ThresholdOut(Schema):
    name: str
    value: float
    meaning: str


class RulesOut(Schema):
    recommendation_rules: list[RuleOut]
    thresholds: list[ThresholdOut]


@router.get(
    "/evidence/practices", response={200: list[PracticeOut], **INVALID}, summary="Search and filter practices"
)
@paginate(Pagination)
def list_practices(request, filters: Query[PracticeFilters]):
    """Practices with their pooled results per outcome: those whose best result says Offer first, then
    Consider, Only in research and Do not offer; then those with studies or a publisher's rating; then the
    rest; within each, best match first with `q` (else by name)."""
    return selectors.practices(
        selectors.Filters(
            q=filters.q.strip(),
            theme=tuple(filters.theme),
            outcome=filters.outcome,
            problem=tuple(filters.problem),
            age=tuple(filters.age),
            certainty=tuple(filters.certainty),
            cost_rating=tuple(filters.cost_rating),
            recommendation=tuple(filters.recommendation),
        )
    )


@router.get("/evidence/rules", response=RulesOut, summary="The rules behind the judgements")
def get_rules(request):
    return {
        "recommendation_rules": [
            {"code": r.code, "recommendation": r.recommendation, "when": r.when}
            for r in er.RECOMMENDATION_RULES
        ],
        "thresholds": [
            {"name": name, "value": value, "meaning": text} for name, (value, text) in er.THRESHOLDS.items()
        ],
    }


@router.get(
    "/evidence/practices/{slug}",
    response={200: PracticeDetailOut, **NOT_FOUND, **INVALID},
    summary="One practice",
)
def get_practice(request, slug: Code):
    """A practice with its studies, their effect estimates and the pooled result for each outcome."""
    return selectors.practice(slug)


# ---------------------------------------------------------------------------------------------
# Local practice

StatusCode = Literal[tuple(LocalPractice.Status.values)]


class LocalPracticeFilters(InputSchema):
    q: QueryText = Field("", description="full-text search over validated local practice")
    theme: ThemeCode | None = None
    status: StatusCode | None = None


class LocalPracticeOut(Schema):
    id: int
    title: str
    council: str = Field(..., alias="authority.name")
    council_code: str = Field(..., alias="authority.code")
    status: str
    status_label: str
    themes: list[str]
    summary: str
    for_whom: str
    outcome_measure: str
    outcome_before: str
    outcome_after: str
    comparison: str
    evidence: str
    cost_per_child: float | None
    cost_year: int | None
    submitted_at: datetime
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_themes(obj):
        return obj.themes.split()

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ValidationOut(Schema):
    council: str
    validator: str | None = Field(
        None, description="shown to those who may see the practice before publication"
    )
    decision: str = Field(..., description='"approve", "reject", or "" while awaiting a decision')
    reasons: str
    assigned_at: datetime
    decided_at: datetime | None


class EventOut(Schema):
    at: datetime
    action: str
    action_label: str
    actor: str | None = Field(None, description="shown to those who may see the practice before publication")
    actor_role: str
    status: str
    note: str


class LocalPracticeDetailOut(LocalPracticeOut):
    validations: list[ValidationOut] = Field(..., alias="validations_out")
    history: list[EventOut] = Field(..., alias="history_out")


@router.get(
    "/evidence/local-practices", response={200: list[LocalPracticeOut], **INVALID}, summary="Local practice"
)
@paginate(Pagination)
def list_local_practices(request, filters: Query[LocalPracticeFilters]):
    """Validated local practice for everyone; signed in, also the unpublished practice you may see (your
    council's, your region's as its coordinator, or practice you were assigned to validate). With `q`,
    validated local practice matching it, best first."""
    return evidence_selectors.local_practices(
        request.user, q=filters.q, theme=filters.theme or "", status=filters.status or ""
    )


@router.get(
    "/evidence/local-practices/{practice_id}",
    response={200: LocalPracticeDetailOut, **NOT_FOUND, **INVALID},
    summary="One local practice, with its validators and history",
)
def get_local_practice(request, practice_id: int = Path(..., ge=1, le=2**31 - 1)):
    """404 alike for an id that does not exist and for unpublished practice you may not see (signed in or
    not), so that the answer never tells whether an unpublished practice exists."""
    practice = evidence_selectors.local_practice(request.user, practice_id)
    people = evidence_selectors.can_see_people(request.user, practice)
    validations, events = evidence_selectors.local_workflow(practice)
    practice.validations_out = [
        {
            "council": v.validator_authority.name,
            "validator": str(v.validator) if people and v.validator else None,
            "decision": v.decision,
            "reasons": v.comment,
            "assigned_at": v.assigned_at,
            "decided_at": v.decided_at,
        }
        for v in validations
    ]
    practice.history_out = [
        {
            "at": e.at,
            "action": e.action,
            "action_label": e.get_action_display(),
            "actor": str(e.actor) if people and e.actor else None,
            "actor_role": e.actor_role,
            "status": e.status,
            "note": e.note,
        }
        for e in events
    ]
    return practice
