"""The local practice submission form's checks (plain, so that the template keeps GOV.UK markup)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from slihub.evidence.models import THEMES
from slihub.govuk import number_error, text_error, whole_number


class LocalPracticeForm:
    """The submission form's checks: each problem is a message for the GOV.UK error summary."""

    TEXTS = (
        ("title", "Enter a title", 200, True),
        ("summary", "Describe what was done", 5000, True),
        ("for_whom", "Say who it was for", 2000, True),
        ("outcome_measure", "Name the outcome you measured", 300, True),
        ("outcome_before", "Give the outcome before the practice", 300, True),
        ("outcome_after", "Give the outcome after the practice", 300, True),
        ("comparison", "", 2000, False),
        ("evidence", "Say what your own data shows", 5000, True),
    )

    def __init__(self, data, *, authorities):
        self.authorities = authorities
        self.errors: dict[str, str] = {}
        names = [name for name, *_ in self.TEXTS] + ["cost_per_child", "cost_year"]
        self.values = {name: "" for name in names}
        self.values.update(authority=str(authorities[0].pk), themes=[])
        if data is not None:
            self.values.update({name: data.get(name, "").strip() for name in names})
            self.values["authority"] = data.get("authority", "")
            self.values["themes"] = [t for t in data.getlist("themes") if t in dict(THEMES)]

    LABELS = {
        "title": "Title",
        "summary": "What was done",
        "for_whom": "Who it was for",
        "outcome_measure": "The outcome you measured",
        "outcome_before": "Before the practice",
        "outcome_after": "After the practice",
        "comparison": "The comparison group",
        "evidence": "What your own data shows",
    }

    def is_valid(self) -> bool:
        v = self.values
        self.authority = next((a for a in self.authorities if str(a.pk) == v["authority"]), None)
        if self.authority is None:
            self.errors["authority"] = "Choose your council"
        for name, message, limit, required in self.TEXTS:
            if required and not v[name]:
                self.errors[name] = message
            elif len(v[name]) > limit:
                self.errors[name] = f"Keep it to {limit} characters or fewer"
            elif problem := text_error(self.LABELS[name], v[name]):
                self.errors[name] = problem
        self.cost = self.year = None
        cost_error = number_error(
            "Cost per child",
            v["cost_per_child"].replace("£", "", 1),
            invalid="Enter the cost per child in pounds, like 850",
        )
        year_error = number_error(
            "Year the cost applies to", v["cost_year"], invalid="Enter the year as four digits, like 2024"
        )
        if cost_error:
            self.errors["cost_per_child"] = cost_error
        elif v["cost_per_child"]:
            try:
                self.cost = Decimal(v["cost_per_child"].replace(",", "").lstrip("£"))
                if not self.cost.is_finite() or self.cost < 0 or self.cost >= 10**8:
                    raise InvalidOperation
                self.cost = self.cost.quantize(Decimal("0.01"))
            except InvalidOperation:
                self.errors["cost_per_child"] = "Enter the cost per child in pounds, like 850"
            if not v["cost_year"]:
                self.errors["cost_year"] = "Enter the year the cost applies to, like 2024"
        if year_error:
            self.errors["cost_year"] = year_error
        elif v["cost_year"]:
            year = whole_number(v["cost_year"], digits=4)
            if year is None or not 2000 <= year <= 2100:
                self.errors["cost_year"] = "Enter the year as four digits, like 2024"
            elif not v["cost_per_child"]:
                self.errors["cost_per_child"] = "Enter the cost per child, or leave the year blank"
            else:
                self.year = year
        return not self.errors

    def cleaned(self) -> dict:
        v = self.values
        return {
            "authority": self.authority,
            **{name: v[name] for name, *_ in self.TEXTS},
            "themes": v["themes"],
            "cost_per_child": self.cost,
            "cost_year": self.year,
        }
