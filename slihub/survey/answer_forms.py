"""A section of the survey as a GOV.UK form: radios (single choice), checkboxes (multiple choice), a scale
as radios with its end labels, a number with its unit, a text area with a character count. The same form
renders a version's preview for national admins (nothing is saved from it).

Every field is optional in the form: answers are saved as drafts, and required questions are enforced
when the response is submitted. Each answer's rules are those of slihub.survey.answering.clean_answer.
"""

from dataclasses import dataclass, field

from django import forms

from slihub.govuk import GovukFormMixin
from slihub.survey import answering
from slihub.survey.models import Question

Kind = Question.Kind


def _widget(question: Question):
    if question.kind == Kind.MULTIPLE:
        return forms.CheckboxSelectMultiple(choices=[(o, o) for o in question.options])
    if question.kind == Kind.TEXT:
        return forms.Textarea(attrs={"rows": 6})
    if question.kind in (Kind.SINGLE, Kind.SCALE):
        return forms.RadioSelect
    return forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


def _as_field_value(question: Question, value):
    if value is None:
        return [] if question.kind == Kind.MULTIPLE else ""
    if question.kind == Kind.MULTIPLE:
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return str(value)


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    hint: str = ""


@dataclass
class Item:
    """One question as the templates draw it."""

    question: Question
    name: str
    id: str
    value: object  # a string, or a list of strings for checkboxes
    errors: list[str]
    choices: list[Choice] = field(default_factory=list)
    prefix: str = ""
    suffix: str = ""
    routing: str = ""  # in a preview: when the question is shown
    maxlength: int = answering.TEXT_MAX

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def hint(self) -> str:
        """The hint under the question: its help text, and how to answer."""
        how = ""
        if self.kind == Kind.MULTIPLE:
            how = "Select all that apply."
        elif self.kind == Kind.NUMBER:
            how = number_hint(self.question)
        return " ".join(part for part in (self.question.help_text, how) if part)

    @property
    def described_by(self) -> str:
        ids = []
        if self.hint:
            ids.append(f"{self.id}-hint")
        if self.errors:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


class SectionForm(GovukFormMixin, forms.Form):
    """One section's questions (those `questions` lists: the ones routing shows, or all in a preview)."""

    def __init__(self, *args, questions: list[Question], answers: dict | None = None, preview=False, **kw):
        answers = answers or {}
        kw.setdefault("initial", {q.code: _as_field_value(q, answers.get(q.id)) for q in questions})
        self.questions = list(questions)
        self.preview = preview
        # this instance's fields, set before the form and the mixin read them (the mixin classes the
        # widgets and guards each field against control characters)
        self.base_fields = {
            q.code: forms.Field(required=False, label=q.text, widget=_widget(q), help_text=q.help_text)
            for q in self.questions
        }
        super().__init__(*args, **kw)

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if question.code in self.errors:
                continue
            value, problem = answering.clean_answer(question, cleaned.get(question.code))
            if problem:
                self.add_error(question.code, problem)
            else:
                cleaned[question.code] = value
        return cleaned

    def answers(self) -> dict:
        """{question code: value} of the answers that passed their rules, for answering.save_section (None
        removes an answer); call is_valid() first."""
        cleaned = getattr(self, "cleaned_data", {})
        return {q.code: cleaned[q.code] for q in self.questions if q.code in cleaned}

    def error_list(self):
        return [(f"{self[q.code].auto_id}", e) for q in self.questions for e in self.errors.get(q.code, [])]

    def items(self) -> list[Item]:
        by_id = {q.id: q for q in self.questions}
        out = []
        for question in self.questions:
            bound = self[question.code]
            value = bound.value()
            if question.kind == Kind.MULTIPLE:
                value = [str(v) for v in (value or [])] if isinstance(value, list | tuple) else []
            else:
                value = "" if value is None else str(value)
            item = Item(
                question=question,
                name=bound.html_name,
                id=bound.auto_id,
                value=value,
                errors=list(self.errors.get(question.code, [])),
            )
            if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
                chosen = set(value) if isinstance(value, list) else {value}
                item.choices = [Choice(str(o), str(o), str(o) in chosen) for o in question.options]
            elif (
                question.kind == Kind.SCALE
                and question.scale_min is not None
                and question.scale_max is not None
            ):
                ends = {
                    question.scale_min: question.scale_min_label,
                    question.scale_max: question.scale_max_label,
                }
                item.choices = [
                    Choice(str(n), str(n), str(n) == value, ends.get(n, ""))
                    for n in range(question.scale_min, question.scale_max + 1)
                ]
            elif question.kind == Kind.NUMBER and question.unit:
                if question.unit in ("£", "$", "€"):
                    item.prefix = question.unit
                else:
                    item.suffix = question.unit
            if self.preview and question.show_if_id:
                parent = by_id.get(question.show_if_id) or question.show_if
                answers = " or ".join(f"“{a}”" for a in question.show_if_answers or [])
                item.routing = f"Shown only when the answer to “{parent.text}” is {answers or 'given'}."
            out.append(item)
        return out


def number_hint(question: Question) -> str:
    """What a number question asks for: its unit and range, in words."""
    parts = []
    if question.unit == "%":
        parts.append("As a percentage.")
    elif question.unit == "£":
        parts.append("In pounds.")
    elif question.unit:
        parts.append(f"Unit: {question.unit}.")
    low, high = question.number_min, question.number_max
    if low is not None and high is not None:
        parts.append(f"Enter a number from {answering._number_text(low)} to {answering._number_text(high)}.")
    elif low is not None:
        parts.append(f"Enter a number of {answering._number_text(low)} or more.")
    elif high is not None:
        parts.append(f"Enter a number of {answering._number_text(high)} or less.")
    parts.append("You can use up to 2 decimal places.")
    return " ".join(parts)
