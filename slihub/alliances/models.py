"""Regional improvement alliances and their annual cycle: membership agreements, the cycle's dates,
self-assessments with their ratings and history, and challenge groups.

An alliance is one English region; its member councils are the region's current authorities (so a
reorganisation changes the membership without anyone retyping it). London's sub-regional clusters are
groups inside London's alliance. Private records (self-assessments, challenges) go through
`visible_to(user)`, built on accounts' Scope: the council itself (its chief executive and lead member
included), its region's coordinators, the moderator assigned, and national admins.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from slihub.accounts.models import scope_of
from slihub.exchange.taxonomy import EXPERTISE
from slihub.inspections.models import JUDGMENTS, Grade
from slihub.places.models import Authority, Region


class Alliance(models.Model):
    """A region's improvement alliance."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="alliance", limit_choices_to={"parent": None}
    )
    name = models.CharField(max_length=150)
    lead_director = models.CharField("lead director", max_length=150, blank=True)
    lead_authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The indicators the alliance agreed to watch together (its tartan rug), in its own order.
    core_indicators = models.JSONField(default=list, blank=True)  # indicator slugs

    class Meta:
        ordering = ["region__code"]

    def __str__(self):
        return self.name

    def members(self):
        return Authority.objects.current().filter(region=self.region)


class AllianceGroup(models.Model):
    """A group of councils inside an alliance, such as one of London's sub-regional clusters."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=100)
    authorities = models.ManyToManyField(Authority, related_name="alliance_groups")

    class Meta:
        ordering = ["alliance", "name"]
        constraints = [models.UniqueConstraint(fields=["alliance", "name"], name="alliance_group_unique")]

    def __str__(self):
        return self.name


class SignatoryRole(models.TextChoices):
    DIRECTOR = "director", "Director of children's services"
    LEAD_MEMBER = "lead_member", "Lead member for children's services"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"


class Signature(models.Model):
    """Who signed the alliance's membership agreement for a council, in which capacity, and when."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="signatures")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="alliance_signatures")
    role = models.CharField(max_length=20, choices=SignatoryRole.choices)
    name = models.CharField(max_length=150)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["authority__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "authority", "role"], name="signature_unique"),
        ]

    def __str__(self):
        return f"{self.name}, {self.get_role_display()}, {self.authority}"


class Cycle(models.Model):
    """An alliance's annual cycle: self-assessment, peer challenge, the regional plan, then delivery.

    `year` is the year the cycle starts (2026 for the 2026 to 2027 cycle)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="cycles")
    year = models.PositiveSmallIntegerField()
    self_assessment_opens = models.DateField()
    self_assessment_due = models.DateField()
    challenge_opens = models.DateField()
    challenge_closes = models.DateField()
    plan_due = models.DateField()
    delivery_starts = models.DateField()

    class Meta:
        ordering = ["alliance", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year"], name="cycle_unique_year"),
            models.CheckConstraint(
                name="cycle_stages_in_order",
                condition=Q(self_assessment_due__gte=F("self_assessment_opens"))
                & Q(challenge_opens__gte=F("self_assessment_due"))
                & Q(challenge_closes__gte=F("challenge_opens"))
                & Q(plan_due__gte=F("challenge_closes"))
                & Q(delivery_starts__gte=F("plan_due")),
            ),
        ]

    def __str__(self):
        return f"{self.alliance}: {self.year} to {self.year + 1}"


class CycleQuerySet(models.QuerySet):
    """For the cycle's private records of one council (at `authority`)."""

    def visible_to(self, user):
        condition = scope_of(user).cycle_filter()
        return self if condition is None else self.filter(condition)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"
    RETURNED = "returned", "Returned"
    FINAL = "final", "Final"


class SelfAssessmentQuerySet(CycleQuerySet):
    def visible_to(self, user):
        condition = scope_of(user).cycle_filter()
        if condition is None:
            return self
        if user.is_authenticated:
            condition |= Q(moderator=user)
        return self.filter(condition)


class SelfAssessment(models.Model):
    """A council's annual self-assessment, on the three questions of Ofsted's annual engagement meeting."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="self_assessments")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="self_assessments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    quality = models.TextField(
        "What do you know about the quality and impact of social work practice?", blank=True, max_length=10000
    )
    how_known = models.TextField("How do you know it?", blank=True, max_length=10000)
    plans = models.TextField("What are your plans for the next 12 months?", blank=True, max_length=10000)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderating"
    )
    moderator_comments = models.TextField(blank=True, max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "authority__name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "cycle"], name="self_assessment_one_per_cycle"),
        ]

    def __str__(self):
        return f"{self.authority}: self-assessment {self.cycle.year} to {self.cycle.year + 1}"


# The ILACS judgment areas a council rates itself on: Ofsted's own fields and names.
AREA_CHOICES = [(name, label) for name, label in JUDGMENTS]


class SelfRating(models.Model):
    """A council's own grade for one ILACS judgment area, in Ofsted's four grades, with its evidence."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    grade = models.CharField(max_length=31, choices=Grade.choices, blank=True)
    evidence = models.TextField(blank=True, max_length=5000)
    # Links to the hub's own facts:
    # {"indicators": [slug, ...], "local_practice": [id, ...], "documents": [url, ...]}
    links = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="self_rating_unique_area")]

    def __str__(self):
        return f"{self.get_area_display()}: {self.grade or 'not rated'}"


class SelfAssessmentEvent(models.Model):
    """One change of a self-assessment's state, with who made it and why: its history."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["assessment", "at", "id"]

    def __str__(self):
        return f"{self.assessment}: {self.from_status or 'new'} to {self.to_status}"


class ChallengeGroup(models.Model):
    """A triad or group of four councils that challenge each other in one cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="challenge_groups")
    number = models.PositiveSmallIntegerField()
    authorities = models.ManyToManyField(Authority, related_name="challenge_groups")
    reason = models.TextField(blank=True)  # why the hub proposed it, in plain words
    score = models.JSONField(default=dict, blank=True)  # the objective's parts, so anyone can recompute it
    edited_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="challenge_group_unique")]

    def __str__(self):
        return f"Group {self.number}, {self.cycle}"


class ChallengeQuerySet(models.QuerySet):
    """Challenges are private to the councils in them (host and challengers, their chief executives
    and lead members included), their region's coordinators and national admins."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.national:
            return self
        host = scope.cycle_filter("host")
        as_challenger = Challenge.objects.filter(scope.cycle_filter("challengers")).values("pk")
        return self.filter(host | Q(pk__in=as_challenger))


class Challenge(models.Model):
    """One peer challenge: a host council challenged by its peers on chosen focus areas."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="challenges")
    group = models.ForeignKey(
        ChallengeGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="challenges"
    )
    held_on = models.DateField("date")
    host = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="challenges_hosted")
    challengers = models.ManyToManyField(Authority, related_name="challenges_given")
    # ILACS judgment areas (AREA_CHOICES names) and indicator slugs the challenge focused on
    focus_areas = models.JSONField(default=list, blank=True)
    focus_indicators = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=20000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "host__name", "id"]

    def __str__(self):
        return f"Challenge of {self.host} on {self.held_on:%d %B %Y}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class AgreedActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if scope_of(user).national:
            return self
        return self.filter(challenge__in=Challenge.objects.visible_to(user).values("pk"))

    def overdue(self, today):
        return self.filter(status=ActionStatus.OPEN, due_on__lt=today)


class AgreedAction(models.Model):
    """An action agreed at a challenge, with its owner, due date and follow-up."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action", max_length=2000)
    owner_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="agreed_actions")
    owner_name = models.CharField("owner", max_length=150)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    follow_up = models.TextField("follow-up notes", blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreedActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="agreed_action_status_due")]

    def __str__(self):
        return f"{self.text[:60]} ({self.owner_authority}, due {self.due_on:%d %B %Y})"


# ---------------------------------------------------------------------------------------------------
# Priorities, the menu of support (asks and offers), support agreements and the concentration watch
# ---------------------------------------------------------------------------------------------------


class PriorityStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    CLOSED = "closed", "Closed"


class Priority(models.Model):
    """A regional improvement priority the alliance agreed, tracked over time by the indicators it names.
    Public: what a region has agreed to improve is for everyone to see."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    indicators = models.JSONField(default=list, blank=True)  # indicator slugs, in the alliance's order
    agreed_on = models.DateField("date agreed")
    status = models.CharField(max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["alliance", "-agreed_on", "id"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return f"{self.alliance}: {self.title}"


class MenuQuerySet(models.QuerySet):
    """Asks and offers make a menu of support shared across the sector, so that an ask in one region
    can meet an offer in another: every signed-in council, alliance or national user reads them; the
    public does not (a council asking for help is not published data)."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.national or scope.member_of or scope.leads or scope.coordinates:
            return self
        return self.none()

    def open(self):
        return self.filter(status=MenuStatus.OPEN)


class MenuStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class MenuItem(models.Model):
    """What asks and offers share: a council, an area of the exchange's taxonomy, and the indicators
    that show the need or the strength."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=40, choices=EXPERTISE)
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=5000)
    indicators = models.JSONField(default=list, blank=True)  # indicator slugs
    status = models.CharField(max_length=8, choices=MenuStatus.choices, default=MenuStatus.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MenuQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-posted_at", "id"]

    def __str__(self):
        return f"{self.authority}: {self.title}"


class Ask(MenuItem):
    """What a council wants help with."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="support_asks")

    class Meta(MenuItem.Meta):
        indexes = [models.Index(fields=["status", "area"], name="ask_status_area")]


class Offer(MenuItem):
    """What a council can share, backed by its strengths, its specialists and its validated practice."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="support_offers")
    specialists = models.ManyToManyField("exchange.Specialist", blank=True, related_name="offers")
    practices = models.ManyToManyField("evidence.LocalPractice", blank=True, related_name="offers")

    class Meta(MenuItem.Meta):
        indexes = [models.Index(fields=["status", "area"], name="offer_status_area")]


class SupportForm(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    CASE_AUDIT = "case_audit", "Case audit"
    MENTORING = "mentoring", "Mentoring"
    TRAINING = "training", "Training"
    SECONDMENT = "secondment", "Secondment through the exchange"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


def support_year(day) -> int:
    """The year (April to March, as councils budget and as cycles run) that a date falls in, by its
    first calendar year: 2026 for 1 April 2026 to 31 March 2027."""
    return day.year if day.month >= 4 else day.year - 1


class SupportAgreementQuerySet(models.QuerySet):
    """Private to the two councils (their chief executives and lead members included), the
    coordinators of either council's region, and national admins."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.national:
            return self
        return self.filter(scope.cycle_filter("supporting") | scope.cycle_filter("supported"))

    def counting(self):
        """Agreements that use a supporter's days: all but the cancelled."""
        return self.exclude(status=AgreementStatus.CANCELLED)


class SupportAgreement(models.Model):
    """Support one council gives another: area, period, form, days, expected and achieved outcomes.
    Its days count against the supporter's declared capacity for the year (April to March) it starts in."""

    supporting = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="support_given")
    supported = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="support_received")
    area = models.CharField(max_length=40, choices=EXPERTISE)
    form = models.CharField(max_length=12, choices=SupportForm.choices)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    days = models.PositiveSmallIntegerField()
    expected_outcomes = models.TextField(max_length=5000)
    achieved_outcomes = models.TextField(blank=True, max_length=5000)
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED
    )
    ask = models.ForeignKey(Ask, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements")
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements"
    )
    loan = models.ForeignKey(
        "exchange.Loan", null=True, blank=True, on_delete=models.SET_NULL, related_name="support_agreements"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(name="support_not_to_itself", condition=~Q(supporting=F("supported"))),
            models.CheckConstraint(name="support_period_in_order", condition=Q(ends_on__gte=F("starts_on"))),
            models.CheckConstraint(name="support_days_positive", condition=Q(days__gte=1)),
        ]
        indexes = [models.Index(fields=["supporting", "starts_on"], name="support_supporting_start")]

    def __str__(self):
        return f"{self.supporting} supporting {self.supported} ({self.get_area_display()})"

    @property
    def year(self) -> int:
        return support_year(self.starts_on)


class SupportCapacity(models.Model):
    """The days a council declares it can give other councils in a year (April to March)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="support_capacities")
    year = models.PositiveSmallIntegerField()  # 2026 for April 2026 to March 2027
    days = models.PositiveSmallIntegerField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "-year"]
        verbose_name_plural = "support capacities"
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="support_capacity_unique")]

    def __str__(self):
        return f"{self.authority}: {self.days} days in {self.year} to {self.year + 1}"


class DirectorAppointment(models.Model):
    """A director of children's services in post at a council, as recorded in the hub by national admins
    and the region's coordinators (no official dataset lists them). The watch counts the changes."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="director_appointments")
    name = models.CharField(max_length=150)
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True)
    interim = models.BooleanField(default=False)
    source_url = models.URLField("source", blank=True, max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authority__name", "-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="director_period_in_order",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.authority} from {self.started_on:%d %B %Y}"
