"""Regions, local authorities, their statistical neighbours and boundaries: public reference data."""

from django.db import models
from django.urls import reverse


class Region(models.Model):
    """One of England's nine regions, or Inner/Outer London inside London."""

    code = models.CharField(max_length=9, unique=True)  # ONS: E12 regions, E13 Inner/Outer London
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("region-detail", args=[self.slug])

    @property
    def is_english_region(self) -> bool:
        return self.parent_id is None


class AuthorityType(models.TextChoices):
    # LAIT's types, the ones DfE uses in its children's services tables.
    INNER_LONDON = "ILB", "Inner London borough"
    OUTER_LONDON = "OLB", "Outer London borough"
    METROPOLITAN = "MD", "Metropolitan district"
    UNITARY = "UA", "Unitary authority"
    COUNTY = "SC", "Shire county"


class AuthorityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def by_code(self, code: str):
        """The authority with this DfE code, ONS code or former ONS code (raises DoesNotExist)."""
        code = code.strip().upper()
        query = models.Q(code=code) | models.Q(ons_code=code) | models.Q(former_ons_codes__ons_code=code)
        return self.filter(query).distinct().get()


class Authority(models.Model):
    """A local authority with children's services responsibilities, current or former."""

    code = models.CharField("DfE code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    la_type = models.CharField("type", max_length=3, choices=AuthorityType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="authorities")
    sub_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="sub_region_authorities"
    )
    ofsted_region = models.CharField(max_length=60, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    is_current = models.BooleanField(default=True)
    ended_on = models.DateField(null=True, blank=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="authority_code_3_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(is_current=True, ended_on__isnull=True) | models.Q(is_current=False),
                name="authority_current_has_no_end",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authority-detail", args=[self.code])


class FormerOnsCode(models.Model):
    """An ONS code an authority used before (North Yorkshire's E10000023, say)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="former_ons_codes")
    ons_code = models.CharField(max_length=9, unique=True)
    until = models.DateField()

    def __str__(self):
        return f"{self.ons_code} (until {self.until:%d %B %Y})"


class Succession(models.Model):
    """A reorganisation link: `successor` took over (part of) `predecessor`'s area on `effective`."""

    predecessor = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="successions_as_predecessor"
    )
    successor = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="successions_as_successor"
    )
    effective = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["effective", "predecessor__code", "successor__code"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
        ]

    def __str__(self):
        return f"{self.predecessor} to {self.successor} ({self.effective:%d %B %Y})"


class NeighbourModel(models.TextChoices):
    MAY_2025 = "2025", "DfE statistical neighbours, May 2025"
    APRIL_2021 = "2021", "DfE statistical neighbours, April 2021"


DEFAULT_NEIGHBOUR_MODEL = NeighbourModel.MAY_2025


class Closeness(models.TextChoices):
    EXTREMELY_CLOSE = "extremely close", "Extremely close"
    VERY_CLOSE = "very close", "Very close"
    CLOSE = "close", "Close"
    SOMEWHAT_CLOSE = "somewhat close", "Somewhat close"
    NOT_CLOSE = "not close", "Not close"


class StatisticalNeighbour(models.Model):
    """One of an authority's ten statistical neighbours in one DfE model."""

    model = models.CharField(max_length=4, choices=NeighbourModel.choices)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=20, choices=Closeness.choices)

    class Meta:
        ordering = ["model", "authority", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["model", "authority", "rank"], name="neighbour_rank_unique"),
            models.UniqueConstraint(fields=["model", "authority", "neighbour"], name="neighbour_unique"),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=10), name="neighbour_rank_1_to_10"
            ),
            models.CheckConstraint(
                condition=~models.Q(authority=models.F("neighbour")), name="neighbour_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.authority}: neighbour {self.rank} {self.neighbour} ({self.model} model)"


class Boundary(models.Model):
    """An authority's boundary (WGS84 GeoJSON geometry) for maps."""

    authority = models.OneToOneField(Authority, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "boundaries"

    def __str__(self):
        return f"Boundary of {self.authority}"


class SourceFile(models.Model):
    """A public file as last loaded: lets a repeated load see that nothing changed."""

    filename = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    loaded_at = models.DateTimeField()

    def __str__(self):
        return self.filename


class DataRelease(models.Model):
    """The version of one published dataset ("reference", "inspections", "indicators", "evidence") or of
    one part of it ("indicator:<slug>"), raised by every write that changes what the public pages show.
    Cached pages are keyed by the versions they read, so an import invalidates exactly those pages."""

    dataset = models.CharField(max_length=150, unique=True)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.dataset} release {self.version}"


class PopulationProjection(models.Model):
    """ONS's projected number of children aged 0 to 17 in an authority at mid-year `year`, from a
    sub-national population projections file a user loaded (`slihub load-population-projections`).
    The forecast of children looked after uses it, where loaded, in place of holding the last estimate."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="population_projections")
    year = models.PositiveSmallIntegerField()  # mid-year (30 June)
    population_0_17 = models.PositiveIntegerField()
    source = models.CharField(max_length=200)  # the file's label: "ONS 2022-based SNPP (persons)"
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["authority", "year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="population_projection_unique"),
        ]

    def __str__(self):
        return f"{self.authority}: {self.population_0_17:,} aged 0 to 17 in mid-{self.year} ({self.source})"
