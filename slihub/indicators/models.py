"""The indicator bank: indicators, periods, published values and the comparisons derived from them.

A value is stored as a float or as the publisher's marker (c, x, z, u, k, low, -), never both
and never neither. The source cell's text is not kept: float(text) of a number cell gives the
stored float exactly (IEEE doubles round-trip through repr), and a marker cell is its status,
so value + status reproduce the cell; the data tests check that for every imported cell.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from slihub.indicators.classification import Outcome, Theme
from slihub.places.models import Authority, Region


class Polarity(models.TextChoices):
    HIGH = "high", "Higher is better"
    LOW = "low", "Lower is better"
    NONE = "none", "Neither"


class Indicator(models.Model):
    code = models.CharField(max_length=80, unique=True)  # LAIT 'Short Desc', or 'dfe:<name>'
    slug = models.SlugField(max_length=100, unique=True)  # the URL key, from the code (slugs.py)
    source = models.CharField(max_length=80, db_index=True)  # 'lait' or the tidy mapping's name
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=80)  # LAIT 'Short Desc' as published
    topic = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    polarity = models.CharField(max_length=4, choices=Polarity.choices, default=Polarity.NONE)
    unit = models.CharField(max_length=100, blank=True)
    decimal_places = models.PositiveSmallIntegerField(null=True, blank=True)
    quartiles = models.BooleanField(default=True)  # LAIT's No_Quartile = 'N' turns banding off
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.UNCLASSIFIED)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.UNCLASSIFIED)
    publisher = models.CharField(max_length=300, blank=True)
    methodology = models.TextField(blank=True)
    link = models.TextField(blank=True)
    year_type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicator-map", args=[self.slug])

    @property
    def link_urls(self) -> list[str]:
        """The web addresses in the publisher's link field (it may also hold words or several links)."""
        words = self.link.replace(";", " ").replace(",", " ").split()
        return [w.rstrip(".)") for w in words if w.startswith(("https://", "http://"))]


class Period(models.Model):
    label = models.CharField(max_length=20, unique=True)  # as published: '2024-25 (OT)'
    kind = models.CharField(max_length=16)  # see periods.KINDS
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    flag = models.CharField(max_length=12, blank=True)  # provisional, revised, final, outturn
    sort_key = models.PositiveIntegerField(db_index=True)

    class Meta:
        ordering = ["sort_key", "label"]

    def __str__(self):
        return self.label

    @property
    def provisional(self) -> bool:
        return self.flag == "provisional"


class AreaType(models.TextChoices):
    AUTHORITY = "la", "Local authority"
    REGION = "region", "Region"
    ENGLAND = "england", "England"


class Value(models.Model):
    """One published cell: an indicator's value for an area in a period."""

    # Foreign keys without their own index: the composite indexes below lead with them, and
    # fewer indexes keep a load of 650,000 values quick.
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    area_type = models.CharField(max_length=7, choices=AreaType.choices)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=3, blank=True)  # a markers.MARKERS key, or '' for a number

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "period"], name="value_indicator_period"),
            models.Index(fields=["authority", "indicator"], name="value_authority_indicator"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & ~Q(status="")) | Q(value__isnull=False, status=""),
                name="value_xor_status",
            ),
            models.CheckConstraint(
                condition=Q(area_type="la", authority__isnull=False, region__isnull=True)
                | Q(area_type="region", authority__isnull=True, region__isnull=False)
                | Q(area_type="england", authority__isnull=True, region__isnull=True),
                name="value_area_consistent",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "authority"],
                condition=Q(area_type="la"),
                name="value_unique_authority",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "region"],
                condition=Q(area_type="region"),
                name="value_unique_region",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(area_type="england"), name="value_unique_england"
            ),
        ]

    def __str__(self):
        shown = self.status if self.value is None else self.value
        return f"{self.indicator.code} {self.period.label}: {shown}"


class Basis(models.TextChoices):
    PUBLISHED = "published", "Published figure"
    MEAN = "mean", "Mean of the authorities' published values"
    NONE = "", "Not available"


class Trend(models.TextChoices):
    IMPROVING = "improving", "Improving"
    DECLINING = "declining", "Declining"
    RISING = "rising", "Rising"  # polarity 'neither'
    FALLING = "falling", "Falling"
    STABLE = "stable", "Stable"
    NONE = "", "Not enough data"


class Comparison(models.Model):
    """Derived once per import for a current authority's published value (suppressed ones too)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="comparisons", db_index=False
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+", db_index=False)
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=3, blank=True)
    neighbours_2025 = models.FloatField(null=True, blank=True)  # mean of the neighbours' values
    neighbours_2025_count = models.PositiveSmallIntegerField(default=0)  # how many had a value
    neighbours_2021 = models.FloatField(null=True, blank=True)
    neighbours_2021_count = models.PositiveSmallIntegerField(default=0)
    region_value = models.FloatField(null=True, blank=True)
    region_basis = models.CharField(max_length=9, choices=Basis.choices, blank=True)
    england_value = models.FloatField(null=True, blank=True)
    england_basis = models.CharField(max_length=9, choices=Basis.choices, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 = best (or highest if no polarity)
    ranked = models.PositiveSmallIntegerField(default=0)  # authorities with a value this period
    quartile = models.CharField(max_length=1, blank=True)  # A best .. D worst; '' if no polarity
    change = models.FloatField(null=True, blank=True)  # since the series' previous period
    trend_3 = models.CharField(max_length=9, choices=Trend.choices, blank=True)
    trend_5 = models.CharField(max_length=9, choices=Trend.choices, blank=True)

    class Meta:
        # The unique constraint's index serves indicator + period queries.
        indexes = [models.Index(fields=["authority", "indicator"], name="comparison_authority_ind")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "authority"], name="comparison_unique"),
        ]

    def __str__(self):
        return f"{self.authority} {self.indicator.code} {self.period.label}"


class ImportedSource(models.Model):
    """What was last loaded for one source (LAIT, or a tidy mapping): a repeat of the same files skips."""

    source = models.CharField(max_length=80, unique=True)
    filename = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # sha256 of the files and the mapping
    values = models.PositiveIntegerField()
    loaded_at = models.DateTimeField()

    def __str__(self):
        return self.source
