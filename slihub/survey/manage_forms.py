"""The questionnaire builder's forms: a version's details (GOV.UK date inputs for the deadline and the
closing date), a section, a question (its kind, options, scale, number range, routing, themes and
indicators) and the questions to carry forward. The rules are the builder's (slihub.survey.builder); the
forms read what was typed and show the builder's refusals as GOV.UK errors beside their fields."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from slihub.exchange.taxonomy import THEMES
from slihub.govuk import GovukFormMixin, text_error
from slihub.survey import builder
from slihub.survey.models import Question

DATE_PARTS = ("day", "month", "year")


def read_date(data, prefix: str, label: str, errors: dict) -> tuple[date | None, dict]:
    """A GOV.UK date input (prefix-day, -month, -year), optional: the date or None, with an error added
    to `errors[prefix]` when something was typed that is not a date."""
    parts = {part: str(data.get(f"{prefix}-{part}", "")).strip() for part in DATE_PARTS}
    if not any(parts.values()):
        return None, parts
    for value in parts.values():
        problem = text_error(label, value)
        if problem:
            errors[prefix] = problem
            return None, parts
    missing = [part for part in DATE_PARTS if not parts[part]]
    if missing:
        errors[prefix] = f"{label} must include a {' and a '.join(missing)}"
        return None, parts
    if (
        not all(parts[p].isascii() and parts[p].isdigit() and len(parts[p]) <= 4 for p in DATE_PARTS)
        or len(parts["year"]) != 4
    ):
        errors[prefix] = f"{label} must be a real date, like 28 2 2027"
        return None, parts
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), parts
    except ValueError:
        errors[prefix] = f"{label} must be a real date, like 28 2 2027"
        return None, parts


def date_parts(value: date | None) -> dict:
    if value is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


class BuilderForm(GovukFormMixin, forms.Form):
    """A form whose builder refusals land on its fields; `errors_list` feeds the error summary."""

    extra_ids: dict[str, str] = {}  # an error name that is not a field -> the id its summary link goes to

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.other_errors: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        for name, problems in error.message_dict.items():
            if name in self.fields:
                self.add_error(name, problems)
            elif name in self.extra_ids:
                self.other_errors.setdefault(name, problems[0])
            else:
                self.add_error(None, problems)

    def error_list(self):
        items = super().error_list()
        return items + [(self.extra_ids[name], message) for name, message in self.other_errors.items()]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.other_errors)


class VersionForm(BuilderForm):
    year = forms.IntegerField(
        label="Survey year",
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        help_text="The year the survey runs, like 2027",
        error_messages={
            "required": "Enter the survey's year, like 2027",
            "invalid": "Enter the year as a number, like 2027",
            "min_value": "Enter a year between 2000 and 2100, like 2027",
            "max_value": "Enter a year between 2000 and 2100, like 2027",
        },
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the survey's title"}
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=builder.MAX_INTRODUCTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What directors read first: why the survey matters and how long it takes",
    )
    extra_ids = {"deadline": "deadline-day", "closes_on": "closes_on-day"}
    dates = (("deadline", "Deadline"), ("closes_on", "Closing date"))

    def __init__(self, data=None, *, initial=None, with_year: bool = True):
        super().__init__(data, initial=initial)
        if not with_year:
            del self.fields["year"]
        initial = initial or {}
        self.dates_typed = {name: date_parts(initial.get(name)) for name, _ in self.dates}
        self.date_values: dict[str, date | None] = {name: initial.get(name) for name, _ in self.dates}

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, label in self.dates:
            self.date_values[name], self.dates_typed[name] = read_date(
                self.data, name, label, self.other_errors
            )
        return valid and not self.other_errors

    @property
    def deadline_error(self) -> str:
        return self.other_errors.get("deadline", "")

    @property
    def closes_on_error(self) -> str:
        return self.other_errors.get("closes_on", "")


class SectionForm(BuilderForm):
    title = forms.CharField(
        label="Section title", max_length=200, error_messages={"required": "Enter the section's title"}
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=builder.MAX_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two on what the section asks about",
    )


def routing_choices(question_set) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(question id, question text, [(value, option)]) for each question a question may be routed on."""
    return [
        (str(q.pk), q.text, [(f"{q.pk}:{i}", option) for i, option in enumerate(q.options)])
        for q in question_set
    ]


class QuestionForm(BuilderForm):
    text = forms.CharField(
        label="Question",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the question"},
    )
    help_text = forms.CharField(
        label="Help text",
        required=False,
        max_length=builder.MAX_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under the question: what to count, where to find it",
    )
    kind = forms.ChoiceField(
        label="Kind of question",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of question",
            "invalid_choice": "Choose the kind of question",
        },
    )
    required = forms.ChoiceField(
        label="Must directors answer it?",
        choices=(("yes", "Yes, an answer is needed"), ("no", "No, it can be left blank")),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether an answer is needed",
            "invalid_choice": "Choose whether an answer is needed",
        },
    )
    options = forms.CharField(
        label="Options",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One option a line, in the order shown; at least two",
    )
    scale_min = forms.IntegerField(
        label="Lowest point",
        required=False,
        min_value=-100,
        max_value=100,
        error_messages={"invalid": "Enter the lowest point as a whole number, like 1"},
    )
    scale_max = forms.IntegerField(
        label="Highest point",
        required=False,
        min_value=-100,
        max_value=100,
        error_messages={"invalid": "Enter the highest point as a whole number, like 5"},
    )
    scale_min_label = forms.CharField(
        label="Words for the lowest point", required=False, max_length=80, help_text="For example, Not at all"
    )
    scale_max_label = forms.CharField(
        label="Words for the highest point", required=False, max_length=80, help_text="For example, Very"
    )
    unit = forms.CharField(
        label="Unit", required=False, max_length=40, help_text="For example, social workers, % or £"
    )
    number_min = forms.DecimalField(
        label="Least value",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the least value as a number, like 0"},
    )
    number_max = forms.DecimalField(
        label="Most value",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the most value as a number, like 500"},
    )
    code = forms.CharField(
        label="Code",
        required=False,
        max_length=60,
        help_text=(
            "Lines the question up with other years' answers. Leave it blank to make one from the question"
        ),
    )
    indicators = forms.CharField(
        label="Indicators",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Indicators the question relates to: one a line, by the name in the indicator's address",
    )
    extra_ids = {"show_if": "show_if", "themes": "themes", "section": "section"}

    def __init__(self, data=None, *, initial=None, routable=(), carried: bool = False, sections=()):
        super().__init__(data, initial=initial)
        if sections:  # changing a question: it may move to the end of another section
            self.fields["section"] = forms.TypedChoiceField(
                label="Section",
                choices=[(s.pk, s.title) for s in sections],
                coerce=int,
                help_text="Moving it to another section puts it at the end of that section",
                error_messages={"invalid_choice": "Choose a section of this survey"},
            )
            self.fields["section"].widget.attrs["class"] = "govuk-select"
            self.fields["section"].widget.attrs["aria-describedby"] = "section-hint"
            self.order_fields(["section"])
        self.routable = list(routable)
        self.routing = routing_choices(self.routable)
        self.themes = THEMES
        self.carried = carried
        if carried:
            self.fields["code"].disabled = True
            self.fields[
                "code"
            ].help_text = "Carried from an earlier year: the code lines the answers up, so it cannot change"
        self.chosen_routing = set((initial or {}).get("routing", []))
        self.chosen_themes = set((initial or {}).get("themes", []))
        self.show_if = None
        self.show_if_answers: list[str] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        self.chosen_themes = set(self.data.getlist("themes"))
        self.chosen_routing = set(self.data.getlist("routing"))
        known = {value: (q, option) for q in self.routable for value, option in _values(q)}
        picked = [known[v] for v in self.data.getlist("routing") if v in known]
        if len(self.chosen_routing) != len(picked):
            self.other_errors["show_if"] = "Choose answers from the list"
        elif len({q.pk for q, _ in picked}) > 1:
            self.other_errors["show_if"] = "Choose answers of one question only"
        elif picked:
            self.show_if = picked[0][0]
            self.show_if_answers = [option for _, option in picked]
        return valid and not self.other_errors

    def fields_for_builder(self) -> builder.QuestionFields:
        data = self.cleaned_data
        return builder.QuestionFields(
            text=data["text"],
            kind=data["kind"],
            code=data.get("code") or "",
            help_text=data["help_text"],
            required=data["required"] == "yes",
            options=[line.strip() for line in data["options"].splitlines() if line.strip()],
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            scale_min_label=data["scale_min_label"],
            scale_max_label=data["scale_max_label"],
            unit=data["unit"],
            number_min=data["number_min"],
            number_max=data["number_max"],
            show_if=self.show_if,
            show_if_answers=self.show_if_answers,
            themes=sorted(self.chosen_themes),
            indicators=data["indicators"].split(),
        )

    @property
    def show_if_error(self) -> str:
        return self.other_errors.get("show_if", "")

    @property
    def themes_error(self) -> str:
        return self.other_errors.get("themes", "")


def _values(question: Question):
    return [(f"{question.pk}:{i}", option) for i, option in enumerate(question.options)]


def question_initial(question: Question) -> dict:
    return {
        "text": question.text,
        "help_text": question.help_text,
        "kind": question.kind,
        "required": "yes" if question.required else "no",
        "options": "\n".join(question.options),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "scale_min_label": question.scale_min_label,
        "scale_max_label": question.scale_max_label,
        "unit": question.unit,
        "number_min": question.number_min,
        "number_max": question.number_max,
        "code": question.code,
        "indicators": "\n".join(i.slug for i in question.indicators.all()),
        "themes": list(question.themes),
        "routing": [
            f"{question.show_if_id}:{i}"
            for i, option in enumerate(question.show_if.options if question.show_if else [])
            if option in question.show_if_answers
        ],
    }
