"""The national admin's questionnaire builder: writes to a year's survey version, its sections and questions.

Every function takes keyword arguments only, runs in one transaction and refuses bad input with a
`django.core.exceptions.ValidationError` whose message_dict names the field at fault (the builder's forms
show them as GOV.UK errors). Each write goes through the ORM, so django-auditlog records it.

Rules:
- only a draft's sections and questions change; once a version opens, its questionnaire is fixed;
- a question's `code` is unique in its version and lines it up year on year: a question carried from last
  year keeps its code (and records `carried_from`), and that code no longer changes;
- single and multiple choice questions have two or more different options; a scale runs from a smaller
  to a larger whole number (at most 11 points) with optional words at each end; a number may have a unit
  and a least and most value;
- routing: a question may be shown only when an earlier single or multiple choice question of the same
  version was answered with one of the options named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify

from slihub.accounts.models import Membership, Role
from slihub.exchange.taxonomy import THEMES
from slihub.indicators.models import Indicator
from slihub.survey.models import Invitation, Question, Section, SurveyVersion

Kind = Question.Kind
Status = SurveyVersion.Status
CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
THEME_KEYS = dict(THEMES)
CODE_PATTERN = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
MAX_OPTIONS = 20
MAX_OPTION_LENGTH = 200
MAX_SCALE_POINTS = 11  # 0 to 10 at most: a longer scale is harder to answer and to compare
MAX_HELP = 2000
MAX_INTRODUCTION = 5000
MAX_NUMBER = Decimal("999999999999.99")  # the model keeps 14 digits, 2 after the point
LONG_QUESTIONNAIRE = 40  # the builder warns beyond this: the survey's known failure is fatigue


def _refuse(message: str, field_name: str = NON_FIELD_ERRORS):
    raise ValidationError({field_name: [message]})


def _require_draft(version: SurveyVersion) -> None:
    if version.status != Status.DRAFT:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"The {version.year} survey is {version.get_status_display().lower()}: only a draft's "
                    "sections and questions can be changed."
                ]
            }
        )


# Versions


def _check_version_fields(*, title: str, introduction: str, deadline, closes_on, errors: dict) -> None:
    if not title.strip():
        errors.setdefault("title", []).append("Enter the survey's title")
    elif len(title) > 200:
        errors.setdefault("title", []).append("The title must be 200 characters or fewer")
    if len(introduction) > MAX_INTRODUCTION:
        errors.setdefault("introduction", []).append(
            f"The introduction must be {MAX_INTRODUCTION:,} characters or fewer"
        )
    if deadline and closes_on and closes_on < deadline:
        errors.setdefault("closes_on", []).append(
            "The closing date must be the same as or after the deadline"
        )


@transaction.atomic
def create_version(
    *,
    year: int,
    title: str,
    introduction: str = "",
    deadline: date | None = None,
    closes_on: date | None = None,
    user=None,
) -> SurveyVersion:
    """A new draft questionnaire for `year` (one per year)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = ["Enter a year between 2000 and 2100, like 2027"]
    elif SurveyVersion.objects.filter(year=year).exists():
        errors["year"] = [f"There is already a survey for {year}"]
    _check_version_fields(
        title=title, introduction=introduction, deadline=deadline, closes_on=closes_on, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    return SurveyVersion.objects.create(
        year=year,
        title=title.strip(),
        introduction=introduction.strip(),
        deadline=deadline,
        closes_on=closes_on,
        created_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def update_version(
    *,
    version: SurveyVersion,
    title: str,
    introduction: str = "",
    deadline: date | None = None,
    closes_on: date | None = None,
) -> SurveyVersion:
    """Change the title, introduction and dates. The dates may move while the survey is open (to give
    councils longer); nothing changes once the results are published."""
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == Status.PUBLISHED:
        _refuse(f"The {version.year} survey's results are published: it cannot change.")
    errors: dict[str, list[str]] = {}
    _check_version_fields(
        title=title, introduction=introduction, deadline=deadline, closes_on=closes_on, errors=errors
    )
    if version.status == Status.OPEN and not deadline:
        errors.setdefault("deadline", []).append("An open survey needs a deadline")
    if version.status == Status.OPEN and not closes_on:
        errors.setdefault("closes_on", []).append("An open survey needs a closing date")
    if errors:
        raise ValidationError(errors)
    version.title = title.strip()
    version.introduction = introduction.strip()
    version.deadline = deadline
    version.closes_on = closes_on
    version.save()
    return version


# Sections


def _check_section_fields(title: str, introduction: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = ["Enter the section's title"]
    elif len(title) > 200:
        errors["title"] = ["The section's title must be 200 characters or fewer"]
    if len(introduction) > MAX_HELP:
        errors["introduction"] = [f"The section's introduction must be {MAX_HELP:,} characters or fewer"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_section(*, version: SurveyVersion, title: str, introduction: str = "") -> Section:
    """A section at the end of the questionnaire."""
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    _check_section_fields(title, introduction)
    last = version.sections.aggregate(last=Max("position"))["last"] or 0
    return Section.objects.create(
        version=version, position=last + 1, title=title.strip(), introduction=introduction.strip()
    )


@transaction.atomic
def edit_section(*, section: Section, title: str, introduction: str = "") -> Section:
    _require_draft(section.version)
    _check_section_fields(title, introduction)
    section.title = title.strip()
    section.introduction = introduction.strip()
    section.save()
    return section


@transaction.atomic
def delete_section(*, section: Section) -> None:
    """Delete a section and its questions; refused while a question elsewhere is routed on one of them."""
    _require_draft(section.version)
    inside = list(section.questions.values_list("pk", flat=True))
    routed = Question.objects.filter(show_if__in=inside).exclude(pk__in=inside).order_by("section__position")
    if routed.exists():
        first = routed.select_related("show_if").first()
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f'"{first.text}" is shown only after an answer to "{first.show_if.text}" in this '
                    "section: change its routing or delete it first."
                ]
            }
        )
    for question in section.questions.order_by("-position"):
        question.delete()
    section.delete()


def _swap(first, second, *, siblings) -> None:
    """Swap two rows' positions under a unique (parent, position) constraint, through a free position."""
    spare = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    a, b = first.position, second.position
    first.position = spare
    first.save(update_fields=["position"])
    second.position = a
    second.save(update_fields=["position"])
    first.position = b
    first.save(update_fields=["position"])


def _neighbour(queryset, position: int, direction: str):
    if direction == "up":
        return queryset.filter(position__lt=position).order_by("-position").first()
    if direction == "down":
        return queryset.filter(position__gt=position).order_by("position").first()
    _refuse('Move a section or question "up" or "down"')


@transaction.atomic
def move_section(*, section: Section, direction: str) -> Section:
    """Move a section one place up or down (its questions go with it)."""
    _require_draft(section.version)
    siblings = Section.objects.filter(version=section.version)
    other = _neighbour(siblings, section.position, direction)
    if other is None:
        where = "first" if direction == "up" else "last"
        _refuse(f'"{section.title}" is already the {where} section')
    _swap(section, other, siblings=siblings)
    _check_routing_order(section.version)
    return section


# Questions


@dataclass
class QuestionFields:
    """What a question holds apart from its place: the builder's form and the API read into this."""

    text: str = ""
    kind: str = Kind.SINGLE
    code: str = ""
    help_text: str = ""
    required: bool = True
    options: list[str] = field(default_factory=list)
    scale_min: int | None = None
    scale_max: int | None = None
    scale_min_label: str = ""
    scale_max_label: str = ""
    unit: str = ""
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    show_if: Question | None = None
    show_if_answers: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)  # slugs


def _clean_options(options, errors) -> list[str]:
    cleaned = [str(o).strip() for o in options or [] if str(o).strip()]
    if len(cleaned) < 2:
        errors.setdefault("options", []).append("Enter at least two options, one a line")
        return cleaned
    seen: set[str] = set()
    repeated = []
    for option in cleaned:
        if option.casefold() in seen:
            repeated.append(option)
        seen.add(option.casefold())
    if repeated:
        errors.setdefault("options", []).append(
            f'Each option must be different: "{repeated[0]}" is there more than once'
        )
    if len(cleaned) > MAX_OPTIONS:
        errors.setdefault("options", []).append(f"Enter {MAX_OPTIONS} options or fewer")
    if any(len(option) > MAX_OPTION_LENGTH for option in cleaned):
        errors.setdefault("options", []).append(
            f"Each option must be {MAX_OPTION_LENGTH} characters or fewer"
        )
    return cleaned


def _number(value, label: str, name: str, errors) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(name, []).append(f"{label} must be a number, like 0 or 250")
        return None
    if not number.is_finite() or abs(number) > MAX_NUMBER:
        errors.setdefault(name, []).append(f"{label} must be between -{MAX_NUMBER:,} and {MAX_NUMBER:,}")
        return None
    if number != number.quantize(Decimal("0.01")):
        errors.setdefault(name, []).append(f"{label} can have at most 2 decimal places")
        return None
    return number


def _clean_fields(fields: QuestionFields, *, version: SurveyVersion, question: Question | None) -> dict:
    """The values to store, or a ValidationError naming every problem at once."""
    errors: dict[str, list[str]] = {}
    text = (fields.text or "").strip()
    if not text:
        errors["text"] = ["Enter the question"]
    elif len(text) > 500:
        errors["text"] = ["The question must be 500 characters or fewer"]
    help_text = (fields.help_text or "").strip()
    if len(help_text) > MAX_HELP:
        errors["help_text"] = [f"The help text must be {MAX_HELP:,} characters or fewer"]
    if fields.kind not in Kind.values:
        errors["kind"] = ["Choose the kind of question"]

    code = (fields.code or "").strip().lower()
    if question is not None and question.carried_from_id and code and code != question.code:
        errors["code"] = [
            f"This question was carried from an earlier year: its code ({question.code}) lines it up "
            "year on year and cannot change"
        ]
    elif not code:
        code = _free_code(version, slugify(text)[:50] or "question", question)
    elif len(code) > 60 or not CODE_PATTERN.fullmatch(code):
        errors["code"] = [
            "The code must be 60 characters or fewer: lower-case letters, numbers, and hyphens or "
            "underscores between them, like workforce-agency-staff"
        ]
    elif (
        Question.objects.filter(version=version, code=code).exclude(pk=getattr(question, "pk", None)).exists()
    ):
        errors["code"] = [f'Another question of the {version.year} survey has the code "{code}"']

    values = {
        "options": [],
        "scale_min": None,
        "scale_max": None,
        "scale_min_label": "",
        "scale_max_label": "",
        "unit": "",
        "number_min": None,
        "number_max": None,
    }
    if fields.kind in CHOICE_KINDS:
        values["options"] = _clean_options(fields.options, errors)
    elif fields.kind == Kind.SCALE:
        low, high = fields.scale_min, fields.scale_max
        if low is None or high is None:
            errors.setdefault("scale_min", []).append(
                "Enter the scale's lowest and highest points, like 1 and 5"
            )
        elif not isinstance(low, int) or not isinstance(high, int):
            errors.setdefault("scale_min", []).append("The scale's points must be whole numbers")
        elif low >= high:
            errors.setdefault("scale_max", []).append(
                "The scale's highest point must be more than its lowest, like 1 to 5"
            )
        elif high - low + 1 > MAX_SCALE_POINTS:
            errors.setdefault("scale_max", []).append(
                f"A scale can have at most {MAX_SCALE_POINTS} points, like 0 to 10"
            )
        for name, label in (("scale_min_label", "lowest"), ("scale_max_label", "highest")):
            words = (getattr(fields, name) or "").strip()
            if len(words) > 80:
                errors.setdefault(name, []).append(
                    f"The words for the {label} point must be 80 characters or fewer"
                )
            values[name] = words
        values["scale_min"], values["scale_max"] = low, high
    elif fields.kind == Kind.NUMBER:
        unit = (fields.unit or "").strip()
        if len(unit) > 40:
            errors.setdefault("unit", []).append("The unit must be 40 characters or fewer")
        low = _number(fields.number_min, "The least value", "number_min", errors)
        high = _number(fields.number_max, "The most value", "number_max", errors)
        if low is not None and high is not None and low > high:
            errors.setdefault("number_max", []).append(
                "The most value must be the same as or more than the least value"
            )
        values.update(unit=unit, number_min=low, number_max=high)

    unknown_themes = [t for t in fields.themes or [] if t not in THEME_KEYS]
    if unknown_themes:
        errors["themes"] = [f"Choose themes from the list: {', '.join(unknown_themes)} is not one"]
    slugs = list(dict.fromkeys(s.strip() for s in fields.indicators or [] if s.strip()))
    indicators = list(Indicator.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {i.slug for i in indicators})
    if missing:
        errors["indicators"] = [
            f"No indicator has the name {', '.join(missing)}: use the name in the indicator's address"
        ]
    if errors:
        raise ValidationError(errors)
    values.update(
        text=text,
        help_text=help_text,
        kind=fields.kind,
        code=code,
        required=bool(fields.required),
        themes=[key for key, _ in THEMES if key in (fields.themes or [])],
    )
    return {"values": values, "indicators": indicators}


def _free_code(version: SurveyVersion, base: str, question: Question | None) -> str:
    base = base.strip("-_") or "question"
    taken = set(
        Question.objects.filter(version=version)
        .exclude(pk=getattr(question, "pk", None))
        .values_list("code", flat=True)
    )
    code, n = base, 2
    while code in taken:
        code = f"{base}-{n}"
        n += 1
    return code


def _order_key(question: Question) -> tuple[int, int]:
    return (question.section.position, question.position)


def _check_routing(question: Question, show_if: Question | None, answers, *, options_of=None) -> list[str]:
    """The routing problems of `question` shown only for `answers` to `show_if`, as messages."""
    answers = [str(a).strip() for a in answers or [] if str(a).strip()]
    if show_if is None:
        return ["Choose which answers show this question"] if answers else []
    if show_if.version_id != question.version_id:
        return ["A question can only be routed on a question of the same survey"]
    if show_if.pk == question.pk:
        return ["A question cannot be routed on its own answer"]
    if show_if.kind not in CHOICE_KINDS:
        return [f'"{show_if.text}" is not a single or multiple choice question: route on one that is']
    if _order_key(show_if) >= _order_key(question):
        return [f'"{show_if.text}" must come before this question for its answer to decide whether it shows']
    if not answers:
        return [f'Choose which answers to "{show_if.text}" show this question']
    options = options_of if options_of is not None else show_if.options
    strange = [a for a in answers if a not in options]
    if strange:
        return [f'"{strange[0]}" is not an option of "{show_if.text}"']
    return []


def _check_routing_order(version: SurveyVersion) -> None:
    """After a move: every routed question still comes after the question it is routed on."""
    for question in Question.objects.filter(version=version, show_if__isnull=False).select_related(
        "section", "show_if__section"
    ):
        if _order_key(question.show_if) >= _order_key(question):
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        f'"{question.text}" is shown only after an answer to "{question.show_if.text}", '
                        "so it must come after it: change its routing first, or move it too."
                    ]
                }
            )


def _check_dependants(question: Question, values: dict) -> None:
    """A question others are routed on keeps a choice kind and the options they name."""
    for routed in question.routed_questions.all():
        if values["kind"] not in CHOICE_KINDS:
            raise ValidationError(
                {"kind": [f'"{routed.text}" is routed on this question: it must stay a choice question']}
            )
        lost = [a for a in routed.show_if_answers if a not in values["options"]]
        if lost:
            raise ValidationError(
                {
                    "options": [
                        f'"{routed.text}" is shown for the answer "{lost[0]}": keep that option, or '
                        "change that question's routing first"
                    ]
                }
            )


def _save_question(question: Question, fields: QuestionFields, *, is_new: bool) -> Question:
    cleaned = _clean_fields(fields, version=question.version, question=None if is_new else question)
    values = cleaned["values"]
    if not is_new:
        _check_dependants(question, values)
    for name, value in values.items():
        setattr(question, name, value)
    routing = _check_routing(question, fields.show_if, fields.show_if_answers)
    if routing:
        raise ValidationError({"show_if": routing})
    question.show_if = fields.show_if
    question.show_if_answers = (
        [a.strip() for a in fields.show_if_answers if a.strip()] if fields.show_if else []
    )
    question.save()
    question.indicators.set(cleaned["indicators"])
    return question


@transaction.atomic
def add_question(*, section: Section, fields: QuestionFields) -> Question:
    """A question at the end of `section`."""
    version = SurveyVersion.objects.select_for_update().get(pk=section.version_id)
    _require_draft(version)
    last = section.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(version=version, section=section, position=last + 1)
    return _save_question(question, fields, is_new=True)


@transaction.atomic
def edit_question(*, question: Question, fields: QuestionFields, section: Section | None = None) -> Question:
    """Change a question; with `section`, move it to the end of that section of the same version."""
    _require_draft(question.version)
    if section is not None and section.pk != question.section_id:
        if section.version_id != question.version_id:
            raise ValidationError({"section": ["Choose a section of the same survey"]})
        last = section.questions.aggregate(last=Max("position"))["last"] or 0
        question.section = section
        question.position = last + 1
    question = _save_question(question, fields, is_new=False)
    _check_routing_order(question.version)
    return question


@transaction.atomic
def delete_question(*, question: Question) -> None:
    """Delete a question; refused while another question is routed on it."""
    _require_draft(question.version)
    routed = question.routed_questions.first()
    if routed is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f'"{routed.text}" is shown only after an answer to this question: change its routing '
                    "or delete it first."
                ]
            }
        )
    question.delete()


@transaction.atomic
def move_question(*, question: Question, direction: str) -> Question:
    """Move a question one place up or down in its section."""
    _require_draft(question.version)
    siblings = Question.objects.filter(section=question.section)
    other = _neighbour(siblings, question.position, direction)
    if other is None:
        where = "first" if direction == "up" else "last"
        _refuse(f'"{question.text}" is already the {where} question of its section')
    _swap(question, other, siblings=siblings)
    _check_routing_order(question.version)
    return question


# Carrying questions forward


@transaction.atomic
def carry_forward(*, from_version: SurveyVersion, to_version: SurveyVersion, question_ids) -> list[Question]:
    """Copy the chosen questions of an earlier year into a draft, with the same codes (so that their
    answers line up year on year), their routing, themes and indicators. Each lands at the end of the
    section with the same title, made at the end when the draft has none."""
    to_version = SurveyVersion.objects.select_for_update().get(pk=to_version.pk)
    _require_draft(to_version)
    if from_version.pk == to_version.pk or from_version.year >= to_version.year:
        _refuse("Carry questions from an earlier year's survey")
    ids = {int(i) for i in question_ids}
    if not ids:
        raise ValidationError({"questions": ["Choose at least one question to carry forward"]})
    chosen = list(
        Question.objects.filter(version=from_version, pk__in=ids)
        .select_related("section", "show_if")
        .prefetch_related("indicators")
        .order_by("section__position", "position")
    )
    if len(chosen) != len(ids):
        raise ValidationError({"questions": [f"Choose questions of the {from_version.year} survey"]})
    existing = {q.code: q for q in Question.objects.filter(version=to_version)}
    already = [q for q in chosen if q.code in existing]
    if already:
        raise ValidationError(
            {
                "questions": [
                    f'The {to_version.year} survey already has a question with the code "{already[0].code}" '
                    f'("{already[0].text}")'
                ]
            }
        )
    chosen_codes = {q.code for q in chosen}
    for q in chosen:
        if q.show_if is not None and q.show_if.code not in chosen_codes and q.show_if.code not in existing:
            raise ValidationError(
                {
                    "questions": [
                        f'"{q.text}" is shown only after an answer to "{q.show_if.text}": '
                        "carry that question too"
                    ]
                }
            )
    sections = {s.title: s for s in Section.objects.filter(version=to_version).order_by("position")}
    last_section = Section.objects.filter(version=to_version).aggregate(last=Max("position"))["last"] or 0
    copies: dict[str, Question] = dict(existing)
    made = []
    for old in chosen:
        section = sections.get(old.section.title)
        if section is None:
            last_section += 1
            section = Section.objects.create(
                version=to_version,
                position=last_section,
                title=old.section.title,
                introduction=old.section.introduction,
            )
            sections[section.title] = section
        last = section.questions.aggregate(last=Max("position"))["last"] or 0
        show_if = copies.get(old.show_if.code) if old.show_if is not None else None
        if (
            show_if is not None
            and old.show_if_answers
            and any(a not in show_if.options for a in old.show_if_answers)
        ):
            raise ValidationError(
                {
                    "questions": [
                        f'"{old.text}" is shown for answers that "{show_if.text}" no longer offers in '
                        f"{to_version.year}: change one of them first"
                    ]
                }
            )
        new = Question(
            version=to_version,
            section=section,
            position=last + 1,
            code=old.code,
            text=old.text,
            help_text=old.help_text,
            kind=old.kind,
            required=old.required,
            options=list(old.options),
            scale_min=old.scale_min,
            scale_max=old.scale_max,
            scale_min_label=old.scale_min_label,
            scale_max_label=old.scale_max_label,
            unit=old.unit,
            number_min=old.number_min,
            number_max=old.number_max,
            show_if=show_if,
            show_if_answers=list(old.show_if_answers) if show_if is not None else [],
            carried_from=old,
            themes=list(old.themes),
        )
        new.section = section
        if show_if is not None:
            problems = _check_routing(new, show_if, new.show_if_answers)
            if problems:
                raise ValidationError({"questions": [f'"{old.text}": {problems[0]}']})
        new.save()
        new.indicators.set(old.indicators.all())
        copies[new.code] = new
        made.append(new)
    return made


# Opening and closing


@dataclass
class Opened:
    version: SurveyVersion
    invited: list[Invitation]  # invitations sent now (directors invited before are not invited again)


def directors_to_invite(version: SurveyVersion):
    """Memberships of active directors of current councils, with an email address, not yet invited."""
    invited = set(Invitation.objects.filter(version=version).values_list("user_id", "authority_id"))
    found = (
        Membership.objects.filter(role=Role.DIRECTOR, authority__is_current=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "authority")
        .order_by("authority__name", "user__username")
    )
    return [m for m in found if (m.user_id, m.authority_id) not in invited]


def answer_link(version: SurveyVersion, authority=None) -> str:
    """The address where a council answers the survey (the survey's home page without a council)."""
    tries = [("survey-answer", {"year": version.year, "code": authority.code})] if authority else []
    for name, kwargs in [*tries, ("survey-home", {})]:
        try:
            return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"
        except NoReverseMatch:
            continue
    return f"{settings.SITE_URL}/survey/"


def _invite(version: SurveyVersion, membership: Membership, now: datetime) -> Invitation:
    user = membership.user
    name = user.get_full_name() or getattr(user, "full_name", "") or user.username
    send_mail(
        f"{version.title}: please answer by {version.deadline:%-d %B %Y}",
        (
            f"Hello {name},\n\n"
            f"The {version.title} is open. As director of children's services for "
            f"{membership.authority.name}, please answer it for your council by "
            f"{version.deadline:%-d %B %Y}. Late answers are taken until {version.closes_on:%-d %B %Y}.\n\n"
            f"Answer the survey: {answer_link(version, membership.authority)}\n\n"
            "You can name a colleague in your council to answer it for you. Your council's answers are "
            "private: only your council and the national team see them. The results are published as "
            "tables in which small numbers are hidden.\n\n"
            "SLI Hub"
        ),
        None,
        [user.email],
    )
    return Invitation.objects.create(version=version, user=user, authority=membership.authority, sent_at=now)


def open_problems(version: SurveyVersion, today: date) -> dict[str, list[str]]:
    """What stops the survey opening today, by field (empty when it can open)."""
    errors: dict[str, list[str]] = {}
    if not version.questions.exists():
        errors[NON_FIELD_ERRORS] = ["Add at least one question before opening the survey"]
    else:
        empty = version.sections.filter(questions__isnull=True).first()
        if empty is not None:
            errors[NON_FIELD_ERRORS] = [
                f'The section "{empty.title}" has no questions: add one or delete the section'
            ]
    if version.deadline is None:
        errors["deadline"] = ["Enter the deadline before opening the survey"]
    elif version.deadline <= today:
        errors["deadline"] = ["The deadline must be in the future"]
    if version.closes_on is None:
        errors["closes_on"] = ["Enter the closing date before opening the survey"]
    elif version.deadline and version.closes_on < version.deadline:
        errors["closes_on"] = ["The closing date must be the same as or after the deadline"]
    return errors


@transaction.atomic
def open_version(*, version: SurveyVersion, today: date | None = None, now: datetime | None = None) -> Opened:
    """Open a draft (or reopen a closed survey) and invite every director not yet invited.

    Running it again on an open survey invites only directors added since."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == Status.PUBLISHED:
        _refuse(f"The {version.year} survey's results are published: it cannot open again.")
    errors = open_problems(version, today)
    if errors:
        raise ValidationError(errors)
    if version.status != Status.OPEN:
        version.status = Status.OPEN
        version.opened_at = version.opened_at or now
        version.closed_at = None
        version.save()
    invited = [_invite(version, m, now) for m in directors_to_invite(version)]
    return Opened(version=version, invited=invited)


@transaction.atomic
def close_version(*, version: SurveyVersion, now: datetime | None = None) -> SurveyVersion:
    """Close an open survey: no more answers or changes."""
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.OPEN:
        status = version.get_status_display().lower()
        _refuse(f"Only an open survey can close: the {version.year} survey is {status}.")
    version.status = Status.CLOSED
    version.closed_at = now or timezone.now()
    version.save()
    return version
