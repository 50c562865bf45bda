"""Jobs pages: thin views over selectors.py and services.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from slihub.accounts.models import scope_of
from slihub.jobs import selectors, services
from slihub.jobs.forms import IndicatorImportForm


@login_required
def job_list(request):
    return render(
        request,
        "jobs/list.html",
        {"jobs": selectors.jobs_for(request.user), "can_import": scope_of(request.user).national},
    )


@login_required
def job_detail(request, pk):
    return render(request, "jobs/detail.html", {"job": selectors.job(request.user, pk)})


@login_required
def job_progress(request, pk):
    """The status panel alone: the job page asks for it every 2 seconds while the job runs."""
    return render(request, "jobs/_status.html", {"job": selectors.job(request.user, pk)})


@login_required
def import_new(request):
    if not scope_of(request.user).national:
        raise PermissionDenied("Only national admins can import indicators.")
    form = IndicatorImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.request_indicator_import(
                user=request.user, upload=form.cleaned_data["file"], mapping=form.cleaned_data["mapping"]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return redirect("job-detail", pk=job.pk)
    status = 400 if form.errors else 200
    return render(request, "jobs/import_new.html", {"form": form}, status=status)
