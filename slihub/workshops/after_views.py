"""Pages for after a workshop: attendance, materials (upload, download, delete), feedback and its summary,
and the practices shared. Thin: the rules are in slihub.workshops.after.

Every page finds the event through Event.objects.visible_to(user) (a draft is not found by others: 404);
private pages send signed-out visitors to sign in, and refuse others with the house 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from slihub.evidence.models import LocalPractice, Practice
from slihub.govuk import whole_number
from slihub.workshops import after
from slihub.workshops.after_forms import FeedbackForm, MaterialForm
from slihub.workshops.models import Event, Feedback, Material

ATTENDED = {"yes": True, "no": False, "unknown": None}


def _event(request, pk) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user).select_related("region"), pk=pk)


def _event_url(event: Event) -> str:
    try:
        return reverse("workshop-detail", kwargs={"pk": event.pk})
    except NoReverseMatch:  # the event pages are another module's (slihub.workshops.urls)
        return f"/workshops/{event.pk}/"


NOT_STARTED = "not-started"  # the id of the page's note that the event has not started


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {None: error.messages}


# Attendance


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    event = _event(request, pk)
    after.require_organiser(request.user, event)
    places = list(after.booked(event, request.user))
    started = after.has_started(event)
    chosen = {r.pk: {True: "yes", False: "no", None: "unknown"}[r.attended] for r in places}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        marks: dict[int, bool | None] = {}
        for registration in places:
            value = request.POST.get(f"attended-{registration.pk}", "unknown")
            if value not in ATTENDED:
                errors.append(
                    (f"attended-{registration.pk}", f"Select whether {_name(registration)} attended")
                )
                continue
            chosen[registration.pk] = value
            marks[registration.pk] = ATTENDED[value]
        if not started:
            errors = [(NOT_STARTED, after.not_started_message(event, "mark attendance"))]
        elif not errors:
            try:
                after.mark_attendance(user=request.user, event=event, attended=marks)
            except ValidationError as error:
                first = f"attended-{places[0].pk}" if places else NOT_STARTED
                errors += [(first, m) for ms in _messages_of(error).values() for m in ms]
            else:
                messages.success(request, "Attendance saved.")
                return redirect(_event_url(event))
    problems = dict(errors)
    rows = [(r, _name(r), chosen[r.pk], problems.get(f"attended-{r.pk}")) for r in places]
    return render(
        request,
        "workshops/after/attendance.html",
        {
            "event": event,
            "event_url": _event_url(event),
            "rows": rows,
            "started": started,
            "errors": errors,
            "not_started": after.not_started_message(event, "mark attendance"),
        },
        status=400 if errors else 200,
    )


def _name(registration) -> str:
    return registration.user.full_name or registration.user.username


# Materials


@login_required
@require_http_methods(["GET", "POST"])
def material_new(request, pk):
    event = _event(request, pk)
    after.require_organiser(request.user, event)
    started = after.has_started(event)
    posted = request.method == "POST"
    form = MaterialForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and not started:
        form.is_valid()
        errors = [(NOT_STARTED, after.not_started_message(event, "upload materials"))]
    elif request.method == "POST":
        form.is_valid()  # shows each field's own problems; the service checks everything again
        try:
            material = after.add_material(
                user=request.user,
                event=event,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                upload=request.FILES.get("file"),
            )
        except ValidationError as error:
            for name, problems in _messages_of(error).items():
                if name not in form.errors:
                    form.add_error(name if name in form.fields else None, problems[0])
        else:
            messages.success(request, f"“{material.title}” was uploaded.")
            return redirect(_event_url(event))
        errors = form.error_list()
    return render(
        request,
        "workshops/after/material_form.html",
        {
            "event": event,
            "event_url": _event_url(event),
            "form": form,
            "started": started,
            "not_started": after.not_started_message(event, "upload materials"),
            "materials": after.materials(event),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _material(request, pk) -> Material:
    return get_object_or_404(
        Material.objects.select_related("event").filter(event__in=Event.objects.visible_to(request.user)),
        pk=pk,
    )


@require_http_methods(["GET", "HEAD"])
def material_download(request, pk):
    material = _material(request, pk)
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is no longer stored.") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=after.safe_filename(material.file.name),
        content_type=material.content_type,
    )
    if material.event.status == Event.Status.DRAFT:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def material_delete(request, pk):
    material = _material(request, pk)
    event = material.event
    after.require_organiser(request.user, event)
    if request.method == "POST":
        after.delete_material(user=request.user, material=material)
        messages.success(request, f"“{material.title}” was deleted.")
        return redirect("workshop-material-new", pk=event.pk)
    return render(
        request,
        "workshops/after/material_delete.html",
        {
            "event": event,
            "event_url": _event_url(event),
            "material": material,
            "type_label": after.type_label(material),
        },
    )


# Feedback


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    event = _event(request, pk)
    if not after.may_give_feedback(request.user, event):
        raise PermissionDenied(
            "Only people who had a place at the event can give feedback on it, "
            "unless the organisers marked them as not attending."
        )
    started = after.has_started(event)
    existing = Feedback.objects.filter(event=event, user=request.user).first()
    initial = (
        {"usefulness": existing.usefulness, "will_use": existing.will_use, "comments": existing.comments}
        if existing
        else {}
    )
    form = FeedbackForm(request.POST if request.method == "POST" else None, initial=initial)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if not started:
            form.is_valid()
            errors = [(NOT_STARTED, after.not_started_message(event, "give feedback"))]
        elif form.is_valid():
            data = form.cleaned_data
            try:
                after.save_feedback(
                    user=request.user,
                    event=event,
                    usefulness=data["usefulness"],
                    will_use=data["will_use"],
                    comments=data["comments"],
                )
            except ValidationError as error:
                for name, problems in _messages_of(error).items():
                    form.add_error(name if name in form.fields else None, problems[0])
            else:
                messages.success(request, "Thank you: your feedback was saved.")
                return redirect(_event_url(event))
        errors = errors or form.error_list()
    return render(
        request,
        "workshops/after/feedback.html",
        {
            "event": event,
            "event_url": _event_url(event),
            "form": form,
            "started": started,
            "not_started": after.not_started_message(event, "give feedback"),
            "existing": existing,
            "usefulness_choices": after.USEFULNESS,
            "chosen": str(form["usefulness"].value() or ""),
            "will_use_max": after.WILL_USE_MAX,
            "comments_max": after.COMMENTS_MAX,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def feedback_summary(request, pk):
    event = _event(request, pk)
    after.require_organiser(request.user, event)
    return render(
        request,
        "workshops/after/feedback_summary.html",
        {"event": event, "event_url": _event_url(event), "summary": after.feedback_summary(event)},
    )


# What was shared


def _ids(values) -> tuple[list[int], bool]:
    ids = [whole_number(v, digits=12) for v in values]
    return [i for i in ids if i is not None], None in ids


@login_required
@require_http_methods(["GET", "POST"])
def shared(request, pk):
    event = _event(request, pk)
    after.require_organiser(request.user, event)
    started = after.has_started(event)
    q = (request.GET.get("q") or request.POST.get("q") or "").strip()[:200]
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        practice_ids, bad_practice = _ids(request.POST.getlist("practices"))
        local_ids, bad_local = _ids(request.POST.getlist("local_practices"))
        if bad_practice:
            errors.append(("practices", "Select practices from the evidence library"))
        if bad_local:
            errors.append(("local_practices", "Select local practice that has been validated"))
        # "Search" keeps what is ticked and shows what the search finds; "Save" stores the ticked ones
        if not started:
            errors = [(NOT_STARTED, after.not_started_message(event, "add what was shared"))]
        elif not errors and request.POST.get("action") != "search":
            try:
                after.link_shared(
                    user=request.user, event=event, practice_ids=practice_ids, local_practice_ids=local_ids
                )
            except ValidationError as error:
                errors += [(name or "practices", m) for name, ms in _messages_of(error).items() for m in ms]
            else:
                messages.success(request, "What was shared was saved.")
                return redirect(_event_url(event))
        selected, selected_local = set(practice_ids), set(local_ids)
    else:
        selected = set(event.practices.values_list("pk", flat=True))
        selected_local = set(event.local_practices.values_list("pk", flat=True))
    # the linked (or just chosen) ones first, then what the search found
    practices = list(Practice.objects.filter(pk__in=selected).order_by("name"))
    practices += [p for p in after.linkable_practices(q) if p.pk not in selected]
    local = list(
        LocalPractice.objects.filter(pk__in=selected_local, status=LocalPractice.Status.VALIDATED)
        .select_related("authority")
        .order_by("title")
    )
    local += [p for p in after.linkable_local_practices(q) if p.pk not in selected_local]
    return render(
        request,
        "workshops/after/shared.html",
        {
            "event": event,
            "event_url": _event_url(event),
            "started": started,
            "not_started": after.not_started_message(event, "add what was shared"),
            "q": q,
            "practices": [(p, p.pk in selected) for p in practices],
            "local_practices": [(p, p.pk in selected_local) for p in local],
            "errors": errors,
            "searched": bool(q),
        },
        status=400 if errors else 200,
    )
