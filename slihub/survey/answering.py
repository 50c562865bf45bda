"""Answering the annual survey: who may read and write a council's response, routing, each kind of
answer's rules, and the writes (saving a section as a draft, submitting, naming a delegate).

A council answers once per version. Its director of children's services, or the delegate the director
names for that version, writes the answers; the council's other members read them; national admins read
every council's and write none. Answers are saved as they go, partial answers allowed; the rules on
required questions apply when the response is submitted. Changes are taken while the version accepts
answers (open, up to its closing date); a response submitted after the deadline is late.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from slihub.accounts.models import COUNCIL_ROLES, Membership, User, scope_of
from slihub.govuk import has_control_characters, number_error, whole_number
from slihub.places.models import Authority
from slihub.survey.models import Answer, Delegate, Question, Response, Section, SurveyVersion

TEXT_MAX = 5000
Kind = Question.Kind


def long_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


# ---------------------------------------------------------------------------------------------------
# Who may do what


def can_read(user, authority: Authority) -> bool:
    """A council's members (its director and delegate among them) and national admins."""
    scope = scope_of(user)
    return scope.national or authority.id in scope.member_of


def is_delegate(user, version: SurveyVersion, authority: Authority) -> bool:
    if not getattr(user, "is_authenticated", False) or authority.id not in scope_of(user).member_of:
        return False
    return Delegate.objects.filter(version=version, authority=authority, user=user).exists()


def can_write(user, version: SurveyVersion, authority: Authority) -> bool:
    """The council's director, or the delegate the director named for this version. National admins
    read every council's answers but never answer for one."""
    if not getattr(user, "is_authenticated", False):
        return False
    return authority.id in scope_of(user).directs or is_delegate(user, version, authority)


def current_version() -> SurveyVersion | None:
    """The version councils answer now (the latest open), else the latest that is not a draft."""
    versions = SurveyVersion.objects.exclude(status=SurveyVersion.Status.DRAFT)
    return versions.filter(status=SurveyVersion.Status.OPEN).first() or versions.first()


def find(user, year, code) -> tuple[SurveyVersion, Authority, Response | None]:
    """The version (never a draft), the council and its response, for a user who may read them:
    404 for a year or council that does not exist, 403 for a council whose answers are not theirs."""
    version = SurveyVersion.objects.exclude(status=SurveyVersion.Status.DRAFT).filter(year=year).first()
    if version is None:
        raise Http404("No survey for that year.")
    authority = Authority.objects.filter(code=str(code)).first()
    if authority is None:
        raise Http404("No council with that code.")
    if not can_read(user, authority):
        raise PermissionDenied(
            "Survey answers are private to the council and national admins: "
            f"only {authority.name}'s staff can see its answers."
        )
    response = Response.objects.visible_to(user).filter(version=version, authority=authority).first()
    return version, authority, response


def late_message(version: SurveyVersion, today: date) -> str:
    """What to say once the deadline has passed and answers are still taken, else ""."""
    if version.deadline is None or today <= version.deadline or not version.accepts_answers(today):
        return ""
    until = long_date(version.closes_on) if version.closes_on else "the survey closes"
    return f"The deadline was {long_date(version.deadline)}; answers are still taken until {until}."


def is_late(response: Response) -> bool:
    """Submitted after the version's deadline."""
    deadline = response.version.deadline
    if response.submitted_at is None or deadline is None:
        return False
    return timezone.localdate(response.submitted_at) > deadline


# ---------------------------------------------------------------------------------------------------
# Routing


def questions_of(version: SurveyVersion) -> list[Question]:
    return list(
        version.questions.select_related("section", "show_if").order_by("section__position", "position")
    )


def _matches(question: Question, value) -> bool:
    wanted = {str(a) for a in (question.show_if_answers or [])}
    if isinstance(value, list):
        return any(str(v) in wanted for v in value)
    return value is not None and str(value) in wanted


def shown_questions(version: SurveyVersion, answers: dict, *, questions: list[Question] | None = None):
    """The questions a council is asked, in order, given its answers ({question id: value}): a routed
    question is shown only when the question it follows is itself shown and was answered with one of the
    answers that lead to it."""
    questions = questions_of(version) if questions is None else questions
    by_id = {q.id: q for q in questions}
    decided: dict[int, bool] = {}

    def shown(question: Question, seen: frozenset = frozenset()) -> bool:
        if question.id in decided:
            return decided[question.id]
        if question.show_if_id is None:
            result = True
        else:
            parent = by_id.get(question.show_if_id)
            if parent is None or parent.id in seen or question.id == parent.id:
                result = False
            else:
                result = shown(parent, seen | {question.id}) and _matches(question, answers.get(parent.id))
        decided[question.id] = result
        return result

    return [q for q in questions if shown(q)]


def answers_of(response: Response | None) -> dict[int, object]:
    if response is None:
        return {}
    return dict(response.answers.values_list("question_id", "value"))


# ---------------------------------------------------------------------------------------------------
# One answer


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _number_text(value) -> str:
    return _plain(Decimal(str(value))) if value is not None else ""


def clean_answer(question: Question, raw):
    """(value to store, or None for no answer; error message, or "") for what was given for a question.
    `raw` is what a form or the API sends: a string, a list of strings (multiple choice), or a number."""
    kind = question.kind
    if kind == Kind.MULTIPLE:
        if isinstance(raw, dict):
            return None, "Select only the options listed"
        items = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
        items = [str(i) for i in items if str(i) != ""]
        if not items:
            return None, ""
        options = [str(o) for o in question.options]
        if any(has_control_characters(i) for i in items) or not set(items) <= set(options):
            return None, "Select only the options listed"
        return [o for o in options if o in items], ""
    if isinstance(raw, list | tuple | dict):
        return None, "Give one answer"
    if raw is None:
        return None, ""
    if isinstance(raw, bool):
        return None, "Give an answer, not true or false"
    text = raw if isinstance(raw, str) else str(raw)
    if kind == Kind.TEXT:
        if has_control_characters(text):
            return None, "Your answer must not include control characters, such as a null character"
        text = text.strip()
        if not text:
            return None, ""
        if len(text) > TEXT_MAX:
            return None, f"Your answer must be {TEXT_MAX:,} characters or fewer"
        return text, ""
    text = text.strip()
    if not text:
        return None, ""
    if kind == Kind.SINGLE:
        if text not in [str(o) for o in question.options]:
            return None, "Select one of the options listed"
        return text, ""
    if kind == Kind.SCALE:
        low, high = question.scale_min, question.scale_max
        between = f"Select a number from {low} to {high}"
        negative = text.startswith("-") and whole_number(text[1:], digits=6) is not None
        number = -whole_number(text[1:], digits=6) if negative else whole_number(text, digits=6)
        if number is None:
            return None, between
        if (low is not None and number < low) or (high is not None and number > high):
            return None, between
        return number, ""
    if kind == Kind.NUMBER:
        low, high = question.number_min, question.number_max
        invalid = "Enter a number, like 12 or 12.5"
        problem = number_error("Your answer", text, invalid=invalid)
        if problem:
            return None, problem
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None, invalid
        if not number.is_finite():
            return None, invalid
        if number != number.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
            return None, "Enter a number with no more than 2 decimal places"
        if low is not None and high is not None and not low <= number <= high:
            return None, f"Enter a number from {_number_text(low)} to {_number_text(high)}"
        if low is not None and number < low:
            return None, f"Enter a number of {_number_text(low)} or more"
        if high is not None and number > high:
            return None, f"Enter a number of {_number_text(high)} or less"
        return _plain(number), ""
    return None, "This question cannot be answered"


def display(question: Question, value) -> str:
    """An answer as the pages show it."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == Kind.MULTIPLE and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if question.kind == Kind.NUMBER and question.unit:
        if question.unit in ("£", "%"):
            return f"£{value}" if question.unit == "£" else f"{value}%"
        return f"{value} {question.unit}"
    if question.kind == Kind.SCALE:
        ends = {question.scale_min: question.scale_min_label, question.scale_max: question.scale_max_label}
        label = ends.get(value)
        return f"{value} ({label})" if label else str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------------
# Writes


@dataclass
class Saved:
    response: Response
    revealed: list[Question]  # questions of the section the answers given bring in (not shown before)
    reopened: bool  # a submitted response went back to in progress (a required question now unanswered)


def _check_writable(user, version: SurveyVersion, authority: Authority, today: date):
    if not can_write(user, version, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s director of children's services, or the person they named to "
            "answer for them, can answer the survey."
        )
    if not version.accepts_answers(today):
        if version.status == SurveyVersion.Status.OPEN and version.closes_on:
            raise ValidationError(
                f"The survey closed on {long_date(version.closes_on)}: answers cannot be changed."
            )
        raise ValidationError("The survey is not taking answers.")


def missing_required(version: SurveyVersion, answers: dict, questions=None) -> list[Question]:
    return [
        q
        for q in shown_questions(version, answers, questions=questions)
        if q.required and q.id not in answers
    ]


def save_section(
    *,
    user,
    section: Section,
    data: dict,
    authority: Authority | None = None,
    response: Response | None = None,
    today: date | None = None,
) -> Saved:
    """Saves what is given for a section's questions ({question code: value}; an empty value removes an
    answer) as a draft: partial answers are fine. Answers that pass their rules are kept (in one
    transaction); the others are refused with a ValidationError naming each question (by code), raised
    after the good ones are saved and carrying the result as `error.saved`.

    A submitted response stays submitted while every question it is asked that is required is answered;
    otherwise it goes back to in progress, to be submitted again."""
    today = today or timezone.localdate()
    version = section.version
    if response is not None:
        authority = response.authority
        if response.version_id != version.id:
            raise ValidationError("That section is not part of this survey.")
    if authority is None:
        raise ValueError("save_section needs a response or an authority")
    _check_writable(user, version, authority, today)
    questions = {q.code: q for q in section.questions.all()}
    errors: dict[str, list[str]] = {}
    values = {}
    for code, raw in data.items():
        question = questions.get(code)
        if question is None:
            errors.setdefault(code or "answers", []).append(f"There is no question {code!r} in this section")
            continue
        value, problem = clean_answer(question, raw)
        if problem:
            errors.setdefault(code, []).append(problem)
        else:
            values[question] = value
    with transaction.atomic():
        if response is None:  # get_or_create: two first saves at once make one response
            response, _ = Response.objects.get_or_create(
                version=version, authority=authority, defaults={"started_by": user}
            )
        response = Response.objects.select_for_update().get(pk=response.pk)
        everything = questions_of(version)
        before = {q.id for q in shown_questions(version, answers_of(response), questions=everything)}
        existing = {a.question_id: a for a in response.answers.filter(question__section=section)}
        for question, value in values.items():
            answer = existing.get(question.id)
            if value is None:
                if answer is not None:
                    answer.delete()
            elif answer is None:
                Answer.objects.create(response=response, question=question, value=value)
            elif answer.value != value:
                answer.value = value
                answer.save()
        answers = answers_of(response)
        shown_here = [
            q for q in shown_questions(version, answers, questions=everything) if q.section_id == section.id
        ]
        revealed = [q for q in shown_here if q.id not in before and q.code not in data]
        reopened = False
        if response.status == Response.Status.SUBMITTED:
            if missing_required(version, answers, everything):
                response.status = Response.Status.DRAFT
                reopened = True
            else:
                _prune_hidden(response, version, answers, everything)
        response.save()  # updated_at: the last change
    if errors:
        error = ValidationError(errors)
        error.saved = Saved(response, revealed, reopened)
        raise error
    return Saved(response, revealed, reopened)


def _prune_hidden(response: Response, version, answers: dict, questions) -> int:
    """Deletes the answers to questions that routing no longer shows (one by one, so each is audited)."""
    shown = {q.id for q in shown_questions(version, answers, questions=questions)}
    hidden = [a for a in response.answers.all() if a.question_id not in shown]
    for answer in hidden:
        answer.delete()
    return len(hidden)


def submit_errors(version: SurveyVersion, response: Response | None) -> dict[str, list[str]]:
    """{question code: [message]} for every question asked that is required and unanswered, or whose
    stored answer no longer meets its rules."""
    questions = questions_of(version)
    answers = answers_of(response)
    errors: dict[str, list[str]] = {}
    for question in shown_questions(version, answers, questions=questions):
        if question.id in answers:
            _, problem = clean_answer(question, answers[question.id])
            if problem:
                errors[question.code] = [f"{question.text}: {problem}"]
        elif question.required:
            errors[question.code] = [f"Answer the question: {question.text}"]
    return errors


@transaction.atomic
def submit(*, user, response: Response, now: datetime | None = None) -> Response:
    """Submits a council's response after "check your answers": every question it is asked that is
    required must be answered (else a ValidationError naming each question by code); answers to
    questions that routing now hides are deleted. A response submitted after the deadline is late."""
    now = now or timezone.now()
    version = response.version
    _check_writable(user, version, response.authority, timezone.localdate(now))
    response = Response.objects.select_for_update().get(pk=response.pk)
    errors = submit_errors(version, response)
    if errors:
        raise ValidationError(errors)
    _prune_hidden(response, version, answers_of(response), questions_of(version))
    response.status = Response.Status.SUBMITTED
    response.submitted_by = user
    response.submitted_at = now
    response.save()
    return response


def delegate_choices(authority: Authority, director) -> list[User]:
    """The council's members a director may name: anyone with a council role there but the director."""
    ids = Membership.objects.filter(authority=authority, role__in=COUNCIL_ROLES).values("user_id")
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(pk=director.pk)
        .order_by("full_name", "username")
    )


@transaction.atomic
def name_delegate(
    *, user, version: SurveyVersion, authority: Authority, delegate: User | None, today: date | None = None
) -> Delegate | None:
    """The director names (or changes, or with None removes) the person who answers this version for
    the council: a member of the same council."""
    today = today or timezone.localdate()
    if authority.id not in scope_of(user).directs:
        raise PermissionDenied(
            f"Only {authority.name}'s director of children's services can name a delegate."
        )
    if not version.accepts_answers(today):
        raise ValidationError("The survey is not taking answers, so there is no one to name.")
    current = Delegate.objects.filter(version=version, authority=authority).first()
    if delegate is None:
        if current is not None:
            current.delete()
        return None
    if delegate.pk == user.pk:
        raise ValidationError(
            {"delegate": ["You answer the survey yourself: choose someone else, or nobody"]}
        )
    if delegate not in delegate_choices(authority, user):
        raise ValidationError({"delegate": [f"Choose someone who works for {authority.name}"]})
    if current is None:
        return Delegate.objects.create(version=version, authority=authority, user=delegate, named_by=user)
    if current.user_id != delegate.pk:
        current.user = delegate
        current.named_by = user
        current.save()
    return current
