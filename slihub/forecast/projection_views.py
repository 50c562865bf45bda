"""The national admins' page for loading ONS population projections, as `slihub load-population-projections`
does: the file is checked whole (line-numbered errors in the GOV.UK error summary, nothing stored), then
its councils' years are added or replaced, audited, and the stored forecasts worked out again.
Signed-out visitors are sent to sign in; anyone who is not a national admin gets 403."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from slihub.accounts.models import scope_of
from slihub.forecast.refresh import refresh_forecasts
from slihub.govuk import GovukFormMixin
from slihub.places.models import PopulationProjection
from slihub.places.projections import ProjectionFileError, load

MAX_BYTES = 50 * 1024 * 1024  # ONS's persons file for every area is about 20 MB


class ProjectionForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Population projections file (CSV)",
        help_text="ONS's sub-national population projections as downloaded: columns AREA_CODE, AREA_NAME, "
        "COMPONENT, SEX, AGE_GROUP, then one column a year (2018-based or 2022-based)",
        error_messages={"required": "Choose the CSV file to load", "empty": "The file is empty"},
    )
    source = forms.CharField(
        label="Name of the projections (optional)",
        help_text="How the forecast pages name them, like ONS 2022-based sub-national population "
        "projections. Left empty, the file's name is used.",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 50 MB")
        return upload


@never_cache
@login_required
def load_projections(request):
    if not scope_of(request.user).national:
        raise PermissionDenied("Only national admins can load population projections.")
    form = ProjectionForm(request.POST, request.FILES) if request.method == "POST" else ProjectionForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = load(path, source=form.cleaned_data["source"] or None, progress=lambda _: None)
            except ProjectionFileError as error:
                form.add_error("file", f"{error} Nothing was changed.")
            else:
                if report.touched:
                    refresh_forecasts(backtest=False)
                messages.success(
                    request,
                    f"Loaded {report.source}: {report.authorities} councils, {report.added} years added, "
                    f"{report.changed} changed, {report.unchanged} unchanged."
                    + (" The forecasts have been worked out again." if report.touched else ""),
                )
                return redirect("forecast-projections")
    loaded = (
        PopulationProjection.objects.values("source")
        .order_by("source")
        .distinct()
        .values_list("source", flat=True)
    )
    councils = PopulationProjection.objects.values("authority").distinct().count()
    status = 400 if form.errors else 200
    return render(
        request,
        "forecast/projections.html",
        {"form": form, "sources": list(loaded), "councils": councils},
        status=status,
    )
