"""Ofsted's inspections of local authority children's services (ILACS) and its visits between them.

Grades, judgment names and inspection types are Ofsted's own wording, stored verbatim.
"""

from datetime import date

from django.db import models

from slihub.inspections.files import UNOFFICIAL_FILES

# Ofsted began judging the experiences and progress of care leavers separately on 1 January 2023;
# before then one judgment covered "children in care and care leavers".
CARE_LEAVERS_JUDGED_FROM = date(2023, 1, 1)


class Grade(models.TextChoices):
    """Ofsted's four-point scale, value and label both Ofsted's exact wording."""

    OUTSTANDING = "Outstanding", "Outstanding"
    GOOD = "Good", "Good"
    REQUIRES_IMPROVEMENT = "Requires improvement to be good", "Requires improvement to be good"
    INADEQUATE = "Inadequate", "Inadequate"


class InspectionKind(models.TextChoices):
    """What Ofsted did; the labels are Ofsted's type names as its statistics print them."""

    STANDARD = "standard", "ILACS Standard Inspection"
    SHORT = "short", "ILACS Short Inspection"
    FOCUSED_VISIT = "focused visit", "ILACS Focused Visit"
    MONITORING_VISIT = "monitoring visit", "LA Monitoring visit"
    # With the other inspectorates (CQC, HMICFRS, HMI Probation): not graded, one theme a round.
    JTAI = "jtai", "Joint targeted area inspection"


# Only these carry judgments: a JTAI is an inspection but never graded, and is no ILACS visit either.
GRADED_KINDS = (InspectionKind.STANDARD, InspectionKind.SHORT)
VISIT_KINDS = (InspectionKind.FOCUSED_VISIT, InspectionKind.MONITORING_VISIT)

# (field, Ofsted's name for the judgment), in Ofsted's order.
JUDGMENTS = (
    ("overall_effectiveness", "Overall effectiveness"),
    ("impact_of_leaders", "The impact of leaders on social work practice with children and families"),
    ("help_and_protection", "The experiences and progress of children who need help and protection"),
    ("children_in_care", "The experiences and progress of children in care"),
    ("care_leavers", "The experiences and progress of care leavers"),
)
JUDGMENT_FIELDS = tuple(name for name, _ in JUDGMENTS)


class InspectionQuerySet(models.QuerySet):
    def graded(self):
        """Standard and short inspections: the ones with judgments."""
        return self.filter(kind__in=GRADED_KINDS)

    def visits(self):
        return self.filter(kind__in=VISIT_KINDS)


def _grade_field(verbose_name: str) -> models.CharField:
    # "" when Ofsted made no such judgment (visits; care leavers before 2023) or the source lacks it.
    return models.CharField(verbose_name, max_length=31, choices=Grade.choices, blank=True, default="")


class Inspection(models.Model):
    """One ILACS inspection or visit of one authority, merged from the files that hold it."""

    authority = models.ForeignKey("places.Authority", on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField("type", max_length=16, choices=InspectionKind.choices)
    start_date = models.DateField("inspection or visit date")
    end_date = models.DateField(null=True, blank=True)  # only Data to Insight's scrape records it
    published_on = models.DateField("publication date")
    overall_effectiveness = _grade_field(JUDGMENTS[0][1])
    impact_of_leaders = _grade_field(JUDGMENTS[1][1])
    help_and_protection = _grade_field(JUDGMENTS[2][1])
    children_in_care = _grade_field(JUDGMENTS[3][1])
    care_leavers = _grade_field(JUDGMENTS[4][1])
    visit_theme = models.CharField(max_length=100, blank=True)
    report_url = models.URLField("Ofsted report", blank=True)
    # The public files that hold this inspection, official first; the first one's record won.
    sources = models.JSONField(default=list)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "-start_date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "start_date", "kind"], name="inspection_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="inspection_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(published_on__gte=models.F("start_date")),
                name="inspection_published_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=GRADED_KINDS)
                | models.Q(
                    overall_effectiveness="",
                    impact_of_leaders="",
                    help_and_protection="",
                    children_in_care="",
                    care_leavers="",
                ),
                name="inspection_visits_are_not_graded",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__in": [*Grade.values, ""]}),
                    name=f"inspection_{name}_is_a_grade",
                )
                for name in JUDGMENT_FIELDS
            ),
        ]
        indexes = [models.Index(fields=["kind", "authority", "-start_date"], name="inspection_kind_latest")]

    def __str__(self):
        return f"{self.authority}: {self.get_kind_display()} from {self.start_date:%d %B %Y}"

    @property
    def is_graded(self) -> bool:
        return self.kind in GRADED_KINDS

    @property
    def is_official(self) -> bool:
        """Whether Ofsted's official statistics hold it (else it comes from the scrape alone)."""
        return any(name not in UNOFFICIAL_FILES for name in self.sources)

    def judgments(self) -> list[tuple[str, str, str]]:
        """(field, Ofsted's judgment name, grade or "") for the five judgments, in Ofsted's order."""
        return [(name, label, getattr(self, name)) for name, label in JUDGMENTS]

    @property
    def care_leavers_judged_separately(self) -> bool:
        return self.start_date >= CARE_LEAVERS_JUDGED_FROM


class InterventionKind(models.TextChoices):
    """The Department for Education's statutory interventions in children's services."""

    IMPROVEMENT_NOTICE = "improvement notice", "Improvement notice"
    STATUTORY_DIRECTION = "statutory direction", "Statutory direction"
    COMMISSIONER = "commissioner", "Children's services commissioner"
    TRUST = "trust", "Children's services trust"


class Intervention(models.Model):
    """A statutory intervention in an authority's children's services, as a national admin recorded it
    from its published source (DfE's notice or direction)."""

    authority = models.ForeignKey("places.Authority", on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    source_url = models.URLField("source", max_length=500)
    notes = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authority", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="intervention_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.authority}: {self.get_kind_display()} from {self.started_on:%d %B %Y}"

    def in_force_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)
