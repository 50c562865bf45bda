"""Risk scores, the backtest's report, and directors' changes as national admins record them.

Risk scores are private: they are shown to national admins, to alliance coordinators for their
region and to each council about itself, never to the public.
"""

from django.conf import settings
from django.db import models

from slihub.accounts.models import AuthorityOwnedQuerySet


class Target(models.TextChoices):
    INADEQUATE = "inadequate", "Inadequate overall"
    BELOW_GOOD = "below_good", "Requires improvement to be good, or worse"


class DirectorChange(models.Model):
    """A new director of children's services (interim or permanent) took up post on `started_on`."""

    authority = models.ForeignKey(
        "places.Authority", on_delete=models.CASCADE, related_name="director_changes"
    )
    started_on = models.DateField("date the new director started")
    name = models.CharField("new director's name", max_length=120, blank=True)
    interim = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AuthorityOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "started_on"], name="director_change_once_a_day"),
        ]

    def __str__(self):
        return f"{self.authority}: new director from {self.started_on:%d %B %Y}"


class RiskScore(models.Model):
    """An authority's risk of a poor next inspection as the hub computed it for the first of a month."""

    authority = models.ForeignKey("places.Authority", on_delete=models.CASCADE, related_name="risk_scores")
    month = models.DateField()  # always the first day of a month
    target = models.CharField(max_length=10, choices=Target.choices)
    probability = models.FloatField()
    rank = models.PositiveSmallIntegerField()  # 1 = highest risk among the authorities scored that month
    scored = models.PositiveSmallIntegerField()  # how many authorities were scored that month
    # [{"feature", "label", "contribution", "text"}], the largest pushes first, both directions.
    signals = models.JSONField(default=list)
    # The chance that its next graded inspection begins within 12 months (schedule.py); None before its
    # first inspection, or where no council with its last grade has waited as long.
    inspection_soon = models.FloatField(null=True, blank=True)

    objects = AuthorityOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["month", "target", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "month", "target"], name="risk_score_unique"),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1), name="risk_is_probability"
            ),
        ]
        indexes = [models.Index(fields=["target", "month", "rank"], name="risk_month_rank")]

    def __str__(self):
        return f"{self.authority} {self.month:%B %Y} {self.target}: {self.probability:.3f}"

    @property
    def percent(self) -> float:
        return self.probability * 100


class RiskModel(models.Model):
    """The model behind a month's scores: what it was trained on, and its coefficients."""

    month = models.DateField()
    target = models.CharField(max_length=10, choices=Target.choices)
    inspections = models.PositiveSmallIntegerField()
    positives = models.PositiveSmallIntegerField()
    parameters = models.JSONField()  # stats.risk.LogisticModel.to_dict()

    class Meta:
        ordering = ["month", "target"]
        constraints = [models.UniqueConstraint(fields=["month", "target"], name="risk_model_unique")]

    def __str__(self):
        return f"{self.target} model for {self.month:%B %Y}"


class BacktestReport(models.Model):
    """The latest backtest's results as `slihub warning backtest --json` prints them."""

    created_at = models.DateTimeField(auto_now_add=True)
    results = models.JSONField()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"Backtest of {self.created_at:%d %B %Y %H:%M}"
