"""Early-warning pages: thin views over selectors.py and services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from slihub.accounts.models import scope_of
from slihub.places.selectors import authority as authority_by_code
from slihub.warning import selectors, services
from slihub.warning.forms import DirectorChangeForm
from slihub.warning.models import Target


def _target(request) -> str:
    value = request.GET.get("target", Target.INADEQUATE)
    return value if value in Target.values else Target.INADEQUATE


@login_required
def watchlist(request):
    target = _target(request)
    month, rows = selectors.watchlist(request.user, target)
    for row in rows:
        row.chart = selectors.trend_chart(
            row.trend, f"{row.authority.name}: risk over 12 months", f"trend-{row.authority.code}"
        )
    return render(
        request,
        "warning/watchlist.html",
        {
            "month": month,
            "rows": rows,
            "target": target,
            "targets": Target.choices,
            "top": services.TOP,
            "target_label": Target(target).label,
            "national": scope_of(request.user).national,
        },
    )


@login_required
def authority_risk(request, code):
    authority = authority_by_code(code)
    risk = selectors.authority_risk(request.user, authority)
    return render(
        request,
        "warning/authority.html",
        {
            "risk": risk,
            "authority": authority,
            "top": services.TOP,
            "targets": Target,
            "can_use_watchlist": selectors.can_see_support(request.user, authority),
            # a chief executive or lead member reads the summary, not the exchange's suggestions
            "support": selectors.suggestions(request.user, risk)
            if risk.scores and selectors.can_see_support(request.user, authority)
            else None,
        },
    )


@login_required
def backtest(request):
    report = selectors.backtest_report(request.user)
    tables = selectors.backtest_tables(report.results) if report else None
    return render(request, "warning/backtest.html", {"report": report, "tables": tables})


@login_required
def directors(request):
    changes = selectors.director_changes(request.user)
    form = DirectorChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.record_director_change(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                f"The change of director at {change.authority.name} was recorded. "
                "Risk scores take it into account from the next recomputation.",
            )
            return redirect("warning-directors")
    return render(request, "warning/directors.html", {"changes": changes, "form": form})
