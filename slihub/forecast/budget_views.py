"""The page where a council's admins and director enter its budget for children looked after in coming
financial years. Private: signed-out visitors are sent to sign in; anyone else who is not the council's
admin or director gets 403. The council's members, its alliance coordinators and national admins see the
budget and the gap on the council's forecast page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from slihub.forecast import budgets
from slihub.forecast.budgets import may_enter
from slihub.forecast.models import Budget
from slihub.govuk import GovukFormMixin
from slihub.places.models import Authority


def field_name(year_end: int) -> str:
    return f"budget_{year_end}"


class BudgetForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year_end in years:
            self.fields[field_name(year_end)] = forms.CharField(
                label=f"Budget for {year_end - 1}-{year_end % 100:02d} "
                f"(April {year_end - 1} to March {year_end})",
                required=False,
                max_length=40,
                error_messages={"max_length": "Enter the budget in pounds, like £36,500,000 or 36.5m"},
                help_text="In pounds, like £36,500,000 or 36.5m. Leave empty if there is no budget yet.",
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
            )
        for name in self.fields:  # added after the mixin's __init__: give them its classes and hints
            widget = self.fields[name].widget
            if "govuk-input " not in widget.attrs["class"] + " ":
                widget.attrs["class"] = "govuk-input " + widget.attrs["class"]
            widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-hint"
            widget.attrs["spellcheck"] = "false"

    def amounts(self) -> dict[int, int | None]:
        out = {}
        for year_end in self.years:
            text = (self.cleaned_data.get(field_name(year_end)) or "").strip()
            out[year_end] = None
            if text:
                try:
                    out[year_end] = budgets.parse_amount(text)
                except ValidationError as error:
                    self.add_error(field_name(year_end), error)
        return out


def _authority(code: str) -> Authority:
    try:
        return Authority.objects.select_related("region").by_code(code)
    except Authority.DoesNotExist:
        raise Http404(f"No council has the code {code}.") from None


def _initial(found: list[Budget]) -> dict:
    return {field_name(b.year_end): f"£{b.amount:,}" for b in found}


@never_cache
@login_required
def budget(request, code):
    authority = _authority(code)
    if code != authority.code:
        return redirect("forecast-budget", code=authority.code)
    if not may_enter(request.user, authority):
        raise PermissionDenied(budgets.only_admins(authority))
    years = budgets.budget_years(authority)
    current = budgets.budgets(request.user, authority)
    if request.method == "POST":
        form = BudgetForm(request.POST, years=years)
        if form.is_valid():
            amounts = form.amounts()
            if not form.errors:
                try:
                    budgets.save_budgets(user=request.user, authority=authority, amounts=amounts)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, f"{authority.name}'s budget has been saved.")
                    return redirect("forecast-authority", code=authority.code)
    else:
        form = BudgetForm(initial=_initial(current), years=years)
    return render(request, "forecast/budget.html", {"authority": authority, "form": form})
