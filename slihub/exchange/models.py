"""The specialist exchange: banks of specialists, help requests, matching runs, loans, backfill and the
reciprocity ledger (double-entry, in specialist-days).

Access goes through `visible_to(user)` on every queryset, built on accounts' Scope. A specialist's
personal details (name, email, registration number) are for their own council, national admins and
councils in an agreed loan; everyone else signed in sees an anonymised profile (see selectors).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format

from slihub.accounts.models import Role, User, scope_of
from slihub.exchange import taxonomy
from slihub.places.models import Authority

SIX_MONTHS_DAYS = 183  # a loan lasts at most this many days, both ends and extensions included
MAX_SPAN = timedelta(days=SIX_MONTHS_DAYS - 1)  # end - start

swe_number_validator = RegexValidator(
    r"^SW[0-9]{1,10}$",
    "Enter a Social Work England registration number: SW followed by digits, like SW123456",
)


def _day(value) -> str:
    """A date as people read it: 14 December 2026."""
    return date_format(value, "j F Y")


def validate_expertise(value):
    if not isinstance(value, list) or not value:
        raise ValidationError("Select at least one area of expertise")
    bad = taxonomy.unknown(value)
    if bad:
        raise ValidationError(f"Unknown area of expertise: {', '.join(map(str, bad))}")


def six_month_error(start, end) -> str | None:
    """The message for a period that breaks the date rules, or None."""
    if start and end:
        if end < start:
            return "The end date must be the same as or after the start date"
        if end - start > MAX_SPAN:
            return (
                f"The end date must be within six months of the start date: a loan lasts at most "
                f"{SIX_MONTHS_DAYS} days, extensions included "
                f"(this period lasts {(end - start).days + 1} days)"
            )
    return None


class Mode(models.TextChoices):
    REMOTE = "remote", "Remote"
    ON_SITE = "on_site", "On site"


class Seniority(models.IntegerChoices):
    PRACTITIONER = 1, "Practitioner"
    SENIOR_PRACTITIONER = 2, "Senior practitioner"
    TEAM_MANAGER = 3, "Team manager"
    SERVICE_MANAGER = 4, "Service manager"
    HEAD_OF_SERVICE = 5, "Head of service or above"


def days_per_week_field(**kwargs):
    return models.DecimalField(
        max_digits=2,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5"))],
        **kwargs,
    )


class SpecialistQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Own council's bank (and its region's coordinators), specialists listed with consent, and those
        lent to the user's council. Personal details need more: see selectors.shows_personal_details.
        The listed bank is for the councils and alliances that use the exchange: a signed-in user with no
        council or region (no membership, or an evidence editor) sees none of it."""
        scope = scope_of(user)
        if scope.national:
            return self
        if not (scope.member_of or scope.coordinates):  # signed out, or no council or region to act for
            return self.none()
        return self.filter(
            scope.authority_filter()
            | Q(consent_to_list=True, is_active=True)
            | Q(loans__borrower__in=scope.member_of, loans__status__in=Loan.AGREED)
        ).distinct()


class Specialist(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="specialists")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=120)
    seniority = models.PositiveSmallIntegerField(choices=Seniority.choices)
    expertise = models.JSONField(default=list, validators=[validate_expertise])
    accreditation = models.CharField(max_length=200, blank=True)
    swe_number = models.CharField(
        "Social Work England registration number",
        max_length=12,
        blank=True,
        validators=[swe_number_validator],
    )
    days_per_week = days_per_week_field()
    remote = models.BooleanField(default=True)
    on_site = models.BooleanField(default=True)
    consent_to_list = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)  # False once withdrawn from the bank
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpecialistQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "name"]
        constraints = [
            models.CheckConstraint(
                name="specialist_works_somehow", condition=Q(remote=True) | Q(on_site=True)
            ),
            models.CheckConstraint(
                name="specialist_days_per_week", condition=Q(days_per_week__gte=0.5, days_per_week__lte=5)
            ),
            models.CheckConstraint(
                name="specialist_seniority", condition=Q(seniority__gte=1, seniority__lte=5)
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.authority})"

    @property
    def reference(self) -> str:
        """The anonymised name, used by matching and for councils that may not see personal details."""
        return f"S{self.pk}"

    @property
    def modes(self) -> list[str]:
        return [m for m, on in ((Mode.REMOTE, self.remote), (Mode.ON_SITE, self.on_site)) if on]

    def expertise_labels(self):
        return taxonomy.labels(self.expertise)

    def clean(self):
        if not self.remote and not self.on_site:
            raise ValidationError({"remote": "Select at least one way of working: remote or on site"})


class AvailabilityWindowQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(specialist__in=Specialist.objects.visible_to(user))


class AvailabilityWindow(models.Model):
    specialist = models.ForeignKey(Specialist, on_delete=models.CASCADE, related_name="windows")
    start = models.DateField()
    end = models.DateField()

    objects = AvailabilityWindowQuerySet.as_manager()

    class Meta:
        ordering = ["specialist", "start"]
        constraints = [
            models.CheckConstraint(name="window_ends_after_start", condition=Q(end__gte=models.F("start")))
        ]

    def __str__(self):
        return f"{_day(self.start)} to {_day(self.end)}"


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Own council's requests (and its region's coordinators'); open requests to every council and
        alliance coordinator, so that they can offer help; and requests they lend to. A signed-in user
        with no council or region sees none."""
        scope = scope_of(user)
        if scope.national:
            return self
        if not (scope.member_of or scope.coordinates):  # signed out, or no council or region to act for
            return self.none()
        return self.filter(
            scope.authority_filter()
            | Q(status=HelpRequest.Status.OPEN)
            | (scope.authority_filter("loans__lender") & Q(loans__status__in=Loan.AGREED))
        ).distinct()


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MATCHED = "matched", "Matched"
        CLOSED = "closed", "Closed"

    class Urgency(models.IntegerChoices):
        ROUTINE = 1, "Routine"
        SOON = 2, "Soon"
        URGENT = 3, "Urgent"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="help_requests")
    # A council asked directly (a partner, or one early warning found strong in the area); any other
    # council may still offer, and matching still considers everyone.
    partner = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="requests_received"
    )
    title = models.CharField("The problem", max_length=200)
    expertise_needed = models.JSONField(default=list, validators=[validate_expertise])
    linked_indicators = models.CharField(max_length=500, blank=True)
    ofsted_findings = models.TextField(blank=True, max_length=4000)
    description = models.TextField(max_length=8000)
    start = models.DateField()
    end = models.DateField()
    days_per_week = days_per_week_field()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # The role created_by asked in (kept: memberships change); blank from the command line or the admin.
    raised_as = models.CharField(max_length=30, choices=Role.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="request_ends_after_start", condition=Q(end__gte=models.F("start"))),
            models.CheckConstraint(
                name="request_at_most_six_months", condition=Q(end__lte=models.F("start") + MAX_SPAN)
            ),
            models.CheckConstraint(
                name="request_days_per_week", condition=Q(days_per_week__gte=0.5, days_per_week__lte=5)
            ),
            models.CheckConstraint(
                name="request_partner_is_another_council",
                condition=Q(partner__isnull=True) | ~Q(partner=models.F("authority")),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.authority})"

    @property
    def reference(self) -> str:
        return f"R{self.pk}"

    def expertise_labels(self):
        return taxonomy.labels(self.expertise_needed)

    def clean(self):
        message = six_month_error(self.start, self.end)
        if message:
            raise ValidationError({"end": message})


class MatchRun(models.Model):
    """One matching run: its proposals are loans in the `proposed` state."""

    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    region = models.ForeignKey(
        "places.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # a coordinator's run covers the requests of their region's councils
    requests_considered = models.PositiveIntegerField(default=0)
    specialists_considered = models.PositiveIntegerField(default=0)
    declined_pairs = models.PositiveIntegerField(default=0)
    total_fit = models.FloatField(default=0)
    objective = models.FloatField(default=0)
    greedy_total_fit = models.FloatField(default=0)
    unassigned = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Matching run {self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


class LoanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lending and the borrowing council (and their regions' coordinators), national admins."""
        scope = scope_of(user)
        if scope.national:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(scope.authority_filter("lender") | scope.authority_filter("borrower"))


class Loan(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted by both councils"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"
        DECLINED = "declined", "Declined"

    # A specialist's loans in these states never overlap (service check under a row lock, and on
    # PostgreSQL an exclusion constraint: see migration 0002).
    AGREED = (Status.ACCEPTED, Status.ACTIVE, Status.COMPLETED, Status.ENDED_EARLY)

    specialist = models.ForeignKey(Specialist, on_delete=models.PROTECT, related_name="loans")
    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="loans")
    lender = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="loans_out")
    borrower = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="loans_in")
    start = models.DateField()
    end = models.DateField()
    days_per_week = days_per_week_field()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="loans")
    score = models.FloatField(null=True, blank=True)
    components = models.JSONField(default=dict, blank=True)
    explanation = models.TextField(blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    lender_accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    borrower_accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    feedback = models.TextField(blank=True, max_length=4000)
    outcome_notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(name="loan_ends_after_start", condition=Q(end__gte=models.F("start"))),
            models.CheckConstraint(
                name="loan_at_most_six_months", condition=Q(end__lte=models.F("start") + MAX_SPAN)
            ),
            models.CheckConstraint(name="loan_between_councils", condition=~Q(lender=models.F("borrower"))),
        ]

    def __str__(self):
        return f"Loan {self.pk}: {self.specialist.reference} from {self.lender} to {self.borrower}"

    @property
    def reference(self) -> str:
        return f"L{self.pk}"

    @property
    def planned_days(self) -> Decimal:
        """Specialist-days the loan may deliver: its weeks times its days a week, rounded to a half day."""
        weeks = Decimal((self.end - self.start).days + 1) / 7
        return (weeks * self.days_per_week * 2).quantize(Decimal("1")) / 2

    @property
    def is_agreed(self) -> bool:
        return self.status in self.AGREED


class Decline(models.Model):
    """A proposal turned down: the pair is never proposed again (the next run reads these)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="declines")
    specialist = models.ForeignKey(Specialist, on_delete=models.CASCADE, related_name="declines")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    declined_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "specialist"], name="decline_once_per_pair")
        ]

    def __str__(self):
        return f"{self.specialist.reference} declined for {self.request.reference}"


class BackfillQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lender's own arrangement: its council (and region's coordinators) and national admins."""
        condition = scope_of(user).authority_filter("loan__lender")
        return self if condition is None else self.filter(condition)


class Backfill(models.Model):
    """Who acts up in the lender's vacancy while the specialist is away, from when to when."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="backfills")
    acting_up = models.CharField("Who acts up", max_length=120)
    acting_role = models.CharField("Role they act up into", max_length=120)
    start = models.DateField()
    end = models.DateField()
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BackfillQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(name="backfill_ends_after_start", condition=Q(end__gte=models.F("start")))
        ]

    def __str__(self):
        return f"{self.acting_up} acts up as {self.acting_role}, {_day(self.start)} to {_day(self.end)}"


class LedgerTransaction(models.Model):
    """One movement of specialist-days: its entries add up to zero."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", "Days delivered"
        REDEMPTION = "redemption", "Credit redeemed nationally"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    loan = models.ForeignKey(
        Loan, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    on = models.DateField()
    memo = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {_day(self.on)}"


class LedgerEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A council's statement: its members, its region's coordinators and national admins."""
        condition = scope_of(user).authority_filter()
        return self if condition is None else self.filter(condition)


class LedgerEntry(models.Model):
    """A posting: positive days credit the account, negative debit it. authority None is the national
    pool, against which credit is redeemed; every transaction's postings sum to zero."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days = models.DecimalField(max_digits=8, decimal_places=1)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["transaction__on", "transaction_id", "id"]
        indexes = [models.Index(fields=["authority", "transaction"])]
        constraints = [models.CheckConstraint(name="ledger_entry_not_zero", condition=~Q(days=0))]

    def __str__(self):
        return f"{self.authority or 'National pool'}: {self.days:+} days"
