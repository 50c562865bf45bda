"""The catalogue's rows (name, theme, source, latest period, authorities with a value) and its search
index, built once per process and indicators release: two queries and a pass over the bank, then
every request filters and ranks lists in memory."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from slihub.indicators import headline, search
from slihub.indicators.classification import Theme
from slihub.indicators.models import Comparison, Indicator, Period
from slihub.places import releases

#: Without a headline place, the social care themes come before schools, youth and the rest.
THEME_ORDER = [Theme.VULNERABLE_CHILDREN, Theme.FAMILIES, Theme.DISABLED_CHILDREN, Theme.EARLY_YEARS]


@dataclass(frozen=True)
class Row:
    id: int
    slug: str
    name: str
    theme: str
    theme_label: str
    outcome: str
    source: str
    source_label: str
    latest: str  # the latest period with authorities' figures, '' if none
    authorities: int  # authorities with a value in that period

    @property
    def url(self) -> str:
        return f"/indicators/{self.slug}/"


@dataclass(frozen=True)
class Catalogue:
    rows: list[Row]  # in the default order
    index: search.Index
    by_id: dict[int, Row]
    sources: list[tuple[str, str]]  # (source, what the filter calls it)

    def find(self, *, q: str = "", theme: str = "", outcome: str = "", source: str = "") -> list[Row]:
        """Rows matching the search (best first) and the filters."""
        rows = [self.by_id[key] for key in self.index.rank(q)] if q.strip() else self.rows
        return [
            r
            for r in rows
            if (not theme or r.theme == theme)
            and (not outcome or r.outcome == outcome)
            and (not source or r.source == source)
        ]


# Sources that are not one of DfE's tidy files, named as their publishers do.
SOURCE_NAMES = {"lait": "LAIT indicator bank", "imd2019": "MHCLG: English indices of deprivation 2019"}


def source_label(source: str, publisher: str) -> str:
    return "LAIT" if source == "lait" else publisher or source


def _default_order(indicator: Indicator) -> tuple:
    slug = indicator.slug
    place = _HEADLINE_PLACE.get(slug, len(_HEADLINE_PLACE))
    theme = THEME_ORDER.index(indicator.theme) if indicator.theme in THEME_ORDER else len(THEME_ORDER)
    return (place, theme, indicator.name.lower(), indicator.code)


# Each headline row's LAIT series, then DfE's stand-in beside it.
_HEADLINE_PLACE = {slug: at for at, slug in enumerate(s for h in headline.HEADLINE for s in h.slugs)}


def _latest() -> dict[int, tuple[str, int]]:
    """Each indicator's latest period with authorities' rows, and how many of them hold a value."""
    counts = Comparison.objects.values("indicator_id", "period_id").annotate(n=Count("value"))
    periods = {p.id: p for p in Period.objects.all()}
    latest: dict[int, tuple] = {}
    for row in counts:
        period = periods[row["period_id"]]
        key = (period.sort_key, period.label)
        if row["indicator_id"] not in latest or key > latest[row["indicator_id"]][0]:
            latest[row["indicator_id"]] = (key, period.label, row["n"])
    return {ind: (label, n) for ind, (_, label, n) in latest.items()}


def build() -> Catalogue:
    fields = ["id", "slug", "code", "name", "short_name", "topic", "description", "theme", "outcome"]
    indicators = sorted(Indicator.objects.only(*fields, "source", "publisher"), key=_default_order)
    latest = _latest()
    themes = dict(Theme.choices)
    rows = []
    documents = []
    for ind in indicators:
        label, count = latest.get(ind.id, ("", 0))
        rows.append(
            Row(
                id=ind.id,
                slug=ind.slug,
                name=ind.name,
                theme=ind.theme,
                theme_label=themes.get(ind.theme, ind.theme),
                outcome=ind.outcome,
                source=ind.source,
                source_label=source_label(ind.source, ind.publisher),
                latest=label,
                authorities=count,
            )
        )
        code = ind.code.removeprefix("dfe:")
        documents.append(
            search.Document(
                key=ind.id,
                name=ind.name,
                short=f"{ind.short_name} {code} {code.replace('_', ' ')}",
                theme=f"{themes.get(ind.theme, '')} {ind.topic}",
                definition=ind.description,
            )
        )
    named = {r.source: SOURCE_NAMES.get(r.source, f"DfE statistics: {r.source}") for r in rows}
    sources = sorted(named.items(), key=lambda s: (s[0] != "lait", s[0]))
    return Catalogue(
        rows=rows, index=search.Index.build(documents), by_id={r.id: r for r in rows}, sources=sources
    )


_lock = threading.Lock()
_built: dict[str, object] = {}


def _version() -> tuple:
    """The indicators release, and (one cheap query on primary keys) the bank's size: a test database
    rolled back to another bank keeps the same release number."""
    sizes = Indicator.objects.aggregate(n=Count("id"), last=Max("id"))
    last_comparison = Comparison.objects.aggregate(last=Max("id"))["last"]
    return (
        releases.versions([releases.INDICATORS])[releases.INDICATORS],
        sizes["n"],
        sizes["last"],
        last_comparison,
    )


def forget() -> None:
    """Drop the built catalogue (tests that change the bank without a release)."""
    with _lock:
        _built.clear()


def catalogue() -> Catalogue:
    """The catalogue of the current indicators release: built on the first call after a release."""
    version = _version()
    with _lock:
        if _built.get("version") != version or "catalogue" not in _built:
            _built["catalogue"] = build()
            _built["version"] = version
        return _built["catalogue"]
