"""The survey's published results, as the results page shows them (counts of 1 to 4 councils, and counts
that would give them away, are "c"; numbers only where at least 5 councils answered).

Signed-in council users read them once published; national admins once the survey has closed (with
answers in councils' own words); anyone the public summary, when a national admin published one."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import AuthenticationError

from slihub.accounts.models import scope_of
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, Id
from slihub.survey import results as survey_results
from slihub.survey.models import SurveyVersion

router = Router(tags=["survey results"])


class RateOut(Schema):
    code: str  # the region's ONS code; E92000001 for England
    name: str
    responses: int | str  # submitted responses, or "c" (1 to 4, or what would give such a count away)
    councils: int  # current councils
    rate: str  # "45%", or "c" where the responses are


class CellOut(Schema):
    answer: str
    value: int | str  # a count, or "c"
    percent: str  # of the row's total; "" where the count or the total is hidden


class RowOut(Schema):
    code: str
    name: str
    cells: list[CellOut]
    total: int | str


class TableOut(Schema):
    key: str  # the question as `slihub survey disclose` names it
    option: str  # a multiple choice question's option ("" otherwise); answers are Ticked / Not ticked
    answers: list[str]
    regions: list[RowOut]
    england: RowOut


class FiguresOut(Schema):
    code: str
    name: str
    answered: int | None  # null with fewer than 5 answers
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None


class IndicatorOut(Schema):
    slug: str
    name: str


class TextOut(Schema):
    council: str
    answer: str


class EarlierOut(Schema):
    year: int
    tables: list[TableOut]
    figures: list[FiguresOut]


class QuestionOut(Schema):
    code: str
    text: str
    kind: str
    section: str
    unit: str
    indicators: list[IndicatorOut]
    tables: list[TableOut]
    figures: list[FiguresOut]
    texts: list[TextOut] | None  # national admins only; null for everyone else
    earlier: EarlierOut | None  # the latest earlier published version that asked it (England figures)


class ResultsOut(Schema):
    year: int
    title: str
    status: str
    published_at: datetime | None
    summary: bool  # true: the public summary
    threshold: int
    suppressed: str
    quartile_method: str
    response_rates: list[RateOut]
    questions: list[QuestionOut]


def _row(row, columns) -> dict:
    cells = [
        {"answer": answer, "value": cell.value, "percent": cell.percent}
        for answer, cell in zip(columns, row.cells, strict=True)
    ]
    return {"code": row.code, "name": row.name, "cells": cells, "total": row.total.value}


def _table(table, england_only=False) -> dict:
    return {
        "key": table.key,
        "option": table.option,
        "answers": table.columns,
        "regions": [] if england_only else [_row(r, table.columns) for r in table.regions],
        "england": _row(table.england, table.columns),
    }


def _figures(f) -> dict:
    spread = f.spread
    return {
        "code": f.code,
        "name": f.name,
        "answered": f.answered,
        "lower_quartile": spread.lower_quartile if spread else None,
        "median": spread.median if spread else None,
        "upper_quartile": spread.upper_quartile if spread else None,
    }


@router.get(
    "/survey/{year}/results",
    response={200: ResultsOut, **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A year's survey results, with disclosure control",
)
def results(request, year: Id):
    """Response rates, and each question's published tables (regions by answer, "c" where hidden) or
    median and quartiles, with the last published year's England figures for questions asked before.
    401 signed out (unless a public summary is published), 403 without access, 404 with no results."""
    version = get_object_or_404(SurveyVersion, year=year)
    allowed = survey_results.access(request.user, version)
    if allowed == survey_results.MISSING:
        raise Http404("There are no results for this survey yet.")
    if allowed == survey_results.SIGN_IN:
        raise AuthenticationError()
    if allowed == survey_results.FORBIDDEN:
        raise PermissionDenied("Survey results are for councils' signed-in users once published.")
    national = allowed == survey_results.FULL and scope_of(request.user).national
    found = survey_results.question_results(version)
    earlier = survey_results.year_on_year(version, found)
    questions = []
    for result in found.questions:
        before = earlier.get(result.code)
        questions.append(
            {
                "code": result.code,
                "text": result.text,
                "kind": result.kind,
                "section": result.section,
                "unit": result.unit,
                "indicators": [{"slug": slug, "name": name} for slug, name in result.indicators],
                "tables": [_table(t) for t in result.tables],
                "figures": [_figures(f) for f in result.figures],
                "texts": (
                    [{"council": c, "answer": a} for c, a in result.texts]
                    if national and result.kind == "text"
                    else None
                ),
                "earlier": (
                    {
                        "year": before.year,
                        "tables": [_table(t, england_only=True) for t in before.result.tables],
                        "figures": [_figures(f) for f in before.result.figures[-1:]],
                    }
                    if before
                    else None
                ),
            }
        )
    return {
        "year": version.year,
        "title": version.title,
        "status": version.status,
        "published_at": version.published_at,
        "summary": allowed == survey_results.SUMMARY,
        "threshold": survey_results.THRESHOLD,
        "suppressed": survey_results.SUPPRESSED,
        "quartile_method": survey_results.QUARTILE_METHOD,
        "response_rates": [
            {
                "code": r.code,
                "name": r.name,
                "responses": r.responses,
                "councils": r.councils,
                "rate": r.percent,
            }
            for r in survey_results.response_rates(version)
        ],
        "questions": questions,
    }
