"""Answering the survey: thin views over slihub.survey.answering (rules) and answer_forms (the form).

Quick to answer: one page per section with "Section 2 of 4", a task list, answers saved with every
button (and as the user types, through htmx, to `save`), "Save and come back later", and "check your
answers" before submitting. A council's other members read its answers; national admins read every
council's and preview a version as a director sees it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from slihub.accounts.models import scope_of
from slihub.places.models import Authority
from slihub.survey import answering
from slihub.survey.answer_forms import SectionForm
from slihub.survey.models import Delegate, Response, SurveyVersion

STATUS_NAMES = {
    "": "Not started",
    Response.Status.DRAFT: "In progress",
    Response.Status.SUBMITTED: "Submitted",
}


def _url(name, version, authority, *args):
    return reverse(name, args=[version.year, authority.code, *args])


def _maybe(name, *args) -> str:
    """A page another part of the hub may or may not have yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _builder_url() -> str:
    """The survey builder's list of versions (named survey-manage-list in the brief, survey-manage in
    slihub.survey.manage_urls): whichever exists."""
    return _maybe("survey-manage-list") or _maybe("survey-manage")


def _messages(error: ValidationError) -> list[str]:
    return (
        [m for ms in error.message_dict.values() for m in ms]
        if hasattr(error, "error_dict")
        else error.messages
    )


def _status(response: Response | None) -> str:
    return STATUS_NAMES[response.status if response else ""]


def _closed_message(version: SurveyVersion, today) -> str:
    if version.accepts_answers(today):
        return ""
    if version.status == SurveyVersion.Status.OPEN and version.closes_on:
        return f"The survey closed on {answering.long_date(version.closes_on)}: answers cannot be changed."
    return "The survey is closed: answers cannot be changed."


@login_required
def home(request):
    user = request.user
    scope = scope_of(user)
    today = timezone.localdate()
    version = answering.current_version()
    councils = list(Authority.objects.filter(id__in=scope.member_of).order_by("name"))
    responses = {
        (r.version_id, r.authority_id): r
        for r in Response.objects.visible_to(user).filter(authority__in=councils).select_related("version")
    }
    rows = []
    if version is not None:
        for council in councils:
            response = responses.get((version.id, council.id))
            writer = answering.can_write(user, version, council)
            rows.append(
                {
                    "council": council,
                    "status": _status(response),
                    "response": response,
                    "late": response is not None and answering.is_late(response),
                    "can_write": writer and version.accepts_answers(today),
                    "is_director": council.id in scope.directs,
                    "url": _url("survey-answer", version, council),
                }
            )
    past = [
        {
            "response": r,
            "status": _status(r),
            "late": answering.is_late(r),
            "url": _url("survey-answer", r.version, r.authority),
        }
        for r in Response.objects.visible_to(user)
        .filter(authority__in=councils)
        .exclude(version=version)
        .exclude(version__status=SurveyVersion.Status.DRAFT)
        .select_related("version", "authority")
        .order_by("-version__year", "authority__name")
    ]
    reads_results = scope.national or scope.member_of or scope.leads
    context = {
        "version": version,
        "rows": rows,
        "past": past,
        "national": scope.national,
        "late_message": answering.late_message(version, today) if version else "",
        "closed_message": _closed_message(version, today) if version else "",
        "manage_url": _builder_url() if scope.national else "",
        "results_url": _maybe("survey-results", version.year)
        if version and version.status == SurveyVersion.Status.PUBLISHED and reads_results
        else "",
    }
    if reads_results:
        context["published"] = [
            (v, _maybe("survey-results", v.year))
            for v in SurveyVersion.objects.filter(status=SurveyVersion.Status.PUBLISHED).order_by("-year")
        ]
    if scope.national:
        drafts = SurveyVersion.objects.filter(status=SurveyVersion.Status.DRAFT)
        context["previews"] = [(v, reverse("survey-preview", args=[v.year])) for v in drafts]
        if version is not None:
            context["responses"] = [
                {
                    "response": r,
                    "status": _status(r),
                    "late": answering.is_late(r),
                    "url": _url("survey-answer", version, r.authority),
                }
                for r in Response.objects.visible_to(user)
                .filter(version=version)
                .select_related("authority", "version")
                .order_by("authority__name")
            ]
            context["counts"] = {
                "submitted": version.responses.filter(status=Response.Status.SUBMITTED).count(),
                "started": version.responses.count(),
                "councils": Authority.objects.filter(is_current=True).count(),
            }
    return render(request, "survey/answer/home.html", context)


def _sections(version, response):
    """Each section with what the council is asked in it and its status on the task list."""
    questions = answering.questions_of(version)
    answers = answering.answers_of(response)
    shown = answering.shown_questions(version, answers, questions=questions)
    rows = []
    for section in version.sections.all():
        asked = [q for q in shown if q.section_id == section.id]
        answered = [q for q in asked if q.id in answers]
        missing = [q for q in asked if q.required and q.id not in answers]
        if not asked:
            status = "No questions for you"
        elif not answered and not missing:
            status = "Optional"
        elif not answered:
            status = "Not yet started"
        elif missing:
            status = "In progress"
        else:
            status = "Completed"
        rows.append(
            {
                "section": section,
                "asked": len(asked),
                "answered": len(answered),
                "missing": len(missing),
                "status": status,
            }
        )
    missing = [q for q in shown if q.required and q.id not in answers]
    return rows, shown, answers, missing


@login_required
def overview(request, year, code):
    version, authority, response = answering.find(request.user, year, code)
    today = timezone.localdate()
    writer = answering.can_write(request.user, version, authority)
    sections, shown, answers, missing = _sections(version, response)
    for row in sections:
        row["url"] = _url("survey-answer-section", version, authority, row["section"].position)
    delegate = Delegate.objects.visible_to(request.user).filter(version=version, authority=authority).first()
    context = {
        "version": version,
        "authority": authority,
        "response": response,
        "status": _status(response),
        "late": response is not None and answering.is_late(response),
        "sections": sections,
        "missing": len(missing),
        "editable": writer and version.accepts_answers(today),
        "writer": writer,
        "is_director": authority.id in scope_of(request.user).directs,
        "delegate": delegate,
        "late_message": answering.late_message(version, today),
        "closed_message": _closed_message(version, today),
        "check_url": _url("survey-answer-check", version, authority),
        "delegate_url": _url("survey-answer-delegate", version, authority),
        "first_url": _next_url(version, authority, response, sections),
    }
    return render(request, "survey/answer/overview.html", context)


def _next_url(version, authority, response, sections) -> str:
    """Where Start or Continue leads: the first section left to answer, else check your answers."""
    if not sections:
        return ""
    if response is None:
        return sections[0]["url"]
    for row in sections:
        if row["missing"]:
            return row["url"]
    return _url("survey-answer-check", version, authority)


def _writable(request, year, code):
    version, authority, response = answering.find(request.user, year, code)
    if not answering.can_write(request.user, version, authority):
        raise PermissionDenied(
            f"Only {authority.name}'s director of children's services, or the person they named to answer "
            "for them, can answer the survey. You can read the council's answers."
        )
    return version, authority, response


def _section_or_404(version, position):
    section = version.sections.filter(position=position).first()
    if section is None:
        raise Http404("No such section.")
    return section


def _posted_questions(request, version, section, answers):
    """The section's questions that were on the page posted (named in its hidden `shown` fields), else
    those routing shows now."""
    questions = answering.questions_of(version)
    here = [q for q in questions if q.section_id == section.id]
    posted = set(request.POST.getlist("shown"))
    if posted:
        return [q for q in here if q.code in posted], questions
    shown = answering.shown_questions(version, answers, questions=questions)
    return [q for q in shown if q.section_id == section.id], questions


@login_required
@require_http_methods(["GET", "POST"])
def section_page(request, year, code, position):
    version, authority, response = _writable(request, year, code)
    section = _section_or_404(version, position)
    today = timezone.localdate()
    overview_url = _url("survey-answer", version, authority)
    if not version.accepts_answers(today):
        return redirect(overview_url)
    sections = list(version.sections.all())
    at = next(i for i, s in enumerate(sections) if s.id == section.id)
    answers = answering.answers_of(response)
    notice = ""
    status = 200
    if request.method == "POST":
        questions, everything = _posted_questions(request, version, section, answers)
        form = SectionForm(request.POST, questions=questions, answers=answers)
        saved = None
        form.is_valid()  # the answers that pass are saved even when others on the page do not
        if form.answers():
            try:
                saved = answering.save_section(
                    user=request.user, section=section, data=form.answers(), authority=authority, today=today
                )
            except ValidationError as error:
                saved = getattr(error, "saved", None)
                if not hasattr(error, "error_dict"):
                    raise PermissionDenied(" ".join(error.messages)) from error
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
        if form.errors:
            status = 400
        else:
            if saved and saved.reopened:
                messages.success(
                    request,
                    "Your change means there are questions to answer: your response is in progress again. "
                    "Answer them and submit it again.",
                )
            action = request.POST.get("action", "continue")
            answers = answering.answers_of(saved.response) if saved else answers
            shown = answering.shown_questions(version, answers, questions=everything)
            now_here = [q for q in shown if q.section_id == section.id]
            # questions the answers bring in that were not on the page (autosave may have saved the
            # answer that brings them in already, so this is measured against the page, not the database)
            revealed = [q for q in now_here if q not in questions]
            if revealed and action != "later":
                form = SectionForm(questions=now_here, answers=answers)
                notice = "Your answers mean there are more questions in this section."
            elif action == "later":
                messages.success(
                    request,
                    "Your answers are saved. You can come back to them at any time before the survey closes.",
                )
                return redirect(overview_url)
            elif at + 1 < len(sections):
                return redirect(_url("survey-answer-section", version, authority, sections[at + 1].position))
            else:
                return redirect(_url("survey-answer-check", version, authority))
    else:
        shown = answering.shown_questions(version, answers)
        questions = [q for q in shown if q.section_id == section.id]
        form = SectionForm(questions=questions, answers=answers)
    back_url = (
        _url("survey-answer-section", version, authority, sections[at - 1].position) if at else overview_url
    )
    return render(
        request,
        "survey/answer/section.html",
        {
            "version": version,
            "authority": authority,
            "section": section,
            "number": at + 1,
            "total": len(sections),
            "form": form,
            "items": form.items(),
            "notice": notice,
            "late_message": answering.late_message(version, today),
            "back_url": back_url,
            "overview_url": overview_url,
            "save_url": _url("survey-answer-save", version, authority, section.position),
            "last": at + 1 == len(sections),
        },
        status=status,
    )


def _text(message, status):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_POST
def save(request, year, code, position):
    """Autosave as the user types (htmx): 200 with "Your answers were saved at 10:04am." when saved, 400
    with the problems as text when not, 401 once the session has ended (not a redirect, which htmx would
    follow and take for success), 403 for someone who may not answer."""
    if not request.user.is_authenticated:
        return _text(
            "Your session has ended: sign in again to keep saving. What was saved before is kept.", 401
        )
    try:
        version, authority, response = _writable(request, year, code)
    except PermissionDenied as error:
        return _text(str(error), 403)
    section = _section_or_404(version, position)
    answers = answering.answers_of(response)
    questions, _ = _posted_questions(request, version, section, answers)
    form = SectionForm(request.POST, questions=questions, answers=answers)
    form.is_valid()
    if form.answers():
        try:
            answering.save_section(
                user=request.user, section=section, data=form.answers(), authority=authority
            )
        except ValidationError as error:
            return _text("Not saved: " + " ".join(_messages(error)), 400)
    if form.errors:
        return _text("Not saved: " + " ".join(m for _, m in form.error_list()), 400)
    return _text(
        f"Your answers were saved at {timezone.localtime():%-I:%M%p}.".replace("AM.", "am.").replace(
            "PM.", "pm."
        ),
        200,
    )


def _summary(version, authority, response, editable):
    sections, shown, answers, missing = _sections(version, response)
    groups = []
    for row in sections:
        section = row["section"]
        url = _url("survey-answer-section", version, authority, section.position)
        groups.append(
            {
                "section": section,
                "rows": [
                    {
                        "question": q,
                        "answer": answering.display(q, answers.get(q.id)),
                        "change_url": f"{url}#id_{q.code}" if editable else "",
                        "id": f"answer-{q.code}",
                    }
                    for q in shown
                    if q.section_id == section.id
                ],
            }
        )
    return groups, missing


@login_required
@require_http_methods(["GET", "POST"])
def check(request, year, code):
    version, authority, response = answering.find(request.user, year, code)
    today = timezone.localdate()
    writer = answering.can_write(request.user, version, authority)
    editable = writer and version.accepts_answers(today)
    errors = []
    if request.method == "POST":
        if not writer:
            raise PermissionDenied(
                f"Only {authority.name}'s director of children's services, or the person they named, can "
                "submit the survey."
            )
        if response is None:
            errors = [("", "Answer the questions before submitting")]
        else:
            try:
                answering.submit(user=request.user, response=response)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    by_code = {q.code: q for q in answering.questions_of(version)}
                    for code_, problems in error.message_dict.items():
                        question = by_code.get(code_)
                        link = (
                            _url("survey-answer-section", version, authority, question.section.position)
                            + f"#id_{code_}"
                            if question
                            else ""
                        )
                        errors += [(link, p) for p in problems]
                else:
                    errors = [("", m) for m in error.messages]
            else:
                return redirect(_url("survey-answer-submitted", version, authority))
    groups, missing = _summary(version, authority, response, editable)
    return render(
        request,
        "survey/answer/check.html",
        {
            "version": version,
            "authority": authority,
            "response": response,
            "status": _status(response),
            "late": response is not None and answering.is_late(response),
            "groups": groups,
            "missing": len(missing),
            "errors": errors,
            "editable": editable,
            "late_message": answering.late_message(version, today),
            "closed_message": _closed_message(version, today) if writer else "",
            "overview_url": _url("survey-answer", version, authority),
        },
        status=400 if errors else 200,
    )


@login_required
def submitted(request, year, code):
    version, authority, response = answering.find(request.user, year, code)
    if response is None or response.status != Response.Status.SUBMITTED:
        return redirect(_url("survey-answer", version, authority))
    return render(
        request,
        "survey/answer/submitted.html",
        {
            "version": version,
            "authority": authority,
            "response": response,
            "late": answering.is_late(response),
            "overview_url": _url("survey-answer", version, authority),
            "check_url": _url("survey-answer-check", version, authority),
            "editable": answering.can_write(request.user, version, authority)
            and version.accepts_answers(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegate_page(request, year, code):
    version, authority, response = answering.find(request.user, year, code)
    if authority.id not in scope_of(request.user).directs:
        raise PermissionDenied(f"Only {authority.name}'s director of children's services names a delegate.")
    today = timezone.localdate()
    current = Delegate.objects.filter(version=version, authority=authority).select_related("user").first()
    choices = answering.delegate_choices(authority, request.user)
    chosen = str(current.user_id) if current else "none"
    errors = []
    if request.method == "POST":
        chosen = request.POST.get("delegate", "")
        person = None
        if chosen != "none":
            person = next((u for u in choices if str(u.pk) == chosen), None)
            if person is None:
                errors = [f"Choose someone who works for {authority.name}, or nobody"]
        if not errors:
            try:
                answering.name_delegate(
                    user=request.user, version=version, authority=authority, delegate=person, today=today
                )
            except ValidationError as error:
                errors = _messages(error)
            else:
                messages.success(
                    request,
                    f"{person} can now answer the survey for {authority.name}"
                    if person
                    else "Nobody else answers the survey for your council now",
                )
                return redirect(_url("survey-answer", version, authority))
    return render(
        request,
        "survey/answer/delegate.html",
        {
            "version": version,
            "authority": authority,
            "current": current,
            "choices": [(str(u.pk), u) for u in choices],
            "chosen": chosen,
            "errors": errors,
            "open": version.accepts_answers(today),
            "overview_url": _url("survey-answer", version, authority),
        },
        status=400 if errors else 200,
    )


@login_required
def preview(request, year):
    """Every section as a director sees it, for national admins: nothing is saved from it."""
    if not scope_of(request.user).national:
        raise PermissionDenied("Only national admins preview the survey.")
    version = SurveyVersion.objects.filter(year=year).first()
    if version is None:
        raise Http404("No survey for that year.")
    questions = answering.questions_of(version)
    sections = list(version.sections.all())
    pages = []
    for number, section in enumerate(sections, start=1):
        form = SectionForm(
            questions=[q for q in questions if q.section_id == section.id], preview=True, prefix=f"s{number}"
        )
        pages.append({"section": section, "number": number, "items": form.items()})
    return render(
        request,
        "survey/answer/preview.html",
        {
            "version": version,
            "pages": pages,
            "total": len(sections),
            "manage_url": _builder_url(),
        },
    )
