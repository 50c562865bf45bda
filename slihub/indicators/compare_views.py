"""The compare page and its downloads: thin views over compare_selectors. (Saved comparator groups,
which render this page for a saved set, are in slihub/accounts/comparator_group_views.py.)

/compare/?la=202&la=206&region=london&indicator=<id, slug or code>...: every parameter is in the address,
so a comparison (with its one-action additions) is a link anyone can share.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join

from slihub.indicators import compare_downloads as downloads
from slihub.indicators import compare_selectors as selectors
from slihub.indicators import profile_selectors
from slihub.indicators.classification import Theme
from slihub.places.page_cache import cache_published
from slihub.places.releases import INDICATORS, REFERENCE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error(field_id: str, message: str) -> dict:
    return {"href": f"#{field_id}", "text": message}


def _query(authorities, indicators) -> str:
    pairs = [("la", a.code) for a in authorities] + [("indicator", i.id) for i in indicators]
    return "?" + urlencode(pairs)


class Choice:
    """The authorities and indicators a request asks for, with an error for each it cannot use."""

    def __init__(self, la: list[str], regions: list[str], indicators: list[str]):
        self.errors: list[dict] = []
        codes = list(la)
        for key in regions:
            if not key.strip():
                continue
            region = selectors.region_by_key(key)
            if region is None:
                self.errors.append(
                    _error("add-region", f"No region is called {key.strip()[:40]!r}: choose one")
                )
            else:
                codes += [a.code for a in selectors.region_members(region)]
        self.authorities, problems = profile_selectors.resolve_authorities(
            codes, limit=selectors.MAX_AUTHORITIES
        )
        self.errors += [_error("add-la", problem) for problem in problems]
        keys = [k for k in indicators if k.strip()]
        self.headline = not keys
        if self.headline:
            self.indicators = profile_selectors.headline_indicators()
        else:
            self.indicators, problems = profile_selectors.resolve_indicators(
                keys, limit=selectors.MAX_INDICATORS
            )
            self.errors += [_error("add-indicator", problem) for problem in problems]

    @classmethod
    def of(cls, request) -> "Choice":
        get = request.GET
        return cls(get.getlist("la"), get.getlist("region"), get.getlist("indicator"))

    @property
    def query(self) -> str:
        """The comparison's address parameters: explicit authorities, and the indicators if chosen."""
        return _query(self.authorities, [] if self.headline else self.indicators)


def _additions(choice: Choice) -> list[tuple[str, str, str]]:
    """(label, link, hint) of the one-action additions for the first authority chosen."""
    if not choice.authorities:
        return []
    first = choice.authorities[0]
    found = selectors.additions(first)
    chosen = {a.id for a in choice.authorities}
    indicators = [] if choice.headline else choice.indicators
    out = []
    for label, members, hint in (
        (
            f"Add {first.name}'s statistical neighbours",
            found.neighbours,
            f"The {len(found.neighbours)} authorities most like {first.name} (DfE's May 2025 model)",
        ),
        (f"Add {found.region.name}", found.region_members, f"Every authority in {found.region.name}"),
    ):
        new = [a for a in members if a.id not in chosen]
        if new:
            total = len(choice.authorities) + len(new)
            if total > selectors.MAX_AUTHORITIES:
                hint += (
                    f": that makes {total}, more than {selectors.MAX_AUTHORITIES}, so only the first are kept"
                )
            out.append((label, _query([*choice.authorities, *new], indicators), f"{hint}."))
    return out


def _options(groups: dict[str, list[tuple[str, str]]]) -> str:
    """<optgroup>s of <option>s, escaped, made in Python: the form offers some 150 authorities and 480
    indicators, which a template loop would take most of the page's time to write."""
    return format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        (
            (label, format_html_join("", '<option value="{}">{}</option>', items))
            for label, items in groups.items()
        ),
    )


def comparison_context(choice: Choice, *, group=None) -> dict:
    """What compare.html shows for a choice (group: a saved comparator group, shown with its name)."""
    rows = selectors.compare(choice.authorities, choice.indicators)
    authorities, indicators = choice.authorities, choice.indicators
    for row in rows:
        row.remove_url = _query(authorities, [i for i in indicators if i != row.indicator])
    chosen_ids = {i.id for i in indicators}
    theme_labels = dict(Theme.choices)
    indicator_groups: dict[str, list] = {}
    for item in profile_selectors.indicator_choices():
        if item["id"] not in chosen_ids:
            theme = theme_labels.get(item["theme"], item["theme"])
            indicator_groups.setdefault(theme, []).append((item["id"], item["name"]))
    chosen = {a.id for a in authorities}
    authority_groups: dict[str, list] = {}
    for authority in profile_selectors.current_authorities():
        if authority.id not in chosen:
            label = f"{authority.name} ({authority.code})"
            authority_groups.setdefault(authority.region.name, []).append((authority.code, label))
    kept = [] if choice.headline else indicators
    errors = choice.errors
    return {
        "group": group,
        "authorities": authorities,
        "indicators": indicators,
        "headline": choice.headline,
        "rows": rows,
        "errors": errors,
        "la_errors": [e["text"] for e in errors if e["href"] == "#add-la"],
        "region_errors": [e["text"] for e in errors if e["href"] == "#add-region"],
        "indicator_errors": [e["text"] for e in errors if e["href"] == "#add-indicator"],
        "remove_authority": [(a, _query([b for b in authorities if b != a], kept)) for a in authorities],
        "authority_options": _options(authority_groups),
        "regions": selectors.regions(),
        "indicator_options": _options(indicator_groups),
        "additions": _additions(choice),
        "max_authorities": selectors.MAX_AUTHORITIES,
        "headline_url": reverse("compare") + _query(authorities, []),
        "can_add_authority": len(authorities) < selectors.MAX_AUTHORITIES,
        "csv_url": reverse("compare-csv") + choice.query,
        "xlsx_url": reverse("compare-xlsx") + choice.query,
        "save_url": reverse("compare-group-new") + choice.query,
    }


@cache_published(datasets=[REFERENCE, INDICATORS], params=["la", "region", "indicator"])
def compare(request):
    """/compare/?la=202&la=206&region=london&indicator=...: authorities side by side, a chart each."""
    return render(request, "indicators/compare.html", comparison_context(Choice.of(request)))


def _download(request, extension: str) -> HttpResponse:
    choice = Choice.of(request)
    rows = selectors.compare(choice.authorities, choice.indicators)
    first = choice.authorities[0].code if choice.authorities else "none"
    if extension == "csv":
        response = HttpResponse(downloads.comparison_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        title = ", ".join(a.name for a in choice.authorities) or "No authority chosen"
        response = HttpResponse(downloads.comparison_xlsx(rows, title=title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="comparison-{first}.{extension}"'
    return response


def compare_csv(request):
    return _download(request, "csv")


def compare_xlsx(request):
    return _download(request, "xlsx")
