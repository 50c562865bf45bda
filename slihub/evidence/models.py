"""The evidence library: practices, their studies and effect estimates, and the synthesis cached per
practice and outcome (recomputed after every import by slihub.evidence.synthesis)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.stats.evidence_rating import CERTAINTY_LEVELS, DESIGNS, RISK_OF_BIAS

#: the hub's six themes (the same keys as slihub.exchange.taxonomy.THEMES)
THEMES = (
    ("early_years", "Early years"),
    ("disabled_children", "Disabled children"),
    ("vulnerable_children", "Vulnerable children"),
    ("youth", "Youth"),
    ("parents_carers_families", "Parents, carers and families"),
    ("schools_communities", "Schools and communities"),
)
THEME_LABELS = dict(THEMES)

#: Every Child Matters (2003) outcomes
ECM_OUTCOMES = (
    ("be_healthy", "Be healthy"),
    ("stay_safe", "Stay safe"),
    ("enjoy_achieve", "Enjoy and achieve"),
    ("positive_contribution", "Make a positive contribution"),
    ("economic_wellbeing", "Achieve economic well-being"),
)
ECM_LABELS = dict(ECM_OUTCOMES)

AGE_GROUPS = (
    ("0-4", "Early years (0 to 4)"),
    ("5-11", "Primary (5 to 11)"),
    ("12-18", "Secondary (12 to 18)"),
)
AGE_LABELS = dict(AGE_GROUPS)

#: The problems an outcome bears on, in the words the rest of the hub uses: early warning's signal areas
#: and the alliances' priorities ask "what works for this problem" by these keys.
PROBLEMS = (
    ("workforce", "Workforce stability"),
    ("front_door", "Front door and re-referrals"),
    ("child_protection", "Child protection and maltreatment"),
    ("children_in_care", "Entry to care and placement stability"),
    ("care_leavers", "Care leavers"),
    ("education", "School outcomes"),
    ("behaviour", "Children's behaviour and mental health"),
    ("offending", "Youth offending"),
    ("parents", "Parents' mental health and substance misuse"),
)
PROBLEM_LABELS = dict(PROBLEMS)


class Outcome(models.Model):
    """An outcome name that effect estimates are grouped and pooled by."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=200, blank=True)
    attainment = models.BooleanField(default=False, help_text="attainment: shown as EEF months of progress")
    higher_is_better = models.BooleanField(default=True)
    problem = models.CharField(max_length=30, choices=PROBLEMS, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Practice(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme"
        APPROACH = "approach", "Approach"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROGRAMME)
    summary = models.TextField(blank=True)
    # keys separated and surrounded by spaces (" early_years youth "), so a filter is one LIKE on any database
    themes = models.CharField(max_length=200, blank=True)
    ecm_outcomes = models.CharField(max_length=200, blank=True)
    age_groups = models.CharField(max_length=60, blank=True)
    age_description = models.CharField(max_length=100, blank=True)
    setting = models.CharField(max_length=300, blank=True)
    delivery_model = models.CharField(max_length=100, blank=True)
    level_of_need = models.CharField(max_length=100, blank=True)
    cost_per_child = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_year = models.PositiveSmallIntegerField(null=True, blank=True)
    cost_source = models.CharField(max_length=300, blank=True)
    # the cost in the source's own words, where it gives one that is not a single figure ("Up to £1,200")
    cost_statement = models.CharField(max_length=300, blank=True)
    cost_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    eif_rating = models.CharField(max_length=5, blank=True, help_text="as published: 4+, 3, 2+, NL2, NE")
    eef_months = models.SmallIntegerField(null=True, blank=True, help_text="as published by the EEF")
    eef_padlocks = models.PositiveSmallIntegerField(null=True, blank=True)
    links = models.JSONField(default=list, blank=True)  # [{"label": ..., "url": ...}]
    source = models.CharField(max_length=40)  # the loader that owns it: eif, eef, wwcsc, meta, upload
    source_note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)  # further published facts, shown as a list
    aliases = models.TextField(blank=True)  # other names practitioners search for, one per line
    uk_tested = models.BooleanField(null=True, blank=True)
    uk_available = models.BooleanField(null=True, blank=True)
    # a strand's ratings across toolkit versions, newest first: [{"version", "months", "cost", "evidence"}]
    rating_history = models.JSONField(default=list, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="practice_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_rating__isnull=True)
                | models.Q(cost_rating__gte=1, cost_rating__lte=5),
                name="practice_cost_rating_1_to_5",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evidence-practice", args=[self.slug])

    @property
    def theme_labels(self):
        return [THEME_LABELS.get(t, t) for t in self.themes.split()]

    @property
    def ecm_labels(self):
        return [ECM_LABELS.get(t, t) for t in self.ecm_outcomes.split()]

    @property
    def age_labels(self):
        return [AGE_LABELS.get(t, t) for t in self.age_groups.split()]


def keys(values) -> str:
    """Keys as stored in Practice.themes/ecm_outcomes/age_groups: " a b " (empty when none)."""
    values = [v for v in dict.fromkeys(values) if v]
    return f" {' '.join(values)} " if values else ""


class Study(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="studies")
    key = models.CharField(max_length=120)  # unique within the practice: the source's own id
    citation = models.CharField(max_length=400)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    country = models.CharField(max_length=100, blank=True)
    design = models.CharField(max_length=30, choices=list(DESIGNS.items()), default="not-stated")
    design_detail = models.CharField(max_length=300, blank=True)
    maryland = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    n_intervention = models.PositiveIntegerField(null=True, blank=True)
    n_comparison = models.PositiveIntegerField(null=True, blank=True)
    n_total = models.PositiveIntegerField(null=True, blank=True)
    sample_description = models.CharField(max_length=300, blank=True)
    risk_of_bias = models.CharField(max_length=10, choices=list(RISK_OF_BIAS.items()), blank=True)
    risk_of_bias_basis = models.CharField(max_length=400, blank=True)  # where the judgement comes from
    url = models.URLField(max_length=500, blank=True)
    source_note = models.TextField(blank=True)
    # the loader that owns the study when it is not its practice's: "review:<file key>" for the library's
    # own transcriptions (slihub.evidence.content), so that reloading the practice's source keeps it
    source = models.CharField(max_length=60, blank=True)
    uploaded_by = models.ForeignKey(
        "places.Authority", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_studies"
    )

    class Meta:
        ordering = ["practice", "year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "key"], name="study_key_unique_in_practice"),
            models.CheckConstraint(
                condition=models.Q(maryland__isnull=True) | models.Q(maryland__gte=1, maryland__lte=5),
                name="study_maryland_1_to_5",
            ),
        ]

    def __str__(self):
        return self.citation


class EffectEstimate(models.Model):
    """One study's effect on one outcome. Poolable when yi and vi are both given."""

    class Measure(models.TextChoices):
        SMD = "SMD", "Standardised mean difference"
        MD = "MD", "Mean difference"
        OR = "OR", "Log odds ratio"
        RR = "RR", "Log risk ratio"
        RD = "RD", "Risk difference"
        NONE = "", "Reported in words"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="effects")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="effects")
    measure = models.CharField(max_length=5, choices=Measure.choices, blank=True)
    yi = models.FloatField(null=True, blank=True)
    vi = models.FloatField(null=True, blank=True)
    statement = models.TextField(blank=True)
    intervention_value = models.CharField(max_length=100, blank=True)
    comparison_value = models.CharField(max_length=100, blank=True)
    significant = models.BooleanField(null=True, blank=True)
    timeframe = models.CharField(max_length=200, blank=True)
    primary = models.BooleanField(default=False)
    # the numbers as transcribed ({"m1": .., "sd1": .., "n1": ..}, {"events1": ..}, {"yi": .., "ci_lb": ..})
    # and where in the source they were seen ("Analysis 1.1, p. 87"): yi and vi are computed from them
    inputs = models.JSONField(default=dict, blank=True)
    source_place = models.TextField(blank=True)

    class Meta:
        ordering = ["study", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["study", "outcome"], name="effect_one_per_study_outcome"),
            models.CheckConstraint(
                condition=models.Q(vi__isnull=True) | models.Q(vi__gt=0), name="effect_vi_positive"
            ),
        ]

    def __str__(self):
        return f"{self.study}: {self.outcome}"

    @property
    def poolable(self):
        return self.yi is not None and self.vi is not None and self.measure not in ("", "RD")


class PublishedPool(models.Model):
    """A source's own pooled estimate for a practice and outcome, as printed, with the model it used: the
    hub's pooled estimate from the transcribed studies must reproduce it (Synthesis.reproduces)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="published_pools")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="published_pools")
    measure = models.CharField(max_length=5)
    method = models.CharField(max_length=10)  # EE, DL, REML, MH, MH-DL (RevMan's M-H random effects)
    estimate = models.FloatField()  # on the printed scale: a ratio for OR and RR
    ci_lb = models.FloatField(null=True, blank=True)
    ci_ub = models.FloatField(null=True, blank=True)
    decimals = models.PositiveSmallIntegerField()
    k = models.PositiveIntegerField(null=True, blank=True)
    citation = models.TextField()
    url = models.URLField(max_length=500, blank=True)
    place = models.TextField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["practice", "outcome"]
        constraints = [models.UniqueConstraint(fields=["practice", "outcome"], name="published_pool_unique")]

    def __str__(self):
        return f"{self.practice}: {self.outcome} ({self.citation})"


class Synthesis(models.Model):
    """The pooled result and its judgement for one practice and outcome (cached; see synthesis.py)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="syntheses")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="syntheses")
    measure = models.CharField(max_length=5)
    k = models.PositiveIntegerField()
    total_n = models.PositiveIntegerField(null=True, blank=True)
    estimate = models.FloatField()
    se = models.FloatField()
    ci_lb = models.FloatField()
    ci_ub = models.FloatField()
    pi_lb = models.FloatField()
    pi_ub = models.FloatField()
    tau2 = models.FloatField()
    i2 = models.FloatField()
    egger_p = models.FloatField(null=True, blank=True)
    certainty = models.CharField(max_length=10, choices=[(c, c) for c in CERTAINTY_LEVELS])
    certainty_start = models.CharField(max_length=10)
    certainty_reasons = models.JSONField(default=list)  # [{"domain", "change", "reason"}]
    eif_level = models.CharField(max_length=5, blank=True)
    padlocks = models.PositiveSmallIntegerField(default=0)
    months = models.SmallIntegerField(null=True, blank=True)
    impact = models.CharField(max_length=300)
    recommendation = models.CharField(max_length=30)
    rule = models.CharField(max_length=30)
    rule_reason = models.CharField(max_length=400)
    cost_per_unit_effect = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=10, default="REML")  # the source's model where it printed a pool
    # None: the source printed no pooled estimate to check against; False: not used for a recommendation
    reproduces = models.BooleanField(null=True, blank=True)
    reproduction = models.CharField(max_length=400, blank=True)  # the two results side by side, in words

    class Meta:
        ordering = ["practice", "outcome"]
        constraints = [models.UniqueConstraint(fields=["practice", "outcome"], name="synthesis_unique")]

    def __str__(self):
        return f"{self.practice}: {self.outcome}"


class LocalPracticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Validated local practice is public. Before that (and after a refusal): the submitting council,
        its region's alliance coordinator, national admins and the practice's assigned validators."""
        scope = scope_of(user)
        if scope.national:
            return self
        condition = models.Q(status=LocalPractice.Status.VALIDATED)
        if not user.is_authenticated:
            return self.filter(condition)
        condition |= scope.authority_filter() | models.Q(
            pk__in=PeerValidation.objects.filter(validator=user).values("local_practice")
        )
        return self.filter(condition)


class LocalPractice(models.Model):
    """A council's own practice. A national admin or the region's alliance coordinator assigns two peer
    validators from two other councils; two approvals publish it, one refusal closes it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting validators"
        IN_REVIEW = "in_review", "With peer validators"
        VALIDATED = "validated", "Validated local practice"
        REJECTED = "rejected", "Not validated"

    authority = models.ForeignKey(
        "places.Authority", on_delete=models.PROTECT, related_name="local_practices"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="local_practices"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="what was done")
    for_whom = models.TextField(blank=True, help_text="who it was for")
    outcome_measure = models.CharField(max_length=300, blank=True, help_text="the outcome measured")
    outcome_before = models.CharField(max_length=300, blank=True)
    outcome_after = models.CharField(max_length=300, blank=True)
    comparison = models.TextField(blank=True, help_text="any comparison group, and its figures")
    evidence = models.TextField(help_text="what the council's own data shows")
    cost_per_child = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_year = models.PositiveSmallIntegerField(null=True, blank=True)
    themes = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = LocalPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "authority"], name="localpractice_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_per_child__isnull=True) | models.Q(cost_year__isnull=False),
                name="localpractice_cost_has_year",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.authority})"

    def get_absolute_url(self):
        return reverse("evidence-local-detail", args=[self.pk])

    @property
    def theme_labels(self):
        return [THEME_LABELS.get(t, t) for t in self.themes.split()]


class PeerValidation(models.Model):
    """A peer validator assigned to a local practice, and (once given) their decision with reasons."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Validated"
        REJECT = "reject", "Not validated"

    local_practice = models.ForeignKey(LocalPractice, on_delete=models.CASCADE, related_name="validations")
    validator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    validator_authority = models.ForeignKey("places.Authority", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_practice", "validator_authority"], name="one_validation_per_council"
            ),
            models.UniqueConstraint(
                fields=["local_practice", "validator"],
                condition=models.Q(validator__isnull=False),
                name="one_validation_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="", decided_at__isnull=True)
                | models.Q(decision__in=["approve", "reject"], decided_at__isnull=False),
                name="validation_decision_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.validator_authority}: {self.get_decision_display() or 'awaiting decision'}"


class LocalPracticeEvent(models.Model):
    """The history of a local practice: who did what, when, and the state it left."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for peer validation"
        ASSIGNED = "assigned", "Validator assigned"
        RELEASED = "released", "Validator released before deciding"
        APPROVED = "approved", "Validated by a peer"
        REJECTED = "rejected", "Not validated by a peer"
        PUBLISHED = "published", "Published as validated local practice"
        CLOSED = "closed", "Closed without publication"

    local_practice = models.ForeignKey(LocalPractice, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # as it was at the time (memberships change): "Alliance coordinator, London"
    actor_role = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    status = models.CharField(max_length=20, choices=LocalPractice.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.local_practice}: {self.get_action_display()}"


class UploadBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Evidence editors and national admins see every upload; a council's members see their council's
        uploads, and anyone sees their own."""
        scope = scope_of(user)
        if scope.edits_evidence:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(authority__in=scope.member_of) | models.Q(uploaded_by=user))


class UploadBatch(models.Model):
    """One uploaded file of studies, staged: nothing in it is public until an evidence editor or a national
    admin accepts it, when its rows are applied in one transaction and the syntheses recomputed."""

    class Status(models.TextChoices):
        STAGED = "staged", "Awaiting review"
        ACCEPTED = "accepted", "Published"
        REJECTED = "rejected", "Not published"

    authority = models.ForeignKey(
        "places.Authority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_uploads",
        help_text="the council that owns the upload (none for a national upload)",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="evidence_uploads"
    )
    file_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STAGED)
    studies = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)

    objects = UploadBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["status", "uploaded_at"], name="uploadbatch_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="staged", reviewed_at__isnull=True)
                | models.Q(status__in=["accepted", "rejected"], reviewed_at__isnull=False),
                name="uploadbatch_review_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("evidence-upload-detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return self.authority.name if self.authority_id else "National (no council)"


class StagedRow(models.Model):
    """One row of an uploaded file as proposed: a study's effect on one outcome. It changes nothing
    until its batch is accepted; what it adds or changes is worked out against the library then."""

    batch = models.ForeignKey(UploadBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    study_key = models.CharField(max_length=120)
    study = models.JSONField()  # the Study fields as uploaded (citation, year, design, ...)
    outcome_slug = models.SlugField(max_length=120)
    outcome_name = models.CharField(max_length=200)
    effect = models.JSONField()  # measure, yi, vi

    class Meta:
        ordering = ["batch", "line"]
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="stagedrow_line_unique")]

    def __str__(self):
        return f"{self.batch}: line {self.line}"
