"""The survey's results: who may read them, response rates, each question's published figures, year on
year, and a council's own answers beside its region and England.

Only submitted responses count. Choice questions (single choice, and scales by their points) are tables
of England's nine regions by answer, built and suppressed by slihub.survey.tables.question_tables, the
function `slihub survey disclose` prints, so that the command shows exactly what the pages publish.
A multiple choice question is not one table (a council may tick several options, so the answers do not
add up to the councils that answered): each option is its own table of councils that ticked it and
councils that answered the question without ticking it, with the same disclosure control.
Numbers: median and quartiles (inclusive method) where at least 5 councils answered. Free text is for
national admins only.

The question figures of a version are worked out once and kept in the cache until a submitted response
changes (after the survey closes, nothing does).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max

from slihub.accounts.models import scope_of
from slihub.places.importers import ENGLISH_REGIONS
from slihub.places.models import Authority
from slihub.stats import disclosure
from slihub.survey import tables
from slihub.survey.models import Answer, Question, Response, SurveyVersion

THRESHOLD = disclosure.DEFAULT_THRESHOLD
SUPPRESSED = disclosure.SUPPRESSED
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.SCALE)
TICKED, NOT_TICKED = "Ticked", "Not ticked"
QUARTILE_METHOD = (
    "Quartiles by the inclusive method (as a spreadsheet's QUARTILE.INC), so they lie within the "
    "answers given."
)
_CACHE_FORMAT = 1  # bump when the cached objects change shape

# --- who may read what ---------------------------------------------------------------------------------

FULL = "full"  # the results: published tables, figures, and free text for national admins
SUMMARY = "summary"  # the public summary: published tables and figures, no free text
SIGN_IN = "sign_in"  # signed out, and no public summary
FORBIDDEN = "forbidden"  # signed in, not allowed
MISSING = "missing"  # no results (yet) to read


def is_council_user(user) -> bool:
    """Signed in as a council's member, admin or director, or its chief executive or lead member."""
    scope = scope_of(user)
    return bool(scope.member_of or scope.leads)


def access(user, version: SurveyVersion) -> str:
    """What `user` may read of `version`'s results (one of FULL, SUMMARY, SIGN_IN, FORBIDDEN, MISSING).

    National admins read the results once the survey has closed; signed-in council users once a national
    admin has published them; anyone else the public summary, if a national admin published one."""
    status = version.status
    if status not in (SurveyVersion.Status.CLOSED, SurveyVersion.Status.PUBLISHED):
        return MISSING
    scope = scope_of(user)
    if scope.national:
        return FULL
    published = status == SurveyVersion.Status.PUBLISHED
    if published and is_council_user(user):
        return FULL
    if published and version.public_summary:
        return SUMMARY
    if not user.is_authenticated:
        return SIGN_IN
    return FORBIDDEN


def summary_public(version: SurveyVersion) -> bool:
    return version.status == SurveyVersion.Status.PUBLISHED and version.public_summary


# --- response rates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    code: str  # ONS code of the region, "E92000001" for England
    name: str
    councils: int
    responses: int | str  # a count of respondents, or SUPPRESSED

    @property
    def percent(self) -> str:
        if self.responses == SUPPRESSED:
            return SUPPRESSED  # a rate of a known number of councils would give the count away
        return _percent(self.responses, self.councils) if self.councils else "no councils"


ENGLAND = ("E92000001", "England")


def _region_code(region) -> str:
    """An authority's English region's code (London's inner and outer parts count as London)."""
    return region.parent.code if region.parent_id else region.code


def response_rates(version: SurveyVersion) -> list[Rate]:
    """Submitted responses and councils (current authorities) per region, England last."""
    councils: dict[str, int] = defaultdict(int)
    for authority in (
        Authority.objects.current()
        .select_related("region__parent")
        .only("id", "region__code", "region__parent__code")
    ):
        councils[_region_code(authority.region)] += 1
    responded: dict[str, int] = defaultdict(int)
    fields = ("id", "authority__region__code", "authority__region__parent__code")
    for response in _submitted(version).only(*fields):
        responded[_region_code(response.authority.region)] += 1
    regions = sorted(ENGLISH_REGIONS.items())
    # Respondents are counts of councils like any other: 1 to 4 shows as c, and so does what would give
    # it away beside each region's number of councils (public, so never hidden: `known`).
    counts = [[responded.get(code, 0), councils.get(code, 0) - responded.get(code, 0)] for code, _ in regions]
    known = np.zeros((len(regions) + 1, 3), dtype=bool)
    known[:, -1] = True
    published = disclosure.suppress(counts, threshold=THRESHOLD, known=known).published()
    rows = [
        Rate(code, name, councils.get(code, 0), row[0])
        for (code, name), row in zip(regions, published[:-1], strict=True)
    ]
    rows.append(Rate(*ENGLAND, sum(councils.values()), published[-1][0]))
    return rows


def _submitted(version):
    return Response.objects.filter(version=version, status=Response.Status.SUBMITTED).select_related(
        "authority__region__parent"
    )


# --- each question's published figures -----------------------------------------------------------------


@dataclass
class Cell:
    value: int | str  # a count, or SUPPRESSED
    percent: str = ""  # of the row's total, only where both the count and the total are shown

    @property
    def shown(self) -> bool:
        return self.value != SUPPRESSED


@dataclass
class Row:
    code: str
    name: str
    cells: list[Cell]
    total: Cell


@dataclass
class ChoiceTable:
    key: str  # the question as `slihub survey disclose` names it: the code, or "code: option"
    option: str  # the option, for a multiple choice question's tables; "" otherwise
    columns: list[str]  # the answers (labels as published)
    headers: list[str]  # the answers as column headings (a scale's ends carry their labels)
    regions: list[Row]
    england: Row
    source: tables.QuestionTable = field(repr=False)

    def published(self) -> list[list]:
        return self.source.published()


@dataclass
class Figures:
    code: str
    name: str
    answered: int | None  # shown only with the figures (at least THRESHOLD answers)
    spread: disclosure.Spread | None

    @property
    def lower(self) -> str:
        return format_number(self.spread.lower_quartile) if self.spread else ""

    @property
    def median(self) -> str:
        return format_number(self.spread.median) if self.spread else ""

    @property
    def upper(self) -> str:
        return format_number(self.spread.upper_quartile) if self.spread else ""


@dataclass
class QuestionResult:
    question_id: int
    code: str
    text: str
    kind: str
    kind_label: str
    section: str
    unit: str
    answered: int  # councils that answered (not shown for choices: the tables' England total is)
    tables: list[ChoiceTable] = field(default_factory=list)
    figures: list[Figures] = field(default_factory=list)  # regions, then England
    texts: list[tuple[str, str]] = field(default_factory=list)  # (council, answer): national admins only
    indicators: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)


@dataclass
class Results:
    year: int
    questions: list[QuestionResult]


def table_key(code: str, option: str | None = None) -> str:
    return f"{code}: {option}" if option is not None else code


def choice_answers(question: Question) -> list[str]:
    """A choice question's answers as its table's columns, in the questionnaire's order."""
    if question.kind == Question.Kind.SCALE:
        low, high = question.scale_min, question.scale_max
        if low is None or high is None:
            return []
        return [str(point) for point in range(low, high + 1)]
    return [str(option) for option in question.options]


def _headers(question: Question, columns: list[str]) -> list[str]:
    if question.kind != Question.Kind.SCALE or not columns:
        return columns
    headers = list(columns)
    if question.scale_min_label:
        headers[0] = f"{headers[0]} ({question.scale_min_label})"
    if question.scale_max_label:
        headers[-1] = f"{headers[-1]} ({question.scale_max_label})"
    return headers


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else ""


def _row(code: str, name: str, published: list) -> Row:
    *counts, total = published
    shown_total = total != SUPPRESSED and total > 0
    cells = [
        Cell(count, _percent(count, total) if shown_total and count != SUPPRESSED else "") for count in counts
    ]
    return Row(code, name, cells, Cell(total, "100%" if shown_total else ""))


def _choice_table(question: Question, built: tables.QuestionTable, option: str = "") -> ChoiceTable:
    published = built.published()
    regions = [_row(code, name, published[i]) for i, (code, name) in enumerate(built.regions)]
    columns = built.answers
    headers = [TICKED, NOT_TICKED] if option else _headers(question, columns)
    england = _row(*ENGLAND, published[-1])
    return ChoiceTable(built.question, option, columns, headers, regions, england, built)


def _number(value) -> float | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return float(number) if number.is_finite() else None


def _figures(by_region: dict[str, list[float]]) -> list[Figures]:
    rows = []
    everything = [n for numbers in by_region.values() for n in numbers]
    for code, name in [*sorted(ENGLISH_REGIONS.items()), ENGLAND]:
        numbers = everything if code == ENGLAND[0] else by_region.get(code, [])
        spread = disclosure.spread_if_enough(numbers, threshold=THRESHOLD)
        rows.append(Figures(code, name, spread.count if spread else None, spread))
    return rows


QUESTION_FIELDS = (
    "id",
    "code",
    "text",
    "kind",
    "options",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "unit",
    "section__title",
    "indicators__slug",
    "indicators__name",
)


def _fingerprint(version: SurveyVersion) -> str:
    """What the figures depend on: the submitted answers (their number and latest change) and the
    questions as the page words them. Not the version's own status or summary switch, so publishing
    and showing a summary keep the figures already worked out."""
    found = _submitted(version).aggregate(
        count=Count("id", distinct=True), changed=Max("updated_at"), answered=Max("answers__updated_at")
    )
    questions = Question.objects.filter(version=version).order_by("id", "indicators__slug")
    wording = hashlib.sha256(repr(list(questions.values_list(*QUESTION_FIELDS))).encode()).hexdigest()[:16]
    parts = [_CACHE_FORMAT, version.pk, version.year, *found.values(), wording]
    return ":".join(str(part) for part in parts)


def question_results(version: SurveyVersion) -> Results:
    """Every question's published figures (the same for everyone who may read them), from the cache when
    no submitted response has changed since they were worked out."""
    key = "slihub:survey-results:" + _fingerprint(version).replace(" ", "T")
    found = cache.get(key)
    if found is None:
        found = build_results(version)
        cache.set(key, found, None)  # the key changes whenever the figures would
    return found


def tables_input(version: SurveyVersion, questions=None):
    """The submitted answers to the choice questions as `slihub survey disclose` reads them (one
    tables.Response per council and table), and each table's answers in order."""
    questions = list(questions if questions is not None else _questions(version))
    answers = _answers(version)
    responses, order = [], {}
    for question in questions:
        if question.kind in CHOICE_KINDS and choice_answers(question):
            order[table_key(question.code)] = choice_answers(question)
        elif question.kind == Question.Kind.MULTIPLE:
            for option in question.options:
                order[table_key(question.code, str(option))] = [TICKED, NOT_TICKED]
    for question in questions:
        for council, region, value in answers.get(question.id, []):
            if question.kind in CHOICE_KINDS:
                responses.append(tables.Response(0, council, region, table_key(question.code), str(value)))
            elif question.kind == Question.Kind.MULTIPLE:
                ticked = {str(v) for v in value} if isinstance(value, list) else {str(value)}
                for option in question.options:
                    answer = TICKED if str(option) in ticked else NOT_TICKED
                    key = table_key(question.code, str(option))
                    responses.append(tables.Response(0, council, region, key, answer))
    return responses, order


def _questions(version):
    return (
        Question.objects.filter(version=version)
        .select_related("section")
        .prefetch_related("indicators")
        .order_by("section__position", "position", "id")
    )


def _answers(version) -> dict[int, list[tuple[str, str, object]]]:
    """question id -> [(council name, region code, value)] of submitted responses, by council name."""
    rows = (
        Answer.objects.filter(response__version=version, response__status=Response.Status.SUBMITTED)
        .select_related(None)
        .values_list(
            "question_id",
            "response__authority__name",
            "response__authority__region__code",
            "response__authority__region__parent__code",
            "value",
        )
        .order_by("response__authority__name", "question_id")
    )
    found: dict[int, list] = defaultdict(list)
    for question_id, council, region, parent, value in rows:
        found[question_id].append((council, parent or region, value))
    return found


def build_results(version: SurveyVersion) -> Results:
    questions = list(_questions(version))
    answers = _answers(version)
    responses, order = tables_input(version, questions)
    built = {table.question: table for table in tables.question_tables(responses, answer_order=order)}
    results = []
    for question in questions:
        given = answers.get(question.id, [])
        result = QuestionResult(
            question_id=question.id,
            code=question.code,
            text=question.text,
            kind=question.kind,
            kind_label=question.get_kind_display(),
            section=question.section.title,
            unit=question.unit,
            answered=len(given),
            indicators=[(i.slug, i.name) for i in question.indicators.all()],
        )
        if question.kind in CHOICE_KINDS:
            table = built.get(table_key(question.code))  # none: no answers and no options
            result.tables = [_choice_table(question, table)] if table else []
        elif question.kind == Question.Kind.MULTIPLE:
            result.tables = [
                _choice_table(question, built[table_key(question.code, str(option))], option=str(option))
                for option in question.options
            ]
        elif question.kind == Question.Kind.NUMBER:
            by_region: dict[str, list[float]] = defaultdict(list)
            for _, region, value in given:
                number = _number(value)
                if number is not None:
                    by_region[region].append(number)
            result.figures = _figures(by_region)
        else:
            result.texts = [(council, str(value)) for council, _, value in given if str(value).strip()]
        results.append(result)
    return Results(version.year, results)


# --- year on year --------------------------------------------------------------------------------------


@dataclass
class Earlier:
    year: int
    result: QuestionResult


def year_on_year(version: SurveyVersion, results: Results) -> dict[str, Earlier]:
    """For each question whose code was asked in an earlier published version: that version's (the latest
    such) published figures, by code."""
    codes = {q.code for q in results.questions}
    earlier_versions = list(
        SurveyVersion.objects.filter(status=SurveyVersion.Status.PUBLISHED, year__lt=version.year).order_by(
            "-year"
        )
    )
    if not earlier_versions:
        return {}
    asked = defaultdict(set)
    for version_id, code in Question.objects.filter(version__in=earlier_versions, code__in=codes).values_list(
        "version_id", "code"
    ):
        asked[version_id].add(code)
    found: dict[str, Earlier] = {}
    for earlier in earlier_versions:
        wanted = asked.get(earlier.id, set()) - set(found)
        if not wanted:
            continue
        for result in question_results(earlier).questions:
            if result.code in wanted:
                found[result.code] = Earlier(earlier.year, result)
    return found


# --- a council's own answers ---------------------------------------------------------------------------


@dataclass
class OwnLine:
    question: QuestionResult
    answer: str  # the council's answer as words ("" when not answered)
    region: list[tuple[str, Cell]]  # for each chosen answer: (answer, the region's published cell)
    england: list[tuple[str, Cell]]
    region_figures: Figures | None = None
    england_figures: Figures | None = None


@dataclass
class OwnView:
    authority: Authority
    response: Response
    region_name: str
    lines: list[OwnLine]


def own_councils(user, version: SurveyVersion):
    """The submitted responses of the councils whose answers `user` may read (their own council's; a
    national admin's, every council's), by council name."""
    return (
        Response.objects.visible_to(user)
        .filter(version=version, status=Response.Status.SUBMITTED)
        .select_related("authority__region__parent")
        .order_by("authority__name")
    )


def own_view(response: Response, results: Results) -> OwnView:
    answers = {a.question_id: a.value for a in response.answers.all()}
    region_code = _region_code(response.authority.region)
    region_name = ENGLISH_REGIONS.get(region_code, response.authority.region.name)
    lines = []
    for result in results.questions:
        value = answers.get(result.question_id)
        line = OwnLine(result, _words(value), [], [])
        if result.tables and value is not None:
            if result.kind == Question.Kind.MULTIPLE:
                ticked = {str(v) for v in value} if isinstance(value, list) else {str(value)}
                chosen = [(t, TICKED) for t in result.tables if t.option in ticked]
            else:
                chosen = [(result.tables[0], str(value))]
            for table, column in chosen:
                if column not in table.columns:
                    continue
                j = table.columns.index(column)
                label = table.option or table.headers[j]
                row = next((r for r in table.regions if r.code == region_code), None)
                if row is not None:
                    line.region.append((label, row.cells[j]))
                line.england.append((label, table.england.cells[j]))
        elif result.figures:
            line.region_figures = next((f for f in result.figures if f.code == region_code), None)
            line.england_figures = result.figures[-1]
        lines.append(line)
    return OwnView(response.authority, response, region_name, lines)


def _words(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "None ticked"
    return str(value)


def format_number(value: float) -> str:
    """A median or quartile as published: whole numbers as such, else to one decimal place."""
    rounded = round(value, 1)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.1f}"
