"""Reads of the stored forecasts and backtest, for the forecast pages, their CSV files and the API.

Forecasts of children looked after are made from published data only, so they are public: nothing here
is scoped by user. Each read is one or two queries whatever the number of councils.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max

from slihub.forecast.chart import Point
from slihub.forecast.models import ForecastBasis, StoredBacktest, StoredForecast
from slihub.places.models import Authority

ENGLAND = "england"
SHOWN_HORIZONS = (1, 3, 5)  # the national page's table of councils
BACKTEST_HORIZONS = (1, 2, 3)


@dataclass
class AreaForecast:
    code: str  # DfE code, or "england"
    name: str
    authority: Authority | None
    basis: ForecastBasis | None
    points: list[Point] = field(default_factory=list)

    @property
    def history(self) -> list[tuple[int, int]]:
        return [(p["year"], p["looked_after"]) for p in self.basis.published] if self.basis else []

    @property
    def latest(self) -> tuple[int, int] | None:
        return self.history[-1] if self.history else None

    @property
    def computed_at(self) -> datetime | None:
        return self.basis.computed_at if self.basis else None

    def rows(self) -> list[dict]:
        """The table: each published year, then each forecast year, as the page and the CSV show them."""
        rows = [
            {"year": year, "kind": "Published", "looked_after": n, "point": None} for year, n in self.history
        ]
        rows += [{"year": p.year, "kind": "Forecast", "looked_after": None, "point": p} for p in self.points]
        return rows


def _points(rows) -> list[Point]:
    return [Point(r.year, r.median, r.p10, r.p25, r.p75, r.p90) for r in rows]


def computed() -> bool:
    """Whether forecasts have been worked out at all (for the pages' "not yet" message)."""
    return ForecastBasis.objects.exists()


def england() -> AreaForecast:
    basis = ForecastBasis.objects.filter(authority__isnull=True).first()
    rows = StoredForecast.objects.filter(authority__isnull=True).order_by("horizon") if basis else []
    return AreaForecast(ENGLAND, "England", None, basis, _points(rows))


def authority(code: str) -> AreaForecast:
    """A council's stored forecast by its DfE or ONS code (raises Authority.DoesNotExist)."""
    found = Authority.objects.select_related("region").by_code(code)
    basis = ForecastBasis.objects.filter(authority=found).first()
    rows = StoredForecast.objects.filter(authority=found).order_by("horizon") if basis else []
    return AreaForecast(found.code, found.name, found, basis, _points(rows))


@dataclass(frozen=True)
class CouncilRow:
    authority: Authority
    latest_year: int | None
    latest: int | None
    points: dict[int, Point]  # by horizon, SHOWN_HORIZONS only
    note: str


def councils() -> list[CouncilRow]:
    """Every council with a stored basis, by name: its latest published count and its forecasts at
    one, three and five years. Two queries."""
    bases = list(
        ForecastBasis.objects.filter(authority__isnull=False)
        .select_related("authority")
        .order_by("authority__name")
    )
    points: dict[int, dict[int, Point]] = {}
    for r in StoredForecast.objects.filter(authority__isnull=False, horizon__in=SHOWN_HORIZONS):
        points.setdefault(r.authority_id, {})[r.horizon] = Point(r.year, r.median, r.p10, r.p25, r.p75, r.p90)
    rows = []
    for b in bases:
        last = b.published[-1] if b.published else None
        rows.append(
            CouncilRow(
                b.authority,
                last["year"] if last else None,
                last["looked_after"] if last else None,
                points.get(b.authority_id, {}),
                b.note,
            )
        )
    return rows


def horizon_years() -> list[int | None]:
    """The year each shown horizon reaches (the latest stored), None where nothing reaches it."""
    found = dict(
        StoredForecast.objects.filter(horizon__in=SHOWN_HORIZONS)
        .values("horizon")
        .annotate(year=Max("year"))
        .values_list("horizon", "year")
    )
    return [found.get(h) for h in SHOWN_HORIZONS]


def backtest() -> StoredBacktest | None:
    return StoredBacktest.objects.order_by("-computed_at").first()


def _horizon(summary: dict | None, h: int) -> dict | None:
    if not summary:
        return None
    by = summary.get("by_horizon") or {}
    return by.get(str(h), by.get(h))


def _pct(value) -> str:
    return "" if value is None else f"{value:.1f}%"


def _share(value) -> str:
    return "" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class HorizonRow:
    horizon: int
    label: str
    outcomes: int
    model: str
    naive: str
    trend: str
    model_value: float
    naive_value: float
    trend_value: float


def horizon_rows(summary: dict | None) -> list[HorizonRow]:
    """Mean absolute percentage error by horizon, for the model and the two references."""
    rows = []
    for h in BACKTEST_HORIZONS:
        m = _horizon(summary, h)
        if not m:
            continue
        rows.append(
            HorizonRow(
                h,
                "1 year ahead" if h == 1 else f"{h} years ahead",
                m["outcomes"],
                _pct(m["model"]),
                _pct(m["naive"]),
                _pct(m["trend"]),
                m["model"],
                m["naive"],
                m["trend"],
            )
        )
    return rows


@dataclass(frozen=True)
class Accuracy:
    """A summary of the backtest as the pages show it."""

    rows: list[HorizonRow]
    outcomes: int
    coverage_80: str
    coverage_50: str


def accuracy(summary: dict | None) -> Accuracy | None:
    if not summary or not summary.get("outcomes"):
        return None
    return Accuracy(
        horizon_rows(summary),
        summary["outcomes"],
        _share(summary.get("coverage_80")),
        _share(summary.get("coverage_50")),
    )


@dataclass(frozen=True)
class Beaten:
    label: str
    councils: int
    beats_naive: int
    beats_trend: int


@dataclass(frozen=True)
class CouncilAccuracy:
    code: str
    name: str
    outcomes: int
    figures: list[str]  # model and last year's number for each horizon, then the 80% coverage


@dataclass(frozen=True)
class BacktestTables:
    computed_at: datetime
    simulations: int
    origins: list[int]
    england: Accuracy | None
    councils: Accuracy | None
    beaten: list[Beaten]
    per_council: list[CouncilAccuracy]


def backtest_tables(report: StoredBacktest) -> BacktestTables:
    r = report.results
    beaten = []
    for h in BACKTEST_HORIZONS:
        b = (r.get("councils_beaten") or {}).get(str(h)) or (r.get("councils_beaten") or {}).get(h)
        if b and b["councils"]:
            beaten.append(
                Beaten(
                    "1 year ahead" if h == 1 else f"{h} years ahead",
                    b["councils"],
                    b["model_beats_naive"],
                    b["model_beats_trend"],
                )
            )
    per_council = []
    for code, c in sorted((r.get("councils") or {}).items(), key=lambda item: item[1]["name"]):
        figures = []
        for h in BACKTEST_HORIZONS:
            m = _horizon(c, h)
            figures += [_pct(m["model"]), _pct(m["naive"])] if m else ["", ""]
        figures.append(_share(c.get("coverage_80")))
        per_council.append(CouncilAccuracy(code, c["name"], c.get("outcomes", 0), figures))
    return BacktestTables(
        report.computed_at,
        r.get("simulations", 0),
        r.get("origins", []),
        accuracy(r.get("england")),
        accuracy(r.get("councils_pooled")),
        beaten,
        per_council,
    )


def council_accuracy(report: StoredBacktest | None, code: str) -> tuple[Accuracy | None, Accuracy | None]:
    """The backtest's figures over all councils, and this council's own."""
    if report is None:
        return None, None
    r = report.results
    return accuracy(r.get("councils_pooled")), accuracy((r.get("councils") or {}).get(code))
