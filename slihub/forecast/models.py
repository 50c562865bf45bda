"""Forecasts of children looked after and their backtest, worked out once from the published figures and
stored, so that the forecast pages and API read them rather than simulate on every request.

All three tables are recomputed together, in bulk, by `refresh_forecasts()` (slihub/forecast/refresh.py):
after a load of public data and with `slihub forecast refresh`. They hold published data only, so they
are public; a council's budgets and scenarios, which are private, live elsewhere.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from slihub.accounts.models import scope_of


class ForecastBasis(models.Model):
    """What an area's stored forecast was made from: the published years it read and the rates it fitted.
    An area with too few published years has a basis with a `note` saying so, and no forecasts."""

    authority = models.OneToOneField(
        "places.Authority", null=True, blank=True, on_delete=models.CASCADE, related_name="forecast_basis"
    )  # None: England
    as_of_year = models.PositiveSmallIntegerField()  # the latest published year read
    # [{"year", "looked_after", "starts", "ceases"}], oldest first: the years the forecast was fitted on
    published = models.JSONField(default=list)
    # {"starts_per_10000", "ceases_share", "ceases_share_published", "gap_per_year", "population_0_17"}, and
    # the parts (refresh._parts): "placement_mix", "uasc", "by_age" and "population" (which one was used)
    rates = models.JSONField(default=dict)
    simulations = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)  # why there is no forecast, when there is none
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"Forecast basis of {self.authority or 'England'} ({self.as_of_year})"


class StoredForecast(models.Model):
    """An area's forecast of the children looked after at 31 March of `year`: the middle of the
    simulations and the 50% (p25 to p75) and 80% (p10 to p90) ranges."""

    authority = models.ForeignKey(
        "places.Authority", null=True, blank=True, on_delete=models.CASCADE, related_name="stored_forecasts"
    )  # None: England
    as_of_year = models.PositiveSmallIntegerField()  # forecast from the figures published up to this year
    horizon = models.PositiveSmallIntegerField()  # years ahead: 1 to 5
    year = models.PositiveSmallIntegerField()  # as_of_year + horizon
    median = models.FloatField()
    p10 = models.FloatField()
    p25 = models.FloatField()
    p75 = models.FloatField()
    p90 = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["authority", "horizon"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "horizon"], name="stored_forecast_unique"),
            models.UniqueConstraint(
                fields=["horizon"], condition=Q(authority__isnull=True), name="stored_forecast_england_unique"
            ),
            models.CheckConstraint(
                condition=Q(p10__lte=models.F("p25"))
                & Q(p25__lte=models.F("median"))
                & Q(median__lte=models.F("p75"))
                & Q(p75__lte=models.F("p90"))
                & Q(p10__gte=0),
                name="stored_forecast_ordered",
            ),
            models.CheckConstraint(
                condition=Q(horizon__gte=1, horizon__lte=5), name="stored_forecast_horizon"
            ),
        ]

    def __str__(self):
        return f"{self.authority or 'England'} at 31 March {self.year}: {self.median:,.0f}"


class StoredBacktest(models.Model):
    """The latest backtest of the forecasts, as `slihub forecast backtest --json` prints it."""

    results = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        get_latest_by = "computed_at"

    def __str__(self):
        return f"Forecast backtest of {self.computed_at:%d %B %Y %H:%M}"


class StoredCost(models.Model):
    """An area's unit cost of a child in care (from the latest revenue outturn) and the spending its stored
    forecast would cost in each financial year, at outturn-year prices (0% inflation): the median and 80%
    range of the same simulations as the stored forecast. Worked out by `refresh_forecasts()`; pages apply
    an inflation setting by multiplying by (1 + i) ** (years after the outturn year)."""

    authority = models.OneToOneField(
        "places.Authority", null=True, blank=True, on_delete=models.CASCADE, related_name="stored_cost"
    )  # None: England
    year = models.CharField(max_length=7, blank=True)  # the outturn's financial year, '2024-25'
    year_end = models.PositiveSmallIntegerField(null=True, blank=True)  # 2025 for 2024-25
    unit_cost = models.FloatField(null=True, blank=True)  # GBP per child-year of care
    # where the spending figure is from: {"name", "place", "spend", "net_spend", "net_place"}
    source = models.JSONField(default=dict)
    # [{"type", "name", "spend", "unit_cost", "note", "place"}]: residential care, fostering, ...
    placement_types = models.JSONField(default=list)
    # [{"year": "2025-26", "year_end": 2026, "median", "p10", "p90"}], GBP at outturn-year prices
    years = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)  # why there is no cost or no projection
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority"], condition=Q(authority__isnull=True), name="stored_cost_england_unique"
            ),
        ]

    def __str__(self):
        return f"Cost of children in care in {self.authority or 'England'} ({self.year})"


class BudgetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A council's budgets are private to the council's members, its region's alliance coordinators
        and national admins."""
        condition = scope_of(user).authority_filter()
        return self if condition is None else self.filter(condition)


class Budget(models.Model):
    """A council's budget for children looked after in the financial year ending 31 March `year_end`,
    entered by the council: private to the council and its alliance."""

    authority = models.ForeignKey(
        "places.Authority", on_delete=models.CASCADE, related_name="forecast_budgets"
    )
    year_end = models.PositiveSmallIntegerField()  # 2027 for 2026-27
    amount = models.PositiveBigIntegerField()  # whole pounds
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "year_end"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year_end"], name="forecast_budget_unique"),
        ]

    def __str__(self):
        return f"{self.authority} budget for {self.financial_year}: £{self.amount:,}"

    @property
    def financial_year(self) -> str:
        return f"{self.year_end - 1}-{self.year_end % 100:02d}"


class ScenarioQuerySet(models.QuerySet):
    def visible_to(self, user):
        """See Scenario: the council's members and national admins always; once shared with the alliance,
        also the region's alliance coordinators and the members of the region's other councils."""
        scope = scope_of(user)
        if scope.national:
            return self
        from slihub.places.models import Authority

        regions = Authority.objects.filter(id__in=scope.member_of).values("region_id")
        shared = Q(shared_with_alliance=True) & (
            Q(authority__region__in=scope.coordinates) | Q(authority__region__in=regions)
        )
        return self.filter(Q(authority__in=scope.member_of) | shared)


class Scenario(models.Model):
    """A council's saved scenario on its forecast: changed entry rate, exit share and placement mix, with
    the results against the baseline worked out once when it is saved (and again when it is edited).

    Who sees it: the council's members (council members, admins, its director) and national admins,
    always. Once shared with the alliance, also the alliance coordinators of the council's region and
    the members of the other councils in that region. Nobody else.
    Who changes it: the council's members create and edit its scenarios (analysts run them); only its
    council admins and director share, unshare or delete them (see slihub/forecast/scenario_services.py).
    Every write is audited (slihub/audit/registry.py audits every model of slihub.forecast)."""

    authority = models.ForeignKey(
        "places.Authority", on_delete=models.CASCADE, related_name="forecast_scenarios"
    )
    name = models.CharField(max_length=100)
    entries_times = models.FloatField(default=1.0)
    entries_plus = models.FloatField(default=0.0)  # per 10,000 children aged 0 to 17
    exits_times = models.FloatField(default=1.0)
    exits_plus = models.FloatField(default=0.0)  # percentage points
    moves = models.JSONField(default=list)  # [{"percent": 10, "from": "residential", "to": "fostering"}]
    shared_with_alliance = models.BooleanField(default=False)
    # scenarios.run_scenario's result, trimmed: years; baseline, scenario_result and difference by year
    results = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="forecast_scenario_name_unique"),
        ]

    def __str__(self):
        return f"{self.authority} scenario: {self.name}"


class ChildLevelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Private to the council's members (council members, admins, its director) and national admins."""
        scope = scope_of(user)
        return self if scope.national else self.filter(authority__in=scope.member_of)


class ChildLevelUpload(models.Model):
    """The yearly figures worked out from a council's own SSDA903 return (slihub/forecast/ssda903): the
    files are read in memory and never kept, so this holds counts only, no child's data. Private to the
    council's members and national admins; its creation is the audit log's record of the upload."""

    authority = models.ForeignKey(
        "places.Authority", on_delete=models.CASCADE, related_name="child_level_uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    header_files = models.PositiveSmallIntegerField()
    episode_files = models.PositiveSmallIntegerField()
    header_rows = models.PositiveIntegerField()
    episode_rows = models.PositiveIntegerField()
    first_year = models.PositiveSmallIntegerField()  # the first return's year, to 31 March
    last_year = models.PositiveSmallIntegerField()
    # ssda903.aggregate.yearly(): [{"year", "looked_after", "starts", "ceases", "by_placement", "by_age"}]
    years = models.JSONField(default=list)

    objects = ChildLevelQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "-uploaded_at", "-pk"]
        get_latest_by = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.authority}'s 903 return, {self.first_year} to {self.last_year}"
