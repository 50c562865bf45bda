"""The annual survey of directors of children's services: a questionnaire version per year, its sections
and questions, and each council's one response.

Answers are private to the council (its members read them; its director or the delegate the director
names writes them) and to national admins; alliance coordinators do not see them. What anyone signed in
sees are the published results, built with disclosure control (slihub.stats.disclosure).
"""

from django.conf import settings
from django.db import models

from slihub.accounts.models import scope_of
from slihub.indicators.models import Indicator
from slihub.places.models import Authority


class SurveyVersion(models.Model):
    """One year's questionnaire. Draft (being built), open (councils answer), closed (no more changes),
    published (results visible to signed-in council users; a summary to the public if chosen)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Results published"

    year = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # the date answers are asked for (reminders count down to it); answers are still taken until closes_on
    deadline = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # a national admin's choice: the public sees the published summary (suppressed tables, no free text)
    public_summary = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def accepts_answers(self, today) -> bool:
        """Councils may answer and change their answers: open, and not past the closing date."""
        return self.status == self.Status.OPEN and (self.closes_on is None or today <= self.closes_on)


class Section(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="survey_section_position_unique")
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    """One question of a version. `code` lines a question up year on year: a question carried from last
    year's version keeps its code (and records `carried_from`), so results can be compared."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SCALE = "scale", "Scale"
        NUMBER = "number", "Number"
        TEXT = "text", "Free text"

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=500)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    required = models.BooleanField(default=True)
    options = models.JSONField(default=list, blank=True)  # the choices' labels, in order (single, multiple)
    scale_min = models.IntegerField(null=True, blank=True)
    scale_max = models.IntegerField(null=True, blank=True)
    scale_min_label = models.CharField(max_length=80, blank=True)  # e.g. "Not at all confident"
    scale_max_label = models.CharField(max_length=80, blank=True)
    unit = models.CharField(max_length=40, blank=True)  # number: "social workers", "%", "£"
    number_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # routing: shown only when `show_if` (an earlier single or multiple choice question of this version)
    # was answered with one of `show_if_answers`
    show_if = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="routed_questions"
    )
    show_if_answers = models.JSONField(default=list, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    themes = models.JSONField(default=list, blank=True)  # keys of slihub.exchange.taxonomy.THEMES
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="survey_questions")

    class Meta:
        ordering = ["version", "section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="survey_question_code_unique"),
            models.UniqueConstraint(fields=["section", "position"], name="survey_question_position_unique"),
        ]

    def __str__(self):
        return self.text


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National admins see every council's response; a council's members (its director among them)
        see their own council's. Coordinators, chief executives and lead members do not."""
        scope = scope_of(user)
        if scope.national:
            return self
        return self.filter(authority__in=scope.member_of)


class Response(models.Model):
    """A council's one response to a year's survey: a draft while it is being answered, submitted after
    "check your answers"; it can be changed (and submitted again) until the survey closes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="responses")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="survey_responses")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["version", "authority__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "authority"], name="survey_one_response_per_council")
        ]

    def __str__(self):
        return f"{self.authority} ({self.version.year})"


class Answer(models.Model):
    """One answer: a string (single choice, free text), a list of strings (multiple choice), an integer
    (scale) or a number as a string of its decimal (number), in `value`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"


class DelegateQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        return self if scope.national else self.filter(authority__in=scope.member_of)


class Delegate(models.Model):
    """The person a director names to answer a year's survey for the council (a member of the council)."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="delegates")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="survey_delegates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "authority"], name="survey_one_delegate_per_council")
        ]

    def __str__(self):
        return f"{self.user} for {self.authority} ({self.version.year})"


class Invitation(models.Model):
    """An invitation emailed to a director when a version opened (kept so that opening twice, or a
    director added later, invites each person once)."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user", "authority"], name="survey_invite_each_director_once"
            )
        ]

    def __str__(self):
        return f"{self.user}, {self.authority} ({self.version.year})"
