"""The pages of a council's forecast from its own 903 return: the upload form and the result beside the
published-data forecast. Uploads are read in memory only (InMemoryUpload below replaces Django's handlers,
which would spill a large file to a temporary file on disk) and never saved."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from slihub.forecast import chart, page_selectors
from slihub.forecast.models import ChildLevelUpload
from slihub.forecast.ssda903 import aggregate, parse, services
from slihub.places.models import Authority

MAX_REQUEST_BYTES = 20 * 1024 * 1024


class InMemoryUpload(MemoryFileUploadHandler):
    """Every uploaded file in memory, never on disk; a request over MAX_REQUEST_BYTES reads no file at all
    (the view then says so)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = content_length is not None and content_length <= MAX_REQUEST_BYTES
        self.request.too_large = not self.activated


def _authority(code: str) -> Authority:
    try:
        return Authority.objects.by_code(code)
    except Authority.DoesNotExist:
        raise Http404(f"No council has the code {code}.") from None


def _files(request, name: str) -> tuple[list[tuple[str, bytes]], str | None]:
    files = request.FILES.getlist(name)
    if len(files) > services.MAX_FILES:
        return [], f"Choose up to {services.MAX_FILES} files"
    for f in files:
        if f.size > services.MAX_FILE_BYTES:
            return [], f"{f.name} is larger than {services.MAX_FILE_BYTES // (1024 * 1024)} MB"
    return [(f.name, f.read()) for f in files], None


def _row(row: dict) -> dict:
    return {
        **row,
        "placements": [row["by_placement"][g] for g in aggregate.PLACEMENT_GROUPS],
        "ages": [row["by_age"][b] for b in aggregate.AGE_BANDS],
    }


def _published(code: str) -> dict:
    """The published-data forecast's stored points, by year."""
    area = page_selectors.authority(code)
    return {p.year: p for p in area.points}


def result_context(saved: ChildLevelUpload) -> dict:
    own = services.forecast(saved)
    published = _published(saved.authority.code)
    rows = []
    for h in own.get("horizons", []):
        p = published.get(h["year"])
        rows.append(
            {
                "year": h["year"],
                "median": chart.count(h["median"]),
                "range_80": f"{chart.count(h['interval_80'][0])} to {chart.count(h['interval_80'][1])}",
                "published_median": chart.count(p.median) if p else "",
                "published_80": f"{chart.count(p.p10)} to {chart.count(p.p90)}" if p else "",
            }
        )
    return {
        "saved": saved,
        "authority": saved.authority,
        "own": own,
        "rows": rows,
        "years": [_row(r) for r in saved.years],
        "placement_names": [label for label, _ in aggregate.PLACEMENT_GROUPS.values()],
        "age_names": [label for label, _, _ in aggregate.AGE_BANDS.values()],
    }


@never_cache
@csrf_exempt  # the upload handlers must be set before the CSRF check reads the body: csrf_protect below
@login_required
def upload(request, code):
    request.upload_handlers = [InMemoryUpload(request)]
    return _upload(request, code)


@csrf_protect
def _upload(request, code):
    authority = _authority(code)
    if code != authority.code:
        return redirect("forecast-903", code=authority.code)
    if not services.may_upload(request.user, authority):
        raise PermissionDenied(f"Only {authority.name}'s members may upload its 903 return.")
    context = {"authority": authority, "max_files": services.MAX_FILES, "errors": [], "more": 0}
    context["latest"] = ChildLevelUpload.objects.filter(authority=authority).first()
    if request.method != "POST":
        return render(request, "forecast/ssda903/upload.html", context)
    if getattr(request, "too_large", False):
        context["errors"] = [{"field": "header", "text": "The files together must be smaller than 20 MB"}]
        return render(request, "forecast/ssda903/upload.html", context, status=400)
    headers, header_error = _files(request, "header")
    episodes, episode_error = _files(request, "episodes")
    field_errors = [
        {"field": f, "text": t} for f, t in (("header", header_error), ("episodes", episode_error)) if t
    ]
    if not field_errors:
        try:
            saved, warnings = services.upload(
                user=request.user, authority=authority, headers=headers, episodes=episodes
            )
        except parse.Invalid903 as invalid:
            context["errors"] = [{"field": "header", "text": str(p)} for p in invalid.problems]
            context["more"] = invalid.more
            return render(request, "forecast/ssda903/upload.html", context, status=400)
        context = result_context(saved)
        context.update({"just_uploaded": True, "warnings": [str(w) for w in warnings]})
        return render(request, "forecast/ssda903/result.html", context)
    context["errors"] = field_errors
    return render(request, "forecast/ssda903/upload.html", context, status=400)


@never_cache
@login_required
def result(request, code):
    authority = _authority(code)
    if code != authority.code:
        return redirect("forecast-903-result", code=authority.code)
    if not services.may_see(request.user, authority):
        raise PermissionDenied(services.private(authority))
    saved = services.latest(request.user, authority)
    if saved is None:
        raise Http404(f"No 903 return of {authority.name}'s has been uploaded yet.")
    context = result_context(saved)
    context["may_upload"] = services.may_upload(request.user, authority)
    return render(request, "forecast/ssda903/result.html", context)
