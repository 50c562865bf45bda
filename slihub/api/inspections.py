"""Ofsted's inspections and visits of an authority (published data)."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, Code
from slihub.inspections import selectors
from slihub.places import selectors as places

router = Router(tags=["inspections"])


class InspectionOut(Schema):
    type: str
    type_name: str  # Ofsted's name for the type
    start_date: date
    end_date: date | None
    publication_date: date
    # Ofsted's exact wording; null where Ofsted made no such judgment or the sources lack it.
    overall_effectiveness: str | None
    impact_of_leaders: str | None
    help_and_protection: str | None
    children_in_care: str | None
    care_leavers: str | None
    visit_theme: str | None
    report_url: str | None
    official: bool
    sources: list[str]

    @staticmethod
    def resolve_type(obj):
        return obj.kind

    @staticmethod
    def resolve_type_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_publication_date(obj):
        return obj.published_on

    @staticmethod
    def resolve_official(obj):
        return obj.is_official

    @staticmethod
    def resolve_overall_effectiveness(obj):
        return obj.overall_effectiveness or None

    @staticmethod
    def resolve_impact_of_leaders(obj):
        return obj.impact_of_leaders or None

    @staticmethod
    def resolve_help_and_protection(obj):
        return obj.help_and_protection or None

    @staticmethod
    def resolve_children_in_care(obj):
        return obj.children_in_care or None

    @staticmethod
    def resolve_care_leavers(obj):
        return obj.care_leavers or None

    @staticmethod
    def resolve_visit_theme(obj):
        return obj.visit_theme or None

    @staticmethod
    def resolve_report_url(obj):
        return obj.report_url or None


@router.get(
    "/authorities/{code}/inspections",
    response={200: list[InspectionOut], **NOT_FOUND, **INVALID},
    summary="An authority's Ofsted inspections and visits",
)
@paginate(Pagination)
def list_inspections(request, code: Code):
    """Ofsted's ILACS inspections (standard and short, with the five judgments in Ofsted's wording) and
    its focused and monitoring visits (with their theme), latest first. Ofsted's official statistics
    to March 2025, then Data to Insight's scrape of Ofsted's reports (`official: false`)."""
    return selectors.history(places.authority(code))
