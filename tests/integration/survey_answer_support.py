"""A small survey for the answering tests: 2026, open, three sections, every kind of question, routing."""

from datetime import date
from decimal import Decimal

from slihub.survey.models import Question, Section, SurveyVersion

DEADLINE = date(2026, 12, 14)
CLOSES = date(2027, 1, 15)
BEFORE_DEADLINE = date(2026, 12, 1)
AFTER_DEADLINE = date(2026, 12, 20)
AFTER_CLOSE = date(2027, 1, 16)


def build_survey(*, year=2026, status=SurveyVersion.Status.OPEN) -> SurveyVersion:
    """Section 1: workforce (number, single with routing to a text question in the same section and a
    number in section 2); section 2: practice (multiple, scale, routed number, optional text); section 3:
    one optional text question."""
    version = SurveyVersion.objects.create(
        year=year, title=f"Directors' survey {year}", status=status, deadline=DEADLINE, closes_on=CLOSES
    )
    one = Section.objects.create(version=version, position=1, title="Your workforce")
    two = Section.objects.create(version=version, position=2, title="Your practice")
    three = Section.objects.create(version=version, position=3, title="Anything else")

    def q(section, position, code, kind, text, **fields):
        return Question.objects.create(
            version=version, section=section, position=position, code=code, kind=kind, text=text, **fields
        )

    q(
        one,
        1,
        "social-workers",
        Question.Kind.NUMBER,
        "How many children's social workers do you employ?",
        unit="social workers",
        number_min=Decimal("0"),
        number_max=Decimal("5000"),
        help_text="Full-time equivalent, on 30 September.",
    )
    agency = q(
        one,
        2,
        "uses-agency",
        Question.Kind.SINGLE,
        "Do you use agency social workers?",
        options=["Yes", "No"],
    )
    q(
        one,
        3,
        "agency-why",
        Question.Kind.TEXT,
        "Why do you use agency social workers?",
        show_if=agency,
        show_if_answers=["Yes"],
    )
    q(
        two,
        1,
        "approaches",
        Question.Kind.MULTIPLE,
        "Which practice approaches do you use?",
        options=["Signs of Safety", "Family Safeguarding", "Restorative practice"],
    )
    q(
        two,
        2,
        "confidence",
        Question.Kind.SCALE,
        "How confident are you in your workforce plan?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Not at all confident",
        scale_max_label="Very confident",
    )
    q(
        two,
        3,
        "agency-share",
        Question.Kind.NUMBER,
        "What share of your social workers are agency workers?",
        unit="%",
        number_min=Decimal("0"),
        number_max=Decimal("100"),
        show_if=agency,
        show_if_answers=["Yes"],
    )
    q(two, 4, "practice-notes", Question.Kind.TEXT, "Anything to add about practice?", required=False)
    q(three, 1, "anything-else", Question.Kind.TEXT, "Is there anything else?", required=False)
    return version


def complete_answers() -> dict[int, dict]:
    """Every required answer, by section position, with agency workers used (so the routed ones show)."""
    return {
        1: {"social-workers": "120", "uses-agency": "Yes", "agency-why": "Hard to recruit."},
        2: {"approaches": ["Signs of Safety"], "confidence": "4", "agency-share": "12.5"},
    }
