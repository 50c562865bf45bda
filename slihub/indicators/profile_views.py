"""The progress profile of an authority: thin views over profile_selectors (compare is in compare_views)."""

from urllib.parse import urlencode

from django.shortcuts import render

from slihub.indicators import profile_selectors as selectors
from slihub.places import selectors as places
from slihub.places.models import DEFAULT_NEIGHBOUR_MODEL, NeighbourModel
from slihub.places.page_cache import cache_published
from slihub.places.releases import INDICATORS, INSPECTIONS, REFERENCE


def _error(field_id: str, message: str) -> dict:
    return {"href": f"#{field_id}", "text": message}


@cache_published(
    datasets=[REFERENCE, INSPECTIONS, INDICATORS], params=["group", "model", "section", "part", "compare"]
)
def profile(request, code):
    """/authorities/<code>/profile/?group=theme|outcome&model=2025|2021&compare=CODE...&section=KEY|all

    Without a section: the summary (strengths, concerns, Ofsted, the sections); with one: that
    theme's or outcome's indicators; section=all: every indicator on one page, for printing."""
    authority = places.authority(code)
    errors = []
    notice = ""
    status = 200
    try:
        grouping = selectors.grouping(request.GET.get("group"))
    except ValueError:
        grouping = selectors.DEFAULT_GROUPING
        errors.append(_error("group-theme", "Group the indicators by theme or by outcome"))
    try:
        model = places.neighbour_model(request.GET.get("model"))
    except ValueError:
        model = DEFAULT_NEIGHBOUR_MODEL
        errors.append(_error("model-2025", "Choose one of DfE's two statistical neighbour models"))
    try:
        section = selectors.section(request.GET.get("section"), grouping)
    except selectors.OtherGrouping as changed:
        # The options form keeps the section: a new grouping shows its own summary.
        section, notice = "", str(changed)
    except selectors.UnknownSection as unknown:
        section, status = "", 404
        errors.append(_error("sections", str(unknown)))
    codes = [c for c in request.GET.getlist("compare") if c.strip().upper() != authority.code]
    comparators, problems = selectors.resolve_authorities(codes, limit=selectors.MAX_COMPARATORS)
    errors += [_error("comparator-group", problem) for problem in problems]
    part = request.GET.get("part", "")
    part = int(part) if part.isdigit() and len(part) < 4 else 1  # past the last: the last part
    data = selectors.profile(
        authority, grouping=grouping, model=model, comparators=comparators, section=section, part=part
    )
    chosen = {a.id for a in comparators}
    regions: dict[str, list] = {}
    for other in selectors.current_authorities():
        if other.id != authority.id:
            regions.setdefault(other.region.name, []).append((other, other.id in chosen))
    compare_codes = [authority.code, *(a.code for a in comparators[: selectors.MAX_COMPARE - 1])]
    # Links between the profile's pages keep the options chosen (grouping, model, comparators).
    options = [("group", grouping)] if grouping != selectors.DEFAULT_GROUPING else []
    options += [("model", model)] if model != DEFAULT_NEIGHBOUR_MODEL else []
    options += [("compare", a.code) for a in comparators]

    def link(key: str, part: int = 1) -> str:
        query = urlencode(
            [*options, *([("section", key)] if key else []), *([("part", part)] if part > 1 else [])]
        )
        return f"{request.path}?{query}" if query else request.path

    def highlight_href(item) -> str:
        on_page = data.shown == selectors.ALL or (item.section == data.shown and item.part == data.part)
        return f"{'' if on_page else link(item.section, item.part)}#{item.anchor}"

    previous, following = data.neighbouring_sections()
    return render(
        request,
        "indicators/profile.html",
        {
            "authority": authority,
            "profile": data,
            "errors": errors,
            "notice": notice,
            "groupings": list(selectors.GROUPINGS.items()),
            "models": NeighbourModel.choices,
            "comparator_regions": sorted(regions.items()),
            "max_comparators": selectors.MAX_COMPARATORS,
            "series_length": selectors.SERIES_LENGTH,
            "compare_url": "?" + urlencode([("la", c) for c in compare_codes]),
            "summary_url": link(""),
            "all_url": link(selectors.ALL),
            "sections": [(group, link(group.key)) for group in data.sections],
            "strengths": [_with_hrefs(item, highlight_href) for item in data.strengths],
            "concerns": [_with_hrefs(item, highlight_href) for item in data.concerns],
            "parts": [(number, link(data.shown, number)) for number in range(1, data.parts + 1)],
            "previous": previous and (previous, link(previous.key)),
            "next": following and (following, link(following.key)),
        },
        status=status,
    )


def _with_hrefs(item, href) -> tuple:
    """(strength or concern, its link, [(breakdown, its link)])."""
    return item, href(item), [(child, href(child)) for child in item.children]
