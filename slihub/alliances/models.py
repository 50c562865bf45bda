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
