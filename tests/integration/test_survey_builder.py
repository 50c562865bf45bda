"""The questionnaire builder's services: versions, sections, questions of each kind, routing, carrying
questions forward from last year, opening (with invitations) and closing."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from slihub.accounts.models import Membership, Role
from slihub.indicators.models import Indicator
from slihub.survey import builder
from slihub.survey.builder import QuestionFields
from slihub.survey.models import Invitation, Question, Section, SurveyVersion
from tests import factories

TODAY = date(2027, 1, 10)
NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


def messages(error: ValidationError, name: str = NON_FIELD_ERRORS) -> list[str]:
    return error.value.message_dict.get(name, [])


@pytest.fixture
def version(db):
    return builder.create_version(
        year=2027,
        title="Survey of directors 2027",
        introduction="About ten minutes.",
        deadline=date(2027, 2, 28),
        closes_on=date(2027, 3, 14),
    )


@pytest.fixture
def section(version):
    return builder.add_section(version=version, title="Workforce")


def single(text="Do you use agency social workers?", options=("Yes", "No"), **more) -> QuestionFields:
    return QuestionFields(text=text, kind=Question.Kind.SINGLE, options=list(options), **more)


def test_it_creates_a_draft_version_per_year(version):
    assert version.status == SurveyVersion.Status.DRAFT
    with pytest.raises(ValidationError) as error:
        builder.create_version(year=2027, title="Again")
    assert messages(error, "year") == ["There is already a survey for 2027"]


def test_it_refuses_a_closing_date_before_the_deadline(db):
    with pytest.raises(ValidationError) as error:
        builder.create_version(year=2028, title="T", deadline=date(2028, 2, 28), closes_on=date(2028, 2, 1))
    assert messages(error, "closes_on") == ["The closing date must be the same as or after the deadline"]
    assert not SurveyVersion.objects.filter(year=2028).exists()


def test_it_adds_sections_in_order_and_moves_them(version):
    first = builder.add_section(version=version, title="Workforce")
    second = builder.add_section(version=version, title="Money")
    assert (first.position, second.position) == (1, 2)
    builder.move_section(section=second, direction="up")
    assert list(version.sections.values_list("title", flat=True)) == ["Money", "Workforce"]
    with pytest.raises(ValidationError) as error:
        builder.move_section(section=Section.objects.get(title="Money"), direction="up")
    assert messages(error) == ['"Money" is already the first section']


def test_it_makes_a_code_from_the_question_and_keeps_codes_unique(section):
    a = builder.add_question(section=section, fields=single())
    b = builder.add_question(section=section, fields=single())
    assert a.code == "do-you-use-agency-social-workers"
    assert b.code == "do-you-use-agency-social-workers-2"
    with pytest.raises(ValidationError) as error:
        builder.add_question(section=section, fields=single(code=a.code))
    assert messages(error, "code") == [
        'Another question of the 2027 survey has the code "do-you-use-agency-social-workers"'
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["Yes"], "Enter at least two options, one a line"),
        (["Yes", " ", ""], "Enter at least two options, one a line"),
        (["Yes", "No", "yes"], 'Each option must be different: "yes" is there more than once'),
    ],
)
def test_it_refuses_choices_without_two_different_options(section, options, message):
    for kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        with pytest.raises(ValidationError) as error:
            builder.add_question(section=section, fields=QuestionFields(text="Q", kind=kind, options=options))
        assert messages(error, "options") == [message]


def test_it_keeps_a_scale_with_its_end_labels(section):
    q = builder.add_question(
        section=section,
        fields=QuestionFields(
            text="How confident are you?",
            kind=Question.Kind.SCALE,
            scale_min=1,
            scale_max=5,
            scale_min_label="Not at all",
            scale_max_label="Very",
            options=["ignored"],
        ),
    )
    q.refresh_from_db()
    assert (q.scale_min, q.scale_max, q.scale_min_label, q.scale_max_label, q.options) == (
        1,
        5,
        "Not at all",
        "Very",
        [],
    )


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        (5, 1, "scale_max", "The scale's highest point must be more than its lowest, like 1 to 5"),
        (3, 3, "scale_max", "The scale's highest point must be more than its lowest, like 1 to 5"),
        (None, 5, "scale_min", "Enter the scale's lowest and highest points, like 1 and 5"),
        (0, 11, "scale_max", "A scale can have at most 11 points, like 0 to 10"),
    ],
)
def test_it_refuses_a_scale_that_does_not_rise(section, low, high, field, message):
    with pytest.raises(ValidationError) as error:
        builder.add_question(
            section=section,
            fields=QuestionFields(text="Q", kind=Question.Kind.SCALE, scale_min=low, scale_max=high),
        )
    assert messages(error, field) == [message]


def test_it_keeps_a_number_with_unit_and_range(section):
    q = builder.add_question(
        section=section,
        fields=QuestionFields(
            text="Agency social workers",
            kind=Question.Kind.NUMBER,
            unit="people",
            number_min="0",
            number_max="500",
        ),
    )
    q.refresh_from_db()
    assert (q.unit, q.number_min, q.number_max) == ("people", Decimal("0"), Decimal("500"))
    with pytest.raises(ValidationError) as error:
        builder.add_question(
            section=section,
            fields=QuestionFields(text="Q", kind=Question.Kind.NUMBER, number_min="10", number_max="2"),
        )
    assert messages(error, "number_max") == [
        "The most value must be the same as or more than the least value"
    ]


def test_it_links_themes_and_indicators_and_refuses_unknown_ones(section):
    Indicator.objects.create(code="agency", slug="agency-workers", source="lait", name="Agency workers")
    q = builder.add_question(
        section=section, fields=single(themes=["youth", "early_years"], indicators=["agency-workers"])
    )
    assert q.themes == ["early_years", "youth"]  # in the vocabulary's order
    assert list(q.indicators.values_list("slug", flat=True)) == ["agency-workers"]
    with pytest.raises(ValidationError) as error:
        builder.add_question(section=section, fields=single(themes=["money"], indicators=["nope"]))
    assert messages(error, "themes") == ["Choose themes from the list: money is not one"]
    assert messages(error, "indicators") == [
        "No indicator has the name nope: use the name in the indicator's address"
    ]


def test_routing_needs_an_earlier_choice_question_and_its_own_options(version, section):
    uses = builder.add_question(section=section, fields=single(options=("Yes", "No")))
    how_many = builder.add_question(
        section=section,
        fields=QuestionFields(
            text="How many?", kind=Question.Kind.NUMBER, show_if=uses, show_if_answers=["Yes"]
        ),
    )
    assert (how_many.show_if, how_many.show_if_answers) == (uses, ["Yes"])

    with pytest.raises(ValidationError) as error:  # an answer it does not offer
        builder.add_question(
            section=section, fields=single(text="Why?", show_if=uses, show_if_answers=["Maybe"])
        )
    assert messages(error, "show_if") == ['"Maybe" is not an option of "Do you use agency social workers?"']

    with pytest.raises(ValidationError) as error:  # routed on a number
        builder.add_question(
            section=section, fields=single(text="Why?", show_if=how_many, show_if_answers=["1"])
        )
    assert messages(error, "show_if") == [
        '"How many?" is not a single or multiple choice question: route on one that is'
    ]

    with pytest.raises(ValidationError) as error:  # no answers named
        builder.add_question(section=section, fields=single(text="Why?", show_if=uses))
    assert messages(error, "show_if") == [
        'Choose which answers to "Do you use agency social workers?" show this question'
    ]

    other = builder.create_version(year=2028, title="2028")
    elsewhere = builder.add_question(section=builder.add_section(version=other, title="S"), fields=single())
    with pytest.raises(ValidationError) as error:  # another version's question
        builder.add_question(
            section=section, fields=single(text="Why?", show_if=elsewhere, show_if_answers=["Yes"])
        )
    assert messages(error, "show_if") == ["A question can only be routed on a question of the same survey"]


def test_routing_stays_in_order_and_on_options_that_exist(section):
    uses = builder.add_question(section=section, fields=single())
    routed = builder.add_question(
        section=section, fields=single(text="Why?", show_if=uses, show_if_answers=["Yes"])
    )
    with pytest.raises(ValidationError) as error:  # moving it above the question it depends on
        builder.move_question(question=routed, direction="up")
    assert "must come after it" in messages(error)[0]
    uses.refresh_from_db()
    with pytest.raises(ValidationError) as error:  # removing the option that shows it
        builder.edit_question(question=uses, fields=single(options=("No", "Not sure"), code=uses.code))
    assert messages(error, "options") == [
        '"Why?" is shown for the answer "Yes": keep that option, or change that question\'s routing first'
    ]
    with pytest.raises(ValidationError) as error:
        builder.delete_question(question=uses)
    assert "change its routing or delete it first" in messages(error)[0]
    assert Question.objects.filter(pk=uses.pk).exists()


def test_only_a_draft_changes_its_questions(version, section):
    q = builder.add_question(section=section, fields=single())
    version.status = SurveyVersion.Status.OPEN
    version.save()
    expected = ["The 2027 survey is open: only a draft's sections and questions can be changed."]
    for change in (
        lambda: builder.add_question(section=section, fields=single(text="New")),
        lambda: builder.edit_question(question=Question.objects.get(pk=q.pk), fields=single(text="New")),
        lambda: builder.delete_question(question=Question.objects.get(pk=q.pk)),
        lambda: builder.add_section(version=version, title="More"),
        lambda: builder.delete_section(section=Section.objects.get(pk=section.pk)),
    ):
        with pytest.raises(ValidationError) as error:
            change()
        assert messages(error) == expected
    assert Question.objects.get(pk=q.pk).text == "Do you use agency social workers?"


def test_carry_forward_lines_up_codes_routing_themes_and_indicators(version, section):
    Indicator.objects.create(code="agency", slug="agency-workers", source="lait", name="Agency workers")
    uses = builder.add_question(section=section, fields=single(code="agency-use", themes=["youth"]))
    routed = builder.add_question(
        section=section,
        fields=QuestionFields(
            text="How many?",
            code="agency-count",
            kind=Question.Kind.NUMBER,
            unit="people",
            show_if=uses,
            show_if_answers=["Yes"],
            indicators=["agency-workers"],
        ),
    )
    builder.add_question(section=section, fields=single(text="Left behind", code="left-behind"))
    nxt = builder.create_version(year=2028, title="Survey of directors 2028")

    made = builder.carry_forward(from_version=version, to_version=nxt, question_ids=[uses.pk, routed.pk])

    assert [q.code for q in made] == ["agency-use", "agency-count"]
    new_uses, new_routed = made
    assert new_uses.carried_from == uses and new_routed.carried_from == routed
    assert new_routed.show_if == new_uses and new_routed.show_if_answers == ["Yes"]
    assert new_uses.themes == ["youth"]
    assert list(new_routed.indicators.values_list("slug", flat=True)) == ["agency-workers"]
    assert new_routed.unit == "people"
    assert list(nxt.sections.values_list("title", flat=True)) == ["Workforce"]
    # the same code in both years: answers line up
    assert set(Question.objects.filter(code="agency-use").values_list("version__year", flat=True)) == {
        2027,
        2028,
    }

    with pytest.raises(ValidationError) as error:  # carried twice
        builder.carry_forward(from_version=version, to_version=nxt, question_ids=[uses.pk])
    assert messages(error, "questions") == [
        'The 2028 survey already has a question with the code "agency-use" '
        '("Do you use agency social workers?")'
    ]
    with pytest.raises(ValidationError) as error:  # a carried question's code stays
        builder.edit_question(question=new_uses, fields=single(code="renamed"))
    assert "cannot change" in messages(error, "code")[0]


def test_carry_forward_refuses_a_routed_question_without_the_one_it_depends_on(version, section):
    uses = builder.add_question(section=section, fields=single())
    routed = builder.add_question(
        section=section, fields=single(text="Why?", show_if=uses, show_if_answers=["Yes"])
    )
    nxt = builder.create_version(year=2028, title="2028")
    with pytest.raises(ValidationError) as error:
        builder.carry_forward(from_version=version, to_version=nxt, question_ids=[routed.pk])
    assert messages(error, "questions") == [
        '"Why?" is shown only after an answer to "Do you use agency social workers?": carry that question too'
    ]
    assert not nxt.questions.exists()


@pytest.fixture
def directors(places):
    return {
        "camden": factories.director(places.camden, username="camden.dcs"),
        "leeds": factories.director(places.leeds, username="leeds.dcs"),
        "no_email": factories.director(places.islington, username="islington.dcs", email=""),
    }


def test_opening_invites_each_director_once(version, section, directors, places):
    builder.add_question(section=section, fields=single())
    mail.outbox.clear()

    opened = builder.open_version(version=version, today=TODAY, now=NOW)

    version.refresh_from_db()
    assert version.status == SurveyVersion.Status.OPEN
    assert sorted(i.user.username for i in opened.invited) == ["camden.dcs", "leeds.dcs"]
    assert sorted(m.to[0] for m in mail.outbox) == ["camden.dcs@example.gov.uk", "leeds.dcs@example.gov.uk"]
    assert "28 February 2027" in mail.outbox[0].subject
    camden = next(m for m in mail.outbox if m.to == ["camden.dcs@example.gov.uk"])
    assert "/survey/2027/202/" in camden.body  # the council's own answer pages

    again = builder.open_version(version=version, today=TODAY, now=NOW)  # run again: nobody new
    assert again.invited == [] and len(mail.outbox) == 2

    newcomer = factories.director(places.islington, username="islington.new")
    later = builder.open_version(version=version, today=TODAY, now=NOW)
    assert [i.user for i in later.invited] == [newcomer]
    assert Invitation.objects.filter(version=version).count() == 3
    assert len(mail.outbox) == 3


def test_opening_skips_inactive_directors_and_other_roles(version, section, directors, places, people):
    builder.add_question(section=section, fields=single())
    leeds = directors["leeds"]
    leeds.is_active = False
    leeds.save()
    Membership.objects.filter(user=people["camden_analyst"]).update(role=Role.COUNCIL_MEMBER)
    opened = builder.open_version(version=version, today=TODAY, now=NOW)
    assert [i.user.username for i in opened.invited] == ["camden.dcs"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"deadline": date(2027, 1, 10)}, "deadline", "The deadline must be in the future"),
        ({"deadline": None}, "deadline", "Enter the deadline before opening the survey"),
        ({"closes_on": None}, "closes_on", "Enter the closing date before opening the survey"),
        (
            {"closes_on": date(2027, 2, 1)},
            "closes_on",
            "The closing date must be the same as or after the deadline",
        ),
    ],
)
def test_opening_needs_dates_in_order(version, section, change, field, message):
    builder.add_question(section=section, fields=single())
    SurveyVersion.objects.filter(pk=version.pk).update(**change)
    with pytest.raises(ValidationError) as error:
        builder.open_version(version=version, today=TODAY, now=NOW)
    assert messages(error, field) == [message]
    version.refresh_from_db()
    assert version.status == SurveyVersion.Status.DRAFT


def test_opening_needs_a_question(version, directors):
    with pytest.raises(ValidationError) as error:
        builder.open_version(version=version, today=TODAY, now=NOW)
    assert messages(error) == ["Add at least one question before opening the survey"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_closing_an_open_survey(version, section):
    builder.add_question(section=section, fields=single())
    with pytest.raises(ValidationError) as error:
        builder.close_version(version=version)
    assert messages(error) == ["Only an open survey can close: the 2027 survey is draft."]
    builder.open_version(version=version, today=TODAY, now=NOW)
    closed = builder.close_version(version=version, now=NOW + timedelta(days=60))
    assert closed.status == SurveyVersion.Status.CLOSED and closed.closed_at == NOW + timedelta(days=60)


def test_every_write_is_audited(version, section):
    q = builder.add_question(section=section, fields=single())
    pk = q.pk
    builder.edit_question(question=q, fields=single(text="Changed", code=q.code))
    builder.delete_question(question=q)
    logged = LogEntry.objects.filter(content_type__model="question", object_pk=str(pk))
    assert logged.count() == 3
    assert LogEntry.objects.filter(content_type__model="surveyversion", object_pk=str(version.pk)).exists()


def test_the_open_command_opens_and_invites_once(version, section, directors):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    builder.add_question(section=section, fields=single())
    SurveyVersion.objects.filter(pk=version.pk).update(deadline=None)
    with pytest.raises(CommandError) as refused:
        call_command("survey", "open", "--year", "2027", stdout=StringIO())
    assert str(refused.value) == "The 2027 survey did not open: Enter the deadline before opening the survey"
    SurveyVersion.objects.filter(pk=version.pk).update(deadline=date.today() + timedelta(days=20))
    out = StringIO()
    call_command("survey", "open", "--year", "2027", stdout=out)
    assert out.getvalue().splitlines() == [
        "Invited camden.dcs@example.gov.uk (Camden)",
        "Invited leeds.dcs@example.gov.uk (Leeds)",
        "The 2027 survey is open; 2 directors invited.",
    ]
    out = StringIO()
    call_command("survey", "open", "--year", "2027", stdout=out)
    assert out.getvalue() == "The 2027 survey is open; 0 directors invited.\n"
    with pytest.raises(CommandError, match="There is no survey for 1999"):
        call_command("survey", "open", "--year", "1999", stdout=StringIO())
