"""What children in care cost, and what the forecast of children in care would cost.

The unit cost is a council's (or England's) gross spending on children looked after in the latest
revenue outturn (MHCLG's RO3, line 'Children Looked After', Total Expenditure) divided by the
child-years of care in that financial year: the mean of the children looked after at 31 March at its
two ends (DfE's count, LACnum in LAIT). Where a council's RO3 return was not received ([x]), DfE's
section 251 outturn of the same line (LAIT's TotalLACFinance) is used instead, and said.

Residential care and fostering also get a unit cost of their own: RO3 splits the spending, and LAIT
gives the share of children in secure and children's homes, and in foster care, at 31 March (whole
per cent, so a count of about N x share). The other two parts of the line have no count to divide by:
spending on asylum-seeking children cuts across placement types, and 'other' is the rest of the line
(by DfE's description of the same spending, LAIT TotalLACFinance: adoption, special guardianship
support, short breaks, children placed with family or friends, education of children looked after and
leaving care support), some of it for young people who have left care.
The projection uses the one unit cost for all placements: the forecast gives children in care, not
their placements, and holding the placement mix at its latest shares would give the same total.

Projected spend: each of the forecast's simulated paths (the same simulations as `slihub forecast`)
times the unit cost, with the unit cost rising by the inflation setting each year after the outturn
year (0% unless asked). The national projection is England's forecast times England's unit cost
(England's RO3 row includes MHCLG's estimates for returns not received); published estimates are
set beside it, each with its source.
"""

from django.db.models import Q

from slihub.forecast import outturn, references, selectors, services
from slihub.indicators.models import Value
from slihub.places.models import Authority
from slihub.sources import DataFileError
from slihub.stats import forecast as engine
from slihub.stats import spend

COUNT = selectors.STOCK  # LACnum: children looked after at 31 March
SHARES = {
    outturn.FOSTERING: ("LAC_Foster_Placements", "in foster care"),
    outturn.RESIDENTIAL: ("LAC_SecHome_And_ChildHome", "in secure homes and children's homes"),
}
LAIT_SPEND = "TotalLACFinance"  # DfE section 251 outturn: gross spending on children looked after, GBP
LAIT_WEEKLY = {  # DfE's own weekly unit costs (section 251 outturn), GBP a week, rounded to GBP 5
    "all": "LACFinance",
    outturn.FOSTERING: "FosteringFinance",
    outturn.RESIDENTIAL: "RescareFinance",
}
WEEKS_A_YEAR = 365 / 7
NO_COUNT = {
    outturn.ASYLUM: "no unit cost: spending on asylum-seeking children cuts across placement types",
    outturn.OTHER: "no unit cost: the rest of the line, which pays for more than placements (DfE's "
    "description of the same spending, LAIT TotalLACFinance, lists adoption, special guardianship support, "
    "short breaks, children placed with family or friends, education of children looked after and leaving "
    "care support), with no count to divide by",
}
MAX_INFLATION = 0.5  # 50% a year: beyond that a setting is surely a typo for a fraction


class CostError(services.ForecastError):
    """A cost that cannot be worked out: the message says why, in plain words."""


def _lait(codes: list[str], authority: Authority | None) -> dict[str, dict[str, tuple[float | None, str]]]:
    """code -> period label -> (value, status) for England (authority None) or a council."""
    where = Q(area_type="england") if authority is None else Q(area_type="la", authority=authority)
    found: dict = {code: {} for code in codes}
    for code, label, value, status in Value.objects.filter(where, indicator__code__in=codes).values_list(
        "indicator__code", "period__label", "value", "status"
    ):
        found[code][label] = (value, status)
    return found


def read_ro3() -> dict[str, outturn.Outturn]:
    try:
        return outturn.read(outturn.RO3)
    except (outturn.OutturnMissing, DataFileError) as error:
        raise CostError(str(error)) from None


def _outturn_label(year: str) -> str:
    return f"{year} (OT)"  # LAIT's label of a financial year's outturn: '2024-25 (OT)'


def _row(table: dict[str, outturn.Outturn], authority: Authority | None) -> outturn.Outturn | None:
    if authority is None:
        return table.get(outturn.ENGLAND_ONS)
    return table.get(authority.ons_code)


def unit_costs(code: str | None = None, ro3: dict[str, outturn.Outturn] | None = None) -> dict:
    """An area's cost per child in care per year from the latest outturn, with where every figure is from."""
    where, authority = services.area(code)
    table = ro3 if ro3 is not None else read_ro3()
    row = _row(table, authority)
    if row is None:
        raise CostError(f"{where.name} has no row in {next(iter(table.values())).file}.")
    year, year_end = row.year, row.year_end
    codes = [COUNT, LAIT_SPEND, *LAIT_WEEKLY.values(), *(c for c, _ in SHARES.values())]
    lait = _lait(codes, authority)
    counts = {y: lait[COUNT].get(str(y), (None, ""))[0] for y in (year_end - 1, year_end)}
    if counts[year_end] is None:
        held = lait[COUNT].get(str(year_end))
        raise CostError(
            f"{where.name}'s children looked after at 31 March {year_end} are published as "
            f"'{held[1]}' (LAIT {COUNT}): no count to divide by."
            if held
            else f"{where.name}'s children looked after at 31 March {year_end} are not held (LAIT {COUNT}): "
            "run load-public-data."
        )
    care = spend.child_years(counts[year_end - 1], counts[year_end])
    figure = row.lines[outturn.LOOKED_AFTER][outturn.GROSS]
    net = row.lines[outturn.LOOKED_AFTER][outturn.NET]
    lait_spend = lait[LAIT_SPEND].get(_outturn_label(year), (None, ""))[0]
    if figure.pounds is not None:
        source = {
            "name": f"{row.source}, line 'Children Looked After', Total Expenditure (gross)",
            "year": year,
            "spend": figure.pounds,
            "place": figure.place,
            "net_spend": net.pounds,
            "net_place": net.place,
        }
    elif lait_spend is not None:
        source = {
            "name": f"DfE section 251 outturn {year} (LAIT {LAIT_SPEND}), because {row.source} gives "
            f"{_marker(figure)} for this council ({figure.place})",
            "year": year,
            "spend": lait_spend,
            "place": f"LAIT indicator {LAIT_SPEND}, period {_outturn_label(year)}",
            "net_spend": None,
            "net_place": None,
        }
    else:
        raise CostError(
            f"{where.name} has no published spending on children looked after for {year}: {row.source} "
            f"gives {_marker(figure)} ({figure.place}) and LAIT's {LAIT_SPEND} has no figure for "
            f"{_outturn_label(year)}."
        )
    cost = spend.unit_cost(source["spend"], care.value)
    weekly = {kind: lait[c].get(_outturn_label(year), (None, ""))[0] for kind, c in LAIT_WEEKLY.items()}
    return {
        "area": {"code": where.code, "name": where.name},
        "year": year,
        "year_end": year_end,
        "source": source,
        "children": {
            "counts": [{"year": y, "looked_after": n} for y, n in counts.items()],
            "child_years": care.value,
            "method": care.method,
            "source": f"DfE children looked after at 31 March (LAIT {COUNT})",
        },
        "unit_cost": cost,
        "unit_cost_weekly": cost / WEEKS_A_YEAR,
        "placement_types": _placement_types(row, lait, counts, year_end),
        "published_weekly": {
            "year": year,
            "source": "DfE section 251 outturn weekly unit costs (LAIT LACFinance, FosteringFinance, "
            "RescareFinance): spend divided by children at 31 March (residential: by care days)",
            **weekly,
        },
        "history": _history(lait),
        "lait_spend": lait_spend,
    }


def _marker(figure: outturn.Figure) -> str:
    """'[x] (Data not received in time for publication)': the marker and what the workbook says it means."""
    return f"{figure.status} ({figure.meaning})" if figure.meaning else figure.status


def _placement_types(row: outturn.Outturn, lait: dict, counts: dict, year_end: int) -> list[dict]:
    result = []
    for line in (outturn.RESIDENTIAL, outturn.FOSTERING, outturn.ASYLUM, outturn.OTHER):
        figure = row.lines[line][outturn.GROSS]
        entry = {
            "type": line,
            "name": outturn.LINE_NAMES[line],
            "spend": figure.pounds,
            "status": figure.status,
            "meaning": figure.meaning,
            "place": figure.place,
            "child_years": None,
            "unit_cost": None,
            "note": NO_COUNT.get(line, ""),
        }
        if line in SHARES:
            indicator, words = SHARES[line]
            shares = {y: lait[indicator].get(str(y), (None, ""))[0] for y in (year_end - 1, year_end)}
            placed = {
                y: shares[y] / 100 * counts[y] if shares[y] is not None and counts[y] is not None else None
                for y in shares
            }
            entry["shares"] = [{"year": y, "percent": p} for y, p in shares.items()]
            if figure.pounds is None:
                entry["note"] = f"no unit cost: the outturn gives {_marker(figure)}"
            elif placed[year_end] is None or placed[year_end] <= 0:
                entry["note"] = (
                    f"no unit cost: the share of children {words} at 31 March {year_end} is not held"
                )
            else:
                care = spend.child_years(placed[year_end - 1], placed[year_end])
                entry["child_years"] = care.value
                entry["unit_cost"] = spend.unit_cost(figure.pounds, care.value)
                entry["note"] = (
                    f"children {words}: LAIT {indicator} (whole per cent) times children looked after; "
                    f"{care.method}"
                )
        result.append(entry)
    return result


def _history(lait: dict) -> dict:
    """DfE's weekly unit cost for all children looked after, first and latest year held, and the
    yearly rise between them: a guide to the inflation setting, not used unless asked."""
    years = sorted(
        (label, value)
        for label, (value, _) in lait[LAIT_WEEKLY["all"]].items()
        if value and label[:4].isdigit()
    )
    if len(years) < 2:
        return {}
    (first, a), (last, b) = years[0], years[-1]
    span = int(last[:4]) - int(first[:4])
    return {
        "first": {"year": first.removesuffix(" (OT)"), "weekly": a},
        "latest": {"year": last.removesuffix(" (OT)"), "weekly": b},
        "yearly_rise": (b / a) ** (1 / span) - 1 if span > 0 else None,
        "source": f"LAIT {LAIT_WEEKLY['all']}",
    }


def _financial_year(year_end: int) -> str:
    return f"{year_end - 1}-{year_end % 100:02d}"


def projection(
    code: str | None = None,
    years: int = services.MAX_YEARS,
    inflation: float = 0.0,
    simulations: int = 1000,
    seed: int = 0,
    ro3: dict[str, outturn.Outturn] | None = None,
) -> dict:
    """The unit cost, and spending in each financial year the forecast covers: median and 80% interval."""
    if not -MAX_INFLATION < inflation <= MAX_INFLATION:
        raise CostError(
            f"Inflation is a yearly percentage between -50 and 50, not {inflation * 100:g}: "
            "give 3 for 3% a year."
        )
    if not 1 <= years <= services.MAX_YEARS:
        raise CostError(f"Forecasts run 1 to {services.MAX_YEARS} years ahead, not {years}.")
    if simulations < 100:
        raise CostError("At least 100 simulations are needed for 80% intervals.")
    table = ro3 if ro3 is not None else read_ro3()
    costs = unit_costs(code, table)
    _, authority = services.area(code)
    out = {
        "area": costs["area"],
        "unit_cost": costs,
        "inflation": inflation,
        "inflation_from": costs["year"],
        "simulations": simulations,
        "forecast_origin": None,
        "years": [],
        "no_projection": "",
    }
    try:
        result = services.forecast(code, None, years, simulations, seed)
    except services.ForecastError as error:  # the unit cost stands; only the projection is missing
        out["no_projection"] = str(error)
        return out
    series = selectors.england() if authority is None else selectors.authority(authority)
    path, _ = services.population_path(authority, series, years)
    simulated = engine.forecast(
        series, years, simulations, seed, population=path
    )  # services.forecast's draws
    year_ends = [int(y) for y in simulated.years]
    origin_stock = float(series.stock[-1])
    spending = spend.projected_spend(
        origin_stock, simulated.simulations, costs["unit_cost"], year_ends, costs["year_end"], inflation
    )
    factors = spend.inflation_factors(year_ends, costs["year_end"], inflation)
    summary = spend.summarise(spending)
    out |= {
        "forecast_origin": result["origin"],
        "years": [
            {
                "year": _financial_year(y),
                "year_end": y,
                "looked_after_median": h["median"],
                "unit_cost": costs["unit_cost"] * f,
                **s,
            }
            for y, h, s, f in zip(year_ends, result["horizons"], summary, factors, strict=True)
        ],
    }
    if authority is None:
        out["reference_points"] = [p.to_dict() for p in references.POINTS]
        csc = _row(table, None)
        total = csc.lines[outturn.CHILDREN_SOCIAL_CARE][outturn.GROSS]
        if total.pounds is not None:
            out["childrens_social_care"] = {
                "year": csc.year,
                "spend": total.pounds,
                "place": total.place,
                "source": f"{csc.source}, line 'TOTAL CHILDREN SOCIAL CARE', Total Expenditure (gross)",
            }
    return out


def councils(
    years: int = services.MAX_YEARS,
    inflation: float = 0.0,
    simulations: int = 1000,
    seed: int = 0,
    ro3: dict[str, outturn.Outturn] | None = None,
) -> dict:
    """Every current council's unit cost and projected spending, England's, and the sum of the councils'
    medians beside England's median (the sum leaves out the councils that cannot be projected)."""
    table = ro3 if ro3 is not None else read_ro3()
    england = projection(None, years, inflation, simulations, seed, table)
    rows, left_out = [], []
    for authority in Authority.objects.current().order_by("name"):
        try:
            result = projection(authority.code, years, inflation, simulations, seed, table)
        except CostError as error:
            left_out.append({"code": authority.code, "name": authority.name, "reason": str(error)})
            continue
        unit = result["unit_cost"]
        rows.append(
            {
                "code": authority.code,
                "name": authority.name,
                "unit_cost": unit["unit_cost"],
                "source": "RO3" if unit["source"]["place"].startswith("sheet ") else "section 251 (LAIT)",
                "years": [{"year": y["year"], "median": y["median"]} for y in result["years"]],
                "no_projection": result["no_projection"],
            }
        )
        if result["no_projection"]:
            left_out.append(
                {"code": authority.code, "name": authority.name, "reason": result["no_projection"]}
            )
    projected = [r for r in rows if r["years"]]
    return {
        "year": england["unit_cost"]["year"],
        "inflation": inflation,
        "simulations": simulations,
        "england": england,
        "councils": rows,
        "left_out": left_out,
        "sum_of_council_medians": [
            {
                "year": y["year"],
                "councils": len(projected),
                "sum": sum(r["years"][h]["median"] for r in projected),
                "england_median": y["median"],
            }
            for h, y in enumerate(england["years"])
        ],
    }
