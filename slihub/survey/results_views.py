"""The survey's result pages: results (with a region filter), CSV and Excel downloads, a council's own
answers beside its region and England, the public summary, and publishing (national admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from slihub.accounts.models import scope_of
from slihub.places.importers import ENGLISH_REGIONS
from slihub.survey import exports, publishing
from slihub.survey import results as survey_results
from slihub.survey.models import SurveyVersion


def _version(year) -> SurveyVersion:
    if not 1 <= year <= 9999:
        raise Http404("No survey of that year.")
    return get_object_or_404(SurveyVersion, year=year)


def _readable(request, year) -> SurveyVersion:
    """The version whose full results the user may read, else 404 (none yet) or 403."""
    version = _version(year)
    allowed = survey_results.access(request.user, version)
    if allowed == survey_results.MISSING:
        raise Http404("There are no results for this survey yet.")
    if allowed != survey_results.FULL:
        raise PermissionDenied("Survey results are for councils' signed-in users once published.")
    return version


def _context(request, version, *, summary: bool) -> dict:
    found = survey_results.question_results(version)
    region = request.GET.get("region", "")
    if region not in ENGLISH_REGIONS:
        region = ""
    national = scope_of(request.user).national and not summary
    earlier = survey_results.year_on_year(version, found)
    region_name = ENGLISH_REGIONS.get(region, "")
    items = []
    for result in found.questions:
        before = earlier.get(result.code)
        now = _tables_html(result, region=region, region_name=region_name)
        then = _tables_html(before.result, england_only=True, year=before.year) if before else ""
        items.append((result, before, mark_safe(now), mark_safe(then)))  # every text in them is escaped
    return {
        "version": version,
        "rates": survey_results.response_rates(version),
        "items": items,
        "regions": sorted(ENGLISH_REGIONS.items()),
        "region": region,
        "region_name": region_name,
        "summary": summary,
        "national": national,
        "threshold": survey_results.THRESHOLD,
        "quartile_method": survey_results.QUARTILE_METHOD,
        "published": version.status == SurveyVersion.Status.PUBLISHED,
        "own": (
            not summary
            and version.status == SurveyVersion.Status.PUBLISHED
            and bool(scope_of(request.user).member_of)
        ),
    }


# The tables are written here rather than in a template: a 40-question survey has about 80 tables of ten
# rows, and Django's template engine took most of the page's time over them. The markup is the same as a
# template's, every text escaped.
ENGLAND_CODE = survey_results.ENGLAND[0]
_TH_COL = '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
_TD = '<td class="govuk-table__cell govuk-table__cell--numeric"'


def _caption_where(region_name: str, england_only: bool, year) -> str:
    where = ", England" if england_only else f", {region_name} and England" if region_name else ", by region"
    return escape(where + (f" ({year})" if year else ""))


def _cell(cell) -> str:
    percent = f' <span class="govuk-body-s">({escape(cell.percent)})</span>' if cell.percent else ""
    return f'{_TD} data-value="{escape(cell.value)}">{escape(cell.value)}{percent}</td>'


def _choice_html(table, *, region="", region_name="", england_only=False, year=None) -> str:
    what = f"{escape(table.option)}: councils that ticked it" if table.option else "Councils by answer"
    head = "".join(f"{_TH_COL}{escape(h)}</th>" for h in table.headers)
    rows = [] if england_only else [r for r in table.regions if not region or r.code == region]
    body = "".join(
        f'<tr class="govuk-table__row" data-area="{escape(row.code)}">'
        f'<th scope="row" class="govuk-table__header">{escape(row.name)}</th>'
        + "".join(_cell(cell) for cell in row.cells)
        + f'{_TD} data-value="{escape(row.total.value)}">{escape(row.total.value)}</td></tr>'
        for row in [*rows, table.england]
    )
    return (
        f'<div class="app-table-wrapper"><table class="govuk-table app-survey-table" '
        f'data-table="{escape(table.key)}"><caption class="govuk-table__caption govuk-table__caption--s">'
        f"{what}{_caption_where(region_name, england_only, year)}</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">'
        f'<th scope="col" class="govuk-table__header">Area</th>{head}{_TH_COL}Total</th></tr></thead>'
        f'<tbody class="govuk-table__body">{body}</tbody></table></div>'
    )


def _figures_html(result, *, region="", region_name="", england_only=False, year=None) -> str:
    unit = f" ({escape(result.unit)})" if result.unit else ""
    head = "".join(
        f"{_TH_COL}{label}</th>"
        for label in ("Councils that answered", "Lower quartile", "Median", "Upper quartile")
    )
    body = []
    for f in result.figures:
        if england_only and f.code != ENGLAND_CODE:
            continue
        if region and f.code not in (region, ENGLAND_CODE):
            continue
        if f.spread:
            values = "".join(f"{_TD}>{escape(v)}</td>" for v in (f.answered, f.lower, f.median, f.upper))
        else:
            fewer = f"fewer than {survey_results.THRESHOLD} answers"
            values = f'<td class="govuk-table__cell" colspan="4">{fewer}</td>'
        body.append(
            f'<tr class="govuk-table__row" data-area="{escape(f.code)}">'
            f'<th scope="row" class="govuk-table__header">{escape(f.name)}</th>{values}</tr>'
        )
    return (
        f'<div class="app-table-wrapper"><table class="govuk-table app-survey-figures" '
        f'data-figures="{escape(result.code)}"><caption class="govuk-table__caption govuk-table__caption--s">'
        f"Median and quartiles{unit}{_caption_where(region_name, england_only, year)}</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">'
        f'<th scope="col" class="govuk-table__header">Area</th>{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(body)}</tbody></table></div>'
    )


def _tables_html(result, **where) -> str:
    parts = [_choice_html(table, **where) for table in result.tables]
    if result.figures:
        parts.append(_figures_html(result, **where))
    return "\n".join(parts)


@login_required
def results(request, year):
    version = _readable(request, year)
    return render(request, "survey/results/results.html", _context(request, version, summary=False))


def summary(request, year):
    """The public summary: anyone, once a national admin published it; else 404."""
    version = _version(year)
    if not survey_results.summary_public(version):
        raise Http404("No public summary of this survey is published.")
    return render(request, "survey/results/results.html", _context(request, version, summary=True))


def _download(request, year, kind: str):
    version = _readable(request, year)
    found = survey_results.question_results(version)
    rates = survey_results.response_rates(version)
    if kind == "csv":
        content, content_type = exports.results_csv(version, rates, found), "text/csv; charset=utf-8"
    else:
        content = exports.results_xlsx(version, rates, found)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(version, kind)}"'
    return response


@login_required
def results_csv(request, year):
    return _download(request, year, "csv")


@login_required
def results_xlsx(request, year):
    return _download(request, year, "xlsx")


@login_required
def own_answers(request, year):
    """A council's own answers beside its region and England, once the results are published: for its
    members (a national admin may choose any council that responded)."""
    version = _version(year)
    if version.status != SurveyVersion.Status.PUBLISHED:
        raise Http404("The results of this survey are not published yet.")
    scope = scope_of(request.user)
    if not scope.national and not scope.member_of:
        raise PermissionDenied("A council's answers are for its own members.")
    every = list(survey_results.own_councils(request.user, version))
    chosen = request.GET.get("council", "")
    if chosen:
        picked = [r for r in every if r.authority.code == chosen]
        if not picked:
            raise Http404("That council did not respond, or its answers are not yours to read.")
    else:  # one council of one's own is shown at once; with more (a national admin), pick one
        picked = every if len(every) == 1 and not scope.national else []
    found = survey_results.question_results(version)
    views = [survey_results.own_view(response, found) for response in picked]
    councils = [] if picked else every
    return render(
        request,
        "survey/results/own.html",
        {
            "version": version,
            "views": views,
            "councils": councils,
            "national": scope.national,
            "threshold": survey_results.THRESHOLD,
        },
    )


@login_required
def publish(request, year):
    """A national admin publishes closed results (a confirmation page), and shows or withdraws the public
    summary once published."""
    if not scope_of(request.user).national:
        raise PermissionDenied("Only national admins publish the survey's results.")
    version = _version(year)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "publish":
                publishing.publish_results(version=version, user=request.user)
                messages.success(request, f"The {version.year} results are published.")
            elif action in ("summary-on", "summary-off"):
                public = action == "summary-on"
                publishing.set_public_summary(version=version, user=request.user, public=public)
                messages.success(
                    request,
                    "The public summary is published." if public else "The public summary is withdrawn.",
                )
            else:
                raise ValidationError("Choose what to do.")
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("survey-publish", year=version.year)
    rates = survey_results.response_rates(version)
    return render(
        request,
        "survey/results/publish.html",
        {"version": version, "error": error, "england": rates[-1]},
        status=400 if error else 200,
    )
