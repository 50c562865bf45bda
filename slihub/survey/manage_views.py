"""The questionnaire builder's pages, for national admins only (everyone else gets 403; signed-out
visitors are sent to sign in): the list of years' surveys, a version with its sections and questions,
the forms to change them, carrying last year's questions forward, opening and closing."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from slihub.accounts.models import scope_of
from slihub.exchange.taxonomy import THEMES
from slihub.survey import builder
from slihub.survey.manage_forms import QuestionForm, SectionForm, VersionForm, question_initial
from slihub.survey.models import Question, Response, Section, SurveyVersion

Status = SurveyVersion.Status
THEME_NAMES = dict(THEMES)


def national_admin_required(view):
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not scope_of(request.user).national:
            raise PermissionDenied("Only national admins build the survey of directors.")
        return view(request, *args, **kwargs)

    return checked


def maybe_url(name: str, **kwargs) -> str:
    """The address of a page another part of the survey provides, or "" while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def number_text(value) -> str:
    """A stored number as a person writes it: 500, 2.5, 1,200 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text.rstrip("0")


def _version(year: int) -> SurveyVersion:
    return get_object_or_404(SurveyVersion, year=year)


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


@national_admin_required
def version_list(request):
    versions = SurveyVersion.objects.annotate(
        submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True),
        started=Count("responses", distinct=True),
        invited=Count("invitations__authority", distinct=True),
        question_count=Count("questions", distinct=True),
    ).order_by("-year")
    return render(request, "survey/manage/version_list.html", {"versions": versions})


@national_admin_required
def version_new(request):
    form = VersionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = builder.create_version(
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                deadline=form.date_values["deadline"],
                closes_on=form.date_values["closes_on"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The {version.year} survey was created as a draft")
            return redirect("survey-manage-version", year=version.year)
    return render(request, "survey/manage/version_form.html", {"form": form, "version": None})


@national_admin_required
def version_edit(request, year):
    version = _version(year)
    initial = {
        "title": version.title,
        "introduction": version.introduction,
        "deadline": version.deadline,
        "closes_on": version.closes_on,
    }
    form = VersionForm(request.POST if request.method == "POST" else None, initial=initial, with_year=False)
    if request.method == "POST" and form.is_valid():
        try:
            builder.update_version(
                version=version,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                deadline=form.date_values["deadline"],
                closes_on=form.date_values["closes_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The survey's details were saved")
            return redirect("survey-manage-version", year=version.year)
    return render(request, "survey/manage/version_form.html", {"form": form, "version": version})


def _sections(version: SurveyVersion):
    sections = list(version.sections.order_by("position"))
    questions = (
        Question.objects.filter(version=version)
        .select_related("show_if", "carried_from__version")
        .prefetch_related("indicators")
        .order_by("section__position", "position")
    )
    by_section: dict[int, list[Question]] = {s.pk: [] for s in sections}
    for q in questions:
        q.theme_names = [THEME_NAMES[t] for t in q.themes if t in THEME_NAMES]
        q.least, q.most = number_text(q.number_min), number_text(q.number_max)
        by_section[q.section_id].append(q)
    for s in sections:
        s.question_list = by_section[s.pk]
    return sections


def _detail_context(version: SurveyVersion, errors=()) -> dict:
    sections = _sections(version)
    count = sum(len(s.question_list) for s in sections)
    earlier = SurveyVersion.objects.filter(year__lt=version.year, questions__isnull=False).order_by("-year")
    return {
        "version": version,
        "sections": sections,
        "question_count": count,
        "minutes": max(1, round(count * 0.5)),
        "too_long": count > builder.LONG_QUESTIONNAIRE,
        "long_limit": builder.LONG_QUESTIONNAIRE,
        "draft": version.status == Status.DRAFT,
        "earlier": earlier.first(),
        "preview_url": maybe_url("survey-preview", year=version.year),
        "results_url": maybe_url("survey-results", year=version.year),
        "submitted": version.responses.filter(status=Response.Status.SUBMITTED).count(),
        "invited": version.invitations.values("authority").distinct().count(),
        "errors": [("main-content", e) for e in errors],
    }


@national_admin_required
def version_detail(request, year):
    version = _version(year)
    return render(request, "survey/manage/version_detail.html", _detail_context(version))


def _refused(request, version, error: ValidationError):
    return render(request, "survey/manage/version_detail.html", _detail_context(version, _errors(error)))


@national_admin_required
def section_new(request, year):
    version = _version(year)
    if version.status != Status.DRAFT:
        return _refused(request, version, ValidationError(_not_draft(version)))
    form = SectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            section = builder.add_section(
                version=version,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f'The section "{section.title}" was added')
            return redirect(f"{reverse('survey-manage-version', kwargs={'year': year})}#section-{section.pk}")
    return render(
        request, "survey/manage/section_form.html", {"form": form, "version": version, "section": None}
    )


def _not_draft(version: SurveyVersion) -> str:
    return (
        f"The {version.year} survey is {version.get_status_display().lower()}: only a draft's sections and "
        "questions can be changed."
    )


@national_admin_required
def section_edit(request, year, pk):
    version = _version(year)
    section = get_object_or_404(Section, version=version, pk=pk)
    if version.status != Status.DRAFT:
        return _refused(request, version, ValidationError(_not_draft(version)))
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        initial={"title": section.title, "introduction": section.introduction},
    )
    if request.method == "POST" and form.is_valid():
        try:
            builder.edit_section(
                section=section,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f'The section "{section.title}" was saved')
            return redirect(f"{reverse('survey-manage-version', kwargs={'year': year})}#section-{section.pk}")
    return render(
        request, "survey/manage/section_form.html", {"form": form, "version": version, "section": section}
    )


@national_admin_required
def section_delete(request, year, pk):
    version = _version(year)
    section = get_object_or_404(Section, version=version, pk=pk)
    if request.method == "POST":
        try:
            builder.delete_section(section=section)
        except ValidationError as error:
            return _refused(request, version, error)
        messages.success(request, f'The section "{section.title}" was deleted')
        return redirect("survey-manage-version", year=year)
    if version.status != Status.DRAFT:
        return _refused(request, version, ValidationError(_not_draft(version)))
    return render(
        request,
        "survey/manage/confirm_delete.html",
        {
            "version": version,
            "what": f'the section "{section.title}"',
            "detail": f"Its {section.questions.count()} questions are deleted with it.",
            "action": reverse("survey-manage-section-delete", kwargs={"year": year, "pk": pk}),
        },
    )


def _move(request, version, mover, **kwargs):
    direction = request.POST.get("direction", "")
    try:
        mover(direction=direction, **kwargs)
    except ValidationError as error:
        return _refused(request, version, error)
    return None


@require_POST
@national_admin_required
def section_move(request, year, pk):
    version = _version(year)
    section = get_object_or_404(Section, version=version, pk=pk)
    refused = _move(request, version, builder.move_section, section=section)
    if refused:
        return refused
    messages.success(request, f'The section "{section.title}" was moved {request.POST["direction"]}')
    return redirect(f"{reverse('survey-manage-version', kwargs={'year': year})}#section-{section.pk}")


def _routable(version: SurveyVersion, before: tuple[int, int]):
    """Choice questions of the version that come before the place `before` (section position, position)."""
    return [
        q
        for q in Question.objects.filter(version=version, kind__in=builder.CHOICE_KINDS)
        .select_related("section")
        .order_by("section__position", "position")
        if (q.section.position, q.position) < before
    ]


def _question_page(request, version, section, form, question=None):
    return render(
        request,
        "survey/manage/question_form.html",
        {"form": form, "version": version, "section": section, "question": question},
    )


@national_admin_required
def question_new(request, year):
    version = _version(year)
    if version.status != Status.DRAFT:
        return _refused(request, version, ValidationError(_not_draft(version)))
    section_id = request.POST.get("section") or request.GET.get("section", "")
    if not (section_id.isascii() and section_id.isdigit() and len(section_id) < 10):
        section = version.sections.order_by("position").last()
        if section is None:
            messages.success(request, "Add a section first: each question belongs to one")
            return redirect("survey-manage-section-new", year=year)
    else:
        section = get_object_or_404(Section, version=version, pk=int(section_id))
    routable = _routable(version, (section.position, 10**9))
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": Question.Kind.SINGLE, "required": "yes"},
        routable=routable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = builder.add_question(section=section, fields=form.fields_for_builder())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f'The question "{question.text}" was added')
            return redirect(
                f"{reverse('survey-manage-version', kwargs={'year': year})}#question-{question.pk}"
            )
    return _question_page(request, version, section, form)


@national_admin_required
def question_edit(request, year, pk):
    version = _version(year)
    question = get_object_or_404(
        Question.objects.select_related("section", "show_if"), version=version, pk=pk
    )
    if version.status != Status.DRAFT:
        return _refused(request, version, ValidationError(_not_draft(version)))
    routable = _routable(version, (question.section.position, question.position))
    sections = {s.pk: s for s in version.sections.order_by("position")}
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial={**question_initial(question), "section": question.section_id},
        routable=routable,
        carried=question.carried_from_id is not None,
        sections=list(sections.values()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            builder.edit_question(
                question=question,
                fields=form.fields_for_builder(),
                section=sections[form.cleaned_data["section"]],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f'The question "{question.text}" was saved')
            return redirect(
                f"{reverse('survey-manage-version', kwargs={'year': year})}#question-{question.pk}"
            )
    return _question_page(request, version, question.section, form, question)


@national_admin_required
def question_delete(request, year, pk):
    version = _version(year)
    question = get_object_or_404(Question, version=version, pk=pk)
    if request.method == "POST":
        try:
            builder.delete_question(question=question)
        except ValidationError as error:
            return _refused(request, version, error)
        messages.success(request, f'The question "{question.text}" was deleted')
        return redirect("survey-manage-version", year=year)
    if version.status != Status.DRAFT:
        return _refused(request, version, ValidationError(_not_draft(version)))
    detail = "Its answers in other years are kept." if question.carried_from_id else ""
    return render(
        request,
        "survey/manage/confirm_delete.html",
        {
            "version": version,
            "what": f'the question "{question.text}"',
            "detail": detail,
            "action": reverse("survey-manage-question-delete", kwargs={"year": year, "pk": pk}),
        },
    )


@require_POST
@national_admin_required
def question_move(request, year, pk):
    version = _version(year)
    question = get_object_or_404(Question, version=version, pk=pk)
    refused = _move(request, version, builder.move_question, question=question)
    if refused:
        return refused
    messages.success(request, f'The question "{question.text}" was moved {request.POST["direction"]}')
    return redirect(f"{reverse('survey-manage-version', kwargs={'year': year})}#question-{question.pk}")


@national_admin_required
def carry(request, year):
    version = _version(year)
    earlier = (
        SurveyVersion.objects.filter(year__lt=year, questions__isnull=False).distinct().order_by("-year")
    )
    wanted = request.GET.get("from", "")
    source = None
    if wanted:
        readable = wanted.isascii() and wanted.isdigit() and len(wanted) <= 4
        source = earlier.filter(year=int(wanted)).first() if readable else None
        if source is None:
            raise Http404("There is no earlier survey with questions for that year.")
    source = source or earlier.first()
    errors = []
    if version.status != Status.DRAFT:
        errors.append(("main-content", _not_draft(version)))
    if source is None:
        errors.append(("main-content", "There is no earlier survey with questions to carry forward."))
    elif request.method == "POST" and not errors:
        ids = request.POST.getlist("questions")
        if not all(i.isascii() and i.isdigit() and len(i) < 10 for i in ids):
            errors.append(("questions", "Choose questions from the list"))
        else:
            try:
                made = builder.carry_forward(from_version=source, to_version=version, question_ids=ids)
            except ValidationError as error:
                errors += [("questions", e) for e in _errors(error)]
            else:
                n = len(made)
                messages.success(
                    request, f"{n} question{'' if n == 1 else 's'} carried forward from {source.year}"
                )
                return redirect("survey-manage-version", year=year)
    taken = set(version.questions.values_list("code", flat=True))
    chosen = set(request.POST.getlist("questions"))
    sections = _sections(source) if source else []
    for s in sections:
        for q in s.question_list:
            q.already = q.code in taken
            q.chosen = str(q.pk) in chosen
    return render(
        request,
        "survey/manage/carry.html",
        {
            "version": version,
            "source": source,
            "sources": earlier,
            "sections": sections,
            "errors": errors,
            "draft": version.status == Status.DRAFT,
        },
    )


@national_admin_required
def open_survey(request, year):
    version = _version(year)
    today = timezone.localdate()
    errors = []
    if request.method == "POST":
        try:
            opened = builder.open_version(version=version)
        except ValidationError as error:
            errors = [("main-content", e) for e in _errors(error)]
        else:
            n = len(opened.invited)
            messages.success(
                request,
                f"The {year} survey is open: {n} director{'' if n == 1 else 's'} of children's services "
                "invited",
            )
            return redirect("survey-manage-version", year=year)
    problems = []
    if not errors and version.status != Status.PUBLISHED:  # said before the button is pressed
        problems = [m for found in builder.open_problems(version, today).values() for m in found]
    return render(
        request,
        "survey/manage/open.html",
        {
            "version": version,
            "to_invite": len(builder.directors_to_invite(version)),
            "question_count": version.questions.count(),
            "errors": errors,
            "problems": problems,
        },
    )


@national_admin_required
def close_survey(request, year):
    version = _version(year)
    errors = []
    if request.method == "POST":
        try:
            builder.close_version(version=version)
        except ValidationError as error:
            errors = [("main-content", e) for e in _errors(error)]
        else:
            messages.success(request, f"The {year} survey is closed: no more answers are taken")
            return redirect("survey-manage-version", year=year)
    return render(
        request,
        "survey/manage/close.html",
        {
            "version": version,
            "errors": errors,
            "submitted": version.responses.filter(status=Response.Status.SUBMITTED).count(),
            "started": version.responses.exclude(status=Response.Status.SUBMITTED).count(),
            "invited": version.invitations.values("authority").distinct().count(),
        },
    )
