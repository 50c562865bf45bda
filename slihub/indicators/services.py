"""Writes to the indicator bank: the one way LAIT's bank and DfE's tidy files get into the database.

Each source (LAIT's bank with its dictionary, or one tidy file under one mapping) is read and
checked whole before the first write. The writes happen in one transaction: a changed source's
indicators are synchronised row by row, the cells its files hold added or updated in bulk (the
values they do not hold are kept: history is never lost unless a whole source is replaced on
request), and the comparisons of its indicators recomputed from everything stored. A source whose
files and mapping are unchanged since the last load is skipped, so a second load changes nothing
and takes a moment.
"""

import functools
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from slihub import sources
from slihub.indicators import deprivation, importers, periods, slugs
from slihub.indicators.mappings import MAPPINGS, Mapping
from slihub.indicators.models import Comparison, ImportedSource, Indicator, Period, Value
from slihub.places import releases
from slihub.places.importers import sha256_of
from slihub.places.models import (
    Authority,
    FormerOnsCode,
    NeighbourModel,
    Region,
    StatisticalNeighbour,
    Succession,
)
from slihub.places.services import DataFolderError, resolve_data_dir
from slihub.places.sync import Changes, sync_rows
from slihub.stats import benchmarks

LAIT_DICTIONARY = "lait_lait_data_dictionary.csv"
LAIT_BANK = "lait_bds_long_0.parquet"
# Bump when the importers change what they store, so unchanged files are loaded again.
IMPORTER_VERSION = "2"  # 2: care leavers' indicators classified under economic well-being
CHUNK = 20000
BATCH = 900  # ids per DELETE ... IN (...): under SQLite's oldest limit of 999 parameters

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class IndicatorLoadReport:
    changes: dict[str, Changes] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    comparisons: int = 0
    # Sentences about rows the files hold but the mappings do not read, or codes the reference data
    # lacks, each naming file and line (importers.read_tidy): shown, never a reason to refuse.
    warnings: list[str] = field(default_factory=list)
    # source -> indicator code -> period label -> stored values removed: with replace_source, what
    # the source held and the files do not; and a provisional period a final one superseded.
    removed: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    removal: list[str] = field(default_factory=list)  # the same, in sentences, said before removing

    @property
    def values_removed(self) -> int:
        return sum(
            n
            for by_code in self.removed.values()
            for by_period in by_code.values()
            for n in by_period.values()
        )

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


@dataclass
class _Source:
    name: str
    files: list[Path]
    fingerprint: str
    mapping: Mapping | None = None  # None for LAIT and the indices of deprivation


def _fingerprint(files: list[Path], extra: str) -> str:
    digest = hashlib.sha256(f"{IMPORTER_VERSION}|{extra}".encode())
    for path in files:
        digest.update(sha256_of(path).encode())
    return digest.hexdigest()


def _require(path: Path) -> Path:
    if not path.is_file():
        source = sources.by_filename(path.name)
        where = "\n" + sources.missing_files_help([source]) if source else ""
        raise DataFolderError(f"{path.name} is missing from {path.parent}.{where}")
    return path


def _authority_codes() -> set[str]:
    codes = set(Authority.objects.values_list("code", flat=True))
    if not codes:
        raise DataFolderError("No authorities in the database: load the reference data first.")
    return codes


def _ons_codes() -> dict[str, str]:
    """Every ONS code of the reference data, current and former (reorganised authorities' and
    codes that changed), -> the DfE code of the authority it belongs to."""
    codes = dict(Authority.objects.values_list("ons_code", "code"))
    codes.update(FormerOnsCode.objects.values_list("ons_code", "authority__code"))
    return codes


def _successors() -> dict[str, list[str]]:
    """A predecessor's DfE code -> its successors' (a split county's figure goes to each)."""
    found: dict[str, list[str]] = defaultdict(list)
    for before, after in Succession.objects.values_list("predecessor__code", "successor__code"):
        found[before].append(after)
    return dict(found)


def load_indicator_data(
    data_dir: str | Path | None = None,
    *,
    progress: Progress = _quiet,
    mapping_names: list[str] | None = None,
    replace_source: bool = False,
) -> IndicatorLoadReport:
    """Load LAIT's indicator bank and dictionary, every mapped tidy file and the indices of deprivation
    (deprivation.py, unless `mapping_names` leaves it out), all or nothing.

    Each file's cells are added or updated and the values it does not hold kept (`_store`);
    `replace_source` makes each changed source exactly its files."""
    folder = resolve_data_dir(data_dir)
    lait_files = [_require(folder / LAIT_DICTIONARY), _require(folder / LAIT_BANK)]
    sources = [_Source("lait", lait_files, _fingerprint(lait_files, "lait"))]
    for name in mapping_names if mapping_names is not None else [*MAPPINGS, deprivation.SOURCE]:
        if name == deprivation.SOURCE:
            path = _require(folder / deprivation.FILENAME)
            extra = deprivation.signature(_successors())
            sources.append(_Source(name, [path], _fingerprint([path], extra)))
            continue
        mapping = MAPPINGS[name]
        path = _require(folder / mapping.filename)
        sources.append(_Source(name, [path], _fingerprint([path], mapping.signature()), mapping))
    return _load(sources, progress, replace_source=replace_source)


def import_tidy_file(
    path: str | Path, *, mapping: str, progress: Progress = _quiet, replace_source: bool = False
) -> IndicatorLoadReport:
    """Load one tidy file (this year's or next year's release) with a named mapping, all or nothing.

    The periods and areas the file holds are added or updated; the mapping's other values stay (a
    release holding only its new year keeps the years before). `replace_source` makes the mapping's
    values exactly the file's, saying what goes before removing it."""
    if mapping not in MAPPINGS:
        raise DataFolderError(f"Unknown mapping {mapping!r}: one of {', '.join(MAPPINGS)}.")
    path = _require(Path(path).expanduser())
    chosen = MAPPINGS[mapping]
    source = _Source(mapping, [path], _fingerprint([path], chosen.signature()), chosen)
    return _load([source], progress, replace_source=replace_source)


def _load(sources: list[_Source], progress: Progress, *, replace_source: bool) -> IndicatorLoadReport:
    report = IndicatorLoadReport()
    known = dict(ImportedSource.objects.values_list("source", "fingerprint"))
    # A replacement is never skipped: the source may hold more than the files that made it.
    changed = [s for s in sources if replace_source or known.get(s.name) != s.fingerprint]
    report.skipped = [s.name for s in sources if s not in changed]
    if report.skipped:
        progress(f"Unchanged since the last load: {', '.join(report.skipped)}")
    if not changed:
        return report
    codes = _authority_codes()
    ons_codes = _ons_codes()
    names = dict(Authority.objects.values_list("code", "name"))

    parsed: list[tuple[_Source, dict[str, importers.IndicatorRecord], list]] = []
    for source in changed:
        started = time.perf_counter()
        warnings: list[str] = []
        if source.name == deprivation.SOURCE:
            imd = deprivation.read_imd(
                source.files[0],
                ons_codes,
                set(Authority.objects.filter(is_current=True).values_list("code", flat=True)),
                _successors(),
                names,
            )
            indicators, values = imd.indicators(), imd.records
        elif source.mapping is None:
            indicators = importers.read_dictionary(source.files[0])
            values = importers.read_lait(source.files[1], indicators, codes)
        else:
            indicators = importers.mapping_indicators(source.mapping)
            tidy = importers.read_tidy(
                source.files[0],
                source.mapping,
                codes,
                ons_codes=ons_codes,
                names=names,
                today=timezone.localdate(),
            )
            values, warnings = tidy.records, tidy.warnings
        progress(
            f"Read {', '.join(p.name for p in source.files)}: {len(indicators)} indicators, "
            f"{len(values)} values ({time.perf_counter() - started:.1f} s)"
        )
        for warning in warnings:
            progress(f"Warning: {warning}")
        report.warnings += warnings
        parsed.append((source, indicators, values))

    with transaction.atomic():
        changed_ids: set[int] = set()
        touched: set[str] = set()  # the slugs of the changed sources' indicators, before and after
        for source, indicators, values in parsed:
            touched |= set(Indicator.objects.filter(source=source.name).values_list("slug", flat=True))
            _store(source, indicators, values, replace=replace_source, report=report, progress=progress)
            changed_ids |= set(Indicator.objects.filter(source=source.name).values_list("id", flat=True))
            touched |= set(Indicator.objects.filter(source=source.name).values_list("slug", flat=True))
        report.comparisons = compute_comparisons(indicator_ids=changed_ids, progress=progress)
        if report.changed:  # the published pages of these indicators, and of the bank, render afresh
            releases.bump(releases.INDICATORS, [releases.indicator(slug) for slug in touched])
        for source, _, _ in parsed:
            ImportedSource.objects.update_or_create(
                source=source.name,
                defaults=dict(
                    filename=", ".join(p.name for p in source.files),
                    fingerprint=source.fingerprint,
                    values=Value.objects.filter(indicator__source=source.name).count(),
                    loaded_at=timezone.now(),
                ),
            )
    return report


def _insert(model, columns: list[str], rows: list[tuple], progress: Progress, what: str) -> None:
    """Bulk insert plain tuples (far quicker than model instances for hundreds of thousands of rows)."""
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is many times quicker than executemany on PostgreSQL.
            copy_sql = (
                f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for count, row in enumerate(rows, 1):
                    copy.write_row(row)
                    if count % CHUNK == 0:
                        progress(f"  {what}: {count} of {len(rows)}")
            return
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])
            if len(rows) > CHUNK:
                progress(f"  {what}: {min(start + CHUNK, len(rows))} of {len(rows)}")


# (indicator code, period label, area type, area code): a cell's place, as importers.ValueRecord holds it
CellKey = tuple[str, str, str, str]


@dataclass
class _Plan:
    """What an import writes to one source's values: cells to insert, stored rows to delete."""

    insert: list[tuple[CellKey, float | None, str]] = field(default_factory=list)
    delete_ids: list[int] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # stored cells the file does not hold, left as they are
    # indicator code -> period label -> stored cells removed
    removed: dict[str, dict[str, int]] = field(default_factory=dict)

    def remove(self, pk: int, code: str, label: str) -> None:
        self.delete_ids.append(pk)
        by_period = self.removed.setdefault(code, {})
        by_period[label] = by_period.get(label, 0) + 1


def _stored_cells(source_name: str) -> dict[CellKey, tuple[int, float | None, str]]:
    """The source's stored cells: key -> (row id, value, status)."""
    codes = dict(Indicator.objects.filter(source=source_name).values_list("id", "code"))
    labels = dict(Period.objects.values_list("id", "label"))
    authorities = dict(Authority.objects.values_list("id", "code"))
    regions = dict(Region.objects.values_list("id", "code"))
    rows = Value.objects.filter(indicator_id__in=list(codes)).values_list(
        "id", "indicator_id", "period_id", "area_type", "authority_id", "region_id", "value", "status"
    )
    stored = {}
    for pk, indicator_id, period_id, area_type, authority_id, region_id, value, status in rows.iterator(
        chunk_size=CHUNK
    ):
        area = authorities[authority_id] if area_type == "la" else regions.get(region_id, "")
        stored[codes[indicator_id], labels[period_id], area_type, area] = (pk, value, status)
    return stored


@functools.lru_cache(maxsize=4096)  # called once per stored cell; labels are few
def _year(label: str) -> tuple[str, int, int]:
    """A period without its flag: '2025 (prov)' and '2025' are the same year, published twice."""
    parsed = periods.parse_label(label)
    return parsed.kind, parsed.start_year, parsed.end_year


def _plan(values: list, stored: dict, *, replace: bool) -> _Plan:
    """Compare the file's cells with the stored ones, cell by cell.

    The file's cells are added or updated. A stored cell the file does not hold is kept, unless
    `replace` (the whole source becomes the file's), or the file holds the same indicator and year
    under another label (a final figure after the provisional one: a series has one value a year,
    the publisher's latest)."""
    plan = _Plan()
    in_file: set[CellKey] = set()
    for code, label, area_type, area, value, status in values:
        key = (code, label, area_type, area)
        in_file.add(key)
        old = stored.get(key)
        if old is not None and (old[1], old[2]) == (value, status or ""):
            plan.unchanged += 1
            continue
        plan.insert.append((key, value, status or ""))
        if old is None:
            plan.added += 1
        else:
            plan.delete_ids.append(old[0])
            plan.updated += 1
    years = {(key[0], _year(key[1])): key[1] for key in in_file}
    for key, (pk, _, _) in stored.items():
        if key in in_file:
            continue
        code, label = key[0], key[1]
        newer = years.get((code, _year(label)))
        if replace or (newer is not None and newer != label):
            plan.remove(pk, code, label)
        else:
            plan.kept += 1
    return plan


def _removal_lines(source_name: str, plan: _Plan, stored: dict) -> list[str]:
    """What an import removes, said before it does: per indicator, the cells and the periods."""
    held: dict[tuple[str, str], int] = defaultdict(int)  # (code, label) -> stored cells
    for code, label, _, _ in stored:
        held[code, label] += 1
    lines = []
    for code in sorted(plan.removed):
        by_period = plan.removed[code]
        whole = [label for label in by_period if by_period[label] == held[code, label]]
        part = [f"{label} ({by_period[label]})" for label in by_period if label not in whole]
        count = sum(by_period.values())
        said = [f"{count} value{'' if count == 1 else 's'} removed"]
        if whole:
            said.append(f"periods removed: {', '.join(periods_in_order(whole))}")
        if part:
            said.append(f"cells removed from {', '.join(part)}")
        lines.append(f"{source_name}: {code}: {'; '.join(said)}")
    return lines


def periods_in_order(labels) -> list[str]:
    return [p.label for p in periods.ordered(periods.parse_label(label) for label in labels)]


def _delete_ids(ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        Value.objects.filter(pk__in=ids[start : start + BATCH]).delete()


def _store(
    source: _Source,
    indicators: dict,
    values: list,
    *,
    replace: bool,
    report: IndicatorLoadReport,
    progress: Progress,
) -> None:
    """Write one source: its indicators synchronised, its values added or updated cell by cell.

    Without `replace`, stored values and indicators the file does not hold are kept, so a release
    holding only its new year adds that year to the series. With `replace`, the source becomes
    exactly the file: what goes is listed (per indicator, the values and periods) before it goes."""
    stored = _stored_cells(source.name)
    plan = _plan(values, stored, replace=replace)
    removal = _removal_lines(source.name, plan, stored)
    for line in removal:
        progress(line)
    # Slugs depend only on the codes (slugs.py), so a reload of the same files changes none; kept
    # indicators keep theirs.
    kept_codes = set()
    if not replace:
        kept_codes = set(Indicator.objects.filter(source=source.name).values_list("code", flat=True))
    taken = Indicator.objects.exclude(source=source.name).values_list("slug", flat=True)
    slug_of = slugs.slugs_for(set(indicators) | kept_codes, taken)
    _delete_ids(plan.delete_ids)  # first, so the indicators the sync deletes have no values left
    changes = sync_rows(
        Indicator,
        [asdict(r) | {"slug": slug_of[r.code]} for r in indicators.values()],
        key=("code",),
        scope=Q(source=source.name),
        delete_missing=replace,
    )
    labels = sorted({key[1] for key, _, _ in plan.insert})
    period_rows = []
    for label in labels:
        parsed = periods.parse_label(label)
        period_rows.append(
            dict(
                label=label,
                kind=parsed.kind,
                start_year=parsed.start_year,
                end_year=parsed.end_year,
                flag=parsed.flag,
                sort_key=parsed.sort_key,
            )
        )
    sync_rows(Period, period_rows, key=("label",), delete_missing=False)
    indicator_ids = dict(Indicator.objects.filter(source=source.name).values_list("code", "id"))
    period_ids = dict(Period.objects.values_list("label", "id"))
    authority_ids = dict(Authority.objects.values_list("code", "id"))
    region_ids = dict(Region.objects.values_list("code", "id"))
    rows = [
        (
            indicator_ids[code],
            period_ids[label],
            area_type,
            authority_ids[area] if area_type == "la" else None,
            region_ids[area] if area_type == "region" else None,
            value,
            status,
        )
        for (code, label, area_type, area), value, status in plan.insert
    ]
    _insert(
        Value,
        ["indicator_id", "period_id", "area_type", "authority_id", "region_id", "value", "status"],
        rows,
        progress,
        f"{source.name} values",
    )
    removed = sum(sum(by_period.values()) for by_period in plan.removed.values())
    progress(
        f"{source.name}: indicators {changes}; values {plan.added} added, {plan.updated} changed, "
        f"{removed} removed, {plan.unchanged} unchanged"
        + (f", {plan.kept} kept (periods or areas the file does not hold)" if plan.kept else "")
    )
    report.changes[source.name] = Changes(
        changes.created + plan.added, changes.updated + plan.updated, changes.deleted + removed
    )
    if plan.removed:
        report.removed[source.name] = plan.removed
        report.removal += removal


def _nullable(array: np.ndarray) -> list:
    return [None if x != x else x for x in array.tolist()]


@transaction.atomic  # all or nothing; and on SQLite one commit rather than one per inserted row
def compute_comparisons(*, indicator_ids: set[int] | None = None, progress: Progress = _quiet) -> int:
    """(Re)compute the Comparison rows of these indicators (all if None); returns how many were written."""
    started = time.perf_counter()
    indicators = Indicator.objects.all()
    if indicator_ids is not None:
        indicators = indicators.filter(id__in=indicator_ids)
    meta = {i.id: (i.polarity, i.quartiles) for i in indicators.only("id", "polarity", "quartiles")}
    Comparison.objects.filter(indicator_id__in=list(meta)).delete()
    if not meta:
        return 0

    authorities = list(Authority.objects.order_by("code").values_list("id", "region_id", "is_current"))
    row_of = {a_id: index for index, (a_id, _, _) in enumerate(authorities)}
    current = np.array([is_current for _, _, is_current in authorities], dtype=bool)
    current_rows = np.flatnonzero(current)
    neighbour_groups = {}
    for model in (NeighbourModel.MAY_2025, NeighbourModel.APRIL_2021):
        members = defaultdict(list)
        for a_id, n_id in StatisticalNeighbour.objects.filter(model=model).values_list(
            "authority_id", "neighbour_id"
        ):
            members[a_id].append(row_of[n_id])
        neighbour_groups[model] = [members.get(a_id, []) for a_id, _, _ in authorities]
    region_list = sorted({r for _, r, _ in authorities})
    region_groups = [[i for i in current_rows if authorities[i][1] == region_id] for region_id in region_list]
    region_index = {region_id: index for index, region_id in enumerate(region_list)}
    region_of_row = np.array([region_index[region_id] for _, region_id, _ in authorities], dtype=int)
    sort_keys = dict(Period.objects.values_list("id", "sort_key"))

    by_indicator: dict[int, list] = defaultdict(list)
    for row in Value.objects.filter(indicator_id__in=list(meta)).values_list(
        "indicator_id", "period_id", "area_type", "authority_id", "region_id", "value", "status"
    ):
        by_indicator[row[0]].append(row[1:])

    out: list[tuple] = []
    for indicator_id, rows in by_indicator.items():
        polarity, with_quartiles = meta[indicator_id]
        period_list = sorted({r[0] for r in rows}, key=lambda p: sort_keys[p])
        column = {p: j for j, p in enumerate(period_list)}
        shape = (len(authorities), len(period_list))
        matrix = np.full(shape, np.nan)
        has_row = np.zeros(shape, dtype=bool)
        statuses = {}
        published_region = np.full((len(region_list), len(period_list)), np.nan)
        published_england = np.full(len(period_list), np.nan)
        for period_id, area_type, authority_id, region_id, value, status in rows:
            j = column[period_id]
            if area_type == "la":
                i = row_of[authority_id]
                has_row[i, j] = True
                if value is None:
                    statuses[i, j] = status
                else:
                    matrix[i, j] = value
            elif area_type == "region" and region_id in region_index and value is not None:
                published_region[region_index[region_id], j] = value
            elif area_type == "england" and value is not None:
                published_england[j] = value
        current_matrix = matrix[current_rows]
        order_polarity = "high" if polarity == "none" else polarity
        rank_matrix = np.full(shape, np.nan)
        band_matrix = np.full(shape, "", dtype=object)
        for j in range(len(period_list)):
            rank_matrix[current_rows, j] = benchmarks.ranks(current_matrix[:, j], order_polarity)
            if with_quartiles:
                band_matrix[current_rows, j] = benchmarks.quartile_bands(current_matrix[:, j], polarity)
        ranked = (~np.isnan(current_matrix)).sum(axis=0)
        means = {m: benchmarks.group_means(matrix, groups) for m, groups in neighbour_groups.items()}
        region_means, _ = benchmarks.group_means(matrix, region_groups)
        england_mean, _ = benchmarks.group_means(matrix, [list(current_rows)])
        england_mean = england_mean[0]
        change = benchmarks.changes(matrix)
        trend_3 = benchmarks.trend_labels(matrix, 3, polarity)
        trend_5 = benchmarks.trend_labels(matrix, 5, polarity)
        rows_i, cols_j = np.nonzero(has_row & current[:, np.newaxis])
        status_matrix = np.full(shape, "", dtype=object)
        for (i, j), status in statuses.items():
            status_matrix[i, j] = status
        regions_of_rows = region_of_row[rows_i]
        published = published_region[regions_of_rows, cols_j]
        mean = region_means[regions_of_rows, cols_j]
        region_value = np.where(np.isnan(published), mean, published)
        region_basis = np.where(~np.isnan(published), "published", np.where(np.isnan(mean), "", "mean"))
        england_published = published_england[cols_j]
        england_computed = england_mean[cols_j]
        england_value = np.where(np.isnan(england_published), england_computed, england_published)
        england_basis = np.where(
            ~np.isnan(england_published), "published", np.where(np.isnan(england_computed), "", "mean")
        )
        n25, c25 = (a[rows_i, cols_j] for a in means[NeighbourModel.MAY_2025])
        n21, c21 = (a[rows_i, cols_j] for a in means[NeighbourModel.APRIL_2021])
        out.extend(
            zip(
                [indicator_id] * len(rows_i),
                [period_list[j] for j in cols_j.tolist()],
                [authorities[i][0] for i in rows_i.tolist()],
                _nullable(matrix[rows_i, cols_j]),
                status_matrix[rows_i, cols_j].tolist(),
                _nullable(n25),
                c25.tolist(),
                _nullable(n21),
                c21.tolist(),
                _nullable(region_value),
                region_basis.tolist(),
                _nullable(england_value),
                england_basis.tolist(),
                [None if r != r else int(r) for r in rank_matrix[rows_i, cols_j].tolist()],
                ranked[cols_j].tolist(),
                band_matrix[rows_i, cols_j].tolist(),
                _nullable(change[rows_i, cols_j]),
                trend_3[rows_i, cols_j].tolist(),
                trend_5[rows_i, cols_j].tolist(),
                strict=True,
            )
        )
    progress(f"Comparisons computed: {len(out)} ({time.perf_counter() - started:.1f} s)")
    _insert(
        Comparison,
        [
            "indicator_id",
            "period_id",
            "authority_id",
            "value",
            "status",
            "neighbours_2025",
            "neighbours_2025_count",
            "neighbours_2021",
            "neighbours_2021_count",
            "region_value",
            "region_basis",
            "england_value",
            "england_basis",
            "rank",
            "ranked",
            "quartile",
            "change",
            "trend_3",
            "trend_5",
        ],
        out,
        progress,
        "comparisons",
    )
    progress(f"Comparisons stored ({time.perf_counter() - started:.1f} s)")
    return len(out)
