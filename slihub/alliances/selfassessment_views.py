"""Self-assessment pages: thin views over selfassessment.py (rules) and datapack.py (reads).

Nothing is lost: every page's Continue and Back save what is on it, typing saves through htmx to
`save` (204), and everything saved is in the database, so a session that times out keeps the draft;
signing in again (?next=) returns to the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from slihub.accounts.models import User
from slihub.alliances import datapack
from slihub.alliances import selfassessment as sa
from slihub.alliances.models import Status
from slihub.evidence.models import LocalPractice
from slihub.inspections.models import Grade

PAGES = [*(name for name, _ in sa.QUESTIONS), *sa.AREA_FIELDS]
LABELS = dict(sa.QUESTIONS) | dict(sa.AREAS)


def _url(name: str, authority, cycle, *args) -> str:
    return reverse(name, args=[authority.code, cycle.year, *args])


def _year(year: str) -> int:
    if not year.isdigit() or len(year) != 4:
        raise Http404("No such year.")
    return int(year)


def _load(request, code, year):
    return sa.find(request.user, code, _year(year))


def _errors(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(field, message) for field, problems in error.message_dict.items() for message in problems]
    return [("", message) for message in error.messages]


def _parse(page: str, data) -> tuple[dict, dict]:
    """(answers, ratings) for save_answers from one page's form."""
    if page in sa.QUESTION_FIELDS:
        return ({page: data.get("answer", "")} if "answer" in data else {}), {}
    if page in sa.AREA_FIELDS:
        given = {}
        if "grade" in data or "grade-shown" in data:
            given["grade"] = data.get("grade", "")
        if "evidence" in data:
            given["evidence"] = data.get("evidence", "")
        if "links-shown" in data:
            given["links"] = {
                "indicators": data.getlist("indicators"),
                "local_practice": data.getlist("local_practice"),
                "documents": data.get("documents", ""),
            }
        return {}, {page: given}
    raise Http404("No such page.")


@login_required
def overview(request, code, year):
    return _overview(request, *_load(request, code, year))


def _overview(request, authority, cycle, assessment, errors=()):
    coordinator = sa.coordinates(request.user, authority)
    context = {
        "authority": authority,
        "cycle": cycle,
        "assessment": assessment,
        "can_write": sa.can_write(request.user, authority),
        "editable": assessment is not None and sa.is_editable(request.user, assessment),
        "coordinator": coordinator,
        "is_moderator": assessment is not None and assessment.moderator_id == request.user.id,
        "first_page": _url("self-assessment-page", authority, cycle, PAGES[0]),
    }
    if assessment is not None:
        context |= {
            "questions": [(name, label, getattr(assessment, name)) for name, label in sa.QUESTIONS],
            "ratings": sa.ratings(assessment),
            "history": sa.history(assessment),
            "moderators": sa.moderator_choices(assessment) if coordinator else [],
        }
    context["errors"] = list(errors)
    return render(request, "alliances/self_assessment.html", context, status=400 if errors else 200)


@login_required
@require_POST
def start(request, code, year):
    authority, cycle, assessment = _load(request, code, year)
    sa.start(user=request.user, authority=authority, cycle=cycle)
    return redirect(_url("self-assessment-page", authority, cycle, PAGES[0]))


def _editable(request, code, year):
    authority, cycle, assessment = _load(request, code, year)
    if not sa.can_write(request.user, authority):
        raise PermissionDenied(f"{authority.name}'s self-assessment is written by its own staff.")
    if assessment is None:
        if request.method != "POST":
            return authority, cycle, None
        assessment = sa.start(user=request.user, authority=authority, cycle=cycle)
    return authority, cycle, assessment


@login_required
@require_http_methods(["GET", "POST"])
def page(request, code, year, page):
    if page not in PAGES:
        raise Http404("No such page.")
    authority, cycle, assessment = _editable(request, code, year)
    overview_url = _url("self-assessment", authority, cycle)
    if assessment is None or not sa.is_editable(request.user, assessment):
        return redirect(overview_url)
    at = PAGES.index(page)
    errors = []
    if request.method == "POST":
        answers, ratings = _parse(page, request.POST)
        try:
            sa.save_answers(user=request.user, assessment=assessment, answers=answers, ratings=ratings)
        except ValidationError as error:
            errors = _errors(error)
        else:
            if request.POST.get("action") == "back":
                target = _url("self-assessment-page", authority, cycle, PAGES[at - 1]) if at else overview_url
            elif request.POST.get("action") == "check" or at + 1 == len(PAGES):
                target = _url("self-assessment-check", authority, cycle)
            else:
                target = _url("self-assessment-page", authority, cycle, PAGES[at + 1])
            return redirect(target)
    context = {
        "authority": authority,
        "cycle": cycle,
        "assessment": assessment,
        "page": page,
        "label": LABELS[page],
        "number": at + 1,
        "pages": len(PAGES),
        "errors": errors,
        "save_url": _url("self-assessment-save", authority, cycle),
        "back_url": _url("self-assessment-page", authority, cycle, PAGES[at - 1]) if at else overview_url,
        "data_pack_url": _url("self-assessment-data-pack", authority, cycle),
    }
    if page in sa.QUESTION_FIELDS:
        context["answer"] = request.POST.get("answer") if errors else getattr(assessment, page)
        context["maxlength"] = sa.ANSWER_MAX
        return render(
            request, "alliances/self_assessment_question.html", context, status=400 if errors else 200
        )
    rating = next(r.rating for r in sa.ratings(assessment) if r.area == page)
    links = rating.links or {}
    pack = datapack.data_pack(request.user, authority)
    by_field = {}
    for field, message in errors:
        by_field.setdefault(field.removeprefix(f"{page}-"), []).append(message)
    context |= {
        "field_errors": by_field,
        "grades": Grade.choices,
        "grade": request.POST.get("grade", "") if errors else rating.grade,
        "evidence": request.POST.get("evidence", "") if errors else rating.evidence,
        "indicators": [
            (slug, name, slug in links.get("indicators", [])) for slug, name in pack.indicator_choices
        ],
        "practices": [
            (p.pk, p.title, p.get_status_display(), p.pk in links.get("local_practice", []))
            for p in LocalPractice.objects.filter(authority=authority).order_by("-submitted_at")[:50]
        ],
        "documents": request.POST.get("documents", "") if errors else "\n".join(links.get("documents", [])),
        "maxlength": sa.EVIDENCE_MAX,
    }
    return render(request, "alliances/self_assessment_rating.html", context, status=400 if errors else 200)


@require_POST
def save(request, code, year):
    """Autosave as the user types (htmx): 204 when saved, 400 with the problems as text when not, and 401
    once the session has ended (rather than a redirect to the sign-in page, which htmx would follow and
    take for success); the page shows the text of a 400 or 401 in its status line."""
    if not request.user.is_authenticated:
        return HttpResponse(
            "Your session has ended: sign in again to keep saving. What was saved before is kept.",
            status=401,
            content_type="text/plain; charset=utf-8",
        )
    authority, cycle, assessment = _editable(request, code, year)
    page = request.POST.get("page", "")
    if page not in PAGES:
        return HttpResponse("No such page.", status=400, content_type="text/plain")
    answers, ratings = _parse(page, request.POST)
    try:
        sa.save_answers(user=request.user, assessment=assessment, answers=answers, ratings=ratings)
    except ValidationError as error:
        return HttpResponse(
            "\n".join(m for _, m in _errors(error)), status=400, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(status=204)


@login_required
@require_http_methods(["GET", "POST"])
def check(request, code, year):
    authority, cycle, assessment = _editable(request, code, year)
    overview_url = _url("self-assessment", authority, cycle)
    if assessment is None or not sa.is_editable(request.user, assessment):
        return redirect(overview_url)
    errors = []
    if request.method == "POST":
        try:
            sa.submit(user=request.user, assessment=assessment)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, f"{authority.name}'s self-assessment is submitted")
            return redirect(overview_url)
    return render(
        request,
        "alliances/self_assessment_check.html",
        {
            "authority": authority,
            "cycle": cycle,
            "assessment": assessment,
            "errors": [(f"change-{field}", message) for field, message in errors],
            "questions": [
                (name, label, getattr(assessment, name), _url("self-assessment-page", authority, cycle, name))
                for name, label in sa.QUESTIONS
            ],
            "ratings": [
                (r, _url("self-assessment-page", authority, cycle, r.area)) for r in sa.ratings(assessment)
            ],
            "back_url": _url("self-assessment-page", authority, cycle, PAGES[-1]),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, code, year):
    authority, cycle, assessment = _load(request, code, year)
    if assessment is None or assessment.moderator_id != request.user.id:
        raise PermissionDenied("Only the moderator assigned comments on a self-assessment.")
    errors = []
    comments = assessment.moderator_comments
    if request.method == "POST":
        comments = request.POST.get("comments", "")
        try:
            sa.moderate(user=request.user, assessment=assessment, comments=comments)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, "Your comments are recorded")
            return redirect(_url("self-assessment", authority, cycle))
    return render(
        request,
        "alliances/self_assessment_moderate.html",
        {
            "authority": authority,
            "cycle": cycle,
            "assessment": assessment,
            "questions": [(label, getattr(assessment, name)) for name, label in sa.QUESTIONS],
            "ratings": sa.ratings(assessment),
            "comments": comments,
            "errors": errors,
            "maxlength": sa.ANSWER_MAX,
            "open": assessment.status == Status.SUBMITTED,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def coordinate(request, code, year, action):
    authority, cycle, assessment = _load(request, code, year)
    if assessment is None:
        raise Http404("No such self-assessment.")
    if not sa.coordinates(request.user, authority):
        raise PermissionDenied("Only the region's alliance coordinator or a national admin can do this.")
    try:
        if action == "assign":
            pk = request.POST.get("moderator", "")
            moderator = User.objects.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 10 else None
            if moderator is None:
                raise ValidationError({"moderator": ["Choose a moderator"]})
            sa.assign_moderator(user=request.user, assessment=assessment, moderator=moderator)
            messages.success(request, f"{moderator} will moderate it")
        elif action == "return":
            sa.return_to_council(
                user=request.user, assessment=assessment, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"It is returned to {authority.name}")
        elif action == "finalise":
            sa.finalise(user=request.user, assessment=assessment)
            messages.success(request, "It is final")
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        return _overview(request, authority, cycle, assessment, _errors(error))
    return redirect(_url("self-assessment", authority, cycle))


@login_required
def data_pack(request, code, year):
    authority, cycle, assessment = _load(request, code, year)
    pack = datapack.data_pack(request.user, authority)
    return render(
        request,
        "alliances/datapack.html",
        {
            "authority": authority,
            "cycle": cycle,
            "assessment": assessment,
            "pack": pack,
            "headline_group": {"label": "Headline indicators", "rows": pack.headline},
        },
    )
